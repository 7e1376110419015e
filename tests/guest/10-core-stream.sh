#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 90
# Streaming through libringpcm on the real driver: positions advance at the
# sample rate with monotonic timestamps, one interrupt per period, HWSYNC
# between interrupts, poll honours avail_min, pause holds the position,
# drop stops at once, drain ends at the data's end.
exec build/progs/rpcm-stream 1.5
