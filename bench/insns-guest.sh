#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (bench/run-bench boots it with --baseline --audio none
# --count-insns): guest instructions per period, counted by the QEMU plugin
# of tools/insns/, in windows inside steady streaming.
#   aplay     aplay -M through the ringpcm ALSA plugin vs aplay -M on hw: of
#             Debian's snd-hda-intel (baseline controller), at each size of
#             INSNS_SIZES; the same through the null ioplug
#             (alsa-plugin/test/null-ioplug.c: no device, a timerfd as the
#             period clock), the floor any alsa-lib ioplug plugin pays, for
#             the clients of INSNS_NULL_CLIENTS
#   play      examples/ringpcm-play --mmap, map-once vs COPY (-D copy), at
#             each size of INSNS_PLAY_SIZES (empty: skipped)
#   idle      nothing playing: the kernel's own background, and empty
#             windows (the instrument's residual)
# Each run: the program starts, INSNS_LEAD s later (PortAudio: after its
# stream started) insns-mark opens a window of INSNS_WIN s (one process:
# OPEN, clock_nanosleep, CLOSE), then the program is stopped; a program
# that ended inside its window gives no row. INSNS_REPS repetitions of the
# whole series in this boot. Periods in a window: the interrupts of the driver's line in
# /proc/interrupts (one per period for both drivers), read just outside the
# window; the window's length x 48000 / period is kept beside them. Raw rows
# to $RINGPCM_RESULTS/insns-runs.tsv, the attribution of the windows'
# hottest blocks to insns-top-sym.tsv, progress to stderr. The tables are
# made on the host from those files (INSNS_REPORT_FROM=DIR, as
# bench/run-bench does): awk over the attribution is slow under TCG.
set -u
. bench/guest-lib.sh	# PATH, R, stats, alsa_setup, make_noise
INSNS_SIZES=${INSNS_SIZES:-1024x4 256x4}
INSNS_PLAY_SIZES=${INSNS_PLAY_SIZES-256x4 1024x4 4096x4}
INSNS_REPS=${INSNS_REPS:-3}
INSNS_LEAD=${INSNS_LEAD:-2.5}
INSNS_WIN=${INSNS_WIN:-3}
INSNS_TOP=${INSNS_TOP:-?}	# what run-bench gave run-in-vm --insns-top
RATE=48000
WAV=/tmp/insns.wav
TSV=$R/insns-runs.tsv
[ -n "${INSNS_REPORT_FROM:-}" ] || : "${RINGPCM_INSNS:?boot with run-in-vm --count-insns}"

# TSV columns: 1 workload, 2 size, 3 rep, 4 ns, 5 periods (interrupts),
# 6 user, 7 ringpcm, 8 alsa, 9 modules, 10 spin (spinlock slow path),
# 11 kernel (the rest), 12 total, 13 xrun reports, 14 periods by time,
# 15 the driver's interrupts in the window.
HEADER='workload size rep ns periods user ringpcm alsa modules spin kernel total underruns time_periods irqs'

# The ALSA clients compared (each as CLIENT-ringpcm and CLIENT-hw): aplay -M,
# arecord -M, aplay and arecord in RW access, jackd duplex (INSNS_JACK_SIZE),
# a PortAudio callback output stream like paex_sine (RingPCM host API vs
# ALSA host API on hw:, INSNS_PA_SIZE frames per buffer).
INSNS_CLIENTS=${INSNS_CLIENTS-aplay arecord aplayrw arecordrw}
INSNS_JACK_SIZE=${INSNS_JACK_SIZE-256x3}
INSNS_PA_SIZE=${INSNS_PA_SIZE-1024x4}
# The same PortAudio stream with -l 0.05 (client pal, INSNS_PAL_SIZE): at
# -l 0.1 PortAudio's ALSA host API runs the hw: device at 2048-frame periods
# (two callbacks per interrupt), at 0.05 at 1024 like the RingPCM host API
# does at either latency, so that the kernel rows compare alike.
INSNS_PAL_SIZE=${INSNS_PAL_SIZE-1024x4}
# aplay -M again with LIBASOUND_THREAD_SAFE=0 (alsa-lib then takes no mutex
# around a plugin's calls; hw: takes none anyway): what alsa-lib's locking
# of an ioplug PCM costs, at INSNS_NOLOCK_SIZE.
INSNS_NOLOCK_SIZE=${INSNS_NOLOCK_SIZE-1024x4}
# The clients also run through the null ioplug (CLIENT-null).
INSNS_NULL_CLIENTS=${INSNS_NULL_CLIENTS-aplay aplayrw arecord arecordrw aplaynl}
NULL_PERIODS=/tmp/insns-null-periods
PA_CHECK=build/portaudio/bin/pa-ringpcm-check
# How long the clients stream (the WAV's length, arecord -d, PortAudio -s):
# long past the window, since each is killed once its window has closed.
# With the plugin a window closes seconds after its nominal end (process
# start-up under TCG, late wake-ups); with only 3 s to spare, programs ended
# inside their windows (their teardown counted, their maps gone).
REC_SECS=$(awk -v a="$INSNS_LEAD" -v b="$INSNS_WIN" 'BEGIN { printf "%d", a + b + 20 }')
export JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1

