#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: what lttng-xen does, end to end on this machine.
#
# Builds the patched hypervisor (make xen) and the dom0 tools, boots
# build/xen/xen under QEMU (TCG, 2 CPUs) with Debian's dom0 kernel and a
# busybox initramfs (tests/xen/lib.sh), and there, as a sysadmin would:
# `lttctl-xen start`, the workload the tests trace (tests/xen/workload.sh:
# xenstored and xl, busy loops on both vCPUs, CPU 1 offline and back
# online), `lttctl-xen stop`.  dom0 copies the trace out over 9p to
# build/demo/xen-trace; then a summary of it, read back with babeltrace2:
# events per type and CPU, duration, size, discarded events.
#
# Needs apt (Debian 12): the Xen source, Debian's kernel and xen-utils
# are fetched once.  Where that cannot be had it says why and points to
# `make demo-sim`, the same session against the simulator.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
export TOP BUILD
demo=$BUILD/demo
work=$demo/work
trace=$demo/xen-trace
t0=$(date +%s)

elapsed() { echo $(($(date +%s) - t0)); }
step() { printf '\n== [%3ss] %s\n' "$(elapsed)" "$*"; }
say() { printf '   [%3ss] %s\n' "$(elapsed)" "$*"; }

# A progress line every 15 s while a long step runs in the foreground.
ticker=
tick_start()
{
	what=$1
	(
		s=$(date +%s)
		while sleep 15; do
			printf '   [%3ss] ... %s (%ss so far)\n' \
				$(($(date +%s) - t0)) "$what" $(($(date +%s) - s))
		done
	) &
	ticker=$!
}
tick_stop()
{
	[ -z "$ticker" ] || kill "$ticker" 2>/dev/null || true
	[ -z "$ticker" ] || wait "$ticker" 2>/dev/null || true
	ticker=
}

# Why the demo could not run, and the way out.
phase="installing packages"
log=
finish()
{
	rc=$?
	tick_stop
	[ "$rc" -ne 0 ] || return 0
	echo >&2
	case $rc in
	129 | 130 | 143)
		# A signal (Ctrl-C): lib.sh's trap has stopped QEMU.
		echo "demo: interrupted while $phase" >&2
		exit "$rc" ;;
	esac
	# What lib.sh's steps said, if they failed with their output kept.
	[ -z "$log" ] || [ ! -s "$log" ] || tail -n 6 "$log" >&2
	if [ "$rc" -eq 77 ]; then
		echo "demo: cannot boot Xen on this machine: $phase failed," \
			"apt cannot provide the package (this needs Debian 12 with its apt sources reachable; see the SKIP above)." >&2
	else
		echo "demo: failed while $phase (exit $rc), see above." >&2
	fi
	echo "demo: 'make demo-sim' plays the same session against lttng-xen-sim," \
		"the user-space stand-in for the hypervisor; it needs no Xen, kernel or QEMU." >&2
	exit 1
}
trap finish EXIT

step "1. build: the dom0 tools (make all) and the hypervisor with lttng-xen (make xen)"
make --no-print-directory -C "$TOP" BUILD="$BUILD" all >/dev/null
for p in lttctl-xen lttd-xen; do
	nm "$BUILD/bin/$p" | grep -q ' lx_xen_open$' || {
		echo "demo: $BUILD/bin/$p was built without the Xen transport (libxen-dev)" >&2
		exit 1
	}
done
phase="building Xen (make xen: Debian's Xen 4.17 source with xen-patches/)"
say "building Xen; the first time takes several minutes"
make --no-print-directory -C "$TOP" BUILD="$BUILD" xen
say "built: $BUILD/xen/xen"

step "2. dom0: Debian's kernel and xen-utils, a busybox initramfs with lttctl-xen and lttd-xen"
rm -rf "$demo"
mkdir -p "$work"
cd "$work"
phase="installing QEMU and busybox"
log=$work/prepare.log
# lib.sh installs its packages and runs make xen (up to date by now).
. "$TOP/tests/xen/lib.sh" >"$work/prepare.log" 2>&1
phase="fetching Debian's dom0 kernel (apt-get download)"
mods="xen-privcmd xen-evtchn xenfs xen-gntdev xen-gntalloc virtio_pci 9pnet_virtio 9p"
say "fetching the kernel and xen-utils (once; log: $work/prepare.log)"
tick_start "fetching the kernel"
# shellcheck disable=SC2086
xen_boot_prepare $mods >>"$work/prepare.log" 2>&1
phase="fetching Debian's xen-utils-4.17 (apt-get download)"
xen_utils_prepare >>"$work/prepare.log" 2>&1
tick_stop
log=
say "kernel: $(basename "$vmlinuz"); xen-utils: ${xen_utils#"$BUILD"/}"
phase="making the initramfs"
# shellcheck disable=SC2086
xen_initramfs root $mods
xen_add_program root "$BUILD/bin/lttctl-xen" "$BUILD/bin/lttd-xen"
xen_add_utils root xen-hptool xenstored xen-init-dom0 xl
xen_workload root
{
	xen_dom0_lttng_init
	cat <<'EOT'
say "# lttctl-xen start"
lttctl-xen start >/tmp/start.out 2>&1 || fail "lttctl-xen start"
sed 's/^/dom0: /' /tmp/start.out
dir=$(lttctl-xen status --output-dir) || fail "lttctl-xen status --output-dir"
say "# /workload   (tests/xen/workload.sh)"
/workload || fail "the workload"
say "# lttctl-xen status"
lttctl-xen status >/tmp/status.out 2>&1 || fail "lttctl-xen status"
sed 's/^/dom0: /' /tmp/status.out
say "# lttctl-xen stop"
lttctl-xen stop >/tmp/stop.out 2>&1 || fail "lttctl-xen stop"
sed 's/^/dom0: /' /tmp/stop.out
say "copying $dir out over 9p"
EOT
	xen_dom0_trace_out
} >root/init
chmod +x root/init
xen_pack root "$initrd"
say "initramfs: $work/$initrd ($(du -h "$initrd" | cut -f1))"

