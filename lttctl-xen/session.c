// SPDX-License-Identifier: GPL-2.0-only
/*
 * session.c: the session file, $LTTNG_XEN_HOME/session (default
 * /var/lib/lttng-xen/session).  One session at a time, as there is one
 * tracer per hypervisor.  Plain "key=value" lines, so a sysadmin can read
 * it; written to a temporary file and renamed, so it is never half
 * written.  $LTTNG_XEN_HOME/lock serialises lttctl-xen commands that
 * change state.  Also how a verb gets its session, or is told why there
 * is none (lttctl_session_open), and which producer a session names.
 * Calls msg.c, args.c and files.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lttctl.h"

#define LTTCTL_DEFAULT_HOME "/var/lib/lttng-xen"

static char session_path[LTTCTL_PATH_MAX];

/* $LTTNG_XEN_HOME, made absolute: lttd-xen and the watcher get paths in it. */
const char *lttctl_home(void)
{
	static char home[LTTCTL_PATH_MAX];
	const char *h = getenv("LTTNG_XEN_HOME");
	size_t n;

	if (!h || !*h)
		return LTTCTL_DEFAULT_HOME;
	if (h[0] == '/')
		return h;
	if (home[0])
		return home;
	/* Relative: prefix the current directory, if it all fits. */
	if (!getcwd(home, sizeof(home)))
		return h;
	n = strlen(home);
	if (n + 1 + strlen(h) >= sizeof(home) - 64) {
		home[0] = '\0';
		return h;
	}
	home[n] = '/';
	strcpy(home + n + 1, h);
	return home;
}

const char *lttctl_session_path(void)
{
	snprintf(session_path, sizeof(session_path), "%s/session",
		 lttctl_home());
	return session_path;
}

int lttctl_home_prepare(void)
{
	if (lttctl_make_dirs(lttctl_home())) {
		lttctl_error("cannot create the state directory %s: %s",
			     lttctl_home(), strerror(errno));
		lttctl_hint("set LTTNG_XEN_HOME to a directory you can write");
		return -1;
	}
	return 0;
}

/*
 * SIGINT and friends wait while a command changes state, so that an
 * interrupted command never leaves half a session behind; they are let
 * through only where the state is consistent (waiting for lttd-xen).
 */
void lttctl_signals_block(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/*
 * Hold $LTTNG_XEN_HOME/lock until the process exits, so two lttctl-xen
 * commands never change the session at the same time.  Also blocks the
 * terminating signals (above).
 */
int lttctl_lock(void)
{
	char path[LTTCTL_PATH_MAX];
	int fd;

	lttctl_signals_block(true);
	if (lttctl_home_prepare())
		return -1;
	snprintf(path, sizeof(path), "%s/lock", lttctl_home());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		lttctl_error("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		fprintf(stderr,
			"%s: waiting for another lttctl-xen command "
			"to finish (%s)\n",
			lttctl_prog, path);
		if (flock(fd, LOCK_EX) == 0)
			return 0;
	}
	lttctl_error("cannot lock %s: %s", path, strerror(errno));
	close(fd);
	return -1;
}

static int set_string(char *dst, size_t size, const char *val)
{
	if (strlen(val) >= size)
		return -1;
	strcpy(dst, val);
	return 0;
}

static int set_number(long long *dst, const char *val, long long max)
{
	char *end;

	errno = 0;
	*dst = strtoll(val, &end, 10);
	if (errno || end == val || *end || *dst < 0 || *dst > max)
		return -1;
	return 0;
}

/* The session file's keys that hold a string: the field of the same name. */
#define STRING_KEY(field)                                       \
	{ #field, offsetof(struct lttctl_session, field),       \
	  sizeof(((struct lttctl_session *)0)->field) }
static const struct {
	const char *key;
	size_t offset, size;
} string_keys[] = {
	STRING_KEY(name),    STRING_KEY(output),  STRING_KEY(base_output),
	STRING_KEY(cpus),    STRING_KEY(events),  STRING_KEY(domains),
	STRING_KEY(transport), STRING_KEY(guests), STRING_KEY(guest_events),
	STRING_KEY(relay),     STRING_KEY(trace_dir), STRING_KEY(traced),
	STRING_KEY(untraced),
};

static int set_field(struct lttctl_session *s, const char *key, const char *val)
{
	long long n;
	size_t i;

	for (i = 0; i < sizeof(string_keys) / sizeof(string_keys[0]); i++)
		if (!strcmp(key, string_keys[i].key))
			return set_string((char *)s + string_keys[i].offset,
					  string_keys[i].size, val);
	if (!strcmp(key, "mode"))
		return lttctl_parse_mode(val, &s->mode);
	if (!strcmp(key, "state")) {
		if (strcmp(val, "running") && strcmp(val, "stopped"))
			return -1;
		s->running = !strcmp(val, "running");
		return 0;
	}
	if (set_number(&n, val, LLONG_MAX))
		return -1;
	if (!strcmp(key, "subbuf_size") && n <= UINT32_MAX)
		s->subbuf_size = n;
	else if (!strcmp(key, "num_subbufs") && n <= UINT32_MAX)
		s->nr_subbufs = n;
	else if (!strcmp(key, "created"))
		s->created = n;
	else if (!strcmp(key, "started"))
		s->started = n;
	else if (!strcmp(key, "lttd_pid") && n <= INT_MAX)
		s->lttd_pid = n;
	else if (!strcmp(key, "watch_pid") && n <= INT_MAX)
		s->watch_pid = n;
	else if (!strcmp(key, "relayd_pid") && n <= INT_MAX)
		s->relayd_pid = n;
	else if (!strcmp(key, "runs") && n <= UINT_MAX)
		s->runs = n;
	else
		return -1;
	return 0;
}

