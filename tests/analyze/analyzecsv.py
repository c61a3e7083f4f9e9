# SPDX-License-Identifier: GPL-2.0-only
"""lttng-xen-analyze's CSV files, as the analyses' checkers read them."""
import csv
import os
import sys


def fail_input(prog, msg):
    """Bad input to a checker: PROG: MSG on stderr, exit 2."""
    sys.stderr.write("%s: %s\n" % (prog, msg))
    sys.exit(2)


def read(prog, d, name):
    """The rows of D/NAME.csv as dicts; fail_input(PROG, ...) if unreadable."""
    path = os.path.join(d, name + ".csv")
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail_input(prog, "cannot read %s: %s" % (path, e.strerror))
