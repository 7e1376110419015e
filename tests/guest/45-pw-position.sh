#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback baseline
# configs: plain iommu
# timeout: 120
# What PipeWire's timer scheduling reads from the plugin, against Debian's
# snd-hda-intel on hw: of the baseline controller in the same boot
# (rpcm-pos-test: MMAP playback kept half full, woken at random points of the
# period like PipeWire): the position from snd_pcm_avail() moves between
# interrupts and stays as close to a straight clock line as hw:'s; every
# frame given to mmap_commit is taken; delay and htimestamp are reported
# (figures); the channel maps (query, get, set) are snd-hda-intel's.
. alsa-plugin/test/guest-lib.sh
alsa_setup
[ -n "${RINGPCM_BASELINE_CARD:-}" ] || { fail pw-position "no baseline card"; exit 0; }
BASE=hw:CARD=$RINGPCM_BASELINE_CARD

# Channel maps: the same lines from both devices.
rpcm-pos-test -m -D ringpcm >/tmp/map-rp.txt 2>&1
rpcm-pos-test -m -D "$BASE" >/tmp/map-hw.txt 2>&1
echo "ringpcm chmaps: $(tr '\n' '|' </tmp/map-rp.txt)"
echo "hw: chmaps:     $(tr '\n' '|' </tmp/map-hw.txt)"
cmp -s /tmp/map-rp.txt /tmp/map-hw.txt && grep -q '^playback-get 2 FL FR$' /tmp/map-rp.txt &&
	grep -q '^capture-get 2 FL FR$' /tmp/map-rp.txt
check pw-chmap-as-hda-intel $? "ringpcm: $(tr '\n' '|' </tmp/map-rp.txt) hw: $(tr '\n' '|' </tmp/map-hw.txt)"

# key file -> value (first number after the key)
val() { sed -n "s/^.*$1 \([-0-9.]*\).*/\1/p" "$2" | head -1; }

# A run with an xrun (a stall of the loaded TCG host) bends the clock line
# of that device only (CI saw p95 1228 against 495 with one xrun): such a
# run is shown and measured again, up to three tries.
for dev in ringpcm "$BASE"; do
	tag=rp; [ "$dev" = ringpcm ] || tag=hw
	for try in 1 2 3; do
		rpcm-pos-test -D "$dev" -p 1024 -n 16 -s 8 >/tmp/pos-$tag.txt 2>&1
		echo "== $dev (try $try)"; cat /tmp/pos-$tag.txt
		[ "$(val ' xruns' /tmp/pos-$tag.txt)" = 0 ] && break
	done
	cp /tmp/pos-$tag.txt "$R/pw-position-$tag.txt"
done
rp_moved=$(val moved-between-reads /tmp/pos-rp.txt)
hw_moved=$(val moved-between-reads /tmp/pos-hw.txt)
rp_p95=$(sed -n 's/^avail-residual-p50 .* p95 \([0-9]*\).*/\1/p' /tmp/pos-rp.txt)
hw_p95=$(sed -n 's/^avail-residual-p50 .* p95 \([0-9]*\).*/\1/p' /tmp/pos-hw.txt)
echo "avail residual p95: ringpcm $rp_p95, hw: $hw_p95 frames; ringpcm moved in $rp_moved of reads"
# QEMU's codec moves DMA in bursts (and a loaded host stalls it): both
# drivers' positions stand still between some reads; ringpcm's must move as
# often as hw:'s (a status page read alone moves once per interrupt).
awk -v m="$rp_moved" -v h="$hw_moved" 'BEGIN { exit !(m >= h - 0.1) }'
check pw-position-moves-between-irqs $? "moved in $rp_moved of reads, hw: $hw_moved"
# Both errors come in QEMU's 1024-frame DMA bursts and TCG's scheduling:
# within half a burst of hw:'s (seen: 266..769 against 252..492).
[ -n "$rp_p95" ] && [ -n "$hw_p95" ] && [ "$rp_p95" -le $(( hw_p95 + 512 )) ]
check pw-position-error-as-hw $? "avail residual p95 ringpcm $rp_p95, hw: $hw_p95 frames"
rp_err=$(sed -n 's/^avail-vs-delay-error-p50 .* p95 \([0-9]*\).*/\1/p' /tmp/pos-rp.txt)
hw_err=$(sed -n 's/^avail-vs-delay-error-p50 .* p95 \([0-9]*\).*/\1/p' /tmp/pos-hw.txt)
# The position avail reports against the one delay reads again right after:
# a status page read alone would lag by up to the time since the last
# interrupt or COMMIT (a quantum, 1024 frames).
[ -n "$rp_err" ] && [ -n "$hw_err" ] && [ "$rp_err" -le $(( hw_err + 64 )) ]
check pw-position-avail-vs-delay-as-hw $? "p95 ringpcm $rp_err, hw: $hw_err frames"
[ "$(val short-commits /tmp/pos-rp.txt)" = 0 ]
check pw-mmap-commit-takes-all $? "$(grep short-commits /tmp/pos-rp.txt)"
exit 0
