#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make try-hvm` (tests/run tests/xen/try-hvm.sh): a manual experiment, not
# part of `make check`.  Does a full HVM guest (type = "hvm": hvmloader,
# SeaBIOS and QEMU's device model in dom0) run under the traced
# hypervisor, booted under QEMU TCG with -cpu qemu64,+svm,+npt, and what
# does lttng-xen record of it?
#
# One boot of build/xen (make xen) with Debian's dom0 kernel and a busybox
# initramfs holding lttctl-xen and lttd-xen, Debian's xen-utils-4.17 (xl,
# xenstored, xenconsoled, hvmloader), Debian's qemu-system-xen (the device
# model libxl starts: /usr/libexec/xen-qemu-system-i386, with its
# libraries), SeaBIOS (libxl hands it to hvmloader), QEMU's linuxboot
# option ROMs and keymaps.  The guest is Debian's kernel again with a
# busybox initrd, booted directly (xl's kernel=/ramdisk= for HVM: QEMU's
# -kernel, SeaBIOS loads it through fw_cfg), its console on the emulated
# serial port (a file in dom0).  In dom0: xenstored, xen-init-dom0,
# xenconsoled, `lttctl-xen start`, `xl create` the HVM guest, wait for
# "domU: up" on its serial console (HVM_WAIT seconds of dom0's uptime,
# default 900: it took 522 s on the first run), let
# it run HVM_RUN seconds (default 10), `xl destroy`, `lttctl-xen stop`;
# the trace and every log (xl's, qemu-dm's, the guest's serial console)
# are copied out, whatever happened to the guest.
#
# On the host: babeltrace2 reads the trace; the counts of hvm:* events per
# domain, and of the events naming I/O requests, are written to
# build/try-hvm/counts.txt, lttng-xen-analyze's tables (per domain) to
# build/try-hvm/analyze/; tests/xen/check-trace.py checks the hvm events
# the guest's VM exits make (see below).  build/try-hvm/ keeps the
# console, the logs and the trace.  Exits 0 if the guest came up and the
# check passed, 1 otherwise (saying where it stopped).
#
# Environment: HVM_WAIT, HVM_RUN (seconds), HVM_CFG_EXTRA (lines added to
# the guest's xl config, e.g. 'hap = 0'), XEN_CMDLINE (added to Xen's),
# XEN_QEMU_SLOW (lib.sh).
set -eu
scratch=$PWD
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/xen/lib.sh"

hvm_wait=${HVM_WAIT:-900}
hvm_run=${HVM_RUN:-10}
out_dir=$BUILD/try-hvm

xen_dom0_tools
"$TOP/mk/deps.sh" seabios qemu-system-data

mods="xen-privcmd xen-evtchn xenfs xen-gntdev xen-gntalloc virtio_pci 9pnet_virtio 9p"
# shellcheck disable=SC2086
xen_boot_prepare $mods
# shellcheck disable=SC2086
xen_initramfs root $mods
xen_utils_prepare

# Debian's qemu-system-xen, in the version apt offers, once: the package
# is kept in $boot and unpacked into $boot/qemu-xen.
qver=$(apt-cache policy qemu-system-xen 2>/dev/null | sed -n 's/^ *Candidate: //p')
case $qver in
"" | "(none)") skip "apt knows no qemu-system-xen (the device model of HVM guests)" ;;
esac
qstamp=$boot/qemu-system-xen_$(echo "$qver" | tr : _).stamp
if [ ! -f "$qstamp" ]; then
	rm -rf "$boot/qemu-xen" "$boot"/qemu-system-xen_*
	(cd "$boot" && apt-get download "qemu-system-xen=$qver") \
		>"$boot/download-qemu.log" 2>&1 || {
		cat "$boot/download-qemu.log" >&2
		skip "cannot download qemu-system-xen=$qver with apt-get download"
	}
	dpkg -x "$boot"/qemu-system-xen_*.deb "$boot/qemu-xen"
	touch "$qstamp"
fi
dm=$boot/qemu-xen/usr/libexec/xen-qemu-system-i386
[ -x "$dm" ] || die "qemu-system-xen=$qver has no /usr/libexec/xen-qemu-system-i386 (where Debian's libxl starts the device model)"
if ldd "$dm" | grep 'not found'; then
	die "the device model's libraries above are not installed on this host (ldd must find them to copy them into dom0)"
fi
hvmloader=$boot/xen-utils/usr/lib/xen-4.17/boot/hvmloader
[ -f "$hvmloader" ] || die "xen-utils-4.17 has no /usr/lib/xen-4.17/boot/hvmloader"
bios=/usr/share/seabios/bios-256k.bin
[ -f "$bios" ] || die "no $bios (Debian package seabios): libxl loads it for hvmloader"

