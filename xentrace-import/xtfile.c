// SPDX-License-Identifier: GPL-2.0-only
/*
 * xtfile.c: reading the file xentrace writes.  It has no header: for each
 * window of one CPU's buffer that xentrace copied out, a 12-byte CPU
 * change record (TRC_TRACE_CPU_CHANGE, data: int cpu, unsigned
 * window_size) and then window_size bytes of that CPU's raw records,
 * host byte order (little-endian: x86 and Arm).  A record is a u32 header
 * (bits 0-27 event id, 28-30 number of u32 data words, 31 TSC present),
 * the TSC (u64) if present, then the data words.  Xen pads the end of its
 * buffer with TRC_TRACE_WRAP_BUFFER records, so records never cross a
 * window's end.
 *
 * Everything that does not fit this is reported with the byte offset of
 * the record (or CPU change record) at fault, and nothing after it is
 * read: a file cut short, a window that runs past the end of the file, a
 * record that runs past the end of its window (a bogus extra-word count
 * or window size), a CPU change record that is malformed or names a CPU
 * that cannot exist, a TSC too large for any trace reader.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void xt_reader_init(struct xt_reader *r, const void *data, uint64_t size,
		    unsigned int max_cpus, uint64_t max_tsc)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->size = size;
	r->max_cpus = max_cpus;
	r->max_tsc = max_tsc;
}

static int fail(struct xt_reader *r, uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct xt_reader *r, uint64_t at, const char *fmt, ...)
{
	va_list ap;

	r->err_offset = at;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* what, at byte at, runs past the end of the file. */
static int cut_short(struct xt_reader *r, uint64_t at, const char *what)
{
	return fail(r, at,
		    "%s is cut short: the file ends at byte %" PRIu64
		    " (truncated file)",
		    what, r->size);
}

/* The CPU change record at r->off starts the next window. */
static int read_cpu_change(struct xt_reader *r)
{
	uint64_t at = r->off, left = r->size - at;
	uint32_t hdr, window;
	int32_t cpu;

	if (left < 4)
		return cut_short(r, at, "a CPU change record's header");
	hdr = get32(r->data + at);
	if ((hdr & XT_EVENT_MASK) != XT_CPU_CHANGE)
		return fail(r, at,
			    "expected a CPU change record (event 0x%07x), "
			    "which every window of records starts with, found "
			    "header 0x%08" PRIx32 " (not a xentrace file, or "
			    "the previous window's size is wrong)",
			    XT_CPU_CHANGE, hdr);
	if (hdr != XT_CPU_CHANGE_HDR)
		return fail(r, at,
			    "malformed CPU change record: header 0x%08" PRIx32
			    ", expected 0x%08x (2 data words, no TSC)",
			    hdr, XT_CPU_CHANGE_HDR);
	if (left < XT_CPU_CHANGE_SIZE)
		return cut_short(r, at, "the CPU change record");
	cpu = (int32_t)get32(r->data + at + 4);
	window = get32(r->data + at + 8);
	if (cpu < 0 || (uint32_t)cpu >= r->max_cpus)
		return fail(r, at,
			    "CPU change to CPU %" PRId32 ", which cannot exist "
			    "(CPUs are 0 to %u)",
			    cpu, r->max_cpus - 1);
	if (window == 0 || window % 4)
		return fail(
			r, at,
			"the CPU change record announces a window of %" PRIu32
			" bytes, not a positive multiple of 4",
			window);
	r->in_window = 1;
	r->window_no++;
	r->window_at = at;
	r->window_end = at + XT_CPU_CHANGE_SIZE + window;
	r->cpu = (uint32_t)cpu;
	r->off = at + XT_CPU_CHANGE_SIZE;
	return 0;
}

/* Where the current window was announced, for messages. */
#define WINDOW_FMT                                                  \
	"the window of CPU %" PRIu32 " that the CPU change record " \
	"at byte %" PRIu64 " announces up to byte %" PRIu64
#define WINDOW_ARGS(r) (r)->cpu, (r)->window_at, (r)->window_end

static int read_record(struct xt_reader *r, struct xt_record *rec)
{
	uint64_t at = r->off, left = r->size - at;
	uint32_t hdr;
	unsigned int i, need;

	if (left == 0)
		return fail(r, at,
			    "the file ends inside " WINDOW_FMT
			    " (truncated file)",
			    WINDOW_ARGS(r));
	if (left < 4)
		return cut_short(r, at, "a record header");
	hdr = get32(r->data + at);
	rec->offset = at;
	rec->cpu = r->cpu;
	rec->event = hdr & XT_EVENT_MASK;
	rec->nr_words = (hdr >> XT_EXTRA_SHIFT) & XT_EXTRA_MAX;
	rec->has_tsc = !!(hdr & XT_TSC_BIT);
	need = 4 + (rec->has_tsc ? 8 : 0) + 4 * rec->nr_words;
	if (rec->event == XT_CPU_CHANGE)
		return fail(r, at,
			    "a CPU change record inside " WINDOW_FMT
			    " (the window size is wrong)",
			    WINDOW_ARGS(r));
	if (need > r->window_end - at)
		return fail(
			r, at,
			"the record (event 0x%07" PRIx32 ", %u data words%s: "
			"%u bytes) runs past the end of " WINDOW_FMT
			" (bogus extra-word count or window size)",
			rec->event, rec->nr_words,
			rec->has_tsc ? " and a TSC" : "", need, WINDOW_ARGS(r));
	if (need > left)
		return fail(r, at,
			    "the record's %s cut short (event 0x%07" PRIx32
			    ", %u bytes): the file ends at byte %" PRIu64
			    " (truncated file)",
			    rec->has_tsc && left < 12 ? "TSC is"
						      : "data words are",
			    rec->event, need, r->size);
	if (rec->has_tsc)
		rec->tsc = (uint64_t)get32(r->data + at + 4) |
			   (uint64_t)get32(r->data + at + 8) << 32;
	if (rec->has_tsc && rec->tsc > r->max_tsc)
		return fail(r, at,
			    "the record's TSC, %" PRIu64 ", is past the year "
			    "2262 at this clock rate and offset (corrupt "
			    "record, or a wrong --tsc-hz)",
			    rec->tsc);
	for (i = 0; i < rec->nr_words; i++)
		rec->words[i] =
			get32(r->data + at + need - 4 * (rec->nr_words - i));
	r->off = at + need;
	return 0;
}

/* The next record: 1, or 0 at the end of the file, or -1 with r->err and
 * r->err_offset set (and nothing more to read). */
int xt_next(struct xt_reader *r, struct xt_record *rec)
{
	if (r->err[0])
		return -1;
	while (!r->in_window || r->off == r->window_end) {
		r->in_window = 0;
		if (r->off == r->size)
			return 0;
		if (read_cpu_change(r))
			return -1;
	}
	return read_record(r, rec) ? -1 : 1;
}

/*
 * Records without a TSC that follow in the current window, up to the
 * next one with a TSC (whose TSC goes to *next_tsc, *next_has_tsc = 1),
 * the window's end or anything unreadable.
 */
unsigned int xt_untimed_run(const struct xt_reader *r, int *next_has_tsc,
			    uint64_t *next_tsc)
{
	struct xt_reader ahead = *r;
	struct xt_record rec;
	unsigned int n = 0;

	*next_has_tsc = 0;
	while (ahead.in_window && ahead.off < ahead.window_end &&
	       xt_next(&ahead, &rec) == 1) {
		if (rec.has_tsc) {
			*next_has_tsc = 1;
			*next_tsc = rec.tsc;
			break;
		}
		n++;
	}
	return n;
}
