// SPDX-License-Identifier: GPL-2.0-only
/*
 * check.c: the rules a schema cannot express, across all facilities of
 * one run, and the assignment of event ids.  After ge_model_check()
 * returns 0 the back ends may assume a consistent model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define GE_MAX_NAME 48

/* C keywords and CTF 1.8 TSDL keywords: not usable as names. */
static const char *const reserved[] = {
	"align", "auto", "bool", "break", "callsite", "case", "char", "clock",
	"const", "continue", "default", "do", "double", "else", "enum", "env",
	"event", "extern", "false", "float", "floating_point", "for", "goto",
	"if", "inline", "int", "integer", "long", "register", "restrict",
	"return", "short", "signed", "sizeof", "static", "stream", "string",
	"struct", "switch", "trace", "true", "typealias", "typedef", "union",
	"unsigned", "variant", "void", "volatile", "while",
};

static void check_name(const char *file, int line, const char *what,
		       const char *name)
{
	size_t i;

	if (strlen(name) > GE_MAX_NAME)
		ge_error(file, line, "%s name '%s' is longer than %d characters",
			 what, name, GE_MAX_NAME);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(name, reserved[i]))
			ge_error(file, line,
				 "%s name '%s' is a C or CTF (TSDL) keyword",
				 what, name);
}

static bool value_fits(struct ge_value v, struct ge_int t)
{
	uint64_t max;

	if (!t.is_signed)
		return !v.neg && (t.bits == 64 || v.mag < (1ULL << t.bits));
	max = 1ULL << (t.bits - 1);
	return v.neg ? v.mag <= max : v.mag < max;
}

static void check_enum(const struct ge_facility *fac, const struct ge_enum *e)
{
	size_t i, j;

	check_name(fac->file, e->line, "enum", e->name);
	for (i = 0; i < e->nr_values; i++) {
		const struct ge_enum_value *v = &e->values[i];

		check_name(fac->file, v->line, "enum value", v->name);
		if (!value_fits(v->value, e->base))
			ge_error(fac->file, v->line,
				 "enum '%s': value '%s' (%s%llu) does not fit its type (%s%u)",
				 e->name, v->name, v->value.neg ? "-" : "",
				 (unsigned long long)v->value.mag,
				 e->base.is_signed ? "s" : "u", e->base.bits);
		for (j = 0; j < i; j++) {
			if (!strcmp(e->values[j].name, v->name))
				ge_error(fac->file, v->line,
					 "enum '%s': value name '%s' is already defined at line %d",
					 e->name, v->name, e->values[j].line);
			else if (e->values[j].value.neg == v->value.neg &&
				 e->values[j].value.mag == v->value.mag)
				ge_error(fac->file, v->line,
					 "enum '%s': '%s' has the same value as '%s' (line %d)",
					 e->name, v->name, e->values[j].name,
					 e->values[j].line);
		}
	}
}

static int field_index(const struct ge_event *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->nr_fields; i++)
		if (!strcmp(ev->fields[i].name, name))
			return (int)i;
	return -1;
}

/*
 * bits="N": an integer or enum scalar narrower than its type.  Consecutive
 * bit fields form a run that must fill whole bytes (at most 64 bits), so
 * every other field stays byte-aligned.  An invalid N is reported and
 * dropped, so the back ends never see it.
 */
