#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback suspend
# configs: plain iommu
# timeout: 150
# Streams survive suspend to RAM (q35 S3, woken by the host 2 s after it
# sleeps; QEMU's wake-up resets the controller and codec): a running
# ringpcm-play and ringpcm-record recover by themselves (PREPARE + START
# after -ESTRPIPE) and the noise played after the recovery is recorded
# bit-exact through the JACK loopback; with rpcm-sleep each stream state
# (prepared, paused, running) moves to SUSPENDED (POLLERR, -ESTRPIPE, the ring
# still attached), recovers, runs again and keeps its mixer values; an idle
# card sleeps too, and one runtime suspended by power_save; nothing stays
# pinned; rmmod works.  Prints the driver's
# suspend and resume callback times.  The part after the first sleep runs
# from tmpfs (52-pm-lib.sh) and ends the boot itself.  52-pm-hibernate runs
# the same with hibernation's callbacks.
. tests/guest/52-pm-lib.sh
# 52-pm-hibernate runs this file with its own name, prefix and sleep kind.
ME=${PM_TEST:-52-pm-suspend}
P=${PM_PREFIX:-pm}
KIND=${PM_KIND:-mem}

pm_root
pm_copy "$PWD/build/examples/ringpcm-play" "$PWD/build/examples/ringpcm-record" \
	"$PWD/build/progs/rpcm-sleep" "$PWD/build/wavcmp"
# The played file: noise A (cut by the sleep), 0.5 s of silence, then noise B
# (A reversed, so that wavcmp cannot find it in A) played after the recovery.
sox -R -n -r 48000 -c 2 -b 16 /tmp/a.wav synth 3 whitenoise
sox /tmp/a.wav $PMROOT/tmp/b.wav reverse
sox -n -r 48000 -c 2 -b 16 /tmp/sil.wav trim 0 0.5
sox /tmp/a.wav /tmp/sil.wav $PMROOT/tmp/b.wav $PMROOT/tmp/play.wav pad 0.3 0.3

cat >$PMROOT/after.sh <<EOS
cd /
B=$PWD/build
PLAY=$PWD/build/examples/ringpcm-play
REC=$PWD/build/examples/ringpcm-record
SLEEP=$PWD/build/progs/rpcm-sleep
WAVCMP=$PWD/build/wavcmp
ME=$ME
P=$P
KIND=$KIND
RSTATUS=/sys/bus/pci/devices/$RINGPCM_HDA_PCI/power/runtime_status
EOS
pm_script_start >>$PMROOT/after.sh
cat >>$PMROOT/after.sh <<'EOS'
# Sleeps the machine.  mem: suspend to RAM, the host wakes it 2 s later.
# disk: hibernation's device callbacks (freeze, then restore as after an
# image was read back) without writing an image: pm_test "devices" holds
# the machine 5 s between them.
sleep_mem() { # name
	local out
	case $KIND in
	mem) out=$( (echo mem >/sys/power/state) 2>&1) ;;
	disk) out=$( (echo devices >/sys/power/pm_test && echo disk >/sys/power/state) 2>&1) ;;
	esac
	check "$1-sleep-and-wake" $? "echo $KIND >/sys/power/state: $out"
}
wait_file() { # file
	local i=0
	while [ ! -e "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

# 1. A running playback and capture: the applications recover by themselves.
# One try (NAME for its sleep); its bit-exact verdict in $cmp_st and $cmp.
running_apps() { # name
	$REC -q -p 4096 -n 4 -t 11 /tmp/rec.wav >/tmp/rec.out 2>&1 &
	rec=$!
	sleep 0.4
	$PLAY -q -p 4096 -n 4 /tmp/play.wav >/tmp/play.out 2>&1 &
	play=$!
	sleep 1.5
	sleep_mem $1
	wait $play; play_st=$?
	wait $rec; rec_st=$?
	echo "  play: $(cat /tmp/play.out)"
	echo "  record: $(cat /tmp/rec.out)"
	cmp=$($WAVCMP /tmp/b.wav /tmp/rec.wav 2>&1)
	cmp_st=$?
	echo "$cmp" | sed 's/^/  /'
}
# Lost data the applications saw (their own or the driver's xrun counts).
app_xruns() {
	cat /tmp/play.out /tmp/rec.out |
		sed -n 's/.*; xruns \([0-9]*\) recovered, \([0-9]*\) counted.*/\1\2/p' |
		grep -c '[1-9]'
}
running_apps $P-running-apps
# Only a recording that lost data to the rig is tried once more (lost_to_rig).
if [ $cmp_st != 0 ] && [ $play_st = 0 ] && [ $rec_st = 0 ]; then
	lost_to_rig $P-running-apps "$(echo "$cmp" | tail -n 2 | head -n 1)" "$(app_xruns)"
	running_apps $P-running-apps-again
fi
check $P-running-apps-play $play_st "ringpcm-play exited with $play_st"
check $P-running-apps-record $rec_st "ringpcm-record exited with $rec_st"
grep -q 'suspends 1 recovered' /tmp/play.out
check $P-running-apps-play-recovered $? "ringpcm-play did not see and recover one sleep"
grep -q 'suspends 1 recovered' /tmp/rec.out
check $P-running-apps-record-recovered $? "ringpcm-record did not see and recover one sleep"
check $P-running-apps-bitexact-after-recovery $cmp_st "$(echo "$cmp" | tail -n 2 | head -n 1)"

# 2-4. Each state of each direction, through libringpcm.
for pair in "prepared paused" "paused prepared" "running running"; do
	set -- $pair
	rm -f /tmp/ready.p /tmp/ready.c
	$SLEEP p $1 /tmp/ready.p 30 >/tmp/sleep.p 2>&1 &
	p=$!
	$SLEEP c $2 /tmp/ready.c 30 >/tmp/sleep.c 2>&1 &
	c=$!
	wait_file /tmp/ready.p; wait_file /tmp/ready.c
	sleep 0.3
	sleep_mem "$P-playback-$1-capture-$2"
	wait $p; wait $c
	cat /tmp/sleep.p /tmp/sleep.c | grep -E '^(PASS|FAIL|INFO)' |
		sed "s/^\(PASS\|FAIL\|INFO\) pm-/\1 $P-/"
	grep -q '^FAIL' /tmp/sleep.p /tmp/sleep.c && status=1
done

# 5. An idle card, then nothing pinned.
i=0
while [ "$(pinned)" != 0 ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
sleep_mem $P-idle
check $P-nothing-pinned "$( [ "$(pinned)" = 0 ]; echo $?)" "pinned_pages $(pinned)"
$PLAY -q -p 4096 -n 4 /tmp/b.wav >/tmp/play2.out 2>&1
check $P-idle-then-play $? "$(cat /tmp/play2.out)"

# 6. A runtime suspended card (idle past power_save, 5 s by default) sleeps
# too (the PM core may keep it suspended through the sleep, direct_complete,
# or wake it for the callbacks) and plays after the wake.
i=0
while [ "$(cat $RSTATUS)" != suspended ] && [ $i -lt 80 ]; do sleep 0.1; i=$((i + 1)); done
rs=$(cat $RSTATUS)
check $P-runtime-suspended-before-sleep "$( [ "$rs" = suspended ]; echo $?)" "runtime_status $rs"
sleep_mem $P-runtime-suspended
$PLAY -q -p 4096 -n 4 /tmp/b.wav >/tmp/play3.out 2>&1
check $P-runtime-suspended-then-play $? "$(cat /tmp/play3.out)"

EOS
pm_script_end "$ME" "$P" >>$PMROOT/after.sh
pm_exec /after.sh
