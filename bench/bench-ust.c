// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-ust.c: the LTTng-UST 2.13 side of the benchmarks, timed by the
 * same harness as bench-xen.c.  The tracepoints (ust-tp.h) have the
 * field types of the lttng-xen events they stand beside.  Buffers and
 * their consumer are LTTng's own: bench/run records in a real session
 * (lttng-sessiond, lttng-consumerd), so the writer threads only call the
 * tracepoints.  The run does not know how many events UST discarded;
 * bench/run asks lttng for the session's count.
 */
#include <stdint.h>

#include "ust-tp.h"
#include "harness.h"

#define EMIT(name, ...)                                                       \
	static __attribute__((noinline)) void emit_##name(uint64_t n)         \
	{                                                                     \
		uint64_t i;                                                   \
		for (i = 0; i < n; i++)                                       \
			lttng_ust_tracepoint(bench_ust, name, ##__VA_ARGS__); \
	}

EMIT(f0)
EMIT(f2, i, i >> 16)
EMIT(f2x, i, i >> 3)
EMIT(il, i, i * 3)
EMIT(f4, i & 7, i, i >> 3, i >> 5)
EMIT(f6, i & 7, i, i, i >> 8, i >> 16, i >> 24)
EMIT(cs, i, i >> 16, i >> 1, i >> 17)

static const struct bench_kind kinds[] = {
	{"f0", "bench_ust:f0", "none", emit_f0},
	{"f2", "bench_ust:f2", "u16 u16", emit_f2},
	{"f2x", "bench_ust:f2x", "u32 u32", emit_f2x},
	{"il", "bench_ust:il", "int long", emit_il},
	{"f4", "bench_ust:f4", "u8 u32 u32 u32", emit_f4},
	{"f6", "bench_ust:f6", "u8 u32 u8 u8 u8 u8", emit_f6},
	{"cs", "bench_ust:cs", "u16 u16 u16 u16", emit_cs},
};

/* bench_ust:f4 with no session enabling it. */
static __attribute__((noinline)) void ust_disabled(uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		lttng_ust_tracepoint(bench_ust, f4, i & 7, i, i >> 3, i >> 5);
		bench_barrier();
	}
}

static int ust_run_begin(unsigned int nr, int inline_consumer,
			 const char *out_dir)
{
	(void)nr;
	(void)out_dir;
	return inline_consumer ? -1 : 0;
}

static void ust_thread(unsigned int idx)
{
	(void)idx;
}

static void ust_run_end(struct bench_stats *st)
{
	*st = (struct bench_stats){-1, -1, -1, -1};
}

static const struct bench_backend ust_backend = {
	.tracer = "lttng-ust",
	.kinds = kinds,
	.nr_kinds = sizeof(kinds) / sizeof(kinds[0]),
	.disabled = ust_disabled,
	.run_begin = ust_run_begin,
	.thread_begin = ust_thread,
	.thread_end = ust_thread,
	.run_end = ust_run_end,
};

int main(int argc, char **argv)
{
	return bench_main(argc, argv, &ust_backend);
}
