// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-xen.c: the lttng-xen side of the benchmarks.  The real record
 * path: genevent's tracepoints (build/gen/xen), tracer/probe.c and
 * ringbuffer/frontend.c, built as the Makefile builds them.
 *
 * One buffer per writer, default sizes from abi.h, discard mode.  A
 * consumer thread per buffer sleeps on an event fd that
 * rb_platform_wakeup() writes (as the simulator does) and runs the
 * consumer protocol on the ring buffer directly, without a transport:
 * rb_get_subbuf, copy the sub-buffer into private memory, rb_put_subbuf.
 * With --out it also writes the trace as lttd-xen does, with ctf-writer/:
 * each packet's content to DIR/channel0_<i>, and DIR/metadata, so the
 * stream's size on disk can be measured and babeltrace2 reads it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "frontend.h"
#include "client-ctf.h"
#include "ctfw.h"
#include "tracepoints.h"
#include "harness.h"
#include <lttng-xen/xentrace-remap.h>

uint32_t lttng_xen_enabled_mask[(LTTNG_XEN_NR_EVENTS + 31) / 32];

/* The trace UUID of every stream this program writes. */
static const uint8_t bench_uuid[16] = {0x4c, 0x58, 0xbe, 0x4c};

struct xbuf {
	struct rb_buf rb;
	struct lttng_xen_buf_ctl *ctl;
	uint8_t *data;
	uint8_t *copy; /* the consumer's private sub-buffer */
	int efd;       /* wake-up: -1 with an inline consumer */
	int out;       /* the stream file is open */
	struct ctfw_stream stream;
	int stop;
	pthread_t consumer;
	int64_t content_bytes;
	int64_t packets;
};

static struct xbuf bufs[BENCH_MAX_THREADS];
static unsigned int nr_bufs;
static int inline_consumer;
/* A writer thread is a CPU (<lttng-xen/host.h>): bufs[idx], nesting idx. */
static __thread unsigned int this_cpu = LTTNG_XEN_MAX_CPUS;

unsigned int lttng_xen_host_cpu(void)
{
	return this_cpu;
}

/* The benchmark sets no domain filter: no domain. */
unsigned int lttng_xen_host_domain(void)
{
	return LTTNG_XEN_DOMID_LIMIT;
}

struct rb_buf *lttng_xen_cpu_buf(unsigned int cpu)
{
	return cpu < nr_bufs ? &bufs[cpu].rb : NULL;
}

uint64_t rb_platform_clock(void)
{
	return bench_rdtsc();
}

void rb_platform_wakeup(struct rb_buf *b)
{
	struct xbuf *x = b->platform;
	uint64_t one = 1;

	if (x->efd >= 0 && write(x->efd, &one, sizeof(one)) != sizeof(one))
		perror("bench-xen: wake-up");
}

static void *map_zeroed(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED) {
		perror("bench-xen: mmap");
		exit(1);
	}
	memset(p, 0, size); /* no page fault inside a timed loop */
	return p;
}

/* Take every complete sub-buffer: get, copy, put (then write the copy). */
static void drain(struct xbuf *x)
{
	uint64_t pos, content;

	while (rb_get_subbuf(&x->rb, &pos) == 0) {
		memcpy(x->copy, x->data + (pos & (x->rb.buf_size - 1)),
		       x->rb.subbuf_size);
		if (rb_put_subbuf(&x->rb, pos))
			continue; /* overwritten: not in discard mode */
		memcpy(&content, x->copy + CTF_OFF_CONTENT_SIZE, 8);
		content /= 8;
		x->content_bytes += content;
		x->packets++;
		if (x->out) {
			/* No padding on disk, as lttd-xen writes it. */
			memcpy(x->copy + CTF_OFF_PACKET_SIZE,
			       x->copy + CTF_OFF_CONTENT_SIZE, 8);
			if (ctfw_stream_append(&x->stream, x->copy, content))
				exit(1);
		}
	}
}

static void *consumer_main(void *arg)
{
	struct xbuf *x = arg;
	uint64_t v;
	int cpu = bench_spare_cpu(x->rb.cpu);

	/* On a CPU no writer uses, when there is one, as dom0's consumer
	 * runs beside the hypervisor's writers. */
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}

	for (;;) {
		drain(x);
		if (__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
			drain(x);
			return NULL;
		}
		if (read(x->efd, &v, sizeof(v)) < 0 && errno != EINTR) {
			perror("bench-xen: consumer wait");
			exit(1);
		}
	}
}

static int out_fd = -1;

