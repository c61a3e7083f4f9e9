// SPDX-License-Identifier: GPL-2.0-only
/*
 * rb-unit.c: the ring buffer frontend, single-threaded and deterministic.
 *
 * A fake clock drives time; its read hook can run a whole nested event,
 * as an interrupt arriving between the writer's read of the offset and
 * its compare-and-exchange would.  The wake-up hook can run a flush, as a
 * flush IPI arriving after a writer moved the offset into a new packet
 * but before it wrote that packet's header would.  Each scenario writes a CTF trace
 * (DIR/<scenario>/, its metadata by ctf-writer) and
 * DIR/<scenario>.expected: one line per event the
 * buffer accepted, in the order it must appear ("SEQ TIMESTAMP"), then
 * "discarded N" and "mode discard|overwrite".  check.py compares them with
 * what babeltrace2 reads.  Protocol misuse is checked here directly.
 *
 * Usage: rb-unit DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend.h"
#include "client-ctf.h"
#include "ctfw.h"
#include "tracepoints.h"

uint32_t lttng_xen_enabled_mask[(LTTNG_XEN_NR_EVENTS + 31) / 32];

static struct rb_buf buf;
static struct lttng_xen_buf_ctl *ctl;
static uint8_t *data;

/* The fake clock. */
static uint64_t now;
static uint64_t step = 100;
static unsigned int reads;
static unsigned int backwards_every;	/* go back 5000 every N reads */
static unsigned int backwards_given;	/* reads that went back */
static unsigned int nest_every;		/* nested event every N reads */
static unsigned int jump_every;		/* jump 2^30 every N reads */
static int depth;

/* What the buffer accepted, in reservation order. */
static FILE *expected;
static uint32_t next_seq;
static uint64_t accepted, emitted;

/* One CPU, 0, recording into buf (<lttng-xen/host.h>). */
unsigned int lttng_xen_host_cpu(void)
{
	return 0;
}

/* No domain filter here: no domain. */
unsigned int lttng_xen_host_domain(void)
{
	return LTTNG_XEN_DOMID_LIMIT;
}

struct rb_buf *lttng_xen_cpu_buf(unsigned int cpu)
{
	return cpu == 0 ? &buf : NULL;
}

static void window_hook(void);

/* A flush every N wake-ups: as a flush IPI (a signal in the simulator)
 * arriving while the writer that completed the previous packet is still
 * opening the next one (its commit wakes the consumer first). */
static unsigned int flush_every, wakeups;

void rb_platform_wakeup(struct rb_buf *b)
{
	window_hook();
	wakeups++;
	if (flush_every && wakeups % flush_every == 0 && depth < 2) {
		depth++;
		rb_switch(b);
		depth--;
	}
}

static void emit(void);

uint64_t rb_platform_clock(void)
{
	window_hook();
	reads++;
	now += step;
	if (jump_every && reads % jump_every == 0)
		now += 1ULL << 30;
	if (nest_every && reads % nest_every == 0 && depth < 2) {
		depth++;
		emit();		/* an "interrupt" inside the reservation */
		depth--;
	}
	if (backwards_every && reads % backwards_every == 0) {
		backwards_given++;
		return now - 5000;
	}
	return now;
}

/* One event of 1 + seq % 8 words, through the probe path the tracepoints
 * use, with the reservation done here so the accepted order is known. */
static void emit(void)
{
	uint32_t words[8];
	uint32_t seq = next_seq++;
	uint8_t nr = 1 + seq % 8, hdr[3];
	struct rb_ctx ctx;
	unsigned int i;

	words[0] = seq;
	for (i = 1; i < nr; i++)
		words[i] = seq * 2654435761u + i;
	ctx.event = LTTNG_XEN_EVENT_GEN_GUEST;
	ctx.payload_len = 3 + 4 * nr;
	emitted++;
	if (rb_reserve(&buf, &ctx))
		return;
	/* guest_event u16, nr_words u8, data u32[nr_words] */
	hdr[0] = (uint8_t)depth;
	hdr[1] = 0;
	hdr[2] = nr;
	rb_write(&buf, &ctx, hdr, 3);
	rb_write(&buf, &ctx, words, 4 * nr);
	fprintf(expected, "%u %llu\n", seq, (unsigned long long)ctx.ts);
	accepted++;
	rb_commit(&buf, &ctx);
}

