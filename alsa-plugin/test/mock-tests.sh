#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the ALSA plugins over the simulated card
# (alsa-plugin/test/mock-ringpcm.c, linked into build/alsa/mock/*.so): the
# real aplay, arecord, amixer, jackd and rpcm-alsa-test drive the plugin code
# that runs in the guest, without the driver.  Run from the checkout root
# (make check-alsa-mock, or tests/run-checks as build/unit/alsa-mock); prints
# PASS/FAIL lines.
set -u
TOP=$(pwd)
A=$TOP/build/alsa
PATH=$A:$TOP/build:$PATH
W=$(mktemp -d /tmp/alsa-mock.XXXXXX)
export HOME=$W RINGPCM_MOCK_MIXER=$W/mixer
export JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1 JACK_DEFAULT_SERVER=alsa-mock-$$
unset RINGPCM_MOCK_PLAYBACK_OUT RINGPCM_MOCK_CAPTURE_IN RINGPCM_MOCK_CARDS RINGPCM_DEBUG
JACKD=
# A jackd that ignores SIGTERM (seen: one stuck restarting its driver after
# xruns) gets SIGKILL after 5 s: a broken plugin fails the test, never hangs it.
stop_jackd() {
	local i
	[ -n "$JACKD" ] || return 0
	kill "$JACKD" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$JACKD" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$JACKD" 2>/dev/null
	wait "$JACKD" 2>/dev/null
	JACKD=
}
cleanup() {
	stop_jackd
	rm -rf "$W"
}
trap cleanup EXIT

cat >"$HOME/.asoundrc" <<EOF
pcm_type.ringpcm { lib "$A/mock/libasound_module_pcm_ringpcm.so" }
ctl_type.ringpcm { lib "$A/mock/libasound_module_ctl_ringpcm.so" }
<$TOP/alsa-plugin/60-ringpcm.conf>
pcm_type.nullioplug { lib "$A/libasound_module_pcm_nullioplug.so" }
pcm.nullioplug { type nullioplug }
EOF

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi; }
T() { timeout -k 2 30 "$@"; }

raw2wav() { sox -t raw -r 48000 -c 2 -b 16 -e signed "$1" "$2"; }
bitexact() { # name ref rec
	local out
	out=$(wavcmp "$2" "$3" 2>&1)
	check "$1" $? "$(tr '\n' ' ' <<<"$out")"
}

sox -R -n -r 48000 -c 2 -b 16 "$W/noise.wav" synth 1 whitenoise vol 0.5
sox -R -n -r 48000 -c 1 -b 16 "$W/mono.wav" synth 1 whitenoise vol 0.5
sox "$W/mono.wav" "$W/mono2.wav" remix 1 1

# --- exports and listing -----------------------------------------------------
syms=$(nm -D --defined-only "$A/mock/libasound_module_pcm_ringpcm.so" | awk '{print $3}' | sort | tr '\n' ' ')
[ "$syms" = "__snd_pcm_ringpcm_open_dlsym_pcm_001 _snd_pcm_ringpcm_open " ]
check alsa-mock-exports $? "exported: $syms"
out=$(aplay -L 2>&1)
grep -A1 '^ringpcm$' <<<"$out" | grep -q 'zero-copy' && grep -q '^ringpcm_plug$' <<<"$out"
check alsa-mock-listed $? "aplay -L: $(tr '\n' ' ' <<<"$out")"

# --- playback and capture, bit-exact -----------------------------------------
for mode in rw mmap; do
	opt=; [ $mode = mmap ] && opt=-M
	rm -f "$W/out.raw"
	out=$(RINGPCM_MOCK_PLAYBACK_OUT=$W/out.raw T aplay -q $opt -D ringpcm "$W/noise.wav" 2>&1)
	raw2wav "$W/out.raw" "$W/out.wav" 2>/dev/null
	bitexact alsa-mock-aplay-$mode "$W/noise.wav" "$W/out.wav"
