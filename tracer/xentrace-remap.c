/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xentrace-remap.c: xentrace event word + data words -> typed event.
 *
 * Freestanding (no libc, no Xen headers beyond the types): the same file
 * is compiled into Xen, the simulator and the tests.  The code that does
 * the work is genevent's (xt-remap.h): a switch on the event word and,
 * per xentrace mapping, a function that unpacks the record into the
 * typed payload.  Xen's trace.h folds call sites whose event word is a
 * constant to those functions at compile time; this is the path for the
 * rest.
 */
#include <lttng-xen/xentrace-remap.h>

/*
 * One function per mapping, out of line: the dispatch's switch jumps to
 * the one it finds (a tail call), and each keeps to its own registers
 * and stack.  Inlined into one function, they would all pay for the
 * largest one's frame.
 */
#define LTTNG_XEN_XT_FN static __attribute__((__noipa__))
#include "xt-remap.h"

const struct lttng_xen_xt_map *lttng_xen_xt_lookup(uint32_t event)
{
    int i = lttng_xen_xt_index(event);

    return i < 0 ? NULL : &lttng_xen_xt_maps[i];
}

int lttng_xen_xt_record(uint32_t event, unsigned int extra, const void *data)
{
    return lttng_xen_xt_dispatch(event, extra, data);
}
