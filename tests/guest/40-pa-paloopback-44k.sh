#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback44k
# configs: plain
# timeout: 720
# PortAudio at 44.1 kHz with the host's JACK server at 44.1 kHz too, so that
# nothing between the guest's DMA and the loopback resamples.  paloopback's
# sample-format section always runs here, with framesPerBuffer unspecified
# and the default low latencies: the host API plans 224-frame periods
# (896 bytes, not a power of two) in a ring of 12.
#
# What its "POP"s without any over/underflow were, from its saved waves (the
# test sine fitted per capture period; recording frame 0 = capture ring
# position 0):
#  - on a loaded host, the recording jumps forward by exactly one or two whole
#    capture rings (12 x 224 = 2688 frames; 5376 with a 24-period ring) at a
#    capture period boundary, each period clean on both sides: the DMA went
#    once more round the ring than the driver's position showed, so neither
#    the driver nor the host API saw the overrun.  That happens when the TCG
#    guest does not run for longer than the ring takes (QEMU's codec moves
#    up to info.fifo_bytes in one burst while the vCPUs are descheduled) and
#    the interrupt then lands past the next period end, where the driver's
#    lap accounting (kernel/pcm-stream.c, ringpcm_lost_laps) adds no lap.
#    That is ours (the driver's), not the host API's, and it is counted.
#  - shifts by whole JACK periods (1024 frames) at 1024-frame positions,
#    when the host's JACK server or QEMU's JACK client falls behind: QEMU's.
#  - garbage inside periods in the non-float rows: paloopback runs its input
#    and output streams' callbacks on two threads at once and both convert
#    through one static buffer (g_ConversionBuffer in paqa.c); the two
#    callbacks overlap in most rows (counted with an instrumented copy), so
#    those rows test paloopback, not the stream.  Not counted.  In a run
#    with no xrun anywhere (guest or host JACK server), 10 of the 16
#    non-float rows had only such garbage while all 4 paFloat32 rows and
#    all 20 (paFloat32) sweep rows were clean.
# So this test counts: (1) a bit-exact PortAudio round trip whose playback
# is exactly that geometry (pa-play: callback, framesPerBuffer unspecified,
# lowest latency, paInt16 straight on the ring; pa-record reads blocking in
# 1024-frame chunks, so its ring is its own); (2) paloopback's 44.1 kHz sweep and its
# paFloat32 format rows (no shared buffer), where every row without a
# reported over/underflow must be clean, and enough such rows must exist.
# Rows with a reported xrun were announced to the application: shown, not
# failed.  The other format rows and the whole-program verdict are shown.
. tests/guest/40-pa-lib.sh
T=$(pwd)
JACK_LOG=${RINGPCM_JACK_LOG:-/run/rig/jackd.log}
jack_xruns() { grep -c 'XRun' "$JACK_LOG" 2>/dev/null || echo 0; }

# (1) Bit-exact, played at paloopback's format-section geometry.  Latency
# 1 ms asks for the lowest the planner gives: 224 x 12 at 44.1 kHz on QEMU's
# codec (shown, and checked for playback, from RINGPCM_DEBUG).  A try during which the host's JACK
# server had xruns proves nothing: tried again (at most 3 times).
sox -R -n -r 44100 -c 2 -b 16 /tmp/pa44-noise.wav synth 3 whitenoise
pad /tmp/pa44-noise.wav /tmp/pa44-play.wav
for try in 1 2 3; do
	x0=$(jack_xruns)
	RINGPCM_DEBUG=1 $REC -q -r 44100 -l 0.001 -t 8 $R/pa44-lowlat.wav >/tmp/pa44-rec.out 2>&1 &
	pid=$!
	sleep 0.4		# pa-play may take seconds to start on a loaded host: 8 s
	RINGPCM_DEBUG=1 $PLAY -q -l 0.001 /tmp/pa44-play.wav >/tmp/pa44-play.out 2>&1
	pst=$?
	wait $pid
	rst=$?
	geo=$(cat /tmp/pa44-rec.out /tmp/pa44-play.out | grep -o 'ringpcmC[0-9]*D[0-9]*[pc]: 44100 Hz, [0-9]* ch, period [0-9]* x [0-9]*' | sort -u)
	echo "$geo" | sed 's/^/  /'
	grep -h -e '^pa-record:' -e '^pa-play:' /tmp/pa44-rec.out /tmp/pa44-play.out | sed 's/^/  /'
	cmp=$(build/wavcmp /tmp/pa44-noise.wav $R/pa44-lowlat.wav 2>&1)
	ok=$?
	echo "$cmp" | sed 's/^/  /'
	x1=$(jack_xruns)
	[ $ok = 0 ] || [ "$x1" = "$x0" ] && break
	echo "  try $try not bit-exact while the host's JACK server had $((x1 - x0)) xruns: again"
done
[ $pst = 0 ] && [ $rst = 0 ] || { ok=1; cmp="pa-play status $pst, pa-record status $rst"; }
check pa-44k-lowlatency-bitexact $ok "$(wavcmp_why "$cmp")"
echo "$geo" | grep -q 'D0p: .* period 224 x 12'
check pa-44k-lowlatency-play-geometry $? "expected playback 224 x 12, got: $(echo $geo)"

# (2) paloopback, unmodified, whole.
cd "$R" 2>/dev/null || cd /tmp		# paloopback writes WAV files here
paloopback_runs 44100
st=$?
out=$R/paloopback-44100.txt
paloopback_rows '/Test Sample Formats/ { exit } /^\| +44100/ { row("") }' \
	'END { printf "  44.1 kHz sweep: %d rows without xruns, %d of them not OK; %d rows with xruns\n", n, nb, nx
	       exit !(n >= 10 && !nb) }' <"$out"
check pa-paloopback-44k-sweep $? "44.1 kHz sweep: glitches without a reported xrun, or too few clean-running rows (above)"
paloopback_rows '/Test Sample Formats/ { f = 1 } f && /^Sample format = / { fmt = $0 }
	f && /^\| +44100/ { if (fmt ~ /paFloat32/) row(""); else { o++; if ($8 !~ /OK - /) ob++ } }' \
	'END { printf "  formats: %d paFloat32 rows without xruns, %d of them not OK; %d with xruns\n", n, nb, nx
	       printf "  formats through paloopback'"'"'s shared conversion buffer (not counted): %d of %d rows not OK\n", ob, o
	       exit !(n >= 2 && !nb) }' <"$out"
check pa-paloopback-44k-float-formats $? "paFloat32 rows at 44.1 kHz, framesPerBuffer unspecified: glitches without a reported xrun, or fewer than 2 clean-running rows (above)"
echo "INFO pa-paloopback-44k whole run (not counted: see the header): $(grep -E 'QA (SUCCEEDED|FAILED)' "$out" || echo "status $st")"
exit 0