static void fail(const char *what)
{
	fprintf(stderr, "rb-unit: %s\n", what);
	exit(1);
}

/* Drain every complete sub-buffer into the stream file. */
static void drain(FILE *stream)
{
	uint64_t pos;

	while (!rb_get_subbuf(&buf, &pos)) {
		uint8_t *p = data + (pos & (buf.buf_size - 1));
		uint64_t content;

		memcpy(&content, p + CTF_OFF_CONTENT_SIZE, 8);
		if (fwrite(p, 1, content / 8, stream) != content / 8)
			fail("cannot write the stream");
		/* the file holds content only: shrink packet_size to match */
		fseek(stream, -(long)(content / 8) + CTF_OFF_PACKET_SIZE,
		      SEEK_CUR);
		fwrite(&content, 8, 1, stream);
		fseek(stream, 0, SEEK_END);
		if (rb_put_subbuf(&buf, pos))
			fail("put_subbuf refused a valid position");
	}
}

struct scenario {
	const char *name;
	uint32_t mode;
	uint32_t subbuf_size, nr_subbufs;
	unsigned int events;
	unsigned int consume_every;	/* 0: only at the end */
	unsigned int nest_every, backwards_every, jump_every;
	unsigned int flush_every;	/* rb_switch() in every Nth wake-up */
};

/* DIR/metadata, as lttd-xen writes it (ctf-writer/), clock at 1 GHz. */
static void write_metadata(const char *dir, const uint8_t uuid[16])
{
	struct ctfw_metadata m;

	ctfw_metadata_init(&m, uuid, 1000000000);
	snprintf(m.hostname, sizeof(m.hostname), "test");
	m.offset_s = 1700000000;
	if (ctfw_metadata_write_dir(dir, &m))
		fail("cannot write the metadata");
}

static void run(const char *dir, const struct scenario *s)
{
	struct rb_config cfg = { s->subbuf_size, s->nr_subbufs, s->mode };
	static const uint8_t uuid[16] = { 0x4c, 0x58 };
	char path[512];
	FILE *stream;
	unsigned int i;

	if (rb_config_check(&cfg))
		fail("a valid configuration was refused");
	free(ctl);
	free(data);
	ctl = calloc(1, LTTNG_XEN_CTL_SIZE);
	data = calloc(1, (size_t)s->subbuf_size * s->nr_subbufs);
	rb_init(&buf, ctl, data, &cfg, 0, uuid, NULL);
	now = 1000000;
	reads = 0;
	backwards_given = 0;
	next_seq = 0;
	accepted = emitted = 0;
	nest_every = s->nest_every;
	backwards_every = s->backwards_every;
	jump_every = s->jump_every;
	flush_every = s->flush_every;
	wakeups = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, s->name);
	mkdir(path, 0777);
	write_metadata(path, uuid);
	snprintf(path, sizeof(path), "%s/%s.expected", dir, s->name);
	expected = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/%s/channel0_0", dir, s->name);
	stream = fopen(path, "w+");
	if (!expected || !stream)
		fail("cannot create the output files");

	for (i = 0; i < s->events; i++) {
		emit();
		if (s->consume_every && i % s->consume_every == 0)
			drain(stream);
	}
	nest_every = 0;
	flush_every = 0;
	/* Stop: flush, drain, flush again for the lost count, drain. */
	rb_switch(&buf);
	drain(stream);
	rb_switch(&buf);
	drain(stream);
	if (ctl->consumed != ctl->offset)
		fail("the buffer is not empty after the final drain");
	if (ctl->produced != accepted)
		fail("produced count differs from the accepted events");
	if (emitted != accepted + ctl->discarded + ctl->lost_too_big +
		       ctl->lost_nested)
		fail("emitted != accepted + lost");
	/*
	 * Each read that went back (5000 ticks, after reads 100 apart) gave
	 * less than the buffer's latest time: each one counted, none else.
	 */
	if (ctl->clock_backwards != backwards_given)
		fail("clock reads that went back not counted one for one");
	if (backwards_given && (ctl->clock_backwards_max == 0 ||
				ctl->clock_backwards_max > 5000))
		fail("the largest step back is not what the clock did");
	fprintf(expected, "discarded %llu\nmode %s\n",
		(unsigned long long)(ctl->discarded + ctl->lost_too_big +
				     ctl->lost_nested),
		s->mode ? "overwrite" : "discard");
	fclose(expected);
	fclose(stream);
	printf("%-12s emitted %6llu, accepted %6llu, discarded %5llu, overwritten %3llu sub-buffers, clock back %llu times (by %llu at most)\n",
	       s->name, (unsigned long long)emitted,
	       (unsigned long long)accepted,
	       (unsigned long long)ctl->discarded,
	       (unsigned long long)ctl->overwritten,
	       (unsigned long long)ctl->clock_backwards,
	       (unsigned long long)ctl->clock_backwards_max);
}

