// SPDX-License-Identifier: GPL-2.0-only
/*
 * convert.c: xentrace records -> the typed events the hypervisor would
 * have recorded, written the way the hypervisor and lttd-xen write them.
 *
 * Each record goes through the hypervisor's own xentrace remap
 * (tracer/xentrace-remap.c and genevent's table, xentrace-map.c) into the
 * ring buffer (ringbuffer/frontend.c with the CTF client), one buffer per
 * CPU as in Xen.  Here this program is the platform: the clock is the
 * current record's TSC, and the wake-up the frontend gives when a
 * sub-buffer is complete makes it drain that CPU's buffer at once into
 * its stream file (ctf-writer's stream.c, as lttd-xen), so nothing is ever
 * discarded for lack of room.  The frontend keeps each stream's time monotonic
 * when a CPU's TSC goes backwards; such records are counted.
 *
 * What xentrace has and the hypervisor's trace has not:
 *  - records without a TSC: they get the time of the record before them
 *    on their CPU, and each run of them is announced by a gen:untimed
 *    event saying how many events that follow have no time of their own;
 *  - TRC_LOST_RECORDS: kept as gen:lost_records, and its count becomes
 *    the stream's discarded events: the open packet is closed at the time
 *    of the record before it, and an empty packet at the marker's time
 *    carries the count, so babeltrace2 reports the loss between the two;
 *  - event ids no facility declares: gen:unknown, with the id and the
 *    data words, counted by id.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <lttng-xen/tracepoint.h>
#include <lttng-xen/xentrace-remap.h>
#include "frontend.h"
#include "client-ctf.h"
#include "ctfw.h"
#include "import.h"
#include "tp-gen.h"

#define NR_SUBBUFS    2 /* drained at once: two are enough */
#define UNKNOWN_SLOTS 4096

struct xi_cpu {
	struct rb_buf rb;
	struct lttng_xen_buf_ctl *ctl;
	uint8_t *data;
	struct ctfw_stream stream;
	int ready;	       /* the frontend completed a sub-buffer */
	int have_ts;	       /* a record with a TSC was seen */
	uint64_t last_ts;      /* the time given to its last record */
	uint32_t untimed_left; /* of the current gen:untimed run */
	struct xi_cpu_stats st;
};

/* Every event is recorded: the tracepoints test this mask. */
uint32_t lttng_xen_enabled_mask[LTTNG_XEN_MAX_EVENTS / 32] = {
	[0 ... LTTNG_XEN_MAX_EVENTS / 32 - 1] = ~0U,
};

static struct xi_cpu *cpus[LTTNG_XEN_MAX_CPUS];
static unsigned int nr_cpus;
static struct xi_cpu *current;
static uint64_t now;	    /* what the ring buffer's clock reads */
static uint64_t latest_tsc; /* on any CPU */
static int dir_fd;
static const char *dir;
static uint8_t uuid[16];
static struct xi_options opts;
static struct xi_unknown unknown[UNKNOWN_SLOTS];
static unsigned int nr_unknown;

/* The ring buffer's platform: the clock and the wake-up. */
uint64_t rb_platform_clock(void)
{
	return now;
}

void rb_platform_wakeup(struct rb_buf *buf)
{
	((struct xi_cpu *)buf->platform)->ready = 1;
}

/*
 * The tracer's probes (tracer/probe.c) record into the buffer of the CPU
 * the record being converted comes from (<lttng-xen/host.h>).  One
 * writer at a time: one nesting count, whatever that CPU's number.
 */
unsigned int lttng_xen_host_cpu(void)
{
	return 0;
}

/* The import sets no domain filter: no domain. */
unsigned int lttng_xen_host_domain(void)
{
	return LTTNG_XEN_DOMID_LIMIT;
}

struct rb_buf *lttng_xen_cpu_buf(unsigned int cpu)
{
	(void)cpu;
	return current ? &current->rb : NULL;
}

