/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recording a xentrace-style call (event word + u32 data words) as the
 * typed event that the facility XML declares for it.  genevent generates
 * the code (xt-remap.h: one function per mapping and the dispatch on the
 * event word); tracer/xentrace-remap.c builds the entry points below on
 * it.  Used by the hypervisor's remapped xentrace entry points, the
 * simulator, lttng-xen-import and the tests.  Also the helpers the
 * generated code calls.
 */
#ifndef LTTNG_XEN_XENTRACE_REMAP_H
#define LTTNG_XEN_XENTRACE_REMAP_H

#include <lttng-xen/tracepoint.h>

/* Data words a xentrace record carries at most. */
#define LTTNG_XEN_XT_MAX_WORDS 7

/* The table entry for a xentrace event word, or NULL. */
const struct lttng_xen_xt_map *lttng_xen_xt_lookup(uint32_t event);

/*
 * Record the typed event for a xentrace record: 'extra' bytes of 'data'
 * (at most 28 are read; data words the record lacks read as 0).  Returns
 * 0, or -1 when the event word maps to no event.
 */
int lttng_xen_xt_record(uint32_t event, unsigned int extra, const void *data);

/* Data words of a record of 'extra' bytes, as the remap reads them. */
static inline unsigned int lttng_xen_xt_nr_words(unsigned int extra)
{
    return extra >= 4 * LTTNG_XEN_XT_MAX_WORDS ? LTTNG_XEN_XT_MAX_WORDS
                                               : (extra + 3) / 4;
}

/*
 * A data word of a record, read where the caller put it: any alignment,
 * any type (a record is often a struct of u64s and bit fields).
 */
typedef uint32_t __attribute__((__may_alias__, __aligned__(1)))
    lttng_xen_xt_word_t;

/*
 * The first n data words of a record of 'extra' bytes at 'data': the
 * record's own when it has them all, else a copy in part[n] in which the
 * words or bytes the record lacks read as 0.
 */
static inline __attribute__((__always_inline__))
const lttng_xen_xt_word_t *lttng_xen_xt_words(uint32_t *part, unsigned int n,
                                              unsigned int extra,
                                              const void *data)
{
    unsigned int i;

    if ( __builtin_expect(extra >= 4 * n, 1) )
        return data;
    for ( i = 0; i < n; i++ )
        part[i] = 0;
    for ( i = 0; i < extra; i++ )
        ((uint8_t *)part)[i] = ((const uint8_t *)data)[i];
    return part;
}

/*
 * Bits [bit, bit + width) of the little-endian bit string of the
 * LTTNG_XEN_XT_MAX_WORDS words w[] (for sequences whose elements are not
 * whole words).
 */
static inline uint64_t lttng_xen_xt_bits(const lttng_xen_xt_word_t *w,
                                         unsigned int bit, unsigned int width)
{
    unsigned int i = bit / 32, off = bit % 32;
    uint64_t v = w[i];

    if ( i + 1 < LTTNG_XEN_XT_MAX_WORDS )
        v |= (uint64_t)w[i + 1] << 32;
    v >>= off;
    if ( off && width + off > 64 && i + 2 < LTTNG_XEN_XT_MAX_WORDS )
        v |= (uint64_t)w[i + 2] << (64 - off);
    return width < 64 ? v & ((1ULL << width) - 1) : v;
}

/* A value of 'width' bits, sign-extended. */
static inline uint64_t lttng_xen_xt_sext(uint64_t v, unsigned int width)
{
    return (uint64_t)((int64_t)(v << (64 - width)) >> (64 - width));
}

#endif /* LTTNG_XEN_XENTRACE_REMAP_H */
