#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The simulator end to end, with a minimal consumer (sim-client, on
# transport/ only): 2 CPUs, 20000 main-loop events each as fast as
# possible into 4 x 64 KiB discard buffers, so events are discarded.
# babeltrace2 (the oracle) must read every event, each one the simulator
# emitted with the right fields, in order per stream, and per CPU
# emitted = read + discarded exactly.
set -eu
. "$TOP/tests/sim/lib.sh"

sim_start sim --cpus 2 --events 20000 --rate 0 --summary summary.json
trace_client "$sim_sock" trace --until-file summary.json \
	--subbuf-size 65536 --nr-subbufs 4 --mode discard \
	--counters counters.json
sim_stop
cat summary.json
bt_read --discards trace
/usr/bin/python3 "$here/check-trace.py" trace --summary summary.json \
	--counters counters.json --cpus 2
