#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check a trace of the real hypervisor, recorded in dom0 under QEMU.

  check-trace.py TRACEDIR --stop STOP.OUT --cpus N
                 [--dom0-window START STOP] [--host-window START STOP]
                 [--domains 0,32767] [--domu ID] [--summary OUT.md]
                 [--require EVENT[,FIELD=VALUE...]:MIN ...]
                 [--domain-name ID=NAME ...]
                 [--hvm-domu ID ... --require-hvm EVENT:MIN ...]

Read with babeltrace2's Python bindings (bt2):
  - a stream for each CPU 0..N-1, each with events;
  - sched:runstate_change and sched:context_switch events;
  - fields that make sense: domain ids among --domains (dom0 and the
    idle domain when no guest runs), vCPU and unit ids < N, physical CPU
    fields < N;
  - per stream, timestamps that never go backwards;
  - the wall-clock time of every event inside the run's windows (Unix
    seconds): --dom0-window, dom0's CLOCK_REALTIME before `lttctl-xen
    start` and after `stop`, within 0.5 s; --host-window, the host's
    clock around the whole QEMU run, within 2 s (see TOLERANCES);
  - with --domu ID (a PV guest the workload created and destroyed; add
    it to --domains): dom0op:dom_add and dom0op:dom_rem for it, its
    vCPU's sched:runstate_change events, context switches to it, and
    pv:hypercall events on a CPU while it runs there;
  - with --domain-name ID=NAME (repeatable): a dom0op:domain_name event
    binding domain ID to NAME (lttd-xen read it from xenstore), and, for
    the --domu and the --hvm-domu, inside its life: after its dom0op:dom_add and before its
    dom0op:dom_rem, on the hypervisor's clock;
  - with --hvm-domu ID (repeatable: an HVM or PVH guest the workload
    created and destroyed; add it to --domains): dom0op:dom_add and
    dom0op:dom_rem for it, its vCPU's sched:runstate_change events,
    context switches to it, and for each --require-hvm EVENT:MIN
    (repeatable), at least MIN events EVENT on a CPU while it ran there
    (hvm:vmexit:1000: VM exits of that guest, not of another domain);
  - with --require (repeatable), at least MIN events named EVENT whose
    integer fields have the given values (pv:trap,vector=6:50: the
    workload's 50 #UD traps; hw:irq_handled:1);
  - with --evtchn, every evtchn:send (Xen's record of an event-channel
    notification) checked: the sending domain is the one running on the
    CPU; the notified domain is alive (a domU of this run between its
    dom0op:dom_add and dom0op:dom_rem); a PV sender (dom0, --domu) is
    inside a hypercall: the CPU's latest pv:hypercall or
    pv:hypercall_subcall since it switched to the sender is
    event_channel_op; a channel seen from both ends names the same two
    ports from each (A:p -> B:q, then B:q -> A:p); and at least one such
    channel is seen;
  - no discarded events, no lost packets;
  - for each CPU, the hypervisor's own count (the table `lttctl-xen stop`
    prints: produced, discarded, lost) equals the events read plus the
    events babeltrace2 reports discarded, and nothing was lost.
Prints events per type and per CPU.
"""
import argparse
import collections
import re
import sys

import bt2

# The trace's clock is put on the Unix epoch by lttd-xen in dom0: it
# reads rdtsc, CLOCK_REALTIME, rdtsc, keeping the tightest bracket (a few
# microseconds), and babeltrace2 turns ticks into time with the
# hypervisor's calibrated tsc_hz.  Against dom0's own clock the error is
# then the rate error of that calibration times the distance from the
# measurement (a few seconds here; Xen calibrates against the emulated
# PIT/HPET, and under QEMU TCG its rate follows the host's TSC while the
# PIT follows the host's clock: 1% would be 50 ms over 5 s), plus dom0's
# NTP-less clock slewing nothing: 0.5 s covers it with room.
DOM0_TOLERANCE = 0.5
# dom0's CLOCK_REALTIME itself comes from Xen's wall clock, which Xen
# sets at boot from the emulated CMOS RTC: whole seconds, so dom0 runs up
# to 1 s behind the host's clock; and the host's window is taken around
# the QEMU process.  2 s covers the RTC's second and the rate error.
HOST_TOLERANCE = 2.0
# public/xen.h: __HYPERVISOR_event_channel_op (pv.xml's hypercall enum).
EVENT_CHANNEL_OP = 32

DOMAIN_FIELDS = re.compile(r"^(.*_)?domain$|^domid$")
VCPU_FIELDS = re.compile(r"^(.*_)?(vcpu|unit)$")
PCPU_FIELDS = re.compile(r"^(.*_)?cpu$")


def parse_stop(path):
    """{cpu: (produced, discarded, lost)} from lttctl-xen stop's table."""
    rows = {}
    in_table = False
    for line in open(path):
        words = line.split()
        if words[:4] == ["CPU", "produced", "discarded", "lost"]:
            in_table = True
            continue
        if in_table and len(words) >= 4 and words[0].isdigit():
            rows[int(words[0])] = tuple(int(w) for w in words[1:4])
    if not rows:
        raise SystemExit("FAIL: no per-CPU counter table in %s" % path)
    return rows


def fields_of(payload):
    """(name, int value) of the integer members of an event's payload."""
    for name in payload:
        f = payload[name]
        if isinstance(f, bt2._IntegerFieldConst):
            yield name.lstrip("_"), int(f)


class Trace:
    def __init__(self, tracedir, domains, nr_cpus, requires=(), watched=(),
                 evtchn=None):
        self.requires = requires                   # [(spec, name, {f: v}, min)]
        # --evtchn: the domUs and which of them are PV, or None
        self.evtchn = evtchn
        self.last_call = {}                        # cpu: latest PV (sub)call op
        self.peer = {}                             # (dom, port): (dom, port)
        self.evtchn_seen = collections.Counter()   # what the checks saw
        # domain: Counter of the events on a CPU while it ran there
        self.watched = set(watched)
        self.while_running = collections.defaultdict(collections.Counter)
        self.required = collections.Counter()      # spec: matching events
        self.events = collections.Counter()        # (cpu, name)
        self.discarded = collections.Counter()     # cpu
        self.first_ns, self.last_ns = {}, {}       # cpu: ns from origin (ticks while reading)
        self.bad = []
        self.lost_packets = 0
        # domain: Counter of what was seen for it (see note_domain)
        self.per_domain = collections.defaultdict(collections.Counter)
        self.running = {}                          # cpu: domain
        self.names = collections.defaultdict(list)  # (domain, name): [ns]
        self.life = collections.defaultdict(dict)   # domain: {event: ns}
        stream_cpu, last_ts = {}, {}
        self.classes = {}       # event class id: (name, checked int fields)
        self.clock = None
        for msg in bt2.TraceCollectionMessageIterator(tracedir):
            if isinstance(msg, bt2._EventMessageConst):
                self.event(msg, domains, nr_cpus, last_ts, stream_cpu)
            elif isinstance(msg, bt2._PacketBeginningMessageConst):
                cpu = int(msg.packet.context_field["cpu_id"])
                sid = msg.packet.stream.addr
                if stream_cpu.setdefault(sid, cpu) != cpu:
                    self.fail("a stream changed CPU: %d then %d"
                              % (stream_cpu[sid], cpu))
            elif isinstance(msg, bt2._DiscardedEventsMessageConst):
                self.discarded[stream_cpu[msg.stream.addr]] += \
                    msg.count or 0
            elif isinstance(msg, bt2._DiscardedPacketsMessageConst):
                self.lost_packets += msg.count or 1
        # Ticks to wall-clock nanoseconds, once per CPU.
        for d in (self.first_ns, self.last_ns):
            for cpu, tick in d.items():
                d[cpu] = self.clock.cycles_to_ns_from_origin(tick)

    def note_domain(self, cpu, name, p):
        """What each domain did: created, destroyed, run state changes,
        switched in, hypercalls while it ran (the domain a CPU last
        switched to)."""
        if cpu in self.running and self.running[cpu] in self.watched:
            self.while_running[self.running[cpu]][name] += 1
        if name not in ("sched:context_switch", "dom0op:dom_add",
                        "dom0op:dom_rem", "sched:runstate_change",
                        "pv:hypercall", "pv:hypercall_subcall"):
            return
        p = dict(fields_of(p))
        if name in ("pv:hypercall", "pv:hypercall_subcall"):
            self.last_call[cpu] = p["op"]
            if name == "pv:hypercall_subcall":
                return
        if name == "sched:context_switch":
            d = int(p["next_domain"])
            self.running[cpu] = d
            self.last_call.pop(cpu, None)
            self.per_domain[d]["switched in"] += 1
        elif name in ("dom0op:dom_add", "dom0op:dom_rem"):
            self.per_domain[int(p["domain"])][name] += 1
        elif name == "sched:runstate_change":
            self.per_domain[int(p["domain"])][name] += 1
        elif name == "pv:hypercall" and cpu in self.running:
            self.per_domain[self.running[cpu]]["pv:hypercall"] += 1

    def check_evtchn(self, cpu, p):
        """One evtchn:send against what the trace says around it."""
        seen = self.evtchn_seen
        seen["sends"] += 1
        dom, port = p["domain"], p["port"]
        rdom, rport = p["remote_domain"], p["remote_port"]
        what = "CPU %d: evtchn:send %d:%d -> %d:%d" % (cpu, dom, port, rdom,
                                                      rport)
        if (dom, port) == (rdom, rport):
            seen["IPI"] += 1
        running = self.running.get(cpu)
        if running is None:
            seen["sender not known (no context switch yet)"] += 1
        elif running != dom:
            self.fail("%s: sent while domain %d runs there" % (what, running))
        elif dom in self.evtchn["pv"]:
            op = self.last_call.get(cpu)
            if op is None:
                seen["PV sender, no hypercall since its switch"] += 1
            elif op != EVENT_CHANNEL_OP:
                self.fail("%s: not inside event_channel_op: the last PV "
                          "hypercall on the CPU is op %d" % (what, op))
            else:
                seen["inside a PV event_channel_op"] += 1
        life = self.life.get(rdom, {})
        if "dom0op:dom_rem" in life or (rdom in self.evtchn["domus"] and
                                        "dom0op:dom_add" not in life):
            self.fail("%s: domain %d is not alive" % (what, rdom))
        if (dom, port) != (rdom, rport):
            # The port's last send from the other end named this one.  A
            # port a dead domain's channel used is bound again for the
            # next domU's: only a peer in the same domain must agree.
            back = self.peer.get((rdom, rport))
            if back == (dom, port):
                seen["interdomain, seen from both ends"] += 1
            elif back is not None and back[0] == dom:
                self.fail("%s: but %d:%d sent to %d:%d" % (
                    what, rdom, rport, back[0], back[1]))
            self.peer[(dom, port)] = (rdom, rport)

    def fail(self, what):
        if len(self.bad) < 20:
            self.bad.append(what)
        elif len(self.bad) == 20:
            self.bad.append("(more failures not shown)")

    def checked_fields(self, cls):
        """(name, [(clean name, trace name, check)]) of an event class:
        its integer fields whose names say they hold a domain, a vCPU or
        a physical CPU, found once per class."""
        checks = []
        pfc = cls.payload_field_class
        for k in (pfc.keys() if pfc is not None else ()):
            if not isinstance(pfc[k].field_class,
                              bt2._IntegerFieldClassConst):
                continue
            name = k.lstrip("_")
            for check, rx in (("domain", DOMAIN_FIELDS),
                              ("vcpu", VCPU_FIELDS), ("pcpu", PCPU_FIELDS)):
                if rx.match(name):
                    checks.append((name, k, check))
                    break
        return cls.name, checks

    def event(self, msg, domains, nr_cpus, last_ts, stream_cpu):
        ev = msg.event
        snap = msg.default_clock_snapshot
        if self.clock is None:
            self.clock = snap.clock_class
        spec = self.classes.get(ev.cls.id)
        if spec is None:
            spec = self.classes[ev.cls.id] = self.checked_fields(ev.cls)
        evname, checks = spec
        sid = ev.stream.addr
        cpu = stream_cpu.get(sid)
        if cpu is None:
            cpu = stream_cpu[sid] = int(ev.packet.context_field["cpu_id"])
        ts = snap.value
        if ts < last_ts.get(cpu, 0):
            self.fail("CPU %d: %s at tick %d, before the previous event "
                      "(tick %d)" % (cpu, evname, ts, last_ts[cpu]))
        last_ts[cpu] = ts
        self.first_ns.setdefault(cpu, ts)
        self.last_ns[cpu] = ts
        self.events[(cpu, evname)] += 1
        payload = ev.payload_field
        if payload is None:
            return
        self.note_domain(cpu, evname, payload)
        if evname == "evtchn:send" and self.evtchn is not None:
            self.check_evtchn(cpu, dict(fields_of(payload)))
        if evname in ("dom0op:dom_add", "dom0op:dom_rem"):
            d = dict(fields_of(payload))["domain"]
            self.life[d].setdefault(evname, snap.ns_from_origin)
        elif evname == "dom0op:domain_name":
            p = {k.lstrip("_"): v for k, v in payload.items()}
            self.names[(int(p["domain"]), str(p["name"]))].append(
                snap.ns_from_origin)
        for spec, name, want, _ in self.requires:
            if name == evname:
                got = dict(fields_of(payload))
                if all(got.get(f) == v for f, v in want.items()):
                    self.required[spec] += 1
        for name, tname, check in checks:
            v = int(payload[tname])
            if check == "domain" and v not in domains:
                self.fail("CPU %d: %s: %s = %d, not a domain of this run "
                          "(%s)" % (cpu, evname, name, v,
                                    ", ".join(map(str, sorted(domains)))))
            elif check == "vcpu" and v >= nr_cpus:
                self.fail("CPU %d: %s: %s = %d, no domain here has that "
                          "many vCPUs (%d)" % (cpu, evname, name, v,
                                              nr_cpus))
            elif check == "pcpu" and v >= nr_cpus:
                self.fail("CPU %d: %s: %s = %d, the machine has %d CPUs"
                          % (cpu, evname, name, v, nr_cpus))


def window(name, trace, start, stop, tolerance):
    lo = min(trace.first_ns.values()) / 1e9
    hi = max(trace.last_ns.values()) / 1e9
    ok = lo >= start - tolerance and hi <= stop + tolerance
    print("%s %s window [%.6f, %.6f] (%.1f s), events [%.6f, %.6f]: "
          "first %+.3f s after its start, last %+.3f s before its end "
          "(tolerance %.1f s)" % ("ok  " if ok else "FAIL", name, start,
                                  stop, stop - start, lo, hi, lo - start,
                                  stop - hi, tolerance))
    return ok


def parse_require(spec):
    """EVENT[,FIELD=VALUE...]:MIN -> (spec, EVENT, {FIELD: VALUE}, MIN)."""
    try:
        what, n = spec.rsplit(":", 1)
        name, *conds = what.split(",")
        want = {}
        for c in conds:
            f, v = c.split("=", 1)
            want[f] = int(v, 0)
        return spec, name, want, int(n)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "%r: expected EVENT[,FIELD=VALUE...]:MIN" % spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tracedir")
    ap.add_argument("--stop", required=True)
    ap.add_argument("--cpus", type=int, required=True)
    ap.add_argument("--dom0-window", type=float, nargs=2)
    ap.add_argument("--host-window", type=float, nargs=2)
    ap.add_argument("--domains", default="0,32767")
    ap.add_argument("--domu", type=int)
    ap.add_argument("--domain-name", action="append", default=[],
                    metavar="ID=NAME")
    ap.add_argument("--summary")
    ap.add_argument("--require", type=parse_require, action="append",
                    default=[])
    ap.add_argument("--hvm-domu", type=int, action="append", default=[])
    ap.add_argument("--require-hvm", type=parse_require, action="append",
                    default=[], metavar="EVENT:MIN")
    ap.add_argument("--evtchn", action="store_true")
    args = ap.parse_args()
    domains = {int(d) for d in args.domains.split(",")}
    domus = set(args.hvm_domu)
    pv = {0}
    if args.domu is not None:
        domus.add(args.domu)
        pv.add(args.domu)

    t = Trace(args.tracedir, domains, args.cpus, args.require,
              args.hvm_domu,
              {"domus": domus, "pv": pv} if args.evtchn else None)
    counters = parse_stop(args.stop)
    bad = list(t.bad)

    per_cpu = collections.Counter()
    per_type = collections.Counter()
    for (cpu, name), n in t.events.items():
        per_cpu[cpu] += n
        per_type[name] += n
    cpus = list(range(args.cpus))

    lines = ["| event | " + " | ".join("CPU %d" % c for c in cpus) +
             " | all |", "|---|" + "---:|" * (len(cpus) + 1)]
    for name in sorted(per_type, key=lambda n: (-per_type[n], n)):
        lines.append("| %s | " % name + " | ".join(
            str(t.events[(c, name)]) for c in cpus) +
            " | %d |" % per_type[name])
    lines.append("| **all** | " + " | ".join(str(per_cpu[c]) for c in cpus)
                 + " | %d |" % sum(per_cpu.values()))
    table = "\n".join(lines)
    print(table)
    if args.summary:
        with open(args.summary, "w") as f:
            f.write(table + "\n")

    if sorted(per_cpu) != cpus:
        bad.append("events from CPUs %s, expected every one of %s"
                   % (sorted(per_cpu), cpus))
    for want in ("sched:runstate_change", "sched:context_switch"):
        if not per_type[want]:
            bad.append("no %s event" % want)
    if not any(n.startswith("sched:") for n in per_type):
        bad.append("no sched:* event")
    if args.domu is not None:
        seen = t.per_domain[args.domu]
        what = ("dom0op:dom_add", "dom0op:dom_rem", "sched:runstate_change",
                "switched in", "pv:hypercall")
        print("domain %d: %s" % (args.domu, ", ".join(
            "%s %d" % (w, seen[w]) for w in what)))
        if args.domu not in domains:
            bad.append("--domu %d is not among --domains" % args.domu)
        for w in what:
            if not seen[w]:
                bad.append("domain %d (the domU): no %s" % (args.domu, w))
    for d in args.hvm_domu:
        seen = t.per_domain[d]
        what = ("dom0op:dom_add", "dom0op:dom_rem", "sched:runstate_change",
                "switched in")
        print("domain %d (HVM): %s" % (d, ", ".join(
            "%s %d" % (w, seen[w]) for w in what)))
        if d not in domains:
            bad.append("--hvm-domu %d is not among --domains" % d)
        for w in what:
            if not seen[w]:
                bad.append("domain %d (the HVM domU): no %s" % (d, w))
        ran = t.while_running[d]
        print("domain %d (HVM), events while it ran: %s" % (d, ", ".join(
            "%s %d" % (n, c) for n, c in sorted(
                ran.items(), key=lambda kv: (-kv[1], kv[0])))))
        for spec, name, want, n in args.require_hvm:
            got = ran[name]
            print("%s domain %d: %s: %d events while it ran (at least %d "
                  "wanted)" % ("ok  " if got >= n else "FAIL", d, name, got,
                               n))
            if got < n:
                bad.append("domain %d (the HVM domU): %d %s events while it "
                           "ran, expected at least %d" % (d, got, name, n))
    if t.names:
        print("domain names: " + ", ".join(
            "%d=%s (%d)" % (d, n, len(ts))
            for (d, n), ts in sorted(t.names.items())))
    for spec in args.domain_name:
        d, name = spec.split("=", 1)
        d = int(d)
        when = t.names.get((d, name), [])
        if not when:
            bad.append("no dom0op:domain_name binding domain %d to %r"
                       % (d, name))
            continue
        if d != args.domu and d not in args.hvm_domu:
            continue
        add, rem = t.life[d].get("dom0op:dom_add"), \
            t.life[d].get("dom0op:dom_rem")
        inside = [ns for ns in when if add is not None and rem is not None
                  and add <= ns <= rem]
        print("%s domain %d named %r %d times, %d of them between its "
              "dom_add and dom_rem" % ("ok  " if inside else "FAIL", d,
                                       name, len(when), len(inside)))
        if not inside:
            bad.append("domain %d: its name %r is not recorded between its "
                       "creation and its destruction" % (d, name))
    for spec, name, want, n in args.require:
        got = t.required[spec]
        print("%s %s: %d events (at least %d wanted)"
              % ("ok  " if got >= n else "FAIL", spec, got, n))
        if got < n:
            bad.append("%d %s events%s, expected at least %d"
                       % (got, name, "".join(" with %s = %d" % fv for fv
                                             in want.items()), n))
    if args.evtchn:
        seen = t.evtchn_seen
        print("evtchn:send: %s" % ", ".join(
            "%s %d" % kv for kv in sorted(seen.items())))
        if not seen["interdomain, seen from both ends"]:
            bad.append("evtchn:send: no channel seen from both ends")
    if t.lost_packets:
        bad.append("babeltrace2 reports %d lost packets" % t.lost_packets)
    for cpu in cpus:
        produced, discarded, lost = counters.get(cpu, (None, None, None))
        read, bt_disc = per_cpu[cpu], t.discarded[cpu]
        ok = produced is not None and produced + discarded == \
            read + bt_disc and discarded == 0 and lost == 0 and \
            bt_disc == 0
        print("%s CPU %d: the hypervisor recorded %s, discarded %s, lost "
              "%s; the trace has %d events, %d discarded"
              % ("ok  " if ok else "FAIL", cpu, produced, discarded, lost,
                 read, bt_disc))
        if not ok:
            bad.append("CPU %d: the hypervisor's counts do not match the "
                       "trace, or events were lost" % cpu)
    if per_cpu:
        if args.dom0_window and not window("dom0", t, *args.dom0_window,
                                           DOM0_TOLERANCE):
            bad.append("events outside dom0's wall-clock window")
        if args.host_window and not window("host", t, *args.host_window,
                                           HOST_TOLERANCE):
            bad.append("events outside the host's wall-clock window")
    for b in bad:
        print("FAIL: " + b)
    if bad:
        return 1
    print("ok: %d events from %d CPUs, %d event types; timestamps "
          "monotonic per stream; fields in range; nothing discarded"
          % (sum(per_cpu.values()), len(per_cpu), len(per_type)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
