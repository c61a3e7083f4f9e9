// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-status.c: `status`, and the per-CPU counter table it shares with
 * stop's summary.  Reads the session file without taking the lock, so it
 * answers while another command (a long stop) runs.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "event-ids.h"
#include "lttctl.h"

struct totals {
	uint64_t produced, discarded, lost, overwritten, consumed, pending;
	uint64_t written;
};

static uint64_t stream_size(const struct lx_session *s, uint32_t cpu)
{
	char path[LX_PATH_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/channel0_%u", s->output, cpu);
	return stat(path, &st) ? 0 : st.st_size;
}

static void print_header(const struct lx_session *s, bool summary)
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

static void print_row(const char *cpu, const struct lx_session *s,
		      const struct totals *t, bool summary)
{
	char a[32], b[32];

	printf("%4s %12llu %10llu %8llu", cpu, (unsigned long long)t->produced,
	       (unsigned long long)t->discarded, (unsigned long long)t->lost);
	if (summary && s->mode == LTTNG_XEN_MODE_DISCARD) {
		lx_format_size(t->written, a, sizeof(a));
		printf(" %12s\n", a);
		return;
	}
	if (s->mode == LTTNG_XEN_MODE_OVERWRITE)
		printf(" %11llu", (unsigned long long)t->overwritten);
	lx_format_size(t->pending, b, sizeof(b));
	if (summary) {
		printf(" %12s\n", b);
		return;
	}
	lx_format_size(t->consumed, a, sizeof(a));
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
void lx_print_counters(struct lx_producer *p, const struct lx_session *s,
		       bool summary)
{
	struct lttng_xen_counters c;
	struct totals t, sum = {0};
	char cpu[16];
	uint32_t i;
	int ret;

	print_header(s, summary);
	for (i = 0; i < p->info.nr_cpus; i++) {
		snprintf(cpu, sizeof(cpu), "%u", i);
		if (lx_producer_counters(p, i, &c, &ret))
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
		lx_hint("%llu events were discarded because a buffer was "
			"full: create the session with a larger --subbuf-size "
			"or --num-subbufs, or fewer --events",
			(unsigned long long)sum.discarded);
}

static void print_lttd(const struct lx_session *s)
{
	char how[128], log[LX_PATH_MAX + 32];

	if (s->mode == LTTNG_XEN_MODE_OVERWRITE) {
		printf("lttd-xen:   not used (overwrite mode: lttctl-xen "
		       "snapshot runs it)\n");
		return;
	}
	if (!s->lttd_pid) {
		printf("lttd-xen:   not running\n");
		return;
	}
	if (lx_lttd_alive(s->lttd_pid)) {
		printf("lttd-xen:   pid %d, alive%s\n", (int)s->lttd_pid,
		       s->running ? "" : ", writing the rest of the trace");
		return;
	}
	lx_lttd_status(how, sizeof(how));
	lx_lttd_log_path(s->output, log, sizeof(log));
	printf("lttd-xen:   pid %d, NOT RUNNING (%s); its log: %s\n",
	       (int)s->lttd_pid, how[0] ? how : "ended", log);
}

static void print_session(const struct lx_session *s)
{
	struct lx_event_set set;
	char buf[512], size[32], total[32], when[64];
	unsigned int n = 0;
	time_t t = s->started;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (s->running)
		printf("Session:    %s, running since %s (%lld s)\n", s->name,
		       when, (long long)(time(NULL) - s->started));
	else
		printf("Session:    %s, stopped%s\n", s->name,
		       s->runs ? "" : " (not started yet)");
	printf("Mode:       %s\n",
	       s->mode == LTTNG_XEN_MODE_DISCARD
		       ? "discard (a full buffer drops new events)"
		       : "overwrite (flight recorder: keeps the newest "
			 "events)");
	lx_format_size(s->subbuf_size, size, sizeof(size));
	lx_format_size((uint64_t)s->subbuf_size * s->nr_subbufs, total,
		       sizeof(total));
	printf("Buffers:    %u x %s per CPU (%s)\n", s->nr_subbufs, size,
	       total);
	printf("CPUs:       %s\n", s->cpus);
	memset(&set, 0, sizeof(set));
	if (!lx_parse_events(s->events, &set, buf, sizeof(buf)))
		n = lx_event_count(&set);
	lx_event_classes(&set, buf, sizeof(buf));
	if (n == LTTNG_XEN_NR_EVENTS)
		printf("Events:     all %u\n", n);
	else
		printf("Events:     %u of %u (%s): %s\n", n,
		       LTTNG_XEN_NR_EVENTS, s->events, buf);
	if (s->mode == LTTNG_XEN_MODE_DISCARD) {
		lx_format_size(lx_dir_size(s->output), size, sizeof(size));
		printf("Output:     %s%s%s%s\n", s->output, s->runs ? " (" : "",
		       s->runs ? size : "", s->runs ? ")" : "");
	} else {
		printf("Snapshots:  %s\n", s->output);
	}
	print_lttd(s);
	printf("Transport:  %s\n", s->transport);
}

int lx_cmd_status(struct lx_opts *o)
{
	struct lx_producer p;
	struct lx_session s;
	int r;

	r = lx_session_load(&s);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		if (o->output_dir_only) {
			lx_error("no session");
			return EXIT_RUNTIME;
		}
		printf("No session; 'lttctl-xen create' or 'lttctl-xen start' "
		       "to begin.\n");
		return EXIT_OK;
	}
	if (o->output_dir_only) {
		printf("%s\n", s.output);
		return EXIT_OK;
	}
	if (lx_check_transport_match(o, &s))
		return EXIT_RUNTIME;
	print_session(&s);
	if (lx_producer_open(&p, s.transport))
		return EXIT_RUNTIME;
	printf("Producer:   %s, %u CPU%s with a buffer, clock %.3f GHz\n",
	       lx_state_name(p.info.state), p.info.nr_cpus,
	       p.info.nr_cpus == 1 ? "" : "s", p.info.tsc_hz / 1e9);
	if ((p.info.state == LTTNG_XEN_STATE_RUNNING) != s.running)
		lx_warn("the session is %s but the producer is %s",
			s.running ? "running" : "stopped",
			lx_state_name(p.info.state));
	if (p.info.state != LTTNG_XEN_STATE_UNCONFIGURED)
		lx_print_counters(&p, &s, false);
	lx_producer_close(&p);
	return EXIT_OK;
}
