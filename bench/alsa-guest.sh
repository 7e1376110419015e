#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (bench/run-bench boots it with --baseline --audio none):
# the ALSA plugin's cost against Debian's snd-hda-intel on the baseline
# controller, in the same boot, on the same workloads.
#   aplay     aplay -M of ALSA_SECONDS of 48 kHz stereo S16 noise, -D ringpcm
#             vs -D hw:CARD=..., at each period x periods of ALSA_SIZES,
#             ALSA_REPS alternating repetitions: its CPU (schedstat, all
#             threads) and wakeups (voluntary context switches) in the steady
#             window, its CPU per second of audio over the whole run, and
#             its underrun reports.
#   syscalls  the same aplay -M under strace -f, one run per driver and
#             size, ALSA_STRACE_SECONDS long: system calls per period by name
#             while streaming (separate runs: strace slows what it traces).
#   jackd     jackd -d alsa at each period x periods of ALSA_JACK, no client,
#             ALSA_JACK_SECONDS per run, same repetitions: CPU and wakeups of
#             all its threads in the steady window, xrun lines of its log.
# Raw rows go to $RINGPCM_RESULTS/alsa-runs.tsv and alsa-syscalls.tsv, the
# tables to $RINGPCM_RESULTS/alsa.md (stdout), progress to stderr.
# Every number printed is measured here.
set -u
. bench/guest-lib.sh	# PATH, R, field, stats, abba, bench_rows, alsa_setup, make_noise
ALSA_SECONDS=${ALSA_SECONDS:-12}
ALSA_REPS=${ALSA_REPS:-4}	# even: each driver goes first equally often
ALSA_SIZES=${ALSA_SIZES:-1024x4 256x4}
ALSA_STRACE_SECONDS=${ALSA_STRACE_SECONDS:-10}
ALSA_JACK=${ALSA_JACK:-256x3 256x2}
ALSA_JACK_SECONDS=${ALSA_JACK_SECONDS:-12}
# Steady windows: aplay from 2 s (alsa-lib's configuration and the plugin
# load over 9p before) to 2 s before its end (no drain); jackd from 5 s (it
# was up after 1.3 to 2.8 s in this rig) to 1 s before it is stopped.
APLAY_WIN=2000,$(((ALSA_SECONDS - 4) * 1000))
JACK_WIN=5000,$(((ALSA_JACK_SECONDS - 6) * 1000))
export JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1 JACK_DEFAULT_SERVER=rpcm-bench

# TSV columns (1-based, for the awk expressions below).  key: aplay-PxN or
# jackd-PxN; xruns: aplay's underrun reports or jackd's xrun lines; audio_s:
# seconds of audio played (aplay) or of the run (jackd); ready_ms: jackd's
# start (jack_wait -w), '-' for aplay; got: period/buffer aplay got.
ALSA_HEADER='key mode rep status xruns audio_s wall_ms utime_us stime_us nvcsw guest_busy_ms win_ms win_cpu_ns win_nvcsw win_guest_busy_ms ready_ms got'

# The two modes: the ringpcm plugin, and Debian's snd-hda-intel through hw:.
device() { # mode
	if [ "$1" = ringpcm ]; then echo ringpcm; else echo "hw:CARD=$RINGPCM_BASELINE_CARD"; fi
}

# A TSV row from the cpu-run lines of a run, or a '#' line saying why the
# run measured nothing (ended early, no window), which the tables list.
alsa_row() { # key mode rep xruns audio_s ready_ms got cpu-run-output
	local cr cw k row
	cr=$(grep '^cpu-run:' <<<"$8")
	cw=$(grep '^cpu-run-window:' <<<"$8")
	if [ -z "$cr" ] || [ -z "$cw" ]; then
		echo "# $1 $2 rep $3: no steady window (status $(field "$cr" status)): $(grep -v '^  ' <<<"$8" | tail -n 3 | tr '\n' ' ')"
		return
	fi
	row="$1 $2 $3 $(field "$cr" status) $4 $5"
	for k in wall_ms utime_us stime_us nvcsw guest_busy_ms; do
		row="$row $(field "$cr" $k)"
	done
	for k in ms cpu_ns nvcsw guest_busy_ms; do
		row="$row $(field "$cw" $k)"
	done
	tr ' ' '\t' <<<"$row $6 $7"
}

