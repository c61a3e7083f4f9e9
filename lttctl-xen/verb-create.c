// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-create.c: `create`: check the options, allocate the producer's
 * buffers, save the session.
 */
#include <stdio.h>
#include <string.h>

#include "event-ids.h"
#include "lttctl.h"

static void print_created(const struct lttctl_session *s)
{
	struct lttctl_event_set set;
	char size[32], classes[512], why[128];
	unsigned int n = 0;

	lttctl_format_size(s->subbuf_size, size, sizeof(size));
	if (!lttctl_parse_events(s->events, &set, why, sizeof(why)))
		n = lttctl_event_count(&set);
	lttctl_event_classes(&set, classes, sizeof(classes));
	printf("Session '%s' created: %s mode, %u x %s per CPU, CPUs %s.\n",
	       s->name, lx_mode_name(s->mode), s->nr_subbufs, size, s->cpus);
	if (n == LTTNG_XEN_NR_EVENTS)
		printf("Events: all %u.\n", n);
	else
		printf("Events: %u of %u: %s.\n", n, LTTNG_XEN_NR_EVENTS,
		       classes);
	if (strcmp(s->domains, "all"))
		printf("Domains: %s: the events they run, and the scheduler's "
		       "and lifecycle events naming them.\n",
		       s->domains);
	if (s->mode == LTTNG_XEN_MODE_DISCARD)
		printf("Trace directory: %s\n", s->output);
	else
		printf("Snapshots go to: %s\n", s->output);
}

int lttctl_cmd_create(struct lttctl_opts *o)
{
	struct lttctl_session s, old;
	int r;

	if (lttctl_session_from_opts(o, &s))
		return EXIT_USAGE;
	r = lttctl_session_open(
		o, &old, LTTCTL_LOCK | LTTCTL_NONE_OK | LTTCTL_ANY_TRANSPORT,
		NULL, NULL);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r > 0) {
		lttctl_session_exists_error(&old);
		return EXIT_RUNTIME;
	}
	if (lttctl_session_setup(&s))
		return EXIT_RUNTIME;
	print_created(&s);
	printf("Start recording with: lttctl-xen start\n");
	return EXIT_OK;
}
