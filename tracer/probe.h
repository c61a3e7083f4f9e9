/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probe.h: what the record path (probe.c) shares with the control core
 * (control.c): each CPU's count of the writers inside a trace point,
 * which control.c reads on that CPU before it resets or frees a buffer
 * (quiescence); the report of a clock gone back; the domain filter,
 * which control.c sets.
 */
#ifndef LTTNG_XEN_PROBE_H
#define LTTNG_XEN_PROBE_H

#include <lttng-xen/abi.h>

/*
 * Trace points a CPU may be inside at once: the code it runs, then an
 * interrupt, an NMI and a machine check nested over it (lttng-modules
 * caps its ring buffer's nesting at 4 too).  A deeper event is dropped
 * and counted as lost_nested in the CPU's buffer.
 */
#define LTTNG_XEN_MAX_NESTING   4

/*
 * The domain filter (LTTNG_XEN_OP_SET_DOMAINS): nr ids, each below
 * LTTNG_XEN_DOMID_LIMIT (checked by the caller); nr 0 turns it off.
 * Called under the control lock while no trace runs.
 */
void lttng_xen_set_domains(const uint16_t *domid, unsigned int nr);

/* Writers inside a trace point on CPU cpu now: read it on that CPU. */
unsigned int lttng_xen_nesting(unsigned int cpu);

/*
 * Record gen:clock_backwards now if CPU cpu's buffer has clock steps back
 * not yet told (the record path does after each event); on that CPU.
 * Not an event of its own: the host is not asked which CPU this is.
 */
void lttng_xen_report_clock(unsigned int cpu);

#endif /* LTTNG_XEN_PROBE_H */
