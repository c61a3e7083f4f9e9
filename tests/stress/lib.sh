# SPDX-License-Identifier: GPL-2.0-only
# The stress run shared by test-stress-asan.sh and test-stress-tsan.sh
# (sourced, from the scratch dir): stress KIND CFLAGS VAR=VALUE...
#
# Builds the simulator, lttd-xen and lttctl-xen with CFLAGS into
# $BUILD/KIND (kept between runs: make rebuilds what changed), then runs
# 2 simulated CPUs flat out, with nested writers (timer signal handlers,
# 10 kHz per CPU) and a clock that goes backwards every 1000th read, for
# STRESS_SECONDS (default 10) into 4 x 4 KiB discard buffers, so the
# producers overflow and lttd-xen, started by lttctl-xen, drains one
# small packet after another while they write.  Then lttctl-xen stop,
# and the simulator is stopped (its summary is written at exit).
#
# Passes when: no process reported anything (ASan, LSan, UBSan, TSan:
# report files under san/, report lines on stderr, or an exit status:
# every report is fatal); lttd-xen exited 0; babeltrace2 reads the whole
# trace (only discard warnings), each CPU's timestamps in order; and per
# CPU, emitted (the summary) = read + discarded as babeltrace2 reports
# them, exactly, as the producer's counters and `lttctl-xen stop` say.
#
# VAR=VALUE: the sanitizer's *_OPTIONS (log_path under $san, exitcode),
# exported after the build, for the programs under test only.  A report
# in a process whose stderr is gone (the lttd-xen daemon's: UBSan beside
# ASan ignores log_path) still shows as its exit status.

. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
san="$PWD/san"
at_exit 'kill_pidfile home/lttd-xen.pid'

command -v babeltrace2 >/dev/null ||
	die "babeltrace2 is not installed (make deps-check)"

# ctl ARGS...: the sanitized lttctl-xen; output in ctl.log; must exit 0.
ctl()
{
	echo "\$ lttctl-xen $*" >>ctl.log
	expect_exit 0 "" "$bin/lttctl-xen" "$@"
	cat out >>ctl.log
}

