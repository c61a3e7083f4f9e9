// SPDX-License-Identifier: GPL-2.0-only
/*
 * args.c: parsing and checking of option values (sizes, counts, modes,
 * CPU lists, session names, transport specifications).  Pure functions:
 * everything is checked here before lttctl-xen talks to the producer.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lttctl.h"

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* A decimal number with an optional binary suffix: 4096, 256k, 1M, 1MiB. */
static int parse_scaled(const char *s, uint64_t *out, const char **why)
{
	unsigned long long v;
	uint64_t scale = 1;
	char *end;

	if (!isdigit((unsigned char)s[0])) {
		*why = "not a number (examples: 4096, 256k, 1M)";
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || v > (1ULL << 40)) {
		*why = "too large";
		return -1;
	}
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		scale = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		scale = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		scale = 1ULL << 30;
		end++;
		break;
	default:
		*why = "unknown suffix (use k or M, binary multiples)";
		return -1;
	}
	if (scale > 1 && (!strcmp(end, "iB") || !strcmp(end, "B")))
		end += strlen(end);
	if (*end) {
		*why = "unknown suffix (use k or M, binary multiples)";
		return -1;
	}
	*out = v * scale;
	return 0;
}

int lttctl_parse_size(const char *s, uint32_t *out, const char **why)
{
	uint64_t v;

	if (parse_scaled(s, &v, why))
		return -1;
	if (v < LTTNG_XEN_MIN_SUBBUF_SIZE) {
		*why = "too small: the minimum is 4k";
		return -1;
	}
	if (v > LTTNG_XEN_MAX_SUBBUF_SIZE) {
		*why = "too large: the maximum is 16M";
		return -1;
	}
	if (!is_pow2(v)) {
		*why = "not a power of two (4k, 8k, ... 16M)";
		return -1;
	}
	*out = v;
	return 0;
}

int lttctl_parse_count(const char *s, uint32_t *out, const char **why)
{
	uint64_t v;
	const char *p;

	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			break;
	}
	if (!*s || *p) {
		*why = "not a number";
		return -1;
	}
	if (parse_scaled(s, &v, why))
		return -1;
	if (v < 2 || v > LTTNG_XEN_MAX_SUBBUFS) {
		*why = "out of range: 2 to 256";
		return -1;
	}
	if (!is_pow2(v)) {
		*why = "not a power of two (2, 4, 8, ... 256)";
		return -1;
	}
	*out = v;
	return 0;
}

int lttctl_parse_mode(const char *s, uint32_t *out)
{
	if (!strcmp(s, "discard")) {
		*out = LTTNG_XEN_MODE_DISCARD;
		return 0;
	}
	if (!strcmp(s, "overwrite")) {
		*out = LTTNG_XEN_MODE_OVERWRITE;
		return 0;
	}
	return -1;
}

/* One number of a list (a CPU, a domain id); ~0UL when too large. */
static int parse_number(const char **p, unsigned long *n)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	*n = strtoul(*p, &end, 10);
	if (errno)
		*n = ~0UL;
	*p = end;
	return 0;
}

/* N or N-M, followed by a comma or the end: 0 (a = N, b = M or N), or -1. */
static int parse_range(const char **p, unsigned long *a, unsigned long *b)
{
	if (parse_number(p, a))
		return -1;
	*b = *a;
	if (**p == '-') {
		(*p)++;
		if (parse_number(p, b))
			return -1;
	}
	return **p && **p != ',' ? -1 : 0;
}

/*
 * The range a-b parse_range() read from item up to end: 0 if it goes
 * up and stays below limit; else -1, and why says so ("WHAT N is out of
 * range: WHATS are 0 to limit - 1", or that it goes backwards).
 */
static int check_range(const char *item, const char *end, unsigned long a,
		       unsigned long b, unsigned long limit, const char *what,
		       const char *whats, char *why, size_t len)
{
	if (a >= limit || b >= limit) {
		snprintf(why, len, "%s %lu is out of range: %s are 0 to %lu",
			 what, a >= limit ? a : b, whats, limit - 1);
		return -1;
	}
	if (b < a) {
		snprintf(why, len, "range %.*s goes backwards",
			 (int)(end - item), item);
		return -1;
	}
	return 0;
}

