# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The simulator (lttng-xen-sim) for tests and mk/demo.sh (sourced after
# tests/lib/lib.sh, from the directory the simulator's files go to).
#
#   sim_start NAME ARGS...  lttng-xen-sim ARGS on the socket $PWD/NAME.sock,
#                           its output in NAME.sim.log; returns once it
#                           listens (dies if it exits first or takes more
#                           than 30 s); sets sim_pid, sim_sock, sim_log.
#                           Every simulator still running when the test
#                           ends is killed.  $SIM is the program
#                           (default: $BUILD/bin/lttng-xen-sim).
#   sim_stop                SIGTERM to the last one started: it must exit
#                           0 (after writing its --summary) with no
#                           sanitizer report in its log; a failed check
#                           otherwise (returns 1: under set -e, the end)

SIM=${SIM:-$BUILD/bin/lttng-xen-sim}
sim_pid='' sim_sock='' sim_log=''
lx_sims=
at_exit 'for p in $lx_sims; do kill "$p" 2>/dev/null; done'

sim_start() {
	local name=$1
	shift
	need_exec "$SIM"
	sim_sock=$PWD/$name.sock
	sim_log=$name.sim.log
	"$SIM" --socket "$sim_sock" "$@" >"$sim_log" 2>&1 &
	sim_pid=$!
	lx_sims="$lx_sims $sim_pid"
	wait_for "$sim_sock" 30 "$sim_pid" ||
		{ cat "$sim_log" >&2; die "lttng-xen-sim did not listen on $sim_sock (its log above)"; }
}

sim_stop() {
	local src=0
	kill -TERM "$sim_pid"
	wait "$sim_pid" || src=$?
	lx_sims=$(echo "$lx_sims" | tr ' ' '\n' | grep -vx "$sim_pid" | tr '\n' ' ')
	if [ $src -ne 0 ]; then
		cat "$sim_log" >&2
		fail "lttng-xen-sim exited with $src after SIGTERM (its log above)"
		return 1
	fi
	# A sanitizer build (make BUILD=... CFLAGS=-fsanitize=...) reports here.
	if grep -Eq 'Sanitizer|runtime error' "$sim_log"; then
		grep -E -A 20 'Sanitizer|runtime error' "$sim_log" | head -n 40 >&2
		fail "lttng-xen-sim: sanitizer reports in $sim_log (above)"
		return 1
	fi
}
