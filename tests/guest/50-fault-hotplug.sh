#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback hotplug
# configs: plain
# timeout: 300
# Device loss by real hot-unplug: QEMU's monitor deletes the controller
# (device_del through tests/vm/qmp; q35, PCIe root ports, the guest's ACPI
# hotplug ejects it) while clients stream. run-in-vm --hotplug gives two
# ringpcm cards, each behind its own root port (hda0 -> card 0, hda2 ->
# card 1), so that there are two rounds with audio in one boot.
#  Round 1, card 0: aplay -D ringpcm plays and the PortAudio recorder
#   (examples/pa-record) records; both exit with a clear "device gone"
#   message, the recorder's WAV holds what it recorded up to the loss (a
#   valid file, the header's length matching the data, the length plausible).
#  Round 2, card 1: raw libringpcm clients (build/progs/rpcm-hup) playing and
#   capturing in poll(): POLLHUP within a period or so of the last period,
#   then ENODEV from the stream calls, state DISCONNECTED.
#  After each round: every pinned page released, the card's nodes gone, the
#  other card still streams (round 1).
#  Round 3: device_add of hda0 again. QEMU 7.2 cannot hot-add the codec
#  (the HDA bus is not hot-pluggable), so the controller comes back empty:
#  ringpcm must refuse it cleanly (no card, "no codec" in dmesg, a bind by
#  hand fails), and it unplugs again cleanly.
# dmesg clean, pinned pages 0 and rmmod are checked by the harness after the
# boot.
. tests/guest/10-core-lib.sh
. tests/guest/40-pa-lib.sh

QMP=tests/vm/qmp
read -r PCI0 PCI1 <<<"${RINGPCM_HOTPLUG_PCI:-}"
if [ -z "${RINGPCM_QMP:-}" ] || [ -z "$PCI1" ]; then
	fail hotplug-rig "not booted with run-in-vm --hotplug"
	exit 0
fi
echo "  hotplug path: $RINGPCM_HOTPLUG; controllers $PCI0 (card 0), $PCI1 (card 1)"
# How soon after device_del a client must have ended: native PCIe hotplug
# (run-in-vm --hotplug-native) waits 5 s after the attention button first.
SOON_MS=5000
[ "$RINGPCM_HOTPLUG" = native ] && SOON_MS=10000

# Guest programs start slowly under TCG on a busy host: no sleep(1) in
# loops, a read with a timeout on a FIFO nobody writes (the guest has no
# /dev/fd for bash's <(:)).
SNOOZE=$(mktemp -u /tmp/snooze.XXXXXX) && mkfifo "$SNOOZE" && exec {snooze}<>"$SNOOZE"
rm -f "$SNOOZE"
nap() { read -r -t "${1:-0.05}" -u "$snooze"; }
ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# Waits up to SECONDS for a shell condition.
wait_for() { # seconds condition...
	local end=$((EPOCHSECONDS + $1))
	shift
	while ! eval "$*"; do
		[ $EPOCHSECONDS -le $end ] || return 1
		nap 0.05
	done
	return 0	# not nap's status (142, timed out)
}

# device_del; T0 = when it was asked (ms since the epoch).
unplug() { # qmp-id
	T0=$(ms)
	$QMP unplug "$1" | sed 's/^/  qmp: /'
}

# The controller's PCI device gone and QEMU done with it.
unplugged() { # pci
	local pci=$1
	wait_for 60 '[ ! -e /sys/bus/pci/devices/$pci ]' ||
		{ echo "  $pci still present 60 s after device_del"; return 1; }
}

# One line of a file, or the last lines, for FAIL reasons.
last() { tail -n "${2:-1}" "$1" 2>/dev/null | tr '\n' ' '; }

ALSA_HOME=$(mktemp -d /tmp/alsa-home.XXXXXX)
cat >"$ALSA_HOME/.asoundrc" <<EOF
pcm_type.ringpcm { lib "$PWD/build/alsa/libasound_module_pcm_ringpcm.so" }
ctl_type.ringpcm { lib "$PWD/build/alsa/libasound_module_ctl_ringpcm.so" }
<$PWD/alsa-plugin/60-ringpcm.conf>
EOF
sox -R -n -r 48000 -c 2 -b 16 /tmp/hp-noise.wav synth 30 whitenoise vol 0.5

