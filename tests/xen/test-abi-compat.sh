#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14 ("what xen-devel would refuse"): the control sysctl's payload
# has one layout for a 32-bit toolstack and a 64-bit one, as a sysctl
# must (Xen has no compat translation for sysctls, unlike the guest
# hypercalls xlat.lst lists): <lttng-xen/abi.h> (Xen's
# public/lttng_xen.h), the sysctl's own structure with its
# XEN_GUEST_HANDLE_64 frame list, an element of that list, and the
# control page dom0 maps.  abi-layout.c is compiled for i386 and x86-64
# and pahole prints every member's offset and size: the two must be the
# same, and the sysctl's payload must fit the union of struct xen_sysctl
# (128 bytes).  With uint64_t members not uint64_aligned_t, or a frame
# list of xen_pfn_t (4 bytes for a 32-bit caller), they differ.
set -eu
. "$TOP/tests/lib/lib.sh"

"$TOP/mk/deps.sh" gcc pahole
patch=$(ls "$TOP"/xen-patches/0001-*.patch)
type=$(sed -n 's/^+ *XEN_GUEST_HANDLE_64(\([a-z0-9_]*\)) *frames;.*/\1/p' "$patch")
[ -n "$type" ] || die "no 'XEN_GUEST_HANDLE_64(TYPE) frames;' in $patch"
echo "the frame list: XEN_GUEST_HANDLE_64($type) ($patch)"
for arch in 32 64; do
	gcc -m$arch -ffreestanding -g -c -I"$TOP/include" -DFRAME_TYPE="$type" \
		-o abi-$arch.o "$TOP/tests/xen/abi-layout.c" ||
		die "abi-layout.c does not compile with -m$arch"
	pahole -C xen_sysctl_lttng_op,frame_list_element,lttng_xen_buf_ctl \
		--expand_types abi-$arch.o >pahole-$arch.txt ||
		die "pahole cannot read abi-$arch.o"
	# The same types spelled as each ABI's C types spell them (uint64_t:
	# long long or long); the handle's pointer member is the caller's
	# word, the union's uint64_aligned_t makes it 8 bytes for both.
	sed -E -e 's/(long long unsigned int|long unsigned int)/u64/' \
		-e 's/(long long int|long int)/s64/' -e 's/ +/ /g' \
		-e '/^[[:space:]]*[a-z0-9_]* \* p; /d' pahole-$arch.txt >abi-$arch.txt
	[ -s abi-$arch.txt ] || die "pahole found none of the structures in abi-$arch.o"
done
echo "x86-64 layouts (pahole):"
indent abi-64.txt
if ! diff -u abi-32.txt abi-64.txt >abi.diff; then
	indent abi.diff
	fail "the payload's layout differs between a 32-bit and a 64-bit toolstack (above: -i386 +x86-64)"
fi
size=$(awk '/^struct xen_sysctl_lttng_op \{/ { s = 1 } s && /size: [0-9]+/ { sub(/.*size: /, ""); sub(/,.*/, ""); print; exit }' abi-64.txt)
echo "struct xen_sysctl_lttng_op: $size bytes"
[ -n "$size" ] && [ "$size" -le 128 ] ||
	fail "struct xen_sysctl_lttng_op is ${size:-?} bytes, more than the 128 of struct xen_sysctl's union"
finish
