#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make xen`: build the Xen hypervisor with lttng-xen in it.
#
#   1. fetch   Debian's Xen source, pinned (apt-get source), into
#              build/xen-src/ once; enables deb-src in apt if needed.
#   2. patch   copy it to build/xen-lttng/ and apply xen-patches/series;
#              redone only when the series or a patch changes.
#   3. import  copy our sources into that tree (import_pairs): the ring
#              buffer, the tracer, the Xen host (xen/), the shared headers
#              and genevent's output (Xen's source is never committed
#              here; xen-patches/ only hooks them into Xen's own files).
#   4. config  defconfig, then CONFIG_LTTNG=y and CONFIG_LTTNG_SELFTEST=y
#              (the HOLD operation the tests use; LTTNG=n: both unset).
#              CONFIG_LTTNG defaults to n: a plain defconfig keeps
#              xentrace.
#   5. build   out of tree, build/xen-obj/<lttng|nolttng>/, then copy
#              xen, xen.gz, xen-syms and .config to build/xen/ (LTTNG=n:
#              build/xen-nolttng/).
#
# Usage: mk/xen.sh [fetch|build|export]   (default: build, which fetches
# first; export: build/xen-export/, the series with lttng-xen's sources
# as patches for a plain Xen tree)
# Environment: BUILD (default ./build), LTTNG=y|n, JOBS (default 2),
# XEN_PATCHES (default xen-patches/: a series and its patches).
# Exit status: 0 built; 77 the pinned source cannot be fetched (no apt
# source for it); 1 any other failure, with the reason and a log.
set -eu

XEN_VERSION=4.17.5+72-g01140da4e8
XEN_DEB_VERSION=$XEN_VERSION-1
DEPS="gcc make python3 bison flex dpkg-dev xz-utils lsb-release"

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
lttng=${LTTNG:-y}
jobs=${JOBS:-2}
action=${1:-build}

srcroot=$build/xen-src
pristine=$srcroot/xen-$XEN_VERSION
tree=$build/xen-lttng
patches=${XEN_PATCHES:-$top/xen-patches}
gen=$build/gen/xen

case "$lttng" in
y) cfg=lttng out=$build/xen ;;
n) cfg=nolttng out=$build/xen-nolttng ;;
*) echo "xen: LTTNG must be y or n, not '$lttng'" >&2; exit 1 ;;
esac
obj=$build/xen-obj/$cfg

t0=$(date +%s)
step() { printf '[xen %4ss] %s\n' "$(($(date +%s) - t0))" "$*"; }
die() { echo "xen: error: $*" >&2; exit 1; }

# Root for apt, or sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root (or sudo) to run: $*"
	fi
}

have_source() {
	apt-cache showsrc xen 2>/dev/null |
		grep -qx "Version: $XEN_DEB_VERSION"
}

# Turn on deb-src for Debian's main archive, once.  Handles the deb822
# format (debian.sources) and the classic one-line format.
enable_deb_src() {
	changed=
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -q 'deb.debian.org/debian' "$f" || continue
		if grep -q '^Types: deb$' "$f"; then
			as_root sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
			changed=1
		fi
	done
	f=/etc/apt/sources.list
	if [ -f "$f" ] && grep -q '^deb http' "$f"; then
		grep '^deb http' "$f" | sed 's/^deb /deb-src /' |
		while read -r line; do
			grep -qxF "$line" "$f" || echo "$line"
		done >"$build/.deb-src.new"
		if [ -s "$build/.deb-src.new" ]; then
			as_root sh -c "cat '$build/.deb-src.new' >>'$f'"
			changed=1
		fi
		rm -f "$build/.deb-src.new"
	fi
	[ -n "$changed" ] && step "enabled deb-src in apt's sources"
	as_root apt-get update -qq ||
		die "apt-get update failed after enabling deb-src"
}

