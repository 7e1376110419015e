# SPDX-License-Identifier: GPL-2.0
# Shared by the 10-core-* guest tests (sourced, not a test: not executable).
# Helpers to run the core programs (build/progs/*, build/examples/*) and
# report PASS/FAIL lines.

R=${RINGPCM_RESULTS:-/tmp}
PLAY=build/examples/ringpcm-play
REC=build/examples/ringpcm-record
PINNED=/sys/class/ringpcm/pinned_pages

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # name status why
	if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi
}

# Repeatable 48 kHz 16-bit stereo white noise (sox -R), and distinct variants
# of it, so that several plays in one recording can each be found by wavcmp.
noise() { # out seconds [variant: plain|reverse|swap|swap-reverse]
	local base=/tmp/noise-base-$2.wav
	[ -f "$base" ] || sox -R -n -r 48000 -c 2 -b 16 "$base" synth "$2" whitenoise
	case ${3:-plain} in
	plain) cp "$base" "$1" ;;
	reverse) sox "$base" "$1" reverse ;;
	swap) sox "$base" "$1" remix 2 1 ;;
	swap-reverse) sox "$base" "$1" remix 2 1 reverse ;;
	esac
}

# QEMU's JACK backend repeats stale frames when a stream starts: lead with silence.
lead_silence() { # in out
	sox "$1" "$2" pad 0.3 0
}

pinned() {
	cat $PINNED 2>/dev/null || echo missing
}

# Waits up to MS for pinned_pages to satisfy a test ("-eq 0", "-gt 0").
wait_pinned() { # op value ms
	local i
	for i in $(seq $(($3 / 50))); do
		[ "$(pinned)" $1 "$2" ] 2>/dev/null && return 0
		sleep 0.05
	done
	[ "$(pinned)" $1 "$2" ] 2>/dev/null
}

# Huge pages for MAP_HUGETLB rings; returns 1 if none can be had.
huge_pages() { # count
	local f=/proc/sys/vm/nr_hugepages
	[ -w $f ] || return 1
	[ "$(cat $f)" -ge "$1" ] || echo "$1" >$f 2>/dev/null
	[ "$(awk '/^HugePages_Free/ { print $2 }' /proc/meminfo)" -ge 1 ]
}

# The numbers from an example's final report line.
report_field() { # report-text field: frames|xruns|driver-xruns
	case $2 in
	frames) sed -n 's/.*: \([0-9]*\) frames (.*/\1/p' <<<"$1" ;;
	xruns) sed -n 's/.*; xruns \([0-9]*\) recovered.*/\1/p' <<<"$1" ;;
	driver-xruns) sed -n 's/.* recovered, \([0-9]*\) counted by the driver.*/\1/p' <<<"$1" ;;
	esac
}

# wavcmp, as a check.
bitexact() { # name reference recording
	local out st
	out=$(build/wavcmp "$2" "$3" 2>&1)
	st=$?
	echo "$out" | sed 's/^/  /'
	check "$1" $st "$(echo "$out" | tail -n 2 | head -n 1)"
}

# The host's JACK server logs its own xruns: a starved host drops whole JACK
# periods, which no guest driver can prevent.
JACK_LOG=${RINGPCM_JACK_LOG:-/run/rig/jackd.log}
jack_xruns() {
	grep -c 'XRun' "$JACK_LOG" 2>/dev/null || echo 0
}

# 2 s of noise played and recorded back at once through the loopback, with
# ringpcm-play/-record in mmap mode, 4 x 4096 rings; once more only when the
# host's JACK server lost frames meanwhile.  Checks TAG-loopback-bitexact;
# the recording is $R/TAG.wav.
loopback_bitexact() { # tag
	local x0 pid cmp ok=1 try
	noise /tmp/lb-ref.wav 2
	lead_silence /tmp/lb-ref.wav /tmp/lb-play.wav
	for try in 1 2; do
		x0=$(jack_xruns)
		$REC -q -p 4096 -n 4 -t 3.5 --mmap "$R/$1.wav" >/tmp/lb-rec.out 2>&1 &
		pid=$!
		sleep 0.4
		$PLAY -q -p 4096 -n 4 --mmap /tmp/lb-play.wav >/tmp/lb-play.out 2>&1
		wait $pid
		cmp=$(build/wavcmp /tmp/lb-ref.wav "$R/$1.wav" 2>&1)
		ok=$?
		[ $ok = 0 ] || [ "$(jack_xruns)" = "$x0" ] && break
		echo "INFO $1-loopback: host JACK xruns during the attempt: again"
	done
	check "$1-loopback-bitexact" $ok "$(echo "$cmp" | tail -n 2 | head -n 1)"
}

# Loads kernel/ringpcm.ko again with OPTIONS (none: its defaults) and waits
# for its nodes; fails when it does not load.
reload_ringpcm() { # options...
	rmmod ringpcm 2>/dev/null
	insmod kernel/ringpcm.ko "$@" || return 1
	for _ in $(seq 50); do
		[ -e /dev/ringpcmC0D0p ] && return 0
		sleep 0.1
	done
	return 1
}

