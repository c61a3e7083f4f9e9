/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probe.c: the probe API of <lttng-xen/tracepoint.h> on top of the ring
 * buffer: every enabled tracepoint ends here, on the CPU it fired on.
 * The host (Xen, the simulator, a test) provides this CPU's buffer.
 */
#include <lttng-xen/tracepoint.h>

#include "frontend.h"

/*
 * This CPU's buffer, or NULL when the CPU is not traced.  Every non-NULL
 * buffer is handed back with lttng_xen_this_cpu_buf_put() once the event
 * is committed (or lost), so a host can tell when no writer on a CPU
 * still uses a buffer it unpublished (control.h: quiesce_cpu).  Hosts
 * that count otherwise need not define the put.
 */
struct rb_buf *lttng_xen_this_cpu_buf(void);
void lttng_xen_this_cpu_buf_put(struct rb_buf *b);

void __attribute__((__weak__)) lttng_xen_this_cpu_buf_put(struct rb_buf *b)
{
    (void)b;
}

void lttng_xen_record(uint16_t event, const void *payload, uint32_t len)
{
    struct rb_buf *b = lttng_xen_this_cpu_buf();
    struct rb_ctx ctx;

    if ( !b )
        return;
    ctx.event = event;
    ctx.payload_len = len;
    if ( !rb_reserve(b, &ctx) )
    {
        if ( len )              /* no fields: payload may be NULL */
            rb_write(b, &ctx, payload, len);
        rb_commit(b, &ctx);
    }
    lttng_xen_this_cpu_buf_put(b);
}

void lttng_xen_record_chunks(uint16_t event,
                             const struct lttng_xen_chunk *chunks,
                             unsigned int nr)
{
    struct rb_buf *b = lttng_xen_this_cpu_buf();
    struct rb_ctx ctx;
    unsigned int i;
    uint32_t len = 0;

    if ( !b )
        return;
    for ( i = 0; i < nr; i++ )
        len += chunks[i].len;
    ctx.event = event;
    ctx.payload_len = len;
    if ( !rb_reserve(b, &ctx) )
    {
        for ( i = 0; i < nr; i++ )
            if ( chunks[i].len )
                rb_write(b, &ctx, chunks[i].data, chunks[i].len);
        rb_commit(b, &ctx);
    }
    lttng_xen_this_cpu_buf_put(b);
}
