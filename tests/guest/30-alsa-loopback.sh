#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# timeout: 150
# aplay and arecord through the ringpcm ALSA plugin, bit-exact through QEMU's
# JACK loopback, in every pairing of read/write and mmap access; mono through
# ringpcm_plug (the conversion path) is duplicated bit-exactly; and the ring
# is alsa-lib's own page-aligned buffer, attached zero-copy (MAP_ONCE).
. alsa-plugin/test/guest-lib.sh
alsa_setup

# One loopback run: aplay with PLAY_OPTS, arecord with REC_OPTS.  A loaded
# host (QEMU in TCG, jackd's dummy clock) can make the loopback itself repeat
# or skip whole 256-frame JACK periods; such a run is shown and tried once
# more, so that only a reproducible difference fails.
loop_once() { # rec ref play-file play-opts rec-opts
	local out
	record_bg "$1" 4 $5
	if ! out=$(aplay -q $4 -D "${PLAY_DEV:-ringpcm}" "$3" 2>&1); then
		wait $REC_PID
		WHY="aplay: $out"
		return 2
	fi
	wait $REC_PID || { WHY="arecord failed"; return 2; }
	out=$(wavcmp "$2" "$1" 2>&1) && return 0
	echo "$out"
	WHY=$(wavcmp_why "$out")
	return 1
}

loop() { # name ref play-file play-opts rec-opts
	local st
	loop_once "$R/$1.wav" "$2" "$3" "$4" "$5"
	st=$?
	if [ $st = 1 ]; then
		echo "$1: not bit-exact ($WHY); once more"
		mv "$R/$1.wav" "$R/$1.try1.wav"
		loop_once "$R/$1.wav" "$2" "$3" "$4" "$5"
		st=$?
	fi
	check "$1" $st "$WHY"
}

make_noise /tmp/noise.wav 2 && pad /tmp/noise.wav /tmp/play.wav
loop alsa-loopback-rw-rw /tmp/noise.wav /tmp/play.wav "" ""
loop alsa-loopback-mmap-mmap /tmp/noise.wav /tmp/play.wav -M -M
loop alsa-loopback-rw-mmap /tmp/noise.wav /tmp/play.wav "" -M
loop alsa-loopback-mmap-rw /tmp/noise.wav /tmp/play.wav -M ""

# plug: a mono file is routed to both channels without touching a bit.
make_noise /tmp/mono.wav 1 1 && pad /tmp/mono.wav /tmp/mono-play.wav
sox /tmp/mono.wav /tmp/mono-ref.wav remix 1 1
PLAY_DEV=ringpcm_plug loop alsa-loopback-plug-mono /tmp/mono-ref.wav /tmp/mono-play.wav "" ""

# plug with rate conversion: 44.1 kHz plays, for its whole length.
make_noise /tmp/n441.wav 1 2 44100
t0=$(ms_now)
out=$(aplay -q -D ringpcm_plug /tmp/n441.wav 2>&1)
st=$? dt=$(( $(ms_now) - t0 ))
# The upper bound only catches a hang: the time includes the drain's tail
# (200 ms of QEMU's backend) and stretches on a loaded host (2.9 s seen).
[ $st = 0 ] && [ $dt -ge 900 ] && [ $dt -le 8000 ]
check alsa-plug-resample $? "aplay status $st in $dt ms: $out"

# The plain device offers only what the hardware does (16-bit samples).
sox /tmp/mono.wav -b 8 /tmp/u8.wav
out=$(aplay -q -D ringpcm /tmp/u8.wav 2>&1)
[ $? != 0 ] && grep -q "Sample format non available" <<<"$out"
check alsa-hw-only-formats $? "8-bit on the plain device: $out"

# Zero copy: the driver DMAs straight over alsa-lib's ring.
out=$(RINGPCM_DEBUG=1 aplay -q -D ringpcm /tmp/play.wav 2>&1 | grep '^ringpcm: ring')
grep -q "MAP_ONCE" <<<"$out" && [[ $out =~ ring\ 0x[0-9a-f]*000\  ]]
check alsa-zero-copy $? "ring attached as: ${out:-nothing}"
echo "$out"
exit 0
