#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check a trace of lttng-xen-sim with babeltrace2's Python bindings.

  check-trace.py TRACEDIR [--summary SIM.json] [--counters CLIENT.json]
                 [--cpus N]

Every event must be one the simulator emitted (sim/workload_spec.py),
carry its stream's CPU, and come in order within its stream, with
timestamps that never go backwards.  Then, per
CPU, with --summary (the simulator's): emitted (main + nested) = read +
discarded as babeltrace2 reports it, exactly; with --counters (the
consumer's copy of the producer counters): produced = read and
discarded + lost = babeltrace2's discarded count.  --cpus N: exactly
streams for CPUs 0..N-1.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "sim"))
import workload_spec  # noqa: E402


def read_trace(tracedir):
    """{cpu: {'main': n, 'nested': n, 'discarded': n}}, checking events."""
    import bt2

    checkers, discarded, stream_cpu, last_ts = {}, {}, {}, {}
    nr_events = 0
    for msg in bt2.TraceCollectionMessageIterator(tracedir):
        if isinstance(msg, bt2._PacketBeginningMessageConst):
            cpu = int(msg.packet.context_field["cpu_id"])
            sid = msg.packet.stream.addr
            if stream_cpu.setdefault(sid, cpu) != cpu:
                raise SystemExit("a stream changed CPU: %d then %d"
                                 % (stream_cpu[sid], cpu))
            checkers.setdefault(cpu, workload_spec.StreamChecker(cpu))
            discarded.setdefault(cpu, 0)
        elif isinstance(msg, bt2._DiscardedEventsMessageConst):
            cpu = stream_cpu[msg.stream.addr]
            if msg.count is None:
                raise SystemExit("CPU %d: discarded events without a count"
                                 % cpu)
            discarded[cpu] += msg.count
        elif isinstance(msg, bt2._DiscardedPacketsMessageConst):
            raise SystemExit("babeltrace2 reports lost packets on CPU %d"
                             % stream_cpu[msg.stream.addr])
        elif isinstance(msg, bt2._EventMessageConst):
            ev = msg.event
            cpu = int(ev.packet.context_field["cpu_id"])
            ts = msg.default_clock_snapshot.value
            if ts < last_ts.get(cpu, 0):
                raise SystemExit("CPU %d: event %d at %d, before the "
                                 "previous one (%d)"
                                 % (cpu, nr_events, ts, last_ts[cpu]))
            last_ts[cpu] = ts
            try:
                checkers[cpu].feed(ev.name, ev.payload_field)
            except workload_spec.WorkloadError as e:
                raise SystemExit("event %d: %s" % (nr_events, e))
            nr_events += 1
    result = {}
    for cpu, chk in checkers.items():
        result[cpu] = chk.finish()
        result[cpu]["discarded"] = discarded[cpu]
    print("babeltrace2 read %d events, every one as the simulator emitted "
          "it, in order per stream" % nr_events)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tracedir")
    ap.add_argument("--summary")
    ap.add_argument("--counters")
    ap.add_argument("--cpus", type=int)
    args = ap.parse_args()

    got = read_trace(args.tracedir)
    bad = 0
    for cpu in sorted(got):
        g = got[cpu]
        print("CPU %d: read %d main + %d nested + %d of the tracer's own, "
              "%d discarded" % (cpu, g["main"], g["nested"], g["tracer"],
                                g["discarded"]))
    if args.cpus is not None and sorted(got) != list(range(args.cpus)):
        print("FAIL: streams for CPUs %s, expected 0..%d"
              % (sorted(got), args.cpus - 1))
        bad += 1
    if args.summary:
        with open(args.summary) as f:
            summary = json.load(f)
        for c in summary["cpus"]:
            cpu = c["cpu"]
            emitted = c["emitted_main"] + c["emitted_nested"]
            g = got.get(cpu, {"main": 0, "nested": 0, "tracer": 0,
                              "discarded": 0})
            total = g["main"] + g["nested"] + g["tracer"] + g["discarded"]
            ok = emitted == total and g["main"] <= c["emitted_main"] and \
                g["nested"] <= c["emitted_nested"]
            print("%s CPU %d: emitted %d (%d main + %d nested) %s read %d + "
                  "discarded %d" % ("ok  " if ok else "FAIL", cpu, emitted,
                                    c["emitted_main"], c["emitted_nested"],
                                    "=" if emitted == total else "!=",
                                    g["main"] + g["nested"] + g["tracer"],
                                    g["discarded"]))
            bad += not ok
    if args.counters:
        with open(args.counters) as f:
            counters = json.load(f)
        for cpu_s, c in sorted(counters.items()):
            g = got.get(int(cpu_s), {"main": 0, "nested": 0, "tracer": 0,
                                     "discarded": 0})
            lost = c["discarded"] + c["lost_too_big"] + c["lost_nested"]
            read = g["main"] + g["nested"] + g["tracer"]
            ok = c["produced"] == read and lost == g["discarded"]
            print("%s CPU %s: producer recorded %d, lost %d; trace has %d, "
                  "discarded %d" % ("ok  " if ok else "FAIL", cpu_s,
                                    c["produced"], lost, read,
                                    g["discarded"]))
            bad += not ok
    if bad:
        raise SystemExit("%d check(s) failed" % bad)


if __name__ == "__main__":
    main()
