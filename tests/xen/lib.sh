# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the tests that boot the LTTng-Xen hypervisor (build/xen)
# under QEMU with Debian's dom0 kernel and a busybox initramfs (sourced;
# run from the scratch directory).
#
#   xen_boot_prepare MODULE...   packages, make xen, Debian's kernel and
#                                the named modules with their dependencies
#                                (skips, 77, if the kernel cannot be had)
#   xen_utils_prepare            Debian's xen-utils-4.17 (xentrace,
#                                xen-hptool, xenstored, xl): $xen_utils
#   xen_domu ROOT [pvh]          a PV domU for the workload (needs
#                                xen_boot_prepare, xen_utils_prepare):
#                                ROOT/domu/ (mk/domu-image.sh: the dom0
#                                kernel again, a busybox initrd,
#                                domu.cfg) and xen_domu_tools; workload.sh
#                                starts and stops it when ROOT/domu is
#                                there; with pvh, the same guest as PVH
#                                too (domu-pvh.cfg; boot with
#                                XEN_QEMU_CPU=qemu64,+svm,+npt)
#   xen_domu_tools ROOT          xenconsoled and libgcc_s.so.1 (for xl)
#   xen_add_utils ROOT PROG...   xen-utils' programs into
#                                ROOT/usr/lib/xen-4.17/bin, with their
#                                libraries and libgcc_s.so.1 (for xl)
#   xen_initramfs ROOT MODULE... busybox, the modules in load order and
#                                ROOT/load-modules, which insmods them
#   xen_add_program ROOT FILE... copy dynamic programs into ROOT/bin with
#                                the shared libraries they need (ldd)
#   xen_test_program ROOT NAME   the static test program NAME (tests/*/*.c,
#                                built by the Makefile) into ROOT/bin
#   xen_workload ROOT            the dom0 workload (workload.sh) as
#                                ROOT/workload, and the program it runs
#   xen_pack ROOT OUT            the initramfs: a gzipped newc cpio
#   xen_qemu SECONDS LOG ARGS... boot $XEN_IMAGE (default build/xen/xen)
#                                + the kernel + $initrd (QEMU TCG, 2
#                                vCPUs, -cpu $XEN_QEMU_CPU, default
#                                qemu64: no HVM; qemu64,+svm,+npt: SVM
#                                with HAP, PVH and HVM guests run;
#                                isa-debug-exit), Xen's command
#                                line + $XEN_CMDLINE, dom0's +
#                                $DOM0_CMDLINE; QEMU's status in
#                                $qemu_rc (124: timeout after SECONDS
#                                times $XEN_QEMU_SLOW, default 1: on a
#                                machine busy with other work, TCG runs
#                                several times slower)
#   xen_qemu_stop                stop the QEMU xen_qemu runs, if one
#                                is running (lib.sh's INT/TERM/HUP
#                                traps call it; a caller whose own EXIT
#                                trap may run while QEMU runs calls it)
#   xen_exit_code                shell text for init: "xen_exit 0|1" ends
#                                the run through isa-debug-exit (QEMU
#                                exits 33 for 0, 35 for anything else);
#                                "xen_mount_out" mounts the host's
#                                directory (QEMU -virtfs ...,mount_tag=out)
#                                on /out over 9p, or ends the run (1)
#   xen_init_base [nomodules]    shell text: the start of any dom0 /init
#                                (busybox, /proc, /sys, /dev, the modules
#                                unless nomodules: /load-modules then)
#   xen_dom0_init [TMPFS-OPTS]   the same, then xenfs, a tmpfs on /tmp
#                                and xen_exit_code
#   xen_dom0_say_fail            shell text: say and fail for a dom0 script
#   xen_dom0_lttng_init          shell text: xen_dom0_init, say and fail,
#                                /out mounted, LTTNG_XEN_HOME in /tmp
#   xen_dom0_trace_out [LOG...]  shell text: $dir to /out/trace, the
#                                logs to /out, xen_exit 0
#   xen_dom0_tools               lttctl-xen and lttd-xen built with the
#                                Xen transport (make all), and the
#                                packages the trace checks need
: "${TOP:?}" "${BUILD:?}"
boot=$BUILD/xen-boot
initrd=initrd.cpio.gz

