#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Cut a xentrace file where its first CPU's records end.

  xtcut.py IN OUT

Writes OUT: the records of IN up to the last timed record of the CPU whose
records end first, every CPU's beyond it dropped; windows as xentrace
writes them (a CPU-change record, then the window's records), emptied
windows left out.  A record without a TSC goes with the timed record
before it in its window (or, at the window's start, the one after it).

Why: on the e2e run's xentrace boot, CPU 1's records end when the
workload takes it offline (Xen on an AMD CPU frees an offline CPU's trace
buffers, and xentrace never records it again; shared/briefs: "CPU
hotplug").  From there xenalyze turns the vCPU that ran there into
"lost" (deactivate_pcpu()) while lttng-xen-analyze sees the changes that
CPU no longer records as run state changes from a state the vCPU was not
in (unattributed): two ways to say "unknown" that cannot give the same
figures, so the comparison stops where a CPU stops.

Prints the cut: "cut at TSC T: CPU c: kept K of N records".
"""
import itertools
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "xentrace-import"))
import xtfile  # noqa: E402


def main():
    src, dst = sys.argv[1], sys.argv[2]
    data = open(src, "rb").read()
    last = {}
    for r in xtfile.records(data):
        if r.tsc is not None:
            last[r.cpu] = r.tsc
    cut = min(last.values())
    # Each record's time: its TSC, or the timed record's before it in its
    # window (the one after it at the window's start).
    kept, total = {}, {}
    with open(dst, "wb") as f:
        for _, window in itertools.groupby(xtfile.records(data),
                                           key=lambda r: r.window):
            rs = list(window)
            cpu = rs[0].cpu
            t = next((r.tsc for r in rs if r.tsc is not None), None)
            body = []
            for r in rs:
                if r.tsc is not None:
                    t = r.tsc
                total[cpu] = total.get(cpu, 0) + 1
                if t is not None and t <= cut:
                    body.append(data[r.offset:r.offset + r.size])
            if body:
                kept[cpu] = kept.get(cpu, 0) + len(body)
                body = b"".join(body)
                f.write(struct.pack("<IiI", xtfile.CPU_CHANGE | 2 << 28, cpu,
                                    len(body)) + body)
    print("cut at TSC %d: %s" % (cut, ", ".join(
        "CPU %d: kept %d of %d records" % (c, kept.get(c, 0), total[c])
        for c in sorted(total))))


if __name__ == "__main__":
    main()
