# SPDX-License-Identifier: GPL-2.0
# Test harness: host tools the tests use, and the check targets.
#   make check       deps, everything built, host unit tests, VM tests
#   make check-host  host unit tests only (build/unit/*)
#   make check-vm    VM tests only (tests/guest/*.sh in QEMU)
# All of them end with one line "N passed, M failed" (tests/run-checks).

WAVCMP := $(BUILD)/wavcmp
ALL_TARGETS += $(WAVCMP)

.PHONY: wavcmp
wavcmp: $(WAVCMP)
$(WAVCMP): $(TOP)/tools/wavcmp.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -lsndfile

.PHONY: check check-host check-vm
# A build failure is reported as a FAIL line; the tests run anyway with
# whatever was built, so that the summary line always comes.  The Debian
# packages are built too (~40 s; tools/deb.mk): the host test deb-packages
# reports that build, tests/guest/60-install-*.sh installs them in the guest.
check: deps
	@$(MAKE) --no-print-directory all; st=$$?; \
	echo "make deb (log: $(BUILD)/deb.log)"; \
	$(MAKE) --no-print-directory deb >$(BUILD)/deb.log 2>&1; \
	$(TOP)/tests/run-checks $$([ $$st = 0 ] || echo --build-failed)

check-host:
	@$(TOP)/tests/run-checks --host-only

check-vm: $(WAVCMP)
	@$(TOP)/tests/run-checks --vm-only
