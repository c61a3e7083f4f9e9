// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-list.c: `list`: every facility and event of the generated table,
 * the names create --events takes.
 */
#include <stdio.h>

#include <lttng-xen/tracepoint.h>

#include "event-ids.h"
#include "lttctl.h"

int lttctl_cmd_list(struct lttctl_opts *o)
{
	unsigned int id, n;
	int f;

	printf("%d events in %d facilities (select them with create "
	       "--events):\n",
	       LTTNG_XEN_NR_EVENTS, LTTNG_XEN_NR_FACILITIES);
	for (f = 0; f < LTTNG_XEN_NR_FACILITIES; f++) {
		n = 0;
		for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++)
			n += lttng_xen_events[id].facility == f;
		printf("\n%s (%u event%s)\n", lttng_xen_facilities[f], n,
		       n == 1 ? "" : "s");
		for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++) {
			const struct lttng_xen_event_desc *e =
				&lttng_xen_events[id];

			if (e->facility != f)
				continue;
			if (o->verbose)
				printf("  %-34s id %3u, fixed payload %2u "
				       "bytes%s\n",
				       e->name, id, e->fixed_size,
				       id < LTTNG_XEN_NR_COMPACT_IDS
					       ? ", compact header"
					       : "");
			else
				printf("  %s\n", e->name);
		}
	}
	return EXIT_OK;
}
