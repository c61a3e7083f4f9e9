#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The merged view: a real LTTng-UST 2.13 trace of a program (the "guest"
# side) and an lttng-xen trace of the simulated hypervisor, recorded at the
# same time, read together by `babeltrace2 UST_TRACE XEN_TRACE` with no
# clock option.  babeltrace2 must accept the two clocks without a word and
# interleave the events by time: the UST events fall among the hypervisor
# events, every UST event where the TSC it read says it belongs, and the
# hypervisor trace's times are Unix times inside the test's own wall-clock
# window (merge-check.py).
#
# Isolation from other users of LTTng on the machine (bench/run starts and
# kills a root lttng-sessiond): as root the test re-runs itself in a
# private mount namespace with its own tmpfs on /run/lttng (the root
# session daemon's run directory, where LTTng-UST looks for it) and on
# /dev/shm, and starts its own lttng-sessiond there; as another user the
# session daemon is per user, under LTTNG_HOME in the scratch directory.
# It kills only the session daemon it started.
set -u
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
here="$TOP/tests/e2e-sim"
LTTCTL="$BUILD/bin/lttctl-xen"
N=20            # UST events
INTERVAL_MS=50  # between UST events: N x INTERVAL_MS = 1 s

if [ -z "${MERGE_UST_NS:-}" ]; then
	"$TOP/mk/deps.sh" lttng-tools liblttng-ust-dev babeltrace2 python3-bt2 ||
		die "cannot install LTTng-UST, lttng-tools and babeltrace2 (mk/deps.sh above)"
	need_exec "$SIM" "$LTTCTL" "$BUILD/bin/lttd-xen"
	echo "== the UST application (provider merge_ust)"
	test_program merge-ust-app
	if [ "$(id -u)" -eq 0 ]; then
		unshare --mount --propagation private true ||
			die "cannot make a private mount namespace (unshare --mount): the test needs one to run its own root lttng-sessiond beside any other"
		trap - EXIT
		MERGE_UST_NS=1 exec unshare --mount --propagation private -- sh "$0" "$@"
	fi
fi

export LTTNG_HOME="$PWD/lttng-home"
mkdir -p "$LTTNG_HOME"
if [ "$(id -u)" -eq 0 ]; then
	echo "== private /run/lttng and /dev/shm (mount namespace)"
	mkdir -p /run/lttng
	mount -t tmpfs -o mode=0755 lttng-xen-test /run/lttng ||
		die "cannot mount a tmpfs on /run/lttng"
	mount -t tmpfs -o mode=1777 lttng-xen-test /dev/shm ||
		die "cannot mount a tmpfs on /dev/shm"
	rundir=/run/lttng
else
	rundir="$LTTNG_HOME/.lttng"
fi
export LTTNG_XEN_HOME="$PWD/xen-home"
unset LTTNG_XEN_TRANSPORT LTTD_XEN
# Under load, give the application time to register with the daemon.
export LTTNG_UST_REGISTER_TIMEOUT=20000

sessiond_pid=
at_exit 'kill_pidfile "$LTTNG_XEN_HOME/lttd-xen.pid"'
stop_sessiond()
{
	lttng destroy --all >/dev/null 2>&1
	kill "$sessiond_pid" 2>/dev/null
	i=0
	while kill -0 "$sessiond_pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$sessiond_pid" 2>/dev/null
}
at_exit '[ -z "$sessiond_pid" ] || stop_sessiond'

# lttng ARGS...: the lttng CLI, shown, and fail the test if it fails.
lttng_do()
{
	echo "\$ lttng $*"
	timeout 60 lttng "$@" >lttng.out 2>&1
	rc=$?
	indent lttng.out
	[ $rc -eq 0 ] || die "lttng $* exited with $rc"
}

echo "== our own lttng-sessiond (run directory $rundir)"
if [ -e "$rundir/lttng-sessiond.pid" ]; then
	die "$rundir already has a session daemon: not ours to use"
