#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The statistics of bench/xen/ on fixed inputs: stats.py against
# published values (Student's t quantiles from any t table; Welch's
# test from its defining formulas, computed here independently; Holm's
# adjustment by hand), benchxen.py's verdicts, precision rule and
# agreement of two runs, and benchhv.py's table from fixed hypervisor
# rows, including the rows it must refuse.
set -u
bx=$TOP/bench/xen
. "$TOP/tests/lib/lib.sh"

# stats.py --------------------------------------------------------------
PYTHONPATH=$bx python3 - <<'EOF' || fail "stats.py (above)"
import math, sys
import stats as s
bad = 0
def check(what, got, want, tol=1e-6):
    global bad
    if isinstance(want, tuple):
        ok = all(abs(g - w) <= tol * max(1, abs(w)) for g, w in zip(got, want))
    else:
        ok = abs(got - want) <= tol * max(1, abs(want))
    if not ok:
        print(f"FAIL: {what}: got {got}, want {want}")
        bad += 1
# Two-sided 95 % and 99 % critical values of Student's t (any table).
for df, t95, t99 in ((1, 12.7062, 63.6567), (2, 4.3027, 9.9248),
                     (4, 2.7764, 4.6041), (10, 2.2281, 3.1693),
                     (30, 2.0423, 2.7500), (1000, 1.9623, 2.5808)):
    check(f"t(0.975, {df})", s.t_quantile(0.975, df), t95, 1e-4)
    check(f"t(0.995, {df})", s.t_quantile(0.995, df), t99, 1e-4)
    check(f"P(|T| > t95, {df})", s.t_sf2(t95, df), 0.05, 1e-3)
# The normal limit: P(|Z| > 1.959964) = 0.05.
check("t_sf2 at df 1e7", s.t_sf2(1.959964, 1e7), 0.05, 1e-4)
# Incomplete beta: I_x(1, 1) = x, I_x(a, b) = 1 - I_{1-x}(b, a).
check("I_0.3(1,1)", s.betainc(1, 1, 0.3), 0.3)
check("symmetry", s.betainc(2.5, 4, 0.2), 1 - s.betainc(4, 2.5, 0.8))
# Descriptive figures.
xs = [3, 1, 4, 1, 5, 9, 2, 6]
check("median", s.median(xs), 3.5)
check("quantile 0.25", s.quantile(xs, 0.25), 1.75)
check("stddev", s.stddev([2, 4, 4, 4, 5, 5, 7, 9]), math.sqrt(32 / 7))
check("geomean", s.geomean([1, 10, 100]), 10)
# Welch from its definition: t = (ma - mb) / sqrt(va/na + vb/nb), df by
# Welch-Satterthwaite; the interval is d -+ t(0.975, df) * se, and the p
# value is the tail of |t| at df.
a, b = [1, 2, 3, 4], [2, 4, 6, 8, 10]
va, vb = 5 / 3 / 4, 10 / 5
se = math.sqrt(va + vb)
df = (va + vb) ** 2 / (va ** 2 / 3 + vb ** 2 / 4)
d, lo, hi, p = s.welch(a, b)
check("welch d", d, -3.5)
check("welch ci", (lo, hi), (-3.5 - s.t_quantile(0.975, df) * se,
                             -3.5 + s.t_quantile(0.975, df) * se))
check("welch p", p, s.t_sf2(3.5 / se, df))
check("welch df", df, 5.5206, 1e-4)
# The interval and the test agree: at level 1 - p, an end is at 0.
d, lo, hi, _ = s.welch(a, b, level=1 - p)
check("welch duality", hi, 0.0, 1e-6)
# Log ratio: a sample 2x the other, with the same spread on the logs,
# has ratio 2 exactly.
r, lo, hi, p = s.log_ratio_test([2, 4, 8], [1, 2, 4])
check("log ratio", r, 2.0)
if not (lo < 2 < hi and p > 0.05):
    print(f"FAIL: log ratio interval {lo}..{hi}, p {p}"); bad += 1
# Holm by hand: sorted 0.005, 0.01, 0.03, 0.04 x 4, 3, 2, 1 = 0.02,
# 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06.
check("holm", tuple(s.holm([0.01, 0.04, 0.03, 0.005])), (0.03, 0.06, 0.06, 0.02))
# The bootstrap is seeded: the same inputs, the same interval; equal
# constant samples give exactly 1; a sample 3x the other gives 3.
x = [5.0, 5.5, 6.0, 7.0, 5.2]
if s.bootstrap_ratio(x, x) != s.bootstrap_ratio(x, x):
    print("FAIL: bootstrap not reproducible"); bad += 1
