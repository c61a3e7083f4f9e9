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
 */
#include <lttng-xen/control.h>
#include <lttng-xen/tracepoint.h>

#include "frontend.h"
#include "probe.h"
#include "event-ids.h"
#include "tp-dom0op.h"

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

static uint32_t state = LTTNG_XEN_STATE_UNCONFIGURED;
static uint32_t generation;     /* of the configuration, from 1 */
static struct rb_config config;
static uint64_t cpu_mask[CPU_WORDS];
static uint8_t trace_uuid[16];
static uint32_t selected[MASK_WORDS];

static struct cpu_buf bufs[LTTNG_XEN_MAX_CPUS];
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

static void publish(unsigned int cpu, struct rb_buf *b)
{
    /* rb_init()'s stores are visible before the pointer is. */
    __atomic_store_n(&live[cpu], b, __ATOMIC_RELEASE);
}

static void read_nesting(void *depth)
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
         !ops->cpu_online || !ops->tsc_hz || !ops->make_uuid ||
         !ops->wake_consumer || !ops->quiesce_ms )
        return -LTTNG_XEN_EINVAL;
    nr_host_cpus = ops->nr_possible_cpus();
    if ( nr_host_cpus == 0 )
        return -LTTNG_XEN_EINVAL;
    nr_possible = nr_host_cpus < LTTNG_XEN_MAX_CPUS ? nr_host_cpus
                                                    : LTTNG_XEN_MAX_CPUS;
    host = ops;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( host->cpu_online(cpu) )
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

