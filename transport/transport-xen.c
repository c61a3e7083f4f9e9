// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport-xen.c: transport "xen", the patched hypervisor, from dom0,
 * with Debian's libxen-dev:
 *
 *   lx_op          XEN_SYSCTL_lttng_op (xen-patches/0001) through
 *                  xc_sysctl(); its payload is defined here, since the
 *                  stock public headers do not have it.
 *   lx_map_buffer  GET_BUFFER with a frame list, then
 *                  xenforeignmemory_map(DOMID_XEN, PROT_READ).
 *   lx_wakeup_fd   VIRQ_TBUF bound with xenevtchn; its descriptor.
 *   lx_domains_*   domain names from xenstore (libxenstore), watched.
 *
 * Built only when pkg-config finds xencontrol, xenforeignmemory,
 * xenevtchn and xenstore (the Makefile then defines LX_HAVE_XEN);
 * otherwise this file is empty and transport.c says the Xen transport is
 * not built.
 */
#ifdef LX_HAVE_XEN

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenstore.h>

#include "transport-impl.h"

/*
 * XEN_SYSCTL_lttng_op, as xen-patches/0001 adds it to public/sysctl.h.
 * XEN_SYSCTL_INTERFACE_VERSION is unchanged by the patch, and xc_sysctl()
 * stamps the library's own (0x15) into every call.  The frame list is of
 * 64-bit words whatever the caller's word size (xen_pfn_t is not).
 */
#ifndef XEN_SYSCTL_lttng_op
#define XEN_SYSCTL_lttng_op 30
struct xen_sysctl_lttng_op {
	struct lttng_xen_op op;		    /* IN/OUT */
	XEN_GUEST_HANDLE_64(uint64) frames; /* OUT: GET_BUFFER */
};
#endif

_Static_assert(sizeof(struct lttng_xen_op) == 112, "ABI: lttng_xen_op size");
_Static_assert(offsetof(struct xen_sysctl_lttng_op, frames) == 112,
	       "XEN_SYSCTL_lttng_op: frames after the op");
_Static_assert(sizeof(struct xen_sysctl_lttng_op) == 120,
	       "XEN_SYSCTL_lttng_op: 120 bytes");
_Static_assert(sizeof(struct xen_sysctl_lttng_op) <=
		       sizeof(((struct xen_sysctl *)0)->u.pad),
	       "XEN_SYSCTL_lttng_op fits the sysctl union");

/* Never a producer's answer: op.ret is 0 or negative. */
#define RET_UNTOUCHED 0x4c58

#define PRIVCMD "/dev/xen/privcmd"

/* libxen's messages, kept for ours instead of printed. */
struct quiet_logger {
	struct xentoollog_logger base;
	char last[256];
};

struct lx_xen {
	struct lx_transport base;
	struct quiet_logger log;
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	int wake_fd;
	struct xs_handle *xsh;
	uint32_t *watched; /* domains whose name node is watched */
	size_t nr_watched;
};

static struct lx_xen *xen_of(struct lx_transport *t)
{
	return (struct lx_xen *)t;
}

static void quiet_vmessage(struct xentoollog_logger *logger,
			   xentoollog_level level, int errnoval,
			   const char *context, const char *format, va_list al)
{
	struct quiet_logger *q = (struct quiet_logger *)logger;

	(void)level;
	(void)errnoval;
	(void)context;
	vsnprintf(q->last, sizeof(q->last), format, al);
}

static void quiet_progress(struct xentoollog_logger *logger,
			   const char *context, const char *doing_what,
			   int percent, unsigned long done, unsigned long total)
{
	(void)logger;
	(void)context;
	(void)doing_what;
	(void)percent;
	(void)done;
	(void)total;
}

static void quiet_destroy(struct xentoollog_logger *logger)
{
	(void)logger;
}

/* Whether the file's first line contains word (0 if unreadable). */
static int file_has(const char *path, const char *word)
{
	char buf[256];
	FILE *f = fopen(path, "re");
	int has = 0;

	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f))
		has = strstr(buf, word) != NULL;
	fclose(f);
	return has;
}

/*
 * Before libxen opens anything: are we dom0, may we use privcmd?  The
 * answer says what to do, where libxen would only say "No such file".
 */