check("bootstrap constant", s.bootstrap_ratio([2.0] * 5, [2.0] * 5), (1.0, 1.0))
lo, hi = s.bootstrap_ratio([3 * v for v in x], x)
if not lo <= 3 <= hi:
    print(f"FAIL: bootstrap of a 3x sample: {lo}..{hi}"); bad += 1
sys.exit(1 if bad else 0)
EOF

# benchxen.py: verdicts, precision, agreement --------------------------
# Fixed raw runs for the default set: every configuration 10 x (1 +
# small deterministic wobble), but lttng-disk 1.25x slower on syscall,
# compiled 1.1x faster on dbench (MB/s: higher), and flight spread
# +-20 % everywhere; every run 2 s of wall time, lttd-xen taking 0.5 s
# of CPU in it and xentrace 0.2 s.
python3 "$bx/benchxen.py" configs --set default >configs.tsv ||
	die "benchxen.py configs"
python3 -c 'import sys, tomllib
s = tomllib.load(open(sys.argv[1], "rb"))["sets"]["default"]
print(" ".join(s["workloads"]), s["repeats"], s["max_repeats"], s["precision"])' \
	"$bx/bench-xen.toml" >set.txt || die "cannot read bench-xen.toml"
workloads=$(awk '{ NF -= 3; print }' set.txt)
R=$(awk '{ print $(NF - 2) }' set.txt)
raw() { # DIR REPEATS-OF-FLIGHT
	mkdir -p "$1"
	awk -v wl="$workloads" -v R="$R" -v RF="$2" -F'\t' '{
		c = NR; n = split(wl, w, " ")
		for (i = 1; i <= n; i++)
			for (r = 1; r <= ($1 == "flight" ? RF : R); r++) {
				v = 10 * (1 + ((r * 7 + c * 3 + i * 5) % 11 - 5) / 1000)
				if ($1 == "lttng-disk" && w[i] == "syscall") v *= 1.25
				if ($1 == "compiled" && w[i] == "dbench") v *= 1.1
				if ($1 == "flight") v *= 1 + ((r * 5 + i) % 9 - 4) / 20
				cpu = $3 == "lttng-disk" ? "0.50" : $3 == "xentrace" ? "0.20" : "-"
				printf "%s\t%s\t%d\t%.6f\t-\t-\t-\t-\t-\t2.00\t%s\n", $1, w[i], r, v, cpu \
					>> (dir "/raw-" $1 ".tsv")
			}
	}' dir="$1" configs.tsv
}
raw run1 "$R"
python3 "$bx/benchxen.py" aggregate --set default --raw run1 --out out1 \
	--no-charts 2>err1 || { fail "aggregate of fixed runs failed:"; indent err1; }
# results.csv: the verdicts this test built in, and no other.
python3 - out1/results.csv <<'EOF' || fail "benchxen.py verdicts (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
want_ref = {("syscall", "lttng-disk"): "slower", ("dbench", "compiled"): "faster"}
want_base = {("syscall", "lttng-disk"): "slower", ("dbench", "compiled"): "faster"}
bad = 0
for r in rows:
    k = (r["workload"], r["config"])
    for col, want, skip in (("sig_ref", want_ref, "xentrace-disk"),
                            ("sig_base", want_base, "stock")):
        w = "" if r["config"] == skip else want.get(k, "n.s.")
        if r[col] != w:
            print(f"FAIL: {k} {col} = {r[col]!r}, expected {w!r} "
                  f"(p {r['p_' + col[4:]]}, Holm {r['p_' + col[4:] + '_holm']})")
            bad += 1
r = next(r for r in rows if (r["workload"], r["config"]) == ("syscall", "lttng-disk"))
# 1.25x the time of xentrace-disk's: 80 % of its performance; stock = 100.
if not (79 < float(r["ref_pct"]) < 81 and float(r["ref_lo"]) < 80 < float(r["ref_hi"])):
    print(f"FAIL: lttng-disk on syscall: {r['ref_pct']} % [{r['ref_lo']}, {r['ref_hi']}] of xentrace-disk, expected about 80")
    bad += 1
if not 74 < float(r["relative_pct"]) < 76:
    print(f"FAIL: lttng-disk on syscall: relative {r['relative_pct']} %, expected about 75")
    bad += 1
