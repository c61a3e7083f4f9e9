/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * frontend.c: reserve, commit, switch and the consumer's get/put, for the
 * per-CPU buffers of lttng-xen.  The algorithm is LTTng's (lttng-modules
 * src/lib/ringbuffer/ring_buffer_frontend.c), reduced to what a hypervisor
 * tracer needs.  See frontend.h for who may call what.
 *
 * Positions are free-running byte counts.  Each sub-buffer use ("packet")
 * must have all of its subbuf_size bytes committed before the consumer may
 * take it: the packet header is committed by the writer that opens the
 * packet, each event by its writer, and the unused tail by the writer that
 * closes the packet.  commit[i] therefore reaches (use + 1) * subbuf_size
 * exactly when use number 'use' of sub-buffer i is complete, as long as a
 * writer never enters a sub-buffer whose previous use is incomplete: in
 * discard mode that use is unconsumed (so complete or not, the writer
 * drops the event); in overwrite mode the writer drops the event too if
 * the use it would overwrite is still being written (lost_nested).
 *
 * The packet a writer closes gets that writer's timestamp as its end, and
 * the packet it opens the same timestamp as its beginning.  Packets are
 * not always closed in order: a writer interrupted after its reservation
 * moved the offset into a new packet may close the old one after a flush
 * (or a nested writer) closed the new one.  So the lost count a packet
 * reports is read before the reservation that closes it: never more than
 * what the packets after it report.
 */
#include "frontend.h"
#include "client-ctf.h"

static inline uint32_t sb_index(const struct rb_buf *b, uint64_t pos)
{
    return (uint32_t)(pos >> b->subbuf_shift) & (b->nr_subbufs - 1);
}

static inline uint8_t *at(const struct rb_buf *b, uint64_t pos)
{
    return b->data + (pos & (b->buf_size - 1));
}

/* The commit count that says the use of the sub-buffer at 'start'
 * (a sub-buffer boundary) is complete. */
static inline uint64_t complete_count(const struct rb_buf *b, uint64_t start)
{
    return ((start >> b->buf_shift) + 1) << b->subbuf_shift;
}

static inline uint64_t lost_total(const struct rb_buf *b)
{
    const struct lttng_xen_buf_ctl *c = b->ctl;

    return rb_load(&c->discarded) + rb_load(&c->lost_too_big) +
           rb_load(&c->lost_nested);
}

/* *p = max(*p, v), against writers nested on this CPU. */
static void local_max(uint64_t *p, uint64_t v)
{
    uint64_t old = rb_load(p);

    while ( v > old )
    {
        uint64_t seen = rb_local_cmpxchg(p, old, v);

        if ( seen == old )
            break;
        old = seen;
    }
}

/*
 * A timestamp no earlier than any this buffer gave before: max_ts is
 * raised before the caller's reservation, so any writer that reserves
 * after it (in offset order) reads a clock at least as late.
 *
 * max_ts is read before the clock: every time it holds was read from the
 * clock before this read, so a clock that does not go back gives at least
 * that.  One that gives less went back (a TSC stepped back, or this buffer
 * is written from another CPU whose TSC is behind): the event gets max_ts
 * instead, and the step is counted, for the tracer to say so in the trace
 * (clock_backwards, <lttng-xen/abi.h>).  A max_ts raised by a nested
 * writer after the clock read is no such step: that writer read the clock
 * later.
 */
static uint64_t monotonic_clock(struct rb_buf *b)
{
    struct lttng_xen_buf_ctl *c = b->ctl;
    uint64_t max = rb_load(&c->max_ts), ts;

    rb_barrier();
    ts = rb_platform_clock();
    if ( rb_unlikely(ts < max) )
    {
        rb_local_inc(&c->clock_backwards);
        local_max(&c->clock_backwards_max, max - ts);
        local_max(&b->clock_unreported_max, max - ts);
        return max;
    }
    while ( ts > max )
    {
        uint64_t seen = rb_local_cmpxchg(&c->max_ts, max, ts);

        if ( seen == max )
            return ts;
        max = seen;
    }
    return max;
}

/* Account committed bytes; the commit that completes a packet wakes the
 * consumer. */
