#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare an lttng-xen trace with a xentrace file of the same workload.

  compare.py --lttng TRACEDIR --xentrace FILE --gen BUILD/gen --out OUT.md
             [--xentrace-mhz MHZ] [--domu ID] [--title TEXT]

The lttng-xen trace is read with babeltrace2's Python bindings (bt2):
events per type and CPU; its size is that of the stream files
(channel*), the metadata (written once per trace, whatever its length)
shown apart.

The xentrace file is xentrace's output: per window a 12-byte CPU-change
record (header TRC_TRACE_CPU_CHANGE with 2 extra words: cpu,
window_size), then that CPU's raw records.  A record is a u32 header
(bits 0-27 event id, 28-30 number of extra u32 words, bit 31 TSC
present), an optional 8-byte TSC, then the extra words.  Event ids are
mapped to lttng-xen's event names through genevent's remap table
(GEN/xen/xentrace-map.c, with its masks for the bits call sites OR into
the id), the same table the hypervisor's remap uses; ids it does not
know are shown in hex.  With --xentrace-mhz (the TSC rate Xen detected
at boot), each CPU's span of time in both traces is shown too: a CPU
taken offline and back online that one tracer stops recording shows as
a shorter span.

With --domu (a PV guest the workload created and destroyed), what each
trace holds for that domain: its creation and destruction
(dom0op:dom_add / dom_rem), its run state changes, context switches to
it and the PV hypercalls made while it ran (the domain a CPU last
switched to); the domain ids are read from xentrace's raw words as the
remap table unpacks them.