done
sox "$W/noise.wav" -t raw "$W/in.raw"
for mode in rw mmap; do
	opt=; [ $mode = mmap ] && opt=-M
	RINGPCM_MOCK_CAPTURE_IN=$W/in.raw T arecord -q $opt -D ringpcm -f S16_LE -r 48000 -c 2 \
		-d 1 "$W/rec.wav"
	bitexact alsa-mock-arecord-$mode "$W/noise.wav" "$W/rec.wav"
done
rm -f "$W/out.raw"
RINGPCM_MOCK_PLAYBACK_OUT=$W/out.raw T aplay -q -D ringpcm_plug "$W/mono.wav"
raw2wav "$W/out.raw" "$W/out.wav" 2>/dev/null
bitexact alsa-mock-plug-mono "$W/mono2.wav" "$W/out.wav"

# --- refusals with clear messages --------------------------------------------
sox "$W/noise.wav" -b 8 "$W/u8.wav"
out=$(T aplay -q -D ringpcm "$W/u8.wav" 2>&1)
[ $? != 0 ] && grep -q 'Sample format non available' <<<"$out"
check alsa-mock-hw-formats-only $? "$out"
out=$(RINGPCM_MOCK_CARDS=0 T aplay -q -D ringpcm "$W/noise.wav" 2>&1)
[ $? != 0 ] && grep -q 'cannot open /dev/ringpcmC0D0p: No such file or directory (is ringpcm.ko loaded?)' <<<"$out"
check alsa-mock-no-device $? "$out"
out=$(RINGPCM_MOCK_CARDS=0 T amixer -D ringpcm 2>&1)
[ $? != 0 ] && grep -q 'cannot open /dev/ringpcmC0ctl' <<<"$out"
check alsa-mock-no-device-mixer $? "$out"
out=$(T aplay -q -D ringpcm:DMA=sideways "$W/noise.wav" 2>&1)
[ $? != 0 ] && grep -q 'dma must be auto, map_once or copy' <<<"$out"
check alsa-mock-bad-argument $? "$out"

# --- mixer ------------------------------------------------------------------
T amixer -q -D ringpcm set Master 100,50 && T amixer -q -D ringpcm set Capture nocap
out=$(T amixer -D ringpcm get Master; T amixer -D ringpcm get Capture)
grep -q 'Front Left: Playback 100 .*\[-20.25dB\] \[on\]' <<<"$out" &&
	grep -q 'Front Right: Playback 50 .*\[-57.75dB\]' <<<"$out" &&
	grep -q 'Front Left: Capture .*\[off\]' <<<"$out"
check alsa-mock-mixer $? "$(tr '\n' ' ' <<<"$out")"
# jackd opens the control under the PCM's full name
out=$(T amixer -D ringpcm:CARD=0,DEV=0 get Master 2>&1)
check alsa-mock-mixer-pcm-name $? "$out"

# --- jacks and the capture source (ABI 1.4 PINS, CAPTURE_SOURCE) -----------------
# Without RINGPCM_MOCK_PINS the mock answers PINS like a 1.3 driver: amps only.
out=$(T amixer -D ringpcm controls 2>&1)
! grep -q 'Jack\|Capture Source' <<<"$out" && grep -q "name='Master Playback Volume'" <<<"$out"
check alsa-mock-pins-old-driver-amps-only $? "$(tr '\n' ' ' <<<"$out")"
export RINGPCM_MOCK_PINS=$W/pins
cat >"$W/pins" <<EOF
0x14 speaker internal
0x21 hp none jack
0x12 mic internal
0x18 mic front jack
0x19 mic rear jack
0x1a line rear jack unrouted
0x05 hdmi none
EOF
out=$(T amixer -D ringpcm controls 2>&1)
ok=0
for c in "iface=CARD,name='Speaker Phantom Jack'" "iface=CARD,name='Headphone Jack'" \
	 "iface=CARD,name='Internal Mic Phantom Jack'" "iface=CARD,name='Front Mic Jack'" \
	 "iface=CARD,name='Rear Mic Jack'" "iface=CARD,name='Line Jack'" \
	 "iface=MIXER,name='Capture Source'"; do
	grep -q "$c" <<<"$out" || ok=1
