// SPDX-License-Identifier: GPL-2.0-only
/*
 * counters.c: the per-CPU counter table status shows and stop summarizes
 * with.  Calls msg.c, args.c, producer.c.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "lttctl.h"

struct totals {
	uint64_t produced, discarded, lost, overwritten, consumed, pending;
	uint64_t written;
};

static uint64_t stream_size(const struct lttctl_session *s, uint32_t cpu)
{
	char path[LTTCTL_PATH_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/channel0_%u", s->output, cpu);
	return stat(path, &st) ? 0 : st.st_size;
}

static void print_header(const struct lttctl_session *s, bool summary)
{
	printf("\n%4s %12s %10s %8s", "CPU", "produced", "discarded", "lost");
	if (summary && s->mode == LTTNG_XEN_MODE_DISCARD) {
		printf(" %12s\n", "written");
		return;
	}
	if (s->mode == LTTNG_XEN_MODE_OVERWRITE)
		printf(" %11s", "overwritten");
	if (summary)
		printf(" %12s\n", "in buffer");
	else
		printf(" %12s %12s\n", "consumed", "pending");
}

static void print_row(const char *cpu, const struct lttctl_session *s,
		      const struct totals *t, bool summary)
{
	char a[32], b[32];

	printf("%4s %12llu %10llu %8llu", cpu, (unsigned long long)t->produced,
	       (unsigned long long)t->discarded, (unsigned long long)t->lost);
	if (summary && s->mode == LTTNG_XEN_MODE_DISCARD) {
		lttctl_format_size(t->written, a, sizeof(a));
		printf(" %12s\n", a);
		return;
	}
	if (s->mode == LTTNG_XEN_MODE_OVERWRITE)
		printf(" %11llu", (unsigned long long)t->overwritten);
	lttctl_format_size(t->pending, b, sizeof(b));
	if (summary) {
		printf(" %12s\n", b);
		return;
	}
	lttctl_format_size(t->consumed, a, sizeof(a));
	printf(" %12s %12s\n", a, b);
}

static void add(struct totals *sum, const struct totals *t)
{
	sum->produced += t->produced;
	sum->discarded += t->discarded;
	sum->lost += t->lost;
	sum->overwritten += t->overwritten;
	sum->consumed += t->consumed;
	sum->pending += t->pending;
	sum->written += t->written;
}

/*
 * One row per CPU with a buffer, and a total.  summary (stop): bytes
 * written to each stream file instead of the buffer positions.
 */
void lttctl_print_counters(struct lx_producer *p,
			   const struct lttctl_session *s, bool summary)
{
	struct lttng_xen_counters c;
	struct totals t, sum = {0};
	char cpu[16];
	uint32_t i;
	int ret;

	print_header(s, summary);
	for (i = 0; i < p->info.nr_cpus; i++) {
		snprintf(cpu, sizeof(cpu), "%u", i);
		if (lttctl_producer_counters(p, i, &c, &ret))
			return;
		if (ret) {
			printf("%4s  (no buffer: %s)\n", cpu,
			       ret == -LTTNG_XEN_ENOENT ? "not traced"
							: lx_strerror(ret));
			continue;
		}
		t.produced = c.produced;
		t.discarded = c.discarded;
		t.lost = c.lost_too_big + c.lost_nested;
		t.overwritten = c.overwritten;
		t.consumed = c.consumed;
		t.pending = c.offset - c.consumed;
		t.written = stream_size(s, i);
		add(&sum, &t);
		print_row(cpu, s, &t, summary);
	}
	print_row("all", s, &sum, summary);
	printf("\n");
	if (sum.discarded && s->mode == LTTNG_XEN_MODE_DISCARD)
		lttctl_hint(
			"%llu events were discarded because a buffer was "
			"full: create the session with a larger --subbuf-size "
			"or --num-subbufs, or fewer --events",
			(unsigned long long)sum.discarded);
}
