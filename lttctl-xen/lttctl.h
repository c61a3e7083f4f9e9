/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lttctl-xen: the sysadmin's control tool.  What its files offer each
 * other, layer by layer: a file calls only files of the layers below its
 * own (README.md; tests/layers/test-dom0-layers.sh checks it), and the
 * producer client of transport/ (producer.h).
 *
 *   main.c                   the command line, help texts; runs a verb
 *   verb-*.c                 one verb each; never call one another
 *   tracing.c, counters.c    what several verbs do: set a session's
 *                            buffers up, stop tracing; the counter table
 *   options.c                a new session from create's options
 *   session.c, producer.c,   the session file and lock; the producer's
 *   lttd.c, guests.c         operations; running lttd-xen; the guests'
 *                            LTTng (lttng-xen-guest, lttng-relayd)
 *   msg.c, args.c, events.c, messages; option values; event selection;
 *   files.c                  paths and directories
 */
#ifndef LTTCTL_H
#define LTTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lttng-xen/abi.h>

#include "producer.h"

/* Exit statuses. */
#define EXIT_OK	     0
#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

#define LTTCTL_NAME_MAX 64
#define LTTCTL_PATH_MAX 4096
#define LTTCTL_SPEC_MAX 1024

/* How long stop waits for lttd-xen to write the rest of the trace. */
#define LTTCTL_STOP_TIMEOUT_S 60

/* The event bitmap, by event id. */
#define LTTCTL_MASK_WORDS (LTTNG_XEN_MAX_EVENTS / 64)

struct lttctl_event_set {
	uint64_t bits[LTTCTL_MASK_WORDS];
};

/* Everything `create` decides; saved in the session file. */
struct lttctl_session {
	char name[LTTCTL_NAME_MAX + 1];
	char output[LTTCTL_PATH_MAX]; /* the trace directory being written */
	char base_output[LTTCTL_PATH_MAX]; /* as chosen at create */
	uint32_t mode;			   /* enum lttng_xen_mode */
	uint32_t subbuf_size;
	uint32_t nr_subbufs;
	char cpus[LTTCTL_SPEC_MAX];   /* "all" or a list: 0,2-3 */
	char events[LTTCTL_SPEC_MAX]; /* "all" or a selection */
	char domains[LTTCTL_SPEC_MAX]; /* "all", domain ids, names: 1,3-4,web */
	char transport[LTTCTL_SPEC_MAX];
	bool running;
	long long created; /* Unix time */
	long long started; /* Unix time of the last start */
	pid_t lttd_pid;	   /* 0: none */
	pid_t watch_pid;   /* its watcher (lttd.c) */
	unsigned int runs; /* starts so far (discard mode) */
	/* Guest kernels traced with LTTng beside the hypervisor (guests.c). */
	char guests[LTTCTL_SPEC_MAX];	    /* "": none; dom0, all, domUs */
	char guest_events[LTTCTL_SPEC_MAX]; /* LTTng kernel events */
	char relay[256];		    /* dom0's address for the domUs */
	char trace_dir[LTTCTL_PATH_MAX];    /* the run's top directory */
	char traced[LTTCTL_SPEC_MAX];	    /* this run: "0:dom0,3:web" */
	char untraced[LTTCTL_SPEC_MAX];	    /* this run: who and why not */
	pid_t relayd_pid;		    /* lttng-relayd for the domUs */
};

/* The options every verb accepts, and the ones of create. */
struct lttctl_opts {
	const char *transport; /* --transport, else NULL */
	const char *name;
	const char *output;
	const char *mode;
	const char *subbuf_size;
	const char *nr_subbufs;
	const char *cpus;
	const char *events;
	const char *domains;
	const char *guests;
	const char *guest_events;
	const char *relay;
	bool verbose;
	bool force;
	bool output_dir_only; /* status --output-dir */
};

/* ---- the bottom layer ---- */

/* msg.c: "lttctl-xen: ..." on stderr; a usage error names the verb. */
extern const char *lttctl_prog;
void lttctl_set_verb(const char *verb);
void lttctl_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void lttctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lttctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lttctl_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* args.c: 0 or -1 with *why set to a static explanation. */
int lttctl_parse_size(const char *s, uint32_t *out, const char **why);
int lttctl_parse_count(const char *s, uint32_t *out, const char **why);
int lttctl_parse_mode(const char *s, uint32_t *out);
int lttctl_parse_cpus(const char *s, uint64_t *mask, char *why, size_t len);
int lttctl_check_name(const char *s, const char **why);
int lttctl_check_transport(const char *spec, const char **why);
void lttctl_format_size(uint64_t bytes, char *buf, size_t len);
void lttctl_format_cpus(const uint64_t *mask, char *buf, size_t len);
int lttctl_parse_domains(const char *s, const struct lx_domain *known,
			 int nr_known, struct lttng_xen_domains *d,
			 unsigned int *nr_names, char *why, size_t len);
