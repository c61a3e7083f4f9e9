#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# check-file.sh XENTRACE_FILE XEN_CONSOLE_LOG OUT_DIR
# Import a xentrace file that Debian's xentrace recorded (the e2e run's)
# with lttng-xen-import, at the TSC rate Xen printed on its console, into
# OUT_DIR, and check the trace against the file itself:
#  - xtfile.py, an independent reader, agrees with xenalyze --summary
#    (Debian's xen-utils-common) on the file: bytes per CPU and class;
#  - babeltrace2 reads the trace; per event type, its counts equal the
#    file's record counts (ids named through the facility XML), and its
#    discarded events the file's TRC_LOST_RECORDS counts;
#  - the PV events xenalyze counts one to one have its counts.
# Used by tests/xen/test-e2e.sh right after its xentrace boot, and by
# test-e2e-file.sh on the file the last e2e run left.  Exits 77 when
# xenalyze cannot be downloaded.
set -eu
. "$TOP/tests/lib/lib.sh"
file=$1 console=$2 out=$3
py=/usr/bin/python3
here=$TOP/tests/xentrace-import

"$TOP/mk/deps.sh" babeltrace2 python3 python3-bt2 libxen-dev
make --no-print-directory -C "$TOP" BUILD="$BUILD" "$BUILD/bin/lttng-xen-import"

# xenalyze (Debian's xen-utils-common), downloaded once.
. "$TOP/tests/lib/xenalyze.sh"
xenalyze_get

mhz=$(sed -n 's/^(XEN) Detected \([0-9.]*\) MHz processor.*/\1/p' "$console" | head -n 1)
[ -n "$mhz" ] || die "$console does not say the TSC rate (no 'Detected ... MHz processor')"

rm -rf "$out"
"$BUILD/bin/lttng-xen-import" --tsc-mhz "$mhz" --hostname xentrace-e2e \
	-o "$out" "$file" >import.out 2>import.err || {
	cat import.out import.err
	die "lttng-xen-import $file"
}
cat import.out import.err

# xenalyze reads VM exit reasons as Intel's unless told the CPU is AMD's,
# and stops at the first SVM code above VMX's last one.
svm=
grep -aq '^(XEN) HVM: SVM enabled' "$console" && svm=--svm-mode
# shellcheck disable=SC2086
"$xenalyze" --summary $svm "$file" >xenalyze.txt 2>xenalyze.err ||
	{ tail xenalyze.err >&2; die "xenalyze --summary $file"; }
$py "$here/xtfile.py" volume "$file" >volume.xtfile
$py "$here/xtfile.py" xenalyze-volume xenalyze.txt >volume.xenalyze
diff volume.xenalyze volume.xtfile >volume.diff ||
	{ cat volume.diff; die "xtfile.py and xenalyze read the file differently (bytes per CPU and class; < xenalyze, > xtfile.py)"; }
echo "ok: xenalyze and xtfile.py read $(wc -l <volume.xtfile) CPU/class volumes alike"

babeltrace2 "$out" >/dev/null 2>bt.err || { cat bt.err >&2; die "babeltrace2 cannot read $out"; }
$py "$here/xtfile.py" expect "$file" >expect.txt
$py "$here/check-import.py" "$out" --expect expect.txt --xenalyze xenalyze.txt ||
	die "the imported trace does not hold the file's records"
echo "ok: $(grep -c . expect.txt) event types, counts equal to the xentrace file's records and to xenalyze --summary"