static int check_dom0(struct lx_error *err)
{
	int fd, e;

	if (access("/proc/xen/capabilities", R_OK) == 0 &&
	    !file_has("/proc/xen/capabilities", "control_d")) {
		errno = EPERM;
		return lx_set_error(
			err,
			"this is a Xen guest, not dom0 (/proc/xen/capabilities "
			"has no control_d): lttng-xen controls the hypervisor "
			"from dom0 only");
	}
	fd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	e = errno;
	if (e == ENOENT || e == ENODEV || e == ENXIO) {
		int on_xen = file_has("/sys/hypervisor/type", "xen") ||
			     access("/proc/xen", F_OK) == 0;

		if (on_xen)
			lx_set_error(err,
				     "this is not a Xen dom0, or its privcmd "
				     "driver is not loaded (no %s): in dom0, "
				     "run 'modprobe -a xen-privcmd xen-evtchn'",
				     PRIVCMD);
		else
			lx_set_error(err,
				     "this is not a Xen dom0 (no %s): "
				     "lttng-xen traces the hypervisor from its "
				     "dom0; boot this machine on the Xen built "
				     "by make xen, or use the simulator: "
				     "--transport sim:PATH",
				     PRIVCMD);
		errno = ENOENT;
		return -1;
	}
	lx_set_error(err, "cannot open %s: %s%s", PRIVCMD, strerror(e),
		     e == EACCES || e == EPERM
			     ? " (controlling Xen needs root in dom0)"
			     : "");
	errno = e;
	return -1;
}

/* Why the hypervisor refused the sysctl itself (not the tracer's answer). */
static int sysctl_error(struct lx_error *err, int e)
{
	switch (e) {
	case ENOSYS:
	case EINVAL:
		return lx_set_error(
			err,
			"the running Xen has no lttng-xen support "
			"(XEN_SYSCTL_lttng_op unknown: %s); boot the "
			"hypervisor built by make xen (build/xen/xen)",
			strerror(e));
	case EACCES:
		return lx_set_error(
			err,
			"Xen refused XEN_SYSCTL_lttng_op (%s): its sysctl "
			"interface is not version %#x (libxen-dev of another "
			"Xen release?), or the XSM policy denies this domain "
			"xen:tbufcontrol",
			strerror(e), XEN_SYSCTL_INTERFACE_VERSION);
	case EPERM:
		return lx_set_error(err,
				    "Xen refused XEN_SYSCTL_lttng_op (%s): "
				    "only dom0 may control the tracer",
				    strerror(e));
	}
	return lx_set_error(err, "XEN_SYSCTL_lttng_op failed: %s", strerror(e));
}

/*
 * One sysctl.  frames: a hypercall buffer (GET_BUFFER) or NULL.  0 when
 * the tracer answered (op->ret), -1 when the hypercall itself failed.
 */
static int xen_call(struct lx_xen *x, struct lttng_xen_op *op,
		    xc_hypercall_buffer_t *frames, struct lx_error *err)
{
	struct xen_sysctl sc;
	struct xen_sysctl_lttng_op sop;
	int rc, e;

	memset(&sc, 0, sizeof(sc));
	memset(&sop, 0, sizeof(sop));
	sc.cmd = XEN_SYSCTL_lttng_op;
	sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sop.op = *op;
	sop.op.ret = RET_UNTOUCHED;
	if (frames) {
		DECLARE_HYPERCALL_BUFFER_ARGUMENT(frames);
		set_xen_guest_handle(sop.frames, frames);
	} else {
		set_xen_guest_handle(sop.frames, HYPERCALL_BUFFER_NULL);
	}
	memcpy(sc.u.pad, &sop, sizeof(sop));

	rc = xc_sysctl(x->xch, &sc);
	e = errno;
	memcpy(&sop, sc.u.pad, sizeof(sop));
	if (sop.op.ret != RET_UNTOUCHED) {
		/* The tracer answered: its result is in op.ret. */
		*op = sop.op;
		return 0;
	}
	if (rc == 0) {
		errno = EPROTO;
		return lx_set_error(err,
				    "XEN_SYSCTL_lttng_op succeeded without an "
				    "answer from the tracer (is this the Xen "
				    "of make xen?)");
	}
	errno = e;
	return sysctl_error(err, e);
}

static int xen_op(struct lx_transport *t, struct lttng_xen_op *op,
		  struct lx_error *err)
{
	return xen_call(xen_of(t), op, NULL, err);
}

