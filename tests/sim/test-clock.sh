#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14, item 8: a clock that goes back, or CPUs whose clocks are out
# of step, are said in the trace instead of timestamps frozen silently.
#   --clock-backwards: every 1000th clock read of a CPU is 1000000 ticks
#     in the past.  The streams stay monotonic (babeltrace2), and each CPU
#     has gen:clock_backwards events whose reads add up to the producer's
#     count of reads that went back (GET_COUNTERS clock_backwards), each
#     step at most the 1000000 ticks the clock went back.  The count may
#     exceed the events' sum by the reads made after the last report can
#     be recorded (at STOP, the report's own reservation and the flush; the
#     consumer's FLUSH): 3 at most.
#   --clock-skew 1:-10000000000: CPU 1's clock is 10^10 ticks behind.  At
#     START, CPU 1 records one gen:clock_unsynchronised, offset between
#     -10^10 and -10^10 plus the time the cross-CPU call took (under half
#     of it here); CPU 0, in step, none.
# Every event the simulator emitted is read back or counted as discarded
# (check-trace.py: the tracer's own events too).
set -eu
. "$TOP/tests/sim/lib.sh"

skew=-10000000000
sim_start sim --cpus 2 --events 20000 --rate 40000 \
	--nested-rate 2000 --clock-backwards --clock-skew "1:$skew" \
	--summary summary.json
trace_client "$sim_sock" trace --until-file summary.json \
	--subbuf-size 65536 --nr-subbufs 8 --counters counters.json
sim_stop
bt_read --discards trace
/usr/bin/python3 "$here/check-trace.py" trace --summary summary.json \
	--counters counters.json --cpus 2
PYTHONPATH="$TOP/tests/lib" /usr/bin/python3 - trace counters.json "$skew" <<'PY'
import json, sys
from tracecheck import check, cpu_events, failed

trace, counters, skew = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
back = {}
unsync = {}
for cpu, ev in cpu_events(trace):
    if ev.name == "gen:clock_backwards":
        reads, ticks = int(ev.payload_field["reads"]), int(ev.payload_field["max_ticks"])
        b = back.setdefault(cpu, [0, 0, 0])
        b[0] += 1
        b[1] += reads
        b[2] = max(b[2], ticks)
        if reads < 1 or not 0 < ticks <= 1000000:
            sys.exit("FAIL: CPU %d: gen:clock_backwards reads=%d max_ticks=%d"
                     % (cpu, reads, ticks))
    elif ev.name == "gen:clock_unsynchronised":
        unsync.setdefault(cpu, []).append(
            (int(ev.payload_field["ref_cpu"]), int(ev.payload_field["offset"])))
for cpu in (0, 1):
    c = counters[str(cpu)]
    n, reads, ticks = back.get(cpu, [0, 0, 0])
    check(n > 0 and 0 <= c["clock_backwards"] - reads <= 3 and
          ticks <= c["clock_backwards_max"] <= 1000000,
          "CPU %d: %d gen:clock_backwards events, %d reads back in all "
          "(producer: %d), at most %d ticks (producer: %d)"
          % (cpu, n, reads, c["clock_backwards"], ticks,
             c["clock_backwards_max"]))
print("gen:clock_unsynchronised: %s" % unsync)
check(list(unsync) == [1] and len(unsync[1]) == 1 and
      unsync[1][0][0] == 65535 and skew <= unsync[1][0][1] <= skew // 2,
      "CPU 1, %d ticks behind: one gen:clock_unsynchronised at START, "
      "offset %s; CPU 0: %s" % (-skew, unsync.get(1), unsync.get(0, "none")))
sys.exit(1 if failed() else 0)
PY
