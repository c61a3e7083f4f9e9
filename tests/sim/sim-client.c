// SPDX-License-Identifier: GPL-2.0-only
/*
 * sim-client: a minimal consumer of lttng-xen-sim for the tests, built on
 * transport/ and ctf-writer/ only (not on lttd-xen), so the simulator, the
 * control code and the ring buffer are tested on their own.
 *
 *   sim-client trace SOCKET DIR [options]
 *       CONFIGURE, START, write every sub-buffer to DIR/channel0_<cpu>
 *       (whole packets), then STOP, drain, FLUSH each CPU, drain again and
 *       write DIR/metadata (with ctf-writer/, as lttd-xen does).  Stops
 *       when --until-file FILE exists, or after --duration SECONDS.
 *       Options: --subbuf-size N (65536), --nr-subbufs N (4), --mode
 *       discard|overwrite, --counters FILE (JSON of the producer's
 *       counters per CPU at the end).
 *   sim-client hostile SOCKET
 *       Every malformed or out-of-state operation must get its error
 *       code and change nothing (a fresh, unconfigured simulator).
 *   sim-client stale SOCKET
 *       A consumer left over from a destroyed session (its GET_INFO
 *       generation) can neither take nor put away the sub-buffers of the
 *       session configured after it: -ESRCH, and the new session's
 *       consumer gets them all, from position 0.
 *   sim-client quiesce SOCKET QUIESCE_MS
 *       A writer that stays inside a trace point (HOLD) past the
 *       producer's quiescence deadline QUIESCE_MS: CONFIGURE and DESTROY
 *       fail with -EBUSY and change nothing; once it has left, they
 *       succeed (a fresh simulator with 2 CPUs or more).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctfw.h"
#include "event-ids.h"
#include "transport.h"
#include "../../sim/sim-protocol.h"

static struct lx_transport *tp;
static struct lx_error err;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sim-client: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static struct lttng_xen_info get_info(void);

/* The configuration's generation GET_SUBBUF and PUT_SUBBUF carry:
 * GET_INFO's, after each CONFIGURE this client makes. */
static uint32_t generation;

/* One operation; the producer's answer is returned, transport errors die. */
static int op_ret(struct lttng_xen_op *op)
{
	uint32_t code = op->op;

	if (lx_op(tp, op, &err))
		die("%s", err.msg);
	if (code == LTTNG_XEN_OP_CONFIGURE && op->ret == 0) {
		int ret = op->ret;

		generation = get_info().generation;
		op->ret = ret;
	}
	return op->ret;
}

static struct lttng_xen_op mkop(uint32_t code, uint32_t cpu)
{
	struct lttng_xen_op op;

	memset(&op, 0, sizeof(op));
	op.op = code;
	op.cpu = cpu;
	if (code == LTTNG_XEN_OP_GET_SUBBUF || code == LTTNG_XEN_OP_PUT_SUBBUF)
		op.u.subbuf.generation = generation;
	return op;
}

static int simple(uint32_t code, uint32_t cpu)
{
	struct lttng_xen_op op = mkop(code, cpu);

	return op_ret(&op);
}

static struct lttng_xen_info get_info(void)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_GET_INFO, 0);

	if (op_ret(&op))
		die("GET_INFO: %s", lx_strerror(op.ret));
	return op.u.info;
}

/* ---- trace ---- */

struct stream {
	const uint8_t *map;
	size_t size;
	FILE *out;
	uint64_t packets, dropped;
};

static struct stream streams[LTTNG_XEN_MAX_CPUS];
static unsigned int nr_streams;
static struct lttng_xen_info info;
static uint8_t *copy_buf;
static const char *out_dir;

static void attach_new_cpus(void)
{
	struct lttng_xen_info now_info = get_info();
	char path[4096];
	unsigned int cpu;

	for (cpu = nr_streams; cpu < now_info.nr_cpus; cpu++) {
		struct stream *s = &streams[cpu];

		s->map = lx_map_buffer(tp, cpu, &s->size, &err);
		if (!s->map) {
			if (errno == ENOENT)
				continue; /* not traced */
			die("%s", err.msg);
		}
		snprintf(path, sizeof(path), "%s/channel0_%u", out_dir, cpu);
		s->out = fopen(path, "w");
		if (!s->out)
			die("cannot create %s: %s", path, strerror(errno));
	}
	if (now_info.nr_cpus > nr_streams)
		nr_streams = now_info.nr_cpus;
}

