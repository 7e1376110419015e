#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs, from Debian's archive only, everything ringpcm needs to build and test.
# Idempotent: does nothing when every package is already present.
set -euo pipefail

kabi() {
	# The ABI of Debian's current kernel (e.g. 6.1.0-56); the number moves with the archive.
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -n1
}

# qemu-system-gui carries QEMU's JACK audio backend (the rig's loopback).
PKGS=(build-essential qemu-system-x86 qemu-system-gui busybox-static cpio kmod alsa-utils
      sox jackd2 libjack-jackd2-dev libasound2-dev libsndfile1-dev python3-numpy)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

abi=$(kabi || true)
if [ -z "$abi" ]; then
	apt-get update -qq
	abi=$(kabi)
fi
hdr="linux-headers-$abi-amd64"
dpkg-query -W -f='${Status}' "$hdr" 2>/dev/null | grep -q 'ok installed' || missing+=("$hdr")

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Parts of the project that need more than packages (e.g. a Debian source
# package) add an idempotent hook here.
for hook in "$(dirname "$0")"/install-deps.d/*.sh; do
	[ -e "$hook" ] && bash "$hook" >&2
done
echo "$abi"
