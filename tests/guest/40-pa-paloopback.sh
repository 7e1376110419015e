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
# An xrun of the host's JACK server drops or repeats a period in the rig's
# loop that no PortAudio stream is told of: each one the server logged
# during the run may explain one row that is not OK, no more.
hx=${PALOOPBACK_HOST_XRUNS:-0}
paloopback_rows '/Test Sample Formats/ { exit } /^\| +48000/ { row("") }' \
	'END { printf "  48 kHz sweep: %d rows without xruns, %d of them not OK; %d rows with xruns; host JACK server xruns: '"$hx"'\n", n, nb, nx
	       exit !(n >= 10 && nb <= '"$hx"') }' <"$R/paloopback-48000.txt"
check pa-paloopback-48k-sweep $? "48 kHz sweep: more glitches without a reported xrun than the host JACK server's xruns, or too few clean-running rows (above)"
# A row off by a whole number of the host JACK server's periods from the
# others, in a run during which that server logged xruns, lost (or gained)
# a period in the rig's loop, not in the driver: shown, not counted; at
# least 8 rows must count.
period_ms=$(awk -v p="${RINGPCM_JACK_PERIOD:-0}" -v r="${RINGPCM_JACK_RATE:-48000}" \
	'BEGIN { print 1000 * p / r }')
awk -F'|' -v xruns="${PALOOPBACK_HOST_XRUNS:-0}" -v pms="$period_ms" '
	/Test Sample Formats/ { exit } /Mode = One Stream/ { fd = 1 }
	fd && /^\| +48000/ && /OK - / { split($4, l, " "); n++; dev[n] = $7 - l[3]; tot[n] = l[3]; line[n] = $0 }
	END {
		for (i = 1; i <= n; i++) s[i] = dev[i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
		med = n ? s[int((n + 1) / 2)] : 0
		for (i = 1; i <= n; i++) {
			d = dev[i] / tot[i]
			if (d <= 0.1 && d >= -0.1) { counted++; if (!m || d < min) min = d; if (!m || d > max) max = d; m = 1; continue }
			k = pms > 0 ? int((dev[i] - med) / pms + ((dev[i] - med) < 0 ? -0.5 : 0.5)) : 0
			off = dev[i] - med - k * pms
			if (xruns > 0 && k != 0 && off <= 1.5 && off >= -1.5) {
				rig++; print "  off by " k " host JACK periods while it logged xruns (not counted):" line[i]
			} else { bad++; print "  off by more than 10%:" line[i] }
		}
		printf "  full duplex 48 kHz: measured round trip = reported %+.1f%% .. %+.1f%% (%d rows counted, %d lost to the rig)\n",
			100 * min, 100 * max, counted, rig
		exit !(counted >= 8 && !bad) }' "$R/paloopback-48000.txt"
check pa-paloopback-latency-matches-stream-info $? "measured round trip off the reported latency by more than 10% (above)"
exit 0
