#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 90
# A client killed with SIGKILL mid-stream releases everything: pinned pages
# return to 0 (anonymous, memfd and huge-page rings, playback and capture)
# and the stream reopens at once. SIGINT ends ringpcm-record with a valid
# WAV and ringpcm-play with status 130.
. tests/guest/10-core-lib.sh

noise /tmp/kill-noise.wav 5
noise /tmp/short-noise.wav 0.5

kill9() { # name command...
	local name=$1 pid
	shift
	"$@" >/tmp/$name.out 2>&1 &
	pid=$!
	if ! wait_pinned -gt 0 3000; then
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		fail "$name" "no pages pinned while streaming: $(cat /tmp/$name.out)"
		return
	fi
	sleep 0.3
	kill -9 $pid
	wait $pid 2>/dev/null
	wait_pinned -eq 0 2000
	check "$name-unpins" $? "pinned_pages $(pinned) after SIGKILL"
}

kill9 core-kill9-play-anon $PLAY -q -p 4096 /tmp/kill-noise.wav
kill9 core-kill9-play-memfd $PLAY -q -m -r memfd -p 4096 /tmp/kill-noise.wav
if huge_pages 4; then
	kill9 core-kill9-play-huge $PLAY -q -m -r huge -p 4096 /tmp/kill-noise.wav
else
	fail core-kill9-play-huge "no huge pages (nr_hugepages $(cat /proc/sys/vm/nr_hugepages))"
fi
kill9 core-kill9-record $REC -q -p 4096 -t 5 /tmp/kill-rec.wav

out=$($PLAY -q -p 4096 /tmp/short-noise.wav 2>&1)
check core-reopen-after-kill9 $? "$out"

$REC -q -p 2048 /tmp/sigint.wav >/tmp/sigint.out 2>&1 &
pid=$!
sleep 1.2
kill -INT $pid
wait $pid
st=$?
frames=$(soxi -s /tmp/sigint.wav 2>/dev/null)
[ $st = 0 ] && [ "${frames:-0}" -ge 24000 ]
check core-record-sigint-valid-wav $? "status $st, $frames frames: $(cat /tmp/sigint.out)"

$PLAY -q -p 2048 /tmp/kill-noise.wav >/tmp/play-int.out 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
st=$?
[ $st = 130 ] && grep -q interrupted /tmp/play-int.out
check core-play-sigint $? "status $st: $(cat /tmp/play-int.out)"
wait_pinned -eq 0 2000
check core-kill-nothing-pinned $? "pinned_pages $(pinned)"
exit 0
