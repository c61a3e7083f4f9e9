// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-record.c: the verbs that record, start, stop and snapshot.
 *
 * start in discard mode: lttd-xen first, then START, so nothing is
 * produced before a consumer is ready; any failure undoes what was done.
 * stop: STOP (the producer flushes every buffer), then lttd-xen drains
 * them and exits by itself; stop waits for that before summarizing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lttctl.h"

#define LTTD_STOP_TIMEOUT_S 60

static bool has_create_opts(const struct lx_opts *o)
{
	return o->name || o->output || o->mode || o->subbuf_size ||
	       o->nr_subbufs || o->cpus || o->events;
}

static void format_time(long long t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Undo a session start created implicitly: free buffers, forget it. */
static void undo_implicit_session(struct lx_producer *p, const char *name)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_DESTROY};

	if (p && p->t)
		lx_producer_op(p, &op, "freeing the buffers again");
	if (!lx_session_remove())
		fprintf(stderr, "%s: session '%s' removed again\n", lx_prog,
			name);
}

/* The directory of run number runs + 1: DIR, then DIR-2, DIR-3... */
static int choose_run_dir(struct lx_session *s)
{
	char dir[LX_PATH_MAX + 16];

	if (!s->runs)
		snprintf(dir, sizeof(dir), "%s", s->base_output);
	else
		snprintf(dir, sizeof(dir), "%s-%u", s->base_output,
			 s->runs + 1);
	if (strlen(dir) >= sizeof(s->output)) {
		lx_error("the trace directory name %s is too long", dir);
		return -1;
	}
	strcpy(s->output, dir);
	return lx_check_output(s->output, false);
}

/* Remove what a failed start left in a directory it created. */
static void remove_run_dir(const char *dir)
{
	char path[LX_PATH_MAX + 256];
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

/*
 * Make sure the producer holds this session's buffers, ready for a new
 * run.  In discard mode every run after the first is a new trace (a new
 * directory): CONFIGURE again gives it fresh buffers and a new trace
 * UUID, and lets lttd-xen see a session that has not run yet.  In
 * overwrite mode the flight recorder's content is kept across runs.
 */
static int prepare_producer(struct lx_producer *p, const struct lx_session *s)
{
	if (p->info.state == LTTNG_XEN_STATE_RUNNING) {
		lx_error("the producer is already tracing, for a session "
			 "lttctl-xen does not know about");
		lx_hint("another LTTNG_XEN_HOME may own it (this one is %s)",
			lx_home());
		return -1;
	}
	if (p->info.state == LTTNG_XEN_STATE_UNCONFIGURED) {
		lx_warn("the producer had no buffers (was it restarted?); "
			"allocating them again");
		return lx_producer_configure(p, s);
	}
	if (p->info.subbuf_size != s->subbuf_size ||
	    p->info.nr_subbufs != s->nr_subbufs || p->info.mode != s->mode) {
		lx_error("the producer's buffers (%u x %u bytes, %s mode) are "
			 "not session '%s''s (%u x %u bytes, %s mode)",
			 p->info.nr_subbufs, p->info.subbuf_size,
			 lx_mode_name(p->info.mode), s->name, s->nr_subbufs,
			 s->subbuf_size, lx_mode_name(s->mode));
		lx_hint("another LTTNG_XEN_HOME may have configured it; "
			"'lttctl-xen destroy' ends this session");
		return -1;
	}
	if (s->mode == LTTNG_XEN_MODE_DISCARD && s->runs)
		return lx_producer_configure(p, s);
	return 0;
}

static int start_consumer(struct lx_session *s, bool *made_dir)
{
	if (choose_run_dir(s))
		return -1;
	*made_dir = access(s->output, F_OK) != 0;
	if (lx_make_dirs(s->output)) {
		lx_error("cannot create the trace directory %s: %s", s->output,
			 strerror(errno));
		return -1;
	}
	if (lx_lttd_start(s)) {
		if (*made_dir)
			remove_run_dir(s->output);
		return -1;
	}
	return 0;
}

static int producer_start(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_START};

	if (lx_producer_op(p, &op, "starting it"))
		return -1;
	if (op.ret) {
		lx_error("the producer refused to start: %s",
			 lx_strerror(op.ret));
		return -1;
	}
	return 0;
}

