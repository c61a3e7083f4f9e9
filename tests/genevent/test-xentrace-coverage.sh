#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every event id that Xen 4.17 emits maps to exactly one typed event
# through genevent's remap table.  The ids are those of
# tests/xen/xen-4.17-trace-events.txt (EMITTED = y), which
# tests/xen/xen-trace-ref.py derives from Xen's source and
# tests/xen/test-xen-trace-ref.sh keeps in step with it.
set -eu
. "$TOP/tests/lib/lib.sh"

ref=$TOP/tests/xen/xen-4.17-trace-events.txt
awk '$1 ~ /^TRC_/ && $4 == "y" { print $1, $2 }' "$ref" >emitted
expected=160
got=$(wc -l <emitted)
[ "$got" -eq "$expected" ] ||
	die "$ref lists $got emitted ids, expected $expected"
test_program xt-coverage
"$TEST_BIN/xt-coverage" <emitted
