// SPDX-License-Identifier: GPL-2.0-only
/* output.c: the in-memory output set and its all-or-nothing write. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

void ge_printf(struct ge_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < room)
			break;
		b->cap = (b->cap + n + 1) * 2;
		b->data = ge_xrealloc(b->data, b->cap);
	}
	b->len += (size_t)n;
}

struct ge_buf *ge_output_new(struct ge_outputs *o, const char *fmt, ...)
{
	struct ge_output *f;
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	o->files = ge_xrealloc(o->files, (o->nr + 1) * sizeof(*o->files));
	f = ge_xmalloc(sizeof(*f));
	memset(f, 0, sizeof(*f));
	o->files[o->nr++] = f;
	f->path = ge_xstrdup(path);
	return &f->buf;
}

void ge_upper(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ? src[i] - 32 : src[i];
	dst[i] = '\0';
}

/*
 * text as a C block comment, its lines cut at spaces to at most 72
 * characters after indent's " * " (a longer word stays whole).
 */
void ge_comment(struct ge_buf *b, const char *indent, const char *text)
{
	const char *p = text;

	ge_printf(b, "%s/*\n", indent);
	while (*p) {
		size_t len = strlen(p), cut = len;

		if (len > 72) {
			cut = 72;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (!cut)
				cut = strcspn(p, " ");
		}
		ge_printf(b, "%s * %.*s\n", indent, (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
	ge_printf(b, "%s */\n", indent);
}

/* mkdir -p of the directory part of path. */
static int make_parents(const char *path)
{
	char *p = ge_xstrdup(path), *s;
	int ret = 0;

	for (s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			fprintf(stderr, "genevent: cannot create directory %s: %s\n",
				p, strerror(errno));
			ret = -1;
			break;
		}
		*s = '/';
	}
	free(p);
	return ret;
}

static char *join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *s = ge_xmalloc(n);

	snprintf(s, n, "%s/%s%s", dir, name, suffix);
	return s;
}

static int write_file(const char *path, const struct ge_buf *b)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f) {
		fprintf(stderr, "genevent: cannot create %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len) {
		err = errno;
		fclose(f);
		fprintf(stderr, "genevent: cannot write %s: %s\n", path,
			strerror(err));
		return -1;
	}
	if (fclose(f)) {
		fprintf(stderr, "genevent: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int ge_outputs_write(const struct ge_outputs *o, const char *outdir)
{
	char suffix[32];
	size_t i, done;
	int ret = 0;

	snprintf(suffix, sizeof(suffix), ".tmp%ld", (long)getpid());
	/* First every file under a temporary name, then the renames. */
	for (done = 0; done < o->nr; done++) {
		char *tmp = join(outdir, o->files[done]->path, suffix);

		ret = make_parents(tmp);
		if (!ret)
			ret = write_file(tmp, &o->files[done]->buf);
		if (ret)
			unlink(tmp);
		free(tmp);
		if (ret)
			break;
	}
	for (i = 0; i < done; i++) {
		char *tmp = join(outdir, o->files[i]->path, suffix);
		char *dst = join(outdir, o->files[i]->path, "");

		if (ret) {
			unlink(tmp);
		} else if (rename(tmp, dst)) {
			fprintf(stderr, "genevent: cannot rename %s to %s: %s\n",
				tmp, dst, strerror(errno));
			unlink(tmp);
			ret = -1;
		}
		free(tmp);
		free(dst);
	}
	return ret;
}

void ge_outputs_free(struct ge_outputs *o)
{
	size_t i;

	for (i = 0; i < o->nr; i++) {
		free(o->files[i]->path);
		free(o->files[i]->buf.data);
		free(o->files[i]);
	}
	free(o->files);
	memset(o, 0, sizeof(*o));
}
