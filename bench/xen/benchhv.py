#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The table of `make bench-hv` (bench/xen/hv-run): Xen's record-path
self-benchmark (xen/trace-bench.c), lttng-xen against xentrace.

  benchhv.py aggregate --raw DIR --out DIR --boots B --presses P --reps R
                       [--note TEXT]...

DIR holds rows-N-TRACER.txt, one per boot N of TRACER (lttng or
xentrace): the hypervisor's lines, as hv-dom0.sh kept them,

  trace-bench: start TRACER tracing STATE: ... TSC K kHz
  trace-bench: row TRACER STATE SHAPE CPUS CPU min X med Y max Z | R1 R2 ...
  trace-bench: end TRACER tracing STATE after T ms

(cycles per event, one figure per repetition).  Every boot must have
one press with tracing off and P with tracing on, each with R
repetitions of the same shapes in both builds; anything missing or
malformed is refused, naming it.  Writes results.md, results.csv (one
row per build, state, shape and CPU count) and ratios.csv (lttng-xen /
xentrace per state, shape and CPU count).

Figures: the median of all repetitions of a row (pooled over presses,
boots and, for the two-CPU rows, both CPUs), their quartiles and range;
the ratio of the two builds' medians with a 95 % percentile-bootstrap
interval (repetitions resampled within each build, 2000 resamples,
seeded); and, with two boots or more per build, the range of the
ratios of per-boot medians, the spread between boots that repetitions
within one boot cannot show.

