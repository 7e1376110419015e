# SPDX-License-Identifier: GPL-2.0
# Host-side script tests, run by tests/run-checks with the other build/unit/*
# executables:
#   kernel-compat   kernel/ builds against every newer installed kernel's headers
#   deb-packages    `make deb` (run by `make check` before the tests) built every
#                   package and lintian found no error
#   pw-top-screen   alsa-plugin/test/pw-top-screen.py reads the real pw-top's
#                   screen (a private pipewire daemon on the host, null sink)
#   wavcmp          tools/wavcmp's verdicts on made-up recordings, and where
#                   it says the reference goes on after a mismatch
#   insns-percall   bench/insns-guest.sh's per-call table (ringpcm.ko by entry
#                   point) from a made-up window with known figures

unit-tests: $(BUILD)/unit/kernel-compat
$(BUILD)/unit/kernel-compat: $(TOP)/tests/host/kernel-compat.sh
	@mkdir -p $(@D)
	@install -m 0755 $< $@

unit-tests: $(BUILD)/unit/deb-packages
$(BUILD)/unit/deb-packages: $(TOP)/tests/host/deb-packages.sh
	@mkdir -p $(@D)
	@install -m 0755 $< $@

unit-tests: $(BUILD)/unit/pw-top-screen
$(BUILD)/unit/pw-top-screen: $(TOP)/tests/host/pw-top-screen.sh
	@mkdir -p $(@D)
	@install -m 0755 $< $@

unit-tests: $(BUILD)/unit/wavcmp $(WAVCMP)
$(BUILD)/unit/wavcmp: $(TOP)/tests/host/wavcmp.sh
	@mkdir -p $(@D)
	@install -m 0755 $< $@

unit-tests: $(BUILD)/unit/insns-percall
$(BUILD)/unit/insns-percall: $(TOP)/tests/host/insns-percall.sh
	@mkdir -p $(@D)
	@install -m 0755 $< $@
