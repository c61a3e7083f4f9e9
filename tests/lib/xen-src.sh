# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The pinned Xen source, for the tests that read or build it (sourced
# after tests/lib/lib.sh).
#
#   xen_fetch WHAT   Debian's pinned Xen source, fetched once by
#                    mk/xen.sh into $BUILD/xen-src; sets xen_pristine
#                    to its top directory.  Skips the test (77) when apt
#                    cannot provide it, saying that WHAT was not checked.

xen_fetch() {
	xrc=0
	(cd "$TOP" && BUILD=$BUILD mk/xen.sh fetch) || xrc=$?
	xver=$(sed -n 's/^XEN_VERSION=//p' "$TOP/mk/xen.sh")
	[ $xrc -ne 77 ] ||
		skip "Debian's Xen source ($xver) cannot be fetched with apt-get source (mk/xen.sh fetch, above): $1 NOT checked"
	[ $xrc -eq 0 ] || die "fetching Xen's source failed (mk/xen.sh fetch: exit $xrc)"
	xen_pristine=$BUILD/xen-src/xen-$xver
	[ -d "$xen_pristine/xen" ] || die "mk/xen.sh fetch left no $xen_pristine/xen"
}
