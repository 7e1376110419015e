#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback
# configs: plain iommu
# timeout: 240
# The DMA position methods of real controllers, forced on QEMU's ICH with
# the module option position (10-core-posbuf.sh covers the position buffer,
# every other test LPIB, the default here):
#  - 2, LPIB with capture held back by the FIFO (AMD's method), and 3, VIA's
#    capture position combined from LPIB and the position buffer: the probe
#    line names the method, rpcm-stream's position, rate, interrupt, pause and
#    drain checks pass, and noise played and recorded back through the
#    loopback is bit-exact (playback and capture both).
#  - rpcm-position pauses a capture whose ring it filled with a pattern and
#    counts the frames the device wrote beyond hw_ptr: none with LPIB and
#    with VIA's method (QEMU's registers are exact), at least Linux's 32 with
#    the FIFO method (the capture delay it adds, as it holds them back).
#  - 4, SKL+ DPIB: QEMU's ICH has no DPIB registers, so the option is refused
#    with a message and LPIB read; DPIB itself cannot run here.
# Not under swiotlb: the device writes bounce buffers there, copied to the
# ring only up to hw_ptr, so nothing beyond it could be seen.  The module is
# loaded again with its defaults at the end.
. tests/guest/10-core-lib.sh

probe_line() {
	dmesg | grep 'ringpcm .*card 0:' | tail -n 1
}

# rpcm-position: frames the device wrote beyond hw_ptr, one number a round.
measure_beyond() { # tag
	local out
	out=$(build/progs/rpcm-position 2>&1)
	echo "$out" | sed -n 's/^\(PASS\|FAIL\) /\1 '"$1"'-/p'
	echo "$out" | grep '^INFO'
	echo "$out" | sed -n 's/^INFO position: frames written beyond hw_ptr when paused: \([0-9 ]*\) (of.*/BEYOND \1/p'
}

# Every number of a BEYOND line satisfies a test ("-eq 0", "-ge 32").
all_beyond() { # measure-output op value
	local nums n
	nums=$(echo "$1" | sed -n 's/^BEYOND //p')
	[ -n "$nums" ] || return 1
	for n in $nums; do
		[ "$n" $2 "$3" ] || return 1
	done
}

run_method() { # option tag probe-text
	local out bad
	if ! reload_ringpcm position=$1; then
		fail "$2-load" "insmod position=$1 failed"
		return 1
	fi
	case $(probe_line) in
	*"positions from $3"*) pass "$2-probe" ;;
	*) fail "$2-probe" "the probe line does not name $3: $(probe_line)" ;;
	esac
	out=$(build/progs/rpcm-stream 1.5 2>&1)
	bad=$(echo "$out" | grep -c '^FAIL')
	echo "$out" | grep '^FAIL' | sed 's/^/  /'
	check "$2-stream" "$([ "$bad" = 0 ] && echo "$out" | grep -q '^PASS' && echo 0 || echo 1)" \
		"$bad of rpcm-stream's checks failed"
	loopback_bitexact "$2"
}

# Baseline: LPIB, as loaded: exact on QEMU, nothing written beyond hw_ptr.
reload_ringpcm || fail lpib-load "insmod without options failed"
m=$(measure_beyond lpib)
echo "$m" | grep -v '^BEYOND'
check lpib-nothing-beyond "$(all_beyond "$m" -eq 0 && echo 0 || echo 1)" \
	"frames written beyond hw_ptr with LPIB: $(echo "$m" | sed -n 's/^BEYOND //p')"

if run_method 2 fifo "LPIB, capture behind the FIFO"; then
	m=$(measure_beyond fifo)
	echo "$m" | grep -v '^BEYOND'
	echo "INFO fifo: capture delay the FIFO method adds: $(echo "$m" | sed -n 's/^BEYOND //p') frames (one number a pause)"
	check fifo-held-back "$(all_beyond "$m" -ge 32 && echo 0 || echo 1)" \
		"frames written beyond hw_ptr: $(echo "$m" | sed -n 's/^BEYOND //p'), want >= Linux's 32"
fi

if run_method 3 via "LPIB and the position buffer combined"; then
	m=$(measure_beyond via)
	echo "$m" | grep -v '^BEYOND'
	check via-nothing-beyond "$(all_beyond "$m" -eq 0 && echo 0 || echo 1)" \
		"frames written beyond hw_ptr: $(echo "$m" | sed -n 's/^BEYOND //p')"
fi

if reload_ringpcm position=4; then
	case "$(dmesg | grep 'position=4' | tail -n 1) / $(probe_line)" in
	*"no DPIB registers"*"positions from LPIB"*) pass dpib-refused-on-ich ;;
	*) fail dpib-refused-on-ich "no refusal, or not LPIB: $(probe_line)" ;;
	esac
else
	fail dpib-load "insmod position=4 failed"
fi
reload_ringpcm || fail position-reload "insmod without options failed"
