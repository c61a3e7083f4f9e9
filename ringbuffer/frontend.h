/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The lock-less per-CPU ring buffer (after LTTng's): the frontend.
 *
 * It reserves, commits, switches and hands sub-buffers to the consumer,
 * and counts what it loses.  It does not know where its pages come from
 * (the caller hands it the control page and the data area: that is the
 * backend, Xen's xenheap or the simulator's shared memory) and leaves the
 * packet and event header layout to the client (client-ctf.h).
 *
 * Freestanding: no libc, no Xen headers; the platform layer
 * (rb-platform.h on the include path) gives atomics, barriers, the clock
 * and the wake-up.  The same file is compiled into Xen, the simulator and
 * the tests.
 *
 * Writers: the owning CPU and whatever nests on it (interrupts, NMIs,
 * signal handlers).  No lock, no interrupt masking: a reservation is a
 * compare-and-exchange on the write offset; a nested writer simply takes
 * the next slot.  Timestamps never go backwards within a buffer, even when
 * the clock does.
 */
#ifndef RB_FRONTEND_H
#define RB_FRONTEND_H

#include <rb-platform.h>
#include <lttng-xen/abi.h>
#include <lttng-xen/host.h>

struct rb_buf {
    /* Shared with the consumer, read-only on its side. */
    struct lttng_xen_buf_ctl *ctl;
    uint8_t *data;
    /* Private to the producer: the consumer cannot change these. */
    uint32_t cpu;
    uint32_t mode;
    uint32_t subbuf_size;
    uint32_t nr_subbufs;
    uint64_t buf_size;          /* subbuf_size * nr_subbufs */
    uint32_t subbuf_shift;      /* log2(subbuf_size) */
    uint32_t buf_shift;         /* log2(buf_size) */
    uint8_t uuid[16];
    uint64_t reader_pos;        /* sub-buffer the consumer holds */
    int reader_holds;
    uint64_t lost_reported;     /* lost count in the last closed packet */
    uint64_t clock_reported;    /* ctl->clock_backwards, when last told */
    uint64_t clock_unreported_max; /* largest step back since */
    int clock_reporting;        /* the tracer is telling it (probe.c) */
    void *platform;             /* for rb_platform_wakeup() */
};

/* One reservation, from rb_reserve() to rb_commit(). */
struct rb_ctx {
    uint16_t event;
    uint32_t payload_len;
    uint64_t ts;
    uint64_t pos;               /* where the payload goes */
    uint64_t slot;              /* start of what this writer commits */
    uint32_t slot_len;
};

struct rb_config {
    uint32_t subbuf_size;       /* power of two, >= 4096 */
    uint32_t nr_subbufs;        /* power of two, 2..256 */
    uint32_t mode;              /* enum lttng_xen_mode */
};

/* Check a configuration the consumer asked for: 0 or -LTTNG_XEN_E*. */
int rb_config_check(const struct rb_config *cfg);

/* Set up a buffer over ctl (LTTNG_XEN_CTL_SIZE) and data (subbuf_size *
 * nr_subbufs); cfg must have passed rb_config_check(). */
void rb_init(struct rb_buf *b, struct lttng_xen_buf_ctl *ctl, uint8_t *data,
             const struct rb_config *cfg, uint32_t cpu,
             const uint8_t uuid[16], void *platform);

/* Writer side.  rb_reserve() returns 0, or -1 if the event is lost (and
 * counted).  Then rb_write() any number of times, then rb_commit(). */
int rb_reserve(struct rb_buf *b, struct rb_ctx *ctx);

static inline void rb_write(struct rb_buf *b, struct rb_ctx *ctx,
                            const void *src, uint32_t len)
{
    rb_memcpy(b->data + (ctx->pos & (b->buf_size - 1)), src, len);
    ctx->pos += len;
}

void rb_commit(struct rb_buf *b, const struct rb_ctx *ctx);

/* Close the open packet, if any, so the consumer can take it.  When none
 * is open and events were lost since the last packet closed, emit an
 * empty packet carrying the count, so it reaches the trace. */
void rb_switch(struct rb_buf *b);

/*
 * The clock went back since the last call (monotonic_clock()): 1, with
 * how many reads did (up to 2^32 - 1) and the largest step back, for the
 * writer side to record (tracer/probe.c); else 0.  On the buffer's CPU.
 */
int rb_clock_unreported(struct rb_buf *b, uint32_t *reads,
                        uint64_t *max_ticks);

/* Consumer side (run by the producer on the consumer's behalf). */
int rb_get_subbuf(struct rb_buf *b, uint64_t *pos);
int rb_put_subbuf(struct rb_buf *b, uint64_t pos);
void rb_get_counters(const struct rb_buf *b, struct lttng_xen_counters *c);

#endif /* RB_FRONTEND_H */
