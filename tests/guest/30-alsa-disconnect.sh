#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# timeout: 90
# The controller disappears (PCI remove) under running ALSA streams: aplay,
# arecord and an mmap client learn it as a disconnect (ENODEV, state
# DISCONNECTED) within moments, never as a series of xruns and never by
# hanging; then a PCI rescan brings the card back and the plugin works again.
. alsa-plugin/test/guest-lib.sh
alsa_setup
DEV=/sys/bus/pci/devices/${RINGPCM_HDA_PCI:-none}
[ -e "$DEV/remove" ] || { fail alsa-disconnect "no $DEV"; exit 0; }
make_noise /tmp/noise.wav 8

remove_after() { # seconds: PCI remove; T0 = when
	sleep "$1"
	T0=$(ms_now)
	echo 1 >"$DEV/remove"
}

# snd-hda-intel matches the controller too, and the PCI core offers a new
# device to whichever driver registered first (a PCI rescan probes at once,
# whatever drivers_autoprobe says), which a module reload earlier in the boot
# (10-core-verbs) changes: when snd-hda-intel took it, give it to ringpcm as
# a user would, with ringpcm-bind.
rescan() {
	local i
	echo 1 >/sys/bus/pci/rescan
	build/ringpcm-bind bind "${DEV##*/}" >/dev/null
	for i in $(seq 50); do
		[ -e /dev/ringpcmC0D0p ] && [ -e /dev/ringpcmC0ctl ] && return 0
		sleep 0.1
	done
	return 1
}

# A disconnected client: failed, soon, saying "No such device", no xrun line.
gone_ok() { # name status ms output-file xrun-word
	[ "$2" != 0 ] && [ "$3" -lt 3000 ] && grep -q "No such device" "$4" && ! grep -q "$5" "$4"
	check "$1" $? "status $2 after $3 ms: $(tail -n 2 "$4" | tr '\n' ' ')"
}

# Round 1: aplay and arecord (read/write access).
aplay -D ringpcm /tmp/noise.wav >/tmp/aplay.out 2>&1 &
ap=$!
arecord -D ringpcm -f S16_LE -r 48000 -c 2 -d 8 /tmp/rec.wav >/tmp/arecord.out 2>&1 &
ar=$!
alsa_bg "$ap $ar"
remove_after 1.5
wait $ap; ap_st=$? ap_ms=$(( $(ms_now) - T0 ))
wait $ar; ar_st=$? ar_ms=$(( $(ms_now) - T0 ))
cat /tmp/aplay.out /tmp/arecord.out
gone_ok alsa-disconnect-aplay $ap_st $ap_ms /tmp/aplay.out underrun
gone_ok alsa-disconnect-arecord $ar_st $ar_ms /tmp/arecord.out overrun
out=$(amixer -D ringpcm get Master 2>&1)
[ $? != 0 ]
check alsa-disconnect-mixer-fails $? "amixer with the card gone: $out"
rescan
check alsa-disconnect-rescan $? "no /dev/ringpcmC0* after a PCI rescan"

# Round 2: mmap clients (rpcm-alsa-test checks ENODEV, DISCONNECTED, no
# xruns, prepare refused), arecord -M.
rpcm-alsa-test -D ringpcm -M -p 1024 -n 4 -s 8 disconnect >/tmp/mmap.out 2>&1 &
mm=$!
arecord -M -D ringpcm -f S16_LE -r 48000 -c 2 -d 8 /tmp/rec.wav >/tmp/arecord.out 2>&1 &
ar=$!
alsa_bg "$mm $ar"
remove_after 1.5
wait $mm; mm_st=$?
wait $ar; ar_st=$? ar_ms=$(( $(ms_now) - T0 ))
cat /tmp/mmap.out /tmp/arecord.out
check alsa-disconnect-mmap-playback $mm_st "$(grep -m1 '^error' /tmp/mmap.out)"
gone_ok alsa-disconnect-arecord-mmap $ar_st $ar_ms /tmp/arecord.out overrun
rescan
sox /tmp/noise.wav /tmp/short.wav trim 0 1
out=$(aplay -q -D ringpcm /tmp/short.wav 2>&1) && amixer -q -D ringpcm get Master
check alsa-disconnect-reusable $? "after the second rescan: $out"
exit 0
