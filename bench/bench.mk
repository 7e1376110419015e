# SPDX-License-Identifier: GPL-2.0
# make bench: core driver measurements in the VM rig (results/bench-core.md).
BENCH := $(BUILD)/bench/ringpcm-bench
ALL_TARGETS += $(BENCH)

$(BENCH): $(TOP)/bench/ringpcm-bench.c $(TOP)/lib/ringpcm.h $(BUILD)/libringpcm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libringpcm.a

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory all
	@bash $(TOP)/bench/run-bench
