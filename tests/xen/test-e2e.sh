#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make e2e`: the real hypervisor traced end to end, and the same
# workload traced by xentrace, for the comparison.  Two boots under QEMU
# (TCG, 2 CPUs, -cpu qemu64,+svm,+npt: Xen has SVM with HAP, so the
# workload's PVH guest runs) with Debian's dom0 kernel and a busybox initramfs holding
# lttctl-xen and lttd-xen (built with the Xen transport: libxen-dev),
# Debian's xen-utils-4.17 (xentrace) and tests/xen/workload.sh, the
# workload both boots run in dom0.
#
# 1. The LTTng-Xen hypervisor (build/xen, make xen).  In dom0, as a
#    sysadmin would: `lttctl-xen start` (default session: every event,
#    every CPU, discard mode; state and trace on a tmpfs), the workload,
#    `lttctl-xen stop`; then the finished trace is copied out over 9p
#    (virtio) to the host.  On the host, babeltrace2 must read the trace
#    without a warning, and check-trace.py checks it: events from every
#    CPU, sched:* events (runstate changes, context switches), the PV
#    domU (domain 1: created, run, its hypercalls, destroyed), the PVH
#    domU, twice (domains 2 and 3: created, run, destroyed, and the hvm:*
#    events of its VM exits while it ran: see HVM_EVENTS), fields in
#    range, the names lttd-xen read from xenstore (dom0op:domain_name:
#    "Domain-0" for 0, the domUs' for 1, 2 and 3 between their creation and
#    their destruction), the workload's 50 #UD traps (pv:trap, vector 6) and
#    physical IRQs (hw:irq_handled), the event-channel notifications Xen
#    records (evtchn:send, xen-patches/0006: from dom0 to the PV domU and
#    back, each sent by the domain running on its CPU to a domain alive
#    then, a PV sender's inside its event_channel_op hypercall, a channel
#    seen from both ends naming the same ports; check-trace.py --evtchn),
#    per-stream monotonic timestamps,
#    wall-clock times inside the run (dom0's and the host's windows),
#    nothing discarded, and per CPU the hypervisor's own produced count
#    (lttctl-xen stop's table) = events read + discarded.
# 2. The xentrace build (make xen LTTNG=n): first the errors a sysadmin
#    meets (lttctl-xen before the privcmd driver is loaded, then on a
#    hypervisor without XEN_SYSCTL_lttng_op), then Debian's xentrace
#    (`-e all`, 1 MiB per CPU like lttng-xen's default) records the same
#    workload and its file is copied out.
# lttng-xen-import converts xentrace's file to CTF, checked by
# tests/xentrace-import/check-file.sh (counts per event type equal to the
# file's records and to xenalyze --summary).
# lttng-xen-compare (compare/) then writes build/e2e/compare.md and
# compare.csv (+ compare.totals.csv): both sizes, bytes per event and per
# event type, the ratio, events per type side by side with the reasons
# the counts differ, what each saw of the domU; with --check it must
# find both traces non-empty, both with the domU, and lttng-xen's bytes
# per event below xentrace's.
# build/e2e/ also keeps both traces and both consoles.
#
# Also checked: on this host (not dom0), and in dom0 while tracing, a
# second `lttctl-xen start` (same state directory, then another) and a
# second lttd-xen (VIRQ_TBUF is bound once).  dom0 reports through
# isa-debug-exit: 33 all steps passed, 35 one failed; a crash, power-off
# or hang never passes.
# Skips (77) only if Debian's kernel or xen-utils package cannot be
# downloaded.
set -eu
scratch=$PWD
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/xen/lib.sh"

xen_dom0_tools

# On a host that is not dom0, the Xen transport says so.
if [ ! -e /dev/xen/privcmd ]; then
	rc=0
	LTTNG_XEN_HOME=$PWD/host-home "$BUILD/bin/lttctl-xen" --transport xen \
		create >host.out 2>&1 || rc=$?
	cat host.out
	{ [ $rc -eq 1 ] && grep -q "this is not a Xen dom0\|this is a Xen guest, not dom0" host.out; } ||
		die "lttctl-xen on a machine that is not dom0: exit $rc, not the expected message"
