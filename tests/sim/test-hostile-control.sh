#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A hostile consumer: every malformed value or out-of-state operation
# (CPU out of range, bad sizes, counts, modes, event ranges, domain
# lists, unknown operations, wrong-sized messages, PUT_SUBBUF of a wrong
# position, twice, without GET_SUBBUF, ...) gets its error code and changes nothing; the
# buffer mapping cannot be made writable; the simulator stays up and a
# normal trace works afterwards.  Also the transport's and the
# simulator's errors for bad input.
set -eu
. "$TOP/tests/sim/lib.sh"

echo "== errors for bad input"
out=$("$client" hostile "$SCRATCH/nothing.sock" 2>&1) && exit 1
echo "$out"
echo "$out" | grep -q "cannot connect to the simulator at $SCRATCH/nothing.sock: No such file or directory (is lttng-xen-sim running?)"
for args in "--cpus 2" "--socket x --cpus 0" "--socket x --cpus 257" \
	    "--socket x --events -1" "--socket x --hotplug 1:5" \
	    "--socket x --hotplug 4" "--socket x --events 10 --hotplug 4:11" \
	    "--socket x --bogus"; do
	rc=0
	# shellcheck disable=SC2086
	"$SIM" $args > out.txt 2>&1 || rc=$?
	echo "lttng-xen-sim $args -> exit $rc: $(head -n 1 out.txt)"
	[ $rc -eq 1 ]
	grep -q "^lttng-xen-sim: " out.txt
done
"$SIM" --help | grep -q '^SYNOPSIS'

echo "== hostile operations"
sim_start sim --cpus 2 --events 0 --rate 20000 --nested-rate 1000 \
	--summary summary.json
"$client" hostile "$sim_sock"
kill -0 "$sim_pid"

echo "== a normal trace afterwards"
trace_client "$sim_sock" trace --duration 1 \
	--subbuf-size 16384 --nr-subbufs 8 --counters counters.json
kill -0 "$sim_pid"
sim_stop
bt_read --discards trace
/usr/bin/python3 "$here/check-trace.py" trace --counters counters.json --cpus 2
