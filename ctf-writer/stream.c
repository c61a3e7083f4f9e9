// SPDX-License-Identifier: GPL-2.0-only
/*
 * stream.c: one CPU's stream file, DIR/channel0_<cpu>: a sequence of
 * complete CTF packets and nothing else.
 *
 * Every packet a writer appends has packet_size == content_size (lttd-xen
 * sets it so in its copy), so a file is walked packet by packet from its
 * headers alone.  A file only ever grows by whole packets; when a write
 * fails half-way, the file is cut back to the end of the last complete
 * packet before the writer stops.
 *
 * An existing file (lttd-xen restarted in the same directory after a
 * crash or kill -9) is walked the same way and cut after its last
 * complete packet; that packet's packet_seq_num tells the consumer which
 * sub-buffers are already on disk.  Only a file that starts with a packet
 * of this trace is ever cut, and only a plain file with one name is
 * opened: the writer may run as root, in a directory others can write.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lttng-xen/abi.h>
#include <rb-platform.h>
#include "client-ctf.h"
#include "ctfw.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void ctfw_packet_parse(const uint8_t *hdr, struct ctfw_packet *p)
{
	p->magic = get32(hdr);
	memcpy(p->uuid, hdr + 4, 16);
	p->content_size = get64(hdr + CTF_OFF_CONTENT_SIZE);
	p->packet_size = get64(hdr + CTF_OFF_PACKET_SIZE);
	p->seq = get64(hdr + CTF_OFF_SEQ_NUM);
	p->discarded = get64(hdr + CTF_OFF_DISCARDED);
	p->cpu = get32(hdr + CTF_OFF_CPU_ID);
}

static const char why_other_trace[] =
	"a packet of another trace (its uuid differs)";
static const char why_not_ctf[] = "not a CTF packet (bad magic number)";

const char *ctfw_packet_check(const struct ctfw_packet *p,
			      const uint8_t uuid[16], uint32_t cpu,
			      uint64_t max_bytes)
{
	if (p->magic != CTF_MAGIC)
		return why_not_ctf;
	if (memcmp(p->uuid, uuid, 16))
		return why_other_trace;
	if (p->cpu != cpu)
		return "a packet of another CPU (cpu_id differs)";
	if (p->content_size % 8 || p->packet_size % 8)
		return "packet sizes are not whole bytes";
	if (p->content_size < CTF_PACKET_HEADER_SIZE * 8 ||
	    p->content_size > p->packet_size)
		return "content_size out of range";
	if (p->packet_size / 8 > max_bytes)
		return "packet_size larger than a sub-buffer";
	return NULL;
}

/*
 * Why st is no file a writer may use as a stream: a symbolic link, a FIFO
 * or device, or a file with another name (a hard link).  lttd-xen runs as
 * root: whoever can write the output directory must not make it truncate
 * or append to anything else.  NULL: a plain file.
 */
static const char *unsafe_file(const struct stat *st, char *buf, size_t len)
{
	if (S_ISLNK(st->st_mode))
		return "it is a symbolic link";
	if (!S_ISREG(st->st_mode))
		return "it is not a regular file";
	if (st->st_nlink != 1) {
		snprintf(buf, len,
			 "it has %ju links (another name for the "
			 "same file)",
			 (uintmax_t)st->st_nlink);
		return buf;
	}
	return NULL;
}

static int refuse_unsafe(const char *path, const char *why)
{
	ctfw_err("cannot use %s: %s; %s writes only stream files it created: "
		 "remove it, or choose another output directory",
		 path, why, ctfw_prog);
	return -1;
}

/*
 * Open DIR/name, creating it if it does not exist.  An existing name
 * must be a plain file (see unsafe_file), checked before it is opened
 * (opening a FIFO or a device may block or act) and again after (it may
 * have been replaced in between); O_NOFOLLOW refuses a link put there
 * meanwhile.
 */
