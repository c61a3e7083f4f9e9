// SPDX-License-Identifier: GPL-2.0-only
/*
 * daemon.c: --daemon and --pidfile.
 *
 * The parent forks and waits on a pipe that is the child's stderr until
 * start-up is over.  Whatever the child prints meanwhile reaches the
 * user's terminal.  When the output directory, the metadata, the stream
 * files and the pid file are ready, the child writes one NUL byte and
 * detaches: the parent exits 0, so whoever ran `lttd-xen --daemon` (a
 * script, lttctl-xen) knows the trace is being written.  When the child
 * fails first, the pipe closes without that byte and the parent exits
 * with the child's status, its error message already shown.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lttd.h"

static int ready_fd = -1;
static char pidfile_path[4096];

/* The parent: relay the child's messages until it is ready or gone. */
static void __attribute__((noreturn)) parent_wait(int fd, pid_t child)
{
	char buf[4096], *nul;
	int status;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		nul = memchr(buf, '\0', (size_t)n);
		fwrite(buf, 1, nul ? (size_t)(nul - buf) : (size_t)n, stderr);
		fflush(stderr);
		if (nul)
			exit(LTTD_EXIT_OK);
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status))
		exit(WEXITSTATUS(status));
	fprintf(stderr, "%s: the daemon stopped before it was ready\n",
		LTTD_NAME);
	exit(LTTD_EXIT_ERROR);
}

static int to_null(int fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		return -1;
	if (dup2(null, fd) < 0) {
		close(null);
		return -1;
	}
	close(null);
	return 0;
}

/* Fork; only the child returns (0), or -1 when fork is impossible. */
int lttd_daemon_start(void)
{
	int fds[2];
	pid_t pid;

	fflush(NULL);
	if (pipe2(fds, O_CLOEXEC)) {
		ctfw_err("cannot start the daemon: pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		ctfw_err("cannot start the daemon: fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(fds[1]);
		parent_wait(fds[0], pid);
	}
	close(fds[0]);
	ready_fd = fds[1];
	setsid();
	if (dup2(ready_fd, STDERR_FILENO) < 0 || to_null(STDIN_FILENO) ||
	    to_null(STDOUT_FILENO)) {
		ctfw_err("cannot start the daemon: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Start-up succeeded: release the parent and leave the terminal. */
void lttd_daemon_ready(void)
{
	char nul = '\0';

	if (ready_fd < 0)
		return;
	if (write(ready_fd, &nul, 1) != 1) {
		/* The parent is gone: nobody to tell. */
	}
	to_null(STDERR_FILENO);
	close(ready_fd);
	ready_fd = -1;
}

/* Write our pid to path, atomically (temporary file, then rename). */
int lttd_pidfile_write(const char *path)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f) {
		ctfw_err("cannot create the pid file %s: %s", tmp,
			 strerror(errno));
		return -1;
	}
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) || rename(tmp, path)) {
		ctfw_err("cannot write the pid file %s: %s", path,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	snprintf(pidfile_path, sizeof(pidfile_path), "%s", path);
	return 0;
}

/* Remove the pid file at exit, unless another process has replaced it. */
void lttd_pidfile_remove(void)
{
	FILE *f;
	int pid = 0;

	if (!pidfile_path[0])
		return;
	f = fopen(pidfile_path, "re");
	if (!f)
		return;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid == (int)getpid())
		unlink(pidfile_path);
}
