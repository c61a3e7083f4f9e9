#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Turn a text file into a C string, so a program carries it with it.
# Usage: mk/embed.sh SYMBOL FILE > OUT.c
# Defines: const char SYMBOL[]; const unsigned int SYMBOL_len;
set -eu
echo "/* Generated from $(basename "$2") by mk/embed.sh; do not edit. */"
echo "const char $1[] ="
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$2"
printf "\t;\n"
echo "const unsigned int $1_len = sizeof($1) - 1;"
