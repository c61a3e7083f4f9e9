#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every event of every facility, recorded once through its typed tracepoint
# and once per xentrace id through the remap table, into a CTF stream that
# babeltrace2 (the independent oracle) must read back with the same names,
# field values and timestamps.  Run on the real facilities and on the golden
# inputs, which hold the unusual cases (constants, sign extension,
# sequences filled from xentrace words).
set -eu
. "$TOP/tests/lib/lib.sh"
here="$TOP/tests/genevent"

# roundtrip NAME: $TEST_BIN/roundtrip-NAME/calls, which the Makefile
# builds from roundtrip.py's program for NAME's facility files, writes
# its trace; it must hold the events of expected.json beside it.
roundtrip() {
	name=$1
	prog=$TEST_BIN/roundtrip-$name
	echo "== $name"
	test_program "roundtrip-$name/calls"
	mkdir -p "$name/trace"
	cd "$name"
	# The stream and the metadata (its events: these facilities').
	"$prog/calls" trace

	# babeltrace2's command line must read it without a warning or error.
	bt_read trace
	head -n 2 trace.txt
	/usr/bin/python3 "$here/roundtrip.py" check trace "$prog/expected.json"
	cd ..
}

roundtrip facilities
roundtrip golden