alsa_dev() { # ringpcm|hw|null
	case $1 in
	ringpcm) echo ringpcm ;;
	null) echo nullioplug ;;
	*) echo "hw:CARD=$RINGPCM_BASELINE_CARD" ;;
	esac
}

# The null ioplug, beside the plugins alsa_setup made visible.
null_setup() {
	cat >>"$HOME/.asoundrc" <<EOF
pcm_type.nullioplug { lib "$ALSA_BUILD/libasound_module_pcm_nullioplug.so" }
pcm.nullioplug { type nullioplug }
EOF
}

# The workloads of CLIENT: through ringpcm, on hw:, and through the null
# ioplug when the client is one of INSNS_NULL_CLIENTS.
workloads_of() { # client
	echo "$1-ringpcm $1-hw"
	[[ " $INSNS_NULL_CLIENTS " != *" $1 "* ]] || echo "$1-null"
}

# The baseline card's hw: device for PortAudio's ALSA host API: a part of
# its name, which ends in "(hw:N,0)" (pa-ringpcm-check -d takes a substring;
# asking pa_devs for the whole name probes every device for 12 s under TCG).
pa_alsa_dev() {
	local card
	card=$(readlink "/proc/asound/$RINGPCM_BASELINE_CARD")
	echo "(hw:${card#card},0)"
}

# pa-ringpcm-check's -l (suggested latency) for client pa or pal.
pa_latency() { # client
	if [ "$1" = pal ]; then echo 0.05; else echo 0.1; fi
}

# The null ioplug's runs count their periods in NULL_PERIODS.
command_of() { # workload PxN
	case $1 in
	*-null) echo "env NULLIOPLUG_PERIODS=$NULL_PERIODS $(command_base "$@")" ;;
	*) command_base "$@" ;;
	esac
}

command_base() { # workload PxN
	local p=${2%x*} n=${2#*x} c=${1%-*} d
	d=$(alsa_dev "${1##*-}")
	local geo="--period-size=$p --buffer-size=$((p * n))"
	local rec="-f S16_LE -r $RATE -c 2 -t raw"
	case $1 in
	aplay-*) echo "aplay -M -D $d $geo $WAV" ;;
	aplaynl-*) echo "env LIBASOUND_THREAD_SAFE=0 aplay -M -D $d $geo $WAV" ;;
	aplayrw-*) echo "aplay -D $d $geo $WAV" ;;
	arecord-*) echo "arecord -M -D $d $geo $rec -d $REC_SECS /dev/null" ;;
	arecordrw-*) echo "arecord -D $d $geo $rec -d $REC_SECS /dev/null" ;;
	jackd-*) echo "jackd -n insns -r -d alsa -d $d -r $RATE -p $p -n $n" ;;
	pa-ringpcm | pal-ringpcm) echo "$PA_CHECK -m out -s $REC_SECS -f $p -l $(pa_latency "$c") timing" ;;
	pa-hw | pal-hw) echo "env RINGPCM_PA_DISABLE=1 $PA_CHECK -d $(pa_alsa_dev) -m out -s $REC_SECS -f $p" \
		"-l $(pa_latency "$c") timing" ;;
	play-maponce) echo "ringpcm-play -q --mmap -D map-once -p $p -n $n $WAV" ;;
	play-copy) echo "ringpcm-play -q --mmap -D copy -p $p -n $n $WAV" ;;
	esac
}

irq_of() { # workload
	case $1 in *-hw) echo snd_hda_intel ;; *-null) echo "@$NULL_PERIODS" ;; *) echo ringpcm ;; esac
}

# Periods a window held: the driver's interrupts (one per period, for
# both drivers) for one stream; for jackd (duplex: two streams, whose
# interrupts may or may not coincide on the baseline controller) and
# PortAudio (callbacks of P frames; the ALSA host API picks its own period)
# the window's length in periods. The null ioplug counts its timer's
# periods in $NULL_PERIODS (NULLIOPLUG_PERIODS), read like the interrupts.
periods_of() { # workload irqs time-periods
	case $1 in
	jackd-* | pa-* | pal-*) printf '%.0f\n' "$3" ;;
	*) echo "$2" ;;
	esac
}

# PortAudio's clients stream only after Pa_Initialize, whose ALSA host API
# opens and probes every ALSA device (seconds under TCG): the lead runs from
# pa-ringpcm-check's "stream-started" line, not from the program's start
# (waiting at most 60 s; a program that exits first gives no row).
wait_started() { # output pid
	local i
	for i in $(seq 300); do
		grep -q '^stream-started' "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

# "insns LABEL ns=.. user=.. ..." -> the value of KEY
mark_field() { # line key
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1"
}

# PID still runs (an exited child stays a zombie until waited for).
alive() { # pid
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st%% *}" != Z ]
}

