#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain
# timeout: 900
# The Debian packages of `make deb` (build/deb/) installed like a driver:
# dpkg installs them into a writable overlay over the guest's (read-only)
# root; DKMS builds the module against the guest kernel's headers; that
# module (not the rig's kernel/ringpcm.ko) is loaded with modprobe; aplay and
# arecord go bit-exact through the installed ALSA plugin and configuration;
# a program built with `pkg-config --cflags --libs ringpcm` runs against the
# installed library; ringpcm-portaudio runs a program with the private
# PortAudio. Then purging every package leaves nothing behind: no file of
# theirs, no DKMS tree, no module loaded or installed.
# Runs last in its boot and loads the rig's module again at its end.
set -u

TOP=$(pwd)
DEBS=$TOP/build/deb
PKGS="ringpcm-dkms libringpcm1 libringpcm-dev libasound2-plugin-ringpcm ringpcm-utils ringpcm-portaudio"
OVL=/tmp/ovl
NEW=$OVL/root			# the overlay's merged view: the system we install into
KVER=$(uname -r)

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # name status why
	if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi
}
in_new() { # command...: as root of the overlaid system, from the checkout
	chroot "$NEW" /bin/sh -c "cd '$TOP' && HOME=/tmp LANG=C.UTF-8 $*"
}

# --- outside: the packages, the overlay ---------------------------------------

debs_present() {
	local p missing=
	for p in $PKGS; do
		ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || missing+=" $p"
	done
	[ -z "$missing" ] && return 0
	fail install-debs-built "missing in build/deb:$missing (run make deb, or make check, on the host)"
	return 1
}

# A tmpfs upper layer over the 9p root; the kernel's special file systems,
# /tmp, /run, the checkout and the results share mounted into it as they are
# in the guest.
overlay_up() {
	local d
	modprobe -d "$RINGPCM_GUEST_IMAGE" overlay || return 1
	mkdir -p "$OVL/upper" "$OVL/work" "$NEW"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$OVL/upper,workdir=$OVL/work" "$NEW" || return 1
	for d in /proc /sys /dev /dev/pts /dev/shm; do
		mkdir -p "$NEW$d" && mount --bind "$d" "$NEW$d" || return 1
	done
	mount -t tmpfs -o mode=1777 tmpfs "$NEW/tmp" && mount -t tmpfs -o mode=755 tmpfs "$NEW/run" ||
		return 1
	# After the tmpfs mounts: the checkout may live under /tmp (CI's clone).
	for d in "$TOP" "$RINGPCM_RESULTS"; do
		mkdir -p "$NEW$d" && mount --bind "$d" "$NEW$d" || return 1
	done
	# The rig's devtmpfs has no /dev/fd (udev makes it elsewhere); dkms
	# needs it for bash's <(...).
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
}