sys.exit(1 if bad else 0)
EOF
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$2 == "lttng-disk" && $col["consumer_share_pct"] != 25 ||
	$2 == "xentrace-disk" && $col["consumer_share_pct"] != 10 ||
	$2 == "stock" && $col["consumer_share_pct"] != "" { print "FAIL: " $0; bad = 1 }
	END { exit bad }' out1/results.csv ||
	fail "results.csv: the consumers' shares are not 25 % (lttd-xen) and 10 % (xentrace)"
grep -q '^| null syscall | 0.50 s, 25.0 % | 0.20 s, 10.0 % |$' out1/results.md ||
	fail "results.md: no consumer row of 0.50 s, 25 % against 0.20 s, 10 %"
# Against the reference: every other configuration on every workload.
cells=$(( ($(wc -l <configs.tsv) - 1) * $(echo $workloads | wc -w) ))
grep -q "^Significant: 2 of $cells cells: \`compiled\` faster on dbench, \`lttng-disk\` slower on null syscall\.\$" out1/results.md ||
	fail "results.md does not name the 2 significant cells: $(grep '^Significant' out1/results.md)"

# more: only flight's cells are too spread for the precision; none once
# flight has max_repeats.
python3 "$bx/benchxen.py" more --set default --raw run1 --round 3 >more.tsv ||
	fail "benchxen.py more exited $?"
[ "$(cut -f1-4 more.tsv)" = "3	flight	3	$((R + 1))" ] ||
	fail "more: expected one boot of flight, 3 repeats from $((R + 1)); got '$(cat more.tsv)'"
[ "$(cut -f5 more.tsv)" = "$(echo $workloads | tr ' ' ,)" ] ||
	fail "more: expected every workload of flight; got '$(cut -f5 more.tsv)'"
max=$(awk '{ print $(NF - 1) }' set.txt)
raw capped "$max"
python3 "$bx/benchxen.py" more --set default --raw capped --round 5 >more2.tsv ||
	fail "benchxen.py more (capped) exited $?"
[ ! -s more2.tsv ] || fail "more: repeats beyond max_repeats: $(cat more2.tsv)"

# agree: the same runs agree; a run whose lttng-disk is faster on
# syscall contradicts the first, and one without the dbench difference
# leaves a cell significant in one run only.
python3 "$bx/benchxen.py" agree out1/results.csv out1/results.csv >agree.out ||
	fail "agree: a run does not agree with itself: $(cat agree.out)"
grep -q '^4 significant cell(s) in both runs alike, 0 in one run only, 0 in opposite directions$' agree.out ||
	fail "agree (same): $(tail -n 1 agree.out)"
mkdir run2
sed -e '/^lttng-disk\tsyscall\t/s/\t1[0-9]\.[0-9]*\t/\t8.000000\t/' run1/raw-lttng-disk.tsv >run2/raw-lttng-disk.tsv
awk -F'\t' -v OFS='\t' '$2 == "dbench" { $4 = sprintf("%.6f", $4 / 1.1) } 1' \
	run1/raw-compiled.tsv >run2/raw-compiled.tsv
for f in run1/raw-*.tsv; do
	[ -f "run2/$(basename "$f")" ] || cp "$f" run2/
done
python3 "$bx/benchxen.py" aggregate --set default --raw run2 --out out2 \
	--no-charts 2>err2 || { fail "aggregate of the second runs failed:"; indent err2; }
rc=0
python3 "$bx/benchxen.py" agree out1/results.csv out2/results.csv >agree2.out 2>&1 || rc=$?
cat agree2.out
[ $rc -eq 1 ] || fail "agree: contradicting runs exited $rc, not 1"
grep -q '^CONTRADICT: lttng-disk on syscall against the reference: slower / faster$' agree2.out ||
	fail "agree did not report lttng-disk on syscall as a contradiction"
grep -q '^one run only: compiled on dbench against the reference: faster / n.s.$' agree2.out ||
	fail "agree did not report compiled on dbench as significant in one run only"