# One window inside one run of WORKLOAD at SIZE: a TSV row.
insns_run() { # workload PxN rep
	local p=${2%x*} label=$1-$2-r$3 pid out line k row irqs tp
	out=/tmp/insns-run.out
	# shellcheck disable=SC2046,SC2091 # the command is words without blanks
	$(command_of "$1" "$2") >"$out" 2>&1 </dev/null &
	pid=$!
	case $1 in pa-* | pal-*) wait_started "$out" "$pid" ;; esac
	sleep "$INSNS_LEAD"
	# Its mappings, to attribute its user-space blocks (symbolize): taken
	# before the window (its libraries are loaded by then), so that they
	# are there even if it ends inside the window.
	cat "/proc/$pid/maps" >"/tmp/insns-maps-$label" 2>/dev/null
	line=$(insns-mark window "$label" "$INSNS_WIN" "$(irq_of "$1")" 2>&1)
	# A window the program did not stream through to its end counted its
	# teardown: no row.
	alive "$pid" || line="the program ended inside its window: $line"
	kill "$pid" 2>/dev/null
	# Nothing it started may run on into the next windows.
	sleep 0.5
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [[ $line != "insns $label "* ]] || ! grep -q . <<<"$(mark_field "$line" ns)"; then
		echo "# $label: no window: $line $(tail -n 2 "$out" | tr '\n' ' ')"
		return
	fi
	irqs=$(mark_field "$line" irqs)
	tp=$(awk -v ns="$(mark_field "$line" ns)" -v p="$p" -v r=$RATE 'BEGIN { printf "%.2f", ns / 1e9 * r / p }')
	row="$1 $2 $3 $(mark_field "$line" ns) $(periods_of "$1" "$irqs" "$tp")"
	for k in user ringpcm alsa modules spin kernel total; do
		row="$row $(mark_field "$line" $k)"
	done
	row="$row $(grep -c -i -e underrun -e overrun -e xrun "$out") $tp $irqs"
	tr ' ' '\t' <<<"$row"
	echo "insns: $label: ${line#insns }" >&2
}

idle_run() { # rep
	local line k row
	for k in empty idle; do
		if [ $k = empty ]; then
			line=$(insns-mark window "empty-r$1" 0 2>&1)
		else
			line=$(insns-mark window "idle-r$1" "$INSNS_WIN" 2>&1)
		fi
		row="$k - $1 $(mark_field "$line" ns) -"
		for f in user ringpcm alsa modules spin kernel total; do
			row="$row $(mark_field "$line" $f)"
		done
		tr ' ' '\t' <<<"$row 0 - -"
		echo "insns: ${line#insns }" >&2
	done
}

# ---- attribution: the hottest blocks of each window, by kernel symbol ----

