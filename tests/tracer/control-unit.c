// SPDX-License-Identifier: GPL-2.0-only
/*
 * control-unit.c: the tracer's control core (tracer/control.c) against a
 * host of this file's, single-threaded and deterministic.
 *
 * The host builds and takes buffers apart in steps, as Xen does under
 * preemption (issue 14, item 6): each alloc_buffer() and free_buffer()
 * call does one step, then says -ERESTART while steps remain, as long as
 * the operation runs "in the sysctl" (ctl()).  The test plays the
 * continuation itself, so it can run other operations in between, the
 * interleavings a second caller gets in Xen while the sysctl lock is
 * released, and check that every one sees a state that makes sense, that
 * an operation that fails changes nothing, and that no memory is lost
 * or freed twice.
 *
 * It also watches rb_array_index_nospec() (issue 14, item 7): every index
 * the consumer chooses (a CPU, an event) must go through it with the
 * bound its check used.
 *
 * Usage: control-unit      (one line per check; exit status 0 if all pass)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lttng-xen/control.h>

#include "event-ids.h"
#include "frontend.h"

#define NCPU    4
#define STEPS   5               /* steps to build or take apart a buffer */

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

/* ---- the host ---- */

static unsigned int cur = LTTNG_XEN_MAX_CPUS; /* the CPU code runs on */
static int online[NCPU] = {1, 1, 1, 0};
static uint64_t now_ticks;
static int yielding;            /* in the sysctl: work stops between steps */
static unsigned int wakeups;

struct fake_mem {
	void *mem;
	uint32_t size;
	int built, undone;      /* steps */
	int freeing;
};
static struct fake_mem fm[NCPU];
static long bytes_held;         /* every byte a buffer holds, partial too */
static int fail_cpu = -1, fail_step; /* alloc_buffer() of fail_cpu: ENOMEM */

unsigned int lttng_xen_host_cpu(void)
{
	return cur;
}

/* No domain filter is set here: every event runs for dom0. */
unsigned int lttng_xen_host_domain(void)
{
	return 0;
}

uint64_t rb_platform_clock(void)
{
	return now_ticks += 10;
}

void rb_platform_wakeup(struct rb_buf *b)
{
	(void)b;
}

static int alloc_buffer(unsigned int cpu, uint32_t size, void **mem)
{
	struct fake_mem *f = &fm[cpu];

	if (!f->mem) {
		f->mem = calloc(1, size);
		f->size = size;
		f->built = 0;
		bytes_held += size;
	}
	if (f->size != size || f->freeing) {
		check(0, "alloc_buffer: called again with another size, or "
			 "while being freed");
		exit(1);
	}
	while (f->built < STEPS) {
		f->built++;
		if ((int)cpu == fail_cpu && f->built == fail_step)
			return -LTTNG_XEN_ENOMEM;
		if (yielding && f->built < STEPS)
			return -LTTNG_XEN_ERESTART;
	}
	*mem = f->mem;
	return 0;
}

static int free_buffer(unsigned int cpu, void *mem, uint32_t size)
{
	struct fake_mem *f = &fm[cpu];

	if (!f->mem) {
		if (mem)
			check(0, "free_buffer: a buffer the host never gave");
		return 0;
	}
	if ((mem && mem != f->mem) || size != f->size) {
		check(0, "free_buffer: another buffer than the CPU's");
		exit(1);
	}
	if (!f->freeing) {
		f->freeing = 1;
		f->undone = 0;
	}
	while (f->undone < STEPS) {
		f->undone++;
		if (yielding && f->undone < STEPS)
			return -LTTNG_XEN_ERESTART;
	}
	memset(f->mem, 0xaa, f->size); /* a writer using it now would show */
	free(f->mem);
	bytes_held -= f->size;
	memset(f, 0, sizeof(*f));
	return 0;
}

static void run_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
	unsigned int was = cur;

	cur = cpu;
	fn(arg);
	cur = was;
}

static unsigned int nr_possible_cpus(void)
{
	return NCPU;
}

static int cpu_is_online(unsigned int cpu)
{
	return cpu < NCPU && online[cpu];
}

static uint64_t tsc_hz(void)
{
	return 1000000000;
}

static void make_uuid(uint8_t uuid[16])
{
	memset(uuid, 0x42, 16);
}

