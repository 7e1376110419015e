#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: wav
# timeout: 60
# aplay through the ringpcm plugin, read/write then mmap access, each with its
# own white noise; 30-alsa-playback.host finds both bit-exact in the host WAV.
# The drain must let the very end be heard (the driver's FIFO padding).
. alsa-plugin/test/guest-lib.sh
alsa_setup
make_noise "$R/alsa-rw.wav" 2
sox -R -n -r 48000 -c 2 -b 16 "$R/alsa-mmap.wav" synth 2 whitenoise vol 0.4
for mode in rw mmap; do
	opt=; [ $mode = mmap ] && opt=-M
	pad "$R/alsa-$mode.wav" /tmp/play.wav
	out=$(aplay -q $opt -D ringpcm /tmp/play.wav 2>&1)
	check alsa-aplay-$mode $? "aplay $opt: $out"
done
exit 0
