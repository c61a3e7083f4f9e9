# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests that run Debian's xenalyze: xenalyze_get sets $xenalyze
# to the xenalyze of the xen-utils-common that matches the installed Xen
# libraries (libxen-dev), downloaded with apt-get download once and kept
# in $BUILD/xen-boot like the other Debian downloads.  Exits 77 (skip)
# when the package cannot be downloaded, 1 when libxen-dev is missing.
xenalyze_get() {
	ver=$(dpkg-query -W -f='${Version}' libxenmisc4.17 2>/dev/null) || ver=
	[ -n "$ver" ] || { echo "FAIL: libxenmisc4.17 (from libxen-dev) is not installed" >&2; exit 1; }
	dl=$BUILD/xen-boot/xen-utils-common
	if [ ! -f "$dl/$ver.stamp" ]; then
		rm -rf "$dl"
		mkdir -p "$dl"
		(cd "$dl" && apt-get download "xen-utils-common=$ver") >"$dl/download.log" 2>&1 || {
			cat "$dl/download.log" >&2
			echo "SKIP: cannot download xen-utils-common=$ver (xenalyze) with apt-get download" >&2
			exit 77
		}
		dpkg -x "$dl"/xen-utils-common_*.deb "$dl/root"
		touch "$dl/$ver.stamp"
	fi
	xenalyze=$dl/root/usr/bin/xenalyze
	[ -x "$xenalyze" ] || { echo "FAIL: xen-utils-common=$ver has no usr/bin/xenalyze" >&2; exit 1; }
}
