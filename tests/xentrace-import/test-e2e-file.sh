#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-import on the xentrace file the last e2e run recorded
# (build/e2e/xentrace.bin, from `make e2e` or tests/xen/test-e2e.sh, which
# runs the same check right after recording it): check-file.sh.
# Skips when there is no such file yet.
set -eu
. "$TOP/tests/lib/lib.sh"
e2e=$BUILD/e2e
[ -f "$e2e/xentrace.bin" ] && [ -f "$e2e/console-xentrace.log" ] ||
	skip "no $e2e/xentrace.bin and console-xentrace.log: run make e2e first"
exec sh "$TOP/tests/xentrace-import/check-file.sh" "$e2e/xentrace.bin" \
	"$e2e/console-xentrace.log" "$PWD/xentrace-ctf"