/* GET_BUFFER with a frame list of room entries; 0 or -1 (errno). */
static int get_frames(struct lx_xen *x, uint32_t cpu, uint32_t room,
		      xc_hypercall_buffer_t *frames, struct lttng_xen_op *op,
		      struct lx_error *err)
{
	memset(op, 0, sizeof(*op));
	op->op = LTTNG_XEN_OP_GET_BUFFER;
	op->cpu = cpu;
	op->u.buffer.nr_frames = room;
	if (xen_call(x, op, frames, err))
		return -1;
	if (op->ret) {
		lx_set_error(err, "cannot map the buffer of CPU %u: %s", cpu,
			     lx_strerror(op->ret));
		errno = -op->ret;
		return -1;
	}
	return 0;
}

static const void *xen_map_buffer(struct lx_transport *t, uint32_t cpu,
				  size_t *size, struct lx_error *err)
{
	struct lx_xen *x = xen_of(t);
	struct lttng_xen_op op;
	DECLARE_HYPERCALL_BUFFER(uint64_t, frames);
	xen_pfn_t *pfns = NULL;
	uint32_t n, i, tries;
	int *errs = NULL, e = 0;
	void *addr = NULL;

	/* The count, then the list; again if the buffer changed between. */
	for (tries = 0; tries < 3; tries++) {
		if (get_frames(x, cpu, 0, NULL, &op, err))
			return NULL;
		n = op.u.buffer.nr_frames;
		if (n < 2 || op.u.buffer.size < LTTNG_XEN_CTL_SIZE ||
		    op.u.buffer.size > (uint64_t)n * XC_PAGE_SIZE ||
		    n > LTTNG_XEN_MAX_BUF_SIZE / XC_PAGE_SIZE + 1) {
			lx_set_error(err,
				     "Xen describes the buffer of CPU %u "
				     "oddly: %u bytes in %u frames",
				     cpu, op.u.buffer.size, n);
			errno = EPROTO;
			return NULL;
		}
		frames = xc_hypercall_buffer_alloc(x->xch, frames,
						   (size_t)n * sizeof(*frames));
		if (!frames) {
			e = errno;
			lx_set_error(err,
				     "cannot allocate a frame list of %u "
				     "entries: %s",
				     n, strerror(e));
			errno = e;
			return NULL;
		}
		if (get_frames(x, cpu, n, HYPERCALL_BUFFER(frames), &op, err))
			e = errno;
		else if (op.u.buffer.nr_frames == n)
			break;
		else
			e = ENOBUFS; /* it shrank: list again */
		xc_hypercall_buffer_free(x->xch, frames);
		frames = NULL;
		if (e != ENOBUFS) {
			errno = e;
			return NULL;
		}
	}
	if (!frames) {
		lx_set_error(err,
			     "the buffer of CPU %u kept changing size while "
			     "being mapped (is another lttctl-xen "
			     "reconfiguring it?)",
			     cpu);
		errno = EAGAIN;
		return NULL;
	}

	errs = calloc(n, sizeof(*errs));
	pfns = calloc(n, sizeof(*pfns));
	if (!errs || !pfns) {
		e = ENOMEM;
		lx_set_error(err, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		pfns[i] = frames[i];
	addr = xenforeignmemory_map(x->fmem, DOMID_XEN, PROT_READ, n, pfns,
				    errs);
	if (!addr) {
		e = errno;
		lx_set_error(err,
			     "cannot map the buffer of CPU %u (%u pages of "
			     "Xen's memory, read-only): %s",
			     cpu, n, strerror(e));
		goto out;
	}
	for (i = 0; i < n && !errs[i]; i++)
		;
	if (i < n) {
		e = errs[i] < 0 ? -errs[i] : errs[i];
		xenforeignmemory_unmap(x->fmem, addr, n);
		addr = NULL;
		lx_set_error(err,
			     "cannot map page %u of the buffer of CPU %u "
			     "(frame %#lx): %s",
			     i, cpu, (unsigned long)frames[i], strerror(e));
		goto out;
	}
	*size = (size_t)n * XC_PAGE_SIZE;
out:
	free(errs);
	free(pfns);
	xc_hypercall_buffer_free(x->xch, frames);
	if (!addr)
		errno = e ? e : EIO;
	return addr;
}

static void xen_unmap_buffer(struct lx_transport *t, const void *addr,
			     size_t size)
{
	struct lx_xen *x = xen_of(t);

	xenforeignmemory_unmap(x->fmem, (void *)addr,
			       (size + XC_PAGE_SIZE - 1) / XC_PAGE_SIZE);
}

static int xen_wakeup_fd(struct lx_transport *t, struct lx_error *err)
{
	struct lx_xen *x = xen_of(t);
	xenevtchn_port_or_error_t port;
	int fd, flags, e;

	if (x->wake_fd >= 0)
		return x->wake_fd;
	x->xce = xenevtchn_open(&x->log.base, 0);
	if (!x->xce) {
		e = errno;
		lx_set_error(
			err, "cannot open /dev/xen/evtchn: %s%s", strerror(e),
			e == ENOENT ? " (load it: modprobe xen-evtchn)" : "");
		errno = e;
		return -1;
	}
	port = xenevtchn_bind_virq(x->xce, VIRQ_TBUF);
	if (port < 0) {
		e = errno;
		lx_set_error(err,
			     "cannot bind VIRQ_TBUF, the tracer's wake-up: "
			     "%s%s",
			     strerror(e),
			     e == EEXIST ? " (dom0 can bind it once: is "
					   "another lttd-xen, or xentrace, "
					   "running?)"
					 : "");
		xenevtchn_close(x->xce);
		x->xce = NULL;
		errno = e;
		return -1;
	}
	fd = xenevtchn_fd(x->xce);
	/* lx_ack_wakeup() reads until nothing is pending: never block. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		e = errno;
		lx_set_error(err,
			     "cannot make the event channel non-blocking: %s",
			     strerror(e));
		xenevtchn_close(x->xce);
		x->xce = NULL;
		errno = e;
		return -1;
	}
	x->wake_fd = fd;
	return fd;
}

static void xen_ack_wakeup(struct lx_transport *t)
{
	struct lx_xen *x = xen_of(t);
	xenevtchn_port_or_error_t port;

	/* Each delivery masks the port: unmask it to get the next one. */
	if (x->xce)
		while ((port = xenevtchn_pending(x->xce)) >= 0)
			xenevtchn_unmask(x->xce, (evtchn_port_t)port);
}

/*
 * Domain names.  xs_open() ignores XS_OPEN_SOCKETONLY and, when
 * xenstored's socket is missing, falls back to /dev/xen/xenbus, where
 * in a dom0 without xenstored every request blocks until one starts.
 * So first connect to the socket ourselves: no xenstored there means no
 * names, said at once.  (A xenstored in a stub domain, reached only
 * through xenbus, is therefore not used.)
 */
static int xenstored_listening(const char *path, struct lx_error *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path))
		return lx_set_error(err, "xenstored's socket path is too long");
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return lx_set_error(err, "cannot create a socket: %s",
				    strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		return 0;
	}
	e = errno;
	close(fd);
	return lx_set_error(err, "xenstored is not running (cannot connect to "
				 "%s: %s)", path, strerror(e));
}

