#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 900
# ABI fuzzing (build/progs/fault-fuzz): random and boundary-valued ioctl
# structures, random command numbers and sizes, random call sequences in
# every state, from many threads on both stream fds, observers and the ctl
# device, while pages under the rings are replaced; every result must be a
# documented one, nothing may hang, every pinned page comes back, and the
# device then still plays and records the right number of frames at the
# sample rate. Fast: one 6 s run. Long (check-faults): five 120 s runs, each
# with its own seed. Each run prints its seed and how to repeat it.
. tests/guest/50-fault-lib.sh

if [ $FAULT_MODE = long ]; then runs=5 seconds=120 threads=3; else runs=1 seconds=6 threads=2; fi
echo "INFO fault mode $FAULT_MODE: $runs run(s) of $seconds s"
for i in $(seq $runs); do
	seed=$(fault_seed)
	build/progs/fault-fuzz --seed "$seed" --seconds $seconds --threads $threads 2>&1 |
		sed -u "s/^\(PASS\|FAIL\) fuzz: /\1 fault-fuzz-$i: /"
	st=${PIPESTATUS[0]}
	[ "$st" -le 1 ] || fail "fault-fuzz-$i" "fault-fuzz exited with status $st (seed $seed)"
done
exit 0
