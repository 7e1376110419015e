#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# needs: wav baseline
# timeout: 60
# The wav audiodev records exactly what Debian's snd-hda-intel plays: aplay of
# a white-noise file; 00-rig-wav.host finds it bit-exact in the baseline WAV.
. tests/guest/00-rig-lib.sh
need_baseline rig-wav-aplay
make_noise "$RINGPCM_RESULTS/noise.wav" && pad_noise "$RINGPCM_RESULTS/noise.wav" /tmp/play.wav
if out=$(aplay -q -D "$dev" /tmp/play.wav 2>&1); then
	echo "PASS rig-wav-aplay"
else
	echo "FAIL rig-wav-aplay: $out"
fi
