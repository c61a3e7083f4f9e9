// SPDX-License-Identifier: GPL-2.0-only
/*
 * producer.c: one control operation of lttd-xen's, through the producer
 * client (transport/producer.h).  A transport failure is reported here,
 * naming the operation and the CPU; the producer's own answer (op->ret)
 * is the caller's to judge.
 */
#include <inttypes.h>

#include "lttd.h"

/* Run one operation: -1 when the transport failed (and said why). */
int lttd_op(struct lttd *l, struct lttng_xen_op *op)
{
	uint32_t code = op->op, cpu = op->cpu;
	struct lx_error err;

	if (lx_op(l->p.t, op, &err) == 0)
		return 0;
	ctfw_err("%s (CPU %" PRIu32 ") failed: %s", lx_op_name(code), cpu,
		 err.msg);
	return -1;
}