# ---- aplay -M: CPU and wakeups ---------------------------------------------

aplay_run() { # size mode rep -> one TSV row
	local p=${1%x*} n=${1#*x} out xr per buf
	out=$(cpu-run -w "$APLAY_WIN" -- aplay -v -M -D "$(device "$2")" \
		--period-size="$p" --buffer-size=$((p * n)) /tmp/alsa.wav 2>&1)
	xr=$(grep -c 'underrun' <<<"$out")
	per=$(sed -n 's/^ *period_size *: *\([0-9]*\).*/\1/p' <<<"$out" | head -n1)
	buf=$(sed -n 's/^ *buffer_size *: *\([0-9]*\).*/\1/p' <<<"$out" | head -n1)
	alsa_row "aplay-$1" "$2" "$3" "$xr" "$ALSA_SECONDS" - "${per:-?}/${buf:-?}" "$out"
	echo "alsa: aplay $1 $2 rep $3: $xr underrun reports, got ${per:-?}/${buf:-?};" \
		"$(grep '^cpu-run' <<<"$out" | sed 's/^cpu-run[-a-z]*: //' | tr '\n' ';')" >&2
}

# ---- jackd: CPU and wakeups, no client -------------------------------------

jackd_run() { # size mode rep -> one TSV row
	local p=${1%x*} n=${1#*x} log=/tmp/alsa-jackd.log t0 ready=- pid xr
	t0=$(ms_now)
	cpu-run -w "$JACK_WIN" -t $((ALSA_JACK_SECONDS * 1000)) -- jackd -n "$JACK_DEFAULT_SERVER" \
		-d alsa -d "$(device "$2")" -r 48000 -p "$p" -n "$n" >"$log" 2>&1 &
	pid=$!
	jack_wait -w -t 10 >/dev/null 2>&1 && ready=$(($(ms_now) - t0))
	wait "$pid"
	xr=$(grep -v '^cpu-run' "$log" | grep -ci xrun)
	if [ "$ready" = - ] || [ "$ready" -ge "${JACK_WIN%,*}" ]; then
		echo "# jackd-$1 $2 rep $3: jackd not up before the window (jack_wait: ${ready} ms): $(grep -v '^cpu-run' "$log" | tail -n 2 | tr '\n' ' ')"
	else
		alsa_row "jackd-$1" "$2" "$3" "$xr" "$ALSA_JACK_SECONDS" "$ready" - "$(cat "$log")"
	fi
	echo "alsa: jackd $1 $2 rep $3: up after $ready ms, $xr xrun lines;" \
		"$(grep '^cpu-run' "$log" | sed 's/^cpu-run[-a-z]*: //' | tr '\n' ';')" >&2
}

# RUN (aplay_run or jackd_run) at each size, ALSA_REPS times, the two
# drivers one after the other in ABBA order.
alsa_series() { # tsv run sizes
	local s rep m
	for s in $3; do
		for rep in $(seq "$ALSA_REPS"); do
			for m in $(abba "$rep" hw ringpcm); do
				"$2" "$s" "$m" "$rep" >>"$1"
			done
		done
	done
}

# ---- system calls per period (strace) --------------------------------------

# Counts by name (ioctls by request, ringpcm's named from the uapi header)
# of the calls strace -f -ttt logged between 1 s after the first poll and
# 1 s before the last (streaming only: no start-up, no drain).  Periods:
# the bytes aplay read from WAV in that time / (4 x period): aplay -M writes
# into the ring each chunk it reads, so this counts the periods it handed
# over even across underruns (the time would count the stopped device's).
# Rows: key mode call calls periods.
strace_count() { # strace-log key mode period wav
	awk -v key="$2" -v mode="$3" -v p="$4" -v wav="$5" '
	FNR == NR {	# kernel/uapi/ringpcm.h: ioctl number -> name
		if ($1 == "#define" && $2 ~ /^RINGPCM_IOCTL_/ &&
		    match($0, /RINGPCM_IOC_MAGIC, 0x[0-9a-fA-F]+/)) {
			nr = tolower(substr($0, RSTART + 19, RLENGTH - 19))
			sub(/^0x0*/, "", nr)
			rio[nr] = $2
		}
		next
	}
	{
		line = $0
		sub(/^[0-9]+ +/, "", line)	# -f: the pid
		t = line; sub(/ .*/, "", t); t += 0
		call = line; sub(/^[^ ]+ /, "", call)
		if (call !~ /^[a-z_0-9]+\(/)
			next	# "<... resumed>", signals, exit
		name = call; sub(/\(.*/, "", name)
		ret = call; sub(/.*\) += /, "", ret); sub(/ .*/, "", ret)
		if (name == "openat" && index(call, "\"" wav "\""))
			wavfd = ret
		if (name == "read" && call ~ ("^read\\(" wavfd ", ")) {
			n++; B[n] = ret + 0
		} else
			B[++n] = 0
		if (name == "ioctl") {
			req = call; sub(/^ioctl\([^,]*, /, "", req)
			if (req ~ /^_IOC\(/) {	# not decoded by strace: ringpcm ours
				split(substr(req, 6), f, ", ")
				nr = tolower(f[3]); sub(/^0x0*/, "", nr)
				req = (tolower(f[2]) == "0xa7" && (nr in rio)) ? rio[nr] : "_IOC(" f[2] ", " f[3] ")"
			} else
				sub(/[,)].*/, "", req)
			name = "ioctl " req
		}
		if (name == "poll" || name == "ppoll") {
			if (first == "")
				first = t
			last = t
		}
		T[n] = t; N[n] = name
	}
	END {
		for (i = 1; i <= n; i++)
			if (first != "" && T[i] >= first + 1 && T[i] <= last - 1) {
				c[N[i]]++
				bytes += B[i]
			}
		if (!bytes) {
			printf "%s\t%s\t(no streaming seen)\t0\t0\n", key, mode
			exit
		}
		for (k in c)
			printf "%s\t%s\t%s\t%d\t%.1f\n", key, mode, k, c[k], bytes / 4 / p
	}' kernel/uapi/ringpcm.h "$1"
}

strace_run() { # tsv size mode
	local p=${2%x*} n=${2#*x} xr
	xr=$(strace -f -qq -ttt -o /tmp/alsa.strace aplay -q -M -D "$(device "$3")" \
		--period-size="$p" --buffer-size=$((p * n)) /tmp/alsa-strace.wav 2>&1 | grep -c underrun)
	strace_count /tmp/alsa.strace "$2" "$3" "$p" /tmp/alsa-strace.wav | sed "s/\$/\t$xr/" >>"$1"
	echo "alsa: strace aplay $2 $3: $xr underrun reports, $(wc -l </tmp/alsa.strace) calls logged" >&2
}

# ---- tables ------------------------------------------------------------------

APLAY_MEASURES=(
	'steady|aplay CPU ms/s (user+sys, schedstat, all threads)|$13 / 1000 / $12'
	'steady|aplay voluntary ctx switches/s (wakeups)|$14 * 1000 / $12'
	'steady|guest CPU ms/s (whole guest, both vCPUs, 10 ms ticks)|$15 * 1000 / $12'
	'whole|aplay CPU ms per s of audio (rusage, start-up and drain included)|($8 + $9) / 1000 / $6'
	'whole|aplay voluntary ctx switches per s of audio|$10 / $6'
	'whole|underrun reports of aplay, per run|$5'
)
JACK_MEASURES=(
	'steady|jackd CPU ms/s (user+sys, schedstat, all threads)|$13 / 1000 / $12'
	'steady|jackd voluntary ctx switches/s (all threads)|$14 * 1000 / $12'
	'steady|guest CPU ms/s (whole guest, both vCPUs, 10 ms ticks)|$15 * 1000 / $12'
	'whole|xrun lines in the jackd log, per run|$5'
	'start|ms until jack_wait -w saw the server|$16'
)

# The rows of runs that reported underruns or xruns, and the runs that
# measured nothing: none of them is averaged away unseen.
alsa_flagged() { # tsv prefix
	local bad
	bad=$(awk -F'\t' -v k="$2" '!/^#/ && index($1, k) == 1 && $5 > 0 {
		s = s (s ? "; " : "") $1 " " $2 " rep " $3 ": " $5 } END { print s }' "$1")
	echo "Runs with underruns/xruns (in the medians above): ${bad:-none}."
	bad=$(grep "^# $2" "$1" | sed 's/^# //' | paste -sd';')
	echo "Runs that measured nothing (not in the medians): ${bad:-none}."
}

aplay_table() { # tsv
	local s
	echo
	echo "### aplay -M, ringpcm plugin vs snd-hda-intel (hw:): CPU and wakeups"
	echo
	echo "\`aplay -v -M -D ringpcm\` against \`aplay -v -M -D hw:CARD=$RINGPCM_BASELINE_CARD\` (Debian's snd-hda-intel on the"
	echo "second, identical emulated controller) in the same boot, $ALSA_SECONDS s of 48 kHz stereo S16 white noise"
	echo "(the same file), --period-size/--buffer-size as in the first column, $ALSA_REPS repetitions per driver"
	echo "alternating which goes first (ABBA). Run by bench/cpu-run: 'steady' is the window from ${APLAY_WIN%,*} ms to"
	echo "$((${APLAY_WIN%,*} + ${APLAY_WIN#*,})) ms of each run (no start-up, no drain): aplay's CPU from"
	echo "/proc/PID/task/*/schedstat, its voluntary context switches (its wakeups) from task/*/status, the whole"
	echo "guest's CPU from /proc/stat (it includes each driver's interrupt work); 'whole' is the whole run"
	echo "(exec, alsa-lib configuration, plugin load over 9p, drain) from wait4 rusage per second of audio."
	echo "Underrun reports: aplay's 'underrun!!!' lines (it recovers and goes on). Median (min..max) over the"
	echo "repetitions; ringpcm / hw: ratio of the medians, then the ratios paired by repetition (the two runs of"
	echo "a repetition follow each other and share the host's load of the moment): their median (min..max)."
	echo "**Emulated-CPU time under QEMU TCG on a shared 2-core host: inflated and noisy. Read the ratios.**"
	echo
	echo "| run | part | measure | snd-hda-intel hw: | ringpcm plugin | ringpcm / hw: ratio of medians | paired ratios |"
	echo "|---|---|---|---|---|---|---|"
	for s in $ALSA_SIZES; do
		bench_rows "$1" "aplay-$s" hw ringpcm "" "${APLAY_MEASURES[@]}"
	done
	echo
	alsa_flagged "$1" aplay-
}

jackd_table() { # tsv
	local s
	echo
	echo "### jackd -d alsa, no client: ringpcm plugin vs snd-hda-intel (hw:)"
	echo
	echo "\`jackd -n rpcm-bench -d alsa -d DEVICE -r 48000 -p PERIOD -n PERIODS\` (duplex, no client;"
	echo "JACK_NO_AUDIO_RESERVATION=1), DEVICE ringpcm or hw:CARD=$RINGPCM_BASELINE_CARD, $ALSA_JACK_SECONDS s per run"
	echo "(cpu-run -t stops it with SIGTERM), $ALSA_REPS repetitions per driver in ABBA order. 'steady': the window"
	echo "from ${JACK_WIN%,*} ms to $((${JACK_WIN%,*} + ${JACK_WIN#*,})) ms after its start (a run where \`jack_wait -w\` saw the server only"
	echo "after the window opened measures nothing), CPU and voluntary context switches summed over all jackd"
	echo "threads; xrun lines: lines of its log that say 'xrun', whole run. Same statistics as above."
	echo
	echo "| run | part | measure | snd-hda-intel hw: | ringpcm plugin | ringpcm / hw: ratio of medians | paired ratios |"
	echo "|---|---|---|---|---|---|---|"
	for s in $ALSA_JACK; do
		bench_rows "$1" "jackd-$s" hw ringpcm "" "${JACK_MEASURES[@]}"
	done
	echo
	alsa_flagged "$1" jackd-
}

# calls per period, "-" where the driver made none of that call
per_period() { # syscalls-tsv key mode call
	awk -F'\t' -v k="$2" -v m="$3" -v c="$4" '$1 == k && $2 == m && $3 == c && $5 > 0 {
		printf "%.3f (%d)", $4 / $5, $4; f = 1 } END { if (!f) print "-" }' "$1"
}

syscall_table() { # syscalls-tsv
	local s c
	echo
	echo "### System calls per period, aplay -M: ringpcm plugin vs snd-hda-intel (hw:)"
	echo
	echo "The same aplay -M (-q, same sizes) of $ALSA_STRACE_SECONDS s of the same noise under \`strace -f -qq -ttt\`,"
	echo "one run per driver and size, separate from the CPU runs (strace stops the traced process at every call,"
	echo "which under TCG costs enough to cause underruns: their count is shown, and each one adds aplay's"
	echo "recovery calls). Counted: every call that starts between 1 s after aplay's first poll and 1 s before"
	echo "its last (streaming only); periods: the bytes aplay read from the WAV file in that time / (4 x period"
	echo "size) (aplay -M writes each chunk it reads into the ring: the periods it handed over, also across"
	echo "underruns). Cells: calls per period (calls counted). ioctls by request (the ringpcm driver's named from kernel/uapi/ringpcm.h); 'read' is aplay"
	echo "reading the WAV file, 'write' and 'clock_gettime' its underrun reports."
	echo
	echo "| run | system call | snd-hda-intel hw: per period (calls) | ringpcm plugin: per period (calls) |"
	echo "|---|---|---|---|"
	for s in $ALSA_SIZES; do
		while IFS= read -r c; do
			echo "| aplay-$s | $c | $(per_period "$1" "$s" hw "$c") | $(per_period "$1" "$s" ringpcm "$c") |"
		done <<<"$(awk -F'\t' -v k="$s" '!/^#/ && $1 == k { print $3 }' "$1" | sort -u)"
		awk -F'\t' -v k="$s" '!/^#/ && $1 == k { n[$2] += $4; p[$2] = $5; u[$2] = $6 }
			END { f = "%.3f (%d)"
				printf "| aplay-%s | **all** | " f " | " f " |\n", k, p["hw"] ? n["hw"] / p["hw"] : 0, n["hw"],
					p["ringpcm"] ? n["ringpcm"] / p["ringpcm"] : 0, n["ringpcm"]
				printf "| aplay-%s | periods counted | %.1f | %.1f |\n", k, p["hw"], p["ringpcm"]
				printf "| aplay-%s | underrun reports (whole run) | %s | %s |\n", k, u["hw"], u["ringpcm"] }' "$1"
	done
}

bench_alsa() {
	local tsv=$R/alsa-runs.tsv sys=$R/alsa-syscalls.tsv s i=0 m
	if [ -z "${RINGPCM_BASELINE_CARD:-}" ]; then
		echo "alsa: no baseline card (run-in-vm --baseline)" >&2
		return 1
	fi
	if [ $((ALSA_REPS % 2)) != 0 ]; then
		echo "alsa: ALSA_REPS=$ALSA_REPS: must be even (each driver first equally often)" >&2
		return 1
	fi
	alsa_setup
	make_noise /tmp/alsa.wav "$ALSA_SECONDS"
	make_noise /tmp/alsa-strace.wav "$ALSA_STRACE_SECONDS"
	echo "# $ALSA_HEADER" | tr ' ' '\t' | sed 's/^#\t/# /' >"$tsv"
	printf '# size\tmode\tcall\tcalls\tperiods\tunderruns\n' >"$sys"
	alsa_series "$tsv" aplay_run "$ALSA_SIZES"
	for s in $ALSA_SIZES; do	# alternate which driver goes first here too
		i=$((i + 1))
		for m in $(abba "$i" hw ringpcm); do
			strace_run "$sys" "$s" "$m"
		done
	done
	alsa_series "$tsv" jackd_run "$ALSA_JACK"
	aplay_table "$tsv"
	syscall_table "$sys"
	jackd_table "$tsv"
}

bench_alsa >"$R/alsa.md"
