#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A manual page (roff, section 1) from a program's --help text, which is
# written as one: the NAME, SYNOPSIS, DESCRIPTION, OPTIONS... headings at
# the left margin, their text indented by 4 spaces.  Headings become .SH,
# the text stays laid out as --help shows it (no-fill), options in bold.
# A help without a NAME heading (lttng-xen-compare's) becomes the
# DESCRIPTION of a page whose NAME line is SUMMARY.
#
# Usage: PROGRAM --help | mk/help2man.sh PAGE [SUMMARY] > PAGE.1
# (Debian's help2man expects GNU-style help and would repeat our
# headings as text.)
set -eu
[ $# -ge 1 ] || { echo "usage: mk/help2man.sh PAGE [SUMMARY] < HELP" >&2; exit 2; }
page=$1 summary=${2:-}

awk -v page="$page" -v summary="$summary" '
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.\x27]/)
		s = "\\&" s
	return s
}
function indent(s) { match(s, /^ */); return RLENGTH }
function flush_fill() { if (nofill) { print ".fi"; nofill = 0 } }
{ line[NR] = $0 }
END {
	print ".\\\" Generated from " page "'"'"'s --help by mk/help2man.sh; do not edit."
	print ".TH \"" toupper(page) "\" \"1\" \"\" \"lttng-xen\" \"lttng-xen manual\""
	sections = (line[1] == "NAME")
	if (!sections) {
		print ".SH NAME"
		print esc(page) " \\- " esc(summary)
		print ".SH DESCRIPTION"
		print ".nf"
		for (i = 1; i <= NR; i++)
			print esc(line[i])
		print ".fi"
		exit
	}
	for (i = 1; i <= NR; i++) {
		l = line[i]
		if (l ~ /^[A-Z][A-Z ]*$/) {
			flush_fill()
			section = l
			print ".SH \"" l "\""
			continue
		}
		if (section == "NAME") {
			if (l != "") {
				sub(/^ +/, "", l)
				# "lttctl-xen create - ..." on page lttctl-xen-create:
				# the page name, for whatis(1).
				dash = index(l, " - ")
				name = substr(l, 1, dash - 1)
				gsub(/ /, "-", name)
				if (dash && name == page)
					l = page substr(l, dash)
				print esc(l)
			}
			continue
		}
		if (!nofill) { print ".nf"; nofill = 1 }
		n = indent(l)
		text = substr(l, n >= 4 ? 5 : n + 1)
		# An option: at the margin of the text, its description below.
		if (section ~ /OPTIONS|VERBS/ && n == 4 && i < NR &&
		    indent(line[i + 1]) >= 8 && line[i + 1] != "")
			print "\\fB" esc(text) "\\fR"
		else
			print esc(text)
	}
	flush_fill()
}
'
