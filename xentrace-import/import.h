/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * import.h: the pieces of lttng-xen-import, which converts a xentrace
 * file into a CTF trace (README.md in this folder), and what each one
 * offers the others.
 *
 *   xtfile.c   reading the xentrace file: CPU windows and records, with
 *              the byte offset of whatever is wrong
 *   convert.c  records -> typed events, through the hypervisor's xentrace
 *              remap table and ring buffer, one per CPU; packets -> the
 *              stream files
 *   main.c     options, --help, the output directory, metadata, progress,
 *              the summary, exit codes
 *
 * Messages, stream files and the metadata are ctf-writer's (ctfw.h): the
 * trace on disk is lttd-xen's format, written by the same code.
 */
#ifndef XT_IMPORT_H
#define XT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <lttng-xen/abi.h>

#define XI_NAME "lttng-xen-import"

/* xentrace's record header (Xen's public/trace.h, struct t_rec). */
#define XT_EVENT_MASK	0x0fffffffU
#define XT_EXTRA_SHIFT	28
#define XT_EXTRA_MAX	7
#define XT_TSC_BIT	0x80000000U
#define XT_LOST_RECORDS 0x0001f001U
#define XT_CPU_CHANGE	0x0001f003U
/* xentrace writes its CPU change records with 2 data words, no TSC. */
#define XT_CPU_CHANGE_HDR  (XT_CPU_CHANGE | 2U << XT_EXTRA_SHIFT)
#define XT_CPU_CHANGE_SIZE 12

/* One record of the file. */
struct xt_record {
	uint64_t offset; /* of its header, in the file */
	uint32_t cpu;
	uint32_t event; /* header bits 0-27 */
	unsigned int nr_words;
	int has_tsc;
	uint64_t tsc;
	uint32_t words[XT_EXTRA_MAX];
};

/* Reading a file mapped in memory. */
struct xt_reader {
	const uint8_t *data;
	uint64_t size;
	uint64_t off;	       /* next byte to read */
	unsigned int max_cpus; /* a CPU number at or above: corrupt */
	uint64_t max_tsc;      /* a TSC above: corrupt */
	int in_window;
	uint64_t window_no; /* windows begun so far */
	uint64_t window_at; /* its CPU change record */
	uint64_t window_end;
	uint32_t cpu;
	/* After xt_next() returned -1: where and what. */
	uint64_t err_offset;
	char err[256];
};

/* xtfile.c */
void xt_reader_init(struct xt_reader *r, const void *data, uint64_t size,
		    unsigned int max_cpus, uint64_t max_tsc);
int xt_next(struct xt_reader *r, struct xt_record *rec);
unsigned int xt_untimed_run(const struct xt_reader *r, int *next_has_tsc,
			    uint64_t *next_tsc);

/* convert.c */
struct xi_options {
	uint32_t subbuf_size;
};

struct xi_cpu_stats {
	uint64_t records;
	uint64_t untimed;
	uint64_t lost; /* records TRC_LOST_RECORDS says were dropped */
	uint64_t unknown;
	uint64_t backwards; /* TSC below an earlier one: time kept monotonic */
	uint64_t packets;
	uint64_t bytes;
};

int convert_init(int dir_fd, const char *dir, const uint8_t uuid[16],
		 const struct xi_options *o);
int convert_record(const struct xt_record *rec, const struct xt_reader *r);
int convert_finish(void);
unsigned int convert_nr_cpus(void);
const struct xi_cpu_stats *convert_cpu_stats(unsigned int cpu);
/* Event ids the remap table has no event for: id and records, sorted
 * by count, at most max of them; returns how many distinct ids. */
struct xi_unknown {
	uint32_t event;
	uint64_t count;
};
unsigned int convert_unknown_ids(struct xi_unknown *out, unsigned int max);

#endif /* XT_IMPORT_H */
