/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lttng.c: Xen's side of LTTng-Xen.
 *
 * With CONFIG_LTTNG, this file takes the place of common/trace.c: it
 * provides the entry points the xentrace call sites use (tb_init_done,
 * __trace_var(), __trace_hypercall(), trace_will_trace_event()), which
 * record each xentrace record as the typed event the facility files
 * declare for it, and the boot hook init_trace_bufs().
 *
 * The tracer itself (state machine, buffers, the consumer's operations)
 * is control.c, shared with the dom0 simulator; this file gives it what
 * only Xen can: memory shared read-only with the privileged domains,
 * cross-CPU calls, the CPU set, the clock rate, UUIDs and the consumer's
 * wake-up (VIRQ_TBUF).  lttng_lock serialises everything that enters
 * control.c.  Dom0 controls it through XEN_SYSCTL_lttng_op.
 */

#include <xen/atomic.h>
#include <xen/cpu.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/nospec.h>
#include <xen/param.h>
#include <xen/percpu.h>
#include <xen/random.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/tasklet.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/trace.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>
#include <asm/hardirq.h>
#include <asm/msr.h>
#include <public/xen.h>

#include <lttng-xen/control.h>
#include <lttng-xen/event-ids.h>
#include <lttng-xen/tracepoint.h>
#include <lttng-xen/xentrace-remap.h>

#include "frontend.h"

/* True while recording: the trace call sites test it first. */
int tb_init_done __read_mostly;

/* lttng=<bool>: start recording every event at boot, default buffers. */
static bool __initdata opt_lttng;
boolean_param("lttng", opt_lttng);

/*
 * lttng-quiesce-ms=<integer>: how long CONFIGURE and DESTROY wait for a
 * CPU to leave the trace point it is in before they fail with -EBUSY
 * (a writer takes microseconds; a vCPU of a nested host may be
 * descheduled for longer).
 */
static unsigned int __initdata opt_quiesce_ms = 1000;
integer_param("lttng-quiesce-ms", opt_quiesce_ms);

/*
 * lttng-max-buffer=<size>: the most sub-buffer memory one CPU's buffer may
 * have (CONFIGURE gets -ERANGE past it); at most, and by default, the
 * ABI's LTTNG_XEN_MAX_BUF_SIZE (256 MiB).
 */
static unsigned long long __initdata opt_max_buffer = LTTNG_XEN_MAX_BUF_SIZE;
size_param("lttng-max-buffer", opt_max_buffer);

static DEFINE_SPINLOCK(lttng_lock);

/* A wake-up an NMI could not send; the next one sends it. */
static bool wakeup_deferred;

/* xentrace records that have no typed event (or do not fit one). */
static atomic_t unmapped = ATOMIC_INIT(0);
static uint32_t first_unmapped;

/*
 * One CPU's buffer: its pages, each shared read-only with the privileged
 * domains, and one mapping of them all, contiguous, for the ring buffer.
 * Up to 256 MiB per CPU, so it is built and taken apart in steps, each
 * followed by a preemption check (the sysctl is then continued), and the
 * list of its frames is kept in pages of their own: no allocation of
 * more than a page.
 */
#define MFNS_PER_PAGE   (PAGE_SIZE / sizeof(mfn_t))
#define MAX_BUF_PAGES   ((LTTNG_XEN_CTL_SIZE + LTTNG_XEN_MAX_BUF_SIZE) >> \
                         PAGE_SHIFT)
#define STEP_PAGES      256     /* between preemption checks */

struct lttng_mem {
    struct lttng_mem *next;     /* on the zombie list */
    void *va;                   /* vm_alloc() of nr pages; NULL: unmapped */
    unsigned int nr;            /* pages */
    unsigned int done;          /* allocated, cleared, mapped and shared */
    unsigned int undone;        /* taking apart: unmapped */
    unsigned int freed;         /* taking apart, zombie: frames tried */
    bool releasing;
    bool busy;                  /* a frame tried is still mapped */
    mfn_t *frames[DIV_ROUND_UP(MAX_BUF_PAGES, MFNS_PER_PAGE)];
};

