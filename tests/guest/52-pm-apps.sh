#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback suspend
# configs: plain iommu
# timeout: 150
# Real applications survive a system sleep: aplay and arecord through the
# ringpcm ALSA plugin (read/write, then mmap) and PortAudio's pa-play and
# pa-record through its RingPCM host API, running across suspend to RAM
# (q35 S3, woken by the host's system_wakeup), and aplay/arecord across
# s2idle too (echo freeze, woken by a key the host presses:
# tests/vm/README.md).  Each program recovers by itself exactly once (aplay
# and arecord print "Suspended. Trying resume. Done.": the plugin's SUSPENDED
# state, -ESTRPIPE, its resume callback; the host API logs its recovery under
# RINGPCM_DEBUG), the recorder gets all its frames, and what the player plays
# after the recovery comes back bit-exact through the JACK loopback.  Prints
# how long each sleep took and how soon after it each program had recovered.
# Everything after the first sleep runs from tmpfs (52-pm-lib.sh).
. tests/guest/52-pm-lib.sh

pm_root
ln -sf busybox $PMROOT/bin/tr
pm_copy_alsa
pm_copy "$PWD/build/wavcmp" "$PWD/build/examples/pa-play" "$PWD/build/examples/pa-record"
# The atkbd port may wake the guest from s2idle (off by default).
echo enabled >/sys/bus/serio/devices/serio0/power/wakeup
# Played: noise A (cut by the sleep), 1 s of silence (more than the player
# had queued when the sleep came: that is lost), noise B (A reversed,
# so that wavcmp cannot find it in A), played after the recovery.  Half
# scale, as the other ALSA loopback tests (JACK's float scaling exact).
sox -R -n -r 48000 -c 2 -b 16 /tmp/a.wav synth 1 whitenoise vol 0.5
sox /tmp/a.wav $PMROOT/tmp/b.wav reverse
sox -n -r 48000 -c 2 -b 16 /tmp/sil.wav trim 0 1
sox /tmp/a.wav /tmp/sil.wav $PMROOT/tmp/b.wav $PMROOT/tmp/play.wav pad 0.3 0.3

