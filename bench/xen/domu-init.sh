#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of bench-xen's PV domU (mk/domu-image.sh): runs the microbench
# its kernel command line asks for, bench=MODE,ARG... (domu-run.sh sets
# it), prints microbench's "VALUE <number>" line on its console prefixed
# by "domU-bench: ", and powers off, so that the domain goes away.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t tmpfs tmp /tmp
args=$(/bin/busybox sed -n 's/.* bench=\([^ ]*\).*/\1/p' /proc/cmdline | /bin/busybox tr , ' ')
if [ -z "$args" ]; then
	echo "domU-bench: FAIL: no bench=MODE,ARG... on the kernel command line"
else
	# shellcheck disable=SC2086 # MODE and its arguments, split on purpose
	out=$(/bin/microbench $args 2>&1) || echo "domU-bench: FAIL: microbench $args: $out"
	echo "$out" | /bin/busybox sed -n 's/^VALUE /domU-bench: VALUE /p'
fi
/bin/busybox poweroff -f
