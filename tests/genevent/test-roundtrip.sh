#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every event of every facility, recorded once through its typed tracepoint
# and once per xentrace id through the remap table, into a CTF stream that
# babeltrace2 (the independent oracle) must read back with the same names,
# field values and timestamps.  Run on the real facilities and on the golden
# inputs, which hold the unusual cases (constants, sign extension,
# sequences filled from xentrace words).
set -eu
here="$TOP/tests/genevent"

roundtrip() {	# NAME GENDIR FACILITY.xml...
	name=$1 gen=$2
	shift 2
	echo "== $name"
	mkdir -p "$name/trace"
	cd "$name"
	FACILITIES="$*" /usr/bin/python3 "$here/roundtrip.py" gen calls.c expected.json
	gcc -O1 -g -Wall -Wextra -Werror -std=gnu11 -fsanitize=address,undefined \
		-fno-sanitize-recover=all -I"$TOP/include" -I"$gen/xen" -I"$here" \
		-I"$TOP/ringbuffer" -I"$TOP/ringbuffer/user" -I"$TOP/ctf-writer" \
		-DEVENTS_TSDL="\"$gen/ctf/events.tsdl\"" \
		-o calls calls.c "$here/ctf-writer.c" "$TOP/tracer/xentrace-remap.c" \
		"$gen/xen/xentrace-map.c" "$gen/xen/events.c" \
		"$TOP"/ctf-writer/*.c "$BUILD/gen/ctfw-embed.c"
	# The stream and the metadata (its events: these facilities').
	./calls trace

	# babeltrace2's command line must read it without a warning or error.
	babeltrace2 trace > text.out 2> bt.err || { cat bt.err; exit 1; }
	if [ -s bt.err ]; then
		echo "babeltrace2 printed warnings:"; cat bt.err; exit 1
	fi
	echo "babeltrace2 printed $(wc -l < text.out) events; the first:"
	head -n 2 text.out
	/usr/bin/python3 "$here/roundtrip.py" check trace expected.json
	cd ..
}

roundtrip facilities "$GEN" "$TOP"/facilities/*.xml
"$GENEVENT" -o golden-gen "$here"/golden/*.xml
roundtrip golden "$SCRATCH/golden-gen" "$here"/golden/*.xml