stress()
{
	kind=$1 cflags=$2
	shift 2
	bin="$BUILD/$kind/bin"
	seconds=${STRESS_SECONDS:-10}

	echo "== make all BUILD=$BUILD/$kind CFLAGS='$cflags'"
	start=$(date +%s)
	if ! make -C "$TOP" all BUILD="$BUILD/$kind" CFLAGS="$cflags" \
		>build.log 2>&1; then
		tail -n 30 build.log
		echo "FAIL: the $kind build failed"
		exit 1
	fi
	echo "built in $(($(date +%s) - start)) s"
	mkdir -p "$san"
	for v in "$@"; do
		# shellcheck disable=SC2163 # v is NAME=VALUE
		export "$v"
		echo "$v"
	done
	export LTTNG_XEN_HOME="$PWD/home" LTTD_XEN="$bin/lttd-xen"
	unset LTTNG_XEN_TRANSPORT

	echo "== $seconds s: 2 CPUs flat out, nested writers, clock backwards"
	SIM=$bin/lttng-xen-sim
	sim_start sim --cpus 2 --events 0 --rate 0 --nested-rate 10000 \
		--clock-backwards --summary "$PWD/sum.json"
	ctl --transport "sim:$sim_sock" create stress --output "$PWD/trace" \
		--subbuf-size 4k --num-subbufs 4
	ctl start
	[ $nfail -eq 0 ] || exit 1
	sleep "$seconds"
	ctl stop
	cp out stop.out
	sim_stop
	echo "the simulator's summary:"
	indent sum.json

	echo "== sanitizer reports"
	status=$(cat home/lttd-xen.status 2>/dev/null)
	[ "$status" = "exited 0" ] ||
		fail "lttd-xen: '$status' in home/lttd-xen.status, not 'exited 0'"
	for f in "$san"/*; do
		[ -e "$f" ] || continue
		fail "a sanitizer report: $f"
		head -n 40 "$f"
	done
	for f in ctl.log trace/.lttd-xen.log; do
		if grep -Eq 'Sanitizer|runtime error:' "$f" 2>/dev/null; then
			fail "sanitizer output in $f"
			grep -E -A 20 'Sanitizer|runtime error:' "$f" | head -n 40
		fi
	done
	[ $nfail -eq 0 ] && echo "none: no report file in san/, none in" \
		"the logs, every process exited 0"

	echo "== babeltrace2 $PWD/trace"
	start=$(date +%s)
	# Per CPU: events (the cpu_id of their packet), timestamps (clock
	# cycles) that go backwards, and the discarded counts babeltrace2
	# warns about (the stream file names the CPU).
	{ babeltrace2 --clock-cycles --no-delta trace 2>bt.err
	  echo $? >bt.rc; } | awk '
		match($0, /\{ cpu_id = [0-9]+ \}/) {
			c = substr($0, RSTART + 11, RLENGTH - 13)
			n[c]++
			ts = substr($1, 2, length($1) - 2) + 0
			if (c in last && ts < last[c])
				back[c]++
			last[c] = ts
			next }
		{ other++ }
		END {
			for (c in n) print "read", c, n[c]
			for (c in back)
				print "unexpected: CPU " c ": " back[c] \
					" timestamps before the previous one"
			if (other) print "unexpected: " other " other lines"
		}' >bt.counts
	awk '
		/^WARNING: Tracer discarded [0-9]+ events? between .* within stream ".*\/channel0_[0-9]+"/ {
			s = $0; sub(/.*\/channel0_/, "", s); sub(/".*/, "", s)
			d[s] += $4; next }
		{ print "unexpected: " $0 }
		END { for (c in d) print "discarded", c, d[c] }' bt.err >>bt.counts
	echo "read in $(($(date +%s) - start)) s"
	[ "$(cat bt.rc)" = 0 ] ||
		{ fail "babeltrace2 exited $(cat bt.rc)"; head bt.err; }
	if grep -q '^unexpected' bt.counts; then
		fail "babeltrace2 printed more than events in time order" \
			"and discard warnings"
		grep '^unexpected' bt.counts | head -n 5
		grep -v '^WARNING: Tracer discarded' bt.err | head -n 5
	fi
	/usr/bin/python3 - sum.json bt.counts stop.out <<'EOF' || fail "the counts differ"
import json, sys
summary = json.load(open(sys.argv[1]))
got = {"read": {}, "discarded": {}}
for line in open(sys.argv[2]):
    f = line.split()
    if f[0] in got:
        got[f[0]][int(f[1])] = int(f[2])
table = {}
for line in open(sys.argv[3]):
    f = line.split()
    if len(f) >= 4 and f[0].isdigit():
        table[int(f[0])] = tuple(int(x) for x in f[1:4])
bad = 0
cpus = [c["cpu"] for c in summary["cpus"]]
if sorted(got["read"]) != cpus:
    print("FAIL: events from CPUs %s, the simulator ran %s"
          % (sorted(got["read"]), cpus))
    bad += 1
for c in summary["cpus"]:
    cpu, ctr = c["cpu"], c["counters"]
    emitted = c["emitted_main"] + c["emitted_nested"]
    read = got["read"].get(cpu, 0)
    disc = got["discarded"].get(cpu, 0)
    lost = ctr["discarded"] + ctr["lost_too_big"] + ctr["lost_nested"]
    ok = emitted == read + disc
    print("%s CPU %d: emitted %d (%d main + %d nested) %s read %d + "
          "discarded %d" % ("ok  " if ok else "FAIL", cpu, emitted,
                            c["emitted_main"], c["emitted_nested"],
                            "=" if ok else "!=", read, disc))
    bad += not ok
    ok = ctr["produced"] == read and lost == disc
    print("%s CPU %d: the producer recorded %d and lost %d"
          % ("ok  " if ok else "FAIL", cpu, ctr["produced"], lost))
    bad += not ok
    want = (ctr["produced"], ctr["discarded"],
            ctr["lost_too_big"] + ctr["lost_nested"])
    ok = table.get(cpu) == want
    print("%s CPU %d: lttctl-xen stop says produced, discarded, lost = %s"
          % ("ok  " if ok else "FAIL", cpu, table.get(cpu)))
    bad += not ok
sys.exit(1 if bad else 0)
EOF

	finish
}
