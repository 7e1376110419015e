#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test of alsa-plugin/test/pw-top-screen.py, the reader the PipeWire
# guest tests (45-pw-quantum) take pw-top's columns from: the host's own
# pipewire 0.3.65 (a private daemon, alsa-plugin/test/pw-daemon.conf, no
# audio hardware) with a null sink as driver, a pw-play linked to it, the
# quantum forced to 256; the real pw-top on a pseudo-terminal.  The replayed
# screen has the header, the null sink driving at quantum 256 / 48000 with
# its format (F32P 2 48000), and pw-play as its follower.
#
#   PASS pw-top-screen-header, pw-top-screen-driver, pw-top-screen-follower
set -uo pipefail

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
command -v pipewire >/dev/null && command -v pw-top >/dev/null ||
	{ echo "FAIL pw-top-screen: pipewire or pw-top not installed"; exit 1; }
dir=$(mktemp -d /tmp/pw-top-screen.XXXXXX)
pids=
cleanup() {
	local p
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir/run" "$dir/conf/pipewire.conf.d"
chmod 700 "$dir/run"
export XDG_RUNTIME_DIR=$dir/run HOME=$dir
unset PIPEWIRE_REMOTE PIPEWIRE_CONFIG_DIR
cp "$top/alsa-plugin/test/pw-daemon.conf" "$dir/conf/pipewire.conf"
cat >"$dir/conf/pipewire.conf.d/null.conf" <<'CONF'
context.objects = [
    { factory = adapter
        args = {
            factory.name    = support.null-audio-sink
            node.name       = "null_output"
            media.class     = "Audio/Sink"
            audio.format    = S16LE
            audio.rate      = 48000
            audio.channels  = 2
            audio.position  = [ FL FR ]
            node.driver     = true
            priority.driver = 1000
            adapter.auto-port-config = { mode = dsp monitor = false control = false position = preserve }
        }
    }
]
CONF
PIPEWIRE_CONFIG_DIR=$dir/conf pipewire >"$dir/pipewire.log" 2>&1 &
pids="$pids $!"
sox -R -n -r 48000 -c 2 -b 16 "$dir/n.wav" synth 30 whitenoise vol 0.5
ok=0
for i in $(seq 50); do
	pw-link -i 2>/dev/null | grep -q null_output:playback_FL && ok=1 && break
	sleep 0.1
done
[ $ok = 1 ] || { echo "FAIL pw-top-screen: no null sink"; cat "$dir/pipewire.log"; exit 1; }
pw-metadata -n settings 0 clock.force-quantum 256 >/dev/null
pw-play -P '{ node.name = t_play adapter.auto-port-config = { mode = dsp position = preserve } }' \
	"$dir/n.wav" 2>/dev/null &
pids="$pids $!"
for i in $(seq 50); do
	pw-link -o 2>/dev/null | grep -q t_play:output_FL && break
	sleep 0.1
done
pw-link t_play:output_FL null_output:playback_FL && pw-link t_play:output_FR null_output:playback_FR

# As pw-lib.sh's pw_top_screen: 5 s (a redraw a second), once more if no
# complete screen came (a loaded host).
for try in 1 2; do
	TERM=xterm timeout -s INT 5 script -qfec "stty cols 160 rows 40; pw-top" /dev/null \
		>"$dir/top.raw" 2>/dev/null
	python3 "$top/alsa-plugin/test/pw-top-screen.py" "$dir/top.raw" 160 40 >"$dir/top.txt"
	st=$?
	[ $st = 0 ] && break
done
cat "$dir/top.txt"
rc=0
res() { # name status why
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; rc=1; fi
}
head -1 "$dir/top.txt" | grep -q '^S  *ID  *QUANT  *RATE  *WAIT  *BUSY  *W/Q  *B/Q  *ERR  *FORMAT  *NAME$'
res pw-top-screen-header $(( st | $? )) "$(head -1 "$dir/top.txt")"
grep -Eq '^R +[0-9]+ +256 +48000 +[0-9.]+[mu]?s +[0-9.]+[mu]?s +[0-9.]+ +[0-9.]+ +[0-9]+ +[A-Z0-9]+ 2 48000 null_output$' "$dir/top.txt"
res pw-top-screen-driver $? "$(grep null_output "$dir/top.txt")"
grep -Eq '^R +[0-9]+ .* \+ t_play$' "$dir/top.txt"
res pw-top-screen-follower $? "$(grep t_play "$dir/top.txt")"
exit $rc
