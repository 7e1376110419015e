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
# A run counts when the stream delivered callbacks for the whole time; the
# checks pa-ringpcm-check also makes (stream time, timeInfo order) are shown
# but are not this benchmark's business (PortAudio 19.6's ALSA backend
# freezes Pa_GetStreamTime between status updates, a known upstream issue).
ran() { # name file
	local n
	n=$(awk '$1 == "callbacks" { print $2 }' "$2")
	grep '^check-failed' "$2" | sed 's/^/  note: /'
	[ "${n:-0}" -ge $((SECS * 48000 / 1024 * 8 / 10)) ]
	check "$1" $? "only ${n:-0} callbacks in $SECS s: $(grep '^result' "$2")"
}
$CHECK "${args[@]}" >"$R/pa-bench-ringpcm.txt" 2>&1
ran pa-bench-ringpcm-ran "$R/pa-bench-ringpcm.txt"
if [ -n "$alsa_dev" ]; then
	RINGPCM_PA_DISABLE=1 $CHECK -d "$alsa_dev" "${args[@]}" >"$R/pa-bench-alsa.txt" 2>&1
	ran pa-bench-alsa-hw-ran "$R/pa-bench-alsa.txt"
else
	fail pa-bench-alsa-hw-ran "no ALSA hw device for the baseline card in pa_devs"
	: >"$R/pa-bench-alsa.txt"
fi

{
	printf '%-44s %14s %14s\n' "PortAudio full duplex, $SECS s" RingPCM "ALSA hw"
	for k in stream-output-latency-ms callbacks callback-interval-jitter-ms-stddev \
		callback-interval-jitter-ms-p99 callback-interval-jitter-ms-max \
		dac-time-jitter-ms-stddev dac-time-jitter-ms-max stream-time-advance-s cpu-load \
		process-cpu-ms-per-audio-s callbacks-with-xrun-flags; do
		printf '%-44s %14s %14s\n' "$k" \
			"$(awk -v k="$k" '$1 == k { print $2 }' "$R/pa-bench-ringpcm.txt")" \
			"$(awk -v k="$k" '$1 == k { print $2 }' "$R/pa-bench-alsa.txt")"
	done
} | tee "$R/pa-bench.txt" | sed 's/^/  /'
exit 0
