// SPDX-License-Identifier: GPL-2.0-only
/*
 * harness.c: the measuring part of the benchmark programs, the same for
 * lttng-xen and LTTng-UST so that both are timed the same way.
 *
 * Every run prints one JSON object on a line of its own; bench/report.py
 * takes medians over runs and ratios between tracers.  Nothing here
 * decides whether a number is good: machines are shared and noisy.
 *
 * Modes (see usage()):
 *   info      the clock and the machine
 *   record    ns per recorded event: writers pinned one per CPU, each on
 *             its own buffer, started together, N events each
 *   disabled  ns per call of a tracepoint that is off, and of the same
 *             loop without it
 *   inline    one writer, the consumer called between batches of events
 *             (deterministic: for callgrind)
 *   rate      writers limited to a total rate: are events discarded?
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

struct bench_opts {
	const char *mode;
	const char *label; /* "bench" in the output; default: the mode */
	const char *kinds; /* comma-separated kind names; NULL: all */
	unsigned int threads[8];
	unsigned int nr_threads;
	unsigned int runs;
	unsigned int warmup;
	uint64_t events; /* per writer */
	uint64_t batch;	 /* inline mode */
	double rate;	 /* rate mode: events/s, all writers together */
	const char *out_dir;
};

struct writer {
	pthread_t tid;
	const struct bench_backend *be;
	const struct bench_kind *kind;
	unsigned int idx;
	int cpu;
	uint64_t n;
	double rate; /* events/s for this writer; 0: flat out */
	uint64_t ns; /* results */
	uint64_t cycles;
	uint64_t *batch;     /* ticks of each batch without lost events */
	uint64_t nr_batches; /* batches run */
	uint64_t nr_clean;   /* of which without lost events */
};

static int start_ready;
static int start_go;
static int cpus[BENCH_MAX_THREADS];
static unsigned int nr_cpus;
static unsigned int spare_first; /* cpus[spare_first..] have no writer */

uint64_t bench_rdtsc(void)
{
	return __builtin_ia32_rdtsc();
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* TSC ticks per second, measured once against CLOCK_MONOTONIC. */
uint64_t bench_tsc_hz(void)
{
	static uint64_t hz;
	uint64_t t0, c0, t1, c1;

	if (hz)
		return hz;
	t0 = now_ns();
	c0 = bench_rdtsc();
	do
		t1 = now_ns();
	while (t1 - t0 < 50000000);
	c1 = bench_rdtsc();
	hz = (uint64_t)((double)(c1 - c0) * 1e9 / (double)(t1 - t0));
	return hz;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

/* The CPUs this process may run on: writer i goes to cpus[i % nr]. */
static void find_cpus(void)
{
	cpu_set_t set;
	int i;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	for (i = 0; i < CPU_SETSIZE && nr_cpus < BENCH_MAX_THREADS; i++)
		if (CPU_ISSET(i, &set))
			cpus[nr_cpus++] = i;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
		fprintf(stderr, "bench: cannot pin a writer to CPU %d\n", cpu);
		exit(1);
	}
}

/* A CPU no writer uses, for helper thread i, or -1 if there is none. */
int bench_spare_cpu(unsigned int i)
{
	if (spare_first >= nr_cpus)
		return -1;
	return cpus[spare_first + i % (nr_cpus - spare_first)];
}

static void cpu_relax(void)
{
	__builtin_ia32_pause();
}

/*
 * 'rate' events per second on average: each time the writer wakes it
 * records the events due by then.  Between bursts it sleeps, as a CPU
 * does between the events it traces, so that the consumer threads and
 * the rest of the machine get the CPU time they would get.
 */
static void emit_at_rate(const struct bench_kind *k, uint64_t n, double rate)
{
	double ticks_per_event = (double)bench_tsc_hz() / rate;
	double ns_per_tick = 1e9 / (double)bench_tsc_hz();
	uint64_t t0 = bench_rdtsc(), sent = 0, due, next;
	struct timespec ts;

	while (sent < n) {
		due = (uint64_t)((double)(bench_rdtsc() - t0) /
				 ticks_per_event) +
		      1;
		if (due > n)
			due = n;
		if (due > sent) {
			k->emit(due - sent);
			sent = due;
			continue;
		}
		/* Sleep until a 100 us batch of events is due. */
		next = t0 + (uint64_t)((double)sent * ticks_per_event) +
		       (uint64_t)(100000 / ns_per_tick);
		ts.tv_sec = 0;
		ts.tv_nsec =
			(long)((double)(next - bench_rdtsc()) * ns_per_tick);
		if (ts.tv_nsec > 0 && ts.tv_nsec < 1000000000)
			nanosleep(&ts, NULL);
	}
}

/*
 * n events in batches of BENCH_BATCH, each timed with the TSC.  A batch
 * during which the buffer lost events (they take a shorter path) is left
 * out; so is, by the median taken later, a batch that was preempted or
 * shared its CPU with a consumer.
 */
static void emit_batches(struct writer *w)
{
	uint64_t done, b, lost, c0, c1;

	for (done = 0; done < w->n; done += b) {
		b = w->n - done < BENCH_BATCH ? w->n - done : BENCH_BATCH;
		lost = w->be->lost ? w->be->lost(w->idx) : 0;
		c0 = bench_rdtsc();
		w->kind->emit(b);
		c1 = bench_rdtsc();
		w->nr_batches++;
		if (b != BENCH_BATCH ||
		    (w->be->lost && w->be->lost(w->idx) != lost))
			continue;
		w->batch[w->nr_clean++] = c1 - c0;
	}
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint64_t t0, c0;

	pin(w->cpu);
	w->be->thread_begin(w->idx);
	__atomic_add_fetch(&start_ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&start_go, __ATOMIC_ACQUIRE))
		cpu_relax();
	t0 = now_ns();
	c0 = bench_rdtsc();
	if (w->rate > 0)
		emit_at_rate(w->kind, w->n, w->rate);
	else
		emit_batches(w);
	w->cycles = bench_rdtsc() - c0;
	w->ns = now_ns() - t0;
	w->be->thread_end(w->idx);
	return NULL;
}

