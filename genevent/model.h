/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * genevent's model of the facility files: what the parser builds, what
 * check.c validates and numbers, and the only thing the back ends read.
 * A back end never looks at XML; adding one (a Linux TRACE_EVENT header,
 * say) means adding a gen-*.c that walks this model.
 */
#ifndef GENEVENT_MODEL_H
#define GENEVENT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GE_MAX_FIELDS		16	/* fields per event */
#define GE_MAX_FIXED_BYTES	512	/* fixed part of one record */
#define GE_MAX_FREQUENT		30	/* ids of the compact event header */
#define GE_XT_MAX_WORDS		7	/* u32 data words of a xentrace record */
#define GE_MAX_EVENTS		65535
#define GE_MAX_DOMAIN_FIELDS	4	/* LTTNG_XEN_MAX_DOMAIN_FIELDS */

/* A number as written in the XML: sign and magnitude. */
struct ge_value {
	bool neg;
	uint64_t mag;
};

struct ge_int {
	unsigned int bits;	/* 8, 16, 32 or 64 */
	bool is_signed;
};

struct ge_enum_value {
	char *name;
	struct ge_value value;
	int line;
};

struct ge_enum {
	char *name;
	char *description;	/* may be NULL */
	struct ge_int base;
	struct ge_enum_value *values;
	size_t nr_values;
	int line;
};

enum ge_field_kind {
	GE_FIELD_INT,
	GE_FIELD_ENUM,
	GE_FIELD_STRING,
};

enum ge_field_shape {
	GE_SHAPE_SCALAR,
	GE_SHAPE_ARRAY,		/* fixed length */
	GE_SHAPE_SEQUENCE,	/* length in another field */
};

struct ge_field {
	char *name;
	char *description;	/* may be NULL */
	int line;
	enum ge_field_kind kind;
	struct ge_int integer;	/* INT, and the base type of ENUM */
	const struct ge_enum *enumeration;	/* ENUM only */
	enum ge_field_shape shape;
	unsigned int length;	/* ARRAY: element count */
	char *length_field;	/* SEQUENCE: name as written */
	int length_index;	/* SEQUENCE: resolved field index */
	bool is_length;		/* some SEQUENCE's length field */
	bool hex;
	/*
	 * bits="N": the value is stored in N bits, packed with its bit-field
	 * neighbours (0: the type's whole width, byte-aligned).
	 */
	unsigned int packed_bits;
	bool has_bits;		/* bits= was given (check.c validates it) */
	/*
	 * saturate="true" (a bit field, unsigned): a value that does not fit
	 * in packed_bits is recorded as all ones, not as its low bits.
	 */
	bool saturate;
	/*
	 * domain="true": the field holds a domain id.  Xen's domain filter
	 * (lttctl-xen create --domains) keeps an event that names a
	 * selected domain there, whichever domain runs; check.c allows it
	 * on an unsigned integer scalar at a fixed byte offset only.
	 */
	bool domain;
	unsigned int domain_offset;	/* bytes from the payload's start */
};

enum ge_unpack_from {
	GE_FROM_DATA,
	GE_FROM_ID,
	GE_FROM_CONST,
	GE_FROM_COUNT,		/* length field: set from its sequence */
};

struct ge_unpack {
	char *field_name;
	int field;		/* resolved index */
	enum ge_unpack_from from;
	unsigned int bit;	/* word * 32 + shift */
	unsigned int width;	/* bits of one element */
	struct ge_value value;	/* CONST */
	bool has_word, has_shift, has_width, has_value;
	int line;
};

struct ge_xentrace {
	char *name;		/* TRC_* or NULL */
	uint32_t id;
	uint32_t mask;
	struct ge_unpack *unpacks;
	size_t nr_unpacks;
	int line;
};

struct ge_facility;

struct ge_event {
	char *name;
	char *description;
	bool frequent;
	struct ge_field *fields;
	size_t nr_fields;
	struct ge_xentrace *xentrace;
	size_t nr_xentrace;
	int line;
	unsigned int id;	/* assigned by ge_model_check() */
	const struct ge_facility *facility;
};

struct ge_facility {
	char *name;
	char *description;
	char *file;		/* as given on the command line */
	/*
	 * side="guest": emitted by the Linux guests (dom0, domU), not by
	 * Xen.  Such a facility is kept in ge_model.guest_facilities: the
	 * hypervisor's back ends never see it, its events get no
	 * hypervisor id, and only gen-linux.c writes code for it.
	 */
	bool guest;
	struct ge_enum *enums;
	size_t nr_enums;
	struct ge_event *events;
	size_t nr_events;
	int line;
};

struct ge_model {
	struct ge_facility *facilities;		/* the hypervisor's */
	size_t nr_facilities;
	struct ge_facility *guest_facilities;	/* side="guest" */
	size_t nr_guest_facilities;
	/* filled by ge_model_check(): every event, in id order */
	const struct ge_event **events;
	size_t nr_events;
};

/* diag.c: every message is "FILE:LINE: message" on stderr. */
extern int ge_errors;
extern bool ge_quiet;		/* count errors but print nothing (fuzzing) */
void ge_error(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* parse.c */
int ge_parse_file(struct ge_model *model, const char *file);
int ge_parse_memory(struct ge_model *model, const char *name,
		    const char *buf, size_t len);

/* check.c: validate across facilities, assign event ids; 0 or -1 */
int ge_model_check(struct ge_model *model);
void ge_model_free(struct ge_model *model);

/* helpers shared by the back ends */
unsigned int ge_field_bits(const struct ge_field *field);
unsigned int ge_field_bytes(const struct ge_field *field);
unsigned int ge_event_fixed_size(const struct ge_event *ev);

/* One <xentrace> and its event. */
struct ge_xt_entry {
	const struct ge_event *ev;
	const struct ge_xentrace *x;
};
size_t ge_xentrace_sorted(const struct ge_model *m, struct ge_xt_entry **out);
const char *ge_c_int_type(struct ge_int integer);
void *ge_xmalloc(size_t size);
void *ge_xrealloc(void *ptr, size_t size);
char *ge_xstrdup(const char *s);
void *ge_grow(void *array, size_t nr, size_t size);
/*
 * A new zeroed element at the end of array, whose count is nr: its
 * address (array and nr are evaluated more than once: plain lvalues).
 */
#define GE_APPEND(array, nr)                                              \
	((array) = ge_grow((array), (nr), sizeof(*(array))), &(array)[(nr)++])

#endif /* GENEVENT_MODEL_H */