void lttctl_format_domains(const struct lttng_xen_domains *d, char *buf,
			   size_t len);

/* events.c */
int lttctl_parse_events(const char *spec, struct lttctl_event_set *set,
			char *why, size_t len);
unsigned int lttctl_event_count(const struct lttctl_event_set *set);
void lttctl_event_classes(const struct lttctl_event_set *set, char *buf,
			  size_t len);

/* files.c */
int lttctl_make_dirs(const char *path);
int lttctl_absolute_path(const char *path, char *buf, size_t len);
int lttctl_check_output(const char *dir, bool usage);
uint64_t lttctl_dir_size(const char *dir);
void lttctl_timestamp(char *buf, size_t len);
void lttctl_format_time(long long t, char *buf, size_t len);
const char *lttctl_find_program(const char *name, const char *env, char *buf,
				size_t len);

/* ---- the session, the producer, lttd-xen ---- */

/* session.c */
const char *lttctl_home(void);
int lttctl_home_prepare(void);
int lttctl_lock(void);
void lttctl_signals_block(bool block);
int lttctl_session_load(struct lttctl_session *s);
int lttctl_session_save(const struct lttctl_session *s);
int lttctl_session_remove(void);
const char *lttctl_session_path(void);
const char *lttctl_transport_of(const struct lttctl_opts *o);
int lttctl_check_transport_match(const struct lttctl_opts *o,
				 const struct lttctl_session *s);
int lttctl_session_exists_error(const struct lttctl_session *s);

/* lttctl_session_open() flags and results. */
#define LTTCTL_LOCK	     1 /* hold the lock (commands that change state) */
#define LTTCTL_NONE_OK	     2 /* no session is an answer, not an error */
#define LTTCTL_ANY_TRANSPORT 4 /* do not compare --transport */
#define LTTCTL_BROKEN	     (-2) /* the session file is unreadable */
int lttctl_session_open(const struct lttctl_opts *o, struct lttctl_session *s,
			unsigned int flags, const char *none,
			const char *none_hint);

/* producer.c */
int lttctl_producer_open(struct lx_producer *p, const char *spec);
int lttctl_producer_op(struct lx_producer *p, struct lttng_xen_op *op,
		       const char *what);
int lttctl_producer_info(struct lx_producer *p);
int lttctl_producer_configure(struct lx_producer *p,
			      const struct lttctl_session *s);
int lttctl_producer_counters(struct lx_producer *p, uint32_t cpu,
			     struct lttng_xen_counters *c, int *ret);
int lttctl_producer_start(struct lx_producer *p);
int lttctl_producer_stop(struct lx_producer *p);
int lttctl_producer_destroy(struct lx_producer *p);
void lttctl_producer_undo(struct lx_producer *p);

/* lttd.c */
int lttctl_lttd_start(struct lttctl_session *s, const char *clock_origin);
int lttctl_lttd_wait(struct lttctl_session *s, int timeout_s, char *how,
		     size_t len);
void lttctl_lttd_kill(struct lttctl_session *s);
bool lttctl_lttd_alive(pid_t pid);
void lttctl_lttd_status(char *buf, size_t len);
void lttctl_lttd_log_path(const char *dir, char *buf, size_t len);
int lttctl_lttd_snapshot(const struct lttctl_session *s, const char *dir);
void lttctl_lttd_forget(void);

/* guests.c: LTTng kernel tracing of dom0 and the domUs (lttng-xen-guest). */
int lttctl_guests_check(const char *guests, const char *relay, char *why,
			size_t len);
int lttctl_guests_origin(const struct lttctl_session *s, char *buf,
			 size_t len);
void lttctl_guests_start(struct lttctl_session *s, struct lx_producer *p);
void lttctl_guests_stop(struct lttctl_session *s);
void lttctl_guests_gather(struct lttctl_session *s);
void lttctl_guests_abandon(struct lttctl_session *s);
void lttctl_guests_print(const struct lttctl_session *s);

/* options.c: checks every option of create; usage errors reported. */
int lttctl_session_from_opts(struct lttctl_opts *o, struct lttctl_session *s);

/* ---- what several verbs do ---- */

/* counters.c */
void lttctl_print_counters(struct lx_producer *p,
			   const struct lttctl_session *s, bool summary);

/* tracing.c */
int lttctl_session_setup(struct lttctl_session *s);
int lttctl_stop_tracing(struct lttctl_session *s, struct lx_producer *p);

/* ---- the verbs (verb-*.c) ---- */
int lttctl_cmd_create(struct lttctl_opts *o);
int lttctl_cmd_start(struct lttctl_opts *o);
int lttctl_cmd_stop(struct lttctl_opts *o);
int lttctl_cmd_destroy(struct lttctl_opts *o);
int lttctl_cmd_status(struct lttctl_opts *o);
int lttctl_cmd_snapshot(struct lttctl_opts *o);
int lttctl_cmd_list(struct lttctl_opts *o);

#endif /* LTTCTL_H */
