// SPDX-License-Identifier: GPL-2.0-only
/*
 * microbench: the system-call-heavy workloads of `make bench-xen`, in the
 * spirit of lmbench's lat_syscall, lat_proc, lat_ctx and bw_pipe, plus the
 * two helpers the harness needs in dom0's busybox world: a timer with
 * sub-millisecond resolution and a generator of fixed input files.
 *
 * In a 64-bit PV dom0 every system call enters Xen first (the syscall
 * instruction traps to the hypervisor, which bounces it to the guest
 * kernel), and every context switch is a hypercall or more: these are
 * the paths a hypervisor tracer sits on.
 *
 * Each measuring mode prints one line "VALUE <number>" (the harness
 * keeps the last such line) and a human line on stderr.  Statically
 * linked: it runs in dom0's initramfs without libraries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "microbench";

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	if (errno)
		fprintf(stderr, ": %s", strerror(errno));
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long parse_count(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0) {
		errno = 0;
		die("%s must be a positive integer", what);
	}
	return v;
}

/* Both processes of a ping-pong on one CPU, so each message switches. */
static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot pin to CPU %s", "0");
}

/*
 * All len bytes of buf through fd, however many calls it takes: written
 * if out, else read.  Dies on an error or an early end of file.
 */
static void transfer(int fd, void *buf, size_t len, int out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(out ? "cannot write to a %s" : "cannot read from a %s",
			    "pipe");
		p += n;
		len -= n;
	}
}

static void full_write(int fd, void *buf, size_t len)
{
	transfer(fd, buf, len, 1);
}

static void full_read(int fd, void *buf, size_t len)
{
	transfer(fd, buf, len, 0);
}

static void reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		die("the %s process failed", "child");
}

/* lat_syscall null: getppid, which no libc caches. */
static int mode_syscall(long n)
{
	double t0, dt;
	long i;

	t0 = now();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	dt = now() - t0;
	fprintf(stderr, "%s: %ld getppid in %.3f s\n", prog, n, dt);
	printf("VALUE %.4f\n", dt / n * 1e6);
	return 0;
}

/*
 * lmbench's lat_proc fork: fork, the child exits at once, the parent
 * reaps it.  In a PV guest the child's page tables are built, pinned and
 * torn down through hypercalls (mmu_update and mmuext_op batched in
 * multicalls): the guest kernel's hypercall path, per fork.
 */
static int mode_fork(long n)
{
	double t0, dt;
	long i;

	t0 = now();
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("cannot %s", "fork");
		if (!pid)
			_exit(0);
		reap(pid);
	}
	dt = now() - t0;
	fprintf(stderr, "%s: %ld fork+exit+wait in %.3f s\n", prog, n, dt);
	printf("VALUE %.4f\n", dt / n * 1e6);
	return 0;
}

/*
 * lat_ctx with two processes and no working set: a byte goes round
 * parent -> child -> parent through two pipes, both pinned to CPU 0, so
 * a round trip is two context switches (and four pipe system calls).
 */
static int mode_ctx(long n)
{
	int ab[2], ba[2];
	double t0, dt;
	char c = 'x';
	pid_t pid;
	long i;

	if (pipe(ab) || pipe(ba))
		die("cannot create a %s", "pipe");
	pin_cpu0();
	pid = fork();
	if (pid < 0)
		die("cannot %s", "fork");
	if (pid == 0) {
		for (i = 0; i < n; i++) {
			full_read(ab[0], &c, 1);
			full_write(ba[1], &c, 1);
		}
		_exit(0);
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		full_write(ab[1], &c, 1);
		full_read(ba[0], &c, 1);
	}
	dt = now() - t0;
	reap(pid);
	fprintf(stderr, "%s: %ld round trips in %.3f s\n", prog, n, dt);
	printf("VALUE %.4f\n", dt / n / 2 * 1e6);
	return 0;
}

/* bw_pipe: a child writes MB mebibytes in 64 KiB chunks, we read them. */
static int mode_pipe(long mb)
{
	enum { CHUNK = 64 * 1024 };
	static char buf[CHUNK];
	long chunks = mb * (1024 * 1024 / CHUNK), i;
	double t0, dt;
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		die("cannot create a %s", "pipe");
	memset(buf, 'p', sizeof(buf));
	t0 = now();
	pid = fork();
	if (pid < 0)
		die("cannot %s", "fork");
	if (pid == 0) {
		close(fd[0]);
		for (i = 0; i < chunks; i++)
			full_write(fd[1], buf, CHUNK);
		_exit(0);
	}
	close(fd[1]);
	for (i = 0; i < chunks; i++)
		full_read(fd[0], buf, CHUNK);
	dt = now() - t0;
	reap(pid);
	fprintf(stderr, "%s: %ld MiB through a pipe in %.3f s\n", prog, mb, dt);
	printf("VALUE %.3f\n", mb / dt);
	return 0;
}