# insns-top.tsv (written by the plugin) with each block's symbol: kernel
# blocks from /proc/kallsyms (text symbols; addresses compared as 16-digit
# strings), user blocks of a measured program from its /proc/PID/maps
# (saved in insns_run) as FILE+0xOFFSET, then addr2line's function name.
symbolize() {
	local f maps=() line path offs
	grep -i ' t ' /proc/kallsyms | sort >/tmp/insns-kallsyms
	for f in /tmp/insns-maps-*; do [ -s "$f" ] && maps+=("$f"); done
	awk -F'\t' '
		function hex(x,   i, n, c) {
			n = 0; x = tolower(x)
			for (i = 1; i <= length(x); i++) {
				c = index("0123456789abcdef", substr(x, i, 1))
				n = n * 16 + c - 1
			}
			return n
		}
		FILENAME == "/tmp/insns-kallsyms" { split($0, f, " "); n++; A[n] = f[1]; S[n] = f[3] (f[4] ? " " f[4] : ""); next }
		FILENAME ~ /^\/tmp\/insns-maps-/ {
			lab = FILENAME; sub(/^\/tmp\/insns-maps-/, "", lab)
			split($0, f, " "); split(f[1], r, "-")
			if (f[6] !~ /^\//) next
			m = ++M[lab]; MS[lab, m] = hex(r[1]); ME[lab, m] = hex(r[2])
			MO[lab, m] = hex(f[3]); MP[lab, m] = f[6]; next
		}
		FNR == 1 { print "window\tlabel\tcategory\tvaddr\tsymbol\tinsns\texecs\toffset"; next }
		{
			a = $4 ""; lo = 1; hi = n; s = "?"; off = "-"
			if ($3 != "user") {
				while (lo <= hi) {
					mid = int((lo + hi) / 2)
					if ((A[mid] "") <= a) { s = S[mid]; sa = A[mid] ""; lo = mid + 1 } else hi = mid - 1
				}
				# The block'"'"'s offset in its symbol (0: the entry), from the low
				# 32 bits (awk'"'"'s doubles cannot hold a 64-bit address).
				if (s != "?") {
					off = hex(substr(a, 9)) - hex(substr(sa, 9))
					if (off < 0) off += 4294967296
				}
			} else {
				v = hex($4); s = "(user, unmapped)"
				for (m = 1; m <= M[$2]; m++)
					if (v >= MS[$2, m] && v < ME[$2, m]) {
						s = MP[$2, m] "+0x" sprintf("%x", v - MS[$2, m] + MO[$2, m]); break
					}
			}
			print $1 "\t" $2 "\t" $3 "\t" $4 "\t" s "\t" $7 "\t" $6 "\t" off
		}' /tmp/insns-kallsyms "${maps[@]}" "$RINGPCM_INSNS/insns-top.tsv" >/tmp/insns-top-sym.tsv
	# FILE+0xOFF -> "function (file)", one addr2line per file.
	: >/tmp/insns-user-syms
	cut -f5 /tmp/insns-top-sym.tsv | grep '^/.*+0x' | sort -u | sed 's/+0x/ /' |
	awk '{ o[$1] = o[$1] " 0x" $2 } END { for (p in o) print p o[p] }' |
	while read -r path offs; do
		# (no process substitution: the guest has no /dev/fd)
		# shellcheck disable=SC2086 # offsets are words
		printf "$path+%s\n" $offs >/tmp/insns-a2l-keys
		addr2line -f -e "$path" $offs 2>/dev/null | sed -n 'p;n' |
			sed "s|\$| (${path##*/})|" >/tmp/insns-a2l-names
		paste -d'\t' /tmp/insns-a2l-keys /tmp/insns-a2l-names >>/tmp/insns-user-syms
	done
	awk -F'\t' 'FILENAME == "/tmp/insns-user-syms" { fn[$1] = $2; next }
		{ if ($5 in fn) { $5 = fn[$5]; sub(/^\?\? /, "? ", $5) } print }' OFS='\t' \
		/tmp/insns-user-syms /tmp/insns-top-sym.tsv >"$R/insns-top-sym.tsv"
}

# Per period, by symbol, for the windows of WORKLOAD at SIZE (one column per
# repetition): the kernel symbols (outside user space) that executed the
# most, among each window's hottest blocks.
symbol_table() { # workload size user|kernel
	echo
	echo "#### $1, $2: $3 instructions per period by symbol (one column per repetition)"
	echo
	awk -F'\t' -v w="$1" -v s="$2" -v reps="$INSNS_REPS" -v side="$3" '
		FNR == NR { if ($1 == w && $2 == s) per[$3] = $5; next }
		FNR == 1 { next }
		{
			lab = $2; rep = lab; sub(/.*-r/, "", rep); sub(/-r[0-9]+$/, "", lab)
			if (lab != w "-" s || ($3 == "user") != (side == "user") || !(rep in per) || per[rep] <= 0) next
			v[$5, rep] += $6 / per[rep]; tot[$5] += $6 / per[rep]
		}
		END {
			hdr = "| symbol |"; sep = "|---|"
			for (r = 1; r <= reps; r++) { hdr = hdr " rep " r " |"; sep = sep "---|" }
			print hdr; print sep
			for (k = 0; k < 14; k++) {	# the 14 largest over all repetitions
				best = ""; bv = -1
				for (x in tot) if (!(x in done) && tot[x] > bv) { bv = tot[x]; best = x }
				if (best == "") break
				done[best] = 1
				line = "| " best " |"
				for (r = 1; r <= reps; r++) line = line sprintf(" %.0f |", v[best, r])
				print line
			}
		}' "$TSV" "$R/insns-top-sym.tsv"
}

# ---- ringpcm.ko per call, by entry point ----

# Per window of WORKLOAD at SIZE (one line each, tab-separated): ringpcm.ko
# instructions per call of 1 the interrupt, 2 COMMIT, 3 poll; 4 COMMIT calls
# and 5 poll calls per interrupt; 6 per period (1 + 2 + 3); 7 the kernel's
# memcpy per COMMIT (outside ringpcm.ko); 8 publish_locked and 9
# hda_stream_pos calls per (interrupt + COMMIT) call; 10 the rest of
# ringpcm.ko per interrupt; 11 the share of the window's ringpcm.ko count
# the top list holds (%); 12 stream_ioctl calls per COMMIT. From the symbolized top blocks (columns 6 insns,
# 7 execs, 8 offset in the symbol): a symbol's calls are the executions of
# its block at offset 0. Each entry's instructions: its own blocks and
# those of the ringpcm.ko functions only it calls (the interrupt: ringpcm_irq,
# ringpcm_stream_irq; COMMIT: stream_ioctl, ringpcm_stream_commit,
# commit_to_device, ringpcm_ring_for_device, ring_walk_pages, the ring's
# for_device op; poll: stream_poll, ringpcm_stream_poll_mask); what both
# the interrupt and COMMIT call once each while RUNNING (publish_locked,
# hda_stream_pos; columns 8 and 9 check the once) is added to each at its
# own cost per call.
percall_windows() { # workload size
	awk -F'\t' -v w="$1" -v s="$2" '
		function grp(n) {
			if (n == "ringpcm_irq" || n == "ringpcm_stream_irq") return "irq"
			if (n ~ /^(stream_ioctl|ringpcm_stream_commit|commit_to_device|ringpcm_ring_for_device|ring_walk_pages|map_once_for_device|copy_for_device|chunk_from_pages)$/)
				return "commit"
			if (n == "stream_poll" || n == "ringpcm_stream_poll_mask") return "poll"
			if (n == "publish_locked" || n == "hda_stream_pos") return n
			return "other"
		}
		function q(a, b) { return b > 0 ? a / b : 0 }
		FNR == NR {
			if ($1 == w && $2 == s && $5 > 0) { lab = w "-" s "-r" $3; want[lab] = 1; rp[lab] = $7; nl[++n] = lab }
			next
		}
		FNR == 1 || !($2 in want) { next }
		$5 ~ / \[ringpcm\]$/ {
			f = $5; sub(/ \[ringpcm\]$/, "", f)
			I[$2, grp(f)] += $6; tot[$2] += $6
			if ($8 == "0") E[$2, f] += $7
			next
		}
		$5 == "memcpy" || $5 == "memcpy_erms" { M[$2] += $6 }
		END {
			for (k = 1; k <= n; k++) {
				l = nl[k]; ci = E[l, "ringpcm_irq"]; cc = E[l, "ringpcm_stream_commit"]
				cp = E[l, "ringpcm_stream_poll_mask"]
				if (!ci || !cc || !cp) continue
				sh = q(I[l, "publish_locked"], E[l, "publish_locked"]) + q(I[l, "hda_stream_pos"], E[l, "hda_stream_pos"])
				a = I[l, "irq"] / ci + sh; b = I[l, "commit"] / cc + sh; c = I[l, "poll"] / cp
				printf "%.1f\t%.1f\t%.1f\t%.3f\t%.3f\t%.1f\t%.1f\t%.3f\t%.3f\t%.1f\t%.1f\t%.3f\n", a, b, c, cc / ci,
					cp / ci, a + b + c, M[l] / cc, E[l, "publish_locked"] / (ci + cc),
					E[l, "hda_stream_pos"] / (ci + cc), I[l, "other"] / ci, q(100 * tot[l], rp[l]),
					E[l, "stream_ioctl"] / cc
			}
		}' "$TSV" "$R/insns-top-sym.tsv"
}

# "median (min..max, spread %)" of column COL of percall_windows; FMT for
# the numbers (default %.0f).
percall_cell() { # workload size col [fmt]
	percall_windows "$1" "$2" | cut -f"$3" | sort -g | awk -v f="${4:-%.0f}" '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf f " (" f ".." f ", %.1f%%)\n", m, v[1], v[NR], m ? 100 * (v[NR] - v[1]) / m : 0 }'
}

percall_median() { # workload size col
	percall_windows "$1" "$2" | cut -f"$3" | sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		printf "%g\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Across sizes: "min..max, spread % of the median" of the per-size medians
# of column COL for WORKLOAD.
percall_across() { # workload col
	local s
	for s in $INSNS_PLAY_SIZES; do percall_median "$1" "$s" "$2"; done | grep -v "^-$" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.0f..%.0f, spread %.1f%% of the median %.0f", v[1], v[NR], m ? 100 * (v[NR] - v[1]) / m : 0, m }'
}

percall_table() {
	local s w c m
	echo
	echo "### ringpcm.ko instructions per call, by entry point"
	echo
	# Top lists symbolized before the executions were kept have 6 columns.
	if ! awk -F'\t' 'NR > 1 && NF >= 8 { found = 1; exit } END { exit !found }' "$R/insns-top-sym.tsv"; then
		echo "(Not in this run: its top list has no executions; see results/bench-insns-maponce.md.)"
		return 0
	fi
	echo "What the driver's code costs per invocation, independent of how many periods a client hands over per"
	echo "wake-up (the per-period figures above divide a window by its interrupts, and so mix in COMMITs and polls"
	echo "per interrupt, which vary with how late TCG runs). From each window's top blocks (\`--insns-top $INSNS_TOP\`),"
	echo "with their executions: a function's calls are the executions of the block at its kallsyms address"
	echo "(its entry). interrupt: ringpcm_irq (the hard interrupt; calls = its entries) and ringpcm_stream_irq;"
	echo "COMMIT: stream_ioctl, ringpcm_stream_commit (calls), commit_to_device, ringpcm_ring_for_device,"
	echo "ring_walk_pages and the ring's for_device op (copy_for_device, chunk_from_pages in COPY); poll:"
	echo "stream_poll, ringpcm_stream_poll_mask (calls). publish_locked and hda_stream_pos, which the interrupt"
	echo "and COMMIT each call once while RUNNING (checked: their calls / (interrupts + COMMITs) below), are added"
	echo "to both at their own cost per call. Only ringpcm.ko's range: the kernel code these call (spinlocks,"
	echo "wake-ups, ktime_get_raw, the ioctl and poll syscalls) is not in it; COPY's memcpy is the kernel's"
	echo "(memcpy/memcpy_erms, rep movsb: one instruction per byte under TCG), outside ringpcm.ko, shown beside"
	echo "as all of the window's memcpy per COMMIT. Cells: median over the windows (min..max, spread). The last"
	echo "column should be 100%: above it, the top list's executions and the window's count disagree (cause"
	echo "not known; a call cut by the window's edges is one of a window's calls) and the window's figures are doubtful."
	echo
	echo "| size | strategy | interrupt | COMMIT | poll | COMMIT calls / interrupt | poll calls / interrupt | per period = interrupt + COMMIT + poll | kernel memcpy per COMMIT | calls of publish_locked, hda_stream_pos / (interrupts + COMMITs); stream_ioctl / COMMITs | rest of ringpcm.ko per interrupt | top list / ringpcm.ko count |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	for s in $INSNS_PLAY_SIZES; do
		for w in play-maponce play-copy; do
			m=map-once; [ $w = play-maponce ] || m=COPY
			printf '| %s | %s |' "$s" $m
			for c in 1 2 3; do printf ' %s |' "$(percall_cell "$w" "$s" $c)"; done
			for c in 4 5; do printf ' %s |' "$(percall_cell "$w" "$s" $c %.2f)"; done
			printf ' %s | %s |' "$(percall_cell "$w" "$s" 6)" "$(percall_cell "$w" "$s" 7)"
			printf ' %s, %s; %s |' "$(percall_median "$w" "$s" 8)" "$(percall_median "$w" "$s" 9)" \
				"$(percall_median "$w" "$s" 12)"
			printf ' %s | %s%% |\n' "$(percall_cell "$w" "$s" 10)" "$(percall_median "$w" "$s" 11)"
		done
	done
	echo
	echo "Per period (interrupt + COMMIT + poll per call) across the sizes $(echo $INSNS_PLAY_SIZES | sed 's/ /, /g'):"
	echo "map-once $(percall_across play-maponce 6); COPY $(percall_across play-copy 6) in ringpcm.ko,"
	echo "plus the kernel's memcpy per COMMIT ($(percall_across play-copy 7)). COMMIT alone: map-once"
	echo "$(percall_across play-maponce 2), COPY $(percall_across play-copy 2)."
}

# ---- tables ----

# Values of EXPR for the windows of WORKLOAD at SIZE; with RT_ONLY=1 only
# the windows in which the device kept real time (interrupts >= 90% of the
# window's length in periods: no stall and no xrun inside the window). A
# window without a single interrupt (the program was not streaming yet) is
# left out.
values() { # workload size expr
	awk -F'\t' -v k="$1" -v m="$2" -v rt="${RT_ONLY:-0}" \
		"!/^#/ && \$1 == k && \$2 == m && (\$5 == \"-\" || \$5 > 0) && (!rt || \$5 >= 0.9 * \$14) { print $3 }" "$TSV"
}

# "median (min..max, spread %)" of EXPR over the windows of W at S; with
# RT_ONLY, n = how many windows qualified.
cell() { # workload size expr
	values "$1" "$2" "$3" | sort -g | awk -v rt="${RT_ONLY:-0}" '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.0f (%.0f..%.0f, %.1f%%%s)\n", m, v[1], v[NR], m ? 100 * (v[NR] - v[1]) / m : 0,
			rt ? ", n=" NR : "" }'
}

median_of() { # workload size expr
	values "$1" "$2" "$3" | stats | cut -d' ' -f1
}

ratio() { # a b ("-": no value)
	awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-" }'
}

PER_PERIOD=(
	'user space|$6 / $5'
	'ringpcm.ko|$7 / $5'
	'ALSA/HDA modules (snd*)|$8 / $5'
	'other modules (9p, virtio)|$9 / $5'
	'spinlock slow path|$10 / $5'
	'rest of the kernel|$11 / $5'
	'whole guest|$12 / $5'
)

workload_rows() { # size workload...
	local s=$1 w m
	shift
	for w in "$@"; do
		printf '| %s | %s |' "$s" "$w"
		for m in "${PER_PERIOD[@]}"; do
			printf ' %s |' "$(cell "$w" "$s" "${m#*|}")"
		done
		printf ' %s | %s |\n' "$(values "$w" "$s" '($15 != "" ? $15 : $5) "/" $14' | paste -sd' ')" \
			"$(values "$w" "$s" '$13' | paste -sd/)"
	done
}

per_period_table() { # title workloads...
	local s title=$1 sizes=$2 m h
	shift 2
	echo
	echo "### $title"
	echo
	h='| size | workload |'
	for m in "${PER_PERIOD[@]}"; do h="$h ${m%%|*} |"; done
	echo "$h periods: interrupts/by time | underrun reports |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for s in $sizes; do
		workload_rows "$s" "$@"
	done
}

ratio_rows() { # size [client]
	local s=$1 c=${2:-aplay} rp hwalsa up uh kr kh
	rp=$(median_of "$c-ringpcm" "$s" '$7 / $5')
	hwalsa=$(median_of "$c-hw" "$s" '$8 / $5')
	up=$(median_of "$c-ringpcm" "$s" '$6 / $5')
	uh=$(median_of "$c-hw" "$s" '$6 / $5')
	kr=$(median_of "$c-ringpcm" "$s" '($7 + $8 + $9 + $11) / $5')
	kh=$(median_of "$c-hw" "$s" '($7 + $8 + $9 + $11) / $5')
	[ -n "$rp$up" ] || return 0
	echo "| $(client_name "$c") | $s | $(ratio "$rp" "$hwalsa") | $(ratio "$up" "$uh") | $(ratio "$kr" "$kh") | $(ratio "$(median_of "$c-ringpcm" "$s" '$12 / $5')" "$(median_of "$c-hw" "$s" '$12 / $5')") |"
}

# User space per period on hw:, through the null ioplug and through the
# ringpcm plugin (medians): what any ioplug plugin pays, and the plugin's own.
floor_rows() { # client size
	local uh un ur
	uh=$(median_of "$1-hw" "$2" '$6 / $5')
	un=$(median_of "$1-null" "$2" '$6 / $5')
	ur=$(median_of "$1-ringpcm" "$2" '$6 / $5')
	[ "${un:--}" != - ] || return 0
	echo "| $(client_name "$1") | $2 | ${uh:--} | $un | ${ur:--} | $(ratio "$un" "$uh") | $(ratio "$ur" "$un") |" \
		"$(awk -v a="${ur:--}" -v b="$un" 'BEGIN { if (a != "-") printf "%.0f", a - b; else print "-" }') |"
}

floor_table() {
	[ -n "$INSNS_NULL_CLIENTS" ] || return 0
	echo
	echo "### The ioplug floor: user space per period through a plugin with no device"
	echo
	echo "The null ioplug (alsa-plugin/test/null-ioplug.c, \`pcm.nullioplug\`): the ringpcm plugin's ioplug shape"
	echo "(mmap_rw, alsa-lib's exported ring, BOUNDARY_WA, transfer, pointer, the three poll callbacks, delay)"
	echo "over a timerfd ticking once per period, no device: what aplay, alsa-lib's ioplug layer and its locking"
	echo "execute per period for any ioplug plugin. Medians of user-space instructions per period (the null"
	echo "ioplug's periods: its timer's ticks in the window, counted by the plugin in NULLIOPLUG_PERIODS and"
	echo "read around the window like a driver's interrupts; its rows' interrupts column shows them)."
	echo
	echo "| client | size | hw: | null ioplug | ringpcm plugin | null / hw: | ringpcm / null | ringpcm - null |"
	echo "|---|---|---|---|---|---|---|---|"
	client_sizes | while read -r c s; do
		[[ " $INSNS_NULL_CLIENTS " != *" $c "* ]] || floor_rows "$c" "$s"
	done
}

client_name() { # client
	case $1 in
	aplay) echo "aplay -M" ;;
	aplaynl) echo "aplay -M, LIBASOUND_THREAD_SAFE=0" ;;
	arecord) echo "arecord -M" ;;
	aplayrw) echo "aplay (RW)" ;;
	arecordrw) echo "arecord (RW)" ;;
	jackd) echo "jackd duplex" ;;
	pa) echo "PortAudio callback (out)" ;;
	pal) echo "PortAudio callback (out), -l 0.05" ;;
	esac
}

