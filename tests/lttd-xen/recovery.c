// SPDX-License-Identifier: GPL-2.0-only
/*
 * recovery.c: lttd-xen's own consumer code (consume.c, session.c,
 * metadata.c, and ctf-writer's stream.c) against crafted stream files and
 * an in-process producer (fake-producer.c), no simulator needed.
 *
 *   crafted   stream files cut short, with garbage, with a foreign first
 *             packet, with a sequence number going backwards: each is cut
 *             after its last complete packet (or refused), and the last
 *             packet's sequence number is what is skipped on restart
 *   killed    lttd-xen "killed" between writing a sub-buffer and putting
 *             it back, and in the middle of writing another; restarted:
 *             no duplicate, no hole
 *   efbig     a write error half-way through a packet: the file ends at
 *             the last complete packet, the sub-buffer is not put back,
 *             and a restart continues without a hole
 *   estale    overwrite mode: the producer takes the sub-buffer over
 *             while it is copied: the copy is dropped, nothing torn is
 *             written
 *   stopped   the main loop on a stopped session with discarded events:
 *             drains, flushes, exits; emitted = read + discarded
 *   sigterm   the main loop with SIGTERM pending: writes what is
 *             complete, no flush
 *   refused   the same directory for another trace; stream files without
 *             metadata; a producer built from other facility files or
 *             with another ABI version; no session configured
 *
 * Each trace directory gets DIR.expect for check-trace.py.  Usage:
 * recovery WORKDIR (the metadata template is built in).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rb-platform.h>
#include "client-ctf.h"
#include "event-ids.h"
#include "lttd.h"
#include "fake-producer.h"

static struct lttd L;
static int failures;

static const uint8_t uuid_a[16] = {0x4c, 0x58, 0xa0, 0, 1, 2,  3,  4,
				   5,	 6,    7,    8, 9, 10, 11, 12};
static const uint8_t uuid_b[16] = {0x4c, 0x58, 0xb0, 0, 1, 2,  3,  4,
				   5,	 6,    7,    8, 9, 10, 11, 12};

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "recovery: %s:%d: FAILED: %s\n", \
				__func__, __LINE__, #cond);              \
			failures++;                                      \
		}                                                        \
	} while (0)

static void say(const char *what)
{
	fprintf(stderr, "== %s\n", what);
}

/* --- crafted stream files --------------------------------------------- */

/* A packet as lttd-xen writes it: packet_size == content_size. */
static size_t make_packet(uint8_t *p, const uint8_t uuid[16], uint64_t seq,
			  unsigned int events)
{
	uint8_t payload[7] = {0, 0, 1, 0, 0, 0, 0};
	size_t off = CTF_PACKET_HEADER_SIZE;
	unsigned int i;

	ctf_packet_begin(p, uuid, 0, 1000 * seq, seq, 4096);
	for (i = 0; i < events; i++) {
		ctf_event_header_write(p + off, CTF_EXTENDED_SIZE,
				       LTTNG_XEN_EVENT_GEN_GUEST,
				       1000 * seq + i);
		off += CTF_EXTENDED_SIZE;
		memcpy(payload + 3, &i, 4);
		memcpy(p + off, payload, sizeof(payload));
		off += sizeof(payload);
	}
	ctf_packet_end(p, 1000 * seq + events, (uint32_t)off, 0);
	ctf_put64(p + CTF_OFF_PACKET_SIZE, (uint64_t)off * 8);
	return off;
}

static void write_file(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		perror(path);
		exit(2);
	}
	close(fd);
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

/* Write buf as DIR/channel0_0, recover it; returns ctfw_stream_open's result.
 */
static int recover(const char *dir, const uint8_t *buf, size_t len,
		   struct ctfw_stream *s)
{
	char path[512];
	int dfd, ret;

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/channel0_0", dir);
	write_file(path, buf, len);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ret = ctfw_stream_open(s, dfd, dir, 0, uuid_a);
	if (!ret)
		ctfw_stream_close(s);
	close(dfd);
	return ret;
}

