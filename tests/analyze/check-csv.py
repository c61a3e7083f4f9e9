#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check lttng-xen-analyze's CSV files against expected values.

  check-csv.py CSVDIR EXPECT

EXPECT: one expectation a line, '#' comments:
  TABLE KEY=VALUE[,KEY=VALUE...] COLUMN=VALUE...
    the row of CSVDIR/TABLE.csv whose KEY columns have these values
    (exactly one row must match) has these COLUMN values (compared as
    text, or as numbers when both parse as numbers);
  TABLE KEY=VALUE[,...] absent
    no row matches;
  TABLE rows=N
    the table has N rows.
Prints each check; exits 1 if one fails.
"""
import csv
import os
import sys


def same(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def main():
    d, expect = sys.argv[1], sys.argv[2]
    tables = {}
    bad = n = 0
    for lineno, line in enumerate(open(expect), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        name = words[0]
        if name not in tables:
            with open(os.path.join(d, name + ".csv"), newline="") as f:
                tables[name] = list(csv.DictReader(f))
        rows = tables[name]
        n += 1
        if words[1].startswith("rows="):
            want = int(words[1][5:])
            ok = len(rows) == want
            print("%s %s: %d rows (expected %d)" %
                  ("ok  " if ok else "FAIL", name, len(rows), want))
            bad += not ok
            continue
        keys = dict(kv.split("=", 1) for kv in words[1].split(","))
        match = [r for r in rows if all(same(r.get(k, ""), v)
                                        for k, v in keys.items())]
        if words[2:] == ["absent"]:
            ok = not match
            print("%s %s %s: absent" % ("ok  " if ok else "FAIL", name,
                                       words[1]))
            bad += not ok
            continue
        if len(match) != 1:
            print("FAIL %s %s: %d rows match (line %d)" %
                  (name, words[1], len(match), lineno))
            bad += 1
            continue
        row = match[0]
        for cv in words[2:]:
            col, want = cv.split("=", 1)
            got = row.get(col)
            ok = got is not None and same(got, want)
            print("%s %s %s: %s = %s (expected %s)" %
                  ("ok  " if ok else "FAIL", name, words[1], col, got, want))
            bad += not ok
    print("%d expectations, %d failed" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
