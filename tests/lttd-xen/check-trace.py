#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check a trace written by lttd-xen against DIR.expect, with bt2.

The events are gen:guest events whose data[0] counts the events of their
CPU from 0.  DIR.expect lines:
  events CPU N     CPU's stream holds data[0] = 0..N-1, each once, in order
  increasing CPU   CPU's data[0] values strictly increase (overwrite mode)
  discarded N      babeltrace2 reports N discarded events in all
  warnings ok      (read by the shell script: lost packets are expected)
"""
import sys

import bt2


def read(trace):
    per_cpu, discarded = {}, 0
    for msg in bt2.TraceCollectionMessageIterator(trace):
        if type(msg) is bt2._EventMessageConst:
            ev = msg.event
            cpu = int(ev.packet.context_field["cpu_id"])
            if ev.name == "gen:guest":
                per_cpu.setdefault(cpu, []).append(
                    int(ev.payload_field["data"][0]))
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
    return per_cpu, discarded


def main():
    trace, expect = sys.argv[1], sys.argv[2]
    per_cpu, discarded = read(trace)
    bad = []
    for line in open(expect):
        words = line.split()
        if not words:
            continue
        if words[0] == "events":
            cpu, n = int(words[1]), int(words[2])
            got = per_cpu.get(cpu, [])
            if got != list(range(n)):
                bad.append("CPU %d: %d events, expected 0..%d in order "
                           "(first bad at index %s)" % (
                               cpu, len(got), n - 1,
                               next((i for i, v in enumerate(got)
                                     if v != i), len(got))))
        elif words[0] == "increasing":
            cpu = int(words[1])
            got = per_cpu.get(cpu, [])
            if not got or any(b <= a for a, b in zip(got, got[1:])):
                bad.append("CPU %d: values not strictly increasing" % cpu)
        elif words[0] == "discarded":
            if discarded != int(words[1]):
                bad.append("%d events discarded, expected %s" %
                           (discarded, words[1]))
    summary = ", ".join("CPU %d: %d events" % (c, len(v))
                        for c, v in sorted(per_cpu.items()))
    print("%s: %s; %d discarded" % (trace, summary, discarded))
    for b in bad:
        print("  FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
