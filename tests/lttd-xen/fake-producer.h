/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fake-producer.h: an in-process producer behind the transport interface
 * (transport/transport.h), for testing lttd-xen's consumer code without
 * the simulator.  It hosts the real ring buffer (ringbuffer/frontend.c);
 * the test decides when events are recorded, and can make the transport
 * fail or the producer overwrite a sub-buffer in the middle of a get/put.
 * Its buffers outlive any number of lttd-xen "runs" in the same process,
 * as the simulator outlives a killed lttd-xen.
 */
#ifndef FAKE_PRODUCER_H
#define FAKE_PRODUCER_H

#include <stdint.h>

struct fake_cfg {
	uint32_t nr_cpus;
	uint32_t subbuf_size;
	uint32_t nr_subbufs;
	uint32_t mode;
};

void fake_init(const struct fake_cfg *cfg, const uint8_t uuid[16]);
/* Record n gen:guest events on cpu; data[0] counts events per CPU. */
void fake_emit(uint32_t cpu, unsigned int n);
void fake_set_state(uint32_t state);
/* STOP as the producer does it: state STOPPED, every buffer flushed. */
void fake_stop(void);
uint64_t fake_emitted(uint32_t cpu);
uint64_t fake_consumed(uint32_t cpu);
uint64_t fake_lost(uint32_t cpu);

/* The transport fails (lx_op returns -1) at PUT number n (0-based);
 * -1: never. */
extern long fake_fail_put_at;
/* What GET_INFO reports; fake_init() sets this build's values. */
extern uint32_t fake_abi_version;
extern uint64_t fake_metadata_hash;
/* Called before each PUT_SUBBUF reaches the ring buffer. */
extern void (*fake_before_put)(uint32_t cpu, uint64_t pos);

#endif /* FAKE_PRODUCER_H */
