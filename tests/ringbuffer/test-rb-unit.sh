#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The ring buffer frontend, deterministic: discard and overwrite modes,
# nested writers, a clock that goes backwards or jumps, exact fills,
# stop mid-sub-buffer, a flush arriving while a writer opens a packet,
# and protocol misuse; every trace read back by babeltrace2.  Built with
# ASan and UBSan.
set -eu
. "$TOP/tests/lib/lib.sh"
test_program rb-unit
mkdir traces
"$TEST_BIN/rb-unit" traces
for d in traces/*/; do
	d=${d%/}
	/usr/bin/python3 "$TOP/tests/ringbuffer/check.py" "$d" "$d.expected" ||
		fail "$d is not the trace $d.expected describes (above)"
done
finish
