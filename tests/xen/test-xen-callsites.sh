#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every xentrace call site of the patched Xen (CONFIG_LTTNG=y) records the
# typed event its facility XML declares, with nothing left out:
#   1. tests/xen/callsites.py finds the call sites in the source that
#      `make xen` builds (entry points derived from Xen's trace headers),
#      and cross-checks them with $SHARED's reference list when it is
#      there (207 sites in Xen 4.17);
#   2. it compiles each file holding one again, with the build's own
#      command and a probe on every entry point, so the compiler reports
#      each site's event id and size, or tests/xen/callsite-variants.txt
#      says what a site whose id is a variable can pass; a TRACE_xD() site
#      whose word is a constant that a facility maps must be folded by
#      xen/trace.h (xen-patches/0005) into its typed record, its call of
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
: "${TOP:?}" "${BUILD:?}" "${GEN:?}"
scratch=$PWD

rc=0
(cd "$TOP" && BUILD=$BUILD mk/xen.sh fetch) || rc=$?
if [ $rc -eq 77 ]; then
	echo "SKIP: Debian's Xen source (xen=4.17.5+72-g01140da4e8-1) cannot be fetched with apt-get source; the call sites were NOT checked" >&2
	exit 77
fi
[ $rc -eq 0 ] || { echo "FAIL: fetching Xen's source failed ($rc)" >&2; exit 1; }
make --no-print-directory -C "$TOP" BUILD="$BUILD" xen ||
	{ echo "FAIL: make xen" >&2; exit 1; }

obj=$BUILD/xen-obj/lttng
syms=$BUILD/xen/xen-syms
grep -qx 'CONFIG_LTTNG=y' "$obj/.config" ||
	{ echo "FAIL: $obj was not configured with CONFIG_LTTNG=y" >&2; exit 1; }

fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# 4. The hooks in the linked hypervisor.
for f in __trace_var __trace_hypercall; do
	n=$(nm "$syms" | awk -v f="$f" '$3 == f' | wc -l)
	[ "$n" -eq 1 ] || bad "$syms defines $f $n times (want 1)"
	objdump -d --no-show-raw-insn --disassemble="$f" "$syms" >"$f.dis"
	grep -Eq '(call|jmp) +[0-9a-f]+ <lttng_xen_xt_record>' "$f.dis" ||
		bad "$f() in $syms does not call lttng_xen_xt_record(): its records bypass the remap"
done
if nm "$syms" | grep -qw 'per_cpu__t_bufs'; then
	bad "$syms still has xentrace's buffers (per_cpu__t_bufs)"
fi

# 3. The checker: the hypervisor's remap, as __trace_var() calls it.
gcc -Wall -Wextra -Werror -std=gnu11 -I"$TOP/include" -I"$GEN/xen" \
	-I"$TOP/tests/genevent" \
	-o callsite-remap "$TOP/tests/xen/callsite-remap.c" \
	"$TOP/tracer/xentrace-remap.c" "$GEN/xen/xentrace-map.c" \
	"$GEN/xen/events.c"

set -- --tree "$BUILD/xen-lttng" --obj "$obj" \
	--checker "$scratch/callsite-remap" --model "$GEN/model.json" \
	--variants "$TOP/tests/xen/callsite-variants.txt" \
	--work "$scratch" --list "$BUILD/xen/callsites.txt" --jobs "${JOBS:-2}"
ref=${SHARED:-}/reference/xen-4.17-trace-callsites.txt
if [ -n "${SHARED:-}" ] && [ -f "$ref" ]; then
	pristine=$(ls -d "$BUILD"/xen-src/xen-*/ | head -n 1)
	set -- "$@" --reference "$ref" --pristine "${pristine%/}"
else
	echo "note: no reference list ($ref); the scanner's sites are not cross-checked"
fi
python3 "$TOP/tests/xen/callsites.py" "$@" || fail=1

[ $fail -eq 0 ] || exit 1
echo "every site and its ids: $BUILD/xen/callsites.txt"
