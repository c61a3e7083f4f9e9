/* SPDX-License-Identifier: MIT */
/*
 * The interface between the producer (Xen, or the simulator standing in
 * for it) and the consumer in dom0 (lttd-xen, lttctl-xen).  Versioned,
 * fixed-width types only: both sides include this one header.
 *
 * Buffers
 * -------
 * Each traced CPU has one buffer: a control page (struct lttng_xen_buf_ctl)
 * followed by nr_subbufs sub-buffers of subbuf_size bytes.  Every
 * sub-buffer holds one CTF packet (ctf/stream-header.tsdl.in).  The
 * consumer maps the whole buffer READ-ONLY: it never writes shared memory.
 *
 * Positions are free-running byte counts.  Sub-buffer number
 * (pos / subbuf_size) % nr_subbufs holds position pos.  The producer
 * advances 'offset' as it reserves; 'consumed' advances when the consumer
 * hands a sub-buffer back, or, in overwrite mode, when the producer takes
 * the oldest sub-buffer over.
 *
 * Consumer protocol (all through control operations, below)
 * ---------------------------------------------------------
 *  0. GET_INFO: the configuration's generation, which GET_SUBBUF and
 *     PUT_SUBBUF carry.  Each CONFIGURE makes a new one; an operation
 *     that carries another gets -ESRCH, so a consumer left over from an
 *     earlier session never takes or puts away the new one's data.
 *  1. GET_SUBBUF(cpu) -> pos: the oldest unconsumed sub-buffer is
 *     complete (every reserved byte committed); it starts at pos.
 *     -EAGAIN: none is complete yet.  Wait for the wake-up (VIRQ in Xen,
 *     the event fd in the simulator), sent each time a sub-buffer
 *     completes; never poll.
 *  2. Copy the sub-buffer out of the mapping into private memory, then
 *     write it wherever it goes (never write(2) straight from the mapping:
 *     9p and other file systems reject foreign-mapped pages).
 *  3. PUT_SUBBUF(cpu, pos): hand it back.  0: the copy is valid.
 *     -EOVERFLOW: in overwrite mode the producer took the sub-buffer over
 *     while it was being copied: drop the copy (it may be torn).
 *
 * The producer trusts nothing the consumer passes: an out-of-range CPU,
 * a position other than the one GET_SUBBUF returned, sizes that are not
 * powers of two or are too large, a mode or state that does not exist, or
 * an operation in the wrong state gets an error code (negative errno
 * values below) and changes nothing.
 *
 * The producer also wakes consumers on every state change (CONFIGURE,
 * START, STOP, DESTROY) and when a CPU gets a buffer, so a consumer that
 * sleeps on the wake-up never misses the end of a session.
 *
 * Control operations
 * ------------------
 * In Xen they are sub-operations of a sysctl; in the simulator, messages
 * on its control socket.  Each is one struct lttng_xen_op (112 bytes, so
 * it fits the sysctl union), in and out.  Pad fields are ignored.
 *
 * MIT-licensed, like Xen's public headers: the Xen build installs it as
 * public/lttng_xen.h.  The layout is the same for a 32-bit caller (a
 * 32-bit toolstack in dom0) as for a 64-bit one: fixed-width types, every
 * 64-bit member 8-byte aligned (uint64_aligned_t), no pointer.
 */
#ifndef LTTNG_XEN_ABI_H
#define LTTNG_XEN_ABI_H

#ifdef __XEN__
#include <xen/types.h>
#else
#include <stdint.h>
#endif

/*
 * As Xen's public headers spell it for 32-bit x86 (the same tokens, so
 * that either definition may come first); x86-64 aligns uint64_t so.
 */
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t __attribute__((aligned(8)))
#endif

/*
 * 3: PUT_SUBBUF's "overwritten while copied" is -EOVERFLOW (Xen has no
 * ESTALE); the clock counters (clock_backwards, clock_backwards_max).
 */
#define LTTNG_XEN_ABI_VERSION       3
#define LTTNG_XEN_BUF_MAGIC         0x4c54584eU /* "NXTL" */

