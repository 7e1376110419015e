# SPDX-License-Identifier: GPL-2.0
# Host unit tests, built with $(SANITIZE) into build/unit/:
#   test-math    kernel/ringpcm-math.h, table-driven plus fixed-seed properties
#   test-abi     kernel/uapi/ringpcm.h layout, ioctl numbers and constants pinned
#   test-status  the library's seqcount reader against a racing writer
#   test-lib     libringpcm against a simulated driver (tests/unit/fake-driver.c)
#   test-codec   the codec parser against every dump in ../shared/codecs; its
#                rule is in tools/codec-emu.mk, beside the emulator it links
# `make unit-tests` builds them; `make unit-check` also runs them.  Each prints
# PASS/FAIL lines and exits non-zero on any failure.

UNIT_DIR    := $(BUILD)/unit
UNIT_BINS   := $(addprefix $(UNIT_DIR)/,test-math test-abi test-status test-lib)
UNIT_CFLAGS  = $(CFLAGS) $(SANITIZE) -I$(TOP)/tests/unit
UNIT_LDLIBS := -lpthread
# The library's sources, compiled again with the sanitizers, internals visible.
UNIT_LIBOBJS = $(LIBRPCM_SRCS:%.c=$(UNIT_DIR)/lib/%.o)
UNIT_HDRS   := $(TOP)/tests/unit/unit.h $(TOP)/kernel/uapi/ringpcm.h $(TOP)/kernel/ringpcm-math.h \
	       $(TOP)/kernel/ringpcm-state.h

$(UNIT_DIR)/lib/%.o: $(TOP)/lib/%.c $(LIBRPCM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_DIR)/test-math: $(TOP)/tests/unit/test-math.c $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $< -o $@

$(UNIT_DIR)/test-abi: $(TOP)/tests/unit/test-abi.c $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $< -o $@

$(UNIT_DIR)/test-status: $(TOP)/tests/unit/test-status.c $(UNIT_LIBOBJS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $< $(UNIT_LIBOBJS) -o $@ $(UNIT_LDLIBS)

$(UNIT_DIR)/test-lib: $(TOP)/tests/unit/test-lib.c $(TOP)/tests/unit/fake-driver.c \
		$(TOP)/tests/unit/fake-driver.h $(UNIT_LIBOBJS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $(TOP)/tests/unit/test-lib.c $(TOP)/tests/unit/fake-driver.c \
		$(UNIT_LIBOBJS) -o $@ $(UNIT_LDLIBS)

.PHONY: unit-tests unit-check
unit-tests: $(UNIT_BINS)

unit-check: unit-tests
	@rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc

ALL_TARGETS += unit-tests