overlay_down() {
	local m
	# Innermost first.
	for m in $(awk -v r="$NEW" '$2 ~ "^" r { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}

# --- install ------------------------------------------------------------------

install_packages() {
	local debs=() p out t0=$SECONDS
	for p in $PKGS; do debs+=("$(ls "$DEBS/${p}_"*.deb | head -n1)"); done
	# man-db's trigger would index every manual page under TCG: not our test.
	rm -f "$NEW/var/lib/man-db/auto-update"
	# DKMS builds for the running kernel and the newest one in /boot: hide
	# other kernels the host may have (a 6.12 image for the compat check),
	# each build costs minutes under TCG.
	rm -f "$NEW"/boot/config-*
	echo "dpkg -i (with the DKMS build: minutes under TCG)"
	chroot "$NEW" /usr/bin/env DEBIAN_FRONTEND=noninteractive dpkg -i "${debs[@]}" >"$OVL/dpkg-i.txt" 2>&1
	check install-dpkg $? "dpkg -i failed: $(tail -n 3 "$OVL/dpkg-i.txt" | tr '\n' ' ')"
	grep -iE 'dkms|building|error|signing' "$OVL/dpkg-i.txt" | head -n 20
	echo "dpkg -i with the DKMS build took $((SECONDS - t0)) s"
	# One dpkg call: each reads the whole package database (~20 s under TCG).
	in_new "dpkg -L $PKGS" >"$OVL/files.txt"
}

check_dkms() {
	local st ko
	st=$(in_new "dkms status ringpcm")
	echo "dkms status: $st"
	grep -q "ringpcm/.*, $KVER, .*: installed" <<<"$st"
	check install-dkms-built-for-guest-kernel $? "dkms status: ${st:-empty}"
	ko=$(in_new "modinfo -n ringpcm" 2>&1)
	[[ $ko == /lib/modules/$KVER/updates/dkms/ringpcm.ko* ]]
	check install-dkms-module-in-updates $? "modinfo -n ringpcm: $ko"
}

# The rig's module out, DKMS's in: modprobe finds it through depmod's tables.
load_dkms_module() {
	local out n
	if grep -q '^ringpcm ' /proc/modules; then
		rmmod ringpcm || { fail install-modprobe "cannot unload the rig's ringpcm"; return 1; }
	fi
	out=$(in_new "modprobe ringpcm" 2>&1)
	check install-modprobe $? "modprobe ringpcm: $out"
	for n in $(seq 50); do
		[ -c /dev/ringpcmC0D0p ] && [ -c /dev/ringpcmC0D0c ] && break
		sleep 0.1
	done
	[ -c /dev/ringpcmC0D0p ] && [ -c /dev/ringpcmC0D0c ]
	check install-device-nodes $? "no /dev/ringpcmC0D0p and ...c after modprobe"
}

# No udevd runs in the guest: let udevadm evaluate the installed rule.
check_udev_rule() {
	local out st
	out=$(in_new "udevadm test --action=add /class/ringpcm/ringpcmC0D0p" 2>&1)
	grep -q 'GROUP 29\|GROUP="audio"\|group audio\|gid=29' <<<"$out" &&
		grep -qi 'MODE 0660\|mode=0660\|MODE="0660"' <<<"$out" &&
		grep -q 'uaccess' <<<"$out"
	st=$?
	check install-udev-rule $st "udevadm test shows no GROUP audio/MODE 0660/uaccess from 70-ringpcm.rules"
	[ $st = 0 ] || grep -iE 'ringpcm|GROUP|MODE|TAG' <<<"$out" | head -n 10
}

# --- use -----------------------------------------------------------------------

check_tools() {
	local out
	out=$(in_new "ringpcm-info" 2>&1)
	grep -q ringpcmC0D0p <<<"$out"
	check install-ringpcm-info $? "/usr/bin/ringpcm-info: $out"
	out=$(in_new "man -w ringpcm-info ringpcm-play ringpcm-record ringpcm-portaudio" 2>&1)
	[ "$(grep -c '^/usr/share/man/man1/ringpcm-.*\.1\.gz$' <<<"$out")" = 4 ]
	check install-man-pages $? "man -w: $out"
}

# aplay and arecord with no private configuration: the plugin and its
# snippet are found where the package put them.
check_alsa() {
	local out st
	in_new "sox -R -n -r 48000 -c 2 -b 16 /tmp/noise.wav synth 2 whitenoise vol 0.5 &&
		sox /tmp/noise.wav /tmp/play.wav pad 0.2 0.2"
	in_new "ls /etc/alsa/conf.d/60-ringpcm.conf /usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_ringpcm.so" >/dev/null
	check install-alsa-files $? "plugin or configuration missing"
	for try in 1 2; do
		in_new "arecord -q -D ringpcm -f S16_LE -r 48000 -c 2 -d 4 /tmp/rec.wav" &
		local rec=$!
		sleep 0.5
		out=$(in_new "aplay -q -D ringpcm /tmp/play.wav" 2>&1)
		st=$?
		wait $rec || st=1
		[ $st = 0 ] && out=$(in_new "build/wavcmp /tmp/noise.wav /tmp/rec.wav" 2>&1) && break
		# QEMU's JACK loopback on a loaded host may repeat a period: once more.
		echo "alsa loopback try $try: $out"
		st=1
	done
	check install-alsa-aplay-arecord-bitexact $st "aplay/arecord -D ringpcm: $out"
}

# A tiny client built only from what libringpcm-dev installed.
check_pkgconfig() {
	local out
	cat >"$NEW/tmp/rpcm-hello.c" <<'EOF'
#include <stdio.h>
#include <ringpcm.h>

int main(void)
{
	struct rpcm *pcm;
	int ret = rpcm_open(&pcm, 0, 0, RINGPCM_DIR_PLAYBACK, RPCM_OPEN_OBSERVE);

	if (ret < 0) {
		fprintf(stderr, "rpcm_open: %d\n", ret);
		return 1;
	}
	printf("card %s codec %s\n", rpcm_info(pcm)->card, rpcm_info(pcm)->codec);
	rpcm_close(pcm);
	return 0;
}
EOF
	out=$(in_new 'cd /tmp && cc -Wall -o rpcm-hello rpcm-hello.c $(pkg-config --cflags --libs ringpcm) && ./rpcm-hello && ldd ./rpcm-hello' 2>&1)
	grep -q '^card ' <<<"$out" && grep -Eq "libringpcm.so.1 => (/usr)?/lib/x86_64-linux-gnu/libringpcm.so.1" <<<"$out"
	check install-pkgconfig-program $? "$out"
}

# The launcher gives one program the private PortAudio; Debian's stays the
# system's.
check_portaudio() {
	local out
	out=$(in_new "ringpcm-portaudio ldd build/portaudio/bin/pa_devs && ringpcm-portaudio build/portaudio/bin/pa_devs" 2>&1)
	grep -q 'libportaudio.so.2 => /usr/lib/x86_64-linux-gnu/ringpcm/libportaudio.so.2' <<<"$out" &&
		grep -q '(ringpcmC0D0)' <<<"$out"
	check install-portaudio-launcher $? "$(grep -i 'portaudio\|ringpcm\|error' <<<"$out" | head -n 5)"
	in_new "ldconfig -p | grep -q 'ringpcm/libportaudio'"
	[ $? != 0 ]
	check install-portaudio-not-system-wide $? "the private libportaudio is in the linker's cache"
}

# --- purge ----------------------------------------------------------------------

purge_packages() {
	local out left f
	in_new "modprobe -r ringpcm"
	out=$(chroot "$NEW" /usr/bin/env DEBIAN_FRONTEND=noninteractive dpkg --purge $PKGS 2>&1)
	check purge-dpkg $? "dpkg --purge: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
	left=
	while read -r f; do
		# Folders the packages share with the system stay.
		[ -e "$NEW$f" ] && [ ! -d "$NEW$f" ] && left+=" $f"
	done <"$OVL/files.txt"
	[ -d "$NEW/usr/src/ringpcm-1.0" ] && left+=" /usr/src/ringpcm-1.0"
	[ -d "$NEW/usr/lib/x86_64-linux-gnu/ringpcm" ] && left+=" /usr/lib/x86_64-linux-gnu/ringpcm"
	check purge-no-files-left $([ -z "$left" ]; echo $?) "still there:$left"
	out=$(in_new "dkms status ringpcm; ls -d /var/lib/dkms/ringpcm /lib/modules/*/updates/dkms/ringpcm.ko 2>/dev/null")
	check purge-no-dkms-left $([ -z "$out" ]; echo $?) "$out"
	! grep -q '^ringpcm ' /proc/modules
	check purge-module-unloaded $? "ringpcm is still loaded"
	in_new "modinfo ringpcm" >/dev/null 2>&1
	check purge-module-not-found $([ $? != 0 ]; echo $?) "modinfo still finds a ringpcm module"
}

# What the overlay's upper layer gained and kept: everything the packages
# wrote outside dpkg's and DKMS's own bookkeeping must be gone.
check_upper_layer() {
	local extra
	extra=$(cd "$OVL/upper" && find . \( -type f -o -type l \) | sed 's|^\.||' |
		grep -v -E '^/(var/lib/dpkg|var/log|var/cache|var/lib/dkms/mok\.|tmp/|run/|etc/ld\.so\.cache$|var/lib/man-db/)' |
		grep -v -E "^/lib/modules/[^/]*/modules\.|^/usr/lib/modules/[^/]*/modules\." |
		grep -i ringpcm)
	check purge-nothing-in-overlay $([ -z "$extra" ]; echo $?) "left in the overlay: $(echo $extra)"
}

# The boot's own checks (pinned pages, rmmod) expect the rig's module.
restore_rig_module() {
	[ "${RINGPCM_MODULE:-0}" = 1 ] || return 0
	grep -q '^ringpcm ' /proc/modules || insmod "$TOP/kernel/ringpcm.ko" ||
		fail install-restore-rig-module "insmod kernel/ringpcm.ko failed"
}

main() {
	debs_present || exit 0
	if ! overlay_up; then
		fail install-overlay "cannot lay a writable overlay over the guest's root"
		overlay_down
		exit 0
	fi
	pass install-overlay
	install_packages
	check_dkms
	load_dkms_module && {
		check_udev_rule
		check_tools
		check_alsa
		check_pkgconfig
		check_portaudio
	}
	purge_packages
	check_upper_layer
	overlay_down
	restore_rig_module
	exit 0
}

main