xen_add_program root "$BUILD/bin/lttctl-xen" "$BUILD/bin/lttd-xen"
xen_add_utils root xenstored xen-init-dom0 xl xenconsoled
xen_add_program root "$dm"
mkdir -p root/usr/libexec root/usr/lib/xen-4.17/boot root/usr/share/seabios \
	root/usr/share/qemu
mv root/bin/xen-qemu-system-i386 root/usr/libexec/
cp "$hvmloader" root/usr/lib/xen-4.17/boot/
cp "$bios" root/usr/share/seabios/
# QEMU reads a keymap even with "-vnc none" (libxl's vnc = 0): without
# one it exits at once ("could not read keymap file: 'en-us'").
cp /usr/share/qemu/linuxboot.bin /usr/share/qemu/linuxboot_dma.bin root/usr/share/qemu/
cp -r /usr/share/qemu/keymaps root/usr/share/qemu/
echo "dom0 gets: $(du -sh root | cut -f1) (device model $qver, $(du -h "$dm" | cut -f1))"

# The guest: Debian's kernel and a busybox initrd whose init says
# "domU: up" on the serial console, does a little work (files, /proc),
# says "domU: worked" and idles until dom0 destroys it.
cat >domu-init <<'EOT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t tmpfs tmp /tmp
/bin/busybox mount -t devtmpfs dev /dev
echo "domU: up: Linux $(/bin/busybox uname -r), $(/bin/busybox cut -d' ' -f1 /proc/uptime) s after boot, $(/bin/busybox nproc) vCPU"
/bin/busybox dd if=/dev/zero of=/tmp/zero bs=64k count=64 2>/dev/null
/bin/busybox md5sum /tmp/zero /bin/busybox
/bin/busybox cat /proc/interrupts
echo "domU: worked: $(/bin/busybox cut -d' ' -f1 /proc/uptime) s after boot"
while :; do /bin/busybox sleep 3600; done
EOT
"$TOP/mk/domu-image.sh" root/domu "$vmlinuz" domu-init --dir-in-dom0 /domu
rm -f domu-init root/domu/domu.cfg root/domu/domu-pvh.cfg
cat >root/domu/domu-hvm.cfg <<EOT
name = "domu-hvm"
type = "hvm"
device_model_version = "qemu-xen"
kernel = "/domu/vmlinuz"
ramdisk = "/domu/initrd.cpio.gz"
cmdline = "console=ttyS0 rdinit=/init"
memory = 128
vcpus = 1
vif = []
disk = []
vga = "none"
vnc = 0
sdl = 0
nographic = 1
serial = "file:/var/log/xen/serial-domu-hvm.log"
on_poweroff = "destroy"
on_crash = "destroy"
${HVM_CFG_EXTRA:-}
EOT
echo "== the guest's xl config"
cat root/domu/domu-hvm.cfg

