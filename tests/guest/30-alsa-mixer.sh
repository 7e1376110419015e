#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# timeout: 90
# The ringpcm control plugin: amixer -D ringpcm lists Master and Capture with
# the codec's range and dB scale, sets and reads back volume and switch (also
# while a PCM streams: the control device claims no stream), alsamixer -D
# ringpcm (driven through a pseudo-terminal) shows the card and changes it,
# and the codec obeys: muted playback records silence, 0 dB records
# bit-exact.
. alsa-plugin/test/guest-lib.sh
alsa_setup

out=$(amixer -D ringpcm scontrols 2>&1)
echo "$out"
grep -q "'Master'" <<<"$out" && grep -q "'Capture'" <<<"$out"
check alsa-mixer-controls $? "amixer scontrols: $out"

# Levels as "L R" gains, "on"/"off" switches from amixer's own report.
gains() { amixer -D ringpcm get "$1" | sed -n 's/.*Front.*: \(Playback\|Capture\) \([0-9]*\) .*/\2/p' | tr '\n' ' '; }
switches() { amixer -D ringpcm get "$1" | grep -o '\[\(on\|off\)\]' | tr -d '[]' | tr '\n' ' '; }
max=$(amixer -D ringpcm get Master | sed -n 's/.*Limits: Playback 0 - \([0-9]*\).*/\1/p')
zero_db=$(amixer -D ringpcm get Master | grep -o 'Playback [0-9]* \[[0-9]*%\] \[0.00dB\]' | head -n1 | awk '{print $2}')
echo "Master: 0..$max, 0 dB at ${zero_db:-?}"
[ -n "$max" ] && [ "$max" -gt 0 ] && [ -n "$zero_db" ]
check alsa-mixer-range $? "no range or 0 dB step in: $(amixer -D ringpcm get Master | tr '\n' ' ')"

amixer -q -D ringpcm set Master 50%,25% && g=$(gains Master)
exp="$(( (max * 50 + 99) / 100 )) $(( (max * 25 + 99) / 100 )) "
[ "$g" = "$exp" ] || { exp="$((max * 50 / 100)) $((max * 25 / 100)) "; [ "$g" = "$exp" ]; }
check alsa-mixer-volume $? "set 50%,25% of $max, read back '$g'"
amixer -q -D ringpcm set Capture 10 && g=$(gains Capture)
[ "$g" = "10 10 " ]
check alsa-mixer-capture-volume $? "set Capture 10, read back '$g'"
amixer -q -D ringpcm set Master mute && s=$(switches Master)
[ "$s" = "off off " ]
check alsa-mixer-mute $? "Master after mute: '$s'"
amixer -q -D ringpcm set Master -- -3dB && amixer -D ringpcm get Master | grep -q '\[-3.00dB\]'
check alsa-mixer-db $? "set -3dB: $(amixer -D ringpcm get Master | tail -n1)"

# alsamixer in a pseudo-terminal: "w" raises both channels of the focused
# control (Master; by how much depends on alsamixer's mapped-volume steps),
# "m" toggles its mute, Esc quits.
amixer -q -D ringpcm set Master 10 unmute
(sleep 2; printf 'www'; sleep 1; printf 'm'; sleep 1; printf '\033'; sleep 2) |
	TERM=xterm timeout 20 script -qfec "alsamixer -D ringpcm" /dev/null >/tmp/alsamixer.txt 2>&1
st=$? g=$(gains Master) s=$(switches Master)
echo "alsamixer status $st; Master after 'www', 'm': $g/ $s"
set -- $g
grep -q 'ringpcm card 0' /tmp/alsamixer.txt && [ $st = 0 ] && [ "${1:-0}" -gt 10 ] &&
	[ "$1" = "${2:-}" ] && [ "$s" = "off off " ]
check alsa-mixer-alsamixer $? "alsamixer status $st, Master '$g' '$s' (want both above 10, off; card shown: $(grep -c 'ringpcm card 0' /tmp/alsamixer.txt))"

# The codec obeys, while aplay/arecord hold both streams.
make_noise /tmp/noise.wav 2 && pad /tmp/noise.wav /tmp/play.wav
amixer -q -D ringpcm set Master "$zero_db" unmute
amixer -q -D ringpcm set Capture "$zero_db" cap
# A loaded host's loopback may skip or repeat a whole JACK period: a
# mismatch is shown and tried once more (as 30-alsa-loopback does), so only
# a reproducible difference fails.
mixer_stream_once() {
	record_bg /tmp/rec.wav 4
	aplay -q -D ringpcm /tmp/play.wav &
	ap=$!
	sleep 0.5
	MIXER_OUT=$(amixer -D ringpcm get Master 2>&1)
	MIXER_ST=$?
	wait $ap; wait $REC_PID
	BITEXACT_OUT=$(wavcmp /tmp/noise.wav /tmp/rec.wav 2>&1)
}
mixer_stream_once || {
	echo "$BITEXACT_OUT"
	echo "not bit-exact, host jackd XRun lines so far $(grep -c XRun "$RINGPCM_JACK_LOG" 2>/dev/null): once more"
	mixer_stream_once
}
st=$?
check alsa-mixer-while-streaming $MIXER_ST "amixer while streaming: $MIXER_OUT"
[ $st = 0 ] || echo "$BITEXACT_OUT"
check alsa-mixer-0db-bitexact $st "$(wavcmp_why "$BITEXACT_OUT")"

# Mute while streaming: loud before, silent after.  (QEMU's codec applies an
# amp change to a running stream at once; one made between streams may only
# reach its mixer when the next stream starts.)
make_noise /tmp/long.wav 3 && pad /tmp/long.wav /tmp/long-play.wav
record_bg /tmp/rec-muted.wav 5
aplay -q -D ringpcm /tmp/long-play.wav &
ap=$!
sleep 1.2
amixer -q -D ringpcm set Master mute
wait $ap; wait $REC_PID
peak() { sox /tmp/rec-muted.wav -n trim "$1" "$2" stat 2>&1 | awk '/Maximum amplitude/ {print $3}'; }
before=$(peak 0.8 0.6) after=$(peak 2.5 1.0)
echo "peak before mute $before, after $after"
awk -v b="$before" -v a="$after" 'BEGIN { exit !(b > 0.1 && a < 0.001) }'
check alsa-mixer-mute-silences $? "peak before mute ${before:-?}, after ${after:-?}"

# Leave the card at 0 dB, unmuted, for the tests that share this boot.
amixer -q -D ringpcm set Master "$zero_db" unmute
amixer -q -D ringpcm set Capture "$zero_db" cap
exit 0
