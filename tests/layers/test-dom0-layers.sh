#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The dom0 programs are layered: no two source files of lttctl-xen/,
# lttd-xen/, transport/, ctf-writer/, spawn/ or xentrace-import/ call each other
# (directly or round a loop), no folder calls one its README does not
# name (dom0.rules), and lttctl-xen's verbs never call one another.  Each
# file is compiled on its own; who calls whom is read from the objects'
# symbols (nm) by file-graph.py.
set -eu
. "$TOP/tests/lib/lib.sh"
here="$TOP/tests/layers"
# The Makefile's compiler and warnings (the objects are read, not run).
cc=$(make_var CC)
flags="-O0 $(make_var WARN) -I$TOP/include -I$TOP/ringbuffer
	-I$TOP/ringbuffer/user -I$TOP/transport -I$TOP/ctf-writer -I$TOP/spawn
	-I$GEN/xen"
xen_pkgs="xencontrol xenforeignmemory xenevtchn xenstore"
xen=
# As the Makefile builds it: the Xen transport only with libxen-dev.
if pkg-config --exists $xen_pkgs; then
	xen="-DLX_HAVE_XEN $(pkg-config --cflags $xen_pkgs)"
fi
[ -f "$GEN/xen/event-ids.h" ] || die "no $GEN/xen: run make first"

objs=
for dir in transport ctf-writer spawn lttd-xen lttctl-xen lttng-xen-guest xentrace-import; do
	[ -d "$TOP/$dir" ] || continue
	for src in "$TOP/$dir"/*.c; do
		[ -e "$src" ] || continue
		obj=$(echo "$dir/$(basename "$src" .c)" | sed 's|/|__|g').o
		# shellcheck disable=SC2086 # flag lists
		$cc $flags $xen -I"$TOP/$dir" -c -o "$obj" "$src"
		objs="$objs $obj"
	done
done
# shellcheck disable=SC2086
/usr/bin/python3 "$here/file-graph.py" "$here/dom0.rules" $objs