static struct lttng_mem *cpu_mem[LTTNG_XEN_MAX_CPUS];

/* Taken apart, but with pages a domain still had mapped. */
static struct lttng_mem *zombies;

/* Set while lttng_sysctl() runs an operation: long work may stop. */
static bool may_yield;

static mfn_t *frame(const struct lttng_mem *m, unsigned int i)
{
    return &m->frames[i / MFNS_PER_PAGE][i % MFNS_PER_PAGE];
}

/* Another STEP_PAGES pages done: true if the hypercall must yield now. */
static bool yield_now(unsigned int done)
{
    return may_yield && !(done % STEP_PAGES) && hypercall_preempt_check();
}

/*
 * The consumer is woken through VIRQ_TBUF, from a tasklet: the ring buffer
 * completes sub-buffers wherever a trace point fires, scheduler critical
 * regions included, where sending an event is not safe.
 */
static void cf_check wakeup_consumer(void *unused)
{
    write_atomic(&wakeup_deferred, false);
    send_global_virq(VIRQ_TBUF);
}
static DECLARE_SOFTIRQ_TASKLET(wakeup_tasklet, wakeup_consumer, NULL);

/* The ring buffer completed a sub-buffer of buf. */
void rb_platform_wakeup(struct rb_buf *buf)
{
    /* tasklet_schedule() takes a lock, which an NMI may have interrupted. */
    if ( unlikely(in_nmi_handler()) )
    {
        write_atomic(&wakeup_deferred, true);
        return;
    }
    tasklet_schedule(&wakeup_tasklet);
}

/*
 * The clock: the TSC, read in program order, so that an event reserved
 * after another never has an earlier time.
 */
uint64_t rb_platform_clock(void)
{
    return rdtsc_ordered();
}

/* The CPU a trace point runs on (<lttng-xen/host.h>). */
unsigned int lttng_xen_host_cpu(void)
{
    return smp_processor_id();
}

/* The domain a trace point runs for: the domain filter's (<lttng-xen/host.h>). */
unsigned int lttng_xen_host_domain(void)
{
    return current->domain->domain_id;
}

/*
 * Take a page back from the privileged domains.  False if one of them
 * still has it mapped: it is then shared again, so that unmapping it does
 * not free it, and can be taken back later.
 */
static bool unshare_page(struct page_info *pg)
{
    put_page_alloc_ref(pg);
    if ( !(pg->count_info & ~PGC_xen_heap) )
    {
        page_set_owner(pg, NULL);
        return true;
    }
    if ( get_page(pg, dom_xen) )
        set_bit(_PGC_allocated, &pg->count_info);
    return false;
}

/* Frame i back to the heap, unless a domain still maps it: true if it is. */
static bool release_frame(struct lttng_mem *m, unsigned int i)
{
    mfn_t *f = frame(m, i);

    if ( mfn_eq(*f, INVALID_MFN) )
        return true;
    if ( !unshare_page(mfn_to_page(*f)) )
        return false;
    free_xenheap_page(mfn_to_virt(mfn_x(*f)));
    *f = INVALID_MFN;
    return true;
}

/* The frame list and the structure, once every frame is back. */
static void free_mem(struct lttng_mem *m)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(m->frames); i++ )
        free_xenheap_page(m->frames[i]);
    xfree(m);
}

/*
 * Frames of the zombies nobody maps any more, back to the heap; a zombie
 * whose frames all are, freed.  Each zombie's frames are tried once per
 * call, in steps across continuations: 0 once done, or -ERESTART.
 */
static int reap_zombies(void)
{
    struct lttng_mem **pm = &zombies;

    while ( *pm )
    {
        struct lttng_mem *m = *pm;

        while ( m->freed < m->done )
        {
            m->busy |= !release_frame(m, m->freed);
            if ( yield_now(++m->freed) && m->freed < m->done )
                return -ERESTART;
        }
        if ( m->busy )
        {
            m->freed = 0;
            m->busy = false;
            pm = &m->next;
            continue;
        }
        *pm = m->next;
        free_mem(m);
    }

    return 0;
}

