// SPDX-License-Identifier: GPL-2.0-only
/*
 * metadata.c: DIR/metadata, the trace's CTF TSDL text: the stream header
 * (ctf/stream-header.tsdl.in, its @PLACEHOLDERS@ filled here) followed by
 * genevent's event declarations, both built into lttd-xen
 * (build/gen/embed-metadata.c).
 *
 * The clock is the producer's TSC.  Its offset places tick 0 on the Unix
 * epoch, measured the way LTTng does it: read the TSC, CLOCK_REALTIME and
 * the TSC again, a few times, and keep the reading whose two TSC values
 * are closest; the wall-clock time belongs to the middle of that bracket.
 * With absolute = TRUE, babeltrace2 then merges the trace by time with the
 * LTTng traces of dom0 and the guests.
 *
 * A directory that already holds metadata is a restart: it must be the
 * same trace (same uuid, same event declarations) and is kept as it is,
 * clock offset included, so timestamps already on disk keep their
 * meaning.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lttd.h"

extern const char lx_stream_header[], lx_events_tsdl[];
extern const unsigned int lx_stream_header_len, lx_events_tsdl_len;

#define CLOCK_SAMPLES 10
#define NSEC_PER_SEC  1000000000ULL

void uuid_format(const uint8_t u[16], char out[37])
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
#error "lttd-xen: no reader for the producer's clock on this architecture"
#endif

/* Unix time, in ns, of TSC tick 0 on this host; -1 if the TSC runs
 * ahead of it. */
int metadata_clock_origin(uint64_t hz, int64_t *origin_ns)
{
	uint64_t best_bracket = UINT64_MAX, best_tsc = 0, best_rt = 0;
	unsigned __int128 elapsed;
	struct timespec ts;
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
	return 0;
}

/* The clock's offset fields for tick 0 at Unix time origin_ns (>= 0). */
void metadata_clock_offset(struct lttd_metadata *m, int64_t origin_ns)
{
	m->offset_s = origin_ns / (int64_t)NSEC_PER_SEC;
	m->offset = (uint64_t)((unsigned __int128)((uint64_t)origin_ns %
						   NSEC_PER_SEC) *
			       m->freq / NSEC_PER_SEC);
}

/* A CTF string must not break out of its quotes. */
void metadata_hostname(char *out, size_t len)
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
void metadata_clock_uuid(const uint8_t trace_uuid[16], char out[37])
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
		uuid_format(trace_uuid, out);
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
	NR_FILLS
};

struct fill {
	const char *name;
	char value[256];
};

static void fill_values(const struct lttd_metadata *m, struct fill *v)
{
	uuid_format(m->trace_uuid, v[F_TRACE_UUID].value);
	snprintf(v[F_CLOCK_UUID].value, sizeof(v[F_CLOCK_UUID].value), "%s",
		 m->clock_uuid);
	snprintf(v[F_HOSTNAME].value, sizeof(v[F_HOSTNAME].value), "%s",
		 m->hostname);
	snprintf(v[F_FREQ].value, sizeof(v[F_FREQ].value), "%" PRIu64, m->freq);
	snprintf(v[F_OFFSET_S].value, sizeof(v[F_OFFSET_S].value), "%" PRId64,
		 m->offset_s);
	snprintf(v[F_OFFSET].value, sizeof(v[F_OFFSET].value), "%" PRIu64,
		 m->offset);
}

/* The template with every @NAME@ replaced; the caller frees it. */
static char *fill_template(const struct fill *v, size_t nr, size_t *len)
{
	const char *p = lx_stream_header;
	const char *end = p + lx_stream_header_len;
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
	fwrite(lx_events_tsdl, 1, lx_events_tsdl_len, m);
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
		lttd_err("cannot create %s/.metadata.tmp: %s", dir,
			 strerror(errno));
		return -1;
	}
	if (write_all(fd, text, len) || fsync(fd)) {
		lttd_err("cannot write %s/.metadata.tmp: %s", dir,
			 strerror(errno));
		close(fd);
		unlinkat(dir_fd, ".metadata.tmp", 0);
		return -1;
	}
	close(fd);
	if (renameat(dir_fd, ".metadata.tmp", dir_fd, "metadata")) {
		lttd_err("cannot rename %s/.metadata.tmp to metadata: %s", dir,
			 strerror(errno));
		unlinkat(dir_fd, ".metadata.tmp", 0);
		return -1;
	}
	fsync(dir_fd);
	return 0;
}

