#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks the LTTng kernel traces of the guest e2e run
(tests/linux/test-guest-e2e.sh) against the guest facility XML.

1. Every guest event of facilities/*.xml (side="guest") was recorded, in
   dom0's trace or the domU's; backend events (blkback, netback, grant
   maps) in dom0's, frontend events (blkfront, netfront, grants given)
   in the domU's.  NOT_FIRED below lists the events that cannot fire in
   this run, each with the measured reason; it is empty now.
2. Both ends of one block request: a (handle, id) that blkfront queued
   in the domU is a request blkback took in dom0; and every read or write
   blkback submitted while the domU was traced is one blkfront queued:
   the same (handle, id, first sector, sectors).
3. The field layout of every guest event in each trace's metadata (TSDL
   printed by babeltrace2 --output-format=ctf-metadata) is the XML's:
   the same fields in the same order, named as in the XML (LTTng's '_'
   prefix), each with the XML's integer size, signedness and base, the
   enum's values, the array length, or a string.
4. One clock: each LTTng trace's clock is the hypervisor trace's (the
   lttng-clock-xen-tsc plugin): the same name, uuid and frequency, and
   the same offset from the epoch (in cycles: offset_s * freq + offset).
"""
import argparse
import os
import re
import sys

import bt2

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "genevent"))
import facility_model  # noqa: E402

# Guest events that cannot fire in this run: name -> the measured reason.
NOT_FIRED = {}

# Where an event must show: facility -> "dom0" or "domu"; others: either.
SIDE = {
    "guest_blkback": "dom0",
    "guest_netback": "dom0",
    "guest_blkfront": "domu",
    "guest_netfront": "domu",
}
SIDE_EVENT = {
    "guest_gnttab_map": "dom0",
    "guest_gnttab_unmap": "dom0",
    "guest_gnttab_copy": "dom0",
    "guest_gnttab_grant": "domu",
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def read_events(path):
    """name -> count, and the blk (handle, id) pairs of queue/request."""
    counts = {}
    blk = {"guest_blkfront_queue": set(), "guest_blkback_request": set(),
           "queued": [], "submitted": [], "span": [None, None]}
    span = blk["span"]
    for msg in bt2.TraceCollectionMessageIterator(path):
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        counts[ev.name] = counts.get(ev.name, 0) + 1
        if ev.name in blk:
            blk[ev.name].add((int(ev.payload_field["handle"]),
                              int(ev.payload_field["id"])))
        ts = msg.default_clock_snapshot.ns_from_origin
        span[0] = ts if span[0] is None else span[0]
        span[1] = ts
        if ev.name in ("guest_blkfront_queue", "guest_blkback_submit"):
            # Reads and writes (0, 1); blkfront may queue them indirect (6).
            p = ev.payload_field
            op = int(p["operation"])
            front = ev.name == "guest_blkfront_queue"
            if op in ((0, 1, 6) if front else (0, 1)):
                blk["queued" if front else "submitted"].append(
                    (int(p["handle"]), int(p["id"]), int(p["sector"]),
                     int(p["sectors"]), ts))
    return counts, blk


# TSDL of one LTTng event: name and the fields' struct.
EVENT_RE = re.compile(r'event\s*\{\s*name\s*=\s*"([^"]+)";(.*?)\n\};', re.S)
INT_RE = re.compile(r'integer\s*\{([^}]*)\}')


def int_attrs(text):
    attrs = {}
    for part in text.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            attrs[k.strip()] = v.strip()
    return attrs


def parse_fields(body):
    """The payload fields of an event's TSDL: [(name, decl)], decl a dict."""
    m = re.search(r'fields\s*:=\s*struct\s*\{(.*)\}\s*(align\(\d+\))?\s*;', body, re.S)
    if not m:
        return None
    text = m.group(1)
    fields = []
    # One declaration per ';' at brace depth 0.
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == ";" and depth == 0:
            decl = text[start:i].strip()
            start = i + 1
            if decl:
                fields.append(parse_decl(decl))
    return fields


def parse_decl(decl):
    d = {}
    name_m = re.search(r'(\w+)\s*(\[\s*(\w+)\s*\])?\s*$', decl)
    d["name"] = name_m.group(1)
    if name_m.group(3):
        d["length"] = name_m.group(3)
    if decl.startswith("string"):
        d["kind"] = "string"
        return d
    im = INT_RE.search(decl)
    if im:
        a = int_attrs(im.group(1))
        d["size"] = int(a.get("size", "0"))
        d["signed"] = a.get("signed", "0") in ("1", "true")
        d["base"] = int(a.get("base", "10"))
    if decl.startswith("enum"):
        d["kind"] = "enum"
        vm = re.search(r'\}\s*\{(.*)\}', decl, re.S)
        values = {}
        for part in (vm.group(1) if vm else "").split(","):
            pm = re.match(r'\s*"([^"]*)"\s*=\s*(-?\d+)', part)
            if pm:
                values[int(pm.group(2))] = pm.group(1)
        d["values"] = values
    else:
        d["kind"] = "int"
    return d


CLOCK_RE = re.compile(r'^clock\s*\{(.*?)^\};', re.S | re.M)


def clock_of(tsdl_path):
    """The first clock of a TSDL text: name, uuid, freq, offset in cycles."""
    m = CLOCK_RE.search(open(tsdl_path).read())
    if not m:
        return None
    attrs = {}
    for line in m.group(1).split("\n"):
        line = re.sub(r'/\*.*?\*/', "", line).strip().rstrip(";")
        if "=" in line:
            k, v = line.split("=", 1)
            attrs[k.strip()] = v.strip().strip('"')
    freq = int(attrs.get("freq", "1000000000"))
    return {
        "name": attrs.get("name"),
        "uuid": attrs.get("uuid"),
        "freq": freq,
        "offset": int(attrs.get("offset_s", "0")) * freq + int(attrs.get("offset", "0")),
    }


