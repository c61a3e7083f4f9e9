#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""xen-trace-ref.py: what a pristine Xen tree defines and emits for
xentrace, read from its source text alone (the tests' reference lists).

    xen-trace-ref.py events XEN_ROOT      the event ids
    xen-trace-ref.py callsites XEN_ROOT   the call sites

XEN_ROOT is an unpacked Xen source (the top of the tree, holding xen/):
mk/xen.sh fetch puts Debian's pinned one in build/xen-src/xen-VERSION/.

events: every xentrace event id, one a line: NAME VALUE DEFINED-AT
EMITTED.  The ids are the object-like TRC_ macros of
xen/include/public/trace.h and of the schedulers' own files (their
TRC_SCHED_CLASS_EVT ids) whose value has class bits (16-27) and event
bits (0-11): classes, masks and flags are not ids.  EMITTED is y when
the name is used in xen/ outside the definitions of ids (comments
left out): by a call site, or through HVMTRACE_*D(NAME, ...), which
pastes TRC_HVM_NAME (HVMTRACE_LONG_*: TRC_HVM_NAME64).
tests/xen/xen-4.17-trace-events.txt is this output for the pinned Xen,
committed so that tests/genevent/test-xentrace-coverage.sh needs no Xen
source; tests/xen/test-xen-trace-ref.sh checks that it is still what
the source says, and prints the command that regenerates it.

callsites: every call of a trace macro or function in a .c file of xen/
(comments left out), one a line: FILE:LINE: NAME.  The names are
Xen 4.17's trace entry points, listed here by hand (TRACE_nD,
TRACE_2_LONG_nD, HVMTRACE_*, trace_var, __trace_var,
__trace_hypercall and the PV wrappers of asm/pv/trace.h), so that this
list is a second opinion on tests/xen/callsites.py, which derives them
from the headers.  A call inside a #define is the macro's, not a site.
tests/xen/test-xen-callsites.sh makes it from the pristine tree.

