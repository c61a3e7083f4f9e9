// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctf-writer.c: a minimal user-space tracer core for the genevent tests.
 * Implements the probe API of <lttng-xen/tracepoint.h> by appending each
 * event (its header as the ring buffer's client writes it: compact,
 * medium or extended, ringbuffer/client-ctf.h; then the payload) to one
 * CTF packet.  ctf_writer_finish() writes the trace directory with
 * ctf-writer/ (the library lttd-xen writes its traces with): the packet
 * as the stream file channel0_0, and the metadata, whose event
 * declarations are those of the facilities under test (EVENTS_TSDL, the
 * path of genevent's ctf/events.tsdl for them).  Time advances by a fixed
 * step per event, with an occasional large jump so that the extended
 * header is exercised as it would be after a long idle period.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lttng-xen/tracepoint.h>

#include "rb-platform.h"
#include "client-ctf.h"
#include "ctfw.h"
#include "ctf-writer.h"

#ifndef EVENTS_TSDL
#error "build with -DEVENTS_TSDL='\"GEN/ctf/events.tsdl\"'"
#endif

#define PACKET_MAX	(4 << 20)

uint32_t lttng_xen_enabled_mask[2048];

static unsigned char packet[PACKET_MAX];
static size_t len;
static uint64_t now, last, first;
static unsigned long nr_events;

static void put(const void *p, size_t n)
{
	if (len + n > PACKET_MAX) {
		fprintf(stderr, "ctf-writer: packet full\n");
		exit(1);
	}
	if (n)
		memcpy(packet + len, p, n);
	len += n;
}

static void header(uint16_t event)
{
	uint8_t h[CTF_EXTENDED_SIZE];
	uint32_t size;

	now += (nr_events % 50 == 49) ? (1ULL << 28) : 1000;
	if (!nr_events++)
		first = now;
	size = ctf_event_header_size(event, now, last);
	ctf_event_header_write(h, size, event, now);
	put(h, size);
	last = now;
}

void lttng_xen_record(uint16_t event, const void *payload, uint32_t n)
{
	header(event);
	put(payload, n);
}

void lttng_xen_record_chunks(uint16_t event,
			     const struct lttng_xen_chunk *chunks,
			     unsigned int nr)
{
	unsigned int i;

	header(event);
	for (i = 0; i < nr; i++)
		put(chunks[i].data, chunks[i].len);
}

void ctf_writer_init(void)
{
	/* room for the packet header and context, filled at the end */
	len = 4 + 16 + 4 + 8 + 6 * 8 + 4;
	memset(lttng_xen_enabled_mask, 0xff, sizeof(lttng_xen_enabled_mask));
	now = last = 1000000;
}

/* The events of the facilities under test, as genevent declared them. */
static char *read_events(size_t *n)
{
	static char text[1 << 22];
	FILE *f = fopen(EVENTS_TSDL, "r");

	*n = f ? fread(text, 1, sizeof(text), f) : 0;
	if (!f || ferror(f) || *n == sizeof(text)) {
		perror(EVENTS_TSDL);
		exit(1);
	}
	fclose(f);
	return text;
}

int ctf_writer_finish(const char *dir, const unsigned char uuid[16])
{
	uint64_t ctx[6] = { first, now, len * 8, len * 8, 0, 0 };
	uint32_t magic = 0xc1fc1fc1, stream_id = 0, cpu = 0;
	struct ctfw_metadata m;
	struct ctfw_stream s;
	uint64_t instance = 0;
	int dir_fd, ret;

	memcpy(packet, &magic, 4);
	memcpy(packet + 4, uuid, 16);
	memcpy(packet + 20, &stream_id, 4);
	memcpy(packet + 24, &instance, 8);
	memcpy(packet + 32, ctx, sizeof(ctx));
	memcpy(packet + 32 + sizeof(ctx), &cpu, 4);

	ctfw_prog = "ctf-writer (genevent test)";
	ctfw_metadata_init(&m, uuid, 1000000000);
	snprintf(m.hostname, sizeof(m.hostname), "test");
	m.offset_s = 1700000000;
	m.events = read_events(&m.events_len);
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dir_fd < 0) {
		perror(dir);
		return -1;
	}
	ret = ctfw_metadata_write(dir_fd, dir, &m) ||
	      ctfw_stream_open(&s, dir_fd, dir, 0, uuid) ||
	      ctfw_stream_append(&s, packet, len) || ctfw_stream_close(&s);
	close(dir_fd);
	return ret ? -1 : 0;
}
