#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bench/xen/host/bench-xen-host, the real-host runner of `make
# bench-xen`, walked through a whole sequence in --dry-run: start, then
# one `resume` per simulated boot (what bench-xen-host.service runs),
# each checking that the entry the last grub-reboot chose is the
# configuration of its step, running a stand-in harness that writes
# fixed results, choosing the next entry and "rebooting"; after the
# last, the aggregation.  The recorded actions must be exactly the
# expected sequence, and results.csv must hold the geometric means,
# sample standard deviations and relative percentages this test
# computes itself (awk) from the same fixed inputs.
# Also: start refuses a GRUB menu that lacks an entry; a failing run
# stops the sequence (service disabled, no reboot, no loop); a boot into
# the wrong entry is caught; the aggregation refuses a missing run.
set -u
host=$TOP/bench/xen/host/bench-xen-host
benchxen=$TOP/bench/xen/benchxen.py
. "$TOP/tests/lib/lib.sh"

"$host" --help >help.out || fail "--help exited $?"
grep -q 'dry-run' help.out || fail "--help does not describe --dry-run"

python3 "$benchxen" configs --set default >configs.tsv ||
	{ echo "FAIL: benchxen.py configs"; exit 1; }
nconf=$(wc -l <configs.tsv)
[ "$nconf" -eq 6 ] || fail "the default set has $nconf configurations, not 6"

# A GRUB menu with every entry of the set, grub-reboot-capable.
{
	echo 'if [ "${next_entry}" ] ; then set default="${next_entry}"; fi'
	cut -f4 configs.tsv | while IFS= read -r e; do
		printf "menuentry '%s' --class xen {\n}\n" "$e"
	done
} >grub.cfg

# The fixed inputs: per configuration c (1..5), workload w (1..W, the
# default set's, the first being tar create) and repeat r (1..R, the
# set's repeats), value = base(w) * (1 + c/20) * (1 + (r - 2) *
# spread(w)) with base(w) = 2.5 + 3w and spread(w) = 0.01w, with trace
# bytes, events and stream bytes for the two tracing-to-disk
# configurations, and xentrace's records converted to CTF for xentrace.
# The set's workloads, repeats, and those whose metric is higher-is-better:
python3 -c 'import sys, tomllib
b = tomllib.load(open(sys.argv[1], "rb"))
s = b["sets"]["default"]
print(" ".join(s["workloads"]))
print(s["repeats"])
print(" ".join(w["name"] for w in b["workload"] if w.get("better") == "higher"))' \
	"$TOP/bench/xen/bench-xen.toml" >set.txt || { echo "FAIL: cannot read bench-xen.toml"; exit 1; }
workloads=$(sed -n 1p set.txt)
R=$(sed -n 2p set.txt)
higher=$(sed -n 3p set.txt)
W=$(echo $workloads | wc -w)
[ "$R" -ge 3 ] || fail "the default set repeats $R times, fewer than 3"
[ "${workloads%% *}" = tar-create ] || fail "the default set's first workload is not tar-create"
awk -v wl="$workloads" -v R="$R" 'BEGIN {
	n = split(wl, w, " ")
	for (i = 1; i <= n; i++) { base[i] = 2.5 + 3 * i; spread[i] = 0.01 * i }
}
{
	c = NR
	for (i = 1; i <= n; i++)
		for (r = 1; r <= R; r++) {
			v = base[i] * (1 + c / 20) * (1 + (r - 2) * spread[i])
			tb = "-"; d = "-"; ev = "-"; sb = "-"; cb = "-"
			if ($3 == "lttng-disk") {
				tb = 100000 * i + r; d = r - 1
				ev = 10000 * i + 3 * r; sb = tb - 50000
			}
			if ($3 == "xentrace") {
				tb = 300000 * i + 7 * r; ev = 20000 * i + r
				sb = tb; cb = 150000 * i + 5 * r
			}
			printf "%s\t%s\t%d\t%.6f\t%s\t%s\t%s\t%s\t%s\n",
				$1, w[i], r, v, tb, d, ev, sb, cb
		}
}' configs.tsv >fixed.tsv

# The stand-in harness: plan.sh's configuration's lines of fixed.tsv.
cat >harness <<EOT
#!/bin/sh
. "\$1/plan.sh"
for w in $workloads; do
	for s in setup run cleanup; do
		[ -f "\$1/\$w.\$s" ] || { echo "no \$w.\$s in the plan"; exit 1; }
	done
