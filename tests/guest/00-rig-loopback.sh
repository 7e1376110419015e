#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# needs: loopback baseline
# timeout: 60
# QEMU's JACK loopback returns what Debian's snd-hda-intel plays, bit for bit:
# arecord runs while aplay plays white noise on the baseline card, and
# wavcmp finds the whole noise in the recording.
. tests/guest/00-rig-lib.sh
need_baseline rig-loopback-bitexact
R=$RINGPCM_RESULTS
make_noise /tmp/noise.wav && pad_noise /tmp/noise.wav /tmp/play.wav
arecord -q -D "$dev" -f S16_LE -r 48000 -c 2 -d 4 "$R/loopback.wav" &
rec=$!
sleep 0.5
aplay -q -D "$dev" /tmp/play.wav || echo "FAIL rig-loopback-aplay: aplay failed"
wait $rec || echo "FAIL rig-loopback-arecord: arecord failed"
out=$(wavcmp /tmp/noise.wav "$R/loopback.wav" 2>&1)
st=$?
echo "$out"
if [ $st = 0 ]; then
	echo "PASS rig-loopback-bitexact"
else
	echo "FAIL rig-loopback-bitexact: $(echo "$out" | tail -n 2 | head -n 1)"
fi
