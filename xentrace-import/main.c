// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: lttng-xen-import's command line, the output directory and its
 * metadata, the conversion loop with its progress, the summary.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctfw.h"
#include "import.h"

#define EXIT_OK	   0
#define EXIT_ERROR 1

#define DEFAULT_TSC_HZ 1000000000ULL
#define NSEC_PER_SEC   1000000000ULL
#define MAX_SHOWN_IDS  10

/* The text as it is shown: no reformatting. */
/* clang-format off */
static const char help[] =
"NAME\n"
"    lttng-xen-import - convert a xentrace file into an lttng-xen CTF trace\n"
"\n"
"SYNOPSIS\n"
"    lttng-xen-import --output DIR [--tsc-hz HZ | --tsc-mhz MHZ]\n"
"                     [--offset SECONDS | --offset host] [--hostname NAME]\n"
"                     [--subbuf-size BYTES] [--max-cpus N]\n"
"                     [--progress | --no-progress] [--quiet] FILE\n"
"    lttng-xen-import --help\n"
"\n"
"DESCRIPTION\n"
"    Reads FILE, the binary file Xen's xentrace writes (per CPU window a\n"
"    TRC_TRACE_CPU_CHANGE record, then that CPU's raw records), and writes\n"
"    DIR, a CTF 1.8 trace with the event and field names of an lttng-xen\n"
"    trace of the hypervisor: each record becomes the typed event the\n"
"    facility XML declares for its xentrace id, through the hypervisor's\n"
"    own remap table, ring buffer and metadata; one stream per CPU\n"
"    (DIR/channel0_CPU), as lttd-xen writes it.  babeltrace2 and Trace\n"
"    Compass read both kinds of trace alike.\n"
"\n"
"    Records without a TSC (call sites that pass cycles=0) get the time of\n"
"    the record before them on their CPU; a gen:untimed event before each\n"
"    run of them says how many of the events that follow have no time of\n"
"    their own.  A TRC_LOST_RECORDS record is kept (gen:lost_records) and\n"
"    its count becomes the stream's discarded events, which babeltrace2\n"
"    reports between the record before it and it.  A record whose event\n"
"    id no facility declares is kept as gen:unknown (id and data words)\n"
"    and counted; the ids are listed at the end.\n"
"\n"
"    A file that is cut short or corrupt (a record or window running past\n"
"    the end of the file, a record running past the end of its window, a\n"
"    malformed CPU change record, a CPU that cannot exist) stops the\n"
"    import with a message giving the byte offset and what is wrong; the\n"
"    trace in DIR then holds every record before that offset and reads\n"
"    as a complete trace; the exit status is 1.\n"
"\n"
"    At the end, one line per CPU (records, untimed, lost, unknown,\n"
"    packets, bytes) and a total line go to standard output.\n"
"\n"
"OPTIONS\n"
"    -o, --output DIR\n"
"        Write the trace to DIR, created if needed (its parent must exist).\n"
"        DIR must be empty.  Required.\n"
"\n"
"    --tsc-hz HZ, --tsc-mhz MHZ\n"
"        The rate of the TSC that stamped the records: the clock's\n"
"        frequency in the metadata.  A xentrace file does not record it;\n"
"        Xen prints it at boot (\"Detected 2394.454 MHz processor\"), and\n"
"        xl info shows cpu_mhz.  Default: 1000000000 (1 GHz), so that a\n"
"        time in nanoseconds reads as a tick count; a note says so.\n"
"\n"
"    --offset SECONDS\n"
"        The Unix time (seconds, with a fraction) at which the TSC was 0,\n"
"        which puts the trace on the Unix epoch: the clock's offset in the\n"
"        metadata.  Default: 0, so that times read as time since the TSC\n"
"        started counting (about the host's boot), shown as 1970 dates.\n"
"        From one pair read together on the traced host, a TSC value T\n"
"        and the Unix time U: SECONDS = U - T / HZ.\n"
"\n"
"    --offset host\n"
"        Measure it on this machine, as lttd-xen does (TSC against\n"
"        CLOCK_REALTIME): right only on the host that recorded FILE,\n"
"        since its last boot (run it in dom0).  The clock's uuid is then\n"
"        this boot's id, as in lttd-xen's traces.\n"
"\n"
"    --hostname NAME\n"
"        The traced host's name, for the trace's environment.  Default:\n"
"        \"unknown\".\n"
"\n"
"    --subbuf-size BYTES\n"
"        Packet size: a power of two from 4096 to 16777216.  Default:\n"
"        262144, as lttd-xen's default session.\n"
"\n"
"    --max-cpus N\n"
"        CPU numbers from N up are corrupt input.  Default and largest:\n"
"        256, the most lttng-xen traces.\n"
"\n"
"    --progress, --no-progress\n"
"        Show the progress on standard error every second, or never.\n"
"        Default: shown when standard error is a terminal.\n"
"\n"
"    -q, --quiet\n"
"        Print errors only: no notes, no summary.\n"
"\n"
"    -h, --help\n"
"        Show this help and exit.\n"
"\n"
"EXIT STATUS\n"
"    0   every record of FILE is in the trace\n"
"    1   an error: the message says what, where and why; the trace holds\n"
"        every record before the error\n"
"    2   bad command line\n"
"\n"
"EXAMPLES\n"
"    Convert a file recorded on a host whose TSC runs at 2394.454 MHz:\n"
"        lttng-xen-import --tsc-mhz 2394.454 -o /tmp/xt-trace xentrace.bin\n"
"        babeltrace2 /tmp/xt-trace\n"
"\n"
"    In dom0, right after recording, with wall-clock times:\n"
"        lttng-xen-import --tsc-mhz \"$(xl info | awk '/cpu_mhz/ {print $3}')\" \\\n"
"                         --offset host -o /tmp/xt-trace xentrace.bin\n"
"\n"
"SEE ALSO\n"
"    xentrace(8), xenalyze(1), lttd-xen(1), babeltrace2(1)\n";
/* clang-format on */

