// SPDX-License-Identifier: GPL-2.0-only
/*
 * lttng-xen-sim: a user-space stand-in for a Xen hypervisor built with
 * lttng-xen.  It hosts the same ring buffer, tracepoints and control code
 * (tracer/control.c) on simulated CPUs and serves the control operations
 * on a Unix socket, so lttd-xen and lttctl-xen run unchanged against it
 * (transport "sim:PATH").  See README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lttng-xen/control.h>

#include "sim.h"

struct sim_opts sim_opts = {
	.nr_cpus = 2,
	.events = 100000,
	.nested_hz = 1000,
	.quiesce_ms = 1000,
	.fail_alloc_cpu = -1,
};
struct sim_cpu sim_cpus[LTTNG_XEN_MAX_CPUS];
unsigned int sim_nr_possible;
pthread_mutex_t sim_control_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_t sim_main_thread;

/* clang-format off */
static const char usage_text[] =
"NAME\n"
"    lttng-xen-sim - simulate a Xen hypervisor traced by lttng-xen\n"
"\n"
"SYNOPSIS\n"
"    lttng-xen-sim --socket PATH [--cpus N] [--events N] [--rate R]\n"
"                  [--nested-rate HZ] [--clock-backwards] [--quiesce-ms MS]\n"
"                  [--clock-skew CPU:TICKS]...\n"
"                  [--hotplug CPU:AFTER]... [--summary FILE]\n"
"                  [--possible-cpus N] [--fail-alloc CPU] [--sim-domains N]\n"
"\n"
"DESCRIPTION\n"
"    Hosts lttng-xen's ring buffer, tracepoints and control operations in\n"
"    user space, on N simulated CPUs (threads pinned to host CPU i % nproc),\n"
"    and serves the control operations on the Unix socket PATH, so that\n"
"    lttd-xen and lttctl-xen can run against it with --transport sim:PATH.\n"
"    Buffers are shared memory the consumer maps read-only; wake-ups are an\n"
"    eventfd; the clock is the TSC.\n"
"\n"
"    At the first START, every CPU runs a deterministic workload: main-loop\n"
"    events k = 0, 1, ... of five event types chosen by k % 5, each carrying\n"
"    the CPU and k in its fields, and nested events (pv:trap) from a\n"
"    per-CPU timer signal handler.  sim/README.md defines it exactly.\n"
"\n"
"OPTIONS\n"
"    --socket PATH\n"
"        Listen on PATH (required).  A stale socket is replaced; one a\n"
"        running simulator answers on is not.\n"
"    --cpus N\n"
"        CPUs online from the start (default 2, at most 256).\n"
"    --events N\n"
"        Main-loop events per CPU after START (default 100000); 0: until\n"
"        killed.\n"
"    --rate R\n"
"        Main-loop events per second per CPU (default 0: as fast as\n"
"        possible).\n"
"    --nested-rate HZ\n"
"        Nested events per second per CPU, from a timer signal handler\n"
"        (default 1000; 0: none).\n"
"    --clock-backwards\n"
"        Every 1000th clock read returns a time 1000000 ticks in the past;\n"
"        the trace must still be monotonic, and say so (gen:clock_backwards,\n"
"        and the clock_backwards counters).\n"
"    --clock-skew CPU:TICKS\n"
"        CPU CPU's clock reads TICKS (may be negative) apart from the\n"
"        others', as a TSC out of step; START must find it and say so in\n"
"        the trace (gen:clock_unsynchronised).  May be repeated.\n"
"    --quiesce-ms MS\n"
"        How long CONFIGURE and DESTROY wait for a CPU to leave its trace\n"
"        points before they fail with EBUSY and change nothing (default\n"
"        1000, as Xen's lttng-quiesce-ms).\n"
"    --hotplug CPU:AFTER\n"
"        CPU CPU (>= N) comes online once every CPU online from the start\n"
"        has emitted AFTER main-loop events, then runs the workload too.\n"
"        May be repeated.\n"
"    --possible-cpus N\n"
"        Report N possible CPUs to the tracer (up to 4096; default: the\n"
"        CPUs above), as a host with more CPUs than lttng-xen traces\n"
"        (256) would; only the first 256 can run.\n"
"    --fail-alloc CPU\n"
"        Every allocation of CPU CPU's trace buffer fails, as a host out\n"
"        of memory: CONFIGURE fails with ENOMEM while it is online, and a\n"
"        --hotplug CPU stays offline (it would record nothing).\n"
"    --sim-domains N\n"
"        Run the workload in N domains (1 to 64; default: every event in\n"
"        domain 0): each CPU runs main-loop events k in domain (k / 64) % N,\n"
"        nested events in the domain of the event they interrupt, and\n"
"        records sched:context_switch where its domain changes, as Xen's\n"
"        scheduler would.  For the domain filter (lttctl-xen create\n"
"        --domains); the summary counts nested events per domain.\n"
"    --summary FILE\n"
"        Write a JSON summary (per CPU: events emitted, main and nested,\n"
"        and the producer's counters) when every CPU has finished its\n"
"        workload, and again at exit.  FILE appears atomically (written\n"
"        to FILE.tmp, then renamed): its appearance means 'done'.\n"
"    -h, --help\n"
"        Show this help.\n"
"\n"
"EXIT STATUS\n"
"    0 after SIGTERM or SIGINT (the summary is written first); 1 on a bad\n"
"    option or when the simulator cannot start.\n"
"\n"
"EXAMPLES\n"
"    lttng-xen-sim --socket /tmp/sim.sock --cpus 2 --events 0 --rate 100000 &\n"
"    lttctl-xen --transport sim:/tmp/sim.sock start -o /tmp/trace\n";
/* clang-format on */

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lttng-xen-sim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'lttng-xen-sim --help'.\n");
	exit(1);
}

