# SPDX-License-Identifier: GPL-2.0-only
"""The simulator's workload, for checkers (sim/README.md, "Workload").

The same definition as sim/workload.c, from the reading side:

    decode(name, fields) -> (cpu, kind, seq)

takes an event as babeltrace2 gives it (name "facility:event", fields as
a dict of Python ints and lists, or bt2 field objects) and says which call
of the simulator produced it: CPU, 'main' or 'nested', and its sequence
number k or n.  It raises WorkloadError for anything the simulator could
not have emitted: an unknown event, a missing or extra field, or one value
off.  pv:math_state_restore has no fields: decode() returns
(None, 'main', None) and StreamChecker places it by its neighbours.

    StreamChecker(cpu).feed(name, fields) ... .finish()

checks one stream in order: every event decodes, carries the stream's
CPU, and main and nested sequence numbers each strictly increase.

With --sim-domains N (nr_domains), main-loop event k runs in domain
domain_of(k, N) and a CPU records sched:context_switch where its domain
changes; decode(name, fields, nr_domains) then returns (cpu, 'switch',
None) for those.  main_events(cpu, n, nr_domains, domains) is the whole
main-loop stream of a CPU, switches included, as a domain filter keeping
'domains' leaves it.
"""

MASK32 = (1 << 32) - 1
MASK64 = (1 << 64) - 1

NR_MAIN_TYPES = 5
FIELDLESS_TYPE = 4                  # k % 5 == 4: pv:math_state_restore
HYPERCALL_OPS = (1, 13, 20)         # mmu_update, multicall, grant_table_op

DOMAIN_SLICE = 64                   # main-loop events per domain in a row
SWITCH_EVENT = "sched:context_switch"

MAIN_EVENTS = ("pv:hypercall", "hw:idle_entry", "pv:page_fault",
               "pv:ptwr_emulation", "pv:math_state_restore")
NESTED_EVENT = "pv:trap"
EVENT_NAMES = MAIN_EVENTS + (NESTED_EVENT,)


class WorkloadError(ValueError):
    """An event the simulator could not have emitted."""


def check32(cpu, k):
    """The check word: workload.c's check32()."""
    return (((k * 2654435761) & MASK32) ^ ((cpu << 24) & MASK32)
            ^ ((k >> 32) & MASK32))


