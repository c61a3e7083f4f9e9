#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-analyze on a scheduling scenario whose figures are known
# (gen-scenario.py: two CPUs, dom0, a PV domU, an HVM guest, the idle
# domain; events before the first switch, a migration, wake-ups and a
# preemption, VM exits with port I/O and a hypercall, an HLT exit that
# blocks, an IRQ whose TSC wraps, 5 lost records, an undeclared xentrace
# id), as a xentrace file converted by lttng-xen-import:
#  1. every figure of scenario.expect, worked out by hand, in the CSV
#     files (--interval too), and the four charts drawn;
#  2. the same scenario without the lost records, analysed by Debian's
#     xenalyze --summary too: every figure both compute is equal
#     (xenalyze-compare.py, its rules in code).
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/analyze/lib.sh"

analyze_prepare

$py "$here/gen-scenario.py" scenario.bin
"$analyze" --tsc-mhz 1000 --interval 0.00005 --csv csv --charts charts \
	--text report.txt scenario.bin || die "lttng-xen-analyze scenario.bin"
sed -n '1,/^$/p' report.txt
$py "$here/check-csv.py" csv "$here/scenario.expect" ||
	die "the figures differ from scenario.expect (above)"
for c in cpu-time vcpu-states wake-latency vmexit-time; do
	[ -s "charts/$c.png" ] && [ "$(head -c 4 "charts/$c.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
		die "charts/$c.png is not a PNG file"
done
echo "ok: the scenario's figures are the expected ones; 4 charts drawn"

# The same without the lost records, against xenalyze.
. "$TOP/tests/lib/xenalyze.sh"
xenalyze_get
$py "$here/gen-scenario.py" nolost.bin --no-lost
"$analyze" --tsc-mhz 1000 --csv csv-nolost nolost.bin >/dev/null ||
	die "lttng-xen-analyze nolost.bin"
"$xenalyze" --summary --svm-mode --cpu-hz 1000M nolost.bin >xenalyze.txt \
	2>xenalyze.err || { tail xenalyze.err; die "xenalyze --summary nolost.bin"; }
$py "$here/xenalyze-compare.py" --xenalyze xenalyze.txt \
	--analyze csv-nolost >compare.txt || {
	cat compare.txt
	die "lttng-xen-analyze and xenalyze differ on the scenario (above)"
}
cat compare.txt
n=$(sed -n 's/^\([0-9]*\) figures compared.*/\1/p' compare.txt)
# Every kind of figure must have been compared (not vacuously equal).
for k in ' running (' 'runnable after wake' 'runnable after preempt' \
	'cpu affinity' 'PV hypercall op' 'PV trap vector' 'exit VMEXIT_IOIO' \
	'vmmcall hvm_op' 'port 0x3f8'; do
	grep "^ok .*$k" compare.txt | grep -vq 'xenalyze None' ||
		die "no '$k' figure compared with a value"
done
echo "ok: $n figures of xenalyze --summary equal to lttng-xen-analyze's"
