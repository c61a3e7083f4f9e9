#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fuzz genevent's parser, checks and back ends (build/bin/genevent-fuzz,
# libFuzzer + ASan + UBSan; `make fuzz`) for 25 seconds, from a corpus of
# the facilities and the test inputs.  Any crash, leak, timeout or
# sanitizer report fails; the failing input is printed.
set -u
. "$TOP/tests/lib/lib.sh"
fuzzer="$BUILD/bin/genevent-fuzz"

[ -x "$fuzzer" ] ||
	skip "$fuzzer is not built; run make fuzz (needs clang and libclang-rt-14-dev)"

mkdir corpus
for f in "$TOP"/facilities/*.xml "$TOP"/tests/genevent/bad/*.xml \
	 "$TOP"/tests/genevent/golden/*.xml; do
	[ -f "$f" ] || continue
	dir=${f%/*}
	cp "$f" "corpus/${dir##*/}-${f##*/}"
done
echo "corpus: $(find corpus -type f | wc -l) seed files"

# libFuzzer's own failure status is 77, our "skip": map every failure to 1.
"$fuzzer" -max_total_time=25 -timeout=10 -rss_limit_mb=2048 \
	-dict="$TOP/genevent/fuzz.dict" -artifact_prefix="$PWD/" \
	-print_final_stats=1 corpus >fuzz.log 2>&1
rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' fuzz.log)
echo "executions: ${runs:-unknown} (exit $rc)"
reports=$(grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|^SUMMARY:' fuzz.log)
artifacts=$(ls crash-* leak-* timeout-* oom-* slow-unit-* 2>/dev/null)
if [ $rc -eq 0 ] && [ -z "$reports" ] && [ -z "$artifacts" ] && [ -n "$runs" ]; then
	echo "no crash, leak or sanitizer report"
	exit 0
fi
echo "FAIL: the fuzzer found a problem (exit $rc)"
[ -n "$reports" ] && echo "$reports"
for a in $artifacts; do
	echo "--- input $a (reproduce: $fuzzer FILE):"
	head -c 2000 "$a" | cat -v
	echo
done
echo "--- end of fuzz.log:"
tail -n 60 fuzz.log
exit 1
