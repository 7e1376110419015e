#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# timeout: 150
# The ALSA API through the ringpcm plugin, measured by rpcm-alsa-test: poll
# wakes once per period and follows avail_min changed at run time, never
# spins (read/write, mmap, jackd's 256 x 2 and 256 x 3); capture wakes once
# per period; drain returns once what was queued has played (within one
# period of padding) and leaves a reusable stream; non-blocking writes never
# block and a non-blocking drain ends without spinning; pause freezes the
# position; delay = ring fill + a steady device part; the period sizes a
# client can ask for (every 128-byte multiple to 8192 frames, powers of two,
# near a request within 1/1000).
. alsa-plugin/test/guest-lib.sh
alsa_setup

# A run spoiled by xruns (the TCG guest stalled on a loaded host: "error:
# xruns" or an EPIPE) says so and runs once more; the second run counts.
api() { # name rpcm-alsa-test arguments...
	local name=$1 out st try
	shift
	for try in 1 2; do
		out=$(rpcm-alsa-test -D ringpcm "$@" 2>&1)
		st=$?
		echo "$out" | sed "s/^/$name: /"
		[ $st = 0 ] || [ $try = 2 ] && break
		grep -qE '^error: xruns|Broken pipe' <<<"$out" || break
		echo "INFO $name: xruns on a loaded host: once more"
	done
	check "$name" $st "$(grep -m1 '^error' <<<"$out")"
}

# jackd's settings, 5.3 ms periods: the wakeup count is what is checked; an
# xrun under TCG load is reported, not failed.
api_short_periods() { # name rpcm-alsa-test arguments...
	local name=$1 out
	shift
	out=$(rpcm-alsa-test -D ringpcm "$@" 2>&1)
	echo "$out" | sed "s/^/$name: /"
	! grep -v '^error: xruns' <<<"$out" | grep -q '^error'
	check "$name" $? "$(grep -m1 '^error' <<<"$out")"
}

api alsa-api-poll-rw -p 1024 -n 4 -s 3 poll
api alsa-api-poll-mmap -M -p 1024 -n 4 -s 3 poll
api alsa-api-capture-poll-rw -p 1024 -n 4 -s 2 capture-poll
api alsa-api-capture-poll-mmap -M -p 1024 -n 4 -s 2 capture-poll
# A drain plays the device's tail out after the queue: FIFO and codec
# buffer, QEMU's host backend (ringpcm-info), and on to a period end.
tail=$(ringpcm-info | sed -n 's/.*device tail: *\([0-9]*\) bytes.*, \([0-9]*\) us.*/\1 \2/p' | head -n 1)
tail_ms=$(( ${tail% *} * 1000 / (48000 * 4) + ${tail#* } / 1000 ))
api alsa-api-drain-rw -p 1024 -n 4 -s 1 -T $tail_ms drain
api alsa-api-drain-mmap -M -p 2048 -n 3 -s 1 -T $tail_ms drain
api alsa-api-nonblock -p 1024 -n 4 -s 2 -T $tail_ms nonblock
api alsa-api-pause-rw -p 2048 -n 4 -s 2 pause
api alsa-api-pause-mmap -M -p 2048 -n 4 -s 2 pause
api alsa-api-delay -p 1024 -n 4 delay
api alsa-api-period-sizes sizes
api_short_periods alsa-api-poll-mmap-256x2 -M -p 256 -n 2 -s 3 poll
api_short_periods alsa-api-poll-mmap-256x3 -M -p 256 -n 3 -s 3 poll
exit 0
