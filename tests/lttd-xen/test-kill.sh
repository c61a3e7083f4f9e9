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

cleanup() {
	[ -f lttd.pid ] && kill -9 "$(cat lttd.pid)" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null || true
}
trap cleanup EXIT

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
	{ echo "expected exit 1 and a clear message, got $rc"; exit 1; }
[ ! -e lttd.pid ] && [ ! -e trace ] ||
	{ echo "a failed start left a pid file or a directory"; exit 1; }

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
wait_for sum.json
$simctl stop
i=0
while alive "$pid"; do
	i=$((i + 1))
	[ $i -le 200 ] || { echo "lttd-xen did not finish after the stop"; exit 1; }
	sleep 0.1
done
[ ! -e lttd.pid ] || { echo "lttd-xen left its pid file behind"; exit 1; }
cat trace/.lttd-xen.log
grep -q "events lost" trace/.lttd-xen.log ||
	{ echo "the last lttd-xen did not finish the trace"; exit 1; }
kill "$sim_pid"
wait "$sim_pid" || true
sim_pid=

babeltrace2 trace > bt.txt 2> bt.err ||
	{ cat bt.err; echo "babeltrace2 cannot read the trace"; exit 1; }
if grep -v "Tracer discarded" bt.err | grep -q .; then
	cat bt.err; echo "babeltrace2 warned about more than discards"; exit 1
fi
/usr/bin/python3 "$here/sim-check.py" trace sum.json
