// SPDX-License-Identifier: GPL-2.0-only
/*
 * xt-coverage.c: for each xentrace event word on stdin (hex, one a line),
 * print the events of genevent's mapping table that match it, and check
 * that lttng_xen_xt_lookup() finds that one and lttng_xen_xt_record()
 * records that event.  Exit 1 unless every word matches exactly one
 * entry.
 */
#include <stdio.h>
#include <stdlib.h>

#include "remap-probe.h"

int main(void)
{
	unsigned long word;
	unsigned int i, bad = 0, n = 0;
	char name[128];

	while (scanf("%127s %lx", name, &word) == 2) {
		const struct lttng_xen_xt_map *hit = NULL;
		unsigned int matches = 0;

		for (i = 0; i < lttng_xen_xt_nr_maps; i++) {
			const struct lttng_xen_xt_map *m = &lttng_xen_xt_maps[i];

			if ((word & ~m->mask) == m->id) {
				matches++;
				hit = m;
			}
		}
		n++;
		if (matches != 1 || lttng_xen_xt_lookup(word) != hit ||
		    remap_event(word) != hit->event) {
			printf("%-40s 0x%08lx: %u table entries match%s\n", name,
			       word, matches,
			       matches == 1 ? ", but the lookup or the record misses it" : "");
			bad++;
			continue;
		}
		printf("%-40s 0x%08lx -> %s\n", name, word,
		       lttng_xen_events[hit->event].name);
	}
	printf("%u xentrace ids, %u not mapped to exactly one event\n", n, bad);
	return bad || !n;
}