"$TOP/mk/deps.sh" qemu-system-x86 busybox-static cpio kmod gzip libc6-dev
make --no-print-directory -C "$TOP" BUILD="$BUILD" xen

# Debian's dom0 kernel: the image linux-image-amd64 depends on, once.  The
# package is kept in $boot; from it, the kernel image and, per module
# asked for, its .ko files and their load order ($boot/kernel/NAME.order).
xen_boot_prepare() {
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -n 1)
	[ -n "$pkg" ] || { echo "SKIP: apt knows no linux-image-amd64 to take the dom0 kernel from" >&2; exit 77; }
	mkdir -p "$boot"
	if [ ! -f "$boot/$pkg.stamp" ]; then
		rm -rf "$boot/kernel" "$boot/unpacked" "$boot"/linux-image-*.deb \
			"$boot"/*.stamp
		(cd "$boot" && apt-get download "$pkg") >"$boot/download.log" 2>&1 || {
			cat "$boot/download.log" >&2
			echo "SKIP: cannot download $pkg with apt-get download" >&2
			exit 77
		}
		touch "$boot/$pkg.stamp"
	fi
	missing=
	for m in "$@"; do
		[ -f "$boot/kernel/$m.order" ] || missing="$missing $m"
	done
	if [ -n "$missing" ] || ! ls "$boot"/kernel/vmlinuz-* >/dev/null 2>&1; then
		rm -rf "$boot/unpacked"
		dpkg -x "$boot"/linux-image-*.deb "$boot/unpacked"
		mkdir -p "$boot/kernel"
		cp "$boot"/unpacked/boot/vmlinuz-* "$boot/kernel/"
		kver=$(ls "$boot/unpacked/lib/modules")
		# The package has no modules.dep: make one for modprobe.
		depmod -b "$boot/unpacked" "$kver"
		for m in $missing; do
			modprobe -d "$boot/unpacked" -S "$kver" --show-depends "$m" |
				sed -n 's/^insmod \([^ ]*\).*/\1/p' >"$boot/deps.tmp"
			[ -s "$boot/deps.tmp" ] || { echo "FAIL: $pkg has no module $m" >&2; exit 1; }
			: >"$boot/kernel/$m.order.tmp"
			while read -r ko; do
				cp "$ko" "$boot/kernel/"
				basename "$ko" >>"$boot/kernel/$m.order.tmp"
			done <"$boot/deps.tmp"
			mv "$boot/kernel/$m.order.tmp" "$boot/kernel/$m.order"
		done
		rm -rf "$boot/unpacked" "$boot/deps.tmp"
	fi
	vmlinuz=$(ls "$boot"/kernel/vmlinuz-*)
}

# Debian's xen-utils-4.17, in the version of the libxen* runtime libraries
# installed here with libxen-dev (xen_add_program copies those in), once:
# the package is kept in $boot and unpacked into $boot/xen-utils;
# $xen_utils is its bin directory (xentrace, xen-hptool, xenstored,
# xen-init-dom0, xl).
xen_utils_prepare() {
	ver=$(dpkg-query -W -f='${Version}' libxenmisc4.17 2>/dev/null) || ver=
	[ -n "$ver" ] || { echo "FAIL: libxenmisc4.17 (from libxen-dev) is not installed" >&2; exit 1; }
	mkdir -p "$boot"
	if [ ! -f "$boot/xen-utils-4.17_$ver.stamp" ]; then
		rm -rf "$boot/xen-utils" "$boot"/xen-utils-4.17_*
		(cd "$boot" && apt-get download "xen-utils-4.17=$ver") \
			>"$boot/download-utils.log" 2>&1 || {
			cat "$boot/download-utils.log" >&2
			echo "SKIP: cannot download xen-utils-4.17=$ver with apt-get download" >&2
			exit 77
		}
		dpkg -x "$boot"/xen-utils-4.17_*.deb "$boot/xen-utils"
		touch "$boot/xen-utils-4.17_$ver.stamp"
	fi
	xen_utils=$boot/xen-utils/usr/lib/xen-4.17/bin
}