# Every client with the sizes it ran at: "client size" lines.
client_sizes() {
	local c s
	for c in $INSNS_CLIENTS; do for s in $INSNS_SIZES; do echo "$c $s"; done; done
	[ -z "$INSNS_NOLOCK_SIZE" ] || echo "aplaynl $INSNS_NOLOCK_SIZE"
	[ -z "$INSNS_JACK_SIZE" ] || echo "jackd $INSNS_JACK_SIZE"
	[ -z "$INSNS_PA_SIZE" ] || echo "pa $INSNS_PA_SIZE"
	[ -z "$INSNS_PAL_SIZE" ] || echo "pal $INSNS_PAL_SIZE"
}

report() {
	local s
	echo
	echo "Counted by the QEMU TCG plugin of tools/insns/ (\`run-in-vm --count-insns\`): every instruction the"
	echo "guest executes, both vCPUs, split by address: user space; ringpcm.ko's module range; the ALSA/HDA"
	echo "modules (snd, snd_* incl. snd_pcm, snd_timer, snd_hda_intel, snd_hda_codec*, snd_hda_core; from"
	echo "/proc/modules); other modules; the kernel's spinlock slow path (a vCPU waiting for a lock the other"
	echo "holds spins as long as the host does not run the other vCPU's thread: it varies with the host's"
	echo "load); the rest of the kernel. Each run: the program starts, ${INSNS_LEAD} s later"
	echo "\`insns-mark window LABEL $INSNS_WIN IRQ\` counts ${INSNS_WIN} s of steady streaming (one process: magic NOP"
	echo "opening the window, clock_nanosleep, magic NOP closing it), then the program is killed. Periods in a"
	echo "window: the driver's interrupts (its /proc/interrupts line, read just before and after the window; one"
	echo "per period for both drivers); beside them the window's length x 48000 / period. $INSNS_REPS repetitions"
	echo "of the whole series in one boot (rep 1, 2, 3 in order). Guest clocksource: $(cat "$R/insns-clocksource" 2>/dev/null || echo '?')"
	echo "(tsc unless INSNS_KERNEL_ARGS says otherwise: with hpet, read_hpet waits for the other vCPU's read)."
	echo "Cells: instructions per period, median (min..max, spread = (max - min) / median). These are counts, not"
	echo "times: they do not depend on the host's load, except through what the guest does differently when it"
	echo "runs late (timer interrupts per period, idle entries, xruns)."
	client_sizes | while read -r c s; do
		# shellcheck disable=SC2046 # workload names are words
		per_period_table "$(client_name "$c"): ringpcm ALSA plugin vs snd-hda-intel hw: ($s, same boot, 48 kHz stereo S16)" \
			"$s" $(workloads_of "$c")
	done
	echo
	echo "Real-time windows only (interrupts >= 90% of the window's length in periods), aplay -M:"
	RT_ONLY=1 per_period_table "aplay -M, real-time windows" "$INSNS_SIZES" aplay-ringpcm aplay-hw
	echo
	echo "Clients: \`aplay -M -D ringpcm --period-size=P --buffer-size=P*N FILE\` vs the same on"
	echo "\`hw:CARD=$RINGPCM_BASELINE_CARD\` (Debian's snd-hda-intel on the second, identical emulated controller);"
	echo "\`arecord -M ... -f S16_LE -r 48000 -c 2 -t raw /dev/null\`; RW: the same without -M; jackd: \`jackd -r -d alsa"
	echo "-d DEV -r 48000 -p P -n N\` (duplex, no client); PortAudio: \`pa-ringpcm-check -m out -f P -l 0.1 timing\`"
	echo "(a paInt16 stereo callback output stream, like paex_sine) on the RingPCM host API vs on PortAudio's ALSA"
	echo "host API with the baseline card's hw: device (\`-d '(hw:N,0)'\`, RINGPCM_PA_DISABLE=1); \"-l 0.05\": the same"
	echo "with -l 0.05, at which PortAudio's ALSA host API runs hw: at 1024-frame periods as the RingPCM host API"
	echo "does at either latency (at 0.1: 2048). Their lead runs from Pa_StartStream (the program's"
	echo "\`stream-started\` line), as Pa_Initialize alone takes seconds here. Per period: the driver's"
	echo "interrupts (one per period); for jackd (two streams, whose interrupts may coincide on the baseline"
	echo "controller) and PortAudio (callbacks of P frames) the window's length in periods."
	echo
	echo "Ratios of the medians, ringpcm / hw: (the issue's goals: ringpcm.ko <= 0.5x what snd-hda-intel +"
	echo "snd_pcm + snd-hda-core execute for aplay -M; user space <= 1.0x for aplay -M / arecord -M, <= 1.1x"
	echo "for RW, <= 1.0x for jackd and PortAudio):"
	echo
	echo "| client | size | ringpcm.ko / ALSA+HDA modules | user space | kernel without spinlock slow path | whole guest |"
	echo "|---|---|---|---|---|---|"
	client_sizes | while read -r c s; do ratio_rows "$s" "$c"; done
	floor_table
	echo
	echo "The same ratios over the real-time windows only (aplay -M):"
	echo
	echo "| client | size | ringpcm.ko / ALSA+HDA modules | user space | kernel without spinlock slow path | whole guest |"
	echo "|---|---|---|---|---|---|"
	for s in $INSNS_SIZES; do RT_ONLY=1 ratio_rows "$s"; done
	if [ -n "$INSNS_PLAY_SIZES" ]; then
		per_period_table "ringpcm-play --mmap: map-once vs COPY (-D copy)" "$INSNS_PLAY_SIZES" play-maponce play-copy
		RT_ONLY=1 per_period_table "The same, real-time windows only" "$INSNS_PLAY_SIZES" play-maponce play-copy
		percall_table
	fi
	echo
	echo "### The instrument's residual: empty and idle windows (nothing playing)"
	echo
	echo "empty: \`insns-mark window empty 0\` (both magic NOPs in one translation block); idle: a $INSNS_WIN s window"
	echo "with nothing playing (timer ticks, the marker's own clock_nanosleep and wake-up). Instructions per window."
	echo
	echo "| window | user space | ringpcm.ko | ALSA/HDA | other modules | spinlock slow path | rest of the kernel | whole guest |"
	echo "|---|---|---|---|---|---|---|---|"
	for s in empty idle; do
		printf '| %s |' "$s"
		for m in 6 7 8 9 10 11 12; do printf ' %s |' "$(cell "$s" - "\$$m")"; done
		echo
	done
	echo
	echo "### What the kernel executes per period, by symbol"
	echo
	echo "From each window's hottest translation blocks (\`run-in-vm --insns-top $INSNS_TOP\`), kernel blocks symbolized"
	echo "with the guest's /proc/kallsyms, user blocks with the program's /proc/PID/maps and addr2line (?: a stripped"
	echo "library); the sum over a window's blocks of one symbol, per period. Rows: the 14 symbols with the most"
	echo "over the repetitions. A block is charged to the symbol it starts in. The spinlock slow path's callers are"
	echo "not visible here (a block is where it starts, not who called it)."
	for s in $INSNS_SIZES; do
		symbol_table aplay-ringpcm "$s" kernel
		symbol_table aplay-hw "$s" kernel
	done
	client_sizes | while read -r c s; do
		for w in $(workloads_of "$c"); do
			symbol_table "$w" "$s" user
		done
	done
	for s in $INSNS_PLAY_SIZES; do
		symbol_table play-maponce "$s" kernel
		symbol_table play-copy "$s" kernel
	done
}

