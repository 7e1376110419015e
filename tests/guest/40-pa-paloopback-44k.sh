#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback44k
# configs: plain
# timeout: 600
# PortAudio's loopback QA program, unmodified, whole, at 44.1 kHz with the
# host's JACK server at 44.1 kHz too, so that nothing between the guest's
# DMA and the loopback resamples: its rate/buffer sweep and its sample-format
# section (every PortAudio format, with and without clipping and dither,
# which paloopback always runs at 44.1 kHz) must all pass: no pops, no
# dropped or added frames, the right signal level.
. tests/guest/40-pa-lib.sh
T=$(pwd)
cd "$R" 2>/dev/null || cd /tmp		# paloopback writes WAV files here
paloopback_runs 44100
st=$?
out=$R/paloopback-44100.txt
awk '/Test Sample Formats/ { f = 1 } f && /^Sample format = / { n++ }
     f && /POP|DROP|ADD|No or low signal|ERROR/ { bad++; print "  not OK: " $0 }
     END { printf "  sample-format section: %d format runs, %d problem lines\n", n, bad
	   exit !(n >= 20 && !bad) }' "$out"
check pa-paloopback-44k-formats $? "sample-format section at 44.1 kHz not clean (above)"
grep -q 'QA SUCCEEDED' "$out"
check pa-paloopback-44k-whole $? "paloopback status $st: $(grep -E 'QA (SUCCEEDED|FAILED)' "$out")"
exit 0
