// SPDX-License-Identifier: GPL-2.0-only
/*
 * names.c: domain names in the trace.  Xen knows domains by id only; the
 * toolstack keeps their names in xenstore.  While the session runs,
 * lttd-xen reads every domain's name (the transport's lx_domains_*:
 * xenstore in Xen, a file for the simulator), follows domains introduced,
 * renamed and released through xenstore watches, and asks the producer
 * to record each name it has not recorded yet for that domain
 * (LTTNG_XEN_OP_DOMAIN_NAME -> event dom0op:domain_name).
 *
 * Why the producer records them rather than lttd-xen writing a stream of
 * its own: the event then carries the hypervisor's timestamp, from the
 * same clock as every other event of the trace, and sits in a CPU's
 * stream, so readers merge it in time order with nothing more to
 * correlate.  (dom0 could read that clock too: a PV dom0's rdtsc is the
 * host TSC, Xen never emulates it for the hardware domain, see
 * tsc_set_info() in Xen 4.17's arch/x86/time.c; but a second writer
 * would need its own packets, sequence numbers, crash recovery and
 * monotonic clamping, for a handful of events.)
 *
 * No source of names (xenstored not running yet, or the simulator without
 * a domain list) is not an error: lttd-xen says so once and tries again
 * every second, since xenstored may start while the trace runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lttd.h"

#define RETRY_MS 1000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * What the producer accepts: at most LTTNG_XEN_DOMAIN_NAME_SIZE - 1
 * bytes, cut at a UTF-8 character boundary, control characters as '?'.
 */
static void name_fit(char out[LTTNG_XEN_DOMAIN_NAME_SIZE], const char *in)
{
	size_t len = strlen(in), i;

	if (len > LTTNG_XEN_DOMAIN_NAME_SIZE - 1) {
		len = LTTNG_XEN_DOMAIN_NAME_SIZE - 1;
		while (len && ((unsigned char)in[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[len] = '\0';
}

static struct lttd_name *known_of(struct lttd_names *nm, uint32_t domid)
{
	size_t i;

	for (i = 0; i < nm->nr_known; i++)
		if (nm->known[i].domid == domid)
			return &nm->known[i];
	return NULL;
}

/* 0: recorded, or refused for a reason that is no fault (not running). */
static int record(struct lttd *l, uint32_t domid, const char *name)
{
	struct lttng_xen_op op;

	lx_op_init(&op, LTTNG_XEN_OP_DOMAIN_NAME, 0);
	op.u.domain_name.domain = domid;
	memcpy(op.u.domain_name.name, name, LTTNG_XEN_DOMAIN_NAME_SIZE);
	if (lttd_op(l, &op))
		return -1;
	if (op.ret == -LTTNG_XEN_EPERM)
		return 0; /* the session stopped meanwhile */
	if (op.ret) {
		ctfw_note("cannot record the name of domain %" PRIu32
			  " (\"%s\"): %s",
			  domid, name, lx_strerror(op.ret));
		return -1;
	}
	return 0;
}

static int domain_listed(const struct lx_domain *list, int n, uint32_t domid)
{
	int i;

	for (i = 0; i < n; i++)
		if (list[i].domid == domid)
			return 1;
	return 0;
}

/* Record the names that are new or changed; forget released domains. */
static void names_apply(struct lttd *l, const struct lx_domain *list, int n)
{
	struct lttd_names *nm = &l->names;
	struct lttd_name *k, *grown;
	char name[LTTNG_XEN_DOMAIN_NAME_SIZE];
	size_t i;
	int j;

	for (i = 0; i < nm->nr_known;)
		if (!domain_listed(list, n, nm->known[i].domid))
			nm->known[i] = nm->known[--nm->nr_known];
		else
			i++;
	for (j = 0; j < n; j++) {
		if (list[j].domid >= LTTNG_XEN_DOMID_LIMIT)
			continue;
		name_fit(name, list[j].name);
		if (!name[0])
			continue;
		k = known_of(nm, list[j].domid);
		if (k && !strcmp(k->name, name))
			continue;
		if (record(l, list[j].domid, name))
			continue; /* tried again at the next change */
		if (!k) {
			grown = realloc(nm->known,
					(nm->nr_known + 1) * sizeof(*grown));
			if (!grown)
				continue;
			nm->known = grown;
			k = &nm->known[nm->nr_known++];
			k->domid = list[j].domid;
		}
		memcpy(k->name, name, sizeof(k->name));
		nm->recorded++;
	}
}

static int fd_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return fd >= 0 && poll(&p, 1, 0) > 0 &&
	       (p.revents & (POLLIN | POLLHUP | POLLERR));
}

static void names_lost(struct lttd *l, const char *why)
{
	ctfw_note("domain names: %s; none recorded until it is back", why);
	lx_domains_close(l->p.t);
	l->names.open = 0;
	l->names.next_try = now_ms() + RETRY_MS;
}

/*
 * Called from the main loop while the session runs: connect to the
 * source of names when it is there, and record what changed.
 */
void lttd_names_update(struct lttd *l)
{
	struct lttd_names *nm = &l->names;
	struct lx_domain *list;
	struct lx_error err;
	int fresh = 0, n;

	if (!nm->open) {
		if (now_ms() < nm->next_try)
			return;
		if (lx_domains_open(l->p.t, &err)) {
			if (!nm->said_missing)
				ctfw_note("no domain names in the trace for "
					  "now: %s; tried again every second",
					  err.msg);
			nm->said_missing = 1;
			nm->next_try = now_ms() + RETRY_MS;
			return;
		}
		ctfw_note("domain names: recording them from %s",
			  !strcmp(lx_transport_name(l->p.t), "xen")
				  ? "xenstore"
				  : "$LTTNG_XEN_SIM_DOMAINS");
		nm->open = 1;
		nm->said_missing = 0;
		fresh = 1;
	}
	if (!fresh && !fd_readable(lx_domains_fd(l->p.t)))
		return;
	n = lx_domains_list(l->p.t, &list, &err);
	if (n < 0) {
		names_lost(l, err.msg);
		return;
	}
	names_apply(l, list, n);
	free(list);
}

/* For poll(): readable when a name may have changed; -1 if none. */
int lttd_names_fd(struct lttd *l)
{
	return l->names.open ? lx_domains_fd(l->p.t) : -1;
}

void lttd_names_close(struct lttd *l)
{
	if (l->names.open)
		lx_domains_close(l->p.t);
	l->names.open = 0;
	free(l->names.known);
	l->names.known = NULL;
	l->names.nr_known = 0;
}
