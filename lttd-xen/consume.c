// SPDX-License-Identifier: GPL-2.0-only
/*
 * consume.c: one CPU's buffer, from the consumer's side of the protocol
 * in <lttng-xen/abi.h>: GET_SUBBUF, copy the packet out of the read-only
 * mapping into private memory, write it, PUT_SUBBUF.
 *
 * The copy is what reaches the disk, never the mapping itself (9p and
 * other file systems reject writes from foreign-mapped pages), and it is
 * where packet_size is set to content_size, so no padding is written.
 *
 * Order of write and put, by mode:
 *  - discard: write, then put.  A sub-buffer is handed back only once it
 *    is in the file, so a crash, kill -9 or write error never loses one:
 *    the producer keeps it, and a restarted lttd-xen finds it again.  One
 *    written but not put back is recognised by its packet_seq_num and
 *    skipped.
 *  - overwrite: put, then write.  The producer may take a sub-buffer over
 *    while it is copied (PUT_SUBBUF says -EOVERFLOW); only a copy the put has
 *    vouched for may reach the disk, since the other may be torn.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rb-platform.h>
#include "client-ctf.h"
#include "lttd.h"

/* What GET_BUFFER answers for a CPU the producer does not trace. */
#define NO_BUFFER(ret) ((ret) == -LTTNG_XEN_ENOENT)

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* The mapped control page must agree with GET_INFO and the mapping. */
static const char *check_ctl(const struct lttd *l, const struct lttd_cpu *c)
{
	const struct lttng_xen_buf_ctl *ctl = (const void *)c->map;

	if (c->map_size < LTTNG_XEN_CTL_SIZE)
		return "the mapping is smaller than the control page";
	if (ctl->magic != LTTNG_XEN_BUF_MAGIC)
		return "bad magic number in the control page";
	if (ctl->abi_version != LTTNG_XEN_ABI_VERSION)
		return "the control page has another ABI version";
	if (ctl->cpu != c->cpu)
		return "the control page is another CPU's";
	if (ctl->subbuf_size != l->p.info.subbuf_size ||
	    ctl->nr_subbufs != l->p.info.nr_subbufs ||
	    !is_pow2(ctl->subbuf_size) || !is_pow2(ctl->nr_subbufs))
		return "sub-buffer size or count differs from GET_INFO's";
	if (ctl->mode != l->p.info.mode)
		return "the mode differs from GET_INFO's";
	if (c->map_size - LTTNG_XEN_CTL_SIZE <
	    (uint64_t)ctl->subbuf_size * ctl->nr_subbufs)
		return "the mapping is smaller than the sub-buffers";
	return NULL;
}

static int map_buffer(struct lttd *l, struct lttd_cpu *c)
{
	struct lx_error err;
	const char *why;

	c->map = lx_map_buffer(l->p.t, c->cpu, &c->map_size, &err);
	if (!c->map) {
		ctfw_err("cannot map the buffer of CPU %" PRIu32 ": %s", c->cpu,
			 err.msg);
		return -1;
	}
	why = check_ctl(l, c);
	if (why) {
		ctfw_err("the buffer of CPU %" PRIu32 " is not usable: %s",
			 c->cpu, why);
		lx_unmap_buffer(l->p.t, c->map, c->map_size);
		c->map = NULL;
		return -1;
	}
	c->subbuf_size = l->p.info.subbuf_size;
	c->nr_subbufs = l->p.info.nr_subbufs;
	return 0;
}

/*
 * ret, the producer's answer to an operation on c's CPU: 0, or -1 once
 * said what could not be done ("cannot WHAT of CPU N: reason").
 */
static int cpu_op_failed(const struct lttd_cpu *c, int ret, const char *what)
{
	if (!ret)
		return 0;
	ctfw_err("cannot %s of CPU %" PRIu32 ": %s", what, c->cpu,
		 lx_strerror(ret));
	return -1;
}