static void check_bits(const struct ge_facility *fac, struct ge_field *f)
{
	struct ge_int narrow = { f->packed_bits, f->integer.is_signed };
	size_t i;

	if (f->saturate && !f->has_bits)
		ge_error(fac->file, f->line,
			 "field '%s': saturate needs bits=\"N\" (the width a value saturates at)",
			 f->name);
	if (!f->has_bits)
		return;
	if (f->kind == GE_FIELD_STRING || f->shape != GE_SHAPE_SCALAR) {
		ge_error(fac->file, f->line,
			 "field '%s': bits applies only to an integer or enum that is not an array",
			 f->name);
		goto drop;
	}
	if (f->packed_bits < 1 || f->packed_bits >= f->integer.bits) {
		ge_error(fac->file, f->line,
			 "field '%s': bits=\"%u\" must be 1 to %u for a %s%u (for %u bits use the type itself)",
			 f->name, f->packed_bits, f->integer.bits - 1,
			 f->integer.is_signed ? "s" : "u", f->integer.bits,
			 f->integer.bits);
		goto drop;
	}
	if (f->saturate && f->integer.is_signed)
		ge_error(fac->file, f->line,
			 "field '%s': saturate applies to unsigned values only",
			 f->name);
	if (f->saturate && f->kind == GE_FIELD_ENUM) {
		struct ge_value all = { false, (1ULL << f->packed_bits) - 1 };

		for (i = 0; i < f->enumeration->nr_values; i++)
			if (!f->enumeration->values[i].value.neg &&
			    f->enumeration->values[i].value.mag == all.mag)
				break;
		if (i == f->enumeration->nr_values)
			ge_error(fac->file, f->line,
				 "field '%s': saturate records what does not fit in %u bits as %llu; enum '%s' must name that value",
				 f->name, f->packed_bits,
				 (unsigned long long)all.mag, f->enumeration->name);
	}
	if (f->kind == GE_FIELD_ENUM)
		for (i = 0; i < f->enumeration->nr_values; i++)
			if (!value_fits(f->enumeration->values[i].value, narrow))
				ge_error(fac->file, f->line,
					 "field '%s': enum value '%s' does not fit in %u bits",
					 f->name, f->enumeration->values[i].name,
					 f->packed_bits);
	return;
drop:
	f->has_bits = false;
	f->packed_bits = 0;
}

static void end_bit_run(const struct ge_facility *fac, struct ge_event *ev,
			size_t first, size_t end, unsigned int bits)
{
	if (bits % 8 || bits > 64)
		ge_error(fac->file, ev->fields[first].line,
			 "event '%s': bit fields '%s' to '%s' take %u bits; a run of bit fields must fill whole bytes, at most 64 bits",
			 ev->name, ev->fields[first].name,
			 ev->fields[end - 1].name, bits);
}

/*
 * domain="true": the probe's domain filter reads the field straight from
 * the payload, so it must be a whole unsigned integer at a byte offset
 * the event's layout fixes (no string or sequence before it).  'offset'
 * is the field's offset in bits, or -1 past a variable part.  An invalid
 * mark is reported and dropped.
 */
static void check_domain(const struct ge_facility *fac, struct ge_field *f,
			 long offset, unsigned int *nr_domains)
{
	if (!f->domain)
		return;
	if (f->kind != GE_FIELD_INT || f->integer.is_signed ||
	    f->shape != GE_SHAPE_SCALAR || f->packed_bits)
		ge_error(fac->file, f->line,
			 "field '%s': domain applies only to an unsigned integer scalar (u8..u64, no bits, array, sequence or enum)",
			 f->name);
	else if (offset < 0)
		ge_error(fac->file, f->line,
			 "field '%s': domain needs a fixed offset in the payload; a string or sequence comes before it",
			 f->name);
	else if (++*nr_domains > GE_MAX_DOMAIN_FIELDS)
		ge_error(fac->file, f->line,
			 "field '%s': more than %d domain fields in one event",
			 f->name, GE_MAX_DOMAIN_FIELDS);
	else {
		f->domain_offset = (unsigned int)offset / 8;
		return;
	}
	f->domain = false;
}

