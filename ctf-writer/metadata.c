// SPDX-License-Identifier: GPL-2.0-only
/*
 * metadata.c: DIR/metadata, the trace's CTF TSDL text: the stream header
 * (ctf/stream-header.tsdl.in, its @PLACEHOLDERS@ filled here) followed by
 * genevent's event declarations, both built into the program
 * (build/gen/ctfw-embed.c: ctfw_stream_header, ctfw_events_tsdl).
 *
 * The clock is the producer's TSC.  Its offset places tick 0 on the Unix
 * epoch, measured the way LTTng does it: read the TSC, CLOCK_REALTIME and
 * the TSC again, a few times, and keep the reading whose two TSC values
 * are closest; the wall-clock time belongs to the middle of that bracket.
 * How far off that can be (half the bracket, the wall clock's resolution
 * and the rounding to whole nanoseconds and ticks) is the offset's
 * uncertainty: written as the clock's precision (in ticks) and, in
 * nanoseconds, as env.clock_offset_uncertainty_ns.
 * With absolute = TRUE, babeltrace2 then merges the trace by time with the
 * LTTng traces of dom0 and the guests.
 *
 * The file is written under a temporary name and renamed, so a reader
 * never sees half of it; whatever has the temporary name is removed
 * first, never written through.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctfw.h"

extern const char ctfw_stream_header[], ctfw_events_tsdl[];
extern const unsigned int ctfw_stream_header_len, ctfw_events_tsdl_len;

/* Samples of the TSC around CLOCK_REALTIME: the tightest is kept, so one
 * preempted sample does not count (a few us in all). */
#define CLOCK_SAMPLES 100
#define NSEC_PER_SEC  1000000000ULL

void ctfw_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

#if defined(__x86_64__) || defined(__i386__)
static uint64_t read_tsc(void)
{
	return __builtin_ia32_rdtsc();
}
#else
#error "ctf-writer: no reader for the producer's clock on this architecture"
#endif

int ctfw_clock_origin(uint64_t hz, int64_t *origin_ns, uint64_t *uncertainty_ns)
{
	uint64_t best_bracket = UINT64_MAX, best_tsc = 0, best_rt = 0;
	unsigned __int128 elapsed;
	struct timespec ts, res;
	uint64_t t1, t2;
	int i;

	for (i = 0; i < CLOCK_SAMPLES; i++) {
		t1 = read_tsc();
		clock_gettime(CLOCK_REALTIME, &ts);
		t2 = read_tsc();
		if (t2 < t1 || t2 - t1 >= best_bracket)
			continue;
		best_bracket = t2 - t1;
		best_tsc = t1 + best_bracket / 2;
		best_rt = (uint64_t)ts.tv_sec * NSEC_PER_SEC +
			  (uint64_t)ts.tv_nsec;
	}
	elapsed = (unsigned __int128)best_tsc * NSEC_PER_SEC / hz;
	if (best_bracket == UINT64_MAX || elapsed > best_rt)
		return -1;
	*origin_ns = (int64_t)(best_rt - (uint64_t)elapsed);
	if (uncertainty_ns) {
		/* Half the bracket, rounded up; the wall clock's own step; 1 ns
		 * lost to each integer division (elapsed, and the offset's
		 * ticks below one second). */
		*uncertainty_ns = (uint64_t)(((unsigned __int128)best_bracket *
						      NSEC_PER_SEC +
					      2 * hz - 1) /
					     (2 * hz));
		if (!clock_getres(CLOCK_REALTIME, &res))
			*uncertainty_ns += (uint64_t)res.tv_sec * NSEC_PER_SEC +
					   (uint64_t)res.tv_nsec;
		*uncertainty_ns += 2;
	}
	return 0;
}

void ctfw_clock_offset(struct ctfw_metadata *m, int64_t origin_ns)
{
	m->offset_s = origin_ns / (int64_t)NSEC_PER_SEC;
	m->offset = (uint64_t)((unsigned __int128)((uint64_t)origin_ns %
						   NSEC_PER_SEC) *
			       m->freq / NSEC_PER_SEC);
}

/* A CTF string must not break out of its quotes. */
void ctfw_hostname(char *out, size_t len)
{
	char *p;

	if (gethostname(out, len) || !out[0])
		snprintf(out, len, "unknown");
	out[len - 1] = '\0';
	for (p = out; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < ' ')
			*p = '_';
}

