# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/guest/45-pw-*.sh after guest-lib.sh: a headless PipeWire
# 0.3.65 in the guest, without a session bus or session manager.
#
# - XDG_RUNTIME_DIR is private (the daemon's socket lives there); the daemon
#   alone gets PIPEWIRE_CONFIG_DIR (clients keep Debian's client.conf): the
#   test daemon (pw-daemon.conf) plus the shipped drop-in
#   alsa-plugin/pipewire/60-ringpcm.conf in its pipewire.conf.d/.
# - Without a session manager nobody configures a stream's ports: pw-play and
#   pw-record are given adapter.auto-port-config (as the static nodes have),
#   then linked explicitly with pw-link.
# - The daemon runs with RINGPCM_DEBUG=1: its log shows how the plugin was
#   configured and how the ring was attached.

PW_DIR=
PW_PID=
PW_PORTS='adapter.auto-port-config = { mode = dsp monitor = false control = false position = preserve }'

pw_setup() {
	PW_DIR=$(mktemp -d /tmp/pw.XXXXXX)
	mkdir -p "$PW_DIR/run" "$PW_DIR/conf/pipewire.conf.d"
	chmod 700 "$PW_DIR/run"
	cp "$TOP/alsa-plugin/test/pw-daemon.conf" "$PW_DIR/conf/pipewire.conf"
	# The shipped defaults, but a larger headroom: the TCG guest on a loaded
	# 2-core host stalls for tens of ms, more than 256 frames cover (what
	# WirePlumber does for VMs, vm.node.defaults, for the same reason).
	sed "s/api.alsa.headroom *= *256/api.alsa.headroom       = ${PW_HEADROOM:-4096}/" \
		"$TOP/alsa-plugin/pipewire/60-ringpcm.conf" >"$PW_DIR/conf/pipewire.conf.d/60-ringpcm.conf"
	export XDG_RUNTIME_DIR=$PW_DIR/run
	unset PIPEWIRE_REMOTE PIPEWIRE_CONFIG_DIR
}

# Start the daemon with an optional extra drop-in; wait for both nodes.
pw_start() { # [extra.conf]
	local i
	[ -n "${1:-}" ] && cp "$1" "$PW_DIR/conf/pipewire.conf.d/"
	PIPEWIRE_CONFIG_DIR=$PW_DIR/conf RINGPCM_DEBUG=1 PIPEWIRE_DEBUG=${PW_DEBUG:-2} \
		pipewire >"$PW_DIR/pipewire.log" 2>&1 &
	PW_PID=$!
	alsa_bg $PW_PID
	for i in $(seq 50); do
		pw-link -i 2>/dev/null | grep -q ringpcm_output: &&
			pw-link -o 2>/dev/null | grep -q ringpcm_input: && return 0
		sleep 0.2
	done
	echo "pipewire did not create the ringpcm nodes:"
	cat "$PW_DIR/pipewire.log"
	return 1
}

# Stop a daemon pw-lib started (if PID is set) and keep its log NAME.log.
pw_stop_daemon() { # pid name
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	cp "$PW_DIR/$2.log" "$R/$2-${PW_TAG:-run}.log" 2>/dev/null
}

pw_stop() {
	pw_stop_daemon "$PW_PID" pipewire
	PW_PID=
}

# One loop's verdict: the player's exit STATUS, then the noise in REC bit for
# bit.  0 exact, 1 not exact (WHY; a loaded host's loopback can lose a
# period: the caller may try again), 2 the player failed.
pw_loop_verdict() { # status rec
	local out
	[ "$1" = 0 ] || { WHY="pw-play exit $1"; return 2; }
	out=$(wavcmp /tmp/noise.wav "$2" 2>&1) && return 0
	echo "$out"
	WHY=$(wavcmp_why "$out")
	return 1
}

# Wait until PORT exists (a stream's ports appear after it negotiated).
pw_wait_port() { # port
	local i
	for i in $(seq 50); do
		pw-link -io 2>/dev/null | grep -qxF "$1" && return 0
		sleep 0.1
	done
	echo "no port $1; ports: $(pw-link -io 2>&1 | tr '\n' ' ')"
	return 1
}

# Link OUT_PREFIX{FL,FR} to IN_PREFIX{FL,FR}.
pw_link2() { # out-prefix in-prefix
	pw_wait_port "${1}FL" && pw_wait_port "${2}FL" &&
		pw-link "${1}FL" "${2}FL" && pw-link "${1}FR" "${2}FR"
}

# pw-record of the ringpcm source into FILE (S16, 48 kHz, stereo) in the
# background, linked; PWREC_PID.
pw_record_bg() { # file
	pw-record -P "{ node.name = t_rec $PW_PORTS }" --rate 48000 --channels 2 \
		--format s16 "$1" &
	PWREC_PID=$!
	alsa_bg $PWREC_PID
	pw_link2 ringpcm_input:capture_ t_rec:input_
}

# pw-play FILE through the ringpcm sink, linked; waits for the end.
pw_play() { # file [pw-play options]
	local f=$1 pid
	shift
	pw-play -P "{ node.name = t_play $PW_PORTS }" "$@" "$f" &
	pid=$!
	pw_link2 t_play:output_ ringpcm_output:playback_ || { kill $pid; wait $pid; return 1; }
	wait $pid
}

