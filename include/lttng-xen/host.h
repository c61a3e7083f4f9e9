/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contract between the tracer core (ringbuffer/, tracer/) and the
 * host it runs in: everything a host provides, in one place, with no
 * default.  The hosts are Xen (xen/lttng.c), the simulator (sim/host.c),
 * and the user-space programs that link parts of the core
 * (lttng-xen-import, the benchmarks, the unit tests).
 *
 * What the core offers the host in return is in <lttng-xen/control.h>
 * (the control operations, CPUs coming online, a CPU's buffer) and
 * <lttng-xen/tracepoint.h> (the probe API the trace points call).
 *
 * Writer side: called wherever a trace point fires, interrupts and NMIs
 * included, so never blocking and never taking a lock.
 *
 *   lttng_xen_host_cpu()   the CPU the caller runs on: the index of its
 *                          buffer and of its nesting count.  It must not
 *                          change between a trace point's entry and exit
 *                          (Xen: no migration inside the hypervisor; the
 *                          simulator: a thread is a CPU).  A value of
 *                          LTTNG_XEN_MAX_CPUS or more is never traced.
 *   lttng_xen_host_domain()  the id of the domain the caller runs for
 *                          (Xen: current's; the idle domain's is
 *                          DOMID_IDLE), read only while a domain filter
 *                          is set.  LTTNG_XEN_DOMID_LIMIT or more: a
 *                          domain no filter selects.
 *   rb_platform_clock()    the time, in ticks of the rate tsc_hz()
 *                          gives (the TSC); it may go backwards: the
 *                          ring buffer keeps each buffer's timestamps
 *                          monotonic.
 *   rb_platform_wakeup()   a sub-buffer of buf is complete: wake the
 *                          consumer, from any context (Xen: a tasklet
 *                          sends VIRQ_TBUF, deferred from an NMI).
 *   lttng_xen_cpu_buf()    the buffer CPU cpu records into, or NULL: the
 *                          control core (tracer/control.c) defines it;
 *                          a program that records without it (the
 *                          import, the benchmarks, the unit tests)
 *                          defines its own.
 *
 * Control side: the host serialises every call into tracer/control.c and
 * passes this table to lttng_xen_control_init() (every member required
 * but hold_cpu).
 */
#ifndef LTTNG_XEN_HOST_H
#define LTTNG_XEN_HOST_H

#include <lttng-xen/abi.h>

struct rb_buf;

unsigned int lttng_xen_host_cpu(void);
unsigned int lttng_xen_host_domain(void);
uint64_t rb_platform_clock(void);
void rb_platform_wakeup(struct rb_buf *buf);
struct rb_buf *lttng_xen_cpu_buf(unsigned int cpu);

/*
 * Work a host does in steps: alloc_buffer() and free_buffer() may stop
 * part way and say so with -LTTNG_XEN_ERESTART, where the host must yield
 * (Xen: a preemption check in the hypercall); the operation then returns
 * it, the host calls it again (Xen: a hypercall continuation) and the core
 * goes on where it stopped (<lttng-xen/control.h>).  Xen's ERESTART, never
 * returned to a caller.
 */
#define LTTNG_XEN_ERESTART  85

struct lttng_xen_host_ops {
    /*
     * Memory for CPU cpu's buffer: size bytes (LTTNG_XEN_CTL_SIZE, then
     * the sub-buffers), page aligned and zeroed, that the host can share
     * with the consumer.  0 and *mem; -LTTNG_XEN_ENOMEM; or
     * -LTTNG_XEN_ERESTART: part of it is done and kept, and the core calls
     * again with the same cpu and size to go on.  After -ENOMEM or
     * -ERESTART, what is kept is given back with free_buffer(cpu, NULL,
     * size).  Called for a CPU coming online, it does it all at once.
     */
    int (*alloc_buffer)(unsigned int cpu, uint32_t size, void **mem);
    /*
     * Give CPU cpu's buffer back (mem NULL: what a stopped alloc_buffer()
     * kept): 0 once it is, or -LTTNG_XEN_ERESTART part way, and the core
     * calls again with the same arguments.  No writer uses it any more.
     */
    int (*free_buffer)(unsigned int cpu, void *mem, uint32_t size);
    /*
     * Run fn(arg) on CPU cpu, nested over whatever that CPU is doing (an
     * IPI in Xen, a signal to the CPU's thread in the simulator), and
     * return once it has run.  A CPU that is offline: run it here.  The
     * control core reads a CPU's nesting count this way (quiescence).
     */
    void (*run_on_cpu)(unsigned int cpu, void (*fn)(void *), void *arg);
    /*
     * CPUs that may ever come online, all of them: the core traces the
     * first LTTNG_XEN_MAX_CPUS, and refuses to trace "every CPU" on a
     * host with more (-E2BIG) rather than miss some silently.
     */
    unsigned int (*nr_possible_cpus)(void);
    int (*cpu_is_online)(unsigned int cpu);
    /* Ticks per second of rb_platform_clock(). */
    uint64_t (*tsc_hz)(void);
    /* A fresh random UUID. */
    void (*make_uuid)(uint8_t uuid[16]);
    /* Wake the consumer: the state or the set of buffers changed. */
    void (*wake_consumer)(void);
    /*
     * LTTNG_XEN_OP_HOLD: have CPU cpu call lttng_xen_hold() with
     * interrupts enabled (Xen: a timer; the simulator: a signal), and
     * return once it is inside (0), or -LTTNG_XEN_ENOENT if it could
     * not be (no buffer, offline), -LTTNG_XEN_EBUSY if it did not start
     * within a second.  NULL: the operation is not built in.
     */
    int (*hold_cpu)(unsigned int cpu, uint64_t ticks);
    /*
     * How long, in milliseconds, an operation that must reset or free a
     * CPU's buffer waits for the writers inside a trace point on that
     * CPU to leave, before it fails with -EBUSY (nonzero).
     */
    uint32_t quiesce_ms;
    /*
     * The most sub-buffer bytes one CPU's buffer may have (CONFIGURE:
     * -ERANGE past it): 0 or more than LTTNG_XEN_MAX_BUF_SIZE, the ABI's
     * LTTNG_XEN_MAX_BUF_SIZE (Xen: lttng-max-buffer).
     */
    uint32_t max_buf_size;
};

#endif /* LTTNG_XEN_HOST_H */
