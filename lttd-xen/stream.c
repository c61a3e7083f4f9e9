// SPDX-License-Identifier: GPL-2.0-only
/*
 * stream.c: one CPU's stream file, DIR/channel0_<cpu>: a sequence of
 * complete CTF packets and nothing else.
 *
 * Every packet lttd-xen writes has packet_size == content_size, so a file
 * is walked packet by packet from its headers alone.  A file only ever
 * grows by whole packets; when a write fails half-way, the file is cut
 * back to the end of the last complete packet before lttd-xen stops.
 *
 * On start-up an existing file (lttd-xen restarted in the same directory
 * after a crash or kill -9) is walked the same way and cut after its last
 * complete packet; that packet's packet_seq_num tells the consumer which
 * sub-buffers are already on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rb-platform.h>
#include "client-ctf.h"
#include "lttd.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void packet_parse(const uint8_t *hdr, struct lttd_packet *p)
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

/*
 * NULL when the header describes a packet of this trace and CPU no larger
 * than max_bytes, else why not.
 */
const char *packet_check(const struct lttd_packet *p, const uint8_t uuid[16],
			 uint32_t cpu, uint64_t max_bytes)
{
	if (p->magic != CTF_MAGIC)
		return "not a CTF packet (bad magic number)";
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

int stream_open(struct lttd_stream *s, int dir_fd, const char *dir,
		uint32_t cpu, const uint8_t uuid[16])
{
	memset(s, 0, sizeof(*s));
	s->cpu = cpu;
	snprintf(s->name, sizeof(s->name), "channel0_%" PRIu32, cpu);
	snprintf(s->path, sizeof(s->path), "%s/%s", dir, s->name);
	s->fd = openat(dir_fd, s->name, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (s->fd < 0) {
		lttd_err("cannot open %s: %s", s->path, strerror(errno));
		return -1;
	}
	return stream_recover(s, uuid);
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
 * Walk the packets from the start; return the end of the last complete
 * one.  Sets *why when something other than a short tail stops the walk.
 */
static int scan(struct lttd_stream *s, const uint8_t uuid[16],
		uint64_t file_size, uint64_t *end, const char **why)
{
	uint8_t hdr[CTF_PACKET_HEADER_SIZE];
	struct lttd_packet p;
	uint64_t off = 0;
	int r;

	*why = NULL;
	while (file_size - off >= CTF_PACKET_HEADER_SIZE) {
		r = read_full(s->fd, hdr, sizeof(hdr), off);
		if (r < 0) {
			lttd_err("cannot read %s: %s", s->path,
				 strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		packet_parse(hdr, &p);
		*why = packet_check(&p, uuid, s->cpu,
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
 * packet.  A file that starts with a packet of another trace is refused
 * rather than cut: it is not ours to shorten.
 */
int stream_recover(struct lttd_stream *s, const uint8_t uuid[16])
{
	const char *why;
	struct stat st;
	uint64_t end;

	s->have_seq = 0;
	if (fstat(s->fd, &st)) {
		lttd_err("cannot stat %s: %s", s->path, strerror(errno));
		return -1;
	}
	if (scan(s, uuid, (uint64_t)st.st_size, &end, &why))
		return -1;
	if (end == 0 && why == why_other_trace) {
		lttd_err("%s: %s at byte 0; it does not belong to this trace: "
			 "choose another output directory",
			 s->path, why);
		return -1;
	}
	s->size = end;
	if (end == (uint64_t)st.st_size)
		return 0;
	if (ftruncate(s->fd, (off_t)end)) {
		lttd_err("cannot truncate %s to its last complete packet "
			 "(%" PRIu64 " bytes): %s",
			 s->path, end, strerror(errno));
		return -1;
	}
	lttd_note("%s: removed %" PRIu64 " bytes after its last complete "
		  "packet (byte %" PRIu64 ": %s)",
		  s->path, (uint64_t)st.st_size - end, end,
		  why ? why : "incomplete packet");
	return 0;
}

/* Cut the file back to the last complete packet after a failed write. */
static void cut_back(struct lttd_stream *s, int err)
{
	if (ftruncate(s->fd, (off_t)s->size) == 0) {
		lttd_err("cannot write %s: %s; the trace is kept up to the "
			 "last complete packet",
			 s->path, strerror(err));
		return;
	}
	lttd_err("cannot write %s: %s; and cannot truncate it back to its "
		 "last complete packet (%" PRIu64 " bytes): %s",
		 s->path, strerror(err), s->size, strerror(errno));
}

/* Write one complete packet at the end of the file. */
int stream_append(struct lttd_stream *s, const uint8_t *pkt, size_t len)
{
	struct lttd_packet p;
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
	packet_parse(pkt, &p);
	s->size += len;
	s->have_seq = 1;
	s->last_seq = p.seq;
	s->lost = p.discarded;
	s->packets++;
	s->bytes += len;
	return 0;
}

/* Is the packet with this sequence number already in the file? */
int stream_is_written(const struct lttd_stream *s, uint64_t seq)
{
	return s->have_seq && seq <= s->last_seq;
}

/* Flush to disk and close; an error here is a write error too. */
int stream_close(struct lttd_stream *s)
{
	int ret = 0;

	if (s->fd < 0)
		return 0;
	if (fsync(s->fd)) {
		lttd_err("cannot write %s: %s (while flushing it to disk)",
			 s->path, strerror(errno));
		ret = -1;
	}
	if (close(s->fd) && !ret) {
		lttd_err("cannot close %s: %s", s->path, strerror(errno));
		ret = -1;
	}
	s->fd = -1;
	return ret;
}