fi

mods="xen-privcmd xen-evtchn xenfs xen-gntdev xen-gntalloc virtio_pci 9pnet_virtio 9p"
# shellcheck disable=SC2086
xen_boot_prepare $mods
# shellcheck disable=SC2086
xen_initramfs root $mods
xen_utils_prepare
xen_add_program root "$BUILD/bin/lttctl-xen" "$BUILD/bin/lttd-xen"
xen_add_utils root xentrace xen-hptool xenstored xen-init-dom0 xl
ln -s /usr/lib/xen-4.17/bin/xentrace root/bin/xentrace
# The workload's PV domU (domain 1) and the same guest as PVH (domains 2
# and 3, one after the other):
# root/domu, xenconsoled, and the libgcc_s.so.1 xl needs (it aborts at
# exit without: pthread_cancel).  PVH needs HVM support in Xen: QEMU
# emulates AMD's SVM with nested paging (TCG has no VMX).
xen_domu root pvh
XEN_QEMU_CPU=qemu64,+svm,+npt
domu_name=$(sed -n 's/^name = "\(.*\)"$/\1/p' root/domu/domu.cfg)
pvh_name=$(sed -n 's/^name = "\(.*\)"$/\1/p' root/domu/domu-pvh.cfg)
[ -n "$domu_name" ] && [ -n "$pvh_name" ] || die "no name in root/domu/domu.cfg or domu-pvh.cfg"
# The 17 hvm event types the PVH guest's boot makes Xen record, each at
# least so many times while the guest runs.  One boot counted (2026-12-07,
# domain 2): exits 246 125 (133 353 port I/O: ioport_read 116 674,
# ioport_write 16 679; rdtsc 99 179, intr_window 11 314, vmmcall 4 487,
# intr 3 849, msr_write 2 946, inj_virq 2 920, cpuid 608, msr_read 122,
# hlt 71, cr_write 63, cr_read 14, npf 4, iomem_read 4), and the second
# boot the same counts for port I/O, cpuid, msr_read, cr_*, npf and
# iomem_read: those are required at a tenth of them; the others depend
# on how long the guest ran (its timer, the TSC it reads): at least one.
HVM_EVENTS="hvm:vmexit:13335 hvm:vmentry:13335 hvm:ioport_read:11667
	hvm:ioport_write:1667 hvm:cpuid:60 hvm:msr_read:12 hvm:cr_write:6
	hvm:cr_read:1 hvm:npf:1 hvm:iomem_read:1 hvm:rdtsc:1 hvm:intr_window:1
	hvm:vmmcall:1 hvm:intr:1 hvm:msr_write:1 hvm:inj_virq:1 hvm:hlt:1"
xen_workload root
# The lttng-xen boot's hook: the producer's counters at the workload's steps.
cat >root/bin/wl-hook <<'EOT'
#!/bin/busybox sh
adjtimex | awk '/time.tv_sec/ { s = $2 } /time.tv_usec/ { u = $2 }
	END { printf "%d.%06d\n", s, u }' >/tmp/t-$1
