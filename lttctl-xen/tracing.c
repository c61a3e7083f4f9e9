// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracing.c: what several verbs do.  Set up a session's buffers (create,
 * and start when it creates the session); stop tracing, wait for
 * lttd-xen and summarize (stop, and destroy of a running session).  Calls
 * the layers below: session.c, producer.c, lttd.c, counters.c, files.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lttctl.h"

/* CPUs the session asked for that are not online now: worth a word. */
static void warn_offline_cpus(const struct lx_producer *p,
			      const struct lttctl_session *s)
{
	uint64_t mask[LTTNG_XEN_MAX_CPUS / 64], off[LTTNG_XEN_MAX_CPUS / 64];
	char why[128], list[256];
	bool any = false;
	int i;

	if (!strcmp(s->cpus, "all") ||
	    lttctl_parse_cpus(s->cpus, mask, why, sizeof(why)))
		return;
	for (i = 0; i < LTTNG_XEN_MAX_CPUS / 64; i++) {
		off[i] = mask[i] & ~p->info.cpu_online[i];
		any |= off[i] != 0;
	}
	if (!any)
		return;
	lttctl_format_cpus(off, list, sizeof(list));
	lttctl_warn("CPU %s %s not online; traced if %s online", list,
		    strpbrk(list, ",-") ? "are" : "is",
		    strpbrk(list, ",-") ? "they come" : "it comes");
}

/*
 * Allocate the producer's buffers for s and save the session.  On any
 * failure, the producer is left as it was.
 */
int lttctl_session_setup(struct lttctl_session *s)
{
	struct lx_producer p;
	uint32_t was;

	if (lttctl_producer_open(&p, s->transport))
		return -1;
	was = p.info.state;
	if (was == LTTNG_XEN_STATE_RUNNING) {
		lttctl_error("the producer is already tracing, for a session "
			     "lttctl-xen does not know about");
		lttctl_hint(
			"another LTTNG_XEN_HOME may own it (this one is %s); "
			"'lttctl-xen destroy --force' stops it and frees its "
			"buffers",
			lttctl_home());
		goto fail;
	}
	if (lttctl_producer_configure(&p, s))
		goto undo;
	warn_offline_cpus(&p, s);
	s->created = time(NULL);
	if (lttctl_session_save(s))
		goto undo;
	lx_producer_close(&p);
	return 0;
undo:
	if (was == LTTNG_XEN_STATE_UNCONFIGURED)
		lttctl_producer_undo(&p);
fail:
	lx_producer_close(&p);
	return -1;
}

static void print_stopped(const struct lttctl_session *s, int lttd_ret)
{
	char size[32];

	if (s->mode == LTTNG_XEN_MODE_OVERWRITE) {
		printf("The flight recorder holds the newest events: write "
		       "them out with 'lttctl-xen snapshot'.\n");
		return;
	}
	lttctl_format_size(lttctl_dir_size(s->trace_dir), size, sizeof(size));
	printf("Trace: %s (%s)\n", s->trace_dir, size);
	lttctl_guests_print(s);
	if (lttd_ret > 0)
		printf("It holds what lttd-xen wrote before it failed, up to "
		       "the last complete packet.\n");
	else if (lttd_ret < 0)
		printf("lttd-xen is still writing it.\n");
	printf("Read it with: babeltrace2 %s\n", s->trace_dir);
}

/*
 * STOP, wait for lttd-xen, summarize.  s->running is false afterwards if
 * the producer stopped; returns -1 if anything went wrong (reported).
 */
int lttctl_stop_tracing(struct lttctl_session *s, struct lx_producer *p)
{
	char how[128];
	int lttd_ret = 0;
	long long secs;

	lttctl_guests_stop(s);
	if (lttctl_producer_stop(p))
		return -1;
	secs = time(NULL) - s->started;
	s->running = false;
	if (lttctl_session_save(s))
		return -1;
	if (s->mode == LTTNG_XEN_MODE_DISCARD && s->lttd_pid)
		lttd_ret = lttctl_lttd_wait(s, LTTCTL_STOP_TIMEOUT_S, how,
					    sizeof(how));
	lttctl_guests_gather(s);
	lttctl_session_save(s);
	if (lttctl_producer_info(p))
		return -1;
	printf("Tracing stopped: session '%s', recorded for %lld s.\n", s->name,
	       secs);
	lttctl_print_counters(p, s, true);
	print_stopped(s, lttd_ret);
	return lttd_ret ? -1 : 0;
}
