#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Drain throughput of lttd-xen into the page cache (a tmpfs directory:
# page cache, no disk), two ways, against the simulator:
#
#  snapshot   the simulator's 2 CPUs fill overwrite-mode buffers of
#             16 x 16 MiB with 8 M events each (nothing is overwritten),
#             then `lttd-xen --snapshot` writes them out: bytes of the
#             stream files / its wall time, start-up included.  Nothing
#             else runs meanwhile: this is lttd-xen's own rate.  Median
#             of 3.
#  streaming  1 simulated CPU records flat out (--rate 0) with default
#             buffers while lttd-xen, started by `lttctl-xen start`,
#             writes the trace: bytes / wall time from start to the end
#             of `lttctl-xen stop`.  Discards mean lttd-xen (sharing the
#             machine) did not keep up, and the figure is its rate; none
#             mean the simulator was the bottleneck (a lower bound).
#
# Usage: bench/drain.sh BUILD > drain.json (one JSON object).  Until
# lttd-xen, lttctl-xen and the simulator are built it prints
# "measured": false with the reason, and so it does when a step fails.
set -u
build=$1
bin=$build/bin
snap_events=${BENCH_DRAIN_EVENTS:-8000000}	# per simulated CPU
stream_events=${BENCH_STREAM_EVENTS:-20000000}

result() {	# measured(true|false) reason [key=json-or-text...]
	/usr/bin/python3 - "$@" <<'EOF'
import json, sys
measured, reason = sys.argv[1] == "true", sys.argv[2]
out = {"bench": "drain", "measured": measured, "reason": reason}
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    try:
        out[k] = json.loads(v)
    except ValueError:
        out[k] = v
print(json.dumps(out))
EOF
}

missing=
for p in lttng-xen-sim lttd-xen lttctl-xen; do
	[ -x "$bin/$p" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	result false "not measured yet: needs lttd-xen (not built:$missing)"
	exit 0
fi

if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	tmp=$(mktemp -d /dev/shm/lttng-xen-drain.XXXXXX)
else
	tmp=$(mktemp -d)
fi
sim_pid=
export LTTNG_XEN_HOME="$tmp/home" LTTNG_XEN_TRANSPORT="sim:$tmp/sim.sock"
stop_sim() {
	timeout 60 "$bin/lttctl-xen" destroy > /dev/null 2>&1 || true
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null && wait "$sim_pid"
		sim_pid=
	fi
	rm -f "$tmp/sim.sock" "$tmp/summary.json"
}
trap 'stop_sim; rm -rf "$tmp"' EXIT
fail() {	# step log
	result false "$1 failed: $(tail -n 3 "$2" 2>/dev/null | tr '\n"' '  ')"
	exit 0
}
now() { date +%s%N; }

start_sim() {	# cpus events
	mkdir -p "$LTTNG_XEN_HOME"
	"$bin/lttng-xen-sim" --socket "$tmp/sim.sock" --cpus "$1" \
		--events "$2" --rate 0 --nested-rate 0 \
		--summary "$tmp/summary.json" > "$tmp/sim.log" 2>&1 &
	sim_pid=$!
	i=0
	while [ ! -S "$tmp/sim.sock" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $sim_pid 2>/dev/null; then
			fail "lttng-xen-sim" "$tmp/sim.log"
		fi
		sleep 0.1
	done
}

wait_workload() {
	i=0
	while [ ! -f "$tmp/summary.json" ]; do
		i=$((i + 1))
		[ $i -gt 30000 ] &&
			fail "the simulator's workload (300 s)" "$tmp/sim.log"
		sleep 0.01
	done
}

# Snapshot: full buffers, then lttd-xen alone.
snaps=
for n in 1 2 3; do
	start_sim 2 "$snap_events"
	timeout 60 "$bin/lttctl-xen" create snap --mode overwrite \
		--subbuf-size 16M --num-subbufs 16 > "$tmp/create.log" 2>&1 ||
		fail "lttctl-xen create --mode overwrite" "$tmp/create.log"
	timeout 60 "$bin/lttctl-xen" start > "$tmp/start.log" 2>&1 ||
		fail "lttctl-xen start" "$tmp/start.log"
	wait_workload
	t0=$(now)
	timeout 120 "$bin/lttd-xen" --snapshot --quiet \
		--output "$tmp/snap-$n" > "$tmp/lttd.log" 2>&1 ||
		fail "lttd-xen --snapshot" "$tmp/lttd.log"
	t1=$(now)
	bytes=$(cat "$tmp/snap-$n"/channel0_* | wc -c)
	overwritten=$(grep -o '"overwritten": [0-9]*' "$tmp/summary.json" |
		      awk '{ s += $2 } END { print s + 0 }')
	snaps="$snaps{\"bytes\": $bytes, \"wall_ns\": $((t1 - t0)), \"overwritten\": $overwritten},"
	rm -rf "$tmp/snap-$n"
	stop_sim
done
snaps="[${snaps%,}]"

# Streaming: 1 CPU flat out, default buffers, lttd-xen as lttctl-xen runs it.
start_sim 1 "$stream_events"
timeout 60 "$bin/lttctl-xen" create stream --output "$tmp/trace" \
	> "$tmp/create.log" 2>&1 || fail "lttctl-xen create" "$tmp/create.log"
t0=$(now)
timeout 60 "$bin/lttctl-xen" start > "$tmp/start.log" 2>&1 ||
	fail "lttctl-xen start" "$tmp/start.log"
wait_workload
timeout 120 "$bin/lttctl-xen" stop > "$tmp/stop.log" 2>&1 ||
	fail "lttctl-xen stop" "$tmp/stop.log"
t1=$(now)
bytes=$(cat "$tmp"/trace/channel0_* | wc -c)
summary=$(cat "$tmp/summary.json")
fs=$(df -T "$tmp" | awk 'NR == 2 { print $2 }')
result true "" filesystem="$fs" snapshot_events_per_cpu="$snap_events" \
	snapshot_cpus=2 snapshots="$snaps" \
	stream_bytes="$bytes" stream_wall_ns="$((t1 - t0))" stream_cpus=1 \
	stream_events="$stream_events" stream_sim_summary="$summary" \
	stream_stop_output="$(cat "$tmp/stop.log")"
