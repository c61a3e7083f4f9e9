/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lttd.h: the pieces of lttd-xen, the dom0 consumer daemon, and what each
 * one offers the others.  See README.md in this folder for the behaviour.
 *
 *   main.c      options, --help, the start-up sequence, exit codes
 *   log.c       messages: stderr, and DIR/.lttd-xen.log in daemon mode
 *   daemon.c    --daemon: fork, readiness pipe, pid file
 *   session.c   the producer: connection, GET_INFO checks, the main loop,
 *               the end of the trace
 *   consume.c   one CPU's buffer: map, drain (get, copy, write, put), flush
 *   stream.c    one CPU's stream file: open, recovery after a crash,
 *               append a packet, truncate back, close
 *   metadata.c  DIR/metadata: fill the template, the clock offset, check
 *               an existing one
 *   names.c     domain names (xenstore) recorded in the trace
 *
 * Functions that can fail print their own message (what, where, why) and
 * return -1; the caller only unwinds.
 */
#ifndef LTTD_H
#define LTTD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <lttng-xen/abi.h>
#include "transport.h"

#define LTTD_NAME "lttd-xen"
/* In the trace directory: hidden, or babeltrace2 reads it as a stream. */
#define LTTD_LOG_NAME ".lttd-xen.log"

/* Exit codes (see --help). */
#define LTTD_EXIT_OK	0
#define LTTD_EXIT_ERROR 1
#define LTTD_EXIT_USAGE 2

/* log.c; lttng-xen-import sets lttd_name to its own. */
extern const char *lttd_name;
extern int lttd_quiet;
int lttd_log_open(int dir_fd, const char *dir);
void lttd_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lttd_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lttd_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lttd_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* One CPU's stream file. */
struct lttd_stream {
	char path[4096]; /* DIR/channel0_N, as messages show it */
	char name[32];	 /* channel0_N, relative to the directory */
	int fd;
	uint32_t cpu;
	uint64_t size;	   /* end of the last complete packet */
	int have_seq;	   /* the file holds at least one packet */
	uint64_t last_seq; /* packet_seq_num of its last packet */
	uint64_t lost;	   /* events_discarded of its last packet */
	uint64_t packets;  /* written by this run */
	uint64_t bytes;
};

/* stream.c */
int stream_open(struct lttd_stream *s, int dir_fd, const char *dir,
		uint32_t cpu, const uint8_t uuid[16]);
int stream_recover(struct lttd_stream *s, const uint8_t uuid[16]);
int stream_append(struct lttd_stream *s, const uint8_t *pkt, size_t len);
int stream_close(struct lttd_stream *s);
int stream_is_written(const struct lttd_stream *s, uint64_t seq);

/* The packet fields lttd-xen reads (ringbuffer/client-ctf.h layout). */
struct lttd_packet {
	uint32_t magic;
	uint8_t uuid[16];
	uint64_t content_size; /* bits */
	uint64_t packet_size;  /* bits */
	uint64_t seq;
	uint64_t discarded;
	uint32_t cpu;
};
void packet_parse(const uint8_t *hdr, struct lttd_packet *p);
const char *packet_check(const struct lttd_packet *p, const uint8_t uuid[16],
			 uint32_t cpu, uint64_t max_bytes);

/* One CPU of the producer. */
enum lttd_cpu_state {
	LTTD_CPU_UNKNOWN = 0, /* not asked yet */
	LTTD_CPU_NONE,	      /* the producer has no buffer for it */
	LTTD_CPU_MAPPED,
};

struct lttd_cpu {
	uint32_t cpu;
	enum lttd_cpu_state state;
	int was_online; /* at the last GET_INFO */
	const uint8_t *map;
	size_t map_size;
	uint32_t subbuf_size;
	uint32_t nr_subbufs;
	struct lttd_stream stream;
	uint64_t skipped; /* sub-buffers already on disk (restart) */
	uint64_t dropped; /* -ESTALE: taken over while copied */
};

/* A domain whose name the trace has (names.c). */
struct lttd_name {
	uint32_t domid;
	char name[LTTNG_XEN_DOMAIN_NAME_SIZE];
};

struct lttd_names {
	int open;	   /* connected to the source of names */
	int said_missing;  /* "no domain names" said already */
	uint64_t next_try; /* CLOCK_MONOTONIC ms: connect again then */
	struct lttd_name *known;
	size_t nr_known;
	uint64_t recorded; /* names recorded by this run */
};

struct lttd_opts {
	const char *dir;
	const char *transport;
	const char *pidfile;
	int daemon;
	int snapshot;
	int quiet;
};

struct lttd {
	struct lttd_opts opt;
	struct lx_transport *t;
	struct lttng_xen_info info;
	int dir_fd;
	int wake_fd;
	int sig_fd;
	int seen_running; /* this run saw state RUNNING */
	int end_pending;  /* started on a stopped, undrained session */
	int running;	  /* in the main loop: start-up is over */
	uint8_t *copy;	  /* private copy of one sub-buffer */
	struct lttd_names names;
	uint32_t nr_cpus; /* entries of cpus[] looked at */
	struct lttd_cpu cpus[LTTNG_XEN_MAX_CPUS];
};

/* session.c */
int session_connect(struct lttd *l);
int session_refresh(struct lttd *l);
int session_run(struct lttd *l);
int lttd_op(struct lttd *l, struct lttng_xen_op *op);
void op_init(struct lttng_xen_op *op, uint32_t code, uint32_t cpu);
const char *lttd_op_name(uint32_t code);

/* consume.c */
int cpu_attach(struct lttd *l, struct lttd_cpu *c);
int cpu_drain(struct lttd *l, struct lttd_cpu *c, uint64_t limit, int *more);
int cpu_flush(struct lttd *l, struct lttd_cpu *c);
int cpu_counters(struct lttd *l, struct lttd_cpu *c,
		 struct lttng_xen_counters *cnt);
int cpu_detach(struct lttd *l, struct lttd_cpu *c);

/* metadata.c; lttng-xen-import writes its metadata with it too. */
struct lttd_metadata {
	uint8_t trace_uuid[16];
	char clock_uuid[37];
	char hostname[64];
	uint64_t freq;	  /* clock ticks per second */
	int64_t offset_s; /* Unix time of tick 0: seconds ... */
	uint64_t offset;  /* ... and ticks below one second */
};
void uuid_format(const uint8_t uuid[16], char out[37]);
int metadata_clock_origin(uint64_t hz, int64_t *origin_ns);
void metadata_clock_offset(struct lttd_metadata *m, int64_t origin_ns);
void metadata_hostname(char *out, size_t len);
void metadata_clock_uuid(const uint8_t trace_uuid[16], char out[37]);
int metadata_write(int dir_fd, const char *dir, const struct lttd_metadata *m);
int metadata_prepare(struct lttd *l);
int dir_holds_streams(int dir_fd, char *name, size_t len);

/* names.c */
void names_update(struct lttd *l);
int names_fd(struct lttd *l);
void names_close(struct lttd *l);

/* daemon.c */
int daemon_start(void);
void daemon_ready(void);
int pidfile_write(const char *path);
void pidfile_remove(void);

#endif /* LTTD_H */
