#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttctl-xen against the simulator, as a sysadmin uses it: `start` with no
# session creates one and runs lttd-xen, `stop` waits for the trace and
# summarizes it, babeltrace2 reads exactly the events the simulator
# emitted.  Then the errors (start twice, create twice, stop with nothing
# running), a restart into a new directory, the flight recorder and its
# snapshots, lttd-xen killed mid-trace, lttd-xen failing to start (start
# undoes everything), --guests with guests that cannot be traced, and the
# simulator disappearing.
set -u
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
LTTCTL="$BUILD/bin/lttctl-xen"
need_exec "$LTTCTL" "$SIM" "$BUILD/bin/lttd-xen"
command -v babeltrace2 >/dev/null ||
	die "babeltrace2 is not installed (make deps-check): the traces cannot be checked"

export LTTNG_XEN_HOME="$PWD/home"
unset LTTNG_XEN_TRANSPORT LTTD_XEN
at_exit 'kill_pidfile home/lttd-xen.pid'

# run EXPECTED_STATUS PATTERN ARGS...: lttctl-xen's status, and PATTERN
# (grep -E) in its stdout + stderr, kept in 'out'.
run()
{
	local want=$1 pattern=$2
	shift 2
	expect_exit "$want" "$pattern" "$LTTCTL" "$@"
}

# The events babeltrace2 reads in DIR (fails the test if it cannot).
bt_count()
{
	if ! babeltrace2 "$1" >bt.out 2>bt.err; then
		fail "babeltrace2 $1 failed:"
		head -5 bt.err | indent
		echo 0
		return
	fi
	wc -l <bt.out
}

# The "all" row of the counter table in 'out': column N.
total()
{
	awk -v n="$1" '$1 == "all" { print $n }' out
}

# The directory after "Read it with: babeltrace2 " in 'out'.
trace_dir()
{
	sed -n 's/^Read it with: babeltrace2 //p' out
}

echo "== no session yet"
run 0 "^No session; 'lttctl-xen create' or 'lttctl-xen start' to begin" status
run 1 "no session, so nothing to stop" stop

echo "== start with no session: a default session, lttd-xen running"
sim_start a --cpus 2 --events 20000 --rate 20000 --nested-rate 500 \
	--summary "$PWD/a.json"
A="sim:$PWD/a.sock"
run 0 "^Writing the trace to $PWD/home/traces/auto-[0-9]{8}-[0-9]{6} \(lttd-xen pid [0-9]+\)" \
	--transport "$A" start
grep -q "^Created session 'auto'" out || fail "start did not say it created the session"
grep -q "^transport=$A$" home/session || fail "the session file does not hold the transport"

echo "== errors while running"
run 1 "tracing is already running \(session 'auto', since [0-9-]+ [0-9:]+\)" start
run 1 "a session 'auto' already exists \(running\); destroy it first" create
run 1 "session 'auto' uses transport '$A', not 'sim:/elsewhere'" \
	--transport sim:/elsewhere stop
run 0 "lttd-xen:   pid [0-9]+, alive" status
grep -Eq "^Session: +auto, running since" out || fail "status: no running session line"
grep -Eq "^ +0 +[0-9]+ +0 +0 " out || fail "status: no counter row for CPU 0"
grep -Eq "^ +1 +[0-9]+ +0 +0 " out || fail "status: no counter row for CPU 1"

wait_for a.json 60 "$sim_pid" || fail "the simulator's workload did not finish"

