# SPDX-License-Identifier: GPL-2.0-only
"""The hypervisor's state, rebuilt from a trace's events in time order.

Who runs where: each physical CPU runs one vCPU at a time.  The
scheduler's events say which: sched:context_switch (next_domain,
next_unit: the unit id is the vCPU id with Xen's default sched-gran=cpu),
sched:continue_running (the scheduler kept that vCPU on the CPU) and a
vCPU's sched:runstate_change to "running" on that CPU.  Until the first
of them on a CPU, or after events were discarded on it, the CPU's
context is unknown: its events are counted as "unknown", never given to
a guessed domain.

vCPU run states: each sched:runstate_change (domain, vcpu, old_state,
new_state) ends the vCPU's current state and starts new_state; a
sched:continue_running starts a new time slice of a running vCPU (a new
interval, "continue", in the same state), or says it runs when its state
was not known yet.  The time
before a vCPU's first change is unknown (not counted); the state after
its last change lasts to the end of the trace (an "open" interval), or
to its domain's destruction.  A
change whose old_state is not the state the vCPU was in (a change that
was not recorded: discarded events) ends an interval whose state is
uncertain: its time is "unattributed", not given to either state.

Everything is kept in clock ticks (the trace clock is the TSC, in both
lttng-xen's traces and xentrace files imported by lttng-xen-import), so
durations are exact integers; the report converts them with the clock's
frequency.
"""
import collections

RUNNING, RUNNABLE, BLOCKED, OFFLINE = range(4)
# RUNSTATE_* of Xen's public/vcpu.h (the sched:runstate enum).
STATES = ("running", "runnable", "blocked", "offline")
IDLE_DOMAIN = 32767

# Events the model reads fields of: name -> the fields it needs
# ("F:label": the value and the label of enumeration field F).
FIELDS = {
    "sched:context_switch": ("prev_domain", "prev_unit", "next_domain",
                             "next_unit"),
    "sched:runstate_change": ("domain", "vcpu", "old_state", "new_state"),
    "sched:continue_running": ("domain", "vcpu"),
    "sched:dom_add": ("domain",),
    "sched:dom_rem": ("domain",),
    "dom0op:dom_add": ("domain",),
    "dom0op:dom_rem": ("domain",),
    "dom0op:domain_name": ("domain", "name"),
    "pv:hypercall": ("op:label",),
    "pv:hypercall_subcall": ("op:label",),
    "pv:trap": ("vector",),
    "hvm:vmexit": ("exit_reason",),
    "hvm:vmentry": (),
    "hvm:vmmcall": ("op:label",),
    "hvm:ioport_read": ("port",),
    "hvm:ioport_write": ("port",),
    "hvm:iomem_read": ("gpa",),
    "hvm:iomem_write": ("gpa",),
    "hvm:intr": ("vector",),
    "hvm:inj_virq": ("vector",),
    "hw:irq_handled": ("irq", "tsc_in", "tsc_out"),
    "hw:irq_assign_vector": ("irq", "vector"),
    "hw:irq_bind_vector": ("irq", "vector"),
    "hw:irq_unmapped_vector": ("vector",),
    "gen:unknown": ("xentrace_id",),
}

# Page faults and emulations, per domain: the events that report one.
FAULTS = ("pv:page_fault", "pv:paging_fixup", "pv:gdt_ldt_mapping_fault",
          "hvm:pf_xen", "hvm:pf_inject", "hvm:npf", "shadow:fixup",
          "shadow:not_shadow", "shadow:fast_propagate",
          "shadow:false_fast_path", "shadow:domf_dying")
EMULATIONS = ("pv:emulate_privop", "pv:ptwr_emulation",
              "pv:forced_invalid_op", "shadow:emulate",
              "shadow:emulate_unshadow_user",
              "shadow:emulate_unshadow_evtinj",
              "shadow:emulate_unshadow_unhandled", "shadow:mmio",
              "shadow:fast_mmio", "hvm:realmode_emulate",
              "hvm:ioport_read", "hvm:ioport_write", "hvm:iomem_read",
              "hvm:iomem_write")