struct opts {
	const char *file;
	const char *dir;
	uint64_t tsc_hz;
	int offset_host;
	int64_t origin_ns; /* Unix time of TSC 0 */
	const char *hostname;
	uint32_t subbuf_size;
	unsigned int max_cpus;
	int progress; /* -1: when stderr is a terminal */
};

enum {
	OPT_TSC_HZ = 256,
	OPT_TSC_MHZ,
	OPT_OFFSET,
	OPT_HOSTNAME,
	OPT_SUBBUF,
	OPT_MAX_CPUS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
};

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"tsc-hz", required_argument, NULL, OPT_TSC_HZ},
	{"tsc-mhz", required_argument, NULL, OPT_TSC_MHZ},
	{"offset", required_argument, NULL, OPT_OFFSET},
	{"hostname", required_argument, NULL, OPT_HOSTNAME},
	{"subbuf-size", required_argument, NULL, OPT_SUBBUF},
	{"max-cpus", required_argument, NULL, OPT_MAX_CPUS},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static uint64_t parse_u64(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		ctfw_usage_error(what, s);
	return v;
}

/* A non-negative decimal with an optional fraction, times scale (a power
 * of ten up to 1e9), exactly: "2394.454" MHz -> Hz, seconds -> ns. */
static uint64_t parse_decimal(const char *s, uint64_t scale, const char *what)
{
	uint64_t whole = 0, frac = 0, div = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		ctfw_usage_error(what, s);
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > UINT64_MAX / 10 / scale)
			ctfw_usage_error(what, s);
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (div < scale) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				div *= 10;
			}
	if (*p)
		ctfw_usage_error(what, s);
	return whole * scale + frac * (scale / div);
}

