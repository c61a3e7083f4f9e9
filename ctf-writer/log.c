// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c: the messages of a program that writes a trace.  Errors and
 * notes go to stderr, prefixed with the program's name (ctfw_prog); the
 * results to stdout.  A daemon, which has left its terminal, also
 * appends every message with a time stamp to a log file in its trace
 * directory (lttd-xen: DIR/.lttd-xen.log, a dot file because babeltrace2
 * takes every other file beside the metadata for a stream file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctfw.h"

const char *ctfw_prog = "ctf-writer";
int ctfw_quiet;

static int log_fd = -1;

/*
 * A symbolic link, a hard link or anything but a plain file is refused
 * (-1): the program may run as root (lttd-xen in dom0) and must not
 * append to a file someone pointed it at.  A log that cannot be opened
 * otherwise is only worth a note.
 */
int ctfw_log_open(int dir_fd, const char *dir, const char *name)
{
	const char *why = NULL;
	struct stat st;

	log_fd = openat(dir_fd, name,
			O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
				O_NONBLOCK,
			0640);
	if (log_fd < 0 && errno == ELOOP)
		why = "it is a symbolic link";
	else if (log_fd < 0)
		ctfw_note("cannot open %s/%s: %s; logging to stderr only", dir,
			  name, strerror(errno));
	else if (fstat(log_fd, &st) || !S_ISREG(st.st_mode))
		why = "it is not a regular file";
	else if (st.st_nlink != 1)
		why = "it has other names (hard links)";
	if (!why)
		return 0;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	ctfw_err("cannot use %s/%s: %s; %s appends only to a log it created: "
		 "remove it, or choose another output directory",
		 dir, name, why, ctfw_prog);
	return -1;
}

static void to_log(const char *fmt, va_list ap)
{
	char stamp[32];
	struct tm tm;
	time_t now;

	if (log_fd < 0)
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z", &tm);
	dprintf(log_fd, "%s [%d] ", stamp, (int)getpid());
	vdprintf(log_fd, fmt, ap);
	dprintf(log_fd, "\n");
}

static void emit(FILE *f, int show, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	if (show) {
		fprintf(f, "%s: ", ctfw_prog);
		vfprintf(f, fmt, ap);
		fputc('\n', f);
		fflush(f);
	}
	to_log(fmt, copy);
	va_end(copy);
}

void ctfw_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(stderr, 1, fmt, ap);
	va_end(ap);
}

void ctfw_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(stderr, !ctfw_quiet, fmt, ap);
	va_end(ap);
}

void ctfw_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(stdout, !ctfw_quiet, fmt, ap);
	va_end(ap);
}

void ctfw_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ctfw_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", ctfw_prog);
	exit(2);
}
