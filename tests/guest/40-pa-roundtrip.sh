#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback
# configs: plain iommu swiotlb
# timeout: 240
# PortAudio round trip through the RingPCM host API: pa-play (callback
# stream) plays white noise into QEMU's JACK loopback while pa-record
# (blocking stream) records it; the recording holds the original bit-exact
# (16-bit) at some offset.  Variants: anonymous ring (default), memfd ring,
# huge-page ring, the driver's COPY DMA mode, a FLAC recording, and a mono
# file (pa-play sends it to both channels unchanged).  A loaded host can make
# QEMU's JACK loopback itself drop a period: a mismatch is tried once more.
. tests/guest/40-pa-lib.sh

# Latency 0.1 s: this checks the data path, not the scheduling of a TCG guest.
LAT=0.1

# One attempt: record FILE (6 s: a loaded host can start pa-play late), play
# PLAY 0.4 s later, compare with REF.
attempt() { # ref play rec
	local out
	$REC -q -l $LAT -t 6 "$3" >/tmp/pa-rec.out 2>&1 &
	local pid=$!
	sleep 0.4
	if ! out=$($PLAY -q -l $LAT "$2" 2>&1); then
		wait $pid
		WHY="pa-play failed: $(quiet <<<"$out" | tail -n 1)"
		return 2
	fi
	if ! wait $pid; then
		WHY="pa-record failed: $(quiet </tmp/pa-rec.out | tail -n 1)"
		return 2
	fi
	quiet </tmp/pa-rec.out | sed 's/^/  /'
	out=$(build/wavcmp "$1" "$3" 2>&1) && { echo "$out" | sed 's/^/  /'; return 0; }
	echo "$out" | sed 's/^/  /'
	WHY=$(wavcmp_why "$out")
	return 1
}

loop() { # name ref play-file [env...]
	local name=pa-roundtrip-$1 ref=$2 play=$3 rec=$R/pa-roundtrip-$1.${EXT:-wav} st
	attempt "$ref" "$play" "$rec"
	st=$?
	if [ $st = 1 ]; then
		echo "  $name: not bit-exact ($WHY); once more"
		mv "$rec" "$rec.try1"
		attempt "$ref" "$play" "$rec"
		st=$?
	fi
	check "$name" $st "$WHY"
}

noise /tmp/pa-noise.wav 2 2 && pad /tmp/pa-noise.wav /tmp/pa-play.wav
loop anon-ring /tmp/pa-noise.wav /tmp/pa-play.wav
RINGPCM_PA_RING=memfd loop memfd-ring /tmp/pa-noise.wav /tmp/pa-play.wav
if [ -w /proc/sys/vm/nr_hugepages ] && { [ "$(cat /proc/sys/vm/nr_hugepages)" -ge 4 ] ||
	echo 4 >/proc/sys/vm/nr_hugepages; } &&
	[ "$(awk '/^HugePages_Free/ { print $2 }' /proc/meminfo)" -ge 2 ]; then
	RINGPCM_PA_RING=huge loop huge-ring /tmp/pa-noise.wav /tmp/pa-play.wav
else
	fail pa-roundtrip-huge-ring "no huge pages (nr_hugepages $(cat /proc/sys/vm/nr_hugepages))"
fi
RINGPCM_PA_DMA=copy loop copy-dma /tmp/pa-noise.wav /tmp/pa-play.wav
EXT=flac loop flac-file /tmp/pa-noise.wav /tmp/pa-play.wav
noise /tmp/pa-mono.wav 2 1 && pad /tmp/pa-mono.wav /tmp/pa-mono-play.wav
sox /tmp/pa-mono.wav /tmp/pa-mono-ref.wav remix 1 1
loop mono-file /tmp/pa-mono-ref.wav /tmp/pa-mono-play.wav
exit 0
