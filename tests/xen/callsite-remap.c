// SPDX-License-Identifier: GPL-2.0-only
/*
 * callsite-remap.c: for each xentrace event word on stdin (hex, one a
 * line), the typed event the hypervisor's remap records for it
 * (tests/xen/callsites.py):
 *
 *   WORD EVENT
 *
 * EVENT is "facility:event", or "-" when lttng_xen_xt_record(), the
 * function Xen's __trace_var() calls, records nothing and says the word
 * is not mapped.  Every event is enabled; the record is 7 data words of
 * zeros, as much as a xentrace record can carry.
 */
#include <stdio.h>
#include <string.h>

#include <lttng-xen/xentrace-remap.h>
#include "event-ids.h"

uint32_t lttng_xen_enabled_mask[(LTTNG_XEN_NR_EVENTS + 31) / 32];

static int recorded = -1;

void lttng_xen_record(uint16_t event, const void *payload, uint32_t len)
{
	(void)payload, (void)len;
	recorded = event;
}

void lttng_xen_record_chunks(uint16_t event,
			     const struct lttng_xen_chunk *chunks,
			     unsigned int nr)
{
	(void)chunks, (void)nr;
	recorded = event;
}

int main(void)
{
	static const uint32_t zeros[7];
	unsigned long word;

	memset(lttng_xen_enabled_mask, 0xff, sizeof(lttng_xen_enabled_mask));
	while (scanf("%lx", &word) == 1) {
		int rc;

		recorded = -1;
		rc = lttng_xen_xt_record((uint32_t)word, sizeof(zeros), zeros);
		if (rc == 0 && recorded >= 0)
			printf("%lx %s\n", word, lttng_xen_events[recorded].name);
		else
			printf("%lx -\n", word);
	}
	return 0;
}
