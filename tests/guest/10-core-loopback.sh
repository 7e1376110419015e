#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu swiotlb
# timeout: 120
# Capture is bit-exact: ringpcm-record records while ringpcm-play plays white
# noise through QEMU's JACK loopback, and wavcmp finds the whole noise in the
# recording, for each pairing of zero-copy (--mmap) and copying transfers,
# anonymous, memfd and huge-page rings, and the COPY DMA mode.
. tests/guest/10-core-lib.sh

attempt() { # name ref "play options" "record options" [file to play, default ref]
	local rec=$R/$1.wav pid
	lead_silence "${5:-$2}" /tmp/loop-play.wav
	$REC -q -p 4096 -n 4 -t 3.5 $4 "$rec" >/tmp/rec.out 2>&1 &
	pid=$!
	sleep 0.4
	$PLAY -q -p 4096 -n 4 $3 /tmp/loop-play.wav >/tmp/play.out 2>&1
	play_st=$?
	wait $pid
	rec_st=$?
	echo "  play: $(cat /tmp/play.out)"
	echo "  record: $(cat /tmp/rec.out)"
	cmp=$(build/wavcmp "$2" "$rec" 2>&1)
}

loop() { # name variant|mono "play options" "record options"
	local name=core-loopback-$1 ref=/tmp/loop-$1.wav src= try x0 x1 ok=1
	if [ "$2" = mono ]; then	# played as mono, heard on both channels
		src=/tmp/loop-$1-mono.wav
		noise /tmp/loop-$1-base.wav 2 swap
		sox /tmp/loop-$1-base.wav "$src" remix 1 && sox "$src" "$ref" remix 1 1
	else
		noise "$ref" 2 "$2"
	fi
	for try in 1 2 3; do
		x0=$(jack_xruns)
		attempt "$name" "$ref" "$3" "$4" $src
		ok=$?
		x1=$(jack_xruns)
		echo "$cmp" | sed 's/^/  /'
		# Tried again: a run during which the host's JACK server lost
		# periods, or one whose recording (a fixed 3.5 s) ended before the
		# played signal did because a loaded host started the player late.
		[ $ok = 0 ] || [ $try = 3 ] && break
		[ "$x1" = "$x0" ] && ! grep -q 'frames overlap' <<<"$cmp" && break
		echo "INFO $name: not bit-exact (host JACK xruns $((x1 - x0)), $(tail -n 1 <<<"$cmp")): again"
	done
	check "$name-play" $play_st "status $play_st"
	check "$name-record" $rec_st "status $rec_st"
	[ "$x1" = "$x0" ] && why= || why=" (the host's JACK server had $((x1 - x0)) xruns)"
	check "$name-bitexact" $ok "$(echo "$cmp" | tail -n 2 | head -n 1)$why"
}

loop mmap-write plain "--mmap" ""
loop write-mmap reverse "-r memfd" "--mmap -r memfd"
if huge_pages 4; then
	loop huge swap "--mmap -r huge" "--mmap -r huge"
else
	fail core-loopback-huge "no huge pages (nr_hugepages $(cat /proc/sys/vm/nr_hugepages))"
fi
loop copy swap-reverse "-D copy" "--mmap -D copy"
loop mono-mmap mono "--mmap" ""
loop mono-write mono "" "--mmap"

# Streams one after another at other rates and channel counts each start and
# play to the end (after a mono 96 kHz stream QEMU's JACK backend stopped
# pulling a 16 kHz stereo one while the driver offered mono: "no progress").
for f in 96000:1 16000:2 44100:2 48000:1 16000:2 96000:2 22050:2; do
	sox -R -n -r ${f%:*} -c ${f#*:} -b 16 /tmp/seq.wav synth 0.4 sine 440
	out=$($PLAY -q -p 1024 -n 4 /tmp/seq.wav 2>&1)
	st=$?
	[ $st = 0 ] || break
done
check core-loopback-rate-channel-sequence $st "${f%:*} Hz ${f#*:} ch after the ones before: $out"
wait_pinned -eq 0 2000
check core-loopback-nothing-pinned $? "pinned_pages $(pinned)"
exit 0
