#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make linux`: the traced guest kernel (Xen PV dom0 and domU) and the
# LTTng modules for it.
#
#   1. fetch   Debian's linux-source-6.1 and lttng-modules-dkms, pinned
#              (apt-get download, unpacked with dpkg -x: nothing is
#              installed on the host), into build/linux-src/, once.
#   2. patch   a copy of the kernel source in build/linux-tree/ with
#              linux-patches/series applied, and of lttng-modules in
#              build/lttng-modules/ with linux-patches/lttng-modules/;
#              redone only when a series or a patch changes.
#   3. import  genevent's Linux output (build/gen/linux/): the
#              TRACE_EVENT headers into the kernel's include/trace/events/,
#              the LTTng probe definitions and their module sources into
#              lttng-modules' tree, with the clock plugin
#              (linux-patches/lttng-clock/, the host's TSC).
#   4. config  x86_64_defconfig + kernel/configs/xen.config +
#              linux-patches/guest.config, then olddefconfig; every option
#              guest.config asks for is checked.
#   5. build   out of tree in build/linux-obj/ (-j$JOBS, through ccache
#              when it is installed: CCACHE_DIR defaults to
#              /var/cache/lttng-xen/ccache, outside the clone), then the
#              LTTng modules against it; the results go to build/linux/:
#              vmlinuz, System.map, config, and modules/ (a root with
#              lib/modules/KVER: the kernel's modules, LTTng's in extra/,
#              modules.dep).  Skipped when nothing it depends on changed.
#
# build-plain: the same kernel without linux-patches/ (step 2 on the
# pristine source, no step 3, the same configuration, no LTTng modules):
# build/linux-plain/, for make bench-xen's guest-plain configuration, the
# baseline that tells what the guest tracepoints cost.  Its tree and
# objects are in build/plain/, laid out as the traced kernel's so that
# ccache serves every file the series does not touch.
#
# Usage: mk/linux.sh [fetch|build|build-plain]
#        (default: build; both builds fetch first)
# Environment: BUILD (default ./build), JOBS (default 2), CCACHE=n to build
# without ccache.
# Exit status: 0 built; 77 a pinned package cannot be had from apt;
# 1 any other failure, with the reason and a log.
set -eu

LINUX_DEB_VERSION=6.1.192-3
LTTNG_MODULES_DEB_VERSION=2.13.9-1+deb12u1
LTTNG_MODULES_VERSION=2.13.9
DEPS="gcc make ccache bc bison flex libssl-dev libelf-dev dwarves xz-utils kmod cpio"

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
jobs=${JOBS:-2}
action=${1:-build}

srcroot=$build/linux-src
pristine=$srcroot/linux-source-6.1
lm_pristine=$srcroot/lttng-modules-$LTTNG_MODULES_VERSION
tree=$build/linux-tree
lmtree=$build/lttng-modules
obj=$build/linux-obj
out=$build/linux
patches=$top/linux-patches
gen=$build/gen/linux

t0=$(date +%s)
step() { printf '[linux %4ss] %s\n' "$(($(date +%s) - t0))" "$*"; }
die() { echo "linux: error: $*" >&2; exit 1; }

# fetch_deb PACKAGE VERSION: the .deb in $srcroot, once; 77 if apt has not it.
fetch_deb() {
	ls "$srcroot/$1_"*.deb >/dev/null 2>&1 && return 0
	step "fetch: apt-get download $1=$2"
	if ! (cd "$srcroot" && apt-get download -q "$1=$2") >"$srcroot/fetch.log" 2>&1; then
		cat "$srcroot/fetch.log" >&2
		echo "linux: cannot fetch $1=$2 with apt-get download (apt-cache policy $1: $(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'))" >&2
		exit 77
	fi
}

do_fetch() {
	if [ -f "$srcroot/.fetched-$LINUX_DEB_VERSION-$LTTNG_MODULES_DEB_VERSION" ]; then
		step "fetch: reusing $srcroot"
		return 0
	fi
	rm -rf "$srcroot"
	mkdir -p "$srcroot"
	fetch_deb linux-source-6.1 "$LINUX_DEB_VERSION"
	fetch_deb lttng-modules-dkms "$LTTNG_MODULES_DEB_VERSION"
	step "fetch: unpacking the kernel source (about 1 GB)"
	dpkg -x "$srcroot"/linux-source-6.1_*.deb "$srcroot/deb"
	tar -C "$srcroot" -xf "$srcroot/deb/usr/src/linux-source-6.1.tar.xz"
	dpkg -x "$srcroot"/lttng-modules-dkms_*.deb "$srcroot/deb-lm"
	mv "$srcroot/deb-lm/usr/src/lttng-modules-$LTTNG_MODULES_VERSION" "$lm_pristine"
	rm -rf "$srcroot/deb" "$srcroot/deb-lm"
	[ -f "$pristine/Makefile" ] || die "the package did not unpack $pristine"
	touch "$srcroot/.fetched-$LINUX_DEB_VERSION-$LTTNG_MODULES_DEB_VERSION"
}

