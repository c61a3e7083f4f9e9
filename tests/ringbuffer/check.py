#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare what babeltrace2 reads from an rb-unit scenario with what the
ring buffer accepted.

  check.py SCENARIO_DIR EXPECTED_FILE

Discard mode: exactly the accepted events, in order, with their exact
timestamps, and babeltrace2's discarded-events count equal to the
buffer's.  Overwrite mode: a non-empty run of the newest accepted events,
ending with the last one.  Always: timestamps never go backwards.
"""
import sys

import bt2


def main(d, expected_file):
    expected, discarded, mode = [], 0, None
    for line in open(expected_file):
        a, b = line.split()
        if a == "discarded":
            discarded = int(b)
        elif a == "mode":
            mode = b
        else:
            expected.append((int(a), int(b)))
    got, lost, lost_packets = [], 0, 0
    for msg in bt2.TraceCollectionMessageIterator(d):
        if isinstance(msg, bt2._DiscardedEventsMessageConst):
            lost += msg.count or 0
        elif isinstance(msg, bt2._DiscardedPacketsMessageConst):
            lost_packets += msg.count or 0
        elif isinstance(msg, bt2._EventMessageConst):
            got.append((int(msg.event.payload_field["data"][0]),
                        msg.default_clock_snapshot.value))
    problems = []
    stamps = [t for _, t in got]
    if stamps != sorted(stamps):
        problems.append("timestamps go backwards")
    if mode == "discard":
        if got != expected:
            first = next((i for i, (g, e) in enumerate(zip(got, expected))
                          if g != e), min(len(got), len(expected)))
            problems.append("read %d events, expected %d; first difference "
                            "at %d: read %s, expected %s" % (
                                len(got), len(expected), first,
                                got[first:first + 2], expected[first:first + 2]))
        if lost != discarded:
            problems.append("babeltrace2 reports %d discarded events, the "
                            "buffer counted %d" % (lost, discarded))
    else:
        n = len(got)
        if not n or got != expected[-n:]:
            problems.append("overwrite mode: read %d events that are not the "
                            "newest accepted ones" % n)
    print("%s: %d events read (%d accepted), %d discarded, %d packets lost%s"
          % (d.rsplit("/", 1)[-1], len(got), len(expected), lost,
             lost_packets, "" if not problems else ": MISMATCH"))
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
