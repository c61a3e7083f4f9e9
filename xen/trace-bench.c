/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace-bench.c: what one trace record costs, measured inside Xen.
 *
 * The debug key 'b' ("xl debug-keys b" from dom0, read back with
 * "xl dmesg") records trace events of a few representative shapes on the
 * CPU it runs on, through the very path a real call site takes: the
 * TRACE_xD() macros, trace_var() and __trace_hypercall() of xen/trace.h,
 * and from there whichever tracer this build has (xentrace's trace.c, or
 * LTTng-Xen's remap and ring buffer).  It times each run of
 * trace-bench-events records with the TSC and prints, per shape, the
 * cycles per event of every repetition and their minimum, median and
 * maximum.  Interrupts stay enabled, as at most call sites: a repetition
 * that an interrupt lands in shows in the maximum, not in the median.
 *
 * What runs depends on the tracer's state when the key is pressed:
 *  - tracing off (tb_init_done clear): every shape at a disabled call
 *    site, beside a bare loop and a call to an empty function;
 *  - tracing on: every shape recorded, on this CPU alone, then on this
 *    CPU and another one at once (the other one from a softirq tasklet,
 *    also with interrupts enabled).
 * A few primitives of the record paths (locked and local compare and
 * exchange, an ordered TSC read, an IRQ-safe spin lock) are timed in
 * both states, to tell the tracers' algorithms from the platform's costs
 * (under an emulator, for instance).
 *
 * The same file is built with either tracer: lttng-xen's bench/xen/
 * (make bench-hv) compares the two.  It records nothing by itself unless
 * the key is pressed, and records then only what a session asked for:
 * the events below are real ones, with made-up payloads.
 */

#include <xen/cpumask.h>
#include <xen/init.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/spinlock.h>
#include <xen/tasklet.h>
#include <xen/time.h>
#include <xen/trace.h>
#include <asm/atomic.h>
#include <asm/msr.h>
#include <asm/system.h>
#include <public/xen.h>

#ifdef CONFIG_LTTNG
#define TRACER_NAME "lttng-xen"
#else
#define TRACER_NAME "xentrace"
#endif

#define MAX_REPS 64

/* trace-bench-events=<n>: records per repetition (default 1000). */
static unsigned int __ro_after_init opt_events = 1000;
integer_param("trace-bench-events", opt_events);

/* trace-bench-reps=<n>: repetitions per shape, 3..64 (default 15). */
static unsigned int __ro_after_init opt_reps = 15;
integer_param("trace-bench-reps", opt_reps);

/*
 * The shapes.  Each runs n records in a loop, with a compiler barrier
 * per iteration so that the loop is not folded away when tracing is off
 * (a real call site is reached once per pass through its code).  The
 * payload changes with i, as a real one would.
 */
typedef void bench_fn_t(unsigned int n);

static void cf_check run_loop(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        barrier();
}

/* A call nothing can inline or remove: what a call site is compared to. */
static noinline void empty_fn(uint32_t a)
{
    asm volatile ( "" :: "r" (a) : "memory" );
}

static void cf_check run_empty(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        empty_fn(i);
        barrier();
    }
}

/* No payload: traps.c's TRACE_0D(TRC_PV_MATH_STATE_RESTORE). */
static void cf_check run_0w(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        TRACE_0D(TRC_PV_MATH_STATE_RESTORE);
        barrier();
    }
}

/* One word: grant_table.c's TRACE_1D(TRC_MEM_PAGE_GRANT_MAP, dom). */
static void cf_check run_1w(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        TRACE_1D(TRC_MEM_PAGE_GRANT_MAP, i & 0x7fff);
        barrier();
    }
}

/*
 * One word, an event id known only at run time: sched/core.c's
 * trace_runstate_change() (old and new state in the id).
 */
static void cf_check run_1w_var(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        if ( unlikely(tb_init_done) )
        {
            struct { uint32_t vcpu:16, domain:16; } d = {
                .vcpu = i & 1, .domain = 0,
            };
            uint32_t event = TRC_SCHED_RUNSTATE_CHANGE |
                             ((i & 3) << 8) | (((i + 1) & 3) << 4);

            __trace_var(event, 1, sizeof(d), &d);
        }
        barrier();
    }
}

/* Two words: sched/core.c's TRACE_2D(TRC_SCHED_WAKE, domain, vcpu). */
static void cf_check run_2w(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        TRACE_2D(TRC_SCHED_WAKE, 0, i & 1);
        barrier();
    }
}

/* Five words: pv/trace.c's 64-bit page fault (rip, addr, error code). */
static void cf_check run_5w(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        struct __packed {
            uint64_t rip, addr;
            uint32_t error_code;
        } d = {
            .rip = 0xffffffff81000000UL + i,
            .addr = 0x7f0000000000UL + ((uint64_t)i << 12),
            .error_code = 4,
        };

        trace_var(TRC_PV_PAGE_FAULT | TRC_64_FLAG, 1, sizeof(d), &d);
        barrier();
    }
}

