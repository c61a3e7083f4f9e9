#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttctl-xen's command line, no producer needed: every bad argument is
# refused with exit 2 and a message naming the option and the reason,
# before lttctl-xen tries to reach the producer (the transport points
# nowhere); the verbs that need a session say there is none (exit 1);
# `list` shows every event of the generated table; --help and --version.
set -u
. "$TOP/tests/lib/lib.sh"
LTTCTL="$BUILD/bin/lttctl-xen"
need_exec "$LTTCTL"

export LTTNG_XEN_HOME="$PWD/home"
# A transport that reaches nothing: a bad argument must be reported as
# such (exit 2), not as an unreachable producer (exit 1).
export LTTNG_XEN_TRANSPORT="sim:$PWD/no-such-socket"
unset LTTD_XEN

# run EXPECTED_STATUS PATTERN ARGS...: lttctl-xen ARGS exits with the
# status and prints PATTERN (grep -E), kept in 'out'.
run()
{
	local want=$1 pattern=$2
	shift 2
	expect_exit "$want" "$pattern" "$LTTCTL" "$@"
}

echo "== usage errors: exit 2, what and why"
run 2 "no verb given"
run 2 "unknown verb 'frobnicate'" frobnicate
run 2 "unknown option '--bogus'" --bogus
run 2 "unknown option '--bogus'" create --bogus
run 2 "'--events' is not an option of stop" stop --events sched
run 2 "'--force' is not an option of list" list --force
run 2 "unexpected argument 'extra'" create name extra
run 2 "Try 'lttctl-xen create --help'" create --mode fast
run 2 "--mode fast: use discard or overwrite" create --mode fast
run 2 "--output needs a value" create --output
run 2 "--output given twice" create -o a -o b
run 2 "bad session name 'a/b'" create a/b
run 2 "bad session name '-x'" create -- -x

echo "== sizes"
run 2 "--subbuf-size 100k: not a power of two" create --subbuf-size 100k
run 2 "--subbuf-size 1k: too small" create --subbuf-size 1k
run 2 "--subbuf-size 32M: too large" create --subbuf-size 32M
run 2 "--subbuf-size 3x: unknown suffix" create --subbuf-size 3x
run 2 "--subbuf-size big: not a number" create --subbuf-size big
run 2 "--num-subbufs 3: not a power of two" create --num-subbufs 3
run 2 "--num-subbufs 1: out of range" create --num-subbufs 1
run 2 "--num-subbufs 512: out of range" create --num-subbufs 512
run 2 "--num-subbufs 4k: not a number" create --num-subbufs 4k
run 2 "512 MiB per CPU; the maximum is 256 MiB" create -s 16M -n 32

echo "== CPU lists"
run 2 "--cpus: cannot parse '0,2-' at '2-'" create --cpus 0,2-
run 2 "--cpus: cannot parse 'x'" create --cpus x
run 2 "--cpus: cannot parse '1,,2'" create --cpus 1,,2
run 2 "--cpus: range 3-1 goes backwards" create --cpus 3-1
run 2 "--cpus: CPU 256 is out of range: CPUs are 0 to 255" create --cpus 0-256

echo "== event selections"
run 2 "facility 'sched' has no event 'foo'" create --events sched:foo
run 2 "no facility 'nosuch' \(facilities: csched, csched2, " create --events nosuch
run 2 "did you mean the event 'hvm:vmexit'" create --events vmexit
run 2 "'hvm:vmexit\?' matches no event" create --events 'hvm:vmexit?'
run 2 "no facility 'nosuch' in 'nosuch:vmexit'" create --events nosuch:vmexit
run 2 "did you mean 'hvm:vmexit'" create --events sched:vmexit
run 2 "empty item in the list" create --events sched,,hvm
run 2 "empty item in the list" create --events sched,
run 2 "'-all' leaves no event selected" create --events -all
run 2 "'lttctl-xen list' shows every event" create --events nosuch
run 2 "leaves no event selected" create --events sched --events -sched