static void drain(unsigned int cpu)
{
	struct stream *s = &streams[cpu];
	uint64_t buf_size = (uint64_t)info.subbuf_size * info.nr_subbufs;
	struct lttng_xen_op op;

	if (!s->map)
		return;
	for (;;) {
		op = mkop(LTTNG_XEN_OP_GET_SUBBUF, cpu);
		if (op_ret(&op) == -LTTNG_XEN_EAGAIN)
			return;
		if (op.ret)
			die("GET_SUBBUF CPU %u: %s", cpu, lx_strerror(op.ret));
		memcpy(copy_buf,
		       s->map + LTTNG_XEN_CTL_SIZE +
			       (op.u.subbuf.pos & (buf_size - 1)),
		       info.subbuf_size);
		op.op = LTTNG_XEN_OP_PUT_SUBBUF;
		if (op_ret(&op) == -LTTNG_XEN_EOVERFLOW) {
			s->dropped++;
			continue;
		}
		if (op.ret)
			die("PUT_SUBBUF CPU %u: %s", cpu, lx_strerror(op.ret));
		if (fwrite(copy_buf, info.subbuf_size, 1, s->out) != 1)
			die("cannot write the stream of CPU %u: %s", cpu,
			    strerror(errno));
		s->packets++;
	}
}

static void drain_all(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_streams; cpu++)
		drain(cpu);
}

/* DIR/metadata, written as lttd-xen writes it (ctf-writer/); the clock
 * is not placed on the Unix epoch (offset 0). */
static void write_metadata(void)
{
	struct ctfw_metadata m;

	ctfw_metadata_init(&m, info.trace_uuid, info.tsc_hz);
	snprintf(m.hostname, sizeof(m.hostname), "sim-client");
	if (ctfw_metadata_write_dir(out_dir, &m))
		exit(1);
}

static void write_counters(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int cpu;
	int first = 1;

	if (!f)
		die("cannot create %s: %s", path, strerror(errno));
	fprintf(f, "{");
	for (cpu = 0; cpu < nr_streams; cpu++) {
		struct lttng_xen_op op = mkop(LTTNG_XEN_OP_GET_COUNTERS, cpu);
		const struct lttng_xen_counters *c = &op.u.counters;

		if (!streams[cpu].map || op_ret(&op))
			continue;
		fprintf(f,
			"%s\n  \"%u\": {\"produced\": %" PRIu64
			", \"discarded\": %" PRIu64
			", \"lost_too_big\": %" PRIu64
			", \"lost_nested\": %" PRIu64
			", \"overwritten\": %" PRIu64 ", \"packets\": %" PRIu64
			", \"dropped_packets\": %" PRIu64
			", \"clock_backwards\": %" PRIu64
			", \"clock_backwards_max\": %" PRIu64 "}",
			first ? "" : ",", cpu, c->produced, c->discarded,
			c->lost_too_big, c->lost_nested, c->overwritten,
			streams[cpu].packets, streams[cpu].dropped,
			c->clock_backwards, c->clock_backwards_max);
		first = 0;
	}
	fprintf(f, "\n}\n");
	fclose(f);
}

static uint32_t parse_mode(const char *s)
{
	if (!strcmp(s, "discard"))
		return LTTNG_XEN_MODE_DISCARD;
	if (!strcmp(s, "overwrite"))
		return LTTNG_XEN_MODE_OVERWRITE;
	die("--mode: '%s' is not discard or overwrite", s);
	return 0;
}

static int trace_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"subbuf-size", required_argument, NULL, 's'},
		{"nr-subbufs", required_argument, NULL, 'n'},
		{"mode", required_argument, NULL, 'm'},
		{"until-file", required_argument, NULL, 'u'},
		{"duration", required_argument, NULL, 'd'},
		{"counters", required_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	const char *until = NULL;
	const char *counters = NULL;
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_CONFIGURE, 0);
	double duration = 0, t0;
	struct pollfd pfd;
	unsigned int cpu;
	int c;

	op.u.config.subbuf_size = 65536;
	op.u.config.nr_subbufs = 4;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			op.u.config.subbuf_size = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			op.u.config.nr_subbufs = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			op.u.config.mode = parse_mode(optarg);
			break;
		case 'u':
			until = optarg;
			break;
		case 'd':
			duration = atof(optarg);
			break;
		case 'C':
			counters = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind + 2 != argc || (!until && !duration))
		die("usage: sim-client trace SOCKET DIR (--until-file F | "
		    "--duration S) [options]");
	out_dir = argv[optind + 1];
	if (mkdir(out_dir, 0755) && errno != EEXIST)
		die("cannot create %s: %s", out_dir, strerror(errno));

	info = get_info();
	if (info.metadata_hash != LTTNG_XEN_METADATA_HASH)
		die("the simulator was built from different facility files");
	if (op_ret(&op))
		die("CONFIGURE: %s", lx_strerror(op.ret));
	info = get_info();
	copy_buf = malloc(info.subbuf_size);
	if (!copy_buf)
		die("out of memory");
	pfd.fd = lx_wakeup_fd(tp, &err);
	if (pfd.fd < 0)
		die("%s", err.msg);
	pfd.events = POLLIN;
	attach_new_cpus();
	op = mkop(LTTNG_XEN_OP_START, 0);
	if (op_ret(&op))
		die("START: %s", lx_strerror(op.ret));

	t0 = now();
	for (;;) {
		/* A test client: a 100 ms safety timeout to see the end. */
		poll(&pfd, 1, 100);
		lx_ack_wakeup(tp);
		attach_new_cpus();
		drain_all();
		if (until && access(until, F_OK) == 0)
			break;
		if (duration && now() - t0 >= duration)
			break;
	}

	if (simple(LTTNG_XEN_OP_STOP, 0))
		die("STOP failed");
	attach_new_cpus();
	drain_all();
	for (cpu = 0; cpu < nr_streams; cpu++) {
		if (streams[cpu].map && simple(LTTNG_XEN_OP_FLUSH, cpu))
			die("FLUSH CPU %u failed", cpu);
	}
	drain_all();
	for (cpu = 0; cpu < nr_streams; cpu++) {
		if (streams[cpu].out && fclose(streams[cpu].out))
			die("cannot write the stream of CPU %u", cpu);
		printf("CPU %u: %" PRIu64 " packets written, %" PRIu64
		       " dropped (overwritten while copied)\n",
		       cpu, streams[cpu].packets, streams[cpu].dropped);
	}
	write_metadata();
	if (counters)
		write_counters(counters);
	return 0;
}

