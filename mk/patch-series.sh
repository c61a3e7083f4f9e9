# SPDX-License-Identifier: GPL-2.0-only
# A patch series (a folder with a series file and the patches it names),
# for mk/xen.sh and mk/linux.sh, which source this after defining die().
#
#   series_files DIR   the patches DIR/series names, in order: the
#                      series' identity (a missing patch is an error)
#   patched_paths PATCH...
#                      the files those patches create, change or delete

series_files() {
	[ -f "$1/series" ] || die "no $1/series"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1/series" |
	while read -r p; do
		[ -f "$1/$p" ] || die "$1/series names $p, which does not exist"
		echo "$1/$p"
	done
}

patched_paths() {
	sed -n -e 's|^+++ b/\([^	]*\).*|\1|p' -e 's|^--- a/\([^	]*\).*|\1|p' "$@" |
		sort -u
}
