// SPDX-License-Identifier: GPL-2.0-only
/*
 * guests.c: the guest kernels traced with LTTng beside the hypervisor
 * (--guests), on its clock, into the same trace directory:
 *
 *   DIR/hypervisor   lttd-xen's trace
 *   DIR/dom0         dom0's kernel: lttng-xen-guest start, run here
 *   DIR/NAME         a domU's kernel: its agent (lttng-xen-guest watch)
 *                    streams it to an lttng-relayd started here
 *
 * so that `babeltrace2 DIR` reads one timeline.  The clock is the
 * hypervisor trace's (uuid, offset from the epoch in cycles, read from
 * DIR/hypervisor/metadata); lttng-xen-guest loads it into LTTng
 * (lttng-clock-xen-tsc).  A domU is asked through xenstore
 * (/local/domain/ID/data/lttng-xen/: session, clock, url, events, then
 * command "start SEQ"; its agent answers in state "SEQ tracing" or "SEQ
 * refused: WHY").  A guest that cannot be traced is named with the
 * reason, in start's output and stop's summary; the others and the
 * hypervisor go on.  Calls msg.c, files.c and the transport's domain
 * names; runs lttng-xen-guest and lttng-relayd.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef LX_HAVE_XEN
#include <xenstore.h>
#endif

#include "lttctl.h"
#include "spawn.h"

#define CLOCK_WAIT_S  10 /* for lttd-xen's metadata */
#define ANSWER_WAIT_S 120 /* for a domU's agent (TCG guests are slow) */
#define RELAYD_WAIT_S 10
#define RELAY_PORT    5342 /* lttng-relayd's default control port */
#define MAX_GUESTS    64

struct guest {
	unsigned int domid;
	char name[LX_DOMAIN_NAME_MAX];
	char answer[512];
	bool asked, done;
};

/* --guests: dom0, all, domU ids and names, comma-separated. */
int lttctl_guests_check(const char *guests, const char *relay, char *why,
			size_t len)
{
	char list[LTTCTL_SPEC_MAX], *item, *save;
	bool domus = false;
	const char *bad;

	snprintf(list, sizeof(list), "%s", guests);
	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (!strcmp(item, "dom0") || !strcmp(item, "0"))
			continue;
		domus = true;
		if (!strcmp(item, "all"))
			continue;
		if (lttctl_check_name(item, &bad) && item[0]) {
			snprintf(why, len, "'%s' is not a domain: %s", item,
				 bad);
			return -1;
		}
	}
	if (!list[0] || !guests[0]) {
		snprintf(why, len, "the list is empty");
		return -1;
	}
	if (domus && (!relay || !*relay)) {
		snprintf(why, len,
			 "tracing domUs needs --relay ADDR: dom0's address "
			 "that the domUs reach (their traces stream to an "
			 "lttng-relayd there)");
		return -1;
	}
	return 0;
}

static bool wants(const char *guests, const char *what)
{
	char list[LTTCTL_SPEC_MAX], *item, *save;

	snprintf(list, sizeof(list), "%s", guests);
	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		if (!strcmp(item, what))
			return true;
	return false;
}

static void append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n >= len - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	/* One line of the session file: no newline in a guest's words. */
	for (; buf[n]; n++)
		if (buf[n] == '\n' || buf[n] == '\r')
			buf[n] = ' ';
}

/* who is not traced, because why: said now, kept for status and stop. */
static void not_traced(struct lttctl_session *s, const char *who,
		       const char *why)
{
	char w[512], *p;

	/* "; " separates the guests: none inside one's reason. */
	snprintf(w, sizeof(w), "%s", why);
	for (p = w; *p; p++)
		if (*p == ';')
			*p = ',';
	append(s->untraced, sizeof(s->untraced), "%s%s: %s",
	       s->untraced[0] ? "; " : "", who, w);
	lttctl_warn("not tracing %s: %s", who, w);
}

