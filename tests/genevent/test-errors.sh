#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# genevent on bad input: every case of bad/EXPECT must exit 1, report its
# "FILE:LINE: message" and leave OUTDIR as it was.  Then the usage errors,
# --help, a missing input file and an OUTDIR that cannot be written.
set -u
. "$TOP/tests/lib/lib.sh"
bad="$TOP/tests/genevent/bad"

trim()
{
	printf '%s' "$1" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'
}

# A fresh OUTDIR holding one sentinel file.
new_outdir()
{
	rm -rf out
	mkdir out
	echo sentinel >out/sentinel
}

# OUTDIR must hold the sentinel, unchanged, and nothing else.
check_outdir()
{
	left=$(find out | sort | tr '\n' ' ')
	if [ "$left" != "out out/sentinel " ] ||
	   [ "$(cat out/sentinel)" != sentinel ]; then
		fail "$1: OUTDIR changed; it holds: $left"
	fi
}

need_exec "$GENEVENT"
cp "$bad"/*.xml .

# A valid facility, for the controls and the OUTDIR checks.
cat >good.xml <<'EOF'
<facility name="good">
  <description>A valid facility.</description>
  <event name="e">
    <description>Test event.</description>
    <field name="a" type="u32"/>
    <xentrace id="0x00021001"><unpack field="a"/></xentrace>
  </event>
</facility>
EOF

echo "== control: a valid facility is accepted"
new_outdir
if "$GENEVENT" -o out good.xml >stdout 2>stderr; then
	for f in out/xen/tp-good.h out/ctf/events.tsdl; do
		[ -f $f ] || fail "good.xml: exit 0 but no $f"
	done
else
	fail "good.xml: exit $?, expected 0"
	indent stderr
fi

# genevent reads what the schema validated, no more and no less.
echo "== a DTD attribute default does not get past the schema"
sed '1i\
<!DOCTYPE facility [ <!ATTLIST xentrace name CDATA "*/ #error x /*"> ]>' \
	good.xml >dtd.xml
rm -rf dtd
if ! "$GENEVENT" -o dtd dtd.xml >stdout 2>stderr; then
	fail "dtd.xml: exit $?, expected 0"
	indent stderr
elif grep -r '#error x' dtd; then
	fail "dtd.xml: the DTD default xentrace name reached the output"
fi
echo "== frequent=\" true \" (a valid xsd:boolean) is true"
sed 's/<event name="e">/<event name="e" frequent=" true ">/' good.xml >ws.xml
rm -rf ws
if ! "$GENEVENT" -o ws ws.xml >stdout 2>stderr; then
	fail "ws.xml: exit $?, expected 0"
	indent stderr
elif ! grep -q 'frequent' ws/docs/events.md; then
	fail "ws.xml: event not frequent in ws/docs/events.md"
fi

echo "== bad/EXPECT"
ncase=0
while IFS='|' read -r files where text; do
	case $files in '' | '#'*) continue ;; esac
	files=$(trim "$files")
	where=$(trim "$where")
	text=$(trim "$text")
	ncase=$((ncase + 1))
	new_outdir
	# shellcheck disable=SC2086
	"$GENEVENT" -o out $files </dev/null >stdout 2>stderr
	rc=$?
	found=
	while IFS= read -r line; do
		case $line in
		"$where: "*"$text"*) found=$line ;;
		genevent:*) ;;
		*.xml:[0-9]*:\ *) ;;
		*) fail "$files: message without FILE:LINE: $line" ;;
		esac
	done <stderr
	if [ $rc -ne 1 ]; then
		fail "$files: exit $rc, expected 1"
		indent stderr
	elif [ -z "$found" ]; then
		fail "$files: no stderr line \"$where: ...$text...\"; stderr was:"
		indent stderr
	else
		echo "ok   $files -> $found"
	fi
	check_outdir "$files"
done <"$bad/EXPECT"

# Every bad file is some case's input.
for f in "$bad"/*.xml; do
	f=${f##*/}
	grep -q "^[^#|]*$f" "$bad/EXPECT" || fail "bad/$f is in no case of bad/EXPECT"
done

echo "== every error is reported, not just the first"
new_outdir
"$GENEVENT" -o out dup-event.xml dup-field.xml >stdout 2>stderr
rc=$?
if [ $rc -ne 1 ] || ! grep -q '^dup-event.xml:7: ' stderr ||
   ! grep -q '^dup-field.xml:7: ' stderr; then
	fail "two bad files: exit $rc, expected 1 and both errors; stderr:"
	indent stderr
fi
check_outdir "two bad files"

echo "== usage"
expect_exit --stderr 2 '^Usage:' "$GENEVENT"
expect_exit --stderr 2 'no output directory' "$GENEVENT" good.xml
expect_exit --stderr 2 '^Usage:' "$GENEVENT" --no-such-option -o out good.xml
expect_exit --stdout 0 '^Usage:' "$GENEVENT" --help

echo "== missing input file"
new_outdir
expect_exit --stderr 1 '^no-such-file\.xml: cannot open' "$GENEVENT" -o out no-such-file.xml
check_outdir "missing input"

# An OUTDIR that cannot be written must fail, leaving no temporary (or
# any other) file behind.  Root ignores permissions, so a regular file
# blocks the path: OUTDIR itself, or OUTDIR/docs, which is written after
# the xen/ and ctf/ files.
for blocker in o o/docs; do
	echo "== unwritable OUTDIR: $blocker is a regular file"
	rm -rf w
	mkdir -p "w/$(dirname "$blocker")"
	echo blocker >"w/$blocker"
	"$GENEVENT" -o w/o good.xml >stdout 2>stderr
	rc=$?
	if [ $rc -eq 0 ]; then
		fail "$blocker: exit 0, expected non-zero"
	elif ! grep -q '^genevent: cannot' stderr; then
		fail "$blocker: exit $rc but no 'genevent: cannot ...' message:"
		indent stderr
	fi
	left=$(find w -type f ! -path "w/$blocker")
	[ -z "$left" ] || fail "$blocker: files left behind: $left"
	[ "$(cat "w/$blocker")" = blocker ] || fail "$blocker: was overwritten"
done

[ $ncase -gt 0 ] || fail "bad/EXPECT holds no case"
echo "$ncase cases of bad/EXPECT"
finish
