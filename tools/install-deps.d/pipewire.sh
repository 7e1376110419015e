#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps hook for the PipeWire configuration (alsa-plugin/pipewire/) and
# its guest tests (tests/guest/45-pw-*.sh): PipeWire 0.3.65 with its tools
# (pw-play, pw-record, pw-link, pw-dump, pw-cli, pw-jack), WirePlumber, and
# the JACK example clients (jack_rec, jack_simple_client, in jackd2).
# pipewire-alsa is deliberately not installed: it makes PipeWire the default
# ALSA device of the whole machine (and of every test guest, which runs the
# host's root), which the ALSA tests do not expect.
# Idempotent: installs only what is missing.
set -euo pipefail
missing=()
for p in pipewire pipewire-bin wireplumber pipewire-jack jackd2; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps/pipewire: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
