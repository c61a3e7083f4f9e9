// SPDX-License-Identifier: GPL-2.0-only
/*
 * session.c: lttd-xen and the producer's tracing session: connect (the
 * checks that the two sides match are the producer client's,
 * transport/producer.h), follow the CPUs, and the main loop, which sleeps
 * until the producer says a sub-buffer is complete.
 *
 * When the trace ends:
 *  - the session is STOPPED after lttd-xen saw it RUNNING: drain, FLUSH
 *    every CPU (the producer then closes any packet still open and emits
 *    an empty packet carrying lost-event counts not yet reported), drain
 *    again; once every CPU's consumed position has reached its write
 *    position, the trace is complete: exit 0.
 *  - lttd-xen starts on a STOPPED session: if, after a FLUSH, a buffer
 *    still holds something (a previous lttd-xen died before the end), it
 *    writes that and ends as above; if every buffer is empty, the session
 *    is about to start (lttctl-xen runs lttd-xen before START, for each
 *    run of a session) and lttd-xen waits for it to run and stop.
 *  - SIGTERM, SIGINT, SIGHUP: write what is complete now and stop,
 *    without flushing: the session goes on, and an lttd-xen started
 *    again in the same directory continues the trace.  On a STOPPED
 *    session, the end of the trace is written as above first.
 *  - --snapshot: FLUSH every CPU, write what is complete, stop.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "lttd.h"

/*
 * poll() sleeps until a wake-up, a signal, or this long.  The buffers are
 * never polled: on a timeout lttd-xen only asks GET_INFO.  The producer
 * wakes consumers when a sub-buffer completes and on every state change,
 * so this only catches the producer going away (the wake-up descriptor
 * stays quiet; GET_INFO fails and says why).
 */
#define SAFETY_TIMEOUT_MS 1000

#define NO_LIMIT UINT64_MAX

enum wait_result { WAIT_WAKE, WAIT_SIGNAL, WAIT_TIMEOUT };

/* Connect, check the producer, and get ready to copy sub-buffers. */
int lttd_connect(struct lttd *l)
{
	struct lx_error err;

	if (lx_producer_open(&l->p, l->opt.transport, LTTD_NAME, &err)) {
		ctfw_err("%s", err.msg);
		return -1;
	}
	if (l->p.info.state == LTTNG_XEN_STATE_UNCONFIGURED) {
		ctfw_err("no tracing session is configured; run lttctl-xen "
			 "create");
		return -1;
	}
	l->wake_fd = lx_wakeup_fd(l->p.t, &err);
	if (l->wake_fd < 0) {
		ctfw_err("cannot get the producer's wake-up channel: %s",
			 err.msg);
		return -1;
	}
	l->copy = malloc(l->p.info.subbuf_size);
	if (!l->copy) {
		ctfw_err("cannot allocate %" PRIu32 " bytes for a sub-buffer "
			 "copy: out of memory",
			 l->p.info.subbuf_size);
		return -1;
	}
	return 0;
}

static int cpu_is_online(const struct lttng_xen_info *info, uint32_t cpu)
{
	return (info->cpu_online[cpu / 64] >> (cpu % 64)) & 1;
}

/* Ask for the CPU's buffer; say so when one appears mid-trace. */
static int try_attach(struct lttd *l, struct lttd_cpu *c)
{
	if (lttd_cpu_attach(l, c))
		return -1;
	if (c->state == LTTD_CPU_MAPPED && l->running)
		ctfw_note("CPU %" PRIu32 " came online: writing %s", c->cpu,
			  c->stream.path);
	return 0;
}

/*
 * Map the buffers the producer has added since last time: CPUs beyond
 * those seen so far, and CPUs without a buffer that have come online
 * since (the producer gives a CPU of the session its buffer then).
 */
static int follow_cpus(struct lttd *l, const struct lttng_xen_info *info)
{
	struct lttd_cpu *c;
	uint32_t i;
	int online;

	for (i = 0; i < l->nr_cpus; i++) {
		c = &l->cpus[i];
		online = cpu_is_online(info, i);
		if (c->state == LTTD_CPU_NONE && online && !c->was_online &&
		    try_attach(l, c))
			return -1;
		c->was_online = online;
	}
	for (; l->nr_cpus < info->nr_cpus; l->nr_cpus++) {
		c = &l->cpus[l->nr_cpus];
		c->cpu = l->nr_cpus;
		c->was_online = cpu_is_online(info, c->cpu);
		if (try_attach(l, c))
			return -1;
	}
	return 0;
}

