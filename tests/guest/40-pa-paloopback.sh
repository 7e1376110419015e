#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback
# configs: plain
# timeout: 600
# PortAudio's loopback QA program (qa/loopback, "paloopback"), unmodified,
# over QEMU's JACK loopback on the ringpcm card: it finds the cable, then
# plays and records sines through half- and full-duplex streams over buffer
# sizes and every sample format, checking for pops, dropped and added frames,
# and measuring the latency next to what Pa_GetStreamInfo reports.  Its full
# report is kept in the test log (and $RINGPCM_RESULTS/paloopback-48000.txt).
# -r 48000: the device's own rate and the JACK server's (paloopback's rate
# sweep also asks for 8 and 11.025 kHz, which the HDA codec does not offer).
# Its sample-format section always runs at 44.1 kHz (QEMU resamples it to
# the JACK server's 48 kHz); its glitches without xruns are not the
# resampler's (the same with JACK at 44.1 kHz): mostly capture ring laps the
# driver did not see while the TCG guest was stalled, and paloopback's own
# conversion buffer shared by its two callback threads in the non-float rows
# (see 40-pa-paloopback-44k, which counts what of it is ours).  Here the
# 48 kHz sweep and the latency are counted.
. tests/guest/40-pa-lib.sh
T=$(pwd)
cd "$R" 2>/dev/null || cd /tmp		# paloopback writes WAV files here
paloopback_runs 48000
st=$?
# The whole-program verdict includes the sample-format section: shown, not
# counted here (40-pa-paloopback-44k counts its paFloat32 rows at 44.1 kHz).
echo "INFO pa-paloopback-48k whole run, formats at 44.1 kHz (not counted here): $(grep -E 'QA (SUCCEEDED|FAILED)' "$R/paloopback-48000.txt" || echo "status $st")"

# Its parts, so that a failure says where: the 48 kHz rate/buffer sweep
# (both modes), and each run's reported vs measured round trip.
paloopback_rows '/Test Sample Formats/ { exit } /^\| +48000/ { row("") }' \
	'END { printf "  48 kHz sweep: %d rows without xruns, %d of them not OK; %d rows with xruns\n", n, nb, nx
	       exit !(n >= 10 && !nb) }' <"$R/paloopback-48000.txt"
check pa-paloopback-48k-sweep $? "48 kHz sweep: glitches without a reported xrun, or too few clean-running rows (above)"
awk -F'|' '/Test Sample Formats/ { exit } /Mode = One Stream/ { fd = 1 }
	fd && /^\| +48000/ && /OK - / { split($4, l, " "); n++; d = ($7 - l[3]) / l[3]
		if (d > 0.1 || d < -0.1) bad++; if (d < min || n == 1) min = d; if (d > max || n == 1) max = d }
	END { printf "  full duplex 48 kHz: measured round trip = reported %+.1f%% .. %+.1f%% (%d rows)\n",
		100 * min, 100 * max, n; exit !(n && !bad) }' "$R/paloopback-48000.txt"
check pa-paloopback-latency-matches-stream-info $? "measured round trip off the reported latency by more than 10%"
exit 0
