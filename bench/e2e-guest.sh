#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (bench/run-bench boots it with --baseline --audio none):
#   e2e      end-to-end streaming cost, map-once against the driver's COPY
#            mode, on the same workload: ringpcm-play --mmap of E2E_SECONDS
#            of 48 kHz stereo noise, E2E_REPS alternating repetitions per
#            period size; guest CPU (/proc/stat), the player's own CPU and
#            voluntary context switches (rusage at exit), the driver's
#            interrupts (/proc/interrupts), all per second of audio.
#   latency  the smallest period that plays LAT_SECONDS without an xrun:
#            aplay -M through the ringpcm ALSA plugin against aplay -M on
#            hw: of Debian's snd-hda-intel (the baseline controller), periods
#            descending, 2 and 3 periods per buffer.
# Raw rows go to $RINGPCM_RESULTS/{e2e,latency}-runs.tsv, tables to
# $RINGPCM_RESULTS/{e2e,latency}.md, progress to stderr.
# Every number printed is measured here.
set -u
. bench/guest-lib.sh	# PATH, R, field, stats, abba, bench_rows, alsa_setup
E2E_SECONDS=${E2E_SECONDS:-20}
E2E_REPS=${E2E_REPS:-4}	# even: map-once and COPY go first equally often
E2E_PERIODS=${E2E_PERIODS:-1024 256}
LAT_SECONDS=${LAT_SECONDS:-30}
LAT_SIZES=${LAT_SIZES:-1024 512 256 128 64}
LAT_NPERIODS=${LAT_NPERIODS:-2 3}

# ---- e2e ----------------------------------------------------------------

# TSV columns (1-based, for the awk expressions below).
E2E_HEADER='period mode rep audio_s wall_ms guest_busy_ms utime_us stime_us nvcsw nivcsw irq_ringpcm loc xruns win_ms win_cpu_ns win_utime_ms win_stime_ms win_nvcsw win_nivcsw win_guest_busy_ms win_irq_ringpcm win_loc'

e2e_run() { # period mode rep -> one TSV row
	local out cr cw frames irqs xr win_len=$(( (E2E_SECONDS - 4) * 1000 )) k row
	out=$(cpu-run -i ringpcm -w 2000,$win_len -- \
		ringpcm-play --mmap -q -D "$2" -p "$1" -n 4 /tmp/e2e.wav 2>&1)
	cr=$(grep '^cpu-run:' <<<"$out")
	cw=$(grep '^cpu-run-window:' <<<"$out")
	frames=$(sed -n 's/^ringpcm-play: \([0-9]*\) frames (.*/\1/p' <<<"$out")
	irqs=$(sed -n 's/.* \([0-9]*\) irqs; state.*/\1/p' <<<"$out")
	xr=$(sed -n 's/.*xruns \([0-9]*\) recovered.*/\1/p' <<<"$out")
	if [ "$(field "$cr" status)" != 0 ] || [ -z "$frames" ] || [ -z "$cw" ]; then
		echo "e2e: $2 p$1 rep $3 failed: $(tr '\n' ' ' <<<"$out")" >&2
		return 1
	fi
	row="$1 $2 $3 $(awk -v f="$frames" 'BEGIN { printf "%.3f", f / 48000 }')"
	for k in wall_ms guest_busy_ms utime_us stime_us nvcsw nivcsw irq:ringpcm loc; do
		row="$row $(field "$cr" $k)"
	done
	row="$row ${xr:-0}"
	for k in ms cpu_ns utime_ms stime_ms nvcsw nivcsw guest_busy_ms irq:ringpcm loc; do
		row="$row $(field "$cw" $k)"
	done
	tr ' ' '\t' <<<"$row"
	echo "e2e: $2 p$1 rep $3: ${cr#cpu-run: }; driver irqs $irqs" >&2
	echo "e2e:   window: ${cw#cpu-run-window: }" >&2
}

E2E_MEASURES=(
	'steady|guest CPU ms/s (whole guest, both vCPUs)|$20 * 1000 / $14'
	'steady|player CPU ms/s (user+sys, schedstat)|$15 / 1000 / $14'
	'steady|player sys ms/s (stat ticks)|$17 * 1000 / $14'
	'steady|player voluntary ctx switches/s|$18 * 1000 / $14'
	'steady|ringpcm interrupts/s|$21 * 1000 / $14'
	'steady|guest timer interrupts/s|$22 * 1000 / $14'
	'whole|guest CPU ms per s of audio|$6 / $4'
	'whole|player CPU ms per s of audio (rusage)|($7 + $8) / 1000 / $4'
	'whole|player sys ms per s of audio (rusage)|$8 / 1000 / $4'
	'whole|player voluntary ctx switches per s of audio|$9 / $4'
	'whole|ringpcm interrupts per s of audio|$11 / $4'
	'whole|xruns (recovered by the player), total|$13'
)

