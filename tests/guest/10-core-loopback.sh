#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu swiotlb
# timeout: 120
# Capture is bit-exact: ringpcm-record records while ringpcm-play plays white
# noise through QEMU's JACK loopback, and wavcmp finds the whole noise in the
# recording, for each pairing of zero-copy (--mmap) and copying transfers,
# anonymous, memfd and huge-page rings, and the COPY DMA mode.
. tests/guest/10-core-lib.sh

loop() { # name variant "play options" "record options"
	local name=core-loopback-$1 ref=/tmp/loop-$1.wav rec=$R/core-loop-$1.wav pid out st
	noise "$ref" 2 "$2"
	lead_silence "$ref" /tmp/loop-play.wav
	$REC -q -p 4096 -n 4 -t 3.5 $4 "$rec" >/tmp/rec.out 2>&1 &
	pid=$!
	sleep 0.4
	out=$($PLAY -q -p 4096 -n 4 $3 /tmp/loop-play.wav 2>&1)
	st=$?
	echo "  play: $out"
	check "$name-play" $st "status $st"
	wait $pid
	st=$?
	echo "  record: $(cat /tmp/rec.out)"
	check "$name-record" $st "status $st"
	bitexact "$name-bitexact" "$ref" "$rec"
}

loop mmap-write plain "--mmap" ""
loop write-mmap reverse "-r memfd" "--mmap -r memfd"
if huge_pages 4; then
	loop huge swap "--mmap -r huge" "--mmap -r huge"
else
	fail core-loopback-huge "no huge pages (nr_hugepages $(cat /proc/sys/vm/nr_hugepages))"
fi
loop copy swap-reverse "-D copy" "--mmap -D copy"
wait_pinned -eq 0 2000
check core-loopback-nothing-pinned $? "pinned_pages $(pinned)"
exit 0
