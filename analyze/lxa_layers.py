# SPDX-License-Identifier: GPL-2.0-only
"""The cross-layer reader: the hypervisor's trace and the guests' LTTng
kernel traces (dom0's, the domUs') read as one timeline, and the events
that belong to one operation put together across them.

Used by lttng-xen-causality (are they in causal order?) and
lttng-xen-latency (where did a request's time go?).  Every time is ns
from the Unix epoch on the one clock the traces share
(linux-patches/lttng-clock/): babeltrace2 merges them with no flag.

What is put together (facilities/*.xml say what each field is):

  hypercall  a guest's guest_hcall_entry and _exit on one CPU, and the
             hypervisor's pv:hypercall of the same op and recorded
             argument (the count for mmu_update, multicall, mmuext_op).
  evtchn     a guest's guest_evtchn_send, the EVTCHNOP_send hypercall it
             issues next on that CPU, and the hypervisor's evtchn:send
             from that domain and port: the notification's remote end
             (domain, port) and the first guest_evtchn_port upcall for
             that port in the remote domain's trace after it.
  block      a domU's blkfront request (guest_blkfront_queue, the push
             that made it visible, the response read back) and dom0's
             blkback chain for the same ring slot (request, submit,
             complete, response): same handle, id and operation, same
             first sector and size where blkback submitted it.
  net tx     netfront_xmit and its tx_response in the domU; netback's
             tx_request (same queue, id, size) and its tx_response.
  net rx     netback's rx_response in dom0; netfront's rx (same queue,
             id and size) in the domU.

A ring slot's id is reused, so a frontend request is paired with the
backend chain of that slot nearest to it in time, within a window, and
(network) after the frontend finished the slot's previous use; a
trace's domain is the one whose records agree with its events most.
"""
import bisect
import os

try:
    import bt2
except ImportError:
    bt2 = None

# pv:hypercall ops whose first recorded argument is the second one (the
# count): mmu_update, multicall, mmuext_op (facilities/pv.xml).
COUNT_FIRST = (1, 13, 26)
EVENT_CHANNEL_OP = 32  # __HYPERVISOR_event_channel_op
EVTCHNOP_SEND = 4


class ReadError(Exception):
    pass


def _int(ev, name, default=None):
    try:
        return int(ev.payload_field[name])
    except KeyError:
        return default


class GuestTrace:
    """One LTTng kernel trace of one domain, with the guest events."""

    def __init__(self, label):
        self.label = label
        self.domain = None     # learned: pair_domains()
        self.hcalls = []       # (entry, exit, op, arg)
        self.sends = []        # (send, entry, exit, port)
        self.ports = {}        # port -> [upcall times]
        self.blk_queue = []    # (ts, handle, id, op, sector, sectors)
        self.blk_push = {}     # handle -> [ts]
        self.blk_fresp = {}    # (handle, id) -> [ts]
        self.blk_back = {}     # name -> [(ts, domain, handle, id, op, ...)]
        self.net_xmit = []     # (ts, queue, id, size)
        self.net_ftx = {}      # (queue, id) -> [ts]
        self.net_rx = []       # (ts, queue, id, size)
        self.net_back = {}     # name -> [(ts, domain, queue, id, size)]

    def frontend(self):
        return bool(self.blk_queue or self.net_xmit or self.net_rx)

    def backend(self):
        return bool(self.blk_back or self.net_back)


class Timeline:
    """Everything read: the hypervisor's records and each guest trace."""

    def __init__(self):
        self.hv_hcalls = {}    # op -> [(ts, arg0)]
        self.hv_sends = {}     # (domain, port) -> ByTime of (ts, rdom, rport)
        self.guests = []

    def guest_of_domain(self, dom):
        for g in self.guests:
            if g.domain == dom:
                return g
        return None


def _trace_key(trace):
    """What tells one trace from another (bt2's trace objects are new
    wrappers at each access: their id() says nothing)."""
    return (trace.name, str(trace.uuid))


def _label(ev, paths, taken):
    """A name for an event's trace: the directory given that holds it
    (ctf's stream names are their files' paths), else its hostname;
    unique."""
    f = os.path.abspath(ev.stream.name or "")
    name = None
    for p in paths:
        top = os.path.abspath(p) + os.sep
        if f.startswith(top):
            name = p.rstrip(os.sep)
            # lttctl-xen's run directory (DIR/dom0/kernel/...): DIR/dom0.
            parts = f[len(top):].split(os.sep)
            if len(parts) >= 3:
                name = os.path.join(name, parts[0])
            break
    if name is None:
        env = ev.stream.trace.environment
        name = str(env["hostname"]) if "hostname" in env else "trace"
    base, i = name, 2
    while name in taken:
        name = "%s-%d" % (base, i)
        i += 1
    return name


