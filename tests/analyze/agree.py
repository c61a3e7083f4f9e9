#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""lttng-xen's and xentrace's figures of the same workload, within the
run-to-run variation.

  agree.py --lttng CSVDIR --xentrace CSVDIR --runs D1,D2 [--md OUT]

The two CSV directories are lttng-xen-analyze's on the e2e run's two
traces: the lttng-xen boot's trace and the xentrace boot's file.  Each
boot ran the same guest (the workload's PVH domU) twice, as domains D1
and D2 (tests/xen/workload.sh).  For each figure of those guests (VM
exits per reason, hypercalls per op, port I/O per port, events per type,
times per run state, context switches, wake-ups, CPU time), each tracer
gives two runs: l1, l2 and x1, x2.

The run-to-run variation is measured, per figure, as the larger of the
two differences between the runs under one tracer,
    V = max(|l1 - l2|, |x1 - x2|),
and the tracers agree on the figure when their means are no further
apart than that:
    D = |(l1 + l2) / 2 - (x1 + x2) / 2| <= V.
A figure the same in both runs of each boot (V = 0: the guest's boot
makes exactly that many port I/O accesses, CPUID instructions, control
register accesses...) must then be equal under both tracers.

A figure that varies (V > 0) depends on timing, and the two tracers ran
in two QEMU boots: if the boots ran at different speeds (QEMU's TCG on a
machine busy with other work), such a figure differs between the boots
by more than between two runs of one boot, whatever the tracer.  The
guest's lifetime (dom_add to dom_rem) measures it: when its D exceeds
its V, the boots did not run at the same speed, and the timing figures
are listed but not compared (SPEED); otherwise they must agree too.

Figures that cannot agree by their definition are listed with the rule
that says why (RULES below) and not counted as agreeing or not.

Exit status: 0 every compared figure agrees, 1 one does not (all listed),
2 an input cannot be read.
"""
import argparse
import collections
import sys

import analyzecsv


def fail_input(msg):
    analyzecsv.fail_input("agree", msg)


def read(d, name):
    return analyzecsv.read("agree", d, name)


def figures(d, doms):
    """{dom: {figure: value}} for the guests DOMS."""
    out = {dom: {} for dom in doms}
    hz = float({r["quantity"]: r["value"]
                for r in read(d, "summary")}["clock"].split()[0])
    for r in read(d, "vmexits"):
        dom = int(r["domain"])
        if dom in out:
            f = out[dom]
            f["exits %s" % r["name"]] = int(r["exits"])
            if int(r["timed"]):
                f["exit time %s (mean us)" % r["name"]] = \
                    int(r["total_ticks"]) / int(r["timed"]) / hz * 1e6
    for r in read(d, "hypercalls"):
        if r["domain"] != "unknown" and int(r["domain"]) in out:
            out[int(r["domain"])]["hypercalls %s %s" % (r["kind"],
                                                        r["name"])] = \
                int(r["count"])
    for r in read(d, "hvm_io"):
        if r["domain"] != "unknown" and int(r["domain"]) in out:
            out[int(r["domain"])]["%s %s" % (r["kind"], r["address"])] = \
                int(r["count"])
    for r in read(d, "events"):
        if r["domain"] != "unknown" and int(r["domain"]) in out:
            out[int(r["domain"])]["events %s" % r["event"]] = \
                int(r["count"])
    for r in read(d, "vcpus"):
        dom = int(r["domain"])
        if dom in out:
            for s in ("running", "runnable", "blocked", "offline"):
                out[dom]["vcpu %s %s_s" % (r["vcpu"], s)] = \
                    float(r["%s_s" % s])
    for r in read(d, "sched"):
        dom = int(r["domain"])
        if dom in out:
            out[dom]["vcpu %s switched in" % r["vcpu"]] = \
                int(r["switched_in"])
            out[dom]["vcpu %s wake-ups" % r["vcpu"]] = int(r["wakeups"])
    for r in read(d, "domains"):
        if r["domain"] != "unknown" and int(r["domain"]) in out:
            f = out[int(r["domain"])]
            f["cpu_s"] = float(r["cpu_s"])
            if r["created_s"] and r["destroyed_s"]:
                f["lifetime_s"] = float(r["destroyed_s"]) - \
                    float(r["created_s"])
    return out


# Figures that cannot agree by their definition: prefix -> reason.
RULES = {
    "events gen:": "only in the xentrace file's import: xentrace's own "
    "records (buffer wrap padding, lost records) and lttng-xen-import's "
    "markers (gen:untimed) have no counterpart in lttng-xen's trace",
    "events dom0op:domain_name": "lttng-xen only: lttd-xen records the "
    "names it reads from xenstore; xentrace has no such event",
    "events evtchn:": "lttng-xen only: Xen records event-channel "
    "notifications (xen-patches/0006); xentrace has no such event",
}


def rule_for(name):
    for prefix, why in RULES.items():
        if name.startswith(prefix):
            return prefix, why
    return None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lttng", required=True)
    ap.add_argument("--xentrace", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--md")
    args = ap.parse_args()
    try:
        d1, d2 = (int(x) for x in args.runs.split(","))
    except ValueError:
        fail_input("--runs: expected two domain ids, D1,D2")
    lt = figures(args.lttng, (d1, d2))
    xt = figures(args.xentrace, (d1, d2))
    for name, f in (("lttng-xen", lt), ("xentrace", xt)):
        for dom in (d1, d2):
            if not f[dom]:
                fail_input("the %s analysis has no figure for domain %d: "
                           "did the workload's guest run twice?" %
                           (name, dom))
    names = sorted(set().union(*(f[d] for f in (lt, xt) for d in (d1, d2))))

    def four(n):
        l1, l2 = lt[d1].get(n, 0), lt[d2].get(n, 0)
        x1, x2 = xt[d1].get(n, 0), xt[d2].get(n, 0)
        v = max(abs(l1 - l2), abs(x1 - x2))
        return l1, l2, x1, x2, v, abs((l1 + l2) / 2 - (x1 + x2) / 2)

    life = four("lifetime_s")
    same_speed = life[5] <= life[4]
    print("guest lifetime (s): lttng-xen %.1f, %.1f; xentrace %.1f, %.1f: "
          "%s" % (life[0], life[1], life[2], life[3],
                  "the boots ran at the same speed (difference %.1f s, "
                  "within the %.1f s between two runs)" % (life[5], life[4])
                  if same_speed else
                  "the boots ran at different speeds (difference %.1f s, "
                  "more than the %.1f s between two runs of one boot): "
                  "figures that depend on timing are not compared (SPEED)"
                  % (life[5], life[4])))
    rows = []
    bad = 0
    ruled = collections.Counter()
    for n in names:
        l1, l2, x1, x2, v, diff = four(n)
        prefix, why = rule_for(n)
        if why:
            verdict = "not compared"
            ruled[prefix] += 1
        elif v > 0 and not same_speed:
            verdict = "not compared (SPEED)"
            ruled["SPEED"] += 1
        elif diff <= v:
            verdict = "agrees"
        else:
            verdict = "DIFFERS"
            bad += 1
        rows.append((n, l1, l2, x1, x2, v, diff, verdict, why or ""))

    def g(x):
        return "%.6g" % x if isinstance(x, float) else str(x)

    w = max(len(r[0]) for r in rows)
    print("%-*s %12s %12s %12s %12s %12s %12s  verdict" %
          (w, "figure (per run)", "lttng run 1", "lttng run 2",
           "xt run 1", "xt run 2", "variation", "difference"))
    for n, l1, l2, x1, x2, v, diff, verdict, why in rows:
        print("%-*s %12s %12s %12s %12s %12s %12s  %s" %
              (w, n, g(l1), g(l2), g(x1), g(x2), g(v), g(diff), verdict))
    for prefix, why in RULES.items():
        if ruled[prefix]:
            print("not compared, %s*: %s" % (prefix, why))
    if ruled["SPEED"]:
        print("not compared, SPEED: %d figures that vary between two runs "
              "of one boot, the boots having run at different speeds"
              % ruled["SPEED"])
    if args.md:
        with open(args.md, "w") as f:
            f.write("| figure (per run) | lttng-xen run 1 | run 2 | "
                    "xentrace run 1 | run 2 | variation | difference | "
                    "verdict |\n|---|---:|---:|---:|---:|---:|---:|---|\n")
            for n, l1, l2, x1, x2, v, diff, verdict, why in rows:
                f.write("| %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
                    n, g(l1), g(l2), g(x1), g(x2), g(v), g(diff), verdict))
            for prefix, why in RULES.items():
                if ruled[prefix]:
                    f.write("\nNot compared, `%s*`: %s.\n" % (prefix, why))
            if ruled["SPEED"]:
                f.write("\nNot compared, SPEED: %d figures that vary "
                        "between two runs of one boot; the boots ran at "
                        "different speeds (guest lifetime above).\n"
                        % ruled["SPEED"])
    n = len(rows) - sum(ruled.values())
    exact = sum(1 for r in rows if r[7] == "agrees" and r[5] == 0)
    print("%d figures compared: %d agree within the run-to-run variation "
          "(%d of them exact in all four runs), %d differ; %d not compared "
          "(rules above)" % (n, n - bad, exact, bad, sum(ruled.values())))
    if n - bad < 10:
        print("FAIL: fewer than 10 figures agree: nothing was really "
              "compared")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
