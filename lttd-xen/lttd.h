/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lttd.h: the pieces of lttd-xen, the dom0 consumer daemon, and what each
 * one offers the others.  See README.md in this folder for the behaviour.
 *
 *   main.c      options, --help, the start-up sequence, exit codes
 *   daemon.c    --daemon: fork, readiness pipe, pid file
 *   session.c   the session: connection, CPUs appearing, the main loop,
 *               the end of the trace
 *   consume.c   one CPU's buffer: map, drain (get, copy, write, put), flush
 *   names.c     domain names (xenstore) recorded in the trace
 *   producer.c  one control operation, its failure reported
 *   metadata.c  DIR/metadata: written for a new trace, checked on restart
 *
 * Each file calls only those below it in this list (main.c: all), the
 * producer client (transport/producer.h) and ctf-writer/.
 *
 * The trace directory's files (metadata, stream files, the log) and the
 * messages are ctf-writer's (ctf-writer/ctfw.h).  Functions that can fail
 * print their own message (what, where, why) and return -1; the caller
 * only unwinds.
 */
#ifndef LTTD_H
#define LTTD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <lttng-xen/abi.h>
#include "ctfw.h"
#include "producer.h"

#define LTTD_NAME "lttd-xen"
/* In the trace directory: hidden, or babeltrace2 reads it as a stream. */
#define LTTD_LOG_NAME ".lttd-xen.log"

/* Exit codes (see --help). */
#define LTTD_EXIT_OK	0
#define LTTD_EXIT_ERROR 1
#define LTTD_EXIT_USAGE 2

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
	struct ctfw_stream stream;
	uint64_t skipped; /* sub-buffers already on disk (restart) */
	uint64_t dropped; /* -EOVERFLOW: taken over while copied */
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
	/* --clock-origin: the TSC's offset from the epoch to keep (cycles)
	 * and how uncertain it is (ns), instead of measuring one. */
	int have_origin;
	uint64_t origin_cycles, origin_uncertainty_ns;
};

struct lttd {
	struct lttd_opts opt;
	struct lx_producer p; /* p.info: the session as lttd-xen reads it */
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
int lttd_connect(struct lttd *l);
int lttd_refresh(struct lttd *l);
int lttd_run(struct lttd *l);

/* producer.c */
int lttd_op(struct lttd *l, struct lttng_xen_op *op);

/* consume.c */
int lttd_cpu_attach(struct lttd *l, struct lttd_cpu *c);
int lttd_cpu_drain(struct lttd *l, struct lttd_cpu *c, uint64_t limit,
		   int *more);
int lttd_cpu_flush(struct lttd *l, struct lttd_cpu *c);
int lttd_cpu_counters(struct lttd *l, struct lttd_cpu *c,
		      struct lttng_xen_counters *cnt);
int lttd_cpu_detach(struct lttd *l, struct lttd_cpu *c);

/* metadata.c */
int lttd_metadata_prepare(struct lttd *l);

/* names.c */
void lttd_names_update(struct lttd *l);
int lttd_names_fd(struct lttd *l);
void lttd_names_close(struct lttd *l);

/* daemon.c */
int lttd_daemon_start(void);
void lttd_daemon_ready(void);
int lttd_pidfile_write(const char *path);
void lttd_pidfile_remove(void);

#endif /* LTTD_H */