def read(paths):
    """Reads the traces (directories, searched recursively) into a
    Timeline; ReadError says why it could not."""
    if bt2 is None:
        raise ReadError("babeltrace2's Python bindings are missing "
                        "(Debian: python3-bt2)")
    tl = Timeline()
    guests = {}
    open_calls = {}   # (trace, stream, cpu) -> (entry, op, arg)
    pending = {}      # (trace, stream, cpu) -> send time, port
    open_sends = {}   # (trace, stream, cpu) -> (send, entry, port)
    try:
        it = bt2.TraceCollectionMessageIterator(list(paths))
        for msg in it:
            if type(msg) is not bt2._EventMessageConst:
                continue
            ev = msg.event
            ts = msg.default_clock_snapshot.ns_from_origin
            name = ev.name
            if not name.startswith("guest_"):
                if name == "pv:hypercall":
                    a = ev.payload_field["args"]
                    tl.hv_hcalls.setdefault(
                        int(ev.payload_field["op"]), []).append(
                        (ts, int(a[0]) if len(a) else None))
                elif name == "evtchn:send":
                    p = ev.payload_field
                    tl.hv_sends.setdefault(
                        (int(p["domain"]), int(p["port"])), []).append(
                        (ts, int(p["remote_domain"]), int(p["remote_port"])))
                continue
            trace = ev.stream.trace
            tkey = _trace_key(trace)
            g = guests.get(tkey)
            if g is None:
                g = guests[tkey] = GuestTrace(
                    _label(ev, paths, {x.label for x in tl.guests}))
                tl.guests.append(g)
            _guest_event(g, ev, name, ts, open_calls, pending, open_sends)
    except ReadError:
        raise
    except Exception as e:  # bt2 raises its own error types
        raise ReadError("cannot read %s: %s" % (" ".join(paths), e))
    tl.hv_sends = {k: ByTime(v) for k, v in tl.hv_sends.items()}
    return tl


def _guest_event(g, ev, name, ts, open_calls, pending, open_sends):
    if name in ("guest_hcall_entry", "guest_hcall_exit",
                "guest_evtchn_send"):
        key = (g.label, ev.stream.name,
               int(ev.packet.context_field["cpu_id"]))
        if name == "guest_evtchn_send":
            pending[key] = (ts, _int(ev, "port"))
        elif name == "guest_hcall_entry":
            op = _int(ev, "op")
            arg = _int(ev, "arg2" if op in COUNT_FIRST else "arg1")
            open_calls[key] = (ts, op, arg)
            s = pending.pop(key, None)
            if s and op == EVENT_CHANNEL_OP and arg == EVTCHNOP_SEND:
                open_sends[key] = (s[0], ts, s[1])
        else:
            e = open_calls.pop(key, None)
            if e and e[1] == _int(ev, "op"):
                g.hcalls.append((e[0], ts, e[1], e[2]))
                s = open_sends.pop(key, None)
                if s and e[1] == EVENT_CHANNEL_OP:
                    g.sends.append((s[0], s[1], ts, s[2]))
        return
    p = ev.payload_field
    if name == "guest_evtchn_port":
        g.ports.setdefault(int(p["port"]), []).append(ts)
    elif name == "guest_blkfront_queue":
        g.blk_queue.append((ts, int(p["handle"]), int(p["id"]),
                            int(p["operation"]), int(p["sector"]),
                            int(p["sectors"])))
    elif name == "guest_blkfront_push":
        g.blk_push.setdefault(int(p["handle"]), []).append(ts)
    elif name == "guest_blkfront_response":
        g.blk_fresp.setdefault((int(p["handle"]), int(p["id"])),
                               []).append(ts)
    elif name.startswith("guest_blkback_"):
        rec = (ts, int(p["domain"]), int(p["handle"]), int(p["id"]),
               int(p["operation"]))
        if name == "guest_blkback_submit":
            rec += (int(p["sector"]), int(p["sectors"]))
        g.blk_back.setdefault(name[len("guest_blkback_"):], []).append(rec)
    elif name == "guest_netfront_xmit":
        g.net_xmit.append((ts, int(p["queue"]), int(p["id"]),
                           int(p["size"])))
    elif name == "guest_netfront_tx_response":
        g.net_ftx.setdefault((int(p["queue"]), int(p["id"])), []).append(ts)
    elif name == "guest_netfront_rx":
        g.net_rx.append((ts, int(p["queue"]), int(p["id"]), int(p["size"])))
    elif name in ("guest_netback_tx_request", "guest_netback_tx_response",
                  "guest_netback_rx_response"):
        size = _int(ev, "size")
        g.net_back.setdefault(name[len("guest_netback_"):], []).append(
            (ts, int(p["domain"]), int(p["queue"]), int(p["id"]), size))


