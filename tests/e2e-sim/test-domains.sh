#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The record-time domain filter (issue 13.3), the way a sysadmin uses it:
# lttng-xen-sim --sim-domains 3 runs each CPU's workload in domains 0, 1
# and 2 in turn (64 main-loop events each, nested events in the domain
# they interrupt, sched:context_switch at each change);
#  a. `lttctl-xen create --domains 1`: the trace (babeltrace2) holds every
#     event run in domain 1 and every switch into or out of it, in order,
#     and nothing else; the nested events of domain 1 only; nothing
#     counted as lost; status shows the list;
#  b. the same workload without --domains: everything is recorded;
#  c. bad lists are refused before the producer is touched;
#  d. --domains guest-one, a name the simulator's domain names
#     ($LTTNG_XEN_SIM_DOMAINS) give domain 1: the trace of a.; a name no
#     domain has is refused, and no session is left.
# check-domains.py compares each CPU's stream with sim/workload_spec.py.
set -u
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
. "$TOP/tests/e2e-sim/lib.sh"
e2e_sim_prepare

# run NAME CREATE-OPTIONS...: the workload of 3 domains traced from start
# to end with those options of create; the trace in NAME-trace.
run()
{
	local name=$1
	shift
	export LTTNG_XEN_HOME="$PWD/$name-home"
	sim_start "$name" --cpus 2 --events 30000 --rate 100000 \
		--nested-rate 5000 --sim-domains 3 --summary "$PWD/$name.json"
	expect_exit 0 "" "$LTTCTL" --transport "sim:$sim_sock" create "$name" \
		--output "$PWD/$name-trace" "$@"
	expect_exit 0 "" "$LTTCTL" status
	cp out "$name.status"
	expect_exit 0 "" "$LTTCTL" start
	wait_for "$name.json" 60 "$sim_pid" || die "$name: the workload did not end"
	indent "$name.json"
	expect_exit 0 "^Read it with: babeltrace2 " "$LTTCTL" stop
	sim_stop
	bt_read "$name-trace"
}

# check NAME KEPT [ID=NAME]: check-domains.py on NAME's trace, indented.
check()
{
	/usr/bin/python3 "$here/check-domains.py" "$1-trace" "$1.json" "$2" \
		${3:+"$3"} >"$1.check" 2>&1
	rc=$?
	indent "$1.check"
	[ $rc -eq 0 ] || fail "check-domains.py $1 $2: exit $rc"
}

echo "== a. --domains 1: domain 1's events and switches, nothing else"
run a --domains 1
grep -q '^Domains:    1 (the events they run' a.status ||
	fail "status does not show the domain list 1"
check a 1

echo "== b. no --domains: every event"
run b
grep -q '^Domains:    all$' b.status || fail "status does not show 'all' domains"
check b all

echo "== c. bad domain lists: exit 2, nothing created"
export LTTNG_XEN_HOME="$PWD/c-home"
expect_exit --stderr 2 "--domains: domain 32752 is out of range: domain ids are 0 to 32751" \
	"$LTTCTL" --transport sim:/nonexistent create --domains 1,32752
expect_exit --stderr 2 "--domains: more than 32 domains" \
	"$LTTCTL" --transport sim:/nonexistent create --domains 0-40
expect_exit --stderr 2 "--domains: cannot parse '1x,2': expected 'all' or domain ids, ranges and names" \
	"$LTTCTL" --transport sim:/nonexistent create --domains 1x,2
[ ! -e c-home/session ] || fail "a refused create left a session"

echo "== d. --domains by name: looked up in the simulator's domain names"
printf '0 Domain-0\n1 guest-one\n2 guest-two\n' >names
export LTTNG_XEN_SIM_DOMAINS="$PWD/names"
export LTTNG_XEN_HOME="$PWD/d0-home"
sim_start d0 --cpus 1 --events 10
expect_exit --stderr 1 "--domains guest-nine: no domain is named 'guest-nine' \\(0 Domain-0, 1 guest-one, 2 guest-two\\)" \
	"$LTTCTL" --transport "sim:$sim_sock" create --domains guest-nine
[ ! -e d0-home/session ] || fail "a create naming an unknown domain left a session"
sim_stop
run d --domains guest-one
grep -q '^Domains:    guest-one (the events they run' d.status ||
	fail "status does not show the domain list as given (guest-one)"
check d 1 1=guest-one

finish