lttctl-xen status >/tmp/status-$1.out 2>&1
EOT
chmod +x root/bin/wl-hook
e2e=$BUILD/e2e
rm -rf "$e2e"
mkdir -p "$e2e"
{
	xen_dom0_lttng_init
	cat <<'EOT'
# CLOCK_REALTIME, microseconds (busybox date has no %N).
now() {
	adjtimex | awk '/time.tv_sec/ { s = $2 } /time.tv_usec/ { u = $2 }
		END { printf "%d.%06d\n", s, u }'
}
grep -q control_d /proc/xen/capabilities || fail "not the control domain"

now >/tmp/t-start
say "lttctl-xen start"
lttctl-xen start >/tmp/start.out 2>&1 || fail "lttctl-xen start"
cat /tmp/start.out
dir=$(lttctl-xen status --output-dir) || fail "lttctl-xen status --output-dir"

# While it runs, what a second sysadmin or daemon is told.
expect() { # EXIT-STATUS TEXT COMMAND...: the command fails so, saying TEXT
	want=$1 text=$2
	shift 2
	rc=0
	"$@" >/tmp/refused.out 2>&1 || rc=$?
	cat /tmp/refused.out
	[ $rc -eq "$want" ] && grep -q "$text" /tmp/refused.out ||
		fail "'$*' exited $rc, expected $want with: $text"
}
expect 1 "tracing is already running" lttctl-xen start
expect 1 "the producer is already tracing, for a session lttctl-xen does not know" \
	env LTTNG_XEN_HOME=/tmp/other lttctl-xen start
expect 1 "cannot bind VIRQ_TBUF.*another lttd-xen" lttd-xen --output /tmp/second
[ ! -e /tmp/second ] || fail "the refused lttd-xen created its directory"

say "workload"
WORKLOAD_HOOK=wl-hook /workload || fail "the workload"
lttctl-xen status >/tmp/status-running.out 2>&1 || fail "lttctl-xen status"

say "lttctl-xen stop"
lttctl-xen stop >/tmp/stop.out 2>&1 || fail "lttctl-xen stop"
now >/tmp/t-stop
cat /tmp/stop.out

say "copying $dir out"
EOT
	xen_dom0_trace_out '/tmp/t-*'
} >root/init
chmod +x root/init
xen_pack root "$initrd"

rm -rf out
mkdir out
echo "booting build/xen/xen + $(basename "$vmlinuz") under QEMU (log: $scratch/console.log)"
host_start=$(date +%s.%N)
xen_qemu 400 console.log \
	-virtfs "local,path=$scratch/out,mount_tag=out,security_model=none"
host_stop=$(date +%s.%N)
rc=$qemu_rc
cp console.log "$e2e/console-lttng.log"

grep -a -e '^(XEN) lttng' -e 'dom0: ' -e '^lttctl-xen\|^lttd-xen' \
	-e 'Panic' -e 'Xen call trace' console.log || true
# The PVH guest needs Xen's HVM support, which it found in QEMU's CPU.
for l in "HVM: SVM enabled" "Hardware Assisted Paging (HAP) detected"; do
	grep -aq "^(XEN) .*$l" console.log || fail "Xen did not say '$l' (QEMU -cpu $XEN_QEMU_CPU)"
done
case $rc in
33) echo "ok: dom0 traced a workload with lttctl-xen and copied the trace out" ;;
35) die "a step failed in dom0 (console: $scratch/console.log)" ;;
124) tail -n 30 console.log >&2; die "timed out after $((400 * ${XEN_QEMU_SLOW:-1})) s" ;;
*) tail -n 30 console.log >&2; die "QEMU exited with $rc: Xen or dom0 crashed or powered off early" ;;
esac

echo "== in dom0: lttctl-xen status, after the workload"
cat out/status-running.out
echo "== in dom0: lttctl-xen stop"
cat out/stop.out
echo "== lttd-xen's log"
cat out/trace/.lttd-xen.log
ls -la out/trace
bt_read out/trace bt
echo "the first and last:"
head -n 2 bt.txt
tail -n 2 bt.txt