def first_after(times, t):
    """The first of the sorted times at or after t, or None."""
    i = bisect.bisect_left(times, t)
    return times[i] if i < len(times) else None


def last_before(times, t):
    """The last of the sorted times before t, or None."""
    i = bisect.bisect_left(times, t)
    return times[i - 1] if i else None


class ByTime:
    """Records in time order (their [0]), with the times apart for
    bisect: built once, searched many times."""

    def __init__(self, recs):
        self.recs = recs
        self.times = [r[0] for r in recs]


def nearest(by, t, window, ok=lambda c: True):
    """The record of by (a ByTime) nearest to t within window whose ok()
    holds, or None."""
    cands, times = by.recs, by.times
    lo = bisect.bisect_left(times, t - window)
    hi = bisect.bisect_right(times, t + window)
    best = None
    for c in cands[lo:hi]:
        if ok(c) and (best is None or abs(c[0] - t) < abs(best[0] - t)):
            best = c
    return best


# --- Pairs -----------------------------------------------------------

def hypercall_pairs(tl, window):
    """[(entry, xen, exit)] for every guest hypercall with a record of
    it within window (the one inside the interval if any, else the
    nearest: a violation), and the unmatched count per op."""
    pairs, unmatched = [], {}
    times = {op: [t for t, _ in recs] for op, recs in tl.hv_hcalls.items()}
    for g in tl.guests:
        for t0, t1, op, arg in g.hcalls:
            recs = tl.hv_hcalls.get(op, [])
            lo = bisect.bisect_left(times.get(op, []), t0 - window)
            hi = bisect.bisect_right(times.get(op, []), t1 + window)
            best = None
            for ts, a0 in recs[lo:hi]:
                if a0 is not None and arg is not None and \
                        a0 != (arg & 0xffffffff):
                    continue
                if best is None or min(ts - t0, t1 - ts) > \
                        min(best - t0, t1 - best):
                    best = ts
            if best is None:
                unmatched[op] = unmatched.get(op, 0) + 1
            else:
                pairs.append((t0, best, t1))
    return pairs, unmatched


def pair_domains(tl, window):
    """Each guest trace's domain: 0 for the one with the backends; for
    the others the domain whose hypervisor evtchn:send records fall in
    their sends' hypercalls most often, else the one their backend
    events name most often for matching requests."""
    for g in tl.guests:
        if g.backend() and not g.frontend():
            g.domain = 0
    for g in tl.guests:
        if g.domain is not None:
            continue
        votes = {}
        for send, entry, exit_, port in g.sends:
            for (dom, p), by in tl.hv_sends.items():
                if p != port:
                    continue
                times = by.times
                i = bisect.bisect_left(times, entry)
                if i < len(times) and times[i] <= exit_:
                    votes[dom] = votes.get(dom, 0) + 1
        if not votes:
            for b in tl.guests:
                for rec in b.blk_back.get("request", []):
                    for q in g.blk_queue[:200]:
                        if (q[1], q[2]) == (rec[2], rec[3]) and \
                                abs(rec[0] - q[0]) < window:
                            votes[rec[1]] = votes.get(rec[1], 0) + 1
        if votes:
            g.domain = max(votes, key=votes.get)


def evtchn_pairs(tl):
    """[(send, xen, exit, upcall or None)] for every guest send whose
    EVTCHNOP_send has a hypervisor record from its domain and port (the
    one in the hypercall if any, else the nearest to it: a violation
    then), and the count of sends with no record."""
    pairs, unmatched = [], 0
    for g in tl.guests:
        if g.domain is None:
            unmatched += len(g.sends)
            continue
        for send, entry, exit_, port in g.sends:
            by = tl.hv_sends.get((g.domain, port), ByTime([]))
            best = nearest(by, (entry + exit_) // 2,
                           max(exit_ - entry, 1) + 10_000_000)
            if best is None:
                unmatched += 1
                continue
            remote = tl.guest_of_domain(best[1])
            up = None
            if remote is not None:
                up = first_after(remote.ports.get(best[2], []), best[0])
            pairs.append((send, best[0], exit_, up))
    return pairs, unmatched


class BlockRequest:
    """One block request across the two kernels."""
    __slots__ = ("op", "queue", "push", "request", "submit", "complete",
                 "response", "fresponse")


