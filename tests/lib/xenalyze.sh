# SPDX-License-Identifier: GPL-2.0-only
# Debian's xenalyze, for the tests that compare with it (after lib.sh).
#
#   xenalyze_get   sets $xenalyze to the xenalyze of the xen-utils-common
#                  that matches the installed Xen libraries (libxen-dev),
#                  downloaded with apt-get download once and kept in
#                  $BUILD/xen-boot like the other Debian downloads; skips
#                  when apt cannot give it, dies when libxen-dev is missing.
xenalyze_get() {
	ver=$(dpkg-query -W -f='${Version}' libxenmisc4.17 2>/dev/null) || ver=
	[ -n "$ver" ] || die "libxenmisc4.17 (from libxen-dev) is not installed"
	dl=$BUILD/xen-boot/xen-utils-common
	if [ ! -f "$dl/$ver.stamp" ]; then
		rm -rf "$dl"
		mkdir -p "$dl"
		(cd "$dl" && apt-get download "xen-utils-common=$ver") >"$dl/download.log" 2>&1 || {
			indent "$dl/download.log" >&2
			skip "cannot download xen-utils-common=$ver (xenalyze) with apt-get download"
		}
		dpkg -x "$dl"/xen-utils-common_*.deb "$dl/root"
		touch "$dl/$ver.stamp"
	fi
	xenalyze=$dl/root/usr/bin/xenalyze
	[ -x "$xenalyze" ] || die "xen-utils-common=$ver has no usr/bin/xenalyze"
}
