#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback baseline
# configs: plain
# timeout: 150
# Benchmark, side by side in one boot: a full-duplex PortAudio callback
# stream (paInt16 stereo, 48 kHz, 1024-frame buffers, 0.1 s latency) on the
# RingPCM host API (ringpcm.ko) and on PortAudio's ALSA host API over Debian's
# snd-hda-intel driving the second, identical emulated controller.  Reports
# callback interval jitter, DAC timestamp jitter, Pa_GetStreamCpuLoad and the
# process's CPU time per second of audio, into the log and
# $RINGPCM_RESULTS/pa-bench.txt.  PASS means both streams ran; the numbers
# are measurements (TCG inflates CPU times: compare within the boot).
. tests/guest/40-pa-lib.sh
SECS=${PA_BENCH_SECONDS:-8}
args=(-s "$SECS" -f 1024 -l 0.1 timing)

alsa_dev=$($PA/pa_devs 2>/dev/null | sed -n 's/^Name *= \(.*(hw:[0-9]*,0)\)$/\1/p' | head -n 1)
echo "  RingPCM device: $($PA/pa_devs 2>/dev/null | sed -n 's/^Name *= \(.*ringpcmC.*\)$/\1/p' | head -n 1)"
echo "  ALSA device: ${alsa_dev:-none} (baseline card ${RINGPCM_BASELINE_CARD:-?})"
$CHECK "${args[@]}" >"$R/pa-bench-ringpcm.txt" 2>&1
st1=$?
check pa-bench-ringpcm-ran $st1 "$(grep -E '^check-failed|^result' "$R/pa-bench-ringpcm.txt" | head -n1)"
if [ -n "$alsa_dev" ]; then
	RINGPCM_PA_DISABLE=1 $CHECK -d "$alsa_dev" "${args[@]}" >"$R/pa-bench-alsa.txt" 2>&1
	st2=$?
	check pa-bench-alsa-hw-ran $st2 "$(grep -E '^check-failed|^result' "$R/pa-bench-alsa.txt" | head -n1)"
else
	fail pa-bench-alsa-hw-ran "no ALSA hw device for the baseline card in pa_devs"
	: >"$R/pa-bench-alsa.txt"
fi

{
	printf '%-44s %14s %14s\n' "PortAudio full duplex, $SECS s" RingPCM "ALSA hw"
	for k in stream-output-latency-ms callbacks callback-interval-jitter-ms-stddev \
		callback-interval-jitter-ms-p99 callback-interval-jitter-ms-max \
		dac-time-jitter-ms-stddev dac-time-jitter-ms-max cpu-load \
		process-cpu-ms-per-audio-s callbacks-with-xrun-flags; do
		printf '%-44s %14s %14s\n' "$k" \
			"$(awk -v k="$k" '$1 == k { print $2 }' "$R/pa-bench-ringpcm.txt")" \
			"$(awk -v k="$k" '$1 == k { print $2 }' "$R/pa-bench-alsa.txt")"
	done
} | tee "$R/pa-bench.txt" | sed 's/^/  /'
exit 0
