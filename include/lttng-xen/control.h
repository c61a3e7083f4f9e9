/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The producer's control logic (tracer/control.c): every LTTNG_XEN_OP_* of
 * <lttng-xen/abi.h>, the state machine and the per-CPU buffers, shared by
 * Xen's sysctl handler and the simulator.  The host (Xen, the simulator)
 * provides what only it can do (<lttng-xen/host.h>) and passes each
 * operation it receives to lttng_xen_control() unchanged.
 *
 * Locking: the host serialises lttng_xen_control_init(),
 * lttng_xen_control() and lttng_xen_cpu_online() (one lock).
 * lttng_xen_cpu_buf() is lock-less: writers call it from any context.
 *
 * Errors (op->ret, negative):
 *   ENOSYS  unknown operation
 *   EPERM   not allowed in this state: anything but GET_INFO and CONFIGURE
 *           while unconfigured, STOP and DOMAIN_NAME while stopped
 *   EBUSY   CONFIGURE, START, DESTROY or SET_DOMAINS while running; CONFIGURE with
 *           other buffer sizes than the allocated ones (DESTROY first)
 *   ERANGE  CPU >= GET_INFO.nr_cpus, a CPU mask bit for a CPU that does
 *           not exist, sizes or counts out of range, events past the last,
 *           a domain id >= LTTNG_XEN_DOMID_LIMIT (DOMAIN_NAME,
 *           SET_DOMAINS)
 *   EINVAL  malformed: mode, size or count not a power of two, events.first
 *           not a multiple of 64 or events.nr > 512, domains.nr > 32,
 *           PUT_SUBBUF of a position other than the one GET_SUBBUF
 *           returned, a domain name
 *           empty, unterminated or with a control character
 *   ENOENT  the CPU has no buffer (not in the CPU mask, or offline at
 *           CONFIGURE and not back yet); DOMAIN_NAME: no online CPU has one
 *   ENOMEM  no memory for the buffers (nothing changed); a CPU coming
 *           online that needs one: the host must keep it offline
 *   E2BIG   CONFIGURE of every CPU on a host with more than
 *           LTTNG_XEN_MAX_CPUS possible CPUs
 *   EBUSY   also CONFIGURE or DESTROY when a CPU stays inside a trace
 *           point past the host's quiescence deadline (nothing changed)
 *   ESRCH   GET_SUBBUF or PUT_SUBBUF of another configuration's
 *           generation
 *   EAGAIN, EOVERFLOW  GET_SUBBUF and PUT_SUBBUF, as <lttng-xen/abi.h> says
 * An operation that fails changes nothing.
 */
#ifndef LTTNG_XEN_CONTROL_H
#define LTTNG_XEN_CONTROL_H

#include <lttng-xen/abi.h>
#include <lttng-xen/host.h>

/* Once, before anything else: 0 or -LTTNG_XEN_EINVAL (incomplete ops). */
int lttng_xen_control_init(const struct lttng_xen_host_ops *ops);

/* Run one operation: returns op->ret (0 or -LTTNG_XEN_E*). */
int lttng_xen_control(struct lttng_xen_op *op);

/*
 * CPU cpu is about to come online: before it runs a trace point, and
 * where allocation is allowed.  If a trace is configured and cpu is in
 * its mask, the CPU gets a buffer; GET_INFO.nr_cpus grows to cover it;
 * the consumer is woken.  0, or -LTTNG_XEN_ENOMEM: no memory for its
 * buffer, and the host must not bring the CPU online (its events would
 * be lost without a count); -LTTNG_XEN_ERANGE: a CPU past
 * LTTNG_XEN_MAX_CPUS, which no trace can include.
 */
int lttng_xen_cpu_online(unsigned int cpu);

/*
 * The buffer writers on CPU cpu record into, or NULL (not traced): the
 * definition <lttng-xen/host.h> asks for, lock-less, for any context.
 */

/*
 * LTTNG_XEN_OP_HOLD, called by the host's hold_cpu() on the CPU to hold:
 * stay inside a trace point (counted in this CPU's nesting) for 'ticks'
 * of rb_platform_clock().  *inside becomes 1 once this CPU is inside
 * (-1 at once if it has no buffer, so it cannot be), 2 once it has left.
 */
void lttng_xen_hold(uint64_t ticks, int *inside);

#endif /* LTTNG_XEN_CONTROL_H */
