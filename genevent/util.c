// SPDX-License-Identifier: GPL-2.0-only
/* util.c: diagnostics and the small helpers every part of genevent uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int ge_errors;
bool ge_quiet;

void ge_error(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	ge_errors++;
	if (ge_quiet)
		return;
	if (line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void out_of_memory(void)
{
	fprintf(stderr, "genevent: out of memory\n");
	exit(2);
}

void *ge_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *ge_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

/* array (nr elements of size bytes) with one more, zeroed, at its end. */
void *ge_grow(void *array, size_t nr, size_t size)
{
	char *p = ge_xrealloc(array, (nr + 1) * size);

	memset(p + nr * size, 0, size);
	return p;
}

char *ge_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		out_of_memory();
	return p;
}

/* Bits one element of the field takes in a record (0 for a string). */
unsigned int ge_field_bits(const struct ge_field *field)
{
	if (field->kind == GE_FIELD_STRING)
		return 0;
	return field->packed_bits ? field->packed_bits : field->integer.bits;
}

/* Bytes of the field's type in C (its tracepoint argument). */
unsigned int ge_field_bytes(const struct ge_field *field)
{
	return field->kind == GE_FIELD_STRING ? 0 : field->integer.bits / 8;
}

const char *ge_c_int_type(struct ge_int integer)
{
	switch (integer.bits) {
	case 8:
		return integer.is_signed ? "int8_t" : "uint8_t";
	case 16:
		return integer.is_signed ? "int16_t" : "uint16_t";
	case 32:
		return integer.is_signed ? "int32_t" : "uint32_t";
	default:
		return integer.is_signed ? "int64_t" : "uint64_t";
	}
}

/* Bytes of the payload without its strings and variable-length arrays. */
unsigned int ge_event_fixed_size(const struct ge_event *ev)
{
	unsigned int size = 0;
	size_t i;

	for (i = 0; i < ev->nr_fields; i++) {
		const struct ge_field *f = &ev->fields[i];

		if (f->kind == GE_FIELD_STRING || f->shape == GE_SHAPE_SEQUENCE)
			continue;
		size += ge_field_bits(f) *
			(f->shape == GE_SHAPE_ARRAY ? f->length : 1);
	}
	return size / 8;	/* check.c: bit-field runs fill whole bytes */
}

static int cmp_xt(const void *a, const void *b)
{
	const struct ge_xentrace *x = ((const struct ge_xt_entry *)a)->x;
	const struct ge_xentrace *y = ((const struct ge_xt_entry *)b)->x;

	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Every <xentrace> of the model in lookup order: by id-mask, then by id.
 * *out is malloc'ed (NULL when there are none); returns the count.
 */
size_t ge_xentrace_sorted(const struct ge_model *m, struct ge_xt_entry **out)
{
	struct ge_xt_entry *e = NULL;
	size_t n = 0, i, j;

	for (i = 0; i < m->nr_events; i++)
		for (j = 0; j < m->events[i]->nr_xentrace; j++) {
			e = ge_xrealloc(e, (n + 1) * sizeof(*e));
			e[n].ev = m->events[i];
			e[n++].x = &m->events[i]->xentrace[j];
		}
	if (n)
		qsort(e, n, sizeof(*e), cmp_xt);
	*out = e;
	return n;
}
