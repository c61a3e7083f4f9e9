/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sim.h: the simulator's parts and what they share.
 *
 *   main.c      options, signals, the summary file
 *   host.c      the host of the tracer core (<lttng-xen/host.h>): buffer
 *               memory (memfd), the clock (TSC), run-on-CPU, wake-ups,
 *               the current CPU
 *   cpu.c       one thread per simulated CPU: workload, nested timer,
 *               flush requests, hotplug
 *   workload.c  the deterministic events (README.md, workload_spec.py)
 *   server.c    the control socket (sim-protocol.h)
 */
#ifndef LTTNG_XEN_SIM_H
#define LTTNG_XEN_SIM_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <lttng-xen/abi.h>

struct sim_opts {
	const char *socket_path;
	unsigned int nr_cpus;	/* online from the start */
	uint64_t events;	/* main-loop events per CPU; 0: forever */
	uint64_t rate;		/* per CPU per second; 0: flat out */
	unsigned int nested_hz; /* 0: no nested events */
	bool clock_backwards;
	unsigned int quiesce_ms; /* the core's quiescence deadline */
	unsigned int possible_cpus; /* the host's, reported; 0: the CPUs */
	int fail_alloc_cpu;	 /* this CPU's buffer allocation fails; -1 */
	unsigned int nr_domains; /* --sim-domains; 0: every event in dom 0 */
	const char *summary;
};

/* --sim-domains N: at most this many. */
#define SIM_MAX_DOMAINS 64
/* Main-loop events a CPU runs in one domain before the next. */
#define SIM_DOMAIN_SLICE 64

/* One simulated CPU.  Counters: written by its thread, read by others. */
struct sim_cpu {
	unsigned int id;
	bool has_thread;
	bool hotplug;		/* comes online mid-trace */
	uint64_t hotplug_after; /* ... once the others did this many */
	pthread_t thread;
	int online;	       /* atomic */
	int refused;	       /* atomic: could not come online */
	int done;	       /* atomic: workload finished */
	uint64_t iterations;   /* main-loop events so far (next k) */
	uint64_t nested_calls; /* nested handler runs (next n) */
	uint64_t emitted_main; /* events handed to the ring buffer */
	uint64_t emitted_nested;
	/* --sim-domains: the domain the CPU runs now (workload.c), and the
	 * nested handler runs made in each. */
	unsigned int domain;
	uint64_t nested_in_domain[SIM_MAX_DOMAINS];
	/* A flush request (run-on-CPU), served by the SIGUSR1 handler. */
	void (*req_fn)(void *);
	void *req_arg;
	sem_t req_done;
	timer_t timer;
	bool timer_armed;
	int64_t clock_skew;  /* --clock-skew: added to its clock reads */
	uint64_t hold_ticks; /* LTTNG_XEN_OP_HOLD, served by SIG_STALL */
	int hold_inside;     /* lttng_xen_hold()'s progress */
};

extern struct sim_opts sim_opts;
extern struct sim_cpu sim_cpus[LTTNG_XEN_MAX_CPUS];
extern unsigned int sim_nr_possible;
/* Serialises every call into tracer/control.c. */
extern pthread_mutex_t sim_control_lock;
extern pthread_t sim_main_thread;

#define SIG_FLUSH  SIGUSR1
#define SIG_NESTED SIGRTMIN
#define SIG_STALL   (SIGRTMIN + 1)
#define SIG_DONE   SIGUSR2

static inline uint64_t sim_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void sim_store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* host.c */
int sim_host_init(void);
uint64_t sim_tsc_hz(void);
int sim_buffer_fd(unsigned int cpu);
int sim_wakeup_attach(void);
void sim_wakeup_detach(int slot);
int sim_wakeup_fd(int slot);
void sim_wake_consumers(void);
extern __thread struct sim_cpu *sim_self;
extern __thread int sim_in_nested;

/* cpu.c */
int sim_cpus_start(void);
void sim_cpus_note_started(void);
unsigned int sim_cpus_nr_done(void);
unsigned int sim_cpus_nr_threads(void);

/* workload.c */
void sim_emit_main(unsigned int cpu, uint64_t k);
void sim_emit_nested(unsigned int cpu, uint64_t n);

/* server.c */
int sim_server_start(const char *path);
void sim_server_cleanup(void);

#endif /* LTTNG_XEN_SIM_H */
