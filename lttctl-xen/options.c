// SPDX-License-Identifier: GPL-2.0-only
/*
 * options.c: a new session from create's options (start's too, when it
 * creates the session): every value checked, the defaults filled in, the
 * trace directory chosen.  Reports usage errors; talks to nobody.  Calls
 * msg.c, args.c, events.c, files.c and session.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lttctl.h"

/*
 * The default trace directory: $LTTNG_XEN_HOME/traces/NAME-YYYYmmdd-HHMMSS,
 * with .2, .3... appended if a session of the same name was made in the
 * same second.  Overwrite mode: the folder snapshots go to.
 */
static int default_output(struct lttctl_session *s)
{
	char home[LTTCTL_PATH_MAX], stamp[32], dir[LTTCTL_PATH_MAX + 128];
	unsigned int n;
	int len;

	if (lttctl_absolute_path(lttctl_home(), home, sizeof(home))) {
		lttctl_error("cannot resolve LTTNG_XEN_HOME (%s)",
			     lttctl_home());
		return -1;
	}
	lttctl_timestamp(stamp, sizeof(stamp));
	if (s->mode == LTTNG_XEN_MODE_OVERWRITE)
		snprintf(dir, sizeof(dir), "%s/traces", home);
	else
		snprintf(dir, sizeof(dir), "%s/traces/%s-%s", home, s->name,
			 stamp);
	len = strlen(dir);
	for (n = 2; s->mode == LTTNG_XEN_MODE_DISCARD && !access(dir, F_OK) &&
		    n < 1000;
	     n++)
		snprintf(dir + len, sizeof(dir) - len, ".%u", n);
	if (strlen(dir) >= sizeof(s->base_output) - 16) {
		lttctl_error("LTTNG_XEN_HOME (%s) is too long", home);
		return -1;
	}
	strcpy(s->base_output, dir);
	return 0;
}

static int output_from_opts(struct lttctl_opts *o, struct lttctl_session *s)
{
	if (!o->output) {
		if (default_output(s))
			return -1;
		strcpy(s->output, s->base_output);
		return 0;
	}
	if (!*o->output) {
		lttctl_usage_error("--output: empty directory name");
		return -1;
	}
	if (lttctl_absolute_path(o->output, s->base_output,
				 sizeof(s->base_output))) {
		lttctl_usage_error("--output %s: path too long", o->output);
		return -1;
	}
	strcpy(s->output, s->base_output);
	if (s->mode == LTTNG_XEN_MODE_DISCARD &&
	    lttctl_check_output(s->output, true))
		return -1;
	return 0;
}

static int copy_spec(char *dst, size_t size, const char *val, const char *opt)
{
	if (strlen(val) >= size) {
		lttctl_usage_error("%s: the value is too long", opt);
		return -1;
	}
	strcpy(dst, val);
	return 0;
}