done
[ "\$BX_REPEATS" = $R ] || { echo "repeats \$BX_REPEATS"; exit 1; }
grep -q '^kernel = "$PWD/state/domu/vmlinuz"\$' "\$DOMU_CFG" || { echo "DOMU_CFG=\$DOMU_CFG"; exit 1; }
command -v domu-run >/dev/null || { echo "no domu-run on PATH"; exit 1; }
echo "harness \$BX_CONFIG \$BX_TRACER" >>"$PWD/harness.log"
awk -F'\t' -v c="\$BX_CONFIG" '\$1 == c' "$PWD/fixed.tsv" >>"\$2"
EOT
chmod +x harness

# The domU's kernel: start only copies it into the guest's image.
echo "not a kernel" >fake-vmlinuz
st=$PWD/state
run() { "$host" "$@" --state "$st" >>host.out 2>&1; }

run start --set default --dry-run --settle 0 --grub-cfg grub.cfg \
	--harness "$PWD/harness" --no-charts --domu-kernel fake-vmlinuz || fail "start --dry-run exited $?"
boots=0
while grep -q '^phase=running' "$st/state" 2>/dev/null && [ $boots -lt 10 ]; do
	boots=$((boots + 1))
	run resume || { fail "resume (boot $boots) exited $?"; break; }
done
cat host.out
[ $boots -eq "$nconf" ] || fail "$boots boots for $nconf configurations"
gzip -dc "$st/domu/initrd.cpio.gz" | cpio -t 2>/dev/null | grep -qx bin/microbench ||
	fail "start built no domU initramfs with bin/microbench in $st/domu"
grep -q '^phase=done' "$st/state" || fail "the sequence did not end: $(cat "$st/state")"
# The service does nothing once the sequence is over.
run resume || fail "resume after the end exited $?"

# The machine's actions, in order.
{
	echo "install $st/bench-xen-host.service /etc/systemd/system/bench-xen-host.service"
	echo "systemctl daemon-reload"
	echo "systemctl enable bench-xen-host.service"
	i=0
	while IFS='	' read -r name xen _tracer entry _kernel; do
		[ $i -gt 0 ] || { echo "grub-reboot $entry"; echo reboot; }
		echo "check-booted $name $xen"
		echo "systemctl stop cron.service"
		next=$(sed -n "$((i + 2))p" configs.tsv | cut -f4)
		[ -z "$next" ] || { echo "grub-reboot $next"; echo reboot; }
		i=$((i + 1))
	done <configs.tsv
	echo "systemctl disable bench-xen-host.service"
	echo reboot
} >expected-actions
diff -u expected-actions "$st/dry-run.log" >actions.diff ||
	{ cat actions.diff; fail "the recorded actions differ from the expected sequence"; }
sed 's/@BENCH_XEN_HOST@/x/' "$TOP/bench/xen/host/bench-xen-host.service" >/dev/null
grep -q "^ExecStart=$host resume --state $st\$" "$st/bench-xen-host.service" ||
	fail "the installed unit does not run '$host resume --state $st'"
[ "$(cut -d' ' -f2 harness.log | tr '\n' ' ')" = "$(cut -f1 configs.tsv | tr '\n' ' ')" ] ||
	fail "the harness ran: $(cut -d' ' -f2 harness.log | tr '\n' ' ')"

