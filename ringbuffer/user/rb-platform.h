/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer's platform layer for user space (simulator, tests,
 * benchmarks): barriers, copies and assertions, and the atomics both
 * layers share (../rb-atomic.h).  Xen's layer, with the same names, is
 * ringbuffer/xen/rb-platform.h.
 */
#ifndef RB_PLATFORM_H
#define RB_PLATFORM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define rb_likely(x)    __builtin_expect(!!(x), 1)
#define rb_unlikely(x)  __builtin_expect(!!(x), 0)

#include "../rb-atomic.h"

/*
 * Order payload stores before the commit count; consumers pair with rmb.
 *
 * With RB_SMP_LOCAL they are compiler barriers only: there the atomics
 * they stand beside already give that order.  The commit count is raised
 * by rb_local_add_return(), a release read-modify-write (every store
 * before it, payload and packet header included, is visible before the
 * new count), and read by rb_load_acquire() (no load after it, of
 * 'consumed' or of the payload, is done before it).  lttd-xen's rmb
 * before it copies a packet comes after that acquire load as well, by
 * way of the GET_SUBBUF round trip.  Release and acquire on the atomic
 * access is also what ThreadSanitizer models; it ignores stand-alone
 * fences, which GCC rejects under -fsanitize=thread (-Wtsan).
 *
 * Without RB_SMP_LOCAL the x86 local operations are asm the compiler
 * cannot see into, so the fences stay (on x86 they are compiler barriers
 * too: stores and loads each keep their order there).
 */
#if RB_SMP_LOCAL
#define rb_smp_wmb()    __asm__ __volatile__ ( "" : : : "memory" )
#define rb_smp_rmb()    __asm__ __volatile__ ( "" : : : "memory" )
#else
#if defined(__SANITIZE_THREAD__)
#error "ThreadSanitizer builds need -DRB_SMP_LOCAL=1 (see above)"
#endif
#define rb_smp_wmb()    __atomic_thread_fence(__ATOMIC_RELEASE)
#define rb_smp_rmb()    __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif

#define rb_barrier()    __asm__ __volatile__ ( "" : : : "memory" )

#define rb_memcpy(d, s, n)  memcpy(d, s, n)
#define rb_memset(d, c, n)  memset(d, c, n)

/*
 * The frontend's invariants (rb_assert): a broken one is a bug in the
 * ring buffer, never bad input; abort with where it broke.  Compiled out
 * with NDEBUG, as assert(3).
 */
#ifndef NDEBUG
#define rb_assert(c)                                                    \
    do {                                                                \
        if ( rb_unlikely(!(c)) )                                        \
            rb_assert_failed(#c, __FILE__, __LINE__);                   \
    } while ( 0 )
#else
#define rb_assert(c)    do { } while ( 0 )
#endif

static inline void __attribute__((__noreturn__, __cold__))
rb_assert_failed(const char *cond, const char *file, int line)
{
    fprintf(stderr, "%s:%d: ring buffer invariant broken: %s\n", file, line,
            cond);
    abort();
}

/*
 * An index the consumer chose, after its bounds check: index if it is
 * below size, else 0, computed without a branch the CPU could mispredict
 * (Xen: array_index_nospec()).  Nothing crosses a privilege boundary in
 * user space; the clamp keeps the core's code the same as in Xen.
 */
#ifndef rb_array_index_nospec     /* a test may watch it */
static inline unsigned long rb_array_index_nospec(unsigned long index,
                                                  unsigned long size)
{
    unsigned long mask = ~(long)(index | (size - 1UL - index)) >>
                         (sizeof(long) * 8 - 1);

    return index & mask;
}
#endif

/* Xen marks the targets of indirect calls (cf_check); nothing here. */
#ifndef cf_check
#define cf_check
#endif

/* The clock and the consumer's wake-up: <lttng-xen/host.h>. */

#endif /* RB_PLATFORM_H */
