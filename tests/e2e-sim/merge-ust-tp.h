/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * merge-ust-tp.h: the LTTng-UST 2.13 tracepoint provider "merge_ust" of
 * test-merge-ust.sh.  One event, merge_ust:tick, carrying its sequence
 * number and the TSC read just before it is emitted: the TSC is the
 * simulated hypervisor's clock, so the test can tell where the event must
 * sit among the hypervisor's events.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER merge_ust

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./merge-ust-tp.h"

#if !defined(MERGE_UST_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define MERGE_UST_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(merge_ust, tick,
	LTTNG_UST_TP_ARGS(uint32_t, seq, uint64_t, tsc),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, seq, seq)
		lttng_ust_field_integer(uint64_t, tsc, tsc)
	)
)

#endif /* MERGE_UST_TP_H */

#include <lttng/tracepoint-event.h>
