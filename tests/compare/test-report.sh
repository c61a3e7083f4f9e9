#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-compare on fixed inputs: a lttng-xen trace from the
# simulator (its workload is deterministic: tests/compare/lib.sh) and a
# xentrace file written by gen-xentrace.py.  check-report.py computes
# what the report must say from babeltrace2's output, the simulator's
# workload definition and the generator, and checks the Markdown, the
# CSV and the totals CSV: counts and bytes per event type for both
# formats, framing, file sizes, lost events, time coverage, ratios, and
# the reasons counts differ (lost records, shorter coverage, one trace
# only, xentrace framing, records without a TSC).  Then --check must
# fail here, saying why (the simulator's small packets cost lttng-xen
# more bytes per event than this xentrace file; no domain 7).
set -eu
. "$TOP/tests/compare/lib.sh"

sim_trace trace
check_babeltrace trace
babeltrace2 --clock-cycles trace > trace.cycles
/usr/bin/python3 "$TOP/tests/compare/gen-xentrace.py" xentrace.bin

"$COMPARE" --lttng trace --xentrace xentrace.bin --xentrace-mhz 1000 \
	--md report.md --csv report.csv > compare.out ||
	{ cat compare.out; fail "lttng-xen-compare failed on valid inputs"; }
cat compare.out report.md
grep -q '^wrote report.totals.csv$' compare.out ||
	fail "the totals CSV is not next to the CSV as --help says"
/usr/bin/python3 "$TOP/tests/compare/check-report.py" trace trace.cycles \
	xentrace.bin report

# --check: lttng-xen spends more bytes per event than this xentrace file.
rc=0
"$COMPARE" --lttng trace --xentrace xentrace.bin --md check.md --check \
	> check.out 2> check.err || rc=$?
cat check.err
[ $rc -eq 3 ] || fail "--check exited $rc, expected 3 (bytes per event)"
grep -q 'check failed: lttng-xen spends [0-9.]* bytes per event, xentrace [0-9.]*' check.err ||
	fail "--check did not say why it failed"
# ... and no domain 7 in either trace.
rc=0
"$COMPARE" --lttng trace --xentrace xentrace.bin --md check.md --check \
	--domu 7 > check.out 2> check.err || rc=$?
[ $rc -eq 3 ] && grep -q 'check failed: the lttng-xen trace has no dom0op:dom_add for domain 7' check.err ||
	{ cat check.err; fail "--check --domu 7 did not fail on the missing domain"; }
# Without --xentrace-mhz the report says which TSC rate it assumed.
grep -q "xentrace's TSC taken to run at lttng-xen's clock rate" check.md ||
	fail "the report does not say it assumed xentrace's TSC rate"
echo "ok: --check fails, saying why"
