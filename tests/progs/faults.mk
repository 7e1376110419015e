# SPDX-License-Identifier: GPL-2.0
# The fault programs (tests/guest/50-fault-*.sh): ABI fuzzing, lifetime,
# memory layouts, loopback soak; built into build/progs/ like progs.mk's,
# linked statically against libringpcm.  tests/progs/fault-lib.c is not a
# program: each fault-*.c #includes it.

FAULT_PROGS := $(addprefix $(BUILD)/progs/,fault-fuzz fault-life fault-mem fault-loop)
FAULT_HDRS  := $(TOP)/tests/progs/fault-lib.c $(TOP)/tests/progs/prog-util.h $(TOP)/tests/progs/prog-lib.h \
	       $(TOP)/tests/unit/unit.h $(TOP)/lib/ringpcm.h $(TOP)/kernel/uapi/ringpcm.h

$(FAULT_PROGS): $(BUILD)/progs/%: $(TOP)/tests/progs/%.c $(FAULT_HDRS) $(BUILD)/libringpcm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(TOP)/tests/unit -o $@ $< $(BUILD)/libringpcm.a -lpthread

.PHONY: fault-progs
fault-progs: $(FAULT_PROGS)
ALL_TARGETS += $(FAULT_PROGS)