/* ---- hostile ---- */

static int failures;

static const char *err_name(int ret)
{
	static char other[32];

	switch (-ret) {
	case 0:
		return "0";
	case LTTNG_XEN_EPERM:
		return "-EPERM";
	case LTTNG_XEN_ENOENT:
		return "-ENOENT";
	case LTTNG_XEN_ESRCH:
		return "-ESRCH";
	case LTTNG_XEN_ENOMEM:
		return "-ENOMEM";
	case LTTNG_XEN_EBUSY:
		return "-EBUSY";
	case LTTNG_XEN_EINVAL:
		return "-EINVAL";
	case LTTNG_XEN_EAGAIN:
		return "-EAGAIN";
	case LTTNG_XEN_ERANGE:
		return "-ERANGE";
	case LTTNG_XEN_ENOSYS:
		return "-ENOSYS";
	case LTTNG_XEN_EOVERFLOW:
		return "-EOVERFLOW";
	}
	snprintf(other, sizeof(other), "%d", ret);
	return other;
}

static void expect(const char *what, struct lttng_xen_op *op, int want)
{
	int got = op_ret(op);

	if (got == want) {
		printf("ok    %-50s -> %s\n", what, err_name(got));
		return;
	}
	printf("FAIL  %-50s -> %s, expected %s\n", what, err_name(got),
	       err_name(want));
	failures++;
}

static void expect_simple(const char *what, uint32_t code, uint32_t cpu,
			  int want)
{
	struct lttng_xen_op op = mkop(code, cpu);

	expect(what, &op, want);
}

/* DOMAIN_NAME with len bytes of name (no NUL added). */
static void domain_name(const char *what, uint32_t domid, const char *name,
			size_t len, int want)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_DOMAIN_NAME, 0);

	op.u.domain_name.domain = domid;
	memcpy(op.u.domain_name.name, name, len);
	expect(what, &op, want);
}

/* SET_DOMAINS of nr ids, the first 'first', the next ones first + i. */
static void set_domains(const char *what, uint32_t nr, uint16_t first,
			int want)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_SET_DOMAINS, 0);
	uint32_t i;

	op.u.domains.nr = nr;
	for (i = 0; i < nr && i < LTTNG_XEN_MAX_DOMAINS; i++)
		op.u.domains.domid[i] = first + i;
	expect(what, &op, want);
}

static void expect_state(uint32_t state, uint32_t subbuf_size)
{
	struct lttng_xen_info i = get_info();

	if (i.state == state && i.subbuf_size == subbuf_size) {
		printf("ok    state %u, sub-buffers of %u bytes\n", state,
		       subbuf_size);
		return;
	}
	printf("FAIL  state %u with sub-buffers of %u bytes, expected state %u "
	       "with %u\n",
	       i.state, i.subbuf_size, state, subbuf_size);
	failures++;
}

static void configure(const char *what, uint32_t size, uint32_t nr,
		      uint32_t mode, int bad_cpu, int want)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_CONFIGURE, 0);

	op.u.config.subbuf_size = size;
	op.u.config.nr_subbufs = nr;
	op.u.config.mode = mode;
	if (bad_cpu >= 0)
		op.u.config.cpu_mask[bad_cpu / 64] |= 1ULL << (bad_cpu % 64);
	expect(what, &op, want);
}

static void set_events(const char *what, uint32_t first, uint32_t nr, int want)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_SET_EVENTS, 0);

	op.u.events.first = first;
	op.u.events.nr = nr;
	memset(op.u.events.bits, 0xff, sizeof(op.u.events.bits));
	expect(what, &op, want);
}

static void put(const char *what, uint32_t cpu, uint64_t pos, int want)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_PUT_SUBBUF, cpu);

	op.u.subbuf.pos = pos;
	expect(what, &op, want);
}

