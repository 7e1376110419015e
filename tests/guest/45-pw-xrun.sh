#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu
# timeout: 240
# SIGSTOP of the PipeWire daemon for 1 s, three times its 341 ms ring, while
# pw-play plays into ringpcm_output and pw-record records ringpcm_input: the
# plugin reports the xruns, PipeWire recovers from them (prepare and start;
# the streams keep running), and the counter signal played through the
# loop resumes after the stop without a damaged sample.
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/pw-lib.sh
alsa_setup
pw_setup
PW_TAG=xrun
pw_start || { fail pw-xrun-start "no nodes"; exit 1; }

# rpcm-alsa-test's counter signal: counter-check follows it through the
# recording, so the stop's gap is measured and every sample after it is
# checked (a loaded host's loopback may also lose whole JACK periods: more
# runs, never damaged samples).
CHECK=alsa-plugin/test/counter-check.py
python3 $CHECK --write /tmp/counter.wav 8
x0=$(plugin_xruns); s0=$(pw_restarts)
pw_record_bg /tmp/stop-rec.wav
sleep 0.5
pw_play /tmp/counter.wav &
player=$!
sleep 3
kill -STOP $PW_PID
sleep 1
kill -CONT $PW_PID
wait $player
st=$?
sleep 1
x1=$(plugin_xruns); s1=$(pw_restarts)
kill -INT $PWREC_PID; wait $PWREC_PID
cp /tmp/stop-rec.wav "$R/pw-sigstop-rec.wav"
echo "xruns the plugin reported $x0 -> $x1; PipeWire's restarts (prepare + start) $s0 -> $s1"
grep -i xrun "$PW_DIR/pipewire.log" | head -5
for d in C0D0p C0D0c; do echo "$d: $(ringpcm-info -s $d | grep -E 'state|xruns|lost laps' | tr -s ' ' | tr '\n' ' ')"; done
[ "$x1" -gt "$x0" ]
check pw-sigstop-plugin-reports-xrun $? "xrun lines $x0 -> $x1"
[ "$s1" -gt "$s0" ]
check pw-sigstop-pipewire-restarts $? "starts $s0 -> $s1"
kill -0 $PW_PID 2>/dev/null && [ $st = 0 ]
check pw-sigstop-play-finishes $? "pw-play status $st"

# After the stop: the counter resumes (more than one run, and the runs after
# the first carry at least 8192 frames) and no sample is damaged.  Whole
# periods lost by the loaded host's loopback are counted and shown, not
# failed: they split the resumed signal into more runs (CI once saw the last
# run cut to 4096 frames by a host-jackd xrun near the end), so what counts is
# the signal after the first gap, not the length of the last run.  Each
# channel is followed on its own: QEMU's JACK backend carries them on
# separate ports, and a loaded host can lose a period of one and not the other.
st=0; why=
for ch in 0 1; do
	out=$(python3 $CHECK --channel $ch /tmp/stop-rec.wav 2>&1)
	echo "channel $ch:"; echo "$out" | grep -v '^run at' ; grep '^run at' <<<"$out" | head -8
	after=$(grep '^run at' <<<"$out" | tail -n +2 |
		sed -n 's/.*, \([0-9]*\) frames.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	runs=$(sed -n 's/^runs=\([0-9]*\).*/\1/p' <<<"$out")
	grep -q ' other=0$' <<<"$out" && [ "${runs:-0}" -ge 2 ] && [ "$after" -ge 8192 ] || st=1
	why="$why ch$ch: $(tail -1 <<<"$out"), $after frames after the first gap;"
done
echo "host jackd XRun lines: $(grep -c XRun "$RINGPCM_JACK_LOG" 2>/dev/null)"
check pw-sigstop-recovers-clean $st "$why"
pw_stop
exit 0
