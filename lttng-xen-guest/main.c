// SPDX-License-Identifier: GPL-2.0-only
/*
 * lttng-xen-guest: LTTng kernel tracing of one Linux guest of Xen (dom0
 * or a domU) on the hypervisor trace's clock.
 *
 *   start   the clock plugin (lttng-clock-xen-tsc) loaded with the
 *           hypervisor trace's clock uuid and offset, the guest probe
 *           modules, a session daemon if none runs, and a kernel
 *           session writing to a directory or streaming to a relay
 *           daemon (lttng-relayd);
 *   stop    that session stopped and destroyed (its trace complete);
 *   watch   the agent of a domU: waits for dom0's requests in the
 *           domain's xenstore directory (data/lttng-xen/) and answers
 *           them, so that `lttctl-xen start --guests` in dom0 can trace
 *           this guest's kernel on the same timeline as the hypervisor.
 *
 * The xenstore protocol (README.md): dom0 writes session, clock, url,
 * events, then command = "start SEQ" or "stop SEQ"; the agent answers in
 * state = "SEQ tracing", "SEQ stopped" or "SEQ refused: WHY".  It says
 * it is there with agent = "ready".
 *
 * Runs lttng(1), lttng-sessiond(8), modprobe(8) and rmmod(8); calls
 * libxenstore (watch only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef LX_HAVE_XEN
#include <xenstore.h>
#endif

#include "spawn.h"

#define PROG	      "lttng-xen-guest"
#define WHY_MAX	      512
#define CLOCK_MODULE  "lttng-clock-xen-tsc"
#define CLOCK_PARAMS  "/sys/module/lttng_clock_xen_tsc/parameters/"
#define SESSIOND_SOCK "/var/run/lttng/client-lttng-sessiond"
#define XS_DIR	      "data/lttng-xen"

struct request {
	char session[128];
	char uuid[64];
	char offset[32];
	char output[4096]; /* a directory, or NULL */
	char url[512];	   /* net://HOST, or NULL */
	char events[1024];
};

static bool quiet;

static void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Run argv (found in PATH); 0 if it exited 0, else how it ended in why. */
static int run(char *const argv[], char *why, size_t len)
{
	struct spawn_result res;

	if (!spawn_run(argv, SPAWN_PATH, &res))
		return 0;
	spawn_describe(argv[0], &res, why, len);
	return -1;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* The clock plugin's refusal, from the kernel log, if it said one. */
static void clock_refusal(char *why, size_t len)
{
	static char log[1 << 17];
	const char *key = CLOCK_MODULE ": refused: ";
	char *p, *found = NULL, *nl;
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);

	if (n <= 0)
		return;
	log[n] = '\0';
	for (p = log; (p = strstr(p, key)); p++)
		found = p;
	if (!found)
		return;
	nl = strchr(found, '\n');
	if (nl)
		*nl = '\0';
	snprintf(why, len, "%s", found);
}

/*
 * The clock plugin, with this trace's uuid and offset: kept if loaded
 * with them, else (re)loaded.  It refuses a domain whose TSC is not the
 * host's (emulated, offset or scaled by Xen): that refusal is returned.
 */
static int clock_load(const struct request *r, char *why, size_t len)
{
	char uuid[64] = "", offset[32] = "", a1[96], a2[64];
	char *modprobe[] = {"modprobe", CLOCK_MODULE, a1, a2, NULL};
	char *rmmod[] = {"rmmod", CLOCK_MODULE, NULL};

	if (!read_line(CLOCK_PARAMS "uuid", uuid, sizeof(uuid)) &&
	    !read_line(CLOCK_PARAMS "offset", offset, sizeof(offset))) {
		if (!strcmp(uuid, r->uuid) && !strcmp(offset, r->offset))
			return 0;
		if (run(rmmod, why, len)) {
			/* lttng-tracer holds the plugin from its load to its
			 * unload (lttng_clock_ref()), sessions or not. */
			snprintf(why, len,
				 "%s is loaded with an earlier trace's clock "
				 "(uuid %.40s, offset %.24s) and LTTng's tracer "
				 "holds it: stop lttng-sessiond and unload "
				 "LTTng's modules (modprobe -r lttng-tracer "
				 "and its probes) to trace on this one",
				 CLOCK_MODULE, uuid, offset);
			return -1;
		}
	}
	snprintf(a1, sizeof(a1), "uuid=%s", r->uuid);
	snprintf(a2, sizeof(a2), "offset=%s", r->offset);
	if (!run(modprobe, why, len))
		return 0;
	clock_refusal(why, len);
	return -1;
}

