/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The producer's control logic (tracer/control.c): every LTTNG_XEN_OP_* of
 * <lttng-xen/abi.h>, the state machine and the per-CPU buffers, shared by
 * Xen's sysctl handler and the simulator.  The host (Xen, the simulator)
 * fills a struct lttng_xen_host_ops with what only it can do and passes
 * each operation it receives to lttng_xen_control() unchanged.
 *
 * Locking: the host serialises lttng_xen_control_init(),
 * lttng_xen_control() and lttng_xen_cpu_online() (one lock).
 * lttng_xen_cpu_buf() is lock-less: writers call it from any context.
 *
 * Errors (op->ret, negative):
 *   ENOSYS  unknown operation
 *   EPERM   not allowed in this state: anything but GET_INFO and CONFIGURE
 *           while unconfigured, STOP and DOMAIN_NAME while stopped
 *   EBUSY   CONFIGURE, START or DESTROY while running; CONFIGURE with
 *           other buffer sizes than the allocated ones (DESTROY first)
 *   ERANGE  CPU >= GET_INFO.nr_cpus, a CPU mask bit for a CPU that does
 *           not exist, sizes or counts out of range, events past the last,
 *           a domain id >= LTTNG_XEN_DOMID_LIMIT
 *   EINVAL  malformed: mode, size or count not a power of two, events.first
 *           not a multiple of 64 or events.nr > 512, PUT_SUBBUF of a
 *           position other than the one GET_SUBBUF returned, a domain name
 *           empty, unterminated or with a control character
 *   ENOENT  the CPU has no buffer (not in the CPU mask, or offline at
 *           CONFIGURE and not back yet); DOMAIN_NAME: no online CPU has one
 *   ENOMEM  no memory for the buffers (nothing changed)
 *   EAGAIN, ESTALE  GET_SUBBUF and PUT_SUBBUF, as <lttng-xen/abi.h> says
 * An operation that fails changes nothing.
 */
#ifndef LTTNG_XEN_CONTROL_H
#define LTTNG_XEN_CONTROL_H

#include <lttng-xen/abi.h>

struct rb_buf;

struct lttng_xen_host_ops {
    /*
     * Memory for CPU cpu's buffer: size bytes (LTTNG_XEN_CTL_SIZE, then
     * the sub-buffers), page aligned, that the host can share with the
     * consumer.  NULL when there is none.
     */
    void *(*alloc_buffer)(unsigned int cpu, uint32_t size);
    void (*free_buffer)(unsigned int cpu, void *mem, uint32_t size);
    /*
     * Run fn(arg) on CPU cpu, nested over whatever that CPU is doing (an
     * IPI in Xen, a signal to the CPU's thread in the simulator), and
     * return once it has run.  A CPU that is offline: run it here.
     */
    void (*run_on_cpu)(unsigned int cpu, void (*fn)(void *), void *arg);
    /*
     * Return once no writer on CPU cpu can still be using a buffer that
     * lttng_xen_cpu_buf() stopped returning before this call: CPU cpu was
     * seen outside every tracepoint (Xen: a per-CPU nesting count read by
     * IPI; the simulator: the same through a signal).  Called before a
     * buffer is freed or reset.
     */
    void (*quiesce_cpu)(unsigned int cpu);
    /* CPUs that may ever come online (at most LTTNG_XEN_MAX_CPUS). */
    unsigned int (*nr_possible_cpus)(void);
    int (*cpu_online)(unsigned int cpu);
    /* Ticks per second of the clock the ring buffer reads. */
    uint64_t (*tsc_hz)(void);
    /* A fresh random UUID. */
    void (*make_uuid)(uint8_t uuid[16]);
    /* Wake the consumer: the state or the set of buffers changed. */
    void (*wake_consumer)(void);
};

/* Once, before anything else: 0 or -LTTNG_XEN_EINVAL (incomplete ops). */
int lttng_xen_control_init(const struct lttng_xen_host_ops *ops);

/* Run one operation: returns op->ret (0 or -LTTNG_XEN_E*). */
int lttng_xen_control(struct lttng_xen_op *op);

/*
 * CPU cpu came (or is about to come) online: before it runs a
 * tracepoint, and where allocation is allowed.  If a trace is configured
 * and cpu is in its mask, the CPU gets a buffer; GET_INFO.nr_cpus grows to
 * cover it; the consumer is woken.  0 or -LTTNG_XEN_E*.
 */
int lttng_xen_cpu_online(unsigned int cpu);

/*
 * The buffer writers on CPU cpu record into, or NULL (not traced).  The
 * host's lttng_xen_this_cpu_buf() (tracer/probe.c) wraps this.
 */
struct rb_buf *lttng_xen_cpu_buf(unsigned int cpu);

#endif /* LTTNG_XEN_CONTROL_H */