static void wake_consumer(void)
{
	wakeups++;
}

static struct lttng_xen_host_ops host_ops = {
	.alloc_buffer = alloc_buffer,
	.free_buffer = free_buffer,
	.run_on_cpu = run_on_cpu,
	.nr_possible_cpus = nr_possible_cpus,
	.cpu_is_online = cpu_is_online,
	.tsc_hz = tsc_hz,
	.make_uuid = make_uuid,
	.wake_consumer = wake_consumer,
	.quiesce_ms = 1000,
	.max_buf_size = 1u << 20,
};

/* ---- rb_array_index_nospec(), watched ---- */

#define MAX_SEEN 4096
static struct {
	unsigned long index, size;
} seen[MAX_SEEN];
static unsigned int nr_seen;

unsigned long test_nospec(unsigned long index, unsigned long size)
{
	if (nr_seen < MAX_SEEN) {
		seen[nr_seen].index = index;
		seen[nr_seen].size = size;
		nr_seen++;
	}
	return index < size ? index : 0;
}

static int saw(unsigned long index, unsigned long size)
{
	unsigned int i;

	for (i = 0; i < nr_seen; i++)
		if (seen[i].index == index && seen[i].size == size)
			return 1;
	return 0;
}

/* ---- operations ---- */

/* One step of an operation, as one hypercall (or continuation) runs. */
static int ctl(uint32_t code, uint32_t cpu, struct lttng_xen_op *in)
{
	struct lttng_xen_op op;
	int rc;

	if (in)
		op = *in;
	else
		memset(&op, 0, sizeof(op));
	op.op = code;
	op.cpu = cpu;
	yielding = 1;
	rc = lttng_xen_control(&op);
	yielding = 0;
	if (in)
		*in = op;
	return rc;
}

/*
 * An operation to its end, continued as Xen continues the sysctl: the
 * same operation, as it came, again.  *steps: how many calls it took.
 */
static int ctl_all(uint32_t code, uint32_t cpu, const struct lttng_xen_op *in,
		   int *steps)
{
	struct lttng_xen_op op;
	int rc, n = 0;

	do {
		if (in)
			op = *in;
		else
			memset(&op, 0, sizeof(op));
		rc = ctl(code, cpu, &op);
		n++;
	} while (rc == -LTTNG_XEN_ERESTART && n < 10000);
	if (steps)
		*steps = n;
	return rc;
}

/* DESTROY, which must free every byte the buffers held. */
static void check_destroy(void)
{
	check(ctl_all(LTTNG_XEN_OP_DESTROY, 0, NULL, NULL) == 0 &&
		      bytes_held == 0,
	      "DESTROY");
}

static struct lttng_xen_op config_op(uint32_t subbuf, uint32_t nr,
				     uint64_t mask)
{
	struct lttng_xen_op op;

	memset(&op, 0, sizeof(op));
	op.u.config.subbuf_size = subbuf;
	op.u.config.nr_subbufs = nr;
	op.u.config.cpu_mask[0] = mask;
	return op;
}

static struct lttng_xen_info info(void)
{
	struct lttng_xen_op op;

	memset(&op, 0, sizeof(op));
	if (ctl(LTTNG_XEN_OP_GET_INFO, 0, &op))
		check(0, "GET_INFO");
	return op.u.info;
}

static int has_buffer(unsigned int cpu)
{
	return ctl(LTTNG_XEN_OP_GET_BUFFER, cpu, NULL) == 0;
}

#define BUF(subbuf, nr) ((long)LTTNG_XEN_CTL_SIZE + (long)(subbuf) * (nr))

/* ---- scenarios ---- */

static void configure_in_steps(void)
{
	struct lttng_xen_op cfg = config_op(4096, 4, 0);
	struct lttng_xen_info i;
	int steps, rc;

	printf("== CONFIGURE in steps, nothing in the way\n");
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, &steps);
	i = info();
	printf("CONFIGURE took %d steps\n", steps);
	check(rc == 0 && steps == 3 * STEPS - 2,
	      "CONFIGURE of 3 online CPUs: one step per piece of work");
	check(i.state == LTTNG_XEN_STATE_STOPPED && i.generation == 1,
	      "configured, generation 1");
	check(bytes_held == 3 * BUF(4096, 4), "3 buffers held");
	rc = ctl_all(LTTNG_XEN_OP_DESTROY, 0, NULL, &steps);
	printf("DESTROY took %d steps\n", steps);
	check(rc == 0 && steps == 3 * STEPS - 2 && bytes_held == 0,
	      "DESTROY in steps frees them all");
	check(info().state == LTTNG_XEN_STATE_UNCONFIGURED, "unconfigured");
}

