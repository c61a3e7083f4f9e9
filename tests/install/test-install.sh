#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make` in a fresh build directory prints no warning, and `make install
# DESTDIR=... PREFIX=/usr` installs dom0 programs that run from where they
# are installed, with nothing of the build tree left: the build directory
# is removed before they run.  lttctl-xen starts and stops a session
# against the simulator and runs the installed lttd-xen (found next to
# it); babeltrace2 reads the trace; lttng-xen-import converts a xentrace
# file; lttng-xen-compare finds genevent's output it needs and reports on
# both; lttng-xen-analyze finds its modules and analyses the import.  Each
# manual page (made from --help) renders without a warning.
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/sim.sh"
command -v babeltrace2 >/dev/null ||
	skip "babeltrace2 is not installed (make deps-check)"

build="$SCRATCH/build"
root="$SCRATCH/root"
echo "== make, in a fresh build directory (a few minutes on 2 cores)"
make -C "$TOP" BUILD="$build" all > make.log 2>&1 ||
	{ tail -n 30 make.log; die "make failed"; }
if grep -in 'warning' make.log; then
	die "make printed warnings (above)"
fi

echo "== make install DESTDIR=$root PREFIX=/usr"
make -C "$TOP" BUILD="$build" install DESTDIR="$root" PREFIX=/usr \
	> install.log 2>&1 || { tail -n 30 install.log; die "make install failed"; }
if grep -in 'warning' install.log; then
	die "make install printed warnings (above)"
fi
cat install.log
usr="$root/usr"
for f in bin/lttd-xen bin/lttctl-xen bin/lttng-xen-guest bin/lttng-xen-import \
	bin/lttng-xen-compare bin/lttng-xen-analyze bin/lttng-xen-causality \
	bin/lttng-xen-latency; do
	[ -x "$usr/$f" ] || die "$usr/$f is not installed, or not executable"
done
pages="lttd-xen lttctl-xen lttng-xen-guest lttng-xen-import lttng-xen-compare lttng-xen-analyze
	lttng-xen-causality lttng-xen-latency"
for v in create start stop status snapshot destroy list; do
	pages="$pages lttctl-xen-$v"
done
for p in $pages; do
	page="$usr/share/man/man1/$p.1"
	[ -f "$page" ] || die "no manual page $page"
	groff -man -Tutf8 -ww -z "$page" 2> groff.err
	[ ! -s groff.err ] || { cat groff.err; die "$p.1: groff warns"; }
	MANWIDTH=80 man -l "$page" > "$p.txt" 2>/dev/null
	grep -q "^NAME" "$p.txt" && grep -q "^DESCRIPTION" "$p.txt" ||
		die "$p.1 has no NAME or DESCRIPTION"
done
grep -q -- "--num-subbufs N" lttctl-xen-create.txt ||
	die "lttctl-xen-create(1) does not describe create's options"
grep -q "lttctl-xen-create - set up a tracing session" lttctl-xen-create.txt ||
	die "lttctl-xen-create(1)'s NAME line does not name the page"

# Nothing of the build tree may be needed from here on.
cp "$build/bin/lttng-xen-sim" sim
rm -rf "$build"
PATH="$usr/bin:$PATH"
export LTTNG_XEN_HOME="$SCRATCH/home"
unset LTTNG_XEN_TRANSPORT LTTD_XEN

echo "== the installed lttctl-xen and lttd-xen, against the simulator"
at_exit 'kill_pidfile home/lttd-xen.pid'
SIM=$PWD/sim
sim_start sim --cpus 2 --events 20000 --rate 100000
lttctl-xen --transport "sim:$sim_sock" start -o "$SCRATCH/trace" ||
	die "the installed lttctl-xen could not start tracing"
lttd=$(readlink "/proc/$(cat home/lttd-xen.pid)/exe")
[ "$lttd" = "$usr/bin/lttd-xen" ] ||
	die "lttctl-xen ran $lttd, not the installed $usr/bin/lttd-xen"
sleep 1
lttctl-xen stop || die "the installed lttctl-xen could not stop tracing"
babeltrace2 trace > trace.txt 2> bt.err || { cat bt.err; die "babeltrace2 cannot read the trace"; }
[ -s trace.txt ] || die "the trace holds no event"
echo "babeltrace2 read $(wc -l < trace.txt) events"
lttctl-xen destroy
sim_stop

echo "== lttng-xen-import and lttng-xen-compare, installed"
/usr/bin/python3 "$TOP/tests/compare/gen-xentrace.py" xentrace.bin
lttng-xen-import --tsc-mhz 1000 --output imported xentrace.bin ||
	die "the installed lttng-xen-import failed"
babeltrace2 imported > imported.txt || die "babeltrace2 cannot read the import"
grep -q 'pv:hypercall' imported.txt || die "the import has no pv:hypercall"
lttng-xen-compare --lttng trace --xentrace xentrace.bin --xentrace-mhz 1000 \
	--md report.md > compare.out 2>&1 ||
	{ cat compare.out; die "the installed lttng-xen-compare failed"; }
grep -q 'pv:hypercall' report.md ||
	die "lttng-xen-compare did not name xentrace's events (genevent's output not found?)"
echo "== lttng-xen-analyze, installed, on the import"
lttng-xen-analyze --text analyze.txt imported > analyze.out 2>&1 ||
	{ cat analyze.out; die "the installed lttng-xen-analyze failed (its modules not found?)"; }
grep -q 'hypercall' analyze.txt ||
	{ head -n 40 analyze.txt; die "lttng-xen-analyze reported no hypercall of the import"; }
echo "== lttng-xen-causality and lttng-xen-latency, installed: a hypervisor trace alone"
# They run from the installed modules and say what is missing: the
# guests' LTTng traces (a trace with guest events is the guest e2e's).
rc=0
lttng-xen-causality imported > causality.out 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q "no guest event" causality.out ||
	{ cat causality.out; die "lttng-xen-causality on a hypervisor trace alone: exit $rc, not 2 with 'no guest event'"; }
rc=0
lttng-xen-latency imported > latency.out 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "no domU block or network request" latency.out ||
	{ cat latency.out; die "lttng-xen-latency on a hypervisor trace alone: exit $rc, not 1 saying why"; }
echo "installed programs run, find lttd-xen and genevent's output; man pages render"