/* 1: loaded; 0: no session; -1: error (reported). */
int lttctl_session_load(struct lttctl_session *s)
{
	const char *path = lttctl_session_path();
	char line[LTTCTL_PATH_MAX + 64], *eq, *nl;
	unsigned int lineno = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		lttctl_error("cannot read the session file %s: %s", path,
			     strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			goto bad;
		*eq = '\0';
		if (set_field(s, line, eq + 1))
			goto bad;
	}
	fclose(f);
	if (!s->name[0] || !s->output[0] || !s->transport[0] ||
	    !s->subbuf_size || !s->nr_subbufs) {
		lttctl_error("the session file %s is incomplete", path);
		lttctl_hint("remove it with 'lttctl-xen destroy --force'");
		return -1;
	}
	if (!s->base_output[0])
		strcpy(s->base_output, s->output);
	if (!s->domains[0]) /* a session file from before --domains */
		strcpy(s->domains, "all");
	if (!s->trace_dir[0]) /* from before --guests */
		strcpy(s->trace_dir, s->output);
	return 1;
bad:
	fclose(f);
	lttctl_error("%s:%u: cannot understand this line of the session file",
		     path, lineno);
	lttctl_hint("remove it with 'lttctl-xen destroy --force'");
	return -1;
}

int lttctl_session_save(const struct lttctl_session *s)
{
	const char *path = lttctl_session_path();
	char tmp[LTTCTL_PATH_MAX + 8];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		goto fail;
	fprintf(f,
		"# lttng-xen tracing session, written by lttctl-xen; "
		"do not edit while tracing.\n"
		"name=%s\n"
		"state=%s\n"
		"mode=%s\n"
		"subbuf_size=%u\n"
		"num_subbufs=%u\n"
		"cpus=%s\n"
		"events=%s\n"
		"domains=%s\n"
		"transport=%s\n"
		"base_output=%s\n"
		"output=%s\n"
		"created=%lld\n"
		"started=%lld\n"
		"runs=%u\n"
		"lttd_pid=%d\n"
		"watch_pid=%d\n"
		"guests=%s\n"
		"guest_events=%s\n"
		"relay=%s\n"
		"trace_dir=%s\n"
		"traced=%s\n"
		"untraced=%s\n"
		"relayd_pid=%d\n",
		s->name, s->running ? "running" : "stopped",
		lx_mode_name(s->mode), s->subbuf_size, s->nr_subbufs, s->cpus,
		s->events, s->domains, s->transport, s->base_output, s->output, s->created,
		s->started, s->runs, (int)s->lttd_pid, (int)s->watch_pid,
		s->guests, s->guest_events, s->relay, s->trace_dir, s->traced,
		s->untraced, (int)s->relayd_pid);
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		goto fail;
	}
	if (fclose(f))
		goto fail;
	if (rename(tmp, path))
		goto fail;
	return 0;
fail:
	lttctl_error("cannot write the session file %s: %s", path,
		     strerror(errno));
	unlink(tmp);
	return -1;
}

int lttctl_session_remove(void)
{
	const char *path = lttctl_session_path();

	if (unlink(path) && errno != ENOENT) {
		lttctl_error("cannot remove the session file %s: %s", path,
			     strerror(errno));
		return -1;
	}
	return 0;
}

/* --transport, else $LTTNG_XEN_TRANSPORT, else "xen". */
const char *lttctl_transport_of(const struct lttctl_opts *o)
{
	return lx_transport_spec(o->transport);
}

/* A later verb's --transport must name the session's producer. */
int lttctl_check_transport_match(const struct lttctl_opts *o,
				 const struct lttctl_session *s)
{
	if (!o->transport || !strcmp(o->transport, s->transport))
		return 0;
	lttctl_error("session '%s' uses transport '%s', not '%s'", s->name,
		     s->transport, o->transport);
	lttctl_hint("omit --transport, or destroy the session and create one "
		    "with the new transport");
	return -1;
}

/* Report the session that exists; -1 always. */
int lttctl_session_exists_error(const struct lttctl_session *s)
{
	lttctl_error("a session '%s' already exists (%s); destroy it first",
		     s->name, s->running ? "running" : "stopped");
	lttctl_hint("'lttctl-xen status' shows it; 'lttctl-xen destroy' ends "
		    "it");
	return -1;
}

/*
 * The session a verb works on, or why there is none.  With LTTCTL_LOCK,
 * first takes the lock (and blocks the terminating signals, see
 * lttctl_lock()); then loads the session file and, unless
 * LTTCTL_ANY_TRANSPORT, checks that --transport names its producer.
 * 1: loaded.  0: there is none (with LTTCTL_NONE_OK; without it, that is
 * an error: none, then none_hint).  -1: an error, reported.
 * LTTCTL_BROKEN: the session file cannot be read or understood (reported).
 */
int lttctl_session_open(const struct lttctl_opts *o, struct lttctl_session *s,
			unsigned int flags, const char *none,
			const char *none_hint)
{
	int r;

	if ((flags & LTTCTL_LOCK) && lttctl_lock())
		return -1;
	r = lttctl_session_load(s);
	if (r < 0)
		return LTTCTL_BROKEN;
	if (r == 0 && !(flags & LTTCTL_NONE_OK)) {
		lttctl_error("%s", none);
		lttctl_hint("%s", none_hint);
		return -1;
	}
	if (r > 0 && !(flags & LTTCTL_ANY_TRANSPORT) &&
	    lttctl_check_transport_match(o, s))
		return -1;
	return r;
}
