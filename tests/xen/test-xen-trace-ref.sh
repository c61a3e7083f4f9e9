#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tests/xen/xen-4.17-trace-events.txt, the xentrace event ids that
# tests/genevent/test-xentrace-coverage.sh maps through the remap table,
# is what xen-trace-ref.py reads from the source of the pinned Xen today
# (build/xen-src, fetched by mk/xen.sh): the same ids, values, places
# and emitted flags.  Skips (77) only when Debian's pinned Xen source
# cannot be fetched.  Takes seconds once the source is there.
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/xen-src.sh"

xen_fetch "the reference list of event ids"

list=tests/xen/xen-4.17-trace-events.txt
python3 "$TOP/tests/xen/xen-trace-ref.py" events "$xen_pristine" >events.txt
if ! diff -u "$TOP/$list" events.txt >events.diff; then
	cat events.diff
	die "$list is not what $xen_pristine defines and emits (diff above); regenerate it: python3 tests/xen/xen-trace-ref.py events $xen_pristine > $list"
fi
tail -n 1 events.txt
echo "ok: $list is the pinned Xen's"
