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
echo "$info" | grep -E '^  (codecs:|jack changes:|pin )' | sort -u | sed 's/^/  /'
grep -q '^  codecs:  *0:[0-9a-f]\{8\} (streams)' <<<"$info" &&
	grep -q ' routed' <<<"$(grep -E ' (line-out|speaker|headphone) ' <<<"$pins")" &&
	grep -q ' routed capture' <<<"$(grep -E ' (mic|line-in|aux|cd) ' <<<"$pins")"
check alsa-jacks-info-lists-pins $? "$(tr '\n' ';' <<<"$pins")"

# The control each pin line should give (hda_auto_parser.c's names, the
# value a phantom or plugged jack reads as on), from ringpcm-info's lines.
want=$(/usr/bin/python3 - "$pins" <<'PY'
import sys
pins = [l.split() for l in sys.argv[1].splitlines() if l.strip()]
kinds = [p[1] for p in pins]
place = lambda p: p[2].split("=")[1]
ext = {place(p) for p in pins if p[1] == "mic" and place(p) not in ("internal", "dock")}
out = []
for p in pins:
    kind, where, jack = p[1], place(p), p[3].split("=")[1]
    if kind == "mic":
        if kinds.count("mic") < 2 or (where in ("front", "rear") and len(ext) < 2):
            label = "Mic"
        else:
            label = {"none": "Mic", "internal": "Internal Mic", "dock": "Dock Mic",
                     "front": "Front Mic", "rear": "Rear Mic"}[where]
    elif kind == "line-in":
        label = "Dock Line" if kinds.count("line-in") > 1 and where == "dock" else "Line"
    elif kind in ("aux", "cd"):
        label = kind.capitalize() if kind == "aux" else "CD"
    elif kind in ("line-out", "speaker", "headphone"):
        name = {"line-out": "Line Out", "speaker": "Speaker", "headphone": "Headphone"}[kind]
        if kind == "line-out" and where == "internal":
            name = "Speaker"
        label = {"dock": "Dock ", "front": "Front "}.get(where, "") + name
    else:
        continue
    value = "off" if jack == "unplugged" else "on"
    out.append(label + (" Phantom" if jack == "none" else "") + " Jack=" + value)
print("\n".join(sorted(out)))
PY
)
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