e2e_table() { # tsv
	local tsv=$1 p
	echo
	echo "### End-to-end streaming cost: map-once vs COPY (ringpcm-play --mmap, $E2E_SECONDS s of 48 kHz stereo noise, 4 periods)"
	echo
	echo "Same workload in one boot (--audio none: QEMU consumes the audio in real time), $E2E_REPS repetitions per mode,"
	echo "the two modes alternating (ABBA order). Median (min..max) over the repetitions. 'steady': the window from 2 s to"
	echo "$((E2E_SECONDS - 2)) s of each run (no start-up, no drain), per second; 'whole': the whole run (exec, libsndfile,"
	echo "drain included) per second of audio played. Guest CPU: /proc/stat user+nice+system+irq+softirq deltas"
	echo "(10 ms ticks); player CPU: /proc/PID/schedstat (steady) or wait4 rusage utime+stime (whole); context switches:"
	echo "/proc/PID/status voluntary_ctxt_switches (its wakeups); interrupts: the ringpcm line of /proc/interrupts."
	echo "copy / map-once: ratio of the medians; then the ratios paired by repetition (the two runs of a repetition"
	echo "follow each other, so they share the host's load of the moment): their median (min..max)."
	echo "**Absolute times are emulated-CPU time under QEMU TCG on a shared 2-core host: inflated and noisy. Read the ratios.**"
	echo
	echo "| period | part | measure | map-once | copy | copy / map-once: ratio of medians | paired ratios |"
	echo "|---|---|---|---|---|---|---|"
	: >"$R/e2e-summary.dat"
	for p in $E2E_PERIODS; do
		bench_rows "$tsv" "$p" map-once copy "$R/e2e-summary.dat" "${E2E_MEASURES[@]}"
	done
}

bench_e2e() {
	local tsv=$R/e2e-runs.tsv p rep m
	sox -R -n -r 48000 -c 2 -b 16 /tmp/e2e.wav synth "$E2E_SECONDS" whitenoise vol 0.5
	echo "# $E2E_HEADER" | tr ' ' '\t' | sed 's/^#\t/# /' >"$tsv"
	for p in $E2E_PERIODS; do
		for rep in $(seq "$E2E_REPS"); do
			for m in $(abba "$rep" map-once copy); do
				e2e_run "$p" "$m" "$rep" >>"$tsv"
			done
		done
	done
	e2e_table "$tsv"
}

# ---- latency ---------------------------------------------------------------

# One aplay -M run; prints "status underruns driver_xruns period buffer vcs cpu_ms wall_ms".
lat_run() { # device period nperiods
	local err=/tmp/lat.err obs= cr per buf xr=- st under
	if [ "$1" = ringpcm ]; then
		ringpcm-info -s C0D0p -w >/tmp/lat.obs 2>&1 &
		obs=$!
	fi
	cpu-run -- timeout $((LAT_SECONDS + 20)) aplay -v -M --fatal-errors -D "$1" \
		--period-size="$2" --buffer-size=$(($2 * $3)) /tmp/lat.wav >/tmp/lat.out 2>"$err"
	st=$?
	if [ -n "$obs" ]; then
		kill $obs; wait $obs 2>/dev/null
		xr=$(awk '{ for (i = 1; i < NF; i++) if ($i == "xruns" || $i == "xruns:") print $(i + 1) }' \
			/tmp/lat.obs | sort -n | tail -n1)
	fi
	cr=$(grep '^cpu-run:' "$err")
	per=$(sed -n 's/^ *period_size *: *\([0-9]*\).*/\1/p' /tmp/lat.out "$err" | head -n1)
	buf=$(sed -n 's/^ *buffer_size *: *\([0-9]*\).*/\1/p' /tmp/lat.out "$err" | head -n1)
	under=$(grep -ci 'underrun' "$err")
	grep -i 'underrun\|overrun\|error\|fatal\|warn\|cannot\|unable' "$err" |
		sed "s/^/  aplay $1 $2x$3: /" >&2
	echo "$st $under ${xr:-?} ${per:-?} ${buf:-?} $(field "$cr" nvcsw) " \
		"$(( ($(field "$cr" utime_us) + $(field "$cr" stime_us)) / 1000 ))" "$(field "$cr" wall_ms)"
}