done
[ "$(grep -c Jack <<<"$out")" = 6 ] || ok=1	# the HDMI pin is not an analog jack
check alsa-mock-jack-controls-named-as-hda-intel $ok "$(tr '\n' ' ' <<<"$out")"
jack() { T amixer -D ringpcm cget "iface=CARD,name=$1" 2>&1 | sed -n 's/^  : values=//p'; }
a=$(jack 'Headphone Jack') b=$(jack 'Speaker Phantom Jack')
sed -i 's/^0x21 hp none jack$/0x21 hp none jack plugged/' "$W/pins"
c=$(jack 'Headphone Jack')
[ "$a $b $c" = "off on on" ]
check alsa-mock-jack-follows-plug "$?" "headphone $a, phantom speaker $b, after plug $c"
out=$(T amixer -D ringpcm cset "iface=CARD,name=Headphone Jack" off 2>&1)
[ $? != 0 ]
check alsa-mock-jack-read-only $? "$out"
out=$(T amixer -D ringpcm cget name='Capture Source' 2>&1)
grep -q "Item #0 'Internal Mic'" <<<"$out" && grep -q "Item #1 'Front Mic'" <<<"$out" &&
	grep -q "Item #2 'Rear Mic'" <<<"$out" && ! grep -q "Item #3" <<<"$out" &&
	grep -q ': values=0' <<<"$out"
check alsa-mock-capture-source-lists-routed-inputs $? "$(tr '\n' ' ' <<<"$out")"
# alsa-lib's simple mixer shows the enum as exclusive capture switches
T amixer -q -D ringpcm sset 'Rear Mic' cap && src=$(cat "$W/pins.source") &&
	T amixer -q -D ringpcm cset name='Capture Source' 'Front Mic' &&
	out=$(T amixer -D ringpcm cget name='Capture Source')
[ $? = 0 ] && [ "$src" = 0x19 ] && [ "$(cat "$W/pins.source")" = 0x18 ] &&
	grep -q ': values=1' <<<"$out"
check alsa-mock-capture-source-selects-through-driver $? "after Rear Mic: $src; $(tr '\n' ' ' <<<"$out")"
# events: another process plugs (seen by the plugin's 500 ms re-read) and
# changes the source
T timeout 4 stdbuf -oL amixer -D ringpcm events >"$W/events" 2>&1 &
ev=$!
sleep 1.2
sed -i 's/^0x19 mic rear jack$/0x19 mic rear jack plugged/' "$W/pins"
T amixer -q -D ringpcm cset name='Capture Source' 'Internal Mic'
wait $ev
grep -q "event value: .*name='Rear Mic Jack'" "$W/events" &&
	grep -q "event value: .*name='Capture Source'" "$W/events" &&
	! grep -q "event value: .*name='Front Mic Jack'" "$W/events"
check alsa-mock-jack-and-source-change-events $? "$(grep 'event value' "$W/events" | tr '\n' ' ')"
# Names follow hda_auto_parser.c across layouts: a lone mic is "Mic", a
# front headphone "Front Headphone", same-place mics carry no prefix, a
# fixed line out is a speaker; one input gives no "Capture Source".
names() { # pins-lines...
	printf '%s\n' "$@" >"$W/pins"
	T amixer -D ringpcm controls 2>&1 | sed -n "s/.*name='\(.*\)'/\1/p" | grep -v 'Volume\|Switch' |
		sort | tr '\n' ';'
}
ok=0
got1=$(names "0x14 speaker internal" "0x19 mic none jack")
[ "$got1" = "Mic Jack;Speaker Phantom Jack;" ] || ok=1
got2=$(names "0x14 line-out rear" "0x1b hp front jack" "0x18 mic rear jack" "0x19 mic rear jack" \
	"0x1a line rear jack")
[ "$got2" = "Capture Source;Front Headphone Jack;Line Jack;Line Out Phantom Jack;Mic Jack;Mic Jack,index=1;" ] || ok=1
got3=$(names "0x17 line-out internal" "0x12 mic internal" "0x19 mic dock jack" "0x1b hp dock jack")
[ "$got3" = "Capture Source;Dock Headphone Jack;Dock Mic Jack;Internal Mic Phantom Jack;Speaker Phantom Jack;" ] || ok=1
check alsa-mock-jack-names-per-layout $ok "laptop '$got1', desktop '$got2', docked '$got3'"
unset RINGPCM_MOCK_PINS

