#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 90
# Xruns are reported (XRUN state, counter, POLLERR, -EPIPE) and recovered
# from (build/progs/rpcm-xrun); ringpcm-play and ringpcm-record, stopped
# with SIGSTOP mid-stream, count the xrun, recover and finish normally.
. tests/guest/10-core-lib.sh

build/progs/rpcm-xrun

# A stopped process cannot feed its ring: 0.6 s of SIGSTOP is several rings.
sigstop_run() { # name command...
	local name=$1 pid out st
	shift
	"$@" >/tmp/$name.out 2>/tmp/$name.err &
	pid=$!
	sleep 1
	kill -STOP $pid
	sleep 0.6
	kill -CONT $pid
	wait $pid
	st=$?
	out=$(cat /tmp/$name.out)
	echo "  $out"
	check "$name-finishes" $st "exit status $st: $(tail -n 3 /tmp/$name.err)"
	[ "$(report_field "$out" xruns)" -ge 1 ] 2>/dev/null &&
		[ "$(report_field "$out" driver-xruns)" -ge 1 ] 2>/dev/null
	check "$name-counts-xruns" $? "report: $out"
}

noise /tmp/xrun-noise.wav 3
sigstop_run core-play-sigstop $PLAY -q -p 1024 -n 4 /tmp/xrun-noise.wav
out=$(cat /tmp/core-play-sigstop.out)
[ "$(report_field "$out" frames)" = 144000 ]
check core-play-sigstop-plays-everything $? "report: $out"

sigstop_run core-record-sigstop $REC -q -p 1024 -n 4 -t 3 /tmp/xrun-rec.wav
[ "$(soxi -s /tmp/xrun-rec.wav 2>/dev/null)" = 144000 ]
check core-record-sigstop-valid-file $? "soxi: $(soxi -s /tmp/xrun-rec.wav 2>&1)"
wait_pinned -eq 0 2000
check core-xrun-nothing-pinned $? "pinned_pages $(pinned)"
exit 0
