// SPDX-License-Identifier: GPL-2.0-only
/*
 * lttctl-xen: the sysadmin's control tool for lttng-xen.  This file: the
 * command line (global options, verbs and their options) and the help
 * texts, which are the manual pages (make install makes them into
 * lttctl-xen(1) and lttctl-xen-VERB(1)).  Every option value is checked
 * before lttctl-xen talks to the producer.  Runs one verb (verb-*.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event-ids.h"
#include "lttctl.h"

#define LTTCTL_VERSION "0.1"

/* Options, as bits of a verb's allowed set. */
enum {
	OPT_TRANSPORT = 1 << 0,
	OPT_CREATE = 1 << 1, /* --output --mode --subbuf-size ... */
	OPT_OUTPUT = 1 << 2, /* --output alone (snapshot) */
	OPT_VERBOSE = 1 << 3,
	OPT_FORCE = 1 << 4,
	OPT_NAME = 1 << 5, /* the positional NAME */
	OPT_OUTPUT_DIR = 1 << 6,
};

struct lttctl_verb {
	const char *name;
	int (*fn)(struct lttctl_opts *o);
	unsigned int opts;
	const char *help;
};

/* The help texts, laid out as they print. */
/* clang-format off */
static const char main_help[] =
	"NAME\n"
	"    lttctl-xen - control lttng-xen, the Xen hypervisor tracer\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen [--transport SPEC] VERB [OPTIONS]\n"
	"    lttctl-xen --help | --version\n"
	"\n"
	"DESCRIPTION\n"
	"    lttctl-xen records the hypervisor's tracepoints into a CTF trace\n"
	"    that babeltrace2 and Trace Compass read.  There is one session at\n"
	"    a time: create it (or let start create one with the defaults),\n"
	"    start and stop recording, destroy it.\n"
	"\n"
	"    In discard mode (the default), start runs lttd-xen, which writes\n"
	"    each buffer to the trace directory as it fills; when the buffers\n"
	"    are full, new events are dropped and counted.  In overwrite\n"
	"    (flight-recorder) mode, the newest events stay in the hypervisor's\n"
	"    buffers, overwriting the oldest, until snapshot writes them out.\n"
	"\n"
	"VERBS\n"
	"    create     set up a session: events, CPUs, buffers, mode, output\n"
	"    start      start recording (creates a default session if none)\n"
	"    stop       stop recording, wait until the trace is on disk, and\n"
	"               summarize it\n"
	"    status     the session, the producer's state, per-CPU counters\n"
	"    snapshot   write a flight recorder's buffers out as a trace\n"
	"    destroy    stop if needed, free the buffers, forget the session\n"
	"    list       every facility and event\n"
	"\n"
	"    'lttctl-xen VERB --help' describes a verb and its options.\n"
	"\n"
	"OPTIONS\n"
	"    --transport SPEC\n"
	"        How to reach the producer: 'xen' (the hypervisor, from dom0)\n"
	"        or 'sim:PATH' (the simulator listening on the socket PATH).\n"
	"        Default: $LTTNG_XEN_TRANSPORT, else 'xen'.  create saves it in\n"
	"        the session; later verbs use the session's.\n"
	"    -h, --help\n"
	"        Show this help.\n"
	"    --version\n"
	"        Show the version, ABI version and number of events.\n"
	"\n"
	"ENVIRONMENT\n"
	"    LTTNG_XEN_HOME       state directory: the session file, lttd-xen's\n"
	"                         pid file; default traces go to its traces/\n"
	"                         (default: /var/lib/lttng-xen)\n"
	"    LTTNG_XEN_TRANSPORT  the default --transport\n"
	"    LTTD_XEN             the lttd-xen program to run (default: the\n"
	"                         one next to lttctl-xen)\n"
	"\n"
	"EXIT STATUS\n"
	"    0  success\n"
	"    1  runtime error: no session, already running, the producer\n"
	"       unreachable or refusing, lttd-xen failing\n"
	"    2  usage error: unknown verb or option, bad value\n"
	"\n"
	"EXAMPLES\n"
	"    Record everything, then read it:\n"
	"        lttctl-xen start\n"
	"        lttctl-xen stop\n"
	"        babeltrace2 /var/lib/lttng-xen/traces/auto-20240131-093000\n"
	"\n"
	"    Scheduling and VM exits on CPUs 0 to 3, 1 MiB sub-buffers:\n"
	"        lttctl-xen create --events sched,hvm:vmexit --cpus 0-3 \\\n"
	"            --subbuf-size 1M\n"
	"        lttctl-xen start\n"
	"\n"
	"    A flight recorder, written out when something goes wrong:\n"
	"        lttctl-xen create --mode overwrite\n"
	"        lttctl-xen start\n"
	"        lttctl-xen snapshot\n"
	"\n"
	"SEE ALSO\n"
	"    lttctl-xen-create(1), lttctl-xen-start(1), lttctl-xen-stop(1),\n"
	"    lttctl-xen-status(1), lttctl-xen-snapshot(1),\n"
	"    lttctl-xen-destroy(1), lttctl-xen-list(1), lttd-xen(1),\n"
	"    babeltrace2(1)\n";

