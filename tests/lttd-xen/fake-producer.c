// SPDX-License-Identifier: GPL-2.0-only
/*
 * fake-producer.c: see fake-producer.h.  Implements transport/transport.h
 * (transport.c and its implementations; the producer client and the
 * words, producer.c and abi-text.c, are the real ones) over the real ring
 * buffer in this process's memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "frontend.h"
#include "event-ids.h"
#include "transport.h"
#include "fake-producer.h"

long fake_fail_put_at = -1;
uint32_t fake_abi_version;
uint64_t fake_metadata_hash;
void (*fake_before_put)(uint32_t cpu, uint64_t pos);

static struct fake_cfg cfg;
static uint8_t trace_uuid[16];
static uint32_t state;
static struct rb_buf bufs[8];
static uint8_t *mem[8];
static uint64_t emitted[8];
static long puts_done;
static int wake_fd = -1;
static uint64_t now = 1000000000000ULL;

struct lx_transport {
	int unused;
};

static struct lx_transport the_transport;

uint64_t rb_platform_clock(void)
{
	now += 1000;
	return now;
}

void rb_platform_wakeup(struct rb_buf *b)
{
	uint64_t one = 1;

	(void)b;
	if (write(wake_fd, &one, sizeof(one)) != sizeof(one))
		perror("fake-producer: eventfd");
}

static size_t buf_bytes(void)
{
	return LTTNG_XEN_CTL_SIZE + (size_t)cfg.subbuf_size * cfg.nr_subbufs;
}

void fake_init(const struct fake_cfg *c, const uint8_t uuid[16])
{
	struct rb_config rc = {c->subbuf_size, c->nr_subbufs, c->mode};
	uint32_t i;

	cfg = *c;
	memcpy(trace_uuid, uuid, 16);
	if (wake_fd < 0)
		wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	for (i = 0; i < cfg.nr_cpus; i++) {
		free(mem[i]);
		mem[i] = aligned_alloc(4096, buf_bytes());
		memset(mem[i], 0, buf_bytes());
		rb_init(&bufs[i], (void *)mem[i], mem[i] + LTTNG_XEN_CTL_SIZE,
			&rc, i, uuid, NULL);
		emitted[i] = 0;
	}
	state = LTTNG_XEN_STATE_RUNNING;
	fake_abi_version = LTTNG_XEN_ABI_VERSION;
	fake_metadata_hash = LTTNG_XEN_METADATA_HASH;
	puts_done = 0;
	fake_fail_put_at = -1;
	fake_before_put = NULL;
}

void fake_emit(uint32_t cpu, unsigned int n)
{
	struct rb_ctx ctx;
	/* gen:guest with 2 data words: 17 bytes with its 6-byte header, 236
	 * events fill a 4096-byte packet exactly */
	uint8_t payload[3 + 8] = { 0 };
	uint32_t v;

	while (n--) {
		v = (uint32_t)emitted[cpu]++;
		payload[0] = (uint8_t)cpu;
		payload[1] = 0;
		payload[2] = 2;
		memcpy(payload + 3, &v, 4);
		ctx.event = LTTNG_XEN_EVENT_GEN_GUEST;
		ctx.payload_len = sizeof(payload);
		if (rb_reserve(&bufs[cpu], &ctx))
			continue;
		rb_write(&bufs[cpu], &ctx, payload, sizeof(payload));
		rb_commit(&bufs[cpu], &ctx);
	}
}

void fake_set_state(uint32_t s)
{
	state = s;
}

void fake_stop(void)
{
	uint32_t i;

	state = LTTNG_XEN_STATE_STOPPED;
	for (i = 0; i < cfg.nr_cpus; i++)
		rb_switch(&bufs[i]);
}

uint64_t fake_emitted(uint32_t cpu)
{
	return emitted[cpu];
}

uint64_t fake_consumed(uint32_t cpu)
{
	return bufs[cpu].ctl->consumed;
}

uint64_t fake_lost(uint32_t cpu)
{
	const struct lttng_xen_buf_ctl *c = bufs[cpu].ctl;

	return c->discarded + c->lost_too_big + c->lost_nested;
}

const char *lx_transport_spec(const char *spec)
{
	return spec ? spec : "fake";
}

