/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control.c: the producer side of the control operations of
 * <lttng-xen/abi.h>: state machine, per-CPU buffers, event selection, and
 * the domain filter (kept in probe.c), the consumer's GET_SUBBUF /
 * PUT_SUBBUF.  Everything the consumer passes
 * is checked here before it reaches the ring buffer; an operation that
 * fails changes nothing.
 *
 *   UNCONFIGURED --CONFIGURE--> STOPPED <--START / STOP--> RUNNING
 *   STOPPED --DESTROY--> UNCONFIGURED
 *
 * Freestanding: the host (Xen's sysctl handler, the simulator) provides
 * memory, cross-CPU calls, the CPU set, the clock rate, UUIDs and the
 * consumer's wake-up through struct lttng_xen_host_ops, and serialises
 * the calls (see <lttng-xen/control.h>).
 *
 * Every index the consumer chooses (a CPU, an event) goes through
 * rb_array_index_nospec() after its bounds check, so that a mispredicted
 * check cannot read or write past the array (Xen's array_index_nospec()).
 * The functions the host calls back are cf_check (Xen's indirect branch
 * tracking; nothing in user space).
 */
#include <lttng-xen/control.h>
#include <lttng-xen/tracepoint.h>

#include "frontend.h"
#include "probe.h"
#include "event-ids.h"
#include "tp-dom0op.h"
#include "tp-gen.h"

#define MASK_WORDS          (LTTNG_XEN_MAX_EVENTS / 32)
#define CPU_WORDS           (LTTNG_XEN_MAX_CPUS / 64)
#define MAX_EVENTS_PER_OP   512
#define FRAME_SIZE          4096

#if LTTNG_XEN_NR_EVENTS > LTTNG_XEN_MAX_EVENTS
#error "more events than LTTNG_XEN_MAX_EVENTS"
#endif

/* The ABI promises 112 bytes: it must fit Xen's sysctl union. */
_Static_assert(sizeof(struct lttng_xen_op) == 112,
               "struct lttng_xen_op is not 112 bytes");

/* What the tracepoints test: the selection while running, else zero. */
uint32_t lttng_xen_enabled_mask[MASK_WORDS];

struct cpu_buf {
    struct rb_buf rb;
    void *mem;                  /* control page + sub-buffers, or NULL */
    uint32_t mem_size;
};

static const struct lttng_xen_host_ops *host;
static unsigned int nr_possible;       /* traceable: at most MAX_CPUS */
static unsigned int nr_host_cpus;      /* the host's possible CPUs */
static unsigned int nr_cpus_seen;       /* highest online CPU + 1, ever */
static uint32_t max_buf_size;           /* sub-buffer bytes per CPU */

static uint32_t state = LTTNG_XEN_STATE_UNCONFIGURED;
static uint32_t generation;     /* of the configuration, from 1 */
static struct rb_config config;
static uint64_t cpu_mask[CPU_WORDS];
static uint8_t trace_uuid[16];
static uint32_t selected[MASK_WORDS];

static struct cpu_buf bufs[LTTNG_XEN_MAX_CPUS];

#define NO_CPU  (~0U)

/*
 * An operation the host stopped part way (-LTTNG_XEN_ERESTART from
 * alloc_buffer() or free_buffer(); Xen continues the hypercall), which
 * the next CONFIGURE with the same configuration, or the next DESTROY,
 * takes up where it stopped.  Meanwhile the other operations see the
 * state as it was before a CONFIGURE (nothing it allocated is in use
 * yet), or already unconfigured by a DESTROY; those that would change it
 * get -EBUSY: START, a CONFIGURE of another configuration, a CONFIGURE
 * while a DESTROY is still freeing.  A DESTROY takes a pending CONFIGURE
 * over (its caller may be gone), freeing what it allocated too.
 */
static struct {
    uint32_t op;                    /* CONFIGURE or DESTROY; 0: none */
    struct lttng_xen_config config; /* CONFIGURE's, as it came */
    uint32_t size;                  /* of each buffer it allocates */
    unsigned int part;              /* CPU whose alloc_buffer() stopped
                                       part way, or NO_CPU */
    uint64_t fresh[CPU_WORDS];      /* CONFIGURE: allocated for it */
    int freeing;                    /* freeing part and dead[], then */
    int rc;                         /* returning this */
    uint64_t dead[CPU_WORDS];       /* buffers to free */
} pending = { .part = NO_CPU };
/* What writers see: &bufs[cpu].rb while the CPU is traced, else NULL. */
static struct rb_buf *live[LTTNG_XEN_MAX_CPUS];

static inline int test_bit64(const uint64_t *map, unsigned int bit)
{
    return (map[bit / 64] >> (bit % 64)) & 1;
}

static inline void set_bit64(uint64_t *map, unsigned int bit)
{
    map[bit / 64] |= 1ULL << (bit % 64);
}

static inline void clear_bit64(uint64_t *map, unsigned int bit)
{
    map[bit / 64] &= ~(1ULL << (bit % 64));
}

static void publish(unsigned int cpu, struct rb_buf *b)
{
    /* rb_init()'s stores are visible before the pointer is. */
    __atomic_store_n(&live[cpu], b, __ATOMIC_RELEASE);
}

static void cf_check read_nesting(void *depth)
{
    *(unsigned int *)depth = lttng_xen_nesting(lttng_xen_host_cpu());
}

/*
 * Wait until no writer on CPU cpu can still use a buffer unpublished
 * before the call: the CPU's nesting count (probe.c), read on that CPU,
 * is 0.  Running there orders the read after the unpublishing store
 * (Xen's IPI takes a lock; the simulator's signal is a system call), so
 * writers that start afterwards find no buffer.  A nonzero count means
 * the read interrupted a writer, which finishes once it returns: ask
 * again, until the host's deadline.  Only a count read as nonzero after
 * the deadline fails: a slow cross-CPU call that finds the CPU outside
 * succeeds.  -EBUSY: the CPU is still inside.
 */
static int quiesce(unsigned int cpu)
{
    uint64_t start = rb_platform_clock();
    uint64_t limit = host->tsc_hz() / 1000 * host->quiesce_ms;
    unsigned int depth;

    for ( ;; )
    {
        depth = 0;
        host->run_on_cpu(cpu, read_nesting, &depth);
        if ( !depth )
            return 0;
        if ( rb_platform_clock() - start > limit )
            return -LTTNG_XEN_EBUSY;
    }
}

/*
 * Writers stop using the buffers of the CPUs in 'cpus', before they are
 * reset or freed: each is unpublished, then each CPU waited for.  If one
 * stays inside a trace point past the deadline, every buffer is
 * published again as it was and -EBUSY returned: nothing is ever reset
 * or freed under a writer, and the operation changes nothing.
 */
static int retire(const uint64_t cpus[CPU_WORDS])
{
    static struct rb_buf *was[LTTNG_XEN_MAX_CPUS];
    unsigned int cpu;
    int rc = 0;

    for ( cpu = 0; cpu < nr_possible; cpu++ )
    {
        was[cpu] = test_bit64(cpus, cpu) ? live[cpu] : NULL;
        if ( was[cpu] )
            publish(cpu, NULL);
    }
    for ( cpu = 0; cpu < nr_possible && !rc; cpu++ )
        if ( was[cpu] )
            rc = quiesce(cpu);
    if ( rc )
        for ( cpu = 0; cpu < nr_possible; cpu++ )
            if ( was[cpu] )
                publish(cpu, was[cpu]);
    return rc;
}

struct rb_buf *lttng_xen_cpu_buf(unsigned int cpu)
{
    if ( cpu >= LTTNG_XEN_MAX_CPUS )
        return NULL;
    return __atomic_load_n(&live[cpu], __ATOMIC_ACQUIRE);
}

static void set_enabled_mask(const uint32_t *from)
{
    unsigned int i;

    /* Relaxed: STOP's flushes run through run_on_cpu(), a full barrier. */
    for ( i = 0; i < MASK_WORDS; i++ )
        __atomic_store_n(&lttng_xen_enabled_mask[i], from ? from[i] : 0,
                         __ATOMIC_RELAXED);
}

static void select_all_events(void)
{
    unsigned int i;

    for ( i = 0; i < MASK_WORDS; i++ )
        selected[i] = 0;
    for ( i = 0; i < LTTNG_XEN_NR_EVENTS; i++ )
        selected[i / 32] |= 1U << (i % 32);
}

static void note_online(unsigned int cpu)
{
    if ( cpu + 1 > nr_cpus_seen )
        nr_cpus_seen = cpu + 1;
}

int lttng_xen_control_init(const struct lttng_xen_host_ops *ops)
{
    unsigned int cpu;

    if ( !ops || !ops->alloc_buffer || !ops->free_buffer ||
         !ops->run_on_cpu || !ops->nr_possible_cpus ||
         !ops->cpu_is_online || !ops->tsc_hz || !ops->make_uuid ||
         !ops->wake_consumer || !ops->quiesce_ms )
        return -LTTNG_XEN_EINVAL;
    nr_host_cpus = ops->nr_possible_cpus();
    if ( nr_host_cpus == 0 )
        return -LTTNG_XEN_EINVAL;
    nr_possible = nr_host_cpus < LTTNG_XEN_MAX_CPUS ? nr_host_cpus
                                                    : LTTNG_XEN_MAX_CPUS;
    max_buf_size = ops->max_buf_size && ops->max_buf_size <
                   LTTNG_XEN_MAX_BUF_SIZE ? ops->max_buf_size
                                          : LTTNG_XEN_MAX_BUF_SIZE;
    host = ops;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( host->cpu_is_online(cpu) )
            note_online(cpu);
    select_all_events();
    return 0;
}

static uint32_t buffer_size(void)
{
    return LTTNG_XEN_CTL_SIZE + config.subbuf_size * config.nr_subbufs;
}

/* (Re)start CPU cpu's buffer, empty, with the current configuration;
 * no writer may be using it (retire()). */
static void start_buffer(unsigned int cpu)
{
    struct cpu_buf *cb = &bufs[cpu];
    uint8_t *mem = cb->mem;

    rb_assert(!live[cpu] && mem);
    rb_init(&cb->rb, (struct lttng_xen_buf_ctl *)mem,
            mem + LTTNG_XEN_CTL_SIZE, &config, cpu, trace_uuid, NULL);
    publish(cpu, &cb->rb);
}

/*
 * Free what the pending operation must: the part of an allocation the host
 * stopped in, then each buffer of dead[]; no writer uses any of them
 * (retire(), or never published).  0, or -ERESTART part way.
 */
static int free_dead(void)
{
    unsigned int cpu;
    int rc;

    if ( pending.part != NO_CPU )
    {
        rc = host->free_buffer(pending.part, NULL, pending.size);
        if ( rc )
            return rc;
        pending.part = NO_CPU;
    }
    for ( cpu = 0; cpu < nr_possible; cpu++ )
    {
        struct cpu_buf *cb = &bufs[cpu];

        if ( !test_bit64(pending.dead, cpu) )
            continue;
        rb_assert(!live[cpu] && cb->mem);
        rc = host->free_buffer(cpu, cb->mem, cb->mem_size);
        if ( rc )
            return rc;
        clear_bit64(pending.dead, cpu);
        cb->mem = NULL;
        cb->mem_size = 0;
    }
    return 0;
}

static void clear_pending(void)
{
    __builtin_memset(&pending, 0, sizeof(pending));
    pending.part = NO_CPU;
}

/*
 * The pending operation frees what it must (-ERESTART part way), then
 * returns what it had to say: its error (a CONFIGURE undone), or 0.
 */
static int finish_pending(void)
{
    int rc = free_dead();

    if ( rc )
        return rc;
    rc = pending.rc;
    clear_pending();
    return rc;
}

/* The operation op (with config c) frees dead[], then returns rc. */
static int free_then_return(uint32_t op, const struct lttng_xen_config *c,
                            int rc)
{
    pending.op = op;
    if ( c )
        pending.config = *c;
    pending.rc = rc;
    pending.freeing = 1;
    return finish_pending();
}

static void all_cpus(uint64_t cpus[CPU_WORDS])
{
    unsigned int i;

    for ( i = 0; i < CPU_WORDS; i++ )
        cpus[i] = ~0ULL;
}

static int op_get_info(struct lttng_xen_info *info)
{
    unsigned int cpu;

    __builtin_memset(info, 0, sizeof(*info));
    info->abi_version = LTTNG_XEN_ABI_VERSION;
    info->state = state;
    info->nr_cpus = nr_cpus_seen;
    if ( state != LTTNG_XEN_STATE_UNCONFIGURED )
    {
        info->subbuf_size = config.subbuf_size;
        info->nr_subbufs = config.nr_subbufs;
        info->mode = config.mode;
        __builtin_memcpy(info->trace_uuid, trace_uuid, 16);
    }
    info->nr_events = LTTNG_XEN_NR_EVENTS;
    info->generation = generation;
    info->tsc_hz = host->tsc_hz();
    info->metadata_hash = LTTNG_XEN_METADATA_HASH;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( host->cpu_is_online(cpu) )
            set_bit64(info->cpu_online, cpu);
    return 0;
}

static int read_cpu_mask(const struct lttng_xen_config *c,
                         uint64_t mask[CPU_WORDS])
{
    unsigned int i, cpu;
    uint64_t any = 0;

    for ( i = 0; i < CPU_WORDS; i++ )
    {
        mask[i] = c->cpu_mask[i];
        any |= mask[i];
    }
    for ( cpu = nr_possible; cpu < LTTNG_XEN_MAX_CPUS; cpu++ )
        if ( test_bit64(mask, cpu) )
            return -LTTNG_XEN_ERANGE;
    if ( any )
        return 0;
    /* "Every CPU" would leave those past the limit out, unsaid. */
    if ( nr_host_cpus > LTTNG_XEN_MAX_CPUS )
        return -LTTNG_XEN_E2BIG;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        set_bit64(mask, cpu);
    return 0;
}

/*
 * Buffers for the CPUs in the mask that are online or already have one;
 * the others get theirs when they come online.  Memory is allocated first,
 * so a failure changes nothing; the host may do it in steps (pending).
 * Sizes cannot change while buffers exist: a consumer may have them
 * mapped.
 */
static int op_configure(const struct lttng_xen_config *c)
{
    struct rb_config cfg;
    uint64_t mask[CPU_WORDS], every[CPU_WORDS];
    uint32_t size;
    unsigned int cpu, i;
    int rc;

    if ( pending.op == LTTNG_XEN_OP_CONFIGURE )
    {
        if ( __builtin_memcmp(&pending.config, c, sizeof(*c)) )
            return -LTTNG_XEN_EBUSY;
        if ( pending.freeing )
            return finish_pending();
    }
    else if ( pending.op )
        return -LTTNG_XEN_EBUSY;        /* a DESTROY is still freeing */

    if ( state == LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EBUSY;
    cfg.subbuf_size = c->subbuf_size ? c->subbuf_size
                                     : LTTNG_XEN_DEFAULT_SUBBUF_SIZE;
    cfg.nr_subbufs = c->nr_subbufs ? c->nr_subbufs
                                   : LTTNG_XEN_DEFAULT_NR_SUBBUFS;
    cfg.mode = c->mode;
    rc = rb_config_check(&cfg);
    if ( !rc && (uint64_t)cfg.subbuf_size * cfg.nr_subbufs > max_buf_size )
        rc = -LTTNG_XEN_ERANGE;
    if ( !rc )
        rc = read_cpu_mask(c, mask);
    if ( !rc && state == LTTNG_XEN_STATE_STOPPED &&
         (cfg.subbuf_size != config.subbuf_size ||
          cfg.nr_subbufs != config.nr_subbufs) )
        rc = -LTTNG_XEN_EBUSY;
    if ( rc )
        goto undo;              /* nothing, unless it was pending */

    size = LTTNG_XEN_CTL_SIZE + cfg.subbuf_size * cfg.nr_subbufs;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
    {
        struct cpu_buf *cb = &bufs[cpu];
        void *mem;

        /* Go on with the one the host stopped in, wherever its CPU is. */
        if ( cpu != pending.part &&
             (cb->mem || !test_bit64(mask, cpu) ||
              !host->cpu_is_online(cpu)) )
            continue;
        rc = host->alloc_buffer(cpu, size, &mem);
        if ( rc == -LTTNG_XEN_ERESTART )
        {
            pending.op = LTTNG_XEN_OP_CONFIGURE;
            pending.config = *c;
            pending.size = size;
            pending.part = cpu;
            return rc;
        }
        if ( rc )
        {
            pending.size = size;
            pending.part = cpu;         /* what it kept */
            rc = -LTTNG_XEN_ENOMEM;
            goto undo;
        }
        pending.part = NO_CPU;
        cb->mem = mem;
        cb->mem_size = size;
        set_bit64(pending.fresh, cpu);
    }

    /* Every buffer is reset, or kept untraced: no writer may be in one. */
    all_cpus(every);
    rc = retire(every);
    if ( rc )
        goto undo;

    clear_pending();
    config = cfg;
    __builtin_memcpy(cpu_mask, mask, sizeof(cpu_mask));
    host->make_uuid(trace_uuid);
    if ( !++generation )
        generation = 1;
    select_all_events();
    lttng_xen_set_domains(NULL, 0);
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( bufs[cpu].mem && test_bit64(mask, cpu) )
            start_buffer(cpu);      /* the others are kept, not traced */
    state = LTTNG_XEN_STATE_STOPPED;
    host->wake_consumer();
    return 0;

 undo:
    /* What it allocated was never published: free it, then say why. */
    for ( i = 0; i < CPU_WORDS; i++ )
    {
        pending.dead[i] = pending.fresh[i];
        pending.fresh[i] = 0;
    }
    return free_then_return(LTTNG_XEN_OP_CONFIGURE, c, rc);
}

/* Select events first..first+nr-1: bit i of bits is event first+i. */
static int op_set_events(const struct lttng_xen_events *ev)
{
    uint32_t i;

    if ( ev->first % 64 || ev->nr > MAX_EVENTS_PER_OP )
        return -LTTNG_XEN_EINVAL;
    if ( ev->first > LTTNG_XEN_NR_EVENTS ||
         ev->nr > LTTNG_XEN_NR_EVENTS - ev->first )
        return -LTTNG_XEN_ERANGE;
    for ( i = 0; i < ev->nr; i++ )
    {
        uint32_t id = rb_array_index_nospec(ev->first + i,
                                            LTTNG_XEN_NR_EVENTS);
        uint32_t bit = rb_array_index_nospec(i, MAX_EVENTS_PER_OP);

        if ( (ev->bits[bit / 64] >> (bit % 64)) & 1 )
            selected[id / 32] |= 1U << (id % 32);
        else
            selected[id / 32] &= ~(1U << (id % 32));
    }
    if ( state == LTTNG_XEN_STATE_RUNNING )
        set_enabled_mask(selected);
    return 0;
}

static void cf_check flush_on_cpu(void *arg)
{
    rb_switch(arg);
}

static void flush_cpu(unsigned int cpu)
{
    struct rb_buf *b = lttng_xen_cpu_buf(cpu);

    if ( b )
        host->run_on_cpu(cpu, flush_on_cpu, b);
}

/*
 * The clock on this CPU.  The host reads it in program order (Xen:
 * lfence; rdtsc), so reading it again completes the first read before
 * anything after this (the answer to the cross-CPU call) is done.
 */
static void cf_check read_clock(void *ts)
{
    uint64_t t = rb_platform_clock();

    (void)rb_platform_clock();
    *(uint64_t *)ts = t;
}

struct clock_skew {
    uint16_t ref_cpu;
    int64_t offset;
};

static void cf_check record_clock_skew(void *arg)
{
    const struct clock_skew *s = arg;

    trace_gen_clock_unsynchronised(s->ref_cpu, s->offset);
}

/*
 * Is each traced CPU's clock in step with this one's?  Its clock read,
 * made between two reads here, must fall between them; if it does not,
 * the two clocks are apart by at least the difference, which the trace
 * then says on that CPU (gen:clock_unsynchronised), as it begins.
 */
static void check_clocks(void)
{
    unsigned int cpu, self = lttng_xen_host_cpu();
    struct clock_skew skew;
    uint64_t before, at, after;

    skew.ref_cpu = self < LTTNG_XEN_MAX_CPUS ? self : 0xffff;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
    {
        if ( cpu == self || !host->cpu_is_online(cpu) ||
             !lttng_xen_cpu_buf(cpu) )
            continue;
        before = rb_platform_clock();
        (void)rb_platform_clock();      /* before is read: see read_clock() */
        host->run_on_cpu(cpu, read_clock, &at);
        after = rb_platform_clock();
        if ( at >= before && at <= after )
            continue;
        skew.offset = at < before ? -(int64_t)(before - at)
                                  : (int64_t)(at - after);
        host->run_on_cpu(cpu, record_clock_skew, &skew);
    }
}

static int op_start(void)
{
    if ( state == LTTNG_XEN_STATE_RUNNING || pending.op )
        return -LTTNG_XEN_EBUSY;
    state = LTTNG_XEN_STATE_RUNNING;
    set_enabled_mask(selected);
    check_clocks();
    host->wake_consumer();
    return 0;
}

static void cf_check report_clock_on_cpu(void *cpu)
{
    lttng_xen_report_clock(*(const unsigned int *)cpu);
}

/*
 * Writers that tested the mask before it went to zero may still record;
 * the consumer catches their events with a FLUSH after draining.  Every
 * state change wakes the consumer, so it never has to poll for one.
 */
static int op_stop(void)
{
    unsigned int cpu;

    if ( state != LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EPERM;
    /* The clock's last steps back, while events are still recorded. */
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( host->cpu_is_online(cpu) && lttng_xen_cpu_buf(cpu) )
            host->run_on_cpu(cpu, report_clock_on_cpu, &cpu);
    set_enabled_mask(NULL);
    state = LTTNG_XEN_STATE_STOPPED;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        flush_cpu(cpu);
    host->wake_consumer();      /* even if no packet was open */
    return 0;
}

/*
 * Unconfigured at once (no writer may still use a buffer), then every
 * buffer freed, in steps if the host needs them (pending).  A CONFIGURE
 * still pending is abandoned, what it allocated freed with the rest.
 */
static int op_destroy(void)
{
    uint64_t every[CPU_WORDS];
    unsigned int cpu, i;
    int rc;

    if ( pending.op == LTTNG_XEN_OP_DESTROY )
        return finish_pending();
    if ( state == LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EBUSY;
    all_cpus(every);
    rc = retire(every);
    if ( rc )
        return rc;
    state = LTTNG_XEN_STATE_UNCONFIGURED;
    __builtin_memset(&config, 0, sizeof(config));
    __builtin_memset(cpu_mask, 0, sizeof(cpu_mask));
    __builtin_memset(trace_uuid, 0, sizeof(trace_uuid));
    select_all_events();
    lttng_xen_set_domains(NULL, 0);
    host->wake_consumer();
    for ( i = 0; i < CPU_WORDS; i++ )
        pending.fresh[i] = 0;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( bufs[cpu].mem )
            set_bit64(pending.dead, cpu);
    return free_then_return(LTTNG_XEN_OP_DESTROY, NULL, 0);
}

static void cf_check record_domain_name(void *arg)
{
    const struct lttng_xen_domain_name *dn = arg;

    trace_dom0op_domain_name(dn->domain, dn->name);
}

/*
 * Dom0 tells the domain names (Xen has none: the toolstack keeps them in
 * xenstore); the event is recorded here so that it carries the
 * producer's own timestamp and merges with the hypervisor's events in
 * time order.  It goes to the lowest online CPU with a buffer, by a
 * cross-CPU call like FLUSH, since the CPU running this operation may
 * not be traced (the simulator's control thread is no CPU at all).
 */
static int op_domain_name(struct lttng_xen_domain_name *dn)
{
    unsigned int cpu, i;

    if ( state != LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EPERM;
    if ( dn->domain >= LTTNG_XEN_DOMID_LIMIT )
        return -LTTNG_XEN_ERANGE;
    for ( i = 0; i < LTTNG_XEN_DOMAIN_NAME_SIZE && dn->name[i]; i++ )
        if ( (unsigned char)dn->name[i] < 0x20 ||
             (unsigned char)dn->name[i] == 0x7f )
            return -LTTNG_XEN_EINVAL;
    if ( i == 0 || i == LTTNG_XEN_DOMAIN_NAME_SIZE )
        return -LTTNG_XEN_EINVAL;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( host->cpu_is_online(cpu) && lttng_xen_cpu_buf(cpu) )
        {
            host->run_on_cpu(cpu, record_domain_name, dn);
            return 0;
        }
    return -LTTNG_XEN_ENOENT;
}

/*
 * The domain filter, checked whole before it is set.  While stopped: the
 * writers the enabled mask still lets through are those of the end of
 * the last run, whose events are already complete.
 */
static int op_set_domains(const struct lttng_xen_domains *d)
{
    unsigned int i;

    if ( state == LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EBUSY;
    if ( d->nr > LTTNG_XEN_MAX_DOMAINS )
        return -LTTNG_XEN_EINVAL;
    for ( i = 0; i < d->nr; i++ )
        if ( d->domid[i] >= LTTNG_XEN_DOMID_LIMIT )
            return -LTTNG_XEN_ERANGE;
    lttng_xen_set_domains(d->domid, d->nr);
    return 0;
}

static int op_hold(unsigned int cpu, const struct lttng_xen_op *op)
{
    if ( !host->hold_cpu )
        return -LTTNG_XEN_ENOSYS;
    if ( op->u.hold.ms > LTTNG_XEN_MAX_HOLD_MS )
        return -LTTNG_XEN_ERANGE;
    return host->hold_cpu(cpu, host->tsc_hz() / 1000 * op->u.hold.ms);
}

static int per_cpu_op(struct lttng_xen_op *op)
{
    unsigned int cpu;
    struct rb_buf *b;

    if ( op->cpu >= nr_cpus_seen )
        return -LTTNG_XEN_ERANGE;
    cpu = rb_array_index_nospec(op->cpu, nr_cpus_seen);
    b = lttng_xen_cpu_buf(cpu);
    if ( !b )
        return -LTTNG_XEN_ENOENT;
    switch ( op->op )
    {
    case LTTNG_XEN_OP_FLUSH:
        host->run_on_cpu(cpu, flush_on_cpu, b);
        return 0;
    case LTTNG_XEN_OP_GET_BUFFER:
        op->u.buffer.size = buffer_size();
        op->u.buffer.nr_frames = buffer_size() / FRAME_SIZE;
        return 0;
    case LTTNG_XEN_OP_GET_SUBBUF:
        if ( op->u.subbuf.generation != generation )
            return -LTTNG_XEN_ESRCH;
        return rb_get_subbuf(b, &op->u.subbuf.pos);
    case LTTNG_XEN_OP_PUT_SUBBUF:
        if ( op->u.subbuf.generation != generation )
            return -LTTNG_XEN_ESRCH;
        return rb_put_subbuf(b, op->u.subbuf.pos);
    case LTTNG_XEN_OP_GET_COUNTERS:
        rb_get_counters(b, &op->u.counters);
        return 0;
    case LTTNG_XEN_OP_HOLD:
        return op_hold(cpu, op);
    }
    return -LTTNG_XEN_ENOSYS;
}

static int dispatch(struct lttng_xen_op *op)
{
    switch ( op->op )
    {
    case LTTNG_XEN_OP_GET_INFO:
        return op_get_info(&op->u.info);
    case LTTNG_XEN_OP_CONFIGURE:
        return op_configure(&op->u.config);
    case LTTNG_XEN_OP_SET_EVENTS:
    case LTTNG_XEN_OP_START:
    case LTTNG_XEN_OP_STOP:
    case LTTNG_XEN_OP_FLUSH:
    case LTTNG_XEN_OP_GET_BUFFER:
    case LTTNG_XEN_OP_GET_SUBBUF:
    case LTTNG_XEN_OP_PUT_SUBBUF:
    case LTTNG_XEN_OP_GET_COUNTERS:
    case LTTNG_XEN_OP_DESTROY:
    case LTTNG_XEN_OP_DOMAIN_NAME:
    case LTTNG_XEN_OP_HOLD:
    case LTTNG_XEN_OP_SET_DOMAINS:
        break;
    default:
        return -LTTNG_XEN_ENOSYS;
    }

    /* A DESTROY goes on, or abandons a CONFIGURE, wherever it stopped. */
    if ( state == LTTNG_XEN_STATE_UNCONFIGURED &&
         !(op->op == LTTNG_XEN_OP_DESTROY && pending.op) )
        return -LTTNG_XEN_EPERM;
    switch ( op->op )
    {
    case LTTNG_XEN_OP_SET_EVENTS:
        return op_set_events(&op->u.events);
    case LTTNG_XEN_OP_START:
        return op_start();
    case LTTNG_XEN_OP_STOP:
        return op_stop();
    case LTTNG_XEN_OP_DESTROY:
        return op_destroy();
    case LTTNG_XEN_OP_DOMAIN_NAME:
        return op_domain_name(&op->u.domain_name);
    case LTTNG_XEN_OP_SET_DOMAINS:
        return op_set_domains(&op->u.domains);
    }
    return per_cpu_op(op);
}

int lttng_xen_control(struct lttng_xen_op *op)
{
    if ( !host )
        op->ret = -LTTNG_XEN_ENOSYS;
    else
        op->ret = dispatch(op);
    return op->ret;
}

int lttng_xen_cpu_online(unsigned int cpu)
{
    struct cpu_buf *cb;
    uint32_t size;
    void *mem;
    int rc;

    if ( !host )
        return -LTTNG_XEN_ENOSYS;
    if ( cpu >= nr_possible )
        return -LTTNG_XEN_ERANGE;
    cb = &bufs[cpu];
    if ( state != LTTNG_XEN_STATE_UNCONFIGURED && test_bit64(cpu_mask, cpu) &&
         !lttng_xen_cpu_buf(cpu) )
    {
        size = buffer_size();
        /*
         * A pending operation's memory for this CPU (the host does it all
         * at once here): a buffer being freed goes first; an allocation
         * stopped part way is finished; either, or a CONFIGURE's fresh
         * buffer, then serves the configuration in force.
         */
        if ( test_bit64(pending.dead, cpu) )
        {
            rc = host->free_buffer(cpu, cb->mem, cb->mem_size);
            rb_assert(!rc);
            clear_bit64(pending.dead, cpu);
            cb->mem = NULL;
        }
        if ( cpu == pending.part && pending.freeing )
        {
            rc = host->free_buffer(cpu, NULL, pending.size);
            rb_assert(!rc);
            pending.part = NO_CPU;
        }
        if ( !cb->mem )
        {
            rc = host->alloc_buffer(cpu, size, &mem);
            if ( cpu == pending.part )
                pending.part = NO_CPU;  /* given back or finished */
            if ( rc )
            {
                rc = host->free_buffer(cpu, NULL, size);
                rb_assert(!rc);
                return -LTTNG_XEN_ENOMEM;
            }
            cb->mem = mem;
            cb->mem_size = size;
        }
        clear_bit64(pending.fresh, cpu);
        start_buffer(cpu);
    }
    note_online(cpu);
    host->wake_consumer();
    return 0;
}
