#!/bin/bash
# SPDX-License-Identifier: MIT
# needs: loopback
# configs: plain
# timeout: 480
# PortAudio's own programs, unmodified (built from Debian's source against
# the library with the RingPCM host API), pass on the ringpcm card: pa_devs
# lists it as the default device of the first host API; paqa_devs (every
# rate, channel count and format the device claims, in and out), paqa_latency
# (reported latencies track the suggested ones; tiny, huge and zero-latency
# buffers), paex_sine and patest_sine_time (stream time advances, DAC time is
# ahead of it by a steady latency) exit successfully.  The guest's ALSA
# cards (the rig's baseline controller) are hidden from them: they test every
# device of every host API, and this test is about RingPCM's.
. tests/guest/40-pa-lib.sh
T=$(pwd)
cd "$R" 2>/dev/null || cd /tmp

out=$(only_ringpcm $T/$PA/pa_devs 2>&1)
st=$?
quiet <<<"$out" | sed 's/^/  /'
if [ $st = 0 ] && grep -q '^Host API *= RingPCM' <<<"$out" &&
	[ "$(grep -A1 -- '-- device #0' <<<"$out" | tail -n1)" = "[ Default Input, Default Output ]" ]; then
	pass pa-devs-ringpcm-is-default
else
	fail pa-devs-ringpcm-is-default "pa_devs status $st, RingPCM device not listed first as default"
fi

out=$($T/$CHECK hostapis 2>&1)
quiet <<<"$out" | sed 's/^/  /'
grep -q '^hostapi 0 RingPCM devices [1-9][0-9]* default' <<<"$out" &&
	grep -q '^hostapi [1-9] ALSA' <<<"$out" && grep -q '^hostapi [1-9] OSS' <<<"$out"
check pa-hostapi-ringpcm-first-alsa-oss-kept $? "host APIs: $(grep ^hostapi <<<"$out" | tr '\n' ';')"

run_logged pa-paqa-devs only_ringpcm "$T/$PA/paqa_devs"
grep -E '^QA Report' "$R/pa-paqa-devs.log" | sed 's/^/  /'
run_logged pa-paqa-latency only_ringpcm "$T/$PA/paqa_latency"
run_logged pa-paex-sine only_ringpcm "$T/$PA/paex_sine"

# patest_sine_time prints "Stream time = T, outTime = D, latency = D - T"
# every 100 ms, D being the DAC time of the latest callback: positive while
# callbacks keep ahead (a guest stall can make one sample late), and the
# stream time never goes back.
if run_logged pa-patest-sine-time only_ringpcm "$T/$PA/patest_sine_time"; then
	awk '/latency =/ { v[n++] = $NF } /Stream time =/ { t = $4 + 0; if (t < last) back++; last = t }
	     END { asort(v); med = v[int(n / 2) + 1]; pos = 0; for (i = 1; i <= n; i++) pos += v[i] > 0
		   printf "  %d samples, latency median %.4f s (min %.4f, max %.4f), %d positive, time went back %d times\n",
			  n, med, v[1], v[n], pos, back
		   exit !(n > 20 && med > 0 && med < 0.5 && pos >= 0.9 * n && !back) }' \
		"$R/pa-patest-sine-time.log"
	# Open item (issue 4): failed once in CI on a loaded host; reported, not
	# counted, until the timeInfo path is checked under TCG stalls.
	[ $? = 0 ] && v=held || v="did NOT hold"
	echo "INFO pa-patest-sine-time DAC time ahead of the stream time (not counted, open item): $v"
fi
exit 0
