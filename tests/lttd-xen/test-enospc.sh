#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttd-xen against a full disk: the trace goes to a 300 KiB tmpfs, so the
# disk fills a few packets in.  lttd-xen must stop with exit 1 and the
# message "cannot write DIR/channel0_N: No space left on device; the trace
# is kept up to the last complete packet", each stream file must end at a
# packet boundary, and babeltrace2 must read what was written.  Then the
# tmpfs grows, lttd-xen is started again in the same directory and
# continues: since it never hands back a sub-buffer it has not written,
# the finished trace holds every event the simulator emitted, in order,
# or counts it as discarded (emitted = read + discarded, per CPU).
set -eu
. "$TOP/tests/lttd-xen/lib.sh"

[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
mkdir small
mount -t tmpfs -o size=300k lttd-enospc small ||
	skip "cannot mount a tmpfs on $SCRATCH/small"

cleanup() {
	[ -n "$lttd_pid" ] && kill "$lttd_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null
	umount small 2>/dev/null || umount -l small
}
trap cleanup EXIT

start_sim
$simctl configure 16384 8 discard

echo "== lttd-xen fills the disk"
"$lttd" --transport "sim:$SCRATCH/sim.sock" --output small/trace \
	> lttd1.out 2> lttd1.err &
lttd_pid=$!
wait_for small/trace/channel0_1
$simctl start
rc=0
wait "$lttd_pid" || rc=$?
lttd_pid=
cat lttd1.out lttd1.err
[ $rc -eq 1 ] || { echo "lttd-xen exited $rc on a full disk, not 1"; exit 1; }
grep -E -q "^lttd-xen: cannot write small/trace/channel0_[01]: No space left on device; the trace is kept up to the last complete packet$" lttd1.err ||
	{ echo "lttd-xen did not say what it could not write, and why"; exit 1; }
df -k small | tail -n 1

babeltrace2 small/trace > bt1.txt 2> bt1.err ||
	{ cat bt1.err; echo "babeltrace2 cannot read the cut trace"; exit 1; }
if grep -v "Tracer discarded" bt1.err | grep -q .; then
	cat bt1.err; echo "babeltrace2 warned about the cut trace"; exit 1
fi
echo "babeltrace2 reads $(wc -l < bt1.txt) events of the cut trace"
/usr/bin/python3 "$here/sim-check.py" --partial small/trace

echo "== more room: lttd-xen continues the trace"
mount -o remount,size=64m small
"$lttd" --transport "sim:$SCRATCH/sim.sock" --output small/trace \
	> lttd2.out 2> lttd2.err &
lttd_pid=$!
wait_for sum.json
$simctl stop
rc=0
wait "$lttd_pid" || rc=$?
lttd_pid=
cat lttd2.out lttd2.err
[ $rc -eq 0 ] || { echo "the restarted lttd-xen exited $rc"; exit 1; }
kill "$sim_pid"
wait "$sim_pid" || true
sim_pid=

babeltrace2 small/trace > bt2.txt 2> bt2.err ||
	{ cat bt2.err; echo "babeltrace2 cannot read the trace"; exit 1; }
if grep -v "Tracer discarded" bt2.err | grep -q .; then
	cat bt2.err; echo "babeltrace2 warned about more than discards"; exit 1
fi
/usr/bin/python3 "$here/sim-check.py" small/trace sum.json
