/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * harness.h: what the two benchmark programs share.  harness.c runs the
 * measurements (threads pinned one per CPU, a start barrier, timing,
 * one JSON line per run on stdout); a backend says how to record an
 * event with its tracer: bench-xen.c (lttng-xen's ring buffer and
 * generated tracepoints) and bench-ust.c (LTTng-UST 2.13).
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stdint.h>

#define BENCH_MAX_THREADS 64
#define BENCH_BATCH	  1000 /* events timed together */

#define bench_barrier() __asm__ __volatile__("" : : : "memory")

/* One event shape: the same name in both backends. */
struct bench_kind {
	const char *name;	  /* "f0", "f2", ...: the key of the report */
	const char *event;	  /* the tracepoint this backend calls */
	const char *fields;	  /* its field types */
	void (*emit)(uint64_t n); /* record n events */
};

/* What a backend knows about one run, summed over its buffers. */
struct bench_stats {
	int64_t produced; /* -1: the backend cannot tell */
	int64_t discarded;
	int64_t content_bytes; /* packet content read by the consumer */
	int64_t packets;
};

struct bench_backend {
	const char *tracer;
	const struct bench_kind *kinds;
	unsigned int nr_kinds;
	/* n calls of a tracepoint that is off, with a compiler barrier
	 * each time, as the baseline loop of the harness has. */
	void (*disabled)(uint64_t n);
	/* Set up nr buffers (and consumers unless inline_consumer) for a
	 * run; out_dir: write the stream of buffer i to out_dir/channel0_i. */
	int (*run_begin)(unsigned int nr, int inline_consumer,
			 const char *out_dir);
	void (*thread_begin)(unsigned int idx); /* in the writer, untimed */
	void (*thread_end)(unsigned int idx);	/* in the writer: flush */
	void (*drain)(unsigned int idx);	/* inline consumer */
	uint64_t (*lost)(unsigned int idx);	/* events buffer idx lost */
	void (*run_end)(struct bench_stats *st);
	void (*describe)(void); /* extra "key": value, pairs for the header */
};

int bench_main(int argc, char **argv, const struct bench_backend *be);

uint64_t bench_rdtsc(void);
int bench_spare_cpu(unsigned int i);
uint64_t bench_tsc_hz(void);

#endif /* BENCH_HARNESS_H */