static void check_fields(const struct ge_facility *fac, struct ge_event *ev)
{
	unsigned int fixed = 0, run_bits = 0, nr_domains = 0;
	long offset = 0;	/* bits; -1 past a string or sequence */
	size_t i, j, run_first = 0;

	if (ev->nr_fields > GE_MAX_FIELDS)
		ge_error(fac->file, ev->fields[GE_MAX_FIELDS].line,
			 "event '%s': too many fields for a record (%zu; at most %d)",
			 ev->name, ev->nr_fields, GE_MAX_FIELDS);
	for (i = 0; i < ev->nr_fields; i++) {
		struct ge_field *f = &ev->fields[i];
		int li;

		check_name(fac->file, f->line, "field", f->name);
		for (j = 0; j < i; j++)
			if (!strcmp(ev->fields[j].name, f->name))
				ge_error(fac->file, f->line,
					 "event '%s': field '%s' is already defined at line %d",
					 ev->name, f->name, ev->fields[j].line);
		check_bits(fac, f);
		check_domain(fac, f, offset, &nr_domains);
		if (f->kind == GE_FIELD_STRING || f->shape == GE_SHAPE_SEQUENCE)
			offset = -1;
		else if (offset >= 0)
			offset += (long)ge_field_bits(f) *
				  (f->shape == GE_SHAPE_ARRAY ? f->length : 1);
		if (f->packed_bits) {
			if (!run_bits)
				run_first = i;
			run_bits += f->packed_bits;
		} else if (run_bits) {
			end_bit_run(fac, ev, run_first, i, run_bits);
			run_bits = 0;
		}
		if (f->shape == GE_SHAPE_ARRAY && f->length == 0 &&
		    f->kind != GE_FIELD_STRING)
			ge_error(fac->file, f->line,
				 "field '%s': array length must be at least 1",
				 f->name);
		if (f->shape == GE_SHAPE_SEQUENCE) {
			li = field_index(ev, f->length_field);
			if (li < 0 || li >= (int)i)
				ge_error(fac->file, f->line,
					 "field '%s': length-field '%s' is not a field declared before it",
					 f->name, f->length_field);
			else if (ev->fields[li].kind != GE_FIELD_INT ||
				 ev->fields[li].integer.is_signed ||
				 ev->fields[li].shape != GE_SHAPE_SCALAR)
				ge_error(fac->file, f->line,
					 "field '%s': length-field '%s' must be an unsigned integer scalar",
					 f->name, f->length_field);
			else if (ev->fields[li].is_length)
				ge_error(fac->file, f->line,
					 "field '%s': length-field '%s' already gives another field's length",
					 f->name, f->length_field);
			else {
				f->length_index = li;
				ev->fields[li].is_length = true;
			}
		} else if (f->kind != GE_FIELD_STRING) {
			fixed += ge_field_bits(f) *
				 (f->shape == GE_SHAPE_ARRAY ? f->length : 1);
		}
	}
	if (run_bits)
		end_bit_run(fac, ev, run_first, ev->nr_fields, run_bits);
	fixed /= 8;
	if (fixed > GE_MAX_FIXED_BYTES)
		ge_error(fac->file, ev->line,
			 "event '%s': the fixed part of the record is %u bytes; at most %d",
			 ev->name, fixed, GE_MAX_FIXED_BYTES);
}