int convert_init(int out_fd, const char *out_dir, const uint8_t trace_uuid[16],
		 const struct xi_options *o)
{
	struct rb_config cfg = {o->subbuf_size, NR_SUBBUFS,
				LTTNG_XEN_MODE_DISCARD};

	if (rb_config_check(&cfg)) {
		ctfw_err("cannot use sub-buffers of %" PRIu32 " bytes: a power "
			 "of two from %u to %u is needed",
			 o->subbuf_size, LTTNG_XEN_MIN_SUBBUF_SIZE,
			 LTTNG_XEN_MAX_SUBBUF_SIZE);
		return -1;
	}
	dir_fd = out_fd;
	dir = out_dir;
	memcpy(uuid, trace_uuid, 16);
	opts = *o;
	return 0;
}

static struct xi_cpu *cpu_get(uint32_t cpu)
{
	struct rb_config cfg = {opts.subbuf_size, NR_SUBBUFS,
				LTTNG_XEN_MODE_DISCARD};
	struct xi_cpu *c = cpus[cpu];

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (c) {
		c->ctl = aligned_alloc(4096, LTTNG_XEN_CTL_SIZE);
		c->data = malloc((size_t)cfg.subbuf_size * cfg.nr_subbufs);
	}
	if (!c || !c->ctl || !c->data) {
		ctfw_err("cannot allocate the buffer of CPU %" PRIu32
			 ": out of memory",
			 cpu);
		if (c) {
			free(c->ctl);
			free(c->data);
		}
		free(c);
		return NULL;
	}
	rb_init(&c->rb, c->ctl, c->data, &cfg, cpu, uuid, c);
	if (ctfw_stream_open(&c->stream, dir_fd, dir, cpu, uuid)) {
		free(c->ctl);
		free(c->data);
		free(c);
		return NULL;
	}
	cpus[cpu] = c;
	if (cpu + 1 > nr_cpus)
		nr_cpus = cpu + 1;
	return c;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8); /* little-endian, as client-ctf.h writes */
	return v;
}

/* Write every complete packet of c to its stream file, as lttd-xen does:
 * no padding (packet_size = content_size). */
static int drain(struct xi_cpu *c)
{
	uint64_t pos, content;
	uint8_t *pkt;

	while (c->ready) {
		c->ready = 0;
		while (rb_get_subbuf(&c->rb, &pos) == 0) {
			pkt = c->data + (pos & (c->rb.buf_size - 1));
			content = get64(pkt + CTF_OFF_CONTENT_SIZE);
			ctf_put64(pkt + CTF_OFF_PACKET_SIZE, content);
			if (ctfw_stream_append(&c->stream, pkt, content / 8))
				return -1;
			rb_put_subbuf(&c->rb, pos);
		}
	}
	return 0;
}

static void note_unknown(uint32_t event)
{
	unsigned int i = (event * 2654435761U) % UNKNOWN_SLOTS, n;

	for (n = 0; n < UNKNOWN_SLOTS; n++, i = (i + 1) % UNKNOWN_SLOTS) {
		if (unknown[i].count && unknown[i].event != event)
			continue;
		if (!unknown[i].count) {
			unknown[i].event = event;
			nr_unknown++;
		}
		unknown[i].count++;
		return;
	}
}

static int by_count(const void *a, const void *b)
{
	const struct xi_unknown *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->event < y->event ? -1 : x->event > y->event;
}

unsigned int convert_unknown_ids(struct xi_unknown *out, unsigned int max)
{
	struct xi_unknown all[UNKNOWN_SLOTS];
	unsigned int i, n = 0;

	for (i = 0; i < UNKNOWN_SLOTS; i++)
		if (unknown[i].count)
			all[n++] = unknown[i];
	qsort(all, n, sizeof(all[0]), by_count);
	memcpy(out, all, (n < max ? n : max) * sizeof(all[0]));
	return nr_unknown;
}

