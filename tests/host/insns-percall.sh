#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test: bench/insns-guest.sh's table "ringpcm.ko instructions per call,
# by entry point", made (INSNS_REPORT_FROM) from a made-up window whose
# figures are known: calls are the executions of a symbol's block at offset
# 0, an entry's instructions are its own blocks and those of the functions
# only it calls, publish_locked and hda_stream_pos are added to the
# interrupt and COMMIT at their cost per call, the kernel's memcpy is beside.
#   PASS insns-percall-row        the row: 75, 60, 10 per call, 1 and 2 calls
#                                 per interrupt, 145 per period, 64 memcpy
#   PASS insns-percall-across     the sentence under the table: spread across sizes
set -uo pipefail

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

tab() { tr ' ' '\t'; }
echo 'workload size rep ns periods user ringpcm alsa modules spin kernel total underruns time_periods irqs' |
	tab >"$dir/insns-runs.tsv"
# Two sizes, map-once only: ringpcm.ko's whole count is 15500 in both.
for s in 64x4 256x4; do
	echo "play-maponce $s 1 3000000000 100 0 15500 0 0 0 0 0 0 2250 100" | tab >>"$dir/insns-runs.tsv"
done
echo 'window label category vaddr symbol insns execs offset' | tab >"$dir/insns-top-sym.tsv"
# symbol, instructions, executions, offset in the symbol; at 256x4 the
# interrupt's second block costs 1000 more (per call: 85 instead of 75).
block_rows() { # label extra
	while read -r sym ins ex off; do
		printf '3\t%s\tringpcm\tffffffffc0000000\t%s [ringpcm]\t%s\t%s\t%s\n' "$1" "$sym" "$ins" "$ex" "$off"
	done <<EOF
ringpcm_irq 1000 100 0
ringpcm_irq $((500 + $2)) 100 16
ringpcm_stream_irq 3000 100 0
publish_locked 4000 200 0
hda_stream_pos 2000 200 0
ringpcm_stream_commit 2000 100 0
stream_ioctl 1000 100 0
stream_poll 600 200 0
ringpcm_stream_poll_mask 1400 200 0
EOF
	printf '3\t%s\tkernel\tffffffff81000000\tmemcpy_erms\t6400\t6400\t8\n' "$1"
}
{ block_rows play-maponce-64x4-r1 0; block_rows play-maponce-256x4-r1 1000; } >>"$dir/insns-top-sym.tsv"

out=$(cd "$top" && INSNS_PLAY_SIZES='64x4 256x4' INSNS_SIZES='' INSNS_CLIENTS='' INSNS_JACK_SIZE='' \
	INSNS_PA_SIZE='' INSNS_PAL_SIZE='' INSNS_NOLOCK_SIZE='' INSNS_NULL_CLIENTS='' INSNS_TOP=9 \
	RINGPCM_RESULTS="$dir" INSNS_REPORT_FROM="$dir" bash bench/insns-guest.sh 2>&1)
row=$(grep '^| 64x4 | map-once | 75 ' <<<"$out")
want='| 64x4 | map-once | 75 (75..75, 0.0%) | 60 (60..60, 0.0%) | 10 (10..10, 0.0%) | 1.00 (1.00..1.00, 0.0%) | 2.00 (2.00..2.00, 0.0%) | 145 (145..145, 0.0%) | 64 (64..64, 0.0%) | 1, 1; 1 | 0 (0..0, 0.0%) | 100% |'
if [ "$row" = "$want" ]; then
	echo "PASS insns-percall-row"
else
	grep -A 8 'per call, by entry point' <<<"$out" | tail -n 4
	echo "FAIL insns-percall-row: got '$row', want '$want'"
fi
# Per period 145 at 64x4, 155 at 256x4: spread 10 / median 150 = 6.7%.
if grep -q 'map-once 145\.\.155, spread 6\.7% of the median 150;' <<<"$out"; then
	echo "PASS insns-percall-across"
else
	grep -A 4 '^Per period (interrupt' <<<"$out"
	echo "FAIL insns-percall-across: no 'map-once 145..155, spread 6.7% of the median 150'"
fi
