// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-start.c: `start`: a session if none (as create), lttd-xen first in
 * discard mode, then START, so nothing is produced before a consumer is
 * ready; any failure undoes what was done.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lttctl.h"

static bool has_create_opts(const struct lttctl_opts *o)
{
	return o->name || o->output || o->mode || o->subbuf_size ||
	       o->nr_subbufs || o->cpus || o->events || o->domains ||
	       o->guests || o->relay || o->guest_events;
}

/* Undo a session start created implicitly: free buffers, forget it. */
static void undo_implicit_session(struct lx_producer *p, const char *name)
{
	lttctl_producer_undo(p);
	if (!lttctl_session_remove())
		fprintf(stderr, "%s: session '%s' removed again\n", lttctl_prog,
			name);
}

/*
 * The directory of run number runs + 1: DIR, then DIR-2, DIR-3...  With
 * guests, the hypervisor's trace is DIR/hypervisor, beside theirs.
 */
static int choose_run_dir(struct lttctl_session *s)
{
	char dir[LTTCTL_PATH_MAX + 16];
	int r;

	if (!s->runs)
		snprintf(dir, sizeof(dir), "%s", s->base_output);
	else
		snprintf(dir, sizeof(dir), "%s-%u", s->base_output,
			 s->runs + 1);
	if (strlen(dir) >= sizeof(s->output)) {
		lttctl_error("the trace directory name %s is too long", dir);
		return -1;
	}
	strcpy(s->trace_dir, dir);
	r = lttctl_check_output(s->trace_dir, false);
	if (r || !s->guests[0]) {
		strcpy(s->output, dir);
		return r;
	}
	if (strlen(dir) + 12 > sizeof(s->output)) {
		lttctl_error("the trace directory name %s is too long", dir);
		return -1;
	}
	snprintf(s->output, sizeof(s->output), "%.4000s/hypervisor", dir);
	return lttctl_check_output(s->output, false);
}

