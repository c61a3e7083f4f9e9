/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer's atomics on x86-64, the same in both platform layers
 * (user/rb-platform.h, xen/rb-platform.h include this file; `make xen`
 * copies it beside the Xen one).  It needs uint64_t, which each layer's
 * own headers give first.
 *
 * Loads, stores and rb_cmpxchg() are what another CPU may race with (the
 * consumer's position, advanced from any CPU): GCC's atomic builtins,
 * one aligned mov for a load or a store, a LOCK CMPXCHG for the
 * exchange.
 *
 * "Local" operations are atomic with respect to the same CPU only: each
 * buffer is written by its own CPU and by whatever nests on it (IRQs and
 * NMIs in Xen, signal handlers in user space), never by two CPUs at
 * once, so they need no LOCK prefix, as lttng-modules does for its
 * per-CPU buffers.  RB_SMP_LOCAL=1 (user space only: the ThreadSanitizer
 * builds) makes them full atomics, which sanitizers understand.
 */
#ifndef RB_ATOMIC_H
#define RB_ATOMIC_H

#ifndef RB_SMP_LOCAL
#define RB_SMP_LOCAL 0
#endif

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
    __atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return old;
}

#if defined(__x86_64__) && !RB_SMP_LOCAL
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

/* Adds v and returns the new value; release ordering is x86's own. */
static inline uint64_t rb_local_add_return(uint64_t *p, uint64_t v)
{
    uint64_t old = v;

    asm volatile ( "xaddq %0, %1" : "+r" (old), "+m" (*p) : : "memory" );
    return old + v;
}

static inline void rb_local_inc(uint64_t *p)
{
    asm volatile ( "incq %0" : "+m" (*p) : : "memory" );
}
#else
static inline uint64_t rb_local_cmpxchg(uint64_t *p, uint64_t old,
                                        uint64_t new)
{
    return rb_cmpxchg(p, old, new);
}

static inline uint64_t rb_local_add_return(uint64_t *p, uint64_t v)
{
    return __atomic_add_fetch(p, v, __ATOMIC_RELEASE);
}

static inline void rb_local_inc(uint64_t *p)
{
    __atomic_add_fetch(p, 1, __ATOMIC_RELAXED);
}
#endif

/* In a busy wait: let the sibling hyperthread run. */
#define rb_cpu_relax()  __asm__ __volatile__ ( "pause" : : : "memory" )

#endif /* RB_ATOMIC_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