static const char create_help[] =
	"NAME\n"
	"    lttctl-xen create - set up a tracing session\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen create [NAME] [--output DIR] [--mode discard|overwrite]\n"
	"        [--subbuf-size SIZE] [--num-subbufs N] [--cpus LIST]\n"
	"        [--events LIST] [--domains LIST] [--transport SPEC]\n"
	"        [--guests LIST [--relay ADDR] [--guest-events LIST]]\n"
	"\n"
	"DESCRIPTION\n"
	"    Checks the options, allocates the producer's buffers (one per\n"
	"    traced CPU: N sub-buffers of SIZE bytes), selects the events and\n"
	"    the domains, and saves the session in $LTTNG_XEN_HOME/session.\n"
	"    Nothing is recorded until start.  One session exists at a time:\n"
	"    destroy the old one first.\n"
	"\n"
	"OPTIONS\n"
	"    NAME\n"
	"        The session's name (letters, digits, '_', '.', '-'); default\n"
	"        'auto'.\n"
	"    -o, --output DIR\n"
	"        Discard mode: the trace directory (must not hold a trace).\n"
	"        Default: $LTTNG_XEN_HOME/traces/NAME-YYYYmmdd-HHMMSS.  Starting\n"
	"        the session again after a stop writes DIR-2, DIR-3, ...\n"
	"        Overwrite mode: where snapshots go (default:\n"
	"        $LTTNG_XEN_HOME/traces).\n"
	"    -m, --mode discard|overwrite\n"
	"        discard (default): when a buffer is full, new events are\n"
	"        dropped and counted.  overwrite: the oldest are overwritten\n"
	"        (flight recorder; write the buffers out with snapshot).\n"
	"    -s, --subbuf-size SIZE\n"
	"        Bytes per sub-buffer (one CTF packet): a power of two from 4k\n"
	"        to 16M, with an optional k or M suffix.  Default: 256k.\n"
	"    -n, --num-subbufs N\n"
	"        Sub-buffers per CPU: a power of two from 2 to 256.  Default: 4.\n"
	"        SIZE x N is at most 256M.\n"
	"    -c, --cpus LIST\n"
	"        CPUs to trace: 'all' (default) or numbers and ranges, e.g.\n"
	"        0,2-3.  A listed CPU that comes online later is traced then.\n"
	"    -e, --events LIST\n"
	"        Events to record, comma-separated (default: all):\n"
	"          all            every event\n"
	"          FACILITY       every event of a facility (class): sched, hvm\n"
	"          FACILITY:EVENT one event: hvm:vmexit\n"
	"          PATTERN        a glob: sched:*, *:schedule, csched*\n"
	"          -ITEM          remove what ITEM selects; a list starting\n"
	"                         with one starts from all: -hvm,-pv\n"
	"        --events may be repeated: the lists add up.\n"
	"        'lttctl-xen list' shows every facility and event.\n"
	"    -d, --domains LIST\n"
	"        Domains to record: 'all' (default) or ids, ranges and names,\n"
	"        e.g. 1,3-4,web-01 (at most 32 domains, ids below 32752).  The\n"
	"        hypervisor then keeps only the events a listed domain runs\n"
	"        (its hypercalls, faults, VM exits, the interrupts taken while\n"
	"        it runs) and the events whose domain fields name one (the\n"
	"        scheduler's events about its vCPUs, its creation, destruction\n"
	"        and name), whichever domain runs them: enough to follow the\n"
	"        listed domains' scheduling and lifecycle.  Other events are\n"
	"        dropped as they happen, before they reach a buffer; they are\n"
	"        not counted as lost.  Events run by the idle domain or by Xen\n"
	"        for no domain are dropped too, unless they name a listed\n"
	"        domain.  A name is looked up each time the buffers are set up\n"
	"        (create, and start after a stop): in xenstore in dom0, in the\n"
	"        file $LTTNG_XEN_SIM_DOMAINS names with the simulator; a name\n"
	"        no domain has then is an error.  'lttctl-xen status' shows the\n"
	"        list.\n"
	"    --guests LIST\n"
	"        Also trace these guests' kernels with LTTng, on the\n"
	"        hypervisor trace's clock, into the same directory: 'dom0',\n"
	"        domU ids and names, or 'all' (dom0 and every domU running at\n"
	"        start).  Each run's directory DIR then holds DIR/hypervisor,\n"
	"        DIR/dom0 and DIR/NAME for each domU, and 'babeltrace2 DIR'\n"
	"        reads them as one timeline.  dom0 is traced by\n"
	"        lttng-xen-guest(1), run here; a domU by the lttng-xen-guest\n"
	"        agent running in it ('lttng-xen-guest watch'), asked through\n"
	"        xenstore, which streams its trace to an lttng-relayd that\n"
	"        start runs in dom0 and stop ends.  Each needs a kernel built\n"
	"        with lttng-xen's linux-patches and LTTng modules.  A guest\n"
	"        that cannot be traced (no agent, its TSC not the host's, no\n"
	"        LTTng) is named with the reason by start, status and stop;\n"
	"        the others and the hypervisor are traced all the same.\n"
	"        Discard mode only.\n"
	"    --relay ADDR\n"
	"        dom0's address as the domUs reach it (their LTTng streams to\n"
	"        lttng-relayd at net://ADDR); needed when --guests names domUs.\n"
	"    --guest-events LIST\n"
	"        The guests' LTTng kernel events, as 'lttng enable-event\n"
	"        --kernel' takes them (default: guest_*, lttng-xen's guest\n"
	"        events; e.g. guest_*,sched_switch).\n"
	"    --transport SPEC\n"
	"        'xen' or 'sim:PATH' (see lttctl-xen --help); saved in the\n"
	"        session.\n"
	"\n"
	"EXIT STATUS\n"
	"    0 created; 1 a session exists or the producer failed; 2 bad option.\n"
	"\n"
	"EXAMPLES\n"
	"    lttctl-xen create\n"
	"    lttctl-xen create boot --events sched,hvm --cpus 0-1 -o /srv/trace\n"
	"    lttctl-xen create guests --domains 1,2\n"
	"    lttctl-xen create io --guests all --relay 10.0.0.1\n"
	"    lttctl-xen create crash --mode overwrite --subbuf-size 1M \\\n"
	"        --num-subbufs 8 --events -hw\n";

