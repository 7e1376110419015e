#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: none
# configs: plain iommu swiotlb
# timeout: 60
# Every documented error of the ABI through raw ioctls on the real driver
# (EBUSY, EBADFD, EINVAL, EFAULT, E2BIG, EPIPE, the status page rules), and
# ringpcm-info against it: devices and capabilities listed, a status page
# read (once and watched), a busy stream and the pinned pages reported;
# ringpcm-play's clear errors for files the device cannot play as they are.
. tests/guest/10-core-lib.sh

build/progs/rpcm-abi-errors

out=$(build/ringpcm-info 2>&1)
st=$?
echo "$out" | sed 's/^/  /'
[ $st = 0 ] && grep -q '/dev/ringpcmC0D0p: card 0' <<<"$out" &&
	grep -q '/dev/ringpcmC0D0c: card 0' <<<"$out" && grep -q 'BDL entries:    up to' <<<"$out" &&
	grep -q 'mixer playback' <<<"$out"
check core-info-lists-devices $? "status $st"

out=$(build/ringpcm-info -s C0D0p -n 3 2>&1)
st=$?
echo "$out" | sed 's/^/  /'
[ $st = 0 ] && grep -q 'state:          OPEN' <<<"$out" && [ "$(grep -c '^OPEN ' <<<"$out")" = 2 ]
check core-info-status-watch $? "status $st"

exec 3<>/dev/ringpcmC0D0c	# hold the capture stream
out=$(build/ringpcm-info -s /dev/ringpcmC0D0c 2>&1)
st=$?
exec 3>&-
# A read-only open observes a stream in use without claiming it.
[ $st = 0 ] && grep -q 'state:' <<<"$out"
check core-info-observes-busy-stream $? "status $st: $out"

# Observers: any number of read-only opens beside the one driver; stream calls
# from an observer are EPERM; a second read-write opener is still EBUSY.
out=$(/usr/bin/python3 - <<'PY' 2>&1
import errno, fcntl, os
drv = os.open("/dev/ringpcmC0D0p", os.O_RDWR)
obs = [os.open("/dev/ringpcmC0D0p", os.O_RDONLY) for _ in range(3)]
PREPARE = 0x0000a720  # _IO(0xA7, 0x20)
try:
    fcntl.ioctl(obs[0], PREPARE)
    print("observer PREPARE succeeded")
except OSError as e:
    print("observer PREPARE", errno.errorcode[e.errno])
try:
    os.open("/dev/ringpcmC0D0p", os.O_RDWR)
    print("second driver opened")
except OSError as e:
    print("second driver", errno.errorcode[e.errno])
PY
)
echo "$out" | sed 's/^/  /'
grep -q 'observer PREPARE EPERM' <<<"$out" && grep -q 'second driver EBUSY' <<<"$out"
check core-observers-cannot-drive $? "$out"

out=$(build/ringpcm-info --pinned 2>&1)
[ "$out" = "pinned pages: 0" ]
check core-info-pinned $? "$out"

sox -R -n -r 8000 -c 2 -b 16 /tmp/8k.wav synth 0.2 whitenoise
out=$(build/examples/ringpcm-play /tmp/8k.wav 2>&1)
[ $? = 1 ] && grep -q 'does not run at 8000 Hz; it supports' <<<"$out"
check core-play-clear-rate-error $? "$out"
sox -R -n -r 48000 -c 6 -b 16 /tmp/6ch.wav synth 0.2 whitenoise
out=$(build/examples/ringpcm-play /tmp/6ch.wav 2>&1)
[ $? = 1 ] && grep -q 'channels, not 6' <<<"$out"
check core-play-clear-channels-error $? "$out"
sox -R -n -r 44100 -c 1 -b 24 /tmp/mono.flac synth 0.3 sine 440
out=$(build/examples/ringpcm-play -q /tmp/mono.flac 2>&1)
check core-play-mono-44k1-flac $? "$out"
out=$(build/examples/ringpcm-play -p 100 /tmp/mono.flac 2>&1)
[ $? = 1 ] && grep -q 'parameters refused' <<<"$out"
check core-play-clear-params-error $? "$out"

out=$(build/ringpcm-info -s C7D0p 2>&1)
[ $? = 1 ] && grep -q 'does not exist' <<<"$out"
check core-info-missing-device $? "$out"
exit 0
