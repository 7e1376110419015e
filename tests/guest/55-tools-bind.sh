#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none baseline
# configs: plain
# timeout: 90
# ringpcm-bind on the rig's two controllers: the list shows ringpcm's and the
# baseline's (snd_hda_intel, with its codec); bind moves the baseline to
# ringpcm, which streams on it as card 1; release gives it back to
# snd_hda_intel, whose ALSA card plays again; refusals (not an HDA
# controller, no such device, a card in use, already ringpcm's) say why and
# change nothing.  Runs last in its boot: the baseline ends where it began.
. tests/guest/10-core-lib.sh
BIND=build/ringpcm-bind
ours=$RINGPCM_HDA_PCI base=$RINGPCM_BASELINE_PCI

driver_of() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null
}

out=$($BIND list 2>&1)
echo "$out" | sed 's/^/  /'
echo "$out" | grep -q "^$ours .* ringpcm$" && echo "$out" | grep -q "^$base .* snd_hda_intel$" &&
	echo "$out" | grep -q 'codec#0: Codec: ' && echo "$out" | grep -q '/dev/ringpcmC0D0p'
check bind-list $? "the list lacks a controller, its driver, codec or nodes"

# Refusals change nothing.
out=$($BIND bind 0000:00:00.0 2>&1)
[ $? = 1 ] && echo "$out" | grep -q 'not an HD Audio controller'
check bind-refuses-non-hda $? "$out"
out=$($BIND bind 00:1f.7 2>&1)
[ $? = 1 ] && echo "$out" | grep -q 'no such PCI device'
check bind-refuses-missing $? "$out"
out=$($BIND bind "$ours" 2>&1)
[ $? = 0 ] && echo "$out" | grep -q 'already driven by ringpcm'
check bind-own-controller-is-noop $? "$out"
sox -n -r 48000 -c 2 -b 16 /tmp/bind.wav synth 3 sine 440
aplay -q -D "hw:CARD=$RINGPCM_BASELINE_CARD" /tmp/bind.wav 2>/dev/null &
busy=$!
sleep 0.5
out=$($BIND bind "$base" 2>&1)
st=$?
wait $busy
[ $st = 1 ] && echo "$out" | grep -q 'in use' && [ "$(driver_of "$base")" = snd_hda_intel ]
check bind-refuses-busy-card $? "status $st: $out; driver now $(driver_of "$base")"

# Bind, stream, release.
out=$($BIND bind "${base#0000:}" 2>&1)
st=$?
echo "$out" | sed 's/^/  /'
[ $st = 0 ] && [ "$(driver_of "$base")" = ringpcm ] && [ -e /dev/ringpcmC1D0p ]
check bind-moves-to-ringpcm $? "status $st, driver $(driver_of "$base"): $out"
sox -n -r 48000 -c 2 -b 16 /tmp/bind-short.wav synth 0.5 sine 440
out=$($PLAY -q -c 1 /tmp/bind-short.wav 2>&1)
check bind-ringpcm-plays-on-it $? "$out"
out=$($BIND release "$base" 2>&1)
st=$?
[ $st = 0 ] && [ "$(driver_of "$base")" = snd_hda_intel ] && [ ! -e /dev/ringpcmC1D0p ]
check bind-release-to-snd-hda-intel $? "status $st, driver $(driver_of "$base"): $out"
for _ in $(seq 50); do	# the codec is probed asynchronously
	ls /sys/bus/pci/devices/$base/sound/card*/pcmC*D0p >/dev/null 2>&1 && break
	sleep 0.1
done
card=$(basename "$(ls -d /sys/bus/pci/devices/$base/sound/card* 2>/dev/null | head -n 1)")
out=$(aplay -q -D "hw:${card#card}" /tmp/bind-short.wav 2>&1)
check bind-snd-hda-intel-plays-again $? "${card:-no card}: $out"
out=$($BIND release "$base" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q 'not driven by ringpcm' && [ "$(driver_of "$base")" = snd_hda_intel ]
check bind-release-refuses-others $? "$out"
