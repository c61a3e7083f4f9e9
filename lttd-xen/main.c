// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: lttd-xen's command line and start-up sequence.
 *
 * Start-up, in this order, so that nothing is created for a producer
 * lttd-xen cannot read, and so that --daemon reports success only when
 * the trace is really being written: connect and check the producer;
 * create and lock the output directory; write (or check) the metadata;
 * map every CPU's buffer and open its stream file; write the pid file;
 * release the parent (--daemon); then the main loop (session.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lttd.h"

static struct lttd lttd;

/* The text as it is shown: no reformatting. */
/* clang-format off */
static const char help[] =
"NAME\n"
"    lttd-xen - write the hypervisor's trace buffers to disk as a CTF trace\n"
"\n"
"SYNOPSIS\n"
"    lttd-xen --output DIR [--transport SPEC] [--daemon] [--pidfile FILE]\n"
"             [--snapshot] [--quiet]\n"
"    lttd-xen --help | --version\n"
"\n"
"DESCRIPTION\n"
"    lttd-xen is the consumer daemon of lttng-xen.  It maps the per-CPU\n"
"    trace buffers of the producer (the Xen hypervisor, or the simulator\n"
"    standing in for it) read-only, sleeps until the producer says a\n"
"    sub-buffer is full, and appends each full sub-buffer, one CTF packet,\n"
"    to its CPU's stream file DIR/channel0_CPU.  DIR/metadata describes\n"
"    the trace for babeltrace2 and Trace Compass; its clock is the TSC,\n"
"    placed on the Unix epoch so the trace merges by time with the LTTng\n"
"    traces of dom0 and the guests.\n"
"\n"
"    The trace ends when the tracing session is stopped (lttctl-xen stop):\n"
"    lttd-xen then flushes every buffer, writes what is left, prints one\n"
"    line per CPU (packets, bytes, events lost) and exits.  Started on a\n"
"    stopped session whose buffers are empty, it waits for the session to\n"
"    start.  SIGTERM, SIGINT or SIGHUP make it write what is complete and\n"
"    exit; the session goes on.\n"
"\n"
"    While the session runs, lttd-xen also puts the domains' names in the\n"
"    trace: it reads them from xenstore (/local/domain/ID/name) when\n"
"    tracing starts, follows domains created, renamed and destroyed\n"
"    through xenstore watches, and has the hypervisor record each one as\n"
"    the event dom0op:domain_name (domain id, name), on the trace's clock.\n"
"    Without xenstored (not started yet, or in a stub domain) it says so\n"
"    once, records no name, and tries again every second.  Against the\n"
"    simulator, names come from the file $LTTNG_XEN_SIM_DOMAINS (\"ID NAME\"\n"
"    lines), if set.\n"
"\n"
"    Started again in a directory that holds the same trace (after a crash\n"
"    or kill -9), lttd-xen keeps the metadata, cuts each stream file after\n"
"    its last complete packet and continues it without a duplicate packet\n"
"    or an avoidable gap.  A write error (a full disk) stops it with a\n"
"    message; each stream file then ends at a packet boundary and\n"
"    babeltrace2 reads everything written.  In discard mode, a sub-buffer\n"
"    is handed back to the producer only once it is on disk, so a restart\n"
"    with more room loses nothing more than the producer had to discard.\n"
"\n"
"OPTIONS\n"
"    -o, --output DIR\n"
"        Write the trace to DIR, created if needed (with its parents).\n"
"        Required.\n"
"\n"
"    -t, --transport SPEC\n"
"        How to reach the producer: \"xen\" (the hypervisor, from dom0) or\n"
"        \"sim:PATH\" (the simulator listening on the Unix socket PATH).\n"
"        Default: $LTTNG_XEN_TRANSPORT, else \"xen\".\n"
"\n"
"    -d, --daemon\n"
"        Run in the background.  lttd-xen returns once the trace is being\n"
"        written (exit 0), or prints why it could not start (exit 1).\n"
"        Messages then also go to DIR/.lttd-xen.log.\n"
"\n"
"    -p, --pidfile FILE\n"
"        Write the process id to FILE once the trace is being written;\n"
"        remove it at exit.\n"
"\n"
"    -s, --snapshot\n"
"        Flight-recorder snapshot: flush every buffer, write what it holds\n"
"        and exit, without waiting for the session to stop.\n"
"\n"
"    -q, --quiet\n"
"        Print errors only: no per-CPU summary, no notes.\n"
"\n"
"    --clock-origin CYCLES,NS\n"
"        Place the producer's clock on the epoch at this offset (TSC\n"
"        cycles) instead of measuring it, and write NS as its\n"
"        uncertainty: lttctl-xen keeps one origin per boot when guests\n"
"        are traced, as their LTTng clock keeps the first one it got.\n"
"\n"
"    -h, --help\n"
"        Show this help and exit.\n"
"\n"
"    -V, --version\n"
"        Show the version and the producer interface it speaks, and exit.\n"
"\n"
"EXIT STATUS\n"
"    0   the trace is complete (or written up to a signal or a snapshot)\n"
"    1   an error: the message says what, where and why; every stream\n"
"        file still ends at a packet boundary\n"
"    2   bad command line\n"
"\n"
"ENVIRONMENT\n"
"    LTTNG_XEN_TRANSPORT    the default of --transport\n"
"    LTTNG_XEN_SIM_DOMAINS  with the simulator: a file of \"ID NAME\" lines,\n"
"                           the domain names; changes are followed\n"
"\n"
"FILES\n"
"    DIR/metadata, DIR/channel0_CPU    the CTF trace\n"
"    DIR/.lttd-xen.log                 messages, with --daemon (a dot\n"
"                                      file: babeltrace2 skips it)\n"
"\n"
"EXAMPLES\n"
"    Record the simulator's trace until its session stops, then read it:\n"
"        lttd-xen --transport sim:/run/lttng-xen-sim.sock --output /tmp/t\n"
"        babeltrace2 /tmp/t\n"
"\n"
"    In dom0, in the background, as lttctl-xen does:\n"
"        lttd-xen --output /var/lib/lttng-xen/trace-1 --daemon \\\n"
"                 --pidfile /run/lttd-xen.pid\n"
"\n"
"    Take a snapshot of a flight-recorder session:\n"
"        lttd-xen --snapshot --output /var/lib/lttng-xen/snapshot-1\n"
"\n"
"SEE ALSO\n"
"    lttctl-xen(1), babeltrace2(1)\n";
/* clang-format on */

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"transport", required_argument, NULL, 't'},
	{"daemon", no_argument, NULL, 'd'},
	{"pidfile", required_argument, NULL, 'p'},
	{"snapshot", no_argument, NULL, 's'},
	{"quiet", no_argument, NULL, 'q'},
	{"clock-origin", required_argument, NULL, 'O'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static void parse_options(int argc, char **argv, struct lttd_opts *o)
{
	int c;

	opterr = 0; /* our messages, in our format */
	while ((c = getopt_long(argc, argv, ":o:t:dp:sqhVO:", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			o->dir = optarg;
			break;
		case 't':
			o->transport = optarg;
			break;
		case 'd':
			o->daemon = 1;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 's':
			o->snapshot = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'O': {
			char *end;

			errno = 0;
			o->origin_cycles = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end != ',')
				ctfw_usage_error("--clock-origin '%s': not "
						 "CYCLES,NS",
						 optarg);
			o->origin_uncertainty_ns =
				strtoull(end + 1, &end, 10);
			if (errno || *end)
				ctfw_usage_error("--clock-origin '%s': not "
						 "CYCLES,NS",
						 optarg);
			o->have_origin = 1;
			break;
		}
		case 'h':
			fputs(help, stdout);
			exit(LTTD_EXIT_OK);
		case 'V':
			printf("%s 0.1 (producer ABI version %d)\n", LTTD_NAME,
			       LTTNG_XEN_ABI_VERSION);
			exit(LTTD_EXIT_OK);
		case ':':
			ctfw_usage_error("option '%s' needs an argument",
					 argv[optind - 1]);
		default:
			ctfw_usage_error("unknown option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		ctfw_usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->dir)
		ctfw_usage_error("%s", "--output DIR is required");
	if (!o->dir[0])
		ctfw_usage_error("%s", "--output: the directory name is empty");
	if (o->pidfile && !o->pidfile[0])
		ctfw_usage_error("%s", "--pidfile: the file name is empty");
}

/* mkdir -p: each missing component of path. */
static int make_dirs(const char *path)
{
	char buf[4096];
	size_t i, len = strlen(path);

	if (len >= sizeof(buf)) {
		ctfw_err("cannot create %s: the name is too long", path);
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0750) && errno != EEXIST) {
			ctfw_err("cannot create the output directory %s: %s",
				 buf, strerror(errno));
			return -1;
		}
		buf[i] = path[i];
	}
	return 0;
}

/* Create, open and lock DIR: one lttd-xen per trace directory. */
static int open_output(struct lttd *l)
{
	if (make_dirs(l->opt.dir))
		return -1;
	l->dir_fd = open(l->opt.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->dir_fd < 0) {
		ctfw_err("cannot open the output directory %s: %s", l->opt.dir,
			 strerror(errno));
		return -1;
	}
	if (flock(l->dir_fd, LOCK_EX | LOCK_NB)) {
		if (errno == EWOULDBLOCK)
			ctfw_err("another lttd-xen is writing %s", l->opt.dir);
		else
			ctfw_err("cannot lock %s: %s", l->opt.dir,
				 strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGTERM and friends are read from a signalfd (session.c): block them
 * now, so one that arrives during start-up waits its turn. */
static void block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int start(struct lttd *l)
{
	uint32_t i, mapped = 0;

	if (lttd_connect(l) || open_output(l))
		return -1;
	if (l->opt.daemon &&
	    ctfw_log_open(l->dir_fd, l->opt.dir, LTTD_LOG_NAME))
		return -1;
	if (lttd_metadata_prepare(l) || lttd_refresh(l))
		return -1;
	for (i = 0; i < l->nr_cpus; i++)
		mapped += l->cpus[i].state == LTTD_CPU_MAPPED;
	if (!mapped)
		ctfw_note("the producer has no buffer for any CPU yet; waiting "
			  "for one");
	if (l->opt.pidfile && lttd_pidfile_write(l->opt.pidfile))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct lttd *l = &lttd;
	int ret;

	ctfw_prog = LTTD_NAME;
	parse_options(argc, argv, &l->opt);
	ctfw_quiet = l->opt.quiet;
	l->dir_fd = l->wake_fd = l->sig_fd = -1;
	block_signals();
	if (l->opt.daemon && lttd_daemon_start())
		return LTTD_EXIT_ERROR;
	ret = start(l);
	if (!ret) {
		lttd_daemon_ready();
		ret = lttd_run(l);
	}
	lttd_names_close(l);
	lttd_pidfile_remove();
	return ret ? LTTD_EXIT_ERROR : LTTD_EXIT_OK;
}