/* Write DIR/metadata for m: the template filled in, then the events. */
int metadata_write(int dir_fd, const char *dir, const struct lttd_metadata *m)
{
	struct fill v[NR_FILLS] = {
		[F_TRACE_UUID] = {.name = "@TRACE_UUID@"},
		[F_CLOCK_UUID] = {.name = "@CLOCK_UUID@"},
		[F_HOSTNAME] = {.name = "@HOSTNAME@"},
		[F_FREQ] = {.name = "@FREQ@"},
		[F_OFFSET_S] = {.name = "@OFFSET_S@"},
		[F_OFFSET] = {.name = "@OFFSET@"},
	};
	size_t len;
	char *text;
	int ret;

	fill_values(m, v);
	text = fill_template(v, NR_FILLS, &len);
	if (!text) {
		lttd_err("cannot build the metadata: out of memory");
		return -1;
	}
	ret = write_file(dir_fd, dir, text, len);
	free(text);
	return ret;
}

/* The producer's clock, placed on the Unix epoch as measured now. */
static int metadata_create(struct lttd *l)
{
	struct lttd_metadata m = {.freq = l->info.tsc_hz};
	int64_t origin;

	if (metadata_clock_origin(m.freq, &origin)) {
		lttd_err("cannot place the producer's clock on the Unix epoch: "
			 "the TSC (at %" PRIu64 " Hz) counts more time than "
			 "CLOCK_REALTIME; is the system time set?",
			 m.freq);
		return -1;
	}
	metadata_clock_offset(&m, origin);
	memcpy(m.trace_uuid, l->info.trace_uuid, 16);
	metadata_clock_uuid(l->info.trace_uuid, m.clock_uuid);
	metadata_hostname(m.hostname, sizeof(m.hostname));
	return metadata_write(l->dir_fd, l->opt.dir, &m);
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

/* The uuid in the trace block of an existing metadata text. */
static int trace_uuid_of(const char *text, char out[37])
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

/* A restart: the metadata there must describe the producer's trace. */
static int metadata_check(struct lttd *l, const char *text, size_t len)
{
	char have[37], want[37];

	uuid_format(l->info.trace_uuid, want);
	if (trace_uuid_of(text, have)) {
		lttd_err("%s/metadata is not a trace's metadata written by "
			 "lttd-xen (no trace uuid); choose another output "
			 "directory",
			 l->opt.dir);
		return -1;
	}
	if (strcmp(have, want)) {
		lttd_err("%s holds another trace (uuid %s; the producer's "
			 "session is %s); choose another output directory",
			 l->opt.dir, have, want);
		return -1;
	}
	if (len < lx_events_tsdl_len ||
	    memcmp(text + len - lx_events_tsdl_len, lx_events_tsdl,
		   lx_events_tsdl_len)) {
		lttd_err("%s/metadata declares other events than this lttd-xen "
			 "was built with (different facility files); choose "
			 "another output directory",
			 l->opt.dir);
		return -1;
	}
	lttd_note("%s holds this trace already: continuing it", l->opt.dir);
	return 0;
}

static int metadata_reuse(struct lttd *l, int fd)
{
	struct stat st;
	size_t len;
	char *text;
	int ret;

	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		lttd_err("cannot use %s/metadata: it is not a regular file; "
			 "choose another output directory",
			 l->opt.dir);
		return -1;
	}
	text = read_text(fd, &len);
	if (!text) {
		lttd_err("cannot read %s/metadata: %s", l->opt.dir,
			 strerror(errno));
		return -1;
	}
	ret = metadata_check(l, text, len);
	free(text);
	return ret;
}

/* Does the directory hold a stream file?  Its name goes to name. */
int dir_holds_streams(int dir_fd, char *name, size_t len)
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

/* Write DIR/metadata, or check the one a previous run left. */
int metadata_prepare(struct lttd *l)
{
	char name[256];
	int fd, ret;

	fd = openat(l->dir_fd, "metadata",
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd >= 0) {
		ret = metadata_reuse(l, fd);
		close(fd);
		return ret;
	}
	if (errno == ELOOP) {
		lttd_err("cannot use %s/metadata: it is a symbolic link; "
			 "choose another output directory",
			 l->opt.dir);
		return -1;
	}
	if (errno != ENOENT) {
		lttd_err("cannot open %s/metadata: %s", l->opt.dir,
			 strerror(errno));
		return -1;
	}
	if (dir_holds_streams(l->dir_fd, name, sizeof(name))) {
		lttd_err("%s holds %s but no metadata: it is not a trace "
			 "lttd-xen can continue; choose another output "
			 "directory",
			 l->opt.dir, name);
		return -1;
	}
	return metadata_create(l);
}
