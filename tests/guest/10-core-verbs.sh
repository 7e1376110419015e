#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 90
# Codec verbs travel over the CORB/RIRB rings by default, and through the
# Immediate Command registers with single_cmd=1: in both the codec is probed
# (name, formats, mixer range read back), the mixer round-trips through the
# codec's amp, and a stream plays.  The module is loaded again without
# options at the end, as the rest of the boot expects.
. alsa-plugin/test/guest-lib.sh	# amixer through the uninstalled control plugin
alsa_setup
. tests/guest/10-core-lib.sh

probe_line() {
	dmesg | grep 'ringpcm .*card 0:' | tail -n 1
}


# Probe, mixer and a short stream with the transport the module now uses.
exercise() { # name what-the-probe-line-says
	local line info
	line=$(probe_line)
	echo "  $line"
	case $line in
	*"verbs $2"*) pass "verbs-$1-probe" ;;
	*) fail "verbs-$1-probe" "the probe line does not say 'verbs $2': $line" ;;
	esac
	info=$(ringpcm-info 2>&1)
	echo "$info" | grep -q 'QEMU HDA codec' && echo "$info" | grep -q 'S16_LE' &&
		echo "$info" | grep -q 'mixer playback' && pass "verbs-$1-codec" ||
		fail "verbs-$1-codec" "ringpcm-info: $info"
	# The mixer goes through the codec's amp: a SET verb, then a GET verb
	# (MIXER_GET reads the codec) must give the level back.
	amixer -q -D ringpcm sset Master 40 >/dev/null 2>&1
	if ringpcm-info | grep -q 'mixer playback  L 40/'; then
		pass "verbs-$1-mixer"
	else
		fail "verbs-$1-mixer" "$(ringpcm-info | grep 'mixer playback')"
	fi
	amixer -q -D ringpcm sset Master 100% >/dev/null 2>&1
	sox -n -r 48000 -c 2 -b 16 /tmp/verbs.wav synth 0.5 sine 440
	$PLAY -q /tmp/verbs.wav >/tmp/verbs-play.out 2>&1 && pass "verbs-$1-play" ||
		fail "verbs-$1-play" "$(cat /tmp/verbs-play.out)"
}

exercise corb "over CORB/RIRB"
if reload_ringpcm single_cmd=1; then
	exercise immediate "by immediate command"
else
	fail verbs-immediate-load "insmod single_cmd=1 failed"
fi
reload_ringpcm || fail verbs-reload "insmod without options failed"
