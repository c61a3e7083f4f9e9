/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer's client: what a packet and an event header look like.
 * This is the only place that knows the CTF layout of a stream; it must
 * match ctf/stream-header.tsdl.in.  The frontend calls these for every
 * packet it opens or closes and every event it reserves.
 *
 * Packet (one per sub-buffer), little-endian, byte-packed:
 *   header:  u32 magic, u8 uuid[16], u32 stream_id, u64 stream_instance_id
 *   context: u64 timestamp_begin, timestamp_end, content_size (bits),
 *            packet_size (bits), packet_seq_num, events_discarded;
 *            u32 cpu_id
 * Event header: compact, one u32 = id (5 bits, 0-29) | timestamp low 27
 *   bits; medium (6 bytes), one u32 = 30 | timestamp low 27 bits, then a
 *   u16 id; or extended (13 bytes): u8 31, u32 id, u64 timestamp.  The
 *   compact and medium headers need the time since the previous event to
 *   fit in 27 bits, so that a reader can rebuild the full timestamp.
 */
#ifndef RB_CLIENT_CTF_H
#define RB_CLIENT_CTF_H

#define CTF_MAGIC               0xc1fc1fc1U
#define CTF_PACKET_HEADER_SIZE  84
#define CTF_COMPACT_IDS         30      /* ids 0-29 */
#define CTF_COMPACT_TS_BITS     27
#define CTF_MEDIUM_TAG          30
#define CTF_MEDIUM_SIZE         6
#define CTF_EXTENDED_TAG        31
#define CTF_EXTENDED_SIZE       13

/* Offsets of the context fields the frontend writes when it closes. */
#define CTF_OFF_TS_BEGIN        32
#define CTF_OFF_TS_END          40
#define CTF_OFF_CONTENT_SIZE    48
#define CTF_OFF_PACKET_SIZE     56
#define CTF_OFF_SEQ_NUM         64
#define CTF_OFF_DISCARDED       72
#define CTF_OFF_CPU_ID          80

static inline void ctf_put32(uint8_t *p, uint32_t v)
{
    rb_memcpy(p, &v, 4);        /* x86 and Arm are little-endian */
}

static inline void ctf_put64(uint8_t *p, uint64_t v)
{
    rb_memcpy(p, &v, 8);
}

/*
 * Size of the event header: compact when the id fits in 5 bits and the
 * time since 'prev' (a timestamp no later than the previous event's)
 * fits in 27 bits, so a reader can rebuild the full timestamp; medium
 * for the other ids when the time fits; extended otherwise.
 */
static inline uint32_t ctf_event_header_size(uint16_t id, uint64_t ts,
                                             uint64_t prev)
{
    if ( rb_likely(ts - prev < (1ULL << CTF_COMPACT_TS_BITS)) )
        return rb_likely(id < CTF_COMPACT_IDS) ? 4 : CTF_MEDIUM_SIZE;
    return CTF_EXTENDED_SIZE;
}

static inline void ctf_event_header_write(uint8_t *p, uint32_t size,
                                          uint16_t id, uint64_t ts)
{
    if ( rb_likely(size == 4) )
    {
        ctf_put32(p, id | (uint32_t)(ts << 5));
        return;
    }
    if ( size == CTF_MEDIUM_SIZE )
    {
        ctf_put32(p, CTF_MEDIUM_TAG | (uint32_t)(ts << 5));
        rb_memcpy(p + 4, &id, 2);       /* little-endian */
        return;
    }
    p[0] = CTF_EXTENDED_TAG;
    ctf_put32(p + 1, id);
    ctf_put64(p + 5, ts);
}

/*
 * The writer that opens a packet and the one that closes it each write
 * their own fields, never the other's: the closer (a flush, or a nested
 * writer) may come first, while the opener, interrupted after it moved
 * the write offset, has not written the header yet.
 */
static inline void ctf_packet_begin(uint8_t *p, const uint8_t uuid[16],
                                    uint32_t cpu, uint64_t ts, uint64_t seq,
                                    uint32_t packet_size)
{
    ctf_put32(p, CTF_MAGIC);
    rb_memcpy(p + 4, uuid, 16);
    ctf_put32(p + 20, 0);                       /* stream_id */
    ctf_put64(p + 24, cpu);                     /* stream_instance_id */
    ctf_put64(p + CTF_OFF_TS_BEGIN, ts);
    ctf_put64(p + CTF_OFF_PACKET_SIZE, (uint64_t)packet_size * 8);
    ctf_put64(p + CTF_OFF_SEQ_NUM, seq);
    ctf_put32(p + CTF_OFF_CPU_ID, cpu);
}

static inline void ctf_packet_end(uint8_t *p, uint64_t ts,
                                  uint32_t content_bytes,
                                  uint64_t discarded)
{
    ctf_put64(p + CTF_OFF_TS_END, ts);
    ctf_put64(p + CTF_OFF_CONTENT_SIZE, (uint64_t)content_bytes * 8);
    ctf_put64(p + CTF_OFF_DISCARDED, discarded);
}

#endif /* RB_CLIENT_CTF_H */
