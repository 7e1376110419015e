#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain
# timeout: 420
# Headless PipeWire 0.3.65 (no session bus, no session manager) with the
# shipped drop-in alsa-plugin/pipewire/60-ringpcm.conf: both nodes exist with
# FL/FR ports; the plugin is driven through mmap over a MAP_ONCE ring (zero
# copy) with one COMMIT per cycle and no read/write of the device; pw-play of
# white noise into ringpcm_output comes back bit-exact from ringpcm_input
# through QEMU's JACK loopback (pw-record); a 44.1 kHz file is resampled by
# PipeWire and plays its whole length without an xrun; JACK clients through
# pw-jack record what is played.
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/pw-lib.sh
alsa_setup
pw_setup
pw_start || { fail pw-start "no nodes"; exit 1; }
pass pw-start

ports=$(pw-link -io | tr '\n' ' ')
want="ringpcm_output:playback_FL ringpcm_output:playback_FR ringpcm_input:capture_FL ringpcm_input:capture_FR"
st=0; for p in $want; do grep -qw "$p" <<<"$ports" || st=1; done
check pw-ports-fl-fr $st "ports: $ports"

# 1.5 s: on a loaded host QEMU's JACK loopback loses whole periods now and
# then (the host jackd logs XRun); a short signal is more often whole.
# One second of silence first: pw_play links FL, then FR (two pw-link runs),
# and pw-play streams from the first link, so FR's first frames go nowhere
# until its link exists (a loaded iommu guest took ~250 ms: FR came back
# silent for the noise's first 2688 frames).
make_noise /tmp/noise.wav 1.5 && sox /tmp/noise.wav /tmp/play.wav pad 1 0.2

# pw-record of the source while pw-play plays into the sink.  A stall of the
# loaded host loses whole JACK periods in QEMU's loopback (the host jackd logs
# XRun); such a run is shown and tried once more.
pw_loop_once() { # rec
	local st
	pw_record_bg "$1" || { WHY="pw-record not linked"; return 2; }
	sleep 0.5
	pw_play /tmp/play.wav
	st=$?
	sleep 1
	kill -INT $PWREC_PID; wait $PWREC_PID
	pw_loop_verdict $st "$1"
}
for try in 1 2 3; do
	x0=$(rp_status C0D0p xruns)
	pw_loop_once /tmp/pw-loop.wav	# tmpfs: a 9p write stalls pw-record's stream
	st=$?
	cp /tmp/pw-loop.wav "$R/pw-loop.try$try.wav"
	echo "try $try: driver playback xruns $x0 -> $(rp_status C0D0p xruns)," \
		"lost laps $(rp_status C0D0p 'lost laps'), host jackd XRun lines" \
		"$(grep -c XRun "$RINGPCM_JACK_LOG" 2>/dev/null)"
	[ $st = 1 ] || break
done
check pw-play-record-bitexact $st "$WHY"

# pw-dump: both nodes on one clock, the device's format with FL/FR, DSP
# ports FL/FR; the plugin negotiated 48 kHz S16 stereo at the graph's rate.
pw-dump >"$R/pw-dump.json" 2>/dev/null
out=$(python3 - "$R/pw-dump.json" <<'PY'
import json, sys
for o in json.load(open(sys.argv[1])):
    info = o.get("info") or {}
    p = info.get("props", {})
    if o.get("type", "").endswith(":Node") and p.get("node.name", "").startswith("ringpcm_"):
        prm = info.get("params", {})
        ef = (prm.get("EnumFormat") or [{}])[0]
        pc = ((prm.get("PortConfig") or [{}])[0]).get("format", {})
        print(p["node.name"], p.get("clock.name"), ef.get("format"), ef.get("channels"),
              ",".join(ef.get("position", [])), pc.get("format"), ",".join(pc.get("position", [])))
PY
)
echo "$out"
hwp=$(grep '^ringpcm: hw_params' "$PW_DIR/pipewire.log" | sort -u | tr '\n' ' ')
grep -q 'ringpcm_output api.alsa.ringpcm-0 S16LE 2 FL,FR F32P FL,FR' <<<"$out" &&
	grep -q 'ringpcm_input api.alsa.ringpcm-0 S16LE 2 FL,FR F32P FL,FR' <<<"$out" &&
	[[ $hwp == *"S16_LE 48000Hz 2ch period 1024 x 16 (MMAP_INTERLEAVED)"* ]]
check pw-dump-format $? "$out; $hwp"

# Zero copy: the plugin was configured for mmap and attached alsa-lib's ring
# for DMA once; PipeWire's data loop makes COMMIT ioctls, no read/write.
grep '^ringpcm:' "$PW_DIR/pipewire.log" | sort | uniq -c | head
grep -q '^ringpcm: hw_params .*(MMAP_INTERLEAVED)' "$PW_DIR/pipewire.log" &&
	grep -q '^ringpcm: ring .*MAP_ONCE' "$PW_DIR/pipewire.log"
