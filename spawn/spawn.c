// SPDX-License-Identifier: GPL-2.0-only
/*
 * spawn.c: run a program to its end and keep the last line it printed.
 * Used by lttctl-xen (lttng-xen-guest in dom0) and by lttng-xen-guest
 * (modprobe, lttng, lttng-sessiond); calls nothing of the project.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

/* Output kept: the end of it, enough for a last line of any sane length. */
#define SPAWN_KEEP 8192

static void child(char *const argv[], unsigned int flags, int out)
{
	sigset_t none;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (flags & SPAWN_STDOUT_NULL) {
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd >= 0)
			dup2(fd, 1);
	} else {
		dup2(out, 1);
	}
	dup2(out, 2);
	if (flags & SPAWN_PATH)
		execvp(argv[0], argv);
	else
		execv(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* The last non-empty line of buf[0..n), its control characters as spaces. */
static void last_line(char *buf, size_t n, char *last, size_t len)
{
	size_t k;
	char *p;

	buf[n] = '\0';
	while (n &&
	       (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	p = strrchr(buf, '\n');
	p = p ? p + 1 : buf;
	/* A line longer than what is kept: its end. */
	k = strlen(p);
	if (k >= len) {
		p += k - (len - 1);
		k = len - 1;
	}
	memcpy(last, p, k);
	last[k] = '\0';
	for (p = last; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
}

int spawn_run(char *const argv[], unsigned int flags, struct spawn_result *res)
{
	char buf[SPAWN_KEEP + 1];
	int pfd[2];
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	res->status = -1;
	res->last[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC)) {
		snprintf(res->last, sizeof(res->last), "pipe: %s",
			 strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(res->last, sizeof(res->last), "fork: %s",
			 strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (!pid)
		child(argv, flags, pfd[1]);
	close(pfd[1]);
	/* Read to the end (the program must never block on a full pipe),
	 * keeping the last SPAWN_KEEP / 2 bytes or more. */
	while ((r = read(pfd[0], buf + n, SPAWN_KEEP - n)) > 0 ||
	       (r < 0 && errno == EINTR)) {
		if (r <= 0)
			continue;
		n += (size_t)r;
		if (n == SPAWN_KEEP) {
			memmove(buf, buf + SPAWN_KEEP / 2, SPAWN_KEEP / 2);
			n = SPAWN_KEEP / 2;
		}
	}
	close(pfd[0]);
	while (waitpid(pid, &res->status, 0) < 0)
		if (errno != EINTR) {
			snprintf(res->last, sizeof(res->last), "waitpid: %s",
				 strerror(errno));
			res->status = -1;
			return -1;
		}
	last_line(buf, n, res->last, sizeof(res->last));
	return WIFEXITED(res->status) && !WEXITSTATUS(res->status) ? 0 : -1;
}

void spawn_describe(const char *prog, const struct spawn_result *res, char *buf,
		    size_t len)
{
	if (res->status == -1)
		snprintf(buf, len, "cannot run %.40s: %s", prog, res->last);
	else if (WIFEXITED(res->status))
		snprintf(buf, len, "%.40s exited %d%s%.300s", prog,
			 WEXITSTATUS(res->status), res->last[0] ? ": " : "",
			 res->last);
	else if (WIFSIGNALED(res->status))
		snprintf(buf, len, "%.40s was killed by signal %d", prog,
			 WTERMSIG(res->status));
	else
		snprintf(buf, len, "%.40s ended with status %#x", prog,
			 res->status);
}