static void print_started(const struct lx_session *s,
			  const struct lx_producer *p)
{
	struct lx_event_set set;
	char size[32], why[128];
	unsigned int n = 0;

	if (!lx_parse_events(s->events, &set, why, sizeof(why)))
		n = lx_event_count(&set);
	lx_format_size(s->subbuf_size, size, sizeof(size));
	printf("Tracing started: session '%s', %s mode, %u event%s, CPUs %s "
	       "(%u with a buffer), %u x %s per CPU.\n",
	       s->name, lx_mode_name(s->mode), n, n == 1 ? "" : "s", s->cpus,
	       p->info.nr_cpus, s->nr_subbufs, size);
	if (s->mode == LTTNG_XEN_MODE_DISCARD) {
		printf("Writing the trace to %s (lttd-xen pid %d).\n",
		       s->output, (int)s->lttd_pid);
		printf("Stop with: lttctl-xen stop\n");
	} else {
		printf("Flight recorder: the newest events stay in the "
		       "buffers.\n");
		printf("Write them out with: lttctl-xen snapshot\n");
	}
}

/* The session start uses: the existing one, or a new one from o. */
static int start_session(struct lx_opts *o, struct lx_session *s, bool *created)
{
	struct lx_session fresh;
	char since[64];
	int r;

	if (lx_session_from_opts(o, &fresh))
		return EXIT_USAGE;
	if (lx_lock())
		return EXIT_RUNTIME;
	r = lx_session_load(s);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		*s = fresh;
		if (lx_session_setup(s))
			return EXIT_RUNTIME;
		*created = true;
		printf("Created session '%s'.\n", s->name);
		return EXIT_OK;
	}
	if (s->running) {
		format_time(s->started, since, sizeof(since));
		lx_error("tracing is already running (session '%s', since "
			 "%s)",
			 s->name, since);
		lx_hint("'lttctl-xen stop' stops it");
		return EXIT_RUNTIME;
	}
	if (has_create_opts(o)) {
		lx_session_exists_error(s);
		lx_hint("create's options apply only when start creates the "
			"session");
		return EXIT_RUNTIME;
	}
	if (lx_check_transport_match(o, s))
		return EXIT_RUNTIME;
	if (lx_lttd_alive(s->lttd_pid)) {
		lx_error("lttd-xen (pid %d) is still writing the previous "
			 "run to %s",
			 (int)s->lttd_pid, s->output);
		lx_hint("'lttctl-xen stop' waits for it");
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int lx_cmd_start(struct lx_opts *o)
{
	struct lx_producer p = {0};
	struct lx_session s, before;
	bool created = false, made_dir = false;
	int ret;

	ret = start_session(o, &s, &created);
	if (ret)
		return ret;
	before = s;
	if (lx_producer_open(&p, s.transport))
		goto undo;
	if (prepare_producer(&p, &s))
		goto undo;
	if (s.mode == LTTNG_XEN_MODE_DISCARD && start_consumer(&s, &made_dir))
		goto undo;
	s.running = true;
	s.started = time(NULL);
	if (lx_session_save(&s))
		goto undo_consumer;
	if (producer_start(&p))
		goto undo_consumer;
	s.runs++;
	if (lx_session_save(&s))
		lx_warn("the session file does not count this run");
	print_started(&s, &p);
	lx_producer_close(&p);
	return EXIT_OK;
undo_consumer:
	lx_lttd_kill(&s);
	if (made_dir)
		remove_run_dir(s.output);
	if (!created)
		lx_session_save(&before);
undo:
	if (created)
		undo_implicit_session(&p, s.name);
	lx_producer_close(&p);
	return EXIT_RUNTIME;
}

/* Stop the producer; a producer already stopped is only a warning. */
static int producer_stop(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_STOP};

	if (lx_producer_op(p, &op, "stopping it"))
		return -1;
	if (!op.ret)
		return 0;
	if (!lx_producer_info(p) && p->info.state != LTTNG_XEN_STATE_RUNNING) {
		lx_warn("the producer was not running (it is %s; restarted?)",
			lx_state_name(p->info.state));
		return 0;
	}
	lx_error("the producer refused to stop: %s", lx_strerror(op.ret));
	return -1;
}

static void print_stopped(const struct lx_session *s, int lttd_ret)
{
	char size[32];

	if (s->mode == LTTNG_XEN_MODE_OVERWRITE) {
		printf("The flight recorder holds the newest events: write "
		       "them out with 'lttctl-xen snapshot'.\n");
		return;
	}
	lx_format_size(lx_dir_size(s->output), size, sizeof(size));
	printf("Trace: %s (%s)\n", s->output, size);
	if (lttd_ret > 0)
		printf("It holds what lttd-xen wrote before it failed, up to "
		       "the last complete packet.\n");
	else if (lttd_ret < 0)
		printf("lttd-xen is still writing it.\n");
	printf("Read it with: babeltrace2 %s\n", s->output);
}

/*
 * STOP, wait for lttd-xen, summarize.  s->running is false afterwards if
 * the producer stopped; returns -1 if anything went wrong (reported).
 */