class Vcpu:
    """One vCPU: its run state and what it did."""

    def __init__(self, dom, vcpu):
        self.dom, self.vcpu = dom, vcpu
        self.state = None          # None: unknown
        self.since = None          # tick the state started
        self.came_from = None      # the state before it
        self.timeline = []         # (start, end, state, from, pcpu, end_kind, begin_kind)
        self.begin = None          # how the current state began: change, continue
        self.first_ts = None
        self.last_pcpu = None
        self.runs = 0              # changes to running
        self.migrations = 0
        self.wake_latency = []     # ticks, blocked/offline -> runnable -> running
        self.mismatches = 0        # changes whose old_state was not ours
        self.exit = None           # open VM exit: [tick, reason, [ops], [io]]
        self.exits_unclosed = 0    # a new exit before the last one ended

    def key(self):
        return (self.dom, self.vcpu)


class Pcpu:
    def __init__(self, cpu):
        self.cpu = cpu
        self.first_ts = self.last_ts = None
        self.cur = None            # (domain, vcpu) or None: unknown
        self.since = None
        self.segments = []         # (start, end, domain or None, vcpu)
        self.switches = 0
        self.unknown_events = 0
        self.discarded = 0
        self.events = 0


class Domain:
    def __init__(self, dom):
        self.dom = dom
        self.created = []          # ticks (dom0op:dom_add, sched:dom_add)
        self.destroyed = []
        self.names = []            # (tick, name)
        self.first_ts = self.last_ts = None


class TraceError(Exception):
    """The trace is not what the model needs (what, where, why)."""


