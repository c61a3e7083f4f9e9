/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probe API that genevent's tracepoint headers call.
 *
 * A generated trace_<facility>_<event>() tests lttng_xen_event_enabled()
 * and, only when the event is on, packs its fields and hands the payload to
 * lttng_xen_record().  The tracer core (Xen, the simulator or a test)
 * provides the mask and the record functions.  Payloads are byte-packed and
 * little-endian, exactly the layout the CTF metadata declares.
 *
 * Also the types of the generated xentrace remap table, which lets the
 * existing xentrace macros record the typed events.  Freestanding: usable
 * inside Xen (with __XEN__) and in user space without libc.
 */
#ifndef LTTNG_XEN_TRACEPOINT_H
#define LTTNG_XEN_TRACEPOINT_H

#ifdef __XEN__
#include <xen/types.h>
#else
#include <stdint.h>
#include <stddef.h>
#endif

/* One bit per event id: set = the event is recorded. */
extern uint32_t lttng_xen_enabled_mask[];

/*
 * A relaxed atomic load: a plain load on x86 and Arm, which a loop around
 * a tracepoint re-reads (it sees START and STOP), and a well-defined one
 * while the control code changes the mask (ThreadSanitizer agrees).
 */
#define lttng_xen_event_enabled(id)                                    \
    __builtin_expect((__atomic_load_n(&lttng_xen_enabled_mask[(id) / 32], \
                                      __ATOMIC_RELAXED) >> ((id) % 32)) & 1, 0)

/* Record one event whose payload is one contiguous block. */
void lttng_xen_record(uint16_t event, const void *payload, uint32_t len);

/* Record one event whose payload is several blocks (strings, sequences). */
struct lttng_xen_chunk {
    const void *data;
    uint32_t len;
};
void lttng_xen_record_chunks(uint16_t event,
                             const struct lttng_xen_chunk *chunks,
                             unsigned int nr);

/* Where a field's value comes from in a xentrace record. */
enum lttng_xen_xt_from {
    LTTNG_XEN_XT_DATA,          /* bits of the u32 data words */
    LTTNG_XEN_XT_ID,            /* bits of the event word */
    LTTNG_XEN_XT_CONST,         /* a fixed value */
    LTTNG_XEN_XT_COUNT,         /* element count of the sequence 'ref' */
};

/*
 * One field of the typed event, in field order.  A value is 'width' bits
 * starting at bit 'bit' of the source (data words: one little-endian bit
 * string), sign-extended when 'is_signed', and stored in the next 'bits'
 * bits of the payload (8, 16, 32 or 64; fewer for a bit field, packed
 * from the least significant bit as CTF does).  An array repeats this
 * 'count' times; count 0 is a sequence taking every element left in the
 * record.
 */
struct lttng_xen_xt_unpack {
    uint8_t from;
    uint8_t bit;
    uint8_t width;
    uint8_t bits;
    uint8_t count;
    uint8_t is_signed;
    uint8_t ref;
    uint64_t value;
};

/* A xentrace event word w maps here when (w & ~mask) == id. */
struct lttng_xen_xt_map {
    uint32_t id;
    uint32_t mask;
    uint16_t event;
    uint16_t nr_unpacks;
    const struct lttng_xen_xt_unpack *unpacks;
};

/* Generated (xentrace-map.c): sorted by (mask, id). */
extern const struct lttng_xen_xt_map lttng_xen_xt_maps[];
extern const unsigned int lttng_xen_xt_nr_maps;
/* The distinct masks of the table, for the lookup. */
extern const uint32_t lttng_xen_xt_masks[];
extern const unsigned int lttng_xen_xt_nr_masks;

/* Generated (events.c): the name and fixed size of every event, by id. */
struct lttng_xen_event_desc {
    const char *name;           /* "facility:event" */
    uint16_t facility;          /* index in lttng_xen_facilities */
    uint16_t fixed_size;        /* payload bytes without variable parts */
};
extern const struct lttng_xen_event_desc lttng_xen_events[];
extern const char *const lttng_xen_facilities[];

#endif /* LTTNG_XEN_TRACEPOINT_H */
