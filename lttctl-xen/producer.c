// SPDX-License-Identifier: GPL-2.0-only
/*
 * producer.c: lttctl-xen's side of the control operations
 * (include/lttng-xen/abi.h), through the transport (transport/): open and
 * check the producer, configure it from a session, read its counters.
 * Every failure is reported here, in words that say what to do.
 */
#include <stdio.h>
#include <string.h>

#include "event-ids.h"
#include "lttctl.h"

const char *lx_state_name(uint32_t state)
{
	switch (state) {
	case LTTNG_XEN_STATE_UNCONFIGURED:
		return "unconfigured";
	case LTTNG_XEN_STATE_STOPPED:
		return "stopped";
	case LTTNG_XEN_STATE_RUNNING:
		return "running";
	}
	return "unknown";
}

/* The Xen transport's own messages say what to do; the simulator's
 * cannot know it was meant to be running. */
static void hint_transport(const char *spec)
{
	if (!strncmp(spec, "sim:", 4))
		lx_hint("is the simulator running? Start it with "
			"'lttng-xen-sim --socket %s', or point lttctl-xen at "
			"its socket with --transport sim:PATH or "
			"LTTNG_XEN_TRANSPORT",
			spec + 4);
}

int lx_producer_op(struct lx_producer *p, struct lttng_xen_op *op,
		   const char *what)
{
	struct lx_error err = {{0}};

	if (lx_op(p->t, op, &err)) {
		lx_error("lost contact with the producer (transport '%s') "
			 "while %s: %s",
			 p->spec, what, err.msg);
		hint_transport(p->spec);
		return -1;
	}
	return 0;
}

int lx_producer_info(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_GET_INFO};

	if (lx_producer_op(p, &op, "reading its state"))
		return -1;
	if (op.ret) {
		lx_error("the producer refused GET_INFO: %s",
			 lx_strerror(op.ret));
		return -1;
	}
	p->info = op.u.info;
	return 0;
}

/*
 * Connect and check that the producer speaks our ABI and numbers its
 * events as we do: --events becomes a bitmap of event ids.
 */
int lx_producer_open(struct lx_producer *p, const char *spec)
{
	struct lx_error err = {{0}};

	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->t = lx_transport_open(spec, &err);
	if (!p->t) {
		lx_error("cannot reach the producer through transport '%s': %s",
			 spec, err.msg);
		hint_transport(spec);
		return -1;
	}
	if (lx_producer_info(p))
		goto fail;
	if (p->info.abi_version != LTTNG_XEN_ABI_VERSION) {
		lx_error("the producer speaks ABI version %u, lttctl-xen "
			 "version %d: rebuild them from the same tree",
			 p->info.abi_version, LTTNG_XEN_ABI_VERSION);
		goto fail;
	}
	if (p->info.metadata_hash != LTTNG_XEN_METADATA_HASH ||
	    p->info.nr_events != LTTNG_XEN_NR_EVENTS) {
		lx_error("the producer was built from different facility "
			 "files (%u events, metadata hash %016llx; lttctl-xen: "
			 "%d events, %016llx): rebuild them from the same tree",
			 p->info.nr_events,
			 (unsigned long long)p->info.metadata_hash,
			 LTTNG_XEN_NR_EVENTS,
			 (unsigned long long)LTTNG_XEN_METADATA_HASH);
		goto fail;
	}
	return 0;
fail:
	lx_producer_close(p);
	return -1;
}

void lx_producer_close(struct lx_producer *p)
{
	if (p->t)
		lx_transport_close(p->t);
	p->t = NULL;
}