static void xen_domains_close(struct lx_transport *t)
{
	struct lx_xen *x = xen_of(t);

	if (x->xsh)
		xs_close(x->xsh); /* drops its watches */
	x->xsh = NULL;
	free(x->watched);
	x->watched = NULL;
	x->nr_watched = 0;
}

/*
 * @introduceDomain and @releaseDomain fire when a domain comes and goes;
 * each domain's name node is watched too (xen_domains_list), since dom0's
 * is written after xenstored starts (xen-init-dom0) and xl rename changes
 * one.  Each watch also fires once when it is set.
 */
static int xen_domains_open(struct lx_transport *t, struct lx_error *err)
{
	struct lx_xen *x = xen_of(t);
	const char *path = xs_daemon_socket();

	if (x->xsh)
		return 0;
	if (xenstored_listening(path, err))
		return -1;
	x->xsh = xs_open(0);
	if (!x->xsh)
		return lx_set_error(err, "cannot connect to xenstored at %s: %s",
				    path, strerror(errno));
	if (!xs_watch(x->xsh, "@introduceDomain", "lttng-xen") ||
	    !xs_watch(x->xsh, "@releaseDomain", "lttng-xen") ||
	    xs_fileno(x->xsh) < 0) {
		lx_set_error(err, "cannot watch xenstore for domains: %s",
			     strerror(errno));
		xen_domains_close(t);
		return -1;
	}
	return 0;
}

static int xen_domains_fd(struct lx_transport *t)
{
	struct lx_xen *x = xen_of(t);

	return x->xsh ? xs_fileno(x->xsh) : -1;
}

static int is_watched(const struct lx_xen *x, uint32_t domid)
{
	size_t i;

	for (i = 0; i < x->nr_watched; i++)
		if (x->watched[i] == domid)
			return 1;
	return 0;
}

