#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress under AddressSanitizer, LeakSanitizer and UndefinedBehavior-
# Sanitizer: the simulator, lttd-xen and lttctl-xen built with them
# ($BUILD/asan), 2 CPUs flat out with nested writers and a clock going
# backwards for 10 s, consumed by lttd-xen through lttctl-xen start/stop.
# Zero reports from every process, and per CPU emitted = read +
# discarded exactly (tests/stress/lib.sh says what is checked).
set -u
. "$TOP/tests/stress/lib.sh"

stress asan '-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all' \
	"ASAN_OPTIONS=log_path=$san/asan:exitcode=66:detect_leaks=1:halt_on_error=1" \
	"UBSAN_OPTIONS=log_path=$san/ubsan:halt_on_error=1:print_stacktrace=1"