# The driver's counters of a ringpcm stream (status page, read-only open).
rp_status() { # C0D0p|C0D0c field
	ringpcm-info -s "$1" 2>/dev/null | sed -n "s/^ *$2: *\([0-9]*\).*/\1/p"
}

# xruns the plugin reported to PipeWire (pointer -EPIPE; RINGPCM_DEBUG line
# "ringpcm: xrun: ...", both directions).  PipeWire 0.3.65 itself logs an
# xrun only at trace level; it recovers with PREPARE and START, so
# "ringpcm: start at ..." lines count its restarts.  The driver's own xrun
# counter restarts at PREPARE and may not show a recovered xrun.
plugin_xruns() {
	grep -c '^ringpcm: xrun' "$PW_DIR/pipewire.log"
}
pw_restarts() {
	grep -c '^ringpcm: start at' "$PW_DIR/pipewire.log"
}

# REC holds REF within MAX LSB per sample (after the offset wavcmp finds from
# the samples that are exact): for JACK clients, whose float samples come
# back 1 LSB off near full scale (jack-play and libsndfile scale by 32767).
# Prints "max-diff N frames F"; status 0 iff every frame is there within MAX.
wav_near() { # ref rec max
	local off
	off=$(wavcmp "$1" "$2" 2>&1 | sed -n 's/^wavcmp: offset \([0-9]*\) frames, matched.*/\1/p')
	[ -n "$off" ] || { echo "max-diff none (no anchor)"; return 1; }
	python3 - "$1" "$2" "$off" "$3" <<'PY'
import array, sys, wave
def rd(f):
    w = wave.open(f); a = array.array('h'); a.frombytes(w.readframes(w.getnframes())); return a
ref, rec, off, mx = rd(sys.argv[1]), rd(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
seg = rec[2 * off:2 * off + len(ref)]
d = max(abs(a - b) for a, b in zip(ref, seg)) if len(seg) == len(ref) else 65536
print("max-diff %d frames %d" % (d, len(seg) // 2))
sys.exit(0 if d <= mx else 1)
PY
}

# pw-top's last full screen (plain text) into FILE: pw-top 0.3.65 has no
# batch mode, so it runs on a pseudo-terminal (script) for SECONDS (default
# 5: it redraws once a second, and a loaded TCG guest starts it slowly) and
# pw-top-screen.py replays what it drew; once more if no screen came.
# Columns: S ID QUANT RATE WAIT BUSY W/Q B/Q ERR FORMAT NAME (FORMAT
# "S16LE 2 48000"; a follower's NAME is "+ name").
pw_top_screen() { # file [seconds]
	local try
	for try in 1 2; do
		TERM=xterm timeout -s INT "${2:-5}" script -qfec "stty cols 160 rows 40; pw-top" \
			/dev/null >"$1.raw" 2>/dev/null
		python3 "$TOP/alsa-plugin/test/pw-top-screen.py" "$1.raw" 160 40 >"$1" && return 0
	done
	return 1
}

# From a pw-top screen: "QUANT RATE ERR FORMAT..." of driver node NAME.
pw_top_node() { # file name
	awk -v n="$2" '$NF == n && $(NF-1) != "+" { print $3, $4, $9, $10, $11, $12 }' "$1"
}

# WirePlumber 0.4.13 beside the test daemon, without D-Bus: Debian's
# configuration copied into a private WIREPLUMBER_CONFIG_DIR (which replaces
# the search path), bluetooth.lua left out of wireplumber.conf (its logind
# module needs the bus) and alsa-plugin/test/wp-headless.lua added to
# main.lua.d.  Waits until WirePlumber has made ringpcm_output the default
# sink; WP_PID.
WP_PID=
pw_start_wp() {
	local i
	mkdir -p "$PW_DIR/wp"
	cp -r /usr/share/wireplumber/main.lua.d /usr/share/wireplumber/policy.lua.d "$PW_DIR/wp/"
	grep -v 'bluetooth\.lua' /usr/share/wireplumber/wireplumber.conf >"$PW_DIR/wp/wireplumber.conf"
	cp "$TOP/alsa-plugin/test/wp-headless.lua" "$PW_DIR/wp/main.lua.d/60-headless.lua"
	WIREPLUMBER_CONFIG_DIR=$PW_DIR/wp WIREPLUMBER_DEBUG=${WP_DEBUG:-2} \
		wireplumber >"$PW_DIR/wireplumber.log" 2>&1 &
	WP_PID=$!
	alsa_bg $WP_PID
	for i in $(seq 50); do
		pw-metadata -n default 0 default.audio.sink 2>/dev/null | grep -q ringpcm_output && return 0
		kill -0 $WP_PID 2>/dev/null || break
		sleep 0.2
	done
	echo "wireplumber did not set the default sink:"
	cat "$PW_DIR/wireplumber.log"
	return 1
}

pw_stop_wp() {
	pw_stop_daemon "$WP_PID" wireplumber
	WP_PID=
}
