#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check lttng-xen-compare's report on the fixed inputs of test-report.sh.

  check-report.py TRACEDIR BT2-CYCLES-OUTPUT XENTRACE-FILE REPORT-BASE

The expectations are computed here, not taken from the tool:
- lttng-xen: counts from babeltrace2's text output (--clock-cycles); per
  event the payload from the facility XML as the tests read it
  (tests/genevent/facility_model.py: each field's bits, sequences by the
  length babeltrace2 printed); the event ids from the trace's metadata
  text, and from its event header the ids the 4-byte compact header
  holds (compact = 0 ... N); the header is 4 bytes for those, 6
  (medium) for the others, unless the time since the previous event of
  the CPU needs more than 27 bits (then it may be 13, extended: the first
  event of a packet keeps the short one); the stream files' sizes by
  stat.
- xentrace: what gen-xentrace.py writes (its docstring).
REPORT-BASE.md, .csv and .totals.csv must hold these numbers.
"""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ.get("TOP", "."), "tests",
                                "genevent"))
import facility_model  # noqa: E402

EVENTS = {ev.full: ev for ev in facility_model.load()}

# gen-xentrace.py: name -> (count, bytes per record, records without TSC)
XT = {"pv:hypercall": (400, 4 + 8 + 8, 0),
      "hw:idle_entry": (400, 4 + 8 + 16, 0),
      "pv:page_fault": (300, 4 + 8 + 20, 0),
      "pv:ptwr_emulation": (600, 4 + 8 + 24, 0),
      "gen:lost_records": (2, 4 + 8 + 16, 0),
      "gen:wrap_buffer": (2, 4 + 4, 2),
      "xentrace:0x0eee0001": (2, 4 + 8, 0)}
XT_FRAMING = 4 * 12                     # 4 CPU-change records
XT_LOST = 100

# Reasons the tool must give (substrings), and the rows that must not
# differ.
REASONS = {
    "pv:ptwr_emulation": ["shorter time coverage: outside the common "
                          "window xentrace 200 (CPU 0, CPU 1); inside 400 "
                          "and 400"],
    "pv:page_fault": ["the xentrace trace lost 100 events of unknown "
                      "types"],
    "pv:math_state_restore": ["only in lttng-xen"],
    "gen:lost_records": ["only in xentrace", "xentrace framing record "
                         "(lost-records marker"],
    "gen:wrap_buffer": ["only in xentrace", "xentrace framing record "
                        "(buffer wrap padding", "2 xentrace records "
                        "without a TSC"],
    "xentrace:0x0eee0001": ["only in xentrace", "no facility maps this "
                            "xentrace id"],
}
SAME = {"pv:hypercall", "hw:idle_entry"}

errors = []


def expect(what, got, want):
    if str(got) != str(want):
        errors.append("%s: the report says %s, expected %s"
                      % (what, got, want))


def payload_bytes(name, fields):
    """Bytes of one event's payload, from the XML and the printed values
    of its sequence lengths."""
    bits = 0
    for f in EVENTS[name].fields:
        if f.string:
            errors.append("%s: string fields are not in the fixed inputs"
                          % name)
        elif f.length_field:
            n = int(re.search(r"\b%s = (\d+)" % f.length_field,
                              fields).group(1))
            bits += n * f.width
        else:
            bits += (f.length or 1) * f.width
    return bits // 8


def header_size(event_id, compact_ids):
    """The event header without the extended case: 4 or 6 bytes."""
    return 4 if event_id < compact_ids else 6


def lttng_expected(bt_out, ids, compact_ids):
    count, exact, maybe = {}, {}, {}
    payloads = 0
    last = {}
    line_re = re.compile(r"^\[(\d+)\] \S+ \S+ (\S+): \{ cpu_id = (\d+) \}, "
                         r"\{(.*)\}$")
    for line in open(bt_out):
        m = line_re.match(line.rstrip("\n"))
        if not m:
            errors.append("babeltrace2 line not understood: %r" % line)
            continue
        cyc, name, cpu, fields = int(m.group(1)), m.group(2), \
            int(m.group(3)), m.group(4)
        payload = payload_bytes(name, fields)
        count[name] = count.get(name, 0) + 1
        hdr = header_size(ids[name], compact_ids)
        if cpu in last and cyc - last[cpu] >= 1 << 27:
            maybe[name] = maybe.get(name, 0) + 1
        exact[name] = exact.get(name, 0) + hdr + payload
        payloads += payload
        last[cpu] = cyc
    return count, exact, maybe, payloads


def main():
    tracedir, bt_out, xt_file, base = sys.argv[1:5]
    meta = open(os.path.join(tracedir, "metadata")).read()
    ids = {m.group(1): int(m.group(2)) for m in re.finditer(
        r'name = "([^"]+)";\s*id = (\d+);', meta)}
    compact_ids = int(re.search(r"compact = 0 \.\.\. (\d+)", meta).group(1)) + 1
    count, exact, maybe, lt_payloads = lttng_expected(bt_out, ids,
                                                      compact_ids)
    if not any(ids[name] >= compact_ids for name in count):
        errors.append("the fixed inputs have no event with the 6-byte "
                      "header: the test no longer covers it")
    for name in count:
        if count[name] != 400:
            errors.append("babeltrace2 read %d %s, the simulator emits 400"
                          % (count[name], name))
    streams = sum(os.path.getsize(os.path.join(tracedir, f))
                  for f in os.listdir(tracedir) if f.startswith("channel"))
    meta_size = os.path.getsize(os.path.join(tracedir, "metadata"))

    rows = {r["event"]: r for r in csv.DictReader(open(base + ".csv"))}
    expect("event types", sorted(rows), sorted(set(count) | set(XT)))
    # Ids as the trace's metadata declares them (none: not an event).
    for name, r in rows.items():
        expect(name + " lttng_event_id", r["lttng_event_id"],
               ids.get(name, ""))
    for name, r in rows.items():
        n = count.get(name, 0)
        expect(name + " lttng_count", r["lttng_count"], n)
        ext = int(r["lttng_extended_headers"])
        if n:
            if ext > maybe.get(name, 0):
                errors.append("%s: %d extended headers, but only %d events "
                              "came 2^27 cycles or more after the previous "
                              "one" % (name, ext, maybe.get(name, 0)))
            expect(name + " lttng_bytes", r["lttng_bytes"],
                   exact[name] + (13 - header_size(ids[name], compact_ids))
                   * ext)
        else:
            expect(name + " lttng_bytes", r["lttng_bytes"], 0)
        xn, xb, xnt = XT.get(name, (0, 0, 0))
        expect(name + " xentrace_count", r["xentrace_count"], xn)
        expect(name + " xentrace_bytes", r["xentrace_bytes"], xn * xb)
        expect(name + " xentrace_bytes_per_event",
               r["xentrace_bytes_per_event"],
               "%.2f" % xb if xn else "-")
        expect(name + " xentrace_no_tsc", r["xentrace_no_tsc"], xnt)
        if name in SAME:
            expect(name + " differs", r["differs"], "no")
        if name in REASONS:
            expect(name + " differs", r["differs"], "yes")
            for want in REASONS[name]:
                if want not in r["reasons"]:
                    errors.append("%s: reasons %r lack %r"
                                  % (name, r["reasons"], want))
        if "run variation" in r["reasons"]:
            errors.append("%s: 'run variation' where the data shows the "
                          "cause" % name)
    expect("pv:ptwr_emulation in window",
           (rows["pv:ptwr_emulation"]["lttng_in_window"],
            rows["pv:ptwr_emulation"]["xentrace_in_window"]),
           ("400", "400"))

    lt_events = sum(count.values())
    lt_event_bytes = sum(int(r["lttng_bytes"]) for r in rows.values())
    xt_events = sum(v[0] for v in XT.values())
    xt_event_bytes = sum(v[0] * v[1] for v in XT.values())
    xt_size = os.path.getsize(xt_file)
    expect("xentrace file size", xt_size, xt_event_bytes + XT_FRAMING)
    tot = {r[0]: r[1:] for r in csv.reader(open(base + ".totals.csv"))}
    expect("events", tot["events"], [str(lt_events), str(xt_events)])
    expect("event bytes", tot["event bytes (headers + payloads / records)"],
           [str(lt_event_bytes), str(xt_event_bytes)])
    expect("file bytes", tot["file bytes (event streams)"],
           [str(streams), str(xt_size)])
    expect("metadata bytes", tot["metadata bytes (once per trace)"],
           [str(meta_size), "0"])
    expect("xentrace framing",
           tot["framing bytes: CPU-change records (4)"], ["-", "48"])
    lt_framing = sum(int(v[0]) for k, v in tot.items()
                     if k.startswith("framing bytes") and v[0] != "-")
    expect("lttng-xen events + framing", lt_event_bytes + lt_framing,
           streams)
    expect("lost", tot["events lttng-xen discarded / xentrace lost"],
           ["0", str(XT_LOST)])
    expect("with a timestamp", tot["events with a timestamp"],
           [str(lt_events), str(xt_events - 2)])
    for cpu in (0, 1):
        expect("CPU %d events" % cpu, tot["CPU %d: events" % cpu],
               ["1000", str(xt_events // 2)])
        expect("CPU %d lost" % cpu, tot["CPU %d: discarded / lost" % cpu],
               ["0", "50"])
        expect("CPU %d xentrace span" % cpu,
               tot["CPU %d: first - last event, s" % cpu][1],
               "0.000 - 5.000")
    # Where the bytes go.
    headers = sum((13 - header_size(ids[name], compact_ids)) *
                  int(r["lttng_extended_headers"]) +
                  header_size(ids[name], compact_ids) * count[name]
                  for name, r in rows.items() if name in count)
    xt_words = 4 * (400 * 2 + 400 * 4 + 300 * 5 + 600 * 6 + 2 * 4 + 2 * 1)
    for what, lt_b, xt_b in (
            ("event headers", headers, 4 * xt_events),
            ("timestamps", None, 8 * (xt_events - 2)),
            ("payloads (xentrace: data words)", lt_payloads, xt_words)):
        got = tot["bytes: " + what]
        for tool, want, size, g in (("lttng-xen", lt_b, streams, got[0]),
                                    ("xentrace", xt_b, xt_size, got[1])):
            if want is not None and not g.startswith(
                    "%d (%.1f%%)" % (want, 100.0 * want / size)):
                errors.append("%s bytes of %s: the report says %s, "
                              "expected %d" % (tool, what, g, want))
    expect("xentrace parts add up", 4 * xt_events + 8 * (xt_events - 2) +
           xt_words, xt_event_bytes)
    bpe = (streams / lt_events) / (xt_size / xt_events)
    expect("size ratio",
           tot["size ratio lttng-xen / xentrace (event streams)"][0],
           "%.3f" % (streams / xt_size))
    expect("per event ratio",
           tot["bytes per event ratio lttng-xen / xentrace"][0],
           "%.3f" % bpe)
    expect("goal", tot["goal: bytes per event ratio <= 0.5"][0],
           "met" if bpe <= 0.5 else "not met")

    md = open(base + ".md").read()
    for line in ("| events | %d | %d |" % (lt_events, xt_events),
                 "| file bytes (event streams) | %d | %d |"
                 % (streams, xt_size),
                 "| events lttng-xen discarded / xentrace lost | 0 | %d |"
                 % XT_LOST,
                 "| pv:page_fault | %d | 400 | %s | %s | %s | 300 | 9600 | "
                 "32.00 | 0 | 400 / 300 | the xentrace trace lost 100 events "
                 "of unknown types |"
                 % (ids["pv:page_fault"], rows["pv:page_fault"]["lttng_bytes"],
                    rows["pv:page_fault"]["lttng_bytes_per_event"],
                    rows["pv:page_fault"]["lttng_extended_headers"]),
                 "per event: **%.3f**" % bpe,
                 "## Where the bytes go"):
        if line not in md:
            errors.append("the Markdown report lacks %r" % line)
    for e in errors:
        print("FAIL: " + e)
    if errors:
        return 1
    print("ok: the report's counts, bytes, framing, lost events, windows "
          "and reasons are the expected ones (lttng-xen: %d events, %d + "
          "%d framing = %d bytes; xentrace: %d records, %d bytes)"
          % (lt_events, lt_event_bytes, lt_framing, streams, xt_events,
             xt_size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
