#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain swiotlb
# timeout: 90
# A capture period's sync or copy runs in the interrupt thread, not in the
# hard interrupt: the stream's hard interrupt time per interrupt (status
# page irq_ns) with 1 s periods stays that of 1024-frame periods, where a
# sync in the hard interrupt would add a whole period's bounce or copy; the
# reader still gets every frame.  The copy mode everywhere; map-once where
# its sync does work (swiotlb=force bounces every period).
. tests/guest/10-core-lib.sh

if ! huge_pages 2; then
	fail core-irq-work "no huge pages (nr_hugepages $(cat /proc/sys/vm/nr_hugepages))"
	exit 1
fi
if grep -qw swiotlb=force /proc/cmdline; then
	exec build/progs/rpcm-irq-work 2.5 map-once copy
fi
exec build/progs/rpcm-irq-work 2.5 copy
