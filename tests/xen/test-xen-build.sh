#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The patched hypervisor builds both ways from the same tree:
#   make xen            CONFIG_LTTNG=y: LTTng-Xen's symbols, none of trace.c's
#   make xen LTTNG=n    xentrace as it was: trace.c's symbols, no LTTng-Xen
# and (issue 14): CONFIG_LTTNG off in a plain defconfig; in the LTTNG=y
# build the self-test turned on, ENDBR64 only on the core's cf_check
# callbacks, array_index_nospec() on dom0's indices; a third build of the
# patched tree with XSM/FLASK on: xen2:lttng_inject and its hook; the
# evtchn:send hook (xen-patches/0006) compiled in with LTTNG=y only.
# The first two reuse the built trees (with unchanged sources each takes a
# second); the FLASK build is a whole one, in the test's scratch folder.
# Skips (77) only when Debian's pinned Xen source cannot be fetched.
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/xen-src.sh"
scratch=$PWD

xen_fetch "the hypervisor's two builds"
cd "$TOP"
make --no-print-directory BUILD="$BUILD" xen || die "make xen"
make --no-print-directory BUILD="$BUILD" xen LTTNG=n || die "make xen LTTNG=n"

# Symbols of a build, one name a line (nm: address, type, name).
syms() { nm "$1" | awk '{ print $3 }' | sort -u; }

for dir in "$BUILD/xen" "$BUILD/xen-nolttng"; do
	for f in xen xen.gz xen-syms config; do
		[ -s "$dir/$f" ] || fail "$dir/$f is missing or empty"
	done
done
[ $nfail -eq 0 ] || exit 1
grep -qx 'CONFIG_LTTNG=y' "$BUILD/xen/config" ||
	fail "$BUILD/xen was not built with CONFIG_LTTNG=y"
grep -qx '# CONFIG_LTTNG is not set' "$BUILD/xen-nolttng/config" ||
	fail "$BUILD/xen-nolttng was not built with CONFIG_LTTNG unset"

cd "$scratch"
syms "$BUILD/xen/xen-syms" >lttng.syms
syms "$BUILD/xen-nolttng/xen-syms" >nolttng.syms

# What every build has: the entry points the xentrace call sites use,
# and the record path's self-benchmark (xen/trace-bench.c).
common="tb_init_done init_trace_bufs tb_control trace_will_trace_event
	__trace_var __trace_hypercall trace_bench_key"
# LTTng-Xen: the glue, the ring buffer, the tracer core, generated tables.
lttng="lttng_sysctl lttng_lock host_ops cpu_mem rb_platform_wakeup
	rb_platform_clock lttng_xen_host_cpu alloc_buffer free_buffer
	release_frame rb_reserve rb_commit rb_switch rb_get_subbuf rb_put_subbuf
	lttng_xen_record lttng_xen_control lttng_xen_cpu_online
	lttng_xen_xt_record lttng_xen_xt_maps lttng_xen_events
	lttng_xen_enabled_mask"
# trace.c's own (static ones included: xen-syms keeps them).
xentrace="t_info t_info_pages per_cpu__t_bufs per_cpu__lost_records
	tb_event_mask tb_cpu_mask alloc_trace_bufs trace_notify_dom0"

for s in $common; do
	grep -qx "$s" lttng.syms || fail "LTTNG=y: no symbol $s"
	grep -qx "$s" nolttng.syms || fail "LTTNG=n: no symbol $s"
done
for s in $lttng; do
	grep -qx "$s" lttng.syms || fail "LTTNG=y: no symbol $s"
	grep -qx "$s" nolttng.syms && fail "LTTNG=n: has LTTng-Xen's $s"
done
for s in $xentrace; do
	grep -qx "$s" nolttng.syms || fail "LTTNG=n: no symbol $s (trace.c)"
	grep -qx "$s" lttng.syms && fail "LTTNG=y: still has trace.c's $s"
done
if grep -q 'lttng' nolttng.syms; then
	fail "LTTNG=n has LTTng-Xen symbols: $(grep lttng nolttng.syms | tr '\n' ' ')"
fi

[ $nfail -eq 0 ] || exit 1
echo "ok: build/xen (LTTNG=y) and build/xen-nolttng (LTTNG=n) have the expected symbols"

# xen-patches/0006: evtchn_send() records evtchn:send through the
# generated trace_evtchn_send(), inlined: a call of lttng_xen_record in
# its code with LTTng-Xen; without, the empty macro leaves none.
calls_record() {
	objdump -d --no-show-raw-insn "$1" --disassemble=evtchn_send |
		grep -Eq 'call +[0-9a-f]+ <lttng_xen_record>'
}
calls_record "$BUILD/xen/xen-syms" ||
	fail "LTTNG=y: evtchn_send() does not call lttng_xen_record (xen-patches/0006's hook)"
calls_record "$BUILD/xen-nolttng/xen-syms" &&
	fail "LTTNG=n: evtchn_send() calls lttng_xen_record"
[ $nfail -eq 0 ] &&
	echo "ok: evtchn_send() records evtchn:send with LTTNG=y, and only then"

# CONFIG_LTTNG defaults to n (issue 14: it replaces xentrace, so nobody
# gets it without asking): a plain defconfig of the patched tree keeps
# xentrace; make xen turns it on (above: CONFIG_LTTNG=y).
make -C "$BUILD/xen-lttng/xen" O="$scratch/defconfig" XEN_TARGET_ARCH=x86_64 \
	PYTHON=/usr/bin/python3 defconfig >defconfig.log 2>&1 ||
	{ indent defconfig.log; die "defconfig of the patched tree failed"; }