static void check_unpack(const struct ge_facility *fac, struct ge_event *ev,
			 struct ge_xentrace *x, struct ge_unpack *u,
			 unsigned char *seen)
{
	const struct ge_field *f;
	unsigned int count, bits, max;

	u->field = field_index(ev, u->field_name);
	if (u->field < 0) {
		ge_error(fac->file, u->line, "unpack: event '%s' has no field '%s'",
			 ev->name, u->field_name);
		return;
	}
	f = &ev->fields[u->field];
	if (seen[u->field]++)
		ge_error(fac->file, u->line,
			 "unpack: field '%s' is unpacked twice for xentrace id 0x%08x",
			 f->name, x->id);
	if (f->kind == GE_FIELD_STRING) {
		ge_error(fac->file, u->line,
			 "unpack: string field '%s' cannot be filled from a xentrace record",
			 f->name);
		return;
	}
	if (f->is_length) {
		ge_error(fac->file, u->line,
			 "unpack: '%s' is a length field; it is set from the element count",
			 f->name);
		return;
	}
	if (u->from == GE_FROM_CONST) {
		if (!u->has_value)
			ge_error(fac->file, u->line,
				 "unpack of '%s': from=\"const\" needs a value",
				 f->name);
		else if (!value_fits(u->value, (struct ge_int){
				ge_field_bits(f), f->integer.is_signed }))
			ge_error(fac->file, u->line,
				 "unpack of '%s': value does not fit the field's type",
				 f->name);
		if (u->has_word || u->has_shift || u->has_width)
			ge_error(fac->file, u->line,
				 "unpack of '%s': word, shift and width do not apply to from=\"const\"",
				 f->name);
		if (f->shape != GE_SHAPE_SCALAR)
			ge_error(fac->file, u->line,
				 "unpack of '%s': an array cannot be a constant",
				 f->name);
		return;
	}
	if (u->has_value)
		ge_error(fac->file, u->line,
			 "unpack of '%s': value applies only to from=\"const\"",
			 f->name);
	if (!u->has_width)
		u->width = ge_field_bits(f);
	/* a saturating field takes wider values: they saturate */
	max = f->saturate ? f->integer.bits : ge_field_bits(f);
	if (u->width == 0 || u->width > max) {
		ge_error(fac->file, u->line,
			 "unpack of '%s': width %u does not fit the field (%u bits%s)",
			 f->name, u->width, max,
			 f->saturate ? ", its type's" : "");
		return;
	}
	count = f->shape == GE_SHAPE_ARRAY ? f->length : 1;
	bits = u->width * count;
	if (u->from == GE_FROM_ID) {
		uint64_t want;

		if (u->has_word)
			ge_error(fac->file, u->line,
				 "unpack of '%s': word does not apply to from=\"id\"",
				 f->name);
		if (f->shape != GE_SHAPE_SCALAR)
			ge_error(fac->file, u->line,
				 "unpack of '%s': an array cannot come from the event id",
				 f->name);
		if (u->bit + u->width > 28) {
			ge_error(fac->file, u->line,
				 "unpack of '%s': bits %u-%u are past the 28-bit event id",
				 f->name, u->bit, u->bit + u->width - 1);
			return;
		}
		want = ((1ULL << u->width) - 1) << u->bit;
		if (want & ~(uint64_t)x->mask)
			ge_error(fac->file, u->line,
				 "unpack of '%s': id bits %u-%u are not in the id-mask 0x%x",
				 f->name, u->bit, u->bit + u->width - 1, x->mask);
		return;
	}
	if (u->bit + bits > 32 * GE_XT_MAX_WORDS)
		ge_error(fac->file, u->line,
			 "unpack of '%s': bits %u-%u are past the %d data words of a xentrace record",
			 f->name, u->bit, u->bit + bits - 1, GE_XT_MAX_WORDS);
}

static void check_xentrace(const struct ge_facility *fac, struct ge_event *ev,
			   struct ge_xentrace *x)
{
	unsigned char seen[GE_MAX_FIELDS * 4] = { 0 };
	size_t i;

	if (ev->nr_fields > sizeof(seen))
		return;
	if (x->id & x->mask)
		ge_error(fac->file, x->line,
			 "xentrace id 0x%08x and id-mask 0x%x share bits", x->id,
			 x->mask);
	for (i = 0; i < x->nr_unpacks; i++)
		check_unpack(fac, ev, x, &x->unpacks[i], seen);
	for (i = 0; i < ev->nr_fields; i++) {
		const struct ge_field *f = &ev->fields[i];

		if (!seen[i] && !f->is_length && f->kind != GE_FIELD_STRING)
			ge_error(fac->file, x->line,
				 "xentrace id 0x%08x: no unpack rule for field '%s'",
				 x->id, f->name);
	}
}

static void check_event(const struct ge_facility *fac, struct ge_event *ev)
{
	size_t i;

	check_name(fac->file, ev->line, "event", ev->name);
	if (!ev->description || !*ev->description)
		ge_error(fac->file, ev->line, "event '%s': empty description",
			 ev->name);
	check_fields(fac, ev);
	for (i = 0; i < ev->nr_xentrace; i++)
		check_xentrace(fac, ev, &ev->xentrace[i]);
}

