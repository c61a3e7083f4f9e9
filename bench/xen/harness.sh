#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The dom0 side of `make bench-xen`: one configuration's workloads, each
# repeated, with the configuration's tracer around them; one raw result
# line per run.  The same script runs in the QEMU dom0 (busybox) and on a
# real Xen host (bench/xen/host/); it only needs a POSIX shell, tar,
# gzip, awk, microbench, dbench, and lttctl-xen or xentrace on PATH
# (and lttng-xen-import, which counts xentrace's records: without it
# those counts are "-").
#
# Usage: harness.sh PLANDIR RAWFILE
#   PLANDIR  written by `benchxen.py plan`: plan.sh (the configuration,
#            its tracer, warm-up rounds, repeats and the number of the
#            first, the workload order and metrics) and
#            per workload NAME.setup, NAME.run, NAME.cleanup
#   RAWFILE  appended, tab-separated, "-" where the tracer has no such
#            figure: config, workload, repeat, value, trace bytes (all
#            files), events discarded, events in the trace, stream bytes
#            (the trace without lttng-xen's CTF metadata), for xentrace
#            the stream bytes of the same records converted to
#            lttng-xen's format by lttng-xen-import, the run's wall
#            seconds, and the CPU seconds its consumer (lttd-xen or
#            xentrace) used in dom0 meanwhile
# Environment: BX (work directory, default /tmp/bench-xen; emptied),
# DBENCH_LOADFILE (default /usr/share/dbench/client.txt).
# Progress on stdout, "bench: ..." lines.  Exit 0 when every run
# measured, 1 at the first failure (said as "bench: FAIL: ...").
set -u
plandir=$1
raw=$2
. "$plandir/plan.sh"
: "${BX_CONFIG:?}" "${BX_TRACER:?}" "${BX_REPEATS:?}" "${BX_WORKLOADS:?}"
BX=${BX:-/tmp/bench-xen}
DBENCH_LOADFILE=${DBENCH_LOADFILE:-/usr/share/dbench/client.txt}
export BX DBENCH_LOADFILE
# No lttctl-xen session of ours may outlive the run.
LTTNG_XEN_HOME=$BX/lttng-xen-home
export LTTNG_XEN_HOME

