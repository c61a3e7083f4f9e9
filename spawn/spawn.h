/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spawn.h: run a program to its end and keep the last line it printed,
 * for a message that says why it failed (spawn/README.md).
 */
#ifndef LTTNG_XEN_SPAWN_H
#define LTTNG_XEN_SPAWN_H

#include <stddef.h>

/* Flags of spawn_run(). */
#define SPAWN_STDOUT_NULL 1u /* keep stderr only: stdout to /dev/null */
#define SPAWN_PATH	  2u /* look argv[0] up in PATH (execvp) */

struct spawn_result {
	/* waitpid()'s status; -1 when the program could not be started */
	int status;
	/* its last non-empty line (the end of a longer one), control
	 * characters as spaces; or why it could not be started */
	char last[512];
};

/*
 * Run argv with stdin untouched, the signal mask of the child emptied, and
 * its stderr (and its stdout, unless SPAWN_STDOUT_NULL) read until it
 * ends.  0 when it exited 0; -1 otherwise, res saying how it ended.
 */
int spawn_run(char *const argv[], unsigned int flags, struct spawn_result *res);

/*
 * How a failed spawn_run() ended, in words: "PROG exited N: LAST",
 * "PROG was killed by signal N", or why it could not be started.
 */
void spawn_describe(const char *prog, const struct spawn_result *res, char *buf,
		    size_t len);

#endif /* LTTNG_XEN_SPAWN_H */