. "$top/mk/patch-series.sh"

# patch_tree PRISTINE TREE SERIES-DIR: TREE = PRISTINE + the series, made
# again only when the series changed.  The copy is of hard links (fast,
# small): patch(1) replaces a file it changes (a new inode), and
# everything that writes into TREE afterwards removes a file first.
patch_tree() {
	files=$(series_files "$3")
	# shellcheck disable=SC2086
	want=$( (cat "$3/series"; [ -z "$files" ] || cat $files) | sha256sum | cut -d' ' -f1)
	if [ -f "$2/.lttng-series" ] && [ "$(cat "$2/.lttng-series")" = "$want" ]; then
		step "patch: $2 is up to date with $(basename "$3")/series"
		return 0
	fi
	step "patch: $2 from the pristine source and $(basename "$3")/series"
	rm -rf "$2.new"
	cp -al "$1" "$2.new"
	for p in $files; do
		if ! patch -p1 -N -s -d "$2.new" <"$p" >"$build/linux-patch.log" 2>&1; then
			cat "$build/linux-patch.log" >&2
			die "$p does not apply"
		fi
		step "patch: applied $(basename "$p")"
	done
	# The copy's files are the pristine ones (same inode, same time)
	# except those a patch changed, which are new.  Against the old
	# tree: a file patched in both alike keeps its old time, and one
	# patched before but not now is touched, so that the out-of-tree
	# objects rebuild exactly what the series changed.
	# shellcheck disable=SC2086
	[ -z "$files" ] || patched_paths $files >"$2.new/.lttng-paths"
	touch "$2.new/.lttng-paths"
	if [ -d "$2" ]; then
		sort -u "$2/.lttng-paths" "$2.new/.lttng-paths" 2>/dev/null |
		while read -r f; do
			[ -e "$2.new/$f" ] || continue
			if cmp -s "$2/$f" "$2.new/$f"; then
				touch -r "$2/$f" "$2.new/$f"
			else
				touch "$2.new/$f"
			fi
		done
	fi
	rm -rf "$2"
	mv "$2.new" "$2"
	echo "$want" >"$2/.lttng-series"
}

# Copy src to dst only when they differ (removing dst first: it may be a
# hard link to the pristine source).
put() {
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" && return 0
	rm -f "$2"
	cp -p "$1" "$2"
}

