# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest halves of make bench (bench/e2e-guest.sh,
# bench/alsa-guest.sh), in the guest from the checkout root: PATH, the
# results folder, and the helpers that turn the rows of repeated runs of
# two modes into table cells.  Not a benchmark itself.
#
# Their TSV files share the first three columns: key (what the runs have in
# common, e.g. the period size), mode (which of the two compared things ran),
# repetition; comment lines start with '#'.
. alsa-plugin/test/guest-lib.sh	# PATH with build/alsa, alsa_setup, ms_now, make_noise
PATH=$TOP/build/bench:$TOP/build/examples:$PATH
R=${RINGPCM_RESULTS:?run by bench/run-bench}

# Field NAME of a cpu-run line.
field() { # line name
	awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<<"$1"
}

# median and min..max of the numbers on stdin: "median min max"
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.4g %.4g %.4g\n", m, v[1], v[NR] }'
}

# The order of the two modes in repetition REP: A first in odd repetitions,
# B first in even ones (ABBA), so that neither always runs first.
abba() { # rep mode-a mode-b
	if [ $(($1 % 2)) = 1 ]; then echo "$2 $3"; else echo "$3 $2"; fi
}

# Values of EXPR (awk, over the TSV columns) for the runs of KEY/MODE, one per line.
bench_values() { # tsv key mode expr
	awk -F'\t' -v k="$2" -v m="$3" "!/^#/ && \$1 == k && \$2 == m { print $4 }" "$1"
}

# Ratios B / A of EXPR, paired by repetition (the two runs of a repetition
# follow each other, so they share the host's load of the moment).
bench_paired() { # tsv key mode-a mode-b expr
	awk -F'\t' -v k="$2" -v a="$3" -v b="$4" "!/^#/ && \$1 == k { v[\$2, \$3] = $5; r[\$3] = 1 }
		END { for (i in r) if ((a, i) in v && (b, i) in v && v[a, i] > 0) print v[b, i] / v[a, i] }" "$1"
}

# "a_med a_min a_max b_med b_min b_max ratio p_med p_min p_max": EXPR over
# the runs of KEY in MODE-A and in MODE-B, the ratio B / A of the medians,
# and the paired ratios.
bench_compare() { # tsv key mode-a mode-b expr
	local a b
	a=$(bench_values "$1" "$2" "$3" "$5" | stats)
	b=$(bench_values "$1" "$2" "$4" "$5" | stats)
	echo "$a $b $(awk -v x="${a%% *}" -v y="${b%% *}" \
		'BEGIN { if (x > 0) printf "%.2f", y / x; else print "-" }') \
		$(bench_paired "$@" | stats)"
}

# Table rows "| KEY | part | measure | A | B | B / A | paired |" for each
# "part|measure|expr" of MEASURES; with DAT, also "KEY part index a... b..."
# lines (index: the measure's place in MEASURES, from 1) for the plots.
bench_rows() { # tsv key mode-a mode-b dat measures...
	local tsv=$1 key=$2 ma=$3 mb=$4 dat=$5 i part label expr n=0
	shift 5
	for i in "$@"; do
		IFS='|' read -r part label expr <<<"$i"
		n=$((n + 1))
		set -- $(bench_compare "$tsv" "$key" "$ma" "$mb" "$expr")
		printf '| %s | %s | %s | %s (%s..%s) | %s (%s..%s) | %s | %s (%s..%s) |\n' \
			"$key" "$part" "$label" "$@"
		[ -z "$dat" ] || echo "$key $part $n $1 $2 $3 $4 $5 $6" >>"$dat"
	done
}