class Model:
    def __init__(self):
        self.pcpus = {}
        self.vcpus = {}
        self.domains = {}
        self.first_ts = self.last_ts = None
        self.events = collections.Counter()       # (dom, vcpu, name); dom None: unknown
        self.unknown_by_name = collections.Counter()
        self.names_seen = collections.Counter()
        self.hcalls = collections.Counter()       # (dom, vcpu, kind, op)
        self.hcall_names = {}                     # op -> name (trace's enum label)
        self.hcall_time = collections.defaultdict(list)  # (dom, vcpu, op) -> ticks
        self.traps = collections.Counter()        # (dom, vcpu, vector)
        self.exits = collections.Counter()        # (dom, vcpu, reason)
        self.exit_time = collections.defaultdict(list)  # (dom, vcpu, reason)
        self.exit_reasons_seen = set()
        self.hvm_io = collections.Counter()       # (dom, kind, address)
        self.hvm_io_time = collections.defaultdict(list)  # its exits' ticks
        self.guest_intr = collections.Counter()   # (dom, event, vector)
        self.irqs = collections.defaultdict(list)  # irq -> handling ticks
        self.irq_vector = {}
        self.unmapped_vectors = collections.Counter()
        self.xentrace_unknown = collections.Counter()  # gen:unknown ids
        self.running_mismatch = 0   # ->running on a CPU another vCPU held
        self.switch_mismatch = 0    # context_switch prev != who we had
        self.discarded = 0

    # -- helpers --
    @staticmethod
    def _get(table, cls, *key):
        """table's cls(*key), made and kept there the first time."""
        k = key if len(key) > 1 else key[0]
        obj = table.get(k)
        if obj is None:
            obj = table[k] = cls(*key)
        return obj

    def pcpu(self, cpu):
        return self._get(self.pcpus, Pcpu, cpu)

    def vcpu_of(self, dom, vcpu):
        return self._get(self.vcpus, Vcpu, dom, vcpu)

    def domain(self, dom):
        return self._get(self.domains, Domain, dom)

    def seen(self, dom, ts):
        d = self.domain(dom)
        if d.first_ts is None:
            d.first_ts = ts
        d.last_ts = ts

    def set_cur(self, p, ts, who):
        if p.cur == who and p.since is not None:
            return
        if p.since is not None:
            p.segments.append((p.since, ts, p.cur))
        p.cur, p.since = who, ts

    def end_state(self, v, ts, kind):
        if v.state is not None and v.since is not None:
            pcpu = v.last_pcpu if v.state == RUNNING else None
            v.timeline.append((v.since, ts, v.state, v.came_from, pcpu,
                               kind, v.begin))

    def close_exit(self, v, ts):
        ex_ts, reason, ops, io = v.exit
        v.exit = None
        if ts < ex_ts:
            return
        d = ts - ex_ts
        self.exit_time[(v.dom, v.vcpu, reason)].append(d)
        for op in ops:
            self.hcall_time[(v.dom, v.vcpu, op)].append(d)
        for kind, addr in io:
            self.hvm_io_time[(v.dom, kind, addr)].append(d)

    # -- input --
    def begin_cpu(self, cpu, ts):
        p = self.pcpu(cpu)
        if p.first_ts is None:
            p.first_ts = ts
            p.since = ts

    def discarded_events(self, cpu, count, begin, end):
        """COUNT events of CPU were lost between ticks BEGIN and END: what
        they said is unknown.  The CPU's context is unknown until its next
        context switch; so is the state of the vCPU running there, and of
        every vCPU not running on another CPU (one of the lost events may
        have woken, blocked or scheduled it) until its next run state
        change.  From BEGIN, the earliest the loss can have started."""
        p = self.pcpu(cpu)
        p.discarded += count
        self.discarded += count
        ts = begin if begin is not None else end
        if ts is None:
            ts = p.last_ts
        if ts is None:
            return
        running_elsewhere = {q.cur for q in self.pcpus.values()
                             if q is not p and q.cur is not None}
        for v in self.vcpus.values():
            if v.key() in running_elsewhere or v.state is None:
                continue
            self.end_state(v, max(ts, v.since), "discarded")
            v.state = v.since = None
            v.exit = None
        if p.since is not None:
            self.set_cur(p, max(ts, p.since), None)

    def event(self, cpu, ts, name, f):
        """One event: CPU, TS (clock ticks), NAME, F (its fields the
        model asked for in FIELDS, by name)."""
        p = self.pcpus.get(cpu) or self.pcpu(cpu)
        if p.first_ts is None:
            p.first_ts = p.since = ts
        p.last_ts = ts
        p.events += 1
        if self.first_ts is None:
            self.first_ts = ts
        self.last_ts = ts
        cur = p.cur
        self.names_seen[name] += 1
        if cur is None:
            p.unknown_events += 1
            self.unknown_by_name[name] += 1
            self.events[(None, cpu, name)] += 1
        else:
            self.events[(cur[0], cur[1], name)] += 1
        h = HANDLERS.get(name)
        if h is not None:
            h(self, p, ts, cur, f)

    def finish(self):
        """End of the trace: close what is still open.  A CPU's context,
        and the vCPU running there, last until the CPU's last event; a
        vCPU in another state keeps it until the trace's last event."""
        end = self.last_ts
        if end is None:
            return
        for p in self.pcpus.values():
            if p.since is not None and p.last_ts is not None:
                p.segments.append((p.since, p.last_ts, p.cur))
                p.since = None
        for v in self.vcpus.values():
            if v.state == RUNNING and v.last_pcpu in self.pcpus:
                last = self.pcpus[v.last_pcpu].last_ts
                self.end_state(v, max(last, v.since), "end")
            else:
                self.end_state(v, end, "end")

    # -- handlers --
    def on_switch(self, p, ts, cur, f):
        p.switches += 1
        prev = (f["prev_domain"], f["prev_unit"])
        nxt = (f["next_domain"], f["next_unit"])
        if cur is not None and cur != prev:
            self.switch_mismatch += 1
        self.seen(nxt[0], ts)
        self.set_cur(p, ts, nxt)

    def on_runstate(self, p, ts, cur, f):
        dom, vid = f["domain"], f["vcpu"]
        old, new = f["old_state"], f["new_state"]
        v = self.vcpus.get((dom, vid)) or self.vcpu_of(dom, vid)
        self.seen(dom, ts)
        if v.first_ts is None:
            v.first_ts = ts
        if v.state is not None:
            if v.state == old:
                self.end_state(v, ts, "change")
            else:
                v.mismatches += 1
                self.end_state(v, ts, "mismatch")
        if v.exit is not None and new == RUNNABLE:
            # The exit's handling ends when the vCPU is made runnable: the
            # time it then waits for a CPU is contention, not handling.
            self.close_exit(v, ts)
        if new == RUNNING:
            v.runs += 1
            if v.last_pcpu is not None and v.last_pcpu != p.cpu:
                v.migrations += 1
            v.last_pcpu = p.cpu
            if (v.state == RUNNABLE and v.came_from in (BLOCKED, OFFLINE)
                    and v.since is not None):
                v.wake_latency.append(ts - v.since)
            if cur != (dom, vid):
                # No context switch to it on this CPU was recorded.
                if cur is not None:
                    self.running_mismatch += 1
                self.set_cur(p, ts, (dom, vid))
        v.came_from = old
        v.state, v.since, v.begin = new, ts, "change"

    def on_continue(self, p, ts, cur, f):
        """The scheduler kept (domain, vcpu) on this CPU for a new slice."""
        key = (f["domain"], f["vcpu"])
        v = self.vcpus.get(key) or self.vcpu_of(*key)
        self.seen(key[0], ts)
        if v.first_ts is None:
            v.first_ts = ts
        if cur != key:
            if cur is not None:
                self.running_mismatch += 1
            self.set_cur(p, ts, key)
        if v.state == RUNNING:
            self.end_state(v, ts, "continue")
            begin = "continue"
        elif v.state is None:
            begin = "continue-first"
        else:
            v.mismatches += 1
            self.end_state(v, ts, "mismatch")
            begin = "continue-first"
        v.last_pcpu = p.cpu
        v.came_from = RUNNING
        v.state, v.since, v.begin = RUNNING, ts, begin

    def on_dom_add(self, p, ts, cur, f):
        # dom0op:dom_add and sched:dom_add both mark one creation: a
        # second add is a new creation only after a destruction.
        d = self.domain(f["domain"])
        if not d.created or (d.destroyed and
                             d.destroyed[-1] >= d.created[-1]):
            d.created.append(ts)

    def on_dom_rem(self, p, ts, cur, f):
        d = self.domain(f["domain"])
        if not d.destroyed or (d.created and
                               d.created[-1] > d.destroyed[-1]):
            d.destroyed.append(ts)
        # Its vCPUs are gone: their last state ends here, not at the end
        # of the trace.
        for v in self.vcpus.values():
            if v.dom == d.dom and v.state is not None:
                self.end_state(v, max(ts, v.since), "destroyed")
                v.state = v.since = None
                v.exit = None

    def on_name(self, p, ts, cur, f):
        d = self.domain(f["domain"])
        if not d.names or d.names[-1][1] != f["name"]:
            d.names.append((ts, f["name"]))

    def on_hypercall(self, p, ts, cur, f):
        op, label = f["op"]
        self.hcall_names.setdefault(op, label)
        key = cur if cur is not None else (None, p.cpu)
        self.hcalls[(key[0], key[1], "pv", op)] += 1

    def on_trap(self, p, ts, cur, f):
        key = cur if cur is not None else (None, p.cpu)
        self.traps[(key[0], key[1], f["vector"])] += 1

    def on_vmexit(self, p, ts, cur, f):
        reason = f["exit_reason"]
        self.exit_reasons_seen.add(reason)
        if cur is None:
            return
        self.exits[(cur[0], cur[1], reason)] += 1
        v = self.vcpus.get(cur) or self.vcpu_of(*cur)
        if v.exit is not None:
            v.exits_unclosed += 1
        v.exit = [ts, reason, [], []]

    def on_vmentry(self, p, ts, cur, f):
        if cur is None:
            return
        v = self.vcpus.get(cur)
        if v is not None and v.exit is not None:
            self.close_exit(v, ts)

    def on_vmmcall(self, p, ts, cur, f):
        op, label = f["op"]
        self.hcall_names.setdefault(op, label)
        key = cur if cur is not None else (None, p.cpu)
        self.hcalls[(key[0], key[1], "hvm", op)] += 1
        v = self.vcpus.get(cur) if cur is not None else None
        if v is not None and v.exit is not None:
            v.exit[2].append(op)

    def on_hvm_io(self, p, ts, cur, f, kind, field):
        dom = cur[0] if cur is not None else None
        self.hvm_io[(dom, kind, f[field])] += 1
        v = self.vcpus.get(cur) if cur is not None else None
        if v is not None and v.exit is not None:
            v.exit[3].append((kind, f[field]))

    def on_intr(self, p, ts, cur, f, name):
        dom = cur[0] if cur is not None else None
        vec = f["vector"]
        for x in (vec if isinstance(vec, list) else [vec]):
            self.guest_intr[(dom, name, x)] += 1

    def on_irq(self, p, ts, cur, f):
        self.irqs[f["irq"]].append((f["tsc_out"] - f["tsc_in"]) & 0xffffffff)

    def on_irq_vector(self, p, ts, cur, f):
        self.irq_vector[f["irq"]] = f["vector"]

    def on_unmapped(self, p, ts, cur, f):
        self.unmapped_vectors[f["vector"]] += 1

    def on_xt_unknown(self, p, ts, cur, f):
        self.xentrace_unknown[f["xentrace_id"]] += 1