/* Map the CPU's buffer and open its stream file, if it has a buffer. */
int lttd_cpu_attach(struct lttd *l, struct lttd_cpu *c)
{
	struct lttng_xen_op op;

	lx_op_init(&op, LTTNG_XEN_OP_GET_BUFFER, c->cpu);
	if (lttd_op(l, &op))
		return -1;
	if (NO_BUFFER(op.ret)) {
		c->state = LTTD_CPU_NONE;
		return 0;
	}
	if (cpu_op_failed(c, op.ret, "get the buffer"))
		return -1;
	if (map_buffer(l, c))
		return -1;
	if (ctfw_stream_open(&c->stream, l->dir_fd, l->opt.dir, c->cpu,
			     l->p.info.trace_uuid)) {
		lx_unmap_buffer(l->p.t, c->map, c->map_size);
		c->map = NULL;
		return -1;
	}
	c->state = LTTD_CPU_MAPPED;
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Copy the packet at pos into l->copy and make its packet_size its
 * content_size.  Returns its length in bytes, or 0 with *why set when
 * the sub-buffer does not hold a valid packet of this stream.
 */
static size_t copy_out(struct lttd *l, struct lttd_cpu *c, uint64_t pos,
		       const char **why)
{
	uint64_t buf_size = (uint64_t)c->subbuf_size * c->nr_subbufs;
	const uint8_t *src =
		c->map + LTTNG_XEN_CTL_SIZE + (pos & (buf_size - 1));
	struct ctfw_packet p;
	size_t len;

	/* Pairs with the producer's commit barrier (GET_SUBBUF said so). */
	rb_smp_rmb();
	memcpy(l->copy, src, CTF_PACKET_HEADER_SIZE);
	ctfw_packet_parse(l->copy, &p);
	*why = ctfw_packet_check(&p, l->p.info.trace_uuid, c->cpu,
				 c->subbuf_size);
	if (!*why && p.seq != pos / c->subbuf_size)
		*why = "its packet_seq_num does not match its position";
	if (*why)
		return 0;
	len = (size_t)(p.content_size / 8);
	memcpy(l->copy + CTF_PACKET_HEADER_SIZE, src + CTF_PACKET_HEADER_SIZE,
	       len - CTF_PACKET_HEADER_SIZE);
	put64(l->copy + CTF_OFF_PACKET_SIZE, p.content_size);
	return len;
}

static int put_subbuf(struct lttd *l, struct lttd_cpu *c, uint64_t pos,
		      int *ret)
{
	struct lttng_xen_op op;

	lx_op_init(&op, LTTNG_XEN_OP_PUT_SUBBUF, c->cpu);
	op.u.subbuf.pos = pos;
	op.u.subbuf.generation = l->p.info.generation;
	if (lttd_op(l, &op))
		return -1;
	*ret = op.ret;
	if (op.ret && op.ret != -LTTNG_XEN_EOVERFLOW) {
		ctfw_err("the producer refused to take back the sub-buffer at "
			 "position %" PRIu64 " of CPU %" PRIu32 ": %s",
			 pos, c->cpu, lx_strerror(op.ret));
		return -1;
	}
	return 0;
}

static int bad_packet(const struct lttd_cpu *c, uint64_t pos, const char *why)
{
	ctfw_err("the sub-buffer at position %" PRIu64 " of CPU %" PRIu32
		 " does not hold a valid packet: %s; stopping with the trace "
		 "complete up to it",
		 pos, c->cpu, why);
	return -1;
}

/* Discard mode: the file first, then the producer. */
static int take_discard(struct lttd *l, struct lttd_cpu *c, uint64_t pos)
{
	const char *why;
	size_t len = copy_out(l, c, pos, &why);
	int ret;

	if (!len)
		return bad_packet(c, pos, why);
	if (ctfw_stream_append(&c->stream, l->copy, len))
		return -1;
	if (put_subbuf(l, c, pos, &ret))
		return -1;
	if (ret)
		return bad_packet(c, pos, "the producer took it back early");
	return 0;
}

/* Overwrite mode: only a copy the put vouches for reaches the file. */
static int take_overwrite(struct lttd *l, struct lttd_cpu *c, uint64_t pos)
{
	const char *why;
	size_t len = copy_out(l, c, pos, &why);
	int ret;

	if (put_subbuf(l, c, pos, &ret))
		return -1;
	if (ret == -LTTNG_XEN_EOVERFLOW) {
		c->dropped++;
		return 0;
	}
	if (!len)
		return bad_packet(c, pos, why);
	return ctfw_stream_append(&c->stream, l->copy, len);
}

static int take(struct lttd *l, struct lttd_cpu *c, uint64_t pos)
{
	int ret;

	if (ctfw_stream_is_written(&c->stream, pos / c->subbuf_size)) {
		/* Written before a restart, never put back: skip it. */
		c->skipped++;
		return put_subbuf(l, c, pos, &ret);
	}
	if (l->p.info.mode == LTTNG_XEN_MODE_OVERWRITE)
		return take_overwrite(l, c, pos);
	return take_discard(l, c, pos);
}

/*
 * Take the complete sub-buffers of one CPU that start before limit, at
 * most one buffer's worth, so that a busy CPU does not starve the others.
 * *more says whether it stopped for that reason.
 */
int lttd_cpu_drain(struct lttd *l, struct lttd_cpu *c, uint64_t limit,
		   int *more)
{
	struct lttng_xen_op op;
	uint32_t n;

	*more = 0;
	if (c->state != LTTD_CPU_MAPPED)
		return 0;
	for (n = 0; n < c->nr_subbufs; n++) {
		lx_op_init(&op, LTTNG_XEN_OP_GET_SUBBUF, c->cpu);
		op.u.subbuf.generation = l->p.info.generation;
		if (lttd_op(l, &op))
			return -1;
		if (op.ret == -LTTNG_XEN_EAGAIN)
			return 0;
		if (cpu_op_failed(c, op.ret, "get a sub-buffer"))
			return -1;
		if (op.u.subbuf.pos % c->subbuf_size) {
			/* Copying from there would run off the mapping. */
			ctfw_err("GET_SUBBUF (CPU %" PRIu32 ") gave position "
				 "%" PRIu64 ": not a sub-buffer boundary",
				 c->cpu, op.u.subbuf.pos);
			return -1;
		}
		if (op.u.subbuf.pos >= limit)
			return 0; /* GET_SUBBUF may be asked again */
		if (take(l, c, op.u.subbuf.pos))
			return -1;
	}
	*more = 1;
	return 0;
}

/* Close the CPU's open packet, so that it can be read. */
int lttd_cpu_flush(struct lttd *l, struct lttd_cpu *c)
{
	struct lttng_xen_op op;

	if (c->state != LTTD_CPU_MAPPED)
		return 0;
	lx_op_init(&op, LTTNG_XEN_OP_FLUSH, c->cpu);
	if (lttd_op(l, &op))
		return -1;
	return cpu_op_failed(c, op.ret, "flush the buffer");
}

int lttd_cpu_counters(struct lttd *l, struct lttd_cpu *c,
		      struct lttng_xen_counters *cnt)
{
	struct lttng_xen_op op;

	lx_op_init(&op, LTTNG_XEN_OP_GET_COUNTERS, c->cpu);
	if (lttd_op(l, &op))
		return -1;
	if (cpu_op_failed(c, op.ret, "read the counters"))
		return -1;
	*cnt = op.u.counters;
	return 0;
}

/* Close the stream file (flushing it to disk) and unmap the buffer. */
int lttd_cpu_detach(struct lttd *l, struct lttd_cpu *c)
{
	int ret;

	if (c->state != LTTD_CPU_MAPPED)
		return 0;
	ret = ctfw_stream_close(&c->stream);
	lx_unmap_buffer(l->p.t, c->map, c->map_size);
	c->map = NULL;
	c->state = LTTD_CPU_NONE;
	return ret;
}
