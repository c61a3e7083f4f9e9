// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport-sim.c: transport "sim:PATH", the simulator (sim/) on the Unix
 * socket PATH.  One struct lttng_xen_op out, one back (sim-protocol.h);
 * buffers and the wake-up eventfd come back as descriptors (SCM_RIGHTS).
 *
 * Domain names: the simulator runs no domains, so a test describes them
 * in the file $LTTNG_XEN_SIM_DOMAINS, one "ID NAME" line each, and
 * changes it (best by rename(2), as xenstore changes atomically) to
 * introduce or release domains; inotify on its directory stands in for
 * xenstore's watches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport-impl.h"
#include "../sim/sim-protocol.h"

struct lx_sim {
	struct lx_transport base;
	int sock;
	int wake_fd;
	int names_fd; /* inotify on the directory of names_path */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char names_path[4096];
};

static struct lx_sim *sim_of(struct lx_transport *t)
{
	return (struct lx_sim *)t;
}

static int send_op(struct lx_sim *s, const struct lttng_xen_op *op,
		   struct lx_error *err)
{
	ssize_t n;

	do
		n = send(s->sock, op, sizeof(*op), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(*op))
		return 0;
	return lx_set_error(err, "cannot send to the simulator at %s: %s",
			    s->path, n < 0 ? strerror(errno) : "short write");
}

/* The answer's descriptor, if any, goes to *fd (else it is closed). */
static int recv_op(struct lx_sim *s, struct lttng_xen_op *op, int *fd,
		   struct lx_error *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {op, sizeof(*op)};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	int got = -1;
	ssize_t n;

	do
		n = recvmsg(s->sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return lx_set_error(err,
				    "cannot read from the simulator at %s: %s",
				    s->path, strerror(errno));
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&got, CMSG_DATA(cm), sizeof(int));
	}
	if (fd)
		*fd = got;
	else if (got >= 0)
		close(got);
	if (n == 0)
		return lx_set_error(err,
				    "the simulator at %s closed the connection "
				    "(did it exit?)",
				    s->path);
	if (n != (ssize_t)sizeof(*op) || (msg.msg_flags & MSG_TRUNC)) {
		if (fd && got >= 0)
			close(got);
		return lx_set_error(err,
				    "the simulator at %s sent a malformed "
				    "answer (%zd bytes, expected %zu)",
				    s->path, n, sizeof(*op));
	}
	return 0;
}

static int sim_call(struct lx_sim *s, struct lttng_xen_op *op, int *fd,
		    struct lx_error *err)
{
	uint32_t code = op->op;

	if (fd)
		*fd = -1;
	if (send_op(s, op, err) || recv_op(s, op, fd, err))
		return -1;
	if (op->op != code) {
		if (fd && *fd >= 0)
			close(*fd);
		return lx_set_error(err,
				    "the simulator at %s answered operation %u "
				    "to a request for operation %u",
				    s->path, op->op, code);
	}
	return 0;
}

static int sim_op(struct lx_transport *t, struct lttng_xen_op *op,
		  struct lx_error *err)
{
	return sim_call(sim_of(t), op, NULL, err);
}

static const void *sim_map_buffer(struct lx_transport *t, uint32_t cpu,
				  size_t *size, struct lx_error *err)
{
	struct lx_sim *s = sim_of(t);
	struct lttng_xen_op op;
	struct stat st;
	void *addr;
	int fd, e;

	memset(&op, 0, sizeof(op));
	op.op = LTTNG_XEN_OP_GET_BUFFER;
	op.cpu = cpu;
	if (sim_call(s, &op, &fd, err))
		return NULL;
	if (op.ret) {
		lx_set_error(err, "cannot map the buffer of CPU %u: %s", cpu,
			     lx_strerror(op.ret));
		errno = -op.ret;
		return NULL;
	}
	if (fd < 0) {
		lx_set_error(err,
			     "the simulator at %s sent no buffer for CPU %u",
			     s->path, cpu);
		errno = EPROTO;
		return NULL;
	}
	if (fstat(fd, &st) || (uint64_t)st.st_size < op.u.buffer.size ||
	    op.u.buffer.size < LTTNG_XEN_CTL_SIZE) {
		e = errno;
		close(fd);
		lx_set_error(err,
			     "the buffer of CPU %u is smaller than announced "
			     "(%u bytes)",
			     cpu, op.u.buffer.size);
		errno = e ? e : EPROTO;
		return NULL;
	}
	addr = mmap(NULL, op.u.buffer.size, PROT_READ, MAP_SHARED, fd, 0);
	e = errno;
	close(fd);
	if (addr == MAP_FAILED) {
		lx_set_error(err,
			     "cannot map the buffer of CPU %u (%u bytes): %s",
			     cpu, op.u.buffer.size, strerror(e));
		errno = e;
		return NULL;
	}
	*size = op.u.buffer.size;
	return addr;
}

static void sim_unmap_buffer(struct lx_transport *t, const void *addr,
			     size_t size)
{
	(void)t;
	munmap((void *)addr, size);
}

