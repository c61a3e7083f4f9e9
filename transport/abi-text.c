// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi-text.c: the words for the values of include/lttng-xen/abi.h that
 * messages show: operation names, the producer's error codes, states
 * and modes.  The one place they are written, for lttd-xen, lttctl-xen
 * and the transports.  Calls nothing.
 */
#include "transport.h"

static const char *const op_names[] = {
	[LTTNG_XEN_OP_GET_INFO] = "GET_INFO",
	[LTTNG_XEN_OP_CONFIGURE] = "CONFIGURE",
	[LTTNG_XEN_OP_SET_EVENTS] = "SET_EVENTS",
	[LTTNG_XEN_OP_START] = "START",
	[LTTNG_XEN_OP_STOP] = "STOP",
	[LTTNG_XEN_OP_FLUSH] = "FLUSH",
	[LTTNG_XEN_OP_GET_BUFFER] = "GET_BUFFER",
	[LTTNG_XEN_OP_GET_SUBBUF] = "GET_SUBBUF",
	[LTTNG_XEN_OP_PUT_SUBBUF] = "PUT_SUBBUF",
	[LTTNG_XEN_OP_GET_COUNTERS] = "GET_COUNTERS",
	[LTTNG_XEN_OP_DESTROY] = "DESTROY",
	[LTTNG_XEN_OP_DOMAIN_NAME] = "DOMAIN_NAME",
	[LTTNG_XEN_OP_HOLD] = "HOLD",
	[LTTNG_XEN_OP_SET_DOMAINS] = "SET_DOMAINS",
};

const char *lx_op_name(uint32_t code)
{
	if (code < sizeof(op_names) / sizeof(op_names[0]) && op_names[code])
		return op_names[code];
	return "unknown operation";
}

const char *lx_state_name(uint32_t state)
{
	switch (state) {
	case LTTNG_XEN_STATE_UNCONFIGURED:
		return "unconfigured";
	case LTTNG_XEN_STATE_STOPPED:
		return "stopped";
	case LTTNG_XEN_STATE_RUNNING:
		return "running";
	}
	return "unknown";
}

const char *lx_mode_name(uint32_t mode)
{
	return mode == LTTNG_XEN_MODE_OVERWRITE ? "overwrite" : "discard";
}

const char *lx_strerror(int ret)
{
	switch (ret < 0 ? -ret : ret) {
	case 0:
		return "success";
	case LTTNG_XEN_EPERM:
		return "not allowed in the tracer's current state (not "
		       "configured, or not running)";
	case LTTNG_XEN_ENOENT:
		return "this CPU has no trace buffer (not in the CPU mask, or "
		       "offline when the trace was configured)";
	case LTTNG_XEN_E2BIG:
		return "this host has more CPUs than lttng-xen can trace (256): "
		       "name the CPUs to trace (at most 256)";
	case LTTNG_XEN_ESRCH:
		return "the trace was configured again since this consumer "
		       "started (a new session, another generation): this "
		       "consumer's trace ends before it";
	case LTTNG_XEN_ENOMEM:
		return "not enough memory for the trace buffers";
	case LTTNG_XEN_EBUSY:
		return "the tracer is busy: it is running, its buffers have "
		       "other sizes (destroy the trace first), or a CPU stayed "
		       "inside a trace point past the quiescence deadline (try "
		       "again)";
	case LTTNG_XEN_EINVAL:
		return "invalid argument";
	case LTTNG_XEN_EAGAIN:
		return "no complete sub-buffer yet";
	case LTTNG_XEN_ERANGE:
		return "value out of range (CPU number, sub-buffer size or "
		       "count, or event id)";
	case LTTNG_XEN_ENOSYS:
		return "operation not supported by the producer (built from "
		       "another version?)";
	case LTTNG_XEN_EOVERFLOW:
		return "the sub-buffer was overwritten while it was being read";
	case LTTNG_XEN_ENOBUFS:
		return "the frame list passed is too small for the buffer";
	}
	return "unknown error";
}