Writes OUT.md: both sizes, bytes per event, the ratio of sizes, and per
event type both counts side by side (the two runs are two boots: counts
differ, the table shows by how much).  Prints the summary lines; exits 1
if either trace is empty or lttng-xen does not spend fewer bytes per
event than xentrace.
"""
import argparse
import collections
import os
import re
import struct
import sys

import bt2

CPU_CHANGE = 0x0001f003
LOST_RECORDS = 0x0001f001


def load_map(gen):
    """[(mask, id, name)] in the lookup's order, from genevent's output."""
    ids = {}
    for line in open(os.path.join(gen, "xen", "event-ids.h")):
        m = re.match(r"#define (LTTNG_XEN_EVENT_\w+)\s+(\d+)", line)
        if m:
            ids[m.group(1)] = int(m.group(2))
    names = []
    text = open(os.path.join(gen, "xen", "events.c")).read()
    body = text.split("lttng_xen_events[] = {", 1)[1].split("};", 1)[0]
    names = re.findall(r'\{ "([^"]+)",', body)
    maps = []
    text = open(os.path.join(gen, "xen", "xentrace-map.c")).read()
    body = text.split("lttng_xen_xt_maps[] = {", 1)[1].split("};", 1)[0]
    for m in re.finditer(r"\{ (0x[0-9a-f]+), (0x[0-9a-f]+), "
                         r"(LTTNG_XEN_EVENT_\w+),", body):
        maps.append((int(m.group(2), 16), int(m.group(1), 16),
                     names[ids[m.group(3)]]))
    masks = sorted({mask for mask, _, _ in maps})
    table = {(mask, i): name for mask, i, name in maps}
    return masks, table


def lookup(masks, table, event):
    for mask in masks:
        name = table.get((mask, event & ~mask))
        if name:
            return name
    return "xentrace:0x%08x" % event


DOMAIN_WHAT = ("dom0op:dom_add", "dom0op:dom_rem", "sched:runstate_change",
               "sched:context_switch", "pv:hypercall")


class Domains:
    """Per domain: created, destroyed, run state changes, switched in,
    hypercalls while it ran."""

    def __init__(self):
        self.seen = collections.defaultdict(collections.Counter)
        self.running = {}

    def note(self, cpu, name, domain):
        if name == "sched:context_switch":
            self.running[cpu] = domain
        elif name == "pv:hypercall":
            domain = self.running.get(cpu)
            if domain is None:
                return
        self.seen[domain][name] += 1


def read_xentrace(path, masks, table):
    data = open(path, "rb").read()
    events = collections.Counter()      # (cpu, name)
    framing = tsc = no_tsc = lost = 0
    first, last = {}, {}                # cpu: TSC
    doms = Domains()
    cpu, end, pos = None, None, 0
    while pos + 4 <= len(data):
        (hdr,) = struct.unpack_from("<I", data, pos)
        ev, extra, has_tsc = hdr & 0x0fffffff, (hdr >> 28) & 7, hdr >> 31
        size = 4 + 8 * has_tsc + 4 * extra
        if pos + size > len(data):
            raise SystemExit("FAIL: %s: record at byte %d runs past the end"
                             % (path, pos))
        words = struct.unpack_from("<%dI" % extra, data,
                                   pos + 4 + 8 * has_tsc)
        if ev == CPU_CHANGE and extra == 2:
            cpu, end = words[0], pos + size + words[1]
            framing += size
        else:
            if cpu is None or pos >= end:
                raise SystemExit("FAIL: %s: record at byte %d outside a "
                                 "CPU window" % (path, pos))
            if ev == LOST_RECORDS and extra:
                lost += words[0]
            name = lookup(masks, table, ev)
            events[(cpu, name)] += 1
            # The words the remap unpacks the domain from (facilities/).
            if name in ("dom0op:dom_add", "dom0op:dom_rem") and extra >= 1:
                doms.note(cpu, name, words[0] & 0xffff)
            elif name == "sched:runstate_change" and extra >= 1:
                doms.note(cpu, name, words[0] >> 16)
            elif name == "sched:context_switch" and extra >= 3:
                doms.note(cpu, name, words[2] & 0xffff)
            elif name == "pv:hypercall":
                doms.note(cpu, name, None)
            if has_tsc:
                (t,) = struct.unpack_from("<Q", data, pos + 4)
                first.setdefault(cpu, t)
                last[cpu] = t
                tsc += 1
            else:
                no_tsc += 1
        pos += size
    return (events, len(data), framing, tsc, no_tsc, lost, first, last,
            doms)


def read_lttng(tracedir):
    events = collections.Counter()
    discarded = 0
    first, last = {}, {}                # cpu: ns from origin
    doms = Domains()
    for msg in bt2.TraceCollectionMessageIterator(tracedir):
        if isinstance(msg, bt2._EventMessageConst):
            ev = msg.event
            cpu = int(ev.packet.context_field["cpu_id"])
            events[(cpu, ev.name)] += 1
            ns = msg.default_clock_snapshot.ns_from_origin
            first.setdefault(cpu, ns)
            last[cpu] = ns
            if ev.name in DOMAIN_WHAT:
                p = {n.lstrip("_"): ev.payload_field[n]
                     for n in ev.payload_field}
                d = p.get("next_domain", p.get("domain"))
                doms.note(cpu, ev.name, None if d is None else int(d))
        elif isinstance(msg, bt2._DiscardedEventsMessageConst):
            discarded += msg.count or 0
    streams = meta = 0
    for f in os.listdir(tracedir):
        p = os.path.join(tracedir, f)
        if f == "metadata":
            meta = os.path.getsize(p)
        elif not f.startswith(".") and os.path.isfile(p):
            streams += os.path.getsize(p)
    return events, streams, meta, discarded, first, last, doms


def by_type(events):
    c = collections.Counter()
    for (_, name), n in events.items():
        c[name] += n
    return c


def by_cpu(events):
    c = collections.Counter()
    for (cpu, _), n in events.items():
        c[cpu] += n
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lttng", required=True)
    ap.add_argument("--xentrace", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--xentrace-mhz", type=float)
    ap.add_argument("--domu", type=int)
    ap.add_argument("--title", default="")
    args = ap.parse_args()

    masks, table = load_map(args.gen)
    lt_ev, lt_bytes, lt_meta, lt_disc, lt_first, lt_last, lt_dom = \
        read_lttng(args.lttng)
    xt_ev, xt_bytes, xt_framing, xt_tsc, xt_notsc, xt_lost, xt_first, \
        xt_last, xt_dom = read_xentrace(args.xentrace, masks, table)
    lt_n, xt_n = sum(lt_ev.values()), sum(xt_ev.values())
    lt_type, xt_type = by_type(lt_ev), by_type(xt_ev)
    lt_cpu, xt_cpu = by_cpu(lt_ev), by_cpu(xt_ev)

    bad = []
    if not lt_n:
        bad.append("the lttng-xen trace has no events")
    if not xt_n:
        bad.append("the xentrace file has no records")
    lt_bpe = lt_bytes / lt_n if lt_n else float("inf")
    lt_bpe_meta = (lt_bytes + lt_meta) / lt_n if lt_n else float("inf")
    xt_bpe = xt_bytes / xt_n if xt_n else float("inf")
    if lt_n and xt_n and not lt_bpe < xt_bpe:
        bad.append("lttng-xen spends %.2f bytes per event, xentrace %.2f"
                   % (lt_bpe, xt_bpe))
    if args.domu is not None:
        for tracer, doms in (("lttng-xen", lt_dom), ("xentrace", xt_dom)):
            for w in DOMAIN_WHAT:
                if not doms.seen[args.domu][w]:
                    bad.append("the %s trace has no %s for domain %d (the "
                               "domU)" % (tracer, w, args.domu))
    ratio = lt_bytes / xt_bytes if xt_bytes else float("inf")
    bpe_ratio = lt_bpe / xt_bpe if xt_n and lt_n else float("inf")

    out = []
    w = out.append
    w("# lttng-xen and xentrace on the same workload")
    w("")
    if args.title:
        w(args.title)
        w("")
    w("Two boots of the same Xen 4.17 tree under QEMU (TCG, 2 CPUs), "
      "the same dom0 workload (`tests/xen/workload.sh`): one with "
      "lttng-xen (`make xen`, `lttctl-xen start` / `stop`, default "
      "session: every event, every CPU), one with xentrace "
      "(`make xen LTTNG=n`, Debian's xentrace, `-e all`). "
      "The counts come from two runs, so they differ by the run's own "
      "variation; bytes per event is what compares the formats.")
    w("")
    w("| | lttng-xen | xentrace |")
    w("|---|---:|---:|")
    w("| events | %d | %d |" % (lt_n, xt_n))
    w("| trace bytes (event streams) | %d | %d |" % (lt_bytes, xt_bytes))
    w("| metadata bytes (once per trace) | %d | 0 |" % lt_meta)
    w("| bytes per event | %.2f | %.2f |" % (lt_bpe, xt_bpe))
    w("| bytes per event, metadata included | %.2f | %.2f |"
      % (lt_bpe_meta, xt_bpe))
    w("| events with a timestamp | %d (all) | %d (%d without) |"
      % (lt_n, xt_tsc, xt_notsc))
    w("| framing bytes (xentrace CPU-change records) | - | %d |"
      % xt_framing)
    w("| discarded / lost | %d | %d |" % (lt_disc, xt_lost))
    for cpu in sorted(set(lt_cpu) | set(xt_cpu)):
        w("| events on CPU %d | %d | %d |" % (cpu, lt_cpu[cpu], xt_cpu[cpu]))
    if args.xentrace_mhz and lt_first and xt_first:
        lt0, xt0 = min(lt_first.values()), min(xt_first.values())
        lt_end = (max(lt_last.values()) - lt0) / 1e9
        xt_end = (max(xt_last.values()) - xt0) / (args.xentrace_mhz * 1e6)

        def span(f, l, cpu, t0, scale, end):
            if cpu not in f:
                return "none"
            a, b = (f[cpu] - t0) / scale, (l[cpu] - t0) / scale
            return "%.2f - %.2f (of %.2f)" % (a, b, end)
        for cpu in sorted(set(lt_cpu) | set(xt_cpu)):
            w("| CPU %d: first - last event, s from the trace's first | "
              "%s | %s |" % (cpu, span(lt_first, lt_last, cpu, lt0, 1e9,
                                       lt_end),
                             span(xt_first, xt_last, cpu, xt0,
                                  args.xentrace_mhz * 1e6, xt_end)))
    w("")
    w("Size ratio lttng-xen / xentrace: **%.3f** (event streams), "
      "%.3f with lttng-xen's metadata; per event: **%.3f** "
      "(goal: <= 0.5 while timestamping every event)."
      % (ratio, (lt_bytes + lt_meta) / xt_bytes if xt_bytes else 0,
         bpe_ratio))
    w("")
    if args.domu is not None:
        labels = {"dom0op:dom_add": "created (dom0op:dom_add)",
                  "dom0op:dom_rem": "destroyed (dom0op:dom_rem)",
                  "sched:runstate_change": "its vCPU's run state changes "
                  "(sched:runstate_change)",
                  "sched:context_switch": "CPUs switched to it "
                  "(sched:context_switch)",
                  "pv:hypercall": "PV hypercalls while it ran "
                  "(pv:hypercall)"}
        w("## Domain %d: the PV domU" % args.domu)
        w("")
        w("The workload's PV guest (`xl create`, its console waited "
          "for, `xl destroy`), as each trace saw it.")
        w("")
        w("| domain %d | lttng-xen | xentrace |" % args.domu)
        w("|---|---:|---:|")
        for what in DOMAIN_WHAT:
            w("| %s | %d | %d |" % (labels[what],
                                    lt_dom.seen[args.domu][what],
                                    xt_dom.seen[args.domu][what]))
        w("")
    w("## Events per type")
    w("")
    w("| event | lttng-xen | xentrace |")
    w("|---|---:|---:|")
    for name in sorted(set(lt_type) | set(xt_type),
                       key=lambda n: (-(lt_type[n] + xt_type[n]), n)):
        w("| %s | %d | %d |" % (name, lt_type[name], xt_type[name]))
    w("| **all** | %d | %d |" % (lt_n, xt_n))
    w("")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(out))

    print("lttng-xen: %d events, %d bytes (+ %d metadata), %.2f bytes/event"
          % (lt_n, lt_bytes, lt_meta, lt_bpe))
    print("xentrace:  %d records, %d bytes, %.2f bytes/event, %d without "
          "a timestamp, %d lost" % (xt_n, xt_bytes, xt_bpe, xt_notsc,
                                    xt_lost))
    print("ratio lttng-xen / xentrace: size %.3f, per event %.3f (goal "
          "<= 0.5)" % (ratio, bpe_ratio))
    if args.domu is not None:
        for tracer, doms in (("lttng-xen", lt_dom), ("xentrace", xt_dom)):
            print("%s, domain %d: %s" % (tracer, args.domu, ", ".join(
                "%s %d" % (w, doms.seen[args.domu][w])
                for w in DOMAIN_WHAT)))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
