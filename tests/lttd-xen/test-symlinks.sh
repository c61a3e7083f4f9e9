#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Hardening (issue 14, item 2): lttd-xen runs as root in dom0 and must
# never write through a name it did not create.  In a trace directory
# someone else can write to, a stream file replaced by a symbolic link
# (to another file of the directory, the metadata, or anything outside),
# a hard link, a FIFO or a file that holds no packet of this trace must
# be refused with a message, and the file behind it left as it was; a
# symbolic link planted as .metadata.tmp or .lttd-xen.log must not
# redirect lttd-xen's writes.  Each case runs the real lttd-xen against
# the simulator, as `lttctl-xen start` would (--daemon --pidfile).
set -eu
. "$TOP/tests/lttd-xen/lib.sh"
at_exit 'kill_pidfile lttd.pid'

# lttd DIR: lttd-xen as a daemon writing DIR; $rc its first process's
# status, lttd.err its messages.  A daemon that started is stopped again
# (SIGTERM on a session that never ran: it exits at once).
lttd() {
	rc=0
	"$lttd" --transport "$spec" --output "$1" --daemon --pidfile lttd.pid \
		2> lttd.err || rc=$?
	indent lttd.err
	if [ -f lttd.pid ]; then
		pid=$(cat lttd.pid)
		kill "$pid"
		while [ -e "/proc/$pid" ]; do sleep 0.05; done
	fi
	return 0
}

# refused DIR TEXT: lttd-xen must not start in DIR, saying TEXT.
refused() {
	lttd "$1"
	[ $rc -eq 1 ] || fail "lttd-xen started in $1 (exit $rc), expected a refusal"
	grep -q -- "$2" lttd.err || fail "no '$2' in lttd-xen's messages"
}

# intact FILE TEXT: FILE still holds exactly TEXT.
intact() {
	[ "$(cat "$1")" = "$2" ] || fail "$1 was changed: '$(head -c 60 "$1")'"
}

# A trace directory lttd-xen wrote: this trace's metadata, empty streams.
fresh_trace() {
	rm -rf "$1"
	lttd "$1"
	[ $rc -eq 0 ] && [ -s "$1/metadata" ] && [ -f "$1/channel0_1" ] ||
		die "cannot make a trace directory to attack"
	cp "$1/metadata" "$1.metadata"
}

start_sim
$simctl configure 16384 8 discard

echo "== channel0_0: a symbolic link to a file outside the directory"
fresh_trace t1
echo precious > victim
ln -sf ../victim t1/channel0_0
refused t1 "t1/channel0_0.*symbolic link"
intact victim precious

echo "== channel0_1: a symbolic link to the trace's own metadata"
fresh_trace t2
ln -sf metadata t2/channel0_1
refused t2 "t2/channel0_1.*symbolic link"
cmp -s t2/metadata t2.metadata || fail "t2/metadata was changed"

echo "== channel0_0: a hard link to another file"
fresh_trace t3
echo precious > victim3
rm t3/channel0_0
ln victim3 t3/channel0_0
refused t3 "t3/channel0_0.*2 links"
intact victim3 precious

echo "== channel0_0: a FIFO"
fresh_trace t4
rm t4/channel0_0
mkfifo t4/channel0_0
refused t4 "t4/channel0_0.*not a regular file"

echo "== channel0_0: a regular file that is no stream of this trace"
fresh_trace t5
echo "notes, not a trace" > t5/channel0_0
refused t5 "t5/channel0_0: not a CTF packet.*does not belong to this trace"
intact t5/channel0_0 "notes, not a trace"

echo "== .metadata.tmp: a symbolic link planted in a new directory"
mkdir t6
echo precious > victim6
ln -s ../victim6 t6/.metadata.tmp
lttd t6
[ $rc -eq 0 ] || fail "lttd-xen did not start in t6 (exit $rc)"
intact victim6 precious
[ -f t6/metadata ] && [ ! -L t6/metadata ] ||
	fail "t6/metadata is not a regular file of its own"
grep -q '^trace {' t6/metadata || fail "t6/metadata holds no trace"

echo "== .lttd-xen.log: a symbolic link"
fresh_trace t7
echo precious > victim7
ln -sf ../victim7 t7/.lttd-xen.log
refused t7 "t7/.lttd-xen.log.*symbolic link"
intact victim7 precious

echo "== and the trace lttd-xen made itself still continues"
fresh_trace t8
lttd t8
[ $rc -eq 0 ] || fail "lttd-xen refused its own trace directory t8"

[ $nfail -eq 0 ] || exit 1
echo "every unsafe file was refused and left alone"
