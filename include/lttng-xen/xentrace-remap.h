/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recording a xentrace-style call (event word + u32 data words) as the
 * typed event that the facility XML declares for it, through genevent's
 * table (xentrace-map.c).  Used by the hypervisor's remapped xentrace
 * entry points, the simulator and the tests.
 */
#ifndef LTTNG_XEN_XENTRACE_REMAP_H
#define LTTNG_XEN_XENTRACE_REMAP_H

#include <lttng-xen/tracepoint.h>

/* Largest payload the remap builds; larger ones are refused. */
#define LTTNG_XEN_XT_MAX_PAYLOAD 512

/* The table entry for a xentrace event word, or NULL. */
const struct lttng_xen_xt_map *lttng_xen_xt_lookup(uint32_t event);

/*
 * Build the typed payload of 'map' from a xentrace record: 'extra' bytes
 * of 'data' (at most 28 are used; missing bits read as 0).  Returns the
 * payload length, or -1 if it does not fit in 'size' bytes.
 */
int lttng_xen_xt_unpack(const struct lttng_xen_xt_map *map, uint32_t event,
                        const void *data, unsigned int extra,
                        uint8_t *payload, unsigned int size);

/*
 * Record the typed event for a xentrace record.  Returns 0, or -1 when
 * the event word maps to no event or its payload does not fit.
 */
int lttng_xen_xt_record(uint32_t event, unsigned int extra, const void *data);

#endif /* LTTNG_XEN_XENTRACE_REMAP_H */
