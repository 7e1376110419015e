#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps hook for bench/: gnuplot draws the benchmark's PNG plots;
# strace counts aplay's system calls per period (BENCH=alsa; the guest runs
# the host's binaries over 9p, so the host's strace is the guest's).
# Idempotent: installs only what is missing.
set -euo pipefail
missing=()
for p in gnuplot-nox strace; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps/bench: installing ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
