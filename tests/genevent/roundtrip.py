#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Round trip of every event through genevent's output and babeltrace2.

  roundtrip.py gen OUT.c EXPECTED.json   write a C program that calls every
      tracepoint with typed arguments, then records every xentrace mapping
      through the remap, once whole and once a byte short (its missing
      byte read as 0), and the list of events it must produce
  roundtrip.py calls OUT.c   only the tracepoint calls, freestanding
  roundtrip.py check TRACEDIR EXPECTED.json   read the trace with
      babeltrace2's Python bindings and compare, event by event

Values are deterministic and use each type's whole range (high bits set,
negative numbers), so a wrong size, offset, sign or byte order shows.
"""
import json
import sys

import facility_model

MASK64 = (1 << 64) - 1


def pattern(seed, width, signed):
    x = (seed * 0x9E3779B97F4A7C15 + 0x7F4A7C15) & MASK64
    x >>= 64 - width
    if signed and x >= 1 << (width - 1):
        x -= 1 << width
    return x


def c_int(v, bits, signed):
    ctype = ("int%d_t" if signed else "uint%d_t") % bits
    if signed and v < 0:
        return "(%s)(-%dLL - 1)" % (ctype, -v - 1)
    return "(%s)%#xULL" % (ctype, v)


def c_str(s):
    return '"%s"' % s


def field_value(f, seed, width=None):
    """A value for f: an enum value where one fits, else a pattern."""
    width = width or f.bits
    if f.enum:
        fits = [v for v in sorted(f.enum["values"])
                if (0 <= v < (1 << width)) if not f.signed or v >= 0]
        if fits:
            return fits[seed % len(fits)]
    return pattern(seed, width, f.signed)


def saturated(f, v):
    """What a field records of v: v, or all ones where a saturating
    field's bits cannot hold it."""
    return min(v, (1 << f.width) - 1) if f.saturate else v


def direct_call(ev, n):
    """C call of trace_<facility>_<event>() and its expected payload."""
    args, expect = [], {}
    by_name = {f.name: f for f in ev.fields}
    # A saturating length field gets, every other event, more elements
    # than its bits hold: the record keeps as many as it says.
    seq_len = {f.length_field: (1 << by_name[f.length_field].width) + 2
               if by_name[f.length_field].saturate and n % 2 else 1 + (n % 3)
               for f in ev.fields if f.length_field}
    for j, f in enumerate(ev.fields):
        seed = n * 64 + j
        if f.string:
            v = "s%d_%d" % (n, j)
            args.append(c_str(v))
        elif f.length is not None or f.length_field:
            count = f.length if f.length is not None else seq_len[f.length_field]
            v = [field_value(f, seed * 7 + k) for k in range(count)]
            ctype = ("int%d_t" if f.signed else "uint%d_t") % f.bits
            args.append("(const %s[]){ %s }" % (
                ctype, ", ".join(c_int(x, f.bits, f.signed) for x in v)))
            if f.length_field:
                v = v[:saturated(by_name[f.length_field], count)]
        elif f.name in seq_len:
            v = seq_len[f.name]
            args.append(c_int(v, f.bits, f.signed))
            v = saturated(f, v)
        elif f.saturate and n % 2:
            # a value of the type's whole width: it saturates
            v = pattern(seed, f.bits, False) | 1 << (f.bits - 1)
            args.append(c_int(v, f.bits, f.signed))
            v = saturated(f, v)
        else:
            v = field_value(f, seed, f.width)
            args.append(c_int(v, f.bits, f.signed))
        expect[f.name] = v
    call = "\ttrace_%s_%s(%s);\n" % (ev.facility, ev.name, ", ".join(args))
    return call, expect