/* A PV hypercall: pv/hypercall.c's, here mmu_update (count recorded). */
static void cf_check run_hypercall(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        if ( unlikely(tb_init_done) )
        {
            xen_ulong_t args[5] = { 0x1000, i & 0xff, 0, DOMID_SELF, 0 };

            __trace_hypercall(TRC_PV_HYPERCALL_V2, __HYPERVISOR_mmu_update,
                              args);
        }
        barrier();
    }
}

/* Primitives, n of each. */
static uint64_t prim_word;
static DEFINE_SPINLOCK(prim_lock);

static void cf_check run_lock_cmpxchg(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        cmpxchg(&prim_word, (uint64_t)i, (uint64_t)i + 1);
}

static void cf_check run_local_cmpxchg(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        uint64_t old = i;

        /* No LOCK prefix: atomic against this CPU only. */
        asm volatile ( "cmpxchgq %2, %1"
                       : "+a" (old), "+m" (prim_word)
                       : "r" ((uint64_t)i + 1) : "memory" );
    }
}

static void cf_check run_rdtsc(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        prim_word += rdtsc_ordered();
}

static void cf_check run_irqsave_lock(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        unsigned long flags;

        spin_lock_irqsave(&prim_lock, flags);
        prim_word++;
        spin_unlock_irqrestore(&prim_lock, flags);
    }
}

struct shape {
    const char *name;
    bench_fn_t *fn;
    bool record;                /* A trace record (else a reference). */
};

static const struct shape shapes[] = {
    { "loop", run_loop, false },
    { "empty-call", run_empty, false },
    { "0w", run_0w, true },
    { "1w", run_1w, true },
    { "1w-var", run_1w_var, true },
    { "2w", run_2w, true },
    { "5w", run_5w, true },
    { "hypercall", run_hypercall, true },
};

static const struct shape prims[] = {
    { "lock-cmpxchg", run_lock_cmpxchg, false },
    { "local-cmpxchg", run_local_cmpxchg, false },
    { "rdtsc-ordered", run_rdtsc, false },
    { "irqsave-lock", run_irqsave_lock, false },
};

/*
 * Cycles per event of each repetition, in tenths of a cycle: [0] this
 * CPU, [1] the other one in the two-CPU runs.
 */
static unsigned long tenths[2][MAX_REPS];

/*
 * The rows of one press, printed after all the timing: a printk to the
 * serial console takes interrupts that would land in the next shape.
 * Shapes and primitives alone, then the two-CPU rows (two each).
 */
#define MAX_ROWS (ARRAY_SIZE(shapes) + ARRAY_SIZE(prims) + \
                  2 * ARRAY_SIZE(shapes))
static struct row {
    const char *shape;
    unsigned int cpus, cpu;
    unsigned long v[MAX_REPS];
} rows[MAX_ROWS];
static unsigned int nr_rows;

static void keep_row(const char *shape, unsigned int cpus, unsigned int cpu,
                     const unsigned long *v, unsigned int reps)
{
    struct row *r;

    if ( nr_rows >= ARRAY_SIZE(rows) )
        return;
    r = &rows[nr_rows++];
    r->shape = shape;
    r->cpus = cpus;
    r->cpu = cpu;
    memcpy(r->v, v, reps * sizeof(*v));
}

static void run_reps(const struct shape *s, unsigned int events,
                     unsigned int reps, unsigned long *out)
{
    unsigned int r;

    s->fn(events);              /* Warm the caches and the TLB. */
    for ( r = 0; r < reps; r++ )
    {
        uint64_t t0 = rdtsc_ordered(), t1;

        s->fn(events);
        t1 = rdtsc_ordered();
        out[r] = (t1 - t0) * 10 / events;
    }
}

/* The partner CPU of the two-CPU runs, from a softirq tasklet. */
static const struct shape *partner_shape;
static unsigned int partner_events, partner_reps;
static int partner_state;       /* 0 idle, 1 ready, 2 go, 3 done */

static void cf_check partner_fn(void *unused)
{
    write_atomic(&partner_state, 1);
    while ( read_atomic(&partner_state) != 2 )
        cpu_relax();
    run_reps(partner_shape, partner_events, partner_reps, tenths[1]);
    write_atomic(&partner_state, 3);
}
static DECLARE_SOFTIRQ_TASKLET(partner_tasklet, partner_fn, NULL);

/*
 * Wait until the partner reaches state, up to five seconds (under an
 * emulator on a loaded host, a vCPU's thread can lose the host CPU).
 */
static bool wait_partner(int state)
{
    s_time_t deadline = NOW() + SECONDS(5);

    while ( read_atomic(&partner_state) != state )
    {
        if ( NOW() > deadline )
            return false;
        cpu_relax();
    }

    return true;
}