/* The time of rec; announces a run of records without one. */
static int give_time(struct xi_cpu *c, const struct xt_record *rec,
		     const struct xt_reader *r)
{
	uint64_t next_tsc = 0;
	unsigned int run;
	int next_has_tsc;

	if (rec->has_tsc) {
		if (c->have_ts && rec->tsc < c->last_ts)
			c->st.backwards++;
		c->have_ts = 1;
		c->last_ts = rec->tsc;
		c->untimed_left = 0;
		if (rec->tsc > latest_tsc)
			latest_tsc = rec->tsc;
		now = rec->tsc;
		return 0;
	}
	c->st.untimed++;
	if (!c->untimed_left) {
		run = 1 + xt_untimed_run(r, &next_has_tsc, &next_tsc);
		if (!c->have_ts) {
			/* Nothing before it on this CPU: the next time. */
			c->last_ts = next_has_tsc ? next_tsc : latest_tsc;
			c->have_ts = 1;
		}
		now = c->last_ts;
		trace_gen_untimed(run);
		c->untimed_left = run;
	}
	c->untimed_left--;
	now = c->last_ts;
	return drain(c);
}

/* TRC_LOST_RECORDS: its count becomes the stream's discarded events. */
static int count_lost(struct xi_cpu *c, const struct xt_record *rec,
		      uint64_t prev_ts, int had_ts)
{
	uint64_t lost = rec->nr_words ? rec->words[0] : 0;

	if (!lost)
		return 0;
	if (had_ts) {
		now = prev_ts;
		rb_switch(&c->rb);
		c->ready = 1;
		if (drain(c))
			return -1;
	}
	c->ctl->discarded += lost;
	c->st.lost += lost;
	now = c->last_ts;
	rb_switch(&c->rb);
	c->ready = 1;
	return drain(c);
}

int convert_record(const struct xt_record *rec, const struct xt_reader *r)
{
	struct xi_cpu *c = cpu_get(rec->cpu);
	uint64_t prev_ts;
	int had_ts;

	if (!c)
		return -1;
	current = c;
	prev_ts = c->last_ts;
	had_ts = c->have_ts;
	if (give_time(c, rec, r))
		return -1;
	if (rec->event == XT_LOST_RECORDS &&
	    count_lost(c, rec, prev_ts, had_ts))
		return -1;
	if (lttng_xen_xt_lookup(rec->event)) {
		if (lttng_xen_xt_record(rec->event, 4 * rec->nr_words,
					rec->words)) {
			ctfw_err("cannot record the record at byte %" PRIu64
				 " (event 0x%07" PRIx32 "): its typed event "
				 "does not fit (a bug)",
				 rec->offset, rec->event);
			return -1;
		}
	} else {
		c->st.unknown++;
		note_unknown(rec->event);
		trace_gen_unknown(rec->event, (uint8_t)rec->nr_words,
				  rec->words);
	}
	c->st.records++;
	return drain(c);
}

/* Close every CPU's last packet, write it, check nothing was lost. */
int convert_finish(void)
{
	struct lttng_xen_counters cnt;
	unsigned int cpu;
	int ret = 0;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		struct xi_cpu *c = cpus[cpu];

		if (!c)
			continue;
		current = c;
		now = c->last_ts;
		rb_switch(&c->rb);
		c->ready = 1;
		if (drain(c))
			ret = -1;
		rb_get_counters(&c->rb, &cnt);
		if (!ret && (cnt.discarded != c->st.lost || cnt.lost_too_big ||
			     cnt.lost_nested || cnt.consumed != cnt.offset)) {
			ctfw_err("CPU %u: the ring buffer lost events while "
				 "importing (a bug): discarded %" PRIu64
				 ", too big %" PRIu64 ", nested %" PRIu64,
				 cpu, cnt.discarded - c->st.lost,
				 cnt.lost_too_big, cnt.lost_nested);
			ret = -1;
		}
		c->st.packets = c->stream.packets;
		c->st.bytes = c->stream.bytes;
		if (ctfw_stream_close(&c->stream))
			ret = -1;
	}
	current = NULL;
	return ret;
}

unsigned int convert_nr_cpus(void)
{
	return nr_cpus;
}

const struct xi_cpu_stats *convert_cpu_stats(unsigned int cpu)
{
	return cpu < nr_cpus && cpus[cpu] ? &cpus[cpu]->st : NULL;
}