def xentrace_call(ev, x, n):
    """C call of the remap for one <xentrace> and its expected payload."""
    bits, word = 0, x["id"]
    values, placed = {}, []
    seq = None
    for j, f in enumerate(ev.fields):
        if f.name in ev.length_fields:
            continue
        u = x["unpacks"][f.name]
        width = u["width"] or f.width
        seed = n * 64 + j
        if u["from"] == "const":
            values[f.name] = u["value"]
        elif u["from"] == "id":
            v = field_value(f, seed, width)
            word |= (v & ((1 << width) - 1)) << u["bit"]
            values[f.name] = v
        elif f.length_field:
            seq = (f, u, width, seed)
        else:
            count = f.length or 1
            v = [field_value(f, seed * 7 + k, width) for k in range(count)]
            if f.saturate and width > f.width:
                # wider than the field's bits: it saturates
                v = [pattern(seed * 7 + k, width, False) | 1 << (width - 1)
                     for k in range(count)]
            for k, e in enumerate(v):
                placed.append((u["bit"] + k * width, width, e))
            values[f.name] = v if f.length else saturated(f, v[0])
            bits = max(bits, u["bit"] + count * width)
    if seq:
        f, u, width, seed = seq
        k = 1 + n % 3
        while k and u["bit"] + k * width > 224:
            k -= 1
        bits = max(bits, u["bit"] + k * width)
    nr_words = (bits + 31) // 32
    if seq:
        f, u, width, seed = seq
        count = max(0, (nr_words * 32 - u["bit"]) // width)
        v = [field_value(f, seed * 7 + i, width) if i < k else 0
             for i in range(count)]
        for i, e in enumerate(v):
            placed.append((u["bit"] + i * width, width, e))
        values[f.name] = v
        values[f.length_field] = count
    data = 0
    for bit, width, v in placed:
        data |= (v & ((1 << width) - 1)) << bit
    words = [(data >> (32 * i)) & 0xffffffff for i in range(nr_words)]
    call = ("\txt(%#010x, %d, (const uint32_t[]){ %s });\n" %
            (word, nr_words, ", ".join("%#x" % w for w in words) or "0"))
    return call, {f.name: values[f.name] for f in ev.fields}


def decode(ev, x, word, raw):
    """What the remap must record for the event word 'word' and the
    record's bytes 'raw', as facilities/README.md defines it: the data
    words are one little-endian bit string, bytes the record lacks read
    as 0, at most 7 words; a sequence takes every element the record's
    words hold."""
    raw = raw[:28]
    nr_words = (len(raw) + 3) // 4
    data = int.from_bytes(raw, "little")
    out = {}
    for f in ev.fields:
        if f.name in ev.length_fields:
            continue
        u = x["unpacks"][f.name]
        width = u["width"] or f.width

        def get(src, bit):
            v = (src >> bit) & ((1 << width) - 1)
            if f.signed and v >> (width - 1):
                v -= 1 << width
            return saturated(f, v)
        if u["from"] == "const":
            out[f.name] = u["value"]
        elif u["from"] == "id":
            out[f.name] = get(word, u["bit"])
        elif f.length_field:
            count = max(0, (nr_words * 32 - u["bit"]) // width)
            lf = [g for g in ev.fields if g.name == f.length_field][0]
            count = min(count, (1 << lf.width) - 1)
            out[f.name] = [get(data, u["bit"] + k * width)
                           for k in range(count)]
            out[f.length_field] = count
        elif f.length is not None:
            out[f.name] = [get(data, u["bit"] + k * width)
                           for k in range(f.length)]
        else:
            out[f.name] = get(data, u["bit"])
    return {f.name: out[f.name] for f in ev.fields}


def truncated_call(ev, x, call):
    """The record of 'call' (xentrace_call()'s C text) without its last
    byte: its last data word is partial.  None when it has no data."""
    head, words = call.split("(const uint32_t[]){ ")
    words = [int(w, 0) for w in words.split(" });")[0].split(", ")]
    word = int(head.split("(")[1].split(",")[0], 0)
    n = int(head.split(",")[1])
    if not n:
        return None
    raw = b"".join(w.to_bytes(4, "little") for w in words[:n])[:-1]
    c = ("\txtb(%#010x, %d, (const uint8_t[]){ %s });\n" %
         (word, len(raw), ", ".join("%#x" % b for b in raw)))
    return c, decode(ev, x, word, raw)


def gen_calls(out_c):
    """A freestanding function calling every tracepoint: the type check."""
    events = facility_model.load()
    with open(out_c, "w") as f:
        f.write('#include "tracepoints.h"\n\nvoid call_all(void);\n\n'
                'void call_all(void)\n{\n')
        f.writelines(direct_call(ev, n)[0] for n, ev in enumerate(events))
        f.write("}\n")


def gen(out_c, out_json):
    events = facility_model.load()
    calls, expected = [], []
    for n, ev in enumerate(events):
        call, exp = direct_call(ev, n)
        calls.append(call)
        expected.append([ev.full, exp])
    for n, ev in enumerate(events):
        for i, x in enumerate(ev.xentrace):
            call, exp = xentrace_call(ev, x, n * 8 + i)
            calls.append(call)
            expected.append([ev.full, exp])
    # The same records one byte short: the last data word is partial and
    # the remap must read its missing byte as 0.
    for n, ev in enumerate(events):
        for i, x in enumerate(ev.xentrace):
            call, _ = xentrace_call(ev, x, n * 8 + i)
            short = truncated_call(ev, x, call)
            if short:
                calls.append(short[0])
                expected.append([ev.full, short[1]])
    with open(out_c, "w") as f:
        f.write('#include <stdio.h>\n#include <stdlib.h>\n'
                '#include "tracepoints.h"\n'
                '#include <lttng-xen/xentrace-remap.h>\n'
                '#include "ctf-writer.h"\n\n'
                'static void xt(uint32_t event, unsigned int words, '
                'const uint32_t *data)\n{\n'
                '\tif (lttng_xen_xt_record(event, words * 4, data)) {\n'
                '\t\tfprintf(stderr, "xentrace 0x%08x: not remapped\\n", event);\n'
                '\t\texit(1);\n\t}\n}\n\n'
                'static void xtb(uint32_t event, unsigned int bytes, '
                'const uint8_t *data)\n{\n'
                '\tif (lttng_xen_xt_record(event, bytes, data)) {\n'
                '\t\tfprintf(stderr, "xentrace 0x%08x: not remapped\\n", event);\n'
                '\t\texit(1);\n\t}\n}\n\n'
                'int main(int argc, char **argv)\n{\n'
                '\tstatic const unsigned char uuid[16] = { 0x4c, 0x58 };\n\n'
                '\t(void)argc;\n\tctf_writer_init();\n')
        f.writelines(calls)
        f.write('\treturn ctf_writer_finish(argv[1], uuid) ? 1 : 0;\n}\n')
    with open(out_json, "w") as f:
        json.dump(expected, f)
    print("%d events, %d direct calls, %d xentrace records" %
          (len(events), len(events), len(expected) - len(events)))


def as_python(field):
    import bt2
    if isinstance(field, bt2._StringFieldConst):
        return str(field)
    if isinstance(field, bt2._ArrayFieldConst):
        return [as_python(x) for x in field]
    return int(field)


def check(tracedir, expected_json):
    import bt2
    expected = json.load(open(expected_json))
    got, stamps, problems = [], [], []
    for msg in bt2.TraceCollectionMessageIterator(tracedir):
        if isinstance(msg, bt2._DiscardedEventsMessageConst):
            problems.append("unexpected discarded-events message")
        if not isinstance(msg, bt2._EventMessageConst):
            continue
        ev = msg.event
        payload = ev.payload_field
        got.append([ev.name, {k: as_python(payload[k]) for k in payload}])
        stamps.append(msg.default_clock_snapshot.value)
    if len(got) != len(expected):
        problems.append("babeltrace2 read %d events, the program emitted %d"
                        % (len(got), len(expected)))
    now = 1000000
    for n, (g, e) in enumerate(zip(got, expected)):
        now += (1 << 28) if n % 50 == 49 else 1000
        if g != e:
            problems.append("event %d: expected %s %s\n    babeltrace2 read %s %s"
                            % (n, e[0], e[1], g[0], g[1]))
        if stamps[n] != now:
            problems.append("event %d (%s): timestamp %d, expected %d"
                            % (n, e[0], stamps[n], now))
    for p in problems[:20]:
        print("MISMATCH", p)
    if problems:
        print("%d mismatches" % len(problems))
        return 1
    print("babeltrace2 read all %d events with the expected names, field "
          "values and timestamps" % len(got))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "calls":
        gen_calls(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