static void commit_bytes(struct rb_buf *b, uint64_t pos, uint64_t len)
{
    uint64_t *count = &b->ctl->commit[sb_index(b, pos)], now;

    rb_assert(len && len <= b->subbuf_size);
    rb_smp_wmb();
    now = rb_local_add_return(count, len);
    /* A use of a sub-buffer never gets more than subbuf_size bytes. */
    rb_assert(now <= complete_count(b, pos & ~(uint64_t)(b->subbuf_size - 1)));
    if ( (now & (b->subbuf_size - 1)) == 0 )
        rb_platform_wakeup(b);
}

static void close_packet(struct rb_buf *b, uint64_t start, uint32_t content,
                         uint64_t ts, uint64_t lost)
{
    ctf_packet_end(at(b, start), ts, content, lost);
    b->lost_reported = lost;
}

int rb_config_check(const struct rb_config *cfg)
{
    if ( cfg->mode != LTTNG_XEN_MODE_DISCARD &&
         cfg->mode != LTTNG_XEN_MODE_OVERWRITE )
        return -LTTNG_XEN_EINVAL;
    if ( cfg->subbuf_size & (cfg->subbuf_size - 1) ||
         cfg->nr_subbufs & (cfg->nr_subbufs - 1) )
        return -LTTNG_XEN_EINVAL;
    if ( cfg->subbuf_size < LTTNG_XEN_MIN_SUBBUF_SIZE ||
         cfg->subbuf_size > LTTNG_XEN_MAX_SUBBUF_SIZE ||
         cfg->nr_subbufs < 2 || cfg->nr_subbufs > LTTNG_XEN_MAX_SUBBUFS ||
         (uint64_t)cfg->subbuf_size * cfg->nr_subbufs >
         LTTNG_XEN_MAX_BUF_SIZE )
        return -LTTNG_XEN_ERANGE;
    return 0;
}

void rb_init(struct rb_buf *b, struct lttng_xen_buf_ctl *ctl, uint8_t *data,
             const struct rb_config *cfg, uint32_t cpu,
             const uint8_t uuid[16], void *platform)
{
    rb_memset(b, 0, sizeof(*b));
    rb_memset(ctl, 0, sizeof(*ctl));
    b->ctl = ctl;
    b->data = data;
    b->cpu = cpu;
    b->mode = cfg->mode;
    b->subbuf_size = cfg->subbuf_size;
    b->nr_subbufs = cfg->nr_subbufs;
    b->buf_size = (uint64_t)cfg->subbuf_size * cfg->nr_subbufs;
    /* Sizes are powers of two: shift instead of dividing on every event. */
    while ( (1ULL << b->subbuf_shift) < cfg->subbuf_size )
        b->subbuf_shift++;
    while ( (1ULL << b->buf_shift) < b->buf_size )
        b->buf_shift++;
    rb_assert(b->subbuf_size == 1U << b->subbuf_shift &&
              b->buf_size == 1ULL << b->buf_shift);
    rb_memcpy(b->uuid, uuid, 16);
    b->platform = platform;
    ctl->magic = LTTNG_XEN_BUF_MAGIC;
    ctl->abi_version = LTTNG_XEN_ABI_VERSION;
    ctl->cpu = cpu;
    ctl->mode = cfg->mode;
    ctl->subbuf_size = cfg->subbuf_size;
    ctl->nr_subbufs = cfg->nr_subbufs;
}

/* Overwrite mode: move the consumer off the sub-buffer at 'start'. */
static void push_reader(struct rb_buf *b, uint64_t start)
{
    uint64_t cons = rb_load_acquire(&b->ctl->consumed);

    while ( start - cons >= b->buf_size )
    {
        uint64_t seen = rb_cmpxchg(&b->ctl->consumed, cons,
                                   cons + b->subbuf_size);

        if ( seen == cons )
        {
            rb_local_inc(&b->ctl->overwritten);
            cons += b->subbuf_size;
        }
        else
            cons = seen;
    }
}

