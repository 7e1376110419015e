#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback baseline
# timeout: 360
# jackd -d alsa -d ringpcm in duplex, MMAP through the plugin, side by side
# with the same jackd on Debian's snd-hda-intel (baseline controller) in the
# same boot: a JACK client plays white noise and jack_rec records the
# loopback to WAV (bit-exact for ringpcm), jack_iodelay measures the round
# trip, and jackd's CPU time and xruns are reported.  Periods of 1024 frames
# with the host's JACK server at its default 1024: QEMU's JACK audio backend
# then moves 4 KiB per burst, more than a 256 x 2 ring holds; 256-frame
# periods run over a 256-frame host server in 30-alsa-jackd-256.
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/jack-lib.sh
alsa_setup
export JACK_DEFAULT_SERVER=rpcm-test
[ -n "${RINGPCM_BASELINE_CARD:-}" ] || { fail alsa-jackd "no baseline card"; exit 0; }
BASE=hw:CARD=$RINGPCM_BASELINE_CARD
# 0.6 s of silence first: activating a JACK client (jack-play) reorders the
# graph, and under TCG jackd often xruns right then.
make_noise /tmp/noise.wav 2 && sox /tmp/noise.wav /tmp/play.wav pad 0.6 0.2
sox /tmp/noise.wav /tmp/noise-end.wav trim 1
declare -A LAT

# Noise into system:playback, jack_rec from system:capture, wavcmp.
jack_loop() { # name
	local rec=/tmp/$TAG.wav out	# tmpfs: jack_rec's disk thread overruns on 9p
	timeout 20 jack_rec -f "$rec" -d 4 system:capture_1 system:capture_2 >/tmp/jack_rec.txt 2>&1 &
	local rp=$!
	sleep 0.3
	timeout 15 jack-play /tmp/play.wav system:playback_1 system:playback_2
	wait $rp
	grep -v '^disk thread finished' /tmp/jack_rec.txt
	cp "$rec" "$R/"
	out=$(wavcmp /tmp/noise.wav "$rec" 2>&1) && { pass "$1"; return; }
	echo "$out"
	# An xrun in jackd loses a period: then the last second must be exact.
	if wavcmp /tmp/noise-end.wav "$rec" >/dev/null 2>&1; then
		echo "$1: the last second is bit-exact, the rest suffered jackd xruns" \
			"($(grep -ci xrun "$R/jackd-$TAG.log") lines)"
		pass "$1"
		return
	fi
	fail "$1" "$(wavcmp_why "$out")"
}

for n in 2 3; do
	for dev in ringpcm "$BASE"; do
		[ "$dev" = ringpcm ] && TAG=ringpcm-1024x$n || TAG=hda-intel-1024x$n
		jackd_start_checked "$dev" 1024 $n || continue
		if [ "$dev" = ringpcm ]; then
			pass alsa-jackd-$TAG-start
			# an xrun of the loaded host loses a period: shown, tried again
			jack_loop alsa-jackd-$TAG-record-bitexact 2>&1 | sed 's/^FAIL /first try: /' >/tmp/try1.txt
			if grep -q '^PASS' /tmp/try1.txt; then
				cat /tmp/try1.txt
			else
				cat /tmp/try1.txt
				jack_loop alsa-jackd-$TAG-record-bitexact
			fi
		fi
		jack_latency
		jackd_stop
		echo "$TAG: jackd cpu ${JACKD_CPU} ms/s, xrun lines ${JACKD_XRUNS}"
	done
	jack_latency_compare 1024 $n
done
exit 0
