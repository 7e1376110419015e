#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu
# timeout: 150
# Runtime PM: with power_save=1 the idle controller autosuspends (power/control
# "auto", autosuspend_delay_ms 1000, runtime_status "suspended",
# runtime_suspended_time growing) and the driver finds its registers lost
# when it wakes; PINS answers without waking it; mixer values set before a
# runtime suspend read back after it; an open stream file keeps it "active"
# past the delay and its close lets it suspend again; an open while
# suspended resumes it (the time printed); play and record through the JACK
# loopback started from a suspended controller are bit-exact.  power_save=0
# leaves power/control "on"; the default (5 s) comes back for the next tests.
. tests/guest/10-core-lib.sh
PW=/sys/bus/pci/devices/$RINGPCM_HDA_PCI/power
RP=build/progs/rpcm-power

status() { cat $PW/runtime_status; }
wait_status() { # status ms
	local i
	for i in $(seq $(($2 / 50))); do
		[ "$(status)" = "$1" ] && return 0
		sleep 0.05
	done
	[ "$(status)" = "$1" ]
}
ms_since() { # $EPOCHREALTIME of the start
	echo "$(( (${EPOCHREALTIME/./} - ${1/./}) / 1000 ))"
}

# --- power_save=1: the option sets the policy and the delay ---------------
dmesg -C
t0=$EPOCHREALTIME
reload_ringpcm power_save=1 dyndbg=+p
check pm-runtime-load $? "insmod power_save=1 failed"
echo "  control $(cat $PW/control), autosuspend_delay_ms $(cat $PW/autosuspend_delay_ms)"
[ "$(cat $PW/control)" = auto ] && [ "$(cat $PW/autosuspend_delay_ms)" = 1000 ]
check pm-runtime-option-sets-policy $? "control $(cat $PW/control), delay $(cat $PW/autosuspend_delay_ms) ms"

wait_status suspended 6000
check pm-runtime-idle-suspends $? "runtime_status $(status) $(ms_since $t0) ms after the load"
echo "INFO pm-runtime: suspended $(ms_since $t0) ms after insmod (delay 1000 ms)"
[ -e /sys/bus/pci/devices/$RINGPCM_HDA_PCI/power_state ] &&
	echo "INFO pm-runtime: PCI power state while suspended: $(cat /sys/bus/pci/devices/$RINGPCM_HDA_PCI/power_state)"
s0=$(cat $PW/runtime_suspended_time)
sleep 0.5
s1=$(cat $PW/runtime_suspended_time)
[ "$(status)" = suspended ] && [ "$s1" -gt "$s0" ]
check pm-runtime-suspended-time-grows $? "runtime_suspended_time $s0 -> $s1 ms, $(status)"

# PINS answers from the parser's state: the jack poll of a control client
# does not keep the controller awake.
out=$($RP pins 2>&1)
st=$?
echo "  $out"
[ $st = 0 ] && grep -q '^pins [1-9]' <<<"$out" && [ "$(status)" = suspended ]
check pm-runtime-pins-no-wake $? "$out; runtime_status $(status)"

# --- mixer: set, suspend (the link reset clears the codec's amps), read ----
orig=$($RP mixer-get p | awk '{print $2, $3}')
corig=$($RP mixer-get c | awk '{print $2, $3}')
dmesg | grep -q 'controller registers lost in the sleep'
check pm-runtime-registers-lost $? "no 'registers lost' from the resume for MIXER_GET: $(dmesg | grep -E 'ringpcm.*(runtime|sleep)' | tail -n 3)"
read -r g0 g1 <<<"$orig"
want="$((g0 > 20 ? g0 - 13 : g0 + 13)) $((g1 > 20 ? g1 - 7 : g1 + 7))"
$RP mixer-set p $want >/dev/null
$RP mixer-set c $want >/dev/null
wait_status suspended 4000
was=$(status)
got=$($RP mixer-get p | awk '{print $2, $3}')
cgot=$($RP mixer-get c | awk '{print $2, $3}')
echo "  playback gain $orig -> set $want, after a runtime suspend ($was) $got; capture $cgot"
[ "$was" = suspended ] && [ "$got" = "$want" ] && [ "$cgot" = "$want" ]
check pm-runtime-mixer-survives $? "was $was; playback $got, capture $cgot, set $want"
$RP mixer-set p $orig >/dev/null && $RP mixer-set c $corig >/dev/null