# --- round 1: aplay and pa-record on card 0 -------------------------------
HOME=$ALSA_HOME aplay -D ringpcm /tmp/hp-noise.wav >/tmp/hp-aplay.out 2>&1 &
ap=$!
$REC -l 0.1 -t 30 "$R/hp-record.wav" >/tmp/hp-rec.out 2>&1 &
rec=$!
# The recorder says which device it opened just before it starts.
wait_for 60 'grep -q -- "->" /tmp/hp-rec.out' && rec_start=$(ms) ||
	echo "  pa-record did not start within 60 s"
wait_for 30 '[ "$(cat /sys/class/ringpcm/pinned_pages)" -gt 0 ]'
nap 1.5
pinned_before=$(pinned)
unplug hda0
wait $ap; ap_st=$? ap_ms=$(( $(ms) - T0 ))
wait $rec; rec_st=$? rec_ms=$(( $(ms) - T0 ))
sed 's/^/  aplay: /' /tmp/hp-aplay.out
quiet </tmp/hp-rec.out | tr '\r' '\n' | sed 's/^/  pa-record: /'
echo "  pinned before the unplug: $pinned_before; aplay ended $ap_ms ms, pa-record $rec_ms ms after device_del"

[ $ap_st != 0 ] && [ $ap_ms -lt $SOON_MS ] && grep -q 'No such device' /tmp/hp-aplay.out &&
	! grep -q underrun /tmp/hp-aplay.out
check hotplug-aplay-exits-clearly $? "status $ap_st after $ap_ms ms: $(last /tmp/hp-aplay.out 2)"

[ $rec_st != 0 ] && [ $rec_ms -lt $SOON_MS ] && grep -q 'Device unavailable' /tmp/hp-rec.out
check hotplug-pa-record-exits-clearly $? "status $rec_st after $rec_ms ms: $(quiet </tmp/hp-rec.out | tail -n 1)"

# The WAV: readable, its header's length is what the file holds, and about
# as long as the recorder ran (from its start line to the unplug, give or
# take its latency and a slow start).
frames=$(soxi -s "$R/hp-record.wav" 2>/dev/null)
size=$(stat -c %s "$R/hp-record.wav" 2>/dev/null)
data_at=$(grep -obUa data "$R/hp-record.wav" 2>/dev/null | head -n1 | cut -d: -f1)
ran_ms=$(( T0 - ${rec_start:-T0} ))
echo "  recording: ${frames:-?} frames ($(( ${frames:-0} / 48 )) ms), $size bytes, data chunk at ${data_at:-?}; ran $ran_ms ms before device_del"
[ "${frames:-0}" -gt 0 ] && [ -n "$data_at" ] && [ $((data_at + 8 + frames * 4)) = "$size" ] &&
	sox "$R/hp-record.wav" -n stat 2>/dev/null
check hotplug-pa-record-wav-valid $? "${frames:-no} frames in the header, $size bytes in the file"
[ "${frames:-0}" -ge $(( (ran_ms - 1000) * 48 )) ] && [ "${frames:-0}" -le $(( (ran_ms + rec_ms + 500) * 48 )) ]
check hotplug-pa-record-wav-length $? "${frames:-0} frames for $ran_ms ms of recording before device_del"

wait_pinned -eq 0 3000
check hotplug-round1-unpins $? "pinned_pages $(pinned)"
unplugged "$PCI0" && [ ! -e /dev/ringpcmC0D0p ] && [ ! -e /dev/ringpcmC0ctl ]
check hotplug-round1-device-gone $? "$PCI0 or /dev/ringpcmC0* still there"

# The other card is untouched.
out=$(RINGPCM_CARD=1 timeout 20 build/progs/rpcm-hup playback 1 2>&1)
[ $? = 1 ] && grep -q 'streaming playback' <<<"$out" && grep -q 'no POLLHUP' <<<"$out"
check hotplug-other-card-streams $? "$(tail -n1 <<<"$out")"

