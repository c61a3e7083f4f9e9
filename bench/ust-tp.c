// SPDX-License-Identifier: GPL-2.0-only
/* ust-tp.c: the probes of the bench_ust provider, linked into bench-ust. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "ust-tp.h"
