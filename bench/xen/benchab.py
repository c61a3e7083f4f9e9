#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The table of `make bench-guest-ab` (bench/xen/ab-run): the guest
tracepoints' cost when no one traces, measured in pairs inside one
boot: the same microbench mode in a PV domU of the traced kernel (make
linux) and of the same configuration without linux-patches/, back to
back.

  benchab.py aggregate --raw DIR --out DIR [--pairs P] [--note TEXT]...

DIR holds rows-N.txt, one per boot N, the lines ab-dom0.sh appended:

  ab: row MODE PAIR KERNEL VALUE

(KERNEL lttng or plain, VALUE the microbench figure: us for syscall,
ctx and fork, MB/s for pipe).  Every boot must have run the same modes,
each in pairs 1..N (N of its own, the same for its modes; P with
--pairs), each pair with one figure of each kernel; anything missing,
repeated or malformed is refused, naming it.  So several runs pool
into one table: their rows-N.txt copied into one directory under
distinct N.  Writes results.md and results.csv (one row per mode).

Figures, per mode: each pair's cost ratio, the traced kernel's time
over the plain one's (for MB/s, the plain one's bandwidth over the
traced one's), so above 1 = the traced kernel slower; their geometric
mean with a 95 % interval (Student's t on the logs of the ratios: a
paired test, which a slow period of the host, shared by both figures
of a pair, does not widen), the p value, Holm-adjusted over the modes;
the range of the per-boot geometric means; and, for comparison, the
interval the same figures give unpaired (Welch on the logs), what a
benchmark that boots each kernel separately could at best resolve.

