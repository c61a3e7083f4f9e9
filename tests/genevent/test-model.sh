#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# genevent's model.json (what lttng-xen-compare and the tests read instead
# of generated C) says what the facility files declare: ids, fields,
# sizes, offsets, xentrace mappings, the lookup order and the metadata
# hash, checked against the tests' own reading of the XML
# (check-model.py), on the real facilities and on the golden inputs.
set -eu
here="$TOP/tests/genevent"
/usr/bin/python3 -m json.tool "$GEN/model.json" >/dev/null ||
	{ echo "FAIL: $GEN/model.json is not valid JSON"; exit 1; }
/usr/bin/python3 "$here/check-model.py" "$GEN" "$TOP"/facilities/*.xml
"$GENEVENT" -o golden "$here"/golden/*.xml
/usr/bin/python3 "$here/check-model.py" golden "$here"/golden/*.xml
