#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every event id that Xen 4.17 emits (../shared/reference, EMITTED = y) maps
# to exactly one typed event through genevent's remap table.
set -eu
ref="$SHARED/reference/xen-4.17-trace-events.txt"
if [ ! -f "$ref" ]; then
	echo "SKIP: the reference list $ref is not there" >&2
	exit 77
fi
gcc -Wall -Wextra -Werror -std=gnu11 -I"$TOP/include" -I"$GEN/xen" \
	-I"$TOP/tests/genevent" \
	-o xt-coverage "$TOP/tests/genevent/xt-coverage.c" \
	"$TOP/tracer/xentrace-remap.c" "$GEN/xen/xentrace-map.c" \
	"$GEN/xen/events.c"
awk '$1 ~ /^TRC_/ && $4 == "y" { print $1, $2 }' "$ref" > emitted
expected=160
got=$(wc -l < emitted)
if [ "$got" -ne "$expected" ]; then
	echo "the reference list has $got emitted ids, expected $expected"
	exit 1
fi
./xt-coverage < emitted