/*
 * The clock's uuid identifies the host it counts on (Trace Compass uses
 * it as the host id): this host's boot id, which changes exactly when the
 * machine, hence the TSC, restarts.  Without one, the trace uuid.
 */
void ctfw_clock_uuid(const uint8_t trace_uuid[16], char out[37])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	char buf[64] = "";
	int ok = 0;

	if (f) {
		ok = fgets(buf, sizeof(buf), f) && strlen(buf) >= 36 &&
		     buf[8] == '-' && buf[13] == '-' && buf[18] == '-' &&
		     buf[23] == '-';
		fclose(f);
	}
	if (ok) {
		memcpy(out, buf, 36);
		out[36] = '\0';
	} else {
		ctfw_uuid_format(trace_uuid, out);
	}
}

/* The placeholders of ctf/stream-header.tsdl.in. */
enum {
	F_TRACE_UUID,
	F_CLOCK_UUID,
	F_HOSTNAME,
	F_FREQ,
	F_OFFSET_S,
	F_OFFSET,
	F_PRECISION,
	F_CLOCK_ENV,
	NR_FILLS
};

struct fill {
	const char *name;
	char value[256];
};

static void fill_values(const struct ctfw_metadata *m, struct fill *v)
{
	ctfw_uuid_format(m->trace_uuid, v[F_TRACE_UUID].value);
	snprintf(v[F_CLOCK_UUID].value, sizeof(v[F_CLOCK_UUID].value), "%s",
		 m->clock_uuid);
	snprintf(v[F_HOSTNAME].value, sizeof(v[F_HOSTNAME].value), "%s",
		 m->hostname);
	snprintf(v[F_FREQ].value, sizeof(v[F_FREQ].value), "%" PRIu64, m->freq);
	snprintf(v[F_OFFSET_S].value, sizeof(v[F_OFFSET_S].value), "%" PRId64,
		 m->offset_s);
	snprintf(v[F_OFFSET].value, sizeof(v[F_OFFSET].value), "%" PRIu64,
		 m->offset);
	snprintf(v[F_PRECISION].value, sizeof(v[F_PRECISION].value), "%" PRIu64,
		 ctfw_clock_precision(m));
	if (m->offset_uncertainty_ns)
		snprintf(v[F_CLOCK_ENV].value, sizeof(v[F_CLOCK_ENV].value),
			 "\tclock_offset_uncertainty_ns = %" PRIu64 ";\n",
			 m->offset_uncertainty_ns);
	else
		v[F_CLOCK_ENV].value[0] = '\0';
}

/* The offset's uncertainty in ticks (rounded up), at least one tick. */
uint64_t ctfw_clock_precision(const struct ctfw_metadata *m)
{
	unsigned __int128 t =
		(unsigned __int128)m->offset_uncertainty_ns * m->freq;

	t = (t + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	return t ? (uint64_t)t : 1;
}

/* The template with every @NAME@ replaced, then the events; the caller
 * frees it. */
static char *fill_template(const struct fill *v, size_t nr,
			   const struct ctfw_metadata *md, size_t *len)
{
	const char *p = ctfw_stream_header;
	const char *end = p + ctfw_stream_header_len;
	char *out = NULL;
	FILE *m = open_memstream(&out, len);
	size_t i;

	if (!m)
		return NULL;
	while (p < end) {
		for (i = 0; i < nr; i++)
			if (!strncmp(p, v[i].name, strlen(v[i].name)))
				break;
		if (i < nr) {
			fputs(v[i].value, m);
			p += strlen(v[i].name);
		} else {
			fputc(*p++, m);
		}
	}
	if (md->events)
		fwrite(md->events, 1, md->events_len, m);
	else
		fwrite(ctfw_events_tsdl, 1, ctfw_events_tsdl_len, m);
	if (fclose(m)) {
		free(out);
		return NULL;
	}
	return out;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Write .metadata.tmp, flush it, rename it over metadata (a dot file:
 * babeltrace2 would take any other name for a stream).  Whatever has the
 * temporary name (left by a crash, or planted: a symbolic link to a file
 * elsewhere) is removed first, never written through, and the file is
 * created anew (O_EXCL).
 */
static int write_file(int dir_fd, const char *dir, const char *text, size_t len)
{
	int fd = -1;

	if (unlinkat(dir_fd, ".metadata.tmp", 0) == 0 || errno == ENOENT)
		fd = openat(dir_fd, ".metadata.tmp",
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC,
			    0640);
	if (fd < 0) {
		ctfw_err("cannot create %s/.metadata.tmp: %s", dir,
			 strerror(errno));
		return -1;
	}
	if (write_all(fd, text, len) || fsync(fd)) {
		ctfw_err("cannot write %s/.metadata.tmp: %s", dir,
			 strerror(errno));
		close(fd);
		unlinkat(dir_fd, ".metadata.tmp", 0);
		return -1;
	}
	close(fd);
	if (renameat(dir_fd, ".metadata.tmp", dir_fd, "metadata")) {
		ctfw_err("cannot rename %s/.metadata.tmp to metadata: %s", dir,
			 strerror(errno));
		unlinkat(dir_fd, ".metadata.tmp", 0);
		return -1;
	}
	fsync(dir_fd);
	return 0;
}

void ctfw_metadata_init(struct ctfw_metadata *m, const uint8_t trace_uuid[16],
			uint64_t freq)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->trace_uuid, trace_uuid, 16);
	ctfw_uuid_format(trace_uuid, m->clock_uuid);
	ctfw_hostname(m->hostname, sizeof(m->hostname));
	m->freq = freq;
}

