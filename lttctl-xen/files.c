// SPDX-License-Identifier: GPL-2.0-only
/*
 * files.c: paths and directories: absolute paths, mkdir -p, the bytes
 * of a trace directory, whether a directory may receive a new trace, the
 * time stamps in default names.  Calls msg.c only.
 */
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lttctl.h"

/* mkdir -p; errno set on failure. */
int lttctl_make_dirs(const char *path)
{
	char buf[LTTCTL_PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/* path made absolute against the current directory. */
int lttctl_absolute_path(const char *path, char *buf, size_t len)
{
	char cwd[LTTCTL_PATH_MAX];
	int n;

	if (path[0] == '/') {
		n = snprintf(buf, len, "%s", path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -1;
		n = snprintf(buf, len, "%s/%s", cwd, path);
	}
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return n < (int)len - 16 ? 0 : -1;
}

/* "20240131-093000", local time. */
void lttctl_timestamp(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y%m%d-%H%M%S", &tm);
}

/* "2024-01-31 09:30:00", local time. */
void lttctl_format_time(long long t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* A trace directory lttd-xen may write: absent, or a directory without a
 * trace in it. */
int lttctl_check_output(const char *dir, bool usage)
{
	char path[LTTCTL_PATH_MAX + 16];
	struct stat st;

	if (strchr(dir, '\n')) {
		lttctl_error("the output directory name contains a newline");
		return -1;
	}
	if (stat(dir, &st)) {
		if (errno == ENOENT)
			return 0;
		lttctl_error("cannot use %s as the output directory: %s", dir,
			     strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (usage)
			lttctl_usage_error("--output %s: not a directory", dir);
		else
			lttctl_error("%s is not a directory", dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/metadata", dir);
	if (!access(path, F_OK)) {
		if (usage)
			lttctl_usage_error(
				"--output %s: it already holds a trace "
				"(%s); choose another directory",
				dir, path);
		else
			lttctl_error("%s already holds a trace (%s)", dir,
				     path);
		return -1;
	}
	return 0;
}

/* Bytes in the regular files below dir (a run's guest traces are in it). */
uint64_t lttctl_dir_size(const char *dir)
{
	char path[LTTCTL_PATH_MAX + 256];
	struct dirent *d;
	struct stat st;
	uint64_t total = 0;
	DIR *dp = opendir(dir);

	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISREG(st.st_mode))
			total += st.st_size;
		else if (S_ISDIR(st.st_mode)) /* a run's guest traces */
			total += lttctl_dir_size(path);
	}
	closedir(dp);
	return total;
}

/*
 * A program of lttng-xen: $ENV, else NAME next to lttctl-xen's own
 * executable (make install puts them together).  NULL if it cannot be
 * run (said why).
 */
const char *lttctl_find_program(const char *name, const char *env, char *buf,
				size_t len)
{
	const char *e = getenv(env);
	char self[LTTCTL_PATH_MAX], *slash;
	ssize_t n;

	if (e && *e) {
		snprintf(buf, len, "%s", e);
		if (access(buf, X_OK)) {
			lttctl_error("cannot run %s at %s ($%s): %s", name, buf,
				     env, strerror(errno));
			return NULL;
		}
		return buf;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		lttctl_error("cannot find lttctl-xen's own path "
			     "(/proc/self/exe): %s",
			     strerror(errno));
		lttctl_hint("set %s to the path of %s", env, name);
		return NULL;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(buf, len, "%.4000s/%s", self, name);
	if (access(buf, X_OK)) {
		lttctl_error("cannot run %s at %s (next to lttctl-xen): %s",
			     name, buf, strerror(errno));
		lttctl_hint("build it ('make'), or set %s to its path", env);
		return NULL;
	}
	return buf;
}