hvm_req=
for e in $HVM_EVENTS; do hvm_req="$hvm_req --require-hvm $e"; done
# shellcheck disable=SC2086
/usr/bin/python3 "$TOP/tests/xen/check-trace.py" out/trace --cpus 2 \
	--stop out/stop.out --domains 0,1,2,3,32767 --domu 1 \
	--hvm-domu 2 --hvm-domu 3 $hvm_req \
	--dom0-window "$(cat out/t-start)" "$(cat out/t-stop)" \
	--host-window "$host_start" "$host_stop" \
	--require pv:trap,vector=6:50 --require hw:irq_handled:1 \
	--evtchn --require evtchn:send,domain=0,remote_domain=1:1 \
	--require evtchn:send,domain=1,remote_domain=0:1 \
	--domain-name 0=Domain-0 --domain-name "1=$domu_name" \
	--domain-name "2=$pvh_name" --domain-name "3=$pvh_name" ||
	die "the trace does not hold what the run should have recorded"
echo "ok: the hypervisor's trace, recorded in dom0, reads back whole"
echo "evtchn:send: $(grep -c ' evtchn:send: ' bt.txt) records; the first three from dom0 to the PV domU:"
grep ' evtchn:send: .*{ domain = 0, port = [0-9]*, remote_domain = 1,' bt.txt | head -n 3

# Every xentrace call site the workload reached was recorded as a typed
# event: Xen counts the records its remap table has no event for and
# reports them at STOP ("lttng: N xentrace records had no typed event").
if grep -a 'xentrace records had no typed event' console.log; then
	die "some xentrace records were not remapped to a typed event"
fi
echo "ok: every xentrace record the workload produced became a typed event"

# CPU 1 went offline and came back during the trace (the workload's
# xen-hptool step): the hypervisor's own count of CPU 1's events grew
# before the offline and again after the online, and check-trace.py
# found every produced event in the trace.
produced() { # FILE CPU: the produced column of lttctl-xen's table
	awk -v c="$2" '$1 == "CPU" && $2 == "produced" { t = 1; next }
		t && $1 == c { print $2; exit }' "$1"
}
p_off=$(produced out/status-before-offline.out 1)
p_on=$(produced out/status-after-online.out 1)
p_end=$(produced out/stop.out 1)
echo "CPU 1 produced: ${p_off:-?} before the offline, ${p_on:-?} after the online, ${p_end:-?} at the stop"
[ -n "$p_off" ] && [ "$p_off" -gt 0 ] ||
	die "no events from CPU 1 before it went offline"
[ -n "$p_on" ] && [ -n "$p_end" ] && [ "$p_end" -gt "$p_on" ] ||
	die "no events from CPU 1 after it came back online"
echo "ok: CPU 1 traced before it went offline and after it came back ($((p_end - p_on)) events after)"
cp -r out/trace "$e2e/lttng-trace"
cp console.log "$e2e/console-lttng.log"

