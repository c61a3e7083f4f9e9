#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The dom0 side of `make bench-guest-ab`: the same microbench modes in
# PV domUs of two kernels in turn, inside one boot: the traced guest
# kernel (make linux; its domU image in /domu-lttng) and the same
# configuration without linux-patches/ (/domu-plain), so that a slow or
# fast period of the host falls on both figures of a pair.  In pair p
# each mode runs in both domUs back to back, the traced one first when
# p is odd, second when it is even.
#
# Usage: ab-dom0.sh PAIRS ROWS MODE:ARG...
#   PAIRS    pairs per mode
#   ROWS     appended: "ab: row MODE PAIR KERNEL VALUE" per run
#   MODE:ARG a microbench mode and its argument (syscall:100000)
#
# The images: $AB_DOMU_ROOT/domu-lttng/domu.cfg and .../domu-plain/ (the
# root directory by default).  Needs on PATH: domu-run and xenstore-up
# (bench/xen/), xl.  Progress as
# "bench-ab: " lines; exit 0 when every run measured, 1 at the first
# failure, said as "bench-ab: FAIL: ...".
set -u
[ $# -ge 3 ] || { echo "usage: ab-dom0.sh PAIRS ROWS MODE:ARG..." >&2; exit 2; }
pairs=$1 rows=$2
shift 2
say() { echo "bench-ab: $*"; }
fail() { say "FAIL: $*"; exit 1; }
droot=${AB_DOMU_ROOT:-}
for k in lttng plain; do
	[ -r "$droot/domu-$k/domu.cfg" ] ||
		fail "no domU image of the $k kernel ($droot/domu-$k/domu.cfg)"
done
p=1
while [ "$p" -le "$pairs" ]; do
	if [ $((p % 2)) -eq 1 ]; then order="lttng plain"; else order="plain lttng"; fi
	for ma in "$@"; do
		mode=${ma%%:*} arg=${ma#*:}
		for k in $order; do
			v=$(DOMU_CFG=$droot/domu-$k/domu.cfg domu-run "$mode" "$arg") ||
				fail "pair $p: microbench $mode $arg in the $k kernel's domU (above)"
			v=${v#VALUE }
			echo "ab: row $mode $p $k $v" >>"$rows" || fail "cannot append to $rows"
			say "pair $p/$pairs: $mode $arg, $k kernel: $v"
		done
	done
	p=$((p + 1))
done
