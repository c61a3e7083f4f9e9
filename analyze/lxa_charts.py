# SPDX-License-Identifier: GPL-2.0-only
"""Charts, drawn by gnuplot (PNG, pngcairo), as bench/xen/ draws its own:

  cpu-time.png       CPU time per domain over time, stacked (in CPUs: 2.0
                     is two CPUs busy for the whole interval)
  vcpu-states.png    every vCPU's run state over time, one row each
  wake-latency.png   histogram of wake-up-to-run latencies per domain
  vmexit-time.png    histogram of VM exit handling times, per exit reason
                     (the five most frequent), when the trace has VM exits

Each chart's data is written next to it (NAME.dat) so it can be redrawn.
"""
import collections
import math
import os
import subprocess

from lxa_model import IDLE_DOMAIN, STATES
import lxa_names


class ChartError(Exception):
    pass


def quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def gnuplot(script, what):
    try:
        p = subprocess.run(["gnuplot"], input=script, text=True,
                           capture_output=True)
    except FileNotFoundError:
        raise ChartError("cannot draw %s: no gnuplot (Debian package "
                         "gnuplot-nox)" % what)
    if p.returncode:
        raise ChartError("cannot draw %s: gnuplot: %s" %
                         (what, p.stderr.strip()))


def nice_width(total_s, bins=120):
    """A round interval (1, 2 or 5 x 10^k s) giving about BINS bins."""
    raw = max(total_s / bins, 1e-6)
    e = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * 10 ** e >= raw:
            return m * 10 ** e
    return 10 ** (e + 1)


def label(rep, dom):
    if dom is None:
        return "unknown"
    if dom == IDLE_DOMAIN:
        return "idle"
    name = rep.dom_name(dom)
    return "%s (%s)" % (dom, name) if name else str(dom)


HEAD = ('set terminal pngcairo size 1100,%d font ",10" noenhanced\n'
        'set output %s\n')


def cpu_time(rep, outdir, width_s):
    """Stacked bars, one per interval: each domain's bar is drawn from 0
    to the sum of its own and the domains below it, the highest first,
    so each lower one covers the rest."""
    w, n, acc = rep.interval_cpu(width_s)
    doms = sorted({k for (_, k) in acc}, key=lambda d: (
        d is None, d == IDLE_DOMAIN, d or 0))
    dat = os.path.join(outdir, "cpu-time.dat")
    ws = w / rep.freq
    with open(dat, "w") as f:
        f.write("# middle_s " + " ".join(label(rep, d).replace(" ", "_")
                                         for d in doms) +
                " (cumulative, in CPUs)\n")
        for b in range(n):
            cum, vals = 0.0, []
            for d in doms:
                cum += acc[(b, d)] / w
                vals.append(cum)
            f.write("%.6f %s\n" % ((b + 0.5) * ws,
                                   " ".join("%.6f" % v for v in vals)))
    plots = []
    for i in reversed(range(len(doms))):
        plots.append("%s using 1:%d with boxes lc %d title %s" % (
            quote(dat) if not plots else "''", i + 2, i + 1,
            quote(label(rep, doms[i]))))
    gnuplot(HEAD % (480, quote(os.path.join(outdir, "cpu-time.png"))) + """
set title %s
set xlabel "seconds from the trace's start"
set ylabel "CPUs"
set yrange [0:%d]
set xrange [0:%f]
set boxwidth %f absolute
set style fill solid 0.9 noborder
set key outside right top invert
set grid
plot %s
""" % (quote("CPU time per domain, per %g s" % ws), max(1, len(rep.m.pcpus)),
       n * ws, ws, ", ".join(plots)), "cpu-time.png")


