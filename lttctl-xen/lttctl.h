/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lttctl-xen: the sysadmin's control tool.  Declarations shared by its
 * files: main.c (dispatch, help), args.c (value parsing), events.c (event
 * selection, `list`), session.c (the session file), producer.c (talking
 * to the producer), lttd.c (running lttd-xen), verb-*.c (the verbs).
 */
#ifndef LTTCTL_H
#define LTTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lttng-xen/abi.h>

#include "transport.h"

/* Exit statuses. */
#define EXIT_OK	     0
#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

#define LX_NAME_MAX 64
#define LX_PATH_MAX 4096
#define LX_SPEC_MAX 1024

/* The event bitmap, by event id. */
#define LX_MASK_WORDS (LTTNG_XEN_MAX_EVENTS / 64)

struct lx_event_set {
	uint64_t bits[LX_MASK_WORDS];
};

/* Everything `create` decides; saved in the session file. */
struct lx_session {
	char name[LX_NAME_MAX + 1];
	char output[LX_PATH_MAX];      /* the trace directory being written */
	char base_output[LX_PATH_MAX]; /* as chosen at create */
	uint32_t mode;		       /* enum lttng_xen_mode */
	uint32_t subbuf_size;
	uint32_t nr_subbufs;
	char cpus[LX_SPEC_MAX];	  /* "all" or a list: 0,2-3 */
	char events[LX_SPEC_MAX]; /* "all" or a selection */
	char transport[LX_SPEC_MAX];
	bool running;
	long long created; /* Unix time */
	long long started; /* Unix time of the last start */
	pid_t lttd_pid;	   /* 0: none */
	pid_t watch_pid;   /* its watcher (lttd.c) */
	unsigned int runs; /* starts so far (discard mode) */
};

/* The options every verb accepts, and the ones of create. */
struct lx_opts {
	const char *transport; /* --transport, else NULL */
	const char *name;
	const char *output;
	const char *mode;
	const char *subbuf_size;
	const char *nr_subbufs;
	const char *cpus;
	const char *events;
	bool verbose;
	bool force;
	bool output_dir_only; /* status --output-dir */
};

/* main.c */
extern const char *lx_prog;
void lx_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lx_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lx_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* args.c: 0 or -1 with *why set to a static explanation. */
int lx_parse_size(const char *s, uint32_t *out, const char **why);
int lx_parse_count(const char *s, uint32_t *out, const char **why);
int lx_parse_mode(const char *s, uint32_t *out);
const char *lx_mode_name(uint32_t mode);
int lx_parse_cpus(const char *s, uint64_t *mask, char *why, size_t len);
int lx_check_name(const char *s, const char **why);
int lx_check_transport(const char *spec, const char **why);
void lx_format_size(uint64_t bytes, char *buf, size_t len);
void lx_format_cpus(const uint64_t *mask, char *buf, size_t len);

/* events.c */
int lx_parse_events(const char *spec, struct lx_event_set *set, char *why,
		    size_t len);
unsigned int lx_event_count(const struct lx_event_set *set);
void lx_event_classes(const struct lx_event_set *set, char *buf, size_t len);
int lx_list_events(bool verbose);

/* session.c */
const char *lx_home(void);
int lx_home_prepare(void);
int lx_make_dirs(const char *path);
int lx_lock(void);
void lx_signals_block(bool block);
int lx_session_load(struct lx_session *s);
int lx_session_save(const struct lx_session *s);
int lx_session_remove(void);
const char *lx_session_path(void);

/* producer.c */
struct lx_producer {
	struct lx_transport *t;
	const char *spec;
	struct lttng_xen_info info;
};
int lx_producer_open(struct lx_producer *p, const char *spec);
void lx_producer_close(struct lx_producer *p);
int lx_producer_op(struct lx_producer *p, struct lttng_xen_op *op,
		   const char *what);
int lx_producer_info(struct lx_producer *p);
int lx_producer_configure(struct lx_producer *p, const struct lx_session *s);
int lx_producer_counters(struct lx_producer *p, uint32_t cpu,
			 struct lttng_xen_counters *c, int *ret);
const char *lx_state_name(uint32_t state);

/* lttd.c */
int lx_lttd_start(struct lx_session *s);
int lx_lttd_wait(struct lx_session *s, int timeout_s, char *how, size_t len);
void lx_lttd_kill(struct lx_session *s);
bool lx_lttd_alive(pid_t pid);
void lx_lttd_status(char *buf, size_t len);
void lx_lttd_log_path(const char *dir, char *buf, size_t len);
int lx_lttd_snapshot(const struct lx_session *s, const char *dir);
uint64_t lx_dir_size(const char *dir);

/* verb-*.c */
int lx_cmd_create(struct lx_opts *o);
int lx_cmd_start(struct lx_opts *o);
int lx_cmd_stop(struct lx_opts *o);
int lx_cmd_destroy(struct lx_opts *o);
int lx_cmd_status(struct lx_opts *o);
int lx_cmd_snapshot(struct lx_opts *o);
int lx_cmd_list(struct lx_opts *o);

/* verb-create.c, shared with start's implicit session. */
int lx_session_from_opts(struct lx_opts *o, struct lx_session *s);
int lx_session_setup(struct lx_session *s);
int lx_session_exists_error(const struct lx_session *s);
void lx_timestamp(char *buf, size_t len);
int lx_absolute_path(const char *path, char *buf, size_t len);
int lx_check_output(const char *dir, bool usage);
const char *lx_transport_of(const struct lx_opts *o);
int lx_check_transport_match(const struct lx_opts *o,
			     const struct lx_session *s);
int lx_do_stop(struct lx_session *s, struct lx_producer *p);

/* verb-status.c, shared with stop. */
void lx_print_counters(struct lx_producer *p, const struct lx_session *s,
		       bool summary);

#endif /* LTTCTL_H */
