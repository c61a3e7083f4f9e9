#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a small xentrace file whose content the compare tests know.

  gen-xentrace.py OUT

The layout is xentrace's (Xen's public/trace.h, tools/xentrace): per
window a CPU-change record (0x0001f003, 2 data words: cpu, window bytes),
then records: u32 header (id | data words << 28 | TSC present << 31),
optional u64 TSC, u32 data words.  TSC ticks are nanoseconds here (the
tests pass --xentrace-mhz 1000).

Per CPU c in 0, 1 (the expected numbers are in test-report.sh):
  window 1, from 30 ms: 200 pv:hypercall (TRC_PV_HYPERCALL_V2, 2 words),
    200 hw:idle_entry (TRC_PM_IDLE_ENTRY, 4 words), 150 pv:page_fault
    (TRC_PV_PAGE_FAULT64, 5 words), 200 pv:ptwr_emulation
    (TRC_PV_PTWR_EMULATION64, 6 words), one gen:lost_records (4 words,
    50 lost) and one gen:wrap_buffer without a TSC (1 word);
    first, at TSC 0, a record whose id no facility maps (0x0eee0001, no
    words), so each CPU's span starts before lttng-xen's;
  window 2, from 5 s: 100 pv:ptwr_emulation.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "xentrace-import"))
import xtfile  # noqa: E402

MS = 1000000


def main():
    out = b""
    for part in (1, 2):
        for cpu in (0, 1):
            body = b""
            if part == 1:
                body += xtfile.rec(0x0eee0001, (), 0)
                t = 30 * MS
                for i in range(200):
                    body += xtfile.rec(0x0020100d, (13 | cpu << 20, i), t)
                    body += xtfile.rec(0x00801002, (cpu, i, 0, 7), t + 1)
                    if i < 150:
                        body += xtfile.rec(0x00201104,
                                       (i, 0, cpu, 0, 2), t + 2)
                    body += xtfile.rec(0x0020110b, (i, 0, cpu, 0, ~i & 0xffffffff,
                                                0xffffffff), t + 3)
                    t += 1000
                body += xtfile.rec(0x0001f001, (50, 0, t & 0xffffffff, 0), t)
                body += xtfile.rec(0x0001f002, (0,))
            else:
                t = 5000 * MS
                for i in range(100):
                    body += xtfile.rec(0x0020110b, (i, 0, cpu, 0, 0, 0), t)
                    t += 1000
            out += xtfile.window(cpu, [body])
    with open(sys.argv[1], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
