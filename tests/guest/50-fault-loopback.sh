#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu swiotlb
# timeout: 600
# After ABI fuzzing (build/progs/fault-fuzz), the device still streams
# bit-exact: a counter ramp played and recorded through QEMU's JACK loopback
# (build/progs/fault-loop roundtrip) comes back whole, in order and exact,
# with both rings in unusual memory: aligned to info.ring_align only, across
# an anonymous and a memfd mapping, a MAP_SHARED tmpfs file, never touched
# before attach, and with a child forked mid-stream scribbling over its copy
# of the ring. Long (check-faults): 60 s of fuzzing, 2 s ramps, and memfd,
# hugetlb and transparent huge page rings too. An attempt spoiled by the
# host's jackd xrunning is repeated (up to 3 times).
# Small rings (fault-loop small-rings): QEMU's JACK backend moves 1024
# frames at a time, so a ring of 512 or 1024 frames moves whole between two
# interrupts; positions must still advance at the sample rate, a starved
# ring must report its xrun, DRAIN must end; a capture ring read as fast
# as it fills must not overrun, one left unread must.
. tests/guest/50-fault-lib.sh

if [ $FAULT_MODE = long ]; then
	fuzz=60 ramp=2 kinds="anon offset straddle memfd tmpfs huge thp fork"
else
	fuzz=4 ramp=0.5 kinds="anon offset straddle tmpfs fork"
fi
echo "INFO fault mode $FAULT_MODE: $fuzz s of fuzzing, $ramp s ramps through: $kinds"
# Rings no larger than QEMU's burst move whole laps between two position
# reads: the driver counts those laps at the interrupt (ringpcm_lost_laps),
# so positions advance, starved rings report their xrun and DRAIN ends.
seed=$(fault_seed)
build/progs/fault-fuzz --seed "$seed" --seconds $fuzz --no-check 2>&1 |
	sed -u 's/^\(PASS\|FAIL\) fuzz: /\1 fault-loopback-fuzz: /'
st=${PIPESTATUS[0]}
[ "$st" -le 1 ] || fail fault-loopback-fuzz "fault-fuzz exited with status $st (seed $seed)"
build/progs/fault-loop small-rings 2>&1 |
	sed -u 's/^\(PASS\|FAIL\) small rings: /\1 fault-loopback-small-rings: /'
st=${PIPESTATUS[0]}
[ "$st" -le 1 ] || fail fault-loopback-small-rings "fault-loop exited with status $st"
for kind in $kinds; do
	build/progs/fault-loop roundtrip $kind --seconds $ramp 2>&1 |
		sed -u "s/^\(PASS\|FAIL\) roundtrip: /\1 fault-loopback-$kind: /"
	st=${PIPESTATUS[0]}
	[ "$st" -le 1 ] || fail "fault-loopback-$kind" "fault-loop exited with status $st"
done
exit 0