/*
 * The guest probe modules installed for this kernel (lttng-probe-guest_*,
 * from modules.dep), as lttng-sessiond names them: "guest_a,guest_b".
 */
static int guest_probes(char *list, size_t len, char *why, size_t wlen)
{
	char path[512], line[1024], *colon, *base;
	struct utsname u;
	size_t n = 0;
	FILE *f;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	f = fopen(path, "re");
	if (!f) {
		snprintf(why, wlen, "cannot read %.200s: %s", path,
			 strerror(errno));
		return -1;
	}
	list[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		if (strncmp(base, "lttng-probe-guest_", 18))
			continue;
		base += strlen("lttng-probe-");
		base[strcspn(base, ".")] = '\0';
		if (n + strlen(base) + 2 > len)
			break;
		n += (size_t)snprintf(list + n, len - n, "%s%s", n ? "," : "",
				      base);
	}
	fclose(f);
	if (!n) {
		snprintf(why, wlen,
			 "no guest probe module (lttng-probe-guest_*) in %.200s: "
			 "is this kernel built with lttng-xen's "
			 "linux-patches and its LTTng modules installed?",
			 path);
		return -1;
	}
	return 0;
}

static bool sessiond_running(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX,
				 .sun_path = SESSIOND_SOCK};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool up;

	if (fd < 0)
		return false;
	up = !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return up;
}

/*
 * The probes loaded and a root session daemon running: one started with
 * the guest probes if none runs (only them when only guest events are
 * asked for, else beside its usual ones).
 */
static int sessiond_ensure(const struct request *r, char *why, size_t len)
{
	char probes[2048], names[64][80], arg[2100], events[1024], *p, *save;
	char *modprobe[66] = {"modprobe", "-a"};
	char *sessiond[] = {"lttng-sessiond", "--daemonize", arg, NULL};
	bool only_guest = true;
	int i = 0;

	if (guest_probes(probes, sizeof(probes), why, len))
		return -1;
	snprintf(arg, sizeof(arg), "%s", probes);
	for (p = strtok_r(arg, ",", &save); p && i < 63;
	     p = strtok_r(NULL, ",", &save), i++) {
		snprintf(names[i], sizeof(names[i]), "lttng-probe-%s", p);
		modprobe[i + 2] = names[i];
	}
	modprobe[i + 2] = NULL;
	if (sessiond_running())
		return run(modprobe, why, len);
	snprintf(events, sizeof(events), "%s", r->events);
	for (p = strtok_r(events, ",", &save); p;
	     p = strtok_r(NULL, ",", &save))
		only_guest &= !strncmp(p, "guest_", 6);
	snprintf(arg, sizeof(arg), "--%skmod-probes=%s",
		 only_guest ? "" : "extra-", probes);
	return run(sessiond, why, len);
}

static int lttng(char *why, size_t len, const char *a, const char *b,
		 const char *c, const char *d, const char *e)
{
	char *argv[] = {"lttng",   (char *)a, (char *)b, (char *)c,
			(char *)d, (char *)e, NULL};

	return run(argv, why, len);
}

static int do_stop(const char *session, char *why, size_t len)
{
	char arg[160];

	snprintf(arg, sizeof(arg), "%s", session);
	if (lttng(why, len, "stop", arg, NULL, NULL, NULL))
		return -1;
	return lttng(why, len, "destroy", arg, NULL, NULL, NULL);
}

static int do_start(const struct request *r, char *why, size_t len)
{
	char where[4200], sess[160], ignored[WHY_MAX];

	if (clock_load(r, why, len) || sessiond_ensure(r, why, len))
		return -1;
	/* A session of this name left by an earlier run is ours: end it. */
	snprintf(sess, sizeof(sess), "--session=%s", r->session);
	lttng(ignored, sizeof(ignored), "destroy", r->session, NULL, NULL,
	      NULL);
	if (r->url[0])
		snprintf(where, sizeof(where), "--set-url=%s", r->url);
	else
		snprintf(where, sizeof(where), "--output=%s", r->output);
	if (lttng(why, len, "create", r->session, where, NULL, NULL))
		return -1;
	if (lttng(why, len, "enable-event", "--kernel", sess, r->events,
		  NULL) ||
	    lttng(why, len, "start", r->session, NULL, NULL, NULL)) {
		lttng(ignored, sizeof(ignored), "destroy", r->session, NULL,
		      NULL, NULL);
		return -1;
	}
	return 0;
}