def check_clock(which, tsdl_path, hv):
    clock = clock_of(tsdl_path)
    if clock is None:
        fail(f"{which}: no clock in the trace's metadata")
        return
    for k in ("name", "uuid", "freq", "offset"):
        if clock[k] != hv[k]:
            fail(f"{which}: clock {k} {clock[k]}, the hypervisor trace's {hv[k]}: not one clock")
            return
    print(f"{which}: the clock is the hypervisor's: {clock['name']}, uuid {clock['uuid']}, "
          f"{clock['freq']} Hz, offset {clock['offset']} cycles")


def check_layout(which, tsdl_path, events):
    before = len(failures)
    tsdl = open(tsdl_path).read()
    declared = {m.group(1): m.group(2) for m in EVENT_RE.finditer(tsdl)}
    for ev in events:
        name = ev.fac + "_" + ev.name
        if name not in declared:
            fail(f"{which}: {name} is not in the trace's metadata")
            continue
        fields = parse_fields(declared[name])
        if fields is None:
            fail(f"{which}: {name}: no payload struct in the metadata")
            continue
        want = [f["name"] for f in ev.fields]
        got = [f["name"][1:] if f["name"].startswith("_") else f["name"]
               for f in fields]
        if got != want:
            fail(f"{which}: {name}: fields {got}, the XML has {want}")
            continue
        for xf, mf in zip(ev.fields, fields):
            where = f"{which}: {name}.{xf['name']}"
            if xf["type"] == "string":
                if mf["kind"] != "string":
                    fail(f"{where}: a string in the XML, {mf['kind']} in the metadata")
                continue
            if mf["kind"] == "string":
                fail(f"{where}: a string in the metadata, {xf['type']} in the XML")
                continue
            bits, signed = xf["width"], xf["signed"]
            if mf.get("size") != bits or mf.get("signed") != signed:
                fail(f"{where}: {'s' if mf.get('signed') else 'u'}{mf.get('size')} in the metadata, "
                     f"{'s' if signed else 'u'}{bits} in the XML")
            base = 16 if xf["hex"] else 10
            if mf["kind"] == "int" and mf.get("base") != base:
                fail(f"{where}: base {mf.get('base')} in the metadata, {base} in the XML")
            if xf["enum"] is not None:
                if mf["kind"] != "enum":
                    fail(f"{where}: an enum in the XML, not in the metadata")
                elif mf["values"] != xf["enum"]:
                    fail(f"{where}: enum values {mf['values']}, the XML has {xf['enum']}")
            elif mf["kind"] == "enum":
                fail(f"{where}: an enum in the metadata, not in the XML")
            want_len = str(xf["length"]) if xf["length"] else None
            if mf.get("length") != want_len:
                fail(f"{where}: array length {mf.get('length')} in the metadata, {want_len} in the XML")
    if len(failures) == before:
        print(f"{which}: the metadata of {len(events)} guest events matches the XML field by field")


