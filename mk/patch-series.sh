# SPDX-License-Identifier: GPL-2.0-only
# A patch series (a folder with a series file and the patches it names),
# for mk/xen.sh and mk/linux.sh, which source this after defining die().
#
#   series_files DIR   the patches DIR/series names, in order: the
#                      series' identity (a missing patch is an error)
#   patched_paths PATCH...
#                      the files those patches create, change or delete
#   run_progress LOG WHAT COMMAND...
#                      COMMAND with its output in LOG, a step line every
#                      15 s counting the objects built (CC, LD, AS lines);
#                      on failure the errors and LOG's end, then die

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

run_progress() {
	log=$1 what=$2
	shift 2
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		i=0
		while [ $i -lt 15 ] && kill -0 $pid 2>/dev/null; do
			sleep 1
			i=$((i + 1))
		done
		kill -0 $pid 2>/dev/null &&
			step "$what: $(grep -c '^ *\(CC\|LD\|AS\)' "$log" || true) files built..."
	done
	if ! wait $pid; then
		grep -n -m 20 -E 'error|Error|undefined reference' "$log" >&2 || true
		echo "--- last lines of $log:" >&2
		tail -n 30 "$log" >&2
		die "$what failed; full log: $log"
	fi
}
