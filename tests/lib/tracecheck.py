# SPDX-License-Identifier: GPL-2.0-only
"""What the tests' trace checks in Python share, as lib.sh for the shell
ones.  A script beside a test imports it with tests/lib on its path:

cpu_events(trace)   (cpu, event) for every event of the CTF trace in the
                    directory trace, in babeltrace2's (time) order; cpu
                    is the packet context's cpu_id
check(ok, what)     one check: prints "ok   what" or "FAIL what";
                    returns ok
failed()            the checks that failed so far, in order
"""
import bt2

_failed = []


def cpu_events(trace):
    for msg in bt2.TraceCollectionMessageIterator(trace):
        if type(msg) is bt2._EventMessageConst:
            ev = msg.event
            yield int(ev.packet.context_field["cpu_id"]), ev


def check(ok, what):
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        _failed.append(what)
    return ok


def failed():
    return list(_failed)
