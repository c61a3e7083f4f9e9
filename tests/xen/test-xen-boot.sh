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
boot=$BUILD/xen-boot
scratch=$PWD

"$TOP/mk/deps.sh" qemu-system-x86 busybox-static cpio kmod gzip libc6-dev
make --no-print-directory -C "$TOP" BUILD="$BUILD" xen

# Debian's dom0 kernel: the image linux-image-amd64 depends on, once.
mkdir -p "$boot"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -n 1)
[ -n "$pkg" ] || { echo "SKIP: apt knows no linux-image-amd64 to take the dom0 kernel from" >&2; exit 77; }
# Kept: the package, the kernel image and the two modules used here.
if [ ! -f "$boot/$pkg.stamp" ]; then
	rm -rf "$boot/kernel" "$boot/unpacked" "$boot"/linux-image-*.deb \
		"$boot"/*.stamp
	(cd "$boot" && apt-get download "$pkg") >"$boot/download.log" 2>&1 || {
		cat "$boot/download.log" >&2
		echo "SKIP: cannot download $pkg with apt-get download" >&2
		exit 77
	}
	dpkg -x "$boot"/linux-image-*.deb "$boot/unpacked"
	mkdir -p "$boot/kernel"
	cp "$boot"/unpacked/boot/vmlinuz-* "$boot/kernel/"
	find "$boot/unpacked/lib/modules" \
		\( -name xen-privcmd.ko -o -name xen-evtchn.ko \) \
		-exec cp {} "$boot/kernel/" \;
	rm -rf "$boot/unpacked"
	touch "$boot/$pkg.stamp"
fi
vmlinuz=$(ls "$boot"/kernel/vmlinuz-*)
privcmd=$boot/kernel/xen-privcmd.ko
evtchn=$boot/kernel/xen-evtchn.ko

# The initramfs: busybox, the privcmd and evtchn modules, the smoke test.
mkdir -p root/bin root/proc root/sys root/dev
cp /bin/busybox root/bin/
cp "$privcmd" "$evtchn" root/
gcc -O2 -static -Wall -Wextra -Werror -I"$TOP/include" \
	-o root/bin/sysctl-smoke "$TOP/tests/xen/sysctl-smoke.c"
cat >root/init <<'EOT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /xen-privcmd.ko
insmod /xen-evtchn.ko
/bin/sysctl-smoke
rc=$?
echo "dom0: sysctl-smoke exit $rc"
# isa-debug-exit: QEMU exits with (value << 1) | 1.
if [ $rc -eq 0 ]; then v='\x10'; else v='\x11'; fi
printf "$v" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
poweroff -f
EOT
chmod +x root/init
(cd root && find . | cpio -o -H newc 2>/dev/null | gzip) >initrd.cpio.gz

echo "booting build/xen/xen + $(basename "$vmlinuz") under QEMU (log: $scratch/console.log)"
rc=0
timeout 300 qemu-system-x86_64 -accel tcg,thread=multi -cpu qemu64 \
	-machine q35 -nographic -m 2048 -smp 2 -no-reboot \
	-kernel "$BUILD/xen/xen" \
	-append "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all lttng" \
	-initrd "$vmlinuz console=hvc0 earlyprintk=xen rdinit=/init,initrd.cpio.gz" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	</dev/null >console.log 2>&1 || rc=$?

grep -a -e '^(XEN) lttng' -e '^ok: ' -e '^FAIL: ' -e '^GET_\|^boot, \|^CPU \|^frames\|^VIRQ' \
	-e 'dom0: ' -e 'Panic' -e 'Xen call trace' console.log || true
case $rc in
33) echo "ok: dom0 ran sysctl-smoke on the LTTng-Xen hypervisor; all checks passed" ;;
35) echo "FAIL: sysctl-smoke failed in dom0 (console: $scratch/console.log)" >&2; exit 1 ;;
124) tail -n 30 console.log >&2; echo "FAIL: timed out after 300 s" >&2; exit 1 ;;
*) tail -n 30 console.log >&2; echo "FAIL: QEMU exited with $rc: Xen or dom0 crashed or powered off early" >&2; exit 1 ;;
esac
