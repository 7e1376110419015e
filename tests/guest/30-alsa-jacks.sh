#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain
# timeout: 90
# The codec's pins as user space sees them (ABI 1.4 PINS): ringpcm-info lists
# the streaming codec and one line per pin; amixer -D ringpcm shows one jack
# control per analog pin, named as snd-hda-intel names them (a pin that cannot
# tell presence is a "Phantom" jack, always on), with the value the driver
# reports; "Capture Source" exists exactly when two inputs can be recorded.
# CAPTURE_SOURCE takes the routed input (which keeps recording bit-exact
# through the loopback) and refuses an output pin or a missing NID.  QEMU's
# codecs send no unsolicited responses and have one input: plugging and
# source switching are covered by test-codec and the plugin's mock tests.
. alsa-plugin/test/guest-lib.sh
alsa_setup

info=$(ringpcm-info 2>&1)
pins=$(sed -n 's/^  pin //p' <<<"$info" | sort -u)
echo "$info" | grep -E '^  (codecs|jack changes|pin) ' | sort -u | sed 's/^/  /'
grep -q '^  codecs:  *0:[0-9a-f]\{8\} (streams)' <<<"$info" &&
	grep -q ' routed' <<<"$(grep -E ' (line-out|speaker|headphone) ' <<<"$pins")" &&
	grep -q ' routed capture' <<<"$(grep -E ' (mic|line-in|aux|cd) ' <<<"$pins")"
check alsa-jacks-info-lists-pins $? "$(tr '\n' ';' <<<"$pins")"

# The control each pin line should give, from its kind, place and jack state.
want=$(while read -r addr kind place jack rest; do
	case $kind in
	line-out) label="Line Out" ;; speaker) label=Speaker ;; headphone) label=Headphone ;;
	mic) label=Mic ;; line-in) label=Line ;; aux) label=Aux ;; cd) label=CD ;;
	*) continue ;;
	esac
	case "$kind $place" in
	"mic place=internal"|"line-in place=internal") label="Internal $label" ;;
	esac
	case $jack in
	jack=none) echo "$label Phantom Jack=on" ;;
	jack=plugged) echo "$label Jack=on" ;;
	*) echo "$label Jack=off" ;;
	esac
done <<<"$pins" | sort)
got=$(amixer -D ringpcm controls | sed -n "s/.*iface=CARD,name='\(.*\)'/\1/p" | while read -r n; do
	echo "$n=$(amixer -D ringpcm cget "iface=CARD,name=$n" | sed -n 's/^  : values=//p')"
done | sort)
echo "  jack controls: $(tr '\n' ';' <<<"$got")"
[ -n "$want" ] && [ "$want" = "$got" ]
check alsa-jacks-controls-match-pins $? "want '$(tr '\n' ';' <<<"$want")', got '$(tr '\n' ';' <<<"$got")'"

out=$(amixer -D ringpcm cset "iface=CARD,name=$(head -n1 <<<"$got" | cut -d= -f1)" off 2>&1)
[ $? != 0 ]
check alsa-jacks-read-only $? "$out"

n_in=$(grep -cE ' (mic|line-in|aux|cd) .* routed' <<<"$pins")
amixer -D ringpcm controls | grep -q "name='Capture Source'"
has=$?
{ [ "$n_in" -ge 2 ] && [ $has = 0 ]; } || { [ "$n_in" -lt 2 ] && [ $has = 1 ]; }
check alsa-jacks-capture-source-iff-two-inputs $? "$n_in routed inputs, control present: $((1 - has))"

# CAPTURE_SOURCE through raw ioctls on the ctl device.
in_nid=$(grep -E ' (mic|line-in|aux|cd) .* routed' <<<"$pins" | head -n1 | sed 's/^[0-9]*:\(0x[0-9a-f]*\) .*/\1/')
out_nid=$(grep -E ' (line-out|speaker|headphone) ' <<<"$pins" | head -n1 | sed 's/^[0-9]*:\(0x[0-9a-f]*\) .*/\1/')
out=$(/usr/bin/python3 - "$in_nid" "$out_nid" <<'PY' 2>&1
import errno, fcntl, os, struct, sys
CAPTURE_SOURCE = 0x4004a743  # _IOW(0xA7, 0x43, __u32)
fd = os.open("/dev/ringpcmC0ctl", os.O_RDWR)
for what, nid in (("input", sys.argv[1]), ("output", sys.argv[2]), ("missing", "0x7f")):
    try:
        fcntl.ioctl(fd, CAPTURE_SOURCE, struct.pack("I", int(nid, 16)))
        print(what, "ok")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
PY
)
echo "$out" | sed 's/^/  /'
grep -q 'input ok' <<<"$out" && grep -q 'output EINVAL' <<<"$out" &&
	grep -q 'missing EINVAL' <<<"$out" &&
	ringpcm-info | grep -q "pin [0-9]*:$in_nid .* routed capture"
check alsa-jacks-capture-source-ioctl $? "$(tr '\n' ' ' <<<"$out") for input $in_nid, output $out_nid"

# ... and the input still records what is played, bit for bit.
make_noise /tmp/noise.wav 2 && pad /tmp/noise.wav /tmp/play.wav
record_bg /tmp/rec.wav 4
aplay -q -D ringpcm /tmp/play.wav
wait $REC_PID
expect_bitexact alsa-jacks-source-records-bitexact /tmp/noise.wav /tmp/rec.wav
exit 0
