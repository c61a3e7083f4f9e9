#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# spawn/ (run a program, keep its last line): what lttctl-xen and
# lttng-xen-guest say when a program they run fails must be that
# program's last line or how it ended; a program that prints more than
# is kept must not block, and its last line must survive; the child must
# not inherit the caller's blocked signals.
set -u
. "$TOP/tests/lib/lib.sh"
test_program spawn-run
run=$TEST_BIN/spawn-run

# check NAME WANT-RC WANT-STATUS WANT-LAST -- spawn-run's arguments
check() {
	name=$1 rc=$2 status=$3 last=$4
	shift 5
	timeout 60 "$run" "$@" >got 2>&1 || { cat got; fail "$name: spawn-run exited $?"; return; }
	printf 'rc %s\nstatus %s\nlast [%s]\n' "$rc" "$status" "$last" >want
	if cmp -s want got; then
		echo "ok: $name"
	else
		diff -u want got
		fail "$name"
	fi
}

check "exit 0" 0 "/bin/sh exited 0: fine" "fine" -- /bin/sh -c 'echo fine'
check "exit 3, last line of stderr and stdout" -1 "/bin/sh exited 3: second tab" "second tab" -- \
	/bin/sh -c 'echo first; echo "second	tab" >&2; echo; exit 3'
check "stdout not kept" -1 "/bin/sh exited 1: on stderr" "on stderr" -- --stdout-null \
	/bin/sh -c 'echo on stderr >&2; echo on stdout; exit 1'
check "no output" -1 "/bin/sh exited 4" "" -- /bin/sh -c 'exit 4'
check "killed" -1 "/bin/sh was killed by signal 9" "before" -- \
	/bin/sh -c 'echo before; kill -KILL $$'
check "not found" -1 "/nonexistent exited 127: cannot run /nonexistent: No such file or directory" \
	"cannot run /nonexistent: No such file or directory" -- /nonexistent
check "PATH lookup" 0 "sh exited 0: via PATH" "via PATH" -- --path sh -c 'echo via PATH'
check "no PATH lookup without --path" -1 "sh exited 127: cannot run sh: No such file or directory" \
	"cannot run sh: No such file or directory" -- sh -c 'echo x'
# 1 MB of output, more than a pipe holds and more than is kept: the
# program ends and its last line is the one reported.
check "long output" -1 "/bin/sh exited 2: the end" "the end" -- \
	/bin/sh -c 'i=0; while [ $i -lt 16384 ]; do echo "line $i of sixty-four bytes, padding padding padding pad"; i=$((i + 1)); done; echo the end; exit 2'
# A last line longer than what is kept: its end.
long=$(printf '%0600d' 0)
check "long line" -1 "/bin/sh exited 1: $(printf '%0300d' 0)" "$(printf '%0511d' 0)" -- \
	/bin/sh -c "echo $long; exit 1"
# The caller blocks SIGTERM; the child must be killable with it.
check "signal mask emptied" -1 "/bin/sh was killed by signal 15" "" -- \
	/bin/sh -c 'kill -TERM $$; sleep 5'
finish
