# SPDX-License-Identifier: GPL-2.0
# Host-side script tests, run by tests/run-checks with the other build/unit/*
# executables:
#   kernel-compat   kernel/ builds against every newer installed kernel's headers

unit-tests: $(BUILD)/unit/kernel-compat
$(BUILD)/unit/kernel-compat: $(TOP)/tests/host/kernel-compat.sh
	@mkdir -p $(@D)
	@install -m 0755 $< $@
