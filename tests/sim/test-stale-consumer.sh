#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14, defect 5: a consumer left over from a destroyed session
# cannot eat the next session's data.  GET_SUBBUF and PUT_SUBBUF carry
# the configuration's generation (GET_INFO); with the first session's,
# they get ESRCH in the second, whose own consumer then reads every
# sub-buffer from position 0.
set -eu
. "$TOP/tests/sim/lib.sh"

sim_start sim --cpus 2 --events 0 --rate 50000 \
	--nested-rate 1000
timeout 60 "$client" stale "$sim_sock"
kill -0 "$sim_pid"
sim_stop
