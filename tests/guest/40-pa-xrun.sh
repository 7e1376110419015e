#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback
# configs: plain
# timeout: 180
# RingPCM stream behaviour through the public PortAudio API
# (build/portaudio/bin/pa-ringpcm-check):
#  - a callback made too slow on purpose (3x the latency, once) yields
#    paOutputUnderflow and paInputOverflow on the next callback, then the
#    full-duplex stream runs on cleanly;
#  - blocking Pa_ReadStream/Pa_WriteStream after such a stall return
#    paInputOverflowed/paOutputUnderflowed once, then paNoError again;
#  - stop, abort and paComplete end the stream promptly, the finished
#    callback runs once;
#  - with paInt16 the callback's buffers are the ring the card DMAs from/into
#    (zero copy);
#  - timeInfo: ADC time <= current time <= DAC time, current time on
#    Pa_GetStreamTime's clock; the figures (jitter, CPU load) are logged.
. tests/guest/40-pa-lib.sh

checked() { # name command...
	local name=$1 out st
	shift
	out=$("$@" 2>&1)
	st=$?
	quiet <<<"$out" | sed 's/^/  /'
	check "$name" $st "$(grep -E '^check-failed|^result' <<<"$out" | head -n 1)"
}

checked pa-xrun-callback-flags-then-recovers $CHECK xrun-callback
checked pa-xrun-blocking-codes-then-recovers $CHECK xrun-blocking
checked pa-stop-abort-complete-prompt $CHECK stop
checked pa-zero-copy-callback-buffers-are-the-ring $CHECK zerocopy
checked pa-timeinfo-ordered-on-stream-clock $CHECK -s 4 timing
exit 0