/*
 * One clock origin per boot.  The guests' LTTng keeps the offset its
 * clock plugin was first loaded with (LTTng's tracer holds the plugin
 * until it is unloaded), so every later run of this boot places the
 * hypervisor's clock at that same origin (lttd-xen --clock-origin)
 * instead of measuring a new one: $LTTNG_XEN_HOME/clock-origin holds
 * "UUID CYCLES NS" (the clock uuid is dom0's boot id).
 */
static void origin_path(char *buf, size_t len)
{
	snprintf(buf, len, "%.4000s/clock-origin", lttctl_home());
}

static void save_origin(const char *uuid, unsigned long long cycles,
			unsigned long long unc_ns)
{
	char path[LTTCTL_PATH_MAX + 16];
	FILE *f;

	origin_path(path, sizeof(path));
	f = fopen(path, "we");
	if (!f || fprintf(f, "%s %llu %llu\n", uuid, cycles, unc_ns) < 0)
		lttctl_warn("cannot save the clock origin in %s: %s", path,
			    strerror(errno));
	if (f)
		fclose(f);
}

/*
 * "CYCLES,NS" for lttd-xen if this boot has an origin already (1), else
 * 0: the run measures one.
 */
int lttctl_guests_origin(const struct lttctl_session *s, char *buf,
			 size_t len)
{
	char path[LTTCTL_PATH_MAX + 16], uuid[64] = "", boot[64] = "";
	unsigned long long cycles, unc;
	FILE *f;
	int n;

	if (!s->guests[0])
		return 0;
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!f)
		return 0;
	n = fscanf(f, "%36s", boot);
	fclose(f);
	origin_path(path, sizeof(path));
	f = fopen(path, "re");
	if (n != 1 || !f) {
		if (f)
			fclose(f);
		return 0;
	}
	n = fscanf(f, "%36s %llu %llu", uuid, &cycles, &unc);
	fclose(f);
	if (n != 3 || strcmp(uuid, boot))
		return 0;
	snprintf(buf, len, "%llu,%llu", cycles, unc);
	return 1;
}

/*
 * The hypervisor trace's clock, as lttng-xen-guest takes it: "UUID,OFFSET"
 * with the offset from the epoch in cycles.  lttd-xen writes the metadata
 * once it knows the clock: wait for it a little.
 */
static int hv_clock(const struct lttctl_session *s, char *out, size_t len)
{
	char path[LTTCTL_PATH_MAX + 16], line[512], uuid[64] = "";
	unsigned long long freq = 0, off_s = 0, off = 0, unc = 0;
	bool in_clock = false;
	int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/metadata", s->output);
	for (i = 0; i < CLOCK_WAIT_S * 10; i++) {
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			sscanf(line, " clock_offset_uncertainty_ns = %llu;",
			       &unc);
			if (!strncmp(line, "clock {", 7))
				in_clock = true;
			else if (in_clock && !strncmp(line, "};", 2))
				break;
			if (!in_clock)
				continue;
			sscanf(line, " uuid = \"%36[0-9a-f-]\";", uuid);
			sscanf(line, " freq = %llu;", &freq);
			sscanf(line, " offset_s = %llu;", &off_s);
			sscanf(line, " offset = %llu;", &off);
		}
		if (f)
			fclose(f);
		if (in_clock && uuid[0] && freq)
			break;
		in_clock = false;
		usleep(100000);
	}
	if (!uuid[0] || !freq) {
		lttctl_error("lttd-xen wrote no clock in %s within %d s", path,
			     CLOCK_WAIT_S);
		return -1;
	}
	snprintf(out, len, "%s,%llu", uuid, off_s * freq + off);
	save_origin(uuid, off_s * freq + off, unc);
	return 0;
}

/*
 * Run lttng-xen-guest ARGS here (dom0); its last error line into why
 * (its stdout is not wanted: lttctl-xen says what was done).
 */
static int run_guest_tool(char *const argv[], char *why, size_t len)
{
	struct spawn_result res;
	const char *last = res.last;

	if (!spawn_run(argv, SPAWN_STDOUT_NULL, &res))
		return 0;
	if (res.status == -1 || !WIFEXITED(res.status)) {
		spawn_describe("lttng-xen-guest", &res, why, len);
		return -1;
	}
	if (!strncmp(last, "lttng-xen-guest: ", 17))
		last += 17;
	snprintf(why, len, "%s", *last ? last : "lttng-xen-guest failed");
	return -1;
}

