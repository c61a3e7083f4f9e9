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

#include "remap-probe.h"

int main(void)
{
	unsigned long word;

	while (scanf("%lx", &word) == 1) {
		int event = remap_event((uint32_t)word);

		if (event >= 0)
			printf("%lx %s\n", word, lttng_xen_events[event].name);
		else
			printf("%lx -\n", word);
	}
	return 0;
}
