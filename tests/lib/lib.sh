# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The shared test library (sourced first by every test, from its scratch
# directory; tests/README.md shows a test written on it).  Needs TOP and
# BUILD, which tests/run exports; sets GEN, GENEVENT and TEST_BIN.  Its
# functions keep their variables local (dash, bash and busybox sh have
# `local`); the globals they set are named below.
#
# Results:
#   fail MSG...            a failed check: "FAIL: MSG", counted in $nfail,
#                          the test goes on; a test with a failed check
#                          never passes, whatever it exits with: the exit
#                          trap makes its status 1 and lists the checks
#   die MSG...             a failure that ends the test (exit 1)
#   skip MSG...            the test cannot run here: exit 77, saying why
#                          (under CI=true tests/run counts it as failed)
#   finish                 the end of a test that counts: "all checks
#                          passed" (exit 0), or exit 1
#   indent [FILE]          FILE (or stdin) indented by "    | "
#   expect_exit [--stdout|--stderr] STATUS PATTERN COMMAND...
#                          COMMAND (at most 120 s) must exit STATUS and
#                          print a line matching PATTERN (grep -E; "" for
#                          any output or none) on stdout or stderr, or on
#                          the one named; a failed check otherwise.  The
#                          output is left in 'out' (stdout then stderr
#                          with a stream named: out.stdout, out.stderr),
#                          the status in $rc.
# Programs:
#   need_exec PATH...      each PATH is an executable, or the test dies
#                          saying which to build
#   test_program NAME...   the test programs NAME (tests/*/*.c), built
#                          by the Makefile as $TEST_BIN/NAME (make check
#                          builds them all first; a test run alone builds
#                          what it needs here)
#   make_var NAME          the Makefile's value of NAME (CC, WARN, ...)
# Waiting and cleaning up:
#   wait_for FILE [SECONDS [PID]]
#                          block until FILE exists (inotifywait on its
#                          directory: no polling), at most SECONDS
#                          (default 30); returns 1, saying why, on a
#                          timeout or when process PID is gone first
#   at_exit COMMAND        run the shell text COMMAND when the test ends,
#                          however it ends (exit, failure, a signal), in
#                          the order given; then wait for the children
#   kill_pidfile FILE [SIGNAL]
#                          kill the process whose pid FILE holds, if any
#   bt_read [--discards] DIR [NAME]
#                          babeltrace2 DIR into NAME.txt and NAME.err
#                          (NAME: DIR); dies unless it reads the whole
#                          trace without a word on stderr (--discards:
#                          but "Tracer discarded N events" warnings)

: "${TOP:?run the tests with tests/run (or make check)}" "${BUILD:?}"
GEN=${GEN:-$BUILD/gen}
GENEVENT=${GENEVENT:-$BUILD/bin/genevent}
TEST_BIN=$BUILD/tests
nfail=0

lx_failed=
fail() {
	echo "FAIL: $*" >&2
	nfail=$((nfail + 1))
	lx_failed="$lx_failed  $*
"
	return 0
}

die() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

finish() {
	echo
	[ "$nfail" -eq 0 ] || exit 1   # lx_exit says which
	echo "all checks passed"
	exit 0
}

indent() {
	sed 's/^/    | /' "$@"
}

expect_exit() {
	local stream='' want pattern where
	case $1 in --stdout | --stderr) stream=${1#--} && shift ;; esac
	want=$1 pattern=$2
	shift 2
	rc=0
	if [ -z "$stream" ]; then
		timeout 120 "$@" >out 2>&1 || rc=$?
		where=out
	else
		timeout 120 "$@" >out.stdout 2>out.stderr || rc=$?
		cat out.stdout out.stderr >out
		where=out.$stream
	fi
	echo "\$ $* -> $rc"
	indent out
	if [ "$rc" -ne "$want" ]; then
		fail "$*: exit $rc, expected $want"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$where"; then
		fail "$*: no '$pattern' in its ${stream:-output}"
	else
		return 0
	fi
	return 1
}

need_exec() {
	local p
	for p in "$@"; do
		[ -x "$p" ] || die "$p is not built (make all)"
	done
}

test_program() {
	local p
	for p in "$@"; do
		make --no-print-directory -s -C "$TOP" BUILD="$BUILD" \
			"$TEST_BIN/$p" ||
			die "cannot build the test program $TEST_BIN/$p (above)"
	done
}

make_var() {
	make --no-print-directory -s -C "$TOP" BUILD="$BUILD" "print-$1"
}

# inotifywait watches FILE's directory for entries made or moved in; it
# is started after each look at FILE, so one made in between would be
# seen only at the next event or after its 1 s timeout, never missed.
wait_for() {
	local file=$1 secs=${2:-30} pid=${3:-} dir end wrc werr
	dir=$(dirname -- "$file")
	end=$(($(date +%s) + secs))
	while [ ! -e "$file" ]; do
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			echo "process $pid ended before $file appeared" >&2
			return 1
		fi
		[ "$(date +%s)" -lt "$end" ] ||
			{ echo "timed out after $secs s waiting for $file" >&2; return 1; }
		if [ ! -d "$dir" ]; then
			wait_for "$dir" "$((end - $(date +%s)))" "$pid" ||
				{ echo "... so $file did not appear" >&2; return 1; }
			continue
		fi
		# Exit 0: an entry made, 2: the timeout, 1: it cannot watch.
		wrc=0
		werr=$(inotifywait -qq -t 1 -e create -e moved_to "$dir" 2>&1) ||
			wrc=$?
		[ $wrc -ne 1 ] || [ ! -d "$dir" ] ||
			die "inotifywait cannot watch $dir: $werr (inotify-tools: make deps-check)"
	done
}

lx_at_exit=
at_exit() {
	lx_at_exit="$lx_at_exit$1
"
}

kill_pidfile() {
	[ -f "$1" ] || return 0
	kill ${2:+"-$2"} "$(cat "$1")" 2>/dev/null || true
}

lx_exit() {
	local code=$? cmd
	trap - EXIT
	set +eu
	while IFS= read -r cmd; do
		[ -z "$cmd" ] || eval "$cmd" || true
	done <<EOF
$lx_at_exit
EOF
	wait 2>/dev/null
	if [ "$nfail" -ne 0 ]; then
		printf '%s check(s) failed:\n%s' "$nfail" "$lx_failed" >&2
		[ "$code" -ne 0 ] && [ "$code" -ne 77 ] || code=1
	fi
	exit "$code"
}
trap lx_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

bt_read() {
	local discards='' dir name
	[ "$1" != --discards ] || { discards=1 && shift; }
	dir=$1 name=${2:-$1}
	babeltrace2 "$dir" >"$name.txt" 2>"$name.err" ||
		{ cat "$name.err" >&2; die "babeltrace2 cannot read $dir"; }
	if [ -n "$discards" ]; then
		grep -Ev '^WARNING: Tracer discarded [0-9]+ events? between ' \
			"$name.err" >"$name.warn" || true
	else
		cp "$name.err" "$name.warn"
	fi
	[ ! -s "$name.warn" ] ||
		{ cat "$name.err" >&2; die "babeltrace2 warned reading $dir (above)"; }
	echo "babeltrace2 read $(wc -l <"$name.txt") events from $dir$([ -z "$discards" ] || echo ", $(wc -l <"$name.err") discard warnings")"
}