/* The LTTng session of run number run for guest who. */
static void session_name(const struct lttctl_session *s, unsigned int run,
			 const char *who, char *buf, size_t len)
{
	snprintf(buf, len, "lttng-xen-%.64s-%u-%.64s", s->name, run, who);
}

static void start_dom0(struct lttctl_session *s, const char *clock)
{
	char prog[LTTCTL_PATH_MAX + 32], sess[160], out[LTTCTL_PATH_MAX + 8];
	char why[512];
	char *argv[] = {prog,	 "start",	   "--quiet",
			"--session", sess,	   "--clock",
			(char *)clock, "--output", out,
			"--events",  s->guest_events, NULL};

	if (!lttctl_find_program("lttng-xen-guest", "LTTNG_XEN_GUEST", prog,
				 sizeof(prog))) {
		not_traced(s, "dom0", "lttng-xen-guest cannot be run (above)");
		return;
	}
	session_name(s, s->runs + 1, "dom0", sess, sizeof(sess));
	snprintf(out, sizeof(out), "%s/dom0", s->trace_dir);
	if (run_guest_tool(argv, why, sizeof(why))) {
		not_traced(s, "dom0", why);
		return;
	}
	append(s->traced, sizeof(s->traced), "%s0:dom0",
	       s->traced[0] ? "," : "");
}

#ifdef LX_HAVE_XEN
static char *xs_get(struct xs_handle *xs, unsigned int domid, const char *key)
{
	char path[128];
	unsigned int n;

	snprintf(path, sizeof(path), "/local/domain/%u/data/lttng-xen/%s",
		 domid, key);
	return xs_read(xs, XBT_NULL, path, &n);
}

static bool xs_put(struct xs_handle *xs, unsigned int domid, const char *key,
		   const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%u/data/lttng-xen/%s",
		 domid, key);
	return xs_write(xs, XBT_NULL, path, val, strlen(val));
}

/* Is lttng-relayd taking connections on its control port? */
static bool relayd_listening(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(RELAY_PORT),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool up;

	if (fd < 0)
		return false;
	up = !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return up;
}

/*
 * lttng-relayd, writing into DIR/.relayd (stop moves each domU's trace to
 * DIR/NAME), its messages in DIR/.relayd.log.  Detached: it outlives this
 * command; stop ends it.
 */
static int relayd_start(struct lttctl_session *s, char *why, size_t len)
{
	char out[LTTCTL_PATH_MAX + 16], log[LTTCTL_PATH_MAX + 16];
	char *argv[] = {"lttng-relayd", "--group-output-by-session", "-o", out,
			NULL};
	pid_t pid;
	int i, fd;

	if (relayd_listening()) {
		snprintf(why, len,
			 "an lttng-relayd already listens on port %d here: "
			 "stop it, lttctl-xen starts its own",
			 RELAY_PORT);
		return -1;
	}
	snprintf(out, sizeof(out), "%s/.relayd", s->trace_dir);
	snprintf(log, sizeof(log), "%s/.relayd.log", s->trace_dir);
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		setsid();
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		dup2(open("/dev/null", O_RDONLY), 0);
		lttctl_signals_block(false);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run lttng-relayd: %s\n",
			strerror(errno));
		_exit(127);
	}
	s->relayd_pid = pid;
	for (i = 0; i < RELAYD_WAIT_S * 10; i++) {
		if (relayd_listening())
			return 0;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			s->relayd_pid = 0;
			snprintf(why, len, "lttng-relayd ended at start (%.300s)",
				 log);
			return -1;
		}
		usleep(100000);
	}
	kill(pid, SIGTERM);
	s->relayd_pid = 0;
	snprintf(why, len, "lttng-relayd did not listen within %d s (%.300s)",
		 RELAYD_WAIT_S, log);
	return -1;
}

