# SPDX-License-Identifier: GPL-2.0-only
"""The figures, as tables: the same rows go to the text report and to the
CSV files (one file per table), so the two never disagree.

Times: clock ticks are turned into nanoseconds with the trace clock's
frequency; "_s" columns are seconds from the trace's first event.
Percentiles are nearest-rank: the p-th percentile of n sorted samples is
the ceil(p/100 * n)-th (so the median of 4 samples is the 2nd, and p99 of
fewer than 100 samples is the largest).
"""
import collections
import csv
import math
import os

from lxa_model import (FAULTS, EMULATIONS, HANDLERS, IDLE_DOMAIN, STATES,
                       RUNNING, RUNNABLE, BLOCKED, OFFLINE)
import lxa_names


def pct(sorted_vals, p):
    if not sorted_vals:
        return None
    k = max(0, math.ceil(p / 100.0 * len(sorted_vals)) - 1)
    return sorted_vals[k]


class Table:
    """NAME (the CSV file's stem), TITLE, COLUMNS, ROWS; TEXT: the columns
    the text report shows (default: all); NOTE: a line under it."""

    def __init__(self, name, title, columns, rows, text=None, note=None):
        self.name, self.title, self.columns = name, title, columns
        self.rows, self.text, self.note = rows, text or columns, note


