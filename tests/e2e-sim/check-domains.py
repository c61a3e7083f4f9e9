#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-domains.py TRACE SUMMARY KEPT [ID=NAME,...]: a trace of lttng-xen-sim
--sim-domains N, recorded with the domain filter KEPT ("all" or ids:
1,2), against the workload (sim/workload_spec.py).

Per CPU, exactly:
  - the main-loop stream (every event but the nested pv:trap) is the one
    workload_spec.main_events() gives for the filter: every event run in
    a kept domain, and every domain switch naming one, in order, none
    missing, nothing else;
  - the nested events decode, in order, and number as many as the
    simulator made in kept domains (its summary's nested_in_domain);
  - the producer counted the same events (produced) and lost none
    (discarded, lost_too_big, lost_nested all 0): filtered-out events
    are not losses.
With domain names ($LTTNG_XEN_SIM_DOMAINS), lttd-xen has the simulator
record dom0op:domain_name events, on CPU 0, in whatever domain it runs
then: the one naming a kept domain must be there (it names it); those
of other domains may be (when CPU 0 runs a kept domain).  They are
counted beside the workload's.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "sim"))
sys.path.insert(0, os.path.join(here, "..", "lib"))
import workload_spec  # noqa: E402
from tracecheck import check, cpu_events, failed  # noqa: E402

def read(trace, nr_domains):
    """{cpu: {"main": [(name, fields)], "nested": [n], "names":
    {domain: name}}} in trace order."""
    streams = {}
    for cpu, ev in cpu_events(trace):
        s = streams.setdefault(cpu, {"main": [], "nested": [], "names": {}})
        f = ev.payload_field
        if ev.name == "dom0op:domain_name":
            s["names"][int(f["domain"])] = str(f["name"])
            continue
        fields = {str(k): workload_spec.as_python(f[k])
                  for k in f.keys()} if f else {}
        _, kind, seq = workload_spec.decode(ev.name, fields, nr_domains)
        if kind == "nested":
            s["nested"].append(seq)
        else:
            s["main"].append((ev.name, fields))
    return streams


def first_difference(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "event #%d is %r, expected %r" % (i, g, w)
    return "%d events, expected %d" % (len(got), len(want))


def main():
    trace, summary_path, kept_arg = sys.argv[1:4]
    summary = json.load(open(summary_path))
    nr_domains = summary["sim_domains"]
    n = summary["events_per_cpu"]
    kept = None if kept_arg == "all" else {int(d) for d in
                                           kept_arg.split(",")}
    streams = read(trace, nr_domains)
    print("%d domains, filter %s, %d main-loop events per CPU"
          % (nr_domains, kept_arg, n))
    total_nested, total_calls = 0, 0
    all_names = {}
    for c in summary["cpus"]:
        cpu, ctr = c["cpu"], c["counters"]
        got = streams.get(cpu, {"main": [], "nested": [], "names": {}})
        names = len(got["names"])
        all_names.update(got["names"])
        want = list(workload_spec.main_events(cpu, n, nr_domains, kept))
        check(got["main"] == want,
              "CPU %d: the main-loop stream is the %d events the filter "
              "keeps, in order%s"
              % (cpu, len(want), "" if got["main"] == want else
                 ": " + first_difference(got["main"], want)))
        in_dom = c["nested_in_domain"]
        want_nested = sum(x for d, x in enumerate(in_dom)
                          if kept is None or d in kept)
        nested = got["nested"]
        check(len(nested) == want_nested and nested == sorted(set(nested)),
              "CPU %d: %d nested events, in order, of %d made in kept "
              "domains (%s per domain)"
              % (cpu, len(nested), want_nested, in_dom))
        total_nested += len(nested)
        total_calls += c["nested_calls"]
        check(ctr["produced"] == len(want) + len(nested) + names and
              c["emitted_main"] == len(want) + names and
              c["emitted_nested"] == len(nested),
              "CPU %d: the producer counted the %d events recorded, %d "
              "domain names among them (produced %d, emitted %d + %d)"
              % (cpu, len(want) + len(nested) + names, names,
                 ctr["produced"], c["emitted_main"], c["emitted_nested"]))
        check(ctr["discarded"] == 0 and ctr["lost_too_big"] == 0 and
              ctr["lost_nested"] == 0,
              "CPU %d: nothing lost (discarded %d, lost_too_big %d, "
              "lost_nested %d)" % (cpu, ctr["discarded"],
                                   ctr["lost_too_big"], ctr["lost_nested"]))
    check(total_nested > 0, "%d nested events recorded (of %d made)"
          % (total_nested, total_calls))
    if len(sys.argv) > 4:
        want_names = dict(x.split("=", 1) for x in sys.argv[4].split(","))
        check(all(all_names.get(int(d)) == n for d, n in want_names.items()),
              "dom0op:domain_name names %s (recorded: %s)"
              % (sys.argv[4], all_names))
    if kept is not None:
        check(total_nested < total_calls,
              "the filter dropped %d nested events, made in other domains"
              % (total_calls - total_nested))
    if failed():
        print("%d check(s) failed" % len(failed()))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
