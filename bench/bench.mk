# SPDX-License-Identifier: GPL-2.0
# make bench: driver measurements in the VM rig (results/bench-*.md + PNG).
# BENCH=core|e2e|latency|scale|alsa|insns|all (default all) picks the parts; see bench/run-bench.
BENCH_BIN := $(BUILD)/bench/ringpcm-bench
CPU_RUN   := $(BUILD)/bench/cpu-run
ALL_TARGETS += $(BENCH_BIN) $(CPU_RUN)

$(BENCH_BIN): $(TOP)/bench/ringpcm-bench.c $(TOP)/lib/ringpcm.h $(BUILD)/libringpcm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libringpcm.a

$(CPU_RUN): $(TOP)/bench/cpu-run.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory all
	@BENCH="$(BENCH)" bash $(TOP)/bench/run-bench