# The aggregation, against this test's own arithmetic.
res=$st/results/results.csv
[ -f "$res" ] && [ -f "$st/results/results.md" ] || fail "no results.csv / results.md"
awk -F'\t' -v base=stock -v hi="$higher" '
{
	k = $1 SUBSEP $2
	n[k]++; lg[k] += log($4); s[k] += $4; v[k, n[k]] = $4
	if ($5 != "-") { tb[k] += $5; ntb[k]++ }
	if ($6 != "-") dc[k] += $6
	if ($7 != "-") { ev[k] += $7; sb[k] += $8 }
	if ($9 != "-") cb[k] += $9
	cfg[$1] = 1; wl[$2] = 1
}
END {
	split(hi, h, " "); for (i in h) higher[h[i]] = 1
	for (k in n) {
		gm[k] = exp(lg[k] / n[k]); m = s[k] / n[k]; ss = 0
		for (i = 1; i <= n[k]; i++) ss += (v[k, i] - m) ^ 2
		sd[k] = sqrt(ss / (n[k] - 1))
	}
	for (k in n) {
		split(k, p, SUBSEP); xa = gm[base SUBSEP p[2]]; xb = gm[k]
		rel = p[2] in higher ? (1 - (xa - xb) / xa) * 100 : (1 - (xb - xa) / xa) * 100
		printf "%s %s %.6g %.6g %.6g %s %s %s %s %s\n", p[2], p[1], gm[k], sd[k], rel,
			(k in ntb) ? sprintf("%.6g", tb[k] / ntb[k]) : "-", (k in dc) ? dc[k] : "-",
			(k in ev) ? sprintf("%.6g", ev[k] / n[k]) : "-",
			(k in ev) ? sprintf("%.6g", sb[k] / ev[k]) : "-",
			(k in cb) ? sprintf("%.6g", cb[k] / ev[k]) : "-"
	}
}' fixed.tsv | sort >expected-stats
# results.csv: workload,config,unit,better,n,geomean,stddev,min,max,
# relative_pct,trace_bytes,trace_bytes_sd,discarded,events,stream_bytes,
# bytes_per_event,bytes_per_event_sd,ctf_bytes,ctf_bytes_per_event, then
# the consumer's figures and the tests (tests/bench-xen/test-stats.sh)
head -n 1 "$res" | grep -q ',events,stream_bytes,bytes_per_event,bytes_per_event_sd,ctf_bytes,ctf_bytes_per_event,run_seconds,consumer_cpu_s,consumer_share_pct,half_width_pct,rel_lo,rel_hi,p_base,p_base_holm,sig_base,ref_pct,ref_lo,ref_hi,p_ref,p_ref_holm,sig_ref$' ||
	fail "results.csv's header is $(head -n 1 "$res")"
awk -F, 'NR > 1 { for (i = 1; i <= NF; i++) if ($i == "") $i = "-"
	print $1, $2, $6, $7, $10, $11, $13, $14, $16, $19 }' "$res" | sort >got-stats
# Compare with a relative tolerance of 1e-5 (both print 6 digits).
paste -d' ' expected-stats got-stats | awk '
function close_enough(a, b) { return a == b || (a + 0 != 0 && (a - b) / a < 1e-5 && (b - a) / a < 1e-5) }
{
	for (i = 1; i <= 10; i++)
		if (!close_enough($i, $(i + 10))) { print "line " NR ": expected", $1, $2, "field", i, $i, "got", $(i + 10); bad = 1 }
}
END { exit bad }' || fail "results.csv differs from this test's statistics"
[ "$(wc -l <expected-stats)" -eq $((nconf * W)) ] && [ "$(wc -l <got-stats)" -eq $((nconf * W)) ] ||
	fail "expected $((nconf * W)) (configuration, workload) rows, results.csv has $(wc -l <got-stats)"
# The baseline is 100 % of itself; the size ratio is in the report.
awk '$2 == "stock" && $5 != 100 { exit 1 }' got-stats || fail "stock is not 100 % of itself"
# tar create (i = 1): lttng-xen 100000 + r bytes, xentrace 300000 + 7r.
tb_l=$(awk -v R="$R" 'BEGIN { printf "%.0f", 100000 + (R + 1) / 2 }')
tb_x=$(awk -v R="$R" 'BEGIN { printf "%.0f", 300000 + 7 * (R + 1) / 2 }')
disc=$((R * (R - 1) / 2))
grep -q "^| tar create | $tb_l ± [0-9.]* | $disc | $tb_x ± [0-9.]* | 0.33 |" "$st/results/results.md" ||
	fail "results.md's trace size row for tar create is not $tb_l vs $tb_x, ratio 0.33"
# Per event, same workload: lttng-xen (50000 + r) / (10000 + 3r), xentrace
# (300000 + 7r) / (20000 + r), converted (150000 + 5r) / (20000 + r).
row=$(awk -v R="$R" 'BEGIN {
	for (r = 1; r <= R; r++) { le += 10000 + 3 * r; lb += 50000 + r
		xe += 20000 + r; xb += 300000 + 7 * r; cb += 150000 + 5 * r }
	printf "| tar create | %.0f | %.4g | %.0f | %.4g | %.3f | %.4g | %.3f |",
		le / R, lb / le, xe / R, xb / xe, (lb / le) / (xb / xe), cb / xe, cb / xb }')
grep -qF "$row" "$st/results/results.md" ||
	fail "results.md has no per-event row '$row' for tar create: $(grep '^| tar create' "$st/results/results.md" | tail -n 1)"
grep -q '^| \*\*all\*\* |' "$st/results/results.md" ||
	fail "results.md's per-event table has no total row"

