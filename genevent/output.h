/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * output.h: generated files are built in memory and written only when
 * every back end succeeded, so a failed run leaves OUTDIR untouched.
 */
#ifndef GENEVENT_OUTPUT_H
#define GENEVENT_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct ge_buf {
	char *data;
	size_t len, cap;
};

void ge_printf(struct ge_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct ge_output {
	char *path;		/* relative to OUTDIR */
	struct ge_buf buf;
};

struct ge_outputs {
	struct ge_output **files;
	size_t nr;
};

/* A new, empty file of the output set; the pointer stays valid. */
struct ge_buf *ge_output_new(struct ge_outputs *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write every file below outdir, all or nothing; 0 or -1 (reported). */
int ge_outputs_write(const struct ge_outputs *o, const char *outdir);
void ge_outputs_free(struct ge_outputs *o);

/* The back ends: each adds its files to the set. */
/* gen-ctf.c returns the FNV-1a 64 hash of the metadata it wrote, which
 * gen-xen.c publishes so a consumer can tell it has the same events. */
uint64_t ge_gen_ctf(const struct ge_model *m, struct ge_outputs *o);
void ge_gen_xen(const struct ge_model *m, struct ge_outputs *o,
		uint64_t metadata_hash);
void ge_gen_doc(const struct ge_model *m, struct ge_outputs *o);
/* gen-remap.c, called by ge_gen_xen(): the xentrace remap. */
void ge_gen_remap(const struct ge_model *m, struct ge_outputs *o);
/* gen-json.c: the whole model, for the tools that are not C. */
void ge_gen_json(const struct ge_model *m, struct ge_outputs *o,
		 uint64_t metadata_hash);

/* gen-ctf.c: the TSDL type of one field, without its name. */
void ge_ctf_field_type(struct ge_buf *b, const struct ge_event *ev,
		       const struct ge_field *f, bool one_line);

/*
 * gen-xen.c: the LTTNG_XEN_EVENT_<FACILITY>_<EVENT> macro of an event, and
 * the two parts of the code that records it: its local variables, then
 * the code that fills its payload from one C expression per field (a
 * scalar's value; the address of an array's or a sequence's elements; a
 * string) and records it.  The tracepoints and the remap share them.
 */
void ge_event_macro(char *dst, size_t size, const struct ge_event *ev);
void ge_xen_record_decls(struct ge_buf *b, const struct ge_event *ev);
void ge_xen_record_code(struct ge_buf *b, const struct ge_event *ev,
			const char *const *values);
/* gen-linux.c: the guest facilities' TRACE_EVENT and LTTng headers. */
void ge_gen_linux(const struct ge_model *m, struct ge_outputs *o);

/* text as a C block comment, each line after indent (the back ends'). */
void ge_comment(struct ge_buf *b, const char *indent, const char *text);

/* "sched" -> "SCHED" into a static buffer of the caller's. */
void ge_upper(char *dst, size_t size, const char *src);

#endif /* GENEVENT_OUTPUT_H */
