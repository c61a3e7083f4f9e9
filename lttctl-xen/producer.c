// SPDX-License-Identifier: GPL-2.0-only
/*
 * producer.c: lttctl-xen's control operations (include/lttng-xen/abi.h)
 * through the producer client (transport/producer.h): open and check the
 * producer, configure it from a session, start, stop, free, read its
 * counters.  Every failure is reported here, in words that say what to
 * do.  Calls msg.c, args.c, events.c and session.c (for the hints).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event-ids.h"
#include "lttctl.h"

/* The Xen transport's own messages say what to do; the simulator's
 * cannot know it was meant to be running. */
static void hint_transport(const char *spec)
{
	if (!strncmp(spec, "sim:", 4))
		lttctl_hint(
			"is the simulator running? Start it with "
			"'lttng-xen-sim --socket %s', or point lttctl-xen at "
			"its socket with --transport sim:PATH or "
			"LTTNG_XEN_TRANSPORT",
			spec + 4);
}

/* A failure of the producer client: its sentence, and what to try. */
static int report(struct lx_producer *p, int ret, const struct lx_error *err)
{
	lttctl_error("%s", err->msg);
	if (ret == LX_UNREACHABLE)
		hint_transport(p->spec);
	return -1;
}

/*
 * Connect and check that the producer speaks our ABI and numbers its
 * events as we do: --events becomes a bitmap of event ids.
 */
int lttctl_producer_open(struct lx_producer *p, const char *spec)
{
	struct lx_error err;
	int ret = lx_producer_open(p, spec, lttctl_prog, &err);

	return ret ? report(p, ret, &err) : 0;
}

/* GET_INFO again, into p->info. */
int lttctl_producer_info(struct lx_producer *p)
{
	struct lx_error err;
	int ret = lx_producer_info(p, &p->info, &err);

	return ret ? report(p, ret, &err) : 0;
}

int lttctl_producer_op(struct lx_producer *p, struct lttng_xen_op *op,
		       const char *what)
{
	struct lx_error err = {{0}};

	if (lx_op(p->t, op, &err)) {
		lttctl_error("lost contact with the producer (transport '%s') "
			     "while %s: %s",
			     p->spec, what, err.msg);
		hint_transport(p->spec);
		return -1;
	}
	return 0;
}

/*
 * ret, the producer's answer to an operation: 0, or -1 once said what it
 * refused ("the producer refused WHAT: reason").
 */
static int __attribute__((format(printf, 2, 3)))
refused(int ret, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (!ret)
		return 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	lttctl_error("the producer refused %s: %s", what, lx_strerror(ret));
	return -1;
}

static void report_configure_error(struct lx_producer *p,
				   const struct lttctl_session *s, int ret)
{
	char want[64], have[64];
	uint64_t total = (uint64_t)s->subbuf_size * s->nr_subbufs;

	if (ret == -LTTNG_XEN_EBUSY && !lttctl_producer_info(p)) {
		if (p->info.state == LTTNG_XEN_STATE_RUNNING) {
			lttctl_error("the producer is already tracing, for a "
				     "session lttctl-xen does not know about");
			lttctl_hint(
				"another LTTNG_XEN_HOME may own it (this one "
				"is %s); 'lttctl-xen destroy --force' "
				"stops it and frees its buffers",
				lttctl_home());
			return;
		}
		lttctl_format_size(s->subbuf_size, want, sizeof(want));
		lttctl_format_size(p->info.subbuf_size, have, sizeof(have));
		lttctl_error("the producer still holds buffers of another "
			     "configuration (%u x %s, %s mode); this session "
			     "wants %u x %s",
			     p->info.nr_subbufs, have,
			     lx_mode_name(p->info.mode), s->nr_subbufs, want);
		lttctl_hint("another LTTNG_XEN_HOME may own them (this one is "
			    "%s); 'lttctl-xen destroy --force' frees them",
			    lttctl_home());
		return;
	}
	if (ret == -LTTNG_XEN_ENOMEM) {
		lttctl_format_size(total, want, sizeof(want));
		lttctl_error("the producer cannot allocate %s per CPU: %s",
			     want, lx_strerror(ret));
		lttctl_hint(
			"choose a smaller --subbuf-size or --num-subbufs, or "
			"fewer --cpus");
		return;
	}
	refused(ret, "the configuration (%u x %u bytes, %s mode, CPUs %s)",
		s->nr_subbufs, s->subbuf_size, lx_mode_name(s->mode), s->cpus);
	if (ret == -LTTNG_XEN_ERANGE && strcmp(s->cpus, "all")) {
		lttctl_format_cpus(p->info.cpu_online, want, sizeof(want));
		lttctl_hint("--cpus %s names a CPU this machine cannot have "
			    "(online now: %s)",
			    s->cpus, want);
	}
}

static int set_events(struct lx_producer *p, const struct lttctl_session *s)
{
	struct lttctl_event_set set;
	struct lttng_xen_op op;
	char why[512];
	uint32_t first;

	if (lttctl_parse_events(s->events, &set, why, sizeof(why))) {
		lttctl_error(
			"the session's event selection '%s' is not valid: %s",
			s->events, why);
		return -1;
	}
	for (first = 0; first < LTTNG_XEN_NR_EVENTS; first += 512) {
		memset(&op, 0, sizeof(op));
		op.op = LTTNG_XEN_OP_SET_EVENTS;
		op.u.events.first = first;
		op.u.events.nr = LTTNG_XEN_NR_EVENTS - first;
		if (op.u.events.nr > 512)
			op.u.events.nr = 512;
		memcpy(op.u.events.bits, &set.bits[first / 64],
		       sizeof(op.u.events.bits));
		if (lttctl_producer_op(p, &op, "selecting the events"))
			return -1;
		if (refused(op.ret, "the event selection (events %u to %u)",
			    first, first + op.u.events.nr - 1))
			return -1;
	}
	return 0;
}

