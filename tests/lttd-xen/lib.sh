# SPDX-License-Identifier: GPL-2.0-only
# Helpers sourced by the lttd-xen tests that run the simulator: the
# programs' paths, a loud skip when the simulator is not built, waiting
# for a file, and the standard simulator run.

here="$TOP/tests/lttd-xen"
sim="$BUILD/bin/lttng-xen-sim"
lttd="$BUILD/bin/lttd-xen"
spec="sim:$SCRATCH/sim.sock"
simctl="/usr/bin/python3 $here/simctl.py $SCRATCH/sim.sock"
sim_pid=
lttd_pid=

skip() {
	echo "*** SKIPPED: $* ***" >&2
	exit 77
}
[ -x "$sim" ] || skip "the simulator $sim is not built ('make all')"
[ -x "$lttd" ] || { echo "lttd-xen is not built: $lttd"; exit 1; }

# wait_for FILE: wait up to 20 s for FILE to appear.
wait_for() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -le 200 ] || { echo "timed out waiting for $1"; exit 1; }
		sleep 0.1
	done
}

# start_sim: 2 CPUs, 100000 events each at 100000/s, summary in sum.json;
# sets sim_pid once the socket $SCRATCH/sim.sock is there.
start_sim() {
	"$sim" --socket "$SCRATCH/sim.sock" --cpus 2 --events 100000 \
		--rate 100000 --summary sum.json > sim.log 2>&1 &
	sim_pid=$!
	wait_for "$SCRATCH/sim.sock"
}
