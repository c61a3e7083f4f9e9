#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""ctf-skew.py TRACE_DIR NS: move a CTF trace's clock by NS nanoseconds
(negative: earlier), in place, by changing its clock's offset in the
metadata; a copy of a trace is what a test gives it.

The metadata is either TSDL text (lttd-xen's) or packetized (LTTng's:
packets of a 37-byte header, then text).  The offset (in clock cycles,
as the metadata gives it) is rewritten with the same number of digits,
so a packet's sizes stay right; a change that would need another digit
count, or a second clock, is refused (exit 1), never half done.
"""
import os
import re
import struct
import sys

MAGIC = 0x75D11D57
HDR = 37  # magic, uuid[16], checksum, content_size, packet_size, ...


def packets(data):
    """[(header start, text start, text end)] or None if not packetized."""
    if len(data) < HDR or struct.unpack_from("<I", data)[0] != MAGIC:
        return None
    out, pos = [], 0
    while pos < len(data):
        magic, = struct.unpack_from("<I", data, pos)
        if magic != MAGIC:
            sys.exit("ctf-skew: a metadata packet at byte %d has no magic" %
                     pos)
        content, size = struct.unpack_from("<II", data, pos + 24)
        out.append((pos, pos + HDR, pos + content // 8))
        pos += size // 8
    return out


def skew_text(text, ns):
    """text with the clock's offset moved by ns; exits on failure."""
    clocks = list(re.finditer(r"clock\s*\{(.*?)\};", text, re.S))
    if len(clocks) != 1:
        sys.exit("ctf-skew: %d clock blocks in the metadata, not one" %
                 len(clocks))
    body = clocks[0].group(1)
    freq = int(re.search(r"\bfreq\s*=\s*(\d+)", body).group(1))
    m = re.search(r"\boffset\s*=\s*(\d+)\s*;", body)
    if not m:
        sys.exit("ctf-skew: the clock has no offset in cycles")
    old = m.group(1)
    new = str(int(old) + ns * freq // 10**9)
    if int(new) < 0 or len(new) != len(old):
        sys.exit("ctf-skew: offset %s moved by %d ns is %s: not the same "
                 "digit count; choose another skew" %
                 (old, ns, new))
    start = clocks[0].start(1) + m.start(1)
    return text[:start] + new + text[start + len(old):], old, new


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    trace, ns = sys.argv[1], int(sys.argv[2])
    found = [os.path.join(d, "metadata") for d, _, files in os.walk(trace)
             if "metadata" in files]
    if len(found) != 1:
        sys.exit("ctf-skew: %d metadata files under %s, not one" %
                 (len(found), trace))
    path = found[0]
    data = bytearray(open(path, "rb").read())
    pk = packets(bytes(data))
    if pk is None:
        text, old, new = skew_text(data.decode(), ns)
        data = bytearray(text.encode())
    else:
        # The whole text, with where each packet's part of it starts.
        text = b"".join(bytes(data[a:b]) for _, a, b in pk).decode()
        skewed, old, new = skew_text(text, ns)
        pos = 0
        for _, a, b in pk:
            n = b - a
            data[a:b] = skewed[pos:pos + n].encode()
            pos += n
    with open(path, "wb") as f:
        f.write(data)
    print("ctf-skew: %s: clock offset %s -> %s cycles (%+d ns)" %
          (path, old, new, ns))


if __name__ == "__main__":
    main()