do_fetch() {
	if [ -f "$srcroot/.fetched" ] && [ -d "$pristine/xen" ]; then
		step "fetch: reusing $pristine"
		return 0
	fi
	# shellcheck disable=SC2086
	mk/deps.sh $DEPS
	if ! have_source; then
		step "fetch: xen $XEN_DEB_VERSION not in apt's source index; enabling deb-src"
		mkdir -p "$build"
		enable_deb_src
	fi
	if ! have_source; then
		echo "xen: cannot fetch Xen's source: apt knows no source package xen=$XEN_DEB_VERSION (apt-cache showsrc xen lists: $(apt-cache showsrc xen 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' '))" >&2
		exit 77
	fi
	step "fetch: apt-get source xen=$XEN_DEB_VERSION into $srcroot"
	rm -rf "$srcroot"
	mkdir -p "$srcroot"
	if ! (cd "$srcroot" &&
	      apt-get source -qq "xen=$XEN_DEB_VERSION") >"$build/xen-fetch.log" 2>&1; then
		tail -n 20 "$build/xen-fetch.log" >&2
		echo "xen: apt-get source xen=$XEN_DEB_VERSION failed (log: $build/xen-fetch.log)" >&2
		exit 77
	fi
	[ -d "$pristine/xen" ] ||
		die "apt-get source did not unpack $pristine (log: $build/xen-fetch.log)"
	# Pristine from here on: nothing writes to it; the build copies it.
	# (Files only: directories stay writable so 'make clean' can remove it.)
	find "$pristine" -type f -exec chmod a-w {} +
	touch "$srcroot/.fetched"
}

. "$top/mk/patch-series.sh"

# Apply the series to a fresh copy of the pristine tree in $1.
apply_series() {
	rm -rf "$1"
	cp -a "$pristine" "$1"
	chmod -R u+w "$1"
	for p in $files; do
		step "patch: applying $(basename "$p")"
		if ! patch -p1 -N -s -d "$1" <"$p" >"$build/xen-patch.log" 2>&1; then
			cat "$build/xen-patch.log" >&2
			die "$p does not apply to Xen $XEN_VERSION"
		fi
		if find "$1" -name '*.rej' | grep -q .; then
			die "$p left rejects: $(find "$1" -name '*.rej')"
		fi
	done
}

do_patch() {
	files=$(series_files "$patches")
	# shellcheck disable=SC2086
	want=$( (cat "$patches/series"; cat $files) | sha256sum | cut -d' ' -f1)
	if [ -f "$tree/.lttng-series" ] && [ "$(cat "$tree/.lttng-series")" = "$want" ]; then
		step "patch: $tree is up to date with xen-patches/series"
		return 0
	fi
	if [ ! -f "$tree/.lttng-series" ]; then
		step "patch: fresh copy of the pristine source in $tree"
		apply_series "$tree.new"
		rm -rf "$tree"
		mv "$tree.new" "$tree"
	else
		# Patch a fresh copy, then bring over only the files that differ,
		# so that the object directories rebuild only what changed.
		step "patch: the series changed; updating $tree"
		apply_series "$tree.new"
		# shellcheck disable=SC2086
		for f in $(cat "$tree/.lttng-paths"; patched_paths $files); do
			if [ ! -e "$tree.new/$f" ]; then
				rm -f "$tree/$f"
			elif ! cmp -s "$tree.new/$f" "$tree/$f"; then
				mkdir -p "$(dirname "$tree/$f")"
				cp "$tree.new/$f" "$tree/$f"
			fi
		done
		rm -rf "$tree.new"
	fi
	# shellcheck disable=SC2086
	patched_paths $files >"$tree/.lttng-paths"
	echo "$want" >"$tree/.lttng-series"
}

# Copy src to dst only when they differ, so make rebuilds what changed.
put() {
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" || cp "$1" "$2"
}