static const char start_help[] =
	"NAME\n"
	"    lttctl-xen start - start recording\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen start [create's options]\n"
	"\n"
	"DESCRIPTION\n"
	"    Starts recording for the session.  With no session, first creates\n"
	"    one as create would, from the options given here (all default:\n"
	"    every event on every CPU, discard mode).\n"
	"\n"
	"    In discard mode start first runs lttd-xen (found next to\n"
	"    lttctl-xen, or $LTTD_XEN) as a daemon writing the session's trace\n"
	"    directory, waits until it is ready, then starts the producer.  Its\n"
	"    messages go to DIR/.lttd-xen.log.  In overwrite mode the events\n"
	"    stay in the producer's buffers until snapshot.\n"
	"\n"
	"    With --guests, once the hypervisor records, start traces the\n"
	"    guests' kernels on its clock (see create --help): dom0's with\n"
	"    lttng-xen-guest, each domU's through its agent (up to 120 s for\n"
	"    their answers).  It names every guest traced and every guest\n"
	"    not traced, with the reason; those never fail the start.\n"
	"\n"
	"    If any step fails, start undoes the others: it stops lttd-xen, and\n"
	"    destroys a session it created.\n"
	"\n"
	"OPTIONS\n"
	"    Those of create (lttctl-xen create --help), used only when no\n"
	"    session exists.\n"
	"\n"
	"EXIT STATUS\n"
	"    0 recording; 1 already running, lttd-xen or the producer failed;\n"
	"    2 bad option.\n"
	"\n"
	"EXAMPLES\n"
	"    lttctl-xen start\n"
	"    lttctl-xen start --events sched --transport sim:/run/sim.sock\n"
	"    lttctl-xen start --guests dom0,web-01 --relay 192.168.0.1\n";