static struct lttng_xen_op hold_op(uint32_t cpu, uint32_t ms)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_HOLD, cpu);

	op.u.hold.ms = ms;
	return op;
}

static struct lttng_xen_counters get_counters(uint32_t cpu)
{
	struct lttng_xen_op op = mkop(LTTNG_XEN_OP_GET_COUNTERS, cpu);

	if (op_ret(&op))
		die("GET_COUNTERS CPU %u: %s", cpu, lx_strerror(op.ret));
	return op.u.counters;
}

static uint64_t get_counters_offset(uint32_t cpu)
{
	return get_counters(cpu).offset;
}

static uint64_t get_counters_consumed(uint32_t cpu)
{
	return get_counters(cpu).consumed;
}

static void hold(const char *what, uint32_t cpu, uint32_t ms, int want)
{
	struct lttng_xen_op op = hold_op(cpu, ms);

	expect(what, &op, want);
}

/* Messages of the wrong size, on a raw connection. */
static void raw_messages(const char *sock_path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	static const size_t sizes[] = {0,
				       1,
				       5,
				       sizeof(struct lttng_xen_op) - 1,
				       sizeof(struct lttng_xen_op) + 1,
				       4096};
	char buf[4096];
	struct lttng_xen_op ans;
	unsigned int i;
	int fd;

	strncpy(sa.sun_path, sock_path, sizeof(sa.sun_path) - 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("cannot connect to %s: %s", sock_path, strerror(errno));
	memset(buf, 0x5a, sizeof(buf));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ssize_t n;

		if (!sizes[i])
			continue; /* an empty datagram reads as EOF */
		if (send(fd, buf, sizes[i], 0) != (ssize_t)sizes[i])
			die("send: %s", strerror(errno));
		n = recv(fd, &ans, sizeof(ans), 0);
		if (n == sizeof(ans) && ans.ret == -LTTNG_XEN_EINVAL) {
			printf("ok    message of %zu bytes                     "
			       " -> -EINVAL\n",
			       sizes[i]);
		} else {
			printf("FAIL  message of %zu bytes -> %zd bytes, ret "
			       "%d\n",
			       sizes[i], n, n == sizeof(ans) ? ans.ret : 0);
			failures++;
		}
	}
	close(fd);
}

/* A complete sub-buffer of CPU cpu, waiting for up to 20 s. */
static uint64_t wait_subbuf(uint32_t cpu)
{
	double t0 = now();
	struct lttng_xen_op op;

	for (;;) {
		op = mkop(LTTNG_XEN_OP_GET_SUBBUF, cpu);
		if (op_ret(&op) == 0)
			return op.u.subbuf.pos;
		if (op.ret != -LTTNG_XEN_EAGAIN)
			die("GET_SUBBUF CPU %u: %s", cpu, lx_strerror(op.ret));
		if (now() - t0 > 20)
			die("no sub-buffer completed on CPU %u in 20 s", cpu);
		usleep(10000);
	}
}