static void parse_options(int argc, char **argv, struct opts *o)
{
	const char *p;
	uint64_t v;
	int c;

	o->subbuf_size = LTTNG_XEN_DEFAULT_SUBBUF_SIZE;
	o->max_cpus = LTTNG_XEN_MAX_CPUS;
	o->progress = -1;
	o->hostname = "unknown";
	while ((c = getopt_long(argc, argv, "o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->dir = optarg;
			break;
		case OPT_TSC_HZ:
			o->tsc_hz =
				parse_u64(optarg, "--tsc-hz '%s': not a "
						  "number of ticks per second");
			if (!o->tsc_hz)
				ctfw_usage_error(
					"--tsc-hz %s: the rate cannot be 0",
					optarg);
			break;
		case OPT_TSC_MHZ:
			o->tsc_hz = parse_decimal(optarg, 1000000,
						  "--tsc-mhz '%s': not a "
						  "frequency in MHz");
			if (!o->tsc_hz)
				ctfw_usage_error(
					"--tsc-mhz %s: the rate cannot be 0",
					optarg);
			break;
		case OPT_OFFSET:
			o->offset_host = !strcmp(optarg, "host");
			if (o->offset_host)
				break;
			v = parse_decimal(optarg, NSEC_PER_SEC,
					  "--offset '%s': not \"host\" nor a "
					  "Unix time in seconds");
			if (v > (uint64_t)INT64_MAX / 2)
				ctfw_usage_error(
					"--offset %s: too far in the future",
					optarg);
			o->origin_ns = (int64_t)v;
			break;
		case OPT_HOSTNAME:
			for (p = optarg; *p; p++)
				if (*p == '"' || *p == '\\' ||
				    (unsigned char)*p < ' ')
					ctfw_usage_error(
						"--hostname '%s': quotes, "
						"backslashes and control "
						"characters are not allowed",
						optarg);
			o->hostname = optarg;
			break;
		case OPT_SUBBUF:
			v = parse_u64(
				optarg,
				"--subbuf-size '%s': not a size in bytes");
			if (v & (v - 1) || v < LTTNG_XEN_MIN_SUBBUF_SIZE ||
			    v > LTTNG_XEN_MAX_SUBBUF_SIZE)
				ctfw_usage_error(
					"--subbuf-size %s: a power of two "
					"from 4096 to 16777216 is needed",
					optarg);
			o->subbuf_size = (uint32_t)v;
			break;
		case OPT_MAX_CPUS:
			o->max_cpus = (unsigned int)parse_u64(
				optarg,
				"--max-cpus '%s': not a number of CPUs");
			if (o->max_cpus < 1 || o->max_cpus > LTTNG_XEN_MAX_CPUS)
				ctfw_usage_error(
					"--max-cpus %s: must be 1 to 256",
					optarg);
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			o->progress = 0;
			break;
		case 'q':
			ctfw_quiet = 1;
			break;
		case 'h':
			fputs(help, stdout);
			exit(EXIT_OK);
		default:
			ctfw_usage_error("%s",
					 "unknown option or missing argument");
		}
	}
	if (optind != argc - 1)
		ctfw_usage_error("%s", optind < argc ?
					 "one xentrace FILE only" :
					 "no xentrace FILE given");
	o->file = argv[optind];
	if (!o->dir)
		ctfw_usage_error("%s",
				 "no output directory: --output DIR is needed");
	if (o->progress < 0)
		o->progress = isatty(STDERR_FILENO);
}

/* DIR, new or empty; its descriptor, or -1. */
static int open_output(const char *dir)
{
	struct dirent *e;
	int fd, dup_fd;
	DIR *d;

	if (mkdir(dir, 0750) && errno != EEXIST) {
		ctfw_err("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ctfw_err("cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	dup_fd = dup(fd);
	d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		ctfw_err("cannot read %s: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			ctfw_err(
				"%s is not empty (it holds %s); choose another "
				"output directory",
				dir, e->d_name);
			closedir(d);
			close(fd);
			return -1;
		}
	closedir(d);
	return fd;
}

/* Writes DIR/metadata; *origin_ns: the Unix time of TSC 0 it gives. */
static int write_metadata(int dir_fd, const struct opts *o,
			  const uint8_t uuid[16], int64_t *origin_ns)
{
	struct ctfw_metadata m;
	int64_t origin = o->origin_ns;

	ctfw_metadata_init(&m, uuid, o->tsc_hz);
	snprintf(m.hostname, sizeof(m.hostname), "%s", o->hostname);
	if (o->offset_host) {
		if (ctfw_clock_origin(m.freq, &origin,
				      &m.offset_uncertainty_ns)) {
			ctfw_err("cannot measure this host's TSC against "
				 "CLOCK_REALTIME: the TSC (at %" PRIu64 " Hz) "
				 "counts more time than the Unix epoch; wrong "
				 "--tsc-hz, or the system time is not set",
				 m.freq);
			return -1;
		}
		ctfw_clock_uuid(uuid, m.clock_uuid);
	}
	ctfw_clock_offset(&m, origin);
	*origin_ns = origin;
	return ctfw_metadata_write(dir_fd, o->dir, &m);
}

/*
 * The largest TSC whose time a CTF reader can hold: babeltrace2 counts
 * nanoseconds from the Unix epoch in an int64_t (up to year 2262).  A
 * larger one is a corrupt record, not a time.
 */
static uint64_t max_tsc(uint64_t hz, int64_t origin_ns)
{
	unsigned __int128 ticks =
		(unsigned __int128)(INT64_MAX - origin_ns) * hz / NSEC_PER_SEC;

	return ticks > UINT64_MAX ? UINT64_MAX : (uint64_t)ticks;
}

static int make_uuid(uint8_t uuid[16])
{
	if (getrandom(uuid, 16, 0) != 16) {
		ctfw_err("cannot make the trace's uuid: getrandom: %s",
			 strerror(errno));
		return -1;
	}
	uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40); /* version 4 */
	uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
	return 0;
}

static const void *map_input(const char *file, uint64_t *size)
{
	struct stat st;
	void *p;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		ctfw_err("cannot open %s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		ctfw_err("cannot import %s: %s", file,
			 S_ISREG(st.st_mode) ? "the file is empty (xentrace "
					       "wrote no records)"
					     : "not a regular file");
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		ctfw_err("cannot map %s: %s", file, strerror(errno));
		return NULL;
	}
	madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
	*size = (uint64_t)st.st_size;
	return p;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(const struct xt_reader *r, uint64_t records, int last)
{
	fprintf(stderr,
		"%s: %3u%% (%" PRIu64 " of %" PRIu64 " bytes, %" PRIu64
		" records)%s",
		XI_NAME, (unsigned int)(r->off * 100 / r->size), r->off,
		r->size, records, last || !isatty(STDERR_FILENO) ? "\n" : "\r");
}

static void summary(const struct opts *o, uint64_t windows)
{
	struct xi_unknown ids[MAX_SHOWN_IDS];
	struct xi_cpu_stats t = {0};
	const struct xi_cpu_stats *s;
	char per_cpu[1024] = "";
	unsigned int cpu, n, i;
	size_t len = 0;

	for (cpu = 0; cpu < convert_nr_cpus(); cpu++) {
		s = convert_cpu_stats(cpu);
		if (!s)
			continue;
		ctfw_say("CPU %u: %" PRIu64 " records (%" PRIu64
			 " untimed, %" PRIu64 " unknown), %" PRIu64
			 " lost, %" PRIu64 " TSC steps back, %" PRIu64
			 " packets, %" PRIu64 " bytes",
			 cpu, s->records, s->untimed, s->unknown, s->lost,
			 s->backwards, s->packets, s->bytes);
		if (len < sizeof(per_cpu))
			len += (size_t)snprintf(
				per_cpu + len, sizeof(per_cpu) - len,
				"%sCPU %u: %" PRIu64, len ? ", " : "", cpu,
				s->records);
		t.records += s->records;
		t.untimed += s->untimed;
		t.unknown += s->unknown;
		t.lost += s->lost;
		t.backwards += s->backwards;
	}
	ctfw_say("%s: %" PRIu64 " records in %" PRIu64 " windows (%s), %" PRIu64
		 " lost, %" PRIu64 " untimed, %" PRIu64 " unknown, %" PRIu64
		 " TSC steps back -> %s",
		 o->file, t.records, windows, len ? per_cpu : "no CPU", t.lost,
		 t.untimed, t.unknown, t.backwards, o->dir);
	n = convert_unknown_ids(ids, MAX_SHOWN_IDS);
	for (i = 0; i < n && i < MAX_SHOWN_IDS; i++)
		ctfw_note("event id 0x%07" PRIx32 " is in no facility: %" PRIu64
			  " records kept as gen:unknown",
			  ids[i].event, ids[i].count);
	if (n > MAX_SHOWN_IDS)
		ctfw_note("... and %u more unknown event ids",
			  n - MAX_SHOWN_IDS);
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct xi_options xo;
	struct xt_reader r;
	struct xt_record rec;
	uint8_t uuid[16];
	uint64_t size, records = 0;
	int64_t origin;
	const void *data;
	double next_show = 0;
	int dir_fd, rc, failed = 0;

	ctfw_prog = XI_NAME;
	parse_options(argc, argv, &o);
	if (!o.tsc_hz) {
		o.tsc_hz = DEFAULT_TSC_HZ;
		ctfw_note("no --tsc-hz or --tsc-mhz: the clock is taken to run "
			  "at 1 GHz (times in ns are TSC ticks)");
	}
	data = map_input(o.file, &size);
	if (!data)
		return EXIT_ERROR;
	dir_fd = open_output(o.dir);
	if (dir_fd < 0 || make_uuid(uuid) ||
	    write_metadata(dir_fd, &o, uuid, &origin))
		return EXIT_ERROR;
	xo.subbuf_size = o.subbuf_size;
	if (convert_init(dir_fd, o.dir, uuid, &xo))
		return EXIT_ERROR;

	xt_reader_init(&r, data, size, o.max_cpus, max_tsc(o.tsc_hz, origin));
	while ((rc = xt_next(&r, &rec)) == 1) {
		if (convert_record(&rec, &r)) {
			failed = 1;
			break;
		}
		records++;
		if (o.progress && !(records & 0xffff) &&
		    seconds() >= next_show) {
			show_progress(&r, records, 0);
			next_show = seconds() + 1;
		}
	}
	if (convert_finish())
		failed = 1;
	if (o.progress && next_show)
		show_progress(&r, records, 1);
	if (!ctfw_quiet)
		summary(&o, r.window_no);
	if (rc < 0)
		ctfw_err("cannot import %s: byte %" PRIu64 ": %s; %s holds the "
			 "records before it",
			 o.file, r.err_offset, r.err, o.dir);
	else if (failed)
		ctfw_err("cannot import %s: stopped at byte %" PRIu64
			 " (above); %s holds the records before it",
			 o.file, r.off, o.dir);
	return rc < 0 || failed ? EXIT_ERROR : EXIT_OK;
}
