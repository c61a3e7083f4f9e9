#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The ring buffer frontend, deterministic: discard and overwrite modes,
# nested writers, a clock that goes backwards or jumps, exact fills,
# stop mid-sub-buffer, a flush arriving while a writer opens a packet,
# and protocol misuse; every trace read back by babeltrace2.  Built with
# ASan and UBSan.
set -eu
gcc -O1 -g -Wall -Wextra -Werror -std=gnu11 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I"$TOP/include" -I"$TOP/ringbuffer" \
	-I"$TOP/ringbuffer/user" -I"$GEN/xen" -I"$TOP/ctf-writer" -o rb-unit \
	"$TOP/tests/ringbuffer/rb-unit.c" "$TOP/ringbuffer/frontend.c" \
	"$TOP/tracer/probe.c" "$GEN/xen/events.c" \
	"$TOP"/ctf-writer/*.c "$BUILD/gen/ctfw-embed.c"
mkdir traces
./rb-unit traces
status=0
for d in traces/*/; do
	d=${d%/}
	/usr/bin/python3 "$TOP/tests/ringbuffer/check.py" "$d" "$d.expected" ||
		status=1
done
exit $status