# What lttng-xen adds to Xen's tree, as "SOURCE DESTINATION" lines: our
# files (never Xen's source) and genevent's output.  The one list both
# the build (import) and the export use.
import_pairs() {
	l=xen/common/lttng
	for f in ringbuffer/frontend.c ringbuffer/frontend.h \
		 ringbuffer/client-ctf.h ringbuffer/rb-atomic.h \
		 ringbuffer/xen/rb-platform.h \
		 xen/lttng.c tracer/*.c tracer/*.h "$gen"/*.c; do
		echo "$f $l/$(basename "$f")"
	done
	echo "xen/Makefile $l/Makefile"
	# Built with either tracer (xen-patches/0005): the record path's
	# self-benchmark, debug key 'b'.
	echo "xen/trace-bench.c xen/common/trace-bench.c"
	for f in include/lttng-xen/*.h "$gen"/*.h; do
		echo "$f xen/include/lttng-xen/$(basename "$f")"
	done
	# The ABI is also a public header: the sysctl payload is defined by it.
	echo "include/lttng-xen/abi.h xen/include/public/lttng_xen.h"
}

do_import() {
	[ -f "$gen/event-ids.h" ] ||
		die "genevent's output is missing ($gen); run 'make gen' first"
	step "import: ring buffer, tracer, Xen host, headers and generated tracepoints"
	import_pairs | while read -r src dst; do
		put "$src" "$1/$dst"
	done
}

# The series as one would send it to xen-devel: lttng-xen's sources as
# a patch of their own, then xen-patches/series, each patch applying to a
# plain Xen tree (mk/xen.sh export; tests/xen/test-xen-export.sh builds
# the result).
SOURCES_MSG='xen/lttng: LTTng-Xen, a typed tracer in place of xentrace'"'"'s buffers

Add common/lttng/, not built yet (the next patches add the sysctl and
CONFIG_LTTNG):

- frontend.c, frontend.h, client-ctf.h: a lock-less per-CPU ring
  buffer after LTTng'"'"'s (reserve by cmpxchg on the write offset, commit
  counts per sub-buffer, no lock and no interrupt masking on the write
  path), whose sub-buffers are CTF packets; rb-platform.h, its x86
  platform layer (barriers, assertions), and rb-atomic.h, the x86 atomics
  (CPU-local ones without LOCK) it shares with lttng-xen'"'"'s user space.
- control.c: the control operations of public/lttng_xen.h (state
  machine, per-CPU buffers, event selection, the consumer'"'"'s get/put of
  sub-buffers), every input checked, an operation that fails changing
  nothing; probe.c, xentrace-remap.c: the trace points'"'"' record path,
  and xentrace records recorded as their typed events.
- events.c, xentrace-map.c and include/lttng-xen/: generated by
  lttng-xen'"'"'s genevent from its facility files, the one description
  of every event'"'"'s layout.
- lttng.c: the host of that core in Xen: buffers in xenheap pages
  shared read-only with the privileged domains, cross-CPU calls,
  quiescence of the writers before a buffer is reset or freed, the
  CPU notifier, the TSC clock, VIRQ_TBUF wake-ups through a tasklet,
  and the xentrace entry points.
- common/trace-bench.c: the trace record path'"'"'s self-benchmark (debug
  key '"'"'b'"'"'), for either tracer; a later patch builds it.

The ring buffer and the tracer core are the same files lttng-xen
compiles into its user-space simulator and tests.'

do_export() {
	export_dir=$build/xen-export
	work=$build/xen-export-tree
	files=$(series_files "$patches")
	[ -f "$gen/event-ids.h" ] ||
		die "genevent's output is missing ($gen); run 'make gen' first"
	# Only the files the series changes: the patches do not need the rest.
	step "export: the files the series changes, from $pristine, in $work"
	rm -rf "$work" "$export_dir"
	mkdir -p "$work"
	# shellcheck disable=SC2086
	for f in $(patched_paths $files); do
		[ -e "$pristine/$f" ] || continue
		mkdir -p "$(dirname "$work/$f")"
		cp "$pristine/$f" "$work/$f"
	done
	chmod -R u+w "$work"
	g() {
		git -C "$work" -c user.name="${GIT_AUTHOR_NAME:-lttng-xen}" \
			-c user.email="${GIT_AUTHOR_EMAIL:-lttng-xen@localhost}" \
			-c commit.gpgsign=false "$@"
	}
	g init -q
	g add -A -f
	g commit -q -m "Xen $XEN_VERSION (Debian's source package)"
	g tag base
	do_import "$work"
	import_pairs | while read -r src dst; do
		g add -f "$dst"
	done
	g commit -q -m "$SOURCES_MSG"
	for p in $files; do
		g am -q "$p" || die "$p does not apply after the sources patch"
	done
	g format-patch -q --zero-commit --no-signature -o "$export_dir" base..
	(cd "$export_dir" && ls 0*.patch >series)
	step "export: $(wc -l <"$export_dir/series") patches in $export_dir (apply with 'patch -p1' or 'git am', in series order)"
}

xmake() {
	make -C "$tree/xen" O="$obj" XEN_TARGET_ARCH=x86_64 \
		PYTHON=/usr/bin/python3 "$@"
}

# config_has LINES: every line of LINES is a line of the .config.
config_has() {
	echo "$1" | while read -r line; do
		grep -qxF "$line" "$obj/.config" || return 1
	done
}

do_config() {
	mkdir -p "$obj"
	if [ ! -f "$obj/.config" ]; then
		step "config: defconfig in $obj"
		xmake defconfig >"$obj/config.log" 2>&1 ||
			{ tail -n 20 "$obj/config.log" >&2; die "defconfig failed (log: $obj/config.log)"; }
	fi
	# Set explicitly, whatever the defaults (CONFIG_LTTNG's is n).
	if [ "$lttng" = y ]; then
		want='CONFIG_LTTNG=y
CONFIG_LTTNG_SELFTEST=y'
	else
		want='# CONFIG_LTTNG is not set'
	fi
	if ! config_has "$want"; then
		step "config: $(echo "$want" | tr '\n' ' ')"
		sed -i -e '/^CONFIG_LTTNG/d' -e '/^# CONFIG_LTTNG/d' "$obj/.config"
		echo "$want" >>"$obj/.config"
		xmake olddefconfig >>"$obj/config.log" 2>&1 ||
			{ tail -n 20 "$obj/config.log" >&2; die "olddefconfig failed (log: $obj/config.log)"; }
	fi
	grep -qx 'CONFIG_TRACEBUFFER=y' "$obj/.config" ||
		die "CONFIG_TRACEBUFFER is off in $obj/.config; lttng-xen needs it"
	config_has "$want" ||
		die "could not set '$(echo "$want" | tr '\n' ' ')' in $obj/.config (does xen-patches add it?)"
	if [ "$lttng" = n ] && grep -q '^CONFIG_LTTNG' "$obj/.config"; then
		die "could not unset CONFIG_LTTNG in $obj/.config"
	fi
}

# What the build depends on besides the pristine source: the series, the
# imported files, the configuration and this script.
inputs_hash() {
	{
		cat "$tree/.lttng-series"
		echo "LTTNG=$lttng"
		cat "$0"
		find "$tree/xen/common/lttng" "$tree/xen/include/lttng-xen" \
			"$tree/xen/include/public/lttng_xen.h" \
			"$tree/xen/common/trace-bench.c" -type f 2>/dev/null |
			sort | xargs cat
	} | sha256sum | cut -d' ' -f1
}

do_build() {
	log=$obj/build.log
	inputs=$(inputs_hash)
	if [ -f "$obj/.lttng-inputs" ] && [ "$(cat "$obj/.lttng-inputs")" = "$inputs" ] &&
	   [ -f "$out/xen" ] && [ -f "$out/xen-syms" ] && [ -f "$out/xen.gz" ]; then
		step "build: nothing changed since the last build; $out is up to date"
		return 0
	fi
	rm -f "$obj/.lttng-inputs"
	step "build: hypervisor, LTTNG=$lttng, -j$jobs (log: $log)"
	export DEB_VERSION="$XEN_DEB_VERSION+lttng" \
		DEB_MAINTAINER="lttng-xen <lttng-xen@localhost>"
	run_progress "$log" "build: hypervisor" xmake -j"$jobs"
	mkdir -p "$out"
	for f in xen xen.gz xen-syms; do
		[ -f "$obj/$f" ] || die "the build made no $obj/$f"
		put "$obj/$f" "$out/$f"
	done
	put "$obj/.config" "$out/config"
	echo "$inputs" >"$obj/.lttng-inputs"
	step "done: $out/xen ($(wc -c <"$out/xen") bytes), xen.gz, xen-syms (LTTNG=$lttng)"
}

cd "$top"
case "$action" in
fetch)
	do_fetch
	;;
export)
	# shellcheck disable=SC2086
	mk/deps.sh $DEPS git
	do_fetch
	do_export
	;;
build)
	# shellcheck disable=SC2086
	mk/deps.sh $DEPS
	do_fetch
	do_patch
	do_import "$tree"
	do_config
	do_build
	;;
*)
	die "unknown action '$action' (fetch, build or export)"
	;;
esac
