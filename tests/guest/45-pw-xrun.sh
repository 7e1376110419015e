#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu
# timeout: 150
# SIGSTOP of the PipeWire daemon for 1 s, three times its 341 ms ring, while
# pw-play plays into ringpcm_output and pw-record records ringpcm_input: the
# driver counts the underrun and the overrun, PipeWire logs and recovers the
# xrun (the streams keep running), and afterwards a pw-play -> pw-record loop
# is bit-exact again.
. alsa-plugin/test/guest-lib.sh
. alsa-plugin/test/pw-lib.sh
alsa_setup
pw_setup
PW_TAG=xrun
pw_start || { fail pw-xrun-start "no nodes"; exit 1; }

make_noise /tmp/long.wav 8
make_noise /tmp/noise.wav 3 && pad /tmp/noise.wav /tmp/play.wav
p0=$(rp_status C0D0p xruns); c0=$(rp_status C0D0c xruns); l0=$(pw_log_xruns)
pw_record_bg /tmp/stop-rec.wav
pw_play /tmp/long.wav &
player=$!
sleep 3
kill -STOP $PW_PID
sleep 1
kill -CONT $PW_PID
wait $player
st=$?
sleep 0.5
p1=$(rp_status C0D0p xruns); c1=$(rp_status C0D0c xruns); l1=$(pw_log_xruns)
kill -INT $PWREC_PID; wait $PWREC_PID
echo "driver xruns playback $p0 -> $p1, capture $c0 -> $c1; PipeWire log xrun lines $l0 -> $l1"
grep -i xrun "$PW_DIR/pipewire.log" | head -5
[ "$p1" -gt "$p0" ] && [ "$c1" -gt "$c0" ]
check pw-sigstop-driver-xrun $? "playback $p0 -> $p1, capture $c0 -> $c1"
[ "$l1" -gt "$l0" ]
check pw-sigstop-pipewire-reports-xrun $? "log xrun lines $l0 -> $l1"
kill -0 $PW_PID 2>/dev/null && [ $st = 0 ]
check pw-sigstop-play-finishes $? "pw-play status $st"
ringpcm-info -s C0D0p | grep -E 'state|xruns|lost laps'

# Recovered: a new loop is bit-exact (once more after a host-side loss).
loop_ok() {
	pw_record_bg "$R/pw-after-xrun.wav" || return 1
	sleep 0.5
	pw_play /tmp/play.wav
	sleep 1
	kill -INT $PWREC_PID; wait $PWREC_PID
	out=$(wavcmp /tmp/noise.wav "$R/pw-after-xrun.wav" 2>&1) && return 0
	echo "$out"
	WHY=$(wavcmp_why "$out")
	return 1
}
loop_ok || { echo "once more"; loop_ok; } || { echo "once more"; loop_ok; }
check pw-sigstop-recovers-bitexact $? "$WHY"
pw_stop
exit 0