/* --guests, --relay, --guest-events (guests.c runs them). */
static int guests_from_opts(struct lttctl_opts *o, struct lttctl_session *s)
{
	char why[256];

	if (!o->guests) {
		if (o->relay || o->guest_events) {
			lttctl_usage_error("--%s applies only with --guests",
					   o->relay ? "relay" : "guest-events");
			return -1;
		}
		return 0;
	}
	if (lttctl_guests_check(o->guests, o->relay, why, sizeof(why))) {
		lttctl_usage_error("--guests %s: %s", o->guests, why);
		return -1;
	}
	if (o->relay &&
	    (!*o->relay ||
	     o->relay[strspn(o->relay, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789.-:[]")])) {
		lttctl_usage_error("--relay %s: not a host name or an IP "
				   "address",
				   o->relay);
		return -1;
	}
	if (o->mode && !strcmp(o->mode, "overwrite")) {
		lttctl_usage_error("--guests applies to discard mode only "
				   "(the guests' LTTng sessions write "
				   "as they go)");
		return -1;
	}
	return copy_spec(s->guests, sizeof(s->guests), o->guests,
			 "--guests") ||
	       copy_spec(s->guest_events, sizeof(s->guest_events),
			 o->guest_events ? o->guest_events : "guest_*",
			 "--guest-events") ||
	       copy_spec(s->relay, sizeof(s->relay),
			 o->relay ? o->relay : "", "--relay");
}

/*
 * --domains: ids are kept as the list they parse to (sorted, ranges
 * joined); a list with names as given, since names are looked up each
 * time the producer is configured (producer.c).
 */
static int domains_from_opts(struct lttctl_opts *o, struct lttctl_session *s)
{
	const char *spec = o->domains ? o->domains : "all";
	struct lttng_xen_domains d;
	unsigned int nr_names;
	char why[256];

	if (lttctl_parse_domains(spec, NULL, 0, &d, &nr_names, why,
				 sizeof(why))) {
		lttctl_usage_error("--domains: %s", why);
		return -1;
	}
	if (nr_names)
		return copy_spec(s->domains, sizeof(s->domains), spec,
				 "--domains");
	lttctl_format_domains(&d, s->domains, sizeof(s->domains));
	return 0;
}

/*
 * Check every option of create and fill in the session.  Reports usage
 * errors (the caller exits 2); talks to nobody.
 */
int lttctl_session_from_opts(struct lttctl_opts *o, struct lttctl_session *s)
{
	uint64_t mask[LTTNG_XEN_MAX_CPUS / 64];
	struct lttctl_event_set set;
	const char *why, *transport;
	char buf[512];
	const char *name = o->name ? o->name : "auto";

	memset(s, 0, sizeof(*s));
	if (lttctl_check_name(name, &why)) {
		lttctl_usage_error("bad session name '%s': %s", name, why);
		return -1;
	}
	strcpy(s->name, name);
	s->mode = LTTNG_XEN_MODE_DISCARD;
	if (o->mode && lttctl_parse_mode(o->mode, &s->mode)) {
		lttctl_usage_error("--mode %s: use discard or overwrite",
				   o->mode);
		return -1;
	}
	s->subbuf_size = LTTNG_XEN_DEFAULT_SUBBUF_SIZE;
	if (o->subbuf_size &&
	    lttctl_parse_size(o->subbuf_size, &s->subbuf_size, &why)) {
		lttctl_usage_error("--subbuf-size %s: %s", o->subbuf_size, why);
		return -1;
	}
	s->nr_subbufs = LTTNG_XEN_DEFAULT_NR_SUBBUFS;
	if (o->nr_subbufs &&
	    lttctl_parse_count(o->nr_subbufs, &s->nr_subbufs, &why)) {
		lttctl_usage_error("--num-subbufs %s: %s", o->nr_subbufs, why);
		return -1;
	}
	if ((uint64_t)s->subbuf_size * s->nr_subbufs > LTTNG_XEN_MAX_BUF_SIZE) {
		lttctl_usage_error(
			"--subbuf-size x --num-subbufs is %llu MiB per "
			"CPU; the maximum is %u MiB",
			(unsigned long long)s->subbuf_size * s->nr_subbufs >>
				20,
			LTTNG_XEN_MAX_BUF_SIZE >> 20);
		return -1;
	}
	if (lttctl_parse_cpus(o->cpus ? o->cpus : "all", mask, buf,
			      sizeof(buf))) {
		lttctl_usage_error("--cpus: %s", buf);
		return -1;
	}
	lttctl_format_cpus(mask, s->cpus, sizeof(s->cpus));
	if (lttctl_parse_events(o->events ? o->events : "all", &set, buf,
				sizeof(buf))) {
		lttctl_usage_error(
			"--events: %s\n'lttctl-xen list' shows every "
			"event",
			buf);
		return -1;
	}
	if (copy_spec(s->events, sizeof(s->events),
		      o->events ? o->events : "all", "--events"))
		return -1;
	if (domains_from_opts(o, s) || guests_from_opts(o, s))
		return -1;
	transport = lttctl_transport_of(o);
	if (lttctl_check_transport(transport, &why)) {
		lttctl_usage_error("LTTNG_XEN_TRANSPORT=%s: %s", transport,
				   why);
		return -1;
	}
	if (copy_spec(s->transport, sizeof(s->transport), transport,
		      "--transport"))
		return -1;
	return output_from_opts(o, s);
}