static void configure_interleaved(void)
{
	struct lttng_xen_op cfg = config_op(4096, 4, 0), other, ev;
	struct lttng_xen_info i;
	int rc, steps;

	printf("== other callers while a CONFIGURE is in steps\n");
	rc = ctl(LTTNG_XEN_OP_CONFIGURE, 0, &cfg);
	check(rc == -LTTNG_XEN_ERESTART, "CONFIGURE stops part way");
	i = info();
	check(i.state == LTTNG_XEN_STATE_UNCONFIGURED && i.generation == 1,
	      "GET_INFO meanwhile: still unconfigured, the old generation");
	check(ctl(LTTNG_XEN_OP_START, 0, NULL) == -LTTNG_XEN_EPERM,
	      "START meanwhile: EPERM (unconfigured)");
	check(!has_buffer(0), "GET_BUFFER meanwhile: no buffer yet");
	other = config_op(8192, 4, 0);
	check(ctl(LTTNG_XEN_OP_CONFIGURE, 0, &other) == -LTTNG_XEN_EBUSY,
	      "CONFIGURE of another configuration meanwhile: EBUSY");
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, &steps);
	check(rc == 0 && bytes_held == 3 * BUF(4096, 4) &&
		      info().generation == 2,
	      "the CONFIGURE goes on where it stopped, to its end");

	check_destroy();

	printf("== a CONFIGURE from the stopped state, in steps\n");
	/* CPUs 0-2 traced; CPU 3 comes online, untraced; then every CPU. */
	other = config_op(4096, 4, 0x7);
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &other, NULL) == 0,
	      "CONFIGURE of CPUs 0-2");
	online[3] = 1;
	check(lttng_xen_cpu_online(3) == 0 && !has_buffer(3),
	      "CPU 3 online, not traced");
	rc = ctl(LTTNG_XEN_OP_CONFIGURE, 0, &cfg);
	check(rc == -LTTNG_XEN_ERESTART, "CONFIGURE of 4 CPUs stops part way");
	check(info().generation == 3 && has_buffer(0) && !has_buffer(3),
	      "meanwhile the configuration in force serves (CPU 0 has its "
	      "buffer, CPU 3 not yet)");
	check(ctl(LTTNG_XEN_OP_START, 0, NULL) == -LTTNG_XEN_EBUSY,
	      "START meanwhile: EBUSY");
	memset(&ev, 0, sizeof(ev));
	ev.u.events.nr = 64;
	check(ctl(LTTNG_XEN_OP_SET_EVENTS, 0, &ev) == 0,
	      "SET_EVENTS meanwhile: it changes what CONFIGURE will reset");
	check(ctl(LTTNG_XEN_OP_GET_COUNTERS, 1, NULL) == 0,
	      "GET_COUNTERS meanwhile");
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, &steps);
	check(rc == 0 && has_buffer(3) && info().generation == 4 &&
		      bytes_held == 4 * BUF(4096, 4),
	      "then it ends: CPU 3 has its buffer, generation 4");
	check_destroy();
	online[3] = 0;
}

static void configure_fails(void)
{
	struct lttng_xen_op cfg = config_op(4096, 4, 0), cfg7;
	struct lttng_xen_info before, after;
	int rc, steps;

	printf("== CONFIGURE without memory for CPU 2, undone in steps\n");
	before = info();
	fail_cpu = 2;
	fail_step = 3;
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, &steps);
	fail_cpu = -1;
	after = info();
	printf("CONFIGURE: %d after %d steps\n", rc, steps);
	check(rc == -LTTNG_XEN_ENOMEM, "ENOMEM");
	check(steps > 2 * STEPS + 2,
	      "the buffers it built were freed in steps too");
	check(bytes_held == 0 && after.state == before.state &&
		      after.generation == before.generation,
	      "nothing changed, no memory kept");

	printf("== the same, from the stopped state\n");
	cfg7 = config_op(4096, 4, 0x7);
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg7, NULL) == 0,
	      "CONFIGURE of CPUs 0-2");
	before = info();
	online[3] = 1;
	lttng_xen_cpu_online(3);
	fail_cpu = 3;
	fail_step = 4;
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, &steps); /* every CPU */
	fail_cpu = -1;
	after = info();
	check(rc == -LTTNG_XEN_ENOMEM && after.generation == before.generation &&
		      after.state == LTTNG_XEN_STATE_STOPPED &&
		      bytes_held == 3 * BUF(4096, 4) && has_buffer(0) &&
		      !has_buffer(3),
	      "ENOMEM for CPU 3: the configuration in force is untouched");
	check_destroy();
	online[3] = 0;
}