static void test_crafted(const char *work)
{
	static uint8_t buf[8 * 4096];
	struct ctfw_stream s;
	char dir[512], path[600];
	size_t n, len = 0;

	say("crafted stream files");
	n = make_packet(buf, uuid_a, 0, 150);
	len += n;
	len += make_packet(buf + len, uuid_a, 1, 150);
	len += make_packet(buf + len, uuid_a, 2, 150);

	snprintf(dir, sizeof(dir), "%s/crafted-empty", work);
	CHECK(recover(dir, buf, 0, &s) == 0 && s.size == 0 && !s.have_seq);

	snprintf(dir, sizeof(dir), "%s/crafted-whole", work);
	CHECK(recover(dir, buf, len, &s) == 0 && s.size == len && s.have_seq &&
	      s.last_seq == 2);
	CHECK(ctfw_stream_is_written(&s, 0) && ctfw_stream_is_written(&s, 2));
	CHECK(!ctfw_stream_is_written(&s, 3));

	/* A fourth packet cut short by a crash, then one cut in its header. */
	make_packet(buf + len, uuid_a, 3, 150);
	snprintf(dir, sizeof(dir), "%s/crafted-short", work);
	CHECK(recover(dir, buf, len + 100, &s) == 0 && s.size == len &&
	      s.last_seq == 2);
	snprintf(path, sizeof(path), "%s/channel0_0", dir);
	CHECK(file_size(path) == (off_t)len);
	snprintf(dir, sizeof(dir), "%s/crafted-short-header", work);
	CHECK(recover(dir, buf, len + 40, &s) == 0 && s.size == len);

	/* Garbage where the third packet should be: cut there. */
	memset(buf + 2 * n, 0xab, CTF_PACKET_HEADER_SIZE);
	snprintf(dir, sizeof(dir), "%s/crafted-garbage", work);
	CHECK(recover(dir, buf, len, &s) == 0 && s.size == 2 * n &&
	      s.last_seq == 1);

	/* A sequence number going backwards: cut there. */
	make_packet(buf + 2 * n, uuid_a, 1, 150);
	snprintf(dir, sizeof(dir), "%s/crafted-backwards", work);
	CHECK(recover(dir, buf, len, &s) == 0 && s.size == 2 * n);

	/* Zeros (a file system that lost its data), or a few bytes that do
	 * not start a packet of this trace: no stream of this trace, so
	 * refused and left alone, not cut to nothing. */
	memset(buf, 0, 4096);
	snprintf(dir, sizeof(dir), "%s/crafted-zeros", work);
	CHECK(recover(dir, buf, 4096, &s) == -1);
	snprintf(path, sizeof(path), "%s/channel0_0", dir);
	CHECK(file_size(path) == 4096);
	snprintf(dir, sizeof(dir), "%s/crafted-tiny", work);
	CHECK(recover(dir, (const uint8_t *)"notes", 5, &s) == -1);

	/* The start of this trace's first packet, cut short: cut to nothing. */
	make_packet(buf, uuid_a, 0, 150);
	snprintf(dir, sizeof(dir), "%s/crafted-first-cut", work);
	CHECK(recover(dir, buf, 30, &s) == 0 && s.size == 0);

	/* Another trace's file is refused and left alone. */
	make_packet(buf, uuid_b, 0, 150);
	snprintf(dir, sizeof(dir), "%s/crafted-foreign", work);
	CHECK(recover(dir, buf, n, &s) == -1);
	snprintf(path, sizeof(path), "%s/channel0_0", dir);
	CHECK(file_size(path) == (off_t)n);
}

/* --- runs of lttd-xen against the fake producer ------------------------ */

/* What main.c's start-up does, minus the daemon and the pid file. */
static int run_start(const char *dir)
{
	free(L.copy);
	memset(&L, 0, sizeof(L));
	L.dir_fd = L.wake_fd = L.sig_fd = -1;
	L.opt.dir = dir;
	L.opt.quiet = 0;
	mkdir(dir, 0755);
	L.dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (lttd_connect(&L) || lttd_metadata_prepare(&L) ||
	    lttd_refresh(&L))
		return -1;
	return 0;
}

/* As a kill would: drop everything, put nothing back. */
static void run_abandon(void)
{
	uint32_t i;

	for (i = 0; i < L.nr_cpus; i++)
		if (L.cpus[i].state == LTTD_CPU_MAPPED)
			close(L.cpus[i].stream.fd);
	close(L.dir_fd);
}