cat >$PMROOT/after.sh <<EOS
cd /
export HOME=/root
WAVCMP=$PWD/build/wavcmp
PAPLAY=$PWD/build/examples/pa-play
PAREC=$PWD/build/examples/pa-record
EOS
pm_script_start >>$PMROOT/after.sh
cat >>$PMROOT/after.sh <<'EOS'
RECORD_S=5.5 FRAMES=264000	# recorded: the sleep, the recovery and noise B
ms() { # uptime in ms, without starting a program
	local u _
	read -r u _ </proc/uptime
	echo $((${u%.*} * 1000 + 1${u#*.}0 - 1000))
}

# Sleeps (KIND mem: the host wakes it 2 s later; freeze: the host presses a
# key every 2 s until the guest says it is awake).
sleep_now() { # name kind
	local out st t0
	[ $2 = freeze ] && echo "# wake-key-after 2"
	t0=$(ms)
	out=$( (echo $2 >/sys/power/state) 2>&1)
	st=$?
	echo "INFO $1: echo $2 returned after $(($(ms) - t0)) ms"
	[ $2 = freeze ] && echo "# awake"
	check "$1-sleep-and-wake" $st "echo $2 >/sys/power/state: $out"
}

# The programs of each case: PROG is alsa (aplay and arecord, OPT -M for
# mmap) or pa (pa-play and pa-record: PortAudio's RingPCM host API, with
# RINGPCM_DEBUG saying when it recovered; no ~/.asoundrc, so that its ALSA
# host API does not probe ringpcm through the plugin too).
record() { # prog opt
	if [ $1 = alsa ]; then
		arecord $2 -D ringpcm -f S16_LE -r 48000 -c 2 -s $FRAMES /tmp/rec.wav
	else
		HOME=/ RINGPCM_DEBUG=1 JACK_NO_START_SERVER=1 $PAREC -q -t $RECORD_S /tmp/rec.wav
	fi 2>/tmp/rec.err
}
play() { # prog opt
	if [ $1 = alsa ]; then
		aplay $2 -D ringpcm /tmp/play.wav
	else
		HOME=/ RINGPCM_DEBUG=1 JACK_NO_START_SERVER=1 $PAPLAY -q /tmp/play.wav
	fi 2>/tmp/play.err
}
# What each program says once it has recovered from the sleep.
resumed_line() { # prog direction
	if [ $1 = alsa ]; then
		echo 'Suspended. Trying resume. Done.'
	else
		echo "$2 system sleep recovered: ok"
	fi
}
xrun_lines() { # prog
	[ $1 = alsa ] && echo 'underrun!!!|overrun!!!' || echo 'xrun recovered'
}

# How long after the wake the player and the recorder said they recovered;
# 0: already when the sleep's echo returned.  Polled: ~10-30 ms steps.
resume_times() { # prog
	local t0 p= r= now lp lr
	lp=$(resumed_line $1 playback)
	lr=$(resumed_line $1 capture)
	t0=$(ms)
	while [ -z "$p" ] || [ -z "$r" ]; do
		now=$(ms)
		[ $((now - t0)) -gt 4000 ] && break
		[ -z "$p" ] && grep -q -F "$lp" /tmp/play.err && p=$((now - t0))
		[ -z "$r" ] && grep -q -F "$lr" /tmp/rec.err && r=$((now - t0))
	done
	echo "INFO recovered after the wake: player ${p:-no} ms, recorder ${r:-no} ms"
}

# One try: a player and a recorder across one sleep; the verdict in
# $cmp_st and $cmp.
apps() { # name kind prog opt
	record $3 $4 &
	rec=$!
	sleep 0.4
	play $3 $4 &
	play=$!
	sleep 0.8
	sleep_now $1 $2
	resume_times $3
	wait $play; play_st=$?
	wait $rec; rec_st=$?
	# Without what PortAudio's ALSA and JACK host APIs say as they probe.
	echo "  player: $(grep -v -E '^(ALSA lib|Cannot|jack|JackShm)' /tmp/play.err | tr '\n' ' ')"
	echo "  recorder: $(grep -v -E '^(ALSA lib|Cannot|jack|JackShm)' /tmp/rec.err | tr '\n' ' ')"
	cmp=$($WAVCMP /tmp/b.wav /tmp/rec.wav 2>&1)
	cmp_st=$?
	echo "$cmp" | sed 's/^/  /'
}

# A case, tried once more only when the recording lost data to the rig
# (lost_to_rig: xruns the programs reported, or frames the host dropped).
apps_case() { # name kind prog opt
	local n
	apps "$@"
	if [ $cmp_st != 0 ] && [ $play_st = 0 ] && [ $rec_st = 0 ]; then
		lost_to_rig $1 "$(echo "$cmp" | tail -n 2 | head -n 1)" \
			"$(cat /tmp/play.err /tmp/rec.err | grep -c -E "$(xrun_lines $3)")"
		apps $1-again $2 $3 $4
	fi
	check $1-player $play_st "the player exited with $play_st"
	check $1-recorder $rec_st "the recorder exited with $rec_st"
	n=$(grep -c -F "$(resumed_line $3 playback)" /tmp/play.err)
	check $1-player-recovered "$( [ "$n" = 1 ]; echo $?)" "the player recovered $n times"
	n=$(grep -c -F "$(resumed_line $3 capture)" /tmp/rec.err)
	check $1-recorder-recovered "$( [ "$n" = 1 ]; echo $?)" "the recorder recovered $n times"
	n=$(wc -c </tmp/rec.wav)
	check $1-recorder-all-frames "$( [ "$n" = $((44 + FRAMES * 4)) ]; echo $?)" \
		"$n bytes, not $RECORD_S s of frames"
	check $1-bitexact-after-recovery $cmp_st "$(echo "$cmp" | tail -n 2 | head -n 1)"
}

apps_case pm-apps-mem-alsa-rw mem alsa
apps_case pm-apps-mem-alsa-mmap mem alsa -M
apps_case pm-apps-mem-portaudio mem pa
apps_case pm-apps-freeze-alsa-rw freeze alsa

EOS
pm_script_end 52-pm-apps pm >>$PMROOT/after.sh
pm_exec /after.sh
