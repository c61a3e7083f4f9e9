// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-create.c: the verbs that make and end a session, create and
 * destroy, and the session set-up `start` shares when no session exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "event-ids.h"
#include "lttctl.h"

/* --transport, else $LTTNG_XEN_TRANSPORT, else "xen". */
const char *lx_transport_of(const struct lx_opts *o)
{
	const char *env = getenv("LTTNG_XEN_TRANSPORT");

	if (o->transport)
		return o->transport;
	return env && *env ? env : "xen";
}

/* A later verb's --transport must name the session's producer. */
int lx_check_transport_match(const struct lx_opts *o,
			     const struct lx_session *s)
{
	if (!o->transport || !strcmp(o->transport, s->transport))
		return 0;
	lx_error("session '%s' uses transport '%s', not '%s'", s->name,
		 s->transport, o->transport);
	lx_hint("omit --transport, or destroy the session and create one "
		"with the new transport");
	return -1;
}

/* path made absolute against the current directory. */
int lx_absolute_path(const char *path, char *buf, size_t len)
{
	char cwd[LX_PATH_MAX];
	int n;

	if (path[0] == '/') {
		n = snprintf(buf, len, "%s", path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -1;
		n = snprintf(buf, len, "%s/%s", cwd, path);
	}
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return n < (int)len - 16 ? 0 : -1;
}

/* "20240131-093000", local time. */
void lx_timestamp(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y%m%d-%H%M%S", &tm);
}

/* A trace directory lttd-xen may write: absent, or a directory without a
 * trace in it. */
int lx_check_output(const char *dir, bool usage)
{
	char path[LX_PATH_MAX + 16];
	struct stat st;

	if (strchr(dir, '\n')) {
		lx_error("the output directory name contains a newline");
		return -1;
	}
	if (stat(dir, &st)) {
		if (errno == ENOENT)
			return 0;
		lx_error("cannot use %s as the output directory: %s", dir,
			 strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (usage)
			lx_usage_error("--output %s: not a directory", dir);
		else
			lx_error("%s is not a directory", dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/metadata", dir);
	if (!access(path, F_OK)) {
		if (usage)
			lx_usage_error("--output %s: it already holds a trace "
				       "(%s); choose another directory",
				       dir, path);
		else
			lx_error("%s already holds a trace (%s)", dir, path);
		return -1;
	}
	return 0;
}

/*
 * The default trace directory: $LTTNG_XEN_HOME/traces/NAME-YYYYmmdd-HHMMSS,
 * with .2, .3... appended if a session of the same name was made in the
 * same second.  Overwrite mode: the folder snapshots go to.
 */
static int default_output(struct lx_session *s)
{
	char home[LX_PATH_MAX], stamp[32], dir[LX_PATH_MAX + 128];
	unsigned int n;
	int len;

	if (lx_absolute_path(lx_home(), home, sizeof(home))) {
		lx_error("cannot resolve LTTNG_XEN_HOME (%s)", lx_home());
		return -1;
	}
	lx_timestamp(stamp, sizeof(stamp));
	if (s->mode == LTTNG_XEN_MODE_OVERWRITE)
		snprintf(dir, sizeof(dir), "%s/traces", home);
	else
		snprintf(dir, sizeof(dir), "%s/traces/%s-%s", home, s->name,
			 stamp);
	len = strlen(dir);
	for (n = 2; s->mode == LTTNG_XEN_MODE_DISCARD && !access(dir, F_OK) &&
		    n < 1000;
	     n++)
		snprintf(dir + len, sizeof(dir) - len, ".%u", n);
	if (strlen(dir) >= sizeof(s->base_output) - 16) {
		lx_error("LTTNG_XEN_HOME (%s) is too long", home);
		return -1;
	}
	strcpy(s->base_output, dir);
	return 0;
}

static int output_from_opts(struct lx_opts *o, struct lx_session *s)
{
	if (!o->output) {
		if (default_output(s))
			return -1;
		strcpy(s->output, s->base_output);
		return 0;
	}
	if (!*o->output) {
		lx_usage_error("--output: empty directory name");
		return -1;
	}
	if (lx_absolute_path(o->output, s->base_output,
			     sizeof(s->base_output))) {
		lx_usage_error("--output %s: path too long", o->output);
		return -1;
	}
	strcpy(s->output, s->base_output);
	if (s->mode == LTTNG_XEN_MODE_DISCARD &&
	    lx_check_output(s->output, true))
		return -1;
	return 0;
}

static int copy_spec(char *dst, size_t size, const char *val, const char *opt)
{
	if (strlen(val) >= size) {
		lx_usage_error("%s: the value is too long", opt);
		return -1;
	}
	strcpy(dst, val);
	return 0;
}

/*
 * Check every option of create and fill in the session.  Reports usage
 * errors (the caller exits 2); talks to nobody.
 */
int lx_session_from_opts(struct lx_opts *o, struct lx_session *s)
{
	uint64_t mask[LTTNG_XEN_MAX_CPUS / 64];
	struct lx_event_set set;
	const char *why, *transport;
	char buf[512];
	const char *name = o->name ? o->name : "auto";

	memset(s, 0, sizeof(*s));
	if (lx_check_name(name, &why)) {
		lx_usage_error("bad session name '%s': %s", name, why);
		return -1;
	}
	strcpy(s->name, name);
	s->mode = LTTNG_XEN_MODE_DISCARD;
	if (o->mode && lx_parse_mode(o->mode, &s->mode)) {
		lx_usage_error("--mode %s: use discard or overwrite", o->mode);
		return -1;
	}
	s->subbuf_size = LTTNG_XEN_DEFAULT_SUBBUF_SIZE;
	if (o->subbuf_size &&
	    lx_parse_size(o->subbuf_size, &s->subbuf_size, &why)) {
		lx_usage_error("--subbuf-size %s: %s", o->subbuf_size, why);
		return -1;
	}
	s->nr_subbufs = LTTNG_XEN_DEFAULT_NR_SUBBUFS;
	if (o->nr_subbufs &&
	    lx_parse_count(o->nr_subbufs, &s->nr_subbufs, &why)) {
		lx_usage_error("--num-subbufs %s: %s", o->nr_subbufs, why);
		return -1;
	}
	if ((uint64_t)s->subbuf_size * s->nr_subbufs > LTTNG_XEN_MAX_BUF_SIZE) {
		lx_usage_error("--subbuf-size x --num-subbufs is %llu MiB per "
			       "CPU; the maximum is %u MiB",
			       (unsigned long long)s->subbuf_size *
					       s->nr_subbufs >>
				       20,
			       LTTNG_XEN_MAX_BUF_SIZE >> 20);
		return -1;
	}
	if (lx_parse_cpus(o->cpus ? o->cpus : "all", mask, buf, sizeof(buf))) {
		lx_usage_error("--cpus: %s", buf);
		return -1;
	}
	lx_format_cpus(mask, s->cpus, sizeof(s->cpus));
	if (lx_parse_events(o->events ? o->events : "all", &set, buf,
			    sizeof(buf))) {
		lx_usage_error("--events: %s\n'lttctl-xen list' shows every "
			       "event",
			       buf);
		return -1;
	}
	if (copy_spec(s->events, sizeof(s->events),
		      o->events ? o->events : "all", "--events"))
		return -1;
	transport = lx_transport_of(o);
	if (lx_check_transport(transport, &why)) {
		lx_usage_error("LTTNG_XEN_TRANSPORT=%s: %s", transport, why);
		return -1;
	}
	if (copy_spec(s->transport, sizeof(s->transport), transport,
		      "--transport"))
		return -1;
	return output_from_opts(o, s);
}

static void undo_configure(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_DESTROY};

	lx_producer_op(p, &op, "freeing the buffers again");
}

/* CPUs the session asked for that are not online now: worth a word. */
static void warn_offline_cpus(const struct lx_producer *p,
			      const struct lx_session *s)
{
	uint64_t mask[LTTNG_XEN_MAX_CPUS / 64], off[LTTNG_XEN_MAX_CPUS / 64];
	char why[128], list[256];
	bool any = false;
	int i;

	if (!strcmp(s->cpus, "all") ||
	    lx_parse_cpus(s->cpus, mask, why, sizeof(why)))
		return;
	for (i = 0; i < LTTNG_XEN_MAX_CPUS / 64; i++) {
		off[i] = mask[i] & ~p->info.cpu_online[i];
		any |= off[i] != 0;
	}
	if (!any)
		return;
	lx_format_cpus(off, list, sizeof(list));
	lx_warn("CPU %s %s not online; traced if %s online", list,
		strpbrk(list, ",-") ? "are" : "is",
		strpbrk(list, ",-") ? "they come" : "it comes");
}

/*
 * Allocate the producer's buffers for s and save the session.  On any
 * failure, the producer is left as it was.
 */
int lx_session_setup(struct lx_session *s)
{
	struct lx_producer p;
	uint32_t was;

	if (lx_producer_open(&p, s->transport))
		return -1;
	was = p.info.state;
	if (was == LTTNG_XEN_STATE_RUNNING) {
		lx_error("the producer is already tracing, for a session "
			 "lttctl-xen does not know about");
		lx_hint("another LTTNG_XEN_HOME may own it (this one is %s); "
			"'lttctl-xen destroy --force' stops it and frees its "
			"buffers",
			lx_home());
		goto fail;
	}
	if (lx_producer_configure(&p, s))
		goto undo;
	warn_offline_cpus(&p, s);
	s->created = time(NULL);
	if (lx_session_save(s))
		goto undo;
	lx_producer_close(&p);
	return 0;
undo:
	if (was == LTTNG_XEN_STATE_UNCONFIGURED)
		undo_configure(&p);
fail:
	lx_producer_close(&p);
	return -1;
}

static void print_created(const struct lx_session *s)
{
	struct lx_event_set set;
	char size[32], classes[512], why[128];
	unsigned int n = 0;

	lx_format_size(s->subbuf_size, size, sizeof(size));
	if (!lx_parse_events(s->events, &set, why, sizeof(why)))
		n = lx_event_count(&set);
	lx_event_classes(&set, classes, sizeof(classes));
	printf("Session '%s' created: %s mode, %u x %s per CPU, CPUs %s.\n",
	       s->name, lx_mode_name(s->mode), s->nr_subbufs, size, s->cpus);
	if (n == LTTNG_XEN_NR_EVENTS)
		printf("Events: all %u.\n", n);
	else
		printf("Events: %u of %u: %s.\n", n, LTTNG_XEN_NR_EVENTS,
		       classes);
	if (s->mode == LTTNG_XEN_MODE_DISCARD)
		printf("Trace directory: %s\n", s->output);
	else
		printf("Snapshots go to: %s\n", s->output);
}

/* Report the session that exists; -1 always. */
int lx_session_exists_error(const struct lx_session *s)
{
	lx_error("a session '%s' already exists (%s); destroy it first",
		 s->name, s->running ? "running" : "stopped");
	lx_hint("'lttctl-xen status' shows it; 'lttctl-xen destroy' ends "
		"it");
	return -1;
}

int lx_cmd_create(struct lx_opts *o)
{
	struct lx_session s, old;
	int r;

	if (lx_session_from_opts(o, &s))
		return EXIT_USAGE;
	if (lx_lock())
		return EXIT_RUNTIME;
	r = lx_session_load(&old);
	if (r < 0)
		return EXIT_RUNTIME;
	if (r > 0) {
		lx_session_exists_error(&old);
		return EXIT_RUNTIME;
	}
	if (lx_session_setup(&s))
		return EXIT_RUNTIME;
	print_created(&s);
	printf("Start recording with: lttctl-xen start\n");
	return EXIT_OK;
}

static void remove_home_files(void)
{
	char path[LX_PATH_MAX];

	snprintf(path, sizeof(path), "%s/lttd-xen.pid", lx_home());
	unlink(path);
	snprintf(path, sizeof(path), "%s/lttd-xen.status", lx_home());
	unlink(path);
}

/* DESTROY; 0 also when the producer has nothing (it was restarted). */
static int producer_destroy(struct lx_producer *p)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_DESTROY};

	if (lx_producer_op(p, &op, "freeing the buffers"))
		return -1;
	if (op.ret && !lx_producer_info(p) &&
	    p->info.state == LTTNG_XEN_STATE_UNCONFIGURED)
		return 0;
	if (op.ret) {
		lx_error("the producer refused to free its buffers: %s",
			 lx_strerror(op.ret));
		return -1;
	}
	return 0;
}

/* destroy --force without a session: stop and free what the producer has. */
static int destroy_orphan(struct lx_opts *o)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_STOP};
	struct lx_producer p;
	const char *spec = lx_transport_of(o);
	int ret = EXIT_RUNTIME;

	if (lx_producer_open(&p, spec))
		return EXIT_RUNTIME;
	if (p.info.state == LTTNG_XEN_STATE_RUNNING) {
		if (lx_producer_op(&p, &op, "stopping it"))
			goto out;
		if (op.ret) {
			lx_error("the producer refused to stop: %s",
				 lx_strerror(op.ret));
			goto out;
		}
		printf("Stopped the producer (transport '%s').\n", spec);
	}
	if (p.info.state != LTTNG_XEN_STATE_UNCONFIGURED) {
		if (producer_destroy(&p))
			goto out;
		printf("Freed the producer's buffers.\n");
	} else {
		printf("The producer holds no buffers; nothing to do.\n");
	}
	remove_home_files();
	ret = EXIT_OK;
