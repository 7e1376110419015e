# SPDX-License-Identifier: GPL-2.0
# build/codec-emu: the driver's codec parser (kernel/hda-{graph,path,auto}.c,
# compiled unchanged for the host) against an emulated codec loaded from a
# /proc/asound codec dump.  Its usage is in tools/codec-emu/codec-emu.c.

CODEC_EMU      := $(BUILD)/codec-emu
# The pure codec code shared with the kernel, and the host emulator around it.
HDA_AUTO_SRCS  := $(addprefix $(TOP)/kernel/,hda-graph.c hda-path.c hda-auto.c hda-quirks.c)
HDA_AUTO_HDRS  := $(addprefix $(TOP)/kernel/,hda-compat.h hda-verbs.h hda-graph.h \
			hda-path.h hda-auto.h hda-quirks.h)
CODEC_EMU_LIB  := $(addprefix $(TOP)/tools/codec-emu/,hda-dump.c hda-emu.c emu-run.c)
CODEC_EMU_HDRS := $(HDA_AUTO_HDRS) $(TOP)/tools/codec-emu/hda-emu.h

$(CODEC_EMU): $(TOP)/tools/codec-emu/codec-emu.c $(CODEC_EMU_LIB) $(HDA_AUTO_SRCS) $(CODEC_EMU_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(TOP)/tools/codec-emu -o $@ $(filter %.c,$^)

ALL_TARGETS += $(CODEC_EMU)

.PHONY: codec-emu
codec-emu: $(CODEC_EMU)

# The host test of the parser (tests/unit/test-codec.c), under the sanitizers
# like the other unit tests; its rule lives here because it links the
# emulator (tests/*.mk are read before tools/*.mk).
TEST_CODEC := $(UNIT_DIR)/test-codec
$(TEST_CODEC): $(TOP)/tests/unit/test-codec.c $(CODEC_EMU_LIB) $(HDA_AUTO_SRCS) \
		$(CODEC_EMU_HDRS) $(TOP)/tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -I$(TOP)/tools/codec-emu -o $@ $(filter %.c,$^)

UNIT_BINS += $(TEST_CODEC)
unit-tests: $(TEST_CODEC)
