#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stage 2 of the VM rig, run by the initramfs inside the guest, chrooted into
# the host root (so every host binary and the checkout are at their own paths).
# It loads the drivers run-in-vm asked for, runs the command, saves dmesg and
# leaves the exit status for run-in-vm in the rig's control dir; the initramfs
# powers off afterwards.
#
#   guest-main.sh RIGDIR
#
# RIGDIR (a private rw 9p share) holds job.env (variables RP_* written by
# run-in-vm) and command (the text for /bin/sh -c). Written back: status (exit
# code), reason (one line when the rig itself failed or timed out), log (the
# rig's own messages, printed by run-in-vm on stderr).
rig=$1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck source=/dev/null
. "$rig/job.env"

log() { echo "rig: $*" >>"$rig/log"; }

# Status 125 means "the rig failed, the command did not run to its end".
finish() { # status [reason]
	[ -n "$2" ] && echo "$2" >"$rig/reason"
	dmesg >"$RP_RESULTS/dmesg.txt" 2>/dev/null
	# The wav backend writes what QEMU already mixed; let the tail reach it.
	[ "$RP_AUDIO" = wav ] && sleep 0.3
	echo "$1" >"$rig/status"
	sync
	exit 0
}

modprobe_image() { # module... (from the extracted Debian image, not the host)
	modprobe -d "$RP_IMAGE" "$@"
}

# The command's output goes to the second serial port, which run-in-vm
# streams to its stdout; raw mode so that no \r is added to line ends.
setup_output() {
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	exec >/dev/ttyS1 2>&1 </dev/null
}

# --baseline: keep ringpcm off the second controller and snd-hda-intel off
# the first. driver_override only accepts the named driver, so this must be
# written before either driver is loaded.
reserve_controllers() {
	echo snd_hda_intel >"/sys/bus/pci/devices/$RP_BASELINE_PCI/driver_override"
	[ "$RP_MODULE" = 1 ] ||
		echo ringpcm >"/sys/bus/pci/devices/$RP_HDA_PCI/driver_override"
}

# ringpcm needs the ALSA core at most (never snd-hda-*): load whatever its
# modinfo names from the image, then the module itself from the checkout.
load_ringpcm() {
	local ko=$RP_TOP/kernel/ringpcm.ko dep out
	for dep in $(modinfo -F depends "$ko" | tr , ' '); do
		modprobe_image "$dep" || return 1
	done
	out=$(insmod "$ko" 2>&1) || { log "insmod $ko: $out"; return 1; }
	log "loaded $ko"
}

# Loads Debian's driver for the second controller, waits for its card and
# sets it to 0 dB, unmuted, in both directions. Exports its ALSA id.
start_baseline() {
	local dev=/sys/bus/pci/devices/$RP_BASELINE_PCI card i
	# snd-hda-intel request_module()s the codec driver: preload it.
	modprobe_image snd-hda-codec-generic && modprobe_image snd-hda-intel || return 1
	for i in $(seq 100); do # the codec is probed asynchronously
		card=$(ls -d "$dev"/sound/card* 2>/dev/null | head -n1)
		[ -n "$card" ] && ls /proc/asound/"${card##*/}"/pcm0p >/dev/null 2>&1 && break
		card=; sleep 0.1
	done
	[ -n "$card" ] || { log "snd-hda-intel made no card for $RP_BASELINE_PCI"; return 1; }
	RINGPCM_BASELINE_CARD=$(cat /proc/asound/"${card##*/}"/id)
	export RINGPCM_BASELINE_CARD
	set_card_0db "$RINGPCM_BASELINE_CARD"
	log "baseline card $RINGPCM_BASELINE_CARD (${card##*/}) on $RP_BASELINE_PCI"
}

# Every volume control of a card to 0 dB (or its maximum) and unmuted, so
# that audio goes through Debian's driver unscaled.
set_card_0db() { # card
	local ctl
	amixer -c "$1" scontrols | sed -n "s/^Simple mixer control '\(.*\)',.*/\1/p" |
	while read -r ctl; do
		amixer -q -c "$1" sset "$ctl" 0dB unmute cap 2>/dev/null ||
			amixer -q -c "$1" sset "$ctl" 100% unmute cap 2>/dev/null
	done
}

run_command() {
	export PATH=$RP_TOP/build:$PATH
	export HOME=/tmp LANG=C.UTF-8
	export RINGPCM_RESULTS=$RP_RESULTS RINGPCM_CONFIG=$RP_CONFIG
	export RINGPCM_AUDIO=$RP_AUDIO RINGPCM_GUEST_IMAGE=$RP_IMAGE
	export RINGPCM_MODULE=$RP_MODULE RINGPCM_HDA_PCI=$RP_HDA_PCI
	[ -n "$RP_BASELINE_PCI" ] && export RINGPCM_BASELINE_PCI=$RP_BASELINE_PCI
	[ -n "$RP_INSNS" ] && export RINGPCM_INSNS=$RP_INSNS
	[ -n "$RP_SUSPEND" ] && export RINGPCM_SUSPEND=$RP_SUSPEND
	[ -n "$RP_HOTPLUG" ] && export RINGPCM_HOTPLUG=$RP_HOTPLUG RINGPCM_QMP=$RP_QMP \
		RINGPCM_HOTPLUG_PCI=$RP_HOTPLUG_PCI
	# The host's jackd log, live: its xruns explain a glitch in a recording.
	[ "$RP_AUDIO" = loopback ] && export RINGPCM_JACK_LOG=$rig/jackd.log \
		RINGPCM_JACK_PERIOD=$RP_JACK_PERIOD RINGPCM_JACK_RATE=$RP_JACK_RATE
	cd "$RP_TOP" || finish 125 "cannot cd to $RP_TOP"
	# timeout runs the command in its own process group and kills all of it.
	timeout -k 5 "$RP_TIMEOUT" /bin/sh -c "$(cat "$rig/command")"
}

main() {
	setup_output
	[ -n "$RP_BASELINE_PCI" ] && reserve_controllers
	if [ "$RP_MODULE" = 1 ]; then
		load_ringpcm || finish 125 "cannot load kernel/ringpcm.ko (see dmesg.txt)"
	fi
	if [ -n "$RP_BASELINE_PCI" ]; then
		start_baseline || finish 125 "cannot start the baseline snd-hda-intel"
	fi
	run_command
	local st=$?
	[ $st = 124 ] && finish 124 "command timed out after $RP_TIMEOUT s"
	finish $st
}

main