static uint64_t parse_u64(const char *opt, const char *s, uint64_t min,
			  uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "%s: '%%s' is not a number from %" PRIu64
			 " to %" PRIu64,
			 opt, min, max);
		usage_error(msg, s);
	}
	return v;
}

/*
 * The CPU of an option's CPU:VALUE argument s (opt: the option, syntax:
 * its argument's form, both for messages), from min_cpu; *value: what
 * follows the colon.
 */
static unsigned int parse_cpu_colon(const char *opt, const char *syntax,
				    const char *s, unsigned int min_cpu,
				    const char **value)
{
	const char *colon = strchr(s, ':');
	char cpu_part[16], what[64];

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(cpu_part)) {
		snprintf(what, sizeof(what), "%s: '%%s' is not %s", opt, syntax);
		usage_error(what, s);
	}
	memcpy(cpu_part, s, colon - s);
	cpu_part[colon - s] = 0;
	*value = colon + 1;
	snprintf(what, sizeof(what), "%s CPU", opt);
	return parse_u64(what, cpu_part, min_cpu, LTTNG_XEN_MAX_CPUS - 1);
}

static void parse_hotplug(const char *s)
{
	const char *after;
	unsigned int cpu = parse_cpu_colon("--hotplug", "CPU:AFTER", s, 1,
					   &after);

	if (sim_cpus[cpu].hotplug)
		usage_error("--hotplug: the CPU of '%s' given twice", s);
	sim_cpus[cpu].hotplug = true;
	sim_cpus[cpu].hotplug_after =
		parse_u64("--hotplug AFTER", after, 0, UINT64_MAX);
}

static void parse_clock_skew(const char *s)
{
	const char *value;
	unsigned int cpu = parse_cpu_colon("--clock-skew", "CPU:TICKS", s, 0,
					   &value);
	char *end;
	long long ticks;

	errno = 0;
	ticks = strtoll(value, &end, 10);
	if (errno || end == value || *end)
		usage_error("--clock-skew: TICKS '%s' is not a number of ticks",
			    value);
	sim_cpus[cpu].clock_skew = ticks;
}

