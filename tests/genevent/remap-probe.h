/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * remap-probe.h: the probe API for the test programs that ask the remap
 * which event a xentrace word records (xt-coverage.c,
 * tests/xen/callsite-remap.c): every event enabled, nothing written,
 * the id of the last event recorded kept.
 */
#ifndef REMAP_PROBE_H
#define REMAP_PROBE_H

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

/* The event a xentrace word records with 7 data words of zeros, or -1. */
static int remap_event(uint32_t word)
{
	static const uint32_t zeros[7];

	memset(lttng_xen_enabled_mask, 0xff, sizeof(lttng_xen_enabled_mask));
	recorded = -1;
	if (lttng_xen_xt_record(word, sizeof(zeros), zeros))
		return -1;
	return recorded;
}

#endif /* REMAP_PROBE_H */