/* The consumer protocol and configuration checks, against misuse. */
static void hostile(void)
{
	struct rb_config bad[] = {
		{ 4096, 3, 0 }, { 5000, 4, 0 }, { 2048, 4, 0 }, { 4096, 1, 0 },
		{ 4096, 512, 0 }, { 4096, 4, 7 }, { 0, 4, 0 },
		{ 1u << 31, 2, 0 }, { 16u << 20, 256, 0 },
	};
	struct rb_config cfg = { 4096, 4, LTTNG_XEN_MODE_DISCARD };
	static const uint8_t uuid[16];
	uint64_t pos, before;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!rb_config_check(&bad[i]))
			fail("a bad configuration was accepted");
	memset(ctl, 0, LTTNG_XEN_CTL_SIZE);
	rb_init(&buf, ctl, data, &cfg, 0, uuid, NULL);
	expected = fopen("/dev/null", "w");
	if (rb_put_subbuf(&buf, 0) != -LTTNG_XEN_EINVAL)
		fail("put without get was accepted");
	if (rb_get_subbuf(&buf, &pos) != -LTTNG_XEN_EAGAIN)
		fail("get on an empty buffer did not say EAGAIN");
	for (i = 0; i < 200; i++)
		emit();
	rb_switch(&buf);
	if (rb_get_subbuf(&buf, &pos))
		fail("get found no complete sub-buffer");
	before = ctl->consumed;
	if (rb_put_subbuf(&buf, pos + 1) != -LTTNG_XEN_EINVAL ||
	    rb_put_subbuf(&buf, pos + 4096) != -LTTNG_XEN_EINVAL ||
	    rb_put_subbuf(&buf, ~0ULL) != -LTTNG_XEN_EINVAL)
		fail("a wrong position was accepted");
	if (ctl->consumed != before)
		fail("a refused put moved the consumer");
	if (rb_get_subbuf(&buf, &pos) || rb_put_subbuf(&buf, pos))
		fail("get/put after refused puts failed");
	if (rb_put_subbuf(&buf, pos) != -LTTNG_XEN_EINVAL)
		fail("a second put of the same position was accepted");
	printf("hostile      bad configurations and positions refused\n");
}

/*
 * Issue 14, defect 3: in overwrite mode, PUT_SUBBUF reports -EOVERFLOW
 * whenever the sub-buffer may have changed while the consumer held it.
 * The consumer takes the oldest sub-buffer of a full buffer and copies
 * it; a writer goes on until its reservations are well into that
 * sub-buffer's next use.  At hook point k of that writer (each clock
 * read and each wake-up, where an interrupt or the consumer on another
 * CPU could act: between the reservation's cmpxchg and push_reader()
 * among them), optionally after a nested event, the consumer compares
 * the sub-buffer with its copy and puts it back: a put that says 0 must
 * find it unchanged.  Every k up to the last hook is tried.
 */
static struct {
	int active;
	unsigned int hooks, put_at, nest;
	uint64_t pos;
	uint8_t copy[4096];
	int done, rc, changed;
} window;

