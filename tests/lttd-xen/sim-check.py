#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check a simulator trace written by lttd-xen.

Usage: sim-check.py TRACE SUMMARY.json
       sim-check.py --partial TRACE


  - every stream file is a sequence of whole packets (packet_size ==
    content_size, as lttd-xen writes them), nothing after the last;
  - babeltrace2 (bt2) reads it; each stream holds events the simulator
    emitted, in order, none twice (sim/workload_spec.py's StreamChecker);
  - per CPU, emitted = read + discarded, exactly, with 'emitted' from the
    simulator's summary (written at its exit).  --partial: a trace cut
    short (a write error): no count to compare.
"""
import json
import os
import struct
import sys

import bt2

sys.path.insert(0, os.path.join(os.environ["TOP"], "sim"))
import workload_spec  # noqa: E402

CTF_MAGIC = 0xC1FC1FC1
HEADER = 84


def packets_whole(path):
    """Walk the packets of one stream file; an error string or None."""
    size = os.path.getsize(path)
    off = 0
    with open(path, "rb") as f:
        while off < size:
            f.seek(off)
            hdr = f.read(HEADER)
            if len(hdr) < HEADER:
                return "%s: %d bytes after the last packet" % (path,
                                                               size - off)
            magic = struct.unpack_from("<I", hdr, 0)[0]
            content, packet = struct.unpack_from("<QQ", hdr, 48)
            if magic != CTF_MAGIC or content != packet or packet % 8:
                return "%s: byte %d is not a packet lttd-xen wrote" % (
                    path, off)
            if off + packet // 8 > size:
                return "%s: the packet at byte %d is cut short" % (path,
                                                                  off)
            off += packet // 8
    return None


def read(trace):
    checkers, discarded = {}, {}
    for msg in bt2.TraceCollectionMessageIterator(trace):
        if type(msg) is bt2._EventMessageConst:
            ev = msg.event
            cpu = int(ev.packet.context_field["cpu_id"])
            chk = checkers.setdefault(cpu, workload_spec.StreamChecker(cpu))
            chk.feed(ev.name, ev.payload_field)
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            cpu = int(msg.stream.id)
            discarded[cpu] = discarded.get(cpu, 0) + (msg.count or 0)
    return checkers, discarded


def main():
    partial = sys.argv[1] == "--partial"
    trace = sys.argv[2] if partial else sys.argv[1]
    bad = []
    for name in sorted(os.listdir(trace)):
        if name.startswith("channel0_"):
            err = packets_whole(os.path.join(trace, name))
            if err:
                bad.append(err)
    checkers, discarded = read(trace)
    if partial:
        for cpu, chk in sorted(checkers.items()):
            print("CPU %d: read %s, discarded %d" % (
                cpu, chk.finish(), discarded.get(cpu, 0)))
        cpus = []
    else:
        cpus = json.load(open(sys.argv[2]))["cpus"]
    for c in cpus:
        cpu = c["cpu"]
        emitted = c["emitted_main"] + c["emitted_nested"]
        counts = checkers[cpu].finish() if cpu in checkers else {}
        got = sum(counts.values())
        lost = discarded.get(cpu, 0)
        print("CPU %d: emitted %d = read %d + discarded %d%s" % (
            cpu, emitted, got, lost,
            "" if emitted == got + lost else "  <-- MISMATCH"))
        if emitted != got + lost:
            bad.append("CPU %d: emitted %d, read %d + discarded %d" % (
                cpu, emitted, got, lost))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