static void destroy_interleaved(void)
{
	struct lttng_xen_op cfg = config_op(4096, 4, 0), half;
	int rc, steps;

	printf("== other callers while a DESTROY is freeing in steps\n");
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL) == 0,
	      "CONFIGURE");
	rc = ctl(LTTNG_XEN_OP_DESTROY, 0, NULL);
	check(rc == -LTTNG_XEN_ERESTART, "DESTROY stops part way");
	check(info().state == LTTNG_XEN_STATE_UNCONFIGURED,
	      "GET_INFO meanwhile: unconfigured already");
	check(!has_buffer(0) &&
		      ctl(LTTNG_XEN_OP_GET_COUNTERS, 0, NULL) ==
			      -LTTNG_XEN_EPERM,
	      "no buffer to reach meanwhile (EPERM)");
	check(ctl(LTTNG_XEN_OP_CONFIGURE, 0, &cfg) == -LTTNG_XEN_EBUSY,
	      "CONFIGURE meanwhile: EBUSY, memory is still being freed");
	rc = ctl_all(LTTNG_XEN_OP_DESTROY, 0, NULL, &steps);
	check(rc == 0 && bytes_held == 0,
	      "the DESTROY goes on to its end: every byte freed once");
	check(ctl(LTTNG_XEN_OP_DESTROY, 0, NULL) == -LTTNG_XEN_EPERM,
	      "DESTROY again: EPERM");

	printf("== DESTROY takes over a CONFIGURE whose caller is gone\n");
	half = config_op(4096, 4, 0);
	check(ctl(LTTNG_XEN_OP_CONFIGURE, 0, &half) == -LTTNG_XEN_ERESTART &&
		      bytes_held > 0,
	      "CONFIGURE stops part way, holding memory");
	rc = ctl_all(LTTNG_XEN_OP_DESTROY, 0, NULL, &steps);
	check(rc == 0 && bytes_held == 0 &&
		      info().state == LTTNG_XEN_STATE_UNCONFIGURED,
	      "DESTROY frees what it built");
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &half, &steps);
	check(rc == 0 && bytes_held == 3 * BUF(4096, 4),
	      "the CONFIGURE, continued after that, starts over and ends");
	check_destroy();
}

static void online_meanwhile(void)
{
	struct lttng_xen_op cfg = config_op(4096, 4, 0x3), all;
	int rc;

	printf("== a CPU comes online while a CONFIGURE builds its buffer\n");
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL) == 0,
	      "CONFIGURE of CPUs 0-1 (every CPU traced once online)");
	all = config_op(4096, 4, 0);
	/* CPU 2's buffer: part way.  CPU 3 offline. */
	rc = ctl(LTTNG_XEN_OP_CONFIGURE, 0, &all);
	check(rc == -LTTNG_XEN_ERESTART && fm[2].mem && fm[2].built < STEPS,
	      "CONFIGURE of every CPU stops in CPU 2's buffer");
	/* CPU 2 goes offline and back meanwhile (not in the mask in force). */
	online[2] = 0;
	online[2] = 1;
	check(lttng_xen_cpu_online(2) == 0 && !has_buffer(2),
	      "CPU 2 back online: untraced by the configuration in force");
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &all, NULL);
	check(rc == 0 && has_buffer(2) && bytes_held == 3 * BUF(4096, 4),
	      "the CONFIGURE ends with CPU 2's buffer, built once");
	check_destroy();

	printf("== ... and with its CPU traced by the configuration in force\n");
	cfg = config_op(4096, 4, 0);
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL) == 0,
	      "CONFIGURE of every CPU (0-2 online)");
	rc = ctl(LTTNG_XEN_OP_CONFIGURE, 0, &cfg);
	check(rc == 0, "CONFIGURE again, nothing to build: at once");
	online[3] = 1;
	/* A reconfiguration that builds CPU 3's buffer stops part way... */
	cfg = config_op(4096, 4, 0);
	rc = ctl(LTTNG_XEN_OP_CONFIGURE, 0, &cfg);
	check(rc == -LTTNG_XEN_ERESTART && fm[3].mem,
	      "CONFIGURE stops in CPU 3's buffer");
	/* ...and CPU 3 comes online, traced: its buffer is finished now. */
	check(lttng_xen_cpu_online(3) == 0 && has_buffer(3),
	      "CPU 3 online: its buffer finished at once, traced");
	rc = ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL);
	check(rc == 0 && has_buffer(3) && bytes_held == 4 * BUF(4096, 4),
	      "the CONFIGURE ends; one buffer for CPU 3");
	check_destroy();
	online[3] = 0;
}

