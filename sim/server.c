// SPDX-License-Identifier: GPL-2.0-only
/*
 * server.c: the control socket (sim-protocol.h).  One thread serves every
 * client: each request, one struct lttng_xen_op, goes to tracer/control.c
 * under sim_control_lock, exactly as Xen's sysctl handler will pass it;
 * this file adds only the file descriptors the transport needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <lttng-xen/control.h>

#include "sim.h"
#include "sim-protocol.h"

#define MAX_CLIENTS 64

struct client {
	int fd;
	int wake_slot; /* -1: none */
};

static int listen_fd = -1;
static const char *bound_path;
static struct client clients[MAX_CLIENTS];
static pthread_t server_thread;

static int send_reply(int fd, const struct lttng_xen_op *op, int pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {(void *)op, sizeof(*op)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;

	if (pass_fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	return sendmsg(fd, &msg, MSG_NOSIGNAL) == (ssize_t)sizeof(*op) ? 0 : -1;
}

/* Run one request; returns a descriptor to pass with the answer, or -1. */
static int handle(struct client *cl, struct lttng_xen_op *op)
{
	int fd = -1;

	if (op->op == LTTNG_XEN_SIM_OP_GET_WAKEUP_FD) {
		if (cl->wake_slot < 0)
			cl->wake_slot = sim_wakeup_attach();
		if (cl->wake_slot < 0) {
			op->ret = -LTTNG_XEN_EBUSY;
			return -1;
		}
		op->ret = 0;
		return dup(sim_wakeup_fd(cl->wake_slot));
	}

	pthread_mutex_lock(&sim_control_lock);
	lttng_xen_control(op);
	if (op->ret == 0 && op->op == LTTNG_XEN_OP_GET_BUFFER) {
		fd = sim_buffer_fd(op->cpu);
		if (fd < 0)
			op->ret = -LTTNG_XEN_ENOMEM;
	}
	pthread_mutex_unlock(&sim_control_lock);
	if (op->ret == 0 && op->op == LTTNG_XEN_OP_START)
		sim_cpus_note_started();
	return fd;
}

static void drop_client(struct client *cl)
{
	sim_wakeup_detach(cl->wake_slot);
	close(cl->fd);
	cl->fd = -1;
	cl->wake_slot = -1;
}

static void serve_client(struct client *cl)
{
	struct lttng_xen_op op;
	char buf[sizeof(op) + 1];
	ssize_t n;
	int fd;

	n = recv(cl->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop_client(cl);
		return;
	}
	memset(&op, 0, sizeof(op));
	if (n != (ssize_t)sizeof(op)) {
		op.ret = -LTTNG_XEN_EINVAL;
		fd = -1;
	} else {
		memcpy(&op, buf, sizeof(op));
		fd = handle(cl, &op);
	}
	if (send_reply(cl->fd, &op, fd))
		drop_client(cl);
	if (fd >= 0)
		close(fd);
}

static void accept_client(void)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC), i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].fd < 0) {
			clients[i].fd = fd;
			clients[i].wake_slot = -1;
			return;
		}
	}
	fprintf(stderr, "lttng-xen-sim: more than %d clients; refusing one\n",
		MAX_CLIENTS);
	close(fd);
}

static void *server_main(void *arg)
{
	struct pollfd pfd[MAX_CLIENTS + 1];
	int map[MAX_CLIENTS + 1], n, i;

	(void)arg;
	for (;;) {
		pfd[0].fd = listen_fd;
		pfd[0].events = POLLIN;
		n = 1;
		for (i = 0; i < MAX_CLIENTS; i++) {
			if (clients[i].fd < 0)
				continue;
			pfd[n].fd = clients[i].fd;
			pfd[n].events = POLLIN;
			map[n++] = i;
		}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("lttng-xen-sim: poll");
			return NULL;
		}
		for (i = 1; i < n; i++) {
			if (pfd[i].revents)
				serve_client(&clients[map[i]]);
		}
		if (pfd[0].revents & POLLIN)
			accept_client();
	}
	return NULL;
}

/* Refuses to take over the socket of a simulator that still answers. */
static int bind_socket(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr,
			"lttng-xen-sim: socket path too long (at most %zu "
			"bytes): %s\n",
			sizeof(sa.sun_path) - 1, path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("lttng-xen-sim: socket");
		return -1;
	}
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			fprintf(stderr,
				"lttng-xen-sim: another simulator is listening "
				"on %s\n",
				path);
			close(fd);
			return -1;
		}
		close(fd);
		unlink(path);
		fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			perror("lttng-xen-sim: socket");
			return -1;
		}
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		fprintf(stderr, "lttng-xen-sim: cannot listen on %s: %s\n",
			path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int sim_server_start(const char *path)
{
	int i, err;

	for (i = 0; i < MAX_CLIENTS; i++) {
		clients[i].fd = -1;
		clients[i].wake_slot = -1;
	}
	listen_fd = bind_socket(path);
	if (listen_fd < 0)
		return -1;
	bound_path = path;
	err = pthread_create(&server_thread, NULL, server_main, NULL);
	if (err) {
		fprintf(stderr,
			"lttng-xen-sim: cannot start the control thread: %s\n",
			strerror(err));
		return -1;
	}
	return 0;
}

void sim_server_cleanup(void)
{
	if (bound_path)
		unlink(bound_path);
}