/* Watch the name node of a domain seen for the first time. */
static void watch_name(struct lx_xen *x, uint32_t domid, const char *path)
{
	uint32_t *w;

	if (is_watched(x, domid))
		return;
	w = realloc(x->watched, (x->nr_watched + 1) * sizeof(*w));
	if (!w || !xs_watch(x->xsh, path, "lttng-xen")) {
		if (w)
			x->watched = w;
		return; /* its name is still read at each introduce/release */
	}
	x->watched = w;
	x->watched[x->nr_watched++] = domid;
}

/* Every /local/domain/ID/name now; watches pending are consumed. */
static int xen_domains_list(struct lx_transport *t, struct lx_domain **list,
			    struct lx_error *err)
{
	struct lx_xen *x = xen_of(t);
	unsigned int nr = 0, i, len;
	char path[64], **ids, **w, *end, *name;
	unsigned long domid;
	size_t n = 0;

	while ((w = xs_check_watch(x->xsh)))
		free(w);
	if (errno != EAGAIN)
		return lx_set_error(err, "lost the connection to xenstored: %s",
				    strerror(errno));
	ids = xs_directory(x->xsh, XBT_NULL, "/local/domain", &nr);
	if (!ids && errno != ENOENT)
		return lx_set_error(err, "cannot list /local/domain in "
					 "xenstore: %s", strerror(errno));
	for (i = 0; i < nr; i++) {
		domid = strtoul(ids[i], &end, 10);
		if (*end || end == ids[i] || domid > UINT16_MAX)
			continue;
		snprintf(path, sizeof(path), "/local/domain/%lu/name", domid);
		watch_name(x, (uint32_t)domid, path);
		name = xs_read(x->xsh, XBT_NULL, path, &len);
		if (!name)
			continue; /* not named (yet) */
		if (lx_domains_add(list, &n, (uint32_t)domid, name)) {
			free(name);
			free(ids);
			return lx_set_error(err, "out of memory");
		}
		free(name);
	}
	free(ids);
	return (int)n;
}

static void xen_close(struct lx_transport *t)
{
	struct lx_xen *x = xen_of(t);

	xen_domains_close(t);
	if (x->xce)
		xenevtchn_close(x->xce); /* unbinds VIRQ_TBUF */
	if (x->fmem)
		xenforeignmemory_close(x->fmem);
	if (x->xch)
		xc_interface_close(x->xch);
	free(x);
}

static const struct lx_transport_ops xen_ops = {
	.name = "xen",
	.close = xen_close,
	.op = xen_op,
	.map_buffer = xen_map_buffer,
	.unmap_buffer = xen_unmap_buffer,
	.wakeup_fd = xen_wakeup_fd,
	.ack_wakeup = xen_ack_wakeup,
	.domains_open = xen_domains_open,
	.domains_fd = xen_domains_fd,
	.domains_list = xen_domains_list,
	.domains_close = xen_domains_close,
};

struct lx_transport *lx_xen_open(struct lx_error *err)
{
	struct lttng_xen_op op;
	struct lx_xen *x;
	int e;

	if (check_dom0(err))
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x) {
		lx_set_error(err, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	x->base.ops = &xen_ops;
	x->wake_fd = -1;
	x->log.base.vmessage = quiet_vmessage;
	x->log.base.progress = quiet_progress;
	x->log.base.destroy = quiet_destroy;

	x->xch = xc_interface_open(&x->log.base, &x->log.base, 0);
	if (!x->xch) {
		e = errno;
		lx_set_error(err, "cannot open the Xen control interface: %s",
			     x->log.last[0] ? x->log.last : strerror(e));
		goto fail;
	}
	x->fmem = xenforeignmemory_open(&x->log.base, 0);
	if (!x->fmem) {
		e = errno;
		lx_set_error(err,
			     "cannot open Xen's foreign memory interface: %s",
			     x->log.last[0] ? x->log.last : strerror(e));
		goto fail;
	}
	/* Is the tracer there?  Say so now rather than at the first verb. */
	memset(&op, 0, sizeof(op));
	op.op = LTTNG_XEN_OP_GET_INFO;
	if (xen_call(x, &op, NULL, err)) {
		e = errno;
		goto fail;
	}
	return &x->base;
fail:
	xen_close(&x->base);
	errno = e;
	return NULL;
}

#else
/* Built without libxen-dev: transport.c says so. */
typedef int lx_transport_xen_not_built;
#endif /* LX_HAVE_XEN */
