#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: wav
# configs: plain iommu swiotlb
# timeout: 90
# ringpcm-play of white noise comes out of the card bit for bit: zero copy
# (--mmap) from an anonymous ring, rpcm_write into a memfd ring, --mmap from a
# huge-page ring, and rpcm_write through the COPY DMA mode. Each play uses a
# distinct variant of the noise; 10-core-play-wav.host finds each one, whole
# and exact, in the WAV QEMU wrote. No trailing silence in the files: the
# library's drain must push the end out of the device.
. tests/guest/10-core-lib.sh

play() { # name variant options...
	local name=$1 ref=$R/core-play-$1.wav out st
	shift
	noise "$ref" 2 "$1"
	shift
	out=$($PLAY -p 4096 -n 4 "$@" "$ref" 2>&1)
	st=$?
	echo "$out" | sed 's/^/  /'
	[ $st = 0 ] && [ "$(report_field "$out" xruns)" = 0 ] &&
		[ "$(report_field "$out" frames)" = 96000 ]
	check "core-play-$name-runs" $? "status $st"
	sleep 0.2
}

play mmap-anon plain --mmap
play write-memfd reverse -r memfd
if huge_pages 4; then
	play mmap-huge swap --mmap -r huge
else
	fail core-play-mmap-huge-runs "no huge pages (nr_hugepages $(cat /proc/sys/vm/nr_hugepages))"
fi
play write-copy swap-reverse -D copy
wait_pinned -eq 0 2000
check core-play-nothing-pinned $? "pinned_pages $(pinned)"
sleep 2	# QEMU's wav backend lags behind the device: let it write the tail
exit 0
