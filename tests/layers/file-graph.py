#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""file-graph.py: which source file calls into which, from the symbols
of their objects (nm), and the layering rules of the dom0 programs.

Usage: file-graph.py RULES OBJ...

Each OBJ is the object of one source file, named after it with '/'
written as '__' (lttd-xen__main.o for lttd-xen/main.c).  A file calls
another when one of its undefined symbols (a function or data it uses)
is defined by the other.  RULES holds lines:

    folder FOLDER: ALLOWED...   files of FOLDER may call files of these
                                folders (and of FOLDER itself) only
    apart GLOB                  files matching GLOB never call each other
                                (the verbs of lttctl-xen)

Fails (exit 1) on any file-level cycle (files that call each other,
directly or round a loop), any call a rule forbids; prints the graph.
"""
import fnmatch
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", "-g", obj], check=True, text=True,
                         capture_output=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("U", "w"):
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] not in ("U", "w"):
            defined.add(parts[2])
    return defined, undefined


def source_of(obj):
    return os.path.basename(obj)[:-2].replace("__", "/") + ".c"


def strongly_connected(nodes, edges):
    """Tarjan's algorithm: the components of more than one file."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def read_rules(path):
    folders, apart = {}, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            kind, _, rest = line.partition(" ")
            if kind == "folder":
                name, _, allowed = rest.partition(":")
                folders[name.strip()] = set(allowed.split())
            elif kind == "apart":
                apart.append(rest.strip())
            else:
                sys.exit("%s:%d: unknown rule '%s'" % (path, n, kind))
    return folders, apart


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    folders, apart = read_rules(sys.argv[1])
    defs, uses = {}, {}
    for obj in sys.argv[2:]:
        src = source_of(obj)
        defs[src], uses[src] = symbols(obj)
    owner = {}
    for src, syms in defs.items():
        for s in syms:
            owner.setdefault(s, set()).add(src)
    edges, why = {}, {}
    for src, syms in uses.items():
        for s in sorted(syms):
            for dst in owner.get(s, ()):
                if dst != src:
                    edges.setdefault(src, set()).add(dst)
                    why.setdefault((src, dst), []).append(s)

    errors = []
    for comp in strongly_connected(defs, edges):
        lines = ["a cycle among %s:" % ", ".join(comp)]
        for a in comp:
            for b in comp:
                if (a, b) in why:
                    lines.append("    %s -> %s (%s)" % (
                        a, b, ", ".join(why[(a, b)][:4])))
        errors.append("\n".join(lines))
    for (a, b), syms in sorted(why.items()):
        fa, fb = os.path.dirname(a), os.path.dirname(b)
        if fa != fb and fa in folders and fb not in folders[fa]:
            errors.append("%s calls %s (%s): %s/ may call only %s" % (
                a, b, ", ".join(syms[:4]), fa,
                ", ".join(sorted(folders[fa])) or "nothing outside"))
        for glob in apart:
            if fnmatch.fnmatch(a, glob) and fnmatch.fnmatch(b, glob):
                errors.append("%s calls %s (%s): files %s never call "
                              "each other" % (a, b, ", ".join(syms[:4]),
                                              glob))

    for src in sorted(defs):
        print("%s -> %s" % (src, " ".join(sorted(edges.get(src, ())))
                            or "(nothing here)"))
    if errors:
        print()
        for e in errors:
            print("file-graph: " + e)
        return 1
    print("\nno cycle, no call the rules forbid (%d files)" % len(defs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