# --- an open stream file holds the controller ------------------------------
wait_status suspended 4000
t0=$EPOCHREALTIME
exec 3<>/dev/ringpcmC0D0p
st=$?
open_ms=$(ms_since $t0)
after=$(status)
echo "INFO pm-runtime-open-resume: open of the playback node while suspended took $open_ms ms ($after)"
[ $st = 0 ] && [ "$after" = active ]
check pm-runtime-open-resumes $? "open status $st, runtime_status $after"
sleep 2
[ "$(status)" = active ]
check pm-runtime-open-keeps-active $? "runtime_status $(status) 2 s after the open (delay 1 s)"
exec 3>&-
wait_status suspended 4000
check pm-runtime-close-suspends $? "runtime_status $(status) after the close"

# --- play and record through the loopback from a suspended controller -------
noise /tmp/rpm-ref.wav 2 reverse
lead_silence /tmp/rpm-ref.wav /tmp/rpm-play.wav
for try in 1 2 3; do
	wait_status suspended 4000
	x0=$(jack_xruns)
	$REC -q -p 4096 -n 4 -t 3.5 "$R/pm-runtime.wav" >/tmp/rpm-rec.out 2>&1 &
	pid=$!
	sleep 0.4
	$PLAY -q -p 4096 -n 4 --mmap /tmp/rpm-play.wav >/tmp/rpm-play.out 2>&1 &
	ppid=$!
	sleep 1
	during=$(status)
	wait $ppid
	play_st=$?
	wait $pid
	rec_st=$?
	x1=$(jack_xruns)
	cmp=$(build/wavcmp /tmp/rpm-ref.wav "$R/pm-runtime.wav" 2>&1)
	ok=$?
	echo "$cmp" | sed 's/^/  /'
	[ $ok = 0 ] || [ "$x1" = "$x0" ] && break
	echo "INFO pm-runtime-loopback: not bit-exact with $((x1 - x0)) host JACK xruns: again"
done
echo "  play: $(cat /tmp/rpm-play.out)"
echo "  record: $(cat /tmp/rpm-rec.out)"
check pm-runtime-loopback-play $play_st "status $play_st"
check pm-runtime-loopback-record $rec_st "status $rec_st"
[ "$during" = active ]
check pm-runtime-active-while-streaming $? "runtime_status $during while playing"
check pm-runtime-loopback-bitexact $ok "$(echo "$cmp" | tail -n 2 | head -n 1)"

# The driver's own callback times (dev_dbg, enabled by dyndbg=+p above).
for what in suspend resume; do
	dmesg | sed -n "s/.*runtime $what took \([0-9]*\) us.*/\1/p" | sort -n |
		awk -v w=$what '{ v[NR] = $1 } END { if (NR) printf "INFO pm-runtime-%s: %d callbacks, min %d us, median %d us, max %d us\n", w, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
done

# --- power_save=0: never on its own; then the defaults again -------------
reload_ringpcm power_save=0
sleep 1.5
[ "$(cat $PW/control)" = on ] && [ "$(status)" = active ]
check pm-runtime-option-zero-stays-on $? "control $(cat $PW/control), runtime_status $(status)"
reload_ringpcm
[ "$(cat $PW/control)" = auto ] && [ "$(cat $PW/autosuspend_delay_ms)" = 5000 ]
check pm-runtime-default-5s $? "control $(cat $PW/control), delay $(cat $PW/autosuspend_delay_ms) ms"
wait_pinned -eq 0 2000
check pm-runtime-nothing-pinned $? "pinned_pages $(pinned)"
exit 0