/* Remove what a failed start left in a directory it created. */
static void remove_run_dir(const char *dir)
{
	char path[LTTCTL_PATH_MAX + 256];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (strcmp(d->d_name, "metadata") &&
		    strcmp(d->d_name, ".lttd-xen.log") &&
		    strcmp(d->d_name, "lttd-xen.log") &&
		    strncmp(d->d_name, "channel0_", 9))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

/* ... and the run's directory, if the hypervisor's was inside it. */
static void remove_run_dirs(const struct lttctl_session *s)
{
	remove_run_dir(s->output);
	if (strcmp(s->output, s->trace_dir))
		rmdir(s->trace_dir);
}

/*
 * Make sure the producer holds this session's buffers, ready for a new
 * run.  In discard mode every run after the first is a new trace (a new
 * directory): CONFIGURE again gives it fresh buffers and a new trace
 * UUID, and lets lttd-xen see a session that has not run yet.  In
 * overwrite mode the flight recorder's content is kept across runs.
 */
static int prepare_producer(struct lx_producer *p,
			    const struct lttctl_session *s)
{
	if (p->info.state == LTTNG_XEN_STATE_RUNNING) {
		lttctl_error("the producer is already tracing, for a session "
			     "lttctl-xen does not know about");
		lttctl_hint(
			"another LTTNG_XEN_HOME may own it (this one is %s)",
			lttctl_home());
		return -1;
	}
	if (p->info.state == LTTNG_XEN_STATE_UNCONFIGURED) {
		lttctl_warn("the producer had no buffers (was it restarted?); "
			    "allocating them again");
		return lttctl_producer_configure(p, s);
	}
	if (p->info.subbuf_size != s->subbuf_size ||
	    p->info.nr_subbufs != s->nr_subbufs || p->info.mode != s->mode) {
		lttctl_error(
			"the producer's buffers (%u x %u bytes, %s mode) are "
			"not session '%s''s (%u x %u bytes, %s mode)",
			p->info.nr_subbufs, p->info.subbuf_size,
			lx_mode_name(p->info.mode), s->name, s->nr_subbufs,
			s->subbuf_size, lx_mode_name(s->mode));
		lttctl_hint("another LTTNG_XEN_HOME may have configured it; "
			    "'lttctl-xen destroy' ends this session");
		return -1;
	}
	if (s->mode == LTTNG_XEN_MODE_DISCARD && s->runs)
		return lttctl_producer_configure(p, s);
	return 0;
}

static int start_consumer(struct lttctl_session *s, bool *made_dir)
{
	char origin[64];

	if (choose_run_dir(s))
		return -1;
	*made_dir = access(s->trace_dir, F_OK) != 0;
	if (lttctl_make_dirs(s->output)) {
		lttctl_error("cannot create the trace directory %s: %s",
			     s->output, strerror(errno));
		return -1;
	}
	if (lttctl_lttd_start(s, lttctl_guests_origin(s, origin,
						      sizeof(origin)) ?
					 origin :
					 NULL)) {
		if (*made_dir)
			remove_run_dirs(s);
		return -1;
	}
	return 0;
}

static void print_started(const struct lttctl_session *s,
			  const struct lx_producer *p)
{
	struct lttctl_event_set set;
	char size[32], why[128];
	unsigned int n = 0;

	if (!lttctl_parse_events(s->events, &set, why, sizeof(why)))
		n = lttctl_event_count(&set);
	lttctl_format_size(s->subbuf_size, size, sizeof(size));
	printf("Tracing started: session '%s', %s mode, %u event%s, CPUs %s "
	       "(%u with a buffer), %u x %s per CPU.\n",
	       s->name, lx_mode_name(s->mode), n, n == 1 ? "" : "s", s->cpus,
	       p->info.nr_cpus, s->nr_subbufs, size);
	if (s->mode == LTTNG_XEN_MODE_DISCARD) {
		printf("Writing the %strace to %s (lttd-xen pid %d).\n",
		       s->guests[0] ? "hypervisor's " : "", s->output,
		       (int)s->lttd_pid);
		printf("Stop with: lttctl-xen stop\n");
	} else {
		printf("Flight recorder: the newest events stay in the "
		       "buffers.\n");
		printf("Write them out with: lttctl-xen snapshot\n");
	}
}

/* The session start uses: the existing one, or a new one from o. */
static int start_session(struct lttctl_opts *o, struct lttctl_session *s,
			 bool *created)
{
	struct lttctl_session fresh;
	char since[64];
	int r;

	if (lttctl_session_from_opts(o, &fresh))
		return EXIT_USAGE;
	/* --transport is compared below, after the likelier mistakes. */
	r = lttctl_session_open(
		o, s, LTTCTL_LOCK | LTTCTL_NONE_OK | LTTCTL_ANY_TRANSPORT, NULL,
		NULL);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		*s = fresh;
		if (lttctl_session_setup(s))
			return EXIT_RUNTIME;
		*created = true;
		printf("Created session '%s'.\n", s->name);
		return EXIT_OK;
	}
	if (s->running) {
		lttctl_format_time(s->started, since, sizeof(since));
		lttctl_error("tracing is already running (session '%s', since "
			     "%s)",
			     s->name, since);
		lttctl_hint("'lttctl-xen stop' stops it");
		return EXIT_RUNTIME;
	}
	if (has_create_opts(o)) {
		lttctl_session_exists_error(s);
		lttctl_hint(
			"create's options apply only when start creates the "
			"session");
		return EXIT_RUNTIME;
	}
	if (lttctl_check_transport_match(o, s))
		return EXIT_RUNTIME;
	if (lttctl_lttd_alive(s->lttd_pid)) {
		lttctl_error("lttd-xen (pid %d) is still writing the previous "
			     "run to %s",
			     (int)s->lttd_pid, s->output);
		lttctl_hint("'lttctl-xen stop' waits for it");
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int lttctl_cmd_start(struct lttctl_opts *o)
{
	struct lx_producer p = {0};
	struct lttctl_session s, before;
	bool created = false, made_dir = false;
	int ret;

	ret = start_session(o, &s, &created);
	if (ret)
		return ret;
	before = s;
	if (lttctl_producer_open(&p, s.transport))
		goto undo;
	if (prepare_producer(&p, &s))
		goto undo;
	if (s.mode == LTTNG_XEN_MODE_DISCARD && start_consumer(&s, &made_dir))
		goto undo;
	s.running = true;
	s.started = time(NULL);
	if (lttctl_session_save(&s))
		goto undo_consumer;
	if (lttctl_producer_start(&p))
		goto undo_consumer;
	lttctl_guests_start(&s, &p);
	s.runs++;
	if (lttctl_session_save(&s))
		lttctl_warn("the session file does not count this run");
	print_started(&s, &p);
	lttctl_guests_print(&s);
	lx_producer_close(&p);
	return EXIT_OK;
undo_consumer:
	lttctl_lttd_kill(&s);
	if (made_dir)
		remove_run_dirs(&s);
	if (!created)
		lttctl_session_save(&before);
undo:
	if (created)
		undo_implicit_session(&p, s.name);
	lx_producer_close(&p);
	return EXIT_RUNTIME;
}
