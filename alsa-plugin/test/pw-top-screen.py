#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Prints the last screen pw-top drew, as plain text lines.

pw-top 0.3.65 has no batch mode: it is an ncurses program that redraws the
whole screen once a second.  The tests run it under script(1) on a
pseudo-terminal (TERM=xterm) and give this program what it wrote; this
replays the few xterm controls ncurses uses for that redraw (clear, cursor
to row/column, erase) on a character grid and prints the grid as it was at
the last clear-and-redraw that completed (the one before the last clear).

Usage: pw-top-screen.py RAW [COLS ROWS]
"""
import re
import sys

CSI = re.compile(r'\x1b\[([?0-9;]*)([A-Za-z@])|\x1b[()][0-9A-B]|\x1b[=>78]|[\r\n\b]|[^\x1b\r\n\b]+',
                 re.S)


class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.clear()
        self.last = None

    def clear(self):
        self.grid = [[' '] * self.cols for _ in range(self.rows)]
        self.r = self.c = 0

    def text(self):
        return '\n'.join(''.join(l).rstrip() for l in self.grid).rstrip('\n')

    def put(self, s):
        for ch in s:
            if self.r < self.rows and self.c < self.cols:
                self.grid[self.r][self.c] = ch
            self.c += 1

    def csi(self, args, cmd):
        n = [int(a) if a.isdigit() else 0 for a in args.lstrip('?').split(';')]
        first = n[0] if n[0] else 1
        if cmd == 'H':
            self.r = first - 1
            self.c = (n[1] if len(n) > 1 and n[1] else 1) - 1
        elif cmd == 'G':
            self.c = first - 1
        elif cmd == 'd':
            self.r = first - 1
        elif cmd == 'C':
            self.c += first
        elif cmd == 'J' and n[0] == 2:
            # A full redraw starts: keep the one before it.
            self.last = self.text()
            self.clear()
        elif cmd == 'K':
            self.grid[self.r][self.c:] = [' '] * (self.cols - self.c)

    def feed(self, data):
        for m in CSI.finditer(data):
            tok = m.group(0)
            if m.group(2):
                self.csi(m.group(1), m.group(2))
            elif tok == '\r':
                self.c = 0
            elif tok == '\n':
                # ncurses writes a newline expecting the tty's CR-LF.
                self.r += 1
                self.c = 0
            elif tok == '\b':
                self.c = max(0, self.c - 1)
            elif tok[0] != '\x1b':
                self.put(tok)


def main():
    cols = int(sys.argv[2]) if len(sys.argv) > 2 else 160
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    scr = Screen(cols, rows)
    with open(sys.argv[1], encoding='latin-1') as f:
        scr.feed(f.read())
    # Only a screen that was followed by another clear is known complete.
    print(scr.last if scr.last else '')
    return 0 if scr.last and ' ERR ' in scr.last else 1


if __name__ == '__main__':
    sys.exit(main())
