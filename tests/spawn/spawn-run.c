// SPDX-License-Identifier: GPL-2.0-only
/*
 * spawn-run [--stdout-null] [--path] PROG ARGS...: spawn_run() on PROG,
 * then prints "rc R", "status" as spawn_describe() words it, and "last"
 * (tests/spawn/test-spawn.sh).  Run with SIGTERM blocked, as lttctl-xen
 * runs its children: the child must get an empty mask.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "spawn.h"

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	struct spawn_result res;
	char why[1024];
	sigset_t term;
	int i = 1, rc;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--stdout-null"))
			flags |= SPAWN_STDOUT_NULL;
		else if (!strcmp(argv[i], "--path"))
			flags |= SPAWN_PATH;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: spawn-run [--stdout-null] [--path] "
				"PROG ARGS...\n");
		return 2;
	}
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	rc = spawn_run(argv + i, flags, &res);
	spawn_describe(argv[i], &res, why, sizeof(why));
	printf("rc %d\nstatus %s\nlast [%s]\n", rc, why, res.last);
	return 0;
}