def main_event(cpu, k):
    """(name, fields) of main-loop event k of CPU cpu."""
    kind = k % NR_MAIN_TYPES
    if kind == 0:
        j = k // NR_MAIN_TYPES
        nr_words = 1 + j % 3
        if k >> 32 and nr_words < 2:
            nr_words = 2
        args = [k & MASK32, (k >> 32) & MASK32, check32(cpu, k)]
        return "pv:hypercall", {
            "op": HYPERCALL_OPS[(j // 3) % 3], "arg_mask": cpu,
            "nr_words": nr_words, "args": args[:nr_words]}
    if kind == 1:
        return "hw:idle_entry", {
            "cstate": cpu, "tick": k & MASK32,
            "expected_us": (k >> 32) & MASK32,
            "predicted_us": check32(cpu, k)}
    if kind == 2:
        return "pv:page_fault", {
            "rip": k, "addr": cpu, "error_code": check32(cpu, k)}
    if kind == 3:
        return "pv:ptwr_emulation", {
            "pte": k, "addr": cpu, "rip": ~k & MASK64}
    return "pv:math_state_restore", {}


def domain_of(k, nr_domains):
    """The domain main-loop event k runs in (--sim-domains nr_domains)."""
    return (k // DOMAIN_SLICE) % nr_domains if nr_domains else 0


def switch_event(cpu, prev, nxt):
    """(name, fields) of CPU cpu's switch from domain prev to nxt."""
    return SWITCH_EVENT, {"prev_domain": prev, "prev_unit": cpu,
                          "next_domain": nxt, "next_unit": cpu}


def main_events(cpu, n, nr_domains=0, domains=None):
    """(name, fields) of every main-loop event of CPU cpu in order, for
    k < n, with its domain switches (nr_domains): those a domain filter
    keeping the set 'domains' records (None: every one).  The filter
    keeps an event run in a kept domain, and a switch either of whose
    domains is kept (its fields name them)."""
    cur = 0
    for k in range(n):
        d = domain_of(k, nr_domains)
        if d != cur:
            if domains is None or cur in domains or d in domains:
                yield switch_event(cpu, cur, d)
            cur = d
        if domains is None or cur in domains:
            yield main_event(cpu, k)


def nested_event(cpu, n):
    """(name, fields) of nested event n of CPU cpu."""
    use = n & 1
    return NESTED_EVENT, {
        "rip": n, "vector": cpu, "use_error_code": use,
        "error_code": (n & 0xffff) if use else 0xffff}


def as_python(value):
    """A bt2 field (or plain value) as ints and lists."""
    if isinstance(value, (int, list)):
        return value
    try:
        import bt2
        if isinstance(value, bt2._ArrayFieldConst):
            return [as_python(x) for x in value]
        if isinstance(value, bt2._StringFieldConst):
            return str(value)
    except ImportError:
        pass
    if hasattr(value, "keys"):
        return {str(k): as_python(value[k]) for k in value.keys()}
    return int(value)


def _carried(name, f):
    """(cpu, kind, seq) from the fields that carry them."""
    if name == "pv:hypercall":
        args = f["args"]
        if len(args) < 1:
            raise WorkloadError("pv:hypercall without args")
        k = args[0] | ((args[1] << 32) if len(args) > 1 else 0)
        return f["arg_mask"], "main", k
    if name == "hw:idle_entry":
        return f["cstate"], "main", f["tick"] | (f["expected_us"] << 32)
    if name == "pv:page_fault":
        return f["addr"], "main", f["rip"]
    if name == "pv:ptwr_emulation":
        return f["addr"], "main", f["pte"]
    if name == NESTED_EVENT:
        return f["vector"], "nested", f["rip"]
    raise WorkloadError("event %s is not one the simulator emits" % name)


# What the tracer records on its own, in any stream, whatever the workload:
# the clock gone back (--clock-backwards), or out of step across CPUs
# (--clock-skew, or a host whose TSCs are).  Kind "tracer".
TRACER_EVENTS = ("gen:clock_backwards", "gen:clock_unsynchronised")


def decode(name, fields, nr_domains=0):
    """(cpu, kind, seq) of an event, or WorkloadError.  A domain switch
    (only with nr_domains): (cpu, 'switch', None)."""
    if name in TRACER_EVENTS:
        return None, "tracer", None
    f = {str(k): as_python(fields[k]) for k in fields.keys()} if fields else {}
    if name == SWITCH_EVENT and nr_domains:
        cpu = f.get("prev_unit")
        if (cpu is None or f != switch_event(cpu, f.get("prev_domain"),
                                             f.get("next_domain"))[1]
                or not all(f[d] < nr_domains
                           for d in ("prev_domain", "next_domain"))
                or f["prev_domain"] == f["next_domain"]):
            raise WorkloadError("%s %r is not a switch the simulator "
                                "makes with %d domains"
                                % (name, f, nr_domains))
        return cpu, "switch", None
    if name == "pv:math_state_restore":
        if f:
            raise WorkloadError("%s has fields %s" % (name, sorted(f)))
        return None, "main", None
    try:
        cpu, kind, seq = _carried(name, f)
    except KeyError as e:
        raise WorkloadError("%s lacks field %s: %r" % (name, e, f))
    if kind == "main":
        want_name, want = main_event(cpu, seq)
    else:
        want_name, want = nested_event(cpu, seq)
    if want_name != name or want != f:
        raise WorkloadError(
            "%s %r is not what the simulator emits: for CPU %d %s #%d it "
            "emits %s %r" % (name, f, cpu, kind, seq, want_name, want))
    return cpu, kind, seq


class StreamChecker:
    """Checks one stream (one CPU), event by event, in order."""

    def __init__(self, cpu):
        self.cpu = cpu
        self.last = {"main": -1, "nested": -1}
        self.counts = {"main": 0, "nested": 0, "tracer": 0}
        self.fieldless_pending = 0      # since the last main event
        self.index = 0

    def _place_fieldless(self, upto):
        """The field-less events since the last main event each need a k
        with k % 5 == 4 strictly between it and 'upto'."""
        if not self.fieldless_pending:
            return
        lo = self.last["main"]
        first = lo + 1 + (FIELDLESS_TYPE - (lo + 1)) % NR_MAIN_TYPES
        room = 0 if first >= upto else (upto - 1 - first) // NR_MAIN_TYPES + 1
        if self.fieldless_pending > room:
            raise WorkloadError(
                "CPU %d: %d pv:math_state_restore events between main "
                "events %d and %d, room for %d"
                % (self.cpu, self.fieldless_pending, lo, upto, room))
        self.last["main"] = (first + (self.fieldless_pending - 1)
                             * NR_MAIN_TYPES)
        self.fieldless_pending = 0

    def feed(self, name, fields):
        cpu, kind, seq = decode(name, fields)
        where = "CPU %d, event #%d of the stream" % (self.cpu, self.index)
        self.index += 1
        self.counts[kind] += 1
        if kind == "tracer":
            return cpu, kind, seq
        if seq is None:
            self.fieldless_pending += 1
            return cpu, kind, seq
        if cpu != self.cpu:
            raise WorkloadError("%s: %s says CPU %d" % (where, name, cpu))
        if kind == "main":
            self._place_fieldless(seq)
        if seq <= self.last[kind]:
            raise WorkloadError("%s: %s #%d after #%d: out of order"
                                % (where, kind, seq, self.last[kind]))
        self.last[kind] = seq
        return cpu, kind, seq

    def finish(self):
        """Counts read: {'main': N, 'nested': M, 'tracer': T}."""
        if self.fieldless_pending:
            self._place_fieldless(1 << 64)
        return dict(self.counts)
