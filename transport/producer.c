// SPDX-License-Identifier: GPL-2.0-only
/*
 * producer.c: the producer client (producer.h).  The checks a consumer
 * and the control tool both need before they trust GET_INFO, written
 * once: --events becomes a bitmap of event ids and lttd-xen decodes
 * nothing, so both must match the producer's build exactly.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "event-ids.h"
#include "producer.h"

static int say(struct lx_error *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int say(struct lx_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}

void lx_op_init(struct lttng_xen_op *op, uint32_t code, uint32_t cpu)
{
	memset(op, 0, sizeof(*op));
	op->op = code;
	op->cpu = cpu;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

int lx_check_layout(const struct lttng_xen_info *info, struct lx_error *err)
{
	const char *why = NULL;

	if (info->state > LTTNG_XEN_STATE_RUNNING)
		why = "unknown session state";
	else if (info->nr_cpus > LTTNG_XEN_MAX_CPUS)
		why = "more CPUs than the ABI allows";
	else if (!info->tsc_hz)
		why = "clock frequency 0";
	else if (info->state == LTTNG_XEN_STATE_UNCONFIGURED)
		why = NULL; /* no buffers: nothing more to check */
	else if (!is_pow2(info->subbuf_size) ||
		 info->subbuf_size < LTTNG_XEN_MIN_SUBBUF_SIZE ||
		 info->subbuf_size > LTTNG_XEN_MAX_SUBBUF_SIZE)
		why = "sub-buffer size out of range";
	else if (!is_pow2(info->nr_subbufs) ||
		 info->nr_subbufs > LTTNG_XEN_MAX_SUBBUFS)
		why = "sub-buffer count out of range";
	else if (info->mode != LTTNG_XEN_MODE_DISCARD &&
		 info->mode != LTTNG_XEN_MODE_OVERWRITE)
		why = "unknown buffer mode";
	if (!why)
		return 0;
	return say(err, -1, "the producer's GET_INFO makes no sense: %s", why);
}

int lx_check_info(const struct lttng_xen_info *info, const char *prog,
		  struct lx_error *err)
{
	if (info->abi_version != LTTNG_XEN_ABI_VERSION)
		return say(err, -1,
			   "the producer speaks ABI version %" PRIu32
			   ", this %s version %d: build both from the same "
			   "lttng-xen sources",
			   info->abi_version, prog, LTTNG_XEN_ABI_VERSION);
	if (info->metadata_hash != LTTNG_XEN_METADATA_HASH ||
	    info->nr_events != LTTNG_XEN_NR_EVENTS)
		return say(err, -1,
			   "the producer was built from different facility "
			   "files (%" PRIu32
			   " events, metadata hash %016" PRIx64
			   "; this %s: %d events, %016llx): its events could "
			   "not be decoded; build both from the same "
			   "facilities/",
			   info->nr_events, info->metadata_hash, prog,
			   LTTNG_XEN_NR_EVENTS,
			   (unsigned long long)LTTNG_XEN_METADATA_HASH);
	return lx_check_layout(info, err);
}

int lx_producer_info(struct lx_producer *p, struct lttng_xen_info *info,
		     struct lx_error *err)
{
	struct lttng_xen_op op;
	struct lx_error why;

	lx_op_init(&op, LTTNG_XEN_OP_GET_INFO, 0);
	if (lx_op(p->t, &op, &why))
		return say(err, LX_UNREACHABLE,
			   "lost contact with the producer (transport '%s') "
			   "while reading its state: %s",
			   p->spec, why.msg);
	if (op.ret)
		return say(err, LX_REFUSED, "the producer refused GET_INFO: %s",
			   lx_strerror(op.ret));
	*info = op.u.info;
	return 0;
}

int lx_producer_open(struct lx_producer *p, const char *spec, const char *prog,
		     struct lx_error *err)
{
	struct lx_error why;
	int ret;

	memset(p, 0, sizeof(*p));
	p->spec = lx_transport_spec(spec);
	p->prog = prog;
	p->t = lx_transport_open(p->spec, &why);
	if (!p->t)
		return say(err, LX_UNREACHABLE,
			   "cannot reach the producer through transport '%s': "
			   "%s",
			   p->spec, why.msg);
	ret = lx_producer_info(p, &p->info, err);
	if (!ret && lx_check_info(&p->info, prog, err))
		ret = LX_REFUSED;
	if (ret)
		lx_producer_close(p);
	return ret;
}

void lx_producer_close(struct lx_producer *p)
{
	if (p->t)
		lx_transport_close(p->t);
	p->t = NULL;
}