/* GET_INFO again: the same session still, and maybe more CPUs. */
int lttd_refresh(struct lttd *l)
{
	struct lttng_xen_info info;
	char have[37], now[37];
	struct lx_error err;

	if (lx_producer_info(&l->p, &info, &err)) {
		ctfw_err("%s", err.msg);
		return -1;
	}
	if (info.state == LTTNG_XEN_STATE_UNCONFIGURED) {
		ctfw_err("the tracing session was destroyed while lttd-xen was "
			 "reading it; %s holds what was read",
			 l->opt.dir);
		return -1;
	}
	if (memcmp(info.trace_uuid, l->p.info.trace_uuid, 16)) {
		ctfw_uuid_format(l->p.info.trace_uuid, have);
		ctfw_uuid_format(info.trace_uuid, now);
		ctfw_err("the tracing session changed under lttd-xen (trace "
			 "%s is now %s); %s holds what was read of the first",
			 have, now, l->opt.dir);
		return -1;
	}
	if (lx_check_layout(&info, &err)) {
		ctfw_err("%s", err.msg);
		return -1;
	}
	l->p.info.state = info.state;
	l->p.info.nr_cpus = info.nr_cpus;
	if (info.state == LTTNG_XEN_STATE_RUNNING)
		l->seen_running = 1;
	return follow_cpus(l, &info);
}

/* One round over the CPUs: each gives at most one buffer's worth of
 * complete sub-buffers (below its limit, when limits is not NULL). */
static int drain_round(struct lttd *l, const uint64_t *limits, int *more)
{
	uint32_t i;
	int m;

	*more = 0;
	for (i = 0; i < l->nr_cpus; i++) {
		if (lttd_cpu_drain(l, &l->cpus[i],
				   limits ? limits[i] : NO_LIMIT, &m))
			return -1;
		*more |= m;
	}
	return 0;
}

/* Rounds until no CPU has a complete sub-buffer left. */
static int drain_all(struct lttd *l, const uint64_t *limits)
{
	int more;

	do
		if (drain_round(l, limits, &more))
			return -1;
	while (more);
	return 0;
}

static int flush_all(struct lttd *l)
{
	uint32_t i;

	for (i = 0; i < l->nr_cpus; i++)
		if (lttd_cpu_flush(l, &l->cpus[i]))
			return -1;
	return 0;
}

/* Each CPU's write position now: what "complete now" means. */
static int write_positions(struct lttd *l, uint64_t *limits)
{
	struct lttng_xen_counters cnt;
	uint32_t i;

	for (i = 0; i < l->nr_cpus; i++) {
		limits[i] = 0;
		if (l->cpus[i].state != LTTD_CPU_MAPPED)
			continue;
		if (lttd_cpu_counters(l, &l->cpus[i], &cnt))
			return -1;
		limits[i] = cnt.offset;
	}
	return 0;
}

/* *drained: every CPU's consumed position has reached its write
 * position. */
static int survey(struct lttd *l, int *drained)
{
	struct lttng_xen_counters cnt;
	uint32_t i;

	*drained = 1;
	for (i = 0; i < l->nr_cpus; i++) {
		if (l->cpus[i].state != LTTD_CPU_MAPPED)
			continue;
		if (lttd_cpu_counters(l, &l->cpus[i], &cnt))
			return -1;
		if (cnt.consumed != cnt.offset)
			*drained = 0;
	}
	return 0;
}

static void report_cpu(struct lttd *l, struct lttd_cpu *c)
{
	struct lttng_xen_counters cnt = {0};
	char extra[128] = "";
	int n = 0;

	if (l->p.info.mode == LTTNG_XEN_MODE_OVERWRITE &&
	    !lttd_cpu_counters(l, c, &cnt))
		n += snprintf(extra + n, sizeof(extra) - n,
			      ", %" PRIu64 " sub-buffers overwritten",
			      cnt.overwritten);
	if (c->skipped)
		snprintf(extra + n, sizeof(extra) - n,
			 ", %" PRIu64 " already on disk", c->skipped);
	ctfw_say("CPU %" PRIu32 ": %" PRIu64 " packets, %" PRIu64
		 " bytes written to %s; %" PRIu64 " events lost%s",
		 c->cpu, c->stream.packets, c->stream.bytes, c->stream.path,
		 c->stream.lost, extra);
}

/* Flush every stream file to disk, close it, say what was written. */
static int finish(struct lttd *l)
{
	int ret = 0;
	uint32_t i;

	for (i = 0; i < l->nr_cpus; i++) {
		if (l->cpus[i].state != LTTD_CPU_MAPPED)
			continue;
		report_cpu(l, &l->cpus[i]);
		if (lttd_cpu_detach(l, &l->cpus[i]))
			ret = -1;
	}
	return ret;
}

