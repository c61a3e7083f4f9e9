# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the simulator tests (sourced): build the test client, start
# and stop lttng-xen-sim, read a trace back.  Run from the scratch dir.

SIM="$BUILD/bin/lttng-xen-sim"
here="$TOP/tests/sim"
[ -x "$SIM" ] || { echo "lttng-xen-sim is not built: run 'make all'" >&2; exit 1; }

build_client() {
	gcc -O1 -g -Wall -Wextra -Werror -std=gnu11 \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-I"$TOP/include" -I"$TOP/transport" -I"$GEN/xen" \
		-I"$TOP/ringbuffer" -I"$TOP/ringbuffer/user" -I"$TOP/ctf-writer" \
		-o sim-client "$here/sim-client.c" "$TOP"/transport/*.c \
		"$TOP"/ctf-writer/*.c "$BUILD/gen/ctfw-embed.c"
}

sim_pid=
stop_sim_on_exit() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	return 0
}
trap stop_sim_on_exit EXIT

# start_sim SOCKET ARGS...: runs the simulator, waits for its socket.
start_sim() {
	sock=$1
	shift
	"$SIM" --socket "$sock" "$@" 2>>sim.log &
	sim_pid=$!
	i=0
	while [ ! -S "$sock" ]; do
		kill -0 "$sim_pid" 2>/dev/null || { cat sim.log; echo "lttng-xen-sim exited" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "lttng-xen-sim did not listen on $sock in 10 s" >&2; exit 1; }
		sleep 0.1
	done
}

# stop_sim: SIGTERM; the simulator must exit 0 (after its summary).
stop_sim() {
	kill -TERM "$sim_pid"
	rc=0
	wait "$sim_pid" || rc=$?
	sim_pid=
	[ $rc -eq 0 ] || { cat sim.log; echo "lttng-xen-sim exited with $rc after SIGTERM" >&2; exit 1; }
	# A sanitizer build (make BUILD=... CFLAGS=-fsanitize=...) reports here.
	if grep -q 'Sanitizer\|runtime error' sim.log; then
		cat sim.log
		echo "lttng-xen-sim: sanitizer reports (above)" >&2
		exit 1
	fi
}

# trace_client SOCKET DIR ARGS...
trace_client() {
	sock=$1 dir=$2
	shift 2
	./sim-client trace "$sock" "$dir" "$@"
}

# check_babeltrace DIR: the CLI reads it all; only discard warnings.
check_babeltrace() {
	babeltrace2 "$1" > "$1.txt" 2> "$1.err" || { cat "$1.err"; echo "babeltrace2 failed on $1" >&2; exit 1; }
	if grep -v '^WARNING: Tracer discarded [0-9]* events between' "$1.err" | grep -q .; then
		cat "$1.err"
		echo "babeltrace2 printed unexpected messages" >&2
		exit 1
	fi
	echo "babeltrace2 printed $(wc -l < "$1.txt") events, $(wc -l < "$1.err") discard warnings"
}