xen_initramfs() {
	root=$1
	shift
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" \
		"$root/tmp" "$root/modules"
	cp /bin/busybox "$root/bin/"
	: >order.tmp
	for m in "$@"; do
		cat "$boot/kernel/$m.order" >>order.tmp
	done
	# Each .ko once, in the first place it is needed.
	{
		echo '#!/bin/busybox sh'
		awk '!seen[$0]++' order.tmp | while read -r ko; do
			cp "$boot/kernel/$ko" "$root/modules/"
			echo "insmod /modules/$ko || echo \"dom0: insmod $ko failed\""
		done
	} >"$root/load-modules"
	chmod +x "$root/load-modules"
	rm -f order.tmp
}

xen_add_program() {
	root=$1
	shift
	for prog in "$@"; do
		cp "$prog" "$root/bin/"
		# "name => /path (addr)" and "/lib64/ld-linux... (addr)"
		ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				   $1 ~ /^\// { print $1 }' |
		while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}

# xen_test_program ROOT NAME: the test program NAME (tests/*/*.c, a
# static one), built by the Makefile, into ROOT/bin.
xen_test_program() {
	make --no-print-directory -s -C "$TOP" BUILD="$BUILD" "$BUILD/tests/$2"
	cp "$BUILD/tests/$2" "$1/bin/$2"
}

# The shared dom0 workload (workload.sh) as ROOT/workload, with the
# program its trap step runs: 50 ud2 caught as SIGILL, each a #UD that
# Xen injects into dom0 (pv:trap, vector 6).
xen_workload() {
	cp "$TOP/tests/xen/workload.sh" "$1/workload"
	chmod +x "$1/workload"
	xen_test_program "$1" pv-trap
}

# The PV guest of workload.sh: Debian's kernel again (a domU kernel too)
# and a ~1 MB initrd whose init says "domU: up" on its console (hvc0,
# logged by xenconsoled) and idles until dom0 destroys it.
xen_domu() {
	root=$1 pvh=${2:-}
	: "${vmlinuz:?xen_boot_prepare first}" "${xen_utils:?xen_utils_prepare first}"
	cat >domu-init <<'EOT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
echo "domU: up: Linux $(/bin/busybox uname -r), $(/bin/busybox cut -d' ' -f1 /proc/uptime) s after boot, $(/bin/busybox nproc) vCPU"
while :; do /bin/busybox sleep 3600; done
EOT
	"$TOP/mk/domu-image.sh" "$root/domu" "$vmlinuz" domu-init --dir-in-dom0 /domu
	[ "$pvh" = pvh ] || rm "$root/domu/domu-pvh.cfg"
	rm -f domu-init
	xen_domu_tools "$root"
}

# xen_domu_tools ROOT: xl's helpers for guests (xenconsoled, libgcc_s).
xen_domu_tools() {
	xen_add_utils "$1" xenconsoled
}

# xen_add_utils ROOT PROGRAM...: xen-utils' programs (xen_utils_prepare
# first) into ROOT/usr/lib/xen-4.17/bin, where xl and Debian's scripts
# look for them, with their libraries and the libgcc_s.so.1 xl needs.
xen_add_utils() {
	root=$1
	shift
	mkdir -p "$root/usr/lib/xen-4.17/bin"
	for util in "$@"; do
		xen_add_program "$root" "$xen_utils/$util"
		mv "$root/bin/$util" "$root/usr/lib/xen-4.17/bin/"
	done
	# xl aborts at exit without libgcc_s (pthread_cancel loads it).
	mkdir -p "$root/lib/x86_64-linux-gnu"
	cp -L "$(gcc -print-file-name=libgcc_s.so.1)" "$root/lib/x86_64-linux-gnu/"
}

