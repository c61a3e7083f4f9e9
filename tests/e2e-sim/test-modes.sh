#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The modes end to end, the way a sysadmin records: lttng-xen-sim in the
# background, `lttctl-xen create` / `start`, the workload runs to its end
# (the simulator's --summary file appears), `lttctl-xen stop` (or
# `snapshot`), babeltrace2 reads the trace.  check-modes.py checks every
# event against the workload (sim/workload_spec.py) and the numbers
# exactly:
#  a. discard mode, 2 CPUs flat out into 4 x 4 KiB: per CPU, emitted =
#     read + discarded as babeltrace2 reports it, with discards;
#  b. overwrite mode: a snapshot after the workload holds, per CPU, the
#     newest main-loop events, contiguous up to the last one, and the
#     whole buffer (4 packets, numbered from the overwritten count on);
#  c. a stop mid-sub-buffer: 7 events per CPU, none lost.
set -u
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
. "$TOP/tests/e2e-sim/lib.sh"
e2e_sim_prepare
CHECK="/usr/bin/python3 $here/check-modes.py"

# start_sim NAME ARGS...: a simulator on $PWD/NAME.sock (2 CPUs) writing
# its summary to $PWD/NAME.json, lttctl-xen's state in $PWD/NAME-home.
start_sim()
{
	local name=$1
	shift
	export LTTNG_XEN_HOME="$PWD/$name-home"
	sim_start "$name" --cpus 2 --summary "$PWD/$name.json" "$@"
}

# ctl ARGS...: lttctl-xen, output in 'out' (and the log); must exit 0.
ctl()
{
	expect_exit 0 "" "$LTTCTL" "$@"
}

# wait_done NAME: the workload is over when the summary file appears.
wait_done()
{
	wait_for "$1.json" 60 "$sim_pid" || { fail "$1: the workload did not end"; return 1; }
	indent "$1.json"
}

# check ARGS...: check-modes.py, indented.
check()
{
	$CHECK "$@" >check.out 2>&1
	rc=$?
	indent check.out
	[ $rc -eq 0 ] || fail "check-modes.py $1: exit $rc"
}

echo "== a. discard mode, 2 CPUs flat out into 4 x 4 KiB: exact discards"
start_sim a --events 5000000 --rate 0
ctl --transport "sim:$sim_sock" create a --subbuf-size 4k --num-subbufs 4 \
	--output "$PWD/a-trace"
ctl start
wait_done a
ctl stop
cp out a.stop
sim_stop
check discard a-trace a.json a.stop

echo "== b. overwrite mode: the snapshot holds the newest events"
start_sim b --events 50000 --rate 100000 --nested-rate 5000
ctl --transport "sim:$sim_sock" create b --mode overwrite --subbuf-size 4k \
	--num-subbufs 4
ctl start
wait_done b
ctl snapshot --output "$PWD/b-snap"
check snapshot b-snap b.json 4 4096
ctl stop
ctl destroy
sim_stop

echo "== c. stop mid-sub-buffer: 7 events per CPU, every one read"
start_sim c --events 7 --rate 0 --nested-rate 0
ctl --transport "sim:$sim_sock" start --output "$PWD/c-trace"
wait_done c
ctl stop
cp out c.stop
sim_stop
check complete c-trace c.json c.stop

finish