static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"socket", required_argument, NULL, 's'},
		{"cpus", required_argument, NULL, 'c'},
		{"events", required_argument, NULL, 'e'},
		{"rate", required_argument, NULL, 'r'},
		{"nested-rate", required_argument, NULL, 'n'},
		{"clock-backwards", no_argument, NULL, 'b'},
		{"clock-skew", required_argument, NULL, 'k'},
		{"quiesce-ms", required_argument, NULL, 'q'},
		{"possible-cpus", required_argument, NULL, 'P'},
		{"fail-alloc", required_argument, NULL, 'F'},
		{"hotplug", required_argument, NULL, 'p'},
		{"summary", required_argument, NULL, 'S'},
		{"sim-domains", required_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	unsigned int cpu;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			sim_opts.socket_path = optarg;
			break;
		case 'c':
			sim_opts.nr_cpus = parse_u64("--cpus", optarg, 1,
						     LTTNG_XEN_MAX_CPUS);
			break;
		case 'e':
			sim_opts.events =
				parse_u64("--events", optarg, 0, UINT64_MAX);
			break;
		case 'r':
			sim_opts.rate =
				parse_u64("--rate", optarg, 0, 1000000000u);
			break;
		case 'n':
			sim_opts.nested_hz =
				parse_u64("--nested-rate", optarg, 0, 1000000);
			break;
		case 'b':
			sim_opts.clock_backwards = true;
			break;
		case 'k':
			parse_clock_skew(optarg);
			break;
		case 'q':
			sim_opts.quiesce_ms =
				parse_u64("--quiesce-ms", optarg, 1, 600000);
			break;
		case 'P':
			sim_opts.possible_cpus =
				parse_u64("--possible-cpus", optarg, 1, 4096);
			break;
		case 'F':
			sim_opts.fail_alloc_cpu = parse_u64(
				"--fail-alloc", optarg, 0, LTTNG_XEN_MAX_CPUS - 1);
			break;
		case 'p':
			parse_hotplug(optarg);
			break;
		case 'S':
			sim_opts.summary = optarg;
			break;
		case 'D':
			sim_opts.nr_domains = parse_u64("--sim-domains", optarg,
							1, SIM_MAX_DOMAINS);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			usage_error("option '%s' needs an argument",
				    argv[optind - 1]);
			break;
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!sim_opts.socket_path)
		usage_error("%s", "--socket PATH is required");

	sim_nr_possible = sim_opts.nr_cpus;
	for (cpu = 0; cpu < LTTNG_XEN_MAX_CPUS; cpu++) {
		struct sim_cpu *sc = &sim_cpus[cpu];
		char num[16];

		if (!sc->hotplug)
			continue;
		snprintf(num, sizeof(num), "%u", cpu);
		if (cpu < sim_opts.nr_cpus)
			usage_error("--hotplug: CPU %s is online from the "
				    "start (below --cpus)",
				    num);
		if (sim_opts.events && sc->hotplug_after > sim_opts.events)
			usage_error("--hotplug: CPU %s would never come "
				    "online: AFTER is above --events",
				    num);
		sim_nr_possible = cpu + 1;
	}
	if (sim_opts.possible_cpus && sim_opts.possible_cpus < sim_nr_possible)
		usage_error("%s", "--possible-cpus: fewer than the CPUs "
				  "--cpus and --hotplug name");
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case LTTNG_XEN_STATE_STOPPED:
		return "stopped";
	case LTTNG_XEN_STATE_RUNNING:
		return "running";
	}
	return "unconfigured";
}

static void write_counters(FILE *f, unsigned int cpu)
{
	struct lttng_xen_op op;
	const struct lttng_xen_counters *c = &op.u.counters;

	memset(&op, 0, sizeof(op));
	op.op = LTTNG_XEN_OP_GET_COUNTERS;
	op.cpu = cpu;
	if (lttng_xen_control(&op)) {
		fprintf(f, "null");
		return;
	}
	fprintf(f,
		"{\"produced\": %" PRIu64 ", \"discarded\": %" PRIu64
		", \"lost_too_big\": %" PRIu64 ", \"lost_nested\": %" PRIu64
		", \"overwritten\": %" PRIu64 ", \"offset\": %" PRIu64
		", \"consumed\": %" PRIu64 "}",
		c->produced, c->discarded, c->lost_too_big, c->lost_nested,
		c->overwritten, c->offset, c->consumed);
}

