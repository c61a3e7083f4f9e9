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
bt_read --discards trace
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

# A trace with discarded events (20000 events per CPU as fast as
# possible into 4 x 16 KiB buffers): the bytes must still add up to the
# stream files' sizes, the counts be babeltrace2's, the discarded
# events those babeltrace2 warns about and, per CPU, the producer's own
# discarded counter (the simulator's summary).
sim_trace lossy 20000 0 16384 4
babeltrace2 lossy > lossy.txt 2> lossy.err
"$COMPARE" --lttng lossy --xentrace xentrace.bin --xentrace-mhz 1000 \
	--csv lossy.csv > lossy.out || { cat lossy.out; fail "lttng-xen-compare failed on a trace with discarded events"; }
cat lossy.out lossy.totals.csv
/usr/bin/python3 - lossy.txt lossy.err lossy.csv lossy.totals.csv lossy \
	lossy.summary <<'PY'
import collections, csv, json, os, re, sys
txt, err, rows, totals, tracedir, summary = sys.argv[1:7]
count = collections.Counter(l.split()[3].rstrip(":") for l in open(txt))
warned = sum(int(m.group(1)) for m in re.finditer(
    r"^WARNING: Tracer discarded (\d+) events", open(err).read(), re.M))
lost = {str(c["cpu"]): c["counters"]["discarded"]
        for c in json.load(open(summary))["cpus"]}
got = {r["event"]: int(r["lttng_count"]) for r in csv.DictReader(open(rows))}
tot = {r[0]: r[1] for r in csv.reader(open(totals))}
size = sum(os.path.getsize(os.path.join(tracedir, f))
           for f in os.listdir(tracedir) if f.startswith("channel"))
bad = []
if {k: v for k, v in got.items() if v} != dict(count):
    bad.append("counts %s, babeltrace2 read %s" % (got, dict(count)))
if not warned:
    bad.append("babeltrace2 reports no discarded events: the test is void")
if warned != sum(lost.values()):
    bad.append("babeltrace2 warns of %d discarded events, the producer "
               "counted %d" % (warned, sum(lost.values())))
if tot["events lttng-xen discarded / xentrace lost"] != \
        str(sum(lost.values())):
    bad.append("discarded %s, babeltrace2 warns of %d" % (
        tot["events lttng-xen discarded / xentrace lost"],
        sum(lost.values())))
for cpu in lost:
    if tot["CPU %s: discarded / lost" % cpu] != str(lost[cpu]):
        bad.append("CPU %s: discarded %s, the producer counted %d" % (
            cpu, tot["CPU %s: discarded / lost" % cpu], lost[cpu]))
if tot["file bytes (event streams)"] != str(size):
    bad.append("file bytes %s, stat says %d"
               % (tot["file bytes (event streams)"], size))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else print("ok: %d events, %d discarded (%s), %d bytes"
                             % (sum(count.values()), sum(lost.values()),
                                dict(lost), size)))
PY
