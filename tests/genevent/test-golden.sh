#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# genevent's output is byte-identical to what was reviewed and committed
# (golden/expected), whatever the order of its inputs, and identical from
# one run to the next on the real facilities; docs/events.md is in sync.
set -eu
golden="$TOP/tests/genevent/golden"

"$GENEVENT" -o out1 "$golden/alpha.xml" "$golden/beta.xml"
"$GENEVENT" -o out2 "$golden/beta.xml" "$golden/alpha.xml"
diff -ru "$golden/expected" out1
diff -ru out1 out2
echo "golden output matches golden/expected ($(find out1 -type f | wc -l) files), in either input order"

# The Linux back end: a guest facility alone (golden/expected-guest),
# and beside the hypervisor's, where its output is the same.
"$GENEVENT" -o out3 "$golden/gamma.xml"
diff -ru "$golden/expected-guest" out3
"$GENEVENT" -o out4 "$golden/alpha.xml" "$golden/gamma.xml" "$golden/beta.xml"
diff -ru "$golden/expected-guest/linux" out4/linux
diff -ru out1/xen out4/xen
diff -ru out1/ctf out4/ctf
echo "the guest facility's Linux output matches golden/expected-guest, alone or beside the hypervisor's, which it leaves unchanged"

# The real facilities: twice, in opposite orders, in other directories.
ls "$TOP"/facilities/*.xml > list
"$GENEVENT" -o real1 $(cat list)
(cd / && "$GENEVENT" -o "$SCRATCH/real2" $(sort -r "$SCRATCH/list"))
diff -r real1 real2
echo "the real facilities generate byte-identical output across runs and input orders"

if ! diff -u "$TOP/docs/events.md" real1/docs/events.md > docs.diff; then
	head -n 40 docs.diff
	echo "docs/events.md is out of date: run 'make docs' and commit it"
	exit 1
fi
echo "docs/events.md is in sync with the facilities"
