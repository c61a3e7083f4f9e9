#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""merge-check.py UST_DIR XEN_DIR N T0_NS T1_NS

The merged view of test-merge-ust.sh, read with bt2 the way `babeltrace2
UST_DIR XEN_DIR` reads it (one muxer over both traces, no clock option):

- both clock classes have their origin at the Unix epoch (so babeltrace2
  correlates them without --clock-force-correlate);
- the UST trace holds merge_ust:tick seq 0..N-1, in order; the lttng-xen
  trace holds hypervisor events;
- merged timestamps never decrease;
- the traces interleave: every UST event has hypervisor events before and
  after it, and most gaps between two UST events hold hypervisor events;
- the hypervisor trace's first and last events lie in the test's own
  wall-clock window [T0_NS, T1_NS] (with a small tolerance): its time is
  Unix time;
- each UST event carries the TSC it read: placed on the hypervisor's clock
  (offset + tsc / freq, from the lttng-xen metadata) that TSC must give
  the UST event's own time, within TSC_TOLERANCE_NS;
- the lttng-xen trace says how far off its clock offset may be:
  env.clock_offset_uncertainty_ns, at most MAX_UNCERTAINTY_NS (1 us, the
  goal of one time base), and the clock's precision is that in ticks.
Prints what it found; exits 1 with the reasons on any failure.
"""
import sys

import bt2

WINDOW_TOLERANCE_NS = 250_000_000
TSC_TOLERANCE_NS = 10_000_000
MAX_UNCERTAINTY_NS = 1000

ust_dir, xen_dir, n, t0, t1 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
errors = []


def fail(msg):
    errors.append(msg)


def fmt(ns):
    return "%d.%09d" % divmod(ns, 10**9)


# kind, ns, seq, tsc
events = []
clocks = {}
prev_ns = None
backwards = 0
it = bt2.TraceCollectionMessageIterator([ust_dir, xen_dir])
for msg in it:
    try:
        snap = msg.default_clock_snapshot
    except (AttributeError, ValueError):
        snap = None
    if snap is None or not hasattr(snap, "ns_from_origin"):
        continue  # stream beginning/end: no time
    ns = snap.ns_from_origin
    if prev_ns is not None and ns < prev_ns:
        backwards += 1
        if backwards <= 5:
            fail("merged time goes back: %s after %s (%s)" %
                 (fmt(ns), fmt(prev_ns), type(msg).__name__))
    prev_ns = ns
    if not isinstance(msg, bt2._EventMessageConst):
        continue
    ev = msg.event
    tracer = str(ev.stream.trace.environment["tracer_name"])
    cc = snap.clock_class
    clocks.setdefault(tracer, cc)
    if tracer == "xen-lttng":
        xen_trace = ev.stream.trace
    if tracer == "lttng-ust":
        if ev.name != "merge_ust:tick":
            fail("unexpected UST event %s" % ev.name)
            continue
        events.append(("ust", ns, int(ev.payload_field["seq"]),
                       int(ev.payload_field["tsc"])))
    elif tracer == "xen-lttng":
        events.append(("xen", ns, None, None))
    else:
        fail("event %s from an unexpected tracer '%s'" % (ev.name, tracer))

ust = [e for e in events if e[0] == "ust"]
xen = [e for e in events if e[0] == "xen"]
print("merged: %d events (%d UST, %d hypervisor), %d times going back" %
      (len(events), len(ust), len(xen), backwards))

for tracer in ("lttng-ust", "xen-lttng"):
    cc = clocks.get(tracer)
    if cc is None:
        fail("no %s event in the merged view" % tracer)
        continue
    print("%s clock '%s': freq %d Hz, offset %d s + %d cycles, origin is "
          "the Unix epoch: %s" % (tracer, cc.name, cc.frequency,
                                  cc.offset.seconds, cc.offset.cycles,
                                  cc.origin_is_unix_epoch))
    if not cc.origin_is_unix_epoch:
        fail("the %s clock's origin is not the Unix epoch" % tracer)

seqs = [e[2] for e in ust]
if seqs != list(range(n)):
    fail("UST events: expected seq 0..%d in order, got %s" % (n - 1, seqs))
if len(xen) < 100:
    fail("only %d hypervisor events" % len(xen))

if ust and xen:
    # Index in the merged order of every UST event; hypervisor events
    # before it = its index minus the UST events before it.
    idx = [i for i, e in enumerate(events) if e[0] == "ust"]
    before = [i - k for k, i in enumerate(idx)]
    after = [len(xen) - b for b in before]
    lonely = [ust[k][2] for k in range(len(ust))
              if before[k] == 0 or after[k] == 0]
    print("hypervisor events before the first UST event: %d, after the "
          "last: %d" % (before[0], after[-1]))
    if lonely:
        fail("UST events with no hypervisor event before or after them "
             "(seq %s): the traces are not interleaved" % lonely)
    gaps = [before[k + 1] - before[k] for k in range(len(ust) - 1)]
    full = sum(1 for g in gaps if g > 0)
    print("gaps between consecutive UST events holding hypervisor events: "
          "%d of %d (min %d, max %d events)" %
          (full, len(gaps), min(gaps, default=0), max(gaps, default=0)))
    if 2 * full < len(gaps):
        fail("only %d of %d gaps between UST events hold hypervisor "
             "events" % (full, len(gaps)))

    lo, hi = t0 - WINDOW_TOLERANCE_NS, t1 + WINDOW_TOLERANCE_NS
    print("test window %s .. %s; hypervisor events %s .. %s; UST events "
          "%s .. %s" % (fmt(t0), fmt(t1), fmt(xen[0][1]), fmt(xen[-1][1]),
                        fmt(ust[0][1]), fmt(ust[-1][1])))
    for what, ns in (("first hypervisor", xen[0][1]),
                     ("last hypervisor", xen[-1][1]),
                     ("first UST", ust[0][1]), ("last UST", ust[-1][1])):
        if not lo <= ns <= hi:
            fail("the %s event is at %s, outside the test's wall-clock "
                 "window %s .. %s (tolerance %.2f s)" %
                 (what, fmt(ns), fmt(t0), fmt(t1),
                  WINDOW_TOLERANCE_NS / 1e9))

    cc = clocks.get("xen-lttng")
    if cc is not None:
        worst = 0
        for _, ns, seq, tsc in ust:
            on_xen = (cc.offset.seconds * 10**9 +
                      (cc.offset.cycles + tsc) * 10**9 // cc.frequency)
            d = ns - on_xen
            worst = max(worst, abs(d))
            if abs(d) > TSC_TOLERANCE_NS:
                fail("UST event seq %d at %s, but its TSC %d is %s on the "
                     "hypervisor clock (%+.6f s)" %
                     (seq, fmt(ns), tsc, fmt(on_xen), d / 1e9))
        print("UST event time vs its TSC on the hypervisor clock: at most "
              "%.3f ms apart" % (worst / 1e6))

cc = clocks.get("xen-lttng")
if cc is not None:
    env = xen_trace.environment
    if "clock_offset_uncertainty_ns" not in env:
        fail("the lttng-xen trace's env has no clock_offset_uncertainty_ns")
    else:
        unc = int(env["clock_offset_uncertainty_ns"])
        ticks = -(-unc * cc.frequency // 10**9)
        print("lttng-xen clock offset uncertainty: %d ns (precision %d "
              "ticks)" % (unc, cc.precision))
        if not 0 < unc <= MAX_UNCERTAINTY_NS:
            fail("the clock offset's uncertainty is %d ns, not within "
                 "(0, %d] ns" % (unc, MAX_UNCERTAINTY_NS))
        if cc.precision != max(ticks, 1):
            fail("the clock's precision is %d ticks; %d ns at %d Hz is %d "
                 "ticks" % (cc.precision, unc, cc.frequency, ticks))

if errors:
    for e in errors:
        print("FAIL: " + e)
    sys.exit(1)
print("merged view OK")
