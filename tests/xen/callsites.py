#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""callsites.py: walk every xentrace call site of the patched Xen tree
(CONFIG_LTTNG=y) and prove each one is recorded as a typed event.

1. scan: the trace entry points are derived from Xen's own trace headers
   (xen/trace.h and the headers that include it): every macro or inline
   function whose body reaches __trace_var() or __trace_hypercall(), and
   every out-of-line function those headers declare whose definition
   does.  A call site is a call of one of them inside a function body of
   a file the LTTNG=y build compiles (the .o.cmd files say which) or that
   an x86 Makefile builds under a CONFIG_ option this build leaves off.
   A TRC_ id used anywhere else must reach an entry point: a trace macro
   emptied or a call that bypasses the entry points fails.
2. probe: each file holding a call site is compiled again with the
   build's own command line plus -include of a generated header that
   wraps every entry point in a macro: the wrapper emits, into a
   non-allocated section, the site's file:line, the entry point and, when
   the compiler can fold them, the event id and the byte count.  Only a
   site whose expansion reaches an entry point in the compiled code gets
   a record, so a site compiled out or diverted elsewhere fails.  The
   fold of xen/trace.h (a constant event word recorded as its typed
   event at the call site, through genevent's dispatch) is one such
   entry point: a TRACE_xD() site with a constant word that a facility
   maps must reach it and no longer reach __trace_var().
3. variable ids: sites whose id or size the compiler cannot fold are
   resolved with a committed table (callsite-variants.txt) whose entries
   carry a hash of the enclosing function: a changed function fails.
4. check: each id matches exactly one xentrace mapping of genevent's
   model (model.json), a C checker linked with the hypervisor's remap
   (lttng_xen_xt_record(), what __trace_var() calls) records it as that
   typed event, and a site passes no more data words than the mapping's
   unpack rules read (from the model).
5. with --reference (and --pristine, the unpatched tree): the same sites
   as that list, file:line for file:line.

Usage: callsites.py --tree XEN_SRC_ROOT --obj OBJDIR --checker PATH
                    --model GEN/model.json --variants FILE [--reference FILE] [--pristine ROOT]
                    [--work DIR] [--jobs N] [--list FILE]
Exit status 0 when every site is covered, 1 otherwise (each gap named
file:line with its id).
"""
import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys

ROOTS = ("__trace_var", "__trace_hypercall")
# What xen/trace.h's trace_fold() calls to record a constant event word
# at the call site (genevent's xt-remap.h).
FOLD = "lttng_xen_xt_dispatch"
# The calls that fold a constant event word at the call site: the
# TRACE_xD() macros and __trace_var() (xen/trace.h's macro); trace_var()
# folds inside its body, where the probe does not see it.
FOLDING = {"TRACE_%dD" % n for n in range(1, 7)} | {"__trace_var"}
# Entry points that xen/trace.h makes macros folding a constant event
# word before they call the function: their parameters, and the call.
FOLD_MACROS = {"__trace_var": ("e, c, x, d", "(__trace_var)(e, c, x, d)")}
errors = []


def fail(msg):
    errors.append(msg)


# ---- C text ----------------------------------------------------------------

def strip_c(text):
    """Comments and string/char literals blanked, newlines kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def blank_directives(s):
    """Preprocessor lines (with continuations) blanked."""
    out, cont = [], False
    for line in s.split("\n"):
        if cont or line.lstrip().startswith("#"):
            cont = line.rstrip().endswith("\\")
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


def match_paren(s, i):
    """Index just past the parenthesis that closes the one at s[i]."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "(":
            depth += 1
        elif s[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(s)


def split_args(s):
    args, depth, cur = [], 0, ""
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        args.append(cur.strip())
    return args


class CFile:
    """One C file: its top-level functions and macros."""

    def __init__(self, path, rel):
        self.path, self.rel = path, rel
        with open(path, errors="replace") as f:
            self.raw = f.read()
        self.s = strip_c(self.raw)
        self.code = blank_directives(self.s)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.s)]
        self.functions = self._functions()
        self.macros = self._macros()

    def line(self, off):
        lo, hi = 0, len(self.line_starts)
        while lo + 1 < hi:
            mid = (lo + hi) // 2
            if self.line_starts[mid] <= off:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def _functions(self):
        """(name, params, start, body_start, end) of each definition."""
        funcs, depth, last_top, start = [], 0, 0, 0
        code = self.code
        for i, c in enumerate(code):
            if c == "{":
                if depth == 0:
                    head = code[last_top:i]
                    # "void (name)(...)": a function whose name is also
                    # a function-like macro (xen/trace.h's __trace_var)
                    m = (re.search(r"\((\w+)\)\s*\(([^;{}]*)\)[\s\w()]*$", head)
                         or re.search(r"(\w+)\s*\(([^;{}]*)\)[\s\w()]*$", head))
                    if m and m.group(1) not in ("if", "while", "for",
                                                "switch"):
                        start = last_top + m.start()
                        funcs.append([m.group(1), m.group(2), start, i, None])
                    else:
                        funcs.append(None)
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    if funcs and funcs[-1] is not None and funcs[-1][4] is None:
                        funcs[-1][4] = i + 1
                    last_top = i + 1
            elif c == ";" and depth == 0:
                last_top = i + 1
        return [tuple(f) for f in funcs if f is not None and f[4] is not None]

    def _macros(self):
        """name -> (params, body) of each function-like #define."""
        macros = {}
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)"
                             r"((?:[^\n]*\\\n)*[^\n]*)", self.s, re.M):
            macros[m.group(1)] = (m.group(2), m.group(3))
        return macros

    def declarations(self):
        """Names of functions declared (not defined) at top level."""
        names = set()
        for m in re.finditer(r"(\w+)\s*\(([^;{}()]*)\)\s*;", self.code):
            if self.enclosing(m.start()) is None:
                names.add(m.group(1))
        return names

    def enclosing(self, off):
        for f in self.functions:
            if f[3] < off < f[4]:
                return f
        return None

    def function_hash(self, f):
        text = re.sub(r"\s+", " ", self.s[f[2]:f[4]]).strip()
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def calls(text, names):
    pat = r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\s*\("
    return re.finditer(pat, text)


# ---- the build's files -----------------------------------------------------

def read_cmds(obj):
    """object -> (compile command, source, .c files it includes)."""
    objs = {}
    for dirpath, _, files in os.walk(obj):
        for fn in files:
            if not (fn.startswith(".") and fn.endswith(".o.cmd")):
                continue
            with open(os.path.join(dirpath, fn)) as f:
                text = f.read()
            m = re.search(r"^cmd_(\S+) := (.*)$", text, re.M)
            s = re.search(r"^source_\S+ := (\S+)$", text, re.M)
            if not m or not s or not s.group(1).endswith(".c"):
                continue
            deps = re.findall(r"^\s+(\S+\.c)\s*\\?$", text, re.M)
            objs[m.group(1)] = (m.group(2), s.group(1), deps)
    return objs


class Tree:
    def __init__(self, root, obj):
        self.root = os.path.realpath(root)      # holds xen/
        self.obj = obj
        self.cmds = read_cmds(obj)
        if not self.cmds:
            sys.exit(f"callsites: cannot find the build's .o.cmd files in {obj}")
        # The commands may name the tree where it was first built (a copied
        # build directory): map that prefix to ours.
        cmd, src, _ = next(iter(self.cmds.values()))
        self.built_root = src[:src.index("/xen/")] if "/xen/" in src \
            else self.root
        self.files = {}

    def rel(self, path):
        for r in (self.built_root, self.root):
            if path.startswith(r + "/"):
                return path[len(r) + 1:]
        return path

    def get(self, rel):
        if rel not in self.files:
            self.files[rel] = CFile(os.path.join(self.root, rel), rel)
        return self.files[rel]

    def compiled_c(self):
        rels = set()
        for _, src, deps in self.cmds.values():
            rels.add(os.path.normpath(self.rel(src)))
            rels.update(os.path.normpath(self.rel(d)) for d in deps)
        return sorted(r for r in rels
                      if os.path.exists(os.path.join(self.root, r)))

    def configured_out(self):
        """.c files an x86 Makefile builds under a CONFIG_ option this
        configuration leaves off (other schedulers...), each with the
        compile command of an object of the same directory, so that the
        call sites of every configuration are checked."""
        with open(os.path.join(self.obj, ".config")) as f:
            on = set(re.findall(r"^(CONFIG_\w+)=[ym]", f.read(), re.M))
        compiled = set(self.compiled_c())
        out = {}
        for top in ("common", "arch/x86", "drivers", "lib", "xsm", "crypto"):
            for dirpath, _, files in os.walk(os.path.join(self.root, "xen", top)):
                if "Makefile" not in files:
                    continue
                d = os.path.relpath(dirpath, os.path.join(self.root, "xen"))
                with open(os.path.join(dirpath, "Makefile")) as f:
                    mk = f.read().replace("\\\n", " ")
                for m in re.finditer(r"^obj-\$\((CONFIG_\w+)\)\s*\+=([^\n$]*)$",
                                     mk, re.M):
                    if m.group(1) in on:
                        continue
                    for o in re.findall(r"([\w-]+)\.o\b", m.group(2)):
                        rel = os.path.normpath(f"xen/{d}/{o}.c")
                        if rel in compiled or not os.path.exists(
                                os.path.join(self.root, rel)):
                            continue
                        sib = [k for k in self.cmds
                               if os.path.dirname(k) == os.path.normpath(d)]
                        if sib:
                            out[rel] = (os.path.normpath(f"{d}/{o}.o"),
                                        sib[0], m.group(1))
        return out

    def trace_headers(self):
        inc = [os.path.join(self.root, "xen/include"),
               os.path.join(self.root, "xen/arch/x86/include")]
        hdrs = ["xen/include/xen/trace.h"]
        for d in inc:
            for dirpath, _, files in os.walk(d):
                for fn in files:
                    p = os.path.join(dirpath, fn)
                    if not fn.endswith(".h"):
                        continue
                    with open(p, errors="replace") as f:
                        if re.search(r"^#\s*include\s*<xen/trace\.h>",
                                     f.read(), re.M):
                            hdrs.append(os.path.relpath(p, self.root))
        return sorted(set(hdrs))


# ---- 1. entry points and call sites ----------------------------------------

def closure(found, defs, reaches):
    """'found' grown with every name of 'defs' for which
    reaches(name, defs[name], found) holds, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for name, d in defs.items():
            if name not in found and reaches(name, d, found):
                found.add(name)
                changed = True
    return found


def entry_points(tree, cfiles):
    """name -> kind ('macro', 'inline', 'extern', 'root'), params, where."""
    headers = [tree.get(h) for h in tree.trace_headers()]
    defs = {}           # name -> (kind, params, body, file)
    for h in headers:
        for name, (params, body) in h.macros.items():
            defs[name] = ("macro", params, body, h.rel)
        for f in h.functions:
            defs.setdefault(f[0], ("inline", f[1], h.code[f[3]:f[4]], h.rel))
        for name in h.declarations():
            if name in defs:
                continue
            for c in cfiles:
                for f in c.functions:
                    if f[0] == name:
                        defs[name] = ("extern", f[1], c.code[f[3]:f[4]],
                                      c.rel)
    eps = {n: ("root", None, None, None) for n in ROOTS}
    for name in closure(set(ROOTS), defs,
                        lambda name, d, found: any(calls(d[2], found))):
        eps.setdefault(name, defs.get(name))
    # Parameters of the roots, from their declarations in xen/trace.h.
    th = tree.get("xen/include/xen/trace.h")
    for n in ROOTS:
        m = re.search(r"\b" + n + r"\s*\(([^;{}()]*)\)\s*;", th.code)
        if not m:
            sys.exit(f"callsites: xen/include/xen/trace.h declares no {n}()")
        eps[n] = ("root", m.group(1), None, th.rel)
    return eps


Site = collections.namedtuple(
    "Site", "file line end macro args function cfile func")


def find_sites(cfiles, eps):
    sites = []
    for c in cfiles:
        for m in calls(c.code, eps):
            f = c.enclosing(m.start())
            if f is None:
                continue        # a declaration or definition
            if eps[m.group(1)][0] in ("inline", "extern") and \
               eps[m.group(1)][3] == c.rel and f[0] == m.group(1):
                continue
            open_ = c.code.index("(", m.start())
            close = match_paren(c.code, open_)
            sites.append(Site(c.rel, c.line(m.start()), c.line(close - 1),
                              m.group(1), tuple(split_args(c.code[open_ + 1:close - 1])),
                              f[0], c, tuple(f)))
    return sites


def enclosing_call(code, off):
    """Name of the innermost call whose parentheses hold code[off]."""
    depth = 0
    for i in range(off - 1, -1, -1):
        c = code[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                m = re.search(r"(\w+)\s*$", code[:i])
                return m.group(1) if m else None
            depth -= 1
        elif c in ";{}" and depth == 0:
            return None
    return None


def unrecorded_trc(tree, cfiles, eps, sites, hook):
    """A bypass the scanner would not see as a call site: a TRC_ id used
    where nothing records it (a trace macro emptied, a call to something
    other than the entry points).  Every TRC_ token in a function body
    must be an argument of an entry point, of a trace query that records
    nothing by design (declared in xen/trace.h), or of a function that
    reaches an entry point; or sit in a function that does."""
    defs = {}
    for c in cfiles:
        for f in c.functions:
            defs.setdefault(f[0], []).append((c, f))
    with_site = {(s.file, s.func[2]) for s in sites}
    reach = closure(set(eps), defs, lambda name, fs, found: any(
        (c.rel, f[2]) in with_site or any(
            m.group(1) != name for m in calls(c.code[f[3]:f[4]], found))
        for c, f in fs))
    # Queries: what xen/trace.h declares besides the recording entries.
    queries = tree.get("xen/include/xen/trace.h").declarations() - reach
    for c in cfiles:
        if c.rel == hook:
            continue
        for m in re.finditer(r"\bTRC_\w+", c.code):
            f = c.enclosing(m.start())
            if f is None:
                continue
            call = enclosing_call(c.code, m.start())
            if call in reach or call in queries:
                continue
            if call is None and f[0] in reach:
                continue
            fail(f"{c.rel}:{c.line(m.start())}: {m.group(0)} is passed to "
                 f"{call or 'no call'}() in {f[0]}(), and nothing there "
                 "reaches __trace_var() or __trace_hypercall(): a trace "
                 "point that records nothing, or a bypass of the remap")


def param_names(params):
    names = []
    for p in split_args(params or ""):
        m = re.search(r"(\w+)\s*(\[[^]]*\])?$", p)
        names.append(m.group(1) if m and p not in ("void",) else "")
    return names


# ---- 2. the probe ----------------------------------------------------------

def probe_header(eps):
    out = ["/* Generated by tests/xen/callsites.py: call-site probes. */"]
    for h in sorted({d[3] for d in eps.values() if d[0] != "extern"}):
        out.append("#include <%s>" % re.sub(r"^xen/(arch/x86/)?include/", "", h))
    # One asm statement a record, so that the compiler cannot move code
    # between a record's pieces.
    out.append("""
#define LTTNG_CS_STR_(x) #x
#define LTTNG_CS_STR(x) LTTNG_CS_STR_(x)
#define LTTNG_CS_REC(fn, ev, ex, ...)                                     \\
    asm volatile ( ".pushsection .lttng_callsites,\\"\\",@progbits\\n"    \\
                   ".ascii \\"" __FILE__ ":" LTTNG_CS_STR(__LINE__) " " fn \\
                   " event=" ev " extra=" ex "\\"\\n.byte 10\\n"          \\
                   ".popsection" :: __VA_ARGS__ )
#define LTTNG_CS_PROBE(fn, e, x) ({                                       \\
    if ( __builtin_constant_p(e) && __builtin_constant_p(x) )            \\
        LTTNG_CS_REC(fn, "%c0", "%c1", "i" ((unsigned long)(e)),         \\
                     "i" ((unsigned long)(x)));                          \\
    else if ( __builtin_constant_p(e) )                                  \\
        LTTNG_CS_REC(fn, "%c0", "?", "i" ((unsigned long)(e)));          \\
    else if ( __builtin_constant_p(x) )                                  \\
        LTTNG_CS_REC(fn, "?", "%c0", "i" ((unsigned long)(x)));          \\
    else                                                                 \\
        LTTNG_CS_REC(fn, "?", "?");                                      \\
})
#define LTTNG_CS_PROBE_EV(fn, e) ({                                       \\
    if ( __builtin_constant_p(e) )                                       \\
        LTTNG_CS_REC(fn, "%c0", "-", "i" ((unsigned long)(e)));          \\
    else                                                                 \\
        LTTNG_CS_REC(fn, "?", "-");                                      \\
})
#define LTTNG_CS_PROBE_NONE(fn) ({ LTTNG_CS_REC(fn, "-", "-"); })
""")
    for i in range(8):
        ps = ", ".join("a%d" % k for k in range(i + 1))
        out.append("#define LTTNG_CS_A%d(%s, ...) a%d" % (i, ps, i))
    for name in sorted(eps):
        kind, params, _, _ = eps[name]
        if kind not in ("root", "inline"):
            continue
        names = param_names(params)
        arg = {p: "LTTNG_CS_A%d(__VA_ARGS__, 0)" % names.index(p)
               for p in ("event", "extra") if p in names}
        if "event" in arg and "extra" in arg:
            probe = 'LTTNG_CS_PROBE("%s", %s, %s)' % (name, arg["event"],
                                                     arg["extra"])
        elif "event" in arg:
            probe = 'LTTNG_CS_PROBE_EV("%s", %s)' % (name, arg["event"])
        else:
            probe = 'LTTNG_CS_PROBE_NONE("%s")' % name
        wrap = "#define %s(...) (%s, %s(__VA_ARGS__))" % (name, probe, name)
        if name in FOLD_MACROS:
            # xen/trace.h's macro of that name folds a constant event
            # word, then calls the function: the probe keeps the fold
            # and records the call only where it remains.
            params, call = FOLD_MACROS[name]
            args = dict(zip(("e", "c", "x", "d"), params.split(", ")))
            wrap = ("#if defined(%s) && defined(trace_fold)\n#undef %s\n"
                    "#define %s(%s) ({ if ( !trace_fold(%s, %s, %s) ) "
                    "(void)(LTTNG_CS_PROBE(\"%s\", %s, %s), %s); })\n"
                    "#else\n%s\n#endif"
                    % (name, name, name, params, args["e"], args["x"], args["d"],
                       name, args["e"], args["x"], call, wrap))
        out.append(wrap)
    # The fold of xen/trace.h (a constant event word recorded at the call
    # site, xen-patches/0005): its dispatch, as an entry point.  Sites
    # that expand trace_fold() from here on get a record for it when the
    # compiler keeps the fold, and none for __trace_var() when it drops
    # that call.
    out.append("#ifdef trace_fold\n#define %s(e, x, d) "
               "(LTTNG_CS_PROBE(\"%s\", e, x), %s(e, x, d))\n#endif"
               % (FOLD, FOLD, FOLD))
    return "\n".join(out) + "\n"


def probe_compile(tree, obj_name, cmd, work, header):
    """Compile one object with the probe; its records."""
    cmd = cmd.replace(tree.built_root + "/", tree.root + "/")
    out = os.path.join(work, obj_name.replace("/", "_"))
    argv = shlex.split(cmd)
    res, skip = [], 0
    for i, a in enumerate(argv):
        if skip:
            skip -= 1
            continue
        if a in ("-MF", "-MQ", "-MT", "-o"):
            skip = 1
            if a == "-o":
                res += ["-o", out]
            continue
        if a in ("-MMD", "-MP", "-MD"):
            continue
        res.append(a)
        if a == "-include" and "xen/config.h" in argv[i + 1]:
            res += [argv[i + 1], "-include", header]
            skip = 1
    if header not in res:
        return obj_name, None, ("its command has no '-include .../xen/config.h' "
                                "to put the probe after")
    p = subprocess.run(res, cwd=tree.obj, capture_output=True, text=True)
    if p.returncode != 0:
        return obj_name, None, p.stderr[-3000:]
    p = subprocess.run(["objcopy", "--dump-section",
                        ".lttng_callsites=" + out + ".txt", out,
                        out + ".tmp"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return obj_name, None, "objcopy: " + p.stderr
    with open(out + ".txt", errors="replace") as f:
        txt = f.read()
    for f in (out, out + ".txt", out + ".tmp"):
        os.unlink(f)
    recs = []
    for line in txt.splitlines():
        m = re.match(r"(\S+):(\d+) (\w+) event=(\S+) extra=(\S+)$", line)
        if m:
            recs.append((os.path.normpath(tree.rel(m.group(1))),
                         int(m.group(2)), m.group(3), m.group(4), m.group(5)))
        elif line.strip():
            return obj_name, None, "unreadable probe record: " + line
    return obj_name, recs, None


# ---- expressions -------------------------------------------------------------

class Evaluator:
    """C constant expressions over Xen's public/trace.h, by the C
    preprocessor, then integer arithmetic."""

    def __init__(self, tree):
        self.inc = os.path.join(tree.root, "xen/include")

    def __call__(self, exprs, cfile=None):
        # The file's own TRC_ macros (the schedulers define theirs).
        local = "".join(m.group(0) + "\n" for m in re.finditer(
            r"^[ \t]*#[ \t]*define[ \t]+TRC_\w+(?:[^\n]*\\\n)*[^\n]*",
            cfile.s if cfile else "", re.M))
        src = "#include <public/trace.h>\n" + local + "".join(
            "@@ %s\n" % e for e in exprs)
        p = subprocess.run(["cpp", "-P", "-nostdinc", "-D__XEN__",
                            "-I", self.inc, "-"], input=src,
                           capture_output=True, text=True)
        if p.returncode:
            sys.exit("callsites: cannot preprocess public/trace.h: "
                     + p.stderr)
        vals = []
        for line in p.stdout.splitlines():
            if not line.startswith("@@ "):
                continue
            e = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", line[3:])
            e = e.replace("~", "0xffffffff ^ ")
            if not re.fullmatch(r"[0-9a-fA-Fx()+\-*|&^<> \t]*", e):
                vals.append(None)
                continue
            try:
                vals.append(eval(e, {"__builtins__": {}}) & 0xffffffff)
            except Exception:
                vals.append(None)
        return vals


# ---- 3. the variable sites' table --------------------------------------------

Entry = collections.namedtuple("Entry", "file function macro event hash "
                               "callers dead padding narrowed variants lineno")


def read_variants(path):
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(",", 5)]
            if len(fields) != 6:
                sys.exit(f"{path}:{n}: want 6 ','-separated fields, not {len(fields)}")
            file, func, macro, event, hsh, rest = fields
            callers, dead, padding, narrowed, variants = None, None, False, None, []
            for v in rest.split(";"):
                v = v.strip()
                if v.startswith("callers="):
                    callers = v[len("callers="):]
                    continue
                if v.startswith("dead="):
                    dead = v[len("dead="):]
                    continue
                if v.startswith("narrowed="):
                    narrowed = v[len("narrowed="):]
                    continue
                if v == "padding":
                    padding = True
                    continue
                m = re.fullmatch(r"(.+?)\s*/\s*(?:(\d+)(?:-(\d+))?|(-))", v)
                if not m:
                    sys.exit(f"{path}:{n}: bad variant '{v}' (want EXPR / WORDS[-WORDS] or EXPR / -)")
                lo = None if m.group(4) else int(m.group(2))
                hi = lo if not m.group(3) else int(m.group(3))
                variants.append((m.group(1), lo, hi))
            entries.append(Entry(file, func, macro, re.sub(r"\s+", "", event),
                                 hsh, callers, dead, padding, narrowed, tuple(variants),
                                 n))
    return entries


# ---- 4. the remap checker ----------------------------------------------------

def load_model(path):
    """genevent's model.json: per xentrace mapping (mask, id, event name,
    data words its unpack rules read, whether a sequence takes the
    rest)."""
    with open(path) as f:
        model = json.load(f)
    maps = []
    for ev in model["events"]:
        fields = {f["name"]: f for f in ev["fields"]}
        for x in ev["xentrace"]:
            end, seq = 0, False
            for u in x["unpacks"]:
                if u["from"] != "data":
                    continue
                f = fields[u["field"]]
                if f["shape"] == "sequence":
                    seq = True
                    continue
                n = f.get("length", 1)
                end = max(end, u["bit"] + u["width"] * n)
            maps.append((x["mask"], x["id"], ev["name"], (end + 31) // 32,
                         seq))
    return maps


def run_checker(checker, model, ids):
    """id -> (matches in the model, the record path agrees, event name,
    words read, sequence)."""
    maps = load_model(model)
    inp = "".join("%x\n" % i for i in sorted(ids))
    p = subprocess.run([checker], input=inp, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("callsites: the checker failed: " + p.stderr)
    recorded = {}
    for line in p.stdout.splitlines():
        f = line.split()
        recorded[int(f[0], 16)] = f[1]
    res = {}
    for i in ids:
        hits = [m for m in maps if (i & 0x0fffffff & ~m[0]) == m[1]]
        name, words, seq = hits[-1][2:] if hits else ("-", 0, False)
        res[i] = (len(hits), recorded.get(i) == name and name != "-", name,
                  words, seq)
    return res


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module's comment for what each step checks.")
    ap.add_argument("--tree", required=True)
    ap.add_argument("--obj", required=True)
    ap.add_argument("--checker", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--variants", required=True)
    ap.add_argument("--reference")
    ap.add_argument("--pristine")
    ap.add_argument("--work", default=".")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--list", help="write every site and its ids here")
    a = ap.parse_args()

    tree = Tree(a.tree, a.obj)
    off = tree.configured_out()
    cfiles = [tree.get(r) for r in tree.compiled_c() + sorted(off)]
    if off:
        print("also checked, though this configuration leaves them out: "
              + ", ".join(f"{r} ({off[r][2]})" for r in sorted(off)))
    eps = entry_points(tree, cfiles)
    print("entry points: " + " ".join(sorted(eps)))
    sites = find_sites(cfiles, eps)
    hook = [c.rel for c in cfiles
            if any(f[0] == "__trace_var" for f in c.functions)]
    if len(hook) != 1:
        sys.exit(f"callsites: want one compiled file defining __trace_var(), found {hook}")
    hook = hook[0]
    print(f"{len(sites)} call sites in {len({s.file for s in sites})} files; "
          f"__trace_var() is {hook}'s")

    unrecorded_trc(tree, cfiles, eps, sites, hook)

    # 2. probe-compile every object holding a site, but the hook's own.
    header = os.path.join(os.path.abspath(a.work), "callsite-probe.h")
    with open(header, "w") as f:
        f.write(probe_header(eps))
    site_files = {s.file for s in sites} - {hook}
    todo = [(o, c[0]) for o, c in sorted(tree.cmds.items())
            if ({os.path.normpath(tree.rel(x)) for x in [c[1]] + c[2]}
                & site_files)]
    for rel, (o, sib, _) in sorted(off.items()):
        if rel in site_files:
            cmd, src, _ = tree.cmds[sib]
            cmd = cmd.replace(src, os.path.join(tree.built_root, rel))
            cmd = re.sub(r"-D__OBJECT_LABEL__=[^\s']+", "-D__OBJECT_LABEL__=" + o,
                         cmd)
            todo.append((o, cmd))
    records = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for obj_name, recs, err in ex.map(
                lambda t: probe_compile(tree, t[0], t[1], a.work, header),
                todo):
            if recs is None:
                fail(f"{obj_name}: cannot compile it with the call-site probe: {err}")
            else:
                records += recs
    print(f"probe: {len(todo)} objects compiled again, {len(records)} "
          "expansions reach an entry point")

    by_site = collections.defaultdict(list)
    for r in records:
        hit = [s for s in sites if s.file == r[0] and s.line <= r[1] <= s.end]
        if not hit:
            fail(f"{r[0]}:{r[1]}: a call of {r[2]}() that the scanner did not "
                 f"find (event {r[3]}): a call site outside a .c function "
                 "body, or an entry point it does not know")
            continue
        by_site[hit[0]].append(r)

    # The fold: a TRACE_xD() or __trace_var() site whose event word is a
    # constant that a facility maps is recorded at the call site; the
    # compiler must then have dropped its call of the function.  Its id is checked through the
    # remap below like every other (the fold runs the same generated
    # code).
    folded_sites = {s for s, rs in by_site.items()
                    if any(r[2] == FOLD for r in rs)}
    for s in sorted(folded_sites, key=lambda t: (t.file, t.line)):
        rest = [r for r in by_site[s] if r[2] != FOLD]
        if rest:
            fail(f"{s.file}:{s.line}: {s.macro}() folds its event word "
                 f"at compile time, yet still calls {rest[0][2]}() "
                 f"(event {rest[0][3]}): the fold did not replace the remap")
    want_fold = [s for s in sites if s.macro in FOLDING and
                 by_site.get(s) and
                 all(r[3] not in "?-" for r in by_site[s])]
    if not folded_sites:
        fail("no call site is folded at compile time: xen/trace.h's "
             "trace_fold() (xen-patches) is missing or does not fold")
    inner = [s for s in sites if s.macro == "trace_var" and
             by_site.get(s) and all(r[3] not in "?-" for r in by_site[s])]
    print(f"fold: {len(folded_sites)} sites record their typed event at the "
          f"call site (constant event word); {len(inner)} trace_var() sites "
          "with a constant word fold inside it, unseen by the probe; "
          f"{len(sites) - len(folded_sites) - len(inner)} go through "
          "__trace_var() and the remap, or are compiled out")

    entries = read_variants(a.variants)
    used = set()
    evaluate = Evaluator(tree)
    variants = {}       # site -> [(id, lo_words, hi_words or None)]
    narrowed = {}       # site -> why the rules may read fewer words
    with open(os.path.join(a.obj, ".config")) as f:
        config_on = set(re.findall(r"^(CONFIG_\w+)=[ym]", f.read(), re.M))
    dead_sites = []
    for s in sites:
        recs = by_site.get(s, [])
        where = f"{s.file}:{s.line}"
        ev = re.sub(r"\s+", "", s.args[0]) if s.args else ""
        same = [t for t in sites if t.file == s.file and t.func == s.func
                and t.macro == s.macro and
                re.sub(r"\s+", "", t.args[0] if t.args else "") == ev]
        nth = "%s:%d" % (s.function, same.index(s) + 1)
        match = [e for e in entries if e.file == s.file and
                 e.function in (s.function, nth) and e.macro == s.macro and
                 e.event == ev]
        if len(match) > 1:
            match = [e for e in match if e.function == nth]
        folded = recs and all(r[3] not in "?-" and r[4] != "?" for r in recs)
        if len(match) > 1:
            fail(f"{where}: {a.variants} has {len(match)} entries for it")
            continue
        if not match:
            if not recs and s.file != hook:
                fail(f"{where}: {s.macro}() never reaches an entry point in "
                     "the LTTNG=y build: compiled out, or a bypass of the "
                     "remap (if it is dead code, say why in "
                     f"{os.path.basename(a.variants)}: '{s.file}, "
                     f"{s.function}, {s.macro}, {ev}, "
                     f"{s.cfile.function_hash(s.func)}, dead=WHY; ...')")
                continue
            if folded:
                variants[s] = sorted({(int(r[3]) & 0xffffffff,
                                       None if r[4] == "-" else (int(r[4]) + 3) // 4)
                                      for r in recs})
                variants[s] = [(i, w, w) for i, w in variants[s]]
                continue
            fail(f"{where}: {s.macro}({s.args[0] if s.args else ''}, ...) in "
                 f"{s.function}(): the compiler cannot fold its id or size and "
                 f"{a.variants} has no entry for it (want one: "
                 f"'{s.file}, {s.function}, {s.macro}, {ev}, "
                 f"{s.cfile.function_hash(s.func)}, EXPR / WORDS; ...')")
            continue
        e = match[0]
        used.add(e)
        if e.narrowed:
            narrowed[s] = e.narrowed
        h = s.cfile.function_hash(s.func)
        if h != e.hash:
            fail(f"{where}: {a.variants}:{e.lineno} was written for another "
                 f"version of {s.function}() (hash {e.hash}, now {h}): re-read "
                 "it, then update the entry's variants and hash")
            continue
        if e.dead:
            if recs:
                fail(f"{where}: {a.variants}:{e.lineno} says it is compiled out "
                     f"({e.dead}), but it reaches {recs[0][2]}() in this build")
                continue
            for c in re.findall(r"CONFIG_\w+", e.dead):
                if c in config_on:
                    fail(f"{where}: {a.variants}:{e.lineno} says {c} is off, "
                         "but this build has it on")
            dead_sites.append((s, e.dead))
        elif not recs and s.file != hook:
            fail(f"{where}: {s.macro}() never reaches an entry point in the "
                 "LTTNG=y build: compiled out, or a bypass of the remap")
            continue
        bases = [None]
        if e.callers:
            name, _, idx = e.callers.partition(":")
            idx = int(idx or 0)
            if name in eps:
                bases = sorted({int(r[3]) & 0xffffffff for t, rs in
                                by_site.items() if t.macro == name
                                for r in rs if r[3] not in "?-"})
                if any(r[3] in "?-" for t, rs in by_site.items()
                       if t.macro == name for r in rs):
                    fail(f"{where}: a caller of {name}() passes an id the "
                         "compiler cannot fold")
            else:
                exprs = [split_args(s.cfile.code[m.end():match_paren(
                    s.cfile.code, m.end() - 1) - 1])[idx]
                    for m in calls(s.cfile.code, [name])
                    if s.cfile.enclosing(m.start())]
                bases = evaluate(exprs)
                for x, v in zip(exprs, bases):
                    if v is None:
                        fail(f"{where}: cannot evaluate '{x}', passed to "
                             f"{name}() in {s.file}")
                bases = [b for b in bases if b is not None]
            if not bases:
                fail(f"{where}: no caller of {name}() found")
        out = []
        for b in bases:
            exprs = [x.replace("EV", "(%d)" % b) if b is not None else x
                     for x, _, _ in e.variants]
            for v, (x, lo, hi) in zip(evaluate(exprs, s.cfile), e.variants):
                if v is None:
                    fail(f"{a.variants}:{e.lineno}: cannot evaluate '{x}'")
                else:
                    out.append((v, lo, hi))
        variants[s] = sorted(set(out))
        if e.padding:
            # The struct's tail padding, not data: the compiler's ids must
            # be the table's, and the table may drop less than 8 bytes.
            if not folded:
                fail(f"{where}: {a.variants}:{e.lineno}: 'padding' needs a "
                     "site whose id and size the compiler folds")
                continue
            got = {int(r[3]) & 0xffffffff for r in recs}
            if got != {v for v, _, _ in out}:
                fail(f"{where}: {a.variants}:{e.lineno}: ids "
                     f"{sorted(map(hex, got))} in the build, "
                     f"{sorted(hex(v) for v, _, _ in out)} in the table")
            for r in recs:
                for v, lo, hi in out:
                    pad = int(r[4]) - 4 * hi
                    if not 0 <= pad < 8:
                        fail(f"{where}: {a.variants}:{e.lineno}: the site "
                             f"passes {r[4]} bytes; {hi} words leave {pad} "
                             "bytes, more than an alignment's padding")
    for e in entries:
        if e not in used:
            fail(f"{a.variants}:{e.lineno}: no call site needs this entry "
                 f"({e.file} {e.function} {e.macro}({e.event}))")

    # 4. every id through the remap.
    ids = {i for vs in variants.values() for i, _, _ in vs}
    remap = run_checker(a.checker, a.model, ids)
    for s in want_fold:
        if s not in folded_sites and all(
                remap[i][0] == 1 and remap[i][1]
                for i, _, _ in variants.get(s, [])):
            fail(f"{s.file}:{s.line}: {s.macro}() passes a constant event "
                 "word that a facility maps, yet it is not folded at "
                 "compile time: it pays __trace_var()'s lookup")
    notes = []
    per_fac = collections.defaultdict(lambda: [set(), set(), set()])
    for s in sites:
        for i, lo, hi in variants.get(s, []):
            where = f"{s.file}:{s.line}: {s.macro}() id 0x{i:08x}"
            matches, ok, name, read, seq = remap[i]
            if matches != 1 or not ok:
                fail(f"{where}: {matches} xentrace mappings of genevent's "
                     f"model match it"
                     f"{'' if ok else ' and the remap does not record it as ' + name}: "
                     "it would be counted as unmapped, not recorded")
                continue
            fac = name.split(":")[0]
            per_fac[fac][0].add(s)
            per_fac[fac][1].add(i)
            per_fac[fac][2].add(name)
            if lo is None:
                continue        # a wrapper: its own sites pass the words
            if hi > 7:
                fail(f"{where} -> {name}: passes up to {hi} data words; a "
                     "record holds 7, the rest would be lost")
            elif not seq and hi > read and s in narrowed:
                notes.append(f"{where} -> {name}: passes {hi} data words, "
                             f"the unpack rules read {read}: {narrowed[s]}")
            elif not seq and hi > read:
                fail(f"{where} -> {name}: passes {hi} data words, the unpack "
                     f"rules read {read}: the rest would be lost silently")
            elif not seq and lo < read:
                notes.append(f"{where} -> {name}: passes {lo} data words, "
                             f"the unpack rules read {read}: the fields it "
                             "does not pass are recorded as 0")

    if a.list:
        with open(a.list, "w") as f:
            for s in sorted(sites, key=lambda t: (t.file, t.line)):
                for i, lo, hi in variants.get(s, []):
                    w = "-" if lo is None else (
                        str(lo) if lo == hi else f"{lo}-{hi}")
                    name = remap[i][2] if i in remap else "?"
                    f.write(f"{s.file}:{s.line} {s.macro} 0x{i:08x} "
                            f"{name} words={w}\n")

    # The reference list, when there: the same sites, nothing more or less.
    if a.reference:
        cross_check(a.reference, a.pristine, tree, sites, hook)

    print()
    print("%-10s %6s %6s %7s" % ("facility", "sites", "ids", "events"))
    tot = [set(), set(), set()]
    for fac in sorted(per_fac):
        v = per_fac[fac]
        print("%-10s %6d %6d %7d" % (fac, len(v[0]), len(v[1]), len(v[2])))
        for k in range(3):
            tot[k] |= v[k]
    print("%-10s %6d %6d %7d" % ("total", len(tot[0]), len(tot[1]),
                                  len(tot[2])))
    print(f"({len(sites)} call sites; a site reaching several facilities "
          "counts in each)")
    for s, why in dead_sites:
        print(f"note: {s.file}:{s.line}: {s.macro}() is compiled out of this "
              f"build ({why}); its ids are checked all the same")
    for n in notes:
        print("note: " + n)
    if errors:
        print()
        for e in errors:
            print("FAIL: " + e)
        print(f"{len(errors)} problems")
        return 1
    print(f"ok: all {len(sites)} call sites reach their typed event, "
          f"{len(folded_sites)} folded at compile time and the others "
          f"through the remap, each of their {len(ids)} ids mapped to one")
    return 0


def cross_check(ref, pristine, tree, sites, hook):
    want = set()
    with open(ref) as f:
        for line in f:
            if line.startswith("# Per-file counts"):
                break
            m = re.match(r"(\S+):(\d+): (\w+)\s", line)
            if m:
                want.add((m.group(1), int(m.group(2)), m.group(3)))
    have = {(s.file, s.line, s.macro) for s in sites}
    # Files lttng-xen adds to the tree besides the hook file, whose sites
    # stand for trace.c's below (xen/trace-bench.c, the record path's
    # self-benchmark): the pristine tree's list cannot hold their sites,
    # which steps 2-4 check like Xen's all the same.
    if pristine:
        added = sorted({h[0] for h in have if h[0] != hook and
                        not os.path.exists(os.path.join(pristine, h[0]))})
        for a in added:
            n = len([h for h in have if h[0] == a])
            print(f"reference: {a} is not in the pristine tree (lttng-xen "
                  f"adds it): its {n} sites are checked, not cross-checked")
        have = {h for h in have if h[0] not in added}
    # Files the LTTNG=y build does not compile (trace.c): their sites are
    # replaced by the hook file's, function for function.
    compiled = {c for c in tree.compiled_c()}
    replaced = set()
    for w in sorted(want):
        if w[0] in compiled or not pristine:
            continue
        c = CFile(os.path.join(pristine, w[0]), w[0])
        off = c.line_starts[w[1] - 1]
        f = c.enclosing(off)
        repl = [h for h in have if h[0] == hook and h[2] == w[2] and
                any(s.function == (f[0] if f else None) for s in sites
                    if (s.file, s.line, s.macro) == h)]
        if len(repl) == 1:
            print(f"reference {w[0]}:{w[1]} ({w[2]} in {f[0]}) is "
                  f"{repl[0][0]}:{repl[0][1]} with CONFIG_LTTNG=y")
            want.discard(w)
            want.add(repl[0])
            replaced.add(f[0])
    # A replacing function may record some ids another way besides (its
    # own trace_var() with a constant word, folded): those sites are the
    # hook's, checked in steps 2-4, with nothing in trace.c to match.
    for h in sorted(have - want):
        if h[0] == hook and any(s.function in replaced for s in sites
                                if (s.file, s.line, s.macro) == h):
            print(f"reference: {h[0]}:{h[1]} ({h[2]}) is the hook's own, "
                  "beside the site it replaces")
            have.discard(h)
    for w in sorted(want - have):
        fail(f"{w[0]}:{w[1]}: {w[2]}: in the reference list "
             f"({os.path.basename(ref)}), not found by the scanner")
    for h in sorted(have - want):
        fail(f"{h[0]}:{h[1]}: {h[2]}: found by the scanner, not in the "
             f"reference list ({os.path.basename(ref)})")
    print(f"reference: {len(want)} sites listed, {len(have & want)} found")


if __name__ == "__main__":
    sys.exit(main())