# --- the API: poll, drain, non-blocking, pause, delay, disconnect -------------
api() { # name args...
	local name=$1 out st
	shift
	out=$(T rpcm-alsa-test -D ringpcm "$@" 2>&1)
	st=$?
	check "$name" $st "$(grep -m1 '^error' <<<"$out")"
}
# the simulated card runs on the host's clock: buffers of 170 ms for a loaded host
api alsa-mock-poll -p 2048 -n 4 -s 2 poll
api alsa-mock-poll-mmap -M -p 2048 -n 4 -s 2 poll
api alsa-mock-capture-poll-mmap -M -p 2048 -n 4 -s 2 capture-poll
api alsa-mock-drain -p 1024 -n 4 -s 1 drain
api alsa-mock-nonblock -p 1024 -n 4 -s 1 nonblock
api alsa-mock-pause -p 2048 -n 4 -s 1 pause
api alsa-mock-delay -p 1024 -n 4 delay
api alsa-mock-period-sizes sizes
RINGPCM_MOCK_DISCONNECT_MS=500 api alsa-mock-disconnect -p 1024 -n 4 -s 3 disconnect

# --- a system sleep: aplay and arecord recover by themselves ----------------
# The driver reports SUSPENDED once, 0.6 s into the stream; aplay/arecord
# see -ESTRPIPE, call snd_pcm_resume() (ioplug returns 0 whatever happens)
# and go on: the plugin must have restarted the stream.  What is played after
# the sleep reaches the device bit-exact (the second half of the file).
sox -R -n -r 48000 -c 2 -b 16 "$W/half1.wav" synth 1.5 whitenoise vol 0.5
sox "$W/half1.wav" "$W/half2.wav" reverse
sox "$W/half1.wav" "$W/half2.wav" "$W/slept.wav"
rm -f "$W/out.raw"
RINGPCM_MOCK_SUSPEND_MS=600 RINGPCM_MOCK_PLAYBACK_OUT=$W/out.raw \
	T aplay -D ringpcm "$W/slept.wav" 2>"$W/aplay.err"
st=$?
raw2wav "$W/out.raw" "$W/out.wav" 2>/dev/null
grep -q 'Suspended. Trying resume. Done.' "$W/aplay.err"
check alsa-mock-suspend-aplay-resumes $((st | $?)) "aplay status $st: $(tr '\n' ' ' <"$W/aplay.err")"
bitexact alsa-mock-suspend-aplay-after-resume "$W/half2.wav" "$W/out.wav"
RINGPCM_MOCK_SUSPEND_MS=600 RINGPCM_MOCK_CAPTURE_IN=$W/slept.wav \
	T arecord -D ringpcm -f S16_LE -r 48000 -c 2 -d 3 "$W/rec.wav" 2>"$W/arecord.err"
st=$?
grep -q 'Suspended. Trying resume. Done.' "$W/arecord.err"
check alsa-mock-suspend-arecord-resumes $((st | $?)) "arecord status $st: $(tr '\n' ' ' <"$W/arecord.err")"
frames=$(soxi -s "$W/rec.wav" 2>/dev/null)
[ "${frames:-0}" = 144000 ]
check alsa-mock-suspend-arecord-full-length $? "recorded ${frames:-no} frames, want 144000"

# --- xrun: aplay's own report, once ------------------------------------------
sox -R -n -r 48000 -c 2 -b 16 "$W/long.wav" synth 3 whitenoise vol 0.5
aplay -D ringpcm "$W/long.wav" 2>"$W/aplay.err" &	# not under timeout: stopped itself
ap=$!
sleep 1
kill -STOP $ap; sleep 0.8; kill -CONT $ap
wait $ap
st=$?
n=$(grep -c 'underrun!!!' "$W/aplay.err")
[ $st = 0 ] && [ "$n" = 1 ]
check alsa-mock-xrun $? "aplay status $st, $n underrun reports: $(tr '\n' ' ' <"$W/aplay.err")"