/* Free CPU cpu's buffer memory; no writer may be using it (retire()). */
static void free_buffer(unsigned int cpu)
{
    struct cpu_buf *cb = &bufs[cpu];

    rb_assert(!live[cpu]);
    if ( cb->mem )
        host->free_buffer(cpu, cb->mem, cb->mem_size);
    cb->mem = NULL;
    cb->mem_size = 0;
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
        if ( host->cpu_online(cpu) )
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
 * so a failure changes nothing.  Sizes cannot change while buffers exist:
 * a consumer may have them mapped.
 */
static int op_configure(const struct lttng_xen_config *c)
{
    struct rb_config cfg;
    uint64_t mask[CPU_WORDS], fresh[CPU_WORDS] = { 0 }, every[CPU_WORDS];
    uint32_t size;
    unsigned int cpu;
    int rc;

    if ( state == LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EBUSY;
    cfg.subbuf_size = c->subbuf_size ? c->subbuf_size
                                     : LTTNG_XEN_DEFAULT_SUBBUF_SIZE;
    cfg.nr_subbufs = c->nr_subbufs ? c->nr_subbufs
                                   : LTTNG_XEN_DEFAULT_NR_SUBBUFS;
    cfg.mode = c->mode;
    rc = rb_config_check(&cfg);
    if ( rc )
        return rc;
    rc = read_cpu_mask(c, mask);
    if ( rc )
        return rc;
    if ( state == LTTNG_XEN_STATE_STOPPED &&
         (cfg.subbuf_size != config.subbuf_size ||
          cfg.nr_subbufs != config.nr_subbufs) )
        return -LTTNG_XEN_EBUSY;

    size = LTTNG_XEN_CTL_SIZE + cfg.subbuf_size * cfg.nr_subbufs;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
    {
        struct cpu_buf *cb = &bufs[cpu];

        if ( cb->mem || !test_bit64(mask, cpu) || !host->cpu_online(cpu) )
            continue;
        cb->mem = host->alloc_buffer(cpu, size);
        if ( !cb->mem )
            goto nomem;
        cb->mem_size = size;
        set_bit64(fresh, cpu);
    }

    /* Every buffer is reset, or kept untraced: no writer may be in one. */
    all_cpus(every);
    rc = retire(every);
    if ( rc )
        goto undo;

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

 nomem:
    rc = -LTTNG_XEN_ENOMEM;
 undo:
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        if ( test_bit64(fresh, cpu) )
            free_buffer(cpu);       /* never published */
    return rc;
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
        uint32_t id = ev->first + i;

        if ( (ev->bits[i / 64] >> (i % 64)) & 1 )
            selected[id / 32] |= 1U << (id % 32);
        else
            selected[id / 32] &= ~(1U << (id % 32));
    }
    if ( state == LTTNG_XEN_STATE_RUNNING )
        set_enabled_mask(selected);
    return 0;
}

static void flush_on_cpu(void *arg)
{
    rb_switch(arg);
}

static void flush_cpu(unsigned int cpu)
{
    struct rb_buf *b = lttng_xen_cpu_buf(cpu);

    if ( b )
        host->run_on_cpu(cpu, flush_on_cpu, b);
}

static int op_start(void)
{
    if ( state == LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EBUSY;
    state = LTTNG_XEN_STATE_RUNNING;
    set_enabled_mask(selected);
    host->wake_consumer();
    return 0;
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
    set_enabled_mask(NULL);
    state = LTTNG_XEN_STATE_STOPPED;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        flush_cpu(cpu);
    host->wake_consumer();      /* even if no packet was open */
    return 0;
}

static int op_destroy(void)
{
    uint64_t every[CPU_WORDS];
    unsigned int cpu;
    int rc;

    if ( state == LTTNG_XEN_STATE_RUNNING )
        return -LTTNG_XEN_EBUSY;
    all_cpus(every);
    rc = retire(every);
    if ( rc )
        return rc;
    for ( cpu = 0; cpu < nr_possible; cpu++ )
        free_buffer(cpu);
    state = LTTNG_XEN_STATE_UNCONFIGURED;
    __builtin_memset(&config, 0, sizeof(config));
    __builtin_memset(cpu_mask, 0, sizeof(cpu_mask));
    __builtin_memset(trace_uuid, 0, sizeof(trace_uuid));
    select_all_events();
    lttng_xen_set_domains(NULL, 0);
    host->wake_consumer();
    return 0;
}

static void record_domain_name(void *arg)
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
        if ( host->cpu_online(cpu) && lttng_xen_cpu_buf(cpu) )
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

static int op_hold(const struct lttng_xen_op *op)
{
    if ( !host->hold_cpu )
        return -LTTNG_XEN_ENOSYS;
    if ( op->u.hold.ms > LTTNG_XEN_MAX_HOLD_MS )
        return -LTTNG_XEN_ERANGE;
    return host->hold_cpu(op->cpu, host->tsc_hz() / 1000 * op->u.hold.ms);
}

/* The buffer of op->cpu for a per-CPU operation, or an error. */
static int cpu_buf_of(const struct lttng_xen_op *op, struct rb_buf **b)
{
    if ( op->cpu >= nr_cpus_seen )
        return -LTTNG_XEN_ERANGE;
    *b = lttng_xen_cpu_buf(op->cpu);
    return *b ? 0 : -LTTNG_XEN_ENOENT;
}

static int per_cpu_op(struct lttng_xen_op *op)
{
    struct rb_buf *b;
    int rc = cpu_buf_of(op, &b);

    if ( rc )
        return rc;
    switch ( op->op )
    {
    case LTTNG_XEN_OP_FLUSH:
        host->run_on_cpu(op->cpu, flush_on_cpu, b);
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
        return op_hold(op);
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

    if ( state == LTTNG_XEN_STATE_UNCONFIGURED )
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

    if ( !host )
        return -LTTNG_XEN_ENOSYS;
    if ( cpu >= nr_possible )
        return -LTTNG_XEN_ERANGE;
    cb = &bufs[cpu];
    if ( state != LTTNG_XEN_STATE_UNCONFIGURED && test_bit64(cpu_mask, cpu) &&
         !lttng_xen_cpu_buf(cpu) )
    {
        size = buffer_size();
        if ( !cb->mem )
        {
            cb->mem = host->alloc_buffer(cpu, size);
            if ( !cb->mem )
                return -LTTNG_XEN_ENOMEM;
            cb->mem_size = size;
        }
        start_buffer(cpu);
    }
    note_online(cpu);
    host->wake_consumer();
    return 0;
}
