# SPDX-License-Identifier: GPL-2.0-only
# What the end-to-end tests against the simulator share (after
# tests/lib/lib.sh and tests/lib/sim.sh).
#
#   e2e_sim_prepare   the programs (sets $here, $LTTCTL, $LTTD; lttctl-xen
#                     starts this lttd-xen), babeltrace2, no transport
#                     from the environment, and every lttd-xen a test
#                     started (NAME/lttd-xen.pid) killed at its end
e2e_sim_prepare() {
	here="$TOP/tests/e2e-sim"
	LTTCTL="$BUILD/bin/lttctl-xen"
	LTTD="$BUILD/bin/lttd-xen"
	need_exec "$SIM" "$LTTCTL" "$LTTD"
	command -v babeltrace2 >/dev/null ||
		die "babeltrace2 is not installed (make deps-check)"
	unset LTTNG_XEN_TRANSPORT
	export LTTD_XEN="$LTTD"
	at_exit 'for f in */lttd-xen.pid; do kill_pidfile "$f"; done'
}
