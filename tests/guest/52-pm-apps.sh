#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback suspend
# configs: plain iommu
# timeout: 150
# Real ALSA applications survive a system sleep through the ringpcm plugin:
# aplay and arecord (read/write, then mmap) running across suspend to RAM
# (q35 S3, woken by the host's system_wakeup), and across s2idle (echo
# freeze, woken by a key the host presses: tests/vm/README.md), each print
# "Suspended. Trying resume. Done." once (the plugin's SUSPENDED state and
# -ESTRPIPE, then its resume callback), go on by themselves, and what aplay
# plays after the recovery comes back bit-exact through the JACK loopback.
# Prints how long after the wake each application said it had resumed.
# Everything after the first sleep runs from tmpfs (52-pm-lib.sh).
. tests/guest/52-pm-lib.sh

pm_root
ln -sf busybox $PMROOT/bin/tr
pm_copy_alsa
pm_copy "$PWD/build/wavcmp"
# The atkbd port may wake the guest from s2idle (off by default).
echo enabled >/sys/bus/serio/devices/serio0/power/wakeup
# Played: noise A (cut by the sleep), 0.5 s of silence, noise B (A reversed,
# so that wavcmp cannot find it in A), played after the recovery.  Half
# scale, as the other ALSA loopback tests (JACK's float scaling exact).
sox -R -n -r 48000 -c 2 -b 16 /tmp/a.wav synth 2 whitenoise vol 0.5
sox /tmp/a.wav $PMROOT/tmp/b.wav reverse
sox -n -r 48000 -c 2 -b 16 /tmp/sil.wav trim 0 0.5
sox /tmp/a.wav /tmp/sil.wav $PMROOT/tmp/b.wav $PMROOT/tmp/play.wav pad 0.3 0.3

cat >$PMROOT/after.sh <<EOS
cd /
export HOME=/root
WAVCMP=$PWD/build/wavcmp
EOS
cat >>$PMROOT/after.sh <<'EOS'
status=0
check() { # name status why
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; status=1; fi
}
pinned() { cat /sys/class/ringpcm/pinned_pages 2>/dev/null || echo missing; }
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

# How long after the wake aplay and arecord said "Done." (their resume);
# 0: already when the sleep's echo returned.  Polled: ~10-30 ms steps.
resume_times() {
	local t0 p= r= now
	t0=$(ms)
	while [ -z "$p" ] || [ -z "$r" ]; do
		now=$(ms)
		[ $((now - t0)) -gt 4000 ] && break
		[ -z "$p" ] && grep -q 'resume. Done' /tmp/play.err && p=$((now - t0))
		[ -z "$r" ] && grep -q 'resume. Done' /tmp/rec.err && r=$((now - t0))
	done
	echo "INFO resumed after the wake: aplay ${p:-no} ms, arecord ${r:-no} ms"
}

# One try: aplay and arecord across one sleep; the verdict in $cmp_st, $cmp.
apps() { # name kind aplay/arecord-option
	arecord $3 -D ringpcm -f S16_LE -r 48000 -c 2 -s 360000 /tmp/rec.wav 2>/tmp/rec.err &
	rec=$!
	sleep 0.4
	aplay $3 -D ringpcm /tmp/play.wav 2>/tmp/play.err &
	play=$!
	sleep 1.2
	sleep_now $1 $2
	resume_times
	wait $play; play_st=$?
	wait $rec; rec_st=$?
	echo "  aplay: $(tr '\n' ' ' </tmp/play.err)"
	echo "  arecord: $(tr '\n' ' ' </tmp/rec.err)"
	cmp=$($WAVCMP /tmp/b.wav /tmp/rec.wav 2>&1)
	cmp_st=$?
	echo "$cmp" | sed 's/^/  /'
}

# A case, tried once more only when the recording lost data to the rig:
# xruns aplay or arecord reported, or (RIG-LOSS, which run-checks accepts
# only when the host's jackd logged an xrun in this boot) frames the host
# dropped.
apps_case() { # name kind option
	local why n
	apps $1 $2 $3
	if [ $cmp_st != 0 ] && [ $play_st = 0 ] && [ $rec_st = 0 ]; then
		why="$(echo "$cmp" | tail -n 2 | head -n 1)"
		if cat /tmp/play.err /tmp/rec.err | grep -q -E 'underrun!!!|overrun!!!'; then
			echo "INFO $1: xruns in the first try ($why); once more"
		else
			echo "RIG-LOSS $1-bitexact-after-recovery: $why"
		fi
		apps $1-again $2 $3
	fi
	check $1-aplay $play_st "aplay exited with $play_st"
	check $1-arecord $rec_st "arecord exited with $rec_st"
	n=$(grep -c 'Suspended. Trying resume. Done.' /tmp/play.err)
	check $1-aplay-resumed "$( [ "$n" = 1 ]; echo $?)" "aplay said it resumed $n times"
	n=$(grep -c 'Suspended. Trying resume. Done.' /tmp/rec.err)
	check $1-arecord-resumed "$( [ "$n" = 1 ]; echo $?)" "arecord said it resumed $n times"
	n=$(wc -c </tmp/rec.wav)
	check $1-arecord-all-frames "$( [ "$n" = $((44 + 360000 * 4)) ]; echo $?)" \
		"$n bytes, not 7.5 s of frames"
	check $1-bitexact-after-recovery $cmp_st "$(echo "$cmp" | tail -n 2 | head -n 1)"
}

apps_case pm-apps-mem-rw mem ""
apps_case pm-apps-mem-mmap mem -M
apps_case pm-apps-freeze-rw freeze ""

# The driver's callback times in each sleep, as pm_print_times logs them.
dmesg | grep -E 'ringpcm .*(pci_pm_suspend|pci_pm_resume)\+.* returned' |
	sed 's/.*: PM: \([a-z_]*\)+.* after \([0-9]*\) usecs/INFO pm-callback \1 \2 us/'
dmesg | grep -E 'ringpcm .*(lost|kept)' | sed 's/^/INFO /'
echo "# end 52-pm-apps $status"
# The end-of-boot checks guest-group.sh can no longer run (it lives on 9p).
echo "# begin boot"
check pinned-pages "$( [ "$(pinned)" = 0 ]; echo $?)" "pinned_pages $(pinned) after the tests"
out=$(rmmod ringpcm 2>&1)
check rmmod $? "$out"
echo "# end boot 0"
dmesg | grep -v -E '(calling|returned) .* usecs|PM: calling ' >/dev/ttyS2
echo 0 >/dev/ttyS3
sleep 0.3
poweroff -f
echo o >/proc/sysrq-trigger	# run-in-vm ends QEMU 3 s after the status anyway
EOS
pm_exec /after.sh