fi
lttng-sessiond --daemonize --no-kernel >sessiond.log 2>&1 || {
	cat sessiond.log
	die "lttng-sessiond --daemonize failed"
}
sessiond_pid=$(cat "$rundir/lttng-sessiond.pid" 2>/dev/null) ||
	die "lttng-sessiond wrote no $rundir/lttng-sessiond.pid"
echo "lttng-sessiond pid $sessiond_pid"

t0=$(date +%s%N)
lttng_do create merge-ust --output "$PWD/ust-trace"
lttng_do enable-event --userspace merge_ust:tick
lttng_do start

echo "== the simulated hypervisor, traced by lttctl-xen / lttd-xen"
sim_start sim --cpus 2 --events 0 --rate 2000 --nested-rate 100
timeout 60 "$LTTCTL" --transport "sim:$sim_sock" start \
	--output "$PWD/xen-trace" >lttctl.out 2>&1 || {
	cat lttctl.out
	die "lttctl-xen start failed"
}
cat lttctl.out

echo "== $N UST events, ${INTERVAL_MS} ms apart, while the hypervisor runs"
sleep 0.3
timeout 60 "$TEST_BIN/merge-ust-app" $N $INTERVAL_MS >app.out 2>&1 || {
	cat app.out
	die "merge-ust-app failed"
}
cat app.out
sleep 0.3

echo "== stop both"
timeout 90 "$LTTCTL" stop >lttctl.out 2>&1 || {
	cat lttctl.out
	die "lttctl-xen stop failed"
}
cat lttctl.out
lttng_do stop
lttng_do destroy merge-ust
sim_stop
t1=$(date +%s%N)

echo "== the lttng-xen clock"
sed -n '/^clock {/,/^};/p' xen-trace/metadata
grep '^[[:space:]]*tracer_name' xen-trace/metadata

echo "== babeltrace2 ust-trace xen-trace"
babeltrace2 "$PWD/ust-trace" "$PWD/xen-trace" >merged.txt 2>merged.err
rc=$?
echo "exit $rc, $(wc -l <merged.txt) events, $(wc -l <merged.err) lines on stderr"
if [ $rc -ne 0 ] || [ -s merged.err ]; then
	indent merged.err | head -40
	[ $rc -eq 0 ] || die "babeltrace2 could not read the two traces together"
	grep -qi 'clock' merged.err &&
		die "babeltrace2 complained about the clocks"
	die "babeltrace2 printed errors or warnings"
fi
nust=$(grep -c ' merge_ust:tick: ' merged.txt)
[ "$nust" -eq $N ] || die "babeltrace2 printed $nust merge_ust:tick events, not $N"
head -n 1 merged.txt | grep -q ' merge_ust:tick: ' &&
	die "the merged output starts with a UST event"
tail -n 1 merged.txt | grep -q ' merge_ust:tick: ' &&
	die "the merged output ends with a UST event"
# The first clock babeltrace2 meets sets the rule for the others: the
# other order must merge as well.
babeltrace2 "$PWD/xen-trace" "$PWD/ust-trace" >merged2.txt 2>merged2.err ||
	{ head -20 merged2.err; die "babeltrace2 xen-trace ust-trace failed"; }
[ -s merged2.err ] &&
	{ head -20 merged2.err; die "babeltrace2 xen-trace ust-trace printed errors or warnings"; }
[ "$(wc -l <merged2.txt)" -eq "$(wc -l <merged.txt)" ] ||
	die "babeltrace2 xen-trace ust-trace printed $(wc -l <merged2.txt) events, not $(wc -l <merged.txt)"
echo "around the first UST event:"
grep -m 1 -B 2 -A 2 ' merge_ust:tick: ' merged.txt | cut -c 1-150 | indent

echo "== the merged view, event by event (bt2)"
/usr/bin/python3 "$here/merge-check.py" "$PWD/ust-trace" "$PWD/xen-trace" \
	$N "$t0" "$t1" || die "the merged view is wrong (above)"
echo "PASS"