# The charts, from the same results (gnuplot-nox: make check's deps).
python3 "$benchxen" aggregate --set default --raw "$st/results/raw" \
	--out charts >charts.out 2>&1 || { cat charts.out; fail "aggregate with charts exited $?"; }
for png in overhead trace-size bytes-per-event; do
	[ "$(head -c 8 "charts/$png.png" 2>/dev/null | od -A n -t x1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
		fail "charts/$png.png is not a PNG image"
done

# Raw files from before the event counts (6 fields) still aggregate,
# without the per-event table.
mkdir -p old-raw
for f in "$st"/results/raw/raw-*.tsv; do
	cut -f1-6 "$f" >"old-raw/$(basename "$f")"
done
python3 "$benchxen" aggregate --set default --raw old-raw --out old-out \
	--no-charts >old.out 2>&1 || { cat old.out; fail "aggregate of 6-field raw files exited $?"; }
grep -q '^| tar create | ' old-out/results.md && ! grep -q 'Bytes per event' old-out/results.md ||
	fail "6-field raw files: no size table, or a per-event table without counts"

# A missing run: the aggregation refuses to write a table with a hole.
mkdir -p holed
sed '/^compiled\tgzip\t2\t/d' "$st/results/raw/raw-compiled.tsv" >holed/raw-compiled.tsv
for f in "$st"/results/raw/raw-*.tsv; do
	[ "$(basename "$f")" = raw-compiled.tsv ] || cp "$f" holed/
done
rc=0
python3 "$benchxen" aggregate --set default --raw holed --out holed-out \
	--no-charts 2>holed.err || rc=$?
cat holed.err
[ $rc -eq 1 ] && grep -q "runs missing: compiled/gzip ($((R - 1)) of $R)" holed.err ||
	fail "aggregate with a missing run exited $rc without naming it"
[ ! -f holed-out/results.csv ] || fail "aggregate wrote results.csv with a run missing"

# start refuses a menu without one of the entries.
grep -v "bench-xen: xentrace" grub.cfg >grub-missing.cfg
rc=0
"$host" start --set default --dry-run --state st2 --grub-cfg grub-missing.cfg \
	>missing.out 2>&1 || rc=$?
cat missing.out
[ $rc -eq 1 ] && grep -q "has no menu entry 'bench-xen: xentrace, to disk'" missing.out ||
	fail "start with a missing GRUB entry exited $rc without naming it"
[ ! -f st2/state ] || fail "start wrote a state despite the missing entry"

# A run that fails: the sequence stops, nothing reboots.
printf '#!/bin/sh\necho "the workload crashed" >&2\nexit 1\n' >bad-harness
chmod +x bad-harness
"$host" start --set default --dry-run --state st3 --settle 0 --domu-kernel fake-vmlinuz \
	--grub-cfg grub.cfg --harness "$PWD/bad-harness" >bad.out 2>&1 ||
	fail "start (failing harness) exited $?"
rc=0
"$host" resume --state st3 >>bad.out 2>&1 || rc=$?
cat bad.out
[ $rc -eq 1 ] && grep -q 'cannot run stock: the harness failed' bad.out ||
	fail "resume with a failing harness exited $rc without saying so"
grep -q '^phase=failed' st3/state || fail "the failed sequence is not marked failed"
[ "$(tail -n 1 st3/dry-run.log)" = "systemctl disable bench-xen-host.service" ] ||
	fail "after a failure the last action is '$(tail -n 1 st3/dry-run.log)', not disabling the service"
rc=0
"$host" resume --state st3 >>bad.out 2>&1 || rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^reboot' st3/dry-run.log)" -eq 1 ] ||
	fail "a failed sequence resumed (exit $rc) or rebooted again"

# A boot into the wrong entry (GRUB fell back to its default).
"$host" start --set default --dry-run --state st4 --settle 0 --domu-kernel fake-vmlinuz \
	--grub-cfg grub.cfg --harness "$PWD/harness" >wrong.out 2>&1 ||
	fail "start (wrong entry) exited $?"
echo "grub-reboot Debian GNU/Linux, with Xen hypervisor" >>st4/dry-run.log
rc=0
"$host" resume --state st4 >>wrong.out 2>&1 || rc=$?
cat wrong.out
[ $rc -eq 1 ] && grep -q "not 'bench-xen: stock Xen'" wrong.out ||
	fail "resume in the wrong entry exited $rc without saying so"

[ $nfail -eq 0 ] || exit 1
echo "ok: the host runner's dry-run walked $nconf configurations, and results.csv matches"