/*
 * Host operations for control.c, called with lttng_lock held.
 *
 * A buffer is page by page xenheap memory, each page shared read-only
 * with the privileged domains (the consumer maps it through DOMID_XEN,
 * frame by frame) and mapped contiguously for Xen in a vm_alloc() range:
 * no large contiguous allocation, and no rounding up of the control page
 * plus sub-buffers to a power of two.  Building it stops every STEP_PAGES
 * pages when the hypercall must yield (-ERESTART: control.c has the
 * sysctl continued and calls again); what is built is kept in cpu_mem[].
 */
static int cf_check alloc_buffer(unsigned int cpu, uint32_t size, void **mem)
{
    unsigned int nr = size >> PAGE_SHIFT;
    unsigned int memflags = MEMF_node(cpu_to_node(cpu));
    struct lttng_mem *m;
    int rc;

    BUILD_BUG_ON(sizeof(*m) > PAGE_SIZE);

    if ( cpu >= ARRAY_SIZE(cpu_mem) || !nr || nr > MAX_BUF_PAGES ||
         (size & ~PAGE_MASK) )
    {
        ASSERT_UNREACHABLE();
        return -ENOMEM;
    }

    m = cpu_mem[cpu];
    if ( !m )
    {
        rc = reap_zombies();
        if ( rc )
            return rc;
        m = xzalloc(struct lttng_mem);
        if ( !m )
            return -ENOMEM;
        m->va = vm_alloc(nr, 1, VMAP_DEFAULT);
        if ( !m->va )
        {
            xfree(m);
            return -ENOMEM;
        }
        m->nr = nr;
        cpu_mem[cpu] = m;
    }
    else if ( m->nr != nr || m->releasing )
    {
        ASSERT_UNREACHABLE();
        return -ENOMEM;
    }

    while ( m->done < nr )
    {
        unsigned int i = m->done;
        mfn_t **list = &m->frames[i / MFNS_PER_PAGE];
        void *p;

        if ( !*list )
        {
            *list = alloc_xenheap_page();
            if ( !*list )
                return -ENOMEM;
        }
        p = alloc_xenheap_pages(0, memflags);
        if ( !p )
            return -ENOMEM;
        clear_page(p);
        if ( map_pages_to_xen((unsigned long)m->va + i * PAGE_SIZE,
                              virt_to_mfn(p), 1, PAGE_HYPERVISOR) )
        {
            free_xenheap_page(p);
            return -ENOMEM;
        }
        share_xen_page_with_privileged_guests(virt_to_page(p), SHARE_ro);
        *frame(m, i) = virt_to_mfn(p);
        m->done = i + 1;
        if ( m->done < nr && yield_now(m->done) )
            return -ERESTART;
    }

    *mem = m->va;

    return 0;
}

/*
 * Take CPU cpu's buffer apart (mem NULL: the part an alloc_buffer() that
 * stopped built), in steps as it was built: unmapped, then each frame back
 * to the heap, or left to the zombie list while a domain still maps it
 * (freed by a later allocation).
 */
static int cf_check free_buffer(unsigned int cpu, void *mem, uint32_t size)
{
    struct lttng_mem *m = cpu < ARRAY_SIZE(cpu_mem) ? cpu_mem[cpu] : NULL;

    if ( !m )
    {
        ASSERT(!mem);
        return 0;
    }
    if ( mem && m->va != mem )
    {
        ASSERT_UNREACHABLE();
        return 0;
    }

    if ( !m->releasing )
    {
        m->releasing = true;
        m->undone = m->freed = 0;
        m->busy = false;
    }
    while ( m->undone < m->done )
    {
        unsigned int i = m->undone;
        unsigned int n = min_t(unsigned int, m->done - i,
                               STEP_PAGES - i % STEP_PAGES);
        unsigned long va = (unsigned long)m->va + i * PAGE_SIZE;

        /* One TLB flush per call (and per page table it frees). */
        destroy_xen_mappings(va, va + n * PAGE_SIZE);
        m->undone = i + n;
        if ( m->undone < m->done && yield_now(m->undone) )
            return -ERESTART;
    }
    while ( m->freed < m->done )
    {
        m->busy |= !release_frame(m, m->freed);
        if ( yield_now(++m->freed) && m->freed < m->done )
            return -ERESTART;
    }

    cpu_mem[cpu] = NULL;
    vm_free(m->va);
    m->va = NULL;
    if ( !m->busy )
    {
        free_mem(m);
        return 0;
    }

    printk(XENLOG_WARNING
           "lttng: CPU%u's buffer is still mapped by a domain, freed later\n",
           cpu);
    m->freed = 0;
    m->busy = false;
    m->next = zombies;
    zombies = m;

    return 0;
}

