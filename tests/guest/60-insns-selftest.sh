#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The instruction-counting instrument (tools/insns/) still counts what it
# should: the plugin is loaded and sees insns-mark's windows, an empty
# window counts (almost) nothing, a known user-space loop counts exactly
# its instructions, and a window around a ringpcm client attributes
# instructions to ringpcm.ko's own text.
# needs: none insns
# configs: plain
# timeout: 60
set -u
N=2000000	# loop iterations: 4 instructions each

field() { # line key
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1"
}

out=$(insns-mark window empty 0 2>&1)
if [[ $out != "insns empty "* ]]; then
	echo "FAIL insns-plugin-sees-windows: $out"
	exit 1
fi
echo "PASS insns-plugin-sees-windows"
echo "$out"

# Both marks sit in one translation block, counted before the window opens:
# only what the other vCPU does in the same few microseconds may show.
total=$(field "$out" total)
if [ "$total" -le 1000 ]; then
	echo "PASS insns-empty-window-near-zero ($total instructions)"
else
	echo "FAIL insns-empty-window-near-zero: $total instructions"
fi

# 4 * (N - 1) + 2 (see insns-mark.c); user space of the other vCPU (none
# runs in this guest) would be the only other source: allow 0.1%.
out=$(insns-mark loop loop $N 2>&1)
echo "$out"
want=$(sed -n 's/^insns-expected .* user=\([0-9]*\)/\1/p' <<<"$out")
user=$(field "$(grep '^insns ' <<<"$out")" user)
if [ -n "$want" ] && [ -n "$user" ] && [ $((user > want ? user - want : want - user)) -le $((want / 1000)) ]; then
	echo "PASS insns-user-loop-counts-its-instructions ($user of $want)"
else
	echo "FAIL insns-user-loop-counts-its-instructions: counted '${user:-none}', expected '${want:-?}' within 0.1%"
fi

# ringpcm.ko's range comes from /proc/modules: a client of its device must
# execute some of its text (open, ioctl INFO, close).
if [ "${RINGPCM_MODULE:-0}" = 1 ]; then
	insns-mark open info && ringpcm-info >/dev/null 2>&1
	insns-mark close
	line=$(awk -F'\t' '$2 == "info"' "$RINGPCM_INSNS/insns.tsv" | tail -n1)
	echo "$line"
	rp=$(cut -f5 <<<"$line")
	if [ "${rp:-0}" -gt 0 ]; then
		echo "PASS insns-ringpcm-text-attributed ($rp instructions in ringpcm.ko)"
	else
		echo "FAIL insns-ringpcm-text-attributed: ${rp:-no line} instructions in ringpcm.ko"
	fi
fi