static const char stop_help[] =
	"NAME\n"
	"    lttctl-xen stop - stop recording and finish the trace\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen stop\n"
	"\n"
	"DESCRIPTION\n"
	"    Stops the producer, which flushes every buffer.  In discard mode,\n"
	"    waits for lttd-xen to write the rest and exit (up to 60 s, with\n"
	"    progress after 2 s).  Then prints per CPU the events produced,\n"
	"    discarded (buffers full) and lost, the bytes written, the trace\n"
	"    directory and the command that reads it.  If lttd-xen failed or\n"
	"    died, says so with its log and exits 1: the trace then holds what\n"
	"    it wrote up to the last complete packet.\n"
	"\n"
	"    With --guests, stop first ends the guests' LTTng sessions (the\n"
	"    domUs', through their agents, up to 120 s; then dom0's), so their\n"
	"    events lie within the hypervisor's, then lttng-relayd, and puts\n"
	"    each domU's trace in DIR/NAME.  The summary names the guests\n"
	"    traced and those not traced, with the reason.\n"
	"\n"
	"    The session remains: start records again (into a new directory),\n"
	"    destroy frees it.  In overwrite mode the events stay in the\n"
	"    buffers for snapshot.\n"
	"\n"
	"EXIT STATUS\n"
	"    0 stopped and written; 1 not running, lttd-xen failed, or the\n"
	"    producer failed; 2 bad option.\n"
	"\n"
	"EXAMPLES\n"
	"    lttctl-xen stop && babeltrace2 \"$(lttctl-xen status --output-dir)\"\n";

static const char status_help[] =
	"NAME\n"
	"    lttctl-xen status - show the session and its counters\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen status [--output-dir]\n"
	"\n"
	"DESCRIPTION\n"
	"    Shows the session (name, state, mode, buffer sizes, CPUs, domains,\n"
	"    events, output directory), lttd-xen's pid and whether it is alive, the\n"
	"    producer's state, and a table of per-CPU counters: events produced,\n"
	"    discarded (buffer full), lost (too large, or overwritten while\n"
	"    written), sub-buffers overwritten, bytes consumed by lttd-xen and\n"
	"    bytes pending in the buffer.\n"
	"\n"
	"OPTIONS\n"
	"    --output-dir\n"
	"        Print only the session's current trace directory.\n"
	"\n"
	"EXIT STATUS\n"
	"    0 shown (also when there is no session); 1 the producer is\n"
	"    unreachable or the session file is unreadable; 2 bad option.\n";