/*
 * Cross-CPU calls need the CPU maps, which lttng_sysctl() holds around
 * the operations that make them: a CPU cannot come or go meanwhile.
 */
static bool cpu_maps_held;

static void cf_check run_on_cpu(unsigned int cpu, void (*fn)(void *),
                                void *arg)
{
    if ( !cpu_maps_held )
    {
        ASSERT_UNREACHABLE();
        return;
    }

    if ( cpu_online(cpu) )
        on_selected_cpus(cpumask_of(cpu), fn, arg, 1);
    else
        fn(arg);                /* Offline: nothing else writes there. */
}

/* All of them: control.c refuses "every CPU" past the ABI's 256. */
static unsigned int cf_check nr_possible_cpus(void)
{
    return nr_cpu_ids;
}

static int cf_check is_cpu_online(unsigned int cpu)
{
    return cpu_online(cpu);
}

static uint64_t cf_check tsc_hz(void)
{
    return cpu_khz * 1000ULL;
}

static void cf_check make_uuid(uint8_t uuid[16])
{
    unsigned int i;

    for ( i = 0; i < 16; i += 4 )
    {
        uint32_t r = get_random();

        memcpy(uuid + i, &r, sizeof(r));
    }
    uuid[6] = (uuid[6] & 0x0f) | 0x40;      /* Version 4: random. */
    uuid[8] = (uuid[8] & 0x3f) | 0x80;      /* RFC 4122 variant. */
}

static void cf_check wake_consumer(void)
{
    tasklet_schedule(&wakeup_tasklet);
}

#ifdef CONFIG_LTTNG_SELFTEST
/*
 * LTTNG_XEN_OP_HOLD, for testing quiescence: a timer on the CPU runs the
 * hold in softirq context, interrupts enabled, as a trace point in a
 * timer handler would, so the IPIs of a quiescence nest over it.
 * cpu: below the CPUs control.c has seen online (nospec'd there).
 */
static DEFINE_PER_CPU(struct timer, hold_timer);
static DEFINE_PER_CPU(uint64_t, hold_ticks);
static DEFINE_PER_CPU(int, hold_inside);

static void cf_check hold_fn(void *unused)
{
    lttng_xen_hold(this_cpu(hold_ticks), &this_cpu(hold_inside));
}

static int cf_check hold_cpu(unsigned int cpu, uint64_t ticks)
{
    struct timer *t = &per_cpu(hold_timer, cpu);
    s_time_t deadline = NOW() + SECONDS(1);
    int inside;

    if ( !cpu_online(cpu) || cpu == smp_processor_id() )
        return -ENOENT;
    if ( t->status == TIMER_STATUS_invalid )
        init_timer(t, hold_fn, NULL, cpu);
    else
        migrate_timer(t, cpu);
    per_cpu(hold_ticks, cpu) = ticks;
    write_atomic(&per_cpu(hold_inside, cpu), 0);
    set_timer(t, NOW());

    while ( !(inside = read_atomic(&per_cpu(hold_inside, cpu))) )
    {
        if ( NOW() > deadline )
            return -EBUSY;
        cpu_relax();
    }

    return inside < 0 ? -ENOENT : 0;
}
#endif /* CONFIG_LTTNG_SELFTEST */

