# SPDX-License-Identifier: MIT
# Shared by the 40-pa-* guest tests (sourced, not a test: not executable).
# PortAudio with the RingPCM host API, from the build tree: PortAudio's own
# programs in build/portaudio/bin (rpath to the built library), the
# examples build/examples/pa-play and pa-record.

R=${RINGPCM_RESULTS:-/tmp}
PA=build/portaudio/bin
PLAY=build/examples/pa-play
REC=build/examples/pa-record
CHECK=$PA/pa-ringpcm-check

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # name status why
	if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi
}

# alsa-lib and libjack talk on stderr when PortAudio probes their host APIs
# in a guest without ALSA cards or JACK server; keep the rest.
quiet() {
	grep -v -e '^ALSA lib' -e '^Cannot connect' -e '^jack server' -e '^JackShm' \
		-e 'Jack: ' -e '^Cannot' || true
}

# Runs a command with the guest's ALSA cards hidden (a private mount
# namespace with an empty /dev/snd): the rig's baseline controller is an ALSA
# card, and PortAudio's QA programs exercise every device of every host API.
only_ringpcm() { # command...
	if ls /dev/snd/controlC* >/dev/null 2>&1; then
		unshare -m sh -c 'mount -t tmpfs none /dev/snd && exec "$@"' only_ringpcm "$@"
	else
		"$@"
	fi
}

# Runs a program, keeps its whole output in $R/NAME.log and in the test
# output (indented), and checks its exit status.
run_logged() { # name command...
	local name=$1 st
	shift
	"$@" >"$R/$name.log" 2>&1
	st=$?
	quiet <"$R/$name.log" | sed 's/^/  /'
	check "$name" $st "exit status $st (log: $R/$name.log)"
	return $st
}

# The PortAudio device index of the first RingPCM device.
ringpcm_index() {
	$PA/pa_devs 2>/dev/null | awk '/^-+ device #/ { d = $3; sub("#", "", d) }
		/^Host API *= RingPCM/ { print d; exit }'
}

# Repeatable 48 kHz 16-bit white noise.
noise() { # out seconds channels
	sox -R -n -r 48000 -c "$3" -b 16 "$1" synth "$2" whitenoise
}
# 0.3 s of silence in front (QEMU's JACK backend repeats stale frames when a
# stream starts) and behind (QEMU's audio backend drops what it still buffers
# when the stream stops, beyond what the driver reports in info.fifo_bytes).
pad() { # in out
	sox "$1" "$2" pad 0.3 0.3
}
lead_silence() { # in out
	sox "$1" "$2" pad 0.3 0
}

wavcmp_why() { tail -n 2 <<<"$1" | head -n 1; }

# PortAudio's loopback QA program (paloopback), unmodified, between the
# RingPCM device and itself at RATE, its report in $R/paloopback-RATE.txt and
# the test output, the recordings it finds bad in $R/paloopback-RATE-waves
# (portaudio-hostapi/test/diag/paloopback-popan.py reads them).
# QEMU's JACK loopback itself sometimes repeats or drops a JACK period on a
# loaded host (seen with the raw ringpcm tools too): a failed run is kept,
# shown (with the host JACK server's xruns during it) and run once more; the
# run with fewer problem lines stays in $R/paloopback-RATE.txt.  Returns that
# run's status; PALOOPBACK_HOST_XRUNS: the host JACK server's xruns during it.
paloopback_runs() { # rate (run from the directory paloopback may write into)
	local idx try st st1 bad bad1 x0 x x1 out=$R/paloopback-$1.txt waves=$R/paloopback-$1-waves
	idx=$(cd "$T" && ringpcm_index)
	[ -n "$idx" ] || { echo "  no RingPCM device in pa_devs"; return 1; }
	for try in 1 2; do
		rm -rf "$waves" && mkdir -p "$waves"
		x0=$(grep -c XRun "${RINGPCM_JACK_LOG:-/run/rig/jackd.log}" 2>/dev/null)
		"$T/$PA/paloopback" -i"$idx" -o"$idx" -r"$1" -w -d"$waves" >"$out" 2>&1
		st=$?
		x=$(( $(grep -c XRun "${RINGPCM_JACK_LOG:-/run/rig/jackd.log}" 2>/dev/null) - ${x0:-0} ))
		PALOOPBACK_HOST_XRUNS=$x
		quiet <"$out" | grep -v '^\s*$' | sed 's/^/  /'
		[ $st = 0 ] && break
		cp "$out" "${out%.txt}.try$try.txt"
		cp -r "$waves" "$waves.try$try"
		bad=$(grep -cE 'POP|DROP|ADD|No or low signal|ERROR' "$out")
		echo "  paloopback run $try: $bad problem lines;" \
			"rows with xruns: $(grep -cE '\| +[1-9][0-9]*/ *[0-9]+/|, +[0-9]+/ *[1-9][0-9]*/' "$out");" \
			"host JACK server xruns meanwhile: $x"
		[ $try = 1 ] && { st1=$st bad1=$bad x1=$x; continue; }
		if [ "$bad1" -lt "$bad" ]; then
			cp "${out%.txt}.try1.txt" "$out"
			st=$st1
			PALOOPBACK_HOST_XRUNS=$x1
			echo "  (run 1, with fewer problems, is the one checked)"
		fi
	done
	return $st
}

# Counts paloopback report rows (stdin) that the awk pattern-action SELECT
# passes to row(): a row whose stream reported an over/underflow to the
# callback is shown, not failed (the glitch was announced); any other row
# must be OK.  END is the awk END action; it sees n (rows without xruns),
# nb (of them not OK) and nx (rows with xruns).
paloopback_rows() { # select end
	awk -F'|' "$1"'
	function row(what) {
		xr = ($5 !~ /^ *0\/ *0\/ *[0-9]+, *0\/ *0\/ *[0-9]+ *$/)
		bad = ($8 !~ /OK - /)
		if (xr) { nx++; if (bad) print "  with reported xrun (not counted): " what $0; return }
		n++; if (bad) { nb++; print "  not OK: " what $0 }
	}'"$2"
}
