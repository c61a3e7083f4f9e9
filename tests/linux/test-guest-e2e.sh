#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest kernels traced end to end, under QEMU: the patched kernel
# (make linux) boots as dom0 on the LTTng-Xen hypervisor (make xen) and
# again as a PV domU; LTTng (Debian's lttng-tools, the session daemons
# started here) records the guest events in dom0 and in the domU while
# lttctl-xen records the hypervisor.
#
# dom0 (busybox initramfs): xenstored, xen-init-dom0, xenconsoled; two
# domUs running the lttng-xen-guest agent (lttng-xen-guest watch): one
# with an emulated TSC (tsc_mode "always_emulate"), which the clock
# plugin must refuse, saying why, and the domU, created with a disk
# (xvda: a loop device on dom0's tmpfs, blkback) and a network interface
# (vif: netback; dom0 is 10.0.0.1), both set up by this test's hotplug
# scripts.  Then one command traces everything: `lttctl-xen start
# --guests all --relay 10.0.0.1` records the hypervisor (lttd-xen, into
# DIR/hypervisor), dom0's kernel (lttng-xen-guest: the clock plugin
# lttng-clock-xen-tsc with the hypervisor trace's uuid and offset, the
# guest probes, lttng-sessiond, a session of every guest_* event, into
# DIR/dom0) and asks each domU's agent through xenstore to do the same,
# streaming to the lttng-relayd it starts in dom0; it must name the
# emulated-TSC domU as not traced, with the plugin's refusal.  The domU
# (same kernel) waits until its agent traces, does block I/O on xvda
# (written, read back, compared), pings dom0 with large packets, writes
# and reads xenstore from user space (/dev/xen/xenbus); dom0 then
# hot-attaches a second disk, xvdb (xenstore and blkfront setup during
# the trace), the domU writes to it, dom0 detaches it (blkback
# disconnects: grant unmaps).  `lttctl-xen stop` ends the domU's
# session (its agent), dom0's, lttng-relayd and the hypervisor's, and
# puts the domU's trace in DIR/domu; its summary must name the domU not
# traced.  dom0 copies DIR out over 9p.
#
# On the host: babeltrace2 reads the hypervisor's, dom0's and the
# domU's traces without a warning, and DIR as one timeline of all their
# events (no flag); check-guest-trace.py asserts that
# every guest event of the facility XML appears (the backend's in dom0,
# the frontend's in the domU; the exceptions, with the measured reason,
# are listed there), that both ends of a block request carry the same
# handle, id, first sector and size, and that each event's field layout in both LTTng
# traces' metadata matches the XML, event by event, and that their
# clock is the hypervisor trace's (name, uuid, frequency, offset); the
# guests' events lie within the hypervisor trace's span; the clock
# offset's uncertainty is in the hypervisor trace's metadata, at most
# 1 us; lttng-xen-causality finds at least 10 000 cross-layer pairs of
# every type (hypercall, evtchn, block, net tx, net rx) in order and
# reports violations on copies with one clock moved; lttng-xen-latency
# writes the per-request report.  build/guest-e2e/ keeps the traces, the
# consoles and latency/.
#
# QEMU 7.2's multi-threaded TCG can hang a guest while Linux patches its
# code (LTTng enabling tracepoints): dom0 gets one vCPU
# (dom0_max_vcpus=1), the domU one too.
# dom0 reports through isa-debug-exit: 33 passed, 35 a step failed.
# Skips (77) only if the pinned kernel source or Debian's xen-utils
# cannot be had from apt.
set -eu
: "${TOP:?}" "${BUILD:?}"
scratch=$PWD
. "$TOP/tests/xen/lib.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$TOP/mk/deps.sh" babeltrace2 python3 python3-bt2 libxen-dev lttng-tools
make --no-print-directory -C "$TOP" BUILD="$BUILD" all gen
rc=0
BUILD=$BUILD "$TOP/mk/linux.sh" build || rc=$?
[ $rc -eq 77 ] && { echo "SKIP: the pinned kernel source cannot be had (above)" >&2; exit 77; }
[ $rc -eq 0 ] || fail "make linux failed (above)"
vmlinuz=$BUILD/linux/vmlinuz
kver=$(cat "$BUILD/linux/kernel.release")
xen_utils_prepare

