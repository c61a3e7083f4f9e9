/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer's platform layer inside Xen (x86): the barriers,
 * copies and assertions that frontend.c uses, and the atomics it shares
 * with the user-space layer (rb-atomic.h).  The same names as the
 * user-space layer of lttng-xen, which the simulator and the tests
 * compile the same frontend.c with.
 */
#ifndef XEN_COMMON_LTTNG_RB_PLATFORM_H
#define XEN_COMMON_LTTNG_RB_PLATFORM_H

/*
 * Only these headers: the files that include this one are shared with
 * user space, and the rest of Xen's headers define function-like macros
 * that clash with identifiers of theirs.  xen/lib.h is for ASSERT(),
 * xen/compiler.h for cf_check, xen/nospec.h for array_index_nospec():
 * it brings in asm/processor.h and with it cpumask.h's cpu_online(),
 * which is why the host's callback is cpu_is_online (<lttng-xen/host.h>).
 */
#include <xen/compiler.h>
#include <xen/lib.h>
#include <xen/nospec.h>
#include <xen/string.h>
#include <xen/types.h>

#define rb_likely(x)    likely(x)
#define rb_unlikely(x)  unlikely(x)

/*
 * The atomics and rb_cpu_relax(), the same as in user space: lttng-xen's
 * ringbuffer/rb-atomic.h, which `make xen` copies beside this file.
 */
#include "rb-atomic.h"

/*
 * Payload stores before the commit count; the consumer, in another
 * domain, pairs with a read barrier.  x86 keeps stores in order, and
 * loads, so both are compiler barriers (as smp_wmb() and smp_rmb()).
 */
#define rb_smp_wmb()    barrier()
#define rb_smp_rmb()    barrier()

#define rb_barrier()    barrier()

#define rb_memcpy(d, s, n)  memcpy(d, s, n)
#define rb_memset(d, c, n)  memset(d, c, n)

/* The frontend's invariants: Xen's ASSERT(), on in debug builds. */
#define rb_assert(c)    ASSERT(c)

/* An index the control domain chose, after its bounds check. */
#define rb_array_index_nospec(index, size) array_index_nospec(index, size)

/* The clock and the consumer's wake-up: <lttng-xen/host.h>, lttng.c. */

#endif /* XEN_COMMON_LTTNG_RB_PLATFORM_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
