# SPDX-License-Identifier: GPL-2.0-only
# Helpers sourced by the lttd-xen tests that run the simulator, on
# tests/lib: the programs' paths, simctl (control operations sent
# straight to the simulator, so that lttd-xen runs in the foreground),
# the standard simulator run, lttd-xen started and waited for.

. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
here=$TOP/tests/lttd-xen
lttd=$BUILD/bin/lttd-xen
spec=sim:$PWD/sim.sock
simctl="/usr/bin/python3 $here/simctl.py $PWD/sim.sock"
lttd_pid=
need_exec "$SIM" "$lttd"
at_exit '[ -z "$lttd_pid" ] || kill "$lttd_pid" 2>/dev/null'

# start_sim: 2 CPUs, 100000 events each at 100000/s, summary in sum.json;
# sets sim_pid once the socket $PWD/sim.sock is there.
start_sim() {
	sim_start sim --cpus 2 --events 100000 --rate 100000 --summary sum.json
}

# lttd_start NAME ARGS...: lttd-xen ARGS on the simulator, in the
# background, its stdout in NAME.out, its stderr in NAME.err; sets
# lttd_pid.
lttd_start() {
	local name=$1
	shift
	"$lttd" --transport "$spec" "$@" >"$name.out" 2>"$name.err" &
	lttd_pid=$!
}

# lttd_wait NAME STATUS: lttd-xen's end; it must exit STATUS.
lttd_wait() {
	local lrc=0
	wait "$lttd_pid" || lrc=$?
	lttd_pid=
	cat "$1.out" "$1.err"
	[ $lrc -eq "$2" ] || die "lttd-xen exited $lrc, not $2"
}
