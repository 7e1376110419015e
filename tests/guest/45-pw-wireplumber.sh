#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain
# timeout: 180
# WirePlumber 0.4.13 headless (no D-Bus: pw-lib.sh's pw_start_wp) beside the
# test daemon with the shipped drop-in: it makes ringpcm_output and
# ringpcm_input the default sink and source, and links a plain pw-play and
# pw-record (no target, no port configuration, no pw-link) to them by
# itself; the noise played comes back bit-exact through QEMU's loopback.
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/pw-lib.sh
alsa_setup
pw_setup
PW_TAG=wp
pw_start || { fail pw-wp-start "no nodes"; exit 1; }
pw_start_wp
check pw-wireplumber-headless-runs $? "$(tail -3 "$PW_DIR/wireplumber.log" | tr '\n' ' ')"
[ -n "$WP_PID" ] && kill -0 "$WP_PID" 2>/dev/null || { pw_stop; exit 0; }

src=$(pw-metadata -n default 0 default.audio.source 2>/dev/null | grep -o '"name":"[^"]*"')
sink=$(pw-metadata -n default 0 default.audio.sink 2>/dev/null | grep -o '"name":"[^"]*"')
echo "defaults: sink $sink, source $src"
[ "$sink" = '"name":"ringpcm_output"' ] && [ "$src" = '"name":"ringpcm_input"' ]
check pw-wireplumber-defaults $? "sink $sink source $src"

# Plain clients, linked by WirePlumber's policy alone.
# 1 s of silence first, as 45-pw-loopback: links made one port at a time
# must all exist before the noise starts.
make_noise /tmp/noise.wav 1.5 && sox /tmp/noise.wav /tmp/play.wav pad 1 0.2
wp_loop_once() { # rec
	local st i links
	pw-record --rate 48000 --channels 2 --format s16 "$1" &
	PWREC_PID=$!
	alsa_bg $PWREC_PID
	for i in $(seq 50); do
		pw-link -l 2>/dev/null | grep -q 'ringpcm_input:capture_FL' &&
			pw-link -l | grep -A2 '^ringpcm_input:capture_FL' | grep -q 'pw-record' && break
		sleep 0.1
	done
	pw-play /tmp/play.wav &
	local player=$!
	for i in $(seq 50); do
		pw-link -l 2>/dev/null | grep -A2 '^ringpcm_output:playback_FL' | grep -q 'pw-play' && break
		sleep 0.1
	done
	links=$(pw-link -l 2>/dev/null | tr '\n' ' ' | tr -s ' ')
	wait $player
	st=$?
	sleep 1
	kill -INT $PWREC_PID; wait $PWREC_PID
	LINKS=$links
	pw_loop_verdict $st "$1"
}
for try in 1 2 3; do
	wp_loop_once /tmp/wp-loop.wav
	st=$?
	cp /tmp/wp-loop.wav "$R/wp-loop.try$try.wav"
	echo "try $try: links: $LINKS; host jackd XRun lines $(grep -c XRun "$RINGPCM_JACK_LOG" 2>/dev/null)"
	[ $st = 1 ] || break
done
lst=0
for p in FL FR; do
	[[ "$LINKS" == *"pw-play:output_$p |-> ringpcm_output:playback_$p"* ]] &&
		[[ "$LINKS" == *"ringpcm_input:capture_$p |-> pw-record:input_$p"* ]] || lst=1
done
check pw-wireplumber-links-streams $lst "$LINKS"
check pw-wireplumber-play-record-bitexact $st "$WHY"
pw_stop_wp
pw_stop
exit 0