/* The trace directory of --out: its metadata, written once. */
static int open_out(const char *dir)
{
	struct ctfw_metadata m;

	if (out_fd >= 0)
		return 0;
	ctfw_prog = "bench-xen";
	out_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out_fd < 0) {
		fprintf(stderr, "bench-xen: cannot open %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	ctfw_metadata_init(&m, bench_uuid, bench_tsc_hz());
	return ctfw_metadata_write(out_fd, dir, &m);
}

static int xen_run_begin(unsigned int nr, int inl, const char *out_dir)
{
	const struct rb_config cfg = {
		.subbuf_size = LTTNG_XEN_DEFAULT_SUBBUF_SIZE,
		.nr_subbufs = LTTNG_XEN_DEFAULT_NR_SUBBUFS,
		.mode = LTTNG_XEN_MODE_DISCARD,
	};
	unsigned int i;
	char name[32];

	nr_bufs = nr;
	inline_consumer = inl;
	if (out_dir && open_out(out_dir))
		return -1;
	for (i = 0; i < nr; i++) {
		struct xbuf *x = &bufs[i];

		if (!x->ctl) {
			x->ctl = map_zeroed(LTTNG_XEN_CTL_SIZE);
			x->data = map_zeroed((size_t)cfg.subbuf_size *
					     cfg.nr_subbufs);
			x->copy = map_zeroed(cfg.subbuf_size);
		}
		rb_init(&x->rb, x->ctl, x->data, &cfg, i, bench_uuid, x);
		x->content_bytes = 0;
		x->packets = 0;
		x->stop = 0;
		x->out = 0;
		if (out_dir) {
			/* Each run writes its trace anew. */
			snprintf(name, sizeof(name), "channel0_%u", i);
			if (unlinkat(out_fd, name, 0) && errno != ENOENT)
				perror("bench-xen: cannot remove a stream "
				       "file");
			if (ctfw_stream_open(&x->stream, out_fd, out_dir, i,
					     bench_uuid))
				return -1;
			x->out = 1;
		}
		x->efd = -1;
		if (inl)
			continue;
		x->efd = eventfd(0, EFD_CLOEXEC);
		if (x->efd < 0 ||
		    pthread_create(&x->consumer, NULL, consumer_main, x)) {
			perror("bench-xen: consumer");
			return -1;
		}
	}
	return 0;
}

static void xen_thread_begin(unsigned int idx)
{
	this_cpu = idx;
}

/* Stop: close the open packet on the writer's own CPU, as STOP does. */
static void xen_thread_end(unsigned int idx)
{
	rb_switch(&bufs[idx].rb);
	this_cpu = LTTNG_XEN_MAX_CPUS;
}

static void xen_drain(unsigned int idx)
{
	drain(&bufs[idx]);
}

static uint64_t xen_lost(unsigned int idx)
{
	const struct lttng_xen_buf_ctl *c = bufs[idx].ctl;

	return __atomic_load_n(&c->discarded, __ATOMIC_RELAXED);
}

static void xen_run_end(struct bench_stats *st)
{
	uint64_t one = 1;
	unsigned int i;

	*st = (struct bench_stats){0, 0, 0, 0};
	for (i = 0; i < nr_bufs; i++) {
		struct xbuf *x = &bufs[i];
		const struct lttng_xen_buf_ctl *c = x->ctl;

		if (!inline_consumer) {
			__atomic_store_n(&x->stop, 1, __ATOMIC_RELEASE);
			if (write(x->efd, &one, sizeof(one)) != sizeof(one))
				perror("bench-xen: wake-up");
			pthread_join(x->consumer, NULL);
			close(x->efd);
		}
		if (x->out && ctfw_stream_close(&x->stream))
			exit(1);
		x->out = 0;
		st->produced += c->produced;
		st->discarded +=
			c->discarded + c->lost_too_big + c->lost_nested;
		st->content_bytes += x->content_bytes;
		st->packets += x->packets;
	}
}

/*
 * The event kinds: real generated tracepoints, all with compact headers
 * (ids below 31) except f2x, whose id (88) takes the extended header,
 * and f0 (csched:sched_tasklet, id 31).  Field values change with i so
 * that nothing is constant-folded.
 */
#define EMIT(name, call)                                              \
	static __attribute__((noinline)) void emit_##name(uint64_t n) \
	{                                                             \
		uint64_t i;                                           \
		for (i = 0; i < n; i++)                               \
			call;                                         \
	}

EMIT(f0, trace_csched_sched_tasklet())
EMIT(f2, trace_sched_wake(i, i >> 16))
EMIT(f2x, trace_hvm_pit_start_timer(i, i >> 3))
EMIT(il, trace_hvm_msr_read(i, i * 3))
EMIT(f4, trace_hw_idle_entry(i & 7, i, i >> 3, i >> 5))
EMIT(f6, trace_hw_idle_exit(i & 7, i, i, i >> 8, i >> 16, i >> 24))
EMIT(cs, trace_sched_context_switch(i, i >> 16, i >> 1, i >> 17))

/*
 * The remap path, as Xen's xentrace call sites take it: the data words
 * built on the stack as TRACE_xD() builds them, then
 * lttng_xen_xt_record() (what __trace_var() calls), which finds the
 * mapping and records the typed event.  Each x kind has a typed twin
 * (the same event through its tracepoint) for the ratio.  The event
 * words are Xen 4.17's (public/trace.h, sched/private.h); main() checks
 * that each maps to its twin's event.
 */
#define XT_CSCHED_SCHED_TASKLET		0x00022001
#define XT_SCHED_CONTINUE_RUNNING	0x00021002
#define XT_SCHED_WAKE			0x00028004
#define XT_PV_PAGE_FAULT64		0x00201104
#define XT_PV_HYPERCALL_V2		0x0020100d
#define XT_SCHED_SWITCH_INFPREV		0x0002800e
#define XT_PV_EMULATE_PRIVOP64		0x00201106

#define XT(event, ...)                                           \
	do {                                                     \
		uint32_t d_[] = { __VA_ARGS__ };                 \
		lttng_xen_xt_record(event, sizeof(d_), d_);      \
	} while (0)

EMIT(f1, trace_sched_continue_running(i, i >> 16))
EMIT(f5, trace_pv_page_fault(i * 8, i * 24, i & 7))
EMIT(fh, trace_pv_hypercall(i & 0x3f, 1, 1, (const uint32_t[]){ i >> 3 }))
EMIT(fsi, trace_sched_switch_infprev(i, i >> 16, i * 3))
EMIT(fep, trace_pv_emulate_privop(i * 8))
EMIT(x0, lttng_xen_xt_record(XT_CSCHED_SCHED_TASKLET, 0, NULL))
EMIT(x1, XT(XT_SCHED_CONTINUE_RUNNING, (uint32_t)i << 16 | (uint16_t)(i >> 16)))
EMIT(x2, XT(XT_SCHED_WAKE, i, i >> 16))
EMIT(x5, XT(XT_PV_PAGE_FAULT64, i * 8, (i * 8) >> 32, i * 24, (i * 24) >> 32,
	    i & 7))
EMIT(xh, XT(XT_PV_HYPERCALL_V2, (i & 0x3f) | 1U << 20, i >> 3))
EMIT(xsi, XT(XT_SCHED_SWITCH_INFPREV, i, i >> 16, i * 3))
EMIT(xep, XT(XT_PV_EMULATE_PRIVOP64, i * 8, (i * 8) >> 32))

static const struct bench_kind kinds[] = {
	{"f0", "csched:sched_tasklet", "none", emit_f0},
	{"f2", "sched:wake", "u16 u16", emit_f2},
	{"f2x", "hvm:pit_start_timer", "u32 u32", emit_f2x},
	{"il", "hvm:msr_read", "u32 u64", emit_il},
	{"f4", "hw:idle_entry", "u8 u32 u32 u32", emit_f4},
	{"f6", "hw:idle_exit", "u8 u32 u8 u8 u8 u8", emit_f6},
	{"cs", "sched:context_switch", "u16 u16 u16 u16", emit_cs},
	{"f1", "sched:continue_running", "u16 u16", emit_f1},
	{"f5", "pv:page_fault", "u64 u64 u32", emit_f5},
	{"fh", "pv:hypercall", "u8 u12 u4 u32[1]", emit_fh},
	{"fsi", "sched:switch_infprev", "u16 u16 u64", emit_fsi},
	{"fep", "pv:emulate_privop", "u64", emit_fep},
	{"x0", "csched:sched_tasklet", "remap, 0 words", emit_x0},
	{"x1", "sched:continue_running", "remap, 1 word", emit_x1},
	{"x2", "sched:wake", "remap, 2 words", emit_x2},
	{"x5", "pv:page_fault", "remap, 5 words (64-bit)", emit_x5},
	{"xh", "pv:hypercall", "remap, 2 words (1 argument)", emit_xh},
	{"xsi", "sched:switch_infprev", "remap, 3 words", emit_xsi},
	{"xep", "pv:emulate_privop", "remap, 2 words (64-bit)", emit_xep},
};

static const uint16_t kind_ids[] = {
	LTTNG_XEN_EVENT_CSCHED_SCHED_TASKLET, LTTNG_XEN_EVENT_SCHED_WAKE,
	LTTNG_XEN_EVENT_HVM_PIT_START_TIMER,  LTTNG_XEN_EVENT_HVM_MSR_READ,
	LTTNG_XEN_EVENT_HW_IDLE_ENTRY,	      LTTNG_XEN_EVENT_HW_IDLE_EXIT,
	LTTNG_XEN_EVENT_SCHED_CONTEXT_SWITCH,
	LTTNG_XEN_EVENT_SCHED_CONTINUE_RUNNING,
	LTTNG_XEN_EVENT_PV_PAGE_FAULT,
	LTTNG_XEN_EVENT_PV_HYPERCALL,	      LTTNG_XEN_EVENT_SCHED_SWITCH_INFPREV,
	LTTNG_XEN_EVENT_PV_EMULATE_PRIVOP,
	LTTNG_XEN_EVENT_CSCHED_SCHED_TASKLET,
	LTTNG_XEN_EVENT_SCHED_CONTINUE_RUNNING, LTTNG_XEN_EVENT_SCHED_WAKE,
	LTTNG_XEN_EVENT_PV_PAGE_FAULT,
	LTTNG_XEN_EVENT_PV_HYPERCALL,	      LTTNG_XEN_EVENT_SCHED_SWITCH_INFPREV,
	LTTNG_XEN_EVENT_PV_EMULATE_PRIVOP,
};

/* The event word of each remap kind, in the order of kinds[] from x0. */
static const uint32_t remap_words[] = {
	XT_CSCHED_SCHED_TASKLET,     XT_SCHED_CONTINUE_RUNNING,
	XT_SCHED_WAKE,		     XT_PV_PAGE_FAULT64,
	XT_PV_HYPERCALL_V2,	     XT_SCHED_SWITCH_INFPREV,
	XT_PV_EMULATE_PRIVOP64,
};

/* hw:idle_entry with its bit off in lttng_xen_enabled_mask. */
static __attribute__((noinline)) void xen_disabled(uint64_t n)
{
	uint64_t i;

	lttng_xen_enabled_mask[LTTNG_XEN_EVENT_HW_IDLE_ENTRY / 32] &=
		~(1U << (LTTNG_XEN_EVENT_HW_IDLE_ENTRY % 32));
	for (i = 0; i < n; i++) {
		trace_hw_idle_entry(i & 7, i, i >> 3, i >> 5);
		bench_barrier();
	}
}

static void xen_describe(void)
{
	unsigned int i;

	printf(", \"subbuf_size\": %u, \"nr_subbufs\": %u, \"mode\": "
	       "\"discard\", \"metadata_hash\": \"0x%016llx\", \"ids\": {",
	       LTTNG_XEN_DEFAULT_SUBBUF_SIZE, LTTNG_XEN_DEFAULT_NR_SUBBUFS,
	       (unsigned long long)LTTNG_XEN_METADATA_HASH);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		printf("%s\"%s\": %u", i ? ", " : "", kinds[i].name,
		       kind_ids[i]);
	printf("}");
}

static const struct bench_backend xen_backend = {
	.tracer = "lttng-xen",
	.kinds = kinds,
	.nr_kinds = sizeof(kinds) / sizeof(kinds[0]),
	.disabled = xen_disabled,
	.run_begin = xen_run_begin,
	.thread_begin = xen_thread_begin,
	.thread_end = xen_thread_end,
	.drain = xen_drain,
	.lost = xen_lost,
	.run_end = xen_run_end,
	.describe = xen_describe,
};

int main(int argc, char **argv)
{
	const unsigned int nr = sizeof(kinds) / sizeof(kinds[0]);
	const unsigned int nr_remap = sizeof(remap_words) / sizeof(remap_words[0]);
	unsigned int i;

	_Static_assert(sizeof(kind_ids) / sizeof(kind_ids[0]) ==
			       sizeof(kinds) / sizeof(kinds[0]),
		       "one event id per kind");
	for (i = 0; i < nr; i++)
		lttng_xen_enabled_mask[kind_ids[i] / 32] |=
			1U << (kind_ids[i] % 32);
	/* Each remap kind's word must reach the event its twin records. */
	for (i = 0; i < nr_remap; i++) {
		const struct lttng_xen_xt_map *m =
			lttng_xen_xt_lookup(remap_words[i]);
		unsigned int k = nr - nr_remap + i;

		if (!m || m->event != kind_ids[k]) {
			fprintf(stderr,
				"bench-xen: kind %s: xentrace word 0x%08x maps to %s, not %s (facilities/*.xml changed?)\n",
				kinds[k].name, remap_words[i],
				m ? lttng_xen_events[m->event].name : "nothing",
				kinds[k].event);
			return 1;
		}
	}
	return bench_main(argc, argv, &xen_backend);
}