static int hostile_main(const char *sock_path)
{
	struct lttng_xen_info i = get_info();
	uint32_t n = i.nr_cpus, sb = 16384;
	struct lttng_xen_op op;
	uint64_t pos, pos2;
	const void *map;
	size_t size;
	char what[80];

	if (i.state != LTTNG_XEN_STATE_UNCONFIGURED)
		die("the simulator must be fresh (unconfigured)");
	printf("simulator: %u CPUs, TSC %" PRIu64 " Hz\n", n, i.tsc_hz);

	/* Unknown operations and messages. */
	expect_simple("operation 0", 0, 0, -LTTNG_XEN_ENOSYS);
	expect_simple("operation 15", 15, 0, -LTTNG_XEN_ENOSYS);
	expect_simple("operation 0x1001", 0x1001, 0, -LTTNG_XEN_ENOSYS);
	expect_simple("operation 0xffffffff", 0xffffffff, 0, -LTTNG_XEN_ENOSYS);
	raw_messages(sock_path);

	/* Nothing but CONFIGURE before CONFIGURE. */
	expect_simple("START before CONFIGURE", LTTNG_XEN_OP_START, 0,
		      -LTTNG_XEN_EPERM);
	set_domains("SET_DOMAINS before CONFIGURE", 1, 1, -LTTNG_XEN_EPERM);
	expect_simple("STOP before CONFIGURE", LTTNG_XEN_OP_STOP, 0,
		      -LTTNG_XEN_EPERM);
	expect_simple("FLUSH before CONFIGURE", LTTNG_XEN_OP_FLUSH, 0,
		      -LTTNG_XEN_EPERM);
	expect_simple("GET_BUFFER before CONFIGURE", LTTNG_XEN_OP_GET_BUFFER, 0,
		      -LTTNG_XEN_EPERM);
	expect_simple("GET_SUBBUF before CONFIGURE", LTTNG_XEN_OP_GET_SUBBUF, 0,
		      -LTTNG_XEN_EPERM);
	put("PUT_SUBBUF before CONFIGURE", 0, 0, -LTTNG_XEN_EPERM);
	expect_simple("GET_COUNTERS before CONFIGURE",
		      LTTNG_XEN_OP_GET_COUNTERS, 0, -LTTNG_XEN_EPERM);
	set_events("SET_EVENTS before CONFIGURE", 0, 64, -LTTNG_XEN_EPERM);
	expect_simple("DESTROY before CONFIGURE", LTTNG_XEN_OP_DESTROY, 0,
		      -LTTNG_XEN_EPERM);
	hold("HOLD before CONFIGURE", 0, 10, -LTTNG_XEN_EPERM);

	/* Bad configurations. */
	configure("CONFIGURE subbuf_size 3", 3, 4, 0, -1, -LTTNG_XEN_EINVAL);
	configure("CONFIGURE subbuf_size 5000", 5000, 4, 0, -1,
		  -LTTNG_XEN_EINVAL);
	configure("CONFIGURE subbuf_size 2048", 2048, 4, 0, -1,
		  -LTTNG_XEN_ERANGE);
	configure("CONFIGURE subbuf_size 1 GiB", 1U << 30, 4, 0, -1,
		  -LTTNG_XEN_ERANGE);
	configure("CONFIGURE subbuf_size 0xffffffff", 0xffffffff, 4, 0, -1,
		  -LTTNG_XEN_EINVAL);
	configure("CONFIGURE nr_subbufs 1", sb, 1, 0, -1, -LTTNG_XEN_ERANGE);
	configure("CONFIGURE nr_subbufs 3", sb, 3, 0, -1, -LTTNG_XEN_EINVAL);
	configure("CONFIGURE nr_subbufs 1024", sb, 1024, 0, -1,
		  -LTTNG_XEN_ERANGE);
	configure("CONFIGURE 16 MiB x 256 (4 GiB per CPU)", 16U << 20, 256, 0,
		  -1, -LTTNG_XEN_ERANGE);
	configure("CONFIGURE mode 7", sb, 4, 7, -1, -LTTNG_XEN_EINVAL);
	configure("CONFIGURE cpu_mask bit 255", sb, 4, 0, 255,
		  -LTTNG_XEN_ERANGE);
	snprintf(what, sizeof(what), "CONFIGURE cpu_mask bit %u (nr_cpus)", n);
	configure(what, sb, 4, 0, n, -LTTNG_XEN_ERANGE);
	expect_state(LTTNG_XEN_STATE_UNCONFIGURED, 0);

	/* 0 means the default; then the sizes are fixed until DESTROY. */
	configure("CONFIGURE subbuf_size 0 nr_subbufs 0 (defaults)", 0, 0, 0,
		  -1, 0);
	expect_state(LTTNG_XEN_STATE_STOPPED, LTTNG_XEN_DEFAULT_SUBBUF_SIZE);
	expect_simple("DESTROY", LTTNG_XEN_OP_DESTROY, 0, 0);
	configure("CONFIGURE 16 KiB x 4", sb, 4, 0, -1, 0);
	configure("CONFIGURE 32 KiB x 4 while configured", 2 * sb, 4, 0, -1,
		  -LTTNG_XEN_EBUSY);
	configure("CONFIGURE 16 KiB x 8 while configured", sb, 8, 0, -1,
		  -LTTNG_XEN_EBUSY);
	configure("CONFIGURE 16 KiB x 4 overwrite (same sizes)", sb, 4, 1, -1,
		  0);
	configure("CONFIGURE 16 KiB x 4 discard (same sizes)", sb, 4, 0, -1, 0);
	expect_state(LTTNG_XEN_STATE_STOPPED, sb);

	/* CPUs out of range. */
	expect_simple("GET_BUFFER cpu 9999", LTTNG_XEN_OP_GET_BUFFER, 9999,
		      -LTTNG_XEN_ERANGE);
	snprintf(what, sizeof(what), "GET_BUFFER cpu %u (nr_cpus)", n);
	expect_simple(what, LTTNG_XEN_OP_GET_BUFFER, n, -LTTNG_XEN_ERANGE);
	expect_simple("GET_BUFFER cpu 0xffffffff", LTTNG_XEN_OP_GET_BUFFER,
		      0xffffffff, -LTTNG_XEN_ERANGE);
	expect_simple("GET_SUBBUF cpu 9999", LTTNG_XEN_OP_GET_SUBBUF, 9999,
		      -LTTNG_XEN_ERANGE);
	put("PUT_SUBBUF cpu 9999", 9999, 0, -LTTNG_XEN_ERANGE);
	snprintf(what, sizeof(what), "PUT_SUBBUF cpu %u (nr_cpus)", n);
	put(what, n, 0, -LTTNG_XEN_ERANGE);
	expect_simple("FLUSH cpu 9999", LTTNG_XEN_OP_FLUSH, 9999,
		      -LTTNG_XEN_ERANGE);
	snprintf(what, sizeof(what), "GET_COUNTERS cpu %u (nr_cpus)", n);
	expect_simple(what, LTTNG_XEN_OP_GET_COUNTERS, n, -LTTNG_XEN_ERANGE);
	hold("HOLD cpu 9999", 9999, 10, -LTTNG_XEN_ERANGE);
	hold("HOLD 10001 ms", 0, LTTNG_XEN_MAX_HOLD_MS + 1, -LTTNG_XEN_ERANGE);
	hold("HOLD 0xffffffff ms", 0, 0xffffffff, -LTTNG_XEN_ERANGE);

	/* Event selection. */
	set_events("SET_EVENTS first 3", 3, 1, -LTTNG_XEN_EINVAL);
	set_events("SET_EVENTS nr 100000", 0, 100000, -LTTNG_XEN_EINVAL);
	set_events("SET_EVENTS nr 513", 0, 513, -LTTNG_XEN_EINVAL);
	set_events("SET_EVENTS first 6400", 6400, 1, -LTTNG_XEN_ERANGE);
	set_events("SET_EVENTS first 0xffffffc0", 0xffffffc0, 64,
		   -LTTNG_XEN_ERANGE);
	set_events("SET_EVENTS 0..511 (past the last event)", 0, 512,
		   -LTTNG_XEN_ERANGE);
	set_events("SET_EVENTS every event", 0, LTTNG_XEN_NR_EVENTS, 0);

	/* Domain filter. */
	set_domains("SET_DOMAINS nr 33", 33, 1, -LTTNG_XEN_EINVAL);
	set_domains("SET_DOMAINS nr 0xffffffff", 0xffffffff, 1,
		    -LTTNG_XEN_EINVAL);
	set_domains("SET_DOMAINS domain 0x7ff0 (reserved)", 1, 0x7ff0,
		    -LTTNG_XEN_ERANGE);
	set_domains("SET_DOMAINS 0x7fef, 0x7ff0", 2, 0x7fef,
		    -LTTNG_XEN_ERANGE);
	set_domains("SET_DOMAINS 32 domains", 32, 1, 0);
	set_domains("SET_DOMAINS none (off)", 0, 0, 0);

	/* States. */
	expect_simple("STOP while stopped", LTTNG_XEN_OP_STOP, 0,
		      -LTTNG_XEN_EPERM);
	put("PUT_SUBBUF without GET_SUBBUF", 0, 0, -LTTNG_XEN_EINVAL);
	expect_simple("GET_SUBBUF of an empty buffer", LTTNG_XEN_OP_GET_SUBBUF,
		      0, -LTTNG_XEN_EAGAIN);

	/* The mapping is read-only, for good. */
	map = lx_map_buffer(tp, 0, &size, &err);
	if (!map)
		die("%s", err.msg);
	if (mprotect((void *)map, size, PROT_READ | PROT_WRITE) == 0) {
		printf("FAIL  the buffer mapping can be made writable\n");
		failures++;
	} else {
		printf("ok    the buffer mapping cannot be made writable "
		       "(%s)\n",
		       strerror(errno));
	}

	domain_name("DOMAIN_NAME while stopped", 0, "Domain-0", 9,
		    -LTTNG_XEN_EPERM);
	expect_simple("START", LTTNG_XEN_OP_START, 0, 0);
	expect_simple("START while running", LTTNG_XEN_OP_START, 0,
		      -LTTNG_XEN_EBUSY);
	domain_name("DOMAIN_NAME domain 0x7ff0 (reserved)", 0x7ff0, "x", 2,
		    -LTTNG_XEN_ERANGE);
	domain_name("DOMAIN_NAME domain 0xffffffff", 0xffffffff, "x", 2,
		    -LTTNG_XEN_ERANGE);
	domain_name("DOMAIN_NAME empty", 1, "", 1, -LTTNG_XEN_EINVAL);
	domain_name("DOMAIN_NAME with a control character", 1, "a\nb", 4,
		    -LTTNG_XEN_EINVAL);
	domain_name("DOMAIN_NAME without its NUL", 1,
		    "0123456789012345678901234567890123456789012345678901234567890123",
		    LTTNG_XEN_DOMAIN_NAME_SIZE, -LTTNG_XEN_EINVAL);
	domain_name("DOMAIN_NAME domain 0 Domain-0", 0, "Domain-0", 9, 0);
	configure("CONFIGURE while running", sb, 4, 0, -1, -LTTNG_XEN_EBUSY);
	set_domains("SET_DOMAINS while running", 1, 1, -LTTNG_XEN_EBUSY);
	expect_simple("DESTROY while running", LTTNG_XEN_OP_DESTROY, 0,
		      -LTTNG_XEN_EBUSY);

	/* Positions: only the one GET_SUBBUF gave, once. */
	pos = wait_subbuf(0);
	printf("ok    GET_SUBBUF cpu 0 -> position %" PRIu64 "\n", pos);
	put("PUT_SUBBUF pos + 1", 0, pos + 1, -LTTNG_XEN_EINVAL);
	put("PUT_SUBBUF pos + subbuf_size", 0, pos + sb, -LTTNG_XEN_EINVAL);
	put("PUT_SUBBUF pos - subbuf_size", 0, pos - sb, -LTTNG_XEN_EINVAL);
	put("PUT_SUBBUF pos on cpu 1", 1, pos, -LTTNG_XEN_EINVAL);
	put("PUT_SUBBUF pos", 0, pos, 0);
	put("PUT_SUBBUF pos again", 0, pos, -LTTNG_XEN_EINVAL);
	pos2 = wait_subbuf(0);
	op = mkop(LTTNG_XEN_OP_GET_SUBBUF, 0);
	expect("GET_SUBBUF again without PUT (consumer restart)", &op, 0);
	if (op.u.subbuf.pos != pos2 || pos2 != pos + sb) {
		printf("FAIL  positions %" PRIu64 ", %" PRIu64 " after %" PRIu64
		       "\n",
		       pos2, op.u.subbuf.pos, pos);
		failures++;
	}
	put("PUT_SUBBUF the next position", 0, pos2, 0);
	op = mkop(LTTNG_XEN_OP_GET_COUNTERS, 0);
	expect("GET_COUNTERS cpu 0", &op, 0);
	if (op.u.counters.consumed != pos + 2 * sb) {
		printf("FAIL  consumed %" PRIu64 ", expected %" PRIu64 "\n",
		       op.u.counters.consumed, pos + 2 * sb);
		failures++;
	} else {
		printf("ok    consumed moved by the two valid PUT_SUBBUFs "
		       "only\n");
	}

	set_events("SET_EVENTS while running", 0, LTTNG_XEN_NR_EVENTS, 0);
	expect_simple("STOP", LTTNG_XEN_OP_STOP, 0, 0);
	expect_simple("FLUSH cpu 0 while stopped", LTTNG_XEN_OP_FLUSH, 0, 0);
	expect_simple("DESTROY", LTTNG_XEN_OP_DESTROY, 0, 0);
	expect_state(LTTNG_XEN_STATE_UNCONFIGURED, 0);
	expect_simple("GET_BUFFER after DESTROY", LTTNG_XEN_OP_GET_BUFFER, 0,
		      -LTTNG_XEN_EPERM);
	/* The old mapping stays readable: the consumer cannot be crashed. */
	printf("ok    old mapping still readable: magic %#x\n",
	       ((const struct lttng_xen_buf_ctl *)map)->magic);
	lx_unmap_buffer(tp, map, size);

	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}

