#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none baseline
# timeout: 150
# jackd's short settings, -p 256 -n 2 and -n 3 (5.3 ms periods), duplex on
# ringpcm, with jack_rec writing the capture to WAV; and the CPU cost: jackd
# per second, and aplay -M per second of audio, against Debian's
# snd-hda-intel on the baseline controller in the same boot (figures printed
# as information, one or two runs each; the guest CPU is emulated, so only
# ratios within one boot mean something: `make bench BENCH=alsa` measures
# them with repetitions, results/bench-alsa.md).
# No loopback here: QEMU's JACK backend moves 4 KiB bursts, more than a
# 256 x 2 ring holds (see 30-alsa-jackd).
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/jack-lib.sh
alsa_setup
export JACK_DEFAULT_SERVER=rpcm-short
[ -n "${RINGPCM_BASELINE_CARD:-}" ] || { fail alsa-jackd-short "no baseline card"; exit 0; }
BASE=hw:CARD=$RINGPCM_BASELINE_CARD
declare -A CPU

# Nanoseconds on CPU of every thread of PID so far (schedstat, not ticks).
cpu_ns() { # pid
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'
}

# Steady-state CPU of a running PID over SECONDS: ms of CPU per second.
steady_cpu() { # pid seconds
	local c0 t0 c1 t1
	c0=$(cpu_ns "$1") t0=$(ms_now)
	sleep "$2"
	c1=$(cpu_ns "$1") t1=$(ms_now)
	echo $(( (c1 - c0) / 1000 / (t1 - t0) ))
}

# jackd for 5 s (jack_rec recording 2 s of it): CPU[tag] = ms of CPU per s.
jackd_run() { # tag dev periods
	local TAG=$1 xr frames
	jackd_start_checked "$2" 256 "$3" || return
	rm -f /tmp/jrec.wav
	timeout 10 jack_rec -f /tmp/jrec.wav -d 2 system:capture_1 system:capture_2 >/dev/null 2>&1
	CPU[$1]=$(steady_cpu $JACKD 4)	# jackd alone, no client
	jackd_kill
	xr=$(jackd_xruns)
	frames=$(soxi -s /tmp/jrec.wav 2>/dev/null)
	echo "$1: jackd ${CPU[$1]} ms CPU/s, $xr xrun lines, jack_rec ${frames:-no} frames"
	[ "$frames" = 96000 ]
	check alsa-jackd-$1 $? "jack_rec wrote ${frames:-no} frames of 96000 ($xr xrun lines)"
}

for n in 2 3; do
	jackd_run ringpcm-256x$n ringpcm $n
	jackd_run hda-intel-256x$n "$BASE" $n >/dev/null
	echo "jackd 256 x $n CPU (no client): ringpcm ${CPU[ringpcm-256x$n]:-?} ms/s, snd-hda-intel ${CPU[hda-intel-256x$n]:-?} ms/s"
done

# aplay -M: CPU per second of audio in steady state (from 1 s to 7 s, not
# counting start-up: alsa-lib's configuration and the plugin come over 9p),
# best of 2 (TCG noise only adds).
make_noise /tmp/noise.wav 8
aplay_cpu() { # dev -> ms of CPU per s of audio
	local best= i c p
	for i in 1 2; do
		aplay -q -M -D "$1" /tmp/noise.wav &
		p=$!
		sleep 1
		c=$(steady_cpu $p 6)
		wait $p
		[ -z "$best" ] || [ "$c" -lt "$best" ] && best=$c
	done
	echo "$best"
}
r=$(aplay_cpu ringpcm) b=$(aplay_cpu "$BASE")
echo "aplay -M CPU per second of audio: ringpcm $r ms, snd-hda-intel (hw:) $b ms (steady state)"
[ -n "$r" ] && [ -n "$b" ]
check alsa-aplay-mmap-cpu $? "no figure (ringpcm '$r', snd-hda-intel '$b')"
exit 0
