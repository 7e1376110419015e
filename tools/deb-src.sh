# SPDX-License-Identifier: GPL-2.0
# Sourced by the install-deps hooks that fetch a Debian source package
# (portaudio.sh, qemu-plugin.sh): a deb-src entry when the system has none.
# The caller defines log() and list (the .sources file to write).

has_deb_src() {
	grep -rhsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
		/etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -q .
}

# A deb-src twin of the system's bookworm entry: same URIs, Suites,
# Components and Signed-By as debian.sources.
add_deb_src() {
	local src=/etc/apt/sources.list.d/debian.sources uris suites comps signed
	if [ -r "$src" ]; then
		uris=$(sed -n 's/^URIs:[[:space:]]*//p' "$src" | head -n1)
		suites=$(sed -n 's/^Suites:[[:space:]]*//p' "$src" | head -n1)
		comps=$(sed -n 's/^Components:[[:space:]]*//p' "$src" | head -n1)
		signed=$(sed -n 's/^Signed-By:[[:space:]]*//p' "$src" | head -n1)
	fi
	log "adding deb-src entry $list"
	cat >"$list" <<SRC
Types: deb-src
URIs: ${uris:-http://deb.debian.org/debian}
Suites: ${suites:-bookworm bookworm-updates}
Components: ${comps:-main}
Signed-By: ${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}
SRC
	apt-get update -qq
}