static void window_put(void)
{
	window.changed = memcmp(window.copy,
				data + (window.pos & (buf.buf_size - 1)),
				sizeof(window.copy)) != 0;
	window.rc = rb_put_subbuf(&buf, window.pos);
	window.done = 1;
}

static void window_hook(void)
{
	if (!window.active || window.done || depth)
		return;
	if (++window.hooks != window.put_at)
		return;
	if (window.nest) {
		depth++;
		emit();		/* an interrupt writes first */
		depth--;
	}
	window_put();
}

static void overwrite_window(void)
{
	struct rb_config cfg = { 4096, 2, LTTNG_XEN_MODE_OVERWRITE };
	static const uint8_t uuid[16];
	unsigned int k, nest, phase, tried = 0, torn = 0, stale = 0;

	/* Event sizes go by seq % 8: each phase ends the sub-buffers at
	 * another place, so that some reservations overflow one. */
	for (phase = 0; phase < 8; phase++)
	for (nest = 0; nest < 2; nest++) {
		for (k = 1;; k++) {
			next_seq = phase;
			memset(ctl, 0, LTTNG_XEN_CTL_SIZE);
			memset(data, 0, 2 * 4096);
			rb_init(&buf, ctl, data, &cfg, 0, uuid, NULL);
			memset(&window, 0, sizeof(window));
			nest_every = backwards_every = jump_every = 0;
			flush_every = 0;
			while (ctl->offset < 2 * 4096 + 64)
				emit();		/* full, into the 2nd use */
			if (rb_get_subbuf(&buf, &window.pos))
				fail("overwrite: no sub-buffer to take");
			memcpy(window.copy,
			       data + (window.pos & (buf.buf_size - 1)),
			       sizeof(window.copy));
			window.put_at = k;
			window.nest = nest;
			window.active = 1;
			while (!window.done &&
			       ctl->offset < window.pos + buf.buf_size + 2 * 4096)
				emit();
			window.active = 0;
			if (!window.done)
				break;		/* k is past the last hook */
			tried++;
			if (window.changed && window.rc != -LTTNG_XEN_EOVERFLOW) {
				fprintf(stderr,
					"rb-unit: overwrite: put at hook %u "
					"(phase %u, nested event: %s) returned "
					"%d for a sub-buffer written while "
					"held\n",
					k, phase, nest ? "yes" : "no",
					window.rc);
				torn++;
			}
			stale += window.rc == -LTTNG_XEN_EOVERFLOW;
		}
	}
	if (torn)
		fail("overwrite: a torn copy was vouched for");
	if (!stale || stale == tried)
		fail("overwrite: the window test did not cover both outcomes");
	printf("overwrite-put %u interleavings, %u -EOVERFLOW, none torn and "
	       "vouched for\n",
	       tried, stale);
}

int main(int argc, char **argv)
{
	static const struct scenario scenarios[] = {
		/* name, mode, subbuf, n, events, consume, nest, back, jump,
		   flush */
		{ "discard", 0, 4096, 4, 3000, 0, 0, 0, 0, 0 },
		{ "consumed", 0, 4096, 4, 20000, 40, 0, 0, 0, 0 },
		{ "overwrite", 1, 4096, 4, 3000, 0, 0, 0, 0, 0 },
		{ "nested", 0, 4096, 8, 20000, 30, 7, 0, 0, 0 },
		{ "backwards", 0, 4096, 4, 5000, 30, 0, 10, 0, 0 },
		{ "jumps", 0, 8192, 4, 5000, 30, 0, 0, 97, 0 },
		{ "exact", 0, 4096, 2, 2000, 1, 0, 0, 0, 0 },
		{ "flush-wake", 0, 4096, 4, 5000, 30, 0, 0, 0, 3 },
		{ "flush-full", 0, 4096, 4, 5000, 0, 0, 0, 0, 2 },
	};
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: rb-unit DIR\n");
		return 2;
	}
	memset(lttng_xen_enabled_mask, 0xff, sizeof(lttng_xen_enabled_mask));
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		run(argv[1], &scenarios[i]);
	hostile();
	overwrite_window();
	return 0;
}
