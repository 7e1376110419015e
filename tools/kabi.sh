#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prints the ABI (e.g. 6.1.0-56) of Debian's current kernel, the one the VM rig
# boots and the module builds against: the newest installed headers that match
# what linux-image-amd64 depends on.
set -euo pipefail
abi=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -n1)
if [ -z "$abi" ]; then
	# No package lists: fall back to the newest installed headers.
	abi=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1 |
		sed 's|.*/linux-headers-\(.*\)-amd64|\1|')
fi
[ -n "$abi" ] || { echo "kabi: cannot resolve the kernel ABI" >&2; exit 1; }
echo "$abi"
