#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The record-time domain filter in the real hypervisor (issue 13.3): one
# boot under QEMU (TCG, 2 CPUs) of build/xen with Debian's dom0 kernel;
# in dom0, `lttctl-xen create --domains 1` (status must show it), start,
# the e2e workload (tests/xen/workload.sh: dom0's busy loops, traps and
# CPU hotplug, and a PV domU, domain 1, created, booted and destroyed),
# stop; the trace is copied out over 9p.  On the host, babeltrace2 reads
# it without a warning, and check-domain-filter.py finds every event run
# by domain 1 or naming it in a domain field (domain="true"): none of
# dom0's busy work, domain 1's context switches and creation present,
# and lttng-xen-analyze attributes to other domains only events that
# name domain 1 (an event dom0 runs about domain 1, xl create's
# dom0op:dom_add, stays: it names it).  Nothing discarded or lost.
# Skips (77) only if Debian's kernel or xen-utils cannot be downloaded.
set -eu
scratch=$PWD
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/xen/lib.sh"

xen_dom0_tools

mods="xen-privcmd xen-evtchn xenfs xen-gntdev xen-gntalloc virtio_pci 9pnet_virtio 9p"
# shellcheck disable=SC2086
xen_boot_prepare $mods
# shellcheck disable=SC2086
xen_initramfs root $mods
xen_utils_prepare
xen_add_program root "$BUILD/bin/lttctl-xen" "$BUILD/bin/lttd-xen"
xen_add_utils root xen-hptool xenstored xen-init-dom0 xl
xen_domu root
xen_workload root
{
	xen_dom0_lttng_init
	cat <<'EOT'
lttctl-xen create --domains 1 >/tmp/create.out 2>&1 || fail "lttctl-xen create --domains 1"
lttctl-xen status >/tmp/status.out 2>&1 || fail "lttctl-xen status"
lttctl-xen start >/tmp/start.out 2>&1 || fail "lttctl-xen start"
dir=$(lttctl-xen status --output-dir) || fail "lttctl-xen status --output-dir"
say "workload"
/workload || fail "the workload"
lttctl-xen stop >/tmp/stop.out 2>&1 || fail "lttctl-xen stop"
EOT
	xen_dom0_trace_out
} >root/init
chmod +x root/init
xen_pack root "$initrd"

rm -rf out
mkdir out
echo "booting build/xen/xen under QEMU (log: $scratch/console.log)"
xen_qemu 400 console.log \
	-virtfs "local,path=$scratch/out,mount_tag=out,security_model=none"
grep -a -e '^(XEN) lttng' -e 'dom0: ' -e 'Panic' -e 'Xen call trace' \
	console.log || true
case $qemu_rc in
33) echo "ok: dom0 traced the workload with --domains 1 and copied it out" ;;
35) die "a step failed in dom0 (console: $scratch/console.log)" ;;
124) tail -n 30 console.log >&2; die "timed out after $((400 * ${XEN_QEMU_SLOW:-1})) s" ;;
*) tail -n 30 console.log >&2; die "QEMU exited with $qemu_rc: Xen or dom0 crashed or powered off early" ;;
esac

for f in create status stop; do
	echo "== lttctl-xen $f"
	indent "out/$f.out"
done
grep -q '^Domains:    1 (the events they run' out/status.out ||
	fail "lttctl-xen status does not show the domain list"
awk '$1 == "all" { if ($3 != 0 || $4 != 0) exit 1; found = 1 }
	END { exit !found }' out/stop.out ||
	fail "lttctl-xen stop counted events discarded or lost"
bt_read out/trace bt
"$BUILD/bin/lttng-xen-analyze" --csv analyze out/trace >analyze.txt ||
	fail "lttng-xen-analyze failed on the trace"
indent analyze.txt
/usr/bin/python3 "$TOP/tests/xen/check-domain-filter.py" out/trace \
	"$BUILD/gen/model.json" 1 analyze/events.csv >check.out 2>&1 ||
	fail "check-domain-filter.py"
indent check.out
finish
