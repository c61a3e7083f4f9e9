// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport.c: lx_transport_open() picks an implementation from the
 * specification string; the other calls go through its operations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport-impl.h"

const char *lx_transport_spec(const char *spec)
{
	if (!spec || !*spec)
		spec = getenv("LTTNG_XEN_TRANSPORT");
	if (!spec || !*spec)
		spec = "xen";
	return spec;
}

struct lx_transport *lx_transport_open(const char *spec, struct lx_error *err)
{
	spec = lx_transport_spec(spec);
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