/* "UUID,OFFSET" (lttctl-xen's form) into the request. */
static int parse_clock(const char *s, struct request *r)
{
	const char *comma = strchr(s ? s : "", ',');
	size_t n = comma ? (size_t)(comma - s) : 0;
	char *end;

	if (!comma || n != 36 || n >= sizeof(r->uuid) ||
	    strlen(comma + 1) >= sizeof(r->offset))
		return -1;
	memcpy(r->uuid, s, n);
	r->uuid[n] = '\0';
	errno = 0;
	strtoull(comma + 1, &end, 10);
	if (errno || *end || end == comma + 1)
		return -1;
	strcpy(r->offset, comma + 1);
	return 0;
}

#ifdef LX_HAVE_XEN
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void xs_get(struct xs_handle *xs, const char *key, char *buf,
		   size_t len)
{
	char path[128];
	unsigned int n = 0;
	char *v;

	snprintf(path, sizeof(path), XS_DIR "/%s", key);
	v = xs_read(xs, XBT_NULL, path, &n);
	snprintf(buf, len, "%.*s", v ? (int)n : 0, v ? v : "");
	free(v);
}

static void xs_put(struct xs_handle *xs, const char *key, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), XS_DIR "/%s", key);
	if (!xs_write(xs, XBT_NULL, path, val, strlen(val)))
		err("cannot write %s to xenstore: %s", path, strerror(errno));
}

/*
 * The domU's agent.  One request at a time, each answered once; a
 * request seen again (the watch fires on any write) is not redone.
 */
