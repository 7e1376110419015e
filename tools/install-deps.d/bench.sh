#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps hook for bench/: gnuplot draws the benchmark's PNG plots.
# Idempotent: installs only when missing.
set -euo pipefail
if ! dpkg-query -W -f='${Status}' gnuplot-nox 2>/dev/null | grep -q 'ok installed'; then
	echo "install-deps/bench: installing gnuplot-nox" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		gnuplot-nox >/dev/null
fi