static int run_drain(void)
{
	uint32_t i;
	int more;

	for (i = 0; i < L.nr_cpus; i++)
		do
			if (lttd_cpu_drain(&L, &L.cpus[i], UINT64_MAX, &more))
				return -1;
		while (more);
	return 0;
}

static int run_finish(void)
{
	uint32_t i;
	int ret = 0;

	for (i = 0; i < L.nr_cpus; i++)
		ret |= lttd_cpu_detach(&L, &L.cpus[i]);
	close(L.dir_fd);
	return ret;
}

static void expect(const char *dir, const char *fmt, ...)
{
	char path[600];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s.expect", dir);
	f = fopen(path, "a");
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void append_bytes(const char *dir, const char *name, const uint8_t *buf,
			 size_t len)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		perror(path);
		exit(2);
	}
	close(fd);
}

static const struct fake_cfg discard2 = {2, 4096, 4, LTTNG_XEN_MODE_DISCARD};

static void test_killed(const char *work)
{
	char dir[512];
	uint8_t junk[100];

	say("killed between write and put, and in the middle of a write");
	snprintf(dir, sizeof(dir), "%s/killed", work);
	fake_init(&discard2, uuid_a);
	fake_emit(0, 500); /* 236 events a packet: 2 complete */
	fake_emit(1, 250);
	CHECK(run_start(dir) == 0);
	fake_fail_put_at = 1; /* CPU 0's second packet: written, not put */
	CHECK(run_drain() == -1);
	CHECK(L.cpus[0].stream.packets == 2);
	CHECK(fake_consumed(0) == 4096);
	/* The next packet half-written when the kill came; CPU 1 too. */
	memcpy(junk, L.copy, sizeof(junk));
	run_abandon();
	append_bytes(dir, "channel0_0", junk, sizeof(junk));
	append_bytes(dir, "channel0_1", junk, 50);

	fake_fail_put_at = -1;
	fake_emit(0, 300);
	fake_emit(1, 300);
	CHECK(run_start(dir) == 0);
	CHECK(L.cpus[0].stream.last_seq == 1 && L.cpus[0].stream.have_seq);
	CHECK(!L.cpus[1].stream.have_seq && L.cpus[1].stream.size == 0);
	CHECK(run_drain() == 0);
	CHECK(L.cpus[0].skipped == 1);
	fake_stop();
	CHECK(run_drain() == 0);
	CHECK(run_finish() == 0);
	CHECK(fake_lost(0) == 0 && fake_lost(1) == 0);
	expect(dir, "events 0 %llu\nevents 1 %llu\ndiscarded 0\n",
	       (unsigned long long)fake_emitted(0),
	       (unsigned long long)fake_emitted(1));
}

static void set_fsize(rlim_t v)
{
	struct rlimit r;

	getrlimit(RLIMIT_FSIZE, &r);
	r.rlim_cur = v;
	setrlimit(RLIMIT_FSIZE, &r);
}

static void test_efbig(const char *work)
{
	static const struct fake_cfg cfg = {1, 4096, 4, LTTNG_XEN_MODE_DISCARD};
	char dir[512], path[600];
	off_t first;

	say("write error half-way through a packet");
	snprintf(dir, sizeof(dir), "%s/efbig", work);
	fake_init(&cfg, uuid_a);
	fake_emit(0, 500);
	CHECK(run_start(dir) == 0);
	signal(SIGXFSZ, SIG_IGN);
	set_fsize(6000); /* a packet and a half */
	CHECK(run_drain() == -1);
	set_fsize(RLIM_INFINITY);
	snprintf(path, sizeof(path), "%s/channel0_0", dir);
	first = file_size(path);
	CHECK(L.cpus[0].stream.packets == 1 && first > 0 &&
	      (uint64_t)first == L.cpus[0].stream.size);
	CHECK(fake_consumed(0) == 4096); /* the second: not put back */
	CHECK(run_finish() == 0);

	CHECK(run_start(dir) == 0);
	CHECK(L.cpus[0].stream.size == (uint64_t)first);
	fake_stop();
	CHECK(run_drain() == 0);
	CHECK(L.cpus[0].skipped == 0);
	CHECK(run_finish() == 0);
	expect(dir, "events 0 %llu\ndiscarded 0\n",
	       (unsigned long long)fake_emitted(0));
}

