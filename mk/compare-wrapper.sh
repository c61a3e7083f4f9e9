#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen-compare as installed (make install): the script reads
# genevent's output next to it, in ../gen, as in the build tree, so both
# live in PREFIX/lib/lttng-xen/{bin,gen}; this runs it from there.
exec "$(dirname "$(readlink -f "$0")")/../lib/lttng-xen/bin/lttng-xen-compare" "$@"
