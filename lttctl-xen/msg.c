// SPDX-License-Identifier: GPL-2.0-only
/*
 * msg.c: lttctl-xen's messages, on stderr: "lttctl-xen: what, where,
 * why", warnings and hints; a usage error names the verb being parsed
 * and where its help is.  The bottom of lttctl-xen: calls nothing.
 */
#include <stdarg.h>
#include <stdio.h>

#include "lttctl.h"

const char *lttctl_prog = "lttctl-xen";
static const char *verb_name;

/* The verb whose options are parsed: usage errors name it. */
void lttctl_set_verb(const char *verb)
{
	verb_name = verb;
}

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", lttctl_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void lttctl_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void lttctl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

void lttctl_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("hint: ", fmt, ap);
	va_end(ap);
}

/* Report a usage error, with where to find help.  The caller exits 2. */
void lttctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	if (verb_name)
		fprintf(stderr, "%s %s: ", lttctl_prog, verb_name);
	else
		fprintf(stderr, "%s: ", lttctl_prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (verb_name)
		fprintf(stderr, "Try '%s %s --help'.\n", lttctl_prog,
			verb_name);
	else
		fprintf(stderr, "Try '%s --help'.\n", lttctl_prog);
}
