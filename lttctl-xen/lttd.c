// SPDX-License-Identifier: GPL-2.0-only
/*
 * lttd.c: running lttd-xen for a session.
 *
 * `start` runs `lttd-xen --daemon --pidfile $LTTNG_XEN_HOME/lttd-xen.pid
 * --output DIR --transport SPEC`.  Its first process relays the daemon's
 * start-up messages (copied to our stderr) and exits once the daemon is
 * writing the trace (status 0) or could not start (non-zero); from then
 * on the daemon logs to DIR/.lttd-xen.log.  lttd-xen runs under a small
 * watcher, a fork of lttctl-xen that makes itself a child subreaper
 * (prctl(2)): the daemon is reparented to the watcher, which can
 * therefore wait for it and write how it ended to
 * $LTTNG_XEN_HOME/lttd-xen.status ("exited 0", "killed by signal 9").
 * `stop` waits for the watcher and reads that file: lttd-xen
 * dying mid-trace is reported, never silently taken for success.
 * Calls msg.c, args.c, files.c and session.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lttctl.h"

#define LTTD_READY_TIMEOUT_S 30

static char lttd_path[LTTCTL_PATH_MAX + 16];

static void home_file(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", lttctl_home(), name);
}

static const char *find_lttd(void)
{
	return lttctl_find_program("lttd-xen", "LTTD_XEN", lttd_path,
				   sizeof(lttd_path));
}

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/*
 * Wait up to timeout_ms (-1: forever) for process pid to end.  1: it
 * ended (or never existed), 0: not yet, -1: error.
 */
static int wait_exit(pid_t pid, int timeout_ms)
{
	struct pollfd pfd = {.events = POLLIN};
	int ret;

	pfd.fd = pidfd_open(pid);
	if (pfd.fd < 0 && errno == ESRCH)
		return 1;
	if (pfd.fd < 0) {
		/* No pidfd (Linux < 5.3): look again a little later. */
		usleep(timeout_ms < 0 || timeout_ms > 100 ? 100000
							  : timeout_ms * 1000);
		return kill(pid, 0) && errno == ESRCH;
	}
	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	close(pfd.fd);
	return ret < 0 ? -1 : ret;
}

/* Is pid alive and running a program whose name contains what? */
static bool alive_as(pid_t pid, const char *what)
{
	char path[64], comm[64] = "";
	FILE *f;

	if (pid <= 0 || (kill(pid, 0) && errno == ESRCH))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strstr(comm, what) != NULL;
}

bool lttctl_lttd_alive(pid_t pid)
{
	return alive_as(pid, "lttd-xen");
}

static void describe_status(int st, char *buf, size_t len)
{
	if (WIFEXITED(st))
		snprintf(buf, len, "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(buf, len, "ended with wait status %#x", st);
}

static void write_status(const char *text)
{
	char path[LTTCTL_PATH_MAX], tmp[LTTCTL_PATH_MAX + 8];
	FILE *f;

	home_file(path, sizeof(path), "lttd-xen.status");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "%s\n", text);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static pid_t read_pidfile(void)
{
	char path[LTTCTL_PATH_MAX];
	long pid = 0;
	FILE *f;

	home_file(path, sizeof(path), "lttd-xen.pid");
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0 || pid > INT_MAX)
		pid = 0;
	fclose(f);
	return pid;
}

/*
 * The watcher: runs lttd-xen with its stdout and stderr on msg_fd (the
 * messages of its start-up reach the user), reports how lttd-xen's first
 * process ended on ready_fd, then reaps the daemon (reparented to us) and
 * records how it ended.  Holds none of lttctl-xen's descriptors: a caller
 * reading lttctl-xen's output through a pipe must see it end.
 */
static void __attribute__((noreturn))
watcher(int ready_fd, int msg_fd, char *const argv[])
{
	char text[128];
	pid_t child, pid, daemon_pid;
	int st, fd;

	setsid();
	lttctl_signals_block(false);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_NAME, "lttctl-watch");
	signal(SIGPIPE, SIG_IGN);
	fd = open("/dev/null", O_RDWR);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	for (fd = 3; fd < 1024; fd++) {
		if (fd != ready_fd && fd != msg_fd)
			close(fd);
	}
	child = fork();
	if (child < 0)
		_exit(1);
	if (child == 0) {
		dup2(msg_fd, 1);
		dup2(msg_fd, 2);
		execv(argv[0], argv);
		fprintf(stderr, "lttctl-xen: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(msg_fd);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	if (write(ready_fd, &st, sizeof(st)) != sizeof(st))
		st = -1;
	close(ready_fd);
	if (st != 0)
		_exit(0);
	daemon_pid = read_pidfile();
	for (;;) {
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == daemon_pid || !daemon_pid) {
			describe_status(st, text, sizeof(text));
			write_status(text);
		}
	}
	_exit(0);
}