static void report_configure_error(struct lx_producer *p,
				   const struct lx_session *s, int ret)
{
	char want[64], have[64];
	uint64_t total = (uint64_t)s->subbuf_size * s->nr_subbufs;

	if (ret == -LTTNG_XEN_EBUSY && !lx_producer_info(p)) {
		if (p->info.state == LTTNG_XEN_STATE_RUNNING) {
			lx_error("the producer is already tracing, for a "
				 "session lttctl-xen does not know about");
			lx_hint("another LTTNG_XEN_HOME may own it (this one "
				"is %s); 'lttctl-xen destroy --force' "
				"stops it and frees its buffers",
				lx_home());
			return;
		}
		lx_format_size(s->subbuf_size, want, sizeof(want));
		lx_format_size(p->info.subbuf_size, have, sizeof(have));
		lx_error("the producer still holds buffers of another "
			 "configuration (%u x %s, %s mode); this session "
			 "wants %u x %s",
			 p->info.nr_subbufs, have, lx_mode_name(p->info.mode),
			 s->nr_subbufs, want);
		lx_hint("another LTTNG_XEN_HOME may own them (this one is "
			"%s); 'lttctl-xen destroy --force' frees them",
			lx_home());
		return;
	}
	if (ret == -LTTNG_XEN_ENOMEM) {
		lx_format_size(total, want, sizeof(want));
		lx_error("the producer cannot allocate %s per CPU: %s", want,
			 lx_strerror(ret));
		lx_hint("choose a smaller --subbuf-size or --num-subbufs, or "
			"fewer --cpus");
		return;
	}
	lx_error("the producer refused the configuration (%u x %u bytes, "
		 "%s mode, CPUs %s): %s",
		 s->nr_subbufs, s->subbuf_size, lx_mode_name(s->mode), s->cpus,
		 lx_strerror(ret));
	if (ret == -LTTNG_XEN_ERANGE && strcmp(s->cpus, "all")) {
		lx_format_cpus(p->info.cpu_online, want, sizeof(want));
		lx_hint("--cpus %s names a CPU this machine cannot have "
			"(online now: %s)",
			s->cpus, want);
	}
}

static int set_events(struct lx_producer *p, const struct lx_session *s)
{
	struct lx_event_set set;
	struct lttng_xen_op op;
	char why[512];
	uint32_t first;

	if (lx_parse_events(s->events, &set, why, sizeof(why))) {
		lx_error("the session's event selection '%s' is not valid: %s",
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
		if (lx_producer_op(p, &op, "selecting the events"))
			return -1;
		if (op.ret) {
			lx_error("the producer refused the event selection "
				 "(events %u to %u): %s",
				 first, first + op.u.events.nr - 1,
				 lx_strerror(op.ret));
			return -1;
		}
	}
	return 0;
}

/* CONFIGURE (allocates the buffers) and SET_EVENTS from the session. */
int lx_producer_configure(struct lx_producer *p, const struct lx_session *s)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_CONFIGURE};
	char why[256];

	op.u.config.subbuf_size = s->subbuf_size;
	op.u.config.nr_subbufs = s->nr_subbufs;
	op.u.config.mode = s->mode;
	if (lx_parse_cpus(s->cpus, op.u.config.cpu_mask, why, sizeof(why))) {
		lx_error("the session's CPU list '%s' is not valid: %s",
			 s->cpus, why);
		return -1;
	}
	/* All zero means every CPU, including those that come later. */
	if (!strcmp(s->cpus, "all"))
		memset(op.u.config.cpu_mask, 0, sizeof(op.u.config.cpu_mask));
	if (lx_producer_op(p, &op, "configuring the buffers"))
		return -1;
	if (op.ret) {
		report_configure_error(p, s, op.ret);
		return -1;
	}
	if (set_events(p, s))
		return -1;
	return lx_producer_info(p);
}

/* 0 and *ret = 0: counters read; *ret < 0: the producer's refusal. */
int lx_producer_counters(struct lx_producer *p, uint32_t cpu,
			 struct lttng_xen_counters *c, int *ret)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_GET_COUNTERS};

	op.cpu = cpu;
	if (lx_producer_op(p, &op, "reading the counters"))
		return -1;
	*ret = op.ret;
	if (!op.ret)
		*c = op.u.counters;
	return 0;
}
