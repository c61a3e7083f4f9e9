/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport.h: how the dom0 programs (lttd-xen, lttctl-xen) reach the
 * producer.  Two implementations, chosen by a specification string:
 *
 *   "sim:PATH"  the simulator (sim/), listening on the Unix socket PATH;
 *               buffers are shared memory it passes over the socket,
 *               wake-ups an eventfd.
 *   "xen"       the patched hypervisor (xen-patches/), from dom0:
 *               XEN_SYSCTL_lttng_op, buffers mapped with
 *               xenforeignmemory, wake-ups on VIRQ_TBUF through
 *               xenevtchn.  Built when libxen-dev is installed.
 *
 * The default is $LTTNG_XEN_TRANSPORT, else "xen".  Every call reports
 * failures as a message in the caller's buffer: what failed and why, in
 * words a sysadmin can act on.
 */
#ifndef LTTNG_XEN_TRANSPORT_H
#define LTTNG_XEN_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include <lttng-xen/abi.h>

struct lx_transport;

struct lx_error {
	char msg[512];
};

/* The transport spec names: spec, else $LTTNG_XEN_TRANSPORT, else "xen". */
const char *lx_transport_spec(const char *spec);
/* NULL spec: $LTTNG_XEN_TRANSPORT or "xen".  NULL on failure (err set). */
struct lx_transport *lx_transport_open(const char *spec, struct lx_error *err);
void lx_transport_close(struct lx_transport *t);
const char *lx_transport_name(const struct lx_transport *t);

/*
 * Run one control operation.  Returns 0 when the producer answered (its
 * result is op->ret: 0 or -LTTNG_XEN_E*), -1 when the transport itself
 * failed (err set: connection lost, permission, ...).
 */
int lx_op(struct lx_transport *t, struct lttng_xen_op *op,
	  struct lx_error *err);

/* Map CPU cpu's buffer read-only (control page, then sub-buffers). */
const void *lx_map_buffer(struct lx_transport *t, uint32_t cpu, size_t *size,
			  struct lx_error *err);
void lx_unmap_buffer(struct lx_transport *t, const void *addr, size_t size);

/*
 * A file descriptor that becomes readable when a sub-buffer completes,
 * the producer's state changes, or a CPU gets a buffer.  Wait on it with poll(2); after waking, call
 * lx_ack_wakeup() before looking at the buffers, so no wake-up is missed.
 */
int lx_wakeup_fd(struct lx_transport *t, struct lx_error *err);
void lx_ack_wakeup(struct lx_transport *t);

/*
 * Domain names, for the trace (dom0op:domain_name).  The producer has
 * none: in Xen they are the toolstack's, in xenstore
 * (/local/domain/ID/name); the simulator reads them from the file named
 * by $LTTNG_XEN_SIM_DOMAINS ("ID NAME" lines), if it is set.
 *
 * lx_domains_open() connects to that source without ever blocking on a
 * missing one: -1 with err saying why there are no names (xenstored not
 * running, ...); call it again later.  Once open, lx_domains_fd() becomes
 * readable when a name may have appeared, changed or gone (xenstore
 * watches); lx_domains_list() then returns every domain's name as it is
 * now, in *list (malloc'd, the caller frees it), and clears that
 * readiness.  It returns the count, or -1 when the source went away (err
 * set; close it, open it again later).
 */
#define LX_DOMAIN_NAME_MAX 256

struct lx_domain {
	uint32_t domid;
	char name[LX_DOMAIN_NAME_MAX]; /* NUL-terminated, maybe cut */
};

int lx_domains_open(struct lx_transport *t, struct lx_error *err);
int lx_domains_fd(struct lx_transport *t);
int lx_domains_list(struct lx_transport *t, struct lx_domain **list,
		    struct lx_error *err);
void lx_domains_close(struct lx_transport *t);

/* abi-text.c: the words messages use for the ABI's values. */
/* Text for a producer error code (op->ret). */
const char *lx_strerror(int ret);
/* "GET_INFO", "PUT_SUBBUF", ... */
const char *lx_op_name(uint32_t code);
/* "unconfigured", "stopped", "running" */
const char *lx_state_name(uint32_t state);
/* "discard", "overwrite" */
const char *lx_mode_name(uint32_t mode);

#endif /* LTTNG_XEN_TRANSPORT_H */
