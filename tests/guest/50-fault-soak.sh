#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu swiotlb
# timeout: 900
# Load: two CPU hogs in the guest while a player and a recorder stream a
# counter ramp through QEMU's JACK loopback (build/progs/fault-loop soak,
# 4 x 1024-frame rings). Every xrun is counted on both sides (and must be
# the driver's count too), every one is recovered from, nothing but ramp
# and silence is recorded (capture rings are pre-filled with a marker, so a
# frame handed over before the device wrote it shows), every discontinuity
# of the ramp is explained by an xrun (the guest's or the host jackd's), and
# the ramp's end arrives. Fast: 20 s. Long (check-faults): 10 minutes.
. tests/guest/50-fault-lib.sh

# A guest stall longer than the ring used to let a capture lap pass unseen
# (a discontinuity with no xrun); the driver now counts such laps at the
# interrupt, so the fast soak is back in make check.
[ $FAULT_MODE = long ] && seconds=600 || seconds=20
echo "INFO fault mode $FAULT_MODE: a $seconds s soak"
build/progs/fault-loop soak --seconds $seconds --hogs 2 2>&1 |
	sed -u 's/^\(PASS\|FAIL\) soak: /\1 fault-soak: /'
st=${PIPESTATUS[0]}
[ "$st" -le 1 ] || fail fault-soak "fault-loop exited with status $st"
exit 0
