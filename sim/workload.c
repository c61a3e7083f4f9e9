// SPDX-License-Identifier: GPL-2.0-only
/*
 * workload.c: the events the simulated CPUs emit, as README.md defines
 * them ("Workload") and workload_spec.py decodes them.  Change one, change
 * all three.
 *
 * Main-loop event k of CPU c is chosen by k % 5; nested event n (timer
 * signal handler) is always pv:trap.  Every event with fields carries c
 * and k (or n) whole, plus a check word, so a reader can tell exactly
 * which call produced it.  With --sim-domains, a CPU also switches
 * domains every 64 main-loop events (enter_domain()).
 */
#include "sim.h"
#include "tracepoints.h"

/* The check word of workload_spec.check32(). */
static uint32_t check32(unsigned int cpu, uint64_t k)
{
	return (uint32_t)(k * 2654435761u) ^ ((uint32_t)cpu << 24) ^
	       (uint32_t)(k >> 32);
}

static const uint32_t hypercall_ops[3] = {
	LTTNG_PV_HYPERCALL_MMU_UPDATE,
	LTTNG_PV_HYPERCALL_MULTICALL,
	LTTNG_PV_HYPERCALL_GRANT_TABLE_OP,
};

static void emit_hypercall(unsigned int cpu, uint64_t k)
{
	uint64_t j = k / 5;
	uint8_t nr_words = 1 + j % 3;
	uint32_t args[3] = {(uint32_t)k, (uint32_t)(k >> 32), check32(cpu, k)};

	/* One word holds k only while k fits in 32 bits. */
	if (k >> 32 && nr_words < 2)
		nr_words = 2;
	trace_pv_hypercall(hypercall_ops[(j / 3) % 3], (uint16_t)cpu, nr_words,
			   args);
}

/*
 * --sim-domains N: main-loop event k runs in domain (k / 64) % N, and
 * nested events in the domain of the event they interrupt.  Where the
 * domain changes, the CPU first records the switch, in the domain it
 * leaves (as Xen's scheduler does): sched:context_switch with the CPU as
 * both units.
 */
static void enter_domain(unsigned int cpu, uint64_t k)
{
	struct sim_cpu *c = &sim_cpus[cpu];
	unsigned int next = (k / SIM_DOMAIN_SLICE) % sim_opts.nr_domains;

	if (next == c->domain)
		return;
	trace_sched_context_switch(c->domain, cpu, next, cpu);
	__atomic_store_n(&c->domain, next, __ATOMIC_RELAXED);
}

void sim_emit_main(unsigned int cpu, uint64_t k)
{
	if (sim_opts.nr_domains)
		enter_domain(cpu, k);
	switch (k % 5) {
	case 0:
		emit_hypercall(cpu, k);
		break;
	case 1:
		trace_hw_idle_entry((uint8_t)cpu, (uint32_t)k,
				    (uint32_t)(k >> 32), check32(cpu, k));
		break;
	case 2:
		trace_pv_page_fault(k, cpu, check32(cpu, k));
		break;
	case 3:
		trace_pv_ptwr_emulation(k, cpu, ~k);
		break;
	default:
		trace_pv_math_state_restore();
		break;
	}
}

void sim_emit_nested(unsigned int cpu, uint64_t n)
{
	uint8_t use_error_code = n & 1;

	trace_pv_trap(n, (uint8_t)cpu, use_error_code,
		      use_error_code ? (uint16_t)n : 0xffff);
}