# One attempt; appends its TSV row and prints the verdict: ok, xrun, stalled,
# error N, or "ok (period P)" when the device did not get the period asked for.
lat_try() { # tsv device name period nperiods attempt
	local r ok
	r=$(lat_run "$2" "$4" "$5")
	set -- "$@" $r	# $7.. status underruns driver_xruns period buffer vcs cpu_ms wall_ms
	ok=xrun
	if [ "$7" = 124 ]; then ok=stalled
	elif [ "$7" != 0 ] && [ "$8" = 0 ]; then ok="error $7"
	elif [ "$7" = 0 ] && [ "$8" = 0 ] && [ "$9" = 0 -o "$9" = - ]; then ok=ok
	fi
	[ "$ok" = ok ] && [ "${10}" != "$4" ] && ok="ok (period ${10})"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$3" "$5" "$4" "$6" \
		"${10}" "${11}" "$7" "$8" "$9" "${14}" "${13}" "${12}" "$ok" >>"$1"
	echo "latency: $3 ${4}x$5 try $6: $ok (aplay status $7, $8 underrun lines, driver xruns $9, period ${10} buffer ${11}, ${14} ms)" >&2
	echo "$ok"
}

bench_latency() {
	local tsv=$R/latency-runs.tsv base dev name n p ok try
	base=${RINGPCM_BASELINE_CARD:-}
	if [ -z "$base" ]; then
		echo "latency: no baseline card (run-in-vm --baseline)" >&2
		return 1
	fi
	alsa_setup
	sox -R -n -r 48000 -c 2 -b 16 /tmp/lat.wav synth "$LAT_SECONDS" whitenoise vol 0.5
	printf '# driver\tnperiods\tperiod_asked\tattempt\tperiod_got\tbuffer_got\taplay_status\tunderruns\tdriver_xruns\twall_ms\tcpu_ms\tnvcsw\tverdict\n' >"$tsv"
	# Interleaved: at each size both drivers (those still passing) run one
	# after the other, so that both see the same phase of the host's load.
	for n in $LAT_NPERIODS; do
		declare -A DONE=()
		for p in $LAT_SIZES; do
			for dev in ringpcm "hw:CARD=$base"; do
				name=ringpcm; [ "$dev" = ringpcm ] || name=snd-hda-intel
				[ -z "${DONE[$name]:-}" ] || continue
				for try in 1 2; do
					ok=$(lat_try "$tsv" "$dev" "$name" "$p" "$n" "$try")
					[ "$ok" = ok ] && break
				done
				[ "$ok" = ok ] || DONE[$name]=1	# descending: stop at its first failure
			done
		done
		unset DONE
	done
	echo
	echo "### Smallest period that plays $LAT_SECONDS s without an xrun: aplay -M, ringpcm plugin vs snd-hda-intel (hw:)"
	echo
	echo "Same boot, two identical emulated ICH6 controllers, QEMU audio backend 'none' (paced by QEMU in real time)."
	echo "Periods tried in descending order ($LAT_SIZES frames at 48 kHz), the two drivers interleaved at each size;"
	echo "a size that fails is tried once more (host noise); a driver stops at its first size that fails twice."
	echo "A run passes if aplay --fatal-errors ends by itself with status 0 and no 'underrun' report, and"
	echo "(ringpcm) the driver's xrun counter, watched by ringpcm-info -s C0D0p -w, stays 0. Under TCG on a shared"
	echo "2-core host the guest CPU is emulated and stalls with the host's load: absolute limits are the rig's, compare columns."
	echo
	echo "| periods per buffer | ringpcm plugin: smallest period | snd-hda-intel hw: smallest period |"
	echo "|---|---|---|"
	for n in $LAT_NPERIODS; do
		echo "| $n | $(lat_cell ringpcm "$n") | $(lat_cell snd-hda-intel "$n") |"
	done
	echo
	echo "Every run (CPU: aplay's utime+stime over the whole run, start-up included; vcs: its voluntary context switches):"
	echo
	echo "| driver | period x periods | attempt | got period / buffer | verdict | aplay status | underrun reports | driver xruns seen | wall ms | aplay CPU ms | vcs |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	awk -F'\t' '!/^#/ { printf "| %s | %s x %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s |\n",
		$1, $3, $2, $4, $5, $6, $13, $7, $8, $9, $10, $11, $12 }' "$tsv"
	echo
	echo "'driver xruns seen': the highest xrun count ringpcm-info read from the status page (every 100 ms); aplay"
	echo "--fatal-errors closes the stream right after an xrun, which resets the count, so it can read 0 there."
}

# "P frames (X ms)" for the smallest passing period of DRIVER with N periods.
lat_cell() { # driver n
	local p
	p=$(awk -F'\t' -v d="$1" -v n="$2" '$1 == d && $2 == n && $13 == "ok" { print $3 }' \
		"$R/latency-runs.tsv" | sort -n | head -n1)
	[ -n "$p" ] || { echo "none of $LAT_SIZES"; return; }
	awk -v p="$p" -v n="$2" 'BEGIN { printf "%d frames (%.2f ms; buffer %.2f ms)", p, p / 48, p * n / 48 }'
}

for part in "$@"; do
	case $part in
	e2e) bench_e2e >"$R/e2e.md" ;;
	latency) bench_latency >"$R/latency.md" ;;
	*) echo "e2e-guest: unknown part $part" >&2; exit 2 ;;
	esac
done
exit 0
