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
here="$TOP/tests/e2e-sim"
SIM="$BUILD/bin/lttng-xen-sim"
LTTCTL="$BUILD/bin/lttctl-xen"
LTTD="$BUILD/bin/lttd-xen"
CHECK="/usr/bin/python3 $here/check-modes.py"
nfail=0

for p in "$SIM" "$LTTCTL" "$LTTD"; do
	[ -x "$p" ] || { echo "FAIL: $p is not built (make all)"; exit 1; }
done
command -v babeltrace2 >/dev/null ||
	{ echo "FAIL: babeltrace2 is not installed (make deps-check)"; exit 1; }
unset LTTNG_XEN_TRANSPORT
export LTTD_XEN="$LTTD"

fail()
{
	echo "FAIL: $*"
	nfail=$((nfail + 1))
}

sims=
cleanup()
{
	for f in */lttd-xen.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for p in $sims; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
}
trap cleanup EXIT

# start_sim NAME ARGS...: a simulator on $PWD/NAME.sock writing its
# summary to $PWD/NAME.json, lttctl-xen's state in $PWD/NAME-home; sets
# sim_pid, sock.
start_sim()
{
	name=$1
	shift
	sock="$PWD/$name.sock"
	export LTTNG_XEN_HOME="$PWD/$name-home"
	"$SIM" --socket "$sock" --cpus 2 --summary "$PWD/$name.json" "$@" \
		>"$name.sim.log" 2>&1 &
	sim_pid=$!
	sims="$sims $sim_pid"
	i=0
	while [ ! -S "$sock" ]; do
		i=$((i + 1))
		if ! kill -0 "$sim_pid" 2>/dev/null || [ $i -gt 100 ]; then
			cat "$name.sim.log"
			echo "FAIL: the simulator did not listen on $sock"
			exit 1
		fi
		sleep 0.05
	done
}

# ctl ARGS...: lttctl-xen, output in 'out' (and the log); must exit 0.
ctl()
{
	timeout 120 "$LTTCTL" "$@" >out 2>&1
	rc=$?
	echo "\$ lttctl-xen $* -> $rc"
	sed 's/^/    | /' out
	[ $rc -eq 0 ] || fail "lttctl-xen $* exited $rc"
	return $rc
}

# wait_done NAME: the workload is over when the summary file appears.
wait_done()
{
	i=0
	while [ ! -f "$1.json" ]; do
		i=$((i + 1))
		[ $i -le 1200 ] || { fail "$1: the workload did not end in 60 s"; return 1; }
		sleep 0.05
	done
	sed 's/^/    | /' "$1.json"
}

# stop_sim: SIGTERM; exit 0 expected.
stop_sim()
{
	kill -TERM "$sim_pid"
	rc=0
	wait "$sim_pid" || rc=$?
	[ $rc -eq 0 ] ||
		{ cat "$name.sim.log"; fail "the simulator exited $rc on SIGTERM"; }
}

# check ARGS...: check-modes.py, indented.
check()
{
	$CHECK "$@" >check.out 2>&1
	rc=$?
	sed 's/^/    | /' check.out
	[ $rc -eq 0 ] || fail "check-modes.py $1: exit $rc"
}

echo "== a. discard mode, 2 CPUs flat out into 4 x 4 KiB: exact discards"
start_sim a --events 5000000 --rate 0
ctl --transport "sim:$sock" create a --subbuf-size 4k --num-subbufs 4 \
	--output "$PWD/a-trace"
ctl start
wait_done a
ctl stop
cp out a.stop
stop_sim
check discard a-trace a.json a.stop

echo "== b. overwrite mode: the snapshot holds the newest events"
start_sim b --events 50000 --rate 100000 --nested-rate 5000
ctl --transport "sim:$sock" create b --mode overwrite --subbuf-size 4k \
	--num-subbufs 4
ctl start
wait_done b
ctl snapshot --output "$PWD/b-snap"
check snapshot b-snap b.json 4 4096
ctl stop
ctl destroy
stop_sim

echo "== c. stop mid-sub-buffer: 7 events per CPU, every one read"
start_sim c --events 7 --rate 0 --nested-rate 0
ctl --transport "sim:$sock" start --output "$PWD/c-trace"
wait_done c
ctl stop
cp out c.stop
stop_sim
check complete c-trace c.json c.stop

echo
if [ $nfail -ne 0 ]; then
	echo "$nfail check(s) failed"
	exit 1
fi
echo "all checks passed"