/* The domUs --guests names, as they run now. */
static int domus_of(const struct lttctl_session *s, struct lx_producer *p,
		    struct guest *g, int max)
{
	struct lx_domain *known = NULL;
	struct lx_error err = {{0}};
	char list[LTTCTL_SPEC_MAX], *item, *save, *end;
	int n, i, nr = 0;
	bool all = wants(s->guests, "all");

	if (lx_domains_open(p->t, &err)) {
		lttctl_error("cannot list the domains: %s", err.msg);
		return -1;
	}
	n = lx_domains_list(p->t, &known, &err);
	lx_domains_close(p->t);
	if (n < 0) {
		lttctl_error("cannot list the domains: %s", err.msg);
		return -1;
	}
	for (i = 0; i < n && nr < max; i++) {
		bool named = all;

		if (!known[i].domid)
			continue;
		snprintf(list, sizeof(list), "%s", s->guests);
		for (item = strtok_r(list, ",", &save); item && !named;
		     item = strtok_r(NULL, ",", &save))
			named = !strcmp(item, known[i].name) ||
				(strtoul(item, &end, 10) == known[i].domid &&
				 !*end);
		if (!named)
			continue;
		memset(&g[nr], 0, sizeof(g[nr]));
		g[nr].domid = known[i].domid;
		/* Its trace goes to DIR/NAME: a name that cannot be one
		 * there becomes domain-ID. */
		if (!known[i].name[0] || known[i].name[0] == '.' ||
		    strchr(known[i].name, '/') || strchr(known[i].name, ',') ||
		    strchr(known[i].name, ':') ||
		    !strcmp(known[i].name, "dom0") ||
		    !strcmp(known[i].name, "hypervisor"))
			snprintf(g[nr].name, sizeof(g[nr].name), "domain-%u",
				 known[i].domid);
		else
			snprintf(g[nr].name, sizeof(g[nr].name), "%s",
				 known[i].name);
		nr++;
	}
	free(known);
	return nr;
}

/*
 * Ask each domU (command "VERB SEQ") and wait for every answer "SEQ ...",
 * watching their state nodes, ANSWER_WAIT_S at most.  Run N starts with
 * SEQ 2N and stops with 2N + 1: each request is new to the agent.
 */
static void ask_domus(struct xs_handle *xs, struct guest *g, int nr,
		      const char *verb, unsigned int seq)
{
	char cmd[64], path[128], want[32], **w, *v;
	struct pollfd pfd = {.fd = xs_fileno(xs), .events = POLLIN};
	time_t deadline = time(NULL) + ANSWER_WAIT_S;
	int i, left = 0;
	unsigned int n;

	snprintf(cmd, sizeof(cmd), "%s %u", verb, seq);
	snprintf(want, sizeof(want), "%u ", seq);
	for (i = 0; i < nr; i++) {
		g[i].done = !g[i].asked;
		if (g[i].done)
			continue;
		snprintf(path, sizeof(path),
			 "/local/domain/%u/data/lttng-xen/state", g[i].domid);
		xs_watch(xs, path, "lttng-xen");
		if (!xs_put(xs, g[i].domid, "command", cmd)) {
			snprintf(g[i].answer, sizeof(g[i].answer),
				 "cannot write its xenstore request: %s",
				 strerror(errno));
			g[i].done = true;
			continue;
		}
		left++;
	}
	while (left > 0 && time(NULL) < deadline) {
		if (poll(&pfd, 1, 1000) > 0) {
			w = xs_read_watch(xs, &n);
			free(w);
		}
		for (i = 0; i < nr; i++) {
			if (g[i].done)
				continue;
			v = xs_get(xs, g[i].domid, "state");
			if (v && !strncmp(v, want, strlen(want))) {
				char *c;

				snprintf(g[i].answer, sizeof(g[i].answer),
					 "%s", v + strlen(want));
				/* A guest writes this: text to show, and no
				 * control character reaches the terminal. */
				for (c = g[i].answer; *c; c++)
					if ((unsigned char)*c < ' ' || *c == 0x7f)
						*c = '?';
				g[i].done = true;
				left--;
			}
			free(v);
		}
	}
	for (i = 0; i < nr; i++)
		if (!g[i].done)
			snprintf(g[i].answer, sizeof(g[i].answer),
				 "its agent did not answer '%s' within %d s",
				 verb, ANSWER_WAIT_S);
}