static int watch(void)
{
	char cmd[64], seq[32] = "", last[32] = "", why[WHY_MAX], ans[600];
	struct request r;
	char tracing[128] = "";
	struct xs_handle *xs;
	struct pollfd pfd;
	unsigned int n;
	char **w;

	xs = xs_open(0);
	if (!xs) {
		err("cannot open xenstore: %s (is this a Xen guest with "
		    "/dev/xen/xenbus?)",
		    strerror(errno));
		return 1;
	}
	if (!xs_watch(xs, XS_DIR "/command", "lttng-xen")) {
		err("cannot watch %s/command in xenstore: %s", XS_DIR,
		    strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	xs_put(xs, "agent", "ready");
	say("waiting for dom0's requests in xenstore (%s/command)", XS_DIR);
	pfd.fd = xs_fileno(xs);
	pfd.events = POLLIN;
	while (!got_signal) {
		if (poll(&pfd, 1, -1) < 0)
			continue;
		w = xs_read_watch(xs, &n);
		free(w);
		xs_get(xs, "command", cmd, sizeof(cmd));
		if (sscanf(cmd, "%*s %31s", seq) != 1 || !strcmp(seq, last))
			continue;
		snprintf(last, sizeof(last), "%s", seq);
		why[0] = '\0';
		if (!strncmp(cmd, "start ", 6)) {
			char clock[128];

			memset(&r, 0, sizeof(r));
			xs_get(xs, "session", r.session, sizeof(r.session));
			xs_get(xs, "clock", clock, sizeof(clock));
			xs_get(xs, "url", r.url, sizeof(r.url));
			xs_get(xs, "events", r.events, sizeof(r.events));
			if (!r.session[0] || !r.url[0] || !r.events[0] ||
			    parse_clock(clock, &r))
				snprintf(why, sizeof(why),
					 "incomplete request (session, clock "
					 "UUID,OFFSET, url, events)");
			else if (!do_start(&r, why, sizeof(why)))
				snprintf(tracing, sizeof(tracing), "%s",
					 r.session);
			snprintf(ans, sizeof(ans), "%s %s%s", seq,
				 why[0] ? "refused: " : "tracing", why);
		} else if (!strncmp(cmd, "stop ", 5)) {
			xs_get(xs, "session", r.session, sizeof(r.session));
			if (!do_stop(r.session, why, sizeof(why)))
				tracing[0] = '\0';
			snprintf(ans, sizeof(ans), "%s %s%s", seq,
				 why[0] ? "failed: " : "stopped", why);
		} else {
			snprintf(ans, sizeof(ans), "%s refused: unknown "
				 "command '%s'", seq, cmd);
		}
		xs_put(xs, "state", ans);
		say("%s -> %s", cmd, ans);
	}
	/* Shut down while tracing: end the session, so its trace is whole. */
	if (tracing[0] && do_stop(tracing, why, sizeof(why)))
		err("could not stop session %s: %s", tracing, why);
	xs_put(xs, "agent", "gone");
	xs_close(xs);
	return 0;
}
#else
static int watch(void)
{
	err("built without Xen's libxenstore (libxen-dev): cannot watch "
	    "xenstore");
	return 1;
}
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s start --session NAME --clock UUID,OFFSET "
		"(--output DIR | --url URL) [--events LIST]\n"
		"       %s stop --session NAME\n"
		"       %s watch\n"
		"\n"
		"LTTng kernel tracing of a Linux guest of Xen on the "
		"hypervisor trace's clock.\n"
		"\n"
		"start  loads lttng-clock-xen-tsc with the hypervisor trace's "
		"clock (uuid and offset\n"
		"       from the epoch in cycles, as lttctl-xen gives them), "
		"the guest probe modules,\n"
		"       starts lttng-sessiond if none runs, and an LTTng "
		"kernel session NAME of\n"
		"       LIST (default guest_*) writing to DIR or streaming to "
		"URL (lttng-relayd).\n"
		"stop   stops and destroys session NAME: its trace is "
		"complete when stop returns.\n"
		"watch  the agent of a domU: answers lttctl-xen's requests "
		"from dom0 through\n"
		"       xenstore (" XS_DIR "/), until SIGTERM, which "
		"stops a session it started.\n"
		"\n"
		"  -q, --quiet   no progress messages\n"
		"  -h, --help    this help\n"
		"\n"
		"Exit status: 0 success, 1 failure (said why), 2 usage "
		"error.\n",
		PROG, PROG, PROG);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"session", required_argument, NULL, 's'},
		{"clock", required_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'},
		{"url", required_argument, NULL, 'u'},
		{"events", required_argument, NULL, 'e'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct request r = {.events = "guest_*"};
	const char *verb = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
	const char *clock = NULL;
	char why[WHY_MAX];
	int c;

	/* The command first, as lttng's: its options after it. */
	if (verb) {
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "s:c:o:u:e:qh", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			snprintf(r.session, sizeof(r.session), "%s", optarg);
			break;
		case 'c':
			clock = optarg;
			break;
		case 'o':
			snprintf(r.output, sizeof(r.output), "%s", optarg);
			break;
		case 'u':
			snprintf(r.url, sizeof(r.url), "%s", optarg);
			break;
		case 'e':
			snprintf(r.events, sizeof(r.events), "%s", optarg);
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", PROG);
			return 2;
		}
	}
	if (!verb || optind < argc) {
		err(verb ? "unexpected argument '%s'" :
			   "no command: start, stop or watch%s",
		    verb ? argv[optind] : "");
		fprintf(stderr, "Try '%s --help'.\n", PROG);
		return 2;
	}
	if (!strcmp(verb, "watch"))
		return watch();
	if (!r.session[0]) {
		err("%s needs --session NAME", verb);
		return 2;
	}
	if (!strcmp(verb, "stop")) {
		if (do_stop(r.session, why, sizeof(why))) {
			err("cannot stop LTTng session %s: %s", r.session, why);
			return 1;
		}
		say("LTTng session %s stopped; its trace is complete",
		    r.session);
		return 0;
	}
	if (strcmp(verb, "start")) {
		err("unknown command '%s': start, stop or watch", verb);
		return 2;
	}
	if (parse_clock(clock, &r)) {
		err("start needs --clock UUID,OFFSET (the hypervisor trace's "
		    "clock uuid and its offset from the epoch in cycles), "
		    "not '%s'",
		    clock ? clock : "");
		return 2;
	}
	if (!r.output[0] == !r.url[0]) {
		err("start needs one of --output DIR and --url URL");
		return 2;
	}
	if (do_start(&r, why, sizeof(why))) {
		err("cannot trace this kernel: %s", why);
		return 1;
	}
	say("LTTng session %s traces %s, on the hypervisor trace's clock "
	    "(uuid %s), into %s",
	    r.session, r.events, r.uuid, r.url[0] ? r.url : r.output);
	return 0;
}
