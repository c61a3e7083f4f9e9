#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""simctl.py: the few control operations lttd-xen's tests need, sent
straight to the simulator's socket (sim/sim-protocol.h), so a test can
run lttd-xen in the foreground and watch it.

Usage: simctl.py SOCKET configure [SUBBUF_SIZE NR_SUBBUFS [discard|overwrite]]
       simctl.py SOCKET start|stop|destroy|info
       simctl.py SOCKET domain-name ID NAME  (NAME: up to 64 bytes, sent
                 as they are, without a NUL when 64: the producer checks)
Prints the producer's answer (0 or -errno) for domain-name.
"""
import socket
import struct
import sys

OPS = {"info": 1, "configure": 2, "start": 4, "stop": 5, "destroy": 11,
       "domain-name": 12}
MODES = {"discard": 0, "overwrite": 1}


def op(sock, code, payload=b""):
    msg = struct.pack("<IIiI", code, 0, 0, 0) + payload.ljust(96, b"\0")
    sock.send(msg)
    ans = sock.recv(4096)
    ret = struct.unpack_from("<i", ans, 8)[0]
    return ret, ans[16:]


def main():
    path, verb = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect(path)
    payload = b""
    if verb == "configure":
        args = sys.argv[3:]
        size = int(args[0]) if args else 0
        nr = int(args[1]) if len(args) > 1 else 0
        mode = MODES[args[2]] if len(args) > 2 else 0
        payload = struct.pack("<IIII", size, nr, mode, 0)
    elif verb == "domain-name":
        name = sys.argv[4].encode()
        payload = struct.pack("<II", int(sys.argv[3], 0), 0) + name[:64]
    ret, body = op(sock, OPS[verb], payload)
    if verb == "domain-name":
        print(ret)
        return 0
    if verb == "info" and ret == 0:
        state, nr_cpus = struct.unpack_from("<II", body, 4)
        print("state %d nr_cpus %d" % (state, nr_cpus))
    if ret:
        print("simctl: %s: error %d" % (verb, ret), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
