#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""counter-check: follow rpcm-alsa-test's counter signal through a recording.

rpcm-alsa-test plays frame n as left = (n % 16000 + 1) * 2, right = left - 1
(never silent).  This reads a 16-bit stereo WAV of it, splits it into runs of
consecutive counter frames separated by silence or anything else, and prints
each run and the frames lost or repeated between runs (modulo 16000, so a
jump must stay under 8000 frames to be measured).

    counter-check.py REC.wav   -> "gaps=G1,G2,..." (frames lost, negative:
                                  repeated), then "runs=N lost=L repeated=P"
"""
import array
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


def runs(path):
    left, right = frames_of(path)
    out, cur = [], None  # cur = [first value, length, first frame]
    for f in range(len(left)):
        v = counter(left[f], right[f])
        if v is not None and cur and (cur[0] + cur[1]) % PERIOD == v:
            cur[1] += 1
            continue
        if cur and cur[1] >= 16:
            out.append(cur)
        cur = [v, 1, f] if v is not None else None
    if cur and cur[1] >= 16:
        out.append(cur)
    return out


def main():
    rs = runs(sys.argv[1])
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
    print('runs=%d lost=%d repeated=%d' % (len(rs), lost, repeated))


main()