/* Run a command; its wall time in seconds, and its exit status. */
static int mode_time(char **argv)
{
	double t0, dt;
	pid_t pid;
	int st;

	t0 = now();
	pid = fork();
	if (pid < 0)
		die("cannot %s", "fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		die("cannot run %s", argv[0]);
	}
	if (waitpid(pid, &st, 0) < 0)
		die("cannot wait for %s", argv[0]);
	dt = now() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		errno = 0;
		fprintf(stderr, "%s: %s failed (status %d)\n", prog, argv[0], st);
		return 1;
	}
	printf("VALUE %.4f\n", dt);
	return 0;
}

/*
 * FILES files of SIZE bytes in DIR: lines of words drawn by a fixed
 * xorshift generator from a small vocabulary, so the input is the same
 * on every machine and compresses like text (about 3:1 with gzip).
 */
static int mode_gen(const char *dir, long files, long size)
{
	static const char *const words[] = {
		"hypervisor", "trace", "event", "buffer", "packet", "domain",
		"vcpu", "schedule", "interrupt", "timer", "page", "grant",
		"channel", "the", "a", "of", "to", "and", "in", "is", "0x1f",
		"42", "struct", "return", "static", "if", "else", "for",
		"while", "unsigned", "long", "int", "{", "}", ";", "=",
	};
	const int nwords = sizeof(words) / sizeof(words[0]);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char path[4096], *buf;
	long f;

	if (mkdir(dir, 0755) && errno != EEXIST)
		die("cannot create %s", dir);
	buf = malloc(size + 64);
	if (!buf)
		die("cannot allocate %s", "the file buffer");
	for (f = 0; f < files; f++) {
		long len = 0, col = 0;
		int fd;

		while (len < size) {
			const char *w;
			size_t wl;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w = words[x % nwords];
			wl = strlen(w);
			memcpy(buf + len, w, wl);
			len += wl;
			col += wl + 1;
			buf[len++] = col > 70 ? (col = 0, '\n') : ' ';
		}
		snprintf(path, sizeof(path), "%s/f%05ld.txt", dir, f);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			die("cannot create %s", path);
		full_write(fd, buf, size);
		if (close(fd))
			die("cannot write %s", path);
	}
	free(buf);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: microbench syscall N     null system call latency (us)\n"
		"       microbench ctx N         context switch latency, pipe ping-pong (us)\n"
		"       microbench fork N        fork + exit + wait latency (us)\n"
		"       microbench pipe MB       pipe bandwidth (MB/s)\n"
		"       microbench time CMD...   CMD's wall time (s)\n"
		"       microbench gen DIR FILES SIZE   fixed text input files\n"
		"       microbench --help\n"
		"\n"
		"The workloads of `make bench-xen` (bench/xen/README.md), after\n"
		"lmbench's lat_syscall null, lat_proc fork, lat_ctx (2 processes,\n"
		"size 0) and bw_pipe.  Measuring modes print 'VALUE <number>' on\n"
		"stdout and a summary on stderr.  ctx pins both processes to CPU 0.\n"
		"Exit status: 0 measured; 1 a system call or CMD failed; 2 usage.\n");
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "--help") || !strcmp(m, "-h")) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(m, "syscall"))
		return mode_syscall(parse_count(argv[2], "N"));
	if (argc == 3 && !strcmp(m, "fork"))
		return mode_fork(parse_count(argv[2], "N"));
	if (argc == 3 && !strcmp(m, "ctx"))
		return mode_ctx(parse_count(argv[2], "N"));
	if (argc == 3 && !strcmp(m, "pipe"))
		return mode_pipe(parse_count(argv[2], "MB"));
	if (argc >= 3 && !strcmp(m, "time"))
		return mode_time(argv + 2);
	if (argc == 5 && !strcmp(m, "gen"))
		return mode_gen(argv[2], parse_count(argv[3], "FILES"),
				parse_count(argv[4], "SIZE"));
	usage(stderr);
	return 2;
}
