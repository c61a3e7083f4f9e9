#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttd-xen's recovery and error paths, without the simulator: its own
# consumer code (consume.c, session.c, metadata.c, and ctf-writer/) and the
# producer client (transport/producer.c) linked with an in-process producer
# (fake-producer.c, over the real ring buffer).
# Crafted stream files are cut after their last complete packet; a run
# "killed" between write and put, or by a write error half-way through a
# packet, is continued by a restart with neither a duplicate nor a hole;
# overwrite mode drops a sub-buffer taken over while copied; a stopped
# session is drained and flushed (emitted = read + discarded).  Every
# trace is read back by babeltrace2, which must not warn unless the
# scenario loses packets by design.  Built with ASan and UBSan.
set -eu
. "$TOP/tests/lib/lib.sh"
here="$TOP/tests/lttd-xen"
test_program recovery

mkdir work
"$TEST_BIN/recovery" work 2> recovery.err || { cat recovery.err; exit 1; }
cat recovery.err

# The messages a user sees must say what, where and why.
want() {
	grep -q -- "$1" recovery.err || die "missing message: $1"
}
want "lttd-xen: cannot write work/efbig/channel0_0: File too large; the trace is kept up to the last complete packet"
want "lttd-xen: work/killed/channel0_0: removed 100 bytes after its last complete packet"
want "lttd-xen: work/killed holds another trace (uuid 4c58a000-"
want "lttd-xen: work/orphan holds channel0_0 but no metadata"
want "lttd-xen: work/crafted-foreign/channel0_0: a packet of another trace"
want "lttd-xen: the producer was built from different facility files"
abi=$(sed -n 's/^#define LTTNG_XEN_ABI_VERSION  *\([0-9]*\).*/\1/p' \
	"$TOP/include/lttng-xen/abi.h")
want "lttd-xen: the producer speaks ABI version $((abi + 1)), this lttd-xen version $abi"
want "lttd-xen: no tracing session is configured; run lttctl-xen create"

for expect in work/*.expect; do
	d=${expect%.expect}
	babeltrace2 "$d" > "$d.txt" 2> "$d.bt-err" ||
		{ cat "$d.bt-err"; die "babeltrace2 cannot read $d"; }
	if [ -s "$d.bt-err" ] && ! grep -q "warnings ok" "$expect"; then
		cat "$d.bt-err"
		fail "babeltrace2 warned about $d (above)"
	fi
	/usr/bin/python3 "$here/check-trace.py" "$d" "$expect" ||
		fail "$d is not the trace $expect describes (above)"
done
finish
