# SPDX-License-Identifier: GPL-2.0-only
"""What benchxen.py and benchhv.py share as programs: the error they
report in one line, and how a command ends on it."""
import sys


class Error(Exception):
    """A reason the command cannot go on, said as is (no traceback)."""


def run(prog, command, *args):
    """command(*args); the program's exit status: 0, or 1 once an Error or
    an OSError is said on stderr as "PROG: why"."""
    try:
        command(*args)
    except Error as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{prog}: cannot read or write {e.filename}: {e.strerror}",
              file=sys.stderr)
        return 1
    return 0
