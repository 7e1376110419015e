#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test: kernel/ builds, without a warning, against the headers of every
# Debian kernel newer than the one the VM rig boots: bookworm-backports'
# linux-headers that tools/install-deps.d/deb.sh unpacked into
# build/kheaders/, and any installed in /usr/src.
# Catches kernel API drift (class_create, vm_flags, PCI_IRQ_INTX, ...) that
# the 6.1 guest never sees. Each build runs in a copy of kernel/ under
# build/kernel-compat/ so that kernel/ringpcm.ko stays the rig's module.
#
#   PASS kernel-compat-build-<release>     (one per newer headers tree)
#   FAIL kernel-compat-headers: ...        when no newer headers are installed
set -uo pipefail

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
rig=$(bash "$top/tools/kabi.sh")-amd64
out=$top/build/kernel-compat
rm -rf "$out"
found=0 found_rels=

for hdr in "$top"/build/kheaders/*/root/usr/src/linux-headers-*-amd64 /usr/src/linux-headers-*-amd64; do
	[ -f "$hdr/Makefile" ] || continue
	rel=${hdr##*/linux-headers-}
	# Only releases newer than the rig's: the rig's own is `make module`.
	[ "$(printf '%s\n%s\n' "$rig" "$rel" | sort -V | tail -n1)" = "$rel" ] &&
		[ "$rel" != "$rig" ] || continue
	# The same release twice (unpacked and installed): build it once.
	[[ " $found_rels " != *" $rel "* ]] || continue
	found_rels+=" $rel"
	found=1
	dir=$out/$rel
	rm -rf "$dir" && mkdir -p "$dir" && cp -r "$top/kernel/." "$dir/"
	rm -f "$dir"/*.o "$dir"/*.ko "$dir"/.*.cmd
	if log=$(make -C "$hdr" M="$dir" KCFLAGS=-Werror modules 2>&1) &&
	   [ -f "$dir/ringpcm.ko" ]; then
		echo "PASS kernel-compat-build-$rel"
	else
		echo "$log" | grep -E 'error|warning' | head -n 20
		echo "FAIL kernel-compat-build-$rel: the module does not build (KCFLAGS=-Werror)"
	fi
done
[ $found = 1 ] || echo "FAIL kernel-compat-headers: no linux-headers newer than $rig in build/kheaders or /usr/src (make deps fetches them from bookworm-backports)"