/*
 * "all", or a comma-separated list of CPUs and ranges: 0,2-3.  Sets the
 * bits of mask (LTTNG_XEN_MAX_CPUS bits).
 */
int lttctl_parse_cpus(const char *s, uint64_t *mask, char *why, size_t len)
{
	const char *p = s, *item;
	unsigned long a, b, c;

	memset(mask, 0, LTTNG_XEN_MAX_CPUS / 8);
	if (!strcmp(s, "all")) {
		memset(mask, 0xff, LTTNG_XEN_MAX_CPUS / 8);
		return 0;
	}
	for (;;) {
		item = p;
		if (parse_range(&p, &a, &b))
			goto syntax;
		if (check_range(item, p, a, b, LTTNG_XEN_MAX_CPUS, "CPU",
				"CPUs", why, len))
			return -1;
		for (c = a; c <= b; c++)
			mask[c / 64] |= 1ULL << (c % 64);
		if (!*p)
			return 0;
		p++;
	}
syntax:
	if (item == s)
		snprintf(why, len,
			 "cannot parse '%s': expected 'all' or CPU numbers "
			 "and ranges, e.g. 0,2-3",
			 s);
	else
		snprintf(why, len,
			 "cannot parse '%s' at '%s': expected 'all' or CPU "
			 "numbers and ranges, e.g. 0,2-3",
			 s, *item ? item : "(end)");
	return -1;
}

/* The mask back as a list: 0,2-3, or "all". */
void lttctl_format_cpus(const uint64_t *mask, char *buf, size_t len)
{
	size_t n = 0;
	int c, start = -1, all = 1;

	for (c = 0; c < LTTNG_XEN_MAX_CPUS; c++) {
		if (!(mask[c / 64] & (1ULL << (c % 64))))
			all = 0;
	}
	if (all) {
		snprintf(buf, len, "all");
		return;
	}
	buf[0] = '\0';
	for (c = 0; c <= LTTNG_XEN_MAX_CPUS; c++) {
		bool set = c < LTTNG_XEN_MAX_CPUS &&
			   (mask[c / 64] & (1ULL << (c % 64)));

		if (set && start < 0)
			start = c;
		if (set || start < 0)
			continue;
		if (n < len)
			n += snprintf(buf + n, len - n, "%s%d", n ? "," : "",
				      start);
		if (c - 1 > start && n < len)
			n += snprintf(buf + n, len - n, "-%d", c - 1);
		start = -1;
	}
}

int lttctl_check_name(const char *s, const char **why)
{
	const char *p;

	if (!*s) {
		*why = "it is empty";
		return -1;
	}
	if (strlen(s) > LTTCTL_NAME_MAX) {
		*why = "it is longer than 64 characters";
		return -1;
	}
	if (s[0] == '.' || s[0] == '-') {
		*why = "it starts with '.' or '-'";
		return -1;
	}
	for (p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p)) {
			*why = "use letters, digits, '_', '.' and '-' only";
			return -1;
		}
	}
	return 0;
}

int lttctl_check_transport(const char *spec, const char **why)
{
	if (!strcmp(spec, "xen"))
		return 0;
	if (!strncmp(spec, "sim:", 4)) {
		if (!spec[4]) {
			*why = "no socket path after 'sim:', e.g. "
			       "sim:/run/lttng-xen-sim.sock";
			return -1;
		}
		return 0;
	}
	*why = "unknown transport: use 'xen' or 'sim:PATH'";
	return -1;
}

/* 262144 -> "256 KiB". */
void lttctl_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned int u = 0;
	double v = bytes;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%llu %s", (unsigned long long)v, units[u]);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
}

/*
 * Mark the domain named name (len bytes) in seen, from known (nr_known
 * domains, the transport's domain-name source); with known NULL, only
 * count it in *nr_names.  -1 with why set: no such domain.
 */