#define LTTNG_XEN_CTL_SIZE          4096    /* the control page */
#define LTTNG_XEN_MAX_SUBBUFS       256
#define LTTNG_XEN_MIN_SUBBUF_SIZE   4096
#define LTTNG_XEN_MAX_SUBBUF_SIZE   (16U << 20)
#define LTTNG_XEN_MAX_BUF_SIZE      (256U << 20) /* per CPU */
#define LTTNG_XEN_MAX_CPUS          256
#define LTTNG_XEN_MAX_EVENTS        4096

#define LTTNG_XEN_DEFAULT_SUBBUF_SIZE   (256U << 10)
#define LTTNG_XEN_DEFAULT_NR_SUBBUFS    4

enum lttng_xen_mode {
    LTTNG_XEN_MODE_DISCARD = 0,     /* full: drop new events, count them */
    LTTNG_XEN_MODE_OVERWRITE = 1,   /* full: overwrite the oldest (flight recorder) */
};

enum lttng_xen_state {
    LTTNG_XEN_STATE_UNCONFIGURED = 0,   /* no buffers */
    LTTNG_XEN_STATE_STOPPED = 1,        /* buffers allocated, not recording */
    LTTNG_XEN_STATE_RUNNING = 2,
};

/*
 * The control page of one CPU's buffer.  Written by the producer only;
 * the consumer reads it (counters, positions, layout).  Words the producer
 * updates while running are 64-bit and naturally aligned.
 */
struct lttng_xen_buf_ctl {
    uint32_t magic;             /* LTTNG_XEN_BUF_MAGIC */
    uint32_t abi_version;       /* LTTNG_XEN_ABI_VERSION */
    uint32_t cpu;
    uint32_t mode;              /* enum lttng_xen_mode */
    uint32_t subbuf_size;       /* bytes; power of two */
    uint32_t nr_subbufs;        /* power of two, 2..LTTNG_XEN_MAX_SUBBUFS */
    uint64_aligned_t offset;    /* write position */
    uint64_aligned_t consumed;  /* read position */
    uint64_aligned_t produced;  /* events recorded */
    uint64_aligned_t discarded; /* events dropped: buffer full (discard
                                   mode) */
    uint64_aligned_t lost_too_big; /* events dropped: larger than a
                                      sub-buffer */
    uint64_aligned_t lost_nested;  /* events dropped: overwrite mode, the
                                      oldest sub-buffer still being
                                      written; or more trace points nested
                                      on the CPU than the producer allows
                                      (4) */
    uint64_aligned_t overwritten;  /* sub-buffers taken over (overwrite
                                      mode) */
    uint64_aligned_t max_ts;    /* producer-internal: latest timestamp */
    uint64_aligned_t last_ts;   /* producer-internal: header compaction */
    /*
     * Clock reads that went back in time on this buffer (a TSC stepped
     * back, or read on a CPU behind this one's); each event then got
     * the latest timestamp given instead (max_ts), and the trace says so
     * (gen:clock_backwards).  The largest step back, in clock ticks.
     */
    uint64_aligned_t clock_backwards;
    uint64_aligned_t clock_backwards_max;
    uint64_aligned_t reserved;
    /* Bytes committed to each sub-buffer, over all its uses. */
    uint64_aligned_t commit[LTTNG_XEN_MAX_SUBBUFS];
};

/* Operations. */
#define LTTNG_XEN_OP_GET_INFO       1   /* -> info */
#define LTTNG_XEN_OP_CONFIGURE      2   /* config -> ; allocates buffers */
#define LTTNG_XEN_OP_SET_EVENTS     3   /* events -> */
#define LTTNG_XEN_OP_START          4
#define LTTNG_XEN_OP_STOP           5   /* stops and flushes every buffer */
#define LTTNG_XEN_OP_FLUSH          6   /* cpu -> ; closes the open packet */
#define LTTNG_XEN_OP_GET_BUFFER     7   /* cpu -> buffer */
#define LTTNG_XEN_OP_GET_SUBBUF     8   /* cpu -> subbuf.pos */
#define LTTNG_XEN_OP_PUT_SUBBUF     9   /* cpu, subbuf.pos -> */
#define LTTNG_XEN_OP_GET_COUNTERS   10  /* cpu -> counters */
#define LTTNG_XEN_OP_DESTROY        11  /* stopped -> unconfigured */
#define LTTNG_XEN_OP_DOMAIN_NAME    12  /* domain_name -> ; while running */
#define LTTNG_XEN_OP_HOLD           13  /* cpu, hold -> ; testing only */
#define LTTNG_XEN_OP_SET_DOMAINS    14  /* domains -> ; while stopped */

