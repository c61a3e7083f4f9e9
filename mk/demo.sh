#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: what lttng-xen does today, end to end on this machine.
# For now: genevent turns the facility XML into the hypervisor's
# tracepoints, the xentrace remap table and CTF metadata; a sample trace
# with one event of each type is recorded through them and read back with
# babeltrace2.  (It grows into a real traced Xen boot with the tracer.)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
gen=$build/gen
demo=$build/demo

step() { printf '\n== %s\n' "$*"; }

step "1. genevent read the facility files"
nfac=$(ls "$top"/facilities/*.xml | wc -l)
nev=$(grep -c '^#define LTTNG_XEN_EVENT_' "$gen/xen/event-ids.h")
nxt=$(grep -c '^    { 0x' "$gen/xen/xentrace-map.c")
echo "$nfac facilities, $nev events, $nxt xentrace ids remapped to typed events"
echo "generated into $gen:"
(cd "$gen" && find . -type f | sort | sed 's|^\./|  |')

step "2. one of the generated tracepoints (xen/tp-sched.h)"
sed -n '/^static inline void trace_sched_context_switch(/,/^}/p' "$gen/xen/tp-sched.h"

step "3. a sample trace: every event once, plus every xentrace id through the remap"
rm -rf "$demo"
mkdir -p "$demo/trace"
cd "$demo"
TOP=$top /usr/bin/python3 "$top/tests/genevent/roundtrip.py" gen calls.c expected.json >/dev/null
gcc -O1 -std=gnu11 -I"$top/include" -I"$gen/xen" -I"$top/tests/genevent" \
	-o calls calls.c "$top/tests/genevent/ctf-writer.c" \
	"$top/tracer/xentrace-remap.c" "$gen/xen/xentrace-map.c" \
	"$gen/xen/events.c"
./calls trace/stream_0
sed -e "s/@TRACE_UUID@/$(cat /proc/sys/kernel/random/uuid)/" \
    -e "s/@CLOCK_UUID@/$(cat /proc/sys/kernel/random/uuid)/" \
    -e "s/@HOSTNAME@/$(hostname)/" -e 's/@FREQ@/1000000000/' \
    -e "s/@OFFSET_S@/$(date +%s)/" -e 's/@OFFSET@/0/' \
    "$top/ctf/stream-header.tsdl.in" > trace/metadata
cat "$gen/ctf/events.tsdl" >> trace/metadata
babeltrace2 trace > trace.txt
echo "babeltrace2 read $(wc -l < trace.txt) events from $demo/trace; a few:"
grep -E 'sched:(context_switch|runstate_change)|pv:hypercall:|hvm:vmexit' trace.txt | head -n 6

step "Next"
echo "Read the whole sample trace:  babeltrace2 $demo/trace"
echo "Every event and field:        $top/docs/events.md"