# --- round 2: raw clients on card 1, POLLHUP timing ------------------------
RINGPCM_CARD=1 build/progs/rpcm-hup playback 60 >/tmp/hp-play.out 2>&1 &
hp=$!
RINGPCM_CARD=1 build/progs/rpcm-hup capture 60 >/tmp/hp-cap.out 2>&1 &
hc=$!
wait_for 60 'grep -q streaming /tmp/hp-play.out && grep -q streaming /tmp/hp-cap.out'
nap 1
unplug hda2
wait $hp; hp_st=$?
wait $hc; hc_st=$?
for d in play cap; do
	sed 's/^/  rpcm-hup: /' /tmp/hp-$d.out
	line=$(grep '^hup ' /tmp/hp-$d.out)
	at=$(sed -n 's/.* at=\([0-9]*\).*/\1/p' <<<"$line")
	gap=$(sed -n 's/.* gap_ms=\([0-9]*\).*/\1/p' <<<"$line")
	period=$(sed -n 's/.* period_ms=\([0-9]*\).*/\1/p' <<<"$line")
	name=hotplug-pollhup-$([ $d = play ] && echo playback || echo capture)
	echo "  $name: POLLHUP $(( ${at:-T0} - T0 )) ms after device_del, ${gap:-?} ms after the last period (${period:-?} ms)"
	st=$([ $d = play ] && echo $hp_st || echo $hc_st)
	# "Within a period or so": a TCG guest on a busy host is late by tens
	# of ms now and then; three periods is still far from any timeout.
	[ "$st" = 0 ] && [ -n "$gap" ] && [ "$gap" -le $((3 * period)) ]
	check "$name-within-a-period" $? "status $st, $(last /tmp/hp-$d.out)"
	[[ $line == *" wait=ENODEV hwsync=ENODEV commit=ENODEV state=DISCONNECTED "* ]]
	check "$name-then-enodev" $? "${line:-no POLLHUP}"
done
pat=$(sed -n 's/.* at=\([0-9]*\).*/\1/p' /tmp/hp-play.out)
cat=$(sed -n 's/.* at=\([0-9]*\).*/\1/p' /tmp/hp-cap.out)
echo "  capture's POLLHUP $(( ${cat:-0} - ${pat:-0} )) ms after playback's"
wait_pinned -eq 0 3000
check hotplug-round2-unpins $? "pinned_pages $(pinned)"
unplugged "$PCI1" && [ ! -e /dev/ringpcmC1D0p ]
check hotplug-round2-device-gone $? "$PCI1 or /dev/ringpcmC1* still there"

# --- round 3: the controller again, without a codec ------------------------
# The first unplug's DEVICE_DELETED (the codec's; QEMU 7.2 sends none for
# the controller) says QEMU has let the id go.
$QMP wait-event DEVICE_DELETED - 30 >/dev/null
out=$($QMP plug hda0)
st=$?
echo "$out" | sed 's/^/  qmp: /'
# QEMU's limit, shown once: a codec cannot follow.
$QMP '{"execute": "device_add", "arguments": {"driver": "hda-duplex", "bus": "hda0.0", "audiodev": "a0"}}' |
	sed 's/^/  qmp (codec, expected to be refused by QEMU 7.2): /'
[ $st = 0 ] && wait_for 60 '[ -e /sys/bus/pci/devices/$PCI0 ]'
check hotplug-readd-enumerated "$?" "device_add hda0: $out; $PCI0 never appeared"
# ringpcm has the ICH9 id in its table: the PCI core offers it the device at
# once. Bind it by hand as well (the way an unlisted controller is bound).
wait_for 20 'dmesg | grep -q "$PCI0: no codec"'
echo "$PCI0" >/sys/bus/pci/drivers/ringpcm/bind 2>/tmp/hp-bind.err
bind_st=$?
[ ! -e /sys/bus/pci/devices/$PCI0/driver ] && [ ! -e /dev/ringpcmC0D0p ] && [ $bind_st != 0 ] &&
	dmesg | grep -q "$PCI0: no codec"
check hotplug-readd-without-codec-refused $? "bind status $bind_st, $(dmesg | grep "$PCI0" | tail -n 1)"
unplug hda0
unplugged "$PCI0"
check hotplug-readd-unplugs-again $? "$PCI0 still present"
exit 0
