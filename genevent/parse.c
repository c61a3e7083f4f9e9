// SPDX-License-Identifier: GPL-2.0-only
/*
 * parse.c: facility XML -> model.  Validates each document against the
 * RELAX NG schema (facilities/facility.rng, built into genevent) before
 * reading it, so the walk below can rely on the structure; rules that need
 * more than one element (types, references) are checked here or in check.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "model.h"

extern const char ge_schema[];
extern const unsigned int ge_schema_len;

struct parse_ctx {
	const char *file;
	struct ge_facility *fac;
};

/* libxml2 reports through this: parse and validity errors alike. */
static void xml_error(void *data, xmlErrorPtr err)
{
	const char *file = data;
	char msg[512];
	size_t len;

	if (!err || err->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "error");
	len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	if (err->domain == XML_FROM_RELAXNGV)
		ge_error(file, err->line, "does not follow the facility schema: %s",
			 msg);
	else
		ge_error(file, err->line, "malformed XML: %s", msg);
}

static xmlRelaxNGPtr schema(void)
{
	static xmlRelaxNGPtr rng;
	xmlRelaxNGParserCtxtPtr pctx;

	if (rng)
		return rng;
	pctx = xmlRelaxNGNewMemParserCtxt(ge_schema, (int)ge_schema_len);
	if (pctx) {
		rng = xmlRelaxNGParse(pctx);
		xmlRelaxNGFreeParserCtxt(pctx);
	}
	if (!rng) {
		fprintf(stderr, "genevent: internal error: the built-in facility schema does not compile\n");
		exit(2);
	}
	return rng;
}

static bool is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static int line_of(xmlNodePtr n)
{
	return (int)xmlGetLineNo(n);
}

/*
 * An attribute as a malloc'd string, or NULL when absent.  Only what the
 * schema validated: xmlGetProp() would also return a default declared in
 * a DTD, which is not in the tree the schema sees.
 */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;
	xmlChar *v;
	char *s;

	for (a = n->properties; a; a = a->next)
		if (!a->ns && !strcmp((const char *)a->name, name))
			break;
	if (!a)
		return NULL;
	v = xmlNodeListGetString(n->doc, a->children, 1);
	s = ge_xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

/* Text with runs of white space folded to one space, trimmed. */
static char *text_of(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *p = v ? (const char *)v : "";
	char *out = ge_xmalloc(strlen(p) + 1), *o = out;
	bool space = false;

	for (; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = '\0';
	xmlFree(v);
	return out;
}

static int parse_value(struct parse_ctx *c, int line, const char *what,
		       const char *s, struct ge_value *v)
{
	const char *p = s;
	unsigned int base = 10;
	uint64_t mag = 0;

	v->neg = *p == '-';
	if (v->neg)
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			d = 99;
		if (d >= base) {
			ge_error(c->file, line, "%s '%s' is not a number", what, s);
			return -1;
		}
		if (mag > (UINT64_MAX - d) / base) {
			ge_error(c->file, line, "%s '%s' does not fit in 64 bits",
				 what, s);
			return -1;
		}
		mag = mag * base + d;
	}
	v->mag = mag;
	if (!mag)
		v->neg = false;
	return 0;
}

static bool int_type(const char *s, struct ge_int *t)
{
	static const char *const names[] = {
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			t->bits = 8u << (i % 4);
			t->is_signed = i >= 4;
			return true;
		}
	}
	return false;
}

static void parse_enum(struct parse_ctx *c, xmlNodePtr n, struct ge_enum *e)
{
	char *type = attr(n, "type");
	xmlNodePtr k;

	e->name = attr(n, "name");
	e->line = line_of(n);
	int_type(type ? type : "", &e->base);
	free(type);
	for (k = n->children; k; k = k->next) {
		struct ge_enum_value *v;
		char *value;

		if (is_element(k, "description")) {
			e->description = text_of(k);
			continue;
		}
		if (!is_element(k, "value"))
			continue;
		v = GE_APPEND(e->values, e->nr_values);
		v->name = attr(k, "name");
		v->line = line_of(k);
		value = attr(k, "value");
		parse_value(c, v->line, "enum value", value ? value : "", &v->value);
		free(value);
	}
}

static const struct ge_enum *find_enum(const struct ge_facility *fac,
				       const char *name)
{
	size_t i;

	for (i = 0; i < fac->nr_enums; i++)
		if (!strcmp(fac->enums[i].name, name))
			return &fac->enums[i];
	return NULL;
}

/* An xsd:boolean attribute (NULL: absent): true, false, 1 or 0, white
 * space around allowed (the schema checked it).  Trims s in place. */
static bool xsd_true(char *s)
{
	char *v;

	if (!s)
		return false;
	v = s + strspn(s, " \t\r\n");
	v[strcspn(v, " \t\r\n")] = '\0';
	return !strcmp(v, "true") || !strcmp(v, "1");
}

