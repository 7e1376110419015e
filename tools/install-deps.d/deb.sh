#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps hook for debian/ and the newer-kernel build check: the tools
# `make deb` needs (dpkg-buildpackage, debhelper, dh-dkms, lintian), dkms and
# udev for the VM install test (the guest runs the host's binaries), and the
# headers of one newer kernel from bookworm-backports, against which
# tests/host/kernel-compat.sh builds the module.
#
# Backports come in pinned at priority 100 (below the 500 of bookworm), so
# only packages that exist nowhere else are taken from there: nothing the
# system already has is upgraded from backports. The newer headers are not
# installed (their package depends on the kernel image): like the guest's
# kernel they are downloaded and unpacked into build/kheaders/<release>/.
# Idempotent: the source and pin are written once, packages installed only
# when missing, the headers unpacked once (a stamp file).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
kheaders=${RINGPCM_KHEADERS_DIR:-$top/build/kheaders}
bpo_list=/etc/apt/sources.list.d/ringpcm-backports.sources
bpo_pin=/etc/apt/preferences.d/ringpcm-backports

log() { echo "install-deps/deb: $*" >&2; }

have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# bookworm-backports with the same URIs and key as the system's bookworm entry.
add_backports() {
	local src=/etc/apt/sources.list.d/debian.sources uris= signed=
	[ -f "$bpo_list" ] && [ -f "$bpo_pin" ] && return 1
	if [ -r "$src" ]; then
		uris=$(sed -n 's/^URIs:[[:space:]]*//p' "$src" | head -n1)
		signed=$(sed -n 's/^Signed-By:[[:space:]]*//p' "$src" | head -n1)
	fi
	log "adding bookworm-backports ($bpo_list), pinned at 100 ($bpo_pin)"
	cat >"$bpo_list" <<SRC
Types: deb
URIs: ${uris:-http://deb.debian.org/debian}
Suites: bookworm-backports
Components: main
Signed-By: ${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}
SRC
	cat >"$bpo_pin" <<PIN
# ringpcm: only packages found nowhere else (a newer kernel's headers) come
# from backports; nothing installed is upgraded from there.
Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100
PIN
}

# The headers the backports' linux-headers-amd64 points at (e.g.
# linux-headers-6.12.38+deb12-amd64); empty when backports have none.
newer_headers() {
	apt-cache show -o APT::Cache::AllVersions=1 linux-headers-amd64 2>/dev/null |
		awk '/^Version:/ { bpo = ($2 ~ /bpo/) }
		     bpo && /^Depends:/ { sub(/^Depends: */, ""); sub(/[ ,].*/, ""); print; exit }'
}

# linux-headers-X-amd64 plus what it depends on from the kernel's own
# source package (-common, linux-kbuild-X), unpacked into one folder; their
# relative links then hold, the one absolute include is pointed there.
unpack_headers() { # linux-headers-<release>
	local rel=${1#linux-headers-} dir tmp pkgs
	dir=$kheaders/$rel
	[ -f "$dir/.complete" ] && return 0
	pkgs=("$1" $(apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p'))
	log "downloading ${pkgs[*]} into $dir (not installed)"
	tmp=$kheaders/.fetch-$rel
	rm -rf "$tmp" && mkdir -p "$tmp/root"
	(cd "$tmp" && apt-get download -qq "${pkgs[@]}" >&2)
	for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
	sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" \
		"$tmp/root/usr/src/linux-headers-$rel/Makefile"
	rm -f "$tmp"/*.deb
	rm -rf "$dir" && mv "$tmp" "$dir" && touch "$dir/.complete"
}

# pahole: the newer kernel's module BTF step (its linux-kbuild depends on it).
PKGS=(debhelper dh-dkms dkms lintian dpkg-dev fakeroot build-essential pkg-config
      libasound2-dev libjack-jackd2-dev libsndfile1-dev udev pahole)

if add_backports; then
	apt-get update -qq
fi
missing=()
for p in "${PKGS[@]}"; do
	have_pkg "$p" || missing+=("$p")
done
hdr=$(newer_headers)
if [ -z "$hdr" ]; then
	# Lists older than the source entry: refresh once.
	apt-get update -qq
	hdr=$(newer_headers)
fi
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -n "$hdr" ]; then
	unpack_headers "$hdr"
else
	log "bookworm-backports offers no linux-headers-amd64: no newer headers for the compat check"
fi