static int domain_by_name(const char *name, size_t len,
			  const struct lx_domain *known, int nr_known,
			  uint64_t *seen, unsigned int *nr_names, char *why,
			  size_t why_len)
{
	size_t n = 0;
	int i, found = 0;

	++*nr_names;
	if (!known)
		return 0;
	for (i = 0; i < nr_known; i++) {
		if (strlen(known[i].name) != len ||
		    strncmp(known[i].name, name, len) ||
		    known[i].domid >= LTTNG_XEN_DOMID_LIMIT)
			continue;
		seen[known[i].domid / 64] |= 1ULL << (known[i].domid % 64);
		found = 1;
	}
	if (found)
		return 0;
	n = snprintf(why, why_len, "no domain is named '%.*s' (", (int)len,
		     name);
	for (i = 0; i < nr_known && n < why_len; i++)
		n += snprintf(why + n, why_len - n, "%s%u %s", i ? ", " : "",
			      known[i].domid, known[i].name);
	if (n < why_len)
		snprintf(why + n, why_len - n, "%s)",
			 nr_known ? "" : "no domain has a name");
	return -1;
}

/*
 * "all" (no filter: nr 0), or a comma-separated list of domain ids,
 * ranges and names: 1,3-4,web-01.  A name (an item that does not start
 * with a digit) is looked up in known (nr_known domains); with known
 * NULL, names are only counted in *nr_names, for a syntax check.  The
 * ids come out sorted, each once, at most LTTNG_XEN_MAX_DOMAINS.
 */
int lttctl_parse_domains(const char *s, const struct lx_domain *known,
			 int nr_known, struct lttng_xen_domains *d,
			 unsigned int *nr_names, char *why, size_t len)
{
	static uint64_t seen[(LTTNG_XEN_DOMID_LIMIT + 63) / 64];
	const char *p = s, *item;
	unsigned long a, b, c;

	memset(d, 0, sizeof(*d));
	*nr_names = 0;
	if (!strcmp(s, "all"))
		return 0;
	memset(seen, 0, sizeof(seen));
	for (;;) {
		item = p;
		if (*p && *p != ',' && !isdigit((unsigned char)*p)) {
			p += strcspn(p, ",");
			if (domain_by_name(item, p - item, known, nr_known,
					   seen, nr_names, why, len))
				return -1;
			goto next;
		}
		if (parse_range(&p, &a, &b))
			goto syntax;
		if (check_range(item, p, a, b, LTTNG_XEN_DOMID_LIMIT, "domain",
				"domain ids", why, len))
			return -1;
		if (b - a >= LTTNG_XEN_MAX_DOMAINS) {
			snprintf(why, len, "more than %d domains",
				 LTTNG_XEN_MAX_DOMAINS);
			return -1;
		}
		for (c = a; c <= b; c++)
			seen[c / 64] |= 1ULL << (c % 64);
	next:
		if (!*p)
			break;
		p++;
	}
	for (c = 0; c < LTTNG_XEN_DOMID_LIMIT; c++) {
		if (!((seen[c / 64] >> (c % 64)) & 1))
			continue;
		if (d->nr == LTTNG_XEN_MAX_DOMAINS) {
			snprintf(why, len, "more than %d domains",
				 LTTNG_XEN_MAX_DOMAINS);
			return -1;
		}
		d->domid[d->nr++] = c;
	}
	return 0;
syntax:
	snprintf(why, len,
		 "cannot parse '%s'%s%s: expected 'all' or domain ids, ranges "
		 "and names, e.g. 1,3-4,web-01",
		 s, item == s ? "" : " at ",
		 item == s ? "" : (*item ? item : "(end)"));
	return -1;
}

/* The domains back as a list: 1,3-4, or "all". */
void lttctl_format_domains(const struct lttng_xen_domains *d, char *buf,
			   size_t len)
{
	size_t n = 0;
	uint32_t i, j;

	if (!d->nr) {
		snprintf(buf, len, "all");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < d->nr && n < len; i = j) {
		for (j = i + 1; j < d->nr && d->domid[j] == d->domid[j - 1] + 1;
		     j++)
			;
		if (j - 1 == i)
			n += snprintf(buf + n, len - n, "%s%u", i ? "," : "",
				      d->domid[i]);
		else
			n += snprintf(buf + n, len - n, "%s%u-%u", i ? "," : "",
				      d->domid[i], d->domid[j - 1]);
	}
}
