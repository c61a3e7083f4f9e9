#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A minimal domU for `xl create`: a copy of a PV-capable Linux kernel
# (Debian's dom0 kernel is one, with CONFIG_XEN_PVH too), a busybox
# initramfs with an init script of the caller's and any static programs,
# and two xl configurations of the same guest: PV, and PVH (an HVM
# container started at the kernel's PVH entry point: no device model, but
# it needs hardware virtualisation: SVM or VMX, with HAP).
#
# Usage: mk/domu-image.sh OUTDIR KERNEL INIT [--dir-in-dom0 DIR] [PROGRAM...]
#   OUTDIR   written: vmlinuz, initrd.cpio.gz, domu.cfg (PV), domu-pvh.cfg
#   KERNEL   the guest kernel image
#   INIT     the guest's /init (a busybox sh script; /bin/sh is busybox)
#   --dir-in-dom0 DIR
#            where dom0 will find OUTDIR (domu.cfg names the kernel and
#            the initramfs there); default: OUTDIR
#   PROGRAM  static programs for the guest's /bin
# The domain is "domu" (PV) or "domu-pvh" (PVH), 1 vCPU, 128 MiB, no disk
# or network, its console on hvc0; it is destroyed when it powers off or
# crashes.
# Needs a static busybox (Debian: busybox-static), cpio and gzip.
set -eu
usage() { echo "usage: mk/domu-image.sh OUTDIR KERNEL INIT [--dir-in-dom0 DIR] [PROGRAM...]" >&2; exit 2; }
[ $# -ge 3 ] || usage
out=$1 kernel=$2 init=$3
shift 3
dir=$out
if [ "${1:-}" = --dir-in-dom0 ]; then
	[ $# -ge 2 ] || usage
	dir=$2
	shift 2
fi
die() { echo "domu-image: cannot build the domU image: $*" >&2; exit 1; }
[ -r "$kernel" ] || die "cannot read the kernel $kernel"
[ -r "$init" ] || die "cannot read the init script $init"
busybox=$(command -v busybox) || die "no busybox (Debian package busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked; the guest has no libraries (Debian package busybox-static)"
fi

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/dev" "$tmp/sys" "$tmp/tmp"
cp "$busybox" "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
cp "$init" "$tmp/init"
chmod +x "$tmp/init"
for p in "$@"; do
	cp "$p" "$tmp/bin/" || die "cannot copy $p"
done
(cd "$tmp" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$out/initrd.cpio.gz" ||
	die "cpio or gzip failed"
cp "$kernel" "$out/vmlinuz"
for type in pv pvh; do
	name=domu
	cfg=domu.cfg
	[ $type = pv ] || { name=domu-$type; cfg=domu-$type.cfg; }
	cat >"$out/$cfg" <<EOT
name = "$name"
type = "$type"
kernel = "$dir/vmlinuz"
ramdisk = "$dir/initrd.cpio.gz"
cmdline = "console=hvc0 rdinit=/init"
memory = 128
vcpus = 1
vif = []
disk = []
on_poweroff = "destroy"
on_crash = "destroy"
EOT
done
