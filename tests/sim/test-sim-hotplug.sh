#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The simulator's harder cases, with the minimal consumer: a CPU that
# comes online mid-trace (--hotplug: it gets a buffer, GET_INFO.nr_cpus
# grows, the consumer is woken and maps it), a clock that jumps back
# (--clock-backwards: timestamps must stay monotonic, or babeltrace2
# fails), and nested writers from a 5 kHz timer signal handler.  Small
# buffers so some events are discarded; per CPU emitted = read +
# discarded, exactly, and every event as the simulator emitted it.
set -eu
. "$TOP/tests/sim/lib.sh"

sim_start sim --cpus 2 --events 40000 --rate 40000 --nested-rate 5000 \
	--clock-backwards --hotplug 2:10000 --summary summary.json
trace_client "$sim_sock" trace --until-file summary.json \
	--subbuf-size 4096 --nr-subbufs 2 --counters counters.json
sim_stop
cat summary.json
bt_read --discards trace
/usr/bin/python3 "$here/check-trace.py" trace --summary summary.json \
	--counters counters.json --cpus 3
