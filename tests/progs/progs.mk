# SPDX-License-Identifier: GPL-2.0
# Programs the guest tests (tests/guest/10-core-*.sh) run against the real
# driver, built into build/progs/.  Each prints PASS/FAIL lines (tests/unit/unit.h)
# and exits non-zero if anything failed.  Linked statically against libringpcm.

PROGS_DIR  := $(BUILD)/progs
PROGS_BINS := $(addprefix $(PROGS_DIR)/,rpcm-abi-errors rpcm-ring-sizes rpcm-stream rpcm-xrun rpcm-hup rpcm-sleep \
	      rpcm-power rpcm-position)
PROGS_HDRS := $(TOP)/tests/progs/prog-util.h $(TOP)/tests/progs/prog-lib.h $(TOP)/tests/unit/unit.h $(TOP)/lib/ringpcm.h \
	      $(TOP)/kernel/uapi/ringpcm.h $(TOP)/kernel/ringpcm-math.h

$(PROGS_DIR)/%: $(TOP)/tests/progs/%.c $(PROGS_HDRS) $(LIBRPCM_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(TOP)/tests/unit -o $@ $< $(LIBRPCM_A)

.PHONY: progs
progs: $(PROGS_BINS)
ALL_TARGETS += $(PROGS_BINS)
