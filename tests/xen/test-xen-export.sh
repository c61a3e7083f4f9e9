#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make xen-export` writes the series one would send to xen-devel:
# lttng-xen's sources as a patch, then xen-patches/series.  The exported
# patches apply with `patch -p1` to a plain copy of Debian's pinned Xen
# source, give exactly the tree `make xen` builds (every file they touch
# is the same), and that tree builds with CONFIG_LTTNG=y into a
# hypervisor with LTTng-Xen's entry points (about 2 minutes).
# Skips (77) only when Debian's pinned Xen source cannot be fetched.
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/xen-src.sh"
scratch=$PWD

xen_fetch "the export"
cd "$TOP"

make --no-print-directory BUILD="$BUILD" xen xen-export ||
	die "make xen xen-export"

export_dir=$BUILD/xen-export
tree=$scratch/xen
cp -a "$xen_pristine" "$tree"
chmod -R u+w "$tree"

n=0
while read -r p; do
	n=$((n + 1))
	patch -p1 -N -s -d "$tree" <"$export_dir/$p" >"$scratch/patch.log" 2>&1 || {
		cat "$scratch/patch.log" >&2
		die "exported $p does not apply to a plain Xen tree"
	}
done <"$export_dir/series"
[ "$n" -ge 2 ] || die "the export has $n patches"
if find "$tree" -name '*.rej' -o -name '*.orig' | grep -q .; then
	die "rejects or fuzz: $(find "$tree" -name '*.rej' -o -name '*.orig')"
fi

# Every file the export touches is the file `make xen` builds.
files=$(sed -n 's|^+++ b/\([^	]*\).*|\1|p' "$export_dir"/0*.patch | sort -u)
for f in $files; do
	cmp -s "$tree/$f" "$BUILD/xen-lttng/$f" || {
		diff -u "$BUILD/xen-lttng/$f" "$tree/$f" | head -n 20 >&2
		die "$f differs between the export and the make xen tree (above)"
	}
done
echo "ok: $n exported patches apply and give the make xen tree ($(echo "$files" | wc -l) files)"

obj=$scratch/obj
xmake() {
	make -C "$tree/xen" O="$obj" XEN_TARGET_ARCH=x86_64 \
		PYTHON=/usr/bin/python3 "$@" >>"$scratch/build.log" 2>&1 || {
		tail -n 30 "$scratch/build.log" >&2
		die "make $* in the exported tree"
	}
}
xmake defconfig
echo 'CONFIG_LTTNG=y' >>"$obj/.config"
xmake olddefconfig
grep -qx 'CONFIG_LTTNG=y' "$obj/.config" ||
	die "the exported tree has no CONFIG_LTTNG"
echo "building the exported tree (-j${JOBS:-2}, log: build.log)..."
xmake -j"${JOBS:-2}"
for s in lttng_sysctl __trace_var rb_reserve lttng_xen_control; do
	nm "$obj/xen-syms" | grep -q " $s\$" ||
		die "the exported hypervisor has no $s"
done
echo "ok: the exported tree builds a hypervisor with LTTng-Xen"
