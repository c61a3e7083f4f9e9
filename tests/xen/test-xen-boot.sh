#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boot the LTTng-Xen hypervisor (build/xen) under QEMU (TCG, 2 vCPUs) with
# Debian's dom0 kernel and a busybox initramfs, tracing since boot
# ("lttng" on Xen's command line), and run sysctl-smoke.c in dom0: the
# control sysctl, read-only buffer mapping, draining, hostile values,
# CPU hotplug and the VIRQ_TBUF wake-up, against the real hypervisor.
# dom0 reports through QEMU's isa-debug-exit port: 33 passed, 35 failed;
# a crash, a power-off or a hang (timeout) never passes.  Skips (77)
# only if Debian's kernel package cannot be downloaded.
set -eu
: "${TOP:?}" "${BUILD:?}"
scratch=$PWD
. "$TOP/tests/xen/lib.sh"

xen_boot_prepare xen-privcmd xen-evtchn

# The initramfs: busybox, the privcmd and evtchn modules, the smoke test.
xen_initramfs root xen-privcmd xen-evtchn
gcc -O2 -static -Wall -Wextra -Werror -I"$TOP/include" \
	-o root/bin/sysctl-smoke "$TOP/tests/xen/sysctl-smoke.c"
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
	-e 'dom0: ' -e 'Panic' -e 'Xen call trace' console.log || true
case $rc in
33) echo "ok: dom0 ran sysctl-smoke on the LTTng-Xen hypervisor; all checks passed" ;;
35) echo "FAIL: sysctl-smoke failed in dom0 (console: $scratch/console.log)" >&2; exit 1 ;;
124) tail -n 30 console.log >&2; echo "FAIL: timed out after 300 s" >&2; exit 1 ;;
*) tail -n 30 console.log >&2; echo "FAIL: QEMU exited with $rc: Xen or dom0 crashed or powered off early" >&2; exit 1 ;;
esac
