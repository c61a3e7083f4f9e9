// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen-json.c: the model back end.  Writes OUTDIR/model.json: the
 * facilities, their enums, every event with its id, fields (names, types,
 * sizes, offsets, CTF types) and xentrace mappings, and the xentrace
 * lookup order.  The tools and tests that are not C (lttng-xen-compare,
 * the test oracles) read this instead of parsing generated C.
 *
 * The format (version 1) is described in genevent/README.md.  It is
 * written in a fixed order, so that the output is byte-identical from
 * one run to the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define MODEL_FORMAT_VERSION 1

/* A JSON string: quotes, backslashes and control characters escaped;
 * other bytes (UTF-8) as they are. */
static void json_str(struct ge_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		ge_printf(b, "null");
		return;
	}
	ge_printf(b, "\"");
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			ge_printf(b, "\\%c", *p);
		else if (*p == '\n')
			ge_printf(b, "\\n");
		else if (*p == '\t')
			ge_printf(b, "\\t");
		else if (*p < 0x20)
			ge_printf(b, "\\u%04x", *p);
		else
			ge_printf(b, "%c", *p);
	}
	ge_printf(b, "\"");
}

static void json_value(struct ge_buf *b, struct ge_value v)
{
	ge_printf(b, "%s%llu", v.neg ? "-" : "", (unsigned long long)v.mag);
}

static void int_name(char *dst, size_t size, struct ge_int t)
{
	snprintf(dst, size, "%c%u", t.is_signed ? 's' : 'u', t.bits);
}

static void gen_enums(struct ge_buf *b, const struct ge_facility *fac)
{
	char type[8];
	size_t i, j;

	ge_printf(b, "     \"enums\": [");
	for (i = 0; i < fac->nr_enums; i++) {
		const struct ge_enum *e = &fac->enums[i];

		int_name(type, sizeof(type), e->base);
		ge_printf(b, "%s\n        {\"name\": ", i ? "," : "");
		json_str(b, e->name);
		ge_printf(b, ", \"type\": \"%s\", \"description\": ", type);
		json_str(b, e->description);
		ge_printf(b, ",\n         \"values\": [");
		for (j = 0; j < e->nr_values; j++) {
			ge_printf(b, "%s{\"name\": ", j ? ", " : "");
			json_str(b, e->values[j].name);
			ge_printf(b, ", \"value\": ");
			json_value(b, e->values[j].value);
			ge_printf(b, "}");
		}
		ge_printf(b, "]}");
	}
	ge_printf(b, "%s]", fac->nr_enums ? "\n     " : "");
}

static void gen_facilities(struct ge_buf *b, const struct ge_model *m)
{
	size_t i, j;

	ge_printf(b, "  \"facilities\": [");
	for (i = 0; i < m->nr_facilities; i++) {
		const struct ge_facility *fac = &m->facilities[i];

		ge_printf(b, "%s\n    {\"name\": ", i ? "," : "");
		json_str(b, fac->name);
		/* the base name: the output must not depend on where it ran */
		ge_printf(b, ", \"file\": ");
		json_str(b, strrchr(fac->file, '/') ? strrchr(fac->file, '/') + 1 :
						     fac->file);
		ge_printf(b, ",\n     \"description\": ");
		json_str(b, fac->description);
		ge_printf(b, ",\n     \"events\": [");
		for (j = 0; j < fac->nr_events; j++) {
			ge_printf(b, "%s", j ? ", " : "");
			json_str(b, fac->events[j].name);
		}
		ge_printf(b, "],\n");
		gen_enums(b, fac);
		ge_printf(b, "}");
	}
	ge_printf(b, "\n  ],\n");
}

static const char *const shape_names[] = { "scalar", "array", "sequence" };

/*
 * One field.  offset: its bit offset in the payload, or -1 once a string
 * or sequence came before it (its place then depends on the record).
 */
static void gen_field(struct ge_buf *b, const struct ge_event *ev,
		      const struct ge_field *f, long offset)
{
	struct ge_buf ctf = { 0 };
	char type[8];

	ge_printf(b, "        {\"name\": ");
	json_str(b, f->name);
	ge_printf(b, ", \"kind\": \"%s\"",
		  f->kind == GE_FIELD_STRING ? "string" :
		  f->kind == GE_FIELD_ENUM ? "enum" : "integer");
	if (f->kind != GE_FIELD_STRING) {
		int_name(type, sizeof(type), f->integer);
		ge_printf(b, ", \"type\": \"%s\", \"signed\": %s", type,
			  f->integer.is_signed ? "true" : "false");
	}
	if (f->kind == GE_FIELD_ENUM) {
		ge_printf(b, ", \"enum\": ");
		json_str(b, f->enumeration->name);
	}
	ge_printf(b, ",\n         \"bits\": %u, \"packed\": %s, \"base\": %d, "
		     "\"shape\": \"%s\"", ge_field_bits(f),
		  f->packed_bits ? "true" : "false", f->hex ? 16 : 10,
		  shape_names[f->shape]);
	if (f->saturate)
		ge_printf(b, ", \"saturate\": true");
	if (f->domain)
		ge_printf(b, ", \"domain\": true");
	if (f->shape == GE_SHAPE_ARRAY)
		ge_printf(b, ", \"length\": %u", f->length);
	else if (f->shape == GE_SHAPE_SEQUENCE) {
		ge_printf(b, ", \"length_field\": ");
		json_str(b, ev->fields[f->length_index].name);
	}
	if (f->is_length)
		ge_printf(b, ", \"is_length\": true");
	if (offset >= 0)
		ge_printf(b, ", \"offset_bits\": %ld", offset);
	else
		ge_printf(b, ", \"offset_bits\": null");
	ge_ctf_field_type(&ctf, ev, f, true);
	ge_printf(b, ",\n         \"ctf\": ");
	json_str(b, ctf.data);
	free(ctf.data);
	ge_printf(b, ", \"description\": ");
	json_str(b, f->description);
	ge_printf(b, "}");
}

