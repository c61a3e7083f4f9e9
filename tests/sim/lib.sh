# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the simulator tests (sourced, from the scratch dir), on
# tests/lib: the simulator (sim_start, sim_stop) and the test client.
#
#   trace_client SOCKET DIR ARGS...   sim-client (tests/sim/sim-client.c,
#                                     a minimal consumer on transport/ and
#                                     ctf-writer/) traces into DIR

. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
here=$TOP/tests/sim
need_exec "$SIM"
test_program sim-client
client=$TEST_BIN/sim-client

trace_client() {
	sock=$1 dir=$2
	shift 2
	"$client" trace "$sock" "$dir" "$@"
}
