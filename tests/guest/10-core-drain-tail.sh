#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback baseline
# configs: plain iommu swiotlb
# timeout: 150
# A file's end is heard: playback that ends on a drain loses none of its last
# frames.  When the engine stops, the device drops what it still holds beyond
# the DMA position (controller FIFO, codec buffer, QEMU's host audio backend):
# ringpcm's DRAIN plays silence after the data for that long first.  White
# noise that runs up to its very last frame is played with no trailing
# silence and recorded through QEMU's JACK loopback; the tail lost is the
# reference frames after wavcmp's first mismatch.  Clients: ringpcm-play
# (libringpcm, zero copy), aplay through the ALSA plugin, pa-play through the
# PortAudio host API; Debian's snd-hda-intel plays the same file on the
# baseline controller in the same boot, as the anchor (it cuts the end).
. alsa-plugin/test/guest-lib.sh	# the uninstalled ALSA plugin made visible
alsa_setup
. tests/guest/10-core-lib.sh
. tests/guest/00-rig-lib.sh
need_baseline drain-tail-baseline
base=$dev


# Frames of REF missing at the end of RECORDED (0: bit-exact); -1 when the
# reference was not found or differs before its end.
tail_lost() { # ref recorded
	local out frames first
	out=$(wavcmp "$1" "$2" 2>&1) && { echo 0; return; }
	frames=$(echo "$out" | sed -n 's/.*reference \([0-9]*\) frames.*/\1/p')
	first=$(echo "$out" | sed -n 's/.*first mismatch at reference frame \([0-9]*\).*/\1/p')
	if [ -z "$first" ] || [ -z "$frames" ] || [ $((frames - first)) -gt 24000 ]; then
		echo -1
	else
		echo $((frames - first))
	fi
}

# Records with RECORD while PLAY plays the noise (0.3 s of silence in front
# only); prints the tail lost.  A JACK xrun on the host during a spoiled
# attempt proves nothing about the driver: one more try.
measure() { # name "record command (output file last)" "play command (file last)"
	local rec=$R/drain-$1.wav try lost x0 pid
	for try in 1 2; do
		x0=$(jack_xruns)
		$2 "$rec" >"$R/drain-$1-rec.log" 2>&1 &
		pid=$!
		sleep 0.5
		$3 /tmp/drain-play.wav >"$R/drain-$1-play.log" 2>&1
		wait $pid
		lost=$(tail_lost /tmp/drain-noise.wav "$rec")
		[ "$lost" = 0 ] || [ "$(jack_xruns)" = "$x0" ] && break
		echo "  $1: host JACK xrun during the attempt, once more" >&2
	done
	echo "$lost"
}

sox -R -n -r 48000 -c 2 -b 16 /tmp/drain-noise.wav synth 1.5 whitenoise
lead_silence /tmp/drain-noise.wav /tmp/drain-play.wav

hw=$(measure hda-intel "arecord -q -D $base -f S16_LE -r 48000 -c 2 -d 4" "aplay -q -D $base")
echo "INFO snd-hda-intel (aplay on hw:): $hw frames of the end lost"
[ "$hw" -ge 0 ] 2>/dev/null && pass drain-tail-baseline ||
	fail drain-tail-baseline "the anchor recording does not hold the noise ($R/drain-hda-intel.wav)"

# Rings of 4 x 4096 frames, as 10-core-loopback uses: QEMU's JACK backend
# moves 1024-frame bursts, and a loaded host must not turn them into xruns.
client() { # name "play command" [seconds to record]
	local lost
	lost=$(measure "$1" "$REC -q -p 4096 -n 4 -t ${3:-4}" "$2")
	echo "INFO $1: $lost frames of the end lost (snd-hda-intel: $hw)"
	check "drain-tail-$1" "$([ "$lost" = 0 ] && echo 0 || echo 1)" \
		"$lost frames of the file's end not heard, snd-hda-intel lost $hw ($R/drain-$1.wav)"
}

client ringpcm-play "$PLAY -q --mmap -p 4096 -n 4"
client ringpcm-play-copy "$PLAY -q -p 1024 -n 8 -D copy"
client alsa-plugin "aplay -q -D ringpcm"
# PortAudio probes every host API's devices first: seconds under TCG.
client pa-play "build/examples/pa-play -q -d ringpcmC0D0" 8