struct lttng_xen_info {
    uint32_t abi_version;
    uint32_t state;             /* enum lttng_xen_state */
    uint32_t nr_cpus;           /* CPUs with a buffer: highest count seen */
    uint32_t subbuf_size;
    uint32_t nr_subbufs;
    uint32_t mode;
    uint32_t nr_events;         /* events this producer was built with */
    uint32_t generation;        /* of the configuration; 0: none yet */
    uint64_aligned_t tsc_hz;            /* clock ticks per second */
    uint64_aligned_t metadata_hash; /* of its ctf/events.tsdl (FNV-1a 64) */
    uint8_t trace_uuid[16];     /* of the current configuration */
    uint64_aligned_t cpu_online[LTTNG_XEN_MAX_CPUS / 64]; /* CPUs online now */
};

struct lttng_xen_config {
    uint32_t subbuf_size;       /* 0: default */
    uint32_t nr_subbufs;        /* 0: default */
    uint32_t mode;
    uint32_t pad;
    /* CPUs to trace; all 0: every possible CPU, including those that
       come online later (-E2BIG on a host with more possible CPUs than
       LTTNG_XEN_MAX_CPUS: name the ones to trace).  A bit of a CPU that
       cannot exist: -ERANGE. */
    uint64_aligned_t cpu_mask[LTTNG_XEN_MAX_CPUS / 64];
};

/* Set each event first..first+nr-1 to its bit in bits: 1 records it,
 * 0 stops recording it.  Takes effect at once, also while running. */
struct lttng_xen_events {
    uint32_t first;             /* multiple of 64 */
    uint32_t nr;                /* at most 512 */
    uint64_aligned_t bits[8];
};

struct lttng_xen_buffer {
    uint32_t size;              /* out: control page + sub-buffers, bytes */
    uint32_t nr_frames;         /* out: pages.  Xen: in, the room of the
                                   frame list passed beside the op; a list
                                   too small gets -ENOBUFS */
};

struct lttng_xen_counters {
    uint64_aligned_t produced;
    uint64_aligned_t discarded;
    uint64_aligned_t lost_too_big;
    uint64_aligned_t lost_nested;
    uint64_aligned_t overwritten;
    uint64_aligned_t offset;
    uint64_aligned_t consumed;
    uint64_aligned_t clock_backwards;       /* as in the control page */
    uint64_aligned_t clock_backwards_max;
};

/*
 * DOMAIN_NAME: record the event dom0op:domain_name (domain, name), on
 * the lowest online CPU that has a buffer, timestamped by the producer's
 * clock like any other event.  Dom0 learns the names from xenstore; the
 * producer only checks them: domain below 0x7ff0 (DOMID_FIRST_RESERVED),
 * else -ERANGE; name not empty, NUL-terminated within the array, no
 * control character, else -EINVAL.  Only while running (-EPERM); no CPU
 * with a buffer online: -ENOENT.  Not recorded (but 0) when the event is
 * not selected.
 */
#define LTTNG_XEN_DOMAIN_NAME_SIZE  64      /* with the NUL */
#define LTTNG_XEN_DOMID_LIMIT       0x7ff0  /* DOMID_FIRST_RESERVED */

struct lttng_xen_domain_name {
    uint32_t domain;
    uint32_t pad;
    char name[LTTNG_XEN_DOMAIN_NAME_SIZE];
};