static void start_domus(struct lttctl_session *s, struct lx_producer *p,
			const char *clock)
{
	struct guest g[MAX_GUESTS];
	char who[LX_DOMAIN_NAME_MAX + 32], sess[160], url[300], why[512];
	struct xs_handle *xs;
	int nr, i, asked = 0;
	char *agent;

	nr = domus_of(s, p, g, MAX_GUESTS);
	if (nr < 0) {
		not_traced(s, "the domUs", "cannot list the domains (above)");
		return;
	}
	if (!nr) {
		if (!wants(s->guests, "all"))
			not_traced(s, s->guests, "no running domU by that name");
		return;
	}
	xs = xs_open(0);
	if (!xs) {
		not_traced(s, "the domUs", "cannot open xenstore");
		return;
	}
	snprintf(url, sizeof(url), "net://%s", s->relay);
	for (i = 0; i < nr; i++) {
		snprintf(who, sizeof(who), "%s (domain %u)", g[i].name,
			 g[i].domid);
		agent = xs_get(xs, g[i].domid, "agent");
		if (!agent || strcmp(agent, "ready")) {
			not_traced(s, who,
				   "no lttng-xen-guest agent runs in it "
				   "(its xenstore data/lttng-xen/agent is "
				   "not \"ready\")");
			free(agent);
			continue;
		}
		free(agent);
		if (!s->relayd_pid && relayd_start(s, why, sizeof(why))) {
			not_traced(s, "the domUs", why);
			break;
		}
		session_name(s, s->runs + 1, g[i].name, sess, sizeof(sess));
		if (!xs_put(xs, g[i].domid, "session", sess) ||
		    !xs_put(xs, g[i].domid, "clock", clock) ||
		    !xs_put(xs, g[i].domid, "url", url) ||
		    !xs_put(xs, g[i].domid, "events", s->guest_events)) {
			not_traced(s, who, "cannot write its xenstore request");
			continue;
		}
		g[i].asked = true;
		asked++;
	}
	if (asked) {
		printf("Asking %d domU%s to trace (up to %d s)...\n", asked,
		       asked == 1 ? "" : "s", ANSWER_WAIT_S);
		fflush(stdout);
		ask_domus(xs, g, nr, "start", 2 * (s->runs + 1));
	}
	for (i = 0; i < nr; i++) {
		if (!g[i].asked)
			continue;
		snprintf(who, sizeof(who), "%s (domain %u)", g[i].name,
			 g[i].domid);
		if (strcmp(g[i].answer, "tracing"))
			not_traced(s, who, g[i].answer);
		else
			append(s->traced, sizeof(s->traced), "%s%u:%s",
			       s->traced[0] ? "," : "", g[i].domid,
			       g[i].name);
	}
	xs_close(xs);
}
#else
static void start_domus(struct lttctl_session *s, struct lx_producer *p,
			const char *clock)
{
	(void)p;
	(void)clock;
	not_traced(s, "the domUs",
		   "this lttctl-xen was built without Xen's libraries "
		   "(libxen-dev): it cannot reach them through xenstore");
}
#endif

/*
 * After the hypervisor started: the guests --guests names.  Never fails
 * the start: a guest that cannot be traced is named, with the reason.
 */
void lttctl_guests_start(struct lttctl_session *s, struct lx_producer *p)
{
	char list[LTTCTL_SPEC_MAX], *item, *save, clock[128];
	bool domus = false;

	s->traced[0] = s->untraced[0] = '\0';
	s->relayd_pid = 0;
	if (!s->guests[0])
		return;
	if (hv_clock(s, clock, sizeof(clock))) {
		not_traced(s, "the guests", "no hypervisor clock to give them");
		return;
	}
	if (wants(s->guests, "dom0") || wants(s->guests, "0") ||
	    wants(s->guests, "all"))
		start_dom0(s, clock);
	snprintf(list, sizeof(list), "%s", s->guests);
	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		domus |= strcmp(item, "dom0") && strcmp(item, "0");
	if (domus) {
		if (strncmp(s->transport, "xen", 3))
			not_traced(s, "the domUs",
				   "they are reached through xenstore: only "
				   "with the xen transport");
		else
			start_domus(s, p, clock);
	}
}