Exit status: 0 done; 1 incomplete or malformed rows ("benchhv: cannot
..."); 2 usage.
"""
import argparse
import csv
import os
import re
import sys

# stats.py and benchcli.py beside this file; no __pycache__ in the
# source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402
from benchcli import Error, run  # noqa: E402

TRACERS = {"lttng": "lttng-xen", "xentrace": "xentrace"}
ROW_RE = re.compile(
    r"^trace-bench: row (\S+) (on|off) (\S+) ([12]) (\d+) "
    r"min [\d.]+ med [\d.]+ max [\d.]+ \|((?: \d+\.\d)+)$")
START_RE = re.compile(r"^trace-bench: start (\S+) tracing (on|off): .* "
                      r"TSC (\d+) kHz$")
FILE_RE = re.compile(r"^rows-(\d+)-(lttng|xentrace)\.txt$")
# Rows that are not trace records: what a call site is compared to, and
# the primitives.
REFERENCES = ("loop", "empty-call")
PRIMITIVES = ("lock-cmpxchg", "local-cmpxchg", "rdtsc-ordered",
              "irqsave-lock")


def read_boot(path, tracer, presses, reps):
    """{(state, shape, cpus): [[reps of press 1], ...]} of one boot, and
    the TSC rate it reported."""
    name = TRACERS[tracer]
    data, khz, state = {}, set(), None
    counts = {"on": 0, "off": 0}
    with open(path, errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = START_RE.match(line)
            if m:
                if m.group(1) != name:
                    raise Error(f"cannot use {path}:{n}: a {m.group(1)} "
                                f"press in a {name} boot")
                state = m.group(2)
                counts[state] += 1
                khz.add(int(m.group(3)))
                continue
            if not line.startswith("trace-bench: row "):
                continue
            m = ROW_RE.match(line)
            if not m:
                raise Error(f"cannot read {path}:{n}: '{line}'")
            t, st, shape, cpus = m.group(1), m.group(2), m.group(3), int(m.group(4))
            if t != name or st != state:
                raise Error(f"cannot use {path}:{n}: a {t} row of tracing "
                            f"{st} inside a {name} press of tracing {state}")
            vals = [float(v) for v in m.group(6).split()]
            if len(vals) != reps:
                raise Error(f"cannot use {path}:{n}: {len(vals)} "
                            f"repetitions, expected {reps}")
            if min(vals) <= 0:
                raise Error(f"cannot use {path}:{n}: a repetition of 0 "
                            "cycles per event (too few records to time?)")
            presses_of = data.setdefault((st, shape, cpus), [])
            # Two-CPU rows: one line per CPU, both in the same press.
            idx = counts[st] - 1
            while len(presses_of) <= idx:
                presses_of.append([])
            presses_of[idx].extend(vals)
    if counts != {"on": presses, "off": 1}:
        raise Error(f"cannot use {path}: {counts['off']} press(es) with "
                    f"tracing off and {counts['on']} with tracing on, "
                    f"expected 1 and {presses}")
    if len(khz) != 1:
        raise Error(f"cannot use {path}: no single TSC rate ({khz})")
    return data, khz.pop()


def read_raw(rawdir, boots, presses, reps):
    """{tracer: {(state, shape, cpus): [[reps] per boot]}}, the TSC rate."""
    by = {t: {} for t in TRACERS}
    nboots = {t: 0 for t in TRACERS}
    khz = set()
    # In boot order (rows-10-... after rows-9-...).
    files = sorted((f for f in os.listdir(rawdir) if FILE_RE.match(f)),
                   key=lambda f: int(FILE_RE.match(f).group(1)))
    for fname in files:
        tracer = FILE_RE.match(fname).group(2)
        data, k = read_boot(os.path.join(rawdir, fname), tracer, presses, reps)
        khz.add(k)
        nboots[tracer] += 1
        for key, ps in data.items():
            by[tracer].setdefault(key, []).append(
                [v for p in ps for v in p])
    for t in TRACERS:
        if nboots[t] != boots:
            raise Error(f"cannot aggregate {rawdir}: {nboots[t]} boot(s) "
                        f"of {TRACERS[t]}, expected {boots}")
    keys = set(by["lttng"]) | set(by["xentrace"])
    missing = [f"{TRACERS[t]} {k[0]} {k[1]} ({k[2]} CPU)"
               for t in TRACERS for k in sorted(keys)
               if k not in by[t] or len(by[t][k]) != boots]
    if missing:
        raise Error(f"cannot aggregate {rawdir}: rows missing in some "
                    "boots: " + ", ".join(missing))
    for t in TRACERS:
        for (st, shape, cpus), per_boot in by[t].items():
            want = reps * cpus * (presses if st == "on" else 1)
            bad = [len(b) for b in per_boot if len(b) != want]
            if bad:
                raise Error(f"cannot aggregate {rawdir}: {TRACERS[t]} "
                            f"{st} {shape} ({cpus} CPU): {bad[0]} "
                            f"repetitions in a boot, expected {want}")
    for need in [("off", "loop", 1), ("off", "empty-call", 1)]:
        if need not in keys:
            raise Error(f"cannot aggregate {rawdir}: no '{need[1]}' row "
                        "with tracing off")
    if not record_shapes(keys):
        raise Error(f"cannot aggregate {rawdir}: no trace record row with "
                    "tracing on")
    return by, khz


def record_shapes(keys):
    """The trace record shapes (rows with tracing on, one CPU, that are
    neither references nor primitives), sorted by name."""
    return sorted(k[1] for k in keys if k[0] == "on" and k[2] == 1
                  and k[1] not in REFERENCES + PRIMITIVES)


def summary(per_boot):
    pooled = [v for b in per_boot for v in b]
    return {"n": len(pooled), "median": stats.median(pooled),
            "p25": stats.quantile(pooled, 0.25),
            "p75": stats.quantile(pooled, 0.75),
            "min": min(pooled), "max": max(pooled),
            "boot_medians": [stats.median(b) for b in per_boot],
            "pooled": pooled}


def compare(a, b):
    """lttng-xen (a) / xentrace (b): ratio of medians, bootstrap CI,
    range of per-boot ratios (boots paired in order)."""
    lo, hi = stats.bootstrap_ratio(a["pooled"], b["pooled"])
    boot = [x / y for x, y in zip(a["boot_medians"], b["boot_medians"])]
    return {"ratio": a["median"] / b["median"], "lo": lo, "hi": hi,
            "boot_min": min(boot), "boot_max": max(boot)}


def f1(x):
    return f"{x:.1f}"


def cell(s):
    return f"{f1(s['median'])} ({f1(s['p25'])}-{f1(s['p75'])}) [{f1(s['min'])}..{f1(s['max'])}]"


def ratio_cell(c, boots):
    text = f"**{c['ratio']:.2f}** ({c['lo']:.2f}-{c['hi']:.2f})"
    if boots > 1:
        text += f", boots {c['boot_min']:.2f}-{c['boot_max']:.2f}"
    return text


def aggregate(args):
    by, khz = read_raw(args.raw, args.boots, args.presses, args.reps)
    S = {t: {k: summary(v) for k, v in by[t].items()} for t in TRACERS}
    keys = sorted(set(S["lttng"]))
    shapes = record_shapes(keys)
    os.makedirs(args.out, exist_ok=True)

    with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["tracer", "state", "shape", "cpus", "n", "median", "p25",
                    "p75", "min", "max", "boot_medians"])
        for t in TRACERS:
            for k in keys:
                s = S[t][k]
                w.writerow([TRACERS[t], k[0], k[1], k[2], s["n"]] +
                           [f"{s[x]:.1f}" for x in ("median", "p25", "p75",
                                                    "min", "max")] +
                           [" ".join(f"{m:.1f}" for m in s["boot_medians"])])
    ratios = {}
    with open(os.path.join(args.out, "ratios.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["state", "shape", "cpus", "lttng_median",
                    "xentrace_median", "ratio", "ci_lo", "ci_hi",
                    "boot_ratio_min", "boot_ratio_max"])
        for k in keys:
            c = compare(S["lttng"][k], S["xentrace"][k])
            ratios[k] = c
            w.writerow([k[0], k[1], k[2], f"{S['lttng'][k]['median']:.1f}",
                        f"{S['xentrace'][k]['median']:.1f}"] +
                       [f"{c[x]:.3f}" for x in ("ratio", "lo", "hi",
                                                "boot_min", "boot_max")])

    L = ["# bench-hv: cycles per trace record inside Xen, lttng-xen against xentrace", ""]
    L += [f"- {n}" for n in args.note]
    L += [f"- TSC rate reported by Xen: {', '.join(str(k) for k in sorted(khz))} kHz.",
          "- Each cell: median cycles per event over all repetitions "
          "(quartiles) [min..max]; a repetition times "
          "trace-bench-events records in a row, interrupts enabled.  "
          "Ratio: lttng-xen's median / xentrace's, with its 95 % "
          "bootstrap interval" +
          (" and the range of the per-boot ratios" if args.boots > 1 else "")
          + " (bench/xen/README.md).", ""]

    def table(title, state, cpus, names, text=None):
        L.extend([f"## {title}", ""] + ([text, ""] if text else []))
        L.append("| shape | lttng-xen | xentrace | lttng-xen / xentrace |")
        L.append("|---|---|---|---|")
        for shape in names:
            k = (state, shape, cpus)
            if k not in S["lttng"]:
                continue
            L.append(f"| `{shape}` | {cell(S['lttng'][k])} | "
                     f"{cell(S['xentrace'][k])} | "
                     f"{ratio_cell(ratios[k], args.boots)} |")
        L.append("")

    table("Tracing on, one CPU", "on", 1, shapes,
          "Every event recorded (lttng-xen: lttd-xen draining to disk; "
          "xentrace: its tool writing its file; `-e all` / every event), "
          "on the CPU that pressed the key.")
    table("Tracing on, two CPUs at once", "on", 2, shapes,
          "The same shapes on two CPUs together (the second from a "
          "softirq tasklet); both CPUs' repetitions pooled.")
    table("Tracing off", "off", 1, list(REFERENCES) + shapes,
          "Disabled call sites: `loop` is the bare loop around them, "
          "`empty-call` a call to an empty function in that loop.")
    # The goal: a disabled call site at most 2 cycles over an empty call.
    L.extend(["Disabled call site over the empty function (goal: at most "
              "2 cycles), medians:", "",
              "| shape | lttng-xen | xentrace |", "|---|---|---|"])
    for shape in shapes:
        k = ("off", shape, 1)
        e = ("off", "empty-call", 1)
        L.append(f"| `{shape}` | " + " | ".join(
            f"{S[t][k]['median'] - S[t][e]['median']:+.1f}"
            for t in TRACERS) + " |")
    L.append("")
    table("Primitives, tracing on", "on", 1, PRIMITIVES,
          "Not trace records: the operations the record paths are made "
          "of, timed the same way, to tell a tracer's algorithm from "
          "what the (emulated) machine charges for an instruction.  "
          "Both builds run the same code here.")
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write("\n".join(L))


def main():
    ap = argparse.ArgumentParser(
        prog="benchhv.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("aggregate", help="results from the raw rows")
    p.add_argument("--raw", required=True, help="directory of rows-*.txt")
    p.add_argument("--out", required=True)
    p.add_argument("--boots", type=int, required=True,
                   help="boots per build")
    p.add_argument("--presses", type=int, required=True,
                   help="presses with tracing on per boot")
    p.add_argument("--reps", type=int, required=True,
                   help="repetitions per row and press")
    p.add_argument("--note", action="append", default=[],
                   help="a line for the report's header (repeatable)")
    args = ap.parse_args()
    return run("benchhv", aggregate, args)


if __name__ == "__main__":
    sys.exit(main())
