#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
# The dom0 workload that tests/xen/test-e2e.sh traces twice, with
# lttng-xen and with xentrace: the same steps in both boots, so that the
# two traces compare (build/e2e/compare.md).  Runs in dom0's busybox
# initramfs, as root, after the Xen modules are loaded and xenfs is
# mounted.
#
# Shell busy loops on both vCPUs, reading and checksumming files, dd to
# tmpfs, sleeps: scheduling, PV hypercalls and page faults, timers and
# event channels; xenstored, dom0's entries (xen-init-dom0) and `xl info`,
# `xl list`, `xl vcpu-list` (Debian's xen-utils-4.17); a PV domU (domain
# 1, when the initramfs has /domu: lib.sh's xen_domu) created with
# `xl create`, its console (xenconsoled) waited for, then `xl destroy`;
# then the same guest as PVH, likewise, twice (domains 2 and 3, when /domu
# has domu-pvh.cfg: lib.sh's xen_domu ROOT pvh; Xen needs HVM support:
# QEMU's -cpu qemu64,+svm,+npt);
# then physical CPU 1 taken offline and back online
# (Debian's xen-hptool) and the busy part again, so that a tracer must
# keep recording CPU 1 after it comes back; last, /bin/pv-trap (trap.c):
# 50 ud2 in a user process, each a #UD that Xen injects into dom0
# (pv:trap, vector 6).
#
# $WORKLOAD_HOOK, if set, is run with a step's name at its edges (the
# lttng-xen boot saves `lttctl-xen status` there).  Exits 0, or 1 if a
# step failed (said on the console as "dom0: workload: FAIL: ...").
set -u
rc=0
say() { echo "dom0: workload: [$(cut -d' ' -f1 /proc/uptime)] $*"; }
hook() { [ -z "${WORKLOAD_HOOK:-}" ] || $WORKLOAD_HOOK "$1" || rc=1; }

busy() { # the busy part, on both dom0 vCPUs at once
	for cpu in 0 1; do
		taskset -c $cpu sh -c '
			i=0
			while [ $i -lt 2000 ]; do i=$((i + 1)); done
			md5sum /bin/busybox /modules/*.ko >/dev/null
			sleep 0.2
			cat /proc/interrupts /proc/meminfo /proc/xen/capabilities >/dev/null
			dd if=/dev/zero of=/tmp/zero.'$cpu' bs=64k count=64 2>/dev/null
			sha256sum /tmp/zero.'$cpu' >/dev/null
			usleep 100000
			i=0
			while [ $i -lt 2000 ]; do i=$((i + 1)); done
			rm /tmp/zero.'$cpu'
		' &
	done
	sleep 0.5
	wait
}

step() { "$@" >/tmp/workload-step.out 2>&1 || { sed 's/^/dom0: workload: /' /tmp/workload-step.out; say "FAIL: $*"; rc=1; return 1; }; }
xen=/usr/lib/xen-4.17/bin

say "xenstored, xen-init-dom0, xl info / list / vcpu-list"
hook xenstore
mkdir -p /var/run/xen /var/run/xenstored /var/lib/xen /var/lib/xenstored \
	/var/log/xen/console /run/lock /etc/xen
: >/etc/xen/xl.conf
step $xen/xenstored --pid-file=/var/run/xenstored.pid
i=0
until $xen/xen-init-dom0 >/tmp/workload-step.out 2>&1; do
	i=$((i + 1))
	[ $i -lt 25 ] || { cat /tmp/workload-step.out; say "FAIL: xen-init-dom0"; rc=1; break; }
	sleep 0.2
done
for c in info list vcpu-list; do
	step $xen/xl $c
	[ $c = info ] || sed 's/^/dom0: xl: /' /tmp/workload-step.out
done
# guest CFG NAME WHAT: xl create CFG, wait for "domU: up" on the guest's
# console, xl destroy NAME.
guest() {
	cfg=$1 name=$2 what=$3
	say "$what: xl create, its console, xl destroy"
	# A guest of the same name before this one left its console's log.
	rm -f "/var/log/xen/console/guest-$name.log"
	hook "$name-create"
	if step $xen/xl -v create "$cfg"; then
		# About 12 s under QEMU TCG (5 s of it unpacking the kernel).
		i=0
		until grep -q 'domU: up' "/var/log/xen/console/guest-$name.log" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 240 ] || { tail -n 20 "/var/log/xen/console/guest-$name.log" | sed "s/^/dom0: $name: /"; say "FAIL: $what did not come up in 120 s"; rc=1; break; }
			sleep 0.5
		done
		grep -a 'domU: up' "/var/log/xen/console/guest-$name.log" | sed "s/^/dom0: $name: /"
		step $xen/xl list
		sed 's/^/dom0: xl: /' /tmp/workload-step.out
		hook "$name-destroy"
		step $xen/xl destroy "$name"
		step $xen/xl list
		! grep -q "^$name " /tmp/workload-step.out || { say "FAIL: $what is still listed after xl destroy"; rc=1; }
	else
		for f in /var/log/xen/*.log /var/log/xen/console/*.log; do
			[ -f "$f" ] && tail -n 20 "$f" | sed "s|^|dom0: $f: |"
		done
	fi
	say "$what: gone"
}
if [ -f /domu/domu.cfg ]; then
	# xenconsoled gives each guest console a pty.
	grep -q ' /dev/pts ' /proc/mounts ||
		{ mkdir -p /dev/pts && mount -t devpts devpts /dev/pts; }
	step $xen/xenconsoled --log=guest --log-dir=/var/log/xen/console
	guest /domu/domu.cfg domu "PV domU"
	# The same guest as PVH (an HVM container: SVM or VMX with HAP),
	# twice: two runs of one guest under one tracer measure how much its
	# figures vary from run to run (tests/analyze/check-e2e.sh).
	if [ -f /domu/domu-pvh.cfg ]; then
		guest /domu/domu-pvh.cfg domu-pvh "PVH domU"
		guest /domu/domu-pvh.cfg domu-pvh "PVH domU, again"
	fi
fi
say "busy loops, checksums, dd on both vCPUs"
hook busy
busy
say "CPU 1 offline, then online (xen-hptool)"
hook before-offline
step $xen/xen-hptool cpu-offline 1
sleep 0.3
step $xen/xen-hptool cpu-online 1
hook after-online
say "busy loops again"
busy
say "50 ud2 traps (pv:trap, vector 6)"
hook trap
step pv-trap 50
sed 's/^/dom0: workload: /' /tmp/workload-step.out
hook end
say "done"
exit $rc
