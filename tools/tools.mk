# SPDX-License-Identifier: GPL-2.0
# Command-line tools: build/ringpcm-info (capabilities, live status, pinned pages).
# Linked statically against libringpcm so that it runs from the checkout anywhere
# (also inside the VM guest) without an installed library.

RINGPCM_INFO := $(BUILD)/ringpcm-info

$(RINGPCM_INFO): $(TOP)/tools/ringpcm-info.c $(LIBRPCM_A) $(TOP)/lib/ringpcm.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBRPCM_A)

ALL_TARGETS += $(RINGPCM_INFO)

.PHONY: ringpcm-info
ringpcm-info: $(RINGPCM_INFO)