int rb_reserve(struct rb_buf *b, struct rb_ctx *ctx)
{
    struct lttng_xen_buf_ctl *c = b->ctl;
    const uint64_t mask = b->subbuf_size - 1;
    uint64_t old, prev, ts, start, begin, end, lost = 0;
    uint32_t off, hdr;
    int opens;

    if ( rb_unlikely(ctx->payload_len > b->subbuf_size) )
    {
        rb_local_inc(&c->lost_too_big);
        return -1;
    }
    for ( ;; )
    {
        old = rb_load(&c->offset);
        prev = rb_load(&c->last_ts);
        rb_barrier();
        ts = monotonic_clock(b);
        off = (uint32_t)(old & mask);
        hdr = ctf_event_header_size(ctx->event, ts, prev);
        opens = off == 0 || off + hdr + ctx->payload_len > b->subbuf_size;
        if ( !opens )
        {
            begin = old;
            end = begin + hdr + ctx->payload_len;
        }
        else
        {
            start = off ? old - off + b->subbuf_size : old;
            /* A new packet starts at ts: the first event is compact. */
            hdr = ctf_event_header_size(ctx->event, ts, ts);
            if ( rb_unlikely(CTF_PACKET_HEADER_SIZE + hdr + ctx->payload_len >
                             b->subbuf_size) )
            {
                rb_local_inc(&c->lost_too_big);
                return -1;
            }
            if ( start - rb_load_acquire(&c->consumed) >= b->buf_size )
            {
                if ( b->mode == LTTNG_XEN_MODE_DISCARD )
                {
                    rb_local_inc(&c->discarded);
                    return -1;
                }
                if ( rb_load_acquire(&c->commit[sb_index(b, start)]) !=
                     complete_count(b, start - b->buf_size) )
                {
                    rb_local_inc(&c->lost_nested);
                    return -1;
                }
            }
            begin = start + CTF_PACKET_HEADER_SIZE;
            end = begin + hdr + ctx->payload_len;
        }
        if ( (opens && off) || (end & mask) == 0 )
            lost = lost_total(b);       /* for the packet this closes */
        if ( rb_local_cmpxchg(&c->offset, old, end) == old )
            break;
    }
    rb_store(&c->last_ts, ts);

    if ( opens )
    {
        if ( off )
        {
            /* Close the packet this reservation overflowed. */
            close_packet(b, old - off, off, ts, lost);
            commit_bytes(b, old, b->subbuf_size - off);
        }
        if ( b->mode == LTTNG_XEN_MODE_OVERWRITE )
            push_reader(b, start);
        ctf_packet_begin(at(b, start), b->uuid, b->cpu, ts,
                         start >> b->subbuf_shift, b->subbuf_size);
        ctx->slot = start;
    }
    else
        ctx->slot = begin;
    ctx->slot_len = (uint32_t)(end - ctx->slot);
    /* A slot never crosses into the next sub-buffer. */
    rb_assert(ctx->slot_len && ctx->slot_len <= b->subbuf_size &&
              ((end - 1) & ~mask) == (ctx->slot & ~mask));
    ctx->ts = ts;
    ctf_event_header_write(at(b, begin), hdr, ctx->event, ts);
    ctx->pos = begin + hdr;
    if ( (end & mask) == 0 )
        close_packet(b, end - b->subbuf_size, b->subbuf_size, ts, lost);
    return 0;
}

void rb_commit(struct rb_buf *b, const struct rb_ctx *ctx)
{
    /* Every byte reserved was written: no more, no fewer. */
    rb_assert(ctx->pos == ctx->slot + ctx->slot_len);
    rb_local_inc(&b->ctl->produced);
    commit_bytes(b, ctx->slot, ctx->slot_len);
}

void rb_switch(struct rb_buf *b)
{
    struct lttng_xen_buf_ctl *c = b->ctl;
    uint64_t old, ts, start, lost;
    uint32_t off;

    for ( ;; )
    {
        old = rb_load(&c->offset);
        rb_barrier();
        ts = monotonic_clock(b);
        lost = lost_total(b);
        off = (uint32_t)(old & (b->subbuf_size - 1));
        if ( off )
        {
            start = old - off;
            if ( rb_local_cmpxchg(&c->offset, old,
                                  start + b->subbuf_size) != old )
                continue;
            close_packet(b, start, off, ts, lost);
            commit_bytes(b, old, b->subbuf_size - off);
            return;
        }
        /* Nothing open: an empty packet if lost events are unreported. */
        if ( lost == b->lost_reported ||
             old - rb_load_acquire(&c->consumed) >= b->buf_size )
            return;
        if ( rb_local_cmpxchg(&c->offset, old, old + b->subbuf_size) != old )
            continue;
        ctf_packet_begin(at(b, old), b->uuid, b->cpu, ts,
                         old >> b->subbuf_shift, b->subbuf_size);
        close_packet(b, old, CTF_PACKET_HEADER_SIZE, ts, lost);
        commit_bytes(b, old, b->subbuf_size);
        return;
    }
}

