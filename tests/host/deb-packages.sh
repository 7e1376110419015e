#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test: the Debian packages `make check` built with `make deb` before
# the tests (build/deb/, its log and lintian's report; see tools/deb.mk).
#   PASS deb-build            every package of debian/control is in build/deb
#   PASS deb-lintian-clean    lintian reported no error (warnings are listed
#                             in build/deb/lintian.txt and shown here)
set -uo pipefail

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
debs=$top/build/deb
missing=
for p in $(sed -n 's/^Package: *//p' "$top/debian/control"); do
	ls "$debs/${p}_"*.deb >/dev/null 2>&1 || missing+=" $p"
done
if [ -z "$missing" ]; then
	echo "PASS deb-build"
else
	tail -n 20 "$top/build/deb.log" 2>/dev/null
	echo "FAIL deb-build: not built:$missing (make deb; make check logs it in build/deb.log)"
fi
if [ ! -s "$debs/lintian.txt" ]; then
	echo "FAIL deb-lintian-clean: no build/deb/lintian.txt (make deb did not reach lintian)"
elif grep -q '^E: ' "$debs/lintian.txt"; then
	grep '^E: ' "$debs/lintian.txt"
	echo "FAIL deb-lintian-clean: lintian reports errors (build/deb/lintian.txt)"
else
	grep -E '^[WE]: ' "$debs/lintian.txt"
	echo "PASS deb-lintian-clean"
fi
