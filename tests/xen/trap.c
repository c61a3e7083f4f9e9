/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pv-trap: N invalid-opcode exceptions (ud2) in a user process, each caught
 * by a SIGILL handler that steps the saved RIP past the 2-byte ud2.  In a
 * PV dom0, each #UD goes to Xen first, which injects it into the guest
 * kernel (xen/arch/x86/pv/traps.c pv_inject_event -> trace_pv_trap): the
 * workload's deterministic source of pv:trap events (vector 6).
 *
 *   pv-trap [N]   (default 50); exits 0 when the handler ran N times.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static volatile sig_atomic_t caught;

static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] += 2; /* ud2: 0f 0b */
	caught++;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
	long i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigill;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGILL, &sa, NULL)) {
		perror("pv-trap: sigaction");
		return 1;
	}
	for (i = 0; i < n; i++)
		__asm__ volatile("ud2" ::: "memory");
	if (caught != n) {
		fprintf(stderr, "pv-trap: %d SIGILL caught, expected %ld\n",
			(int)caught, n);
		return 1;
	}
	printf("pv-trap: %ld ud2 executed, %ld SIGILL caught\n", n, n);
	return 0;
}
