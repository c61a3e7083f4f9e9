// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport-util.c: what the implementations (transport-sim.c,
 * transport-xen.c) share: the error message, the list of domains.
 * Private to transport/ (transport-impl.h); calls nothing of it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