static int cmp_facility(const void *a, const void *b)
{
	const struct ge_facility *fa = a, *fb = b;

	return strcmp(fa->name, fb->name);
}

struct xt_ref {
	const struct ge_facility *fac;
	const struct ge_event *ev;
	const struct ge_xentrace *x;
};

static void check_xentrace_overlaps(const struct ge_model *m)
{
	struct xt_ref *refs = NULL;
	size_t n = 0, i, j, k, a, b;

	for (i = 0; i < m->nr_facilities; i++) {
		const struct ge_facility *fac = &m->facilities[i];

		for (j = 0; j < fac->nr_events; j++)
			for (k = 0; k < fac->events[j].nr_xentrace; k++) {
				refs = ge_xrealloc(refs, (n + 1) * sizeof(*refs));
				refs[n].fac = fac;
				refs[n].ev = &fac->events[j];
				refs[n++].x = &fac->events[j].xentrace[k];
			}
	}
	for (a = 0; a < n; a++)
		for (b = 0; b < a; b++) {
			const struct ge_xentrace *x = refs[a].x, *y = refs[b].x;

			if ((x->id ^ y->id) & ~(x->mask | y->mask))
				continue;
			ge_error(refs[a].fac->file, x->line,
				 "xentrace id 0x%08x (mask 0x%x) of event '%s:%s' overlaps 0x%08x (mask 0x%x) of '%s:%s' at %s:%d",
				 x->id, x->mask, refs[a].fac->name, refs[a].ev->name,
				 y->id, y->mask, refs[b].fac->name, refs[b].ev->name,
				 refs[b].fac->file, y->line);
		}
	free(refs);
}

static void assign_ids(struct ge_model *m)
{
	size_t i, j, n = 0, pass;

	for (i = 0; i < m->nr_facilities; i++)
		n += m->facilities[i].nr_events;
	m->events = ge_xmalloc(n * sizeof(*m->events));
	m->nr_events = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < m->nr_facilities; i++)
			for (j = 0; j < m->facilities[i].nr_events; j++) {
				struct ge_event *ev = &m->facilities[i].events[j];

				if (ev->frequent != !pass)
					continue;
				ev->id = (unsigned int)m->nr_events;
				m->events[m->nr_events++] = ev;
			}
}

/*
 * A guest facility becomes Linux TRACE_EVENTs and LTTng-modules probes
 * (gen-linux.c), which have no place for what only the hypervisor's
 * record format has: xentrace remapping, bit fields packed with
 * align = 1, a sequence whose length is a separate field (LTTng writes
 * its own length just before the sequence), the compact header's ids.
 */
static void check_guest_event(const struct ge_facility *fac,
			      const struct ge_event *ev)
{
	size_t i;

	if (ev->frequent)
		ge_error(fac->file, ev->line,
			 "event '%s': frequent is the hypervisor's compact event header; a guest event's id and header are LTTng's",
			 ev->name);
	if (!ev->nr_fields)
		ge_error(fac->file, ev->line,
			 "event '%s': a guest event needs at least one field (a Linux TRACE_EVENT takes at least one argument)",
			 ev->name);
	for (i = 0; i < ev->nr_xentrace; i++)
		ge_error(fac->file, ev->xentrace[i].line,
			 "event '%s': <xentrace> is Xen-only; a guest event replaces no xentrace record",
			 ev->name);
	for (i = 0; i < ev->nr_fields; i++) {
		const struct ge_field *f = &ev->fields[i];

		if (f->has_bits)
			ge_error(fac->file, f->line,
				 "field '%s': bits=\"%u\" is a Xen-only type (a packed bit field); a guest field is a whole integer, enum, string or fixed array",
				 f->name, f->packed_bits);
		if (f->shape == GE_SHAPE_SEQUENCE)
			ge_error(fac->file, f->line,
				 "field '%s': length-field is a Xen-only type (LTTng records a sequence's length itself, just before it); use a fixed array",
				 f->name);
		if (f->domain)
			ge_error(fac->file, f->line,
				 "field '%s': domain marks a field for the hypervisor's domain filter; a guest event is not recorded by Xen",
				 f->name);
	}
}