# The guest probe modules, as lttng-sessiond names them.
probes=$(cd "$BUILD/linux/modules/lib/modules/$kver/extra" &&
	find . -name 'lttng-probe-guest_*.ko' | sed 's|.*/lttng-probe-||; s|\.ko$||' |
	sort | tr '\n' ',' | sed 's/,$//')
[ -n "$probes" ] || fail "no guest probe module in $BUILD/linux/modules"
echo "guest probes: $probes"

# shellcheck disable=SC2046 # pkg-config's words are flags
gcc -O2 -Wall -Wextra -Werror -o xs "$TOP/tests/linux/xs.c" \
	$(pkg-config --cflags --libs xenstore)

# add_lttng ROOT: lttng, lttng-sessiond, lttng-consumerd with their
# libraries, and the kernel's modules (LTTng's among them, modules.dep).
add_lttng() {
	xen_add_program "$1" /usr/bin/lttng /usr/bin/lttng-sessiond \
		/usr/lib/x86_64-linux-gnu/lttng/libexec/lttng-consumerd "$scratch/xs"
	mkdir -p "$1/usr/lib/x86_64-linux-gnu/lttng/libexec"
	mv "$1/bin/lttng-consumerd" "$1/usr/lib/x86_64-linux-gnu/lttng/libexec/"
	mkdir -p "$1/lib/modules"
	cp -a "$BUILD/linux/modules/lib/modules/$kver" "$1/lib/modules/"
	rm -f "$1/lib/modules/$kver/build" "$1/lib/modules/$kver/source"
	mkdir -p "$1/var/run" "$1/usr/share/xml"
	# The session daemon validates its configuration against this.
	cp -r /usr/share/xml/lttng "$1/usr/share/xml/"
}