static void print_header(const struct bench_backend *be, const char *bench)
{
	printf("{\"tracer\": \"%s\", \"bench\": \"%s\", ", be->tracer, bench);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median ns per event over the clean batches; -1: none. */
static double batch_median_ns(struct writer *w)
{
	uint64_t m;

	if (!w->nr_clean)
		return -1;
	qsort(w->batch, w->nr_clean, sizeof(w->batch[0]), cmp_u64);
	m = w->batch[w->nr_clean / 2];
	if (!(w->nr_clean & 1))
		m = (m + w->batch[w->nr_clean / 2 - 1]) / 2;
	return (double)m * 1e9 / (double)bench_tsc_hz() / BENCH_BATCH;
}

static void print_stats(const struct bench_stats *st)
{
	printf("\"produced\": %lld, \"discarded\": %lld, "
	       "\"content_bytes\": %lld, \"packets\": %lld",
	       (long long)st->produced, (long long)st->discarded,
	       (long long)st->content_bytes, (long long)st->packets);
}

/* One run of nr writers recording n events each (rate: total events/s). */
static void run_writers(const struct bench_backend *be,
			const struct bench_opts *o, const struct bench_kind *k,
			unsigned int nr, unsigned int run, int warmup)
{
	struct writer w[BENCH_MAX_THREADS];
	struct bench_stats st = {-1, -1, -1, -1};
	uint64_t wall = 0, total = 0;
	unsigned int i;

	spare_first = nr;
	if (be->run_begin(nr, 0, o->out_dir))
		die("cannot set up the buffers of a run%s", "");
	start_ready = 0;
	start_go = 0;
	for (i = 0; i < nr; i++) {
		w[i] = (struct writer){.be = be,
				       .kind = k,
				       .idx = i,
				       .cpu = cpus[i % nr_cpus],
				       .n = o->events,
				       .rate = o->rate / nr};
		w[i].batch =
			calloc(o->events / BENCH_BATCH + 1, sizeof(uint64_t));
		if (!w[i].batch)
			die("out of memory%s", "");
		if (pthread_create(&w[i].tid, NULL, writer_main, &w[i]))
			die("cannot start a writer thread%s", "");
	}
	while (__atomic_load_n(&start_ready, __ATOMIC_ACQUIRE) < (int)nr)
		sched_yield();
	__atomic_store_n(&start_go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < nr; i++)
		pthread_join(w[i].tid, NULL);
	be->run_end(&st);

	print_header(be, o->label);
	printf("\"kind\": \"%s\", \"event\": \"%s\", \"fields\": \"%s\", "
	       "\"threads\": %u, \"run\": %u, \"warmup\": %s, "
	       "\"events_per_thread\": %llu, ",
	       k->name, k->event, k->fields, nr, run, warmup ? "true" : "false",
	       (unsigned long long)o->events);
	if (o->rate > 0)
		printf("\"target_rate\": %.0f, ", o->rate);
	printf("\"ns_per_event\": [");
	for (i = 0; i < nr; i++) {
		printf("%s%.3f", i ? ", " : "", (double)w[i].ns / o->events);
		if (w[i].ns > wall)
			wall = w[i].ns;
		total += o->events;
	}
	printf("], \"cycles_per_event\": [");
	for (i = 0; i < nr; i++)
		printf("%s%.3f", i ? ", " : "",
		       (double)w[i].cycles / o->events);
	printf("], \"batch_ns_per_event\": [");
	for (i = 0; i < nr; i++)
		printf("%s%.3f", i ? ", " : "", batch_median_ns(&w[i]));
	printf("], \"clean_batches\": [");
	for (i = 0; i < nr; i++)
		printf("%s%llu", i ? ", " : "",
		       (unsigned long long)w[i].nr_clean);
	printf("], \"batches\": [");
	for (i = 0; i < nr; i++)
		printf("%s%llu", i ? ", " : "",
		       (unsigned long long)w[i].nr_batches);
	printf("], \"cpus\": [");
	for (i = 0; i < nr; i++)
		printf("%s%d", i ? ", " : "", w[i].cpu);
	printf("], \"wall_ns\": %llu, \"events_per_s\": %.0f, ",
	       (unsigned long long)wall, (double)total * 1e9 / (double)wall);
	print_stats(&st);
	printf("}\n");
	fflush(stdout);
	for (i = 0; i < nr; i++)
		free(w[i].batch);
}

static int kind_selected(const struct bench_opts *o, const char *name)
{
	size_t len = strlen(name);
	const char *p = o->kinds;

	if (!p)
		return 1;
	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

static void mode_record(const struct bench_backend *be,
			const struct bench_opts *o)
{
	unsigned int run, k, t, runs = o->warmup + o->runs;

	/* Runs outermost: drift on a shared machine spreads over every
	 * configuration instead of hitting one. */
	for (run = 0; run < runs; run++)
		for (k = 0; k < be->nr_kinds; k++) {
			if (!kind_selected(o, be->kinds[k].name))
				continue;
			for (t = 0; t < o->nr_threads; t++)
				run_writers(be, o, &be->kinds[k], o->threads[t],
					    run, run < o->warmup);
		}
}

static __attribute__((noinline)) void baseline_loop(uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		bench_barrier();
}

static void mode_disabled(const struct bench_backend *be,
			  const struct bench_opts *o)
{
	unsigned int run;
	uint64_t t0, t1, t2;

	pin(cpus[0]);
	for (run = 0; run < o->warmup + o->runs; run++) {
		t0 = now_ns();
		be->disabled(o->events);
		t1 = now_ns();
		baseline_loop(o->events);
		t2 = now_ns();
		print_header(be, o->label);
		printf("\"run\": %u, \"warmup\": %s, \"calls\": %llu, "
		       "\"ns_per_call\": %.4f, \"baseline_ns_per_call\": "
		       "%.4f}\n",
		       run, run < o->warmup ? "true" : "false",
		       (unsigned long long)o->events,
		       (double)(t1 - t0) / o->events,
		       (double)(t2 - t1) / o->events);
		fflush(stdout);
	}
}

/* One writer, no consumer thread: deterministic, for callgrind. */
static void mode_inline(const struct bench_backend *be,
			const struct bench_opts *o)
{
	struct bench_stats st = {-1, -1, -1, -1};
	const struct bench_kind *k = NULL;
	uint64_t done = 0, b;
	unsigned int i;

	for (i = 0; i < be->nr_kinds && !k; i++)
		if (kind_selected(o, be->kinds[i].name))
			k = &be->kinds[i];
	if (!k || !be->drain)
		die("inline mode: no such kind, or no inline consumer%s", "");
	pin(cpus[0]);
	if (be->run_begin(1, 1, o->out_dir))
		die("cannot set up the buffers of a run%s", "");
	be->thread_begin(0);
	for (done = 0; done < o->events; done += b) {
		b = o->events - done < o->batch ? o->events - done : o->batch;
		k->emit(b);
		be->drain(0);
	}
	be->thread_end(0);
	be->drain(0);
	be->run_end(&st);
	print_header(be, o->label);
	printf("\"kind\": \"%s\", \"event\": \"%s\", \"fields\": \"%s\", "
	       "\"events\": %llu, \"emit_function\": \"emit_%s\", ",
	       k->name, k->event, k->fields, (unsigned long long)o->events,
	       k->name);
	print_stats(&st);
	printf("}\n");
}

static void mode_info(const struct bench_backend *be)
{
	print_header(be, "info");
	printf("\"tsc_hz\": %llu, \"cpus\": [",
	       (unsigned long long)bench_tsc_hz());
	for (unsigned int i = 0; i < nr_cpus; i++)
		printf("%s%d", i ? ", " : "", cpus[i]);
	printf("], \"kinds\": [");
	for (unsigned int i = 0; i < be->nr_kinds; i++)
		printf("%s{\"kind\": \"%s\", \"event\": \"%s\", \"fields\": "
		       "\"%s\"}",
		       i ? ", " : "", be->kinds[i].name, be->kinds[i].event,
		       be->kinds[i].fields);
	printf("]");
	if (be->describe)
		be->describe();
	printf("}\n");
}

static void usage(const char *prog, int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s MODE [OPTION]...\n"
		"Modes: info, record, disabled, inline, rate "
		"(bench/README.md).\n"
		"  --events N      events per writer (disabled: calls)\n"
		"  --runs N        measured runs (default 7)\n"
		"  --warmup N      unreported runs first (default 1)\n"
		"  --threads LIST  writer counts, e.g. 1,2 (default 1)\n"
		"  --kinds LIST    event kinds, e.g. f0,f2 (default all)\n"
		"  --batch N       inline mode: events between drains\n"
		"  --rate R        rate mode: events/s, all writers together\n"
		"  --out DIR       write buffer i's stream to DIR/channel0_i\n"
		"  --label NAME    name of the benchmark in the output\n",
		prog);
	exit(status);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0)
		die("bad number for %s", what);
	return (uint64_t)v;
}