static void check_facility(struct ge_facility *fac, size_t *frequent,
			   size_t *total)
{
	size_t j, k;

	check_name(fac->file, fac->line, "facility", fac->name);
	if (!fac->description || !*fac->description)
		ge_error(fac->file, fac->line,
			 "facility '%s': empty description", fac->name);
	for (j = 0; j < fac->nr_enums; j++) {
		check_enum(fac, &fac->enums[j]);
		for (k = 0; k < j; k++)
			if (!strcmp(fac->enums[k].name, fac->enums[j].name))
				ge_error(fac->file, fac->enums[j].line,
					 "enum '%s' is already defined at line %d",
					 fac->enums[j].name,
					 fac->enums[k].line);
	}
	for (j = 0; j < fac->nr_events; j++) {
		struct ge_event *ev = &fac->events[j];

		ev->facility = fac;
		check_event(fac, ev);
		if (fac->guest)
			check_guest_event(fac, ev);
		for (k = 0; k < j; k++)
			if (!strcmp(fac->events[k].name, ev->name))
				ge_error(fac->file, ev->line,
					 "event '%s' is already defined at line %d",
					 ev->name, fac->events[k].line);
		if (ev->frequent && !fac->guest &&
		    ++*frequent == GE_MAX_FREQUENT + 1)
			ge_error(fac->file, ev->line,
				 "event '%s': more than %d events are marked frequent",
				 ev->name, GE_MAX_FREQUENT);
	}
	*total += fac->nr_events;
}

/* Facility names are unique across both sides (a sorted list each). */
static void check_facility_names(const struct ge_model *m)
{
	size_t i, j;

	for (i = 1; i < m->nr_facilities; i++)
		if (!strcmp(m->facilities[i].name, m->facilities[i - 1].name))
			ge_error(m->facilities[i].file, m->facilities[i].line,
				 "facility '%s' is already defined in %s",
				 m->facilities[i].name,
				 m->facilities[i - 1].file);
	for (i = 0; i < m->nr_guest_facilities; i++) {
		const struct ge_facility *g = &m->guest_facilities[i];

		if (i && !strcmp(g->name, m->guest_facilities[i - 1].name))
			ge_error(g->file, g->line,
				 "facility '%s' is already defined in %s",
				 g->name, m->guest_facilities[i - 1].file);
		for (j = 0; j < m->nr_facilities; j++)
			if (!strcmp(g->name, m->facilities[j].name))
				ge_error(g->file, g->line,
					 "guest facility '%s' has the name of the hypervisor's facility in %s",
					 g->name, m->facilities[j].file);
	}
}

/*
 * A guest event is the Linux tracepoint <facility>_<event> (also its
 * LTTng event name).  That name must differ from every other event's,
 * the hypervisor's included: "a_b" + "c" and "a" + "b_c" would be the
 * same tracepoint, and one merged trace must tell them apart.
 */