static struct lttng_xen_host_ops __read_mostly host_ops = {
    .alloc_buffer = alloc_buffer,
    .free_buffer = free_buffer,
    .run_on_cpu = run_on_cpu,
    .nr_possible_cpus = nr_possible_cpus,
    .cpu_is_online = is_cpu_online,
    .tsc_hz = tsc_hz,
    .make_uuid = make_uuid,
    .wake_consumer = wake_consumer,
#ifdef CONFIG_LTTNG_SELFTEST
    .hold_cpu = hold_cpu,
#endif
};

/* Run one control operation; the call sites test tb_init_done. */
static int control(struct lttng_xen_op *op)
{
    int rc;

    ASSERT(spin_is_locked(&lttng_lock));

    rc = lttng_xen_control(op);
    if ( !rc && op->op == LTTNG_XEN_OP_START )
        tb_init_done = 1;
    else if ( !rc && op->op == LTTNG_XEN_OP_STOP )
        tb_init_done = 0;

    return rc;
}

/* Say how many records could not be recorded, once tracing stops. */
static void report_unmapped(void)
{
    unsigned int n = atomic_xchg(&unmapped, 0);

    if ( n )
        printk(XENLOG_WARNING
               "lttng: %u xentrace records had no typed event, first %#x\n",
               n, read_atomic(&first_unmapped));
    write_atomic(&first_unmapped, 0);
}

/*
 * A CPU coming online gets a buffer if a trace is configured for it,
 * before it can fire a trace point; buffers are kept while CPUs go
 * offline, and a dead CPU's open packet is closed so the consumer gets it.
 */
static int cf_check cpu_callback(struct notifier_block *nfb,
                                 unsigned long action, void *hcpu)
{
    unsigned int cpu = (unsigned long)hcpu;
    struct rb_buf *buf;
    int rc;

    switch ( action )
    {
    case CPU_UP_PREPARE:
        spin_lock(&lttng_lock);
        rc = lttng_xen_cpu_online(cpu);
        spin_unlock(&lttng_lock);
        /*
         * A traced CPU without its buffer would lose every event it
         * records, uncounted: keep it offline (cpu_up() fails with
         * -ENOMEM, which the toolstack reports).
         */
        if ( rc == -ENOMEM )
        {
            printk(XENLOG_WARNING
                   "lttng: no memory for CPU%u's trace buffer: it stays offline\n",
                   cpu);
            return notifier_from_errno(rc);
        }
        break;

    case CPU_ONLINE:
        tasklet_schedule(&wakeup_tasklet);
        break;

    case CPU_DEAD:
        spin_lock(&lttng_lock);
        buf = lttng_xen_cpu_buf(cpu);
        if ( buf )
            rb_switch(buf);
        spin_unlock(&lttng_lock);
        break;
    }

    return NOTIFY_DONE;
}

static struct notifier_block cpu_nfb = {
    .notifier_call = cpu_callback
};

static void __init start_at_boot(void)
{
    struct lttng_xen_op op = { .op = LTTNG_XEN_OP_CONFIGURE };
    int rc;

    spin_lock(&lttng_lock);
    rc = control(&op);
    if ( !rc )
    {
        memset(&op, 0, sizeof(op));
        op.op = LTTNG_XEN_OP_START;
        rc = control(&op);
    }
    spin_unlock(&lttng_lock);

    if ( rc )
        printk(XENLOG_ERR "lttng: cannot start tracing at boot: %d\n", rc);
    else
        printk(XENLOG_INFO "lttng: tracing every event since boot\n");
}

