#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 300
# Rings from 2 periods to the most the BDL holds, in anonymous, scattered,
# memfd and huge-page memory: the segments and BDL entries ATTACH_RING
# reports match what pagemap predicts (exactly without an IOMMU), E2BIG comes
# exactly when the BDL would overflow, AUTO falls back to COPY, pinned pages
# are counted and released.
exec build/progs/rpcm-ring-sizes
