# SPDX-License-Identifier: GPL-2.0
# Examples of raw libringpcm use: build/examples/ringpcm-play, ringpcm-record
# (libsndfile for the files).  Linked statically against libringpcm so that
# they run from the checkout anywhere, including inside the VM guest.

EXAMPLES_DIR  := $(BUILD)/examples
EXAMPLES_BINS := $(EXAMPLES_DIR)/ringpcm-play $(EXAMPLES_DIR)/ringpcm-record
EXAMPLES_UTIL := $(TOP)/examples/example-util.c
EXAMPLES_HDRS := $(TOP)/examples/example-util.h $(TOP)/lib/ringpcm.h
# Spelled out: this file is read before lib/lib.mk defines LIBRPCM_A.
EXAMPLES_LIB  := $(BUILD)/libringpcm.a

$(EXAMPLES_DIR)/%: $(TOP)/examples/%.c $(EXAMPLES_UTIL) $(EXAMPLES_HDRS) $(EXAMPLES_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(EXAMPLES_UTIL) $(EXAMPLES_LIB) -lsndfile

.PHONY: examples
examples: $(EXAMPLES_BINS)
ALL_TARGETS += $(EXAMPLES_BINS)
