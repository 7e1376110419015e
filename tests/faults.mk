# SPDX-License-Identifier: GPL-2.0
# The fault suite (issue 6): tests/guest/50-fault-*.sh with build/progs/fault-*.
#   make check          runs their fast variant with everything else
#   make check-faults   runs only them, in their long variant: 5 x 120 s of
#                       ABI fuzzing, 100 SIGKILLs, 60 s of fuzzing before the
#                       loopback round trips, a 10-minute loaded soak; about
#                       25 minutes per configuration (FAULT_CONFIGS, default
#                       all three)
# The guest does not inherit the host's environment: the long variant is
# asked for with a marker file, faults-long, in the run's results directory
# (the parent of each boot's $RINGPCM_RESULTS), written as soon as run-checks
# names that directory and before the first boot reaches a test.
FAULT_CONFIGS ?= plain iommu swiotlb

.PHONY: check-faults
check-faults: all
	@bash -o pipefail -c '$(TOP)/tests/run-checks --vm-only --configs "$(FAULT_CONFIGS)" \
		--filter "^50-fault-" | while IFS= read -r line; do \
			case $$line in "# results in "*) touch "$${line#\# results in }/faults-long" ;; esac; \
			printf "%s\n" "$$line"; \
		done'
