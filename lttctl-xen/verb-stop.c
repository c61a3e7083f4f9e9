// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-stop.c: `stop`: STOP (the producer flushes every buffer), then
 * lttd-xen drains them and exits by itself; stop waits for that before
 * summarizing.
 */
#include <stdio.h>

#include "lttctl.h"

/* A stop that timed out left lttd-xen writing: wait for it again. */
static int wait_previous(struct lttctl_session *s)
{
	char how[128], size[32];
	int ret;

	printf("Tracing is stopped; waiting for lttd-xen (pid %d) to finish "
	       "writing %s.\n",
	       (int)s->lttd_pid, s->output);
	ret = lttctl_lttd_wait(s, LTTCTL_STOP_TIMEOUT_S, how, sizeof(how));
	lttctl_session_save(s);
	if (ret < 0)
		return EXIT_RUNTIME;
	lttctl_format_size(lttctl_dir_size(s->output), size, sizeof(size));
	printf("Trace: %s (%s)\n", s->output, size);
	printf("Read it with: babeltrace2 %s\n", s->output);
	return ret ? EXIT_RUNTIME : EXIT_OK;
}

int lttctl_cmd_stop(struct lttctl_opts *o)
{
	struct lx_producer p;
	struct lttctl_session s;
	int r;

	if (lttctl_session_open(o, &s, LTTCTL_LOCK,
				"no session, so nothing to stop",
				"'lttctl-xen start' starts tracing") < 0)
		return EXIT_RUNTIME;
	if (!s.running && lttctl_lttd_alive(s.lttd_pid))
		return wait_previous(&s);
	if (!s.running) {
		lttctl_error("tracing is not running (session '%s' is stopped)",
			     s.name);
		lttctl_hint("'lttctl-xen start' records again; 'lttctl-xen "
			    "destroy' ends the session");
		return EXIT_RUNTIME;
	}
	if (lttctl_producer_open(&p, s.transport)) {
		lttctl_hint(
			"if the producer is gone for good, 'lttctl-xen destroy "
			"--force' forgets the session");
		return EXIT_RUNTIME;
	}
	r = lttctl_stop_tracing(&s, &p);
	lx_producer_close(&p);
	return r ? EXIT_RUNTIME : EXIT_OK;
}
