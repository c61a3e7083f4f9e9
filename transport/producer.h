/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * producer.h: the producer client lttd-xen and lttctl-xen share: connect
 * through a transport (transport.h), ask GET_INFO and check that the
 * producer speaks this build's ABI, numbers its events as this build
 * does (the facility files' metadata hash) and reports values a consumer
 * can compute with.  Every failure comes back as one sentence, ready to
 * print, naming the program (prog) where it matters.
 */
#ifndef LTTNG_XEN_PRODUCER_H
#define LTTNG_XEN_PRODUCER_H

#include "transport.h"

struct lx_producer {
	struct lx_transport *t;
	const char *spec;	    /* resolved: "xen", "sim:PATH" */
	const char *prog;	    /* named in messages: "lttd-xen" */
	struct lttng_xen_info info; /* the last GET_INFO */
};

/* What went wrong, for the caller's hints. */
enum {
	LX_UNREACHABLE = -1, /* the transport failed: no connection */
	LX_REFUSED = -2,     /* the producer answered no, or does not match */
};

/*
 * Connect through spec (NULL: $LTTNG_XEN_TRANSPORT, else "xen"), then
 * GET_INFO into p->info and lx_check_info().  0, or LX_UNREACHABLE /
 * LX_REFUSED with err set; p is then closed.
 */
int lx_producer_open(struct lx_producer *p, const char *spec, const char *prog,
		     struct lx_error *err);
void lx_producer_close(struct lx_producer *p);
/* GET_INFO into *info: 0, LX_UNREACHABLE or LX_REFUSED (err set). */
int lx_producer_info(struct lx_producer *p, struct lttng_xen_info *info,
		     struct lx_error *err);
/*
 * The same ABI version and facility files as this build (prog is named
 * in the message), and values in range: state, CPU count, clock, and,
 * once configured, sub-buffer size and count, mode.  0, or -1 (err set).
 */
int lx_check_info(const struct lttng_xen_info *info, const char *prog,
		  struct lx_error *err);
/* Values in range only (a later GET_INFO of a checked producer). */
int lx_check_layout(const struct lttng_xen_info *info, struct lx_error *err);
/* An operation with nothing but its code and CPU set. */
void lx_op_init(struct lttng_xen_op *op, uint32_t code, uint32_t cpu);

#endif /* LTTNG_XEN_PRODUCER_H */
