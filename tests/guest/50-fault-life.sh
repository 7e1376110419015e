#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 600
# Lifetime faults (build/progs/fault-life): clients killed with SIGKILL at
# random moments in every phase (open, parameters, attached, prepared,
# running, paused, xrun, draining, detached) release everything at once;
# the ring unmapped while running (the driver keeps its pins, close or the
# last holder's exit releases them); fork while running (the child exits
# and the parent streams on; the attaching process exits and its child
# streams on); close() and state changes while another thread is blocked in
# poll or DRAIN (close() wakes a poller only through the stream's progress, as
# the UAPI header documents; DROP, HW_PARAMS, DETACH and the owner's close wake
# at once); SIGKILL ends a long BENCH at once.
# Then rmmod: refused while anything holds the module (a stream fd, an
# observer, the ctl device, a status page mapped after close, a pinned ring
# with a poller, a playing client, which plays on), and clean once all are
# gone; the module is loaded again for the tests after this one.
# Fast: 10 kills. Long (check-faults): 100 kills.
. tests/guest/50-fault-lib.sh

LIFE=build/progs/fault-life
if [ $FAULT_MODE = long ]; then kills=100; else kills=10; fi
echo "INFO fault mode $FAULT_MODE: $kills kills"

life() { # subcommand...
	local st
	$LIFE "$@" 2>&1 | sed -u 's/^\(PASS\|FAIL\) /\1 fault-life-/'
	st=${PIPESTATUS[0]}
	[ "$st" -le 1 ] || fail "fault-life-$1" "fault-life $* exited with status $st"
}

life kill9 --count $kills --seed "$(fault_seed)"
life munmap
life fork
life close-wakes
life bench-kill

# --- rmmod ----------------------------------------------------------------
MOD=/sys/module/ringpcm

# rmmod must fail and leave the module (and the streams) alone.
refused() { # name
	local out
	if out=$(rmmod ringpcm 2>&1); then
		fail "fault-rmmod-refused-$1" "rmmod succeeded"
		return 1
	fi
	[ -d $MOD ] && [ -e /dev/ringpcmC0D0p ]
	check "fault-rmmod-refused-$1" $? "module or nodes gone after a refused rmmod ($out)"
}

# A helper process holding one kind of reference until SIGTERM.
with_holder() { # name kind
	local pid line
	coproc HOLD { exec $LIFE hold "$2"; }
	pid=$HOLD_PID
	read -r -t 5 line <&"${HOLD[0]}"
	if [ "$line" != ready ]; then
		fail "fault-rmmod-refused-$1" "the holder did not start"
	else
		refused "$1"
	fi
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null
}

exec 3<>/dev/ringpcmC0D0p
refused stream-fd
exec 3>&-
exec 3</dev/ringpcmC0D0c
refused observer-fd
exec 3<&-
exec 3<>/dev/ringpcmC0ctl
refused ctl-fd
exec 3>&-
with_holder status-page-mapped-after-close map
with_holder pinned-ring-and-poller ring

noise /tmp/rmmod-noise.wav 1.5
$PLAY -q -p 2048 /tmp/rmmod-noise.wav >/tmp/rmmod-play.out 2>&1 &
pid=$!
wait_pinned -gt 0 3000
refused while-playing
wait $pid
check fault-rmmod-refused-playback-finishes $? "ringpcm-play: $(cat /tmp/rmmod-play.out)"

wait_pinned -eq 0 2000
check fault-rmmod-nothing-pinned-before $? "pinned_pages $(pinned)"
out=$(rmmod ringpcm 2>&1)
check fault-rmmod-clean-after-close $? "$out"
[ ! -d $MOD ] && [ ! -e /dev/ringpcmC0D0p ] && [ ! -e /dev/ringpcmC0ctl ]
check fault-rmmod-removes-everything $? "$(ls -d $MOD /dev/ringpcm* 2>&1 | tr '\n' ' ')"
out=$(insmod kernel/ringpcm.ko 2>&1)
for i in $(seq 60); do [ -e /dev/ringpcmC0D0p ] && break; sleep 0.05; done
noise /tmp/short-rmmod.wav 0.3
[ -z "$out" ] && out=$($PLAY -q -p 2048 /tmp/short-rmmod.wav 2>&1)
check fault-rmmod-reload-plays $? "$out"
exit 0