static void overwrite_during_put(uint32_t cpu, uint64_t pos)
{
	(void)pos;
	fake_before_put = NULL;
	fake_emit(cpu, 200 * 5); /* laps the whole buffer */
}

static void test_estale(const char *work)
{
	static const struct fake_cfg cfg = {1, 4096, 4,
					    LTTNG_XEN_MODE_OVERWRITE};
	char dir[512];

	say("overwrite mode: sub-buffer taken over while copied");
	snprintf(dir, sizeof(dir), "%s/estale", work);
	fake_init(&cfg, uuid_a);
	fake_emit(0, 500);
	fake_before_put = overwrite_during_put;
	CHECK(run_start(dir) == 0);
	CHECK(run_drain() == 0);
	CHECK(L.cpus[0].dropped == 1);
	fake_stop();
	CHECK(run_drain() == 0);
	CHECK(run_finish() == 0);
	expect(dir, "increasing 0\nwarnings ok\n");
}

static void test_stopped(const char *work)
{
	char dir[512];

	say("main loop: stopped session with discarded events");
	snprintf(dir, sizeof(dir), "%s/stopped", work);
	fake_init(&discard2, uuid_a);
	fake_emit(0, 3000); /* twice what the buffer holds */
	fake_emit(1, 100);
	fake_stop();
	CHECK(fake_lost(0) > 0);
	CHECK(run_start(dir) == 0);
	CHECK(lttd_run(&L) == 0);
	CHECK(L.cpus[0].state == LTTD_CPU_NONE); /* detached */
	CHECK(fake_consumed(0) == L.cpus[0].stream.packets * 4096);
	close(L.dir_fd);
	close(L.sig_fd);
	expect(dir,
	       "events 0 %llu\nevents 1 %llu\ndiscarded %llu\nwarnings ok\n",
	       (unsigned long long)(fake_emitted(0) - fake_lost(0)),
	       (unsigned long long)fake_emitted(1),
	       (unsigned long long)fake_lost(0));
}

static void test_sigterm(const char *work)
{
	static const struct fake_cfg cfg = {1, 4096, 4, LTTNG_XEN_MODE_DISCARD};
	char dir[512];
	sigset_t set;

	say("main loop: SIGTERM while running");
	snprintf(dir, sizeof(dir), "%s/sigterm", work);
	fake_init(&cfg, uuid_a);
	fake_emit(0, 500); /* two complete packets, one open */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGTERM);
	CHECK(run_start(dir) == 0);
	CHECK(lttd_run(&L) == 0);
	CHECK(L.cpus[0].stream.packets == 2);
	CHECK(fake_consumed(0) == 2 * 4096);
	close(L.dir_fd);
	close(L.sig_fd);
	expect(dir, "increasing 0\n");
}

static void test_refused(const char *work)
{
	char dir[512], path[600];

	say("refused: another trace, streams without metadata");
	snprintf(dir, sizeof(dir), "%s/killed", work);
	fake_init(&discard2, uuid_b);
	CHECK(run_start(dir) == -1);
	close(L.dir_fd);

	snprintf(dir, sizeof(dir), "%s/other-build", work);
	fake_init(&discard2, uuid_a);
	fake_metadata_hash ^= 1;
	CHECK(run_start(dir) == -1);
	fake_init(&discard2, uuid_a);
	fake_abi_version++;
	CHECK(run_start(dir) == -1);
	fake_init(&discard2, uuid_a);
	fake_set_state(LTTNG_XEN_STATE_UNCONFIGURED);
	CHECK(run_start(dir) == -1);

	fake_init(&discard2, uuid_a);
	snprintf(dir, sizeof(dir), "%s/orphan", work);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/channel0_0", dir);
	write_file(path, (const uint8_t *)"x", 1);
	CHECK(run_start(dir) == -1);
	close(L.dir_fd);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: recovery WORKDIR\n");
		return 2;
	}
	ctfw_prog = "lttd-xen";
	test_crafted(argv[1]);
	test_killed(argv[1]);
	test_efbig(argv[1]);
	test_estale(argv[1]);
	test_stopped(argv[1]);
	test_sigterm(argv[1]);
	test_refused(argv[1]);
	if (failures)
		fprintf(stderr, "recovery: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
