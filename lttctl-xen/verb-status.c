// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-status.c: `status`: the session, lttd-xen, the producer and its
 * counters.  Reads the session file without taking the lock, so it
 * answers while another command (a long stop) runs.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event-ids.h"
#include "lttctl.h"

static void print_lttd(const struct lttctl_session *s)
{
	char how[128], log[LTTCTL_PATH_MAX + 32];

	if (s->mode == LTTNG_XEN_MODE_OVERWRITE) {
		printf("lttd-xen:   not used (overwrite mode: lttctl-xen "
		       "snapshot runs it)\n");
		return;
	}
	if (!s->lttd_pid) {
		printf("lttd-xen:   not running\n");
		return;
	}
	if (lttctl_lttd_alive(s->lttd_pid)) {
		printf("lttd-xen:   pid %d, alive%s\n", (int)s->lttd_pid,
		       s->running ? "" : ", writing the rest of the trace");
		return;
	}
	lttctl_lttd_status(how, sizeof(how));
	lttctl_lttd_log_path(s->output, log, sizeof(log));
	printf("lttd-xen:   pid %d, NOT RUNNING (%s); its log: %s\n",
	       (int)s->lttd_pid, how[0] ? how : "ended", log);
}

static void print_session(const struct lttctl_session *s)
{
	struct lttctl_event_set set;
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
	lttctl_format_size(s->subbuf_size, size, sizeof(size));
	lttctl_format_size((uint64_t)s->subbuf_size * s->nr_subbufs, total,
			   sizeof(total));
	printf("Buffers:    %u x %s per CPU (%s)\n", s->nr_subbufs, size,
	       total);
	printf("CPUs:       %s\n", s->cpus);
	if (strcmp(s->domains, "all"))
		printf("Domains:    %s (the events they run, and the "
		       "scheduler's and lifecycle events naming them)\n",
		       s->domains);
	else
		printf("Domains:    all\n");
	memset(&set, 0, sizeof(set));
	if (!lttctl_parse_events(s->events, &set, buf, sizeof(buf)))
		n = lttctl_event_count(&set);
	lttctl_event_classes(&set, buf, sizeof(buf));
	if (n == LTTNG_XEN_NR_EVENTS)
		printf("Events:     all %u\n", n);
	else
		printf("Events:     %u of %u (%s): %s\n", n,
		       LTTNG_XEN_NR_EVENTS, s->events, buf);
	if (s->mode == LTTNG_XEN_MODE_DISCARD) {
		lttctl_format_size(lttctl_dir_size(s->trace_dir), size,
				   sizeof(size));
		printf("Output:     %s%s%s%s\n", s->trace_dir,
		       s->runs ? " (" : "", s->runs ? size : "",
		       s->runs ? ")" : "");
	} else {
		printf("Snapshots:  %s\n", s->output);
	}
	if (s->guests[0])
		printf("Guests:     %s (LTTng kernel events %s%s%s)\n",
		       s->guests, s->guest_events,
		       s->relay[0] ? ", domUs stream to " : "", s->relay);
	if (s->traced[0])
		printf("Traced:     %s\n", s->traced);
	if (s->untraced[0])
		printf("Not traced: %s\n", s->untraced);
	print_lttd(s);
	printf("Transport:  %s\n", s->transport);
}

int lttctl_cmd_status(struct lttctl_opts *o)
{
	struct lx_producer p;
	struct lttctl_session s;
	int r;

	/* No lock: status answers while another command runs; --output-dir
	 * prints the directory whatever --transport says. */
	r = lttctl_session_open(
		o, &s,
		LTTCTL_NONE_OK |
			(o->output_dir_only ? LTTCTL_ANY_TRANSPORT : 0),
		NULL, NULL);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		if (o->output_dir_only) {
			lttctl_error("no session");
			return EXIT_RUNTIME;
		}
		printf("No session; 'lttctl-xen create' or 'lttctl-xen start' "
		       "to begin.\n");
		return EXIT_OK;
	}
	if (o->output_dir_only) {
		printf("%s\n", s.trace_dir);
		return EXIT_OK;
	}
	print_session(&s);
	if (lttctl_producer_open(&p, s.transport))
		return EXIT_RUNTIME;
	printf("Producer:   %s, %u CPU%s with a buffer, clock %.3f GHz\n",
	       lx_state_name(p.info.state), p.info.nr_cpus,
	       p.info.nr_cpus == 1 ? "" : "s", p.info.tsc_hz / 1e9);
	if ((p.info.state == LTTNG_XEN_STATE_RUNNING) != s.running)
		lttctl_warn("the session is %s but the producer is %s",
			    s.running ? "running" : "stopped",
			    lx_state_name(p.info.state));
	if (p.info.state != LTTNG_XEN_STATE_UNCONFIGURED)
		lttctl_print_counters(&p, &s, false);
	lx_producer_close(&p);
	return EXIT_OK;
}
