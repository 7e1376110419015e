#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu swiotlb
# timeout: 120
# Positions from the DMA position buffer (module option position=1, what
# Intel PCH and NVIDIA parts use) instead of LPIB: the controller writes each
# stream's position at 8 x its descriptor index.  rpcm-stream's position,
# rate, interrupt, pause and drain checks pass, and white noise recorded back
# through the loopback is bit-exact.  The module is loaded again with its
# defaults at the end, as the rest of the boot expects.
. tests/guest/10-core-lib.sh



if ! reload_ringpcm position=1; then
	fail posbuf-load "insmod position=1 failed"
	reload_ringpcm
	exit 0
fi
line=$(dmesg | grep 'ringpcm .*card 0:' | tail -n 1)
case $line in
*"positions from the position buffer"*) pass posbuf-probe ;;
*) fail posbuf-probe "the probe line does not name the position buffer: $line" ;;
esac

out=$(build/progs/rpcm-stream 1.5 2>&1)
echo "$out" | sed 's/^/  /'
bad=$(echo "$out" | grep -c '^FAIL')
check posbuf-stream "$([ "$bad" = 0 ] && echo "$out" | grep -q '^PASS' && echo 0 || echo 1)" \
	"$bad of rpcm-stream's checks failed with the position buffer"

loopback_bitexact posbuf
reload_ringpcm || fail posbuf-reload "insmod without options failed"
