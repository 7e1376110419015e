#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 60
# Disconnect: the controller is unbound from ringpcm while ringpcm-play and
# ringpcm-record stream. Both must end cleanly with status 3 and a clear
# message (the recording still a valid WAV), every pinned page must be
# released, and once the controller is bound again the stream works.
. tests/guest/10-core-lib.sh

PCI=${RINGPCM_HDA_PCI:-0000:00:08.0}
DRV=/sys/bus/pci/drivers/ringpcm

if [ ! -e $DRV/$PCI ]; then
	fail core-unplug "ringpcm is not bound to $PCI"
	exit 0
fi
noise /tmp/unplug-noise.wav 5
$PLAY -q -p 4096 /tmp/unplug-noise.wav >/tmp/unplug-play.out 2>&1 &
play=$!
$REC -q -p 4096 -t 5 /tmp/unplug-rec.wav >/tmp/unplug-rec.out 2>&1 &
rec=$!
sleep 1.2
echo "$PCI" >$DRV/unbind
wait $play
pst=$?
wait $rec
rst=$?
sed 's/^/  play: /' /tmp/unplug-play.out
sed 's/^/  record: /' /tmp/unplug-rec.out
[ $pst = 3 ] && grep -q 'disconnected' /tmp/unplug-play.out
check core-unplug-play-exits-cleanly $? "status $pst"
frames=$(soxi -s /tmp/unplug-rec.wav 2>/dev/null)
[ $rst = 3 ] && grep -q 'disconnected' /tmp/unplug-rec.out && [ "${frames:-0}" -gt 0 ]
check core-unplug-record-exits-cleanly $? "status $rst, WAV of ${frames:-no} frames"
wait_pinned -eq 0 2000
check core-unplug-unpins $? "pinned_pages $(pinned)"
[ ! -e /dev/ringpcmC0D0p ]
check core-unplug-removes-nodes $? "/dev/ringpcmC0D0p still exists"

echo "$PCI" >$DRV/bind
for i in $(seq 40); do [ -e /dev/ringpcmC0D0p ] && break; sleep 0.05; done
noise /tmp/short-unplug.wav 0.5
out=$($PLAY -q -p 4096 /tmp/short-unplug.wav 2>&1)
check core-unplug-rebind-plays $? "$out"
exit 0
