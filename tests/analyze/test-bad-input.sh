#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-analyze on input it must refuse or handle: each refusal
# exits 1 (2 for bad usage) with one message saying which file, where and
# why, and writes no CSV; what it can read it reads without inventing an
# attribution.
#  - not a trace: a missing path, a text file, an empty directory, one
#    stream file of a trace, a CTF trace of another tracer (tracer_name);
#  - a truncated stream (cut inside its packet), a truncated xentrace
#    file (lttng-xen-import's offset passed on);
#  - an event the model does not know: a renamed event class is counted
#    under its name, attributed to the vCPU running its CPU, and takes
#    nothing from the tables of the event it used to be; a known event
#    without a field the model reads is a clear error;
#  - a trace with no scheduler event (tests/compare/gen-xentrace.py's):
#    every event "unknown", no domain, no vCPU;
#  - the public bt2 API and the native path give the same CSV files;
#  - usage errors, --help, an output directory that cannot be written.
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/analyze/lib.sh"

analyze_prepare

$py "$here/gen-scenario.py" scenario.bin --no-lost
"$BUILD/bin/lttng-xen-import" --quiet --tsc-mhz 1000 -o trace scenario.bin
"$analyze" --csv good trace >good.txt || die "lttng-xen-analyze on the good trace"

# bad RC PATTERN ARGS...: lttng-xen-analyze ARGS exits RC, saying PATTERN
# (grep -E) on stderr, and writes no CSV.
n=0
bad() {
	want=$1 pattern=$2
	shift 2
	n=$((n + 1))
	rm -rf out
	rc=0
	"$analyze" --csv out "$@" >bad.out 2>bad.err || rc=$?
	echo "case $n: $* -> $rc: $(cat bad.err)"
	[ $rc -eq "$want" ] || { cat bad.out; die "case $n exited $rc, expected $want"; }
	[ "$(wc -l <bad.err)" -le 2 ] || die "case $n: more than one message"
	grep -Eq "$pattern" bad.err || die "case $n: the message does not match '$pattern'"
	[ ! -e out ] || die "case $n wrote CSV files"
}

bad 1 "^lttng-xen-analyze: cannot read nope: No such file or directory$" nope
echo "not a trace at all" >text.txt
bad 1 "text.txt is neither a CTF trace directory nor a xentrace file: it starts with 0x20746f6e, not with a xentrace CPU-change record \(0x2001f003\)" text.txt
mkdir empty
bad 1 "empty is not a CTF trace: it has no metadata file" empty
bad 1 "trace/channel0_0 is one stream file of a CTF trace: give the trace's directory, trace" trace/channel0_0
cp -r trace other
sed -i 's/tracer_name = "xen-lttng"/tracer_name = "lttng-modules"/' other/metadata
bad 1 'other is not an lttng-xen trace: its metadata says tracer_name = "lttng-modules", not "xen-lttng"' other

# A stream cut inside its packet: babeltrace2's reason, the file named.
cp -r trace cut
size=$(stat -c %s cut/channel0_0)
truncate -s $((size / 2)) cut/channel0_0
bad 1 "cannot read the trace cut: babeltrace2: .*CTF stream file '[^']*cut/channel0_0'" cut
head -c 300 scenario.bin >cut.bin
bad 1 "cannot convert the xentrace file cut.bin: lttng-xen-import: cannot import cut.bin: byte [0-9]+: .*truncated file\)$" \
	--tsc-mhz 1000 cut.bin

# A known event whose field the model reads is missing.
cp -r trace nofield
sed -i 's/ _next_domain;/ _next_dom;/' nofield/metadata
bad 1 "nofield: event sched:context_switch has no field 'next_domain' \(its fields: next_dom, next_unit, prev_domain, prev_unit\)" nofield

# Usage.
bad 2 "required: trace" 
bad 2 "argument --interval: '0' is not a positive number" --interval 0 trace
bad 2 "argument --hvm: invalid choice" --hvm arm trace
"$analyze" --help >help.txt || die "--help exited non-zero"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES; do
	grep -q "^$s" help.txt || die "--help has no $s section"
done
rc=0
"$analyze" --csv /proc/nope trace >/dev/null 2>err.txt || rc=$?
cat err.txt
[ $rc -eq 1 ] && grep -q "^lttng-xen-analyze: cannot write /proc/nope" err.txt ||
	die "an unwritable --csv directory: exit $rc"
echo "ok: $n refusals, each one message, no output"

# An event class the model does not know (pv:trap renamed): counted under
# its name and attributed like any event; the traps table is empty.
cp -r trace newev
sed -i 's/name = "pv:trap";/name = "pv:trap_v2";/' newev/metadata
"$analyze" --csv newev-csv newev >/dev/null || die "a trace with an unknown event"
cat >newev.expect <<'EOF'
events domain=0,vcpu=0,event=pv:trap_v2 count=1
events domain=0,vcpu=0,event=pv:trap absent
traps rows=0
summary quantity=event_types value=15
summary quantity=event_types_analysed value=14
EOF
$py "$here/check-csv.py" newev-csv newev.expect || die "the unknown event (above)"

# No scheduler event at all: every event unknown, no domain invented.
$py "$TOP/tests/compare/gen-xentrace.py" nosched.bin
"$analyze" --tsc-mhz 1000 --csv nosched nosched.bin >/dev/null ||
	die "a trace without scheduler events"
cat >nosched.expect <<'EOF'
summary quantity=events value=1708
summary quantity=events_unknown_context value=1708
domains rows=1
domains domain=unknown cpu_share_pct=100.00
vcpus rows=0
hypercalls domain=unknown,cpu=0,op=13 count=200
hypercalls domain=unknown,cpu=1,op=13 count=200
unknown what=undeclared_xentrace_id,event=0x0eee0001 count=2
EOF
$py "$here/check-csv.py" nosched nosched.expect || die "the trace without scheduler events (above)"

# babeltrace2's public Python API and the native calls agree.
LTTNG_XEN_ANALYZE_PUBLIC_API=1 "$analyze" --csv public trace >/dev/null ||
	die "the public API path"
diff -r good public || die "the public API path gives other figures"
echo "ok: unknown events counted, nothing attributed without a context switch, both bt2 paths alike"
