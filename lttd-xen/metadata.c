// SPDX-License-Identifier: GPL-2.0-only
/*
 * metadata.c: DIR/metadata for the producer's trace, written with
 * ctf-writer: a new directory gets the producer's clock placed on the Unix
 * epoch as measured now, with how far off that may be (the clock's
 * precision); a directory that already holds metadata is a restart, and
 * must hold the same trace (same uuid, same event declarations).  It is
 * kept as it is, clock offset included, so timestamps already on disk
 * keep their meaning.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lttd.h"

/* Beyond this, say that the merge with other traces is coarse. */
#define CLOCK_UNCERTAINTY_WARN_NS 1000

/* The producer's clock, placed on the Unix epoch as measured now. */
static int metadata_create(struct lttd *l)
{
	struct ctfw_metadata m;
	int64_t origin;

	ctfw_metadata_init(&m, l->p.info.trace_uuid, l->p.info.tsc_hz);
	if (l->opt.have_origin && m.freq) {
		/* The origin this boot's other traces count from. */
		m.offset_s = (int64_t)(l->opt.origin_cycles / m.freq);
		m.offset = l->opt.origin_cycles % m.freq;
		m.offset_uncertainty_ns = l->opt.origin_uncertainty_ns;
		ctfw_clock_uuid(l->p.info.trace_uuid, m.clock_uuid);
		return ctfw_metadata_write(l->dir_fd, l->opt.dir, &m);
	}
	if (ctfw_clock_origin(m.freq, &origin, &m.offset_uncertainty_ns)) {
		ctfw_err("cannot place the producer's clock on the Unix epoch: "
			 "the TSC (at %" PRIu64 " Hz) counts more time than "
			 "CLOCK_REALTIME; is the system time set?",
			 m.freq);
		return -1;
	}
	ctfw_clock_offset(&m, origin);
	if (m.offset_uncertainty_ns > CLOCK_UNCERTAINTY_WARN_NS)
		ctfw_note("warning: the clock offset is uncertain by %" PRIu64
			  " ns (reading CLOCK_REALTIME took that long): "
			  "against traces that measure their own offset "
			  "(LTTng-UST, other machines) events may be "
			  "misordered by as much",
			  m.offset_uncertainty_ns);
	ctfw_clock_uuid(l->p.info.trace_uuid, m.clock_uuid);
	return ctfw_metadata_write(l->dir_fd, l->opt.dir, &m);
}

/* A restart: the metadata there must describe the producer's trace. */
static int metadata_check(struct lttd *l, const char *text, size_t len)
{
	char have[37], want[37];

	ctfw_uuid_format(l->p.info.trace_uuid, want);
	if (ctfw_metadata_trace_uuid(text, have)) {
		ctfw_err("%s/metadata is not a trace's metadata written by "
			 "lttd-xen (no trace uuid); choose another output "
			 "directory",
			 l->opt.dir);
		return -1;
	}
	if (strcmp(have, want)) {
		ctfw_err("%s holds another trace (uuid %s; the producer's "
			 "session is %s); choose another output directory",
			 l->opt.dir, have, want);
		return -1;
	}
	if (!ctfw_metadata_same_events(text, len)) {
		ctfw_err("%s/metadata declares other events than this lttd-xen "
			 "was built with (different facility files); choose "
			 "another output directory",
			 l->opt.dir);
		return -1;
	}
	ctfw_note("%s holds this trace already: continuing it", l->opt.dir);
	return 0;
}

int lttd_metadata_prepare(struct lttd *l)
{
	char name[256], *text;
	size_t len;
	int r;

	r = ctfw_metadata_read(l->dir_fd, l->opt.dir, &text, &len);
	if (r < 0)
		return -1;
	if (r > 0) {
		r = metadata_check(l, text, len);
		free(text);
		return r;
	}
	if (ctfw_dir_holds_streams(l->dir_fd, name, sizeof(name))) {
		ctfw_err("%s holds %s but no metadata: it is not a trace "
			 "lttd-xen can continue; choose another output "
			 "directory",
			 l->opt.dir, name);
		return -1;
	}
	return metadata_create(l);
}