# The domU: the same kernel, busybox, LTTng.
mkdir -p domu-root/bin domu-root/proc domu-root/sys domu-root/dev domu-root/tmp
cp /bin/busybox domu-root/bin/
ln -s busybox domu-root/bin/sh
add_lttng domu-root
xen_add_program domu-root "$BUILD/bin/lttng-xen-guest"
{
	cat <<'EOT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm
export HOME=/tmp
say() { echo "domU: $*"; }
fail() { say "FAIL: $*"; poweroff -f; }
say "up: Linux $(uname -r)"
ip link set lo up
# dom0's requests come through xenstore: the agent answers them.
lttng-xen-guest watch >/tmp/agent.log 2>&1 &
# state: "SEQ tracing" once dom0's lttctl-xen start asked and LTTng runs.
wait_state() { # WORD SECONDS
	i=0
	until xs read data/lttng-xen/state 2>/dev/null | grep -q " $1"; do
		i=$((i + 1))
		[ $i -lt $(($2 * 2)) ] || return 1
		sleep 0.5
	done
}
# The same domU with an emulated TSC (dom0's domu-vtsc): its agent must
# refuse to trace (the clock plugin refuses); it idles until destroyed.
if grep -q lttng_xen_vtsc_check /proc/cmdline; then
	say "agent started"
	wait_state refused 600 && say "vtsc: $(xs read data/lttng-xen/state)"
	sleep 100000
fi
ip link set eth0 up && ip addr add 10.0.0.2/24 dev eth0 || fail "no eth0 (netfront)"
say "agent started"
wait_state tracing 600 || { cat /tmp/agent.log; fail "the agent did not start tracing"; }
say "$(dmesg | grep -o "LTTng's clock is .*" | tail -n 1)"
say "tracing"
# Block I/O through blkfront: 1 MiB written to xvda, read back, compared.
dd if=/dev/urandom of=/tmp/blk bs=64k count=16 2>/dev/null
dd if=/tmp/blk of=/dev/xvda bs=64k conv=fsync 2>/dev/null || fail "cannot write xvda"
echo 3 >/proc/sys/vm/drop_caches
dd if=/dev/xvda of=/tmp/blk2 bs=64k count=16 2>/dev/null || fail "cannot read xvda"
cmp /tmp/blk /tmp/blk2 || fail "xvda did not give back what was written"
say "block I/O on xvda done"
# Network through netfront/netback, both ways.
ping -c 10 -i 0.2 -s 1400 10.0.0.1 >/tmp/ping.out 2>&1 || { cat /tmp/ping.out; fail "cannot ping dom0"; }
say "ping: $(grep -c 'bytes from' /tmp/ping.out) replies from dom0"
# xenstore from user space, through /dev/xen/xenbus.
xs write data/lttng-xen-test hello || fail "cannot write xenstore"
[ "$(xs read data/lttng-xen-test)" = hello ] || fail "xenstore did not give back what was written"
say "waiting for xvdb"
i=0
until [ -b /dev/xvdb ]; do
	i=$((i + 1))
	[ $i -lt 480 ] || fail "dom0 did not attach xvdb"
	sleep 0.5
done
dd if=/tmp/blk of=/dev/xvdb bs=64k conv=fsync 2>/dev/null || fail "cannot write xvdb"
say "xvdb written"
# dom0 detaches xvdb and stops tracing: the agent stops the session.
wait_state stopped 600 || { cat /tmp/agent.log; fail "the agent did not stop tracing"; }
say "tracing stopped"
# dom0 starts a second run: a little traffic in it.
wait_state tracing 600 || { cat /tmp/agent.log; fail "the agent did not trace the second run"; }
ping -c 3 -i 0.2 10.0.0.1 >/dev/null 2>&1 || fail "cannot ping dom0 in the second run"
say "second run done"
wait_state stopped 600 || { cat /tmp/agent.log; fail "the agent did not stop the second run"; }
poweroff -f
EOT
} >domu-root/init
chmod +x domu-root/init

# dom0: busybox, the Xen tools, LTTng, lttctl-xen and lttd-xen, the domU.
mkdir -p root
xen_initramfs root
add_lttng root
xen_add_program root "$BUILD/bin/lttctl-xen" "$BUILD/bin/lttd-xen" \
	"$BUILD/bin/lttng-xen-guest" /usr/bin/lttng-relayd
mkdir -p root/usr/lib/xen-4.17/bin
for p in xenstored xen-init-dom0 xl; do
	xen_add_program root "$xen_utils/$p"
	mv "root/bin/$p" root/usr/lib/xen-4.17/bin/
done
xen_domu_tools root
mkdir -p root/domu
xen_pack domu-root root/domu/initrd.cpio.gz
cp "$vmlinuz" root/domu/vmlinuz
cat >root/domu/domu.cfg <<'EOT'
name = "domu"
type = "pv"
kernel = "/domu/vmlinuz"
ramdisk = "/domu/initrd.cpio.gz"
cmdline = "console=hvc0 rdinit=/init"
memory = 256
vcpus = 1
tsc_mode = "native"
vif = [ "mac=00:16:3e:00:00:02,script=/bin/vif-hotplug" ]
disk = [ "vdev=xvda,access=rw,script=/bin/blk-hotplug,target=/dev/loop0" ]
on_poweroff = "destroy"
on_crash = "destroy"
EOT
# libxl's hotplug scripts (action add/remove, XENBUS_PATH, vif): blkback
# waits for physical-device, netback for hotplug-status.
cat >root/bin/blk-hotplug <<'EOT'
#!/bin/busybox sh
[ "$1" = add ] || exit 0
dev=$(xs read "$XENBUS_PATH/params") || exit 1
xs write "$XENBUS_PATH/physical-device" "$(stat -L -c %t:%T "$dev")" &&
	xs write "$XENBUS_PATH/physical-device-path" "$dev" &&
	xs write "$XENBUS_PATH/hotplug-status" connected
