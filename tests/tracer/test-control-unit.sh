#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The tracer's control core (tracer/control.c), deterministic, against a
# host that builds and takes buffers apart in steps as Xen does under
# preemption (control-unit.c): CONFIGURE and DESTROY continued to their
# end; other operations in between see a consistent state, those that
# would change it get EBUSY; a CONFIGURE that fails part way is undone in
# steps and changes nothing; DESTROY takes over an abandoned CONFIGURE; a
# CPU coming online meanwhile; the host's memory limit; every index the
# consumer chooses passed through rb_array_index_nospec().  Issue 14,
# items 6 and 7.  Built with ASan and UBSan.
set -eu
. "$TOP/tests/lib/lib.sh"

test_program control-unit
"$TEST_BIN/control-unit" || die "control-unit: $? (its FAIL lines above)"
finish
