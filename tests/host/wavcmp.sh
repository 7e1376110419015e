#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test of tools/wavcmp, the judge of every bit-exact check: made-up
# recordings of a noise reference (sox), each with the verdict and exit
# status wavcmp must give and, after a mismatch, where it must say the
# reference goes on (frames missing, repeated, inserted).
#
#   PASS wavcmp-<case> for each row below
set -uo pipefail

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
wavcmp=$top/build/wavcmp
command -v sox >/dev/null || { echo "FAIL wavcmp: sox not installed"; exit 1; }
[ -x "$wavcmp" ] || { echo "FAIL wavcmp: $wavcmp not built"; exit 1; }
dir=$(mktemp -d /tmp/wavcmp-test.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

# ref: 2 s of stereo noise; the recordings are cut and joined from it.
sox -R -n -r 48000 -c 2 -b 16 ref.wav synth 2 whitenoise
sox -n -r 48000 -c 2 -b 16 zeros.wav trim 0 700s
sox ref.wav head.wav trim 0 5000s
sox -n -r 48000 -c 2 -b 16 lead.wav trim 0 333s
sox lead.wav ref.wav late.wav                                 # found at an offset
sox -D head.wav "|sox ref.wav -p trim 6024s" drop.wav            # 1024 frames lost
sox -D "|sox ref.wav -p trim 0 30000s" "|sox ref.wav -p trim 13616s" -b 16 repeat.wav
sox -D head.wav zeros.wav "|sox ref.wav -p trim 5000s" insert.wav
sox ref.wav cut.wav trim 0 90000s                             # end cut off
sox -V1 ref.wav -r 44100 rate.wav
sox -R -n -r 48000 -c 2 -b 16 other.wav synth 2 whitenoise vol 0.5

status=0
# name recording extra-args want-exit want-text
row() {
	local out st
	out=$("$wavcmp" ref.wav "$2" ${3:+$3} 2>&1)
	st=$?
	if [ "$st" = "$4" ] && grep -qF -- "$5" <<<"$out"; then
		echo "PASS wavcmp-$1"
	else
		echo "FAIL wavcmp-$1: exit $st (want $4), want \"$5\" in:"
		sed 's/^/  | /' <<<"$out"
		status=1
	fi
}
row exact ref.wav "" 0 "offset 0 frames, matched 96000 of 96000"
row offset late.wav "" 0 "offset 333 frames"
row missing drop.wav "" 1 "goes on with reference frame 6024 (1024 frames missing)"
row repeated repeat.wav "" 1 "repeats from reference frame 13616 (16384 frames again)"
row inserted insert.wav "" 1 "goes on at recording frame 5700 (700 frames inserted)"
row cut-short cut.wav "" 1 "only 90000 frames overlap, 96000 needed"
row cut-allowed cut.wav "--min-frames 48000" 0 "bit-exact"
row other-rate rate.wav "" 2 "is 2 ch 48000 Hz"
row not-found other.wav "" 1 "closest, no exact anchor"
exit $status