EOT
cat >root/bin/vif-hotplug <<'EOT'
#!/bin/busybox sh
[ "$1" = add ] || [ "$1" = online ] || exit 0
ip link set "$vif" up && ip addr add 10.0.0.1/24 dev "$vif" &&
	xs write "$XENBUS_PATH/hotplug-status" connected
EOT
chmod +x root/bin/blk-hotplug root/bin/vif-hotplug
{
	xen_dom0_init
	cat <<'EOT'
say() { echo "dom0: $*"; }
fail() {
	say "FAIL: $*"
	for f in /tmp/*.log /tmp/*.out /var/log/xen/console/guest-domu*.log /tmp/trace/.relayd.log; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }
	done
	mkdir -p /out/dom0-logs && cp /tmp/*.log /out/dom0-logs/ 2>/dev/null
	xen_exit 1
}
xen_mount_out
grep -q control_d /proc/xen/capabilities || fail "not the control domain"
mkdir -p /var/run/xen /var/run/xenstored /var/lib/xen /var/lib/xenstored \
	/var/log/xen/console /run/lock /etc/xen /dev/pts
: >/etc/xen/xl.conf
mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm
mount -t devpts devpts /dev/pts
export HOME=/tmp LTTNG_XEN_HOME=/tmp/lttng-xen
xen=/usr/lib/xen-4.17/bin
ip link set lo up
$xen/xenstored --pid-file=/var/run/xenstored.pid || fail "xenstored"
i=0
until $xen/xen-init-dom0 >/tmp/init-dom0.log 2>&1; do
	i=$((i + 1))
	[ $i -lt 25 ] || fail "xen-init-dom0"
	sleep 0.2
done
$xen/xenconsoled --log=guest --log-dir=/var/log/xen/console || fail "xenconsoled"

say "tracing: nothing yet; the domUs first"
dd if=/dev/zero of=/tmp/disk.img bs=1M count=16 2>/dev/null
dd if=/dev/zero of=/tmp/xvdb.img bs=1M count=4 2>/dev/null
losetup /dev/loop0 /tmp/disk.img && losetup /dev/loop1 /tmp/xvdb.img ||
	fail "cannot set up the loop devices"
# A domU whose TSC Xen emulates: its agent must refuse to trace.
sed -e 's/^name = .*/name = "domu-vtsc"/' -e 's/^tsc_mode = .*/tsc_mode = "always_emulate"/' \
	-e '/^vif/d' -e '/^disk/d' -e 's|^cmdline = "\(.*\)"|cmdline = "\1 lttng_xen_vtsc_check"|' \
	/domu/domu.cfg >/domu/domu-vtsc.cfg
$xen/xl create /domu/domu-vtsc.cfg >/tmp/xl-vtsc.log 2>&1 || fail "xl create domu-vtsc"
$xen/xl create /domu/domu.cfg >/tmp/xl.log 2>&1 || fail "xl create"
log=/var/log/xen/console/guest-domu.log
vlog=/var/log/xen/console/guest-domu-vtsc.log
# Both agents up (their xenstore data/lttng-xen/agent says "ready").
for d in domu domu-vtsc; do
	id=$($xen/xl domid $d) || fail "no domain $d"
	i=0
	until [ "$(xs read /local/domain/$id/data/lttng-xen/agent 2>/dev/null)" = ready ]; do
		grep -q 'domU: FAIL' $log 2>/dev/null && fail "in the domU"
		i=$((i + 1))
		[ $i -lt 900 ] || fail "the lttng-xen-guest agent of $d did not start in 450 s"
		sleep 0.5
	done
done
say "both domUs' agents are ready"
# One command: the hypervisor, dom0's kernel and every domU's.
lttctl-xen start --guests all --relay 10.0.0.1 -o /tmp/trace >/tmp/start.out 2>&1 ||
	{ cat /tmp/start.out; fail "lttctl-xen start --guests all"; }
sed 's/^/dom0: start | /' /tmp/start.out
grep -q '^Guest traced: dom0,' /tmp/start.out || fail "lttctl-xen start did not trace dom0"
grep -q '^Guest traced: domu (a domU),' /tmp/start.out || fail "lttctl-xen start did not trace the domU"
i=0
until grep -q 'domU: tracing' $log 2>/dev/null; do
	grep -q 'domU: FAIL' $log 2>/dev/null && fail "in the domU"
	i=$((i + 1))
	[ $i -lt 900 ] || fail "the domU did not start tracing in 450 s"
	sleep 0.5
done
until grep -q 'domU: waiting for xvdb' $log 2>/dev/null; do
	grep -q 'domU: FAIL' $log 2>/dev/null && fail "in the domU"
	i=$((i + 1))
	[ $i -lt 1800 ] || fail "the domU's workload did not finish in 900 s"
	sleep 0.5
done
say "the domU traces its workload; attaching xvdb"
$xen/xl block-attach domu 'vdev=xvdb,access=rw,script=/bin/blk-hotplug,target=/dev/loop1' \
	>/tmp/block-attach.log 2>&1 || fail "xl block-attach"
until grep -q 'domU: xvdb written' $log 2>/dev/null; do
	grep -q 'domU: FAIL' $log 2>/dev/null && fail "in the domU"
	i=$((i + 1))
	[ $i -lt 2400 ] || fail "the domU did not write xvdb"
	sleep 0.5
done
$xen/xl block-detach domu xvdb >/tmp/block-detach.log 2>&1 || fail "xl block-detach"
lttctl-xen stop >/tmp/stop.out 2>&1 || { cat /tmp/stop.out; fail "lttctl-xen stop"; }
sed 's/^/dom0: stop | /' /tmp/stop.out
# A second run of the same session (into /tmp/trace-2): the guests'
# clock plugins keep the first run's offset, so lttctl-xen keeps that
# clock origin for the hypervisor too.
i=0
until grep -q 'domU: tracing stopped' $log 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 2400 ] || fail "the domU did not see its first run stop"
	sleep 0.5
done
lttctl-xen start >/tmp/start-2.out 2>&1 || { cat /tmp/start-2.out; fail "the second lttctl-xen start"; }
sed 's/^/dom0: start-2 | /' /tmp/start-2.out
i=0
until grep -q 'domU: second run done' $log 2>/dev/null; do
	grep -q 'domU: FAIL' $log 2>/dev/null && fail "in the domU"
	i=$((i + 1))
	[ $i -lt 2400 ] || fail "the domU did not finish its second run"
	sleep 0.5
done
lttctl-xen stop >/tmp/stop-2.out 2>&1 || { cat /tmp/stop-2.out; fail "the second lttctl-xen stop"; }
sed 's/^/dom0: stop-2 | /' /tmp/stop-2.out
i=0
while $xen/xl list domu >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the domU did not power off in 300 s"
	sleep 0.5
done
grep -a 'domU: ' $log | sed 's/^/dom0: | /'
grep -a 'domU: ' $vlog | sed 's/^/dom0: | vtsc /'
$xen/xl destroy domu-vtsc >/dev/null 2>&1
losetup -d /dev/loop1
cp -r /tmp/trace /out/trace && cp -r /tmp/trace-2 /out/trace-2 &&
	cp /tmp/start.out /tmp/stop.out /tmp/start-2.out /tmp/stop-2.out /out/ &&
	cp $log /out/console-domu.log || fail "cannot copy the trace out"
umount /out
say "done"
xen_exit 0
EOT
} >root/init
chmod +x root/init
# No modules to load: the guest kernel has its drivers built in.
printf '#!/bin/busybox sh\n' >root/load-modules
xen_pack root "$initrd"
echo "initramfs: $(wc -c <"$initrd") bytes (the domU's: $(wc -c <root/domu/initrd.cpio.gz))"

