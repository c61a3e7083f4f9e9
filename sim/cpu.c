// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu.c: the simulated CPUs.  Each is a thread pinned to a host CPU that
 * waits for the first START, runs its main loop (README.md, "Workload")
 * with a per-CPU POSIX timer whose signal handler emits nested events,
 * then sleeps: it stays alive to serve flush requests (SIGUSR1), as a
 * physical CPU answers IPIs.  A hotplug CPU first waits until every
 * CPU online from the start has emitted its quota, then comes online.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <lttng-xen/control.h>

#include "sim.h"

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
static bool started;
static unsigned int nr_threads, nr_done;

static cpu_set_t host_cpus;
static int nr_host_cpus;

void sim_cpus_note_started(void)
{
	pthread_mutex_lock(&start_lock);
	started = true;
	pthread_cond_broadcast(&start_cond);
	pthread_mutex_unlock(&start_lock);
}

static void wait_for_start(void)
{
	pthread_mutex_lock(&start_lock);
	while (!started)
		pthread_cond_wait(&start_cond, &start_lock);
	pthread_mutex_unlock(&start_lock);
}

unsigned int sim_cpus_nr_done(void)
{
	return __atomic_load_n(&nr_done, __ATOMIC_ACQUIRE);
}

unsigned int sim_cpus_nr_threads(void)
{
	return nr_threads;
}

static void on_flush(int sig)
{
	struct sim_cpu *c = sim_self;
	int saved = errno;
	void (*fn)(void *);

	(void)sig;
	if (!c)
		return;
	fn = __atomic_exchange_n(&c->req_fn, NULL, __ATOMIC_ACQUIRE);
	if (fn)
		fn(c->req_arg);
	sem_post(&c->req_done);
	errno = saved;
}

static void on_timer(int sig)
{
	struct sim_cpu *c = sim_self;
	int saved = errno;
	uint64_t n;

	(void)sig;
	if (!c)
		return;
	n = sim_load(&c->nested_calls);
	sim_in_nested++;
	sim_emit_nested(c->id, n);
	sim_in_nested--;
	sim_store(&c->nested_calls, n + 1);
	if (sim_opts.nr_domains) {
		uint64_t *in = &c->nested_in_domain[__atomic_load_n(
			&c->domain, __ATOMIC_RELAXED)];

		sim_store(in, sim_load(in) + 1);
	}
	errno = saved;
}

/* LTTNG_XEN_OP_HOLD: stay inside a trace point, flush and timer signals
 * still nesting over it. */
static void on_hold(int sig)
{
	struct sim_cpu *c = sim_self;
	int saved = errno;

	(void)sig;
	if (c)
		lttng_xen_hold(__atomic_load_n(&c->hold_ticks,
					       __ATOMIC_ACQUIRE),
			       &c->hold_inside);
	errno = saved;
}

static void pin(struct sim_cpu *c)
{
	cpu_set_t set;
	int i, n = c->id % nr_host_cpus;

	for (i = 0; i < CPU_SETSIZE; i++) {
		if (CPU_ISSET(i, &host_cpus) && n-- == 0)
			break;
	}
	CPU_ZERO(&set);
	CPU_SET(i, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr,
			"lttng-xen-sim: warning: cannot pin CPU %u to host CPU "
			"%d\n",
			c->id, i);
}

static void arm_timer(struct sim_cpu *c)
{
	struct sigevent sev;
	struct itimerspec its;
	uint64_t ns;

	if (!sim_opts.nested_hz)
		return;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIG_NESTED;
	sev._sigev_un._tid = gettid(); /* sigev_notify_thread_id */
	if (timer_create(CLOCK_MONOTONIC, &sev, &c->timer)) {
		perror("lttng-xen-sim: timer_create");
		return;
	}
	ns = 1000000000u / sim_opts.nested_hz;
	if (!ns)
		ns = 1;
	its.it_interval.tv_sec = ns / 1000000000u;
	its.it_interval.tv_nsec = ns % 1000000000u;
	its.it_value = its.it_interval;
	timer_settime(c->timer, 0, &its, NULL);
	c->timer_armed = true;
}

static void disarm_timer(struct sim_cpu *c)
{
	if (c->timer_armed)
		timer_delete(c->timer); /* drops a pending expiry too */
	c->timer_armed = false;
}