int lx_do_stop(struct lx_session *s, struct lx_producer *p)
{
	char how[128];
	int lttd_ret = 0;
	long long secs;

	if (producer_stop(p))
		return -1;
	secs = time(NULL) - s->started;
	s->running = false;
	if (lx_session_save(s))
		return -1;
	if (s->mode == LTTNG_XEN_MODE_DISCARD && s->lttd_pid)
		lttd_ret =
			lx_lttd_wait(s, LTTD_STOP_TIMEOUT_S, how, sizeof(how));
	lx_session_save(s);
	if (lx_producer_info(p))
		return -1;
	printf("Tracing stopped: session '%s', recorded for %lld s.\n", s->name,
	       secs);
	lx_print_counters(p, s, true);
	print_stopped(s, lttd_ret);
	return lttd_ret ? -1 : 0;
}

/* A stop that timed out left lttd-xen writing: wait for it again. */
static int wait_previous(struct lx_session *s)
{
	char how[128], size[32];
	int ret;

	printf("Tracing is stopped; waiting for lttd-xen (pid %d) to finish "
	       "writing %s.\n",
	       (int)s->lttd_pid, s->output);
	ret = lx_lttd_wait(s, LTTD_STOP_TIMEOUT_S, how, sizeof(how));
	lx_session_save(s);
	if (ret < 0)
		return EXIT_RUNTIME;
	lx_format_size(lx_dir_size(s->output), size, sizeof(size));
	printf("Trace: %s (%s)\n", s->output, size);
	printf("Read it with: babeltrace2 %s\n", s->output);
	return ret ? EXIT_RUNTIME : EXIT_OK;
}

int lx_cmd_stop(struct lx_opts *o)
{
	struct lx_producer p;
	struct lx_session s;
	int r;

	if (lx_lock())
		return EXIT_RUNTIME;
	r = lx_session_load(&s);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		lx_error("no session, so nothing to stop");
		lx_hint("'lttctl-xen start' starts tracing");
		return EXIT_RUNTIME;
	}
	if (lx_check_transport_match(o, &s))
		return EXIT_RUNTIME;
	if (!s.running && lx_lttd_alive(s.lttd_pid))
		return wait_previous(&s);
	if (!s.running) {
		lx_error("tracing is not running (session '%s' is stopped)",
			 s.name);
		lx_hint("'lttctl-xen start' records again; 'lttctl-xen "
			"destroy' ends the session");
		return EXIT_RUNTIME;
	}
	if (lx_producer_open(&p, s.transport)) {
		lx_hint("if the producer is gone for good, 'lttctl-xen destroy "
			"--force' forgets the session");
		return EXIT_RUNTIME;
	}
	r = lx_do_stop(&s, &p);
	lx_producer_close(&p);
	return r ? EXIT_RUNTIME : EXIT_OK;
}

int lx_cmd_snapshot(struct lx_opts *o)
{
	struct lx_producer p;
	struct lx_session s;
	char stamp[32], dir[LX_PATH_MAX + 128], size[32];
	int r;

	if (lx_lock())
		return EXIT_RUNTIME;
	r = lx_session_load(&s);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		lx_error("no session; snapshot needs a flight-recorder "
			 "session");
		lx_hint("lttctl-xen create --mode overwrite; lttctl-xen start");
		return EXIT_RUNTIME;
	}
	if (s.mode != LTTNG_XEN_MODE_OVERWRITE) {
		lx_error("session '%s' is in discard mode: its trace goes to "
			 "%s as it is recorded; snapshot is for overwrite "
			 "(flight-recorder) sessions",
			 s.name, s.output);
		return EXIT_RUNTIME;
	}
	if (lx_check_transport_match(o, &s))
		return EXIT_RUNTIME;
	lx_timestamp(stamp, sizeof(stamp));
	if (o->output) {
		if (!*o->output ||
		    lx_absolute_path(o->output, dir, sizeof(dir))) {
			lx_usage_error("--output '%s': not a usable directory "
				       "name",
				       o->output);
			return EXIT_USAGE;
		}
	} else
		snprintf(dir, sizeof(dir), "%s/%s-snapshot-%s", s.output,
			 s.name, stamp);
	if (lx_check_output(dir, o->output != NULL))
		return o->output ? EXIT_USAGE : EXIT_RUNTIME;
	if (lx_producer_open(&p, s.transport))
		return EXIT_RUNTIME;
	if (p.info.state == LTTNG_XEN_STATE_UNCONFIGURED) {
		lx_error("the producer holds no buffers (was it restarted?); "
			 "there is nothing to snapshot");
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	lx_producer_close(&p);
	if (lx_make_dirs(dir)) {
		lx_error("cannot create %s: %s", dir, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (lx_lttd_snapshot(&s, dir))
		return EXIT_RUNTIME;
	lx_format_size(lx_dir_size(dir), size, sizeof(size));
	printf("Snapshot of session '%s' written to %s (%s).\n", s.name, dir,
	       size);
	printf("Read it with: babeltrace2 %s\n", dir);
	return EXIT_OK;
}
