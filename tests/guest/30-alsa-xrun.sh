#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# timeout: 120
# An xrun provoked by stopping the application (SIGSTOP) is reported by the
# plugin the ALSA way: aplay prints its own "underrun!!!" (arecord
# "overrun!!!") exactly once, recovers through prepare, and what it plays
# after the xrun comes back bit-exact through the loopback.
. alsa-plugin/test/guest-lib.sh
alsa_setup

# Runs CMD in the background, stops it for 1.5 s after 1.2 s, waits for it.
# The stop is three times aplay's 0.5 s buffer: on a loaded host QEMU's
# audio backend moves the DMA position slower than real time, and a stop of
# 0.6 s once passed without an underrun in a CI-like run.
stop_for_a_while() { # errfile cmd...
	local err=$1 pid
	shift
	"$@" 2>"$err" &
	pid=$!
	sleep 1.2
	kill -STOP $pid
	sleep 1.5
	kill -CONT $pid
	wait $pid
}

make_noise /tmp/noise.wav 4 && pad /tmp/noise.wav /tmp/play.wav
sox /tmp/noise.wav /tmp/tail.wav trim 2.6	# the last 1.4 s: played after the xrun

# One try: 0 bit-exact tail, 1 tail not exact (loopback glitch?), 2 failure.
playback_xrun() { # name aplay-options
	local st n
	record_bg "$R/$1.wav" 9
	stop_for_a_while /tmp/aplay.err aplay $2 -D ringpcm /tmp/play.wav
	st=$?
	wait $REC_PID
	cat /tmp/aplay.err
	n=$(grep -c "underrun!!!" /tmp/aplay.err)
	if [ $st != 0 ] || [ "$n" != 1 ]; then
		WHY="aplay status $st, $n underrun reports: $(tr '\n' ' ' </tmp/aplay.err)"
		return 2
	fi
	out=$(wavcmp /tmp/tail.wav "$R/$1.wav" 2>&1) && return 0
	echo "$out"
	WHY="after the xrun: $(wavcmp_why "$out")"
	return 1
}

for mode in rw mmap; do
	opt=; [ $mode = mmap ] && opt=-M
	playback_xrun alsa-xrun-playback-$mode "$opt"
	st=$?
	if [ $st = 1 ]; then
		echo "once more ($WHY)"
		playback_xrun alsa-xrun-playback-$mode "$opt"
		st=$?
	fi
	check alsa-xrun-playback-$mode $st "$WHY"
done

for mode in rw mmap; do
	opt=; [ $mode = mmap ] && opt=-M
	stop_for_a_while /tmp/arecord.err arecord $opt -D ringpcm -f S16_LE -r 48000 -c 2 -d 3 \
		/tmp/overrun.wav
	st=$?
	cat /tmp/arecord.err
	n=$(grep -c "overrun!!!" /tmp/arecord.err)
	frames=$(soxi -s /tmp/overrun.wav 2>/dev/null)
	[ $st = 0 ] && [ "$n" = 1 ] && [ "$frames" = 144000 ]
	check alsa-xrun-capture-$mode $? "arecord status $st, $n overrun reports, $frames frames"
done
exit 0
