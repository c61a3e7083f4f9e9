#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""xentrace files for the import tests, read and written independently of
lttng-xen-import's C code.

  xtfile.py expect FILE      the events babeltrace2 must find in FILE's
                             import: "NAME COUNT" lines (every record under
                             the name the facility XML gives its id, read
                             with tests/genevent/facility_model.py;
                             gen:unknown for the others; one gen:untimed
                             per run of records without a TSC in a window),
                             then "discarded N" (TRC_LOST_RECORDS counts)
  xtfile.py volume FILE      xenalyze's "Log volume summary": bytes of
                             records per CPU and class, "CPU CLASS BYTES"
  xtfile.py xenalyze-volume SUMMARY
                             the same, read from `xenalyze --summary`
  xtfile.py write-cases DIR  the synthetic files of test-synthetic.sh and
                             DIR/cases.txt: "NAME RECORDS OFFSET TEXT" (the
                             records the import keeps, and for corrupt
                             files the byte offset and a word of the error;
                             "-" when the file is whole)

The format: per window a CPU change record (u32 0x2001f003, s32 cpu, u32
window bytes), then the window's records: u32 header (bits 0-27 event,
28-30 data words, 31 TSC present), u64 TSC if present, the data words.
"""
import collections
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "genevent"))
import facility_model  # noqa: E402

CPU_CHANGE = 0x0001f003
LOST_RECORDS = 0x0001f001
WRAP_BUFFER = 0x0001f002
CLASSES = {0x1: "gen", 0x2: "sched", 0x4: "dom0op", 0x8: "hvm", 0x10: "mem",
           0x20: "pv", 0x40: "shadow", 0x80: "hw"}


class Record:
    def __init__(self, offset, cpu, window, event, tsc, words, size):
        self.offset, self.cpu, self.window = offset, cpu, window
        self.event, self.tsc, self.words, self.size = event, tsc, words, size


def records(data):
    """Every record of a whole, valid file; ValueError otherwise."""
    off, window = 0, 0
    while off < len(data):
        hdr, cpu, size = struct.unpack_from("<IiI", data, off)
        if hdr != (CPU_CHANGE | 2 << 28):
            raise ValueError("byte %d: no CPU change record" % off)
        off += 12
        end, window = off + size, window + 1
        if end > len(data):
            raise ValueError("byte %d: window cut short" % off)
        while off < end:
            hdr, = struct.unpack_from("<I", data, off)
            n, has_tsc = (hdr >> 28) & 7, hdr >> 31
            size = 4 + 8 * has_tsc + 4 * n
            if off + size > end:
                raise ValueError("byte %d: record past its window" % off)
            tsc = struct.unpack_from("<Q", data, off + 4)[0] if has_tsc \
                else None
            words = struct.unpack_from("<%dI" % n, data,
                                       off + size - 4 * n)
            yield Record(off, cpu, window, hdr & 0x0fffffff, tsc, words,
                         size)
            off += size


class Names:
    """xentrace event id -> event name, from the facility XML."""
    def __init__(self):
        self.maps = [(x["id"], x["mask"], ev.full)
                     for ev in facility_model.load() for x in ev.xentrace]

    def __call__(self, event):
        found = [name for i, mask, name in self.maps
                 if event & ~mask & 0x0fffffff == i]
        assert len(found) <= 1, (hex(event), found)
        return found[0] if found else "gen:unknown"


def expect(data):
    names, counts, discarded = Names(), collections.Counter(), 0
    untimed_before = False
    last_window = None
    for r in records(data):
        counts[names(r.event)] += 1
        if r.window != last_window:
            untimed_before, last_window = False, r.window
        if r.tsc is None and not untimed_before:
            counts["gen:untimed"] += 1
        untimed_before = r.tsc is None
        if r.event == LOST_RECORDS and r.words:
            discarded += r.words[0]
    return counts, discarded


def volume(data):
    vol = collections.Counter()
    for r in records(data):
        cls = CLASSES.get((r.event >> 16) & 0xfff, "0x%x" % r.event)
        vol[(r.cpu, cls)] += r.size
    return vol


def xenalyze_volume(text):
    vol, cpu, on = collections.Counter(), None, False
    for line in text.splitlines():
        if line.startswith("--- Log volume summary"):
            on = True
        elif on and line.startswith(" - cpu "):
            cpu = int(line.split()[2])
        elif on and cpu is not None and line.startswith(" +-"):
            # The hvm class's share by kind (vmentry, vmexit, handler):
            # part of its line above, not a class of its own.
            continue
        elif on and cpu is not None and ":" in line and \
                line.startswith(" ") and not line.startswith(" -"):
            cls, n = line.split(":")
            vol[(cpu, cls.strip())] = int(n)
        elif on and cpu is not None:
            break
    return vol


# Synthetic files.
def rec(event, words=(), tsc=None, extra=None):
    """One record; extra overrides the data word count of the header."""
    n = len(words) if extra is None else extra
    hdr = event | n << 28 | (1 << 31 if tsc is not None else 0)
    out = struct.pack("<I", hdr)
    if tsc is not None:
        out += struct.pack("<Q", tsc)
    return out + struct.pack("<%dI" % len(words), *words)


def window(cpu, recs, size=None):
    body = b"".join(recs)
    return struct.pack("<IiI", CPU_CHANGE | 2 << 28, cpu,
                       len(body) if size is None else size) + body


# Known ids (Xen's public/trace.h): TRC_SCHED_RUNSTATE_CHANGE (masked
# bits: old/new state), TRC_PV_PAGE_FAULT, TRC_HW_IRQ_HANDLED... any the
# facility XML maps; and ids nobody declares.
RUNSTATE = 0x00021001
PAGE_FAULT = 0x00201004
UNKNOWN_A = 0x0000abcd
UNKNOWN_B = 0x0ff0f123


def base_file():
    """Two CPUs, untimed records (first on a CPU, and after timed ones),
    a lost-records marker, CPU changes back and forth, unknown ids."""
    w = []
    w.append(window(0, [rec(RUNSTATE | 0x010, [0x00000001], tsc=1000),
                        rec(PAGE_FAULT, [1, 2, 3], tsc=1100),
                        rec(RUNSTATE | 0x120, [0x00000001]),
                        rec(RUNSTATE | 0x210, [0x00000001]),
                        rec(UNKNOWN_A, [7, 8], tsc=1200)]))
    w.append(window(1, [rec(RUNSTATE | 0x020, [0x00010000]),
                        rec(PAGE_FAULT, [4, 5, 6], tsc=2000),
                        rec(LOST_RECORDS, [42, 0x00010000, 1900, 0],
                            tsc=2100),
                        rec(UNKNOWN_B, [], tsc=2200)]))
    w.append(window(0, [rec(PAGE_FAULT, [7, 8, 9], tsc=1300),
                        rec(WRAP_BUFFER, [0, 0, 0]),
                        rec(LOST_RECORDS, [5, 0, 1250, 0], tsc=1400),
                        rec(UNKNOWN_A, [9], tsc=1500)]))
    w.append(window(1, [rec(PAGE_FAULT, [1, 1, 1], tsc=2300)]))
    return w


def many_file():
    """Three CPUs, windows of every size, enough records for many
    packets: timed and untimed runs, lost markers, unknown ids."""
    w, tsc = [], [5000, 5000, 5000]
    for i in range(300):
        cpu = (i * 7) % 3
        recs = []
        for k in range(1 + (i * 13) % 97):
            tsc[cpu] += 1 + (k * 31) % 1000
            if (i + k) % 11 == 0:
                recs.append(rec(RUNSTATE | 0x120, [cpu << 16]))
            elif (i + k) % 53 == 0:
                recs.append(rec(LOST_RECORDS, [i + k, 0, tsc[cpu] - 1, 0],
                                tsc=tsc[cpu]))
            elif (i + k) % 97 == 0:
                recs.append(rec(UNKNOWN_B, [i, k, 1, 2, 3, 4, 5],
                                tsc=tsc[cpu]))
            else:
                recs.append(rec(PAGE_FAULT, [i, k, cpu], tsc=tsc[cpu]))
        w.append(window(cpu, recs))
    return b"".join(w)


def write_cases(d):
    w = base_file()
    whole = b"".join(w)
    total = len(list(records(whole)))
    cases = [("whole", whole, total, "-", "-")]
    head = b"".join(w[:3])          # windows 1-3 whole
    kept = len(list(records(head)))
    last = len(head)                # window 4 starts here
    rec0 = last + 12                # its record: header, TSC, 3 words
    cases += [
        ("header-cut", whole[:rec0 + 2], kept, rec0, "header"),
        ("tsc-cut", whole[:rec0 + 7], kept, rec0, "TSC"),
        ("data-cut", whole[:rec0 + 14], kept, rec0, "data"),
        ("window-cut", whole[:rec0], kept, rec0, "file ends inside"),
        ("cpu-change-cut", whole[:last + 6], kept, last, "cut short"),
        # Window 4 claims 7 data words for its 3: past the window's end.
        ("bogus-extra", head + window(1, [rec(PAGE_FAULT, [1, 1, 1],
                                              tsc=2300, extra=7)]),
         kept, rec0, "extra-word count"),
        ("impossible-cpu", head + window(4096, [rec(PAGE_FAULT, [1, 2, 3],
                                                    tsc=2400)]),
         kept, last, "CPU 4096"),
        ("negative-cpu", head + window(-1, [rec(PAGE_FAULT, [1, 2, 3],
                                                tsc=2400)]),
         kept, last, "CPU -1"),
        # A window that is 4 bytes too long swallows the next CPU change.
        ("bogus-window", head + window(1, [rec(PAGE_FAULT, [1, 1, 1],
                                               tsc=2300)], size=28)
         + window(0, [rec(PAGE_FAULT, [1, 2, 3], tsc=2500)]),
         kept + 1, rec0 + 24, "CPU change record inside"),
        # A TSC no trace reader can hold (ns since 1970 in an int64).
        ("tsc-huge", head + window(1, [rec(PAGE_FAULT, [1, 1, 1],
                                           tsc=1 << 63)]),
         kept, rec0, "year 2262"),
        ("not-xentrace", b"\x7fELF" + whole[4:], 0, 0, "expected a CPU"),
        ("bad-cpu-change", struct.pack("<I", CPU_CHANGE | 3 << 28) +
         whole[4:], 0, 0, "malformed"),
    ]
    many = many_file()
    cases.append(("many", many, len(list(records(many))), "-", "-"))
    with open(os.path.join(d, "cases.txt"), "w") as f:
        for name, data, n, off, text in cases:
            with open(os.path.join(d, name + ".bin"), "wb") as out:
                out.write(data)
            f.write("%s %d %s %s\n" % (name, n, off, text))


def main():
    cmd, arg = sys.argv[1], sys.argv[2]
    if cmd == "expect":
        counts, discarded = expect(open(arg, "rb").read())
        for name, n in sorted(counts.items()):
            print(name, n)
        print("discarded", discarded)
    elif cmd == "volume":
        for (cpu, cls), n in sorted(volume(open(arg, "rb").read()).items()):
            print(cpu, cls, n)
    elif cmd == "xenalyze-volume":
        for (cpu, cls), n in sorted(xenalyze_volume(open(arg).read()).items()):
            print(cpu, cls, n)
    elif cmd == "write-cases":
        write_cases(arg)
    else:
        sys.exit("xtfile.py: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