/* Write what is complete up to now, then finish. */
static int finish_now(struct lttd *l, int flush)
{
	uint64_t limits[LTTNG_XEN_MAX_CPUS];

	if (flush && flush_all(l))
		return -1;
	if (write_positions(l, limits) || drain_all(l, limits))
		return -1;
	return finish(l);
}

/*
 * The session stopped.  Its end is written once every CPU is drained
 * after a FLUSH; a writer still in the middle of an event (it tested the
 * event mask just before STOP cleared it) holds that up until its commit
 * wakes us, and the next FLUSH closes the packet it wrote to.
 */
static int try_end(struct lttd *l, int *done)
{
	int drained;

	*done = 0;
	if (flush_all(l) || drain_all(l, NULL) || survey(l, &drained))
		return -1;
	if (!drained)
		return 0;
	*done = 1;
	return finish(l);
}

/*
 * Started on a STOPPED session: is a trace's end still in the buffers
 * (a previous lttd-xen died before it), or is the session about to run?
 * The FLUSH also brings out lost-event counts no packet has reported.
 */
static int stopped_at_start(struct lttd *l)
{
	int drained;

	if (l->p.info.state != LTTNG_XEN_STATE_STOPPED)
		return 0;
	if (flush_all(l) || survey(l, &drained))
		return -1;
	l->end_pending = !drained;
	if (!drained)
		ctfw_note("the session is stopped and its buffers hold the end "
			  "of a trace: writing it");
	else
		ctfw_note("the session is stopped, its buffers are empty: "
			  "waiting for it to start");
	return 0;
}

/* SIGTERM: write what is complete; a stopped trace gets its end. */
static int on_signal(struct lttd *l)
{
	int done;

	if (l->p.info.state != LTTNG_XEN_STATE_STOPPED)
		return finish_now(l, 0);
	if (try_end(l, &done))
		return -1;
	return done ? 0 : finish_now(l, 0);
}

static int read_signal(struct lttd *l)
{
	struct signalfd_siginfo si;
	ssize_t n = read(l->sig_fd, &si, sizeof(si));

	if (n == (ssize_t)sizeof(si))
		ctfw_note("received %s: writing what is complete and stopping",
			  strsignal((int)si.ssi_signo));
	return WAIT_SIGNAL;
}

/*
 * Sleep until a wake-up, a signal, a domain name change (names.c deals
 * with it at the next round) or the timeout (ms).
 */
static int wait_event(struct lttd *l, int timeout)
{
	struct pollfd fds[3] = {
		{.fd = l->wake_fd, .events = POLLIN},
		{.fd = l->sig_fd, .events = POLLIN},
		{.fd = lttd_names_fd(l), .events = POLLIN},
	};
	int n;

	do
		n = poll(fds, fds[2].fd >= 0 ? 3 : 2, timeout);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		ctfw_err("cannot wait for the producer: poll: %s",
			 strerror(errno));
		return -1;
	}
	if (fds[1].revents & POLLIN)
		return read_signal(l);
	if (fds[0].revents & POLLIN) {
		lx_ack_wakeup(l->p.t);
		return WAIT_WAKE;
	}
	if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
		/* GET_INFO will tell why, if the producer has gone. */
		if (lttd_refresh(l) == 0)
			ctfw_err("the producer's wake-up channel failed");
		return -1;
	}
	return WAIT_TIMEOUT;
}

static int setup_signals(struct lttd *l)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	l->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l->sig_fd < 0) {
		ctfw_err("cannot watch for signals: signalfd: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int run_snapshot(struct lttd *l)
{
	return finish_now(l, 1);
}

/*
 * The main loop: returns 0 when the trace is complete or was stopped.
 * While the producer keeps more than a buffer's worth ready, lttd-xen
 * does not sleep, but still looks at signals between rounds.
 */
int lttd_run(struct lttd *l)
{
	int ev = WAIT_TIMEOUT, more, done;

	if (setup_signals(l))
		return -1;
	l->running = 1;
	if (l->opt.snapshot)
		return run_snapshot(l);
	if (stopped_at_start(l))
		return -1;
	for (;;) {
		if (lttd_refresh(l))
			return -1;
		if (ev == WAIT_SIGNAL)
			return on_signal(l);
		if (l->p.info.state == LTTNG_XEN_STATE_RUNNING)
			lttd_names_update(l);
		if (drain_round(l, NULL, &more))
			return -1;
		if (!more && l->p.info.state == LTTNG_XEN_STATE_STOPPED &&
		    (l->seen_running || l->end_pending)) {
			if (try_end(l, &done))
				return -1;
			if (done)
				return 0;
		}
		ev = wait_event(l, more ? 0 : SAFETY_TIMEOUT_MS);
		if (ev < 0)
			return -1;
	}
}
