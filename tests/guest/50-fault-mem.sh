#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 180
# Rings in every kind of memory (build/progs/fault-mem): aligned to
# info.ring_align but not to a page, memfd (also at a file offset), huge
# pages (hugetlb, also off the huge page's start; transparent), MAP_SHARED
# and MAP_PRIVATE tmpfs files (and the file truncated under a running ring),
# across two separate adjacent mappings, one ring under both directions:
# accepted, exactly the spanned pages pinned, streaming, released on close.
# Off by a frame, a byte, 4 GiB: EINVAL; off ring_align: E2BIG; into a
# hole, read-only memory, the status page, the vDSO: EFAULT, nothing
# pinned. The status page cannot be written through /proc/self/mem.
# (Bit-exact data through such rings: 50-fault-loopback.)
. tests/guest/50-fault-lib.sh

build/progs/fault-mem 2>&1 | sed -u 's/^\(PASS\|FAIL\) /\1 fault-mem: /'
st=${PIPESTATUS[0]}
[ "$st" -le 1 ] || fail fault-mem "fault-mem exited with status $st"
exit 0
