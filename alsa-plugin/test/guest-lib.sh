# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/guest/30-alsa-*.sh (in the guest, from the checkout root):
# the uninstalled plugins made visible to alsa-lib, the test signals, and
# PASS/FAIL helpers.  Not a test itself.

TOP=$(pwd)
ALSA_BUILD=$TOP/build/alsa
PATH=$ALSA_BUILD:$TOP/build:$PATH
R=${RINGPCM_RESULTS:-/tmp}
export PATH

# alsa-lib reads ~/.asoundrc: a private HOME that points pcm_type/ctl_type
# at the built plugins and includes the very snippet `make install-alsa`
# installs.
alsa_setup() {
	HOME=$(mktemp -d /tmp/alsa-home.XXXXXX)
	export HOME
	cat >"$HOME/.asoundrc" <<EOF
pcm_type.ringpcm { lib "$ALSA_BUILD/libasound_module_pcm_ringpcm.so" }
ctl_type.ringpcm { lib "$ALSA_BUILD/libasound_module_ctl_ringpcm.so" }
<$TOP/alsa-plugin/60-ringpcm.conf>
EOF
	BG_PIDS=
	trap alsa_cleanup EXIT
}

# Background processes a test started (jackd, arecord) never outlive it.
alsa_bg() { # pid
	BG_PIDS="$BG_PIDS $1"
}

alsa_cleanup() {
	local p
	for p in $BG_PIDS; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	BG_PIDS=
}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILED=1; }
check() { # name cond-status why
	if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi
}

# White noise at half scale (so that JACK's 1/32767 float scaling is exact
# too), the same on every run (sox -R), with 0.2 s of silence around it:
# leading because QEMU's JACK backend repeats stale frames when a stream
# starts, trailing because its codec drops what it buffers at stop.
make_noise() { # path seconds [channels] [rate]
	sox -R -n -r "${4:-48000}" -c "${3:-2}" -b 16 "$1" synth "$2" whitenoise vol 0.5
}
pad() { # in out
	sox "$1" "$2" pad 0.2 0.2
}

# Second part of a wavcmp report, for a FAIL line.
wavcmp_why() { # output
	echo "$1" | grep -v '^wavcmp: reference' | tr '\n' ' ' | sed 's/wavcmp: //g'
}

# wavcmp REF REC; PASS/FAIL NAME with its verdict.
expect_bitexact() { # name ref rec
	local out
	out=$(wavcmp "$2" "$3" 2>&1)
	if [ $? = 0 ]; then
		pass "$1"
	else
		echo "$out"
		fail "$1" "$(wavcmp_why "$out")"
	fi
}

# Capture SECONDS of the loopback into FILE in the background (-M: mmap).
record_bg() { # file seconds [arecord options...]
	local f=$1 s=$2
	shift 2
	arecord -q "$@" -D ringpcm -f S16_LE -r 48000 -c 2 -d "$s" "$f" &
	REC_PID=$!
	alsa_bg $REC_PID
	sleep 0.5
}

ms_now() {
	date +%s%3N
}