main() {
	local rep s w
	alsa_setup
	null_setup
	make_noise "$WAV" "$REC_SECS"
	echo "$HEADER" | tr ' ' '\t' >"$TSV"
	for rep in $(seq "$INSNS_REPS"); do
		idle_run "$rep" >>"$TSV"
		client_sizes | while read -r c s; do
			for w in $(workloads_of "$c"); do
				insns_run "$w" "$s" "$rep" >>"$TSV"
			done
		done
		for s in $INSNS_PLAY_SIZES; do
			for w in play-maponce play-copy; do
				insns_run "$w" "$s" "$rep" >>"$TSV"
			done
		done
	done
	symbolize
	cat /sys/devices/system/clocksource/clocksource0/current_clocksource >"$R/insns-clocksource"
	echo "$RINGPCM_BASELINE_CARD" >"$R/insns-baseline-card"
	# The tables: on the host (bench/run-bench), where awk is not emulated.
}

# INSNS_REPORT_FROM=DIR: only the tables, from DIR/insns-runs.tsv and
# DIR/insns-top-sym.tsv of an earlier run (e.g. results/, on the host).
if [ -n "${INSNS_REPORT_FROM:-}" ]; then
	R=$INSNS_REPORT_FROM TSV=$INSNS_REPORT_FROM/insns-runs.tsv
	RINGPCM_BASELINE_CARD=$(cat "$R/insns-baseline-card" 2>/dev/null || echo "${RINGPCM_BASELINE_CARD:-?}")
	report
else
	main
fi
