#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-import on small xentrace files written by xtfile.py: a whole
# one (two CPUs, CPU changes back and forth, records without a TSC first
# on a CPU and after timed ones, two TRC_LOST_RECORDS markers, unknown
# ids), a large one cut in many packets, and corrupt or truncated copies
# (record header, TSC or data words cut; the file ending inside a window
# or a CPU change record; a bogus extra-word count or window size; a CPU
# that cannot exist; a malformed CPU change record; a TSC past what a
# trace can hold; not a xentrace file).
# Each corrupt file must stop the import with exit 1 and a message naming
# the byte offset and the fault, and the trace must still hold, decoded
# by babeltrace2, every record before that offset.  Also: the events and
# discarded counts of the whole file equal what xtfile.py reads from it,
# the discarded ranges lie between the marker and the record before it,
# the clock options, and the command line's errors.
set -eu
. "$TOP/tests/lib/lib.sh"
"$TOP/mk/deps.sh" babeltrace2 python3 python3-bt2
make --no-print-directory -C "$TOP" BUILD="$BUILD" "$BUILD/bin/lttng-xen-import"
imp=$BUILD/bin/lttng-xen-import
py=/usr/bin/python3
here=$TOP/tests/xentrace-import

mkdir cases
$py "$here/xtfile.py" write-cases cases
while read -r name records offset text; do
	rc=0
	"$imp" --tsc-hz 1000000000 --subbuf-size 4096 -o "out-$name" \
		"cases/$name.bin" >"$name.out" 2>"$name.err" || rc=$?
	cat "$name.out" "$name.err"
	if [ "$offset" = - ]; then
		[ $rc -eq 0 ] || die "$name: exit $rc for a whole file"
		$py "$here/xtfile.py" expect "cases/$name.bin" >"$name.expect"
		$py "$here/check-import.py" "out-$name" --expect "$name.expect" \
			--records "$records" >"$name.check" ||
			{ cat "$name.check"; die "$name: the trace is not the file"; }
	else
		[ $rc -eq 1 ] || die "$name: exit $rc for a corrupt file, expected 1"
		grep -q "^lttng-xen-import: cannot import cases/$name.bin: byte $offset: .*$text" "$name.err" ||
			die "$name: no error at byte $offset about '$text'"
		$py "$here/check-import.py" "out-$name" --records "$records" \
			>"$name.check" ||
			{ cat "$name.check"; die "$name: the part before byte $offset does not decode whole"; }
	fi
	babeltrace2 "out-$name" >/dev/null 2>"$name.bt.err" ||
		{ cat "$name.bt.err"; die "$name: babeltrace2 cannot read the trace"; }
	[ "$offset" = - ] && echo "ok: $name: all $records records" ||
		echo "ok: $name: error at byte $offset ($text), $records records kept"
done <cases/cases.txt

# The whole file: its summary, and where babeltrace2 puts the losses.
grep -q "whole.bin: 14 records in 4 windows (CPU 0: 9, CPU 1: 5), 47 lost, 4 untimed, 3 unknown" whole.out ||
	die "the summary line of whole.bin"
grep -q "event id 0x000abcd is in no facility: 2 records" whole.err ||
	die "the unknown ids of whole.bin are not reported"
cat whole.check
grep -qx "discarded CPU 0 1300 1400 5" whole.check &&
	grep -qx "discarded CPU 1 2000 2100 42" whole.check ||
	die "the lost records are not reported between the marker and the record before it"
[ "$(ls out-many | grep -c channel0_)" -eq 3 ] || die "many.bin: not one stream per CPU"
packets=$(sed -n 's/.* \([0-9]*\) packets.*/\1/p' many.out | awk '{ n += $1 } END { print n }')
[ "$packets" -gt 30 ] || die "many.bin: $packets packets, expected many"
echo "ok: the losses are where xentrace lost them; many.bin in $packets packets"

# The clock: --tsc-mhz and --offset put the first record (TSC 1000) on
# the Unix epoch.
"$imp" -q --tsc-mhz 2000.5 --offset 1700000000.25 -o clock cases/whole.bin
grep -q "freq = 2000500000;" clock/metadata || die "--tsc-mhz 2000.5 is not 2000500000 Hz"
first=$(babeltrace2 --clock-seconds clock | head -n 1 | cut -c2-21)
[ "$first" = "1700000000.250000499" ] || die "first event at $first, expected 1700000000.250000499"
echo "ok: --tsc-mhz and --offset give the Unix time of each record"

# The command line.
"$imp" --help | grep -q "^    --offset SECONDS" || die "--help"
rc=0; "$imp" cases/whole.bin 2>usage.err || rc=$?
[ $rc -eq 2 ] && grep -q "output directory" usage.err || die "no --output: exit $rc"
rc=0; "$imp" --subbuf-size 5000 -o sb cases/whole.bin 2>sb.err || rc=$?
[ $rc -eq 2 ] && grep -q "power of two" sb.err && [ ! -e sb ] || die "--subbuf-size 5000: exit $rc"
rc=0; "$imp" -o out-whole cases/whole.bin 2>again.err || rc=$?
[ $rc -eq 1 ] && grep -q "out-whole is not empty" again.err || die "a non-empty output directory: exit $rc"
: >empty.bin
rc=0; "$imp" -o empty empty.bin 2>empty.err || rc=$?
[ $rc -eq 1 ] && grep -q "the file is empty" empty.err || die "an empty file: exit $rc"
rc=0; "$imp" --max-cpus 1 -o maxcpu cases/whole.bin 2>maxcpu.err || rc=$?
[ $rc -eq 1 ] && grep -q "byte 88: CPU change to CPU 1, which cannot exist (CPUs are 0 to 0)" maxcpu.err ||
	{ cat maxcpu.err; die "--max-cpus 1: exit $rc"; }
echo "ok: the command line's errors"
