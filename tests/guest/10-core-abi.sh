#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 60
# Every documented error of the ABI through raw ioctls on the real driver
# (EBUSY, EBADFD, EINVAL, EFAULT, E2BIG, EPIPE, the status page rules), and
# ringpcm-info against it: devices and capabilities listed, a status page
# read (once and watched), a busy stream and the pinned pages reported.
. tests/guest/10-core-lib.sh

build/progs/rpcm-abi-errors

out=$(build/ringpcm-info 2>&1)
st=$?
echo "$out" | sed 's/^/  /'
[ $st = 0 ] && grep -q '/dev/ringpcmC0D0p: card 0' <<<"$out" &&
	grep -q '/dev/ringpcmC0D0c: card 0' <<<"$out" && grep -q 'BDL entries:    up to' <<<"$out" &&
	grep -q 'mixer playback' <<<"$out"
check core-info-lists-devices $? "status $st"

out=$(build/ringpcm-info -s C0D0p -n 3 2>&1)
st=$?
echo "$out" | sed 's/^/  /'
[ $st = 0 ] && grep -q 'state:          OPEN' <<<"$out" && [ "$(grep -c '^OPEN ' <<<"$out")" = 2 ]
check core-info-status-watch $? "status $st"

exec 3<>/dev/ringpcmC0D0c	# hold the capture stream
out=$(build/ringpcm-info -s /dev/ringpcmC0D0c 2>&1)
st=$?
exec 3>&-
[ $st = 1 ] && grep -q 'in use by another process' <<<"$out"
check core-info-busy-stream $? "status $st: $out"

out=$(build/ringpcm-info --pinned 2>&1)
[ "$out" = "pinned pages: 0" ]
check core-info-pinned $? "$out"

out=$(build/ringpcm-info -s C7D0p 2>&1)
[ $? = 1 ] && grep -q 'does not exist' <<<"$out"
check core-info-missing-device $? "$out"
exit 0
