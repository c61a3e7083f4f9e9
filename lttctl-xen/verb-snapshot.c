// SPDX-License-Identifier: GPL-2.0-only
/*
 * verb-snapshot.c: `snapshot`: a flight recorder's buffers written out
 * by lttd-xen --snapshot into a new directory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lttctl.h"

int lttctl_cmd_snapshot(struct lttctl_opts *o)
{
	struct lx_producer p;
	struct lttctl_session s;
	char stamp[32], dir[LTTCTL_PATH_MAX + 128], size[32];

	/* The mode first: a discard session is the likelier mistake. */
	if (lttctl_session_open(o, &s, LTTCTL_LOCK | LTTCTL_ANY_TRANSPORT,
				"no session; snapshot needs a flight-recorder "
				"session",
				"lttctl-xen create --mode overwrite; "
				"lttctl-xen start") < 0)
		return EXIT_RUNTIME;
	if (s.mode != LTTNG_XEN_MODE_OVERWRITE) {
		lttctl_error(
			"session '%s' is in discard mode: its trace goes to "
			"%s as it is recorded; snapshot is for overwrite "
			"(flight-recorder) sessions",
			s.name, s.output);
		return EXIT_RUNTIME;
	}
	if (lttctl_check_transport_match(o, &s))
		return EXIT_RUNTIME;
	lttctl_timestamp(stamp, sizeof(stamp));
	if (o->output) {
		if (!*o->output ||
		    lttctl_absolute_path(o->output, dir, sizeof(dir))) {
			lttctl_usage_error(
				"--output '%s': not a usable directory "
				"name",
				o->output);
			return EXIT_USAGE;
		}
	} else
		snprintf(dir, sizeof(dir), "%s/%s-snapshot-%s", s.output,
			 s.name, stamp);
	if (lttctl_check_output(dir, o->output != NULL))
		return o->output ? EXIT_USAGE : EXIT_RUNTIME;
	if (lttctl_producer_open(&p, s.transport))
		return EXIT_RUNTIME;
	if (p.info.state == LTTNG_XEN_STATE_UNCONFIGURED) {
		lttctl_error(
			"the producer holds no buffers (was it restarted?); "
			"there is nothing to snapshot");
		lx_producer_close(&p);
		return EXIT_RUNTIME;
	}
	lx_producer_close(&p);
	if (lttctl_make_dirs(dir)) {
		lttctl_error("cannot create %s: %s", dir, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (lttctl_lttd_snapshot(&s, dir))
		return EXIT_RUNTIME;
	lttctl_format_size(lttctl_dir_size(dir), size, sizeof(size));
	printf("Snapshot of session '%s' written to %s (%s).\n", s.name, dir,
	       size);
	printf("Read it with: babeltrace2 %s\n", dir);
	return EXIT_OK;
}
