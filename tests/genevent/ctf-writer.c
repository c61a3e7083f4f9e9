// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctf-writer.c: a minimal user-space tracer core for the genevent tests.
 * Implements the probe API of <lttng-xen/tracepoint.h> by appending each
 * event (compact 4-byte or extended 13-byte header, then the payload) to one CTF packet,
 * written to the file given to ctf_writer_finish().  Time advances by a
 * fixed step per event, with an occasional large jump so that the extended
 * header is exercised as it would be after a long idle period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lttng-xen/tracepoint.h>

#include "ctf-writer.h"

#define PACKET_MAX	(4 << 20)
#define COMPACT_IDS	31
#define TS_BITS		27

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

static void put_u32(uint32_t v)
{
	put(&v, sizeof(v));
}

static void put_u64(uint64_t v)
{
	put(&v, sizeof(v));
}

static void header(uint16_t event)
{
	now += (nr_events % 50 == 49) ? (1ULL << 28) : 1000;
	if (!nr_events++)
		first = now;
	if (event < COMPACT_IDS && now - last < (1ULL << TS_BITS)) {
		put_u32(event | (uint32_t)(now & ((1u << TS_BITS) - 1)) << 5);
	} else {
		/* 5-bit id 31, padding to the byte, then u32 id, u64 time */
		unsigned char extended = 31;

		put(&extended, 1);
		put_u32(event);
		put_u64(now);
	}
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

int ctf_writer_finish(const char *path, const unsigned char uuid[16])
{
	size_t content = len, size = (len + 4095) / 4096 * 4096;
	unsigned char *p = packet;
	uint64_t ctx[6] = { first, now, content * 8, size * 8, 0, 0 };
	uint32_t magic = 0xc1fc1fc1, stream_id = 0, cpu = 0;
	uint64_t instance = 0;
	FILE *f;

	memcpy(p, &magic, 4);
	memcpy(p + 4, uuid, 16);
	memcpy(p + 20, &stream_id, 4);
	memcpy(p + 24, &instance, 8);
	memcpy(p + 32, ctx, sizeof(ctx));
	memcpy(p + 32 + sizeof(ctx), &cpu, 4);
	memset(packet + content, 0, size - content);
	f = fopen(path, "wb");
	if (!f || fwrite(packet, 1, size, f) != size || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}
