#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps hook for tools/insns/ (the instruction-counting QEMU plugin):
# fetches Debian's qemu source package (the QEMU the VM rig runs) and
# extracts its plugin API header, include/qemu/qemu-plugin.h, to
# <cache>/include/qemu-plugin.h. Nothing else of the source is unpacked.
# Idempotent: adds the deb-src entry only when no deb-src exists (the same
# twin of debian.sources as tools/install-deps.d/portaudio.sh), downloads
# only when no .dsc is cached, extracts only when the header is missing.
#
#   RINGPCM_QEMU_CACHE  where the source package is kept (default:
#                       <checkout>/build/qemu-src; point it outside for CI)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${RINGPCM_QEMU_CACHE:-$top/build/qemu-src}
header=$cache/include/qemu-plugin.h
list=/etc/apt/sources.list.d/ringpcm-deb-src.sources

log() { echo "install-deps/qemu-plugin: $*" >&2; }
# shellcheck source=../deb-src.sh
. "$(dirname "$0")/../deb-src.sh"

fetch_source() {
	ls "$cache"/qemu_*.dsc >/dev/null 2>&1 && return 0
	has_deb_src || add_deb_src
	mkdir -p "$cache"
	log "downloading source package qemu into $cache"
	if ! (cd "$cache" && apt-get source --download-only -qq qemu >&2); then
		apt-get update -qq
		(cd "$cache" && apt-get source --download-only -qq qemu >&2)
	fi
	ls "$cache"/qemu_*.dsc >/dev/null
}

# Only the header, straight from the upstream tarball (Debian's patches do
# not touch the plugin API).
extract_header() {
	local orig tmp
	[ -s "$header" ] && return 0
	orig=$(ls "$cache"/qemu_*.orig.tar.* | sort -V | tail -n1)
	tmp=$(mktemp -d "$cache/.x.XXXXXX")
	log "extracting include/qemu/qemu-plugin.h from $(basename "$orig")"
	tar -xf "$orig" -C "$tmp" --wildcards '*/include/qemu/qemu-plugin.h'
	mkdir -p "$cache/include"
	mv "$(find "$tmp" -name qemu-plugin.h | head -n1)" "$header"
	rm -rf "$tmp"
}

fetch_source
extract_header
