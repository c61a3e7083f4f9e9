/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probe.c: the probe API of <lttng-xen/tracepoint.h> on top of the ring
 * buffer: every enabled trace point ends here, on the CPU it fired on.
 *
 * Each CPU counts the writers inside a trace point, nested ones
 * (interrupts, NMIs) included, from before its buffer is looked up until
 * the event is committed or lost (after lttng-modules'
 * lib_ring_buffer_get_cpu()).  control.c reads the count on the CPU
 * before it resets or frees a buffer it unpublished (quiescence), so the
 * same code decides that in Xen, the simulator and the tests.  Only the
 * CPU itself changes its count, and a nested writer restores it before
 * returning: compiler barriers suffice.
 */
#include <lttng-xen/host.h>
#include <lttng-xen/tracepoint.h>

#include "frontend.h"
#include "probe.h"
#include "tp-gen.h"

/* One cache line per CPU: no CPU writes another's line. */
static struct {
    unsigned int depth;
} __attribute__((__aligned__(64))) nesting[LTTNG_XEN_MAX_CPUS];

unsigned int lttng_xen_nesting(unsigned int cpu)
{
    rb_assert(cpu < LTTNG_XEN_MAX_CPUS);
    return __atomic_load_n(&nesting[cpu].depth, __ATOMIC_RELAXED);
}

/* CPU cpu's buffer, counted in its nesting, on it; NULL: not recorded. */
static struct rb_buf *get_buf_of(unsigned int cpu)
{
    unsigned int *depth;
    struct rb_buf *b;

    if ( rb_unlikely(cpu >= LTTNG_XEN_MAX_CPUS) )
        return NULL;
    depth = &nesting[cpu].depth;
    ++*depth;
    rb_barrier();               /* Counted before the buffer is looked up. */
    b = lttng_xen_cpu_buf(cpu);
    if ( rb_likely(b && *depth <= LTTNG_XEN_MAX_NESTING) )
        return b;
    if ( b )
        rb_local_inc(&b->ctl->lost_nested);
    rb_barrier();
    --*depth;
    return NULL;
}

/* This CPU's buffer, for an event: the host says which CPU this is. */
static struct rb_buf *get_cpu_buf(unsigned int *cpup)
{
    *cpup = lttng_xen_host_cpu();
    return get_buf_of(*cpup);
}

static void put_cpu_buf(unsigned int cpu)
{
    unsigned int *depth = &nesting[cpu].depth;

    rb_assert(*depth);
    rb_barrier();               /* The event is written before it is uncounted. */
    --*depth;
}

/*
 * Say in the trace that the clock went back on this CPU's buffer
 * (gen:clock_backwards), once the event that found it is recorded.  A
 * writer nested over the report leaves it to the report.
 */
static void report_clock(struct rb_buf *b)
{
    uint32_t reads;
    uint64_t max_ticks;

    if ( rb_likely(rb_load(&b->ctl->clock_backwards) == b->clock_reported) ||
         b->clock_reporting )
        return;
    b->clock_reporting = 1;
    rb_barrier();
    if ( rb_clock_unreported(b, &reads, &max_ticks) )
        trace_gen_clock_backwards(reads, max_ticks);
    rb_barrier();
    b->clock_reporting = 0;
}

void lttng_xen_report_clock(unsigned int cpu)
{
    struct rb_buf *b = get_buf_of(cpu);

    if ( !b )
        return;
    report_clock(b);
    put_cpu_buf(cpu);
}

void lttng_xen_hold(uint64_t ticks, int *inside)
{
    unsigned int cpu;
    struct rb_buf *b = get_cpu_buf(&cpu);
    uint64_t start = rb_platform_clock();

    if ( !b )
    {
        __atomic_store_n(inside, -1, __ATOMIC_RELEASE);
        return;
    }
    __atomic_store_n(inside, 1, __ATOMIC_RELEASE);
    while ( rb_platform_clock() - start < ticks )
        rb_cpu_relax();
    put_cpu_buf(cpu);
    __atomic_store_n(inside, 2, __ATOMIC_RELEASE);
}

void lttng_xen_record(uint16_t event, const void *payload, uint32_t len)
{
    unsigned int cpu;
    struct rb_buf *b = get_cpu_buf(&cpu);
    struct rb_ctx ctx;

    if ( !b )
        return;
    ctx.event = event;
    ctx.payload_len = len;
    if ( !rb_reserve(b, &ctx) )
    {
        if ( len )              /* no fields: payload may be NULL */
            rb_write(b, &ctx, payload, len);
        rb_commit(b, &ctx);
    }
    report_clock(b);
    put_cpu_buf(cpu);
}

void lttng_xen_record_chunks(uint16_t event,
                             const struct lttng_xen_chunk *chunks,
                             unsigned int nr)
{
    unsigned int cpu, i;
    struct rb_buf *b = get_cpu_buf(&cpu);
    struct rb_ctx ctx;
    uint32_t len = 0;

    if ( !b )
        return;
    for ( i = 0; i < nr; i++ )
        len += chunks[i].len;
    ctx.event = event;
    ctx.payload_len = len;
    if ( !rb_reserve(b, &ctx) )
    {
        for ( i = 0; i < nr; i++ )
            if ( chunks[i].len )
                rb_write(b, &ctx, chunks[i].data, chunks[i].len);
        rb_commit(b, &ctx);
    }
    report_clock(b);
    put_cpu_buf(cpu);
}
