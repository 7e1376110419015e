#!/bin/bash
# SPDX-License-Identifier: MIT
# Host tests of the RingPCM host API (installed as build/unit/pa-fake, run
# from the checkout root by tests/run-checks).  The host cannot load the
# driver, so:
#  - the real build/portaudio/libportaudio.so.2 is checked for what it must do
#    without a ringpcm device: load, list the other host APIs, no error;
#  - the same backend linked over a simulated device
#    (build/portaudio/fake/, portaudio-hostapi/test/fake-ringpcm.c) is run
#    through PortAudio's public API: device list, zero-copy ring, stop/abort,
#    failed start, xruns, and a pa-play -> pa-record round trip, bit-exact.
# Prints PASS/FAIL lines; exits 1 if any failed.
set -u
B=build/portaudio/bin
CHECK=$B/pa-ringpcm-check
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }
# check NAME STATUS OUTPUT: pass on status 0, else fail with the last line.
check() {
	if [ "$2" = 0 ]; then pass "$1"; else
		fail "$1" "status $2: $(grep -v '^ALSA\|^Cannot\|^jack\|^Jack' <<<"$3" | tail -n 1)"
		sed 's/^/  | /' <<<"$3" | grep -v 'ALSA lib\|Jack\|jack\|Cannot' | tail -n 15
	fi
}

# --- the real library, no device ---------------------------------------------
out=$(RINGPCM_PA_DEVDIR=$tmp/none $CHECK hostapis 2>&1)
st=$?
grep -q '^ringpcm absent' <<<"$out" || st=1
check pa-real-lib-ringpcm-absent-without-device $st "$out"
out=$($B/pa_devs 2>&1)
check pa-real-lib-pa_devs-without-device $? "$out"
ldd $B/pa_devs | grep -q "libportaudio.so.2 => $(pwd)/build/portaudio/"
check pa-real-lib-programs-use-built-library $? "$(ldd $B/pa_devs)"

# --- the backend over the simulated device ------------------------------------
mkdir -p "$tmp/dev" && touch "$tmp/dev/ringpcmC0D0p" "$tmp/dev/ringpcmC0D0c"
export RINGPCM_PA_DEVDIR=$tmp/dev LD_LIBRARY_PATH=build/portaudio/fake
run() { # name command...
	local name=$1 out st
	shift
	out=$("$@" 2>&1)
	st=$?
	check "$name" $st "$out"
}

out=$($CHECK hostapis 2>&1)
grep -q '^hostapi 0 RingPCM devices 1 default' <<<"$out"
check pa-fake-ringpcm-first-and-default $? "$out"
run pa-fake-callback-buffers-are-the-ring $CHECK zerocopy
run pa-fake-stop-abort-complete-prompt $CHECK stop
FAKE_RINGPCM_START_FAIL=1 run pa-fake-failed-start-returns-error $CHECK start-fail
# Generous latencies: the host may be loaded (other VMs); the stalls are x3 that.
run pa-fake-blocking-xrun-codes-and-recovery $CHECK -l 0.05 xrun-blocking
run pa-fake-callback-xrun-flags-and-recovery $CHECK -l 0.05 xrun-callback
FAKE_RINGPCM_SLEEP_AFTER=20 run pa-fake-callback-recovers-from-system-sleep $CHECK -l 0.05 sleep-callback
out=$(FAKE_RINGPCM_STALL_AFTER=5 timeout 20 $CHECK -s 1 timing 2>&1)
st=$?
[ $st = 124 ] && check pa-fake-stalled-device-never-hangs 124 "$out" ||
	check pa-fake-stalled-device-never-hangs 0 "$out"
# timing says "stream-started" while it streams, into a file (the bench's
# windows start from that line): printed and flushed at Pa_StartStream, not
# at exit.
$CHECK -s 3 timing >"$tmp/timing.out" 2>&1 &
pid=$!
st=1
for _ in $(seq 25); do
	grep -q '^stream-started' "$tmp/timing.out" && { kill -0 $pid && st=0; break; }
	sleep 0.1
done
wait $pid
check pa-fake-timing-says-stream-started-while-streaming $st "$(cat "$tmp/timing.out")"

# Round trip through the simulated loopback cable (0.5 s long, so that a
# loaded host delaying the simulation threads cannot tear it).
export FAKE_RINGPCM_DELAY=24000
sox -R -n -r 48000 -c 2 -b 16 "$tmp/noise.wav" synth 2 whitenoise
sox "$tmp/noise.wav" "$tmp/play.wav" pad 0.3 0
build/examples/pa-record -q -l 0.2 -t 3.5 "$tmp/rec.wav" >"$tmp/rec.out" 2>&1 &
pid=$!
sleep 0.3
out=$(build/examples/pa-play -q -l 0.2 "$tmp/play.wav" 2>&1)
check pa-fake-pa-play $? "$out"
wait $pid
check pa-fake-pa-record $? "$(cat "$tmp/rec.out")"
out=$(build/wavcmp "$tmp/noise.wav" "$tmp/rec.wav" 2>&1)
check pa-fake-roundtrip-bitexact $? "$out"
exit $failed