t0=$(cut -d' ' -f1 /proc/uptime)
elapsed() { awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.0f", b - a }'; }
say() { echo "bench: [$BX_CONFIG] $*"; }
fail() {
	say "FAIL: $*"
	for f in "$BX"/*.log "$BX"/run.out "$BX"/run.err; do
		[ -s "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
	done
	exit 1
}

rm -rf "$BX"
mkdir -p "$BX" "$LTTNG_XEN_HOME" || fail "cannot create $BX"

# lttng-xen's session per run (lttng-disk) or per boot (lttng-flight).
lttng() { # LOG ARGS...
	log=$1
	shift
	lttctl-xen "$@" >"$BX/$log.log" 2>&1 || fail "lttctl-xen $* (its output above)"
}

tracer_start() { # RUN-ID
	case $BX_TRACER in
	none | lttng-flight) ;;
	lttng-disk)
		lttng create create bench --output "$BX/trace-$1"
		lttng start start ;;
	xentrace)
		xentrace -D -e all -S 256 "$BX/trace-$1.bin" >"$BX/xentrace.log" 2>&1 &
		xt_pid=$!
		# xentrace maps the buffers, then polls: give it that time.
		sleep 0.5
		kill -0 "$xt_pid" 2>/dev/null || fail "xentrace exited at start" ;;
	*) fail "unknown tracer '$BX_TRACER'" ;;
	esac
}

# Sets trace_bytes, discarded, events, stream_bytes and ctf_bytes of the
# run $id.
tracer_stop() {
	trace_bytes=- discarded=- events=- stream_bytes=- ctf_bytes=-
	case $BX_TRACER in
	lttng-disk)
		lttng stop stop
		# CPU produced discarded ...: what reached the trace is what was
		# produced and not discarded (tests/xen/test-e2e.sh checks it).
		set -- $(awk '$1 == "all" { print $2, $3 }' "$BX/stop.log")
		[ $# -eq 2 ] || fail "no 'all' row in lttctl-xen stop's table"
		events=$(($1 - $2)) discarded=$2
		# The trace as it lands on disk: metadata and streams (not
		# lttd-xen's own .lttd-xen.log).
		trace_bytes=$(cat "$BX/trace-$id"/* | wc -c)
		stream_bytes=$((trace_bytes - $(wc -c <"$BX/trace-$id/metadata")))
		lttng destroy destroy
		rm -rf "$BX/trace-$id" ;;
	xentrace)
		kill -INT "$xt_pid"
		wait "$xt_pid" || fail "xentrace exited with status $? at the stop"
		trace_bytes=$(wc -c <"$BX/trace-$id.bin")
		stream_bytes=$trace_bytes
		if command -v lttng-xen-import >/dev/null; then
			lttng-xen-import --output "$BX/import-$id" "$BX/trace-$id.bin" \
				>"$BX/import.log" 2>&1 ||
				fail "lttng-xen-import of xentrace's file (its output above)"
			events=$(sed -n 's/.*: \([0-9]*\) records in .*/\1/p' "$BX/import.log")
			[ -n "$events" ] || fail "no record count in lttng-xen-import's output"
			ctf_bytes=$(($(cat "$BX/import-$id"/* | wc -c) -
				$(wc -c <"$BX/import-$id/metadata")))
			rm -rf "$BX/import-$id"
		fi
		rm -f "$BX/trace-$id.bin" ;;
	esac
}

# The CPU time (user + system, seconds) of process $1 so far, from
# /proc/PID/stat (fields 14 and 15, in clock ticks; the fields after the
# command, which may hold spaces, counted from its closing parenthesis).
cpu_seconds() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo -; return; }
	sed 's/^.*) //' "/proc/$1/stat" |
		awk -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
			'{ printf "%.2f", ($12 + $13) / hz }'
}

# The consumer's PID: lttd-xen (lttctl-xen start writes its pid file)
# or xentrace.
consumer_pid() {
	case $BX_TRACER in
	lttng-disk) cat "$LTTNG_XEN_HOME/lttd-xen.pid" 2>/dev/null ;;
	xentrace) echo "$xt_pid" ;;
	esac
}

say "preparing the input: $INPUT_FILES files of $INPUT_SIZE bytes"
microbench gen "$BX/input" "$INPUT_FILES" "$INPUT_SIZE" || fail "microbench gen"
tar -cf "$BX/input.tar" -C "$BX" input || fail "tar of the input"
if [ "$BX_TRACER" = lttng-flight ]; then
	lttng create create bench --mode overwrite
	lttng start start
	say "lttng-xen flight recorder started (overwrite mode)"
fi

# Warm-up rounds first (BX_WARMUP, repeats 1 - BX_WARMUP..0): the same
# runs, tracer included, not recorded; the first run of a boot pays for
# the page cache, tmpfs's first pages and the tracer's first buffers.
warmup=${BX_WARMUP:-0}
total=$(((warmup + BX_REPEATS) * $(echo $BX_WORKLOADS | wc -w)))
n=0
r=$((1 - warmup))
while [ $r -le "$BX_REPEATS" ]; do
	for w in $BX_WORKLOADS; do
		n=$((n + 1))
		id=$w-$n
		sh "$plandir/$w.setup" >"$BX/setup.log" 2>&1 || fail "$w: setup"
		sync
		tracer_start "$id"
		eval "metric=\$metric_$(echo "$w" | tr -- - _)"
		pid=$(consumer_pid)
		cpu0=$(cpu_seconds "$pid")
		t1=$(cut -d' ' -f1 /proc/uptime)
		rc=0
		if [ "$metric" = time ]; then
			microbench time sh "$plandir/$w.run" >"$BX/run.out" 2>"$BX/run.err" || rc=$?
		else
			sh "$plandir/$w.run" >"$BX/run.out" 2>"$BX/run.err" || rc=$?
		fi
		wall=$(awk -v a="$t1" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.2f", b - a }')
		cpu1=$(cpu_seconds "$pid")
		consumer=-
		[ "$cpu0" = - ] || [ "$cpu1" = - ] ||
			consumer=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')
		tracer_stop
		[ $rc -eq 0 ] || fail "$w, repeat $r: exit status $rc"
		value=$(awk '$1 == "VALUE" { v = $2 } END { print v }' "$BX/run.out")
		[ -n "$value" ] || fail "$w, repeat $r: no VALUE line"
		sh "$plandir/$w.cleanup" >"$BX/cleanup.log" 2>&1 || fail "$w: cleanup"
		if [ $r -lt 1 ]; then
			say "$n/$total $w warm-up (not counted): $value [$(elapsed) s]"
			continue
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BX_CONFIG" \
			"$w" "$((${BX_FIRST_REPEAT:-1} + r - 1))" "$value" \
			"$trace_bytes" "$discarded" "$events" "$stream_bytes" \
			"$ctf_bytes" "$wall" "$consumer" >>"$raw" ||
			fail "cannot write $raw"
		say "$n/$total $w repeat $r/$BX_REPEATS: $value (trace $trace_bytes B, $events events, discarded $discarded, consumer $consumer s of CPU in $wall s) [$(elapsed) s]"
	done
	r=$((r + 1))
done

if [ "$BX_TRACER" = lttng-flight ]; then
	lttng stop stop
	sed -n '/CPU/,$p' "$BX/stop.log" | sed 's/^/bench: flight: /'
	lttng destroy destroy
fi
rm -rf "$BX"
say "done: $n runs in $(elapsed) s"
