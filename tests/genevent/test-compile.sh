#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every generated file compiles freestanding with warnings as errors, a call
# of every tracepoint with typed arguments type-checks, and calls with the
# wrong arguments are refused.  The compiler is what is tested here: it
# runs with the Makefile's CC and warnings (WARN), freestanding.
set -eu
. "$TOP/tests/lib/lib.sh"
cc=$(make_var CC)
CFLAGS="$(make_var WARN) -ffreestanding -O2 -I$TOP/include -I$GEN/xen"
echo "$cc $CFLAGS"
n=0
for h in "$GEN"/xen/*.h; do
	printf '#include "%s"\n' "$(basename "$h")" > one.c
	$cc $CFLAGS -c -o one.o one.c || die "$h does not compile on its own"
	n=$((n + 1))
done
echo "$n generated headers compile on their own"
for c in "$GEN/xen/events.c" "$GEN/xen/xentrace-map.c" \
	 "$TOP/tracer/xentrace-remap.c"; do
	$cc $CFLAGS -c -o one.o "$c" || die "$c does not compile freestanding"
done
echo "events.c, xentrace-map.c and xentrace-remap.c compile freestanding"

/usr/bin/python3 "$TOP/tests/genevent/roundtrip.py" calls calls.c
$cc $CFLAGS -Wconversion -c -o calls.o calls.c
echo "$(grep -c 'trace_' calls.c) tracepoint calls with typed arguments type-check (-Wconversion)"

# The compiler must catch a wrong call: a pointer for an integer, a
# missing argument, an argument too many.
bad() {
	printf '#include "tracepoints.h"\nvoid f(void);\nvoid f(void)\n{\n\t%s;\n}\n' "$1" > bad.c
	if $cc $CFLAGS -c -o bad.o bad.c 2>/dev/null; then
		die "the compiler accepted: $1"
	fi
	echo "refused, as it must be: $1"
}
bad 'trace_sched_wake("dom0", 0)'
bad 'trace_sched_wake(0)'
bad 'trace_sched_wake(0, 0, 0)'
