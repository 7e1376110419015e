#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback256 baseline
# timeout: 300
# jackd -d alsa -d ringpcm -r 48000 -p 256 -n 2 and -n 3 (5.3 ms periods)
# in duplex over QEMU's JACK loopback, with the host's JACK server at 256
# frames as well so that QEMU moves 1 KiB bursts (at 1024 it moves 4 KiB,
# more than a 256 x 2 ring holds).  Side by side with the same jackd on
# Debian's snd-hda-intel (baseline controller) in the same boot:
# - jack-play plays a counter signal and jack_rec records the loop to WAV;
#   counter-check follows the counter through each channel (JACK carries
#   them in separate ports, and a late client can lose a period of one and
#   not the other).  Every sample must be the counter or silence (nothing
#   damaged: the path is bit-exact), except in a period a JACK client was
#   still reading or writing when the next cycle began (jackd_late_clients;
#   seen: jack_rec reading the last left sample after the next cycle's
#   capture had replaced it, with either driver), and what is
#   missing or repeated must be whole 256-frame JACK periods: with 5.3 ms
#   periods on a busy TCG host, JACK clients in the guest miss deadlines and
#   QEMU's JACK backend loses whole periods without telling the guest, with
#   either driver (snd-hda-intel's recording is followed too, for comparison).
#   A driver's position or sync error would show as damaged samples or as
#   gaps that are not whole periods.
# - jack_iodelay's round trip is snd-hda-intel's within QEMU's variation
#   (jack_latency_compare).
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/jack-lib.sh
alsa_setup
export JACK_DEFAULT_SERVER=rpcm-256
[ -n "${RINGPCM_BASELINE_CARD:-}" ] || { fail alsa-jackd-256 "no baseline card"; exit 0; }
BASE=hw:CARD=$RINGPCM_BASELINE_CARD
CHECK=alsa-plugin/test/counter-check.py
# 0.6 s of silence first (activating jack-play reorders the graph, and
# jackd often xruns right then), 3 s of counter, silence after.
$CHECK --write /tmp/counter.wav 3 && sox /tmp/counter.wav /tmp/play.wav pad 0.6 0.4
declare -A LAT

# Counter into system:playback, jack_rec from system:capture; counter-check's
# reports in $R/$TAG.runs.{0,1} (per channel), LOOP_XRUNS = jackd's xrun
# lines meanwhile, LOOP_LATE = of them the clients that overran a cycle.
jack_loop() {
	local rec=/tmp/$TAG.wav x0 l0	# tmpfs: jack_rec's disk thread overruns on 9p
	x0=$(jackd_xruns) l0=$(jackd_late_clients)
	timeout 20 jack_rec -f "$rec" -d 5 system:capture_1 system:capture_2 >/dev/null 2>&1 &
	local rp=$!
	sleep 0.3
	timeout 15 jack-play /tmp/play.wav system:playback_1 system:playback_2
	wait $rp
	LOOP_XRUNS=$(( $(jackd_xruns) - x0 )) LOOP_LATE=$(( $(jackd_late_clients) - l0 ))
	cp "$rec" "$R/"
	$CHECK --channel 0 "$rec" >"$R/$TAG.runs.0"
	$CHECK --channel 1 "$rec" >"$R/$TAG.runs.1"
}

# Counter frames channel C of the recording holds, over all its runs.
loop_frames() { # channel
	awk '/^run at/ { s += $7 } END { print s + 0 }' "$R/$TAG.runs.$1"
}

loop_summary() {
	local c
	for c in 0 1; do
		echo -n "channel $c: $(tail -n 1 "$R/$TAG.runs.$c"), $(loop_frames $c) of 144000; "
	done
	echo "$LOOP_XRUNS jackd xrun lines meanwhile ($LOOP_LATE clients overran a cycle)"
}

# Why channel C of the recording fails, nothing if it passes.
channel_fault() { # channel
	local other counted odd odd_frames
	other=$(sed -n 's/.* other=\([0-9]*\).*/\1/p' "$R/$TAG.runs.$1")
	counted=$(loop_frames "$1")
	# Gaps that are not whole periods, unless the damaged samples (which
	# break a run) or the clients that overran a cycle (cut off inside a
	# period: a 432-frame gap with 5 late clients, seen on a loaded host)
	# account for them.
	odd=$(sed -n 's/^gaps=//p' "$R/$TAG.runs.$1" | tr ',' '\n' |
		awk '$1 != "none" && $1 % 256 { printf "%s ", $1 }')
	odd_frames=$(awk '{ for (i = 1; i <= NF; i++) s += $i < 0 ? -$i : $i } END { print s + 0 }' <<<"$odd")
	if [ "${other:-1}" -gt $((256 * LOOP_LATE)) ]; then
		echo "${other:-?} samples are neither the counter nor silence" \
			"($LOOP_LATE clients overran a cycle)"
	elif [ "$counted" -lt 48000 ]; then
		echo "the counter did not come back ($counted of 144000 frames)"
	elif [ "$odd_frames" -gt $(( ${other:-0} + 256 * LOOP_LATE )) ]; then
		echo "gaps that are not whole 256-frame periods: $odd"
	fi
}

loop_verdict() { # name
	local c why=
	for c in 0 1; do
		why="$why$(channel_fault $c | sed "s/^/channel $c: /")"
	done
	[ -z "$why" ]
	check "$1" $? "$why"
}

for n in 2 3; do
	for dev in ringpcm "$BASE"; do
		[ "$dev" = ringpcm ] && TAG=ringpcm-256x$n || TAG=hda-intel-256x$n
		jackd_start_checked "$dev" 256 $n || continue
		[ "$dev" = ringpcm ] && pass alsa-jackd-$TAG-start
		jack_loop
		echo "$TAG: $(loop_summary)"
		[ "$dev" = ringpcm ] && loop_verdict alsa-jackd-$TAG-record
		jack_latency
		echo "$TAG: device xruns $(jackd_device_xruns)"
		jackd_stop
		echo "$TAG: jackd cpu ${JACKD_CPU} ms/s, xrun lines ${JACKD_XRUNS}"
	done
	jack_latency_compare 256 $n
done
exit 0