do_import() {
	[ -d "$gen/include/trace/events" ] ||
		die "genevent's Linux output is missing ($gen); run 'make gen' first"
	step "import: genevent's TRACE_EVENT headers and LTTng probes"
	: >"$build/linux-imported.new"
	for f in "$gen"/include/trace/events/*.h; do
		put "$f" "$tree/include/trace/events/$(basename "$f")"
		echo "$tree/include/trace/events/$(basename "$f")" >>"$build/linux-imported.new"
	done
	for f in "$gen"/lttng/instrumentation/events/*.h; do
		put "$f" "$lmtree/include/instrumentation/events/$(basename "$f")"
		echo "$lmtree/include/instrumentation/events/$(basename "$f")" >>"$build/linux-imported.new"
	done
	for f in "$gen"/lttng/probes/*.c; do
		put "$f" "$lmtree/src/probes/$(basename "$f")"
		echo "$lmtree/src/probes/$(basename "$f")" >>"$build/linux-imported.new"
	done
	# What an earlier import brought and genevent no longer writes (a
	# facility removed or renamed) goes.
	if [ -f "$build/linux-imported" ]; then
		sort "$build/linux-imported.new" >"$build/linux-imported.sorted"
		sort "$build/linux-imported" | comm -23 - "$build/linux-imported.sorted" |
			while read -r f; do rm -f "$f"; done
		rm -f "$build/linux-imported.sorted"
	fi
	mv "$build/linux-imported.new" "$build/linux-imported"
	# The probe modules join lttng-modules' own list.
	kbuild=$lmtree/src/probes/Kbuild
	if ! grep -q 'lttng-xen guest probes' "$kbuild"; then
		{
			cat "$kbuild"
			echo "# lttng-xen guest probes (genevent, mk/linux.sh)"
			echo "include \$(src)/Kbuild.lttng-xen"
		} >"$kbuild.new"
		rm -f "$kbuild"
		mv "$kbuild.new" "$kbuild"
	fi
	put "$gen/lttng/probes/Kbuild.lttng-xen" "$lmtree/src/probes/Kbuild.lttng-xen"
	# The clock plugin (the host's TSC), a folder of lttng-modules' too.
	for f in "$patches"/lttng-clock/*; do
		put "$f" "$lmtree/src/lttng-xen-clock/$(basename "$f")"
	done
	kbuild=$lmtree/src/Kbuild
	if ! grep -q 'lttng-xen clock plugin' "$kbuild"; then
		{
			cat "$kbuild"
			echo "# lttng-xen clock plugin (linux-patches/lttng-clock, mk/linux.sh)"
			echo "obj-\$(CONFIG_LTTNG) += lttng-xen-clock/"
		} >"$kbuild.new"
		rm -f "$kbuild"
		mv "$kbuild.new" "$kbuild"
	fi
}

kmake() {
	make -C "$tree" O="$obj" "$@"
}

do_config() {
	mkdir -p "$obj"
	want=$(cat "$tree/arch/x86/configs/x86_64_defconfig" \
		"$tree/kernel/configs/xen.config" "$patches/guest.config" |
		sha256sum | cut -d' ' -f1)
	if [ -f "$obj/.config" ] && [ -f "$obj/.lttng-config" ] &&
	   [ "$(cat "$obj/.lttng-config")" = "$want" ]; then
		step "config: $obj/.config is up to date"
		return 0
	fi
	step "config: x86_64_defconfig + xen.config + linux-patches/guest.config"
	log=$obj/config.log
	{
		kmake x86_64_defconfig &&
		(cd "$obj" && "$tree/scripts/kconfig/merge_config.sh" -m .config \
			"$tree/kernel/configs/xen.config" "$patches/guest.config") &&
		kmake olddefconfig
	} >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "configuration failed (log: $log)"; }
	# Every option guest.config sets must hold (Kconfig drops what it
	# cannot satisfy, silently).
	bad=
	for opt in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=[ym]$/\1/p' "$patches/guest.config"); do
		grep -q "^$opt=[ym]$" "$obj/.config" || bad="$bad $opt"
	done
	[ -z "$bad" ] || die "the configuration lacks$bad (dependencies not met; log: $log)"
	echo "$want" >"$obj/.lttng-config"
}

# ccache (one of DEPS, so asked for after mk/deps.sh has run: on a new
# machine it is installed by then), unless CCACHE=n, with its cache
# outside the clone: cc holds the make argument.
cc=
ccache_setup() {
	[ "${CCACHE:-y}" != n ] && command -v ccache >/dev/null 2>&1 || return 0
	export CCACHE_DIR="${CCACHE_DIR:-/var/cache/lttng-xen/ccache}"
	# Paths below the clone are hashed relative to it: another clone
	# (CI's fresh one) hits the same cache.
	export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$top}"
	mkdir -p "$CCACHE_DIR"
	cc="CC=ccache gcc"
}

# Everything the kernel build depends on besides the pristine source.
kernel_inputs() {
	{
		cat "$tree/.lttng-series" "$obj/.lttng-config"
		sed -n '/^# --- kernel inputs/,/^# --- end/p' "$0"
		[ "$action" = build-plain ] || cat "$gen"/include/trace/events/*.h
	} | sha256sum | cut -d' ' -f1
}

lm_inputs() {
	{
		kernel_inputs
		cat "$lmtree/.lttng-series"
		find "$gen/lttng" "$patches/lttng-clock" -type f | sort | xargs cat
	} | sha256sum | cut -d' ' -f1
}

# --- kernel inputs (a change here rebuilds the kernel)
do_build_kernel() {
	inputs=$(kernel_inputs)
	if [ -f "$obj/.lttng-inputs" ] && [ "$(cat "$obj/.lttng-inputs")" = "$inputs" ] &&
	   [ -f "$out/vmlinuz" ]; then
		step "build: the kernel is up to date ($out/vmlinuz)"
		return 0
	fi
	rm -f "$obj/.lttng-inputs"
	step "build: kernel, bzImage and modules, -j$jobs${cc:+, ccache in $CCACHE_DIR} (log: $obj/build.log)"
	# shellcheck disable=SC2086
	run_progress "$obj/build.log" "build: kernel" \
		kmake -j"$jobs" ${cc:+"$cc"} KBUILD_BUILD_USER=lttng-xen \
		KBUILD_BUILD_HOST=lttng-xen bzImage modules
	kver=$(cat "$obj/include/config/kernel.release")
	rm -rf "$out.new"
	mkdir -p "$out.new/modules"
	kmake INSTALL_MOD_PATH="$out.new/modules" INSTALL_MOD_STRIP=1 \
		modules_install >>"$obj/build.log" 2>&1 ||
		die "modules_install failed (log: $obj/build.log)"
	cp "$obj/arch/x86/boot/bzImage" "$out.new/vmlinuz"
	cp "$obj/System.map" "$out.new/System.map"
	cp "$obj/.config" "$out.new/config"
	echo "$kver" >"$out.new/kernel.release"
	rm -rf "$out"
	mv "$out.new" "$out"
	[ "$action" = build-plain ] || rm -f "$lmtree/.lttng-inputs"
	echo "$inputs" >"$obj/.lttng-inputs"
	step "build: kernel $kver: $out/vmlinuz ($(wc -c <"$out/vmlinuz") bytes)"
}
# --- end

do_build_lttng() {
	inputs=$(lm_inputs)
	kver=$(cat "$out/kernel.release")
	if [ -f "$lmtree/.lttng-inputs" ] && [ "$(cat "$lmtree/.lttng-inputs")" = "$inputs" ]; then
		step "build: the LTTng modules are up to date"
		return 0
	fi
	step "build: LTTng modules $LTTNG_MODULES_VERSION and the guest probes (log: $lmtree/build.log)"
	# shellcheck disable=SC2086
	run_progress "$lmtree/build.log" "build: LTTng modules" \
		make -C "$obj" M="$lmtree/src" -j"$jobs" ${cc:+"$cc"} \
		CONFIG_LTTNG=m modules
	make -C "$obj" M="$lmtree/src" CONFIG_LTTNG=m \
		INSTALL_MOD_PATH="$out/modules" INSTALL_MOD_DIR=extra \
		INSTALL_MOD_STRIP=1 modules_install >>"$lmtree/build.log" 2>&1 ||
		die "installing the LTTng modules failed (log: $lmtree/build.log)"
	depmod -b "$out/modules" "$kver" || die "depmod failed"
	n=$(find "$out/modules/lib/modules/$kver/extra" -name 'lttng-probe-guest_*.ko' | wc -l)
	[ "$n" -gt 0 ] || die "no lttng-probe-guest_*.ko was built (log: $lmtree/build.log)"
	[ -n "$(find "$out/modules/lib/modules/$kver/extra" -name 'lttng-clock-xen-tsc.ko')" ] ||
		die "lttng-clock-xen-tsc.ko was not built (log: $lmtree/build.log)"
	echo "$inputs" >"$lmtree/.lttng-inputs"
	step "build: $(find "$out/modules/lib/modules/$kver/extra" -name '*.ko' | wc -l) LTTng modules, $n of them the guest probes"
}

cd "$top"
case "$action" in
fetch)
	# shellcheck disable=SC2086
	mk/deps.sh $DEPS
	do_fetch
	;;
build)
	# shellcheck disable=SC2086
	mk/deps.sh $DEPS
	ccache_setup
	do_fetch
	patch_tree "$pristine" "$tree" "$patches"
	patch_tree "$lm_pristine" "$lmtree" "$patches/lttng-modules"
	do_import
	do_config
	do_build_kernel
	do_build_lttng
	step "done: $out/vmlinuz, modules in $out/modules (kernel $(cat "$out/kernel.release"))"
	;;
build-plain)
	# shellcheck disable=SC2086
	mk/deps.sh $DEPS
	ccache_setup
	do_fetch
	tree=$build/plain/linux-tree obj=$build/plain/linux-obj out=$build/linux-plain
	empty=$build/plain/no-patches
	mkdir -p "$empty"
	echo "# build-plain: no patches (mk/linux.sh)" >"$empty/series"
	patch_tree "$pristine" "$tree" "$empty"
	do_config
	do_build_kernel
	step "done: $out/vmlinuz without linux-patches/, modules in $out/modules (kernel $(cat "$out/kernel.release"))"
	;;
*)
	die "unknown action '$action' (fetch, build or build-plain)"
	;;
esac
