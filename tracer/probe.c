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
 *
 * The domain filter (LTTNG_XEN_OP_SET_DOMAINS) drops an event before any
 * buffer is looked up, neither recorded nor counted as lost, unless the
 * domain running it or one of its domain fields (domain="true" in the
 * facility XML; offsets in the generated lttng_xen_events[]) is in the
 * set.  Off, it costs one load and a branch.
 */
#include <lttng-xen/host.h>
#include <lttng-xen/tracepoint.h>

#include "frontend.h"
#include "probe.h"
#include "tp-gen.h"
#include "event-ids.h"

/* One cache line per CPU: no CPU writes another's line. */
static struct {
    unsigned int depth;
} __attribute__((__aligned__(64))) nesting[LTTNG_XEN_MAX_CPUS];

/* Set by control.c while no trace runs; read by every writer. */
static struct {
    unsigned int on;
    uint64_t set[(LTTNG_XEN_DOMID_LIMIT + 63) / 64];
} domain_filter;

void lttng_xen_set_domains(const uint16_t *domid, unsigned int nr)
{
    unsigned int i;

    for ( i = 0; i < sizeof(domain_filter.set) / sizeof(uint64_t); i++ )
        __atomic_store_n(&domain_filter.set[i], 0, __ATOMIC_RELAXED);
    for ( i = 0; i < nr; i++ )
    {
        rb_assert(domid[i] < LTTNG_XEN_DOMID_LIMIT);
        __atomic_or_fetch(&domain_filter.set[domid[i] / 64],
                          1ULL << (domid[i] % 64), __ATOMIC_RELAXED);
    }
    __atomic_store_n(&domain_filter.on, nr != 0, __ATOMIC_RELEASE);
}

static int domain_selected(uint64_t domid)
{
    return domid < LTTNG_XEN_DOMID_LIMIT &&
           ((__atomic_load_n(&domain_filter.set[domid / 64],
                             __ATOMIC_RELAXED) >> (domid % 64)) & 1);
}

/*
 * The little-endian unsigned integer of f->size bytes at f->offset of the
 * payload, which may span chunks; LTTNG_XEN_DOMID_LIMIT (no domain) if the
 * payload is shorter.
 */
static uint64_t domain_field(const struct lttng_xen_chunk *chunks,
                             unsigned int nr,
                             const struct lttng_xen_domain_field *f)
{
    uint32_t skip = f->offset, got = 0, i;
    uint64_t v = 0;

    for ( i = 0; i < nr && got < f->size; i++ )
    {
        const uint8_t *p = chunks[i].data;
        uint32_t j;

        if ( skip >= chunks[i].len )
        {
            skip -= chunks[i].len;
            continue;
        }
        for ( j = skip; j < chunks[i].len && got < f->size; j++, got++ )
            v |= (uint64_t)p[j] << (8 * got);
        skip = 0;
    }
    return got == f->size ? v : LTTNG_XEN_DOMID_LIMIT;
}

/* The filter is on: is the event run by, or about, a selected domain? */
static __attribute__((__noinline__)) int
domain_wanted(uint16_t event, const struct lttng_xen_chunk *chunks,
              unsigned int nr)
{
    const struct lttng_xen_event_desc *d;
    unsigned int i;

    if ( domain_selected(lttng_xen_host_domain()) )
        return 1;
    if ( event >= LTTNG_XEN_NR_EVENTS )
        return 0;
    d = &lttng_xen_events[event];
    for ( i = 0; i < d->nr_domain_fields; i++ )
        if ( domain_selected(domain_field(chunks, nr, &d->domain_fields[i])) )
            return 1;
    return 0;
}

/* The same for a contiguous payload: its one chunk made off the fast path. */
static __attribute__((__noinline__)) int
payload_wanted(uint16_t event, const void *payload, uint32_t len)
{
    struct lttng_xen_chunk whole = { payload, len };

    return domain_wanted(event, &whole, 1);
}

/* What the fast path pays while no filter is set: this load and a branch. */
static inline int filter_on(void)
{
    return rb_unlikely(__atomic_load_n(&domain_filter.on, __ATOMIC_RELAXED));
}

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
    struct rb_buf *b;
    struct rb_ctx ctx;

    if ( filter_on() && !payload_wanted(event, payload, len) )
        return;
    b = get_cpu_buf(&cpu);
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
    struct rb_buf *b;
    struct rb_ctx ctx;
    uint32_t len = 0;

    if ( filter_on() && !domain_wanted(event, chunks, nr) )
        return;
    b = get_cpu_buf(&cpu);
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
