#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every xentrace call site of the patched Xen (CONFIG_LTTNG=y) records the
# typed event its facility XML declares, with nothing left out:
#   1. tests/xen/callsites.py finds the call sites in the source that
#      `make xen` builds (entry points derived from Xen's trace headers),
#      and cross-checks them with the list xen-trace-ref.py makes of the
#      pristine tree from a fixed list of entry points (207 sites in Xen
#      4.17);
#   2. it compiles each file holding one again, with the build's own
#      command and a probe on every entry point, so the compiler reports
#      each site's event id and size, or tests/xen/callsite-variants.txt
#      says what a site whose id is a variable can pass; a TRACE_xD() site
#      whose word is a constant that a facility maps must be folded by
#      xen/trace.h (xen-patches/0003) into its typed record, its call of
#      __trace_var() gone;
#   3. each id matches exactly one xentrace mapping of genevent's model
#      (build/gen/model.json), callsite-remap.c, linked with the
#      hypervisor's remap, records it as that typed event, and a site
#      passes no more data words than the mapping's unpack rules read;
#   4. xen-syms: __trace_var() and __trace_hypercall(), where every site
#      ends up, are defined once and record through lttng_xen_xt_record().
# Prints a per-facility summary.  Skips (77) only when Debian's pinned
# Xen source cannot be fetched.  Takes about a minute (no QEMU).
set -eu
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/xen-src.sh"
scratch=$PWD

xen_fetch "the call sites"
make --no-print-directory -C "$TOP" BUILD="$BUILD" xen || die "make xen"

obj=$BUILD/xen-obj/lttng
syms=$BUILD/xen/xen-syms
grep -qx 'CONFIG_LTTNG=y' "$obj/.config" ||
	die "$obj was not configured with CONFIG_LTTNG=y"

# 4. The hooks in the linked hypervisor.
for f in __trace_var __trace_hypercall; do
	n=$(nm "$syms" | awk -v f="$f" '$3 == f' | wc -l)
	[ "$n" -eq 1 ] || fail "$syms defines $f $n times (want 1)"
	objdump -d --no-show-raw-insn --disassemble="$f" "$syms" >"$f.dis"
	grep -Eq '(call|jmp) +[0-9a-f]+ <lttng_xen_xt_record>' "$f.dis" ||
		fail "$f() in $syms does not call lttng_xen_xt_record(): its records bypass the remap"
done
if nm "$syms" | grep -qw 'per_cpu__t_bufs'; then
	fail "$syms still has xentrace's buffers (per_cpu__t_bufs)"
fi

# 3. The checker: the hypervisor's remap, as __trace_var() calls it.
test_program callsite-remap

# 1. and 2. with the cross-check: the pristine tree's sites, found
# another way.
python3 "$TOP/tests/xen/xen-trace-ref.py" callsites "$xen_pristine" \
	>reference-callsites.txt
tail -n 1 reference-callsites.txt
python3 "$TOP/tests/xen/callsites.py" --tree "$BUILD/xen-lttng" --obj "$obj" \
	--checker "$TEST_BIN/callsite-remap" --model "$GEN/model.json" \
	--variants "$TOP/tests/xen/callsite-variants.txt" \
	--reference reference-callsites.txt --pristine "$xen_pristine" \
	--work "$scratch" --list "$BUILD/xen/callsites.txt" --jobs "${JOBS:-2}" ||
	fail "callsites.py (above)"

[ $nfail -eq 0 ] || exit 1
echo "every site and its ids: $BUILD/xen/callsites.txt"