/*
 * HOLD, for testing quiescence: CPU cpu enters a trace point and stays
 * inside for 'ms' milliseconds (at most LTTNG_XEN_MAX_HOLD_MS), with
 * interrupts enabled, as a writer of a descheduled vCPU would.  The
 * operation returns at once.  A CONFIGURE or DESTROY that must reset or
 * free that CPU's buffer meanwhile waits for it at most the producer's
 * quiescence deadline (Xen: lttng-quiesce-ms, 1000 by default), then
 * fails with -EBUSY and changes nothing.  -ENOENT: the CPU has no
 * buffer; -ERANGE: cpu or ms out of range; -ENOSYS: a Xen built without
 * CONFIG_LTTNG_SELFTEST.
 */
#define LTTNG_XEN_MAX_HOLD_MS       10000

struct lttng_xen_hold {
    uint32_t ms;
    uint32_t pad;
};

/*
 * SET_DOMAINS: record only the events of these domains: those a selected
 * domain runs (the hypervisor working for it: its hypercalls, faults,
 * VM exits, interrupts taken while it runs), and those that name one in
 * a domain field (domain="true" in the facility XML: the scheduler's
 * events about it, its creation, destruction and name), whichever domain
 * runs them.  The others are dropped in the probe, before any buffer is
 * touched, and counted nowhere: they are not losses.  nr 0: every domain
 * (the filter is off, as after CONFIGURE and DESTROY).  Only while
 * stopped (running: -EBUSY); nr > LTTNG_XEN_MAX_DOMAINS: -EINVAL; a
 * domain id >= LTTNG_XEN_DOMID_LIMIT: -ERANGE.
 */
#define LTTNG_XEN_MAX_DOMAINS       32

struct lttng_xen_domains {
    uint32_t nr;
    uint32_t pad;
    uint16_t domid[LTTNG_XEN_MAX_DOMAINS];
};

struct lttng_xen_op {
    uint32_t op;                /* LTTNG_XEN_OP_* */
    uint32_t cpu;
    int32_t ret;                /* out: 0 or a negative LTTNG_XEN_E* */
    uint32_t pad;
    union {
        struct lttng_xen_info info;
        struct lttng_xen_config config;
        struct lttng_xen_events events;
        struct lttng_xen_buffer buffer;
        struct {
            uint64_aligned_t pos;
            uint32_t generation;    /* GET_INFO's */
            uint32_t pad;
        } subbuf;
        struct lttng_xen_counters counters;
        struct lttng_xen_domain_name domain_name;
        struct lttng_xen_hold hold;
        struct lttng_xen_domains domains;
        uint8_t raw[96];
    } u;
};

/*
 * Error codes: Xen's own (public/errno.h, XEN_E*; Linux numbers these
 * the same), negated in op.ret and as the hypercall's result.  They are
 * spelled LTTNG_XEN_E* here for callers without Xen's headers (the
 * simulator's); Xen's build checks each against its XEN_E*.
 */
#define LTTNG_XEN_EPERM     1       /* XEN_EPERM */
#define LTTNG_XEN_ENOENT    2       /* XEN_ENOENT */
#define LTTNG_XEN_ESRCH     3       /* XEN_ESRCH */
#define LTTNG_XEN_E2BIG     7       /* XEN_E2BIG */
#define LTTNG_XEN_EAGAIN    11      /* XEN_EAGAIN */
#define LTTNG_XEN_ENOMEM    12      /* XEN_ENOMEM */
#define LTTNG_XEN_EBUSY     16      /* XEN_EBUSY */
#define LTTNG_XEN_EINVAL    22      /* XEN_EINVAL */
#define LTTNG_XEN_ERANGE    34      /* XEN_ERANGE */
#define LTTNG_XEN_ENOSYS    38      /* XEN_ENOSYS */
#define LTTNG_XEN_EOVERFLOW 75      /* XEN_EOVERFLOW */
#define LTTNG_XEN_ENOBUFS   105     /* XEN_ENOBUFS */

#endif /* LTTNG_XEN_ABI_H */
