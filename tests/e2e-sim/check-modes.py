#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Exact checks of a simulator trace recorded with lttctl-xen, by mode.

  check-modes.py discard TRACE SUMMARY STOP_OUT
  check-modes.py complete TRACE SUMMARY STOP_OUT
  check-modes.py snapshot TRACE SUMMARY NR_SUBBUFS SUBBUF_SIZE

SUMMARY is the simulator's --summary file, written once its workload was
done; STOP_OUT what `lttctl-xen stop` printed.  Every mode first reads
the trace with tests/sim/check-trace.py (every event one the simulator
emitted, in order per stream, timestamps monotonic, no lost packet),
then:

  discard   per CPU, emitted = read + discarded (babeltrace2's count),
            exactly; the producer's counters say the same (produced =
            read, discarded + lost = babeltrace2's count), so does the
            table `lttctl-xen stop` printed; and something was
            discarded (the buffers did overflow).
  complete  the same, with nothing discarded: every main-loop event
            0..N-1 of every CPU is read, and each stream is one packet
            (the sub-buffer that was open at the stop).
  snapshot  (overwrite mode, after the workload) per CPU: the main-loop
            events are a contiguous run ending at k = N - 1, the nested
            ones a contiguous run ending at the last emitted (or none),
            nothing discarded; the stream is the NR_SUBBUFS packets the
            buffer held: sequence numbers from the producer's
            'overwritten' count to the one its write position was in.
"""
import importlib.util
import json
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "sim"))
sys.path.insert(0, os.path.join(here, "..", "lib"))
import workload_spec  # noqa: E402
from tracecheck import check, cpu_events, failed  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "check_trace", os.path.join(here, "..", "sim", "check-trace.py"))
check_trace = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_trace)

CTF_MAGIC = 0xC1FC1FC1
PACKET_HEADER = 84          # ringbuffer/client-ctf.h
OFF_CONTENT_SIZE = 48
OFF_SEQ_NUM = 64
OFF_CPU_ID = 80

def packets(trace, cpu):
    """[(packet_seq_num, content bytes)] of the stream file of CPU cpu,
    as lttd-xen wrote it (packet_size = content_size)."""
    path = os.path.join(trace, "channel0_%d" % cpu)
    data = open(path, "rb").read()
    out, off = [], 0
    while off < len(data):
        hdr = data[off:off + PACKET_HEADER]
        if len(hdr) < PACKET_HEADER or \
                struct.unpack_from("<I", hdr, 0)[0] != CTF_MAGIC:
            raise SystemExit("%s: no packet at byte %d" % (path, off))
        content = struct.unpack_from("<Q", hdr, OFF_CONTENT_SIZE)[0] // 8
        seq = struct.unpack_from("<Q", hdr, OFF_SEQ_NUM)[0]
        if struct.unpack_from("<I", hdr, OFF_CPU_ID)[0] != cpu or \
                content < PACKET_HEADER or off + content > len(data):
            raise SystemExit("%s: bad packet at byte %d" % (path, off))
        out.append((seq, content))
        off += content
    return out


def stop_table(path):
    """{cpu: (produced, discarded, lost)} from `lttctl-xen stop`."""
    rows = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 4 and f[0].isdigit():
            rows[int(f[0])] = tuple(int(x) for x in f[1:4])
    return rows


def check_counts(trace, summary, stop_out, complete):
    got = check_trace.read_trace(trace)
    table = stop_table(stop_out)
    nr_events = summary["events_per_cpu"]
    total_discarded = 0
    check(sorted(got) == [c["cpu"] for c in summary["cpus"]],
          "streams for CPUs %s, the simulator ran CPUs %s"
          % (sorted(got), [c["cpu"] for c in summary["cpus"]]))
    for c in summary["cpus"]:
        cpu, ctr = c["cpu"], c["counters"]
        g = got.get(cpu, {"main": 0, "nested": 0, "tracer": 0,
                          "discarded": 0})
        emitted = c["emitted_main"] + c["emitted_nested"]
        read = g["main"] + g["nested"] + g["tracer"]
        lost = ctr["discarded"] + ctr["lost_too_big"] + ctr["lost_nested"]
        total_discarded += g["discarded"]
        check(c["emitted_main"] == nr_events,
              "CPU %d: emitted all %d main-loop events (%d)"
              % (cpu, nr_events, c["emitted_main"]))
        check(emitted == read + g["discarded"],
              "CPU %d: emitted %d = read %d + discarded %d"
              % (cpu, emitted, read, g["discarded"]))
        check(ctr["produced"] == read and lost == g["discarded"],
              "CPU %d: producer counters: recorded %d, lost %d"
              % (cpu, ctr["produced"], lost))
        check(table.get(cpu) == (ctr["produced"], ctr["discarded"],
                                 ctr["lost_too_big"] + ctr["lost_nested"]),
              "CPU %d: lttctl-xen stop reports produced, discarded, lost "
              "= %s" % (cpu, table.get(cpu)))
        p = packets(trace, cpu)
        if not complete:
            print("     CPU %d: %d packets in the trace" % (cpu, len(p)))
            continue
        check(g["main"] == nr_events and g["discarded"] == 0 and
              g["nested"] == c["emitted_nested"],
              "CPU %d: read every event: %d main + %d nested, 0 discarded"
              % (cpu, g["main"], g["nested"]))
        check(len(p) == 1, "CPU %d: one packet (%s), closed at the stop"
              % (cpu, ", ".join("%d bytes" % b for _, b in p)))
    if not complete:
        check(total_discarded > 0,
              "%d events discarded in all: the buffers overflowed"
              % total_discarded)


def check_snapshot(trace, summary, nr_subbufs, subbuf_size):
    got = check_trace.read_trace(trace)
    nr_events = summary["events_per_cpu"]
    seqs = {}
    for cpu, ev in cpu_events(trace):
        _, kind, seq = workload_spec.decode(ev.name, ev.payload_field)
        if kind == "tracer":
            continue        # the clock's own reports: not the workload
        seqs.setdefault(cpu, {"main": [], "nested": []})[kind].append(seq)
    for c in summary["cpus"]:
        cpu, ctr = c["cpu"], c["counters"]
        main = seqs.get(cpu, {}).get("main", [])
        nested = seqs.get(cpu, {}).get("nested", [])
        n = len(main)
        first = nr_events - n
        # pv:math_state_restore (k % 5 == 4) carries no k: None.
        want = [None if k % workload_spec.NR_MAIN_TYPES ==
                workload_spec.FIELDLESS_TYPE else k
                for k in range(first, nr_events)]
        known = [k for k in main if k is not None]
        check(c["emitted_main"] == nr_events and n > 0 and main == want,
              "CPU %d: %d main-loop events (k %s): the newest %d, %d..%d"
              % (cpu, n, "%d..%d" % (known[0], known[-1]) if known
                 else "unknown", n, first, nr_events - 1))
        last_n = c["emitted_nested"]
        check(nested == list(range(last_n - len(nested), last_n)),
              "CPU %d: nested events %s, the newest of %d"
              % (cpu, "%d..%d" % (last_n - len(nested), last_n - 1)
                 if nested else "none", last_n))
        lost = ctr["discarded"] + ctr["lost_too_big"] + ctr["lost_nested"]
        disc = got.get(cpu, {}).get("discarded", 0)
        check(lost == 0 and disc == 0,
              "CPU %d: nothing lost (producer %d, babeltrace2 %d)"
              % (cpu, lost, disc))
        p = [s for s, _ in packets(trace, cpu)]
        last = (ctr["offset"] - 1) // subbuf_size
        check(ctr["overwritten"] > 0 and
              p == list(range(ctr["overwritten"], last + 1)) and
              len(p) == nr_subbufs,
              "CPU %d: packets %s, after %d overwritten: the whole buffer"
              % (cpu, "%d..%d" % (p[0], p[-1]) if p else "none",
                 ctr["overwritten"]))


def main():
    mode, trace, summary_path = sys.argv[1:4]
    summary = json.load(open(summary_path))
    if mode in ("discard", "complete"):
        check_counts(trace, summary, sys.argv[4], mode == "complete")
    elif mode == "snapshot":
        check_snapshot(trace, summary, int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit("unknown mode %s" % mode)
    if failed():
        raise SystemExit("%d check(s) failed" % len(failed()))


if __name__ == "__main__":
    main()