static void check_linux_names(const struct ge_model *m)
{
	const struct ge_event **all;
	size_t n = 0, i, j, k;
	char a[2 * 64 + 2], b[2 * 64 + 2];

	for (i = 0; i < m->nr_facilities; i++)
		n += m->facilities[i].nr_events;
	for (i = 0; i < m->nr_guest_facilities; i++)
		n += m->guest_facilities[i].nr_events;
	all = ge_xmalloc(n * sizeof(*all));
	n = 0;
	for (i = 0; i < m->nr_facilities; i++)
		for (j = 0; j < m->facilities[i].nr_events; j++)
			all[n++] = &m->facilities[i].events[j];
	for (i = 0; i < m->nr_guest_facilities; i++)
		for (j = 0; j < m->guest_facilities[i].nr_events; j++)
			all[n++] = &m->guest_facilities[i].events[j];
	for (i = 0; i < n; i++) {
		const struct ge_event *ev = all[i];

		if (!ev->facility->guest)
			continue;
		snprintf(a, sizeof(a), "%s_%s", ev->facility->name, ev->name);
		for (k = 0; k < n; k++) {
			const struct ge_event *o = all[k];

			if (k == i || (o->facility->guest && k > i))
				continue;
			snprintf(b, sizeof(b), "%s_%s", o->facility->name,
				 o->name);
			if (strcmp(a, b))
				continue;
			ge_error(ev->facility->file, ev->line,
				 "event '%s:%s': its Linux tracepoint name '%s' is also the name of %s event '%s:%s' (%s:%d)",
				 ev->facility->name, ev->name, a,
				 o->facility->guest ? "guest" : "the hypervisor's",
				 o->facility->name, o->name, o->facility->file,
				 o->line);
		}
	}
	free(all);
}

int ge_model_check(struct ge_model *m)
{
	int before = ge_errors;
	size_t i, frequent = 0, total = 0;

	/* (qsort's array must not be NULL, even when empty) */
	if (m->nr_facilities)
		qsort(m->facilities, m->nr_facilities, sizeof(*m->facilities),
		      cmp_facility);
	if (m->nr_guest_facilities)
		qsort(m->guest_facilities, m->nr_guest_facilities,
		      sizeof(*m->guest_facilities), cmp_facility);
	for (i = 0; i < m->nr_facilities; i++)
		check_facility(&m->facilities[i], &frequent, &total);
	for (i = 0; i < m->nr_guest_facilities; i++)
		check_facility(&m->guest_facilities[i], &frequent, &total);
	check_facility_names(m);
	if (total > GE_MAX_EVENTS)
		ge_error(m->nr_facilities ? m->facilities[0].file : "genevent", 0,
			 "%zu events in all; at most %d", total, GE_MAX_EVENTS);
	check_xentrace_overlaps(m);
	if (ge_errors != before)
		return -1;
	check_linux_names(m);
	if (ge_errors != before)
		return -1;
	assign_ids(m);
	return 0;
}

static void free_event(struct ge_event *ev)
{
	size_t i, j;

	for (i = 0; i < ev->nr_fields; i++) {
		free(ev->fields[i].name);
		free(ev->fields[i].description);
		free(ev->fields[i].length_field);
	}
	for (i = 0; i < ev->nr_xentrace; i++) {
		for (j = 0; j < ev->xentrace[i].nr_unpacks; j++)
			free(ev->xentrace[i].unpacks[j].field_name);
		free(ev->xentrace[i].unpacks);
		free(ev->xentrace[i].name);
	}
	free(ev->fields);
	free(ev->xentrace);
	free(ev->name);
	free(ev->description);
}

static void free_facilities(struct ge_facility *facs, size_t nr)
{
	size_t i, j, k;

	for (i = 0; i < nr; i++) {
		struct ge_facility *fac = &facs[i];

		for (j = 0; j < fac->nr_enums; j++) {
			for (k = 0; k < fac->enums[j].nr_values; k++)
				free(fac->enums[j].values[k].name);
			free(fac->enums[j].values);
			free(fac->enums[j].name);
			free(fac->enums[j].description);
		}
		for (j = 0; j < fac->nr_events; j++)
			free_event(&fac->events[j]);
		free(fac->enums);
		free(fac->events);
		free(fac->name);
		free(fac->description);
		free(fac->file);
	}
	free(facs);
}

void ge_model_free(struct ge_model *m)
{
	free_facilities(m->facilities, m->nr_facilities);
	free_facilities(m->guest_facilities, m->nr_guest_facilities);
	free(m->events);
	memset(m, 0, sizeof(*m));
}