# benchhv.py: fixed rows ------------------------------------------------
# Two boots per build, 2 presses, 3 repetitions: every repetition of a
# shape has the same value, lttng-xen's records 150 cycles, xentrace's
# 100, disabled sites 6, the loop 4, the empty call 5, primitives 20.
rows() { # FILE NAME
	awk -v name="$2" 'function press(st,   i, s, v, cpu) {
		print "trace-bench: start " name " tracing " st ": 300 events x 3 repetitions per shape on CPU0, interrupts enabled, TSC 2000000 kHz"
		for (i = 1; i <= ns; i++) {
			s = shape[i]
			v = (s == "loop") ? 4 : (s == "empty-call") ? 5 : (s ~ /cmpxchg|rdtsc|lock/) ? 20 : \
				(st == "off") ? 6 : (name == "lttng-xen") ? 150 : 100
			print "trace-bench: row " name " " st " " s " 1 0 min " v " med " v " max " v " | " v ".0 " v ".0 " v ".0"
		}
		if (st == "on")
			for (i = 3; i <= 8; i++)
				for (cpu = 0; cpu < 2; cpu++)
					print "trace-bench: row " name " on " shape[i] " 2 " cpu " min 1.0 med 1.0 max 1.0 | 200.0 200.0 200.0"
		print "trace-bench: end " name " tracing " st " after 3 ms"
	}
	BEGIN {
		ns = split("loop empty-call 0w 1w 1w-var 2w 5w hypercall lock-cmpxchg local-cmpxchg rdtsc-ordered irqsave-lock", shape, " ")
		print "(XEN) unrelated line"
		press("off"); press("on"); press("on")
	}' >"$1"
}
mkdir hv
rows hv/rows-1-lttng.txt lttng-xen
rows hv/rows-2-xentrace.txt xentrace
rows hv/rows-3-xentrace.txt xentrace
rows hv/rows-4-lttng.txt lttng-xen
python3 "$bx/benchhv.py" aggregate --raw hv --out hv-out --boots 2 \
	--presses 2 --reps 3 --note "fixed rows" 2>hv.err ||
	{ fail "benchhv.py aggregate of fixed rows failed:"; indent hv.err; }
grep -q '^| `2w` | 150.0 (150.0-150.0) \[150.0..150.0\] | 100.0 (100.0-100.0) \[100.0..100.0\] | \*\*1.50\*\* (1.50-1.50), boots 1.50-1.50 |$' hv-out/results.md ||
	fail "benchhv.py: no 2w row of 150 against 100 cycles, ratio 1.50: $(grep '^| `2w`' hv-out/results.md | head -n 1)"
# Disabled site 6, empty call 5: +1.0 cycle in both builds.
grep -q '^| `hypercall` | +1.0 | +1.0 |$' hv-out/results.md ||
	fail "benchhv.py: no disabled-over-empty row of +1.0: $(grep '^| `hypercall` | [+-]' hv-out/results.md)"
[ "$(grep -c '^lttng-xen,on,[^,]*,2,24,' hv-out/results.csv)" -eq 6 ] ||
	fail "benchhv.py: the two-CPU rows do not pool 2 boots x 2 presses x 3 repetitions x 2 CPUs"
grep -q '^on,0w,1,150.0,100.0,1.500,1.500,1.500,1.500,1.500$' hv-out/ratios.csv ||
	fail "benchhv.py: ratios.csv has no 0w row of 1.5"
# Refused: a boot without one of its rows, a press too few, a wrong count.
refuse() { # WHAT EXPECTED-MESSAGE
	rc=0
	python3 "$bx/benchhv.py" aggregate --raw bad --out bad-out --boots 2 \
		--presses 2 --reps 3 2>bad.err || rc=$?
	[ $rc -eq 1 ] && grep -q "$2" bad.err ||
		fail "benchhv.py accepted $1 (exit $rc): $(cat bad.err)"
}
rm -rf bad && cp -R hv bad
sed -i '/row xentrace on 5w 1 /d' bad/rows-3-xentrace.txt
refuse "a missing row" "rows missing in some boots: xentrace on 5w (1 CPU)"
rm -rf bad && cp -R hv bad
awk '/tracing on/ && ++n == 3 { exit } { print }' hv/rows-4-lttng.txt >bad/rows-4-lttng.txt
refuse "a missing press" "1 press(es) with tracing off and 1 with tracing on, expected 1 and 2"
rm -rf bad && cp -R hv bad
sed -i 's/^\(trace-bench: row lttng-xen on 2w 1 0 .*\) 150.0$/\1/' bad/rows-1-lttng.txt
refuse "a row of 2 repetitions" "2 repetitions, expected 3"
rm -rf bad && cp -R hv bad
rm bad/rows-2-xentrace.txt
refuse "a boot too few" "1 boot(s) of xentrace, expected 2"

echo "ok so far: stats.py, benchxen.py's verdicts, precision and agreement, and benchhv.py's table on fixed inputs"
finish
