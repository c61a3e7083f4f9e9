#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Domain names in the trace (dom0op:domain_name), against the simulator,
# whose transport reads them from $LTTNG_XEN_SIM_DOMAINS where the Xen
# transport reads xenstore.
#  1. The producer checks LTTNG_XEN_OP_DOMAIN_NAME: refused while stopped,
#     a reserved domain id, an empty, unterminated or control-character
#     name; each gets its error and records nothing.
#  2. No source of names: lttd-xen says so in one line, records none, and
#     writes the trace as always (exit 0).
#  3. Names at the start, then a domain released, one introduced, one
#     renamed, one with a name too long and one with a control character:
#     each (id, name) is recorded once, in the order of the changes, with
#     names cut to 63 bytes and control characters shown as '?'.  The
#     list file appears only while the trace runs, as dom0's name appears
#     in xenstore after tracing starts in tests/xen/workload.sh.
set -eu
. "$TOP/tests/lttd-xen/lib.sh"

sim_start sim --cpus 2 --events 0 --rate 2000

expect_ret() { # WANT ID NAME: the producer answers WANT
	got=$($simctl domain-name "$2" "$3")
	echo "domain-name $2 '$3': $got"
	[ "$got" = "$1" ] || die "domain-name $2 '$3' answered $got, expected $1"
}

echo "== 1. the producer's checks"
$simctl configure 16384 4 discard
expect_ret -1 0 Domain-0 # EPERM: not running
$simctl start
expect_ret -34 32752 reserved # ERANGE: DOMID_FIRST_RESERVED
expect_ret -34 4294967295 huge
expect_ret -22 5 ""
expect_ret -22 5 "$(printf 'bad\001name')"
expect_ret -22 5 "$(printf '%064d' 0)" # 64 bytes, no NUL
expect_ret 0 7 probe
$simctl stop
$simctl destroy

# run NAME: a session traced by lttd-xen into NAME/ while the caller's
# steps run (STEPS, a function), then stopped and finished.
run() {
	$simctl configure 16384 8 discard
	lttd_start "$1-lttd" --output "$1"
	wait_for "$1/channel0_1" 30 "$lttd_pid" || die "lttd-xen did not start"
	$simctl start
	sleep 0.5
	steps
	$simctl stop
	lttd_wait "$1-lttd" 0
	$simctl destroy
	bt_read "$1"
}

echo "== 2. no source of names"
unset LTTNG_XEN_SIM_DOMAINS
steps() { :; }
run none
n=$(grep -c "no domain names in the trace for now" none-lttd.err || true)
[ "$n" -eq 1 ] || die "lttd-xen said $n times that there are no names, not once"
! grep -q domain_name none.txt || die "names recorded without a source"

echo "== 3. names at the start and while tracing"
mkdir -p doms
export LTTNG_XEN_SIM_DOMAINS=$SCRATCH/doms/list
# Written whole, then renamed in: one change, as xenstore makes it.
put() { printf "$1" > doms/tmp && mv doms/tmp doms/list && sleep 0.4; }
long=$(printf 'x%.0s' $(seq 1 70))
steps() {
	put '0 Domain-0\n1 guest-a\n'
	put '0 Domain-0\n2 guest-b\n'
	put '0 Domain-0\n2 renamed-b\n'
	put "0 Domain-0\n2 renamed-b\n3 $long\n4 tab\there\n"
}
run names
grep -q "domain names: recording them" names-lttd.err ||
	die "lttd-xen did not say it found the names"
/usr/bin/python3 - names <<'EOF'
import sys
import bt2

want = [(0, "Domain-0"), (1, "guest-a"), (2, "guest-b"), (2, "renamed-b"),
        (3, "x" * 63), (4, "tab?here")]
got, ticks, last = [], [], {}
for msg in bt2.TraceCollectionMessageIterator(sys.argv[1]):
    if type(msg) is not bt2._EventMessageConst:
        continue
    cpu = int(msg.event.packet.context_field["cpu_id"])
    ts = msg.default_clock_snapshot.value
    assert ts >= last.get(cpu, 0), "CPU %d: time went backwards" % cpu
    last[cpu] = ts
    if msg.event.name == "dom0op:domain_name":
        p = msg.event.payload_field
        got.append((int(p["domain"]), str(p["name"])))
        ticks.append(ts)
print("names in the trace:", got)
# Domain-0 may be recorded once more if a change came between two reads.
uniq = [g for i, g in enumerate(got) if g not in got[:i]]
if uniq != want or len(got) != len(want):
    sys.exit("FAIL: expected each of %s once, in order" % want)
if ticks != sorted(ticks):
    sys.exit("FAIL: the names' timestamps are not in the order recorded")
print("ok: every name once, in order, cut and cleaned as the producer wants")
EOF
echo "ok: domain names from the simulator's list, checked by the producer"