static const char *const from_names[] = { "data", "id", "const", "count" };

static void gen_xentrace(struct ge_buf *b, const struct ge_event *ev,
			 const struct ge_xentrace *x)
{
	size_t i, j, n = 0;

	ge_printf(b, "        {\"name\": ");
	json_str(b, x->name);
	ge_printf(b, ", \"id\": %u, \"mask\": %u,\n         \"unpacks\": [",
		  x->id, x->mask);
	/* in field order, the length fields included (from "count") */
	for (i = 0; i < ev->nr_fields; i++) {
		const struct ge_field *f = &ev->fields[i];
		const struct ge_unpack *u = NULL;

		for (j = 0; j < x->nr_unpacks; j++)
			if (x->unpacks[j].field == (int)i)
				u = &x->unpacks[j];
		if (!u && !f->is_length)
			continue;	/* a string: never unpacked (check.c) */
		ge_printf(b, "%s\n           {\"field\": ", n++ ? "," : "");
		json_str(b, f->name);
		if (!u) {
			for (j = 0; j < ev->nr_fields; j++)
				if (ev->fields[j].shape == GE_SHAPE_SEQUENCE &&
				    ev->fields[j].length_index == (int)i)
					break;
			ge_printf(b, ", \"from\": \"count\", \"of\": ");
			json_str(b, ev->fields[j].name);
		} else if (u->from == GE_FROM_CONST) {
			ge_printf(b, ", \"from\": \"const\", \"value\": ");
			json_value(b, u->value);
		} else {
			ge_printf(b, ", \"from\": \"%s\", \"bit\": %u, "
				     "\"width\": %u", from_names[u->from],
				  u->bit, u->width);
		}
		ge_printf(b, "}");
	}
	ge_printf(b, "]}");
}

static void gen_event(struct ge_buf *b, const struct ge_event *ev)
{
	long offset = 0;
	size_t i;

	ge_printf(b, "    {\"id\": %u, \"name\": \"%s:%s\", \"facility\": ",
		  ev->id, ev->facility->name, ev->name);
	json_str(b, ev->facility->name);
	ge_printf(b, ", \"event\": ");
	json_str(b, ev->name);
	ge_printf(b, ",\n     \"frequent\": %s, \"compact\": %s, "
		     "\"fixed_size\": %u,\n     \"description\": ",
		  ev->frequent ? "true" : "false",
		  ev->id < GE_MAX_FREQUENT ? "true" : "false",
		  ge_event_fixed_size(ev));
	json_str(b, ev->description);
	ge_printf(b, ",\n     \"fields\": [");
	for (i = 0; i < ev->nr_fields; i++) {
		const struct ge_field *f = &ev->fields[i];

		ge_printf(b, "%s\n", i ? "," : "");
		gen_field(b, ev, f, offset);
		if (f->kind == GE_FIELD_STRING || f->shape == GE_SHAPE_SEQUENCE)
			offset = -1;
		else if (offset >= 0)
			offset += (long)ge_field_bits(f) *
				  (f->shape == GE_SHAPE_ARRAY ? f->length : 1);
	}
	ge_printf(b, "%s],\n     \"xentrace\": [", ev->nr_fields ? "\n     " : "");
	for (i = 0; i < ev->nr_xentrace; i++) {
		ge_printf(b, "%s\n", i ? "," : "");
		gen_xentrace(b, ev, &ev->xentrace[i]);
	}
	ge_printf(b, "%s]}", ev->nr_xentrace ? "\n     " : "");
}

void ge_gen_json(const struct ge_model *m, struct ge_outputs *o,
		 uint64_t metadata_hash)
{
	struct ge_buf *b = ge_output_new(o, "model.json");
	struct ge_xt_entry *e;
	size_t n = ge_xentrace_sorted(m, &e), i;

	ge_printf(b, "{\n  \"generator\": \"genevent\",\n"
		     "  \"comment\": \"Generated by genevent from the facility XML; do not edit.\",\n"
		     "  \"format_version\": %d,\n"
		     "  \"metadata_hash\": \"0x%016llx\",\n"
		     "  \"compact_ids\": %d,\n"
		     "  \"nr_events\": %zu,\n",
		  MODEL_FORMAT_VERSION, (unsigned long long)metadata_hash,
		  GE_MAX_FREQUENT, m->nr_events);
	gen_facilities(b, m);
	ge_printf(b, "  \"events\": [");
	for (i = 0; i < m->nr_events; i++) {
		ge_printf(b, "%s\n", i ? "," : "");
		gen_event(b, m->events[i]);
	}
	ge_printf(b, "\n  ],\n  \"xentrace_lookup\": [");
	for (i = 0; i < n; i++)
		ge_printf(b, "%s\n    {\"mask\": %u, \"id\": %u, \"event\": %u}",
			  i ? "," : "", e[i].x->mask, e[i].x->id, e[i].ev->id);
	ge_printf(b, "%s]\n}\n", n ? "\n  " : "");
	free(e);
}
