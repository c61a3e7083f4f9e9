// SPDX-License-Identifier: GPL-2.0-only
/*
 * merge-ust-app: the guest-side program of test-merge-ust.sh.
 *
 *   merge-ust-app N INTERVAL_MS
 *
 * Emits merge_ust:tick N times, INTERVAL_MS apart (on CLOCK_MONOTONIC
 * deadlines), with seq = 0..N-1 and the TSC read just before each event.
 * liblttng-ust registers with the session daemon in its constructor
 * (waiting up to LTTNG_UST_REGISTER_TIMEOUT), so a session already started
 * records every event.  Prints "emitted N" at the end.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "merge-ust-tp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

int main(int argc, char **argv)
{
	struct timespec next;
	unsigned long n, ms, i;
	char *end;

	if (argc != 3) {
		fprintf(stderr, "usage: merge-ust-app N INTERVAL_MS\n");
		return 2;
	}
	n = strtoul(argv[1], &end, 10);
	if (*end || !n) {
		fprintf(stderr, "merge-ust-app: bad N '%s'\n", argv[1]);
		return 2;
	}
	ms = strtoul(argv[2], &end, 10);
	if (*end || ms > 10000) {
		fprintf(stderr, "merge-ust-app: bad INTERVAL_MS '%s'\n", argv[2]);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; i < n; i++) {
		lttng_ust_tracepoint(merge_ust, tick, (uint32_t)i, __rdtsc());
		next.tv_nsec += (long)(ms * 1000000);
		next.tv_sec += next.tv_nsec / 1000000000;
		next.tv_nsec %= 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
	}
	printf("emitted %lu\n", n);
	return 0;
}
