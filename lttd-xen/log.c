// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c: lttd-xen's messages.  Errors and notes go to stderr, prefixed
 * with the program name; the per-CPU summary to stdout.  In daemon mode
 * every message is also appended, with a time stamp, to DIR/.lttd-xen.log,
 * which is all that is left once the daemon has detached from the
 * terminal.  The name starts with a dot because babeltrace2 takes every
 * other file beside the metadata for a stream file.
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

#include "lttd.h"

const char *lttd_name = LTTD_NAME;
int lttd_quiet;

static int log_fd = -1;

/*
 * Append to DIR/.lttd-xen.log from now on (daemon mode).  A symbolic
 * link, a hard link or anything but a plain file there is refused (-1):
 * lttd-xen runs as root and must not append to a file someone pointed it
 * at.  A log that cannot be opened otherwise is only worth a note.
 */
int lttd_log_open(int dir_fd, const char *dir)
{
	const char *why = NULL;
	struct stat st;

	log_fd = openat(dir_fd, LTTD_LOG_NAME,
			O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
				O_NONBLOCK,
			0640);
	if (log_fd < 0 && errno == ELOOP)
		why = "it is a symbolic link";
	else if (log_fd < 0)
		lttd_note("cannot open %s/%s: %s; logging to stderr only", dir,
			  LTTD_LOG_NAME, strerror(errno));
	else if (fstat(log_fd, &st) || !S_ISREG(st.st_mode))
		why = "it is not a regular file";
	else if (st.st_nlink != 1)
		why = "it has other names (hard links)";
	if (!why)
		return 0;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	lttd_err("cannot use %s/%s: %s; lttd-xen appends only to a log it "
		 "created: remove it, or choose another output directory",
		 dir, LTTD_LOG_NAME, why);
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
		fprintf(f, "%s: ", lttd_name);
		vfprintf(f, fmt, ap);
		fputc('\n', f);
		fflush(f);
	}
	to_log(fmt, copy);
	va_end(copy);
}

/* An error: what failed, where, why.  Always shown. */
void lttd_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(stderr, 1, fmt, ap);
	va_end(ap);
}

/* Something the user should know that is not an error. */
void lttd_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(stderr, !lttd_quiet, fmt, ap);
	va_end(ap);
}

/* The result: the per-CPU summary. */
void lttd_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(stdout, !lttd_quiet, fmt, ap);
	va_end(ap);
}

/* A bad command line: what is wrong, where the help is; exits 2. */
void lttd_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", lttd_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
		lttd_name);
	exit(LTTD_EXIT_USAGE);
}
