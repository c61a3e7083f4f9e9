#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""report.py OUT: turn the raw measurements of bench/run (OUT/raw/*.jsonl,
one JSON object a line) into OUT/results.md and OUT/results.json, and print
the Markdown.  Medians over runs, ratios against LTTng-UST measured in the
same run; targets are printed beside the numbers, never asserted."""

import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys

TARGETS = {
    "record_ns": 20.0,
    "record_ratio": 0.3,
    "disabled_ns": 1.0,
    "two_u32_bytes": 12.0,
    "xentrace_two_u32_bytes": 20,
    "drain_gb_s": 1.0,
    "rate_total": 5e6,
}
# The kinds of the record table, in order, and what each stands for.
KINDS = [
    ("f0", "0 fields"),
    ("f2", "2 fields"),
    ("f2x", "2 fields, rare id"),
    ("il", "int + long"),
    ("f4", "4 fields"),
    ("f6", "6 fields"),
    ("cs", "4 x u16"),
]
# The xentrace remap (lttng_xen_xt_record(), the path of Xen's xentrace
# call sites) beside the typed tracepoint of the same event, per shape:
# (shape, typed kind, remap kind).  lttng-xen only.
REMAP_PAIRS = [
    ("no payload", "f0", "x0"),
    ("1 word", "f1", "x1"),
    ("2 words", "f2", "x2"),
    ("5 words", "f5", "x5"),
    ("hypercall (1 argument)", "fh", "xh"),
    ("sched:switch_infprev", "fsi", "xsi"),
    ("pv:emulate_privop (64-bit)", "fep", "xep"),
]
REMAP_GOAL = 1.2
REMAP_KINDS = [(k, "typed twin of " + r) for _, k, r in REMAP_PAIRS
               if k not in dict(KINDS)] + \
    [(r, "remap, " + shape) for shape, _, r in REMAP_PAIRS]
COMPACT_KINDS = ["f0", "f2", "il", "f4", "f6", "cs"]


def load(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(v, digits=1, unit=""):
    if v is None:
        return "n/a"
    return f"{v:.{digits}f}{unit}"


def aggregate_record(rows):
    """(tracer, kind, threads) -> medians over the measured runs."""
    groups = {}
    for r in rows:
        if r.get("bench") != "record" or r.get("warmup"):
            continue
        groups.setdefault((r["tracer"], r["kind"], r["threads"]), []).append(r)
    out = {}
    for key, rs in groups.items():
        batch = [statistics.mean([v for v in r["batch_ns_per_event"] if v >= 0])
                 for r in rs if any(v >= 0 for v in r["batch_ns_per_event"])]
        wall = [statistics.mean(r["ns_per_event"]) for r in rs]
        known = [r for r in rs if r["produced"] >= 0]
        agg = {
            "tracer": key[0], "kind": key[1], "threads": key[2],
            "event": rs[0]["event"], "fields": rs[0]["fields"],
            "runs": len(rs),
            "events_per_thread": rs[0]["events_per_thread"],
            "ns_per_event_median": median(batch),
            "ns_per_event_min": min(batch) if batch else None,
            "ns_per_event_max": max(batch) if batch else None,
            "ns_per_event_runs": batch,
            "wall_ns_per_event_median": median(wall),
            "events_per_s_median": median([r["events_per_s"] for r in rs]),
            "clean_batch_share": (sum(sum(r["clean_batches"]) for r in rs) /
                                  max(1, sum(sum(r["batches"]) for r in rs))),
        }
        if known:
            agg["produced"] = sum(r["produced"] for r in known)
            agg["discarded"] = sum(r["discarded"] for r in known)
            agg["runs_with_discards"] = sum(1 for r in known if r["discarded"])
            agg["stream_bytes_per_event"] = median(
                [r["content_bytes"] / r["produced"] for r in known
                 if r["produced"]])
        out[key] = agg
    return out


def callgrind_total(path):
    for line in open(path):
        m = re.match(r"(summary|totals):\s+(\d+)", line)
        if m:
            return int(m.group(2))
    return None


def callgrind_function(path, pattern):
    """Inclusive instructions of the function whose name matches (the
    largest figure: callgrind_annotate also lists inlined pieces)."""
    try:
        text = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", "--threshold=100",
             "--auto=no", os.path.abspath(path)], cwd="/",
            capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    best = None
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\S*:(\S+) \[", line)
        if m and re.fullmatch(pattern, m.group(2)):
            n = int(m.group(1).replace(",", ""))
            best = n if best is None else max(best, n)
    return best


def aggregate_callgrind(raw, rows):
    out = {}
    for r in rows:
        tracer, kind = r["tracer"], r["kind"]
        n = r.get("events") or r.get("events_per_thread")
        path = os.path.join(raw, f"callgrind-{tracer}-{kind}.out")
        if not os.path.exists(path):
            continue
        total = callgrind_total(path)
        if tracer == "lttng-xen":
            fn, pat = "lttng_xen_record", r"lttng_xen_record(_chunks)?"
        else:
            fn = f"lttng_ust__event_probe__bench_ust___{kind}"
            pat = re.escape(fn)
        inner = callgrind_function(path, pat)
        remap = (callgrind_function(path, r"lttng_xen_xt_record")
                 if tracer == "lttng-xen" else None)
        out[(tracer, kind)] = {
            "tracer": tracer, "kind": kind, "event": r["event"],
            "events": n,
            "instructions_per_event": total / n if total else None,
            "probe_function": fn,
            "probe_instructions_per_event": inner / n if inner else None,
            "remap_instructions_per_event": remap / n if remap else None,
            "discarded": r.get("discarded"),
        }
    return out


def ust_discarded(raw):
    text = read(os.path.join(raw, "ust-list.txt"))
    nums = [int(x) for x in re.findall(r"Discarded events:\s*(\d+)", text)]
    lost = [int(x) for x in re.findall(r"Lost packets:\s*(\d+)", text)]
    warn = read(os.path.join(raw, "ust-stop.txt"))
    m = re.search(r"(\d+) events? (?:were|was) discarded", warn)
    if nums:
        return sum(nums), sum(lost) if lost else None
    if m:
        return int(m.group(1)), None
    return None, None


def environment(out, raw, info):
    cpu = ""
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    rev = ""
    try:
        rev = subprocess.run(["git", "-C", os.path.dirname(__file__),
                              "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return {
        "cpu": cpu,
        "online_cpus": os.cpu_count(),
        "kernel": platform.release(),
        "tsc_hz": info.get("tsc_hz"),
        "subbuf_size": info.get("subbuf_size"),
        "nr_subbufs": info.get("nr_subbufs"),
        "lttng_tools": read(os.path.join(raw, "lttng-version")),
        "liblttng_ust": read(os.path.join(raw, "ust-version")),
        "loadavg_start": read(os.path.join(raw, "loadavg-start")),
        "loadavg_end": read(os.path.join(raw, "loadavg-end")),
        "seconds": read(os.path.join(raw, "seconds")),
        "git": rev,
    }


def main():
    out = sys.argv[1]
    raw = os.path.join(out, "raw")
    info = (load(os.path.join(raw, "info-xen.jsonl")) or [{}])[0]
    record = aggregate_record(load(os.path.join(raw, "record.jsonl")))
    disabled_rows = [r for r in load(os.path.join(raw, "disabled.jsonl"))
                     if not r.get("warmup")]
    callgrind = aggregate_callgrind(raw, load(os.path.join(raw,
                                                           "callgrind.jsonl")))
    bytes_rows = load(os.path.join(raw, "bytes.jsonl"))
    rate_rows = load(os.path.join(raw, "rate.jsonl"))
    drain = (load(os.path.join(raw, "drain.json")) or
             [{"measured": False, "reason": "not run"}])[0]
    env = environment(out, raw, info)
    if drain.get("measured"):
        snaps = drain["snapshots"]
        drain["gb_per_s"] = median([x["bytes"] / x["wall_ns"] for x in snaps])
        drain["stream_gb_per_s"] = (drain["stream_bytes"] /
                                    drain["stream_wall_ns"])
        drain["stream_discarded"] = sum(
            c["counters"]["discarded"]
            for c in drain["stream_sim_summary"]["cpus"])
    ust_disc, ust_lost = ust_discarded(raw)
    have_ust = any(k[0] == "lttng-ust" for k in record)

    md = []
    w = md.append
    w("# lttng-xen benchmarks")
    w("")
    w(f"{env['cpu']}, {env['online_cpus']} CPUs, Linux {env['kernel']}, "
      f"TSC {env['tsc_hz'] / 1e9 if env['tsc_hz'] else 0:.3f} GHz; "
      f"load average {env['loadavg_start'].split(' ')[0]} at the start, "
      f"{env['loadavg_end'].split(' ')[0]} at the end; "
      f"{env['seconds']} s; git {env['git']}.  LTTng-UST "
      f"{env['liblttng_ust'] or 'n/a'} ({env['lttng_tools'] or 'lttng n/a'}).")
    w("")
    w("Shared machines are noisy: every number is a median of repeated runs, "
      "and LTTng-UST is measured in the same run so the ratio is what "
      "carries.  Targets are shown beside the results; nothing here "
      "passes or fails.  bench/README.md says how each number is made.")
    w("")

    # Headline.
    def worst(tracer, threads, kinds):
        vals = [record[(tracer, k, threads)]["ns_per_event_median"]
                for k in kinds if (tracer, k, threads) in record]
        vals = [v for v in vals if v is not None]
        return max(vals) if vals else None

    ratios = {}
    for (tracer, kind, threads), a in record.items():
        if tracer != "lttng-xen":
            continue
        u = record.get(("lttng-ust", kind, threads))
        if u and u["ns_per_event_median"] and a["ns_per_event_median"]:
            ratios[(kind, threads)] = (a["ns_per_event_median"] /
                                       u["ns_per_event_median"])
    dis = {t: median([r["ns_per_call"] for r in disabled_rows
                      if r["tracer"] == t])
           for t in ("lttng-xen", "lttng-ust")}
    dis_base = {t: median([r["baseline_ns_per_call"] for r in disabled_rows
                           if r["tracer"] == t])
                for t in ("lttng-xen", "lttng-ust")}
    by_kind = {r["kind"]: r for r in bytes_rows if r["bench"] == "bytes"}
    read_back = {r["kind"]: r for r in bytes_rows
                 if r["bench"] == "bytes-read"}

    def bytes_per_event(kind):
        r = by_kind.get(kind)
        if not r or not r["produced"]:
            return None, None
        pkt = r["content_bytes"] - 84 * r["packets"]
        return r["content_bytes"] / r["produced"], pkt / r["produced"]

    rate_ok = [r for r in rate_rows]
    rate_disc = sum(r["discarded"] for r in rate_ok) if rate_ok else None
    rate_ach = median([r["events_per_s"] for r in rate_ok])

    w("## Summary against the targets")
    w("")
    w("| target | lttng-xen | LTTng-UST 2.13 | note |")
    w("|---|---|---|---|")
    for threads in (1, 2):
        x = worst("lttng-xen", threads, COMPACT_KINDS)
        u = worst("lttng-ust", threads, COMPACT_KINDS)
        w(f"| record <= {TARGETS['record_ns']:.0f} ns/event, {threads} CPU"
          f"{'s' if threads > 1 else ''} (slowest event kind) | {fmt(x)} ns | "
          f"{fmt(u)} ns | median of runs; per-kind table below |")
    rs = [v for v in ratios.values()]
    w(f"| record <= {TARGETS['record_ratio']} x LTTng-UST | "
      f"{fmt(min(rs) if rs else None, 2)} .. {fmt(max(rs) if rs else None, 2)} x"
      f" | 1 x | lttng-xen / UST, per kind and CPU count |")
    w(f"| disabled tracepoint <= {TARGETS['disabled_ns']:.0f} ns | "
      f"{fmt(dis['lttng-xen'], 2)} ns | {fmt(dis['lttng-ust'], 2)} ns | "
      f"the empty loop alone: {fmt(dis_base['lttng-xen'], 2)} ns |")
    cs_b, _ = bytes_per_event("cs")
    f2x_b, _ = bytes_per_event("f2x")
    w(f"| two-u32 event <= {TARGETS['two_u32_bytes']:.0f} bytes on disk "
      f"(xentrace: {TARGETS['xentrace_two_u32_bytes']}) | {fmt(cs_b, 2)} B "
      f"(compact header); {fmt(f2x_b, 2)} B (hvm:pit_start_timer, medium "
      f"header) | | 8-byte payload; see \"Bytes per event\" |")
    if drain.get("measured"):
        w(f"| drain >= {TARGETS['drain_gb_s']:.0f} GB/s into the page cache | "
          f"{fmt(drain['gb_per_s'], 2)} GB/s | | lttd-xen --snapshot of full "
          f"buffers, {drain.get('filesystem')}; streaming: "
          f"{fmt(drain['stream_gb_per_s'], 2)} GB/s |")
    else:
        w(f"| drain >= {TARGETS['drain_gb_s']:.0f} GB/s into the page cache | "
          f"{drain.get('reason')} | | |")
    w(f"| zero discards at 5 M events/s in total, default buffers | "
      f"{rate_disc if rate_disc is not None else 'n/a'} discarded at "
      f"{fmt(rate_ach / 1e6 if rate_ach else None, 2)} M events/s | | "
      f"2 writers, {len(rate_ok)} runs |")
    w("")

    # Record path.
    w("## 1. Record path, ns per event (median of runs)")
    w("")
    w("One writer thread per CPU, pinned, each on its own buffer (lttng-xen: "
      f"{env['nr_subbufs']} x {(env['subbuf_size'] or 0) // 1024} KiB, "
      "discard mode, a consumer thread per buffer doing get/copy/put; "
      "LTTng-UST: a per-user channel of a real session, default sizes, its "
      "consumer daemon writing to disk).  Each run times batches of 1000 "
      "events with the TSC and keeps the median batch (batches in which "
      "lttng-xen lost events are left out); the table gives the median over "
      "runs, and in brackets the whole run's wall time per event, which also "
      "counts preemption and the consumer sharing the CPU.")
    w("")
    w("| kind | lttng-xen event (fields) | CPUs | lttng-xen ns | "
      "LTTng-UST ns | ratio | lttng-xen runs min..max | discarded "
      "(runs with any) | stream bytes/event |")
    w("|---|---|---|---|---|---|---|---|---|")
    for kind, label in KINDS + REMAP_KINDS:
        for threads in (1, 2):
            a = record.get(("lttng-xen", kind, threads))
            if not a:
                continue
            u = record.get(("lttng-ust", kind, threads))
            r = ratios.get((kind, threads))
            un = (f"{fmt(u['ns_per_event_median'])} "
                  f"({fmt(u['wall_ns_per_event_median'])})" if u else "n/a")
            w(f"| {kind}: {label} | {a['event']} ({a['fields']}) | {threads} | "
              f"**{fmt(a['ns_per_event_median'])}** "
              f"({fmt(a['wall_ns_per_event_median'])}) | {un} | "
              f"{fmt(r, 2)} | {fmt(a['ns_per_event_min'])}..."
              f"{fmt(a['ns_per_event_max'])} | "
              f"{a.get('discarded', 'n/a')} ({a.get('runs_with_discards', 0)}"
              f"/{a['runs']}) | {fmt(a.get('stream_bytes_per_event'), 2)} |")
    w("")
    tp = [record[k]["events_per_s_median"] for k in record
          if k[0] == "lttng-xen" and k[2] == 2]
    w(f"Events/s with 2 writers flat out (wall, all writers, median per kind): "
      f"{fmt(min(tp) / 1e6 if tp else None)} .. "
      f"{fmt(max(tp) / 1e6 if tp else None)} M/s.  Discards flat out are "
      "the consumer thread not being scheduled in time on a loaded machine "
      "(the batches they touch are left out of the timings); the rate test "
      "below is the one that says whether default buffers suffice.")
    if have_ust:
        w("")
        w(f"LTTng-UST discarded events in its session: "
          f"{ust_disc if ust_disc is not None else 'unknown'}"
          f"{'' if ust_lost is None else f', lost packets: {ust_lost}'}.  "
          "Discarded events take a shorter path, so discards would flatter "
          "LTTng-UST's numbers, not lttng-xen's.  UST event pairs: "
          "bench/ust-tp.h (same field types).")
    w("")

    # Disabled.
    w("## 2. Disabled tracepoint, ns per call (median)")
    w("")
    w("A loop calling hw:idle_entry with its bit off in "
      "lttng_xen_enabled_mask (LTTng-UST: bench_ust:f4 with no session), a "
      "compiler barrier per iteration so the test is not hoisted; the "
      "baseline is the same loop without the tracepoint.")
    w("")
    w("| tracer | ns/call | baseline loop ns/call | runs |")
    w("|---|---|---|---|")
    for t in ("lttng-xen", "lttng-ust"):
        n = sum(1 for r in disabled_rows if r["tracer"] == t)
        w(f"| {t} | {fmt(dis[t], 3)} | {fmt(dis_base[t], 3)} | {n} |")
    w("")

    # Callgrind.
    w("## 3. Instructions per event (callgrind, deterministic)")
    w("")
    w("valgrind --tool=callgrind, collecting only inside the emit loop of "
      "one kind (--toggle-collect=emit_KIND): instructions of the whole "
      "record path (packing the payload, the probe, the ring buffer, the "
      "loop) divided by the event count.  lttng-xen runs one writer with "
      "the consumer called between batches of 20000 events (no discards); "
      "LTTng-UST runs in its session.  The probe column is the inclusive "
      "count of lttng_xen_record or of UST's generated probe function.  "
      "Under valgrind the vDSO calls of UST (clock_gettime, sched_getcpu) "
      "may run as system calls whose kernel instructions are not counted: "
      "UST's figures are if anything low.")
    w("")
    w("| kind | lttng-xen instr/event | of which lttng_xen_record | "
      "LTTng-UST instr/event | of which UST probe | ratio |")
    w("|---|---|---|---|---|---|")
    for kind, label in KINDS + REMAP_KINDS:
        x = callgrind.get(("lttng-xen", kind))
        u = callgrind.get(("lttng-ust", kind))
        if not x:
            continue
        ratio = (x["instructions_per_event"] / u["instructions_per_event"]
                 if u and u["instructions_per_event"] else None)
        w(f"| {kind}: {label} | {fmt(x['instructions_per_event'])} | "
          f"{fmt(x['probe_instructions_per_event'])} | "
          f"{fmt(u['instructions_per_event']) if u else 'n/a'} | "
          f"{fmt(u['probe_instructions_per_event']) if u else 'n/a'} | "
          f"{fmt(ratio, 2)} |")
    w("")

    # The remap.
    w("## 3b. The xentrace remap against the typed tracepoint")
    w("")
    w("Xen's xentrace call sites (TRACE_xD(), __trace_var()) reach lttng-xen "
      "through lttng_xen_xt_record(): the data words built on the stack, "
      "the mapping found from the event word, the record unpacked into the "
      "typed payload.  Each remap kind (x*) records the same event as a "
      "typed kind (f*) with the same values; the ratio is remap / typed, "
      f"goal at most {REMAP_GOAL} x for every event.  Instructions: "
      "callgrind as in 3 (the remap column: inclusive count of "
      "lttng_xen_xt_record).  ns: the record path of 1, 1 CPU, median of "
      "runs (min..max over runs).  Constant-id call sites in Xen skip the "
      "lookup (xen-patches: folded to the typed record at compile time).")
    w("")
    w("| shape | event | typed instr/event | remap instr/event | of which "
      "lttng_xen_xt_record | ratio | typed ns | remap ns | ratio |")
    w("|---|---|---|---|---|---|---|---|---|")
    for shape, tk, rk in REMAP_PAIRS:
        tc, rc = callgrind.get(("lttng-xen", tk)), callgrind.get(
            ("lttng-xen", rk))
        tn, rn = record.get(("lttng-xen", tk, 1)), record.get(
            ("lttng-xen", rk, 1))
        if not (tc or rc or tn or rn):
            continue
        ti = tc["instructions_per_event"] if tc else None
        ri = rc["instructions_per_event"] if rc else None
        ci = ri / ti if ti and ri else None
        tns = tn["ns_per_event_median"] if tn else None
        rns = rn["ns_per_event_median"] if rn else None
        cn = rns / tns if tns and rns else None

        def spread(a):
            return (f" ({fmt(a['ns_per_event_min'])}..."
                    f"{fmt(a['ns_per_event_max'])})" if a else "")
        event = (tc or rc or tn or rn)["event"]
        w(f"| {shape} ({tk}, {rk}) | {event} | {fmt(ti)} | {fmt(ri)} | "
          f"{fmt(rc.get('remap_instructions_per_event') if rc else None)} | "
          f"**{fmt(ci, 2)}** | {fmt(tns)}{spread(tn)} | "
          f"{fmt(rns)}{spread(rn)} | {fmt(cn, 2)} |")
    w("")

    # Bytes.
    w("## 4. Bytes per event on disk")
    w("")
    w("One writer records 100000 events; the consumer writes each packet's "
      "content (packet_size set to content_size, as lttd-xen does) to a "
      "stream file; babeltrace2 reads it back with the real metadata.  "
      "Stream bytes / events counts the 84-byte packet headers too; "
      "'events only' leaves them out.  xentrace stores a two-u32 record "
      "with its TSC in 20 bytes (4 header + 8 TSC + 8 data).")
    w("")
    w("| event | header | payload | stream bytes/event | events only | "
      "events written | babeltrace2 read | xentrace |")
    w("|---|---|---|---|---|---|---|---|")
    for kind, hdr, payload in (("cs", "compact, 4 B", "8 B (4 x u16)"),
                               ("f2x", "medium, 6 B", "8 B (2 x u32)")):
        r = by_kind.get(kind)
        if not r:
            continue
        b, e = bytes_per_event(kind)
        rb = read_back.get(kind, {}).get("babeltrace2_events")
        w(f"| {r['event']} | {hdr} | {payload} | {fmt(b, 3)} | {fmt(e, 3)} | "
          f"{r['produced']} | {rb if rb is not None and rb >= 0 else 'failed'}"
          f" | 20 |")
    w("")
    w("Only ids 0-29 get the compact header: genevent gives them to the "
      "events a facility marks frequent; the others take the 6-byte "
      "medium header (13 bytes, extended, for any event more than 2^27 "
      "cycles after the previous one).  A two-u32 event meets the "
      "12-byte target when it is frequent; hvm:pit_start_timer is not, "
      "and takes 14 bytes.")
    w("")

    # Rate.
    w("## 5. Discards at a fixed total rate, default buffers")
    w("")
    w("2 writers (one per CPU) rate-limited with the TSC to 2.5 M events/s "
      "each, hw:idle_entry (17 bytes an event), 2 s a run; consumer "
      "threads as in 1.")
    w("")
    w("| run | target events/s | achieved events/s | events | discarded |")
    w("|---|---|---|---|---|")
    for r in rate_ok:
        w(f"| {r['run']} | {r['target_rate']:.0f} | {r['events_per_s']:.0f} | "
          f"{r['produced'] + r['discarded']} | {r['discarded']} |")
    w("")

    # Drain.
    w("## 6. Drain throughput of lttd-xen")
    w("")
    if drain.get("measured"):
        snaps = drain["snapshots"]
        w(f"Snapshot (lttd-xen's own rate): **{fmt(drain['gb_per_s'], 2)} "
          f"GB/s**, median of {len(snaps)}: "
          + ", ".join(f"{x['bytes'] / x['wall_ns']:.2f}" for x in snaps)
          + f" GB/s; {snaps[0]['bytes']} bytes each time "
          f"({drain['snapshot_cpus']} CPUs x {drain['snapshot_events_per_cpu']}"
          f" events in 16 x 16 MiB overwrite buffers, none overwritten: "
          f"{sum(x['overwritten'] for x in snaps)}), written by "
          f"`lttd-xen --snapshot` to {drain.get('filesystem')}, start-up "
          "included.")
        w("")
        w(f"Streaming (default buffers, {drain['stream_cpus']} simulated CPU "
          f"flat out, lttd-xen started by lttctl-xen): "
          f"{fmt(drain['stream_gb_per_s'], 2)} GB/s, "
          f"{drain['stream_bytes']} bytes in "
          f"{drain['stream_wall_ns'] / 1e9:.3f} s, "
          f"{drain['stream_discarded']} of {drain['stream_events']} events "
          "discarded.  With discards lttd-xen did not keep up, by copy rate "
          "or by wake-up latency (1 MiB of buffer per CPU lasts about 2 ms "
          "at this rate, and lttd-xen shares 2 CPUs with the simulator and "
          "whatever else runs); without, the simulator was the bottleneck "
          "and the figure is a lower bound.  bench/drain.sh.")
        w("")
        # lttctl-xen's summary, without the paths of the deleted trace.
        w("```")
        for line in str(drain.get("stream_stop_output", "")).splitlines():
            if not line.startswith(("Trace:", "Read it with", "lttctl-xen: hint")):
                w(line)
        w("```")
    else:
        w(f"**{drain.get('reason')}.**  bench/drain.sh measures it once "
          "build/bin/lttd-xen, lttctl-xen and lttng-xen-sim exist: "
          "`lttd-xen --snapshot` of full simulator buffers, and a streaming "
          "run of the simulator with --rate 0, lttd-xen writing to a tmpfs "
          "directory; bytes written / wall time.")
    w("")

    text = "\n".join(md) + "\n"
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    results = {
        "environment": env,
        "targets": TARGETS,
        "record": [dict(v, ratio_to_ust=ratios.get((v["kind"], v["threads"])))
                   if v["tracer"] == "lttng-xen" else v
                   for v in record.values()],
        "ust_session": {"discarded": ust_disc, "lost_packets": ust_lost,
                        "trace_bytes": read(os.path.join(raw,
                                                         "ust-trace-bytes"))},
        "disabled": {t: {"ns_per_call_median": dis[t],
                         "baseline_ns_per_call_median": dis_base[t]}
                     for t in dis},
        "callgrind": list(callgrind.values()),
        "bytes": [dict(r, stream_bytes_per_event=bytes_per_event(r["kind"])[0],
                       event_bytes_per_event=bytes_per_event(r["kind"])[1],
                       babeltrace2_events=read_back.get(r["kind"], {}).get(
                           "babeltrace2_events"))
                  for r in by_kind.values()],
        "rate": {"runs": rate_ok, "discarded": rate_disc,
                 "achieved_events_per_s_median": rate_ach},
        "drain": drain,
    }
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    sys.stdout.write(text)
    print(f"(written: {os.path.join(out, 'results.md')}, "
          f"{os.path.join(out, 'results.json')}; raw runs in {raw}/)")


if __name__ == "__main__":
    main()