int rb_get_subbuf(struct rb_buf *b, uint64_t *pos)
{
    const struct lttng_xen_buf_ctl *c = b->ctl;
    uint64_t cons;

    /* A consumer that restarts may ask again without putting back. */
    b->reader_holds = 0;
    for ( ;; )
    {
        cons = rb_load_acquire(&c->consumed);
        if ( rb_load_acquire(&c->commit[sb_index(b, cons)]) !=
             complete_count(b, cons) )
        {
            if ( rb_load_acquire(&c->consumed) != cons )
                continue;       /* overwritten meanwhile */
            return -LTTNG_XEN_EAGAIN;
        }
        rb_smp_rmb();
        if ( rb_load_acquire(&c->consumed) == cons )
            break;
    }
    rb_assert((cons & (b->subbuf_size - 1)) == 0);
    b->reader_pos = cons;
    b->reader_holds = 1;
    *pos = cons;
    return 0;
}

/*
 * The consumer copied the sub-buffer at pos, then puts it back.  In
 * overwrite mode a writer takes a held sub-buffer over in two steps: its
 * reservation moves the write offset into the sub-buffer's next use,
 * then push_reader() moves 'consumed'.  In between, it or a writer
 * nested over it (interrupt, NMI, a flush) may already write there, so
 * the copy is stale as soon as the offset is past pos + buf_size, even
 * if 'consumed' is still pos.  The offset is read after the copy
 * (rb_smp_rmb(): writers store the offset before what they write), so a
 * copy that saw any such write sees that offset too.  A put before the
 * reservation wins the cmpxchg, and the writer then finds nothing to
 * push; after push_reader() the cmpxchg fails: -EOVERFLOW either way.
 */
int rb_put_subbuf(struct rb_buf *b, uint64_t pos)
{
    if ( !b->reader_holds || pos != b->reader_pos )
        return -LTTNG_XEN_EINVAL;
    b->reader_holds = 0;
    rb_smp_rmb();
    if ( rb_load(&b->ctl->offset) - pos > b->buf_size )
        return -LTTNG_XEN_EOVERFLOW;       /* push_reader() moves it */
    if ( rb_cmpxchg(&b->ctl->consumed, pos, pos + b->subbuf_size) != pos )
        return -LTTNG_XEN_EOVERFLOW;
    return 0;
}

void rb_get_counters(const struct rb_buf *b, struct lttng_xen_counters *o)
{
    const struct lttng_xen_buf_ctl *c = b->ctl;

    o->produced = rb_load(&c->produced);
    o->discarded = rb_load(&c->discarded);
    o->lost_too_big = rb_load(&c->lost_too_big);
    o->lost_nested = rb_load(&c->lost_nested);
    o->overwritten = rb_load(&c->overwritten);
    o->offset = rb_load(&c->offset);
    o->consumed = rb_load(&c->consumed);
    o->clock_backwards = rb_load(&c->clock_backwards);
    o->clock_backwards_max = rb_load(&c->clock_backwards_max);
}

int rb_clock_unreported(struct rb_buf *b, uint32_t *reads,
                        uint64_t *max_ticks)
{
    uint64_t count = rb_load(&b->ctl->clock_backwards), max;

    if ( rb_likely(count == b->clock_reported) )
        return 0;
    max = rb_load(&b->clock_unreported_max);
    while ( rb_local_cmpxchg(&b->clock_unreported_max, max, 0) != max )
        max = rb_load(&b->clock_unreported_max);
    *reads = count - b->clock_reported > 0xffffffffU
             ? 0xffffffffU : (uint32_t)(count - b->clock_reported);
    *max_ticks = max;
    b->clock_reported = count;
    return 1;
}
