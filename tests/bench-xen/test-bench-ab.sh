#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench-guest-ab without QEMU: its dom0 side (ab-dom0.sh) against a
# stand-in domu-run that says which kernel's domU ran, and its table
# (benchab.py) on fixed rows whose answer is known: a 10 % cost hidden
# under a host that runs each pair up to 2x faster or slower than the
# next must be found, paired, with an interval around 10 % that an
# unpaired comparison of the same figures cannot give; equal kernels
# must come out not significant; runs of different pair counts pool;
# incomplete or malformed rows are refused, naming the file and what is
# wrong.
set -u
bx=$TOP/bench/xen
. "$TOP/tests/lib/lib.sh"

# ab-dom0.sh -------------------------------------------------------------
# The stand-in: "VALUE <n>" where n says the kernel (1 lttng, 2 plain)
# and the mode; it logs the order of the runs.
mkdir -p bin domu-lttng domu-plain
: >domu-lttng/domu.cfg
: >domu-plain/domu.cfg
cat >bin/domu-run <<'EOT'
#!/bin/sh
case $DOMU_CFG in
*/domu-lttng/domu.cfg) k=lttng v=1 ;;
*/domu-plain/domu.cfg) k=plain v=2 ;;
*) echo "no such domU $DOMU_CFG" >&2; exit 1 ;;
esac
[ "$1 $2" != "fork 13" ] || { echo "domu-run: the domU's benchmark failed" >&2; exit 1; }
echo "$1 $k" >>runs.log
echo "VALUE $v.5"
EOT
chmod +x bin/domu-run
PATH=$PWD/bin:$PATH AB_DOMU_ROOT=$PWD sh "$bx/ab-dom0.sh" 2 rows.txt syscall:100 ctx:50 >dom0.out 2>&1 ||
	{ indent dom0.out; fail "ab-dom0.sh with a working domu-run exited $?"; }
printf '%s\n' "syscall lttng" "syscall plain" "ctx lttng" "ctx plain" \
	"syscall plain" "syscall lttng" "ctx plain" "ctx lttng" >want.log
cmp -s want.log runs.log ||
	{ indent runs.log; fail "ab-dom0.sh did not run lttng first in pair 1 and plain first in pair 2 (runs above)"; }
printf '%s\n' "ab: row syscall 1 lttng 1.5" "ab: row syscall 1 plain 2.5" \
	"ab: row ctx 1 lttng 1.5" "ab: row ctx 1 plain 2.5" \
	"ab: row syscall 2 plain 2.5" "ab: row syscall 2 lttng 1.5" \
	"ab: row ctx 2 plain 2.5" "ab: row ctx 2 lttng 1.5" >want.txt
cmp -s want.txt rows.txt || { indent rows.txt; fail "ab-dom0.sh's rows are not what ran (above)"; }
grep -q '^bench-ab: pair 2/2: ctx 50, lttng kernel: 1.5$' dom0.out ||
	{ indent dom0.out; fail "ab-dom0.sh did not report its progress"; }
PATH=$PWD/bin:$PATH expect_exit --stdout 1 '^bench-ab: FAIL: pair 1: microbench fork 13 in the lttng kernel.s domU' \
	env AB_DOMU_ROOT="$PWD" sh "$bx/ab-dom0.sh" 2 rows2.txt fork:13
expect_exit --stdout 1 '^bench-ab: FAIL: no domU image of the lttng kernel \(/nonexistent/domu-lttng/domu.cfg\)$' \
	env AB_DOMU_ROOT=/nonexistent sh "$bx/ab-dom0.sh" 2 rows3.txt syscall:1

# benchab.py -------------------------------------------------------------
# Two boots of 8 pairs.  The host's speed h changes from pair to pair
# (x0.6 .. x1.8) but is shared by both runs of a pair, each run with
# +-1 % of its own; syscall: the traced kernel 10 % slower; pipe (MB/s):
# 10 % less bandwidth, the same cost; ctx: no difference.
mkdir raw
python3 - <<'EOT' || die "cannot write the fixed rows"
hs = [1.0, 0.6, 1.8, 1.2, 0.7, 1.5, 0.9, 1.3]
jit = [1.01, 0.99, 1.005, 0.995, 1.0, 1.01, 0.99, 1.0]
for boot in (1, 2):
    with open(f"raw/rows-{boot}.txt", "w") as f:
        f.write("some console line\n")
        for p in range(1, 9):
            h = hs[p - 1] * (1.1 if boot == 2 else 1.0)
            j, k = jit[p - 1], jit[-p]
            f.write(f"ab: row syscall {p} lttng {20 * h * 1.10 * j:.4f}\n")
            f.write(f"ab: row syscall {p} plain {20 * h * k:.4f}\n")
            f.write(f"ab: row ctx {p} plain {150 * h * j:.4f}\n")
            f.write(f"ab: row ctx {p} lttng {150 * h * k:.4f}\n")
            f.write(f"ab: row pipe {p} lttng {100 / h / 1.10 * j:.3f}\n")
            f.write(f"ab: row pipe {p} plain {100 / h * k:.3f}\n")
