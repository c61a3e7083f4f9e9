#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress under ThreadSanitizer: the simulator, lttd-xen and lttctl-xen
# built with it ($BUILD/tsan; RB_SMP_LOCAL=1 makes the ring buffer's
# per-CPU operations full atomics, which TSan models), 2 CPUs flat out
# with nested writers (signal handlers) and a clock going backwards for
# 10 s, consumed by lttd-xen through lttctl-xen start/stop.  Zero reports
# from every process, and per CPU emitted = read + discarded exactly
# (tests/stress/lib.sh says what is checked).
set -u
. "$TOP/tests/stress/lib.sh"

stress tsan '-O1 -g -fsanitize=thread -DRB_SMP_LOCAL=1' \
	"TSAN_OPTIONS=log_path=$san/tsan:exitcode=66:halt_on_error=1:report_signal_unsafe=1"
