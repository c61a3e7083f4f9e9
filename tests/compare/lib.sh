# SPDX-License-Identifier: GPL-2.0-only
# Helpers sourced by the lttng-xen-compare tests: fixed inputs.

. "$TOP/tests/sim/lib.sh"
COMPARE="$BUILD/bin/lttng-xen-compare"
need_exec "$COMPARE"

# sim_trace DIR: a lttng-xen trace from the simulator, as sim/README.md
# defines its workload: 2 CPUs x 1000 main-loop events (200 of each of
# pv:hypercall, hw:idle_entry, pv:page_fault, pv:ptwr_emulation,
# pv:math_state_restore) at 10000/s, so each CPU's events span 0.1 s;
# no nested events; 8 x 16 KiB discard buffers hold them all (nothing
# discarded) in 2 packets per CPU.
# sim_trace DIR EVENTS RATE SUBBUF_SIZE NR_SUBBUFS: the same workload
# with other numbers (RATE 0: as fast as possible).
sim_trace() {
	sim_start sim --cpus 2 --events "${2:-1000}" --rate "${3:-10000}" \
		--nested-rate 0 --summary "$1.summary"
	trace_client "$sim_sock" "$1" --until-file "$1.summary" \
		--subbuf-size "${4:-16384}" --nr-subbufs "${5:-8}" --mode discard
	sim_stop
}