/*
 * The domains a list names, by id: looked up in the transport's domain
 * names (xenstore in dom0, $LTTNG_XEN_SIM_DOMAINS with the simulator).
 */
static int resolve_domains(struct lx_producer *p, const char *spec,
			   struct lttng_xen_domains *d)
{
	struct lx_domain *known = NULL;
	struct lx_error err = {{0}};
	unsigned int nr_names;
	char why[1024];
	int n;

	if (lx_domains_open(p->t, &err)) {
		lttctl_error("cannot look up the domain names of '%s': %s",
			     spec, err.msg);
		lttctl_hint("name the domains by id (xl list shows them)");
		return -1;
	}
	n = lx_domains_list(p->t, &known, &err);
	lx_domains_close(p->t);
	if (n < 0) {
		lttctl_error("cannot look up the domain names of '%s': %s",
			     spec, err.msg);
		return -1;
	}
	if (lttctl_parse_domains(spec, known, n, d, &nr_names, why,
				 sizeof(why))) {
		lttctl_error("--domains %s: %s", spec, why);
		free(known);
		return -1;
	}
	free(known);
	return 0;
}

/* The session's domains: SET_DOMAINS, after CONFIGURE turned it off. */
static int set_domains(struct lx_producer *p, const struct lttctl_session *s)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_SET_DOMAINS};
	unsigned int nr_names;
	char why[256];

	if (lttctl_parse_domains(s->domains, NULL, 0, &op.u.domains, &nr_names,
				 why, sizeof(why))) {
		lttctl_error("the session's domain list '%s' is not valid: %s",
			     s->domains, why);
		return -1;
	}
	if (nr_names && resolve_domains(p, s->domains, &op.u.domains))
		return -1;
	if (!op.u.domains.nr)
		return 0;
	if (lttctl_producer_op(p, &op, "selecting the domains"))
		return -1;
	if (refused(op.ret, "the domain list %s", s->domains)) {
		if (op.ret == -LTTNG_XEN_ENOSYS)
			lttctl_hint("this hypervisor's lttng-xen has no domain "
				    "filter: create the session without "
				    "--domains");
		return -1;
	}
	return 0;
}

/* CONFIGURE (allocates the buffers), SET_EVENTS and SET_DOMAINS from the
 * session. */
int lttctl_producer_configure(struct lx_producer *p,
			      const struct lttctl_session *s)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_CONFIGURE};
	char why[256];

	op.u.config.subbuf_size = s->subbuf_size;
	op.u.config.nr_subbufs = s->nr_subbufs;
	op.u.config.mode = s->mode;
	if (lttctl_parse_cpus(s->cpus, op.u.config.cpu_mask, why,
			      sizeof(why))) {
		lttctl_error("the session's CPU list '%s' is not valid: %s",
			     s->cpus, why);
		return -1;
	}
	/* All zero means every CPU, including those that come later. */
	if (!strcmp(s->cpus, "all"))
		memset(op.u.config.cpu_mask, 0, sizeof(op.u.config.cpu_mask));
	if (lttctl_producer_op(p, &op, "configuring the buffers"))
		return -1;
	if (op.ret) {
		report_configure_error(p, s, op.ret);
		return -1;
	}
	if (set_events(p, s) || set_domains(p, s))
		return -1;
	return lttctl_producer_info(p);
}

/* 0 and *ret = 0: counters read; *ret < 0: the producer's refusal. */
int lttctl_producer_counters(struct lx_producer *p, uint32_t cpu,
			     struct lttng_xen_counters *c, int *ret)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_GET_COUNTERS};

	op.cpu = cpu;
	if (lttctl_producer_op(p, &op, "reading the counters"))
		return -1;
	*ret = op.ret;
	if (!op.ret)
		*c = op.u.counters;
	return 0;
}

int lttctl_producer_start(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_START};

	if (lttctl_producer_op(p, &op, "starting it"))
		return -1;
	return refused(op.ret, "to start");
}

/* Stop the producer; a producer already stopped is only a warning. */
int lttctl_producer_stop(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_STOP};

	if (lttctl_producer_op(p, &op, "stopping it"))
		return -1;
	if (!op.ret)
		return 0;
	if (!lttctl_producer_info(p) &&
	    p->info.state != LTTNG_XEN_STATE_RUNNING) {
		lttctl_warn(
			"the producer was not running (it is %s; restarted?)",
			lx_state_name(p->info.state));
		return 0;
	}
	return refused(op.ret, "to stop");
}

/* DESTROY; 0 also when the producer has nothing (it was restarted). */
int lttctl_producer_destroy(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_DESTROY};

	if (lttctl_producer_op(p, &op, "freeing the buffers"))
		return -1;
	if (op.ret && !lttctl_producer_info(p) &&
	    p->info.state == LTTNG_XEN_STATE_UNCONFIGURED)
		return 0;
	return refused(op.ret, "to free its buffers");
}

/* Free the buffers again, undoing a CONFIGURE of ours that cannot stand. */
void lttctl_producer_undo(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_DESTROY};

	if (p->t)
		lttctl_producer_op(p, &op, "freeing the buffers again");
}
