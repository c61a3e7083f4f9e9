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
 * Also the type of the generated xentrace mapping table (the existing
 * xentrace macros record the typed events through the remap).  Freestanding: usable
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

/*
 * A xentrace event word w maps to 'event' when (w & ~mask) == id (bits
 * 28-31 ignored).  The remap itself is generated code (xt-remap.h); this
 * table is the same mappings as data.
 */
struct lttng_xen_xt_map {
    uint32_t id;
    uint32_t mask;
    uint16_t event;
};

/* Generated (xentrace-map.c): sorted by (mask, id). */
extern const struct lttng_xen_xt_map lttng_xen_xt_maps[];
extern const unsigned int lttng_xen_xt_nr_maps;

/*
 * A field that holds a domain id (domain="true" in the facility XML): an
 * unsigned little-endian integer at a fixed place in the payload, which
 * the probe's domain filter reads.
 */
#define LTTNG_XEN_MAX_DOMAIN_FIELDS 4

struct lttng_xen_domain_field {
    uint16_t offset;            /* bytes from the payload's start */
    uint16_t size;              /* 1, 2, 4 or 8 */
};

/* Generated (events.c): the name, fixed size and domain fields of every
 * event, by id. */
struct lttng_xen_event_desc {
    const char *name;           /* "facility:event" */
    uint16_t facility;          /* index in lttng_xen_facilities */
    uint16_t fixed_size;        /* payload bytes without variable parts */
    uint16_t nr_domain_fields;
    struct lttng_xen_domain_field domain_fields[LTTNG_XEN_MAX_DOMAIN_FIELDS];
};
extern const struct lttng_xen_event_desc lttng_xen_events[];
extern const char *const lttng_xen_facilities[];

#endif /* LTTNG_XEN_TRACEPOINT_H */