Exit status: 0; 1 when XEN_ROOT is not a Xen tree or holds no id.
"""
import os
import re
import sys

SCHED_FILES = ("credit.c", "credit2.c", "rt.c", "null.c")
CALLS = (r"TRACE_[0-6]D|TRACE_2_LONG_[2-4]D|HVMTRACE_(?:LONG_)?[0-6]D|"
         r"HVMTRACE_ND|trace_var|__trace_var|__trace_hypercall|"
         r"trace_pv_trap|trace_pv_page_fault|trace_trap_one_addr|"
         r"trace_trap_two_addr|trace_ptwr_emulation")


def strip_comments(text):
    """C comments blanked (newlines kept), so that lines keep their numbers."""
    return re.sub(r"/\*.*?\*/|//[^\n]*",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), text,
                  flags=re.S)


def logical_lines(text):
    """(line number, text) with backslash continuations joined."""
    out, start, cur = [], None, ""
    for n, line in enumerate(text.split("\n"), 1):
        if start is None:
            start = n
        if line.endswith("\\"):
            cur += line[:-1] + " "
            continue
        out.append((start, cur + line))
        start, cur = None, ""
    return out


def read(root, rel):
    path = os.path.join(root, rel)
    try:
        with open(path, errors="replace") as f:
            return strip_comments(f.read())
    except OSError as e:
        sys.exit(f"xen-trace-ref: cannot read {path}: {e.strerror}")


DEFINE = re.compile(r"\s*#\s*define\s+(TRC_\w+)(\(([^)]*)\))?\s*(.*)")


class Macros:
    """The TRC_ macros of a few files, and the value of an expression."""

    def __init__(self):
        self.obj, self.fn, self.where = {}, {}, {}

    def add(self, rel, text):
        for n, line in logical_lines(text):
            m = DEFINE.match(line)
            if not m:
                continue
            name, params, body = m.group(1), m.group(3), m.group(4).strip()
            if m.group(2):
                self.fn[name] = ([p.strip() for p in params.split(",")], body)
            else:
                self.obj[name] = body
                self.where[name] = f"{rel}:{n}"

    def expand(self, expr, depth=0):
        if depth > 20:
            raise ValueError("macros nest too deep")
        for name, (params, body) in self.fn.items():
            m = re.search(r"\b%s\s*\(([^()]*)\)" % name, expr)
            while m:
                args = [a.strip() for a in m.group(1).split(",")]
                out = body
                for p, a in zip(params, args):
                    out = re.sub(r"\s*##\s*%s\b" % p, a, out)
                    out = re.sub(r"\b%s\b" % p, "(%s)" % a, out)
                expr = expr[:m.start()] + "(" + out + ")" + expr[m.end():]
                m = re.search(r"\b%s\s*\(([^()]*)\)" % name, expr)
        new = re.sub(r"\bTRC_\w+\b",
                     lambda m: "(%s)" % self.obj[m.group(0)]
                     if m.group(0) in self.obj else m.group(0), expr)
        return new if new == expr else self.expand(new, depth + 1)

    def value(self, name):
        expr = self.expand(self.obj[name])
        expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr)
        if re.search(r"[A-Za-z_]\w*", re.sub(r"0x[0-9a-fA-F]+", "", expr)):
            return None         # not a number (a name left over)
        try:
            return eval(expr, {"__builtins__": {}})
        except (SyntaxError, TypeError, ZeroDivisionError):
            return None


def c_files(root):
    for d, dirs, files in os.walk(os.path.join(root, "xen")):
        dirs.sort()
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(d, f), root)


def events(root):
    macros = Macros()
    public = "xen/include/public/trace.h"
    macros.add(public, read(root, public))
    for f in SCHED_FILES:
        rel = "xen/common/sched/" + f
        macros.add(rel, read(root, rel))
    ids = {}
    for name in macros.obj:
        v = macros.value(name)
        if isinstance(v, int) and 0 <= v < 1 << 28 and v >> 16 and v & 0xfff:
            ids[name] = v
    if not ids:
        sys.exit(f"xen-trace-ref: no event id in {root}/{public}")

    used = set()
    hvm = re.compile(r"\bHVMTRACE_(LONG_)?(?:[0-6]D|ND)\s*\(\s*(\w+)")
    for rel in c_files(root):
        for _, line in logical_lines(read(root, rel)):
            m = DEFINE.match(line)
            if m and not m.group(2) and m.group(1) in ids:
                continue        # the definition of an id
            used.update(re.findall(r"\bTRC_\w+", line))
            if not m:
                for long_, evt in hvm.findall(line):
                    used.add("TRC_HVM_" + evt + ("64" if long_ else ""))

    order = sorted(ids, key=lambda n: (ids[n], n))
    emitted = [n for n in order if n in used]
    print("# xentrace event ids of %s, from its source (tests/xen/xen-trace-ref.py events)"
          % os.path.basename(os.path.normpath(root)))
    print("# NAME VALUE DEFINED-AT EMITTED (y: used in xen/ outside the ids' definitions)")
    for n in order:
        print("%-40s 0x%08x  %-40s %s" % (n, ids[n], macros.where[n],
                                          "y" if n in used else "n"))
    print("# %d ids, %d emitted" % (len(ids), len(emitted)))


def callsites(root):
    call = re.compile(r"\b(%s)\s*\(" % CALLS)
    n = 0
    for rel in c_files(root):
        if not rel.endswith(".c"):
            continue
        # Directives blanked: a call inside a #define is the macro's.
        lines = []
        for no, line in logical_lines(read(root, rel)):
            while len(lines) < no - 1:
                lines.append("")
            lines.append("" if line.lstrip().startswith("#") else line)
        for no, line in enumerate(lines, 1):
            for m in call.finditer(line):
                # A definition or a prototype ("void __trace_var(") is
                # not a call.
                if re.search(r"\b(void|int|bool)\s*$", line[:m.start()]):
                    continue
                print("%s:%d: %s" % (rel, no, m.group(1)))
                n += 1
    print("# %d call sites" % n)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("events", "callsites"):
        sys.exit("usage: xen-trace-ref.py events|callsites XEN_ROOT")
    root = sys.argv[2]
    if not os.path.isdir(os.path.join(root, "xen")):
        sys.exit(f"xen-trace-ref: {root} is not a Xen source tree (no xen/)")
    (events if sys.argv[1] == "events" else callsites)(root)


if __name__ == "__main__":
    main()
