#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a xentrace file holding a scheduling scenario whose figures are
known, for lttng-xen-analyze's tests (test-scenario.sh).

  gen-scenario.py OUT.bin [--no-lost]

Ticks are the TSC at 1000 MHz (the test passes --tsc-mhz 1000): 1 tick =
1 ns.  Two CPUs.  Domains: 0 (PV, vCPUs 0 and 1), 1 (PV domU, vCPU 0),
2 (an HVM/PVH guest, vCPU 0, SVM exit codes), the idle domain 32767.
A context switch is what Xen records: TRC_SCHED_SWITCH at t, the previous
vCPU's runstate change at t+1, the next one's at t+2.

CPU 0                                   CPU 1
 10000 pv:hypercall sched_op (unknown)   5000 pv:hypercall xen_version (unknown)
 20000 switch idle v0 -> d0v0            6000 id 0x0002800b, undeclared (unknown)
 25000 continue_running d0v0 (a new      8000 continue_running d0v1 (now known)
       time slice)                      15000 switch d0v1 -> idle v1 (d0v1 blocks)
 30000-32000 d0v0: 3 mmu_update
 33000 d0v0: pv:trap vector 14          95000 switch idle v1 -> d1v0 (migration)
 40000 dom0op:dom_add 1                 96000 d1v0: sched_op
 50000 d1v0 offline -> runnable         100000 lost records (5) [--no-lost: none]
 60000 switch d0v0 -> d1v0 (d0v0        105000 d0v1 blocked -> runnable
       blocks)                          110000 switch d1v0 -> d0v1 (d1v0 blocks)
 61000, 62000 d1v0: 2 vcpu_op           120000 d0v1: domctl
 70000 d0v0 blocked -> runnable         121000 dom0op:dom_rem 1
 75000 switch d1v0 -> d0v0 (d1v0        140000 dom0op:dom_add 2
       preempted)                       169000 d0v1: xen_version
 80000 irq_handled irq 9, 32 ticks      (end: d0v1 running, open)
       (tsc_in 0xfffffff0, wraps)
 90000 switch d0v0 -> idle v0 (blocks)
150000 d2v0 offline -> runnable
151000 switch idle v0 -> d2v0
152000 vmentry (no exit open)
153000 exit ioio, ioport_read 0x3f8, entry 154000       (1000)
155000 exit vmmcall, hvm_op, entry 155800                (800)
157000 exit ioio, ioport_write 0x80, entry 157300        (300)
158000 exit hlt; 158500 switch d2v0 -> idle v0 (blocks)
165000 d2v0 blocked -> runnable (ends the hlt exit: 7000)
166000 switch idle v0 -> d2v0; 166100 vmentry (no exit open)
167000 exit intr, hvm:intr, entry 167400                 (400)
168000 exit ioio, ioport_read 0x3f8, entry 168250        (250)
170000 exit cpuid, never entered again (open at the end)

The expected figures are in test-scenario.sh, worked out by hand.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "xentrace-import"))
import xtfile  # noqa: E402

RUNNING, RUNNABLE, BLOCKED, OFFLINE = range(4)
IDLE = 32767


class Cpu:
    def __init__(self):
        self.body = b""

    def add(self, t, event, *words):
        self.body += xtfile.rec(event, words, t)

    def rs(self, t, dom, vcpu, old, new):
        self.add(t, 0x00021001 | old << 8 | new << 4, vcpu | dom << 16)

    def switch(self, t, prev, nxt, prev_state):
        self.add(t, 0x0002800a, prev[0], prev[1], nxt[0], nxt[1])
        self.rs(t + 1, prev[0], prev[1], RUNNING, prev_state)
        self.rs(t + 2, nxt[0], nxt[1], RUNNABLE, RUNNING)

    def hypercall(self, t, op):
        self.add(t, 0x0020100d, op, 0)

    def exit(self, t, reason, rip=0xffffffff81000000):
        self.add(t, 0x00081102, reason, rip & 0xffffffff, rip >> 32)

    def entry(self, t):
        self.add(t, 0x00081001)


def main():
    lost = "--no-lost" not in sys.argv[2:]
    c0, c1 = Cpu(), Cpu()
    # CPU 0
    c0.hypercall(10000, 29)
    c0.switch(20000, (IDLE, 0), (0, 0), RUNNABLE)
    c0.add(25000, 0x00021002, 0 | 0 << 16)                     # continue d0v0
    for t in (30000, 31000, 32000):
        c0.hypercall(t, 1)
    c0.add(33000, 0x00201103, 0x81000000, 0xffffffff, 14)      # pv:trap #PF
    c0.add(40000, 0x00041001, 1)                               # dom_add 1
    c0.rs(50000, 1, 0, OFFLINE, RUNNABLE)
    c0.switch(60000, (0, 0), (1, 0), BLOCKED)
    c0.hypercall(61000, 24)
    c0.hypercall(62000, 24)
    c0.rs(70000, 0, 0, BLOCKED, RUNNABLE)
    c0.switch(75000, (1, 0), (0, 0), RUNNABLE)
    c0.add(80000, 0x00802008, 9, 0xfffffff0, 0x00000010)       # irq_handled
    c0.switch(90000, (0, 0), (IDLE, 0), BLOCKED)
    c0.rs(150000, 2, 0, OFFLINE, RUNNABLE)
    c0.switch(151000, (IDLE, 0), (2, 0), RUNNABLE)
    c0.entry(152000)
    c0.exit(153000, 0x7b)
    c0.add(153500, 0x00082016, 0x3f8, 0x41)                    # ioport_read
    c0.entry(154000)
    c0.exit(155000, 0x81)
    c0.add(155200, 0x00082012, 34)                             # vmmcall hvm_op
    c0.entry(155800)
    c0.exit(157000, 0x7b)
    c0.add(157100, 0x00082216, 0x80, 0x12)                     # ioport_write
    c0.entry(157300)
    c0.exit(158000, 0x78)
    c0.switch(158500, (2, 0), (IDLE, 0), BLOCKED)
    c0.rs(165000, 2, 0, BLOCKED, RUNNABLE)
    c0.switch(166000, (IDLE, 0), (2, 0), RUNNABLE)
    c0.entry(166100)
    c0.exit(167000, 0x60)
    c0.add(167100, 0x0008200f)                                 # hvm:intr (SVM: no vector)
    c0.entry(167400)
    c0.exit(168000, 0x7b)
    c0.add(168100, 0x00082016, 0x3f8, 0x42)
    c0.entry(168250)
    c0.exit(170000, 0x72)
    # CPU 1
    c1.hypercall(5000, 17)
    c1.add(6000, 0x0002800b)                                   # undeclared id
    c1.add(8000, 0x00021002, 1 | 0 << 16)                      # continue d0v1
    c1.switch(15000, (0, 1), (IDLE, 1), BLOCKED)
    c1.switch(95000, (IDLE, 1), (1, 0), RUNNABLE)
    c1.hypercall(96000, 29)
    if lost:
        c1.add(100000, 0x0001f001, 5, 1 | 0 << 16, 99000, 0)    # 5 lost
    c1.rs(105000, 0, 1, BLOCKED, RUNNABLE)
    c1.switch(110000, (1, 0), (0, 1), BLOCKED)
    c1.hypercall(120000, 36)
    c1.add(121000, 0x00041002, 1)                              # dom_rem 1
    c1.add(140000, 0x00041001, 2)                              # dom_add 2
    c1.hypercall(169000, 17)
    out = b""
    for cpu, c in enumerate((c0, c1)):
        out += xtfile.window(cpu, [c.body])
    with open(sys.argv[1], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
