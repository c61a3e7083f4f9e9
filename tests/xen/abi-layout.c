// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi-layout.c: every structure of the sysctl's payload
 * (<lttng-xen/abi.h>, Xen's public/lttng_xen.h), for test-abi-compat.sh
 * to compile for i386 and x86-64 and compare, member by member (pahole).
 * Not run: the test reads the layouts from the debug information.
 *
 * The sysctl's own payload as public/sysctl.h declares it (xen-patches/
 * 0001): the op and a XEN_GUEST_HANDLE_64(FRAME_TYPE), which Xen's x86
 * headers define as below for a 32-bit caller (a pointer in a union with
 * a uint64_aligned_t); a 64-bit caller's is a plain pointer, 8 bytes.
 * Compiled with -DFRAME_TYPE=the handle's type in the patch.
 */
#include <stdint.h>

#include <lttng-xen/abi.h>

/* As Xen's public arch-x86/xen-x86_32.h defines it (abi.h does too). */
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t __attribute__((aligned(8)))
#endif

/* The handle types as Xen's public headers define them for x86. */
typedef uint64_t uint64;
typedef unsigned long xen_pfn_t;        /* public/arch-x86/xen.h */

struct xen_sysctl_lttng_op {
	struct lttng_xen_op op;
	union {
		FRAME_TYPE *p;
		uint64_aligned_t q;
	} frames;
};

/* One element of the frame list GET_BUFFER fills. */
struct frame_list_element {
	FRAME_TYPE frame;
};

struct xen_sysctl_lttng_op sysctl_op;
struct frame_list_element frame;
struct lttng_xen_buf_ctl buf_ctl;