struct lx_transport *lx_transport_open(const char *spec, struct lx_error *err)
{
	(void)spec;
	(void)err;
	return &the_transport;
}

void lx_transport_close(struct lx_transport *t)
{
	(void)t;
}

const char *lx_transport_name(const struct lx_transport *t)
{
	(void)t;
	return "fake";
}

static void get_info(struct lttng_xen_info *info)
{
	memset(info, 0, sizeof(*info));
	info->abi_version = fake_abi_version;
	info->state = state;
	info->nr_cpus = cfg.nr_cpus;
	info->subbuf_size = cfg.subbuf_size;
	info->nr_subbufs = cfg.nr_subbufs;
	info->mode = cfg.mode;
	info->nr_events = LTTNG_XEN_NR_EVENTS;
	info->tsc_hz = 1000000000;
	info->metadata_hash = fake_metadata_hash;
	memcpy(info->trace_uuid, trace_uuid, 16);
}

static int put(struct lttng_xen_op *op, struct lx_error *err)
{
	if (puts_done++ == fake_fail_put_at) {
		snprintf(err->msg, sizeof(err->msg),
			 "injected transport failure (the test 'kills' "
			 "lttd-xen here)");
		return -1;
	}
	if (fake_before_put)
		fake_before_put(op->cpu, op->u.subbuf.pos);
	op->ret = rb_put_subbuf(&bufs[op->cpu], op->u.subbuf.pos);
	return 0;
}

int lx_op(struct lx_transport *t, struct lttng_xen_op *op, struct lx_error *err)
{
	(void)t;
	op->ret = 0;
	if (op->op != LTTNG_XEN_OP_GET_INFO && op->cpu >= cfg.nr_cpus) {
		op->ret = -LTTNG_XEN_ENOENT;
		return 0;
	}
	switch (op->op) {
	case LTTNG_XEN_OP_GET_INFO:
		get_info(&op->u.info);
		break;
	case LTTNG_XEN_OP_GET_BUFFER:
		op->u.buffer.size = (uint32_t)buf_bytes();
		op->u.buffer.nr_frames = (uint32_t)(buf_bytes() / 4096);
		break;
	case LTTNG_XEN_OP_GET_SUBBUF:
		op->ret = rb_get_subbuf(&bufs[op->cpu], &op->u.subbuf.pos);
		break;
	case LTTNG_XEN_OP_PUT_SUBBUF:
		return put(op, err);
	case LTTNG_XEN_OP_FLUSH:
		rb_switch(&bufs[op->cpu]);
		break;
	case LTTNG_XEN_OP_GET_COUNTERS:
		rb_get_counters(&bufs[op->cpu], &op->u.counters);
		break;
	default:
		op->ret = -LTTNG_XEN_ENOSYS;
	}
	return 0;
}

const void *lx_map_buffer(struct lx_transport *t, uint32_t cpu, size_t *size,
			  struct lx_error *err)
{
	(void)t;
	if (cpu >= cfg.nr_cpus) {
		snprintf(err->msg, sizeof(err->msg), "no buffer");
		return NULL;
	}
	*size = buf_bytes();
	return mem[cpu];
}

void lx_unmap_buffer(struct lx_transport *t, const void *addr, size_t size)
{
	(void)t;
	(void)addr;
	(void)size;
}

int lx_wakeup_fd(struct lx_transport *t, struct lx_error *err)
{
	(void)t;
	(void)err;
	return wake_fd;
}

void lx_ack_wakeup(struct lx_transport *t)
{
	uint64_t v;

	(void)t;
	if (read(wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		perror("fake-producer: eventfd");
}

/* No domains here: lttd-xen's names.c says so once and records none. */
int lx_domains_open(struct lx_transport *t, struct lx_error *err)
{
	(void)t;
	snprintf(err->msg, sizeof(err->msg), "the fake producer has no domains");
	return -1;
}

int lx_domains_fd(struct lx_transport *t)
{
	(void)t;
	return -1;
}

int lx_domains_list(struct lx_transport *t, struct lx_domain **list,
		    struct lx_error *err)
{
	(void)t;
	(void)err;
	*list = NULL;
	return 0;
}

void lx_domains_close(struct lx_transport *t)
{
	(void)t;
}
