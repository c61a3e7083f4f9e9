#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The patched hypervisor builds both ways from the same tree:
#   make xen            CONFIG_LTTNG=y: LTTng-Xen's symbols, none of trace.c's
#   make xen LTTNG=n    xentrace as it was: trace.c's symbols, no LTTng-Xen
# Both reuse the built trees; with unchanged sources each takes a second.
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
	release_mem rb_reserve rb_commit rb_switch rb_get_subbuf rb_put_subbuf
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
