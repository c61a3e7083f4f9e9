/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xentrace-remap.c: xentrace event word + data words -> typed event.
 *
 * Freestanding (no libc, no Xen headers beyond the types): the same file
 * is compiled into Xen, the simulator and the tests.  Call sites whose
 * event id is a constant can be folded to a typed tracepoint at compile
 * time; this is the general path for the rest.
 */
#include <lttng-xen/tracepoint.h>
#include <lttng-xen/xentrace-remap.h>

#define XT_MAX_WORDS 7

static const struct lttng_xen_xt_map *find(uint32_t mask, uint32_t id)
{
    unsigned int lo = 0, hi = lttng_xen_xt_nr_maps;

    /* The table is sorted by (mask, id). */
    while ( lo < hi )
    {
        unsigned int mid = lo + (hi - lo) / 2;
        const struct lttng_xen_xt_map *m = &lttng_xen_xt_maps[mid];

        if ( m->mask == mask && m->id == id )
            return m;
        if ( m->mask < mask || (m->mask == mask && m->id < id) )
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct lttng_xen_xt_map *lttng_xen_xt_lookup(uint32_t event)
{
    unsigned int i;

    event &= 0x0fffffff;        /* drop xentrace's header bits */
    for ( i = 0; i < lttng_xen_xt_nr_masks; i++ )
    {
        uint32_t mask = lttng_xen_xt_masks[i];
        const struct lttng_xen_xt_map *m = find(mask, event & ~mask);

        if ( m )
            return m;
    }
    return NULL;
}

static uint64_t get_bits(const uint32_t *src, unsigned int nr_words,
                         unsigned int bit, unsigned int width)
{
    uint64_t value = 0;
    unsigned int done = 0;

    while ( done < width )
    {
        unsigned int pos = bit + done, word = pos / 32, off = pos % 32;
        unsigned int n = 32 - off < width - done ? 32 - off : width - done;
        uint64_t w = word < nr_words ? src[word] : 0;

        value |= ((w >> off) & ((1ULL << n) - 1)) << done;
        done += n;
    }
    return value;
}

/*
 * Store the low 'bits' bits of value at bit 'pos' of dst, little-endian.
 * Most fields start on a byte and fill whole bytes: store those byte by
 * byte; only bit fields (bits="N" in the XML) take the masked path.
 */
static void put_bits(uint8_t *dst, unsigned int pos, uint64_t value,
                     unsigned int bits)
{
    unsigned int done = 0;

    if ( !(pos % 8) && !(bits % 8) )
    {
        uint8_t *p = dst + pos / 8;

        for ( ; done < bits; done += 8 )
            *p++ = (uint8_t)(value >> done);
        return;
    }

    while ( done < bits )
    {
        unsigned int at = pos + done, off = at % 8;
        unsigned int n = 8 - off < bits - done ? 8 - off : bits - done;
        uint8_t mask = (uint8_t)(((1U << n) - 1) << off);

        dst[at / 8] = (uint8_t)((dst[at / 8] & ~mask) |
                                (((value >> done) << off) & mask));
        done += n;
    }
}

static uint64_t sign_extend(uint64_t value, unsigned int width)
{
    if ( width < 64 && (value >> (width - 1)) & 1 )
        value |= ~0ULL << width;
    return value;
}

/* Elements a sequence starting at 'bit' takes from the record. */
static unsigned int seq_count(const struct lttng_xen_xt_unpack *u,
                              unsigned int nr_words)
{
    unsigned int bits = nr_words * 32;

    return bits > u->bit ? (bits - u->bit) / u->width : 0;
}

int lttng_xen_xt_unpack(const struct lttng_xen_xt_map *map, uint32_t event,
                        const void *data, unsigned int extra,
                        uint8_t *payload, unsigned int size)
{
    uint32_t words[XT_MAX_WORDS] = { 0 };
    unsigned int nr_words, pos = 0, i, k;
    uint32_t id_bits[1];

    if ( extra > sizeof(words) )
        extra = sizeof(words);
    if ( extra )
        __builtin_memcpy(words, data, extra);
    nr_words = (extra + 3) / 4;
    id_bits[0] = event;

    for ( i = 0; i < map->nr_unpacks; i++ )
    {
        const struct lttng_xen_xt_unpack *u = &map->unpacks[i];
        unsigned int count = u->count;
        uint64_t value = 0;

        if ( u->from == LTTNG_XEN_XT_COUNT )
        {
            value = seq_count(&map->unpacks[u->ref], nr_words);
            if ( u->bits < 64 && value >> u->bits )
                value = (1ULL << u->bits) - 1;
            count = 1;
        }
        else if ( u->from == LTTNG_XEN_XT_DATA && !count )
            count = seq_count(u, nr_words);
        if ( pos + count * u->bits > size * 8 )
            return -1;

        for ( k = 0; k < count; k++ )
        {
            switch ( u->from )
            {
            case LTTNG_XEN_XT_DATA:
                value = get_bits(words, nr_words, u->bit + k * u->width,
                                 u->width);
                break;
            case LTTNG_XEN_XT_ID:
                value = get_bits(id_bits, 1, u->bit, u->width);
                break;
            case LTTNG_XEN_XT_CONST:
                value = u->value;
                break;
            default:
                break;          /* COUNT: computed above */
            }
            if ( u->is_signed && u->from != LTTNG_XEN_XT_CONST )
                value = sign_extend(value, u->width);
            put_bits(payload, pos, value, u->bits);
            pos += u->bits;
        }
    }
    return (int)(pos / 8);      /* bit-field runs fill whole bytes */
}

int lttng_xen_xt_record(uint32_t event, unsigned int extra, const void *data)
{
    const struct lttng_xen_xt_map *map = lttng_xen_xt_lookup(event);
    uint8_t payload[LTTNG_XEN_XT_MAX_PAYLOAD];
    int len;

    if ( !map )
        return -1;
    if ( !lttng_xen_event_enabled(map->event) )
        return 0;
    len = lttng_xen_xt_unpack(map, event, data, extra, payload,
                              sizeof(payload));
    if ( len < 0 )
        return -1;
    lttng_xen_record(map->event, payload, (uint32_t)len);
    return 0;
}
