// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-destroy.c: `destroy`: stop if running, free the producer's
 * buffers, forget the session; --force for a producer that is gone, or
 * buffers without a session.
 */
#include <stdio.h>

#include "lttctl.h"

/* destroy --force without a session: stop and free what the producer has. */
static int destroy_orphan(struct lttctl_opts *o)
{
	struct lttng_xen_op op = {.op = LTTNG_XEN_OP_STOP};
	struct lx_producer p;
	const char *spec = lttctl_transport_of(o);
	int ret = EXIT_RUNTIME;

	if (lttctl_producer_open(&p, spec))
		return EXIT_RUNTIME;
	if (p.info.state == LTTNG_XEN_STATE_RUNNING) {
		if (lttctl_producer_op(&p, &op, "stopping it"))
			goto out;
		if (op.ret) {
			lttctl_error("the producer refused to stop: %s",
				     lx_strerror(op.ret));
			goto out;
		}
		printf("Stopped the producer (transport '%s').\n", spec);
	}
	if (p.info.state != LTTNG_XEN_STATE_UNCONFIGURED) {
		if (lttctl_producer_destroy(&p))
			goto out;
		printf("Freed the producer's buffers.\n");
	} else {
		printf("The producer holds no buffers; nothing to do.\n");
	}
	lttctl_lttd_forget();
	ret = EXIT_OK;
out:
	lx_producer_close(&p);
	return ret;
}

/* The session cannot be reached: forget it (--force) or explain. */
static int destroy_unreachable(struct lttctl_opts *o, struct lttctl_session *s)
{
	if (!o->force) {
		lttctl_hint(
			"if the producer is gone for good, 'lttctl-xen destroy "
			"--force' forgets the session");
		return EXIT_RUNTIME;
	}
	lttctl_lttd_kill(s);
	lttctl_guests_abandon(s);
	if (lttctl_session_remove())
		return EXIT_RUNTIME;
	lttctl_lttd_forget();
	printf("Session '%s' forgotten; its producer was not told.\n", s->name);
	return EXIT_OK;
}

/* lttd-xen still writing after an earlier stop: wait, or kill (--force). */
static int finish_lttd(struct lttctl_opts *o, struct lttctl_session *s)
{
	char how[128];

	if (!lttctl_lttd_alive(s->lttd_pid))
		return 0;
	if (lttctl_lttd_wait(s, o->force ? 5 : 60, how, sizeof(how)) >= 0)
		return 0;
	if (!o->force)
		return -1;
	lttctl_warn("killing lttd-xen (pid %d): %s may miss its last packets",
		    (int)s->lttd_pid, s->output);
	lttctl_lttd_kill(s);
	return 0;
}

int lttctl_cmd_destroy(struct lttctl_opts *o)
{
	struct lx_producer p;
	struct lttctl_session s;
	int r, ret = EXIT_OK;

	r = lttctl_session_open(o, &s, LTTCTL_LOCK | LTTCTL_NONE_OK, NULL,
				NULL);
	if (r == LTTCTL_BROKEN && o->force && !lttctl_session_remove())
		r = 0;
	if (r < 0)
		return EXIT_RUNTIME;
	if (r == 0) {
		if (o->force)
			return destroy_orphan(o);
		lttctl_error("no session to destroy");
		lttctl_hint("'lttctl-xen destroy --force' frees buffers the "
			    "producer holds without a session");
		return EXIT_RUNTIME;
	}
	if (lttctl_producer_open(&p, s.transport))
		return destroy_unreachable(o, &s);
	if (s.running && lttctl_stop_tracing(&s, &p))
		ret = EXIT_RUNTIME;
	if (s.running) {
		/* The producer refused to stop: nothing was changed. */
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	if (finish_lttd(o, &s)) {
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	if (lttctl_producer_destroy(&p)) {
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	lx_producer_close(&p);
	if (lttctl_session_remove())
		return EXIT_RUNTIME;
	lttctl_lttd_forget();
	printf("Session '%s' destroyed.\n", s.name);
	if (s.runs && s.mode == LTTNG_XEN_MODE_DISCARD)
		printf("Its trace%s stay%s in %s%s.\n", s.runs > 1 ? "s" : "",
		       s.runs > 1 ? "" : "s", s.base_output,
		       s.runs > 1 ? " and the numbered directories next to it"
				  : "");
	return ret;
}