static void write_cpu(FILE *f, const struct sim_cpu *c, bool first)
{
	fprintf(f,
		"%s\n    {\"cpu\": %u, \"online\": %s, \"refused\": %s, "
		"\"done\": %s, "
		"\"iterations\": %" PRIu64 ", \"nested_calls\": %" PRIu64
		", \"emitted_main\": %" PRIu64 ", \"emitted_nested\": %" PRIu64
		", ",
		first ? "" : ",", c->id,
		__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) ? "true"
							      : "false",
		__atomic_load_n(&c->refused, __ATOMIC_ACQUIRE) ? "true"
							       : "false",
		__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) ? "true" : "false",
		sim_load(&c->iterations), sim_load(&c->nested_calls),
		sim_load(&c->emitted_main), sim_load(&c->emitted_nested));
	if (sim_opts.nr_domains) {
		unsigned int d;

		fprintf(f, "\"nested_in_domain\": [");
		for (d = 0; d < sim_opts.nr_domains; d++)
			fprintf(f, "%s%" PRIu64, d ? ", " : "",
				sim_load(&c->nested_in_domain[d]));
		fprintf(f, "], ");
	}
	fprintf(f, "\"counters\": ");
	write_counters(f, c->id);
	fprintf(f, "}");
}

static void write_summary(void)
{
	const char *path = sim_opts.summary;
	struct lttng_xen_op info;
	char tmp[4096];
	unsigned int cpu;
	bool first = true;
	FILE *f;

	if (!path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "lttng-xen-sim: cannot write %s: %s\n", tmp,
			strerror(errno));
		return;
	}
	pthread_mutex_lock(&sim_control_lock);
	memset(&info, 0, sizeof(info));
	info.op = LTTNG_XEN_OP_GET_INFO;
	lttng_xen_control(&info);
	fprintf(f,
		"{\n  \"done\": %s,\n  \"state\": \"%s\",\n  \"tsc_hz\": "
		"%" PRIu64 ",\n  \"events_per_cpu\": %" PRIu64
		",\n  \"sim_domains\": %u,\n  \"cpus\": [",
		sim_cpus_nr_done() == sim_cpus_nr_threads() ? "true" : "false",
		state_name(info.u.info.state), sim_tsc_hz(), sim_opts.events,
		sim_opts.nr_domains);
	for (cpu = 0; cpu < sim_nr_possible; cpu++) {
		if (!sim_cpus[cpu].has_thread)
			continue;
		write_cpu(f, &sim_cpus[cpu], first);
		first = false;
	}
	pthread_mutex_unlock(&sim_control_lock);
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f) || rename(tmp, path))
		fprintf(stderr, "lttng-xen-sim: cannot write %s: %s\n", path,
			strerror(errno));
}

static void setup_cpus(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < sim_nr_possible; cpu++) {
		struct sim_cpu *c = &sim_cpus[cpu];

		c->id = cpu;
		c->has_thread = cpu < sim_opts.nr_cpus || c->hotplug;
		c->online = cpu < sim_opts.nr_cpus;
		sem_init(&c->req_done, 0, 0);
	}
}

int main(int argc, char **argv)
{
	sigset_t wait_set, block;
	int sig, rc;

	parse_options(argc, argv);
	setup_cpus();
	sim_main_thread = pthread_self();

	/* Only the CPU threads take flush and timer signals; only this one
	 * the others, through sigwait. */
	sigemptyset(&wait_set);
	sigaddset(&wait_set, SIGTERM);
	sigaddset(&wait_set, SIGINT);
	sigaddset(&wait_set, SIG_DONE);
	block = wait_set;
	sigaddset(&block, SIG_FLUSH);
	sigaddset(&block, SIG_NESTED);
	sigaddset(&block, SIG_STALL);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = sim_host_init();
	if (rc) {
		fprintf(stderr,
			"lttng-xen-sim: cannot set up the tracer (error %d)\n",
			rc);
		return 1;
	}
	rc = sim_cpus_start();
	if (rc) {
		fprintf(stderr,
			"lttng-xen-sim: cannot start the CPU threads: %s\n",
			strerror(-rc));
		return 1;
	}
	if (sim_server_start(sim_opts.socket_path))
		return 1;
	fprintf(stderr,
		"lttng-xen-sim: %u CPUs, TSC %" PRIu64 " Hz, listening on %s\n",
		sim_opts.nr_cpus, sim_tsc_hz(), sim_opts.socket_path);

	for (;;) {
		if (sigwait(&wait_set, &sig))
			continue;
		if (sig == SIG_DONE) {
			write_summary();
			continue;
		}
		write_summary();
		sim_server_cleanup();
		return 0;
	}
}
