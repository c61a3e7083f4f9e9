#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The dom0 side of `make bench-hv`: Xen's record-path self-benchmark
# (xen/trace-bench.c, debug key 'b') with tracing off, then on, with
# this build's tracer, and its rows kept for the host.  Runs in QEMU's
# busybox dom0 (bench/xen/hv-run) or on a real Xen host.
#
# Usage: hv-dom0.sh TRACER PRESSES ROWS
#   TRACER   lttng (the hypervisor is `make xen`'s) or xentrace (`make
#            xen LTTNG=n`)
#   PRESSES  how many times the key is pressed with tracing on (each
#            press: every shape, trace-bench-reps repetitions)
#   ROWS     appended: the hypervisor's "trace-bench: " lines
#
# Tracing on means what a user gets: lttng-xen's session written to disk
# by lttd-xen (lttctl-xen create --output, start), or Debian's xentrace
# writing its file, all events, with 16 MiB of buffer per CPU for both,
# which holds a whole press: the consumers drain between presses (a
# second's pause).  No record may be lost: a loss would time the cheaper
# path that drops the event, so a lost record fails the run (lttctl-xen
# stop's discarded count; xentrace's lost-records records, counted by
# lttng-xen-import).
#
# Needs on PATH: xl, xenstore-up (bench/xen/), and lttctl-xen and lttd-xen
# or xentrace and lttng-xen-import.  Progress as "bench-hv: " lines; exit
# 0 when every press measured, 1 at the first failure, said as
# "bench-hv: FAIL: ...".
set -u
tracer=$1
presses=$2
rows=$3
PATH=$PATH:/usr/lib/xen-4.17/bin
work=/tmp/bench-hv
say() { echo "bench-hv: [$tracer] $*"; }
fail() {
	say "FAIL: $*"
	for f in "$work"/*.log; do
		[ -s "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
	done
	exit 1
}

case $tracer in
lttng) name=lttng-xen ;;
xentrace) name=xentrace ;;
*) echo "usage: hv-dom0.sh lttng|xentrace PRESSES ROWS" >&2; exit 2 ;;
esac
rm -rf "$work"
mkdir -p "$work" || fail "cannot create $work"
xenstore-up >"$work/xenstore.log" 2>&1 || fail "no xenstored, which xl needs"
# What is in Xen's console ring now is not ours.
xl dmesg -c >/dev/null 2>&1 || fail "xl dmesg -c"

# One press: the handler runs inside the hypercall, so the rows are in
# the console ring when xl returns.
press() { # STATE
	xl debug-keys b >"$work/xl.log" 2>&1 || fail "xl debug-keys b (its output above)"
	xl dmesg -c >"$work/dmesg.txt" 2>&1 || fail "xl dmesg -c"
	grep -a 'trace-bench: ' "$work/dmesg.txt" | sed 's/^.*trace-bench: /trace-bench: /' >"$work/press.txt"
	if grep -q '^trace-bench: FAIL' "$work/press.txt"; then
		grep '^trace-bench: FAIL' "$work/press.txt"
		fail "the hypervisor's benchmark failed (above)"
	fi
	grep -q "^trace-bench: end $name tracing $1 " "$work/press.txt" || {
		tail -n 5 "$work/dmesg.txt"
		fail "no 'trace-bench: end $name tracing $1' line: is this the $tracer build, with debug key 'b'?"
	}
	cat "$work/press.txt" >>"$rows" || fail "cannot write $rows"
	say "$(grep -c '^trace-bench: row' "$work/press.txt") rows, tracing $1 ($(sed -n 's/^trace-bench: end .* after //p' "$work/press.txt"))"
}

press off

case $tracer in
lttng)
	lttctl-xen create hv --output "$work/trace" --subbuf-size 1M \
		--num-subbufs 16 >"$work/create.log" 2>&1 || fail "lttctl-xen create"
	lttctl-xen start >"$work/start.log" 2>&1 || fail "lttctl-xen start" ;;
xentrace)
	xentrace -D -e all -S 4096 "$work/trace.bin" >"$work/xentrace.log" 2>&1 &
	xt_pid=$!
	sleep 1
	kill -0 "$xt_pid" 2>/dev/null || fail "xentrace exited at start" ;;
esac

i=0
while [ $i -lt "$presses" ]; do
	i=$((i + 1))
	sleep 1
	press on
done
sleep 1

case $tracer in
lttng)
	lttctl-xen stop >"$work/stop.log" 2>&1 || fail "lttctl-xen stop"
	set -- $(awk '$1 == "all" { print $2, $3 }' "$work/stop.log")
	[ $# -eq 2 ] || fail "no 'all' row in lttctl-xen stop's table"
	[ "$2" -eq 0 ] || fail "$2 of $1 events were discarded: the timed records may have taken the discard path"
	say "trace: $1 events, none discarded"
	lttctl-xen destroy >"$work/destroy.log" 2>&1 || fail "lttctl-xen destroy" ;;
xentrace)
	kill -INT "$xt_pid"
	wait "$xt_pid" || fail "xentrace exited with status $? at the stop"
	lttng-xen-import --output "$work/import" "$work/trace.bin" \
		>"$work/import.log" 2>&1 || fail "lttng-xen-import of xentrace's file"
	lost=$(sed -n 's/.*records in .*), \([0-9]*\) lost,.*/\1/p' "$work/import.log")
	[ -n "$lost" ] || fail "no lost count in lttng-xen-import's output"
	[ "$lost" -eq 0 ] || fail "xentrace lost $lost records: the timed records may have taken the lost-record path"
	say "trace: $(sed -n 's/.*: \([0-9]*\) records in .*/\1/p' "$work/import.log") records, none lost" ;;
esac
rm -rf "$work"
