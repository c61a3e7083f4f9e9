// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c: event selection (--events), from the generated event table
 * (build/gen/xen/events.c): the names there are the ones in the facility XML,
 * the CTF metadata and the trace.
 *
 * A selection is a comma-separated list, applied left to right:
 *   all, *         every event
 *   FACILITY       every event of a facility (a class: sched, hvm)
 *   FAC:EVENT      one event (hvm:vmexit)
 *   GLOB           fnmatch(3) pattern: with a ':' it matches event names
 *                  (sched:*, *:schedule), without one facility names (csched*)
 *   -ITEM          removes what ITEM selects; a selection that starts with
 *                  one starts from every event (-hvm: all but hvm)
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include <lttng-xen/tracepoint.h>

#include "event-ids.h"
#include "lttctl.h"

static void set_bit(struct lttctl_event_set *set, unsigned int id, bool on)
{
	if (on)
		set->bits[id / 64] |= 1ULL << (id % 64);
	else
		set->bits[id / 64] &= ~(1ULL << (id % 64));
}

static bool test_bit(const struct lttctl_event_set *set, unsigned int id)
{
	return set->bits[id / 64] >> (id % 64) & 1;
}

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The part of "facility:event" after the colon. */
static const char *event_part(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon ? colon + 1 : name;
}

static int facility_index(const char *name)
{
	int f;

	for (f = 0; f < LTTNG_XEN_NR_FACILITIES; f++) {
		if (!strcmp(lttng_xen_facilities[f], name))
			return f;
	}
	return -1;
}

/* Does item (no leading '-') select event id? */
static bool item_selects(const char *item, unsigned int id)
{
	const struct lttng_xen_event_desc *e = &lttng_xen_events[id];
	const char *fac = lttng_xen_facilities[e->facility];

	if (!strcmp(item, "all") || !strcmp(item, "*"))
		return true;
	if (strchr(item, ':'))
		return !fnmatch(item, e->name, 0);
	return !fnmatch(item, fac, 0);
}

/* Explain why item selects nothing, with a suggestion when one exists. */
static void explain_no_match(const char *item, char *why, size_t len)
{
	const char *colon = strchr(item, ':');
	char fac[LTTCTL_SPEC_MAX];
	unsigned int id;
	size_t n;
	int f;

	if (!colon) {
		for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++) {
			if (!fnmatch(item,
				     event_part(lttng_xen_events[id].name),
				     0)) {
				snprintf(why, len,
					 "'%s' is not a facility; did you mean "
					 "the event '%s'?",
					 item, lttng_xen_events[id].name);
				return;
			}
		}
		n = snprintf(why, len, "no facility '%s' (facilities:", item);
		for (f = 0; f < LTTNG_XEN_NR_FACILITIES && n < len; f++)
			n += snprintf(why + n, len - n, "%s %s", f ? "," : "",
				      lttng_xen_facilities[f]);
		if (n < len)
			snprintf(why + n, len - n, ")");
		return;
	}
	snprintf(fac, sizeof(fac), "%.*s", (int)(colon - item), item);
	f = is_glob(fac) ? 0 : facility_index(fac);
	if (f < 0) {
		snprintf(why, len, "no facility '%s' in '%s'", fac, item);
		return;
	}
	for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++) {
		if (!fnmatch(colon + 1, event_part(lttng_xen_events[id].name),
			     0)) {
			snprintf(why, len,
				 "'%s' matches no event; did you mean '%s'?",
				 item, lttng_xen_events[id].name);
			return;
		}
	}
	if (is_glob(item))
		snprintf(why, len, "'%s' matches no event", item);
	else
		snprintf(why, len, "facility '%s' has no event '%s'", fac,
			 colon + 1);
}

static int apply_item(const char *item, struct lttctl_event_set *set, char *why,
		      size_t len)
{
	bool on = item[0] != '-';
	unsigned int id, hits = 0;

	if (!on)
		item++;
	if (!*item) {
		snprintf(why, len, "empty item in the list");
		return -1;
	}
	for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++) {
		if (item_selects(item, id)) {
			set_bit(set, id, on);
			hits++;
		}
	}
	if (!hits) {
		explain_no_match(item, why, len);
		return -1;
	}
	return 0;
}

int lttctl_parse_events(const char *spec, struct lttctl_event_set *set,
			char *why, size_t len)
{
	char buf[LTTCTL_SPEC_MAX], *item, *save = NULL;
	unsigned int id;

	memset(set, 0, sizeof(*set));
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(why, len, "the list is too long");
		return -1;
	}
	if (!*spec || spec[strlen(spec) - 1] == ',' || strstr(spec, ",,") ||
	    spec[0] == ',') {
		snprintf(why, len, "empty item in the list");
		return -1;
	}
	strcpy(buf, spec);
	if (buf[0] == '-') {
		for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++)
			set_bit(set, id, true);
	}
	for (item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (apply_item(item, set, why, len))
			return -1;
	}
	if (!lttctl_event_count(set)) {
		snprintf(why, len, "'%s' leaves no event selected", spec);
		return -1;
	}
	return 0;
}

unsigned int lttctl_event_count(const struct lttctl_event_set *set)
{
	unsigned int id, n = 0;

	for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++)
		n += test_bit(set, id);
	return n;
}

/*
 * The classes a selection covers: "sched, hvm" for whole facilities,
 * "pv (3 of 5)" for part of one.
 */
void lttctl_event_classes(const struct lttctl_event_set *set, char *buf,
			  size_t len)
{
	unsigned int on[LTTNG_XEN_NR_FACILITIES] = {0};
	unsigned int all[LTTNG_XEN_NR_FACILITIES] = {0};
	unsigned int id;
	size_t n = 0;
	int f;

	for (id = 0; id < LTTNG_XEN_NR_EVENTS; id++) {
		f = lttng_xen_events[id].facility;
		all[f]++;
		on[f] += test_bit(set, id);
	}
	buf[0] = '\0';
	for (f = 0; f < LTTNG_XEN_NR_FACILITIES && n < len; f++) {
		if (!on[f])
			continue;
		if (on[f] == all[f])
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      lttng_xen_facilities[f]);
		else
			n += snprintf(buf + n, len - n, "%s%s (%u of %u)",
				      n ? ", " : "", lttng_xen_facilities[f],
				      on[f], all[f]);
	}
}
