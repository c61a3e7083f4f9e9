#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The declarative side of `make bench-xen` (bench/xen/bench-xen.toml).

  benchxen.py configs --set SET          one line per configuration of
                                         the set: name, xen, tracer, grub
                                         entry, kernel (tab-separated)
  benchxen.py schedule --set SET          the boots of the set's rounds
                                         under QEMU, in order: round,
                                         configuration, repeats, first
                                         repeat number (tab-separated)
  benchxen.py plan --set SET --config C --out DIR [--repeats N]
                   [--first-repeat K] [--workloads W,...]
                                         the plan harness.sh runs in dom0
                                         (default: every workload, all
                                         of the set's repeats in one boot)
  benchxen.py more --set SET --raw DIR   the boots of one more round:
                                         the cells whose spread is too
                                         wide for the set's precision,
                                         below its repeat cap (round,
                                         configuration, repeats, first
                                         repeat, workloads); nothing
                                         when none
  benchxen.py aggregate --set SET --raw DIR --out DIR [--note TEXT]...
                                         raw-*.tsv -> results.csv,
                                         results.md, overhead.png,
                                         trace-size.png,
                                         bytes-per-event.png (gnuplot)
  benchxen.py agree A.csv B.csv          whether two runs' results.csv
                                         call the same cells significant,
                                         in the same direction

Every command reads and checks the TOML first (--file, default: next to
this script).  Exit status: 0 done; 1 a bad file or incomplete results,
said as "benchxen: cannot ...: ..."; 2 usage.
"""
import argparse
import csv
import math
import os
import re
import shlex
import subprocess
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
# stats.py and benchcli.py beside this file; no __pycache__ in the
# source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import stats  # noqa: E402
from benchcli import Error, run  # noqa: E402
XENS = ("debian", "lttng", "nolttng")
TRACERS = ("none", "lttng-flight", "lttng-disk", "xentrace")
KERNELS = ("debian", "lttng", "plain")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def load(path):
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except OSError as e:
        raise Error(f"cannot read {path}: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        raise Error(f"cannot parse {path}: {e}")

    def need(table, key, where, kind=str):
        if key not in table:
            raise Error(f"{path}: {where} has no '{key}'")
        if not isinstance(table[key], kind):
            raise Error(f"{path}: {where}: '{key}' must be a {kind.__name__}")
        return table[key]

    configs, workloads = {}, {}
    for c in doc.get("config", []):
        name = need(c, "name", "a [[config]]")
        where = f"config '{name}'"
        if not NAME_RE.match(name) or name in configs:
            raise Error(f"{path}: {where}: a bad or repeated name")
        if need(c, "xen", where) not in XENS:
            raise Error(f"{path}: {where}: xen must be one of {', '.join(XENS)}")
        if need(c, "tracer", where) not in TRACERS:
            raise Error(f"{path}: {where}: tracer must be one of {', '.join(TRACERS)}")
        c.setdefault("kernel", "debian")
        if c["kernel"] not in KERNELS:
            raise Error(f"{path}: {where}: kernel must be one of {', '.join(KERNELS)}")
        c.setdefault("label", name)
        c.setdefault("grub", "")
        configs[name] = c
    for w in doc.get("workload", []):
        name = need(w, "name", "a [[workload]]")
        where = f"workload '{name}'"
        if not NAME_RE.match(name) or name in workloads:
            raise Error(f"{path}: {where}: a bad or repeated name")
        need(w, "run", where)
        metric = need(w, "metric", where)
        if metric == "time":
            w["unit"], w["better"] = "s", "lower"
        elif metric == "output":
            need(w, "unit", where)
            if need(w, "better", where) not in ("lower", "higher"):
                raise Error(f"{path}: {where}: better must be lower or higher")
        else:
            raise Error(f"{path}: {where}: metric must be time or output")
        w.setdefault("label", name)
        workloads[name] = w
    for name, w in list(workloads.items()) + [("input", doc.get("input", {}))]:
        for key in ("env", "env_full"):
            for k, v in w.get(key, {}).items():
                if not ENV_RE.match(k) or not isinstance(v, str):
                    raise Error(f"{path}: {name}: {key}: '{k}' must be an "
                                "upper-case name with a string value")
    sets = doc.get("sets", {})
    for sname, s in sets.items():
        where = f"set '{sname}'"
        if not isinstance(s.get("repeats"), int) or s["repeats"] < 3:
            raise Error(f"{path}: {where}: repeats must be an integer >= 3")
        s.setdefault("warmup", 0)
        if not isinstance(s["warmup"], int) or not 0 <= s["warmup"] <= 10:
            raise Error(f"{path}: {where}: warmup must be an integer 0..10")
        if s.get("scale") not in ("default", "full"):
            raise Error(f"{path}: {where}: scale must be default or full")
        s.setdefault("rounds", 1)
        if (not isinstance(s["rounds"], int) or s["rounds"] < 1
                or s["repeats"] % s["rounds"]):
            raise Error(f"{path}: {where}: rounds must be an integer >= 1 "
                        "that divides repeats")
        s.setdefault("max_repeats", s["repeats"])
        if (not isinstance(s["max_repeats"], int)
                or s["max_repeats"] < s["repeats"]):
            raise Error(f"{path}: {where}: max_repeats must be an integer "
                        ">= repeats")
        s.setdefault("precision", 0.0)
        if (not isinstance(s["precision"], (int, float))
                or not 0 <= s["precision"] < 1):
            raise Error(f"{path}: {where}: precision must be a number in "
                        "[0, 1) (0: no extra repeats)")
        for key, known in (("configs", configs), ("workloads", workloads)):
            names = need(s, key, where, list)
            bad = [n for n in names if n not in known]
            if bad or not names or len(set(names)) != len(names):
                raise Error(f"{path}: {where}: {key}: unknown, repeated or "
                            f"none: {', '.join(bad) or '(empty)'}")
        sref = s.get("reference")
        if sref is not None and (not isinstance(sref, str)
                                 or sref not in s["configs"]):
            raise Error(f"{path}: {where}: reference '{sref}' is not one of "
                        "the set's configurations")
    base = need(doc, "baseline", "the file")
    if base not in configs:
        raise Error(f"{path}: baseline '{base}' is not a configuration")
    ref = doc.get("reference", "")
    if not isinstance(ref, str) or (ref and ref not in configs):
        raise Error(f"{path}: reference '{ref}' is not a configuration")
    return {"configs": configs, "workloads": workloads, "sets": sets,
            "input": doc.get("input", {}), "baseline": base,
            "reference": ref}


def get_set(bench, name):
    if name not in bench["sets"]:
        raise Error(f"no set '{name}' (the file has: "
                    f"{', '.join(bench['sets'])})")
    s = bench["sets"][name]
    if bench["baseline"] not in s["configs"]:
        raise Error(f"set '{name}' lacks the baseline '{bench['baseline']}'")
    # A set may name its own reference (the guests set: the kernel
    # without the tracepoints); the file's is the default.
    if "reference" in s:
        bench["reference"] = s["reference"]
    return s


def env_of(table, scale):
    env = dict(table.get("env", {}))
    if scale == "full":
        env.update(table.get("env_full", {}))
    return env


def cmd_configs(bench, args):
    s = get_set(bench, args.set)
    for name in s["configs"]:
        c = bench["configs"][name]
        print(f"{name}\t{c['xen']}\t{c['tracer']}\t{c['grub']}\t{c['kernel']}")


def round_order(s, r):
    """The configurations of round r (1, 2, ...): in the set's order in
    odd rounds, reversed in even ones, so that over each pair of rounds
    every configuration has the same mean position in time, and a drift
    of the host's speed weighs on all of them alike."""
    return list(s["configs"]) if r % 2 else list(reversed(s["configs"]))


def cmd_schedule(bench, args):
    s = get_set(bench, args.set)
    per = s["repeats"] // s["rounds"]
    for r in range(1, s["rounds"] + 1):
        for c in round_order(s, r):
            print(f"{r}\t{c}\t{per}\t{(r - 1) * per + 1}")


def cmd_plan(bench, args):
    s = get_set(bench, args.set)
    if args.config not in s["configs"]:
        raise Error(f"set '{args.set}' has no configuration '{args.config}'")
    c = bench["configs"][args.config]
    workloads = s["workloads"]
    if args.workloads:
        workloads = args.workloads.split(",")
        bad = [w for w in workloads if w not in s["workloads"]]
        if bad:
            raise Error(f"set '{args.set}' has no workload "
                        f"'{', '.join(bad)}'")
    repeats = args.repeats if args.repeats else s["repeats"]
    if repeats < 1 or args.first_repeat < 1:
        raise Error("--repeats and --first-repeat must be at least 1")
    os.makedirs(args.out, exist_ok=True)
    lines = [f"# {args.config} of set {args.set}, from bench-xen.toml",
             f"BX_CONFIG={args.config}", f"BX_TRACER={c['tracer']}",
             f"BX_WARMUP={s['warmup']}", f"BX_REPEATS={repeats}",
             f"BX_FIRST_REPEAT={args.first_repeat}",
             f"BX_WORKLOADS={shlex.quote(' '.join(workloads))}"]
    for k, v in env_of(bench["input"], s["scale"]).items():
        lines.append(f"{k}={shlex.quote(v)}")
    for name in workloads:
        w = bench["workloads"][name]
        lines.append(f"metric_{name.replace('-', '_')}={w['metric']}")
        exports = "".join(f"export {k}={shlex.quote(v)}\n"
                          for k, v in env_of(w, s["scale"]).items())
        for part in ("setup", "run", "cleanup"):
            with open(os.path.join(args.out, f"{name}.{part}"), "w") as f:
                f.write(f"# {name} {part}\nset -e\n{exports}"
                        f"{w.get(part, ':')}\n")
    with open(os.path.join(args.out, "plan.sh"), "w") as f:
        f.write("\n".join(lines) + "\n")


# Statistics -------------------------------------------------------------

geomean = stats.geomean
stddev = stats.stddev
# Significance level of the tests, family-wise (Holm) in each table.
ALPHA = 0.05


def relative(xa, xb, better):
    """The original's relative performance, in percent of the baseline
    Xa: [1 - (Xb - Xa) / Xa] x 100 for times (lower is better); for
    throughputs the difference is taken the other way, so that 100 is
    "as fast as the baseline" and less is slower in both cases."""
    if better == "lower":
        return (1 - (xb - xa) / xa) * 100
    return (1 - (xa - xb) / xa) * 100


def read_raw(rawdir, bench, s, strict=True):
    runs = {}
    files = sorted(f for f in os.listdir(rawdir) if f.startswith("raw-")
                   and f.endswith(".tsv"))
    for fname in files:
        path = os.path.join(rawdir, fname)
        with open(path) as f:
            for n, line in enumerate(f, 1):
                fields = line.rstrip("\n").split("\t")
                # 6 fields: raw files from before the event counts; 9:
                # from before the run's wall time and consumer's CPU.
                if len(fields) not in (6, 9, 11):
                    raise Error(f"cannot read {path}:{n}: {len(fields)} "
                                "fields, expected 11")
                fields += ["-"] * (11 - len(fields))
                cfg, wl, rep, value = fields[:4]
                try:
                    v = float(value)
                    # trace bytes, discarded, events, stream and CTF bytes
                    nums = tuple(None if x == "-" else int(x)
                                 for x in fields[4:9])
                    # wall seconds, consumer CPU seconds
                    nums += tuple(None if x == "-" else float(x)
                                  for x in fields[9:])
                except ValueError:
                    raise Error(f"cannot read {path}:{n}: not a number "
                                f"in '{line.strip()}'")
                if not v > 0:
                    raise Error(f"cannot use {path}:{n}: value {value} "
                                "is not positive (geometric mean)")
                key = (cfg, wl)
                runs.setdefault(key, {})
                if rep in runs[key]:
                    raise Error(f"cannot use {path}:{n}: {cfg}/{wl} "
                                f"repeat {rep} appears twice")
                runs[key][rep] = (v,) + nums
    missing = []
    for cfg in s["configs"]:
        for wl in s["workloads"]:
            got = len(runs.get((cfg, wl), {}))
            if got < s["repeats"]:
                missing.append(f"{cfg}/{wl} ({got} of {s['repeats']})")
    if missing and not strict:
        return runs
    if missing:
        raise Error(f"cannot aggregate {rawdir}: runs missing: "
                    + ", ".join(missing))
    return runs


def fmt(x, digits=4):
    if x is None:
        return "-"
    return f"{x:.{digits}g}"


def per_event(rs, col):
    """Bytes per event over the repeats that have both figures: the sum
    of column col over the sum of the events (column 3)."""
    both = [r for r in rs if r[col] is not None and r[3]]
    if not both:
        return None
    return sum(r[col] for r in both) / sum(r[3] for r in both)


def mean(xs):
    return sum(xs) / len(xs) if xs else None


def share(rs):
    """The consumer's CPU time over the runs' wall time, in % of one
    vCPU, over the repeats that have both."""
    both = [r for r in rs if r[6] and r[7] is not None]
    if not both:
        return None
    return 100 * sum(r[7] for r in both) / sum(r[6] for r in both)


def half_width(vals):
    """The relative half-width of the 95 % confidence interval of the
    geometric mean of vals (Student's t on the logs)."""
    m, lo, hi = stats.mean_ci([math.log(v) for v in vals])
    return math.exp((hi - lo) / 2) - 1


def compare(a, b, better):
    """Configuration values a against b: performance of a in % of b's
    (100 = the same, more = faster, whichever way the metric goes), its
    95 % confidence interval, and the p value of Welch's test on the
    logs."""
    r, lo, hi, p = stats.log_ratio_test(a, b)
    if better == "lower":
        return 100 / r, 100 / hi, 100 / lo, p
    return 100 * r, 100 * lo, 100 * hi, p


def relative_ci(a, base, better):
    """The original's relative performance of a against the baseline,
    its 95 % interval and p value: for times 2 - Xb/Xa (in %), for
    throughputs Xb/Xa, with the ratio's interval mapped through."""
    r, lo, hi, p = stats.log_ratio_test(a, base)
    if better == "lower":
        return (2 - hi) * 100, (2 - lo) * 100, p
    return lo * 100, hi * 100, p


def verdict(p_adj, pct):
    if p_adj is None:
        return ""
    if p_adj >= ALPHA:
        return "n.s."
    return "faster" if pct > 100 else "slower"


def add_tests(bench, s, runs, rows):
    """Per cell: against the baseline and against the reference
    configuration, Welch's test on the logs of the repeats; each family
    (all cells against one configuration) Holm-adjusted."""
    base, ref = bench["baseline"], bench.get("reference")
    ref = ref if ref in s["configs"] else None
    for key, other in (("base", base), ("ref", ref)):
        fam = []
        for r in rows:
            r[f"p_{key}"] = r[f"p_{key}_holm"] = None
            if other is None or r["config"] == other:
                continue
            a = [x[0] for x in runs[(r["config"], r["workload"])].values()]
            b = [x[0] for x in runs[(other, r["workload"])].values()]
            if key == "base":
                r["rel_lo"], r["rel_hi"], p = relative_ci(a, b, r["better"])
            else:
                (r["ref_pct"], r["ref_lo"], r["ref_hi"],
                 p) = compare(a, b, r["better"])
            r[f"p_{key}"] = p
            fam.append(r)
        for r, q in zip(fam, stats.holm([r[f"p_{key}"] for r in fam])):
            r[f"p_{key}_holm"] = q
        for r in rows:
            pct = r["relative_pct"] if key == "base" else r.get("ref_pct")
            r[f"sig_{key}"] = verdict(r[f"p_{key}_holm"], pct)


def aggregate(bench, s, rawdir):
    runs = read_raw(rawdir, bench, s)
    base = bench["baseline"]
    rows = []
    for wl in s["workloads"]:
        w = bench["workloads"][wl]
        xa = geomean([r[0] for r in runs[(base, wl)].values()])
        for cfg in s["configs"]:
            rs = list(runs[(cfg, wl)].values())
            vals = [r[0] for r in rs]
            gm = geomean(vals)
            tbs = [r[1] for r in rs if r[1] is not None]
            dcs = [r[2] for r in rs if r[2] is not None]
            evs = [r[3] for r in rs if r[3] is not None]
            bpe = [r[4] / r[3] for r in rs if r[4] is not None and r[3]]
            rows.append({
                "workload": wl, "config": cfg, "unit": w["unit"],
                "better": w["better"], "n": len(vals), "geomean": gm,
                "stddev": stddev(vals), "min": min(vals), "max": max(vals),
                "relative_pct": relative(xa, gm, w["better"]),
                "trace_bytes": sum(tbs) / len(tbs) if tbs else None,
                "trace_bytes_sd": stddev(tbs) if len(tbs) > 1 else None,
                "discarded": sum(dcs) if dcs else None,
                "events": mean(evs),
                "stream_bytes": mean([r[4] for r in rs if r[4] is not None]),
                "bytes_per_event": per_event(rs, 4),
                "bytes_per_event_sd": stddev(bpe) if len(bpe) > 1 else None,
                "ctf_bytes": mean([r[5] for r in rs if r[5] is not None]),
                "ctf_bytes_per_event": per_event(rs, 5),
                "run_seconds": mean([r[6] for r in rs if r[6] is not None]),
                "consumer_cpu_s": mean([r[7] for r in rs
                                        if r[7] is not None]),
                "consumer_share_pct": share(rs),
                "half_width_pct": half_width(vals) * 100,
                "rel_lo": None, "rel_hi": None, "ref_pct": None,
                "ref_lo": None, "ref_hi": None,
            })
    add_tests(bench, s, runs, rows)
    return rows


CSV_FIELDS = ["workload", "config", "unit", "better", "n", "geomean",
              "stddev", "min", "max", "relative_pct", "trace_bytes",
              "trace_bytes_sd", "discarded", "events", "stream_bytes",
              "bytes_per_event", "bytes_per_event_sd", "ctf_bytes",
              "ctf_bytes_per_event", "run_seconds", "consumer_cpu_s",
              "consumer_share_pct", "half_width_pct", "rel_lo", "rel_hi",
              "p_base", "p_base_holm", "sig_base", "ref_pct", "ref_lo",
              "ref_hi", "p_ref", "p_ref_holm", "sig_ref"]


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(CSV_FIELDS)
        for r in rows:
            out.writerow(["" if r[k] is None else
                          (f"{r[k]:.6g}" if isinstance(r[k], float) else r[k])
                          for k in CSV_FIELDS])


def size_pairs(bench, s, rows):
    """Per workload: (lttng-disk bytes, xentrace bytes), when the set has
    one configuration of each."""
    by = {(r["config"], r["workload"]): r for r in rows}
    lt = [c for c in s["configs"] if bench["configs"][c]["tracer"] == "lttng-disk"]
    xt = [c for c in s["configs"] if bench["configs"][c]["tracer"] == "xentrace"]
    if not lt or not xt:
        return None, None, []
    pairs = [(wl, by[(lt[0], wl)], by[(xt[0], wl)]) for wl in s["workloads"]]
    if not all(a["trace_bytes"] and b["trace_bytes"] for _, a, b in pairs):
        return None, None, []   # Runs without sizes (a stand-in harness).
    return lt[0], xt[0], pairs


def write_md(bench, s, setname, rows, notes, path):
    cfgs = s["configs"]
    by = {(r["config"], r["workload"]): r for r in rows}
    L = [f"# bench-xen: results (set `{setname}`)", ""]
    L += [f"- {n}" for n in notes]
    warm = (f", after {s['warmup']} warm-up round(s) per boot not "
            "counted" if s["warmup"] else "")
    ns = sorted({r["n"] for r in rows})
    nrep = (f"{ns[0]}" if len(ns) == 1 else f"{ns[0]} to {ns[-1]}")
    L += [f"- {nrep} repeats of every workload per configuration"
          f"{warm}; value = geometric mean, ± = sample standard deviation "
          "of the repeats, (min..max).",
          f"- relative % = [1 - (Xb - Xa) / Xa] x 100 against "
          f"`{bench['baseline']}` (Xa); for higher-is-better metrics "
          "(MB/s) the difference is taken the other way, so 100 % = as fast "
          "as the baseline and below 100 % = slower, for every row.",
          "- [low, high]: 95 % confidence interval (Welch's t on the logs "
          "of the repeats); a difference is called significant when "
          "Welch's test rejects \"no difference\" at 5 %, Holm-adjusted "
          "over all the cells of its table (so that a table as a whole "
          "has at most a 5 % chance of one false call); \"n.s.\": the "
          "repeats cannot tell the two apart (bench/xen/README.md, "
          "Statistics).", ""]
    L.append("## Configurations")
    L.append("")
    L.append("| config | Xen | tracer | dom0 and domU kernel |")
    L.append("|---|---|---|---|")
    for c in cfgs:
        cc = bench["configs"][c]
        L.append(f"| `{c}` ({cc['label']}) | {cc['xen']} | {cc['tracer']} | {cc['kernel']} |")
    L += ["", "## Overhead", ""]
    L.append("| workload | unit | " + " | ".join(f"`{c}`" for c in cfgs) + " |")
    L.append("|---|---|" + "---|" * len(cfgs))
    for wl in s["workloads"]:
        w = bench["workloads"][wl]
        cells = []
        for c in cfgs:
            r = by[(c, wl)]
            cells.append(f"{fmt(r['geomean'])} ± {fmt(r['stddev'], 2)} "
                         f"({fmt(r['min'])}..{fmt(r['max'])})")
        L.append(f"| {w['label']} | {w['unit']} ({w['better']} is better) | "
                 + " | ".join(cells) + " |")
    L += ["", "Relative performance (% of the baseline, [95 % interval], "
          "significance):", ""]
    L.append("| workload | " + " | ".join(f"`{c}`" for c in cfgs) + " |")
    L.append("|---|" + "---|" * len(cfgs))
    for wl in s["workloads"]:
        L.append(f"| {bench['workloads'][wl]['label']} | " + " | ".join(
            rel_cell(by[(c, wl)]) for c in cfgs) + " |")
    ref = bench.get("reference")
    if ref in cfgs:
        L += ["", f"## Against `{ref}`", "",
              f"Performance in % of `{ref}`'s on the same workload "
              "(more = faster), [95 % interval], and whether the repeats "
              "tell the two apart (Holm-adjusted over this table):", ""]
        others = [c for c in cfgs if c != ref]
        L.append("| workload | " + " | ".join(f"`{c}`" for c in others) + " |")
        L.append("|---|" + "---|" * len(others))
        for wl in s["workloads"]:
            L.append(f"| {bench['workloads'][wl]['label']} | " + " | ".join(
                ref_cell(by[(c, wl)]) for c in others) + " |")
        sig = [r for r in rows if r["sig_ref"] in ("faster", "slower")]
        L += ["", f"Significant: {len(sig)} of "
              f"{len([r for r in rows if r['sig_ref']])} cells"
              + (": " + ", ".join(
                  f"`{r['config']}` {r['sig_ref']} on "
                  f"{bench['workloads'][r['workload']]['label']}"
                  for r in sig) if sig else "") + "."]
    lt, xt, pairs = size_pairs(bench, s, rows)
    if pairs:
        L += ["", "## Trace size per run", "",
              f"Mean bytes of one run's trace (one session per run): "
              f"`{lt}` = the CTF trace directory (metadata and streams), "
              f"`{xt}` = xentrace's file (`-e all`).  Goal: lttng-xen <= "
              "0.5 x xentrace while timestamping every event.  The "
              "lttng-xen figure includes its CTF metadata, written once "
              "per trace (tens of KB: it describes every event): "
              "on short runs that is a visible part of it.", ""]
        L.append(f"| workload | `{lt}` bytes | events discarded | "
                 f"`{xt}` bytes | ratio |")
        L.append("|---|---|---|---|---|")
        for wl, a, b in pairs:
            ratio = (f"{a['trace_bytes'] / b['trace_bytes']:.2f}"
                     if a["trace_bytes"] and b["trace_bytes"] else "-")
            L.append(f"| {bench['workloads'][wl]['label']} | "
                     f"{a['trace_bytes']:.0f} ± {fmt(a['trace_bytes_sd'], 2)} | "
                     f"{fmt(a['discarded'])} | "
                     f"{b['trace_bytes']:.0f} ± {fmt(b['trace_bytes_sd'], 2)} | "
                     f"{ratio} |")
        L += per_event_md(bench, lt, xt, pairs)
    L += consumer_md(bench, s, by)
    charts = "`overhead.png` (relative performance)"
    if pairs:
        charts += ", `trace-size.png` (bytes per run)"
    if has_per_event(pairs):
        charts += ", `bytes-per-event.png`"
    L += ["", f"Charts: {charts}; raw runs: `raw/`.", ""]
    with open(path, "w") as f:
        f.write("\n".join(L))


def rel_cell(r):
    if r["rel_lo"] is None:
        return f"{r['relative_pct']:.1f} %"
    mark = {"faster": ", **faster**", "slower": ", **slower**"}.get(
        r["sig_base"], ", n.s.")
    return (f"{r['relative_pct']:.1f} % [{r['rel_lo']:.1f}, "
            f"{r['rel_hi']:.1f}]{mark}")


def ref_cell(r):
    mark = {"faster": "**faster**", "slower": "**slower**"}.get(
        r["sig_ref"], "n.s.")
    return (f"{r['ref_pct']:.1f} % [{r['ref_lo']:.1f}, {r['ref_hi']:.1f}] "
            f"{mark}")


def fmt_int(x):
    return "-" if x is None else f"{x:.0f}"


def ratio(a, b, digits=3):
    return f"{a / b:.{digits}f}" if a is not None and b else "-"


def has_per_event(pairs):
    """Whether every workload has both bytes per event and xentrace's
    records converted (raw files with event counts, lttng-xen-import)."""
    return bool(pairs) and all(
        a["bytes_per_event"] and b["bytes_per_event"]
        and b["ctf_bytes_per_event"] for _, a, b in pairs)


def per_event_md(bench, lt, xt, pairs):
    """The size table per event: event streams only, the runs' own
    events, and xentrace's records converted by lttng-xen-import (the
    same events in both formats)."""
    if not any(a["bytes_per_event"] for _, a, _ in pairs):
        return []
    L = ["", "### Bytes per event", "",
         "Event streams only (lttng-xen's CTF metadata, written once per "
         "trace, left out), over all repeats.  The two tracers ran "
         "separately, so their event counts differ; the last columns take "
         f"the records of `{xt}`'s own files through `lttng-xen-import`, "
         "the hypervisor's remap and ring buffer: the same events in "
         "lttng-xen's format, so that ratio does not depend on the runs.",
         "",
         f"| workload | `{lt}` events | B/event | `{xt}` records | B/record "
         "| ratio | same records as lttng-xen CTF: B/event | ratio |",
         "|---|---|---|---|---|---|---|---|"]
    tot = {"lev": 0, "lb": 0, "xev": 0, "xb": 0, "cb": 0}
    for wl, a, b in pairs:
        L.append(f"| {bench['workloads'][wl]['label']} | "
                 f"{fmt_int(a['events'])} | {fmt(a['bytes_per_event'])} | "
                 f"{fmt_int(b['events'])} | {fmt(b['bytes_per_event'])} | "
                 f"{ratio(a['bytes_per_event'], b['bytes_per_event'])} | "
                 f"{fmt(b['ctf_bytes_per_event'])} | "
                 f"{ratio(b['ctf_bytes_per_event'], b['bytes_per_event'])} |")
        if a["events"] and b["events"] and b["ctf_bytes"] is not None:
            tot["lev"] += a["events"]
            tot["lb"] += a["stream_bytes"]
            tot["xev"] += b["events"]
            tot["xb"] += b["stream_bytes"]
            tot["cb"] += b["ctf_bytes"]
    if tot["lev"] and tot["xev"]:
        lb, xb, cb = (tot["lb"] / tot["lev"], tot["xb"] / tot["xev"],
                      tot["cb"] / tot["xev"])
        L.append(f"| **all** | {tot['lev']:.0f} | {lb:.4g} | "
                 f"{tot['xev']:.0f} | {xb:.4g} | **{ratio(lb, xb)}** | "
                 f"{cb:.4g} | **{ratio(cb, xb)}** |")
    return L


def consumer_md(bench, s, by):
    """The consumers' CPU time in dom0 (lttd-xen, xentrace), where the
    raw runs have it: what a tracer's daemon takes from the workload."""
    cfgs = [c for c in s["configs"]
            if any(by[(c, wl)]["consumer_share_pct"] is not None
                   for wl in s["workloads"])]
    if not cfgs:
        return []
    L = ["", "## The consumer in dom0", "",
         "CPU time of the trace's consumer (lttd-xen, xentrace) during a "
         "run, user and system, from /proc, mean per run, and its share "
         "of the run's wall time (% of one of dom0's 2 vCPUs):", "",
         "| workload | " + " | ".join(f"`{c}`" for c in cfgs) + " |",
         "|---|" + "---|" * len(cfgs)]
    for wl in s["workloads"]:
        cells = []
        for c in cfgs:
            r = by[(c, wl)]
            cells.append("-" if r["consumer_share_pct"] is None else
                         f"{r['consumer_cpu_s']:.2f} s, "
                         f"{r['consumer_share_pct']:.1f} %")
        L.append(f"| {bench['workloads'][wl]['label']} | "
                 + " | ".join(cells) + " |")
    return L


def gnuplot(script, what):
    try:
        p = subprocess.run(["gnuplot"], input=script, text=True,
                           capture_output=True)
    except FileNotFoundError:
        raise Error(f"cannot draw {what}: no gnuplot (Debian package "
                    "gnuplot-nox)")
    if p.returncode:
        raise Error(f"cannot draw {what}: gnuplot: {p.stderr.strip()}")


def quote_gp(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def bar_chart(outdir, name, title, ylabel, groups, series, table):
    """One bar group per workload (groups), one bar per series, error
    bars: table[(series, group)] = (value, error)."""
    dat = os.path.join(outdir, name + ".dat")
    with open(dat, "w") as f:
        for g, glabel in groups:
            f.write(quote_gp(glabel) + "".join(
                f" {table[(sname, g)][0]:.6g} {table[(sname, g)][1]:.6g}"
                for sname, _ in series) + "\n")
    plots = []
    for i, (_, slabel) in enumerate(series):
        src = quote_gp(dat) if i == 0 else "''"
        xtic = ":xtic(1)" if i == 0 else ""
        plots.append(f"{src} using {2 + 2 * i}:{3 + 2 * i}{xtic} "
                     f"title {quote_gp(slabel)}")
    gnuplot(f"""set terminal pngcairo size 1100,520 font ",10"
set output {quote_gp(os.path.join(outdir, name + '.png'))}
set title {quote_gp(title)}
set ylabel {quote_gp(ylabel)}
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key outside bottom center horizontal
set bmargin 5
set xtics nomirror
plot {", ".join(plots)}
""", name + ".png")


def write_charts(bench, s, rows, outdir):
    by = {(r["config"], r["workload"]): r for r in rows}
    groups = [(wl, bench["workloads"][wl]["label"]) for wl in s["workloads"]]
    series = [(c, bench["configs"][c]["label"]) for c in s["configs"]]
    table = {}
    for c, _ in series:
        for wl, _ in groups:
            r = by[(c, wl)]
            # The spread of the repeats, on the relative scale.
            table[(c, wl)] = (r["relative_pct"],
                              r["stddev"] / r["geomean"] * 100)
    bar_chart(outdir, "overhead", "Relative performance in dom0 "
              f"(% of {bench['baseline']}; error bars: stddev of the repeats)",
              "% of the baseline (higher is better)", groups, series, table)
    lt, xt, pairs = size_pairs(bench, s, rows)
    if not pairs:
        return
    table = {}
    for wl, a, b in pairs:
        table[(lt, wl)] = (a["trace_bytes"] / 1e6,
                           (a["trace_bytes_sd"] or 0) / 1e6)
        table[(xt, wl)] = (b["trace_bytes"] / 1e6,
                           (b["trace_bytes_sd"] or 0) / 1e6)
    bar_chart(outdir, "trace-size", "Trace size per workload run "
              "(error bars: stddev of the repeats)", "MB per run", groups,
              [(lt, bench["configs"][lt]["label"]),
               (xt, bench["configs"][xt]["label"])], table)
    if not has_per_event(pairs):
        return
    table = {}
    for wl, a, b in pairs:
        table[(lt, wl)] = (a["bytes_per_event"], a["bytes_per_event_sd"] or 0)
        table[(xt, wl)] = (b["bytes_per_event"], b["bytes_per_event_sd"] or 0)
        table[("import", wl)] = (b["ctf_bytes_per_event"], 0)
    bar_chart(outdir, "bytes-per-event", "Bytes per event, event streams "
              "(error bars: stddev of the repeats)", "bytes per event",
              groups, [(lt, bench["configs"][lt]["label"]),
                       (xt, bench["configs"][xt]["label"]),
                       ("import", "xentrace's records as lttng-xen CTF")],
              table)


def cmd_more(bench, args):
    """The next round's boots: per configuration, the workloads whose
    95 % interval of the geometric mean is wider than +-precision, with
    repeats left under max_repeats; as many repeats as a base round has,
    capped."""
    s = get_set(bench, args.set)
    runs = read_raw(args.raw, bench, s, strict=False)
    per = s["repeats"] // s["rounds"]
    if not s["precision"]:
        return
    for c in round_order(s, args.round):
        wls, room, first = [], per, 1
        for wl in s["workloads"]:
            rs = runs.get((c, wl), {})
            first = max([first] + [int(k) + 1 for k in rs])
            vals = [r[0] for r in rs.values()]
            left = s["max_repeats"] - len(vals)
            if left > 0 and (len(vals) < 2
                             or half_width(vals) > s["precision"]):
                wls.append(wl)
                room = min(room, left)
        if wls:
            print(f"{args.round}\t{c}\t{room}\t{first}\t{','.join(wls)}")


def read_results(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise Error(f"cannot read {path}: {e.strerror}")
    if not rows or "sig_ref" not in rows[0]:
        raise Error(f"cannot use {path}: not a results.csv with "
                    "significance columns (sig_ref)")
    return {(r["workload"], r["config"]): r for r in rows}


def cmd_agree(bench, args):
    """Two runs agree on a cell one of them calls significant when the
    other calls it significant in the same direction.  Prints every
    such cell, then the verdict; exit status 0 when they agree on all."""
    a, b = read_results(args.a), read_results(args.b)
    if set(a) != set(b):
        raise Error(f"{args.a} and {args.b} do not have the same cells")
    both = contra = one = 0
    for key in sorted(a):
        for col, against in (("sig_ref", "the reference"),
                             ("sig_base", "the baseline")):
            va, vb = a[key][col], b[key][col]
            sig = {"faster", "slower"}
            if va not in sig and vb not in sig:
                continue
            if va == vb:
                both += 1
                what = "agree"
            elif va in sig and vb in sig:
                contra += 1
                what = "CONTRADICT"
            else:
                one += 1
                what = "one run only"
            print(f"{what}: {key[1]} on {key[0]} against {against}: "
                  f"{va} / {vb}")
    print(f"{both} significant cell(s) in both runs alike, {one} in one "
          f"run only, {contra} in opposite directions")
    if one or contra:
        raise Error(f"{args.a} and {args.b} do not agree on every cell "
                    "they call significant")


def cmd_aggregate(bench, args):
    s = get_set(bench, args.set)
    rows = aggregate(bench, s, args.raw)
    os.makedirs(args.out, exist_ok=True)
    write_csv(rows, os.path.join(args.out, "results.csv"))
    write_md(bench, s, args.set, rows, args.note,
             os.path.join(args.out, "results.md"))
    if not args.no_charts:
        write_charts(bench, s, rows, args.out)


def command(args):
    """The subcommand args name, on the bench file args name."""
    bench = load(args.file)
    {"configs": cmd_configs, "schedule": cmd_schedule,
     "plan": cmd_plan, "more": cmd_more, "agree": cmd_agree,
     "aggregate": cmd_aggregate}[args.cmd](bench, args)


def main():
    ap = argparse.ArgumentParser(prog="benchxen.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default=os.path.join(HERE, "bench-xen.toml"),
                    help="the benchmark definition (default: %(default)s)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("configs", help="the configurations of a set")
    p.add_argument("--set", default="default")
    p = sub.add_parser("schedule", help="the boots of the set's rounds")
    p.add_argument("--set", default="default")
    p = sub.add_parser("plan", help="the plan of one configuration")
    p.add_argument("--set", default="default")
    p.add_argument("--config", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--repeats", type=int, default=0,
                   help="repeats in this boot (default: the set's)")
    p.add_argument("--first-repeat", type=int, default=1,
                   help="number of the first repeat (default: 1)")
    p.add_argument("--workloads", default="",
                   help="comma-separated (default: the set's)")
    p = sub.add_parser("more", help="the boots of one more round")
    p.add_argument("--set", default="default")
    p.add_argument("--raw", required=True, help="directory of raw-*.tsv")
    p.add_argument("--round", type=int, required=True,
                   help="its number (orders the configurations)")
    p = sub.add_parser("agree", help="do two runs agree?")
    p.add_argument("a", help="the first run's results.csv")
    p.add_argument("b", help="the second run's results.csv")
    p = sub.add_parser("aggregate", help="results from the raw runs")
    p.add_argument("--set", default="default")
    p.add_argument("--raw", required=True, help="directory of raw-*.tsv")
    p.add_argument("--out", required=True)
    p.add_argument("--note", action="append", default=[],
                   help="a line for the report's header (repeatable)")
    p.add_argument("--no-charts", action="store_true")
    args = ap.parse_args()
    return run("benchxen", command, args)


if __name__ == "__main__":
    sys.exit(main())
