#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# linux-patches/ is a reviewable series: series names every patch of the
# folder (and nothing else), in order; each patch has a subject, a
# commit message that says why (at least three lines) and a
# Signed-off-by; and the kernel's own scripts/checkpatch.pl, from the
# pinned source mk/linux.sh fetches, finds no error, warning or check
# in any of them.  checkpatch is first shown to catch a bad patch (a
# long line, trailing white space, no Signed-off-by), so that its
# silence means something.  Applying the series is `make linux`'s job
# (tests/linux/test-guest-e2e.sh builds it).
set -u
: "${TOP:?}" "${BUILD:?}"
nfail=0
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
patches=$TOP/linux-patches

"$TOP/mk/deps.sh" perl
rc=0
BUILD=$BUILD "$TOP/mk/linux.sh" fetch || rc=$?
[ $rc -eq 77 ] && { echo "SKIP: the pinned linux-source-6.1 cannot be fetched with apt (above)" >&2; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: mk/linux.sh fetch exited $rc"; exit 1; }
src=$(ls -d "$BUILD"/linux-src/linux-source-6.1)
checkpatch() { (cd "$src" && perl scripts/checkpatch.pl --no-summary --terse --show-types "$@"); }

echo "== checkpatch catches a bad patch"
cat >bad.patch <<'EOT'
From: A Developer <dev@example.org>
Subject: [PATCH] xen: a bad patch

Only to see checkpatch fail.
---
 drivers/xen/features.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/drivers/xen/features.c b/drivers/xen/features.c
--- a/drivers/xen/features.c
+++ b/drivers/xen/features.c
@@ -1,3 +1,4 @@
 // SPDX-License-Identifier: GPL-2.0
+int xen_a_very_long_name_for_a_variable_that_nobody_needs = 1, xen_another_one_too_long = 2, xen_and_more = 3; 
 /******************************************************************************
  * features.c
EOT
checkpatch "$PWD/bad.patch" >bad.out 2>&1 && fail "checkpatch accepted bad.patch"
for what in MISSING_SIGN_OFF TRAILING_WHITESPACE LONG_LINE; do
	grep -q "$what" bad.out || fail "checkpatch did not report $what on bad.patch"
done
sed 's/^/    | /' bad.out

echo "== series and the patches"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$patches/series" >series.list
for f in "$patches"/*.patch; do basename "$f"; done >files.list
sort series.list | cmp -s - files.list ||
	fail "series does not name exactly the .patch files of linux-patches/: $(sort series.list | diff - files.list | tr '\n' ' ')"
sort -c series.list 2>/dev/null || fail "series is not in the patches' numbered order"
n=0
while read -r p; do
	n=$((n + 1))
	f=$patches/$p
	grep -q '^Subject: \[PATCH' "$f" || fail "$p: no Subject"
	grep -q '^Signed-off-by: ' "$f" || fail "$p: no Signed-off-by"
	body=$(sed -n '/^Subject:/,/^---$/p' "$f" | sed '1d;$d' | grep -c .)
	[ "$body" -ge 4 ] || fail "$p: a commit message of $body lines does not say why"
	if checkpatch "$f" >cp.out 2>&1; then
		echo "ok   $p: checkpatch clean"
	else
		fail "$p: checkpatch:"
		sed 's/^/    | /' cp.out
	fi
done <series.list
[ $n -ge 1 ] || fail "series names no patch"
# The lttng-modules fix: a patch with a message, applied by mk/linux.sh.
for f in "$patches"/lttng-modules/*.patch; do
	grep -q '^Subject: ' "$f" || fail "$f: no Subject"
done
echo
echo "$n patches; $nfail failure(s)"
[ $nfail -eq 0 ]