def _back_chains(b, dom):
    """dom0's blkback chains of one frontend domain, per (handle, id):
    [(request, submit, complete, response, op, sector, sectors)]."""
    by = {}
    for name in ("request", "submit", "complete", "response"):
        for rec in b.blk_back.get(name, []):
            if rec[1] == dom:
                by.setdefault((rec[2], rec[3]), {}).setdefault(
                    name, []).append(rec)
    chains = {}
    for key, ev in by.items():
        subs = ev.get("submit", [])
        comps = [r[0] for r in ev.get("complete", [])]
        resps = [r[0] for r in ev.get("response", [])]
        reqs = ev.get("request", [])
        out = []
        for i, r in enumerate(reqs):
            nxt = reqs[i + 1][0] if i + 1 < len(reqs) else None
            s = next((x for x in subs if x[0] >= r[0] and
                      (nxt is None or x[0] < nxt)), None)
            p = first_after(resps, r[0])
            if p is not None and nxt is not None and p > nxt:
                p = None
            c = None
            if s is not None:
                c = first_after(comps, s[0])
                if c is not None and p is not None and c > p:
                    c = None
            # The request's operation as on the ring (indirect: 6); the
            # submit's is the one carried out (read, write).
            out.append((r[0], s[0] if s else None, c, p, r[4],
                        s[5] if s else None, s[6] if s else None,
                        s[4] if s else r[4]))
        chains[key] = out
    return chains


def block_requests(tl, window):
    """[BlockRequest] for every domU request paired with dom0's chain,
    and the count of requests with none within window."""
    back = [b for b in tl.guests if b.blk_back]
    reqs, unmatched = [], 0
    for g in tl.guests:
        if not g.blk_queue:
            continue
        chains = {}
        for b in back:
            if g.domain is not None:
                for k, v in _back_chains(b, g.domain).items():
                    chains.setdefault(k, []).extend(v)
        chains = {k: ByTime(sorted(v)) for k, v in chains.items()}
        for ts, handle, rid, op, sector, sectors in g.blk_queue:
            push = first_after(g.blk_push.get(handle, []), ts)
            fresp = first_after(g.blk_fresp.get((handle, rid), []), ts)
            if push is None or fresp is None:
                unmatched += 1
                continue

            def agrees(c, op=op, sector=sector, sectors=sectors):
                if c[4] != op:
                    return False
                return c[5] is None or (c[5], c[6]) == (sector, sectors)
            c = nearest(chains.get((handle, rid), ByTime([])), push, window,
                        agrees)
            if c is None or c[3] is None:
                unmatched += 1
                continue
            r = BlockRequest()
            r.op = c[7]
            r.queue, r.push, r.fresponse = ts, push, fresp
            r.request, r.submit, r.complete, r.response = c[:4]
            reqs.append(r)
    return reqs, unmatched


def net_tx_pairs(tl, window):
    """[(xmit, back request, back response, front response)] and the
    unmatched count."""
    back = [b for b in tl.guests if b.net_back]
    pairs, unmatched = [], 0
    for g in tl.guests:
        if not g.net_xmit:
            continue
        reqs, resps = [], {}
        for b in back:
            reqs += [r for r in b.net_back.get("tx_request", [])
                     if r[1] == g.domain]
            for r in b.net_back.get("tx_response", []):
                if r[1] == g.domain:
                    resps.setdefault((r[2], r[3]), []).append(r[0])
        reqs = ByTime(sorted(reqs))
        for v in resps.values():
            v.sort()
        for ts, queue, rid, size in g.net_xmit:
            # The slot's id is free again only once the frontend saw the
            # previous use's response: the backend's request of this use
            # comes after that (a busy ring reuses an id within ms).
            prev = last_before(g.net_ftx.get((queue, rid), []), ts)
            c = nearest(reqs, ts, window,
                        lambda r, q=queue, i=rid, s=size, p=prev:
                        (r[2], r[3], r[4]) == (q, i, s) and
                        (p is None or r[0] > p))
            fr = first_after(g.net_ftx.get((queue, rid), []), ts)
            br = first_after(resps.get((queue, rid), []), c[0]) if c else None
            if c is None or fr is None or br is None:
                unmatched += 1
                continue
            pairs.append((ts, c[0], br, fr))
    return pairs, unmatched


def net_rx_pairs(tl, window):
    """[(back rx_response, front rx)] and the unmatched count."""
    back = [b for b in tl.guests if b.net_back]
    pairs, unmatched = [], 0
    for g in tl.guests:
        if not g.net_rx:
            continue
        resps = ByTime(sorted(r for b in back
                              for r in b.net_back.get("rx_response", [])
                              if r[1] == g.domain))
        seen = {}  # (queue, id) -> the frontend's rx times, in order
        for ts, queue, rid, _ in g.net_rx:
            seen.setdefault((queue, rid), []).append(ts)
        for ts, queue, rid, size in g.net_rx:
            # The backend fills a slot again only after the frontend took
            # its previous packet and posted the buffer anew.
            prev = last_before(seen[(queue, rid)], ts)
            c = nearest(resps, ts, window,
                        lambda r, q=queue, i=rid, s=size, p=prev:
                        (r[2], r[3], r[4]) == (q, i, s) and
                        (p is None or r[0] > p))
            if c is None:
                unmatched += 1
                continue
            pairs.append((c[0], ts))
    return pairs, unmatched
