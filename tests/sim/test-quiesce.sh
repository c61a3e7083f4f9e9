#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14, defect 1: no buffer is freed or reset while a writer may be
# inside it.  A writer that stays inside a trace point longer than the
# producer's quiescence deadline (LTTNG_XEN_OP_HOLD, as a descheduled
# vCPU would) makes DESTROY and CONFIGURE fail with EBUSY after the
# deadline, changing nothing (the buffers are still there, the other
# CPU still records); once the writer has left, DESTROY succeeds.  The
# simulator runs the quiescence code Xen runs (tracer/control.c).
set -eu
. "$TOP/tests/sim/lib.sh"

sim_start sim --cpus 2 --events 0 --rate 20000 \
	--nested-rate 1000 --quiesce-ms 300
timeout 60 "$client" quiesce "$sim_sock" 300
kill -0 "$sim_pid"
sim_stop