static void sort_ulong(unsigned long *v, unsigned int nr)
{
    unsigned int i, j;

    for ( i = 1; i < nr; i++ )
    {
        unsigned long x = v[i];

        for ( j = i; j > 0 && v[j - 1] > x; j-- )
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/*
 * One line per row, so that a reader (and bench/xen/) can take the
 * repetitions as they are:
 *   trace-bench: row TRACER STATE SHAPE CPUS CPU min MIN med MED max MAX | R1 R2 ...
 * in cycles per event, one decimal.
 */
static void print_row(const char *state, const char *shape, unsigned int cpus,
                      unsigned int cpu, const unsigned long *v,
                      unsigned int reps)
{
    /* Not on the stack: trace_bench_key() runs one at a time. */
    static unsigned long s[MAX_REPS];
    static char list[MAX_REPS * 12 + 1];
    char *p = list;
    unsigned int r;

    for ( r = 0; r < reps; r++ )
        p += snprintf(p, list + sizeof(list) - p, " %lu.%lu",
                      v[r] / 10, v[r] % 10);
    memcpy(s, v, reps * sizeof(*s));
    sort_ulong(s, reps);

    printk("trace-bench: row %s %s %s %u %u min %lu.%lu med %lu.%lu max %lu.%lu |%s\n",
           TRACER_NAME, state, shape, cpus, cpu, s[0] / 10, s[0] % 10,
           s[reps / 2] / 10, s[reps / 2] % 10, s[reps - 1] / 10,
           s[reps - 1] % 10, list);
}

static void run_alone(const struct shape *s, unsigned int events,
                      unsigned int reps)
{
    run_reps(s, events, reps, tenths[0]);
    keep_row(s->name, 1, smp_processor_id(), tenths[0], reps);
    process_pending_softirqs();
}

static bool run_pair(const struct shape *s,
                     unsigned int other, unsigned int events,
                     unsigned int reps)
{
    partner_shape = s;
    partner_events = events;
    partner_reps = reps;
    write_atomic(&partner_state, 0);
    tasklet_schedule_on_cpu(&partner_tasklet, other);
    if ( !wait_partner(1) )
    {
        printk("trace-bench: FAIL: CPU%u did not run the benchmark's tasklet within 5 s\n",
               other);
        /* It may still: let it run the shape alone, then stop. */
        write_atomic(&partner_state, 2);
        wait_partner(3);
        return false;
    }
    write_atomic(&partner_state, 2);
    run_reps(s, events, reps, tenths[0]);
    if ( !wait_partner(3) )
    {
        printk("trace-bench: FAIL: CPU%u did not finish within 5 s of CPU%u\n",
               other, smp_processor_id());
        return false;
    }
    keep_row(s->name, 2, smp_processor_id(), tenths[0], reps);
    keep_row(s->name, 2, other, tenths[1], reps);
    process_pending_softirqs();

    return true;
}

static void cf_check trace_bench_key(unsigned char key)
{
    static bool running;
    unsigned int events = opt_events ?: 1, reps = opt_reps, i;
    unsigned int cpu = smp_processor_id();
    unsigned int other = cpumask_cycle(cpu, &cpu_online_map);
    const char *state = tb_init_done ? "on" : "off";
    s_time_t start = NOW();

    /* The console's keys and dom0's can come in at once. */
    if ( test_and_set_bool(running) )
    {
        printk("trace-bench: FAIL: already running\n");
        return;
    }

    reps = max(3U, min(reps, (unsigned int)MAX_REPS));
    printk("trace-bench: start %s tracing %s: %u events x %u repetitions per shape on CPU%u, interrupts %s, TSC %lu kHz\n",
           TRACER_NAME, state, events, reps, cpu,
           local_irq_is_enabled() ? "enabled" : "disabled", cpu_khz);

    nr_rows = 0;
    for ( i = 0; i < ARRAY_SIZE(shapes); i++ )
        run_alone(&shapes[i], events, reps);
    for ( i = 0; i < ARRAY_SIZE(prims); i++ )
        run_alone(&prims[i], events, reps);

    if ( !tb_init_done )
        ;                       /* One CPU is enough for a disabled site. */
    else if ( other == cpu || other >= nr_cpu_ids )
        printk("trace-bench: only CPU%u is online: no two-CPU rows\n", cpu);
    else
        for ( i = 0; i < ARRAY_SIZE(shapes); i++ )
            if ( shapes[i].record &&
                 !run_pair(&shapes[i], other, events, reps) )
                break;

    for ( i = 0; i < nr_rows; i++ )
        print_row(state, rows[i].shape, rows[i].cpus, rows[i].cpu,
                  rows[i].v, reps);

    printk("trace-bench: end %s tracing %s after %lu ms\n",
           TRACER_NAME, state, (unsigned long)((NOW() - start) / MILLISECS(1)));
    write_atomic(&running, false);
}

static int __init cf_check trace_bench_init(void)
{
    register_keyhandler('b', trace_bench_key,
                        "benchmark the trace record path", false);

    return 0;
}
__initcall(trace_bench_init);

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
