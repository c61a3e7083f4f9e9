/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sim-protocol.h: the simulator's control socket, as transport/
 * transport-sim.c speaks it.
 *
 * A Unix SOCK_SEQPACKET socket.  Each request is one struct lttng_xen_op
 * (<lttng-xen/abi.h>), each answer one struct lttng_xen_op with ret set;
 * a message of another size gets ret = -LTTNG_XEN_EINVAL.  Two answers
 * carry a file descriptor (SCM_RIGHTS) when ret is 0:
 *
 *   LTTNG_XEN_OP_GET_BUFFER   the CPU's buffer memory, opened read-only
 *                             (size: u.buffer.size bytes)
 *   LTTNG_XEN_SIM_OP_GET_WAKEUP_FD
 *                             an eventfd (non-blocking) the simulator
 *                             writes 1 to each time a sub-buffer
 *                             completes, a CPU comes online or the state
 *                             changes (CONFIGURE, START, STOP, DESTROY):
 *                             one per connection,
 *                             valid while the connection is open
 */
#ifndef LTTNG_XEN_SIM_PROTOCOL_H
#define LTTNG_XEN_SIM_PROTOCOL_H

#define LTTNG_XEN_SIM_OP_GET_WAKEUP_FD 0x1000

#endif /* LTTNG_XEN_SIM_PROTOCOL_H */
