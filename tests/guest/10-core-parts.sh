#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain
# timeout: 150
# Per-part controller settings, forced by module option on QEMU's ICH:
#  - bdle_4k=1, Creative CTHDA's limit: no BDL entry crosses a 4 KiB
#    boundary.  A page-aligned ring in 16 KiB periods then takes one entry
#    per page (ringpcm-play reports them), a 1 MiB ring exactly the 256 the
#    BDL holds, a larger one is refused with a clear error, and white noise
#    recorded back through the loopback with 4 KiB entries is bit-exact.
#  - probe_mask=0x2 leaves the only codec (address 0) out: no card, and
#    the log says why.
#  - probe_mask=0x103 forces a probe of the absent codec 1: it fails, is
#    dropped, the link is reset, and codec 0 streams as before.
# The module is loaded again with its defaults at the end.
. tests/guest/10-core-lib.sh

entries() { sed -n 's/.* \([0-9]*\) BDL entries.*/\1/p' <<<"$1" | head -n 1; }

if ! reload_ringpcm bdle_4k=1; then
	fail parts-4k-load "insmod bdle_4k=1 failed"
	reload_ringpcm
	exit 0
fi
sox -R -n -r 48000 -c 2 -b 16 /tmp/parts-short.wav trim 0 0.2
out=$($PLAY -p 4096 -n 4 --mmap /tmp/parts-short.wav 2>&1)
n=$(entries "$out")
check parts-4k-entries-per-page "$([ "$n" = 16 ] && echo 0 || echo 1)" \
	"64 KiB ring in 16 KiB periods: $n BDL entries, want 16: $out"
out=$($PLAY -p 4096 -n 64 --mmap /tmp/parts-short.wav 2>&1)
n=$(entries "$out")
check parts-4k-256-entries "$([ "$n" = 256 ] && echo 0 || echo 1)" \
	"1 MiB ring: $n BDL entries, want 256: $out"
dmesg -C
out=$($PLAY -p 4096 -n 65 --mmap /tmp/parts-short.wav 2>&1)
st=$?
echo "$out" | sed 's/^/  /'
check parts-4k-257-refused "$([ $st != 0 ] && grep -q 'more than 256 BDL entries' <<<"$out" &&
	dmesg | grep -q 'more than 256 BDL entries (entry boundary 4096)' && echo 0 || echo 1)" \
	"a 1 MiB + 16 KiB ring: status $st, $(dmesg | tail -n 1)"

loopback_bitexact parts-4k

dmesg -C
rmmod ringpcm
insmod kernel/ringpcm.ko probe_mask=0x2
sleep 0.5
log=$(dmesg | grep ringpcm)
echo "$log" | sed 's/^/  /'
check parts-probe-mask-no-codec "$([ ! -e /dev/ringpcmC0D0p ] &&
	grep -q 'no codec to probe on the HDA link (STATESTS 0x1' <<<"$log" && echo 0 || echo 1)" \
	"probe_mask=0x2 over codec 0 alone: $(tail -n 1 <<<"$log")"

dmesg -C
t0=$(date +%s%N)
if reload_ringpcm probe_mask=0x103; then
	t1=$(date +%s%N)
	log=$(dmesg | grep ringpcm)
	echo "$log" | sed 's/^/  /'
	echo "INFO parts-probe-forced: probe with the absent codec took $(((t1 - t0) / 1000000)) ms"
	check parts-probe-forced-reset "$(grep -q 'codec 1: .*dropping it, resetting the link' \
		<<<"$log" && grep -q 'card 0:' <<<"$log" && echo 0 || echo 1)" \
		"no reset line or no card: $(tail -n 1 <<<"$log")"
	out=$(build/progs/rpcm-stream 1.5 2>&1)
	echo "$out" | sed 's/^/  /'
	bad=$(echo "$out" | grep -c '^FAIL')
	check parts-probe-forced-stream "$([ "$bad" = 0 ] && grep -q '^PASS' <<<"$out" && echo 0 ||
		echo 1)" "$bad of rpcm-stream's checks failed after the reset"
else
	fail parts-probe-forced-reset "no card with probe_mask=0x103: $(dmesg | grep ringpcm | tail -n 2)"
fi
reload_ringpcm || fail parts-reload "insmod without options failed"

