# SPDX-License-Identifier: GPL-2.0-only
# What the analyses' tests share (after tests/lib/lib.sh).
#
#   analyze_prepare   the packages and programs they run: sets $analyze
#                     (lttng-xen-analyze), $here (tests/analyze) and $py
analyze_prepare() {
	here=$TOP/tests/analyze
	py=/usr/bin/python3
	"$TOP/mk/deps.sh" babeltrace2 python3 python3-bt2 libxen-dev gnuplot-nox
	make --no-print-directory -C "$TOP" BUILD="$BUILD" \
		"$BUILD/bin/lttng-xen-analyze" "$BUILD/bin/lttng-xen-import"
	analyze=$BUILD/bin/lttng-xen-analyze
}