echo "== transports"
run 2 "unknown transport: use 'xen' or 'sim:PATH'" --transport tcp:x create
run 2 "no socket path after 'sim:'" create --transport sim:
run 2 "given twice, differently" --transport sim:/a create --transport sim:/b
LTTNG_XEN_TRANSPORT=bogus run 2 "LTTNG_XEN_TRANSPORT=bogus: unknown transport" create

echo "== an existing trace directory is refused before anything runs"
mkdir -p old && : >old/metadata
run 2 "--output .*/old: it already holds a trace" create --output old
: >afile
run 2 "--output .*/afile: not a directory" create --output afile

echo "== nothing was created by the refused commands"
[ -e home/session ] && fail "a refused command left home/session"

echo "== no session: exit 1 and say so; status exits 0"
run 1 "no session, so nothing to stop" stop
run 1 "no session to destroy" destroy
run 1 "no session; snapshot needs a flight-recorder session" snapshot
run 0 "^No session; 'lttctl-xen create' or 'lttctl-xen start' to begin" status
run 1 "no session" status --output-dir

echo "== the producer unreachable: exit 1, the transport named, a hint"
run 1 "cannot reach the producer through transport 'sim:$PWD/no-such-socket'" create
grep -q "hint: is the simulator running" out ||
	fail "no hint about the simulator when it is unreachable"
run 1 "cannot reach the producer through transport 'xen'" --transport xen start
[ -e home/session ] && fail "a failed create/start left home/session"

echo "== list: every event of the generated table"
"$LTTCTL" list >list.out 2>&1 || fail "lttctl-xen list: exit $?"
# genevent's model (build/gen/model.json): names and ids, by id.
/usr/bin/python3 -c '
import json, sys
for ev in json.load(open(sys.argv[1]))["events"]:
    print(ev["id"], ev["name"])' "$GEN/model.json" >model.ids ||
	fail "cannot read $GEN/model.json"
cut -d" " -f2 model.ids | sort >want.names
n=$(wc -l <want.names)
# Every <event> of the hypervisor's facility XML (not side="guest"),
# counted without genevent.
nxml=$(grep -L 'side="guest"' "$TOP"/facilities/*.xml | xargs cat | grep -c '<event ')
nfac=$(grep -L 'side="guest"' "$TOP"/facilities/*.xml | wc -l)
[ "$n" -eq "$nxml" ] || fail "the generated table has $n events, the facility XML $nxml"
sed -n 's/^  \([a-z0-9_]*:[a-z0-9_]*\)$/\1/p' list.out | sort >got.names
if ! cmp -s want.names got.names; then
	fail "list does not show exactly the generated events:"
	diff want.names got.names | indent | head -20
fi
grep -q "^$nxml events in $nfac facilities" list.out ||
	fail "list: no '$nxml events in $nfac facilities' line"
"$LTTCTL" list --verbose >listv.out 2>&1 || fail "list --verbose: exit $?"
# The id genevent assigned (build/gen/model.json), not a copy of it.
vmexit_id=$(sed -n 's/^\([0-9]*\) hvm:vmexit$/\1/p' model.ids)
[ -n "$vmexit_id" ] || fail "no id for hvm:vmexit in $GEN/model.json"
grep -Eq "^  hvm:vmexit +id +$vmexit_id," listv.out ||
	fail "list --verbose: hvm:vmexit does not show id $vmexit_id"
[ "$(grep -Ec ' id +[0-9]+,' listv.out)" -eq "$nxml" ] ||
	fail "list --verbose: not $nxml ids"

echo "== --help, per verb, and --version"
for v in "" create start stop status snapshot destroy list; do
	"$LTTCTL" $v --help >help.out 2>&1 || fail "lttctl-xen $v --help: exit $?"
	for sect in NAME SYNOPSIS DESCRIPTION "EXIT STATUS"; do
		grep -q "^$sect" help.out ||
			fail "lttctl-xen $v --help: no $sect section"
	done
done
"$LTTCTL" --help | grep -q "lttctl-xen VERB --help" ||
	fail "--help does not point to the verbs' help"
abi=$(sed -n 's/^#define LTTNG_XEN_ABI_VERSION  *\([0-9]*\).*/\1/p' \
	"$TOP/include/lttng-xen/abi.h")
run 0 "ABI version $abi, $nxml events in $nfac facilities" --version

finish