EOT
python3 "$bx/benchab.py" aggregate --raw raw --out res --pairs 8 --note "fixed rows" >agg.out 2>&1 ||
	{ indent agg.out; die "benchab.py on complete rows exited $?"; }
[ -s res/results.md ] && [ -s res/results.csv ] || die "benchab.py wrote no results.md or results.csv"
# mode,unit,pairs,lttng_median,plain_median,cost,low,high,p,p_holm,verdict,boot_low,boot_high,unpaired_low,unpaired_high
row() { grep "^$1," res/results.csv; }
awk -F, -v m=syscall '$1 == m && !($3 == 16 && $6 > 1.09 && $6 < 1.11 && $7 < 1.10 && $8 > 1.10 && $7 > 1.05 && $8 < 1.15 && $11 == "slower" && $14 < 1.0) { exit 1 }' res/results.csv &&
	row syscall >/dev/null ||
	{ indent res/results.csv; fail "syscall: a 10 % cost not found as 1.10 slower with a tight paired interval and a wide unpaired one"; }
awk -F, '$1 == "pipe" && !($6 > 1.09 && $6 < 1.11 && $11 == "slower") { exit 1 }' res/results.csv && row pipe >/dev/null ||
	{ indent res/results.csv; fail "pipe: 10 % less bandwidth not found as a cost of 1.10, slower"; }
awk -F, '$1 == "ctx" && !($11 == "n.s." && $7 < 1 && $8 > 1) { exit 1 }' res/results.csv && row ctx >/dev/null ||
	{ indent res/results.csv; fail "ctx: equal kernels not found equal"; }
grep -q '^| null syscall (us) | 16 | .* | +10.0 % \[.*\] | \*\*traced slower\*\* (p ' res/results.md ||
	{ indent res/results.md; fail "results.md has no line for syscall with its cost and verdict"; }
grep -q '^Significant: 2 of 3 modes: null syscall (slower), pipe bw (slower)\.' res/results.md ||
	{ indent res/results.md; fail "results.md does not sum up the significant modes"; }

# Runs pool: a third boot of 3 pairs beside the two of 8, its pair
# count its own; with --pairs 8 it is refused.
mkdir pool
cp raw/rows-1.txt raw/rows-2.txt pool/
grep -E '^ab: row [a-z]+ [123] ' raw/rows-1.txt >pool/rows-3.txt
python3 "$bx/benchab.py" aggregate --raw pool --out pool-res >pool.out 2>&1 ||
	{ indent pool.out; fail "benchab.py on pooled runs exited $?"; }
awk -F, '$1 == "syscall" && $3 != 19 { exit 1 }' pool-res/results.csv ||
	{ indent pool-res/results.csv; fail "pooled: syscall does not count 8 + 8 + 3 pairs"; }
grep -q '^- 3 boot(s), 3 or 8 pairs per mode in each' pool-res/results.md ||
	{ indent pool-res/results.md; fail "pooled: results.md does not say the boots' pair counts"; }
expect_exit --stderr 1 '^benchab: cannot use pool/rows-3.txt: syscall, pair 4 has no lttng and no plain figure$' \
	python3 "$bx/benchab.py" aggregate --raw pool --out pool-res2 --pairs 8

# Refused: what is missing or malformed, named.
refuse() { # PATTERN SED-SCRIPT: the rows of boot 2 edited, then refused
	rm -rf bad && cp -r raw bad
	sed -i "$2" bad/rows-2.txt
	expect_exit --stderr 1 "$1" python3 "$bx/benchab.py" aggregate --raw bad --out bad-res --pairs 8
	[ ! -e bad-res ] || fail "benchab.py wrote results from rows it refused ($2)"
}
refuse '^benchab: cannot use bad/rows-2.txt: ctx, pair 3 has no plain figure$' '/^ab: row ctx 3 plain/d'
refuse "^benchab: cannot use bad/rows-2.txt:[0-9]+: 'x' is not a positive figure$" 's/^\(ab: row pipe 4 lttng\) .*/\1 x/'
refuse "^benchab: cannot use bad/rows-2.txt:[0-9]+: '-3' is not a positive figure$" 's/^\(ab: row pipe 4 lttng\) .*/\1 -3/'
refuse '^benchab: cannot use bad/rows-2.txt:[0-9]+: a second lttng figure for syscall in pair 2$' 's/^ab: row syscall 1 lttng/ab: row syscall 2 lttng/'
refuse "^benchab: cannot use bad/rows-2.txt:[0-9]+: unknown mode 'dbench'" 's/^ab: row ctx 5 plain/ab: row dbench 5 plain/'
refuse '^benchab: cannot use bad/rows-2.txt:[0-9]+: pair 9, expected 1..8$' 's/^ab: row ctx 5 plain/ab: row ctx 9 plain/'
refuse '^benchab: cannot use bad: rows-2.txt ran ctx, syscall, rows-1.txt ctx, pipe, syscall$' '/^ab: row pipe/d'
expect_exit --stderr 1 '^benchab: cannot use empty: no rows-N.txt$' \
	sh -c 'mkdir -p empty && python3 "$1/benchab.py" aggregate --raw empty --out e --pairs 8' sh "$bx"
finish
