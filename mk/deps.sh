#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages a make target needs, once: packages already
# installed are skipped, so running it again costs one dpkg-query.
# Usage: mk/deps.sh PACKAGE...
set -eu

missing=
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "deps: need root (or sudo) to install:$missing" >&2
	exit 1
fi
echo "deps: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
