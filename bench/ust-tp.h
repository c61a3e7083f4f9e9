/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ust-tp.h: the LTTng-UST 2.13 tracepoint provider "bench_ust", the
 * counterpart of the lttng-xen events bench-xen.c records: the same
 * field types in the same order (bench/README.md lists the pairs).
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER bench_ust

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./ust-tp.h"

#if !defined(BENCH_UST_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define BENCH_UST_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

/* csched:sched_tasklet */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, f0,
	LTTNG_UST_TP_ARGS(),
	LTTNG_UST_TP_FIELDS()
)

/* sched:wake */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, f2,
	LTTNG_UST_TP_ARGS(uint16_t, domain, uint16_t, vcpu),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint16_t, domain, domain)
		lttng_ust_field_integer(uint16_t, vcpu, vcpu)
	)
)

/* hvm:pit_start_timer */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, f2x,
	LTTNG_UST_TP_ARGS(uint32_t, delta_ns, uint32_t, period_ns),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, delta_ns, delta_ns)
		lttng_ust_field_integer(uint32_t, period_ns, period_ns)
	)
)

/* The classic int + long payload; lttng-xen: hvm:msr_read (u32, u64). */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, il,
	LTTNG_UST_TP_ARGS(int, anint, long, along),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, anint, anint)
		lttng_ust_field_integer(long, along, along)
	)
)

/* hw:idle_entry */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, f4,
	LTTNG_UST_TP_ARGS(uint8_t, cstate, uint32_t, tick,
			  uint32_t, expected_us, uint32_t, predicted_us),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint8_t, cstate, cstate)
		lttng_ust_field_integer(uint32_t, tick, tick)
		lttng_ust_field_integer(uint32_t, expected_us, expected_us)
		lttng_ust_field_integer(uint32_t, predicted_us, predicted_us)
	)
)

/* hw:idle_exit */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, f6,
	LTTNG_UST_TP_ARGS(uint8_t, cstate, uint32_t, tick, uint8_t, v0,
			  uint8_t, v1, uint8_t, v2, uint8_t, v3),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint8_t, cstate, cstate)
		lttng_ust_field_integer(uint32_t, tick, tick)
		lttng_ust_field_integer(uint8_t, irr_vector0, v0)
		lttng_ust_field_integer(uint8_t, irr_vector1, v1)
		lttng_ust_field_integer(uint8_t, irr_vector2, v2)
		lttng_ust_field_integer(uint8_t, irr_vector3, v3)
	)
)

/* sched:context_switch */
LTTNG_UST_TRACEPOINT_EVENT(bench_ust, cs,
	LTTNG_UST_TP_ARGS(uint16_t, prev_domain, uint16_t, prev_unit,
			  uint16_t, next_domain, uint16_t, next_unit),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint16_t, prev_domain, prev_domain)
		lttng_ust_field_integer(uint16_t, prev_unit, prev_unit)
		lttng_ust_field_integer(uint16_t, next_domain, next_domain)
		lttng_ust_field_integer(uint16_t, next_unit, next_unit)
	)
)

#endif /* BENCH_UST_TP_H */

#include <lttng/tracepoint-event.h>
