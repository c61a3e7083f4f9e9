#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-model.py GENDIR FACILITY.xml...: genevent's model.json says what
the facility files declare, as the tests' own reading of the XML
(facility_model.py) understands them:

- every event, with the id the documented rule gives it (facilities by
  name, events in file order, frequent events first) and the compact
  header exactly for ids below compact_ids;
- every field: kind, C type, signedness, bits per element, bit field or
  not, base, shape, array length, length field, and its bit offset in
  the payload (the fields before it, laid end to end);
- the fixed size of the payload;
- every <xentrace>: id, mask, and per field where the value comes from
  (data / id bit and width, a constant, or the element count);
- xentrace_lookup: every mapping once, by mask then id, with its event;
- metadata_hash: the FNV-1a 64 of GENDIR/ctf/events.tsdl.
Exit 1 with every difference listed.
"""
import json
import os
import sys

import facility_model

errors = []


def expect(what, got, want):
    if got != want:
        errors.append("%s: model.json has %r, the XML says %r"
                      % (what, got, want))


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) & ((1 << 64) - 1)
    return h


def main():
    gen, paths = sys.argv[1], sys.argv[2:]
    model = json.load(open(os.path.join(gen, "model.json")))
    events = facility_model.load(paths)
    expect("format_version", model["format_version"], 1)

    # Ids: facilities by name, events in file order, frequent first.
    order = sorted(events, key=lambda ev: ev.facility)  # stable: file order
    freq = [ev for ev in order if ev.frequent]
    ids = {ev.full: i for i, ev in enumerate(
        freq + [ev for ev in order if not ev.frequent])}
    by_name = {ev["name"]: ev for ev in model["events"]}
    expect("event names", sorted(by_name), sorted(ids))
    expect("events in id order", [ev["id"] for ev in model["events"]],
           list(range(len(model["events"]))))
    expect("nr_events", model["nr_events"], len(events))
    facs = sorted({ev.facility for ev in events})
    expect("facilities", [f["name"] for f in model["facilities"]], facs)
    for f in model["facilities"]:
        expect(f["name"] + " events", f["events"],
               [ev.name for ev in events if ev.facility == f["name"]])

    for ev in events:
        j = by_name.get(ev.full)
        if not j:
            continue
        where = ev.full
        expect(where + " id", j["id"], ids[ev.full])
        expect(where + " frequent", j["frequent"], ev.frequent)
        expect(where + " compact", j["compact"],
               ids[ev.full] < model["compact_ids"])
        expect(where + " fields", [f["name"] for f in j["fields"]],
               [f.name for f in ev.fields])
        offset, fixed = 0, 0
        for f, jf in zip(ev.fields, j["fields"]):
            w = "%s.%s" % (where, f.name)
            kind = "string" if f.string else "enum" if f.enum else "integer"
            expect(w + " kind", jf["kind"], kind)
            if not f.string:
                expect(w + " type", jf["type"],
                       "%s%d" % ("s" if f.signed else "u", f.bits))
                expect(w + " signed", jf["signed"], f.signed)
                expect(w + " bits", jf["bits"], f.width)
                expect(w + " packed", jf["packed"], f.width != f.bits)
                expect(w + " saturate", jf.get("saturate", False),
                       f.saturate)
            expect(w + " domain", jf.get("domain", False), f.domain)
            expect(w + " base", jf["base"], 16 if f.hex else 10)
            shape = "sequence" if f.length_field else \
                "array" if f.length is not None else "scalar"
            expect(w + " shape", jf["shape"], shape)
            expect(w + " length", jf.get("length"), f.length)
            expect(w + " length_field", jf.get("length_field"),
                   f.length_field)
            expect(w + " is_length", jf.get("is_length", False),
                   f.name in ev.length_fields)
            expect(w + " offset_bits", jf["offset_bits"], offset)
            if f.string or f.length_field:
                offset = None
            else:
                size = f.width * (f.length or 1)
                fixed += size
                if offset is not None:
                    offset += size
        expect(where + " fixed_size", j["fixed_size"], fixed // 8)

        expect(where + " xentrace ids", [(x["id"], x["mask"])
                                         for x in j["xentrace"]],
               [(x["id"], x["mask"]) for x in ev.xentrace])
        for x, jx in zip(ev.xentrace, j["xentrace"]):
            w = "%s <- 0x%08x" % (where, x["id"])
            expect(w + " name", jx["name"], x["name"])
            got = {u["field"]: u for u in jx["unpacks"]}
            for f in ev.fields:
                if f.string:
                    expect(w + " " + f.name, f.name in got, False)
                    continue
                u = got.get(f.name, {})
                if f.name in ev.length_fields:
                    seq = [s.name for s in ev.fields
                           if s.length_field == f.name]
                    expect(w + " " + f.name, (u.get("from"), u.get("of")),
                           ("count", seq[0]))
                    continue
                xu = x["unpacks"][f.name]
                if xu["from"] == "const":
                    want = ("const", xu["value"])
                    have = (u.get("from"), u.get("value"))
                else:
                    want = (xu["from"], xu["bit"], xu["width"] or f.width)
                    have = (u.get("from"), u.get("bit"), u.get("width"))
                expect(w + " " + f.name, have, want)

    mappings = sorted((x["mask"], x["id"], ids[ev.full])
                      for ev in events for x in ev.xentrace)
    expect("xentrace_lookup", [(x["mask"], x["id"], x["event"])
                               for x in model["xentrace_lookup"]], mappings)
    with open(os.path.join(gen, "ctf", "events.tsdl"), "rb") as f:
        expect("metadata_hash", model["metadata_hash"],
               "0x%016x" % fnv1a64(f.read()))

    for e in errors:
        print("FAIL: " + e)
    if errors:
        return 1
    print("model.json: %d events, %d fields, %d xentrace mappings agree "
          "with the XML" % (len(events), sum(len(ev.fields) for ev in events),
                            len(mappings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