echo "== stop: summary, trace readable, counts exact"
run 0 "^Read it with: babeltrace2 /" stop
dir=$(trace_dir)
produced=$(total 2)
emitted=$(/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(sum(c["emitted_main"] + c["emitted_nested"] for c in s["cpus"]))' a.json)
n=$(bt_count "$dir")
echo "emitted $emitted, produced $produced, babeltrace2 read $n"
[ "$produced" = "$emitted" ] ||
	fail "stop reports $produced events produced; the simulator emitted $emitted"
[ "$n" = "$emitted" ] ||
	fail "babeltrace2 read $n events from $dir; the simulator emitted $emitted"
[ "$(total 3)" = 0 ] || fail "events were discarded with the default buffers"
grep -q "^state=stopped$" home/session || fail "the session file does not say stopped"
run 1 "tracing is not running \(session 'auto' is stopped\)" stop
run 0 "^Session: +auto, stopped" status
run 0 "^Session 'auto' destroyed" destroy
[ -e home/session ] && fail "destroy left home/session"
[ -d "$dir" ] || fail "destroy removed the trace $dir"
run 1 "no session to destroy" destroy

echo "== create, then start twice: each run is a new trace directory"
# The simulator's main loop emits pv:hypercall, hw:idle_entry,
# pv:page_fault, pv:ptwr_emulation, pv:math_state_restore; its timer
# signal handler pv:trap (sim/workload.c).
sim_start b --cpus 2 --events 0 --rate 5000 --nested-rate 100
B="sim:$PWD/b.sock"
run 0 "^Session 'web' created: discard mode, 8 x 16 KiB per CPU, CPUs 0-1" \
	--transport "$B" create web --output "$PWD/t-web" --subbuf-size 16k \
	--num-subbufs 8 --cpus 0-1 --events 'pv:*,-pv:hypercall' --events sched
npv=$("$LTTCTL" list | grep -c '^  pv:')
nsched=$("$LTTCTL" list | grep -c '^  sched:')
nall=$(grep -L 'side="guest"' "$TOP"/facilities/*.xml | xargs cat | grep -c '<event ')
grep -Eq "^Events: $((npv - 1 + nsched)) of $nall: pv \($((npv - 1)) of $npv\), sched\.$" out ||
	fail "create: no 'Events: $((npv - 1 + nsched)) of $nall: pv ($((npv - 1)) of $npv), sched.' line"
run 1 "a session 'web' already exists \(stopped\); destroy it first" create other
run 1 "a session 'web' already exists" start --events hvm
for run_dir in t-web t-web-2; do
	run 0 "^Writing the trace to $PWD/$run_dir " start
	sleep 0.5
	run 0 "^Read it with: babeltrace2 $PWD/$run_dir$" stop
	n=$(total 2)
	[ "$(bt_count "$PWD/$run_dir")" = "$n" ] ||
		fail "babeltrace2 does not read the $n events stop reported in $run_dir"
	grep -E ' (pv:hypercall|hw:[a-z_]+): ' bt.out | head -3 >bt.other
	[ -s bt.other ] && fail "$run_dir holds events not selected: $(cat bt.other)"
done
run 0 "^Session 'web' destroyed" destroy

echo "== flight recorder: overwrite mode and snapshots"
run 0 "^Session 'fr' created: overwrite mode, 4 x 8 KiB per CPU" \
	--transport "$B" create fr --mode overwrite --subbuf-size 8k \
	--num-subbufs 4 --events sched,pv
run 0 "^Write them out with: lttctl-xen snapshot" start
[ -e home/lttd-xen.pid ] && fail "start ran lttd-xen in overwrite mode"
sleep 1
run 0 "^Snapshot of session 'fr' written to $PWD/home/traces/fr-snapshot-" snapshot
snap=$(trace_dir)
n=$(bt_count "$snap")
[ "$n" -gt 0 ] || fail "the snapshot $snap holds no event"
grep -Ev ' pv:[a-z_]+: ' bt.out | head -3 >bt.other
[ -s bt.other ] && fail "$snap holds events not selected: $(cat bt.other)"
run 0 "overwritten" status
[ "$(total 5)" -gt 0 ] 2>/dev/null ||
	fail "status: no sub-buffer overwritten in 1 s with 32 KiB buffers"
run 0 "flight recorder holds the newest events" stop
run 0 "written to $PWD/snap2 " snapshot --output snap2
bt_count "$PWD/snap2" >/dev/null
run 2 "--output .*/snap2: it already holds a trace" snapshot --output snap2
run 0 "^Session 'fr' destroyed" destroy
run 1 "no session; snapshot needs a flight-recorder session" snapshot

echo "== lttd-xen killed mid-trace: stop says so, the trace stays readable"
run 0 "^Writing the trace to $PWD/t-kill " --transport "$B" start -o t-kill
kill -9 "$(cat home/lttd-xen.pid)"
sleep 0.2
run 0 "NOT RUNNING \(killed by signal 9" status
run 1 "lttd-xen killed by signal 9 \(Killed\) while writing $PWD/t-kill" stop
grep -q "^Read it with: babeltrace2 $PWD/t-kill" out || fail "stop: no read command"
bt_count "$PWD/t-kill" >/dev/null
run 0 "^Session 'auto' destroyed" destroy

echo "== lttd-xen cannot start: start says why and undoes everything"
cat >fake-lttd <<'EOF'
#!/bin/sh
echo "lttd-xen: cannot frobnicate the output: Permission denied" >&2
exit 1
EOF
chmod +x fake-lttd
LTTD_XEN="$PWD/fake-lttd" run 1 "cannot frobnicate the output" \
	--transport "$B" start -o t-fail
grep -q "lttd-xen could not start (exited 1)" out || fail "start: no 'could not start'"
[ -e home/session ] && fail "a failed start left its session"
[ -e t-fail ] && fail "a failed start left its trace directory"
run 0 "holds no buffers; nothing to do" --transport "$B" destroy --force
LTTD_XEN=/nonexistent/lttd-xen run 1 \
	"cannot run lttd-xen at /nonexistent/lttd-xen \(\\\$LTTD_XEN\)" \
	--transport "$B" start
[ -e home/session ] && fail "a failed start left its session"

# lttd-xen may never see the session RUNNING: it must still end the trace.
echo "== start and stop within 0.1 s, no sub-buffer filled"
run 0 "^Writing the trace to $PWD/t-quick " --transport "$B" start -o t-quick \
	--events hw
sleep 0.1
run 0 "^Read it with: babeltrace2 $PWD/t-quick$" stop
if [ $rc -ne 0 ]; then
	[ -f home/lttd-xen.pid ] && kill "$(cat home/lttd-xen.pid)"
	sleep 1
fi
n=$(total 2)
[ "$(bt_count "$PWD/t-quick")" = "$n" ] ||
	fail "babeltrace2 does not read the $n events stop reported in t-quick"
run 0 "^Session 'auto' destroyed" destroy

# --guests here (no Xen, no guest kernel): dom0 cannot be traced and the
# domUs cannot be reached; both are named with the reason, and the
# hypervisor's trace is written all the same, in DIR/hypervisor, read by
# babeltrace2 DIR.
echo "== --guests: guests that cannot be traced are named, the rest goes on"
run 0 "^Not traced: dom0: cannot trace this kernel: .*; the domUs: they are reached through xenstore: only with the xen transport" \
	--transport "$B" start -o t-guests --guests dom0,web --relay 10.0.0.1
grep -q "^Writing the hypervisor's trace to $PWD/t-guests/hypervisor " out ||
	fail "start --guests: the hypervisor's trace is not in DIR/hypervisor"
run 0 "^Guests: +dom0,web \(LTTng kernel events guest_\*, domUs stream to 10.0.0.1\)" status
grep -q "^Not traced: dom0: " out || fail "status does not name the guest not traced"
sleep 0.2
run 0 "^Read it with: babeltrace2 $PWD/t-guests$" stop
grep -q "^Not traced: dom0: cannot trace this kernel" out ||
	fail "stop's summary does not name the guest not traced"
n=$(total 2)
[ -f t-guests/hypervisor/metadata ] || fail "no t-guests/hypervisor/metadata"
[ "$(bt_count "$PWD/t-guests")" = "$n" ] ||
	fail "babeltrace2 t-guests does not read the $n events stop reported"
# A second run keeps the first one's clock origin (the guests' LTTng
# keeps the offset its clock plugin was loaded with), and says so.
grep -q "^$(cat /proc/sys/kernel/random/boot_id) [0-9]* [0-9]*$" home/clock-origin ||
	fail "the first run with guests saved no clock origin in home/clock-origin"
run 0 "^Writing the hypervisor's trace to $PWD/t-guests-2/hypervisor " start
sleep 0.2
run 0 "^Read it with: babeltrace2 $PWD/t-guests-2$" stop
clock_of() { sed -n '/^clock {/,/^};/p' "$1/metadata" | grep -E '^[[:space:]]*(uuid|freq|offset_s|offset|precision) ='; }
[ -n "$(clock_of t-guests/hypervisor)" ] && [ "$(clock_of t-guests/hypervisor)" = "$(clock_of t-guests-2/hypervisor)" ] ||
	fail "the second run's clock is not the first run's: $(clock_of t-guests-2/hypervisor | tr -s ' \n' ' ')"
run 0 "^Session 'auto' destroyed" destroy

echo "== the simulator disappears"
run 0 "^Writing the trace to" --transport "$B" start -o t-gone
# As if start had run an lttng-relayd for domUs: destroy --force must
# end it, and must leave alone a process that merely has its pid (saved
# before a reboot, say).  The stand-ins are sleep(1), the first named
# lttng-relayd.
cp "$(command -v sleep)" lttng-relayd
./lttng-relayd 300 &
relayd=$!
sleep 300 &
other=$!
at_exit "kill $relayd $other 2>/dev/null"
sed -i "s/^relayd_pid=.*/relayd_pid=$relayd/" home/session
grep -q "^relayd_pid=$relayd$" home/session || die "cannot set relayd_pid in home/session"
sim_stop
run 1 "cannot reach the producer through transport '$B'" stop
grep -q "hint: if the producer is gone for good, 'lttctl-xen destroy --force'" out ||
	fail "stop: no destroy --force hint"
run 1 "cannot reach the producer" destroy
run 0 "^Session 'auto' forgotten" destroy --force
grep -q "^Ended lttng-relayd (pid $relayd)" out ||
	fail "destroy --force did not say it ended the session's lttng-relayd"
sleep 0.2
! kill -0 $relayd 2>/dev/null || fail "destroy --force left the session's lttng-relayd running"
# Again, the pid now another program's: it must survive.
sim_start c --cpus 2 --events 0 --rate 5000 --nested-rate 100
run 0 "^Writing the trace to" --transport "sim:$PWD/c.sock" start -o t-gone-2
sed -i "s/^relayd_pid=.*/relayd_pid=$other/" home/session
sim_stop
run 0 "^Session 'auto' forgotten" destroy --force
! grep -q "lttng-relayd" out || fail "destroy --force spoke of lttng-relayd for a pid that is not one"
kill -0 $other 2>/dev/null || fail "destroy --force killed a process that is not lttng-relayd"

finish
