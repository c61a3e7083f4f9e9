#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-compare on inputs it must refuse: each case must exit 1 (2
# for bad usage) with one message naming the file, where (the byte
# offset, for xentrace files and stream files) and why, and write no
# report.  Also --help.
set -eu
. "$TOP/tests/compare/lib.sh"

sim_trace trace
/usr/bin/python3 "$TOP/tests/compare/gen-xentrace.py" xt.bin
size=$(stat -c %s xt.bin)

# bad RC PATTERN ARGS...: lttng-xen-compare ARGS must exit RC and print
# PATTERN (grep -E) on stderr, and write no report.
n=0
bad() {
	want=$1 pattern=$2
	shift 2
	n=$((n + 1))
	rm -f out.md
	rc=0
	"$COMPARE" --md out.md "$@" > bad.out 2> bad.err || rc=$?
	echo "case $n: $* -> $rc: $(cat bad.err)"
	[ $rc -eq "$want" ] || { cat bad.out; fail "case $n exited $rc, expected $want"; }
	grep -Eq "$pattern" bad.err || fail "case $n: the message does not match '$pattern'"
	[ ! -e out.md ] || fail "case $n wrote a report"
}
pyw() { /usr/bin/python3 -c "import sys; sys.stdout.buffer.write($1)" > "$2"; }

# The xentrace file.
bad 1 "cannot read xentrace file nope.bin: No such file or directory" \
	--lttng trace --xentrace nope.bin
mkdir adir
bad 1 "cannot read xentrace file adir: Is a directory" --lttng trace --xentrace adir
: > empty.bin
bad 1 "xentrace file empty.bin is empty \(0 bytes\)" --lttng trace --xentrace empty.bin
echo "not a trace at all" > text.bin
bad 1 "xentrace file text.bin is not xentrace output: byte 0 holds 0x20746f6e where a CPU-change record \(0x2001f003\) must start a window" \
	--lttng trace --xentrace text.bin
bad 1 "xentrace file trace/channel0_0 is not xentrace output: it starts with the CTF packet magic" \
	--lttng trace --xentrace trace/channel0_0
head -c 1000 xt.bin > cut.bin
bad 1 "xentrace file cut.bin: truncated: the window at byte 0 \(CPU 0\) announces [0-9]+ bytes, only 988 remain" \
	--lttng trace --xentrace cut.bin
head -c 2 xt.bin > cut2.bin
bad 1 "xentrace file cut2.bin: truncated record at byte 0: 2 bytes left" \
	--lttng trace --xentrace cut2.bin
{ cat xt.bin; printf '\357\276\255\336'; } > junk.bin
bad 1 "xentrace file junk.bin is not xentrace output: byte $size holds 0xdeadbeef where a CPU-change record" \
	--lttng trace --xentrace junk.bin
# A window of 8 bytes holding a 12-byte record (header + TSC).
pyw "bytes.fromhex('03f00120 00000000 08000000 0d102080 0000000000000000')" over.bin
bad 1 "xentrace file over.bin: the record at byte 12 \(header 0x8020100d, 12 bytes\) runs past the end of its CPU 0 window at byte 20" \
	--lttng trace --xentrace over.bin
pyw "bytes.fromhex('03f00120 01000000 00000000')" nothing.bin
bad 1 "xentrace file nothing.bin holds no records" --lttng trace --xentrace nothing.bin

# The lttng-xen trace.
bad 1 "cannot read lttng-xen trace nodir: no such directory" \
	--lttng nodir --xentrace xt.bin
bad 1 "cannot read lttng-xen trace xt.bin: not a directory" \
	--lttng xt.bin --xentrace xt.bin
mkdir nometa
cp trace/channel0_0 nometa/
bad 1 "cannot read lttng-xen trace nometa: metadata: No such file or directory" \
	--lttng nometa --xentrace xt.bin
mkdir badmeta
echo "hello" > badmeta/metadata
bad 1 "lttng-xen trace badmeta: metadata is not CTF 1.8 text" \
	--lttng badmeta --xentrace xt.bin
mkdir nostreams
cp trace/metadata nostreams/
bad 1 "lttng-xen trace nostreams holds no stream files" \
	--lttng nostreams --xentrace xt.bin
mkdir noevents
cp trace/metadata noevents/
: > noevents/channel0_0
bad 1 "lttng-xen trace noevents holds no events" \
	--lttng noevents --xentrace xt.bin
mkdir cutstream
cp trace/metadata trace/channel0_1 cutstream/
head -c 20000 trace/channel0_0 > cutstream/channel0_0
bad 1 "stream file cutstream/channel0_0: the packet at byte 16384 announces 16384 bytes, only 3616 remain" \
	--lttng cutstream --xentrace xt.bin
# A packet whose magic is damaged.
mkdir badmagic
cp trace/metadata trace/channel0_0 badmagic/
pyw "b'\\0' * 4" zero4
dd if=zero4 of=badmagic/channel0_0 bs=1 seek=16384 conv=notrunc 2>/dev/null
bad 1 "stream file badmagic/channel0_0: no valid packet header at byte 16384" \
	--lttng badmagic --xentrace xt.bin
mkdir aligned
cp trace/channel0_0 trace/channel0_1 aligned/
sed '0,/_cstate;/s/\(size = 8; align = \)8\(;.*_cstate;\)/\164\2/' trace/metadata > aligned/metadata
grep -q 'align = 64;.*_cstate;' aligned/metadata || fail "could not make the aligned metadata"
bad 1 "metadata aligned/metadata: an event field aligned on 64 bits: this tool sizes byte-aligned layouts and bit fields only" \
	--lttng aligned --xentrace xt.bin

# genevent's output, usage.
bad 1 "cannot read genevent's output nogen/model.json: No such file or directory \(pass --gen BUILD/gen\)" \
	--gen nogen --lttng trace --xentrace xt.bin
rc=0
"$COMPARE" --lttng trace --xentrace xt.bin > usage.out 2> usage.err || rc=$?
cat usage.err
[ $rc -eq 2 ] && grep -q 'nothing to write: give --md FILE and/or --csv FILE' usage.err ||
	fail "without --md or --csv: exit $rc, expected 2 and a message"
"$COMPARE" --help > help.out
for w in --lttng --xentrace --md --csv --totals-csv lttng_extended_headers xentrace_no_tsc 'Exit status'; do
	grep -q -- "$w" help.out || fail "--help does not mention $w"
done
echo "ok: $n bad inputs refused with the file, the offset and the cause; --help"