static int sim_wakeup_fd(struct lx_transport *t, struct lx_error *err)
{
	struct lx_sim *s = sim_of(t);
	struct lttng_xen_op op;
	int fd;

	if (s->wake_fd >= 0)
		return s->wake_fd;
	memset(&op, 0, sizeof(op));
	op.op = LTTNG_XEN_SIM_OP_GET_WAKEUP_FD;
	if (sim_call(s, &op, &fd, err))
		return -1;
	if (op.ret || fd < 0) {
		if (fd >= 0)
			close(fd);
		errno = op.ret ? -op.ret : EPROTO;
		return lx_set_error(
			err,
			"the simulator at %s gave no wake-up descriptor: %s",
			s->path,
			op.ret ? "too many consumers connected"
			       : "none in its answer");
	}
	s->wake_fd = fd;
	return fd;
}

static void sim_ack_wakeup(struct lx_transport *t)
{
	struct lx_sim *s = sim_of(t);
	uint64_t v;

	/* The eventfd is non-blocking: this only clears it. */
	if (s->wake_fd >= 0) {
		ssize_t n = read(s->wake_fd, &v, sizeof(v));
		(void)n;
	}
}

static void sim_domains_close(struct lx_transport *t)
{
	struct lx_sim *s = sim_of(t);

	if (s->names_fd >= 0)
		close(s->names_fd);
	s->names_fd = -1;
}

static int sim_domains_open(struct lx_transport *t, struct lx_error *err)
{
	struct lx_sim *s = sim_of(t);
	const char *file = getenv("LTTNG_XEN_SIM_DOMAINS");
	char dir[sizeof(s->names_path)];

	if (s->names_fd >= 0)
		return 0;
	if (!file || !*file)
		return lx_set_error(err, "the simulator runs no domains "
					 "($LTTNG_XEN_SIM_DOMAINS names no "
					 "file of 'ID NAME' lines)");
	snprintf(s->names_path, sizeof(s->names_path), "%s", file);
	snprintf(dir, sizeof(dir), "%s", file);
	s->names_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->names_fd < 0 ||
	    inotify_add_watch(s->names_fd, dirname(dir),
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE) < 0) {
		lx_set_error(err, "cannot watch %s for domain names: %s",
			     s->names_path, strerror(errno));
		sim_domains_close(t);
		return -1;
	}
	return 0;
}

static int sim_domains_fd(struct lx_transport *t)
{
	return sim_of(t)->names_fd;
}

/* The file as it is now; missing: no domains. */
static int sim_domains_list(struct lx_transport *t, struct lx_domain **list,
			    struct lx_error *err)
{
	struct lx_sim *s = sim_of(t);
	char buf[4096], line[512], name[LX_DOMAIN_NAME_MAX];
	uint32_t domid;
	size_t n = 0;
	FILE *f;

	while (read(s->names_fd, buf, sizeof(buf)) > 0)
		;
	f = fopen(s->names_path, "re");
	if (!f)
		return errno == ENOENT ? 0 :
		       lx_set_error(err, "cannot read %s: %s", s->names_path,
				    strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNu32 " %255[^\n]", &domid, name) == 2 &&
		    lx_domains_add(list, &n, domid, name)) {
			fclose(f);
			return lx_set_error(err, "out of memory");
		}
	fclose(f);
	return (int)n;
}

static void sim_close(struct lx_transport *t)
{
	struct lx_sim *s = sim_of(t);

	sim_domains_close(t);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	close(s->sock);
	free(s);
}

static const struct lx_transport_ops sim_ops = {
	.name = "sim",
	.close = sim_close,
	.op = sim_op,
	.map_buffer = sim_map_buffer,
	.unmap_buffer = sim_unmap_buffer,
	.wakeup_fd = sim_wakeup_fd,
	.ack_wakeup = sim_ack_wakeup,
	.domains_open = sim_domains_open,
	.domains_fd = sim_domains_fd,
	.domains_list = sim_domains_list,
	.domains_close = sim_domains_close,
};

struct lx_transport *lx_sim_open(const char *path, struct lx_error *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct lx_sim *s;
	int e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		lx_set_error(err,
			     "the simulator's socket path is too long (at most "
			     "%zu bytes): %s",
			     sizeof(sa.sun_path) - 1, path);
		errno = ENAMETOOLONG;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		lx_set_error(err, "out of memory");
		return NULL;
	}
	s->base.ops = &sim_ops;
	s->wake_fd = -1;
	s->names_fd = -1;
	strcpy(s->path, path);
	strcpy(sa.sun_path, path);
	s->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s->sock < 0 ||
	    connect(s->sock, (struct sockaddr *)&sa, sizeof(sa))) {
		e = errno;
		lx_set_error(err,
			     "cannot connect to the simulator at %s: %s (is "
			     "lttng-xen-sim running?)",
			     path, strerror(e));
		if (s->sock >= 0)
			close(s->sock);
		free(s);
		errno = e;
		return NULL;
	}
	return &s->base;
}
