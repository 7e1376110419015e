#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps hook for portaudio-hostapi/: makes Debian's PortAudio source
# package (portaudio19) available in a cache folder so that the build can
# unpack it into build/ and compile it with the RingPCM host API added.
# Idempotent: adds the deb-src entry only when no deb-src for bookworm main
# exists, downloads the source only when the .dsc is not already cached, and
# installs packages only when missing.
#
#   RINGPCM_PA_CACHE   where the source package is kept (default:
#                      <checkout>/build/portaudio-src, survives `make` but
#                      not `make clean`; point it outside for CI caching)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${RINGPCM_PA_CACHE:-$top/build/portaudio-src}
srcpkg=portaudio19
list=/etc/apt/sources.list.d/ringpcm-deb-src.sources

log() { echo "install-deps/portaudio: $*" >&2; }
# shellcheck source=../deb-src.sh
. "$(dirname "$0")/../deb-src.sh"

have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# Packages the backend, the examples and PortAudio's own build need beyond
# tools/install-deps.sh's list (dpkg-source comes with dpkg-dev).
need_packages() {
	local missing=() p
	for p in dpkg-dev libsndfile1-dev libasound2-dev libjack-jackd2-dev pkg-config; do
		have_pkg "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

fetch_source() {
	if ls "$cache"/${srcpkg}_*.dsc >/dev/null 2>&1; then
		return 0
	fi
	has_deb_src || add_deb_src
	mkdir -p "$cache"
	log "downloading source package $srcpkg into $cache"
	if ! (cd "$cache" && apt-get source --download-only -qq "$srcpkg" >&2); then
		# Stale package lists: refresh once and retry.
		apt-get update -qq
		(cd "$cache" && apt-get source --download-only -qq "$srcpkg" >&2)
	fi
	ls "$cache"/${srcpkg}_*.dsc >/dev/null
}

need_packages
fetch_source