static void parse_field(struct parse_ctx *c, xmlNodePtr n, struct ge_field *f)
{
	char *type = attr(n, "type"), *length = attr(n, "length");
	char *base = attr(n, "base"), *bits = attr(n, "bits");
	char *saturate = attr(n, "saturate"), *domain = attr(n, "domain");
	xmlNodePtr k;

	f->name = attr(n, "name");
	f->line = line_of(n);
	f->length_field = attr(n, "length-field");
	f->length_index = -1;
	f->hex = base && !strcmp(base, "hex");
	if (int_type(type, &f->integer)) {
		f->kind = GE_FIELD_INT;
	} else if (!strcmp(type, "string")) {
		f->kind = GE_FIELD_STRING;
	} else if ((f->enumeration = find_enum(c->fac, type))) {
		f->kind = GE_FIELD_ENUM;
		f->integer = f->enumeration->base;
	} else {
		ge_error(c->file, f->line,
			 "field '%s': unknown type '%s' (expected u8..u64, s8..s64, string, or an enum of facility '%s')",
			 f->name, type, c->fac->name);
		f->kind = GE_FIELD_INT;
		f->integer.bits = 32;
	}
	if (length) {
		struct ge_value v;

		f->shape = GE_SHAPE_ARRAY;
		if (!parse_value(c, f->line, "array length", length, &v)) {
			if (v.mag > 256)
				ge_error(c->file, f->line,
					 "field '%s': array length %llu is more than 256",
					 f->name, (unsigned long long)v.mag);
			else
				f->length = (unsigned int)v.mag;
		}
	} else if (f->length_field) {
		f->shape = GE_SHAPE_SEQUENCE;
	}
	if (bits) {
		struct ge_value v;

		/* check.c says whether N suits the field; here only a number */
		if (!parse_value(c, f->line, "bits", bits, &v)) {
			f->has_bits = true;
			f->packed_bits = v.neg || v.mag > 1000 ?
					 1000 : (unsigned int)v.mag;
		}
	}
	f->saturate = xsd_true(saturate);
	f->domain = xsd_true(domain);
	if (f->shape != GE_SHAPE_SCALAR && f->kind == GE_FIELD_STRING)
		ge_error(c->file, f->line,
			 "field '%s': arrays of strings are not supported", f->name);
	for (k = n->children; k; k = k->next)
		if (is_element(k, "description"))
			f->description = text_of(k);
	free(type);
	free(length);
	free(base);
	free(bits);
	free(saturate);
	free(domain);
}

static void parse_unpack(struct parse_ctx *c, xmlNodePtr n, struct ge_unpack *u)
{
	char *from = attr(n, "from"), *s;
	struct ge_value v;

	u->field_name = attr(n, "field");
	u->field = -1;
	u->line = line_of(n);
	u->from = GE_FROM_DATA;
	if (from && !strcmp(from, "id"))
		u->from = GE_FROM_ID;
	else if (from && !strcmp(from, "const"))
		u->from = GE_FROM_CONST;
	free(from);

	if ((s = attr(n, "word"))) {
		u->has_word = !parse_value(c, u->line, "word", s, &v);
		if (u->has_word && v.mag >= GE_XT_MAX_WORDS) {
			ge_error(c->file, u->line,
				 "unpack of '%s': word %llu is past the %d data words of a xentrace record",
				 u->field_name, (unsigned long long)v.mag,
				 GE_XT_MAX_WORDS);
			v.mag = 0;
		}
		u->bit = 32 * (unsigned int)(u->has_word ? v.mag : 0);
		free(s);
	}
	if ((s = attr(n, "shift"))) {
		u->has_shift = !parse_value(c, u->line, "shift", s, &v);
		if (u->has_shift && v.mag >= 32) {
			ge_error(c->file, u->line,
				 "unpack of '%s': shift %llu is not a bit of a 32-bit word",
				 u->field_name, (unsigned long long)v.mag);
			v.mag = 0;
		}
		u->bit += (unsigned int)(u->has_shift ? v.mag : 0);
		free(s);
	}
	if ((s = attr(n, "width"))) {
		u->has_width = !parse_value(c, u->line, "width", s, &v);
		if (u->has_width && v.mag > 64) {
			ge_error(c->file, u->line,
				 "unpack of '%s': width %llu is more than 64 bits",
				 u->field_name, (unsigned long long)v.mag);
			v.mag = 64;
		}
		u->width = (unsigned int)(u->has_width ? v.mag : 0);
		free(s);
	}
	if ((s = attr(n, "value"))) {
		u->has_value = !parse_value(c, u->line, "value", s, &u->value);
		free(s);
	}
}

static void parse_xentrace(struct parse_ctx *c, xmlNodePtr n,
			   struct ge_xentrace *x)
{
	char *id = attr(n, "id"), *mask = attr(n, "id-mask");
	struct ge_value v;
	xmlNodePtr k;