check pw-zero-copy-mmap $? "$(grep '^ringpcm:' "$PW_DIR/pipewire.log" | tr '\n' ' ')"

# 44.1 kHz: PipeWire resamples; no xrun counted by the driver or reported by
# the plugin.
# A stall of the loaded TCG host can still cause one: shown, tried once more.
make_noise /tmp/n441.wav 2 2 44100
play44() {
	local x0 l0 t0 st dt x1 l1
	x0=$(rp_status C0D0p xruns); l0=$(plugin_xruns)
	t0=$(ms_now)
	pw_play /tmp/n441.wav
	st=$? dt=$(( $(ms_now) - t0 ))
	x1=$(rp_status C0D0p xruns); l1=$(plugin_xruns)
	WHY="status $st, $dt ms, driver xruns $x0 -> $x1, plugin xruns $l0 -> $l1"
	echo "44.1 kHz: $WHY"
	grep "^ringpcm: xrun" "$PW_DIR/pipewire.log" | tail -n +$((l0 + 1))
	[ $st = 0 ] && [ $dt -ge 1900 ] && [ $dt -le 8000 ] && [ "$x0" = "$x1" ] && [ "$l0" = "$l1" ]
}
play44 || { echo "once more"; play44; } || { echo "once more"; play44; }
check pw-resample-44k-no-xrun $? "$WHY"

# System calls of PipeWire's data loop while pw-play streams (a figure, and
# a check that the device is driven by COMMIT, never by read/write): COMMIT =
# _IOW(0xa7, 0x30, u64), HWSYNC = _IO(0xa7, 0x31).
make_noise /tmp/n4.wav 4
pw_play /tmp/n4.wav &
player=$!
sleep 1
timeout 2 strace -f -e trace=ioctl,read,write,readv,writev -p "$PW_PID" -o /tmp/pw-strace.txt 2>/dev/null
wait $player
commits=$(grep -c '0xa7, 0x30' /tmp/pw-strace.txt)
hwsyncs=$(grep -c '0xa7, 0x31' /tmp/pw-strace.txt)
fds=$(ls -l /proc/$PW_PID/fd 2>/dev/null | sed -n 's/.* \([0-9]*\) -> \/dev\/ringpcmC0D0[pc]$/\1/p' | tr '\n' ' ')
rw=0
for fd in $fds; do
	rw=$(( rw + $(grep -cE "^[0-9]+ +(read|write|readv|writev)\($fd," /tmp/pw-strace.txt) ))
done
echo "strace 2 s of pipewire while playing: $commits COMMIT, $hwsyncs HWSYNC, $rw read/write on the ringpcm fds ($fds)"
[ "$commits" -gt 0 ] && [ "$rw" = 0 ]
check pw-commit-no-copy $? "$commits COMMIT, $rw read/write on fds $fds"

# JACK clients through pw-jack: jack-play (16-bit WAV into float ports,
# 1/32767 scaling) into the sink's ports, jack_rec from the source's ports:
# every frame back, each sample within 1 LSB (the float scalings differ).
# JACK client names are the nodes' descriptions (with spaces).
pw-jack jack_lsp >/tmp/jack_lsp.txt 2>&1
echo "pw-jack jack_lsp: $(tr '\n' '|' </tmp/jack_lsp.txt)"
grep -E 'output:playback_F[LR]$' /tmp/jack_lsp.txt >/tmp/jp.txt
grep -E 'input:capture_F[LR]$' /tmp/jack_lsp.txt >/tmp/jc.txt
mapfile -t JP </tmp/jp.txt	# (no /dev/fd in the guest for < <(...))
mapfile -t JC </tmp/jc.txt
jack_once() {
	local rec=/tmp/pw-jack-rec.wav	# tmpfs: jack_rec's disk thread overruns on 9p
	rm -f $rec
	timeout 20 pw-jack jack_rec -f $rec -d 5 "${JC[@]}" >/tmp/jack_rec.txt 2>&1 &
	local rp=$!
	sleep 0.5
	timeout 15 pw-jack jack-play /tmp/play.wav "${JP[@]}"
	wait $rp
	grep -v '^disk thread finished' /tmp/jack_rec.txt
	cp $rec "$R/"
	WHY=$(wav_near /tmp/noise.wav $rec 1)
	local st=$?
	echo "pw-jack: $WHY"
	return $st
}
if [ ${#JP[@]} = 2 ] && [ ${#JC[@]} = 2 ]; then
	st=1
	for try in 1 2 3; do
		jack_once && { st=0; break; }
		echo "pw-jack-record: $WHY; host jackd XRun lines" \
			"$(grep -c XRun "$RINGPCM_JACK_LOG" 2>/dev/null)"
	done
	check pw-jack-record-within-1lsb $st "$WHY"
else
	fail pw-jack-ports "jack_lsp: $(tr '\n' '|' </tmp/jack_lsp.txt)"
fi

pw_stop
exit 0