out=$BUILD/guest-e2e
rm -rf "$out" res
mkdir -p "$out" res
echo "booting build/xen/xen + build/linux/vmlinuz under QEMU (log: $scratch/console.log)"
# shellcheck disable=SC2034 # read by lib.sh's xen_qemu
XEN_CMDLINE="dom0_max_vcpus=1"
# Under TCG on a busy host dom0's clocksource watchdog can find the TSC
# skewed against Xen's clock (both follow the host's time, each with its
# own delays) and switch to the xen clocksource, whose clock_gettime()
# then is a system call (about 8 us under TCG): lttd-xen's clock offset
# would be that uncertain.  A real host's invariant TSC does not trip it.
# shellcheck disable=SC2034 # read by lib.sh's xen_qemu
DOM0_CMDLINE="tsc=reliable"
xen_qemu 1200 console.log \
	-virtfs "local,path=$scratch/res,mount_tag=out,security_model=none"
cp console.log "$out/console.log"
cp -r res/. "$out/"
grep -a -e 'dom0: ' -e 'Panic' -e 'Xen call trace' -e 'Kernel panic' console.log || true
case $qemu_rc in
33) echo "ok: dom0 and the domU traced their workload; the traces are out" ;;
35) fail "a step failed in dom0 (console: $out/console.log)" ;;
124) tail -n 30 console.log >&2; fail "timed out after 1200 s" ;;
*) tail -n 30 console.log >&2; fail "QEMU exited with $qemu_rc: Xen or dom0 crashed or powered off early" ;;
esac