grep -x 'CONFIG_TRACEBUFFER=y' "$scratch/defconfig/.config" >/dev/null ||
	fail "the patched tree's defconfig has no CONFIG_TRACEBUFFER=y (CONFIG_LTTNG's dependency)"
if grep -q '^CONFIG_LTTNG' "$scratch/defconfig/.config"; then
	fail "a plain defconfig of the patched tree turns LTTng-Xen on: $(grep '^CONFIG_LTTNG' "$scratch/defconfig/.config" | tr '\n' ' ')"
else
	echo "ok: a plain defconfig keeps xentrace (CONFIG_LTTNG defaults to n)"
fi

# FLASK (issue 14, xen-devel): the operations that put records into the
# trace (DOMAIN_NAME, the HOLD self-test) need a permission of their own,
# xen2:lttng_inject, not tbufcontrol.  The patched tree builds with XSM,
# FLASK and LTTng-Xen on, its policy defines the permission, and the
# sysctl's hook (flask_lttng_op) is linked in.
flask=$scratch/flask
make -C "$BUILD/xen-lttng/xen" O="$flask" XEN_TARGET_ARCH=x86_64 \
	PYTHON=/usr/bin/python3 defconfig >flask.log 2>&1 ||
	{ indent flask.log; die "defconfig of the patched tree (FLASK) failed"; }
printf 'CONFIG_XSM=y\nCONFIG_XSM_FLASK=y\nCONFIG_LTTNG=y\n' >>"$flask/.config"
make -C "$BUILD/xen-lttng/xen" O="$flask" XEN_TARGET_ARCH=x86_64 \
	PYTHON=/usr/bin/python3 olddefconfig >>flask.log 2>&1 ||
	{ indent flask.log; die "olddefconfig of the patched tree (FLASK) failed"; }
for c in CONFIG_XSM_FLASK=y CONFIG_LTTNG=y; do
	grep -qx "$c" "$flask/.config" || fail "the FLASK configuration lost $c"
done
echo "building the patched Xen with XSM/FLASK and LTTng-Xen (log: $scratch/flask.log)"
if make -C "$BUILD/xen-lttng/xen" O="$flask" XEN_TARGET_ARCH=x86_64 \
	PYTHON=/usr/bin/python3 -j"${JOBS:-2}" >>flask.log 2>&1; then
	grep -q '^#define XEN2__LTTNG_INJECT ' \
		"$flask/xsm/flask/include/av_permissions.h" ||
		fail "FLASK's policy classes define no xen2:lttng_inject"
	nm "$flask/xen-syms" | grep -qw flask_lttng_op ||
		fail "the FLASK build has no flask_lttng_op (the sysctl's hook)"
	echo "ok: the patched Xen builds with FLASK, xen2:lttng_inject and its hook"
else
	tail -n 30 flask.log | indent
	fail "the patched Xen does not build with XSM/FLASK and LTTng-Xen"
fi

# What xen-devel asks of the code (issue 14), in the LTTNG=y hypervisor.
grep -qx 'CONFIG_LTTNG_SELFTEST=y' "$BUILD/xen/config" ||
	fail "make xen did not turn CONFIG_LTTNG_SELFTEST on (the tests' HOLD)"
# The first instruction of function $2 in $1.
first_insn() {
	objdump -d --no-show-raw-insn "$1" --disassemble="$2" |
		awk -v f="<$2>:" '$2 == f { getline; $1 = ""; print; exit }'
}
# Indirect branch tracking: control.o is built with Xen's -mmanual-endbr
# like every other object, so only the functions it passes as callbacks
# (cf_check) start with ENDBR64, not those only called directly.
obj=$BUILD/xen-obj/lttng/common/lttng
for f in read_nesting flush_on_cpu record_domain_name read_clock \
	record_clock_skew report_clock_on_cpu; do
	case $(first_insn "$BUILD/xen/xen-syms" "$f") in
	*endbr64*) ;;
	*) fail "$f (control.c, called back by the host) does not start with ENDBR64" ;;
	esac
done
for f in lttng_xen_control lttng_xen_cpu_online lttng_xen_cpu_buf; do
	case $(first_insn "$BUILD/xen/xen-syms" "$f") in
	*endbr64*) fail "$f (control.c, only called directly) starts with ENDBR64: control.o built without -mmanual-endbr?" ;;
	esac
done
# Speculation: each index the control domain chooses (a CPU, an event id,
# a bit of SET_EVENTS) goes through array_index_nospec(), whose x86 form
# is "cmp; sbb %reg,%reg": at least three in control.c's functions.
masks=0
for f in $(nm "$obj/control.o" | awk '$2 ~ /^[tT]$/ { print $3 }'); do
	n=$(objdump -d --no-show-raw-insn "$BUILD/xen/xen-syms" --disassemble="$f" |
		grep -cE 'sbb +%([a-z0-9]+),%\1$' || true)
	masks=$((masks + n))
done
echo "control.c's functions mask $masks indices with array_index_nospec()"
[ "$masks" -ge 3 ] ||
	fail "control.c masks $masks indices the control domain chooses, not 3 (CPU, event id, event bit): array_index_nospec() missing"
[ $nfail -eq 0 ] && echo "ok: cf_check callbacks only carry ENDBR64; dom0's indices are masked against speculation"
finish
