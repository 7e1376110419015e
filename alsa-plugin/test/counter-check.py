#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""counter-check: follow rpcm-alsa-test's counter signal through a recording.

rpcm-alsa-test plays frame n as left = (n % 16000 + 1) * 2, right = left - 1
(never silent).  This reads a 16-bit stereo WAV of it, splits it into runs of
consecutive counter frames separated by silence or anything else, and prints
each run and the frames lost or repeated between runs (modulo 16000, so a
jump must stay under 8000 frames to be measured).

    counter-check.py REC.wav   -> "gaps=G1,G2,..." (frames lost, negative:
                                  repeated), then "runs=N lost=L repeated=P
                                  other=O" (O: frames that are neither
                                  silence nor in a run: damaged samples)
    counter-check.py --channel C REC.wav
                               -> the same for one channel followed on its own
                                  (C = 0: left, 1: right); for paths that carry
                                  channels separately (JACK ports), where one
                                  channel can lose a period the other keeps
    counter-check.py --write OUT.wav SECONDS
                               -> writes the signal itself (48 kHz), for
                                  players other than rpcm-alsa-test
"""
import array
import struct
import sys

PERIOD = 16000


def frames_of(path):
    data = open(path, 'rb').read()
    i = data.find(b'data')
    if i < 0:
        sys.exit('counter-check: %s: no data chunk' % path)
    s = array.array('h', data[i + 8:])
    return s[0::2], s[1::2]


def counter(left, right):
    """Frame's counter value mod PERIOD, or None."""
    if left <= 0 or left % 2 or right != left - 1:
        return None
    return left // 2 - 1


def channel_counter(sample, channel):
    """One channel's counter value mod PERIOD, or None."""
    if sample <= 0 or sample % 2 != channel:
        return None
    return (sample + channel) // 2 - 1


def values_of(path, channel):
    """Per frame: (counter value or None, silent)."""
    left, right = frames_of(path)
    if channel is None:
        return [(counter(l, r), not (l or r)) for l, r in zip(left, right)]
    ch = (left, right)[channel]
    return [(channel_counter(x, channel), not x) for x in ch]


def write(path, seconds, rate=48000):
    """The signal rpcm-alsa-test plays, as a 16-bit stereo WAV."""
    s = array.array('h')
    for n in range(int(seconds * rate)):
        left = (n % PERIOD + 1) * 2
        s.extend((left, left - 1))
    data = s.tobytes()
    hdr = struct.pack('<4sI4s4sIHHIIHH4sI', b'RIFF', 36 + len(data), b'WAVE',
                      b'fmt ', 16, 1, 2, rate, rate * 4, 4, 16,
                      b'data', len(data))
    with open(path, 'wb') as f:
        f.write(hdr + data)


def runs(values):
    """(runs of >= 16 counter frames, frames neither silent nor in a run)."""
    out, cur = [], None  # cur = [first value, length, first frame]
    loose = 0
    for f, (v, silent) in enumerate(values):
        if v is not None and cur and (cur[0] + cur[1]) % PERIOD == v:
            cur[1] += 1
            continue
        if cur and cur[1] >= 16:
            out.append(cur)
        elif cur:
            loose += cur[1]
        if v is None and not silent:
            loose += 1
        cur = [v, 1, f] if v is not None else None
    if cur and cur[1] >= 16:
        out.append(cur)
    elif cur:
        loose += cur[1]
    return out, loose


def main():
    if sys.argv[1:2] == ['--write']:
        write(sys.argv[2], float(sys.argv[3]))
        return
    channel = None
    if sys.argv[1:2] == ['--channel']:
        channel = int(sys.argv[2])
        del sys.argv[1:3]
    rs, loose = runs(values_of(sys.argv[1], channel))
    lost = repeated = 0
    gaps = []
    for k, (v, n, f) in enumerate(rs):
        note = ''
        if k:
            pv, pn = rs[k - 1][0], rs[k - 1][1]
            jump = (v - (pv + pn)) % PERIOD
            if jump < PERIOD // 2:
                lost += jump
                gaps.append(str(jump))
                note = ' (%d frames lost before)' % jump
            else:
                repeated += PERIOD - jump
                gaps.append(str(jump - PERIOD))
                note = ' (%d frames repeated)' % (PERIOD - jump)
        print('run at frame %d: counter %d, %d frames%s' % (f, v, n, note))
    print('gaps=%s' % (','.join(gaps) or 'none'))
    print('runs=%d lost=%d repeated=%d other=%d' % (len(rs), lost, repeated, loose))


main()
