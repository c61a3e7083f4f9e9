// SPDX-License-Identifier: GPL-2.0-only
/*
 * host.c: what Xen provides to the tracer, done in user space.
 *
 * Buffer memory is one memfd per CPU, mapped here read-write and passed
 * to consumers read-only.  The clock is the TSC, its rate calibrated
 * against CLOCK_MONOTONIC at start.  Running a function on a CPU is a
 * SIGUSR1 to that CPU's thread.  Wake-ups are eventfds, one per consumer
 * connection, created once and never closed (a writer in a signal handler
 * may be writing to one while the connection goes away).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>
#include <x86intrin.h>

#include <lttng-xen/control.h>

#include "frontend.h"
#include "sim.h"

#define MAX_WAKEUPS 32

__thread struct sim_cpu *sim_self;
__thread int sim_in_nested;
static __thread unsigned int clock_reads;

static uint64_t tsc_hz;
static int mem_fd[LTTNG_XEN_MAX_CPUS];

static int wake_fd[MAX_WAKEUPS];
static int wake_used[MAX_WAKEUPS]; /* atomic; writers read it */

/*
 * The TSC, read in program order as Xen's rdtsc_ordered() does (the
 * control core relies on it to compare clocks across CPUs).
 */
uint64_t rb_platform_clock(void)
{
	uint64_t tsc;

	_mm_lfence();
	tsc = __rdtsc();
	/* --clock-skew: this CPU's TSC out of step with the others'. */
	if (sim_self)
		tsc += (uint64_t)sim_self->clock_skew;
	/* --clock-backwards: the ring buffer must hide this, and say so. */
	if (sim_opts.clock_backwards && ++clock_reads % 1000 == 0)
		return tsc - 1000000;
	return tsc;
}

void sim_wake_consumers(void)
{
	int saved = errno, i;
	uint64_t one = 1;

	for (i = 0; i < MAX_WAKEUPS; i++) {
		if (__atomic_load_n(&wake_used[i], __ATOMIC_ACQUIRE)) {
			ssize_t r = write(wake_fd[i], &one, sizeof(one));
			(void)r; /* a full counter already wakes */
		}
	}
	errno = saved;
}

void rb_platform_wakeup(struct rb_buf *buf)
{
	(void)buf;
	sim_wake_consumers();
}

/* A free wake-up slot with an empty eventfd, or -1. Server thread only. */
int sim_wakeup_attach(void)
{
	uint64_t v;
	int i;

	for (i = 0; i < MAX_WAKEUPS; i++) {
		if (__atomic_load_n(&wake_used[i], __ATOMIC_RELAXED))
			continue;
		if (wake_fd[i] < 0) {
			int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

			if (fd < 0)
				return -1;
			wake_fd[i] = fd;
		}
		while (read(wake_fd[i], &v, sizeof(v)) == sizeof(v))
			;
		__atomic_store_n(&wake_used[i], 1, __ATOMIC_RELEASE);
		return i;
	}
	return -1;
}

void sim_wakeup_detach(int slot)
{
	if (slot >= 0 && slot < MAX_WAKEUPS)
		__atomic_store_n(&wake_used[slot], 0, __ATOMIC_RELEASE);
}

int sim_wakeup_fd(int slot)
{
	return wake_fd[slot];
}

/*
 * The CPU a trace point runs on: this thread's.  Called once per enabled
 * event, just before the core looks the CPU's buffer up: counts the
 * events that find one (the summary's emitted_main / emitted_nested).
 */
unsigned int lttng_xen_host_cpu(void)
{
	struct sim_cpu *c = sim_self;
	uint64_t *count;

	if (!c)
		return LTTNG_XEN_MAX_CPUS; /* not a CPU: not traced */
	if (lttng_xen_cpu_buf(c->id)) {
		count = sim_in_nested ? &c->emitted_nested : &c->emitted_main;
		sim_store(count, sim_load(count) + 1);
	}
	return c->id;
}

/* The domain a trace point runs for: the CPU's (workload.c). */
unsigned int lttng_xen_host_domain(void)
{
	struct sim_cpu *c = sim_self;

	return c ? __atomic_load_n(&c->domain, __ATOMIC_RELAXED)
		 : LTTNG_XEN_DOMID_LIMIT;
}

/* All at once: the simulator never has to yield (<lttng-xen/host.h>). */
static int alloc_buffer(unsigned int cpu, uint32_t size, void **memp)
{
	char name[32];
	void *mem;
	int fd;

	if ((int)cpu == sim_opts.fail_alloc_cpu)
		return -LTTNG_XEN_ENOMEM; /* --fail-alloc */

	snprintf(name, sizeof(name), "lttng-xen-cpu%u", cpu);
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -LTTNG_XEN_ENOMEM;
	if (ftruncate(fd, size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		close(fd);
		return -LTTNG_XEN_ENOMEM;
	}
	/* Populated: no page fault on the record path, as in Xen. */
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_POPULATE, fd, 0);
	if (mem == MAP_FAILED) {
		close(fd);
		return -LTTNG_XEN_ENOMEM;
	}
	mem_fd[cpu] = fd;
	*memp = mem;
	return 0;
}