# One session, one directory: lttctl-xen start --guests traced the three
# layers into DIR (hypervisor, dom0, domu) and named the domU it could
# not trace, with the clock plugin's refusal, in start's output and in
# stop's summary.
for f in start.out stop.out; do
	grep -q '^Not traced: .*domu-vtsc (domain [0-9]*): refused: .*lttng-clock-xen-tsc: refused: Xen emulates' "res/$f" ||
		{ cat "res/$f" >&2; fail "lttctl-xen ${f%.out} did not name the domU with an emulated TSC as not traced, with the reason"; }
done
echo "ok: $(grep '^Not traced' res/stop.out)"
for t in hypervisor dom0 domu; do
	[ -d "res/trace/$t" ] || fail "lttctl-xen stop left no $t trace in its directory"
done
ls res/trace | grep -qv '^\(hypervisor\|dom0\|domu\)$' &&
	fail "lttctl-xen stop left more than the three traces in its directory: $(ls -a res/trace | tr '\n' ' ')"
merged=$(babeltrace2 res/trace 2>merged.err | wc -l)
[ -s merged.err ] && { head -n 5 merged.err >&2; fail "babeltrace2 warned reading the trace directory"; }
# The second run: the three layers again, on the first run's clock
# origin (the guests' LTTng keeps the offset it was loaded with).
for f in start-2.out stop-2.out; do
	for g in 'dom0,' 'domu (a domU),'; do
		grep -q "^Guest traced: $g" "res/$f" ||
			{ cat "res/$f" >&2; fail "the second run's ${f%.out}: ${g%,} not traced"; }
	done
done
clock_of() { sed -n '/^clock {/,/^};/p' "$1/metadata" | grep -E '^[[:space:]]*(uuid|freq|offset_s|offset) ='; }
[ "$(clock_of res/trace/hypervisor)" = "$(clock_of res/trace-2/hypervisor)" ] ||
	fail "the second run's hypervisor clock is not the first run's: $(clock_of res/trace-2/hypervisor | tr -s ' \n' ' ')"
n2=$(babeltrace2 res/trace-2 2>merged-2.err | wc -l)
[ -s merged-2.err ] && { head -n 5 merged-2.err >&2; fail "babeltrace2 warned reading the second run's directory"; }
for t in dom0 domu; do
	k=$(babeltrace2 "res/trace-2/$t" 2>/dev/null | wc -l)
	[ "$k" -gt 0 ] || fail "the second run's $t trace holds no event"