HANDLERS = {
    "sched:context_switch": Model.on_switch,
    "sched:runstate_change": Model.on_runstate,
    "sched:continue_running": Model.on_continue,
    "sched:dom_add": Model.on_dom_add,
    "dom0op:dom_add": Model.on_dom_add,
    "sched:dom_rem": Model.on_dom_rem,
    "dom0op:dom_rem": Model.on_dom_rem,
    "dom0op:domain_name": Model.on_name,
    "pv:hypercall": Model.on_hypercall,
    "pv:hypercall_subcall": Model.on_hypercall,
    "pv:trap": Model.on_trap,
    "hvm:vmexit": Model.on_vmexit,
    "hvm:vmentry": Model.on_vmentry,
    "hvm:vmmcall": Model.on_vmmcall,
    "hvm:ioport_read": lambda m, p, t, c, f: m.on_hvm_io(p, t, c, f, "pio_read", "port"),
    "hvm:ioport_write": lambda m, p, t, c, f: m.on_hvm_io(p, t, c, f, "pio_write", "port"),
    "hvm:iomem_read": lambda m, p, t, c, f: m.on_hvm_io(p, t, c, f, "mmio_read", "gpa"),
    "hvm:iomem_write": lambda m, p, t, c, f: m.on_hvm_io(p, t, c, f, "mmio_write", "gpa"),
    "hvm:intr": lambda m, p, t, c, f: m.on_intr(p, t, c, f, "hvm:intr"),
    "hvm:inj_virq": lambda m, p, t, c, f: m.on_intr(p, t, c, f, "hvm:inj_virq"),
    "hw:irq_handled": Model.on_irq,
    "hw:irq_assign_vector": Model.on_irq_vector,
    "hw:irq_bind_vector": Model.on_irq_vector,
    "hw:irq_unmapped_vector": Model.on_unmapped,
    "gen:unknown": Model.on_xt_unknown,
}
assert set(HANDLERS) == set(FIELDS)
