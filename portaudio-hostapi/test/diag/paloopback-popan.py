#!/usr/bin/env python3
# Experimental: where and what is a paloopback "POP"? Fits the test sine per
# window of W frames aligned to multiples of W (recording frame 0 = capture
# ring position 0) and prints windows whose fit is poor or whose phase jumps.
import copy, math, struct, sys, wave
def load(p):
    w = wave.open(p); n = w.getnframes(); d = w.readframes(n)
    return [s / 32768.0 for s in struct.unpack('<%dh' % n, d)], float(w.getframerate())
def fit(x, i0, n, f, fs):
    # least squares a sin + b cos + c over x[i0:i0+n]
    S = [[0]*3 for _ in range(3)]; r = [0]*3
    for i in range(i0, i0+n):
        t = 2*math.pi*f*i/fs; v = (math.sin(t), math.cos(t), 1.0)
        for j in range(3):
            r[j] += v[j]*x[i]
            for k in range(3): S[j][k] += v[j]*v[k]
    # solve 3x3
    A = copy.deepcopy(S); b = r[:]
    for c in range(3):
        p = max(range(c,3), key=lambda q: abs(A[q][c])); A[c],A[p]=A[p],A[c]; b[c],b[p]=b[p],b[c]
        for q in range(3):
            if q != c:
                m = A[q][c]/A[c][c]
                for k in range(3): A[q][k] -= m*A[c][k]
                b[q] -= m*b[c]
    a, bb, cc = (b[k]/A[k][k] for k in range(3))
    res = 0
    for i in range(i0, i0+n):
        t = 2*math.pi*f*i/fs; e = x[i] - (a*math.sin(t)+bb*math.cos(t)+cc); res += e*e
    return math.hypot(a, bb), math.atan2(bb, a), math.sqrt(res/n)
path, ch, pop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
W = int(sys.argv[4]) if len(sys.argv) > 4 else 224
x, fs = load(path); f = 200.0 * 2 ** (ch / 13.0); per = fs / f
prev = None; out = []
for w0 in range(0, len(x) - W + 1, W):
    A, ph, res = fit(x, w0, W, f, fs)
    if A < 0.2: prev = None; continue
    # phase ph means x ~ A sin(2 pi f i/fs + ph): shift in frames = ph/(2 pi) * per
    sh = ph / (2*math.pi) * per
    if prev is not None:
        d = (sh - prev + per/2) % per - per/2
        if abs(d) > 0.5 or res > 0.02:
            out.append("  win %6d..%6d (period %3d, mod 1024 %4d) amp %.3f res %.3f phase step %+7.1f frames (mod %.1f)" % (w0, w0+W, w0//W, w0 % 1024, A, res, d, per))
    prev = sh if res < 0.02 else None
print("%s ch%d pop@%d (pop %% %d = %d, %% 1024 = %d)" % (path, ch, pop, W, pop % W, pop % 1024))
print("\n".join(out) if out else "  (no window off)")