/*
 * lttd-xen's log in trace directory dir: .lttd-xen.log (hidden, since
 * babeltrace2 takes every other file for a stream), or lttd-xen.log from
 * older builds.
 */
void lttctl_lttd_log_path(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/lttd-xen.log", dir);
	if (!access(buf, F_OK))
		return;
	snprintf(buf, len, "%s/.lttd-xen.log", dir);
}

static void print_log(const char *dir)
{
	char path[LTTCTL_PATH_MAX + 32], line[1024];
	unsigned int n = 0;
	FILE *f;

	lttctl_lttd_log_path(dir, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	fprintf(stderr, "%s: lttd-xen's log, %s:\n", lttctl_prog, path);
	while (fgets(line, sizeof(line), f) && n++ < 40)
		fprintf(stderr, "    | %s", line);
	fclose(f);
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC seconds), >= 0. */
static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

/*
 * Copy lttd-xen's start-up messages to our stderr until its first process
 * ends, then read the watcher's report of its status.  1: *st is set;
 * 0: timed out; -1: the watcher died.
 */
static int wait_ready(int msg_fd, int ready_fd, int *st)
{
	struct pollfd pfd = {.fd = msg_fd, .events = POLLIN};
	struct timespec deadline;
	char buf[4096];
	ssize_t n;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += LTTD_READY_TIMEOUT_S;
	for (;;) {
		ret = poll(&pfd, 1, ms_left(&deadline));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			return ret;
		n = read(msg_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write(2, buf, n) != n) {
			/* Our stderr is gone: nothing better to do. */
		}
	}
	pfd.fd = ready_fd;
	do {
		ret = poll(&pfd, 1, ms_left(&deadline));
	} while (ret < 0 && errno == EINTR);
	if (ret <= 0)
		return ret;
	if (read(ready_fd, st, sizeof(*st)) != sizeof(*st))
		return -1;
	return 1;
}

static void close_pair(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* lttd-xen did not start: say why, leave nothing running. */
static int start_failed(struct lttctl_session *s, pid_t w, int ret, int st)
{
	char text[128] = "ended without reporting";

	if (ret == 0) {
		lttctl_error("lttd-xen did not get ready within %d s",
			     LTTD_READY_TIMEOUT_S);
		kill(-w, SIGKILL);
		s->lttd_pid = read_pidfile();
		lttctl_lttd_kill(s);
		print_log(s->output);
		return -1;
	}
	if (ret > 0)
		describe_status(st, text, sizeof(text));
	lttctl_error("lttd-xen could not start (%s); its messages are above",
		     text);
	return -1;
}

/*
 * Start lttd-xen for s, writing s->output; sets s->lttd_pid and
 * s->watch_pid.  Returns once lttd-xen is writing the trace.
 */
int lttctl_lttd_start(struct lttctl_session *s, const char *clock_origin)
{
	char pidfile[LTTCTL_PATH_MAX], status[LTTCTL_PATH_MAX];
	char *argv[] = {NULL,	       "--daemon",   "--pidfile",
			pidfile,       "--output",   s->output,
			"--transport", s->transport, NULL,
			NULL,	       NULL};
	int ready[2] = {-1, -1}, msg[2] = {-1, -1}, st = 0, ret;
	pid_t w;

	argv[0] = (char *)find_lttd();
	if (!argv[0])
		return -1;
	if (clock_origin) { /* a run after the first, guests traced */
		argv[8] = "--clock-origin";
		argv[9] = (char *)clock_origin;
	}
	home_file(pidfile, sizeof(pidfile), "lttd-xen.pid");
	home_file(status, sizeof(status), "lttd-xen.status");
	unlink(pidfile);
	unlink(status);
	if (pipe2(ready, O_CLOEXEC) || pipe2(msg, O_CLOEXEC)) {
		lttctl_error("cannot create a pipe: %s", strerror(errno));
		close_pair(ready);
		close_pair(msg);
		return -1;
	}
	fflush(NULL);
	w = fork();
	if (w < 0) {
		lttctl_error("cannot fork: %s", strerror(errno));
		close_pair(ready);
		close_pair(msg);
		return -1;
	}
	if (w == 0)
		watcher(ready[1], msg[1], argv);
	close(ready[1]);
	close(msg[1]);
	ret = wait_ready(msg[0], ready[0], &st);
	close(ready[0]);
	close(msg[0]);
	if (ret <= 0 || st != 0)
		return start_failed(s, w, ret, st);
	s->watch_pid = w;
	s->lttd_pid = read_pidfile();
	if (!s->lttd_pid || !lttctl_lttd_alive(s->lttd_pid)) {
		lttctl_error("lttd-xen reported ready but is not running (pid "
			     "file %s: %d)",
			     pidfile, (int)s->lttd_pid);
		print_log(s->output);
		s->lttd_pid = 0;
		s->watch_pid = 0;
		return -1;
	}
	return 0;
}

/* Stop lttd-xen at once (undoing a failed start). */
void lttctl_lttd_kill(struct lttctl_session *s)
{
	if (!lttctl_lttd_alive(s->lttd_pid))
		return;
	kill(s->lttd_pid, SIGTERM);
	if (wait_exit(s->lttd_pid, 5000) == 0) {
		kill(s->lttd_pid, SIGKILL);
		wait_exit(s->lttd_pid, 5000);
	}
	s->lttd_pid = 0;
}

/* How lttd-xen ended, from the watcher's status file; "" if unknown. */
void lttctl_lttd_status(char *buf, size_t len)
{
	char path[LTTCTL_PATH_MAX];
	FILE *f;

	buf[0] = '\0';
	home_file(path, sizeof(path), "lttd-xen.status");
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "waiting for lttd-xen": rewritten in place on a terminal. */
static void show_progress(const struct lttctl_session *s, int elapsed)
{
	char size[32];

	lttctl_format_size(lttctl_dir_size(s->output), size, sizeof(size));
	if (isatty(2))
		fprintf(stderr,
			"\r%s: waiting for lttd-xen to finish writing: %s, "
			"%d s  ",
			lttctl_prog, size, elapsed);
	else
		fprintf(stderr,
			"%s: waiting for lttd-xen to finish writing: %s, "
			"%d s\n",
			lttctl_prog, size, elapsed);
}

/*
 * Wait for lttd-xen to finish (it exits by itself once the producer is
 * stopped and it has drained every buffer).  Shows progress after 2 s:
 * every second on a terminal, else every 5 s.
 * Returns 0: it exited 0; 1: it failed or died (reported, with its log);
 * -1: still running after timeout_s (reported).
 */
int lttctl_lttd_wait(struct lttctl_session *s, int timeout_s, char *how,
		     size_t len)
{
	double t0 = now_s(), next = 2, elapsed = 0;
	bool shown = false;

	how[0] = '\0';
	/* The session file is up to date: an interrupt is harmless here. */
	lttctl_signals_block(false);
	while (lttctl_lttd_alive(s->lttd_pid)) {
		if (wait_exit(s->lttd_pid,
			      next > elapsed ? (int)((next - elapsed) * 1000)
					     : 0))
			break;
		elapsed = now_s() - t0;
		if (elapsed >= timeout_s) {
			lttctl_signals_block(true);
			if (shown && isatty(2))
				fputc('\n', stderr);
			lttctl_error(
				"lttd-xen (pid %d) is still writing %s after "
				"%d s",
				(int)s->lttd_pid, s->output, timeout_s);
			lttctl_hint("'lttctl-xen status' shows its progress; "
				    "'lttctl-xen stop' waits again");
			return -1;
		}
		if (elapsed >= next) {
			show_progress(s, (int)elapsed);
			shown = true;
			next = (int)elapsed + (isatty(2) ? 1 : 5);
			if (next > timeout_s)
				next = timeout_s;
		}
	}
	lttctl_signals_block(true);
	if (shown && isatty(2))
		fputc('\n', stderr);
	/* The watcher writes the status after reaping lttd-xen, then exits. */
	if (alive_as(s->watch_pid, "lttctl-watch"))
		wait_exit(s->watch_pid, 5000);
	lttctl_lttd_status(how, len);
	s->lttd_pid = 0;
	s->watch_pid = 0;
	if (!strcmp(how, "exited 0"))
		return 0;
	if (!how[0])
		snprintf(how, len, "ended; how is unknown");
	lttctl_error("lttd-xen %s while writing %s", how, s->output);
	print_log(s->output);
	return 1;
}

/* `snapshot`: lttd-xen --snapshot in the foreground. */
int lttctl_lttd_snapshot(const struct lttctl_session *s, const char *dir)
{
	char *argv[] = {NULL,	     "--snapshot",  "--output",
			(char *)dir, "--transport", (char *)s->transport,
			NULL};
	char text[128];
	pid_t pid;
	int st;

	argv[0] = (char *)find_lttd();
	if (!argv[0])
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		lttctl_error("cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		lttctl_signals_block(false);
		execv(argv[0], argv);
		fprintf(stderr, "%s: cannot run %s: %s\n", lttctl_prog, argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			lttctl_error("cannot wait for lttd-xen: %s",
				     strerror(errno));
			return -1;
		}
	}
	if (st == 0)
		return 0;
	describe_status(st, text, sizeof(text));
	lttctl_error("lttd-xen --snapshot %s; %s may hold a partial trace",
		     text, dir);
	return -1;
}

/* The session ends: forget lttd-xen's pid and status files. */
void lttctl_lttd_forget(void)
{
	char path[LTTCTL_PATH_MAX];

	home_file(path, sizeof(path), "lttd-xen.pid");
	unlink(path);
	home_file(path, sizeof(path), "lttd-xen.status");
	unlink(path);
}
