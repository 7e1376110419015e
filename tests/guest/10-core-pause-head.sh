#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain
# timeout: 60
# Pause and resume at 44.1 kHz on QEMU's controller, whose engine restarts
# its list at entry 0: the driver rotates the list to where it stopped.  That
# is a frame, and every entry must start 128-byte aligned, so the bytes up to
# the next boundary go through the stream's head buffer.  QEMU's engine moves
# by what its audio backend asks for: with the JACK rig or at 48 kHz (2 ms,
# 384 bytes) that always ends on a boundary, with the silent backend at
# 44.1 kHz it rarely does.  Each resume's debug line (dynamic debug) must
# show the head reaching the boundary, at least one through a non-empty
# head, and playback resumes where it stopped (rpcm-alsa-test's pause checks).
. alsa-plugin/test/guest-lib.sh
alsa_setup
ddc=/sys/kernel/debug/dynamic_debug/control
echo 'module ringpcm func hda_stream_program +p' >$ddc 2>/dev/null
dmesg -C
bad_runs=0
for run in 1 2 3; do
	out=$(rpcm-alsa-test -D ringpcm -r 44100 -p 2048 -n 4 -s 1.5 pause 2>&1) ||
		{ bad_runs=$((bad_runs + 1)); echo "$out" | sed 's/^/  /'; }
done
echo 'module ringpcm func hda_stream_program -p' >$ddc 2>/dev/null
check pause-head-44k-resume "$bad_runs" "$bad_runs of 3 pause/resume runs failed"
rot=$(dmesg | sed -n 's/.*list rotated to ring offset \([0-9]*\), \([0-9]*\) bytes through the head.*/\1 \2/p')
echo "resumes (ring offset, head bytes): $(echo $rot)"
bad=$(awk '($1 + $2) % 128 || $2 >= 128 { print }' <<<"$rot")
headed=$(awk '$2 > 0' <<<"$rot" | wc -l)
check pause-head-44k-aligned "$([ -n "$rot" ] && [ -z "$bad" ] && [ "$headed" -ge 1 ] &&
	echo 0 || echo 1)" "resumes: $(echo ${rot:-none logged}); $headed through the head; unaligned: $bad"
exit 0
