#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make bench-hv` in its quick mode: both builds of the tree (make xen,
# make xen LTTNG=n) booted under QEMU, Xen's debug key 'b'
# (xen/trace-bench.c) pressed from dom0 with tracing off and then on,
# no record lost (hv-dom0.sh checks), and the table complete and sane:
# every shape in both builds and both states, on one CPU and on two,
# every figure positive, a recorded event dearer than a disabled call
# site of the same shape, and every ratio inside its interval.  The
# ratios themselves are not judged here (emulated time on a shared
# machine: bench/xen/README.md).  A few minutes; skips (77) only when
# Debian's kernel or Xen's source cannot be had.
set -u
. "$TOP/tests/lib/lib.sh"

rc=0
BENCH_HV_QUICK=1 BENCH_HV_OUT=$PWD/hv sh "$TOP/bench/xen/hv-run" || rc=$?
[ $rc -ne 77 ] || skip "bench-hv could not get Debian's kernel or Xen's source (above)"
[ $rc -eq 0 ] || die "bench/xen/hv-run (quick) exited $rc"

res=hv/results.csv
rat=hv/ratios.csv
[ -s "$res" ] && [ -s "$rat" ] && [ -s hv/results.md ] ||
	die "no results.csv, ratios.csv or results.md in hv/"

# Complete: every shape the hypervisor knows, for both tracers.
records="0w 1w 1w-var 2w 5w hypercall"
for t in lttng-xen xentrace; do
	for s in $records; do
		for key in "on,$s,1" "on,$s,2" "off,$s,1"; do
			grep -q "^$t,$key," "$res" || fail "$t: no row $key"
		done
	done
	for s in loop empty-call; do
		grep -q "^$t,off,$s,1," "$res" || fail "$t: no row off,$s,1"
	done
	for s in lock-cmpxchg local-cmpxchg rdtsc-ordered irqsave-lock; do
		grep -q "^$t,on,$s,1," "$res" || fail "$t: no primitive $s"
	done
done
# Sane: positive figures in order (min <= p25 <= median <= p75 <= max),
# the quick mode's 5 repetitions per row and CPU.
awk -F, 'NR > 1 {
	n = $3 ~ /^(loop|empty-call)$/ || $2 == "off" ? 5 : 5 * $4
	if (!($9 > 0 && $9 <= $7 && $7 <= $6 && $6 <= $8 && $8 <= $10) || $5 != n) {
		print "FAIL: " $0; bad = 1 }
} END { exit bad }' "$res" || fail "results.csv has rows out of order or with the wrong count (above)"
# A recorded event costs more than a disabled call site of its shape.
for t in lttng-xen xentrace; do
	for s in $records; do
		on=$(awk -F, -v t="$t" -v s="$s" '$1 == t && $2 == "on" && $3 == s && $4 == 1 { print $6 }' "$res")
		off=$(awk -F, -v t="$t" -v s="$s" '$1 == t && $2 == "off" && $3 == s { print $6 }' "$res")
		awk -v a="$on" -v b="$off" 'BEGIN { exit !(a > b) }' ||
			fail "$t $s: recorded $on cycles, not more than disabled $off"
	done
done
# Every ratio inside its bootstrap interval.
awk -F, 'NR > 1 && !($7 <= $6 && $6 <= $8 && $6 > 0) { print "FAIL: " $0; bad = 1 }
	END { exit bad }' "$rat" || fail "ratios.csv: a ratio outside its interval (above)"
grep -q '^| `2w` |' hv/results.md || fail "results.md has no 2w row"

echo "ok so far: bench-hv's quick mode measured both builds; the table is complete and sane"
finish