# The xentrace build (make xen LTTNG=n): lttng-xen's tools before the Xen
# drivers are loaded and on a Xen without lttng-xen (errors that say what
# to do), then xentrace on the same workload.
make --no-print-directory -C "$TOP" BUILD="$BUILD" xen LTTNG=n
mkdir -p root-nolttng
cp -a root/. root-nolttng/
{
	# The modules later: first, lttctl-xen without the privcmd driver.
	xen_init_base nomodules
	echo 'mount -t tmpfs tmp /tmp'
	echo 'export LTTNG_XEN_HOME=/tmp/lttng-xen'
	xen_exit_code
	cat <<'EOT'
ok=0
expect() { # TEXT COMMAND...: the command exits 1, saying TEXT
	text=$1
	shift
	rc=0
	"$@" >/tmp/out 2>&1 || rc=$?
	sed 's/^/dom0: /' /tmp/out
	[ $rc -eq 1 ] && grep -q "$text" /tmp/out || { echo "dom0: FAIL: $*"; ok=1; }
}
expect "this is not a Xen dom0, or its privcmd driver is not loaded (no /dev/xen/privcmd): in dom0, run 'modprobe" \
	lttctl-xen start
/load-modules
mount -t xenfs xenfs /proc/xen
expect "the running Xen has no lttng-xen support (XEN_SYSCTL_lttng_op unknown" lttctl-xen start
expect "the running Xen has no lttng-xen support" lttd-xen --output /tmp/trace

xen_mount_out
echo "dom0: xentrace -D -e all -S 256"
xentrace -D -e all -S 256 /tmp/xentrace.bin >/tmp/xentrace.out 2>&1 &
xt=$!
sleep 0.5
kill -0 $xt 2>/dev/null || { echo "dom0: FAIL: xentrace exited"; cat /tmp/xentrace.out; xen_exit 1; }
echo "dom0: workload"
/workload || ok=1
kill -INT $xt
rc=0
wait $xt || rc=$?
cat /tmp/xentrace.out
[ $rc -eq 0 ] || { echo "dom0: FAIL: xentrace exited $rc"; ok=1; }
ls -l /tmp/xentrace.bin
cp /tmp/xentrace.bin /tmp/xentrace.out /out/ || { echo "dom0: FAIL: cannot copy the xentrace file out"; ok=1; }
umount /out
echo "dom0: done"
xen_exit $ok
EOT
} >root-nolttng/init
initrd="initrd-nolttng.cpio.gz"
xen_pack root-nolttng "$initrd"
rm -rf out-xt
mkdir out-xt
echo "booting build/xen-nolttng/xen: the errors without LTTng-Xen, then xentrace (log: $scratch/console-nolttng.log)"
XEN_IMAGE=$BUILD/xen-nolttng/xen
xen_qemu 400 console-nolttng.log \
	-virtfs "local,path=$scratch/out-xt,mount_tag=out,security_model=none"
cp console-nolttng.log "$e2e/console-xentrace.log"
grep -a 'dom0: ' console-nolttng.log || true
case $qemu_rc in
33) echo "ok: on Xen without LTTng-Xen, and without privcmd, the tools say what to do; xentrace recorded the workload" ;;
35) die "on Xen without LTTng-Xen: the tools' errors are not the expected ones, or the xentrace run failed" ;;
*) tail -n 30 console-nolttng.log >&2; die "QEMU exited with $qemu_rc booting build/xen-nolttng" ;;
esac
cp out-xt/xentrace.bin "$e2e/xentrace.bin"

# xentrace's file as a CTF trace (lttng-xen-import): build/e2e/xentrace-ctf,
# its event counts checked against the file's records and xenalyze.
mkdir -p import
(cd import && sh "$TOP/tests/xentrace-import/check-file.sh" "$scratch/out-xt/xentrace.bin" \
	"$scratch/console-nolttng.log" "$e2e/xentrace-ctf") ||
	die "lttng-xen-import on xentrace's file (above)"

echo "== lttng-xen and xentrace compared: $e2e/compare.md"
"$BUILD/bin/lttng-xen-compare" --lttng out/trace \
	--xentrace out-xt/xentrace.bin --gen "$GEN" --md "$e2e/compare.md" \
	--csv "$e2e/compare.csv" --domu 1 --check \
	--title "Two boots of the same Xen 4.17 tree under QEMU (TCG, 2 CPUs), the same dom0 workload (tests/xen/workload.sh: its PV domU is domain 1, the same guest as PVH domains 2 and 3): one with lttng-xen (make xen, lttctl-xen start / stop, default session: every event, every CPU), one with xentrace (make xen LTTNG=n, Debian's xentrace, -e all)." \
	--xentrace-mhz "$(sed -n 's/^(XEN) Detected \([0-9.]*\) MHz processor.*/\1/p' console-nolttng.log)" ||
	die "the comparison with xentrace (above)"
cat "$e2e/compare.md"

# Both traces analysed (lttng-xen-analyze), the xentrace file against
# xenalyze figure by figure, and the PVH guest's figures of both tracers
# against each other within the run-to-run variation
# (tests/analyze/check-e2e.sh): build/e2e/analyze/.
sh "$TOP/tests/analyze/check-e2e.sh" "$e2e" ||
	fail "the analyses of the e2e traces (above)"
