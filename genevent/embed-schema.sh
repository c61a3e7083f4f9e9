#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Turn facilities/facility.rng into a C file, so genevent carries its schema.
set -eu
echo "/* Generated from $(basename "$1") by embed-schema.sh; do not edit. */"
echo "const char ge_schema[] ="
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$1"
printf "\t;\n"
echo "const unsigned int ge_schema_len = sizeof(ge_schema) - 1;"
