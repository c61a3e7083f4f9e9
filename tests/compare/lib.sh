# SPDX-License-Identifier: GPL-2.0-only
# Helpers sourced by the lttng-xen-compare tests: fixed inputs.

. "$TOP/tests/sim/lib.sh"
COMPARE="$BUILD/bin/lttng-xen-compare"
[ -x "$COMPARE" ] || { echo "$COMPARE is not built: run 'make all'" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# sim_trace DIR: a lttng-xen trace from the simulator, as sim/README.md
# defines its workload: 2 CPUs x 1000 main-loop events (200 of each of
# pv:hypercall, hw:idle_entry, pv:page_fault, pv:ptwr_emulation,
# pv:math_state_restore) at 10000/s, so each CPU's events span 0.1 s;
# no nested events; 8 x 16 KiB discard buffers hold them all (nothing
# discarded), in several packets per CPU.
sim_trace() {
	build_client
	start_sim "$SCRATCH/sim.sock" --cpus 2 --events 1000 --rate 10000 \
		--nested-rate 0 --summary summary.json
	trace_client "$SCRATCH/sim.sock" "$1" --until-file summary.json \
		--subbuf-size 16384 --nr-subbufs 8 --mode discard
	stop_sim
}