{
	xen_dom0_lttng_init
	cat <<EOT
hvm_wait=$hvm_wait
hvm_run=$hvm_run
EOT
	cat <<'EOT'
up() { cut -d' ' -f1 /proc/uptime; }
xen=/usr/lib/xen-4.17/bin
serial=/var/log/xen/serial-domu-hvm.log
# Whatever happened: the tracer stopped, the trace and the logs out.
finish_run() {
	if [ -n "${dir:-}" ]; then
		say "[$(up)] lttctl-xen stop"
		lttctl-xen stop >/tmp/stop.out 2>&1 || say "lttctl-xen stop failed"
		cat /tmp/stop.out
		cp -r "$dir" /out/trace || say "cannot copy the trace out"
	fi
	cp /tmp/*.out /out/ 2>/dev/null
	mkdir -p /out/logs
	cp -r /var/log/xen/. /out/logs/ 2>/dev/null
	ls -lR /var/log/xen >/out/logs/ls.txt 2>&1
	umount /out || say "umount /out failed"
	say "done: $1"
	xen_exit "$1"
}
grep -q control_d /proc/xen/capabilities || fail "not the control domain"
mkdir -p /var/run/xen /var/run/xenstored /var/lib/xen /var/lib/xenstored \
	/var/log/xen/console /run/lock /etc/xen /dev/pts
: >/etc/xen/xl.conf
mount -t devpts devpts /dev/pts
$xen/xenstored --pid-file=/var/run/xenstored.pid || fail "xenstored"
i=0
until $xen/xen-init-dom0 >/tmp/init-dom0.out 2>&1; do
	i=$((i + 1))
	[ $i -lt 25 ] || fail "xen-init-dom0"
	sleep 0.2
done
$xen/xenconsoled --log=guest --log-dir=/var/log/xen/console || fail "xenconsoled"
free | sed 's/^/dom0: free: /'

say "[$(up)] lttctl-xen start"
lttctl-xen start >/tmp/start.out 2>&1 || fail "lttctl-xen start"
cat /tmp/start.out
dir=$(lttctl-xen status --output-dir) || fail "lttctl-xen status --output-dir"

t0=$(up)
say "[$t0] xl create /domu/domu-hvm.cfg"
if ! $xen/xl -vvv create /domu/domu-hvm.cfg >/tmp/xl-create.out 2>&1; then
	say "[$(up)] xl create failed:"
	tail -n 40 /tmp/xl-create.out | sed 's/^/dom0: xl: /'
	for f in /var/log/xen/*.log; do
		[ -f "$f" ] && tail -n 30 "$f" | sed "s|^|dom0: $f: |"
	done
	finish_run 1
fi
say "[$(up)] xl create returned ($(awk -v a="$t0" -v b="$(up)" 'BEGIN { print b - a }') s)"
$xen/xl list | sed 's/^/dom0: xl: /'
ps | grep '[q]emu-system' | sed 's/^/dom0: ps: /'
# The deadline in dom0's uptime (under TCG a sleep loop's count is no
# clock), read with the shell's read: the loop forks only grep and sleep,
# and its report every 30 s, so as to take little from QEMU in dom0.
read -r u _ </proc/uptime
deadline=$((${u%.*} + hvm_wait)) next_say=$((${u%.*} + 30)) came_up=0
while :; do
	if grep -q 'domU: up' $serial 2>/dev/null; then came_up=1; break; fi
	read -r u _ </proc/uptime
	[ "${u%.*}" -lt $deadline ] || break
	if [ "${u%.*}" -ge $next_say ]; then
		next_say=$((next_say + 30))
		say "[$u] waiting for the guest: $(awk -v a="$t0" -v b="$u" 'BEGIN { print b - a }') s; serial console: $(wc -c <$serial 2>/dev/null || echo no file) bytes, last line: $(tail -n 1 $serial 2>/dev/null | sed 's/[^ -~]//g' | tail -c 100)"
		$xen/xl list | sed -n 's/^\(domu-hvm .*\)/dom0: xl: \1/p'
		top -b -n 1 | sed -n '2p;5,9p' | sed 's/^/dom0: top: /'
	fi
	sleep 1
done
t1=$(up)
if [ $came_up = 1 ]; then
	say "[$t1] HVM guest up $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s after xl create:"
	grep -a 'domU: up' $serial | sed 's/^/dom0: domu-hvm: /'
	sleep "$hvm_run"
	grep -a 'domU: worked' $serial | sed 's/^/dom0: domu-hvm: /'
else
	say "[$t1] FAIL: the HVM guest did not say 'domU: up' in $hvm_wait s; its serial console's end:"
	tail -n 30 $serial 2>/dev/null | sed 's/^/dom0: domu-hvm: /'
fi
$xen/xl list | sed 's/^/dom0: xl: /'
$xen/xl destroy domu-hvm >/tmp/xl-destroy.out 2>&1 || say "xl destroy failed"
say "[$(up)] destroyed"
for f in /var/log/xen/*.log; do
	[ -f "$f" ] && tail -n 30 "$f" | sed "s|^|dom0: $f: |"
done
[ $came_up = 1 ] && finish_run 0
finish_run 1
EOT
} >root/init
chmod +x root/init
xen_pack root "$initrd"
echo "initramfs: $(du -h "$initrd" | cut -f1)"

rm -rf out "$out_dir"
mkdir out
mkdir -p "$out_dir"
XEN_QEMU_CPU=qemu64,+svm,+npt
# dom0 boots in ~15 s, xl create takes ~10 s; the trace and logs to copy.
secs=$((hvm_wait + hvm_run + 400))
echo "$(date -u +%T) booting build/xen/xen + $(basename "$vmlinuz") under QEMU (-cpu $XEN_QEMU_CPU; at most $secs s; log: $scratch/console.log)"
host_start=$(date +%s)
xen_qemu "$secs" console.log \
	-virtfs "local,path=$scratch/out,mount_tag=out,security_model=none"
echo "$(date -u +%T) QEMU exited $qemu_rc after $(($(date +%s) - host_start)) s"
cp console.log "$out_dir/console.log"
cp -r out/. "$out_dir/"
grep -a -e 'dom0: ' -e '^(XEN) .*d[1-9]' -e 'HVM: SVM' -e 'HAP' \
	-e 'Panic' -e 'Xen call trace' console.log | head -n 400 || true

case $qemu_rc in
33) echo "ok: the HVM guest came up; trace in $out_dir/trace" ;;
35) echo "FAIL: dom0 says the HVM guest did not come up or a step failed (logs: $out_dir/logs)" ;;
124) tail -n 30 console.log; die "timed out after $((secs * ${XEN_QEMU_SLOW:-1})) s" ;;
*) tail -n 30 console.log; die "QEMU exited with $qemu_rc: Xen or dom0 crashed or powered off early" ;;
esac
[ -d out/trace ] || die "no trace came out"
bt_read --discards out/trace bt
{
	echo "# try-hvm: $(date -u +%FT%TZ), QEMU rc $qemu_rc"
	echo "# hvm:* events (count; the records name no domain: see analyze/)"
	awk '$4 ~ /^hvm:/ { sub(/:$/, "", $4); print $4 }' bt.txt | sort | uniq -c | sort -rn
	echo "# every event type (count)"
	awk '{ sub(/:$/, "", $4); print $4 }' bt.txt | sort | uniq -c | sort -rn
} >"$out_dir/counts.txt"
cat "$out_dir/counts.txt"
# Per domain (each event attributed to the vCPU running on its CPU):
# lttng-xen-analyze's report and CSV files.
make --no-print-directory -C "$TOP" BUILD="$BUILD" "$BUILD/bin/lttng-xen-analyze"
"$BUILD/bin/lttng-xen-analyze" --csv "$out_dir/analyze" \
	--text "$out_dir/analyze/report.txt" out/trace ||
	fail "lttng-xen-analyze on the trace"
echo "== VM exits per domain and reason ($out_dir/analyze/vmexits.csv)"
cat "$out_dir/analyze/vmexits.csv"
echo "== the 15 most accessed I/O ports and MMIO addresses ($out_dir/analyze/hvm_io.csv)"
head -n 1 "$out_dir/analyze/hvm_io.csv"
sed 1d "$out_dir/analyze/hvm_io.csv" | sort -t, -k4,4nr | head -n 15
[ $qemu_rc -eq 33 ] || exit 1

# What the guest makes Xen record, checked with the e2e test's checker
# (tests/xen/check-trace.py): the hvm events of its VM exits on a CPU while
# it ran there, at a tenth of one run's counts where its boot fixes them
# (2026-12-07: vmexit 170 917, ioport_read 55 435, ioport_write 53 582,
# npf 1 227, iomem_write 878, cpuid 745, iomem_read 349), at least one
# where they depend on time (rdtsc, interrupts, HLT); the emulated PIC and
# PIT (Xen's own device models, which a PVH guest does not have), anywhere;
# and QEMU's answers to the guest's I/O requests: event-channel sends from
# dom0 to domain 1 (83 258 in that run; every evtchn:send checked).
hvm_req=
for e in hvm:vmexit:17000 hvm:vmentry:17000 hvm:ioport_read:5000 \
	hvm:ioport_write:5000 hvm:npf:100 hvm:iomem_write:80 hvm:cpuid:70 \
	hvm:iomem_read:30 hvm:cr_read:1 hvm:cr_write:1 hvm:msr_read:1 \
	hvm:msr_write:1 hvm:rdtsc:1 hvm:vmmcall:1 hvm:intr:1 hvm:intr_window:1 \
	hvm:inj_virq:1 hvm:hlt:1; do
	hvm_req="$hvm_req --require-hvm $e"
done
echo "== check-trace.py (a few minutes: every event through bt2)"
# shellcheck disable=SC2086
/usr/bin/python3 "$TOP/tests/xen/check-trace.py" out/trace --cpus 2 \
	--stop out/stop.out --domains 0,1,32767 --hvm-domu 1 $hvm_req \
	--require hvm:pic_int_output:1 --require hvm:pic_intack:1 \
	--require hvm:lapic_pic_intr:1 --require hvm:pit_timer_cb:1 \
	--evtchn --require evtchn:send,domain=0,remote_domain=1:1000 \
	--domain-name 0=Domain-0 --domain-name 1=domu-hvm \
	>"$out_dir/check-trace.txt" 2>&1 || {
	tail -n 40 "$out_dir/check-trace.txt"
	die "the trace does not hold what the HVM guest should have made Xen record ($out_dir/check-trace.txt)"
}
grep -e '^ok' -e '^domain 1' "$out_dir/check-trace.txt"
echo "ok: the HVM guest ran and its VM exits, emulated PIC/PIT and I/O requests are in the trace ($out_dir)"
