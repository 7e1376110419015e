#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: wav baseline
# timeout: 60
# Pause and resume through the ringpcm plugin: rpcm-alsa-test plays a frame
# counter, pauses 0.6 s mid-stream and resumes; 30-alsa-pause.host follows
# the counter through the host WAV.  The same run on Debian's snd-hda-intel
# (baseline controller) gives the reference: QEMU's codec drops what it has
# buffered when a stream stops, whichever driver stops it.
# QEMU restarts its list at entry 0, so ringpcm resumes it with the list
# rotated to where it stopped; the driver's debug line for that (dynamic
# debug) must show the unaligned first bytes going through the head buffer,
# up to the next 128-byte boundary, so that every entry starts aligned.
. alsa-plugin/test/guest-lib.sh
alsa_setup
ddc=/sys/kernel/debug/dynamic_debug/control
echo 'module ringpcm func hda_stream_program +p' >$ddc 2>/dev/null
out=$(rpcm-alsa-test -D ringpcm -p 2048 -n 4 -s 3 pause 2>&1)
st=$?
echo 'module ringpcm func hda_stream_program -p' >$ddc 2>/dev/null
echo "$out"
check alsa-pause-resume $st "$(grep -m1 '^error' <<<"$out")"
rot=$(dmesg | sed -n 's/.*list rotated to ring offset \([0-9]*\), \([0-9]*\) bytes through the head.*/\1 \2/p')
# A pause that stopped the engine at ring offset 0 resumes the list as it
# was (nothing rotated, nothing logged): seen under iommu and swiotlb.
echo "resumes (ring offset, head bytes): ${rot:-none rotated}"
bad=$(awk 'NF && (($1 + $2) % 128 || $2 >= 128) { print }' <<<"$rot")
check alsa-pause-aligned-entries "$([ -z "$bad" ] && echo 0 || echo 1)" \
	"not aligned by the head: $bad"
if [ -n "${RINGPCM_BASELINE_CARD:-}" ]; then
	rpcm-alsa-test -D "hw:CARD=$RINGPCM_BASELINE_CARD" -p 2048 -n 4 -s 3 pause
fi
exit 0
