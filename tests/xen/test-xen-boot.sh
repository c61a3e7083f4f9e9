#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boot the LTTng-Xen hypervisor (build/xen) under QEMU (TCG, 2 vCPUs) with
# Debian's dom0 kernel and a busybox initramfs, tracing since boot
# ("lttng" on Xen's command line), and run sysctl-smoke.c in dom0: the
# control sysctl, read-only buffer mapping, draining, hostile values,
# CPU hotplug and the VIRQ_TBUF wake-up, against the real hypervisor.
# dom0 reports through QEMU's isa-debug-exit port: 33 passed, 35 failed;
# a crash, a power-off or a hang (timeout) never passes.  Then a boot
# interrupted as Ctrl-C would: QEMU must stop with the script.  Skips
# (77) only if Debian's kernel package cannot be downloaded.
set -eu
scratch=$PWD
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/xen/lib.sh"

xen_boot_prepare xen-privcmd xen-evtchn

# The initramfs: busybox, the privcmd and evtchn modules, the smoke test.
xen_initramfs root xen-privcmd xen-evtchn
xen_test_program root sysctl-smoke
{
	xen_init_base
	xen_exit_code
	cat <<'EOT'
/bin/sysctl-smoke
rc=$?
echo "dom0: sysctl-smoke exit $rc"
xen_exit $rc
EOT
} >root/init
chmod +x root/init
xen_pack root "$initrd"

echo "booting build/xen/xen + $(basename "$vmlinuz") under QEMU (log: $scratch/console.log)"
XEN_CMDLINE=lttng
xen_qemu 300 console.log
rc=$qemu_rc

grep -a -e '^(XEN) lttng' -e '^ok: ' -e '^FAIL: ' -e '^GET_\|^boot, \|^CPU \|^frames\|^VIRQ' \
	-e '^CONFIGURE \|^DESTROY\|^free pages\|^HOLD ' \
	-e 'dom0: ' -e 'Panic' -e 'Xen call trace' console.log || true
case $rc in
33) echo "ok: dom0 ran sysctl-smoke on the LTTng-Xen hypervisor; all checks passed" ;;
35) die "sysctl-smoke failed in dom0 (console: $scratch/console.log)" ;;
124) tail -n 30 console.log >&2; die "timed out after 300 s" ;;
*) tail -n 30 console.log >&2; die "QEMU exited with $rc: Xen or dom0 crashed or powered off early" ;;
esac

# An interrupted boot must not leave QEMU running.  timeout(1) puts
# itself and QEMU in a process group of their own, which a Ctrl-C at the
# terminal (SIGINT to the foreground group) does not reach; lib.sh's
# trap stops them.  Here a boot whose dom0 waits (it would run until
# the timeout) in a session of its own, as a terminal would run it,
# SIGINT to its group once dom0 is up (env
# --default-signal: a background command of this non-interactive shell
# starts with SIGINT ignored, which no trap could then catch).
echo "interrupting a boot as Ctrl-C would: QEMU must stop with it"
mkdir int
cp -a root int/root
{
	xen_init_base
	echo 'echo "dom0: up, waiting"; sleep 600'
} >int/root/init
xen_pack int/root int/initrd.cpio.gz
setsid env --default-signal=INT sh -c 'cd "$1" && . "$TOP/tests/xen/lib.sh" >lib.log 2>&1 &&
	vmlinuz=$2 initrd=$1/initrd.cpio.gz && xen_qemu 300 console.log' \
	sh "$scratch/int" "$vmlinuz" &
leader=$!
i=0
until [ -s int/qemu.pid ] && grep -q '^dom0: up, waiting' int/console.log 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 600 ] || {
		kill -TERM "-$leader" 2>/dev/null
		cat int/lib.log >&2
		tail -n 20 int/console.log >&2
		die "the boot to interrupt did not reach dom0 in 60 s"
	}
	sleep 0.1
done
qgroup=$(cat int/qemu.pid)
pgrep -g "$qgroup" qemu-system >/dev/null ||
	die "no QEMU in process group $qgroup"
kill -INT "-$leader"
rc=0
wait "$leader" || rc=$?
[ "$rc" -eq 130 ] || die "the interrupted boot's shell exited $rc, not 130"
i=0
while pgrep -g "$qgroup" >/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || {
		pgrep -a -g "$qgroup" >&2
		kill -TERM "-$qgroup" 2>/dev/null
		die "QEMU still runs 10 s after the interrupt (stopped now)"
	}
	sleep 0.1
done
echo "ok: the interrupt stopped QEMU (process group $qgroup) within $((i * 100 + 100)) ms"
