#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14 ("what xen-devel would refuse"): a domU calling the control
# sysctl gets EPERM for every operation, and Xen stays up.  Boots the
# LTTng-Xen hypervisor (tracing since boot) under QEMU; dom0 starts
# xenstored and xenconsoled and creates a real PV domU (xl create) whose
# init loads privcmd and runs `sysctl-smoke --unprivileged`: each
# operation (GET_INFO, STOP, DESTROY, a CONFIGURE of the largest buffers,
# START, ..., DOMAIN_NAME, HOLD) must answer -EPERM.  Dom0 then reads the
# guest's console, destroys it, and `sysctl-smoke --alive` must find the
# tracer still running, in the generation it had before the domU ran.
# Skips (77) only if Debian's kernel or xen-utils cannot be downloaded.
set -eu
scratch=$PWD
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/xen/lib.sh"

mods="xen-privcmd xen-evtchn xenfs xen-gntdev xen-gntalloc"
# shellcheck disable=SC2086
xen_boot_prepare $mods
# shellcheck disable=SC2086
xen_initramfs root $mods
xen_utils_prepare
xen_add_utils root xenstored xen-init-dom0 xl
xen_test_program root sysctl-smoke

# The domU: Debian's kernel again, privcmd, and sysctl-smoke.
cat >domu-init <<'EOT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox insmod /bin/xen-privcmd.ko || echo "domU: insmod xen-privcmd failed"
echo "domU: up"
/bin/sysctl-smoke --unprivileged 2>&1 | /bin/busybox sed 's/^/domU: /'
echo "domU: done"
while :; do /bin/busybox sleep 3600; done
EOT
for ko in $(cat "$BUILD/xen-boot/kernel/xen-privcmd.order"); do
	cp "$BUILD/xen-boot/kernel/$ko" .
done
[ "$(cat "$BUILD/xen-boot/kernel/xen-privcmd.order")" = xen-privcmd.ko ] ||
	die "xen-privcmd needs other modules in this kernel; the domU's init loads only it"
"$TOP/mk/domu-image.sh" root/domu "$vmlinuz" domu-init --dir-in-dom0 /domu \
	"$BUILD/tests/sysctl-smoke" xen-privcmd.ko
xen_domu_tools root

{
	xen_dom0_init
	cat <<'EOT'
xen=/usr/lib/xen-4.17/bin
say() { echo "dom0: $*"; }
mkdir -p /var/run/xen /var/run/xenstored /var/lib/xen /var/lib/xenstored \
	/var/log/xen/console /run/lock /etc/xen /dev/pts
: >/etc/xen/xl.conf
mount -t devpts devpts /dev/pts
$xen/xenstored --pid-file=/var/run/xenstored.pid || { say "FAIL: xenstored"; xen_exit 1; }
i=0
until $xen/xen-init-dom0 >/tmp/init-dom0.out 2>&1; do
	i=$((i + 1))
	[ $i -lt 25 ] || { cat /tmp/init-dom0.out; say "FAIL: xen-init-dom0"; xen_exit 1; }
	sleep 0.2
done
$xen/xenconsoled --log=guest --log-dir=/var/log/xen/console
sysctl-smoke --alive | sed 's/^/dom0: before: /'
$xen/xl create /domu/domu.cfg >/tmp/create.out 2>&1 || { sed 's/^/dom0: xl: /' /tmp/create.out; say "FAIL: xl create"; xen_exit 1; }
log=/var/log/xen/console/guest-domu.log
i=0
until grep -q 'domU: done' $log 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 480 ] || { say "FAIL: the domU did not finish in 240 s"; break; }
	sleep 0.5
done
grep -a '^domU: ' $log | tr -d '\r'
$xen/xl destroy domu || say "FAIL: xl destroy"
sysctl-smoke --alive | sed 's/^/dom0: after: /'
xen_exit 0
EOT
} >root/init
chmod +x root/init
xen_pack root "$initrd"

echo "booting build/xen/xen, dom0 then a PV domU, under QEMU (log: $scratch/console.log)"
XEN_CMDLINE=lttng
xen_qemu 400 console.log
rc=$qemu_rc
grep -a -e '^dom0: ' -e '^domU: ' -e 'Panic' -e 'Xen call trace' console.log || true
case $rc in
33) ;;
124) tail -n 30 console.log >&2; die "timed out after 400 s" ;;
*) tail -n 30 console.log >&2; die "QEMU exited with $rc: Xen or dom0 crashed, or dom0's init failed" ;;
esac

grep -aq '^domU: up' console.log || die "the domU did not come up"
n=$(grep -ac '^domU: ok: .* from a domU: EPERM' console.log) || n=0
[ "$n" -eq 13 ] || fail "$n of the 13 operations from the domU answered EPERM"
! grep -a '^domU: FAIL' console.log || fail "an operation from the domU did not answer EPERM"
grep -aq '^domU: unprivileged: 0 failures' console.log ||
	fail "sysctl-smoke --unprivileged did not end with 0 failures in the domU"
before=$(sed -n 's/^dom0: before: alive: //p' console.log | tr -d '\r')
after=$(sed -n 's/^dom0: after: alive: //p' console.log | tr -d '\r')
echo "the tracer before the domU: $before; after: $after"
[ -n "$after" ] || fail "the tracer did not answer dom0 after the domU's calls"
case $before in
state=2\ *) ;;
*) fail "the tracer was not running before the domU (booted with lttng): $before" ;;
esac
[ "$before" = "$after" ] ||
	fail "the domU's calls changed the tracer: '$before', then '$after'"
finish