void __init init_trace_bufs(void)
{
    int rc;

    /* The ABI's error codes are Xen's (public/lttng_xen.h). */
    BUILD_BUG_ON(LTTNG_XEN_EPERM != EPERM);
    BUILD_BUG_ON(LTTNG_XEN_ENOENT != ENOENT);
    BUILD_BUG_ON(LTTNG_XEN_ESRCH != ESRCH);
    BUILD_BUG_ON(LTTNG_XEN_E2BIG != E2BIG);
    BUILD_BUG_ON(LTTNG_XEN_EAGAIN != EAGAIN);
    BUILD_BUG_ON(LTTNG_XEN_ENOMEM != ENOMEM);
    BUILD_BUG_ON(LTTNG_XEN_EBUSY != EBUSY);
    BUILD_BUG_ON(LTTNG_XEN_EINVAL != EINVAL);
    BUILD_BUG_ON(LTTNG_XEN_ERANGE != ERANGE);
    BUILD_BUG_ON(LTTNG_XEN_ENOSYS != ENOSYS);
    BUILD_BUG_ON(LTTNG_XEN_EOVERFLOW != EOVERFLOW);
    BUILD_BUG_ON(LTTNG_XEN_ENOBUFS != ENOBUFS);
    BUILD_BUG_ON(LTTNG_XEN_ERESTART != ERESTART);
    BUILD_BUG_ON(LTTNG_XEN_DOMID_LIMIT != DOMID_FIRST_RESERVED);

    host_ops.quiesce_ms = opt_quiesce_ms;
    host_ops.max_buf_size = min_t(unsigned long long, opt_max_buffer,
                                  LTTNG_XEN_MAX_BUF_SIZE);
    rc = lttng_xen_control_init(&host_ops);

    if ( rc )
    {
        printk(XENLOG_ERR "lttng: cannot set the tracer up: %d\n", rc);
        return;
    }
    register_cpu_notifier(&cpu_nfb);

    printk(XENLOG_INFO "lttng: %u event types, TSC at %lu kHz\n",
           LTTNG_XEN_NR_EVENTS, cpu_khz);

    if ( opt_lttng )
        start_at_boot();
}

/* GET_BUFFER: the frames of op->cpu's buffer, if there is room. */
static int list_frames(struct xen_sysctl_lttng_op *sop, uint32_t room)
{
    const struct lttng_mem *m;
    unsigned int i;

    if ( sop->op.cpu >= ARRAY_SIZE(cpu_mem) )
        return -ERANGE;
    m = cpu_mem[array_index_nospec(sop->op.cpu, ARRAY_SIZE(cpu_mem))];
    if ( !m || m->nr != sop->op.u.buffer.nr_frames || m->done != m->nr )
    {
        ASSERT_UNREACHABLE();
        return -ENOENT;
    }
    if ( room < m->nr )
        return -ENOBUFS;

    /* A frame list page at a time: MFNs as the ABI's 64-bit words. */
    BUILD_BUG_ON(sizeof(mfn_t) != sizeof(uint64_t));
    for ( i = 0; i < m->nr; i += MFNS_PER_PAGE )
    {
        const uint64_t *list = (const void *)m->frames[i / MFNS_PER_PAGE];

        if ( copy_to_guest_offset(sop->frames, i, list,
                                  min_t(unsigned int, m->nr - i,
                                        MFNS_PER_PAGE)) )
            return -EFAULT;
    }

    return 0;
}

int lttng_sysctl(struct xen_sysctl_lttng_op *sop)
{
    struct lttng_xen_op *op = &sop->op;
    uint32_t room = op->u.buffer.nr_frames;
    bool need_maps = op->op == LTTNG_XEN_OP_CONFIGURE ||
                     op->op == LTTNG_XEN_OP_STOP ||
                     op->op == LTTNG_XEN_OP_FLUSH ||
                     op->op == LTTNG_XEN_OP_DOMAIN_NAME ||
                     op->op == LTTNG_XEN_OP_DESTROY;
    int rc;

    BUILD_BUG_ON(sizeof(*sop) > sizeof(((struct xen_sysctl *)NULL)->u.pad));

    /*
     * STOP and FLUSH run on each CPU, DOMAIN_NAME on one, CONFIGURE and
     * DESTROY wait for each CPU to leave the buffers they reset or free:
     * none may come or go meanwhile.
     */
    if ( need_maps && !get_cpu_maps() )
        return -ERESTART;

    spin_lock(&lttng_lock);
    cpu_maps_held = need_maps;
    may_yield = true;

    rc = control(op);
    may_yield = false;
    if ( !rc && op->op == LTTNG_XEN_OP_GET_BUFFER &&
         !guest_handle_is_null(sop->frames) )
        op->ret = rc = list_frames(sop, room);

    cpu_maps_held = false;
    spin_unlock(&lttng_lock);
    if ( need_maps )
        put_cpu_maps();

    if ( !rc && op->op == LTTNG_XEN_OP_STOP )
        report_unmapped();
    if ( read_atomic(&wakeup_deferred) )
        tasklet_schedule(&wakeup_tasklet);

    return rc;
}