/* One "ID:NAME" of s->traced after another; false at the end. */
static bool next_traced(const char **pos, unsigned int *domid, char *name,
			size_t len)
{
	const char *p = *pos, *colon, *end;

	if (!*p)
		return false;
	end = strchr(p, ',');
	end = end ? end : p + strlen(p);
	colon = memchr(p, ':', (size_t)(end - p));
	*domid = (unsigned int)strtoul(p, NULL, 10);
	if (colon)
		snprintf(name, len, "%.*s", (int)(end - colon - 1), colon + 1);
	else
		snprintf(name, len, "domain-%u", *domid);
	*pos = *end ? end + 1 : end;
	return true;
}

/*
 * Before the hypervisor stops: every traced guest's session stopped and
 * its trace complete (domUs through their agents, then dom0), so that
 * the guests' events lie within the hypervisor's.
 */
void lttctl_guests_stop(struct lttctl_session *s)
{
	char prog[LTTCTL_PATH_MAX + 32], sess[160], why[512], name[256];
	char *argv[] = {prog, "stop", "--quiet", "--session", sess, NULL};
	const char *pos = s->traced;
	unsigned int domid;
	bool dom0 = false;
#ifdef LX_HAVE_XEN
	struct guest g[MAX_GUESTS];
	struct xs_handle *xs = NULL;
	int nr = 0, i;
#endif

	while (next_traced(&pos, &domid, name, sizeof(name))) {
		if (!domid) {
			dom0 = true;
			continue;
		}
#ifdef LX_HAVE_XEN
		if (nr < MAX_GUESTS) {
			memset(&g[nr], 0, sizeof(g[nr]));
			g[nr].domid = domid;
			g[nr].asked = true;
			snprintf(g[nr].name, sizeof(g[nr].name), "%s", name);
			nr++;
		}
#endif
	}
#ifdef LX_HAVE_XEN
	if (nr && !(xs = xs_open(0)))
		lttctl_warn("cannot open xenstore to stop the domUs' tracing");
	if (xs) {
		printf("Stopping the tracing of %d domU%s (up to %d s)...\n",
		       nr, nr == 1 ? "" : "s", ANSWER_WAIT_S);
		fflush(stdout);
		ask_domus(xs, g, nr, "stop", 2 * s->runs + 1);
		for (i = 0; i < nr; i++)
			if (strcmp(g[i].answer, "stopped"))
				lttctl_warn("%s (domain %u): its trace may be "
					    "incomplete: %s",
					    g[i].name, g[i].domid,
					    g[i].answer);
		xs_close(xs);
	}
#endif
	if (!dom0)
		return;
	if (!lttctl_find_program("lttng-xen-guest", "LTTNG_XEN_GUEST", prog,
				 sizeof(prog)))
		return;
	session_name(s, s->runs, "dom0", sess, sizeof(sess));
	if (run_guest_tool(argv, why, sizeof(why)))
		lttctl_warn("dom0's LTTng session %s: %s", sess, why);
}

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* End the lttng-relayd start ran, waiting for it up to RELAYD_WAIT_S. */
static void relayd_end(struct lttctl_session *s)
{
	struct pollfd pfd = {.events = POLLIN};

	if (s->relayd_pid <= 0)
		return;
	pfd.fd = pidfd_open(s->relayd_pid);
	if (pfd.fd >= 0 && !kill(s->relayd_pid, SIGTERM)) {
		if (poll(&pfd, 1, RELAYD_WAIT_S * 1000) <= 0)
			lttctl_warn("lttng-relayd (pid %d) did not end within "
				    "%d s",
				    (int)s->relayd_pid, RELAYD_WAIT_S);
	}
	if (pfd.fd >= 0)
		close(pfd.fd);
	s->relayd_pid = 0;
}

