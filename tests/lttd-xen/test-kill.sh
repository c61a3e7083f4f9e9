#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttd-xen killed (kill -9) mid-trace, twice, and started again in the
# same directory each time, as a daemon (--daemon --pidfile): each restart
# cuts the stream files after their last complete packet and skips the
# sub-buffers already on disk, so the finished trace holds every event
# the simulator emitted exactly once, in order, or counts it as discarded
# (emitted = read + discarded, per CPU), and babeltrace2 reports no lost
# packet.  Also: a daemon that cannot start says why and exits 1.
set -eu
. "$TOP/tests/lttd-xen/lib.sh"
at_exit 'kill_pidfile lttd.pid 9'

# Running, and not a zombie waiting for a slow init to reap it.
alive() {
	[ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"
}

start_sim

echo "== a daemon that cannot start says why"
rc=0
"$lttd" --transport "$spec" --output trace --daemon --pidfile lttd.pid \
	2> fail.err || rc=$?
cat fail.err
[ $rc -eq 1 ] && grep -q "no tracing session is configured; run lttctl-xen create" fail.err ||
	die "expected exit 1 and a clear message, got $rc"
[ ! -e lttd.pid ] && [ ! -e trace ] ||
	die "a failed start left a pid file or a directory"

$simctl configure 16384 8 discard
run=1
"$lttd" --transport "$spec" --output trace --daemon --pidfile lttd.pid
$simctl start
for delay in 0.3 0.4; do
	sleep $delay
	pid=$(cat lttd.pid)
	echo "== kill -9 lttd-xen (pid $pid), run $run"
	kill -9 "$pid"
	while alive "$pid"; do sleep 0.05; done
	ls -l trace
	run=$((run + 1))
	"$lttd" --transport "$spec" --output trace --daemon --pidfile lttd.pid
done
pid=$(cat lttd.pid)
wait_for sum.json 60 "$sim_pid" || die "the workload did not end"
$simctl stop
i=0
while alive "$pid"; do
	i=$((i + 1))
	[ $i -le 200 ] || die "lttd-xen did not finish after the stop"
	sleep 0.1
done
[ ! -e lttd.pid ] || die "lttd-xen left its pid file behind"
cat trace/.lttd-xen.log
grep -q "events lost" trace/.lttd-xen.log ||
	die "the last lttd-xen did not finish the trace"
sim_stop

bt_read --discards trace bt
/usr/bin/python3 "$here/sim-check.py" trace sum.json
