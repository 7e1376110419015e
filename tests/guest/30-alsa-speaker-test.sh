#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# timeout: 90
# speaker-test -D ringpcm (its own buffer negotiation, RW access) plays both
# channels for the expected time without an xrun, and its sine comes back
# through the loopback; speaker-test through ringpcm_plug at 44.1 kHz too.
. alsa-plugin/test/guest-lib.sh
alsa_setup

st_run() { # name dev rate
	local t0 dt out st peak
	record_bg /tmp/st.wav 8
	t0=$(ms_now)
	out=$(speaker-test -D "$2" -r "$3" -c 2 -t sine -f 1000 -l 1 -p 100000 2>&1)
	st=$? dt=$(( $(ms_now) - t0 ))
	wait $REC_PID
	echo "$out" | tail -n 4
	peak=$(sox /tmp/st.wav -n stat 2>&1 | awk '/Maximum amplitude/ {print $3}')
	echo "$1: status $st, $dt ms, recorded peak ${peak:-?}"
	# one loop: a sine on each of 2 channels (~2.7 s each here), start, stop
	[ $st = 0 ] && ! grep -qi 'underrun\|xrun\|error' <<<"$out" && [ $dt -ge 2500 ] &&
		[ $dt -le 9000 ] && awk -v p="$peak" 'BEGIN { exit !(p > 0.05) }'
	check "$1" $? "status $st after $dt ms, peak ${peak:-?}: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
}

st_run alsa-speaker-test ringpcm 48000
st_run alsa-speaker-test-plug-44100 ringpcm_plug 44100
exit 0