done
echo "ok: a second run on the same clock origin: babeltrace2 reads $n2 events of the three layers"
# Below, each trace on its own too: hv-trace, dom0-trace, domu-trace.
dir_of() {
	case $1 in
	hv-trace) echo res/trace/hypervisor ;;
	dom0-trace) echo res/trace/dom0 ;;
	domu-trace) echo res/trace/domu ;;
	esac
}
for t in hv-trace dom0-trace domu-trace; do
	babeltrace2 --clock-seconds "$(dir_of $t)" >"$t.txt" 2>"$t.err" || { cat "$t.err" >&2; fail "babeltrace2 cannot read $t"; }
	[ ! -s "$t.err" ] || { cat "$t.err" >&2; fail "babeltrace2 warned reading $t"; }
	echo "babeltrace2 read $t: $(wc -l <"$t.txt") events"
done
# The LTTng traces' metadata, as TSDL text, for the layout check.
for t in dom0-trace domu-trace; do
	k=$(dirname "$(find "$(dir_of $t)" -name metadata | head -n 1)")
	babeltrace2 --output-format=ctf-metadata "$k" >"$t.tsdl" ||
		fail "babeltrace2 cannot print the metadata of $t"
done
# One timeline: babeltrace2 read lttctl-xen's one directory (no
# correlation flag) as the three traces merged, every event of each.
total=$(($(wc -l <hv-trace.txt) + $(wc -l <dom0-trace.txt) + $(wc -l <domu-trace.txt)))
[ "$merged" -eq "$total" ] ||
	fail "babeltrace2 did not read the trace directory as one timeline of the three traces ($merged of $total events)"
