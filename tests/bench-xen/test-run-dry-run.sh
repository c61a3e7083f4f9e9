#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make bench-xen`'s runner (bench/xen/run) in its dry run: no QEMU,
# each boot runs a stand-in harness that writes fixed values for the
# plan it is given.  The boots must interleave the configurations (round
# 1 in the set's order, round 2 reversed), then add rounds only for the
# configuration whose repeats spread too widely (flight here, +-20 %),
# up to max_repeats and no further; the report must call the one
# difference built in (lttng-disk 1.3x slower on null syscall)
# significant and nothing else.  Then the guests set, whose reference
# is its own (guest-plain, the guest kernel without linux-patches/): the
# one difference built in there (guest-kernels 1.3x slower on ctx
# switch) must be the one cell called significant against guest-plain.
set -u
bx=$TOP/bench/xen
. "$TOP/tests/lib/lib.sh"

python3 -c 'import sys, tomllib
s = tomllib.load(open(sys.argv[1], "rb"))["sets"]["default"]
print(s["repeats"], s["rounds"], s["max_repeats"], " ".join(s["configs"]))' \
	"$bx/bench-xen.toml" >set.txt || die "cannot read bench-xen.toml"
read -r R rounds max configs <set.txt
per=$((R / rounds))

# The stand-in: one line per repeat and workload of the plan, value 10
# with a small fixed wobble; and a line per boot in boots.log.
cat >harness <<EOT
#!/bin/sh
. "\$1/plan.sh"
echo "\$BX_CONFIG \$BX_FIRST_REPEAT \$BX_REPEATS \$BX_WORKLOADS" >>"$PWD/boots.log"
slow=-
[ ! -f "$PWD/guests-set" ] || slow=guest-kernels
awk -v c="\$BX_CONFIG" -v wl="\$BX_WORKLOADS" -v first="\$BX_FIRST_REPEAT" \\
	-v n="\$BX_REPEATS" -v slow="\$slow" 'BEGIN {
	k = split(wl, w, " ")
	for (r = first; r < first + n; r++)
		for (i = 1; i <= k; i++) {
			v = 10 * (1 + ((r * 7 + length(c) * 3 + i * 5) % 11 - 5) / 1000)
			if (c == "lttng-disk" && w[i] == "syscall") v *= 1.3
			if (c == slow && w[i] == "ctx") v *= 1.3
			if (c == "flight") v *= 1 + ((r * 5 + i) % 9 - 4) / 20
			printf "%s\t%s\t%d\t%.6f\t-\t-\t-\t-\t-\n", c, w[i], r, v
		}
}' >>"\$2"
EOT
chmod +x harness

rc=0
TOP=$TOP BUILD=$PWD/build BENCH_XEN_OUT=$PWD/out BENCH_XEN_DRY_RUN=$PWD/harness \
	BENCH_XEN_NO_CHARTS=1 sh "$bx/run" >run.out 2>&1 || rc=$?
cat run.out
[ $rc -eq 0 ] || die "bench/xen/run's dry run exited $rc"

# The boots: rounds of every configuration, serpentine, then flight
# alone until it has max_repeats.
all=$(python3 "$bx/benchxen.py" plan --set default --config stock --out plan >/dev/null &&
	sed -n "s/^BX_WORKLOADS='\(.*\)'$/\1/p" plan/plan.sh)
{
	r=1
	while [ $r -le "$rounds" ]; do
		if [ $((r % 2)) -eq 1 ]; then order=$configs; else order=$(echo $configs | tr ' ' '\n' | tac | tr '\n' ' '); fi
		for c in $order; do echo "$c $(((r - 1) * per + 1)) $per $all"; done
		r=$((r + 1))
	done
	n=$R
	while [ $n -lt "$max" ]; do
		k=$((max - n < per ? max - n : per))
		echo "flight $((n + 1)) $k $all"
		n=$((n + k))
	done
} >expected-boots
diff -u expected-boots boots.log >boots.diff ||
	{ cat boots.diff; fail "the boots differ from the interleaved schedule with flight's extra rounds"; }
grep -q 'round 3: more repeats where the spread is too wide: flight:' run.out ||
	fail "the run did not say why it added a round"

# The report: the repeats of each cell and the one significant cell.
awk -F, -v R="$R" -v max="$max" 'NR > 1 && $5 != ($2 == "flight" ? max : R) {
	print "FAIL: " $2 " / " $1 ": " $5 " repeats"; bad = 1 } END { exit bad }' \
	out/results.csv || fail "results.csv: wrong repeat counts"
# Cells against the reference: every other configuration, every workload.
cells=$(( ($(echo $configs | wc -w) - 1) * $(echo $all | wc -w) ))
grep -q "^Significant: 1 of $cells cells: \`lttng-disk\` slower on null syscall\.\$" out/results.md ||
	fail "results.md: $(grep '^Significant' out/results.md)"
grep -q "$(($(wc -l <boots.log))) boots in" out/results.md ||
	fail "results.md does not say how many boots the run took"

echo "ok so far: the dry run interleaved $(wc -l <boots.log) boots, added rounds only where the spread demanded, and found the one difference built in"

# The guests set: tested against its own reference.
touch guests-set
rc=0
TOP=$TOP BUILD=$PWD/build BENCH_XEN_SET=guests BENCH_XEN_OUT=$PWD/out-guests \
	BENCH_XEN_DRY_RUN=$PWD/harness BENCH_XEN_NO_CHARTS=1 sh "$bx/run" >run-guests.out 2>&1 || rc=$?
cat run-guests.out
[ $rc -eq 0 ] || die "bench/xen/run's dry run of the guests set exited $rc"
grep -q '^## Against `guest-plain`$' out-guests/results.md ||
	fail "results.md of the guests set has no table against guest-plain"
grep -q '^Significant: 1 of 16 cells: `guest-kernels` slower on ctx switch\.$' out-guests/results.md ||
	fail "results.md of the guests set: $(grep '^Significant' out-guests/results.md)"
grep -q 'guest-plain.*| debian | none | plain |' out-guests/results.md ||
	fail "results.md of the guests set does not say guest-plain boots the plain kernel"
echo "ok so far: the guests set was tested against guest-plain, and only the difference built in was called significant"
finish