class Report:
    def __init__(self, model, freq, origin=None, source=None,
                 interval=None, hvm_vendor="auto", env=None):
        self.m = model
        self.freq = float(freq or 1e9)
        self.origin = origin
        self.source = source
        self.interval = interval
        self.env = env or {}
        self.t0 = model.first_ts or 0
        self.t1 = model.last_ts or 0
        self.vendor = self.exit_vendor(hvm_vendor)
        self.cpu_time = self.pcpu_time()

    # -- conversions --
    def ns(self, ticks):
        return ticks * 1e9 / self.freq

    def sec(self, tick):
        return (tick - self.t0) / self.freq

    def duration_s(self):
        return (self.t1 - self.t0) / self.freq

    def dom_name(self, dom):
        if dom is None:
            return "(unknown)"
        if dom == IDLE_DOMAIN:
            return "(idle)"
        d = self.m.domains.get(dom)
        if d is not None and d.names:
            return d.names[-1][1]
        return ""

    def exit_vendor(self, want):
        if want in ("svm", "vmx"):
            return want
        seen = self.m.exit_reasons_seen
        if seen and max(seen) > lxa_names.VMX_MAX:
            return "svm"
        return None

    def stats(self, ticks):
        """count, total ns, min, median, p99, max (ns) of TICKS."""
        s = sorted(ticks)
        if not s:
            return [0, 0, "", "", "", ""]
        return [len(s), round(self.ns(sum(s))), round(self.ns(s[0])),
                round(self.ns(pct(s, 50))), round(self.ns(pct(s, 99))),
                round(self.ns(s[-1]))]

    # -- accounting --
    def pcpu_time(self):
        """{domain or None: ticks on any CPU} from the CPUs' segments."""
        t = collections.Counter()
        for p in self.m.pcpus.values():
            for start, end, who in p.segments:
                t[who[0] if who is not None else None] += end - start
        return t

    def vcpu_totals(self, v):
        tot = [0] * 4
        n = [0] * 4
        unattr = 0
        for start, end, state, _, _, kind, begin in v.timeline:
            if kind == "mismatch":
                unattr += end - start
                continue
            tot[state] += end - start
            # A new slice of a running vCPU continues its interval.
            if begin != "continue":
                n[state] += 1
        return tot, n, unattr

    # -- tables --
    def tables(self):
        out = [self.t_summary(), self.t_domains(), self.t_lifecycle(),
               self.t_pcpus(), self.t_vcpus(), self.t_sched(),
               self.t_hypercalls(), self.t_traps(), self.t_irqs(),
               self.t_faults(), self.t_vmexits(), self.t_hvm_io(),
               self.t_guest_intr(), self.t_unknown(), self.t_events()]
        if self.interval:
            out += self.t_intervals()
        return out

    def t_summary(self):
        m = self.m
        cov = sum(self.cpu_time.values())
        rows = [("trace", self.source or ""),
                ("clock", "%s Hz" % ("%.0f" % self.freq)),
                ("duration_s", "%.6f" % self.duration_s()),
                ("cpus", len(m.pcpus)),
                ("events", sum(p.events for p in m.pcpus.values())),
                ("event_types", len(m.names_seen)),
                ("event_types_analysed", len(set(m.names_seen) &
                                             (set(HANDLERS) | set(FAULTS) |
                                              set(EMULATIONS)))),
                ("events_unknown_context",
                 sum(p.unknown_events for p in m.pcpus.values())),
                ("cpu_time_unknown_context_s",
                 "%.6f" % (self.cpu_time.get(None, 0) / self.freq)),
                ("cpu_time_covered_s", "%.6f" % (cov / self.freq)),
                ("events_discarded", m.discarded),
                ("context_switches", sum(p.switches
                                         for p in m.pcpus.values())),
                ("switch_prev_mismatches", m.switch_mismatch),
                ("running_without_switch", m.running_mismatch),
                ("runstate_mismatches", sum(v.mismatches
                                            for v in m.vcpus.values())),
                ("hvm_exit_vendor", self.vendor or "unknown")]
        if self.origin:
            tick, ns = self.origin
            rows.insert(3, ("start_unix_s", "%.6f" % (
                (ns + (self.t0 - tick) * 1e9 / self.freq) / 1e9)))
        return Table("summary", "Trace", ["quantity", "value"],
                     [list(r) for r in rows])

    def t_domains(self):
        rows = []
        total = sum(self.cpu_time.values()) or 1
        doms = sorted(set(self.m.domains) | {d for d in self.cpu_time
                                             if d is not None},
                      key=lambda d: (d == IDLE_DOMAIN, d))
        for dom in doms + ([None] if None in self.cpu_time else []):
            d = self.m.domains.get(dom)
            t = self.cpu_time.get(dom, 0)
            nv = sum(1 for k in self.m.vcpus if k[0] == dom)
            rows.append([dom if dom is not None else "unknown",
                         self.dom_name(dom), nv,
                         "%.6f" % (t / self.freq),
                         "%.2f" % (100.0 * t / total),
                         "%.6f" % self.sec(d.created[0]) if d and d.created
                         else "",
                         "%.6f" % self.sec(d.destroyed[-1])
                         if d and d.destroyed else "", t])
        cols = ["domain", "name", "vcpus", "cpu_s", "cpu_share_pct",
                "created_s", "destroyed_s", "cpu_ticks"]
        return Table("domains", "Domains: CPU time (from the context "
                     "switches on every CPU) and share of the CPU time "
                     "traced", cols, rows, text=cols[:-1])

    def t_lifecycle(self):
        rows = []
        for dom, d in sorted(self.m.domains.items()):
            ev = [(t, "created", "") for t in d.created] + \
                 [(t, "destroyed", "") for t in d.destroyed] + \
                 [(t, "named", n) for t, n in d.names]
            for t, what, name in sorted(ev):
                rows.append([dom, what, "%.6f" % self.sec(t),
                             self.wall(t), name])
        return Table("lifecycle", "Domain lifecycle (dom0op:dom_add / "
                     "sched:dom_add, dom0op:domain_name, dom0op:dom_rem / "
                     "sched:dom_rem)", ["domain", "event", "time_s",
                                        "wall_clock", "name"], rows)

    def wall(self, tick):
        if not self.origin:
            return ""
        o_tick, o_ns = self.origin
        ns = o_ns + (tick - o_tick) * 1e9 / self.freq
        import time
        s = int(ns // 1e9)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + \
            ".%06dZ" % int((ns - s * 1e9) / 1e3)

    def t_pcpus(self):
        rows = []
        for cpu, p in sorted(self.m.pcpus.items()):
            busy = idle = unk = 0
            for start, end, who in p.segments:
                if who is None:
                    unk += end - start
                elif who[0] == IDLE_DOMAIN:
                    idle += end - start
                else:
                    busy += end - start
            rows.append([cpu, p.events, "%.6f" % self.sec(p.first_ts)
                         if p.first_ts is not None else "",
                         "%.6f" % self.sec(p.last_ts)
                         if p.last_ts is not None else "",
                         p.switches, "%.6f" % (busy / self.freq),
                         "%.6f" % (idle / self.freq),
                         "%.6f" % (unk / self.freq), p.unknown_events,
                         p.discarded, p.first_ts, p.last_ts, busy, idle,
                         unk])
        cols = ["cpu", "events", "first_s", "last_s", "context_switches",
                "guest_s", "idle_s", "unknown_s", "unknown_events",
                "discarded", "first_ticks", "last_ticks", "guest_ticks",
                "idle_ticks", "unknown_ticks"]
        return Table("pcpus", "Physical CPUs", cols, rows, text=cols[:-5])

    def t_vcpus(self):
        rows = []
        for key in sorted(self.m.vcpus):
            v = self.m.vcpus[key]
            tot, n, unattr = self.vcpu_totals(v)
            known = sum(tot) or 1
            rows.append([v.dom, v.vcpu, self.dom_name(v.dom)] +
                        ["%.6f" % (tot[s] / self.freq) for s in range(4)] +
                        ["%.2f" % (100.0 * tot[s] / known)
                         for s in range(4)] +
                        [n[s] for s in range(4)] +
                        [tot[s] for s in range(4)] +
                        ["%.6f" % (unattr / self.freq),
                         "%.6f" % self.sec(v.first_ts)
                         if v.first_ts is not None else ""])
        cols = (["domain", "vcpu", "name"] +
                ["%s_s" % s for s in STATES] +
                ["%s_pct" % s for s in STATES] +
                ["%s_intervals" % s for s in STATES] +
                ["%s_ticks" % s for s in STATES] +
                ["unattributed_s", "first_change_s"])
        return Table("vcpus", "vCPU run states (from sched:runstate_change; "
                     "from each vCPU's first change to the end of the trace)",
                     cols, rows,
                     text=["domain", "vcpu", "name"] +
                     ["%s_s" % s for s in STATES] +
                     ["%s_pct" % s for s in STATES] + ["unattributed_s"])

    def t_sched(self):
        rows = []
        for key in sorted(self.m.vcpus):
            v = self.m.vcpus[key]
            st = self.stats(v.wake_latency)
            rows.append([v.dom, v.vcpu, v.runs, v.migrations] + st[:1] +
                        [self.us(x) for x in st[2:]] + [v.mismatches])
        return Table("sched", "Scheduling per vCPU: times switched in, "
                     "migrations (switched in on another CPU than the last "
                     "time), wake-up-to-run latency (blocked or offline -> "
                     "runnable -> running), in microseconds",
                     ["domain", "vcpu", "switched_in", "migrations",
                      "wakeups", "wake_min_us", "wake_median_us",
                      "wake_p99_us", "wake_max_us", "runstate_mismatches"],
                     rows)

    @staticmethod
    def us(ns):
        return "" if ns == "" else "%.3f" % (ns / 1000.0)

    def t_hypercalls(self):
        """Per vCPU and op; for a domain of several vCPUs, also its total
        per op (vcpu "all")."""
        dur = self.duration_s() or 1
        rows = []
        keys = dict(self.m.hcalls)
        nv = collections.Counter(d for d, _ in self.m.vcpus)
        for (dom, vcpu, kind, op), n in self.m.hcalls.items():
            if dom is not None and nv[dom] > 1:
                k = (dom, "all", kind, op)
                keys[k] = keys.get(k, 0) + n

        def order(kv):
            (dom, vcpu, kind, op), n = kv
            return (dom is None, dom or 0, str(vcpu), kind, -n, op)

        for (dom, vcpu, kind, op), n in sorted(keys.items(), key=order):
            t = []
            if kind == "hvm":
                for (d, v, o), ticks in self.m.hcall_time.items():
                    if d == dom and o == op and vcpu in (v, "all"):
                        t.extend(ticks)
            st = self.stats(t)
            rows.append([dom if dom is not None else "unknown",
                         vcpu if dom is not None else "",
                         "" if dom is not None else vcpu, kind, op,
                         self.m.hcall_names.get(op, ""), n,
                         "%.1f" % (n / dur), st[0], sum(t)] +
                        [self.us(x) for x in st[2:]])
        cols = ["domain", "vcpu", "cpu", "kind", "op", "name", "count",
                "rate_per_s", "timed", "timed_total_ticks", "min_us",
                "median_us", "p99_us", "max_us"]
        return Table("hypercalls", "Hypercalls per vCPU and op, and per "
                     "domain (vcpu all) for domains of several vCPUs (pv: "
                     "pv:hypercall and pv:hypercall_subcall, entry only, no "
                     "duration; hvm: hvm:vmmcall, timed by its VM exit, "
                     "exit to entry), rate per second of trace; unknown: "
                     "per CPU", cols, rows,
                     text=[c for c in cols if c != "timed_total_ticks"])

    def t_traps(self):
        rows = [[d if d is not None else "unknown",
                 v if d is not None else "", "" if d is not None else v,
                 vec, n]
                for (d, v, vec), n in sorted(
                    self.m.traps.items(),
                    key=lambda kv: (kv[0][0] is None, kv[0][0] or 0,
                                    kv[0][1], kv[0][2]))]
        return Table("traps", "PV traps per vCPU and vector (pv:trap)",
                     ["domain", "vcpu", "cpu", "vector", "count"], rows)

    def t_irqs(self):
        dur = self.duration_s() or 1
        rows = []
        for irq, ticks in sorted(self.m.irqs.items()):
            st = self.stats(ticks)
            vec = self.m.irq_vector.get(irq)
            rows.append([irq, "0x%02x" % vec if vec is not None else "",
                         st[0], "%.1f" % (st[0] / dur)] +
                        [self.us(x) for x in st[2:]])
        for vec, n in sorted(self.m.unmapped_vectors.items()):
            rows.append(["unmapped", "0x%02x" % vec, n, "%.1f" % (n / dur),
                         "", "", "", ""])
        return Table("irqs", "Physical interrupts (hw:irq_handled: handling "
                     "time tsc_out - tsc_in; the vector where the trace "
                     "assigned one; hw:irq_unmapped_vector)",
                     ["irq", "vector", "count", "rate_per_s", "min_us",
                      "median_us", "p99_us", "max_us"], rows)

    def t_faults(self):
        per = collections.Counter()
        for (dom, _, name), n in self.m.events.items():
            if name in FAULTS or name in EMULATIONS:
                per[(dom, name)] += n
        rows = [[d if d is not None else "unknown",
                 "fault" if name in FAULTS else "emulation", name, n]
                for (d, name), n in sorted(per.items(), key=lambda kv: (
                    kv[0][0] is None, kv[0][0] or 0,
                    kv[0][1] in EMULATIONS, kv[0][1]))]
        return Table("faults", "Page faults and emulations per domain",
                     ["domain", "kind", "event", "count"], rows)

    def t_vmexits(self):
        rows = []
        keys = set(self.m.exits) | set(self.m.exit_time)
        for dom, vcpu, reason in sorted(keys, key=lambda k: (
                k[0], k[1], -self.m.exits[k], k[2])):
            ticks = self.m.exit_time.get((dom, vcpu, reason), [])
            st = self.stats(ticks)
            rows.append([dom, vcpu, "0x%x" % reason,
                         lxa_names.exit_reason_name(self.vendor, reason),
                         self.m.exits[(dom, vcpu, reason)], st[0],
                         "%.6f" % (st[1] / 1e9), sum(ticks)] +
                        [self.us(x) for x in st[2:]])
        return Table("vmexits", "HVM VM exits per vCPU and reason; handling "
                     "time from the exit to the vCPU's next VM entry (or to "
                     "its becoming runnable, if it was descheduled first)",
                     ["domain", "vcpu", "reason", "name", "exits", "timed",
                      "total_s", "total_ticks", "min_us", "median_us",
                      "p99_us", "max_us"], rows,
                     text=["domain", "vcpu", "reason", "name", "exits",
                           "timed", "total_s", "min_us", "median_us",
                           "p99_us", "max_us"])

    def t_hvm_io(self):
        rows = []
        for (d, kind, addr), n in sorted(
                self.m.hvm_io.items(), key=lambda kv: (
                    kv[0][0] is None, kv[0][0] or 0, kv[0][1], -kv[1],
                    kv[0][2])):
            t = self.m.hvm_io_time.get((d, kind, addr), [])
            rows.append([d if d is not None else "unknown", kind,
                         "0x%x" % addr, n, len(t), sum(t),
                         self.us(round(self.ns(sum(t) / len(t))))
                         if t else ""])
        return Table("hvm_io", "HVM I/O port and MMIO emulations per domain "
                     "and address (hvm:ioport_*, hvm:iomem_*); timed: by "
                     "the VM exit they were part of",
                     ["domain", "kind", "address", "count", "timed",
                      "total_ticks", "mean_us"], rows,
                     text=["domain", "kind", "address", "count", "timed",
                           "mean_us"])

    def t_guest_intr(self):
        rows = [[d if d is not None else "unknown", name, vec, n]
                for (d, name, vec), n in sorted(
                    self.m.guest_intr.items(), key=lambda kv: (
                        kv[0][0] is None, kv[0][0] or 0, kv[0][1],
                        kv[0][2]))]
        return Table("guest_interrupts", "Interrupts injected into HVM "
                     "guests per vector (hvm:intr, hvm:inj_virq)",
                     ["domain", "event", "vector", "count"], rows)

    def t_unknown(self):
        rows = []
        for name, n in sorted(self.m.unknown_by_name.items(),
                              key=lambda kv: (-kv[1], kv[0])):
            rows.append(["unknown_context", name, n])
        for xid, n in sorted(self.m.xentrace_unknown.items()):
            rows.append(["undeclared_xentrace_id", "0x%08x" % xid, n])
        return Table("unknown", "Not attributed: events on a CPU before its "
                     "first context switch (or after discarded events), "
                     "and xentrace records no facility declares "
                     "(gen:unknown)", ["what", "event", "count"], rows)

    def t_events(self):
        rows = []
        for (dom, vcpu, name), n in sorted(
                self.m.events.items(),
                key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, kv[0][1],
                                kv[0][2])):
            rows.append([dom if dom is not None else "unknown",
                         vcpu if dom is not None else "",
                         "" if dom is not None else vcpu, name, n])
        return Table("events", "Events per type and per running vCPU "
                     "(unknown: per CPU)", ["domain", "vcpu", "cpu",
                                             "event", "count"], rows)

    # -- intervals --
    def bins(self, width_s):
        w = max(1, int(round(width_s * self.freq)))
        n = max(1, -(-(self.t1 - self.t0) // w))
        return w, n

    def spread(self, acc, start, end, key, w, n):
        """Add [start, end) to acc[(bin, key)], split at bin edges."""
        t = start
        while t < end:
            b = min(n - 1, (t - self.t0) // w)
            edge = self.t0 + (b + 1) * w if b < n - 1 else end
            e = min(end, edge)
            acc[(b, key)] += e - t
            t = e

    def interval_cpu(self, width_s):
        w, n = self.bins(width_s)
        acc = collections.Counter()
        for p in self.m.pcpus.values():
            for start, end, who in p.segments:
                self.spread(acc, start, end, who[0] if who else None, w, n)
        return w, n, acc

    def interval_vcpu(self, width_s):
        w, n = self.bins(width_s)
        acc = collections.Counter()
        for v in self.m.vcpus.values():
            for start, end, state, _, _, kind, _ in v.timeline:
                if kind != "mismatch":
                    self.spread(acc, start, end, (v.dom, v.vcpu, state),
                                w, n)
        return w, n, acc

    def t_intervals(self):
        w, n, acc = self.interval_cpu(self.interval)
        doms = sorted({k for (_, k) in acc}, key=lambda d: (
            d is None, d == IDLE_DOMAIN, d or 0))
        rows = []
        for b in range(n):
            tot = sum(acc[(b, d)] for d in doms) or 1
            for d in doms:
                if acc[(b, d)]:
                    rows.append(["%.6f" % (b * w / self.freq),
                                 "%.6f" % (min((b + 1) * w, self.t1 - self.t0)
                                           / self.freq),
                                 d if d is not None else "unknown",
                                 self.dom_name(d),
                                 "%.6f" % (acc[(b, d)] / self.freq),
                                 "%.2f" % (100.0 * acc[(b, d)] / tot)])
        t1 = Table("interval_cpu", "CPU time per domain per interval of "
                   "%g s (share: of the CPU time traced in the interval)"
                   % self.interval, ["start_s", "end_s", "domain", "name",
                                     "cpu_s", "cpu_share_pct"], rows)
        w, n, acc = self.interval_vcpu(self.interval)
        rows = []
        for b in range(n):
            for key in sorted(self.m.vcpus):
                vals = [acc[(b, key + (s,))] for s in range(4)]
                if any(vals):
                    rows.append(["%.6f" % (b * w / self.freq),
                                 "%.6f" % (min((b + 1) * w, self.t1 - self.t0)
                                           / self.freq), key[0], key[1]] +
                                ["%.6f" % (x / self.freq) for x in vals])
        t2 = Table("interval_vcpu", "vCPU run states per interval of %g s"
                   % self.interval, ["start_s", "end_s", "domain", "vcpu"] +
                   ["%s_s" % s for s in STATES], rows)
        return [t1, t2]

    def timeline(self):
        """Every run-state interval of every vCPU (CSV only)."""
        rows = []
        for key in sorted(self.m.vcpus):
            v = self.m.vcpus[key]
            for start, end, state, frm, pcpu, kind, begin in v.timeline:
                rows.append([v.dom, v.vcpu, STATES[state],
                             STATES[frm] if frm is not None and frm < 4
                             else "", "" if pcpu is None else pcpu,
                             start, end, "%.9f" % self.sec(start),
                             round(self.ns(end - start)), begin, kind])
        return Table("timeline", "vCPU run-state intervals (begin: change, "
                     "continue: a new slice of a running vCPU, "
                     "continue-first: its first known state; end: change, "
                     "continue, end of the trace, mismatch, discarded, "
                     "destroyed)",
                     ["domain", "vcpu", "state", "from", "pcpu",
                      "start_ticks", "end_ticks", "start_s", "duration_ns",
                      "begin", "end"], rows)


def render_text(tables, out):
    for t in tables:
        out.write("== %s\n" % t.title)
        if not t.rows:
            out.write("(none)\n\n")
            continue
        idx = [t.columns.index(c) for c in t.text]
        cells = [[str(r[i]) for i in idx] for r in t.rows]
        head = list(t.text)
        widths = [max(len(head[j]), max(len(c[j]) for c in cells))
                  for j in range(len(head))]

        def num(s):
            try:
                float(s)
                return True
            except ValueError:
                return False

        out.write("  ".join(h.ljust(w) for h, w in zip(head, widths))
                  .rstrip() + "\n")
        for c in cells:
            out.write("  ".join(x.rjust(w) if num(x) else x.ljust(w)
                                for x, w in zip(c, widths)).rstrip() + "\n")
        if t.note:
            out.write(t.note + "\n")
        out.write("\n")


def write_csv(tables, outdir):
    os.makedirs(outdir, exist_ok=True)
    for t in tables:
        with open(os.path.join(outdir, t.name + ".csv"), "w",
                  newline="") as f:
            w = csv.writer(f)
            w.writerow(t.columns)
            w.writerows(t.rows)
