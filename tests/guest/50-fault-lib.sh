# SPDX-License-Identifier: GPL-2.0
# Shared by the 50-fault-* guest tests (sourced, not a test: not executable).
#
# Fast or long: `make check` runs the fast variant of each fault test; `make
# check-faults` (tests/faults.mk) runs the long one. The guest does not
# inherit the host's environment, so check-faults leaves a marker file
# `faults-long` in the run's results directory (the parent of each boot's
# $RINGPCM_RESULTS), which the guest sees through the results share; by hand,
# RINGPCM_FAULTS=long in the command given to run-in-vm does the same.
. tests/guest/10-core-lib.sh

fault_long() {
	[ "${RINGPCM_FAULTS:-}" = long ] && return 0
	[ -n "${RINGPCM_RESULTS:-}" ] && [ -f "$(dirname "$RINGPCM_RESULTS")/faults-long" ]
}

if fault_long; then FAULT_MODE=long; else FAULT_MODE=fast; fi

# A seed for this run: $RINGPCM_FAULT_SEED if set, else fresh (always printed).
fault_seed() {
	if [ -n "${RINGPCM_FAULT_SEED:-}" ]; then
		echo "$RINGPCM_FAULT_SEED"
	else
		printf '0x%04x%04x%04x%04x\n' $RANDOM $RANDOM $RANDOM $RANDOM
	fi
}