Exit status: 0 done; 1 incomplete or malformed rows ("benchab: cannot
..."); 2 usage.
"""
import argparse
import csv
import math
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402
from benchcli import Error, run  # noqa: E402

KERNELS = ("lttng", "plain")
# mode: (label, unit, lower is better)
MODES = {
    "syscall": ("null syscall", "us", True),
    "ctx": ("ctx switch", "us", True),
    "fork": ("fork + exit", "us", True),
    "pipe": ("pipe bw", "MB/s", False),
}
ROW_RE = re.compile(r"^ab: row (\S+) (\d+) (\S+) (\S+)\r?$")
FILE_RE = re.compile(r"^rows-(\d+)\.txt$")


def read_boot(path, pairs=None):
    """{mode: [(lttng, plain) per pair]} of one boot: pairs 1..N of
    every mode, N = pairs when given."""
    got = {}
    with open(path, errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.startswith("ab: row"):
                continue
            m = ROW_RE.match(line)
            if not m:
                raise Error(f"cannot read {path}:{n}: '{line}'")
            mode, pair, kernel, value = m.groups()
            pair = int(pair)
            if mode not in MODES:
                raise Error(f"cannot use {path}:{n}: unknown mode '{mode}' "
                            f"(known: {', '.join(MODES)})")
            if kernel not in KERNELS:
                raise Error(f"cannot use {path}:{n}: unknown kernel "
                            f"'{kernel}' (lttng or plain)")
            if pair < 1 or (pairs and pair > pairs):
                raise Error(f"cannot use {path}:{n}: pair {pair}, "
                            f"expected 1..{pairs or 'N'}")
            try:
                v = float(value)
            except ValueError:
                v = float("nan")
            if not v > 0 or math.isinf(v):
                raise Error(f"cannot use {path}:{n}: '{value}' is not a "
                            "positive figure")
            key = (mode, pair, kernel)
            if key in got:
                raise Error(f"cannot use {path}:{n}: a second {kernel} "
                            f"figure for {mode} in pair {pair}")
            got[key] = v
    modes = sorted({k[0] for k in got}, key=list(MODES).index)
    if not modes:
        raise Error(f"cannot use {path}: no 'ab: row' line")
    if not pairs:
        pairs = max(k[1] for k in got)
    out = {}
    for mode in modes:
        out[mode] = []
        for pair in range(1, pairs + 1):
            miss = [k for k in KERNELS if (mode, pair, k) not in got]
            if miss:
                raise Error(f"cannot use {path}: {mode}, pair {pair} has no "
                            f"{' and no '.join(miss)} figure")
            out[mode].append((got[(mode, pair, "lttng")],
                              got[(mode, pair, "plain")]))
    return out


def read_raw(rawdir, pairs=None):
    """[{mode: [(lttng, plain)]} per boot], in boot order."""
    try:
        names = os.listdir(rawdir)
    except OSError as e:
        raise Error(f"cannot read {rawdir}: {e.strerror}")
    files = sorted((f for f in names if FILE_RE.match(f)),
                   key=lambda f: int(FILE_RE.match(f).group(1)))
    if not files:
        raise Error(f"cannot use {rawdir}: no rows-N.txt")
    boots = [read_boot(os.path.join(rawdir, f), pairs) for f in files]
    modes = set(boots[0])
    for f, b in zip(files, boots):
        if set(b) != modes:
            raise Error(f"cannot use {rawdir}: {f} ran {', '.join(sorted(b))}"
                        f", {files[0]} {', '.join(sorted(modes))}")
    return boots


def cost(lt, pl, lower_better):
    """Above 1 = the traced kernel slower."""
    return lt / pl if lower_better else pl / lt


def analyse(boots):
    """One dict per mode, in MODES order."""
    rows = []
    for mode in (m for m in MODES if m in boots[0]):
        label, unit, lower = MODES[mode]
        pairs = [p for b in boots for p in b[mode]]
        logs = [math.log(cost(lt, pl, lower)) for lt, pl in pairs]
        n = len(logs)
        m, lo, hi = stats.mean_ci(logs)
        sd = stats.stddev(logs)
        if n < 2:
            p = 1.0
        elif sd == 0:
            p = 1.0 if m == 0 else 0.0
        else:
            p = stats.t_sf2(m / (sd / math.sqrt(n)), n - 1)
        lts = [lt for lt, _ in pairs]
        pls = [pl for _, pl in pairs]
        # Unpaired: the same figures as two independent samples.
        a, b = (lts, pls) if lower else (pls, lts)
        _, ulo, uhi, _ = stats.log_ratio_test(a, b)
        per_boot = [math.exp(stats.mean([math.log(cost(lt, pl, lower))
                                         for lt, pl in bt[mode]]))
                    for bt in boots]
        rows.append({
            "mode": mode, "label": label, "unit": unit, "pairs": n,
            "lttng_median": stats.median(lts),
            "plain_median": stats.median(pls),
            "lttng_min": min(lts), "lttng_max": max(lts),
            "plain_min": min(pls), "plain_max": max(pls),
            "cost": math.exp(m), "low": math.exp(lo), "high": math.exp(hi),
            "p": p, "boot_low": min(per_boot), "boot_high": max(per_boot),
            "unpaired_low": ulo, "unpaired_high": uhi,
        })
    for r, padj in zip(rows, stats.holm([r["p"] for r in rows])):
        r["p_holm"] = padj
        if padj >= 0.05:
            r["verdict"] = "n.s."
        else:
            r["verdict"] = "slower" if r["cost"] > 1 else "faster"
    return rows


def pct(x):
    """A cost ratio as a signed percentage: 1.034 -> +3.4 %."""
    return f"{(x - 1) * 100:+.1f} %"


def write_md(rows, boots, notes, path):
    with open(path, "w") as f:
        f.write("# bench-guest-ab: the guest tracepoints' cost, not "
                "tracing, in pairs\n\n")
        for n in notes:
            f.write(f"- {n}\n")
        per = sorted({len(next(iter(b.values()))) for b in boots})
        f.write(f"- {len(boots)} boot(s), "
                f"{' or '.join(str(n) for n in per)} pairs per mode in "
                "each: "
                "a PV domU of the traced kernel (`lttng`: make linux) and "
                "one of the same configuration without linux-patches/ "
                "(`plain`: mk/linux.sh build-plain), back to back, the "
                "traced one first in odd pairs, second in even ones\n")
        f.write("- cost: the traced kernel's time over the plain one's "
                "(bandwidth: the plain one's over the traced one's) per "
                "pair; geometric mean, [95 % interval] (Student's t on the "
                "logs of the pair ratios), p Holm-adjusted over the modes; "
                "+ = the traced kernel slower\n\n")
        f.write("| mode | pairs | traced (median [min..max]) | plain "
                "(median [min..max]) | cost [95 %] | verdict | per boot | "
                "unpaired [95 %] |\n")
        f.write("|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            verdict = r["verdict"] if r["verdict"] == "n.s." else \
                f"**traced {r['verdict']}**"
            f.write(
                f"| {r['label']} ({r['unit']}) | {r['pairs']} | "
                f"{r['lttng_median']:.4g} [{r['lttng_min']:.4g}.."
                f"{r['lttng_max']:.4g}] | {r['plain_median']:.4g} "
                f"[{r['plain_min']:.4g}..{r['plain_max']:.4g}] | "
                f"{pct(r['cost'])} [{pct(r['low'])}, {pct(r['high'])}] | "
                f"{verdict} (p {r['p_holm']:.2g}) | {pct(r['boot_low'])} .. "
                f"{pct(r['boot_high'])} | [{pct(r['unpaired_low'])}, "
                f"{pct(r['unpaired_high'])}] |\n")
        sig = [r for r in rows if r["verdict"] != "n.s."]
        f.write(f"\nSignificant: {len(sig)} of {len(rows)} modes"
                + (": " + ", ".join(f"{r['label']} ({r['verdict']})"
                                    for r in sig) if sig else "")
                + f".  All intervals within {pct(min(r['low'] for r in rows))}"
                f" .. {pct(max(r['high'] for r in rows))}.\n")


def write_csv(rows, path):
    cols = ["mode", "unit", "pairs", "lttng_median", "plain_median",
            "cost", "low", "high", "p", "p_holm", "verdict", "boot_low",
            "boot_high", "unpaired_low", "unpaired_high"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow([f"{r[c]:.6g}" if isinstance(r[c], float) else r[c]
                        for c in cols])


def aggregate(args):
    if args.pairs is not None and args.pairs < 2:
        raise Error("--pairs must be at least 2")
    boots = read_raw(args.raw, args.pairs)
    rows = analyse(boots)
    os.makedirs(args.out, exist_ok=True)
    write_csv(rows, os.path.join(args.out, "results.csv"))
    write_md(rows, boots, args.note,
             os.path.join(args.out, "results.md"))


def main():
    ap = argparse.ArgumentParser(
        prog="benchab.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("aggregate", help="results from the raw rows")
    p.add_argument("--raw", required=True, help="directory of rows-N.txt")
    p.add_argument("--out", required=True)
    p.add_argument("--pairs", type=int,
                   help="pairs per mode and boot (default: each boot's own)")
    p.add_argument("--note", action="append", default=[],
                   help="a line for the report's header (repeatable)")
    args = ap.parse_args()
    return run("benchab", aggregate, args)


if __name__ == "__main__":
    sys.exit(main())
