#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every figure that both xenalyze --summary and lttng-xen-analyze compute
for one xentrace file, side by side: they must be equal.

  xenalyze-compare.py --xenalyze SUMMARY.txt --analyze CSVDIR [--md OUT]

SUMMARY.txt: `xenalyze --summary --svm-mode --cpu-hz HZ FILE` (Debian's
xen-utils-common); CSVDIR: `lttng-xen-analyze --csv CSVDIR --tsc-mhz MHZ
FILE` on the same file (through lttng-xen-import).

Where the two define a figure differently, the rule that turns one
definition into the other is below, in code, with the reason; a figure is
never compared with a tolerance.  Compared (per vCPU unless said):

  run states      running, runnable, blocked, offline: number of intervals
                  and their mean length in TSC ticks (xenalyze's "avg",
                  total // count), and seconds (2 decimals)
  runnable split  wake (from blocked or offline) and preempt (from
                  running): the same
  migrations      xenalyze's "cpu affinity" count
  PV events       per event type; hypercalls per op; traps per vector
  HVM exits       per exit reason: count and mean handling ticks
  HVM hypercalls  per op (vmmcall): count and mean ticks, per domain
  HVM port I/O    per port and direction: count and mean ticks, per domain
  total time      first to last record, seconds (2 decimals)

Exit status: 0 all equal, 1 a figure differs (each one listed), 2 an input
cannot be read.
"""
import argparse
import collections
import re
import sys

import analyzecsv

STATES = ("running", "runnable", "blocked", "offline")
IDLE = 32767

# xenalyze's PV event names (pv_name[] in xenalyze.c) -> lttng-xen events.
PV_EVENTS = {
    "hypercall": ("pv:hypercall", "pv:hypercall_subcall"),
    "hypercall (subcall)": ("pv:hypercall_subcall",),
    "trap": ("pv:trap",),
    "page_fault": ("pv:page_fault",),
    "forced_invalid_op": ("pv:forced_invalid_op",),
    "emulate privop": ("pv:emulate_privop",),
    "math state restore": ("pv:math_state_restore",),
    "paging fixup": ("pv:paging_fixup",),
    "gdt/ldt mapping fault": ("pv:gdt_ldt_mapping_fault",),
    "ptwr": ("pv:ptwr_emulation",),
}
# xenalyze counts hypercall ops below PV_HYPERCALL_MAX and trap vectors
# below PV_TRAP_MAX only (pv_hypercall_v2_process, pv_trap_process).
PV_HYPERCALL_MAX = 56
PV_TRAP_MAX = 20
# xenalyze's names of the HVM hypercalls it times (hypercall_name[] in
# xenalyze.c, by number; 11 has none), and "max" for every op from 38 on.
XA_HYPERCALL = ("set_trap_table", "mmu_update", "set_gdt", "stack_switch",
                "set_callbacks", "fpu_taskswitch", "sched_op(compat)",
                "platform_op", "set_debugreg", "get_debugreg",
                "update_descriptor", None, "memory_op", "multicall",
                "update_va_mapping", "set_timer_op", "evtchn_op(compat)",
                "xen_version", "console_io", "physdev_op(compat)",
                "grant_table_op", "vm_assist",
                "update_va_mapping_otherdomain", "iret", "vcpu_op",
                "set_segment_base", "mmuext_op", "acm_op", "nmi_op",
                "sched_op", "callback_op", "xenoprof_op", "evtchn_op",
                "physdev_op", "hvm_op", "sysctl", "domctl", "kexec_op")

# The headings of a vCPU's sections in xenalyze --summary: the section
# the lines below each belong to.
VCPU_SECTIONS = {
    " Runstates:": "runstates",
    "PV events:": "pv",
    "Exit reasons:": "exits",
    "IO address summary:": "io",
}


def fail_input(msg):
    analyzecsv.fail_input("xenalyze-compare", msg)


# -- xenalyze --summary --

def parse_xenalyze(path):
    """{(dom, vcpu): {...}} and the total time."""
    vc = collections.defaultdict(lambda: {
        "states": {}, "runnable": {}, "affinity": None,
        "pv": {}, "hypercalls": {}, "traps": {}, "exits": {},
        "vmcall": {}, "io": {}})
    total = None
    dom = vcpu = None
    section = None
    re_num = r"\s+(\d+)\s+([\d.]+)s\s+(\d+)"
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^Total time: ([\d.]+) seconds", line)
        if m:
            total = m.group(1)
            continue
        m = re.match(r"^\|-- Domain (\d+) --\|", line)
        if m:
            dom, vcpu, section = int(m.group(1)), None, "domain"
            continue
        if re.match(r"^\|-- Default domain --\|", line):
            dom, vcpu, section = None, None, None
            continue
        m = re.match(r"^-- v(\d+) --", line)
        if m and dom is not None:
            vcpu, section = int(m.group(1)), "vcpu"
            vc[(dom, vcpu)]
            continue
        if dom is None or vcpu is None:
            continue
        v = vc[(dom, vcpu)]
        heading = next((h for h in VCPU_SECTIONS if line.startswith(h)),
                       None)
        if heading:
            section = VCPU_SECTIONS[heading]
            continue
        if re.match(r"^(Guest interrupt counts|MMIO address summary|"
                    r"Emulate eip list|IPI latency)", line):
            section = None
            continue
        if section == "runstates":
            m = re.match(r"^\s+(running|runnable|blocked|offline|lost):" +
                         re_num, line)
            if m:
                v["states"][m.group(1)] = (int(m.group(2)), m.group(3),
                                           int(m.group(4)))
                continue
            m = re.match(r"^\s+(wake|preempt|other):" + re_num, line)
            if m:
                v["runnable"][m.group(1)] = (int(m.group(2)), m.group(3),
                                             int(m.group(4)))
                continue
            m = re.match(r"^ cpu affinity:\s+(\d+)\s+(\d+)", line)
            if m:
                v["affinity"] = int(m.group(1))
            continue
        if section == "pv":
            m = re.match(r"^\s+(\S+)\s*\[\s*(\d+)\]:\s+(\d+)$", line)
            if m:
                v["hypercalls"][int(m.group(2))] = int(m.group(3))
                continue
            m = re.match(r"^\s+\[(\d+)\] (\d+)$", line)
            if m:
                v["traps"][int(m.group(1))] = int(m.group(2))
                continue
            m = re.match(r"^  (\S.*?)  (\d+)$", line)
            if m:
                v["pv"][m.group(1)] = int(m.group(2))
            continue
        if section == "exits":
            m = re.match(r"^ (\S+)\s+(\d+)\s+([\d.]+)s\s+[\d.]+%\s+(\d+) cyc",
                         line)
            if m:
                cur_exit = m.group(1)
                v["exits"][cur_exit] = (int(m.group(2)), m.group(3),
                                        int(m.group(4)))
                continue
            m = re.match(r"^\s+\[\s*(\S+)\]\s+(\d+)\s+([\d.]+)s\s+[\d.]+%\s+"
                         r"(\d+) cyc", line)
            if m:
                v["vmcall"][m.group(1)] = (int(m.group(2)), m.group(3),
                                           int(m.group(4)))
            continue
        if section == "io":
            m = re.match(r"^\s+([0-9a-f]+):\[([rw])\]\s+(\d+)\s+([\d.]+)s\s+"
                         r"[\d.]+%\s+(\d+) cyc", line)
            if m:
                v["io"][(int(m.group(1), 16), m.group(2))] = (
                    int(m.group(3)), m.group(4), int(m.group(5)))
            continue
    if total is None:
        fail_input("%s is not the output of xenalyze --summary (no "
                   "'Total time' line)" % path)
    return vc, total


# -- lttng-xen-analyze's CSV --

def read_csv(d, name):
    return analyzecsv.read("xenalyze-compare", d, name)


def summary(d):
    return {r["quantity"]: r["value"] for r in read_csv(d, "summary")}


def xenalyze_view_of_runstates(timeline, hz, pcpu_first):
    """Per vCPU, the run-state intervals xenalyze counts, from
    lttng-xen-analyze's timeline of every interval.  The rules, each a
    difference of definition (xenalyze.c of Xen 4.17):

    INIT: xenalyze keeps a vCPU in its INIT state, counting nothing,
      until it first sees it changed to running (vcpu_start(): "TSC skew
      at start-of-day is hard to deal with.  Don't bring a vcpu out of
      INIT until it's seen to be actually running somewhere").
      lttng-xen-analyze counts from the vCPU's first change.  So the
      intervals before a vCPU's first running interval are left out.
    END: at the end of the file xenalyze closes only the interval of the
      vCPU running on each CPU, at that CPU's last record
      (deactivate_pcpu()); as lttng-xen-analyze does.  The intervals
      still open in other states are never closed by xenalyze
      (runstate_update() is the only place that counts time), while
      lttng-xen-analyze counts them to the end of the trace, or to the
      domain's destruction (dom0op:dom_rem: xenalyze's dom0_process()
      only prints it).  So "end" intervals in other states than running,
      and "destroyed" ones, are left out.
    ZERO: xenalyze's update_cycles() counts only non-zero lengths.
    FIRST-TSC: when what brings a vCPU out of INIT is a
      sched:continue_running (its state was not known: begin
      "continue-first"), xenalyze starts its running interval at the
      first record of that CPU in the file, p->first_tsc ("Using
      first_tsc for d%dv%d"), not at the event as lttng-xen-analyze does.
    Every time slice (sched:continue_running) is an interval of its own
    in both.
    """
    per = collections.defaultdict(list)
    for r in timeline:
        per[(int(r["domain"]), int(r["vcpu"]))].append(r)
    out = {}
    for key, rows in per.items():
        rows.sort(key=lambda r: int(r["start_ticks"]))
        first_run = next((i for i, r in enumerate(rows)
                          if r["state"] == "running"), None)
        kept = []
        if first_run is not None:
            r = rows[first_run]
            if r["begin"] == "continue-first":
                r = dict(r, start_ticks=pcpu_first[int(r["pcpu"])])
                rows[first_run] = r
            for r in rows[first_run:]:
                if r["end"] == "destroyed" or \
                        (r["end"] == "end" and r["state"] != "running"):
                    continue
                if int(r["end_ticks"]) == int(r["start_ticks"]):
                    continue
                kept.append(r)
        out[key] = kept
    return out


def affinity_count(rows):
    """xenalyze's "cpu affinity" count from the vCPU's running intervals.
    MIGRATION rule: xenalyze starts a vCPU's pCPU stint clock when its
    first context switch onto a CPU is handled (vcpu_next_update()
    "activates" it; a run that brought it out of INIT went through
    vcpu_start(), and a time slice, sched:continue_running, is no
    switch), counts a stint at each later switch onto another pCPU, and
    one more for the last stint at the end (sched_summary_vcpu()).
    lttng-xen-analyze counts every change of pCPU between two runs (its
    migrations): the one at that first switch is not xenalyze's."""
    runs = [r for r in rows if r["state"] == "running"]
    first_switch = next((i for i in range(1, len(runs))
                         if runs[i]["begin"] == "change"), None)
    if first_switch is None:
        return None
    n = 1
    for i in range(1, len(runs)):
        if i != first_switch and runs[i]["pcpu"] != runs[i - 1]["pcpu"]:
            n += 1
    return n


class Compare:
    def __init__(self):
        self.lines = []
        self.bad = 0
        self.n = 0

    def eq(self, what, xa, lx, rule=None):
        if xa is None and lx is None:
            return             # neither has the figure
        ok = xa == lx
        self.n += 1
        if not ok:
            self.bad += 1
        self.lines.append((what, xa, lx, "equal" if ok else "DIFFERS",
                           rule or ""))


def fmt2(ticks, hz):
    return "%.2f" % (ticks / hz)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xenalyze", required=True)
    ap.add_argument("--analyze", required=True)
    ap.add_argument("--md")
    args = ap.parse_args()
    xa, total = parse_xenalyze(args.xenalyze)
    d = args.analyze
    summ = summary(d)
    hz = float(summ["clock"].split()[0])
    lost = int(summ["events_discarded"])
    c = Compare()

    c.eq("total time (s, 2 decimals)", total,
         "%.2f" % float(summ["duration_s"]))

    timeline = read_csv(d, "timeline")
    pcpu_first = {int(r["cpu"]): int(r["first_ticks"])
                  for r in read_csv(d, "pcpus")}
    view = xenalyze_view_of_runstates(timeline, hz, pcpu_first)
    events = collections.Counter()
    for r in read_csv(d, "events"):
        if r["domain"] != "unknown":
            events[(int(r["domain"]), int(r["vcpu"]), r["event"])] += \
                int(r["count"])
    hcalls = collections.Counter()
    hvm_calls = {}
    for r in read_csv(d, "hypercalls"):
        if r["domain"] == "unknown" or r["vcpu"] == "all":
            continue
        key = (int(r["domain"]), int(r["vcpu"]))
        if r["kind"] == "pv":
            hcalls[key + (int(r["op"]),)] += int(r["count"])
        else:
            op = int(r["op"])
            name = XA_HYPERCALL[op] if op < len(XA_HYPERCALL) else "max"
            t = hvm_calls.get(key + (name,), (0, 0))
            hvm_calls[key + (name,)] = (t[0] + int(r["timed"]),
                                        t[1] + int(r["timed_total_ticks"]))
    traps = collections.Counter()
    for r in read_csv(d, "traps"):
        if r["domain"] != "unknown":
            traps[(int(r["domain"]), int(r["vcpu"]), int(r["vector"]))] += \
                int(r["count"])
    exits = {}
    for r in read_csv(d, "vmexits"):
        exits[(int(r["domain"]), int(r["vcpu"]), r["name"])] = (
            int(r["timed"]), int(r["total_ticks"]))
    io = collections.defaultdict(lambda: [0, 0])
    for r in read_csv(d, "hvm_io"):
        if r["domain"] == "unknown" or not r["kind"].startswith("pio"):
            continue
        k = (int(r["domain"]), int(r["address"], 16),
             "r" if r["kind"] == "pio_read" else "w")
        io[k][0] += int(r["timed"])
        io[k][1] += int(r["total_ticks"])

    doms_vcpus = collections.Counter(k[0] for k in xa)
    for key in sorted(xa):
        dom, vcpu = key
        x = xa[key]
        tag = "d%dv%d" % key
        # Run states (rules INIT, END, ZERO in xenalyze_view_of_runstates).
        rows = view.get(key, [])
        if lost:
            c.lines.append((tag + " run states", "", "", "not compared",
                            "LOST: the file has %d lost records; xenalyze "
                            "sets every vCPU not running to 'lost' from the "
                            "record's first_tsc (process_lost_records()), "
                            "lttng-xen-analyze ends their states where "
                            "babeltrace2 says the loss may start (the record "
                            "before it)" % lost))
        else:
            for s in STATES:
                mine = [int(r["end_ticks"]) - int(r["start_ticks"])
                        for r in rows if r["state"] == s]
                xs = x["states"].get(s)
                lx = (len(mine), fmt2(sum(mine), hz),
                      sum(mine) // len(mine)) if mine else None
                c.eq("%s %s (intervals, s, mean ticks)" % (tag, s), xs, lx,
                     "INIT, END, ZERO, FIRST-TSC")
            for kind, froms in (("wake", ("blocked", "offline")),
                                ("preempt", ("running",))):
                mine = [int(r["end_ticks"]) - int(r["start_ticks"])
                        for r in rows if r["state"] == "runnable" and
                        r["from"] in froms]
                xs = x["runnable"].get(kind)
                lx = (len(mine), fmt2(sum(mine), hz),
                      sum(mine) // len(mine)) if mine else None
                c.eq("%s runnable after %s (intervals, s, mean ticks)" %
                     (tag, kind), xs, lx, "INIT, END, ZERO, FIRST-TSC")
            c.eq("%s cpu affinity count" % tag, x["affinity"],
                 affinity_count(rows), "MIGRATION")
        # PV events, hypercalls per op, traps per vector.
        for name, evs in PV_EVENTS.items():
            mine = sum(events[(dom, vcpu, e)] for e in evs)
            xs = x["pv"].get(name, 0)
            if mine or xs:
                c.eq("%s PV %s" % (tag, name), xs, mine)
        ops = set(x["hypercalls"]) | {k[2] for k in hcalls
                                      if k[:2] == key}
        for op in sorted(ops):
            if op >= PV_HYPERCALL_MAX:
                continue
            c.eq("%s PV hypercall op %d" % (tag, op),
                 x["hypercalls"].get(op, 0), hcalls[key + (op,)],
                 "subcalls included, as xenalyze counts them")
        vecs = set(x["traps"]) | {k[2] for k in traps if k[:2] == key}
        for vec in sorted(vecs):
            if vec >= PV_TRAP_MAX:
                continue
            c.eq("%s PV trap vector %d" % (tag, vec), x["traps"].get(vec, 0),
                 traps[key + (vec,)])
        # HVM exits per reason: count and mean ticks.
        mine_exits = {k[2]: v for k, v in exits.items() if k[:2] == key}
        names = set(x["exits"]) | {"VMEXIT_" + n.upper()
                                   for n in mine_exits}
        for name in sorted(names):
            xs = x["exits"].get(name)
            mv = mine_exits.get(name[len("VMEXIT_"):].lower()) \
                if name.startswith("VMEXIT_") else None
            lx = (mv[0], fmt2(mv[1], hz), mv[1] // mv[0]) \
                if mv and mv[0] else None
            if xs is None and lx is None:
                continue
            c.eq("%s exit %s (count, s, mean ticks)" % (tag, name), xs, lx)
        for op, xs in sorted(x["vmcall"].items()):
            mv = hvm_calls.get(key + (op,))
            lx = (mv[0], fmt2(mv[1], hz), mv[1] // mv[0]) \
                if mv and mv[0] else None
            c.eq("%s vmmcall %s (count, s, mean ticks)" % (tag, op), xs, lx)
        for (port, rw), xs in sorted(x["io"].items()):
            mv = io.get((dom, port, rw))
            lx = (mv[0], fmt2(mv[1], hz), mv[1] // mv[0]) \
                if mv and mv[0] else None
            if doms_vcpus[dom] > 1:
                c.eq("%s port 0x%x [%s] count" % (tag, port, rw), xs[0],
                     "(domain) %d" % mv[0] if mv else None,
                     "PERDOMAIN: lttng-xen-analyze counts I/O per domain; "
                     "this domain has several vCPUs")
                continue
            c.eq("%s port 0x%x [%s] (count, s, mean ticks)" % (tag, port, rw),
                 xs, lx)
    # Every vCPU lttng-xen-analyze has run states for is in xenalyze's.
    for key in sorted(view):
        if view[key] and key not in xa:
            c.eq("d%dv%d present" % key, None, "yes")

    width = max(len(l[0]) for l in c.lines)
    for what, xs, lx, verdict, rule in c.lines:
        print("%-8s %-*s xenalyze %-28s lttng-xen-analyze %-28s %s" % (
            verdict if verdict != "equal" else "ok", width, what, xs, lx,
            ("[" + rule.split(":")[0] + "]") if rule else ""))
    if args.md:
        with open(args.md, "w") as f:
            f.write("| figure | xenalyze | lttng-xen-analyze | verdict | "
                    "rule |\n|---|---|---|---|---|\n")
            for what, xs, lx, verdict, rule in c.lines:
                f.write("| %s | %s | %s | %s | %s |\n" % (
                    what, xs, lx, verdict, rule.split(":")[0]))
    print("%d figures compared, %d equal, %d differ" %
          (c.n, c.n - c.bad, c.bad))
    return 1 if c.bad else 0


if __name__ == "__main__":
    sys.exit(main())