step "3. boot build/xen/xen + $(basename "$vmlinuz") under QEMU (TCG, 2 CPUs); in dom0: start, workload, stop"
phase="booting Xen under QEMU"
mkdir -p out
say "console: $work/console.log"
tick_start "booting, tracing in dom0"
xen_qemu 300 console.log \
	-virtfs "local,path=$work/out,mount_tag=out,security_model=none"
tick_stop
grep -a -e '^(XEN) lttng' -e '^dom0: ' -e 'Panic' -e 'Xen call trace' console.log |
	sed 's/^/   /' || true
case $qemu_rc in
33) say "dom0 is done: Xen exited through isa-debug-exit, all steps passed" ;;
35) tail -n 30 console.log >&2; echo "demo: a step failed in dom0 (console: $work/console.log)" >&2; exit 1 ;;
124) tail -n 30 console.log >&2; echo "demo: the boot timed out after 300 s (console: $work/console.log)" >&2; exit 1 ;;
*) tail -n 30 console.log >&2; echo "demo: QEMU exited with $qemu_rc: Xen or dom0 crashed or powered off early (console: $work/console.log)" >&2; exit 1 ;;
esac
mv out/trace "$trace"
cp out/stop.out "$demo/stop.out"
cp console.log "$demo/console.log"

step "4. the trace, read back with babeltrace2"
phase="reading the trace back"
babeltrace2 --clock-seconds "$trace" >"$demo/trace.txt" 2>"$demo/bt.err" || {
	cat "$demo/bt.err" >&2; exit 1; }
# Events per type and CPU, most frequent first; the first and last times.
awk '{
	for (i = 1; i <= NF; i++)
		if ($i ~ /^[a-z0-9_]+:[a-z0-9_]+:$/) { ev = substr($i, 1, length($i) - 1); break }
	match($0, /cpu_id = [0-9]+/)
	cpu = substr($0, RSTART + 9, RLENGTH - 9)
	n[ev "\t" cpu]++; t[ev]++; total++
	if (!(cpu in cpus)) { cpus[cpu] = 1; ncpu++ }
	ts = substr($1, 2, length($1) - 2)
	if (first == "") first = ts; last = ts
} END {
	for (e in t) printf "%-30s %9d %9d %9d\n", e, n[e "\t0"], n[e "\t1"], t[e]
	printf "%d %s %s %d\n", total, first, last, ncpu > "/dev/stderr"
}' "$demo/trace.txt" 2>"$demo/total.txt" | sort -k4,4nr -k1,1 >"$demo/per-event.txt"
read -r total first last ncpu <"$demo/total.txt"
printf '%-30s %9s %9s %9s\n' event "CPU 0" "CPU 1" total
cat "$demo/per-event.txt"
printf '%-30s %9s %9s %9s\n' "($(wc -l <"$demo/per-event.txt") types)" \
	"$(awk '{ s += $2 } END { print s }' "$demo/per-event.txt")" \
	"$(awk '{ s += $3 } END { print s }' "$demo/per-event.txt")" "$total"
echo
hms() { date -u -d "@${1%.*}" +%H:%M:%S; }
echo "events:     $total from $ncpu CPUs"
echo "duration:   $(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.3f s", b - a }')," \
	"$(hms "$first").${first#*.} to $(hms "$last").${last#*.} UTC"
bytes=$(cat "$trace"/channel0_* | wc -c)
echo "size:       $(du -sh "$trace" | cut -f1) on disk: $bytes bytes of packets" \
	"($(awk -v b="$bytes" -v n="$total" 'BEGIN { printf "%.1f", b / n }') bytes per event)" \
	"+ $(wc -c <"$trace/metadata") bytes of metadata"
# lttctl-xen stop's table: "all PRODUCED DISCARDED LOST WRITTEN".
awk '$1 == "all" { printf "discarded:  %s (lost: %s) of %s events Xen produced\n", $3, $4, $2 }' "$demo/stop.out"
[ ! -s "$demo/bt.err" ] || { echo "babeltrace2 said:"; cat "$demo/bt.err"; }
echo
echo "The trace:     $trace"
echo "Read it with:  babeltrace2 ${trace#"$TOP"/}"
echo "Every event:   docs/events.md"
echo "Done in $(elapsed) s.  ('make demo-sim': the same session against the simulator)"