/* mem NULL: a failed alloc_buffer(), which keeps nothing here. */
static int free_buffer(unsigned int cpu, void *mem, uint32_t size)
{
	if (!mem)
		return 0;
	munmap(mem, size);
	close(mem_fd[cpu]);
	mem_fd[cpu] = -1;
	return 0;
}

/* A new read-only descriptor of CPU cpu's buffer, or -1 (errno set). */
int sim_buffer_fd(unsigned int cpu)
{
	char path[64];

	if (cpu >= LTTNG_XEN_MAX_CPUS || mem_fd[cpu] < 0) {
		errno = ENOENT;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mem_fd[cpu]);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static void run_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct sim_cpu *c = &sim_cpus[cpu];

	if (!c->has_thread) {
		fn(arg);
		return;
	}
	c->req_arg = arg;
	__atomic_store_n(&c->req_fn, fn, __ATOMIC_RELEASE);
	pthread_kill(c->thread, SIG_FLUSH);
	while (sem_wait(&c->req_done) && errno == EINTR)
		;
}

static unsigned int nr_possible_cpus(void)
{
	return sim_opts.possible_cpus ? sim_opts.possible_cpus
				      : sim_nr_possible;
}

static int cpu_online(unsigned int cpu)
{
	return cpu < sim_nr_possible &&
	       __atomic_load_n(&sim_cpus[cpu].online, __ATOMIC_ACQUIRE);
}

/* LTTNG_XEN_OP_HOLD: CPU cpu's thread holds, from a signal handler;
 * returns once it is inside. */
static int hold_cpu(unsigned int cpu, uint64_t ticks)
{
	struct sim_cpu *c = &sim_cpus[cpu];
	struct timespec ms = {0, 1000 * 1000};
	int i, inside;

	if (!c->has_thread || !cpu_online(cpu))
		return -LTTNG_XEN_ENOENT;
	__atomic_store_n(&c->hold_ticks, ticks, __ATOMIC_RELEASE);
	__atomic_store_n(&c->hold_inside, 0, __ATOMIC_RELEASE);
	pthread_kill(c->thread, SIG_STALL);
	for (i = 0; i < 1000; i++) {
		inside = __atomic_load_n(&c->hold_inside, __ATOMIC_ACQUIRE);
		if (inside)
			return inside < 0 ? -LTTNG_XEN_ENOENT : 0;
		nanosleep(&ms, NULL);
	}
	return -LTTNG_XEN_EBUSY;
}

uint64_t sim_tsc_hz(void)
{
	return tsc_hz;
}

static void make_uuid(uint8_t uuid[16])
{
	size_t got = 0;

	while (got < 16) {
		ssize_t n = getrandom(uuid + got, 16 - got, 0);

		if (n > 0)
			got += n;
	}
	uuid[6] = (uuid[6] & 0x0f) | 0x40; /* version 4 */
	uuid[8] = (uuid[8] & 0x3f) | 0x80; /* RFC 4122 variant */
}

static struct lttng_xen_host_ops host_ops = {
	.alloc_buffer = alloc_buffer,
	.free_buffer = free_buffer,
	.run_on_cpu = run_on_cpu,
	.nr_possible_cpus = nr_possible_cpus,
	.cpu_is_online = cpu_online,
	.tsc_hz = sim_tsc_hz,
	.make_uuid = make_uuid,
	.wake_consumer = sim_wake_consumers,
	.hold_cpu = hold_cpu,
};

static uint64_t ns_of(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + t->tv_nsec;
}

/* CLOCK_MONOTONIC_RAW and the TSC at one instant: of a few tries, the
 * one where the two TSC reads around the clock read are closest. */
static void sample_clocks(uint64_t *ns, uint64_t *tsc)
{
	uint64_t best = UINT64_MAX, before, after;
	struct timespec t;
	int i;

	for (i = 0; i < 10; i++) {
		before = __rdtsc();
		clock_gettime(CLOCK_MONOTONIC_RAW, &t);
		after = __rdtsc();
		if (after - before < best) {
			best = after - before;
			*ns = ns_of(&t);
			*tsc = before + (after - before) / 2;
		}
	}
}

/* TSC ticks per second, measured over 100 ms. */
static uint64_t calibrate_tsc(void)
{
	struct timespec pause = {0, 100 * 1000 * 1000};
	uint64_t ns0, ns1, tsc0, tsc1;

	sample_clocks(&ns0, &tsc0);
	nanosleep(&pause, NULL);
	sample_clocks(&ns1, &tsc1);
	if (ns1 <= ns0 || tsc1 <= tsc0)
		return 0;
	return (uint64_t)((unsigned __int128)(tsc1 - tsc0) * 1000000000u /
			  (ns1 - ns0));
}

int sim_host_init(void)
{
	unsigned int cpu;

	int i;

	for (cpu = 0; cpu < LTTNG_XEN_MAX_CPUS; cpu++)
		mem_fd[cpu] = -1;
	for (i = 0; i < MAX_WAKEUPS; i++)
		wake_fd[i] = -1;
	tsc_hz = calibrate_tsc();
	if (!tsc_hz)
		return -LTTNG_XEN_EINVAL;
	host_ops.quiesce_ms = sim_opts.quiesce_ms;
	return lttng_xen_control_init(&host_ops);
}
