#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make demo-sim`: what lttng-xen does, end to end on this machine,
# without Xen (`make demo`, mk/demo-xen.sh, boots the real one).
#
# The hypervisor is played by lttng-xen-sim: the same ring buffer, control
# code and generated tracepoints, one thread per CPU.  A sysadmin's
# session follows: lttctl-xen start, a workload, lttctl-xen stop; then a
# summary of the trace that lttd-xen wrote, read back with babeltrace2.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
bin=$build/bin
demo=$build/demo
cpus=2
events=400000		# per CPU
rate=400000		# events per second per CPU

step() { printf '\n== %s\n' "$*"; }

rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"
export LTTNG_XEN_HOME="$demo/home"
# The simulator's start and stop, shared with the tests.
TOP=$top BUILD=$build
. "$top/tests/lib/lib.sh"
. "$top/tests/lib/sim.sh"

step "1. the events: genevent's output for $(ls "$top"/facilities/*.xml | wc -l) facility files"
/usr/bin/python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print("%d typed events, %d xentrace ids remapped onto them (reference: "
      "docs/events.md)" % (len(m["events"]), len(m["xentrace_lookup"])))' \
	"$build/gen/model.json"

step "2. the producer: lttng-xen-sim with $cpus CPUs standing in for Xen"
sim_start sim --cpus $cpus --events $events --rate $rate --nested-rate 1000 \
	--summary "$demo/sim-summary.json"
echo "listening on $sim_sock; workload: $events events per CPU at $rate/s, plus nested (interrupt-like) events"

step "3. lttctl-xen start"
lttctl="$bin/lttctl-xen --transport sim:$sim_sock"
$lttctl start -o "$demo/trace"

echo "tracing until the workload ends ($((events / rate)) s)"
wait_for "$demo/sim-summary.json" 60 "$sim_pid" ||
	die "the workload did not finish (the simulator's log: $demo/$sim_log)"
echo "workload done"

step "4. lttctl-xen status"
$lttctl status

step "5. lttctl-xen stop"
$lttctl stop

step "6. the trace, read back with babeltrace2"
babeltrace2 "$demo/trace" > "$demo/trace.txt" 2> "$demo/bt.err" || {
	cat "$demo/bt.err"; exit 1; }
awk '{
	for (i = 1; i <= NF; i++)
		if ($i ~ /^[a-z0-9_]+:[a-z0-9_]+:$/) { ev = substr($i, 1, length($i) - 1); break }
	match($0, /cpu_id = [0-9]+/)
	cpu = substr($0, RSTART + 9, RLENGTH - 9)
	n[ev "\t" cpu]++; total++
	if (!first) first = $1; last = $1
} END {
	for (k in n) { split(k, a, "\t"); names[a[1]] = 1 }
	for (e in names) printf "%-28s %10d %10d\n", e, n[e "\t0"], n[e "\t1"]
	printf "%d events, from %s to %s\n", total, first, last > "/dev/stderr"
}' "$demo/trace.txt" 2> "$demo/total.txt" | sort > "$demo/per-event.txt"
printf '%-28s %10s %10s\n' event "CPU 0" "CPU 1"
cat "$demo/per-event.txt"
echo "total: $(cat "$demo/total.txt")"
echo "on disk: $(du -sh "$demo/trace" | cut -f1) ($(cat "$demo"/trace/channel0_* | wc -c) bytes of packets, $(awk 'END { print NR }' "$demo/trace.txt") events)"
[ -s "$demo/bt.err" ] && { echo "babeltrace2 said:"; cat "$demo/bt.err"; }
echo
echo "The trace:     $demo/trace"
echo "Read it with:  babeltrace2 $demo/trace"
echo "Every event:   $top/docs/events.md"