static void limits(void)
{
	struct lttng_xen_op cfg;

	printf("== the host's limit on buffer memory (1 MiB here)\n");
	cfg = config_op(1u << 20, 2, 0);
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL) ==
		      -LTTNG_XEN_ERANGE && bytes_held == 0,
	      "CONFIGURE of 2 x 1 MiB: ERANGE");
	cfg = config_op(512u << 10, 2, 0);
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL) == 0,
	      "CONFIGURE of 2 x 512 KiB");
	check(ctl_all(LTTNG_XEN_OP_DESTROY, 0, NULL, NULL) == 0, "DESTROY");
}

static void nospec(void)
{
	struct lttng_xen_op cfg = config_op(4096, 4, 0), op;
	unsigned int nr_cpus;
	static const uint32_t per_cpu[] = {
		LTTNG_XEN_OP_FLUSH, LTTNG_XEN_OP_GET_BUFFER,
		LTTNG_XEN_OP_GET_SUBBUF, LTTNG_XEN_OP_PUT_SUBBUF,
		LTTNG_XEN_OP_GET_COUNTERS, LTTNG_XEN_OP_HOLD,
	};
	unsigned int i;
	char what[128];

	printf("== every index the consumer chooses goes through "
	       "rb_array_index_nospec()\n");
	check(ctl_all(LTTNG_XEN_OP_CONFIGURE, 0, &cfg, NULL) == 0,
	      "CONFIGURE");
	nr_cpus = info().nr_cpus;
	for (i = 0; i < sizeof(per_cpu) / sizeof(per_cpu[0]); i++) {
		nr_seen = 0;
		memset(&op, 0, sizeof(op));
		op.u.subbuf.generation = info().generation;
		nr_seen = 0;
		ctl(per_cpu[i], 2, &op);
		snprintf(what, sizeof(what),
			 "operation %u: CPU 2 through it, bound %u", per_cpu[i],
			 nr_cpus);
		check(saw(2, nr_cpus), what);
	}
	memset(&op, 0, sizeof(op));
	op.u.events.first = 64;
	op.u.events.nr = 3;
	nr_seen = 0;
	check(ctl(LTTNG_XEN_OP_SET_EVENTS, 0, &op) == 0, "SET_EVENTS 64..66");
	check(saw(64, LTTNG_XEN_NR_EVENTS) && saw(65, LTTNG_XEN_NR_EVENTS) &&
		      saw(66, LTTNG_XEN_NR_EVENTS),
	      "SET_EVENTS: each event id through it, bound the number of "
	      "events");
	check(saw(0, 512) && saw(1, 512) && saw(2, 512),
	      "SET_EVENTS: each bit of the request through it, bound 512");
	check(ctl_all(LTTNG_XEN_OP_DESTROY, 0, NULL, NULL) == 0, "DESTROY");
}

int main(void)
{
	if (lttng_xen_control_init(&host_ops)) {
		fprintf(stderr, "control-unit: lttng_xen_control_init failed\n");
		return 2;
	}
	configure_in_steps();
	configure_interleaved();
	configure_fails();
	destroy_interleaved();
	online_meanwhile();
	limits();
	nospec();
	printf("control-unit: %d failures\n", failures);
	return failures ? 1 : 0;
}