/* xentrace's sysctl: its buffers do not exist with LTTng-Xen. */
int tb_control(struct xen_sysctl_tbuf_op *tbc)
{
    return -EOPNOTSUPP;
}

int trace_will_trace_event(uint32_t event)
{
    const struct lttng_xen_xt_map *map;
    unsigned int i;

    if ( !tb_init_done )
        return 0;

    /* One event: is its typed event on? */
    if ( event & 0xfff )
    {
        map = lttng_xen_xt_lookup(event);
        return map && lttng_xen_event_enabled(map->event);
    }

    /* A class (TRC_SHADOW, ...): is any of its events on? */
    for ( i = 0; i < lttng_xen_xt_nr_maps; i++ )
    {
        map = &lttng_xen_xt_maps[i];
        if ( ((map->id & event) >> TRC_CLS_SHIFT) &&
             (((map->id & event) >> TRC_SUBCLS_SHIFT) & 0xf) &&
             lttng_xen_event_enabled(map->event) )
            return 1;
    }

    return 0;
}

/*
 * A xentrace record, recorded as its typed event.  Every event gets a
 * timestamp, so 'cycles' does not matter.  (xen/trace.h's __trace_var()
 * macro folds a constant event word at the call site and calls this for
 * the others.)
 */
void (__trace_var)(uint32_t event, bool cycles, unsigned int extra,
                   const void *extra_data)
{
    if ( !tb_init_done )
        return;

    if ( unlikely(lttng_xen_xt_record(event, extra, extra_data)) )
    {
        atomic_inc(&unmapped);
        (void)cmpxchg(&first_unmapped, 0, event);
    }
}

/* The record trace.c builds for a PV hypercall, recorded as above. */
void __trace_hypercall(uint32_t event, unsigned long op,
                       const xen_ulong_t *args)
{
    struct {
        uint32_t op;
        uint32_t args[5];
    } d;
    uint32_t *a = d.args;
    unsigned int size;

    BUILD_BUG_ON(offsetof(typeof(d), args) != sizeof(d.op));

#define APPEND_ARG32(i)                         \
    do {                                        \
        unsigned int i_ = (i);                  \
        *a++ = args[(i_)];                      \
        d.op |= TRC_PV_HYPERCALL_V2_ARG_32(i_); \
    } while ( 0 )

    /* The argument bits must not clobber the hypercall number. */
    WARN_ON(op & TRC_PV_HYPERCALL_V2_ARG_MASK);

    d.op = op;

    switch ( op )
    {
    case __HYPERVISOR_mmu_update:
    case __HYPERVISOR_multicall:
    case __HYPERVISOR_mmuext_op:
        APPEND_ARG32(1); /* count */
        break;
    case __HYPERVISOR_grant_table_op:
        APPEND_ARG32(0); /* cmd */
        APPEND_ARG32(2); /* count */
        break;
    case __HYPERVISOR_vcpu_op:
        APPEND_ARG32(0); /* cmd */
        APPEND_ARG32(1); /* vcpuid */
        break;
    case __HYPERVISOR_sched_op:
        APPEND_ARG32(0); /* cmd */
        break;
    }

#undef APPEND_ARG32

    size = sizeof(uint32_t) * (1 + (a - d.args));

    /*
     * Xen's PV hypercall path passes TRC_PV_HYPERCALL_V2: with the word
     * a constant, trace_var() records the typed event right here,
     * without the run-time lookup of __trace_var().
     */
    if ( likely(event == TRC_PV_HYPERCALL_V2) )
        trace_var(TRC_PV_HYPERCALL_V2, true, size, &d);
    else
        __trace_var(event, true, size, &d);
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