/*
 * destroy --force of a session whose producer cannot be reached: the
 * lttng-relayd start ran would otherwise run on, unowned.  The pid may
 * have been saved before a reboot and now be another program's: only a
 * process named lttng-relayd is ended.
 */
void lttctl_guests_abandon(struct lttctl_session *s)
{
	char path[64], comm[32] = "";
	pid_t pid = s->relayd_pid;
	FILE *f;

	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
	}
	comm[strcspn(comm, "\n")] = '\0';
	if (strcmp(comm, "lttng-relayd"))
		return;
	relayd_end(s);
	printf("Ended lttng-relayd (pid %d); what the domUs sent is in "
	       "%s/.relayd.\n",
	       (int)pid, s->trace_dir);
}

/* Find the directory holding a "kernel" trace below dir. */
static int find_trace(const char *dir, char *out, size_t len, int depth)
{
	char path[LTTCTL_PATH_MAX + 512];
	struct dirent *d;
	DIR *dp;
	int found = -1;

	snprintf(path, sizeof(path), "%s/kernel/metadata", dir);
	if (!access(path, F_OK)) {
		snprintf(out, len, "%s", dir);
		return 0;
	}
	if (depth > 3 || !(dp = opendir(dir)))
		return -1;
	while (found && (d = readdir(dp))) {
		if (d->d_name[0] == '.' || d->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		found = find_trace(path, out, len, depth + 1);
	}
	closedir(dp);
	return found;
}

/*
 * After the hypervisor's trace is complete: lttng-relayd ended, each
 * domU's trace moved from DIR/.relayd/SESSION/... to DIR/NAME.
 */
void lttctl_guests_gather(struct lttctl_session *s)
{
	char base[LTTCTL_PATH_MAX + 16], from[LTTCTL_PATH_MAX + 512];
	char to[LTTCTL_PATH_MAX + 300], sess[LTTCTL_PATH_MAX + 200];
	char name[256], sname[160];
	const char *pos = s->traced;
	unsigned int domid;

	relayd_end(s);
	snprintf(base, sizeof(base), "%s/.relayd", s->trace_dir);
	while (next_traced(&pos, &domid, name, sizeof(name))) {
		if (!domid)
			continue;
		session_name(s, s->runs, name, sname, sizeof(sname));
		snprintf(sess, sizeof(sess), "%s/%s", base, sname);
		snprintf(to, sizeof(to), "%s/%s", s->trace_dir, name);
		if (find_trace(sess, from, sizeof(from), 0) ||
		    rename(from, to)) {
			lttctl_warn("%s (domain %u): no trace arrived in %s "
				    "(lttng-relayd's log: %s/.relayd.log)",
				    name, domid, sess, s->trace_dir);
			append(s->untraced, sizeof(s->untraced),
			       "%s%s (domain %u): its trace did not arrive",
			       s->untraced[0] ? "; " : "", name, domid);
		}
	}
	/* What is left goes, unless a trace is still in it. */
	if (!access(base, F_OK) && find_trace(base, from, sizeof(from), 0)) {
		char *argv[] = {"rm", "-rf", base, NULL};
		struct spawn_result res;

		if (spawn_run(argv, SPAWN_PATH, &res)) {
			spawn_describe("rm", &res, from, sizeof(from));
			lttctl_warn("cannot remove %s: %s", base, from);
		}
	}
}

/* Which guests are traced, where, and which are not, and why. */
void lttctl_guests_print(const struct lttctl_session *s)
{
	const char *pos = s->traced;
	char name[256];
	unsigned int domid;

	if (!s->guests[0])
		return;
	while (next_traced(&pos, &domid, name, sizeof(name)))
		printf("Guest traced: %s%s, into %s/%s\n", name,
		       domid ? " (a domU)" : "", s->trace_dir, name);
	if (s->untraced[0])
		printf("Not traced: %s\n", s->untraced);
}
