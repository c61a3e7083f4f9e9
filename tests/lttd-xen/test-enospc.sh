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

# Once lttd-xen and the simulator are killed (lib.sh's at_exit, first).
at_exit 'wait; umount small 2>/dev/null || umount -l small'

start_sim
$simctl configure 16384 8 discard

echo "== lttd-xen fills the disk"
lttd_start lttd1 --output small/trace
wait_for small/trace/channel0_1 30 "$lttd_pid" || die "lttd-xen did not start"
$simctl start
lttd_wait lttd1 1
grep -E -q "^lttd-xen: cannot write small/trace/channel0_[01]: No space left on device; the trace is kept up to the last complete packet$" lttd1.err ||
	die "lttd-xen did not say what it could not write, and why"
df -k small | tail -n 1

echo "the cut trace:"
bt_read --discards small/trace bt1
/usr/bin/python3 "$here/sim-check.py" --partial small/trace

echo "== more room: lttd-xen continues the trace"
mount -o remount,size=64m small
lttd_start lttd2 --output small/trace
wait_for sum.json 60 "$sim_pid" || die "the workload did not end"
$simctl stop
lttd_wait lttd2 0
sim_stop

bt_read --discards small/trace bt2
/usr/bin/python3 "$here/sim-check.py" small/trace sum.json