static void timespec_add_ns(struct timespec *t, uint64_t ns)
{
	ns += t->tv_nsec;
	t->tv_sec += ns / 1000000000u;
	t->tv_nsec = ns % 1000000000u;
}

/*
 * --rate: main-loop event k is due at start + k / rate seconds.  A CPU
 * ahead of time sleeps to the next whole millisecond since start, so it
 * wakes at most 1000 times a second and emits what fell due meanwhile.
 */
static void pace(const struct timespec *start, uint64_t k)
{
	uint64_t rate = sim_opts.rate, due_ns, now_ns;
	struct timespec now, wake = *start;

	due_ns = k / rate * 1000000000u + (k % rate) * 1000000000u / rate;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now_ns = (uint64_t)(now.tv_sec - start->tv_sec) * 1000000000u +
		 now.tv_nsec - start->tv_nsec;
	if (now_ns >= due_ns)
		return;
	timespec_add_ns(&wake, (due_ns + 999999) / 1000000 * 1000000);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL) ==
	       EINTR)
		;
}

/*
 * A hotplug CPU comes online once every boot CPU did 'after' events, as
 * Xen's does: the tracer first (CPU_UP_PREPARE), which may refuse it when
 * its buffer cannot be had (it would record nothing, uncounted).  Returns
 * whether it came online.
 */
static bool wait_for_hotplug(struct sim_cpu *c)
{
	struct timespec ms = {0, 1000 * 1000};
	unsigned int i;
	int rc;

	for (i = 0; i < sim_opts.nr_cpus; i++) {
		while (sim_load(&sim_cpus[i].iterations) < c->hotplug_after)
			nanosleep(&ms, NULL);
	}
	pthread_mutex_lock(&sim_control_lock);
	rc = lttng_xen_cpu_online(c->id);
	if (rc != -LTTNG_XEN_ENOMEM)
		__atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&sim_control_lock);
	if (rc == -LTTNG_XEN_ENOMEM) {
		fprintf(stderr,
			"lttng-xen-sim: CPU %u stays offline: no memory for "
			"its trace buffer\n",
			c->id);
		__atomic_store_n(&c->refused, 1, __ATOMIC_RELEASE);
		return false;
	}
	return true;
}

static void run_workload(struct sim_cpu *c)
{
	struct timespec start;
	uint64_t k;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (k = 0; !sim_opts.events || k < sim_opts.events; k++) {
		if (sim_opts.rate)
			pace(&start, k);
		sim_emit_main(c->id, k);
		sim_store(&c->iterations, k + 1);
	}
}

static void *cpu_thread(void *arg)
{
	struct sim_cpu *c = arg;
	sigset_t set;

	sim_self = c;
	pin(c);
	sigemptyset(&set);
	sigaddset(&set, SIG_FLUSH);
	sigaddset(&set, SIG_NESTED);
	sigaddset(&set, SIG_STALL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	wait_for_start();
	if (!c->hotplug || wait_for_hotplug(c)) {
		arm_timer(c);
		run_workload(c);
		disarm_timer(c);
	}

	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	if (__atomic_add_fetch(&nr_done, 1, __ATOMIC_ACQ_REL) == nr_threads)
		pthread_kill(sim_main_thread, SIG_DONE);
	for (;;)
		pause(); /* flush requests still arrive */
	return NULL;
}

static int install(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

int sim_cpus_start(void)
{
	unsigned int cpu;
	int err;

	if (sched_getaffinity(0, sizeof(host_cpus), &host_cpus) ||
	    !(nr_host_cpus = CPU_COUNT(&host_cpus))) {
		CPU_ZERO(&host_cpus);
		CPU_SET(0, &host_cpus);
		nr_host_cpus = 1;
	}
	if (install(SIG_FLUSH, on_flush) || install(SIG_NESTED, on_timer) ||
	    install(SIG_STALL, on_hold))
		return -errno;

	for (cpu = 0; cpu < sim_nr_possible; cpu++)
		if (sim_cpus[cpu].has_thread)
			nr_threads++;
	for (cpu = 0; cpu < sim_nr_possible; cpu++) {
		struct sim_cpu *c = &sim_cpus[cpu];

		if (!c->has_thread)
			continue;
		err = pthread_create(&c->thread, NULL, cpu_thread, c);
		if (err)
			return -err;
	}
	return 0;
}