out:
	lx_producer_close(&p);
	return ret;
}

/* The session cannot be reached: forget it (--force) or explain. */
static int destroy_unreachable(struct lx_opts *o, struct lx_session *s)
{
	if (!o->force) {
		lx_hint("if the producer is gone for good, 'lttctl-xen destroy "
			"--force' forgets the session");
		return EXIT_RUNTIME;
	}
	lx_lttd_kill(s);
	if (lx_session_remove())
		return EXIT_RUNTIME;
	remove_home_files();
	printf("Session '%s' forgotten; its producer was not told.\n", s->name);
	return EXIT_OK;
}

/* lttd-xen still writing after an earlier stop: wait, or kill (--force). */
static int finish_lttd(struct lx_opts *o, struct lx_session *s)
{
	char how[128];

	if (!lx_lttd_alive(s->lttd_pid))
		return 0;
	if (lx_lttd_wait(s, o->force ? 5 : 60, how, sizeof(how)) >= 0)
		return 0;
	if (!o->force)
		return -1;
	lx_warn("killing lttd-xen (pid %d): %s may miss its last packets",
		(int)s->lttd_pid, s->output);
	lx_lttd_kill(s);
	return 0;
}

int lx_cmd_destroy(struct lx_opts *o)
{
	struct lx_producer p;
	struct lx_session s;
	int r, ret = EXIT_OK;

	if (lx_lock())
		return EXIT_RUNTIME;
	r = lx_session_load(&s);
	if (r < 0 && o->force && !lx_session_remove())
		r = 0;
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		if (o->force)
			return destroy_orphan(o);
		lx_error("no session to destroy");
		lx_hint("'lttctl-xen destroy --force' frees buffers the "
			"producer holds without a session");
		return EXIT_RUNTIME;
	}
	if (lx_check_transport_match(o, &s))
		return EXIT_RUNTIME;
	if (lx_producer_open(&p, s.transport))
		return destroy_unreachable(o, &s);
	if (s.running && lx_do_stop(&s, &p))
		ret = EXIT_RUNTIME;
	if (s.running) {
		/* The producer refused to stop: nothing was changed. */
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	if (finish_lttd(o, &s)) {
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	if (producer_destroy(&p)) {
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	lx_producer_close(&p);
	if (lx_session_remove())
		return EXIT_RUNTIME;
	remove_home_files();
	printf("Session '%s' destroyed.\n", s.name);
	if (s.runs && s.mode == LTTNG_XEN_MODE_DISCARD)
		printf("Its trace%s stay%s in %s%s.\n", s.runs > 1 ? "s" : "",
		       s.runs > 1 ? "" : "s", s.base_output,
		       s.runs > 1 ? " and the numbered directories next to it"
				  : "");
	return ret;
}