static int open_stream_file(struct ctfw_stream *s, int dir_fd)
{
	int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	char buf[96];
	const char *why;
	struct stat st;
	int fd;

	if (fstatat(dir_fd, s->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		why = unsafe_file(&st, buf, sizeof(buf));
		if (why)
			return refuse_unsafe(s->path, why);
		fd = openat(dir_fd, s->name, flags);
	} else if (errno == ENOENT) {
		fd = openat(dir_fd, s->name, flags | O_CREAT | O_EXCL, 0640);
	} else {
		fd = -1;
	}
	if (fd < 0) {
		if (errno == ELOOP)
			return refuse_unsafe(s->path, "it is a symbolic link");
		ctfw_err("cannot open %s: %s", s->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		ctfw_err("cannot stat %s: %s", s->path, strerror(errno));
		close(fd);
		return -1;
	}
	why = unsafe_file(&st, buf, sizeof(buf));
	if (why) {
		close(fd);
		return refuse_unsafe(s->path, why);
	}
	return fd;
}

int ctfw_stream_open(struct ctfw_stream *s, int dir_fd, const char *dir,
		     uint32_t cpu, const uint8_t uuid[16])
{
	memset(s, 0, sizeof(*s));
	s->cpu = cpu;
	snprintf(s->name, sizeof(s->name), "channel0_%" PRIu32, cpu);
	snprintf(s->path, sizeof(s->path), "%s/%s", dir, s->name);
	s->fd = open_stream_file(s, dir_fd);
	if (s->fd < 0)
		return -1;
	if (ctfw_stream_recover(s, uuid)) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

static int read_full(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 1;
}

/*
 * A file shorter than a packet header: ours (a first packet cut short
 * by a crash) only if what it holds is how this trace's packets begin.
 */
static const char *check_short(struct ctfw_stream *s, const uint8_t uuid[16],
			       uint64_t file_size)
{
	uint8_t have[20], want[20];
	size_t n = file_size < sizeof(want) ? (size_t)file_size : sizeof(want);
	int r = read_full(s->fd, have, n, 0);

	if (r < 0)
		return "cannot be read";
	ctf_put32(want, CTF_MAGIC);
	memcpy(want + 4, uuid, 16);
	if (r == 0 || memcmp(have, want, n))
		return n < 4 || memcmp(have, want, 4) ? why_not_ctf
						      : why_other_trace;
	return NULL;
}

/*
 * Walk the packets from the start; return the end of the last complete
 * one.  Sets *why when something other than a short tail stops the walk.
 */
static int scan(struct ctfw_stream *s, const uint8_t uuid[16],
		uint64_t file_size, uint64_t *end, const char **why)
{
	uint8_t hdr[CTF_PACKET_HEADER_SIZE];
	struct ctfw_packet p;
	uint64_t off = 0;
	int r;

	*why = NULL;
	if (file_size && file_size < CTF_PACKET_HEADER_SIZE)
		*why = check_short(s, uuid, file_size);
	while (file_size - off >= CTF_PACKET_HEADER_SIZE) {
		r = read_full(s->fd, hdr, sizeof(hdr), off);
		if (r < 0) {
			ctfw_err("cannot read %s: %s", s->path,
				 strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		ctfw_packet_parse(hdr, &p);
		*why = ctfw_packet_check(&p, uuid, s->cpu,
					 LTTNG_XEN_MAX_SUBBUF_SIZE);
		if (!*why && s->have_seq && p.seq <= s->last_seq)
			*why = "packet_seq_num goes backwards";
		if (*why)
			break;
		if (p.packet_size / 8 > file_size - off)
			break; /* cut short by a crash */
		off += p.packet_size / 8;
		s->have_seq = 1;
		s->last_seq = p.seq;
		s->lost = p.discarded;
	}
	*end = off;
	return 0;
}

/*
 * Make the file end at its last complete packet and remember that
 * packet.  A file that does not start with a packet of this trace and
 * CPU is refused rather than cut: it is not ours to shorten.
 */
int ctfw_stream_recover(struct ctfw_stream *s, const uint8_t uuid[16])
{
	const char *why;
	struct stat st;
	uint64_t end;

	s->have_seq = 0;
	if (fstat(s->fd, &st)) {
		ctfw_err("cannot stat %s: %s", s->path, strerror(errno));
		return -1;
	}
	if (scan(s, uuid, (uint64_t)st.st_size, &end, &why))
		return -1;
	if (end == 0 && why) {
		ctfw_err("%s: %s at byte 0; it does not belong to this trace: "
			 "choose another output directory",
			 s->path, why);
		return -1;
	}
	s->size = end;
	if (end == (uint64_t)st.st_size)
		return 0;
	if (ftruncate(s->fd, (off_t)end)) {
		ctfw_err("cannot truncate %s to its last complete packet "
			 "(%" PRIu64 " bytes): %s",
			 s->path, end, strerror(errno));
		return -1;
	}
	ctfw_note("%s: removed %" PRIu64 " bytes after its last complete "
		  "packet (byte %" PRIu64 ": %s)",
		  s->path, (uint64_t)st.st_size - end, end,
		  why ? why : "incomplete packet");
	return 0;
}

/* Cut the file back to the last complete packet after a failed write. */
static void cut_back(struct ctfw_stream *s, int err)
{
	if (ftruncate(s->fd, (off_t)s->size) == 0) {
		ctfw_err("cannot write %s: %s; the trace is kept up to the "
			 "last complete packet",
			 s->path, strerror(err));
		return;
	}
	ctfw_err("cannot write %s: %s; and cannot truncate it back to its "
		 "last complete packet (%" PRIu64 " bytes): %s",
		 s->path, strerror(err), s->size, strerror(errno));
}

/* Write one complete packet at the end of the file. */
int ctfw_stream_append(struct ctfw_stream *s, const uint8_t *pkt, size_t len)
{
	struct ctfw_packet p;
	uint64_t off = s->size;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(s->fd, pkt + done, len - done,
				   (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cut_back(s, n < 0 ? errno : ENOSPC);
			return -1;
		}
		done += (size_t)n;
	}
	ctfw_packet_parse(pkt, &p);
	s->size += len;
	s->have_seq = 1;
	s->last_seq = p.seq;
	s->lost = p.discarded;
	s->packets++;
	s->bytes += len;
	return 0;
}

/* Is the packet with this sequence number already in the file? */
int ctfw_stream_is_written(const struct ctfw_stream *s, uint64_t seq)
{
	return s->have_seq && seq <= s->last_seq;
}

/* Flush to disk and close; an error here is a write error too. */
int ctfw_stream_close(struct ctfw_stream *s)
{
	int ret = 0;

	if (s->fd < 0)
		return 0;
	if (fsync(s->fd)) {
		ctfw_err("cannot write %s: %s (while flushing it to disk)",
			 s->path, strerror(errno));
		ret = -1;
	}
	if (close(s->fd) && !ret) {
		ctfw_err("cannot close %s: %s", s->path, strerror(errno));
		ret = -1;
	}
	s->fd = -1;
	return ret;
}

int ctfw_dir_holds_streams(int dir_fd, char *name, size_t len)
{
	int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *d;
	int found = 0;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && (e = readdir(d)))
		if (!strncmp(e->d_name, "channel0_", 9)) {
			snprintf(name, len, "%s", e->d_name);
			found = 1;
		}
	closedir(d);
	return found;
}
