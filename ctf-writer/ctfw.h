/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ctfw.h: ctf-writer, the library that writes an lttng-xen trace
 * directory as lttd-xen does: DIR/metadata (ctf/stream-header.tsdl.in
 * filled in, then genevent's event declarations, both built in) and one
 * stream file per CPU, DIR/channel0_CPU, a sequence of whole packets; and
 * the messages of the programs that write one.  Used by lttd-xen,
 * lttng-xen-import, the tests and the benchmark (README.md here).
 *
 *   log.c       messages: "PROGRAM: what, where, why" on stderr, the
 *               results on stdout, and a log file in the trace directory
 *   metadata.c  DIR/metadata: the template filled in, the clock placed on
 *               the Unix epoch, an existing one read back
 *   stream.c    one stream file: open (only a file ctf-writer created),
 *               recovery after a crash, append a packet, cut back, close
 *
 * Functions that can fail print their own message and return -1.
 */
#ifndef CTFW_H
#define CTFW_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* log.c */

/* The program named in every message ("lttd-xen: cannot write ..."). */
extern const char *ctfw_prog;
/* Notes and results are not shown (errors always are). */
extern int ctfw_quiet;

/* An error: what failed, where, why.  Always shown. */
void ctfw_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Something the user should know that is not an error. */
void ctfw_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A result (stdout). */
void ctfw_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A bad command line: what is wrong, where the help is; exits 2. */
void ctfw_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
/*
 * Also append every message, time-stamped, to DIR/name (a daemon's log).
 * -1 (reported) when name is a symbolic link, a hard link or not a plain
 * file; any other failure is a note, and messages go to stderr only.
 */
int ctfw_log_open(int dir_fd, const char *dir, const char *name);

/* metadata.c */

struct ctfw_metadata {
	uint8_t trace_uuid[16];
	char clock_uuid[37]; /* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
	char hostname[64];
	uint64_t freq;	  /* clock ticks per second */
	int64_t offset_s; /* Unix time of tick 0: seconds ... */
	uint64_t offset;  /* ... and ticks below one second */
	/* How far off offset may be, in ns; 0: not measured here (written
	 * as precision = 1 tick, with no env.clock_offset_uncertainty_ns). */
	uint64_t offset_uncertainty_ns;
	/* The event declarations; NULL: those this program was built with. */
	const char *events;
	size_t events_len;
};

/* m for a trace: clock uuid = trace uuid, this host's name, offset 0. */
void ctfw_metadata_init(struct ctfw_metadata *m, const uint8_t trace_uuid[16],
			uint64_t freq);
/* Write DIR/metadata for m, atomically (DIR/.metadata.tmp, renamed). */
int ctfw_metadata_write(int dir_fd, const char *dir,
			const struct ctfw_metadata *m);
/* The same, for a directory given by name only. */
int ctfw_metadata_write_dir(const char *dir, const struct ctfw_metadata *m);
/*
 * Read DIR/metadata (a plain file: a link or a FIFO is refused).  1:
 * *text holds it (malloc'd, NUL-terminated, *len bytes); 0: there is
 * none; -1: error (reported).
 */
int ctfw_metadata_read(int dir_fd, const char *dir, char **text, size_t *len);
/* The trace uuid declared in a metadata text: 0, or -1 if it has none. */
int ctfw_metadata_trace_uuid(const char *text, char out[37]);
/* Does a metadata text declare the events this program was built with? */
int ctfw_metadata_same_events(const char *text, size_t len);

void ctfw_uuid_format(const uint8_t uuid[16], char out[37]);
/* Unix time in ns of tick 0 of this host's TSC, counting hz ticks per
 * second, and how far off it may be (ns; uncertainty_ns may be NULL);
 * -1 if the TSC counts more time than CLOCK_REALTIME. */
int ctfw_clock_origin(uint64_t hz, int64_t *origin_ns,
		      uint64_t *uncertainty_ns);
/* m's offset uncertainty in clock ticks, rounded up, at least 1. */
uint64_t ctfw_clock_precision(const struct ctfw_metadata *m);
/* m's offset fields for tick 0 at Unix time origin_ns (>= 0). */
void ctfw_clock_offset(struct ctfw_metadata *m, int64_t origin_ns);
/* This host's name, made safe for a CTF string. */
void ctfw_hostname(char *out, size_t len);
/* This boot's id (the TSC restarts exactly with it); else trace_uuid. */
void ctfw_clock_uuid(const uint8_t trace_uuid[16], char out[37]);

/* stream.c */

/* The packet fields a writer reads (ringbuffer/client-ctf.h layout). */
struct ctfw_packet {
	uint32_t magic;
	uint8_t uuid[16];
	uint64_t content_size; /* bits */
	uint64_t packet_size;  /* bits */
	uint64_t seq;
	uint64_t discarded;
	uint32_t cpu;
};
void ctfw_packet_parse(const uint8_t *hdr, struct ctfw_packet *p);
/* NULL when the header describes a packet of this trace and CPU no
 * larger than max_bytes, else why not. */
const char *ctfw_packet_check(const struct ctfw_packet *p,
			      const uint8_t uuid[16], uint32_t cpu,
			      uint64_t max_bytes);

/* One CPU's stream file. */
struct ctfw_stream {
	char path[4096]; /* DIR/channel0_N, as messages show it */
	char name[32];	 /* channel0_N, relative to the directory */
	int fd;
	uint32_t cpu;
	uint64_t size;	   /* end of the last complete packet */
	int have_seq;	   /* the file holds at least one packet */
	uint64_t last_seq; /* packet_seq_num of its last packet */
	uint64_t lost;	   /* events_discarded of its last packet */
	uint64_t packets;  /* written since it was opened */
	uint64_t bytes;
};

/*
 * Open (or create) DIR/channel0_cpu and cut an existing one back to its
 * last complete packet (ctfw_stream_recover).  Refuses a symbolic link,
 * a hard link, anything but a plain file, and a file that does not
 * start with a packet of trace uuid and this CPU.
 */
int ctfw_stream_open(struct ctfw_stream *s, int dir_fd, const char *dir,
		     uint32_t cpu, const uint8_t uuid[16]);
int ctfw_stream_recover(struct ctfw_stream *s, const uint8_t uuid[16]);
/* Append one complete packet; on a failed write, cut back to the last. */
int ctfw_stream_append(struct ctfw_stream *s, const uint8_t *pkt, size_t len);
/* Flush to disk and close. */
int ctfw_stream_close(struct ctfw_stream *s);
/* Is the packet with this sequence number already in the file? */
int ctfw_stream_is_written(const struct ctfw_stream *s, uint64_t seq);
/* Does the directory hold a stream file?  Its name goes to name. */
int ctfw_dir_holds_streams(int dir_fd, char *name, size_t len);

#endif /* CTFW_H */