xen_pack() {
	(cd "$1" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$2"
}

# For init scripts: isa-debug-exit makes QEMU exit with (value << 1) | 1.
xen_exit_code() {
	cat <<'EOT'
xen_exit() {
	if [ "$1" -eq 0 ]; then v='\x10'; else v='\x11'; fi
	printf "$v" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	poweroff -f
}
xen_mount_out() {
	mkdir -p /out &&
		mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /out &&
		return 0
	echo "dom0: FAIL: cannot mount the host's directory over 9p on /out"
	xen_exit 1
}
EOT
}

xen_init_base() {
	cat <<'EOT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
EOT
	[ "${1:-}" = nomodules ] || echo /load-modules
}

# xen_dom0_tools: lttctl-xen and lttd-xen built (make all) with the Xen
# transport, and the packages the trace checks need; exits 1 saying why
# when the programs were built without libxen-dev.
xen_dom0_tools() {
	"$TOP/mk/deps.sh" babeltrace2 python3 python3-bt2 libxen-dev
	make --no-print-directory -C "$TOP" BUILD="$BUILD" all
	for p in lttctl-xen lttd-xen; do
		nm "$BUILD/bin/$p" | grep -q ' lx_xen_open$' || {
			echo "FAIL: $BUILD/bin/$p was built without the Xen transport (libxen-dev)" >&2
			exit 1
		}
	done
}

# xen_dom0_say_fail: dom0 script text defining say MSG ("dom0: MSG") and
# fail MSG (says "FAIL: MSG", shows each /tmp/*.out and, once $dir is a
# trace directory, its .lttd-xen.log, then xen_exit 1).
xen_dom0_say_fail() {
	cat <<'EOT'
say() { echo "dom0: $*"; }
fail() {
	say "FAIL: $*"
	for f in /tmp/*.out; do echo "--- $f"; cat "$f"; done
	[ -n "${dir:-}" ] && cat "$dir/.lttd-xen.log"
	xen_exit 1
}
EOT
}

xen_dom0_init() {
	xen_init_base
	echo 'mount -t xenfs xenfs /proc/xen || echo "dom0: no xenfs"'
	echo "mount -t tmpfs ${1:+-o $1 }tmp /tmp"
	xen_exit_code
}

# xen_dom0_lttng_init: dom0 script text, the start of a session with
# lttctl-xen: xen_dom0_init, say and fail, the host's directory on /out,
# LTTNG_XEN_HOME in /tmp.
xen_dom0_lttng_init() {
	xen_dom0_init
	xen_dom0_say_fail
	echo xen_mount_out
	echo 'export LTTNG_XEN_HOME=/tmp/lttng-xen'
}

# xen_dom0_trace_out [LOG...]: dom0 script text, its end: the trace
# directory $dir to /out/trace, /tmp/*.out and LOG (dom0 paths or
# globs) to /out, /out unmounted, xen_exit 0; fail if any of it fails.
xen_dom0_trace_out() {
	cat <<EOT
cp -r "\$dir" /out/trace || fail "cannot copy the trace out over 9p"
cp /tmp/*.out $* /out/ || fail "cannot copy the logs out"
umount /out || fail "umount /out"
say "done"
xen_exit 0
EOT
}

# QEMU runs under timeout(1), which puts itself and QEMU in a process
# group of their own: a Ctrl-C at the terminal reaches neither, and an
# interrupted test, demo or benchmark would leave QEMU burning both CPUs
# until its timeout (up to an hour).  So the running one's group is
# recorded (in a file: the benchmark boots from a background subshell)
# and stopped when the script is interrupted.
xen_qemu_pidfile=$PWD/qemu.pid
xen_qemu_stop() {
	[ -s "$xen_qemu_pidfile" ] || return 0
	kill -TERM "-$(cat "$xen_qemu_pidfile")" 2>/dev/null || true
	rm -f "$xen_qemu_pidfile"
}
trap 'xen_qemu_stop; exit 129' HUP
trap 'xen_qemu_stop; exit 130' INT
trap 'xen_qemu_stop; exit 143' TERM

# shellcheck disable=SC2034 # qemu_rc: read by the caller
xen_qemu() {
	secs=$1
	log=$2
	shift 2
	qemu_rc=0
	timeout "$((secs * ${XEN_QEMU_SLOW:-1}))" qemu-system-x86_64 -accel tcg,thread=multi \
		-cpu "${XEN_QEMU_CPU:-qemu64}" \
		-machine q35 -nographic -m 2048 -smp 2 -no-reboot \
		-kernel "${XEN_IMAGE:-$BUILD/xen/xen}" \
		-append "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all${XEN_CMDLINE:+ $XEN_CMDLINE}" \
		-initrd "$vmlinuz console=hvc0 earlyprintk=xen rdinit=/init${DOM0_CMDLINE:+ $DOM0_CMDLINE},$initrd" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		"$@" </dev/null >"$log" 2>&1 &
	echo $! >"$xen_qemu_pidfile"
	wait $! || qemu_rc=$?
	rm -f "$xen_qemu_pidfile"
}