def vcpu_states(rep, outdir):
    keys = sorted(rep.m.vcpus, key=lambda k: (k[0] == IDLE_DOMAIN, k))
    row = {k: i for i, k in enumerate(keys)}
    dat = os.path.join(outdir, "vcpu-states.dat")
    with open(dat, "w") as f:
        for s in range(4):
            f.write("# %s: start_s end_s row\n" % STATES[s])
            for k in keys:
                for start, end, state, _, _, kind, _ in rep.m.vcpus[k].timeline:
                    if state == s and kind != "mismatch":
                        f.write("%.9f %.9f %d\n" % (rep.sec(start),
                                                    rep.sec(end), row[k]))
            f.write("\n\n")
    colors = ("#2ca02c", "#ff7f0e", "#1f77b4", "#7f7f7f")
    plots = ["%s index %d using (($1+$2)/2):3:1:2:($3-0.35):($3+0.35) "
             "with boxxyerror fc rgb %s fs solid noborder title %s" %
             (quote(dat) if s == 0 else "''", s, quote(colors[s]),
              quote(STATES[s])) for s in range(4)]
    tics = ", ".join("%s %d" % (quote("d%dv%d %s" % (k[0], k[1],
                                                      rep.dom_name(k[0]))),
                                 row[k]) for k in keys)
    height = max(240, 60 + 28 * len(keys))
    gnuplot(HEAD % (height, quote(os.path.join(outdir, "vcpu-states.png")))
            + """
set title "vCPU run states over time (sched:runstate_change)"
set xlabel "seconds from the trace's start"
set ytics (%s)
set yrange [-0.6:%f]
set xrange [0:%f]
set key outside right top
set grid x
plot %s
""" % (tics, len(keys) - 0.4, max(rep.duration_s(), 1e-6), ", ".join(plots)),
        "vcpu-states.png")


def log_hist(samples_ns, lo_us, steps_per_decade=5):
    """Counts per logarithmic bin (microseconds): [(bin low, count)]."""
    c = collections.Counter()
    for ns in samples_ns:
        us = max(ns / 1000.0, lo_us)
        c[math.floor(math.log10(us / lo_us) * steps_per_decade)] += 1
    return {b: n for b, n in c.items()}


def histogram(rep, outdir, name, title, series):
    """SERIES: [(label, [ticks])] -> NAME.png, log x axis."""
    series = [(lab, [rep.ns(t) for t in ticks]) for lab, ticks in series
              if ticks]
    if not series:
        return False
    lo = 0.01
    spd = 5
    dat = os.path.join(outdir, name + ".dat")
    with open(dat, "w") as f:
        for lab, ns in series:
            h = log_hist(ns, lo, spd)
            f.write("# %s: bin_low_us count\n" % lab)
            for b in range(min(h), max(h) + 1):
                f.write("%.6g %d\n" % (lo * 10 ** (b / spd), h.get(b, 0)))
            f.write("%.6g 0\n\n\n" % (lo * 10 ** ((max(h) + 1) / spd)))
    plots = ["%s index %d using 1:2 with steps lw 2 title %s" %
             (quote(dat) if i == 0 else "''", i,
              quote("%s (%d)" % (lab, len(ns))))
             for i, (lab, ns) in enumerate(series)]
    gnuplot(HEAD % (480, quote(os.path.join(outdir, name + ".png"))) + """
set title %s
set xlabel "microseconds (logarithmic bins, 5 per decade)"
set ylabel "count (logarithmic)"
set logscale xy
set yrange [0.8:*]
set key outside right top
set grid
plot %s
""" % (quote(title), ", ".join(plots)), name + ".png")
    return True


def draw(rep, outdir, width_s=None):
    """Every chart the trace has data for; returns the files written."""
    os.makedirs(outdir, exist_ok=True)
    done = []
    if rep.m.pcpus and rep.t1 > rep.t0:
        cpu_time(rep, outdir, width_s or nice_width(rep.duration_s()))
        done.append("cpu-time.png")
    if rep.m.vcpus and rep.t1 > rep.t0:
        vcpu_states(rep, outdir)
        done.append("vcpu-states.png")
    per_dom = collections.defaultdict(list)
    for (dom, _), v in rep.m.vcpus.items():
        per_dom[dom].extend(v.wake_latency)
    if histogram(rep, outdir, "wake-latency",
                 "Wake-up-to-run latency (blocked -> runnable -> running)",
                 [(label(rep, d), per_dom[d]) for d in sorted(
                     per_dom, key=lambda d: (d == IDLE_DOMAIN, d))]):
        done.append("wake-latency.png")
    per_reason = collections.defaultdict(list)
    for (dom, vcpu, reason), t in rep.m.exit_time.items():
        per_reason[reason].extend(t)
    top = sorted(per_reason, key=lambda r: -len(per_reason[r]))[:5]
    if histogram(rep, outdir, "vmexit-time",
                 "HVM VM exit handling time (exit to entry), the five most "
                 "frequent reasons",
                 [(lxa_names.exit_reason_name(rep.vendor, r), per_reason[r])
                  for r in top]):
        done.append("vmexit-time.png")
    return done
