# SPDX-License-Identifier: GPL-2.0
# Sourced by the jackd guest tests (tests/guest/30-alsa-jackd*.sh) after
# guest-lib.sh: a jackd on an ALSA device in the guest, its cost, and
# jack_iodelay's round trip over QEMU's loopback.  Not a test itself.
# The caller sets TAG (names the logs) and exports JACK_DEFAULT_SERVER.
export JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1

jackd_start() { # dev period periods -> JACKD (pid), T0 (ms)
	T0=$(ms_now)
	jackd -n "$JACK_DEFAULT_SERVER" -d alsa -d "$1" -r 48000 -p "$2" -n "$3" \
		>"$R/jackd-$TAG.log" 2>&1 &
	JACKD=$!
	alsa_bg $JACKD
	jack_wait -w -t 10 >/dev/null 2>&1
}

# JACK xruns so far: "XRun" lines of jackd's log (late clients and device
# xruns alike), and of those the device's own ("xrun of at least").
jackd_xruns() { grep -ci xrun "$R/jackd-$TAG.log"; }
jackd_device_xruns() { grep -ci 'xrun of at least' "$R/jackd-$TAG.log"; }
# Clients still running when the next cycle began ("not finished, state =
# Running", or "finished after current callback"): their port buffers were
# read or written by both cycles.  ("state = Triggered": it had not started,
# it only missed the cycle.)
jackd_late_clients() {
	grep -cE 'not finished, state = Running|finished after current callback' "$R/jackd-$TAG.log"
}

# SIGTERM, and SIGKILL if jackd has not gone 10 s later: a server stuck in
# its graph (seen once with snd-hda-intel under swiotlb, after jack_delay
# died mid-cycle) must fail its own checks, not hang the whole test file.
jackd_kill() {
	local i
	kill $JACKD 2>/dev/null
	for i in $(seq 50); do
		kill -0 $JACKD 2>/dev/null || break
		sleep 0.2
	done
	kill -0 $JACKD 2>/dev/null && { echo "$TAG: jackd did not stop in 10 s: SIGKILL"; kill -9 $JACKD; }
	wait $JACKD
}

jackd_stop() { # -> JACKD_CPU (ms of CPU per s), JACKD_XRUNS
	local t ticks
	ticks=$(awk '{print $14 + $15}' /proc/$JACKD/stat)
	t=$(( $(ms_now) - T0 ))
	jackd_kill
	JACKD_CPU=$(( ticks * 10 * 1000 / t ))
	JACKD_XRUNS=$(jackd_xruns)
}

# jack_iodelay over the loopback: LAT[$TAG] = round trip in frames.
jack_latency() {
	timeout 8 stdbuf -oL jack_iodelay >/tmp/iodelay.txt 2>&1 &
	local ip=$! i
	for i in $(seq 30); do	# its ports appear once it has started
		timeout 5 jack_lsp 2>/dev/null | grep -q '^jack_delay:out' && break
		sleep 0.1
	done
	# (bounded: a stuck server would otherwise hold jack_connect forever)
	timeout 10 jack_connect jack_delay:out system:playback_1 &&
		timeout 10 jack_connect system:capture_1 jack_delay:in
	wait $ip
	LAT[$TAG]=$(grep -a 'total roundtrip latency' /tmp/iodelay.txt | tail -n1 | awk '{print $1}')
	echo "$TAG: $(grep -a 'total roundtrip latency' /tmp/iodelay.txt | tail -n1)"
}

# jackd_start, or a FAIL line with jackd's last words.  The baseline
# (Debian's snd-hda-intel, TAG hda-intel-*) gets one more start: under
# swiotlb its first period sometimes does not come within jackd's 5 s
# ("Driver is not running"), which says nothing about ringpcm, whose own
# start is never tried twice.
jackd_start_checked() { # dev period periods
	jackd_start "$@" && return 0
	if [[ $TAG == hda-intel-* ]]; then
		jackd_kill 2>/dev/null
		cp "$R/jackd-$TAG.log" "$R/jackd-$TAG.try1.log"
		echo "INFO alsa-jackd-$TAG-start: the baseline's jackd did not start" \
			"($(tail -n 3 "$R/jackd-$TAG.log" | tr '\n' ' ')): once more"
		jackd_start "$@" && return 0
	fi
	fail alsa-jackd-$TAG-start "jackd did not start: $(tail -n 3 "$R/jackd-$TAG.log" | tr '\n' ' ')"
	jackd_kill 2>/dev/null
	return 1
}

# The two drivers' round trips at PERIOD x N (LAT[ringpcm-PxN] and
# LAT[hda-intel-PxN]) within 1024 frames: QEMU's loop adds a delay that
# differs from one jackd start to the next with either driver, by up to a
# period at 1024 frames (7168 or 8192) and by up to 1024 frames at 256
# (1792 to 3072 frames seen with ringpcm, 2560 to 3072 with snd-hda-intel).
jack_latency_compare() { # period periods
	local r=${LAT[ringpcm-$1x$2]:-} b=${LAT[hda-intel-$1x$2]:-}
	echo "round trip $1 x $2: ringpcm ${r:-?} frames, snd-hda-intel ${b:-?} frames"
	[ -n "$r" ] && { [ -z "$b" ] || awk -v r="$r" -v b="$b" \
		'BEGIN { exit !(r - b <= 1024 && b - r <= 1024) }'; }
	check alsa-jackd-latency-$1x$2 $? "round trip ringpcm ${r:-none} vs snd-hda-intel ${b:-none} frames"
}