/* ---- stale ---- */

static int stale_main(void)
{
	const uint32_t sb = 16384;
	struct lttng_xen_op op;
	uint32_t old_gen;
	uint64_t pos;

	if (get_info().state != LTTNG_XEN_STATE_UNCONFIGURED)
		die("the simulator must be fresh (unconfigured)");
	configure("CONFIGURE (the first session)", sb, 4, 0, -1, 0);
	old_gen = generation;
	expect_simple("START", LTTNG_XEN_OP_START, 0, 0);
	pos = wait_subbuf(0);
	put("PUT_SUBBUF of the first session", 0, pos, 0);
	expect_simple("STOP", LTTNG_XEN_OP_STOP, 0, 0);
	expect_simple("DESTROY", LTTNG_XEN_OP_DESTROY, 0, 0);

	configure("CONFIGURE (the second session)", sb, 4, 0, -1, 0);
	if (generation == old_gen) {
		printf("FAIL  the second session has the first one's "
		       "generation %u\n",
		       old_gen);
		failures++;
	} else {
		printf("ok    generations %u, then %u\n", old_gen, generation);
	}
	expect_simple("START", LTTNG_XEN_OP_START, 0, 0);
	while (get_counters_offset(0) < 2 * sb)
		usleep(10000);

	/* The leftover consumer, with the first session's generation. */
	op = mkop(LTTNG_XEN_OP_GET_SUBBUF, 0);
	op.u.subbuf.generation = old_gen;
	expect("GET_SUBBUF with the first session's generation", &op,
	       -LTTNG_XEN_ESRCH);
	op = mkop(LTTNG_XEN_OP_GET_SUBBUF, 0);
	op.u.subbuf.generation = 0;
	expect("GET_SUBBUF with generation 0", &op, -LTTNG_XEN_ESRCH);

	/* The new consumer holds position 0; the old one cannot put it. */
	pos = wait_subbuf(0);
	if (pos) {
		printf("FAIL  the second session's first sub-buffer is at %" PRIu64
		       ", not 0\n", pos);
		failures++;
	} else {
		printf("ok    the second session's consumer gets position 0\n");
	}
	op = mkop(LTTNG_XEN_OP_PUT_SUBBUF, 0);
	op.u.subbuf.pos = pos;
	op.u.subbuf.generation = old_gen;
	expect("PUT_SUBBUF 0 with the first session's generation", &op,
	       -LTTNG_XEN_ESRCH);
	if (get_counters_consumed(0) != 0) {
		printf("FAIL  the refused put moved 'consumed'\n");
		failures++;
	}
	put("PUT_SUBBUF 0 with the second session's generation", 0, pos, 0);
	expect_simple("STOP", LTTNG_XEN_OP_STOP, 0, 0);
	expect_simple("DESTROY", LTTNG_XEN_OP_DESTROY, 0, 0);
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}

