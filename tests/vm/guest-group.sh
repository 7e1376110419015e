#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs one boot's worth of guest tests inside the VM (the COMMAND that
# tests/run-checks gives run-in-vm), then the checks that need the guest
# itself at the end of the boot.
#
#   tests/vm/guest-group.sh SCRIPT:TIMEOUT...
#
# Prints each test's own output between "# begin NAME" and "# end NAME STATUS"
# markers (run-checks turns a timeout, status 124, or a non-zero status
# without a FAIL line into a FAIL). Then, when ringpcm was loaded, prints
#   PASS|FAIL pinned-pages   /sys/class/ringpcm/pinned_pages reads 0 (if present)
#   PASS|FAIL rmmod          rmmod ringpcm succeeds
# which run-checks names per boot.
set -u

run_test() { # script timeout
	local name st
	name=$(basename "$1" .sh)
	echo "# begin $name"
	# Each test in its own process group, killed whole on timeout.
	timeout -k 5 "$2" "$1" </dev/null 2>&1
	st=$?
	echo "# end $name $st"
}

# Every pinned page must have been released once the tests' processes are
# gone; read it before rmmod, which removes the class.
check_pinned() {
	local f=/sys/class/ringpcm/pinned_pages n
	[ -r $f ] || return 0
	n=$(cat $f)
	if [ "$n" = 0 ]; then
		echo "PASS pinned-pages"
	else
		echo "FAIL pinned-pages: $f reads $n after the tests"
	fi
}

check_rmmod() {
	local out
	if out=$(rmmod ringpcm 2>&1); then
		echo "PASS rmmod"
	else
		echo "FAIL rmmod: $out"
	fi
}

for t in "$@"; do
	run_test "${t%:*}" "${t##*:}"
done
if [ "${RINGPCM_MODULE:-0}" = 1 ]; then
	echo "# begin boot"
	check_pinned
	check_rmmod
	echo "# end boot 0"
fi
exit 0