# --- the benchmarks' null ioplug: streams in real time ------------------------
# bench/insns-guest.sh measures what alsa-lib's ioplug costs per period
# through it; that only means something if it paces aplay/arecord like a
# device, one period per period time: 1 s of audio takes about 1 s.
null_realtime() { # name command...
	local name=$1 t0 t1 ms out rc
	shift
	t0=$(date +%s%N)
	out=$(T "$@" 2>&1)
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	[ $rc = 0 ] && [ $ms -ge 900 ] && [ $ms -le 5000 ]
	check "$name" $? "exit $rc after $ms ms (1 s of audio): $(tr '\n' ' ' <<<"$out")"
}
null_geo="--period-size=256 --buffer-size=1024"
null_realtime alsa-null-ioplug-aplay-mmap-realtime aplay -q -M -D nullioplug $null_geo "$W/noise.wav"
null_realtime alsa-null-ioplug-aplay-rw-realtime aplay -q -D nullioplug $null_geo "$W/noise.wav"
null_realtime alsa-null-ioplug-arecord-mmap-realtime arecord -q -M -D nullioplug $null_geo \
	-f S16_LE -r 48000 -c 2 -t raw -d 1 /dev/null
# the periods it counts for the benchmark (NULLIOPLUG_PERIODS): 1 s at 256
# frames is 187.5 periods, and the drain plays the last buffer out
n=$(NULLIOPLUG_PERIODS=$W/periods T aplay -q -M -D nullioplug $null_geo "$W/noise.wav" 2>&1 &&
	od -An -tu8 "$W/periods" | tr -d ' ')
[ "${n:-0}" -ge 187 ] 2>/dev/null && [ "$n" -le 195 ]
check alsa-null-ioplug-counts-periods $? "counted '$n' periods for 187.5"

# --- jackd duplex over the mock (not realtime here: generous periods) -------------
# Returns 1 when jackd logged an xrun (a loaded host): then it is run again.
jackd_duplex() {
	local rp xr
	rm -f "$W/out.raw" "$W/jrec.wav"
	RINGPCM_MOCK_PLAYBACK_OUT=$W/out.raw RINGPCM_MOCK_CAPTURE_IN=$W/in-long.raw \
		jackd -n "$JACK_DEFAULT_SERVER" -r -d alsa -d ringpcm -r 48000 -p 1024 -n 3 \
		>"$W/jackd.log" 2>&1 &
	JACKD=$!
	if ! T jack_wait -w -t 10 >/dev/null 2>&1; then
		fail alsa-mock-jackd "jackd did not start: $(tail -n 5 "$W/jackd.log" | tr '\n' ' ')"
		stop_jackd
		return 0
	fi
	T jack_rec -f "$W/jrec.wav" -d 2 system:capture_1 system:capture_2 >/dev/null 2>&1 &
	rp=$!
	T jack-play "$W/play.wav" system:playback_1 system:playback_2
	wait $rp
	stop_jackd
	xr=$(grep -ci xrun "$W/jackd.log")
	[ "$xr" = 0 ] || [ "${1:-}" = last ] || { echo "jackd logged $xr xrun lines: once more"; return 1; }
	raw2wav "$W/out.raw" "$W/out.wav" 2>/dev/null
	bitexact alsa-mock-jackd-playback "$W/noise.wav" "$W/out.wav"
	# what jack_rec got (after its first, empty cycle) must be a contiguous
	# piece of the capture input
	sox "$W/jrec.wav" "$W/jrec-cut.wav" trim 0.1 1.5
	out=$(wavcmp "$W/jrec-cut.wav" "$W/in-long.wav" 2>&1)
	check alsa-mock-jackd-capture $? "$(tr '\n' ' ' <<<"$out")"
}
sox "$W/noise.wav" "$W/play.wav" pad 0.2 0.2
# capture runs from jackd's start: 10 s of noise, every piece of it unique
sox -R -n -r 48000 -c 2 -b 16 "$W/in-long.wav" synth 10 whitenoise vol 0.4
sox "$W/in-long.wav" -t raw "$W/in-long.raw"
jackd_duplex || jackd_duplex last
exit 0