	x->name = attr(n, "name");
	x->line = line_of(n);
	if (!parse_value(c, x->line, "xentrace id", id, &v)) {
		if (v.neg || v.mag > 0x0fffffff)
			ge_error(c->file, x->line,
				 "xentrace id %s is not a 28-bit event number", id);
		x->id = (uint32_t)v.mag;
	}
	if (mask && !parse_value(c, x->line, "id-mask", mask, &v)) {
		if (v.neg || v.mag > 0x0fffffff)
			ge_error(c->file, x->line,
				 "id-mask %s is not a 28-bit mask", mask);
		x->mask = (uint32_t)v.mag;
	}
	free(id);
	free(mask);
	for (k = n->children; k; k = k->next) {
		if (!is_element(k, "unpack"))
			continue;
		parse_unpack(c, k, GE_APPEND(x->unpacks, x->nr_unpacks));
	}
}

static void parse_event(struct parse_ctx *c, xmlNodePtr n, struct ge_event *e)
{
	char *frequent = attr(n, "frequent");
	xmlNodePtr k;

	e->name = attr(n, "name");
	e->line = line_of(n);
	e->frequent = xsd_true(frequent);
	free(frequent);
	for (k = n->children; k; k = k->next) {
		if (is_element(k, "description")) {
			e->description = text_of(k);
		} else if (is_element(k, "field")) {
			parse_field(c, k, GE_APPEND(e->fields, e->nr_fields));
		} else if (is_element(k, "xentrace")) {
			parse_xentrace(c, k,
				       GE_APPEND(e->xentrace, e->nr_xentrace));
		}
	}
}

static void parse_facility(struct parse_ctx *c, xmlNodePtr root)
{
	struct ge_facility *fac = c->fac;
	xmlNodePtr k;

	fac->name = attr(root, "name");
	fac->line = line_of(root);
	for (k = root->children; k; k = k->next) {
		if (is_element(k, "description")) {
			fac->description = text_of(k);
		} else if (is_element(k, "enum")) {
			parse_enum(c, k, GE_APPEND(fac->enums, fac->nr_enums));
		} else if (is_element(k, "event")) {
			parse_event(c, k, GE_APPEND(fac->events, fac->nr_events));
		}
	}
}

/* A zeroed facility in the list of its side (attribute side, default
 * "hypervisor"). */
static struct ge_facility *new_facility(struct ge_model *model,
					xmlNodePtr root)
{
	char *side = attr(root, "side");
	bool guest = side && !strcmp(side, "guest");
	struct ge_facility **list = guest ? &model->guest_facilities :
					    &model->facilities;
	size_t *nr = guest ? &model->nr_guest_facilities :
			     &model->nr_facilities;
	struct ge_facility *fac;

	free(side);
	fac = GE_APPEND(*list, *nr);
	fac->guest = guest;
	return fac;
}

/* before: ge_errors ahead of the XML parse, which may have reported already. */
static int parse_doc(struct ge_model *model, const char *file, xmlDocPtr doc,
		     int before)
{
	struct parse_ctx c = { .file = file };
	xmlRelaxNGValidCtxtPtr vctx;
	int valid;

	if (!doc) {
		if (ge_errors == before)
			ge_error(file, 0, "cannot read the file: not well-formed XML");
		return -1;
	}
	vctx = xmlRelaxNGNewValidCtxt(schema());
	xmlRelaxNGSetValidStructuredErrors(vctx, xml_error, (void *)file);
	valid = xmlRelaxNGValidateDoc(vctx, doc);
	xmlRelaxNGFreeValidCtxt(vctx);
	if (valid != 0) {
		if (ge_errors == before)
			ge_error(file, 0, "does not follow the facility schema");
		xmlFreeDoc(doc);
		return -1;
	}

	c.fac = new_facility(model, xmlDocGetRootElement(doc));
	c.fac->file = ge_xstrdup(file);
	parse_facility(&c, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	return ge_errors == before ? 0 : -1;
}

#define GE_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

int ge_parse_file(struct ge_model *model, const char *file)
{
	xmlDocPtr doc;
	int before = ge_errors;
	FILE *f = fopen(file, "r");

	if (!f) {
		ge_error(file, 0, "cannot open the facility file: %s",
			 strerror(errno));
		return -1;
	}
	fclose(f);
	xmlSetStructuredErrorFunc((void *)file, xml_error);
	doc = xmlReadFile(file, NULL, GE_XML_OPTIONS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	return parse_doc(model, file, doc, before);
}

int ge_parse_memory(struct ge_model *model, const char *name,
		    const char *buf, size_t len)
{
	xmlDocPtr doc;
	int before = ge_errors;

	if (len > 1 << 24) {
		ge_error(name, 0, "facility file larger than 16 MiB");
		return -1;
	}
	xmlSetStructuredErrorFunc((void *)name, xml_error);
	doc = xmlReadMemory(buf, (int)len, name, NULL, GE_XML_OPTIONS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	return parse_doc(model, name, doc, before);
}