/* ---- quiesce ---- */

static double timed(const char *what, struct lttng_xen_op *op, int want)
{
	double t0 = now();

	expect(what, op, want);
	return now() - t0;
}

static int quiesce_main(unsigned int quiesce_ms)
{
	const uint32_t sb = 16384, held = 1, hold_ms = 4 * quiesce_ms;
	struct lttng_xen_info i = get_info();
	struct lttng_xen_op op;
	double t_hold, waited;
	int tries;

	if (i.state != LTTNG_XEN_STATE_UNCONFIGURED || i.nr_cpus < 2)
		die("the simulator must be fresh, with 2 CPUs or more");
	configure("CONFIGURE 16 KiB x 4", sb, 4, 0, -1, 0);

	/* CPU 1 is inside a trace point for 4 deadlines. */
	t_hold = now();
	hold("HOLD cpu 1 (returns once it is inside)", held, hold_ms, 0);

	op = mkop(LTTNG_XEN_OP_DESTROY, 0);
	waited = timed("DESTROY while CPU 1 is inside", &op, -LTTNG_XEN_EBUSY);
	if (waited * 1000 < quiesce_ms) {
		printf("FAIL  DESTROY gave up after %.0f ms, before the %u ms "
		       "deadline\n",
		       waited * 1000, quiesce_ms);
		failures++;
	} else {
		printf("ok    DESTROY waited %.0f ms (deadline %u ms)\n",
		       waited * 1000, quiesce_ms);
	}
	expect_state(LTTNG_XEN_STATE_STOPPED, sb);
	expect_simple("GET_BUFFER cpu 1 (still there)",
		      LTTNG_XEN_OP_GET_BUFFER, held, 0);
	configure("CONFIGURE (a reset) while CPU 1 is inside", sb, 4, 0, -1,
		  -LTTNG_XEN_EBUSY);
	expect_state(LTTNG_XEN_STATE_STOPPED, sb);
	/* The other CPU's buffer was published again: it still records. */
	expect_simple("START while CPU 1 is inside", LTTNG_XEN_OP_START, 0, 0);
	usleep(200 * 1000);
	expect_simple("STOP", LTTNG_XEN_OP_STOP, 0, 0);
	op = mkop(LTTNG_XEN_OP_GET_COUNTERS, 0);
	expect("GET_COUNTERS cpu 0", &op, 0);
	if (!op.u.counters.produced) {
		printf("FAIL  CPU 0 recorded nothing after the failed "
		       "DESTROY\n");
		failures++;
	} else {
		printf("ok    CPU 0 recorded %" PRIu64 " events after the "
		       "failed DESTROY\n",
		       op.u.counters.produced);
	}

	/* Once CPU 1 has left, DESTROY succeeds, and not before. */
	for (tries = 0;; tries++) {
		op = mkop(LTTNG_XEN_OP_DESTROY, 0);
		if (op_ret(&op) != -LTTNG_XEN_EBUSY || tries > 100)
			break;
	}
	waited = now() - t_hold;
	if (op.ret) {
		printf("FAIL  DESTROY once CPU 1 has left -> %s\n",
		       err_name(op.ret));
		failures++;
	} else if (waited * 1000 < hold_ms) {
		printf("FAIL  DESTROY succeeded %.0f ms after HOLD, before the "
		       "%u ms hold ended\n",
		       waited * 1000, hold_ms);
		failures++;
	} else {
		printf("ok    DESTROY succeeded %.0f ms after HOLD (held %u "
		       "ms)\n",
		       waited * 1000, hold_ms);
	}
	expect_state(LTTNG_XEN_STATE_UNCONFIGURED, 0);
	configure("CONFIGURE again", sb, 4, 0, -1, 0);
	expect_simple("DESTROY", LTTNG_XEN_OP_DESTROY, 0, 0);

	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	char spec[4096];

	ctfw_prog = "sim-client";
	if (argc < 3)
		die("usage: sim-client trace|hostile|quiesce SOCKET ...");
	snprintf(spec, sizeof(spec), "sim:%s", argv[2]);
	tp = lx_transport_open(spec, &err);
	if (!tp)
		die("%s", err.msg);
	if (!strcmp(argv[1], "trace")) {
		return trace_main(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "hostile"))
		return hostile_main(argv[2]);
	if (!strcmp(argv[1], "stale"))
		return stale_main();
	if (!strcmp(argv[1], "quiesce") && argc == 4)
		return quiesce_main(atoi(argv[3]));
	die("unknown mode '%s'", argv[1]);
	return 1;
}