static const char snapshot_help[] =
	"NAME\n"
	"    lttctl-xen snapshot - write the flight recorder out\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen snapshot [--output DIR]\n"
	"\n"
	"DESCRIPTION\n"
	"    For an overwrite-mode session, running or stopped: runs\n"
	"    lttd-xen --snapshot, which writes the newest complete sub-buffers\n"
	"    of every CPU to a new trace directory, and prints where.\n"
	"\n"
	"OPTIONS\n"
	"    -o, --output DIR\n"
	"        Where to write (must not hold a trace).  Default:\n"
	"        OUTPUT/NAME-snapshot-YYYYmmdd-HHMMSS, where OUTPUT is the\n"
	"        session's --output ($LTTNG_XEN_HOME/traces by default).\n"
	"\n"
	"EXIT STATUS\n"
	"    0 written; 1 no overwrite-mode session, or lttd-xen failed; 2 bad\n"
	"    option.\n";

static const char destroy_help[] =
	"NAME\n"
	"    lttctl-xen destroy - end the session\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen destroy [--force]\n"
	"\n"
	"DESCRIPTION\n"
	"    Stops recording first if it is running (as stop does), frees the\n"
	"    producer's buffers and removes the session file.  Traces already\n"
	"    written stay where they are.\n"
	"\n"
	"OPTIONS\n"
	"    -f, --force\n"
	"        Remove the session even if the producer cannot be reached,\n"
	"        and kill lttd-xen if it does not finish; the lttng-relayd\n"
	"        start ran for --guests is ended too (the domUs' and dom0's\n"
	"        LTTng sessions are not told: lttng destroy in each).  With\n"
	"        no session, stop and free whatever the producer holds (for\n"
	"        buffers left by another LTTNG_XEN_HOME or a lost session\n"
	"        file).\n"
	"\n"
	"EXIT STATUS\n"
	"    0 destroyed; 1 no session, or the producer failed; 2 bad option.\n";

static const char list_help[] =
	"NAME\n"
	"    lttctl-xen list - list the facilities and events\n"
	"\n"
	"SYNOPSIS\n"
	"    lttctl-xen list [--verbose]\n"
	"\n"
	"DESCRIPTION\n"
	"    Lists every event this build of lttng-xen knows, by facility, as\n"
	"    FACILITY:EVENT: the names create --events takes and babeltrace2\n"
	"    prints.  docs/events.md describes each event and its fields.\n"
	"\n"
	"OPTIONS\n"
	"    -v, --verbose\n"
	"        Also show each event's id and fixed payload size.\n"
	"\n"
	"EXIT STATUS\n"
	"    0 listed; 2 bad option.\n";

/* clang-format on */

static const struct lttctl_verb verbs[] = {
	{"create", lttctl_cmd_create, OPT_TRANSPORT | OPT_CREATE | OPT_NAME,
	 create_help},
	{"start", lttctl_cmd_start, OPT_TRANSPORT | OPT_CREATE | OPT_NAME,
	 start_help},
	{"stop", lttctl_cmd_stop, OPT_TRANSPORT, stop_help},
	{"status", lttctl_cmd_status, OPT_TRANSPORT | OPT_OUTPUT_DIR,
	 status_help},
	{"snapshot", lttctl_cmd_snapshot, OPT_TRANSPORT | OPT_OUTPUT,
	 snapshot_help},
	{"destroy", lttctl_cmd_destroy, OPT_TRANSPORT | OPT_FORCE,
	 destroy_help},
	{"list", lttctl_cmd_list, OPT_VERBOSE, list_help},
};

static const struct lttctl_verb *find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	}
	return NULL;
}

enum {
	LONG_TRANSPORT = 256,
	LONG_VERSION,
	LONG_OUTPUT_DIR,
	LONG_GUESTS,
	LONG_RELAY,
	LONG_GUEST_EVENTS,
};

