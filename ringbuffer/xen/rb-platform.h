/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer's platform layer inside Xen (x86): the atomics,
 * barriers, copies, clock and consumer wake-up that frontend.c uses.  The
 * same names as the user-space layer of lttng-xen, which the simulator
 * and the tests compile the same frontend.c with.
 *
 * "Local" operations are atomic with respect to the same CPU only: each
 * buffer is written by its own CPU and by whatever interrupts it nests
 * (IRQs, NMIs), never by two CPUs at once, so they need no LOCK prefix.
 * Updates another CPU may race with (the consumer's position, advanced
 * from the sysctl on any CPU) use rb_cmpxchg(), which has one.
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

/* Single-copy atomic loads and stores: one aligned mov each. */
static inline uint64_t rb_load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* x86 does not reorder a load with later loads: a compiler barrier. */
static inline uint64_t rb_load_acquire(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void rb_store(uint64_t *p, uint64_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Full SMP compare-and-exchange: returns the previous value. */
static inline uint64_t rb_cmpxchg(uint64_t *p, uint64_t old, uint64_t new)
{
    uint64_t prev;

    asm volatile ( "lock cmpxchgq %2, %1"
                   : "=a" (prev), "+m" (*p)
                   : "r" (new), "0" (old)
                   : "memory" );
    return prev;
}

static inline uint64_t rb_local_cmpxchg(uint64_t *p, uint64_t old,
                                        uint64_t new)
{
    uint64_t prev;

    asm volatile ( "cmpxchgq %2, %1"
                   : "=a" (prev), "+m" (*p)
                   : "r" (new), "0" (old)
                   : "memory" );
    return prev;
}

/* Adds v and returns the new value. */
static inline uint64_t rb_local_add_return(uint64_t *p, uint64_t v)
{
    uint64_t old = v;

    asm volatile ( "xaddq %0, %1" : "+r" (old), "+m" (*p) :: "memory" );
    return old + v;
}

static inline void rb_local_inc(uint64_t *p)
{
    asm volatile ( "incq %0" : "+m" (*p) :: "memory" );
}

/*
 * Payload stores before the commit count; the consumer, in another
 * domain, pairs with a read barrier.  x86 keeps stores in order, and
 * loads, so both are compiler barriers (as smp_wmb() and smp_rmb()).
 */
#define rb_smp_wmb()    barrier()
#define rb_smp_rmb()    barrier()
/* In a busy wait: let the sibling hyperthread run. */
#define rb_cpu_relax()  __asm__ __volatile__ ( "pause" : : : "memory" )

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
