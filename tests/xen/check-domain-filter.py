#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-domain-filter.py TRACE MODEL KEPT [EVENTS_CSV]: a trace Xen
recorded with `lttctl-xen create --domains KEPT` (one domain id) holds
only what the filter keeps.

Each CPU's running domain is followed from sched:context_switch
(next_domain; unknown before the first).  Xen records the switch, then,
still running the previous vCPU, the run-state changes of both
(xen/common/sched/core.c, sched_switch_units()); context_switch()
changes the running vCPU after them: so the sched:runstate_change events
right after a switch on a CPU still run in the previous domain.  Every event must be run by the
kept domain (or on a CPU whose domain is unknown), or name it in one of
its domain fields (domain="true" in the facility XML: MODEL, genevent's
model.json, says which).  The trace must hold sched events naming the
kept domain (it was scheduled in and out) and its creation
(dom0op:dom_add).  EVENTS_CSV, lttng-xen-analyze's events table (events
per running vCPU): every event it attributes to another domain than KEPT
(not "unknown") must be of a type with a domain field, since only those
are kept while another domain runs.
"""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from tracecheck import check, cpu_events, failed  # noqa: E402


def main():
    trace, model_path, kept_arg = sys.argv[1:4]
    kept = int(kept_arg)
    model = json.load(open(model_path))
    domain_fields = {ev["name"]: [f["name"] for f in ev["fields"]
                                  if f.get("domain")]
                     for ev in model["events"]}
    running, switching = {}, {}
    total = by_kept = naming = unknown = 0
    sched_naming = {}
    strays = []
    for cpu, ev in cpu_events(trace):
        p = ev.payload_field
        named = [int(p[f]) for f in domain_fields.get(ev.name, [])]
        total += 1
        if cpu in switching and ev.name != "sched:runstate_change":
            running[cpu] = switching.pop(cpu)
        d = running.get(cpu)
        if kept in named:
            naming += 1
            if ev.name.startswith(("sched:", "dom0op:")):
                sched_naming[ev.name] = sched_naming.get(ev.name, 0) + 1
        elif d is None:
            unknown += 1
        elif d == kept:
            by_kept += 1
        elif len(strays) < 10:
            strays.append("CPU %d, domain %d running: %s %s"
                          % (cpu, d, ev.name, p))
        else:
            strays.append(None)
        if ev.name == "sched:context_switch":
            switching[cpu] = int(p["next_domain"])
    print("%d events: %d naming domain %d, %d more while it ran, %d on a "
          "CPU whose domain is unknown" % (total, naming, kept, by_kept,
                                            unknown))
    for name in sorted(sched_naming):
        print("    %-32s %d naming domain %d" % (name, sched_naming[name],
                                                  kept))
    check(not strays, "no event of another domain that does not name "
          "domain %d (%d found%s)"
          % (kept, len(strays), "".join("\n    " + s for s in strays if s)))
    check(by_kept > 0, "%d events run by domain %d" % (by_kept, kept))
    check(sched_naming.get("sched:context_switch", 0) >= 2,
          "domain %d switched in and out (sched:context_switch)" % kept)
    check(sched_naming.get("dom0op:dom_add", 0) == 1,
          "domain %d's creation (dom0op:dom_add)" % kept)
    if len(sys.argv) > 4:
        rows = list(csv.DictReader(open(sys.argv[4])))
        other = [r for r in rows
                 if r["domain"] not in (str(kept), "unknown")]
        wrong = sorted({r["event"] for r in other
                        if not domain_fields.get(r["event"])})
        check(rows and not wrong,
              "lttng-xen-analyze attributes to other domains only events "
              "with a domain field (%d of %d events; %s)"
              % (sum(int(r["count"]) for r in other),
                 sum(int(r["count"]) for r in rows),
                 ", ".join(wrong) if wrong else
                 "types: " + ", ".join(sorted({r["event"] for r in other}))))
    return 1 if failed() else 0


if __name__ == "__main__":
    sys.exit(main())
