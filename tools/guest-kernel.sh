#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetches Debian's kernel image for the VM rig and prints the folder it lives in.
#
#   tools/guest-kernel.sh [KABI]       (default: $KABI, else tools/kabi.sh)
#
# The host kernel cannot load modules, so the driver runs in a guest booting
# Debian's own kernel. The image package is downloaded (never installed on the
# host), unpacked into build/guest/image-<abi>/ and depmod'ed there; that gives
# boot/vmlinuz-<abi>-amd64 and lib/modules/<abi>-amd64/ for `modprobe -d`.
# A stamp file makes later runs instant; a lock serialises concurrent callers.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
abi=${1:-${KABI:-}}
[ -n "$abi" ] || abi=$(bash "$top/tools/kabi.sh")
guest=${RINGPCM_GUEST_DIR:-$top/build/guest}
image=$guest/image-$abi
kver=$abi-amd64
pkg=linux-image-$kver

die() { echo "guest-kernel: $*" >&2; exit 1; }

# Download and unpack into a scratch folder, then rename: an interrupted run
# never leaves a half-extracted image behind the stamp.
fetch() {
	local tmp=$guest/.fetch-$abi
	rm -rf "$tmp" && mkdir -p "$tmp/root"
	echo "guest-kernel: downloading $pkg (once, ~70 MB)" >&2
	if ! (cd "$tmp" && apt-get download -q "$pkg" >&2); then
		# Stale package lists name a version the mirror no longer has.
		apt-get update -qq >&2 || true
		(cd "$tmp" && apt-get download -q "$pkg" >&2) || die "cannot download $pkg"
	fi
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	[ -f "$tmp/root/boot/vmlinuz-$kver" ] || die "$pkg has no boot/vmlinuz-$kver"
	depmod -b "$tmp/root" "$kver"
	rm -rf "$image" && mv "$tmp/root" "$image" && rm -rf "$tmp"
	touch "$image/.complete"
}

mkdir -p "$guest"
exec 9>"$guest/.lock-$abi"
flock 9
[ -f "$image/.complete" ] || fetch
echo "$image"
