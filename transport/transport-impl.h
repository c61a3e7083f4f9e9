/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport-impl.h: what an implementation of transport.h provides.
 * Private to transport/: callers see only struct lx_transport's name.
 */
#ifndef LTTNG_XEN_TRANSPORT_IMPL_H
#define LTTNG_XEN_TRANSPORT_IMPL_H

#include "transport.h"

struct lx_transport_ops {
	const char *name;
	void (*close)(struct lx_transport *t);
	int (*op)(struct lx_transport *t, struct lttng_xen_op *op,
		  struct lx_error *err);
	const void *(*map_buffer)(struct lx_transport *t, uint32_t cpu,
				  size_t *size, struct lx_error *err);
	void (*unmap_buffer)(struct lx_transport *t, const void *addr,
			     size_t size);
	int (*wakeup_fd)(struct lx_transport *t, struct lx_error *err);
	void (*ack_wakeup)(struct lx_transport *t);
	int (*domains_open)(struct lx_transport *t, struct lx_error *err);
	int (*domains_fd)(struct lx_transport *t);
	int (*domains_list)(struct lx_transport *t, struct lx_domain **list,
			    struct lx_error *err);
	void (*domains_close)(struct lx_transport *t);
};

/* Each implementation's state starts with this. */
struct lx_transport {
	const struct lx_transport_ops *ops;
};

/* Format err->msg; returns -1 for convenience. */
int lx_set_error(struct lx_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append one domain to *list (count *n): 0, or -1 out of memory. */
int lx_domains_add(struct lx_domain **list, size_t *n, uint32_t domid,
		   const char *name);

struct lx_transport *lx_sim_open(const char *path, struct lx_error *err);
#ifdef LX_HAVE_XEN
struct lx_transport *lx_xen_open(struct lx_error *err);
#endif

#endif /* LTTNG_XEN_TRANSPORT_IMPL_H */