static void parse_threads(struct bench_opts *o, const char *s)
{
	char *end;

	o->nr_threads = 0;
	while (*s && o->nr_threads < 8) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || !v || v > BENCH_MAX_THREADS)
			die("bad --threads list: %s", s);
		o->threads[o->nr_threads++] = v;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			die("bad --threads list: %s", end);
	}
}

int bench_main(int argc, char **argv, const struct bench_backend *be)
{
	static const struct option longopts[] = {
		{"events", required_argument, NULL, 'e'},
		{"runs", required_argument, NULL, 'r'},
		{"warmup", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'},
		{"kinds", required_argument, NULL, 'k'},
		{"batch", required_argument, NULL, 'b'},
		{"rate", required_argument, NULL, 'R'},
		{"out", required_argument, NULL, 'o'},
		{"label", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct bench_opts o = {
		.runs = 7,
		.warmup = 1,
		.events = 1000000,
		.batch = 10000,
		.threads = {1},
		.nr_threads = 1,
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			o.events = parse_u64(optarg, "--events");
			break;
		case 'r':
			o.runs = parse_u64(optarg, "--runs");
			break;
		case 'w':
			o.warmup = parse_u64(optarg, "--warmup");
			break;
		case 't':
			parse_threads(&o, optarg);
			break;
		case 'k':
			o.kinds = optarg;
			break;
		case 'b':
			o.batch = parse_u64(optarg, "--batch");
			break;
		case 'R':
			o.rate = strtod(optarg, NULL);
			break;
		case 'o':
			o.out_dir = optarg;
			break;
		case 'l':
			o.label = optarg;
			break;
		case 'h':
			usage(argv[0], 0);
			break;
		default:
			usage(argv[0], 2);
		}
	}
	if (optind != argc - 1)
		usage(argv[0], 2);
	o.mode = argv[optind];
	if (!o.label)
		o.label = o.mode;
	if (!o.events || !o.batch)
		die("--events and --batch must be positive%s", "");
	find_cpus();
	bench_tsc_hz();
	if (!strcmp(o.mode, "info"))
		mode_info(be);
	else if (!strcmp(o.mode, "record"))
		mode_record(be, &o);
	else if (!strcmp(o.mode, "rate")) {
		if (o.rate <= 0)
			die("rate mode needs --rate%s", "");
		mode_record(be, &o);
	} else if (!strcmp(o.mode, "disabled"))
		mode_disabled(be, &o);
	else if (!strcmp(o.mode, "inline"))
		mode_inline(be, &o);
	else
		die("unknown mode '%s' (info, record, disabled, inline, rate)",
		    o.mode);
	return 0;
}