echo "one timeline: babeltrace2 DIR merges the three traces, $merged events"
# One clock: the guests' events lie within the hypervisor trace's span
# (lttctl-xen started before both LTTng sessions and stopped after them).
span() { sed -n 's/^\[\([0-9.]*\)\].*/\1/p' "$1" | sed -n '1p;$p' | tr '\n' ' '; }
for t in dom0-trace domu-trace; do
	# shellcheck disable=SC2046 # two numbers
	set -- $(span hv-trace.txt) $(span "$t.txt")
	[ $# -eq 4 ] || fail "no timestamps in $t.txt or hv-trace.txt"
	awk -v h0="$1" -v h1="$2" -v g0="$3" -v g1="$4" 'BEGIN { exit !(h0 < g0 && g1 < h1) }' ||
		fail "$t's events ($3 to $4 s) are not within the hypervisor's ($1 to $2 s): not one clock"
	echo "one clock: $t's events, $3 to $4 s, within the hypervisor trace's, $1 to $2 s"
done
# The offset's uncertainty, measured by lttd-xen in dom0: in the metadata,
# at most 1 us.
unc=$(sed -n 's/^[[:space:]]*clock_offset_uncertainty_ns = \([0-9]*\);.*/\1/p' res/trace/hypervisor/metadata)
[ -n "$unc" ] || fail "the hypervisor trace's metadata has no env.clock_offset_uncertainty_ns"
[ "$unc" -gt 0 ] && [ "$unc" -le 1000 ] ||
	fail "the hypervisor clock's offset is uncertain by $unc ns: more than 1 us"
echo "one clock: the offset measured in dom0 is uncertain by $unc ns (at most 1 us)"
/usr/bin/python3 "$TOP/tests/linux/check-guest-trace.py" \
	--dom0 res/trace/dom0 --domu res/trace/domu \
	--dom0-metadata dom0-trace.tsdl --domu-metadata domu-trace.tsdl \
	--hv-metadata res/trace/hypervisor/metadata ||
	fail "the guest traces do not hold what the run should have recorded"

# Causality (analyze/lttng-xen-causality): on the one timeline, every
# cross-layer pair in order: guest hypercalls and Xen's records of them,
# event-channel sends and Xen's records inside their hypercalls, the
# domU's block and network requests and dom0's backends; at least 10 000
# pairs, each pair type seen, no violation.
# lttctl-xen's one directory, as a user gives it.
causality() { "$TOP/analyze/lttng-xen-causality" "$@"; }
causality res/trace >causality.out 2>&1 ||
	{ cat causality.out; fail "lttng-xen-causality found violations (or could not read the traces)"; }
cat causality.out
pairs=$(sed -n 's/^\([0-9]*\) pairs checked, 0 violation(s)$/\1/p' causality.out)
[ -n "$pairs" ] && [ "$pairs" -ge 10000 ] ||
	fail "lttng-xen-causality checked ${pairs:-no} pairs without violation, fewer than 10 000"
checked() { sed -n "s/^$1  *\([0-9][0-9]*\)  *[0-9].*/\1/p" "$2"; }
for kind in hypercall evtchn block "net tx" "net rx"; do
	n=$(checked "$kind" causality.out)
	[ "${n:-0}" -gt 0 ] || fail "lttng-xen-causality checked no $kind pair"
done
grep -q '^domains: .* is domain [1-9][0-9]*$' causality.out ||
	fail "lttng-xen-causality did not tell the domU's trace's domain"
followed=$(sed -n 's/^evtchn: \([0-9]*\) of [0-9]* notifications followed.*/\1/p' causality.out)
[ "${followed:-0}" -gt 0 ] || fail "no event-channel notification was followed by an upcall in a traced domain"

# The checker's own test: copies of the trace directory with one layer's
# clock moved must give violations.  Each case: the layer to move
# (hypervisor, domu), by how many ns, the pair type that must then be
# violated.
gap() { sed -n "s/^smallest gap per step (ns), $1: $2 \([0-9]*\)$/\1/p" causality.out; }
g_push=$(gap block 'push->request')
g_rx=$(gap 'net rx' 'response->rx')
[ -n "$g_push" ] && [ -n "$g_rx" ] || fail "lttng-xen-causality printed no smallest gap per step"
skew_case() { # TRACE NS KIND
	rm -rf skew && cp -r res/trace skew
	/usr/bin/python3 "$TOP/tests/lib/ctf-skew.py" "skew/$1" "$2" || fail "cannot move $1's clock by $2 ns"
	rc=0
	causality skew >skew.out 2>&1 || rc=$?
	n=$(sed -n "s/^$3  *[0-9][0-9]*  *\([0-9][0-9]*\) .*/\1/p" skew.out)
	[ $rc -eq 1 ] && [ "${n:-0}" -gt 0 ] ||
		{ cat skew.out; fail "$1 moved by $2 ns: lttng-xen-causality reported no $3 violation (exit $rc)"; }
	echo "ok: $1 moved by $2 ns: $n $3 violation(s) ($(grep 'pairs checked' skew.out))"
}
skew_case hypervisor 100000 hypercall
skew_case domu 100000 hypercall
skew_case domu $((g_push + 100000)) block
skew_case domu $((-g_rx - 100000)) "net rx"

# Where each domU request's time went (analyze/lttng-xen-latency): the
# table, the CSV files and the charts, in build/guest-e2e/latency/.
"$TOP/analyze/lttng-xen-latency" --csv "$out/latency" --charts "$out/latency" res/trace >latency.out 2>&1 ||
	{ cat latency.out; fail "lttng-xen-latency failed"; }
cp latency.out "$out/latency/latency.txt"
cat latency.out
for f in requests.csv latency.csv latency-breakdown.png latency.png; do
	[ -s "$out/latency/$f" ] || fail "lttng-xen-latency wrote no $f"
done
for kind in "block read" "block write" "net tx" "net rx"; do
	grep -q "^$kind,[1-9]" "$out/latency/latency.csv" || fail "the latency report has no $kind request"
done
# Each request's parts add up to its end-to-end time.
awk -F, 'NR > 1 && $3 + $4 + $5 + $6 != $2 { bad++ } END { exit bad > 0 }' "$out/latency/requests.csv" ||
	fail "in requests.csv some request's parts do not add up to its end-to-end time"
echo "ok: the latency report is in $out/latency"