static const struct option verb_longopts[] = {
	{"transport", required_argument, NULL, LONG_TRANSPORT},
	{"output", required_argument, NULL, 'o'},
	{"mode", required_argument, NULL, 'm'},
	{"subbuf-size", required_argument, NULL, 's'},
	{"num-subbufs", required_argument, NULL, 'n'},
	{"cpus", required_argument, NULL, 'c'},
	{"events", required_argument, NULL, 'e'},
	{"domains", required_argument, NULL, 'd'},
	{"guests", required_argument, NULL, LONG_GUESTS},
	{"relay", required_argument, NULL, LONG_RELAY},
	{"guest-events", required_argument, NULL, LONG_GUEST_EVENTS},
	{"verbose", no_argument, NULL, 'v'},
	{"force", no_argument, NULL, 'f'},
	{"output-dir", no_argument, NULL, LONG_OUTPUT_DIR},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* Which option group an option belongs to. */
static unsigned int option_group(int opt)
{
	switch (opt) {
	case LONG_TRANSPORT:
		return OPT_TRANSPORT;
	case 'o':
		return OPT_CREATE | OPT_OUTPUT;
	case 'm':
	case 's':
	case 'n':
	case 'c':
	case 'e':
	case 'd':
	case LONG_GUESTS:
	case LONG_RELAY:
	case LONG_GUEST_EVENTS:
		return OPT_CREATE;
	case 'v':
		return OPT_VERBOSE;
	case LONG_OUTPUT_DIR:
		return OPT_OUTPUT_DIR;
	case 'f':
		return OPT_FORCE;
	}
	return 0;
}

static const char *option_text(const char *arg)
{
	return arg[0] == '-' && arg[1] == '-' ? arg : "this option";
}

/* The option getopt_long just returned, as written. */
static const char *current_option(char **argv)
{
	if (optarg && optind >= 2 && optarg == argv[optind - 1])
		return argv[optind - 2];
	return argv[optind - 1];
}

/* Set *dst once; an option given twice is an error. */
static int set_once(const char **dst, const char *val, const char *opt)
{
	if (*dst) {
		lttctl_usage_error("--%s given twice", opt);
		return -1;
	}
	*dst = val;
	return 0;
}

/* --events may be given several times: the lists add up. */
static int add_events(struct lttctl_opts *o, const char *val)
{
	static char joined[LTTCTL_SPEC_MAX];
	size_t len;

	if (!o->events) {
		o->events = val;
		return 0;
	}
	if (o->events != joined)
		snprintf(joined, sizeof(joined), "%s", o->events);
	len = strlen(joined);
	if (len + 1 + strlen(val) >= sizeof(joined)) {
		lttctl_usage_error("--events: the list is too long");
		return -1;
	}
	snprintf(joined + len, sizeof(joined) - len, ",%s", val);
	o->events = joined;
	return 0;
}

static int parse_verb_options(const struct lttctl_verb *v, int argc,
			      char **argv, struct lttctl_opts *o)
{
	const char *short_opts = ":o:m:s:n:c:e:d:vfh";
	int opt, idx;

	optind = 0; /* glibc: a full restart of the scan */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, short_opts, verb_longopts,
				  &idx)) != -1) {
		const char *name = "";
		int ret = 0;

		if (opt == 'h') {
			fputs(v->help, stdout);
			exit(EXIT_OK);
		}
		if (opt == '?') {
			lttctl_usage_error("unknown option '%s'",
					   argv[optind - 1]);
			return -1;
		}
		if (opt == ':') {
			lttctl_usage_error("%s needs a value",
					   option_text(argv[optind - 1]));
			return -1;
		}
		if (!(option_group(opt) & v->opts)) {
			lttctl_usage_error("'%s' is not an option of %s",
					   current_option(argv), v->name);
			return -1;
		}
		for (idx = 0; verb_longopts[idx].name; idx++) {
			if (verb_longopts[idx].val == opt)
				name = verb_longopts[idx].name;
		}
		switch (opt) {
		case LONG_TRANSPORT:
			ret = set_once(&o->transport, optarg, name);
			break;
		case 'o':
			ret = set_once(&o->output, optarg, name);
			break;
		case 'm':
			ret = set_once(&o->mode, optarg, name);
			break;
		case 's':
			ret = set_once(&o->subbuf_size, optarg, name);
			break;
		case 'n':
			ret = set_once(&o->nr_subbufs, optarg, name);
			break;
		case 'c':
			ret = set_once(&o->cpus, optarg, name);
			break;
		case 'e':
			ret = add_events(o, optarg);
			break;
		case 'd':
			ret = set_once(&o->domains, optarg, name);
			break;
		case LONG_GUESTS:
			ret = set_once(&o->guests, optarg, name);
			break;
		case LONG_RELAY:
			ret = set_once(&o->relay, optarg, name);
			break;
		case LONG_GUEST_EVENTS:
			ret = set_once(&o->guest_events, optarg, name);
			break;
		case 'v':
			o->verbose = true;
			break;
		case LONG_OUTPUT_DIR:
			o->output_dir_only = true;
			break;
		case 'f':
			o->force = true;
			break;
		}
		if (ret)
			return -1;
	}
	if (optind < argc && (v->opts & OPT_NAME) && !o->name)
		o->name = argv[optind++];
	if (optind < argc) {
		lttctl_usage_error("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

static void print_version(void)
{
	printf("lttctl-xen (lttng-xen) %s\n"
	       "ABI version %d, %d events in %d facilities, metadata hash "
	       "%016llx\n",
	       LTTCTL_VERSION, LTTNG_XEN_ABI_VERSION, LTTNG_XEN_NR_EVENTS,
	       LTTNG_XEN_NR_FACILITIES,
	       (unsigned long long)LTTNG_XEN_METADATA_HASH);
}

/* Global options, up to the verb: --transport, --help, --version. */
static int parse_global(int argc, char **argv, struct lttctl_opts *o)
{
	static const struct option longopts[] = {
		{"transport", required_argument, NULL, LONG_TRANSPORT},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, LONG_VERSION},
		{NULL, 0, NULL, 0},
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(main_help, stdout);
			exit(EXIT_OK);
		case LONG_VERSION:
			print_version();
			exit(EXIT_OK);
		case LONG_TRANSPORT:
			o->transport = optarg;
			break;
		case ':':
			lttctl_usage_error("%s needs a value",
					   option_text(argv[optind - 1]));
			return -1;
		default:
			lttctl_usage_error(
				"unknown option '%s' (options go after "
				"the verb, except --transport)",
				argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

int main(int argc, char **argv)
{
	struct lttctl_opts o = {0};
	const struct lttctl_verb *v;
	const char *global_transport, *why;
	int first;

	first = parse_global(argc, argv, &o);
	if (first < 0)
		return EXIT_USAGE;
	if (first == argc) {
		lttctl_usage_error(
			"no verb given (create, start, stop, status, "
			"snapshot, destroy, list)");
		return EXIT_USAGE;
	}
	v = find_verb(argv[first]);
	if (!v) {
		lttctl_usage_error("unknown verb '%s' (create, start, stop, "
				   "status, snapshot, destroy, list)",
				   argv[first]);
		return EXIT_USAGE;
	}
	lttctl_set_verb(v->name);
	global_transport = o.transport;
	o.transport = NULL;
	if (parse_verb_options(v, argc - first, argv + first, &o))
		return EXIT_USAGE;
	if (global_transport && o.transport &&
	    strcmp(global_transport, o.transport)) {
		lttctl_usage_error("--transport given twice, differently");
		return EXIT_USAGE;
	}
	if (!o.transport)
		o.transport = global_transport;
	if (o.transport && lttctl_check_transport(o.transport, &why)) {
		lttctl_usage_error("--transport %s: %s", o.transport, why);
		return EXIT_USAGE;
	}
	return v->fn(&o);
}
