# SPDX-License-Identifier: GPL-2.0
# Shared by the 00-rig-* guest tests (sourced, not a test: not executable).
# They check the VM rig itself with Debian's own snd-hda-intel on the
# baseline controller, so that a ringpcm test failing on audio can trust
# the emulated card and QEMU's audio backends.

# The test signal: 2 s of full-scale stereo white noise at 48 kHz, the same
# on every run (sox -R), written where the host can read it too.
make_noise() { # path
	sox -R -n -r 48000 -c 2 -b 16 "$1" synth 2 whitenoise
}

# The noise with silence around it, which is how ringpcm's tests should play
# reference material too. Leading: at stream start QEMU's JACK output can
# underrun and repeat stale frames, and with --pacing pull the first DMA burst
# can read ahead of a small ring. Trailing: when playback stops QEMU discards
# what its codec, mixer and JACK FIFO still hold (16-80 ms).
pad_noise() { # in out
	sox "$1" "$2" pad 0.2 0.2
}

# Sets dev to the baseline card, or fails test NAME and exits.
need_baseline() { # NAME
	if [ -z "${RINGPCM_BASELINE_CARD:-}" ]; then
		echo "FAIL $1: no baseline card (the boot lacks --baseline)"
		exit 1
	fi
	dev=hw:CARD=$RINGPCM_BASELINE_CARD
}
