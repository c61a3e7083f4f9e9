// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport.c: lx_transport_open() picks an implementation from the
 * specification string; the other calls go through its operations.  Also
 * the words for the producer's error codes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport-impl.h"

int lx_set_error(struct lx_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

struct lx_transport *lx_transport_open(const char *spec, struct lx_error *err)
{
	if (!spec || !*spec)
		spec = getenv("LTTNG_XEN_TRANSPORT");
	if (!spec || !*spec)
		spec = "xen";
	if (!strncmp(spec, "sim:", 4)) {
		if (!spec[4]) {
			lx_set_error(err, "transport 'sim:' needs the "
					  "simulator's socket path: sim:PATH");
			errno = EINVAL;
			return NULL;
		}
		return lx_sim_open(spec + 4, err);
	}
	if (!strcmp(spec, "xen")) {
#ifdef LX_HAVE_XEN
		return lx_xen_open(err);
#else
		lx_set_error(
			err,
			"the Xen transport is not built (this build found no "
			"libxen-dev: install it, then 'touch "
			"transport/transport-xen.c && make'); use the "
			"simulator: --transport sim:PATH or "
			"LTTNG_XEN_TRANSPORT=sim:PATH");
		errno = ENOSYS;
		return NULL;
#endif
	}
	lx_set_error(err,
		     "unknown transport '%s': expected 'xen' or 'sim:PATH'",
		     spec);
	errno = EINVAL;
	return NULL;
}

void lx_transport_close(struct lx_transport *t)
{
	if (t)
		t->ops->close(t);
}

const char *lx_transport_name(const struct lx_transport *t)
{
	return t->ops->name;
}

int lx_op(struct lx_transport *t, struct lttng_xen_op *op, struct lx_error *err)
{
	return t->ops->op(t, op, err);
}

const void *lx_map_buffer(struct lx_transport *t, uint32_t cpu, size_t *size,
			  struct lx_error *err)
{
	return t->ops->map_buffer(t, cpu, size, err);
}

void lx_unmap_buffer(struct lx_transport *t, const void *addr, size_t size)
{
	if (addr)
		t->ops->unmap_buffer(t, addr, size);
}

int lx_wakeup_fd(struct lx_transport *t, struct lx_error *err)
{
	return t->ops->wakeup_fd(t, err);
}

void lx_ack_wakeup(struct lx_transport *t)
{
	t->ops->ack_wakeup(t);
}

int lx_domains_open(struct lx_transport *t, struct lx_error *err)
{
	return t->ops->domains_open(t, err);
}

int lx_domains_fd(struct lx_transport *t)
{
	return t->ops->domains_fd(t);
}

int lx_domains_list(struct lx_transport *t, struct lx_domain **list,
		    struct lx_error *err)
{
	int n;

	*list = NULL;
	n = t->ops->domains_list(t, list, err);
	if (n < 0) {
		free(*list); /* what was read before the failure */
		*list = NULL;
	}
	return n;
}

void lx_domains_close(struct lx_transport *t)
{
	t->ops->domains_close(t);
}

int lx_domains_add(struct lx_domain **list, size_t *n, uint32_t domid,
		   const char *name)
{
	struct lx_domain *l = realloc(*list, (*n + 1) * sizeof(**list));

	if (!l)
		return -1;
	*list = l;
	l[*n].domid = domid;
	snprintf(l[*n].name, sizeof(l[*n].name), "%s", name);
	(*n)++;
	return 0;
}

const char *lx_strerror(int ret)
{
	switch (ret < 0 ? -ret : ret) {
	case 0:
		return "success";
	case LTTNG_XEN_EPERM:
		return "not allowed in the tracer's current state (not "
		       "configured, or not running)";
	case LTTNG_XEN_ENOENT:
		return "this CPU has no trace buffer (not in the CPU mask, or "
		       "offline when the trace was configured)";
	case LTTNG_XEN_E2BIG:
		return "this host has more CPUs than lttng-xen can trace (256): "
		       "name the CPUs to trace (at most 256)";
	case LTTNG_XEN_ESRCH:
		return "the trace was configured again since this consumer "
		       "started (a new session, another generation): this "
		       "consumer's trace ends before it";
	case LTTNG_XEN_ENOMEM:
		return "not enough memory for the trace buffers";
	case LTTNG_XEN_EBUSY:
		return "the tracer is busy: it is running, its buffers have "
		       "other sizes (destroy the trace first), or a CPU stayed "
		       "inside a trace point past the quiescence deadline (try "
		       "again)";
	case LTTNG_XEN_EINVAL:
		return "invalid argument";
	case LTTNG_XEN_EAGAIN:
		return "no complete sub-buffer yet";
	case LTTNG_XEN_ERANGE:
		return "value out of range (CPU number, sub-buffer size or "
		       "count, or event id)";
	case LTTNG_XEN_ENOSYS:
		return "operation not supported by the producer (built from "
		       "another version?)";
	case LTTNG_XEN_ESTALE:
		return "the sub-buffer was overwritten while it was being read";
	case LTTNG_XEN_ENOBUFS:
		return "the frame list passed is too small for the buffer";
	}
	return "unknown error";
}
