#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check a trace lttng-xen-import wrote, as babeltrace2 reads it.

  check-import.py TRACE [--expect FILE] [--xenalyze SUMMARY] [--records N]

Always: babeltrace2 reads it; each stream is one CPU, its timestamps
never go back; every gen:untimed event is followed, on its stream, by
at least `records` events with its own timestamp.  Prints the events per
name, and each discarded-events range ("discarded CPU N FROM TO").
  --expect FILE    `xtfile.py expect` output: the events per name and the
                   discarded total must be exactly these
  --records N      events other than gen:untimed: exactly N
  --xenalyze SUM   `xenalyze --summary` output: its PV event counts (all
                   domains) equal the trace's for the events it counts one
                   to one
"""
import argparse
import collections
import re
import sys

import bt2

# xenalyze's PV summary line -> the event it counts.
XENALYZE_PV = {"trap": "pv:trap", "page_fault": "pv:page_fault",
               "forced_invalid_op": "pv:forced_invalid_op",
               "emulate privop": "pv:emulate_privop",
               "math state restore": "pv:math_state_restore",
               "ptwr": "pv:ptwr_emulation",
               "hypercall (subcall)": "pv:hypercall_subcall"}


def read(trace):
    counts, discarded, problems = collections.Counter(), [], []
    stream_cpu, last_ts, pending = {}, {}, {}
    for msg in bt2.TraceCollectionMessageIterator(trace):
        if isinstance(msg, bt2._PacketBeginningMessageConst):
            cpu = int(msg.packet.context_field["cpu_id"])
            if stream_cpu.setdefault(msg.packet.stream.addr, cpu) != cpu:
                problems.append("a stream holds CPU %d and CPU %d"
                                % (stream_cpu[msg.packet.stream.addr], cpu))
        elif isinstance(msg, bt2._DiscardedEventsMessageConst):
            discarded.append((stream_cpu[msg.stream.addr],
                              msg.beginning_default_clock_snapshot.value,
                              msg.end_default_clock_snapshot.value,
                              msg.count))
        elif isinstance(msg, bt2._EventMessageConst):
            sid = msg.event.stream.addr
            cpu = stream_cpu[sid]
            ts = msg.default_clock_snapshot.value
            name = msg.event.name
            counts[name] += 1
            if ts < last_ts.get(sid, 0):
                problems.append("CPU %d: time goes back to %d" % (cpu, ts))
            last_ts[sid] = ts
            left, marker_ts = pending.get(sid, (0, None))
            if left:
                if ts != marker_ts:
                    problems.append("CPU %d: an event announced by "
                                    "gen:untimed at %d is at %d"
                                    % (cpu, marker_ts, ts))
                pending[sid] = (left - 1, marker_ts)
            if name == "gen:untimed":
                if left:
                    problems.append("CPU %d: gen:untimed at %d inside "
                                    "another's run" % (cpu, ts))
                pending[sid] = (int(msg.event.payload_field["records"]), ts)
    for sid, (left, ts) in pending.items():
        if left:
            problems.append("CPU %d: gen:untimed at %d announced %d events "
                            "more than follow" % (stream_cpu[sid], ts, left))
    return counts, discarded, problems


def xenalyze_pv(text):
    counts = collections.Counter()
    for line in text.splitlines():
        m = re.match(r"^  (\S.*\S)\s+(\d+)$", line)
        if m and m.group(1) in XENALYZE_PV:
            counts[XENALYZE_PV[m.group(1)]] += int(m.group(2))
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--expect")
    ap.add_argument("--records", type=int)
    ap.add_argument("--xenalyze")
    args = ap.parse_args()
    counts, discarded, problems = read(args.trace)
    for name, n in sorted(counts.items()):
        print("%-32s %d" % (name, n))
    for d in discarded:
        print("discarded CPU %d %d %d %d" % d)
    total_discarded = sum(d[3] for d in discarded)
    if args.expect:
        want, want_discarded = collections.Counter(), 0
        for line in open(args.expect):
            name, n = line.split()
            if name == "discarded":
                want_discarded = int(n)
            else:
                want[name] = int(n)
        for name in sorted(set(want) | set(counts)):
            if want[name] != counts[name]:
                problems.append("%s: %d events, the xentrace file has %d "
                                "records" % (name, counts[name], want[name]))
        if total_discarded != want_discarded:
            problems.append("babeltrace2 reports %d events discarded, the "
                            "file's TRC_LOST_RECORDS say %d"
                            % (total_discarded, want_discarded))
    if args.records is not None:
        n = sum(counts.values()) - counts["gen:untimed"]
        if n != args.records:
            problems.append("%d events from records, expected %d"
                            % (n, args.records))
    if args.xenalyze:
        xa = xenalyze_pv(open(args.xenalyze).read())
        if not xa:
            problems.append("no PV event counts in %s" % args.xenalyze)
        for name, n in sorted(xa.items()):
            print("xenalyze %-23s %d" % (name, n))
            if counts[name] != n:
                problems.append("%s: %d events, xenalyze --summary counts "
                                "%d" % (name, counts[name], n))
    for p in problems:
        print("FAIL:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
