// SPDX-License-Identifier: GPL-2.0-only
/*
 * callsite-remap.c: for each xentrace event word on stdin (hex, one a
 * line), what the hypervisor's remap does with it (tests/xen/callsites.py):
 *
 *   WORD MATCHES ok|miss EVENT WORDS SEQ
 *
 * MATCHES: entries of genevent's table that match the word; ok when
 * lttng_xen_xt_lookup(), the function Xen calls, returns the one match;
 * EVENT: the typed event ("-" if none); WORDS: the data words the unpack
 * rules read; SEQ: 1 when a variable-length array takes the rest.
 */
#include <stdio.h>

#include <lttng-xen/xentrace-remap.h>

uint32_t lttng_xen_enabled_mask[1];

void lttng_xen_record(uint16_t event, const void *payload, uint32_t len)
{
	(void)event, (void)payload, (void)len;
}

static void words_read(const struct lttng_xen_xt_map *m, unsigned int *words,
		       int *seq)
{
	unsigned int i, end = 0;

	*seq = 0;
	for (i = 0; i < m->nr_unpacks; i++) {
		const struct lttng_xen_xt_unpack *u = &m->unpacks[i];

		if (u->from != LTTNG_XEN_XT_DATA)
			continue;
		if (!u->count)
			*seq = 1;
		else if ((unsigned int)(u->bit + u->width * u->count) > end)
			end = (unsigned int)(u->bit + u->width * u->count);
	}
	*words = (end + 31) / 32;
}

int main(void)
{
	unsigned long word;

	while (scanf("%lx", &word) == 1) {
		const struct lttng_xen_xt_map *hit = NULL;
		unsigned int i, matches = 0, words = 0;
		int seq = 0;

		for (i = 0; i < lttng_xen_xt_nr_maps; i++) {
			const struct lttng_xen_xt_map *m = &lttng_xen_xt_maps[i];

			if ((word & 0x0fffffff & ~m->mask) == m->id) {
				matches++;
				hit = m;
			}
		}
		if (hit)
			words_read(hit, &words, &seq);
		printf("%lx %u %s %s %u %d\n", word, matches,
		       matches == 1 && lttng_xen_xt_lookup(word) == hit ? "ok" :
									  "miss",
		       hit ? lttng_xen_events[hit->event].name : "-", words,
		       seq);
	}
	return 0;
}