def xml_events():
    """The guest events, each field's type as the XML declares it."""
    out = []
    for ev in facility_model.load(guest=True):
        ev.fac = ev.facility
        ev.fields = [{
            "name": f.name,
            "type": "string" if f.string else "int",
            "signed": f.signed,
            "width": f.bits,
            "hex": f.hex,
            "enum": f.enum["values"] if f.enum else None,
            "length": f.length,
        } for f in ev.fields]
        out.append(ev)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dom0", required=True)
    ap.add_argument("--domu", required=True)
    ap.add_argument("--dom0-metadata", required=True)
    ap.add_argument("--domu-metadata", required=True)
    ap.add_argument("--hv-metadata", required=True,
                    help="the hypervisor trace's metadata (TSDL text)")
    args = ap.parse_args()

    events = xml_events()
    if not events:
        fail("no guest event in the facility XML")
    seen = {}
    blk = {}
    for which, path in (("dom0", args.dom0), ("domu", args.domu)):
        seen[which], blk[which] = read_events(path)
        print(f"{which}: {sum(seen[which].values())} events, "
              f"{len(seen[which])} event types")
        for name, n in sorted(seen[which].items()):
            print(f"    {name:40s} {n:8d}")
    for ev in events:
        name = ev.fac + "_" + ev.name
        n0, nu = seen["dom0"].get(name, 0), seen["domu"].get(name, 0)
        if name in NOT_FIRED:
            if n0 or nu:
                fail(f"{name} is listed as not firing ({NOT_FIRED[name]}) but fired: update NOT_FIRED")
            else:
                print(f"not fired, as expected: {name}: {NOT_FIRED[name]}")
            continue
        side = SIDE_EVENT.get(name, SIDE.get(ev.fac))
        if side == "dom0" and not n0:
            fail(f"{name}: not in dom0's trace")
        elif side == "domu" and not nu:
            fail(f"{name}: not in the domU's trace")
        elif not n0 and not nu:
            fail(f"{name}: in neither trace")
    both = blk["domu"]["guest_blkfront_queue"] & blk["dom0"]["guest_blkback_request"]
    if not both:
        fail("no block request (handle, id) queued by blkfront was taken by blkback")
    else:
        print(f"{len(both)} block requests (handle, id) seen at both ends")
    # Submits while the domU's kernel was traced (not its boot's partition
    # scan, nor the trace written out after its session stopped).
    t0, t1 = blk["domu"]["span"]
    sub = {b[:4] for b in blk["dom0"]["submitted"]
           if t0 is not None and t0 <= b[4] <= t1}
    queued = {b[:4] for b in blk["domu"]["queued"]}
    stray = sorted(sub - queued)
    if not sub:
        fail("blkback submitted no read or write")
    elif stray:
        fail(f"{len(stray)} of {len(sub)} reads/writes blkback submitted "
             f"(handle, id, sector, sectors) were not queued so by "
             f"blkfront, e.g. {stray[:3]}")
    else:
        print(f"{len(sub)} reads/writes blkback submitted while the domU was "
              f"traced: each the "
              f"(handle, id, first sector, sectors) blkfront queued")
    check_layout("dom0", args.dom0_metadata, events)
    check_layout("domu", args.domu_metadata, events)
    hv = clock_of(args.hv_metadata)
    if hv is None:
        fail(f"no clock in {args.hv_metadata}")
    else:
        check_clock("dom0", args.dom0_metadata, hv)
        check_clock("domu", args.domu_metadata, hv)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"ok: all {len(events)} guest events recorded, their layout as the XML declares")
    return 0


if __name__ == "__main__":
    sys.exit(main())
