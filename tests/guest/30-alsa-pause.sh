#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: wav baseline
# timeout: 60
# Pause and resume through the ringpcm plugin: rpcm-alsa-test plays a frame
# counter, pauses 0.6 s mid-stream and resumes; 30-alsa-pause.host follows
# the counter through the host WAV.  The same run on Debian's snd-hda-intel
# (baseline controller) gives the reference: QEMU's codec drops what it has
# buffered when a stream stops, whichever driver stops it.
. alsa-plugin/test/guest-lib.sh
alsa_setup
out=$(rpcm-alsa-test -D ringpcm -p 2048 -n 4 -s 3 pause 2>&1)
st=$?
echo "$out"
check alsa-pause-resume $st "$(grep -m1 '^error' <<<"$out")"
if [ -n "${RINGPCM_BASELINE_CARD:-}" ]; then
	rpcm-alsa-test -D "hw:CARD=$RINGPCM_BASELINE_CARD" -p 2048 -n 4 -s 3 pause
fi
exit 0