/* Write DIR/metadata for m: the template filled in, then the events. */
int ctfw_metadata_write(int dir_fd, const char *dir,
			const struct ctfw_metadata *m)
{
	struct fill v[NR_FILLS] = {
		[F_TRACE_UUID] = {.name = "@TRACE_UUID@"},
		[F_CLOCK_UUID] = {.name = "@CLOCK_UUID@"},
		[F_HOSTNAME] = {.name = "@HOSTNAME@"},
		[F_FREQ] = {.name = "@FREQ@"},
		[F_OFFSET_S] = {.name = "@OFFSET_S@"},
		[F_OFFSET] = {.name = "@OFFSET@"},
		[F_PRECISION] = {.name = "@PRECISION@"},
		[F_CLOCK_ENV] = {.name = "@CLOCK_ENV@"},
	};
	size_t len;
	char *text;
	int ret;

	fill_values(m, v);
	text = fill_template(v, NR_FILLS, m, &len);
	if (!text) {
		ctfw_err("cannot build the metadata: out of memory");
		return -1;
	}
	ret = write_file(dir_fd, dir, text, len);
	free(text);
	return ret;
}

static char *read_text(int fd, size_t *len)
{
	char *out = NULL;
	FILE *m = open_memstream(&out, len);
	char buf[65536];
	ssize_t n;

	if (!m)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		fwrite(buf, 1, (size_t)n, m);
	}
	if (fclose(m) || n < 0) {
		free(out);
		return NULL;
	}
	return out;
}

int ctfw_metadata_trace_uuid(const char *text, char out[37])
{
	const char *p = strstr(text, "\ntrace {");

	if (p)
		p = strstr(p, "uuid = \"");
	if (!p || strlen(p) < 8 + 36 || p[8 + 36] != '"')
		return -1;
	memcpy(out, p + 8, 36);
	out[36] = '\0';
	return 0;
}

int ctfw_metadata_same_events(const char *text, size_t len)
{
	return len >= ctfw_events_tsdl_len &&
	       !memcmp(text + len - ctfw_events_tsdl_len, ctfw_events_tsdl,
		       ctfw_events_tsdl_len);
}

int ctfw_metadata_read(int dir_fd, const char *dir, char **text, size_t *len)
{
	struct stat st;
	int fd;

	fd = openat(dir_fd, "metadata",
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 && errno == ELOOP) {
		ctfw_err("cannot use %s/metadata: it is a symbolic link; "
			 "choose another output directory",
			 dir);
		return -1;
	}
	if (fd < 0) {
		ctfw_err("cannot open %s/metadata: %s", dir, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		ctfw_err("cannot use %s/metadata: it is not a regular file; "
			 "choose another output directory",
			 dir);
		close(fd);
		return -1;
	}
	*text = read_text(fd, len);
	close(fd);
	if (!*text) {
		ctfw_err("cannot read %s/metadata: %s", dir, strerror(errno));
		return -1;
	}
	return 1;
}

int ctfw_metadata_write_dir(const char *dir, const struct ctfw_metadata *m)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	if (fd < 0) {
		ctfw_err("cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	ret = ctfw_metadata_write(fd, dir, m);
	close(fd);
	return ret;
}
