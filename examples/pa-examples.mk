# SPDX-License-Identifier: MIT
# PortAudio examples: build/examples/pa-record and build/examples/pa-play,
# plain PortAudio + libsndfile programs, linked against the PortAudio built
# by portaudio-hostapi/portaudio.mk (found at run time through an rpath to
# build/portaudio, so they run from the checkout and in the guest).  Not
# installed: `ringpcm-portaudio` runs any installed PortAudio program with
# the RingPCM host API.

PA_EX_DIR  := $(BUILD)/examples
PA_EX_LIB  := $(BUILD)/portaudio/libportaudio.so
PA_EX_INC  := $(BUILD)/portaudio/include/portaudio.h
PA_EX_BINS := $(PA_EX_DIR)/pa-record $(PA_EX_DIR)/pa-play
PA_EX_DEV_C := $(TOP)/examples/pa-device.c
PA_EX_DEV  := $(PA_EX_DEV_C) $(TOP)/examples/pa-device.h

# Explicit rules: they win over examples.mk's pattern rule for this folder.
$(PA_EX_DIR)/pa-record: $(TOP)/examples/pa-record.c $(PA_EX_DEV) $(PA_EX_LIB) $(PA_EX_INC)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	@$(CC) $(CFLAGS) -I$(BUILD)/portaudio/include -o $@ $< $(PA_EX_DEV_C) -L$(BUILD)/portaudio \
		-Wl,-rpath,'$$ORIGIN/../portaudio' -lportaudio -lsndfile -lm

$(PA_EX_DIR)/pa-play: $(TOP)/examples/pa-play.c $(PA_EX_DEV) $(PA_EX_LIB) $(PA_EX_INC)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	@$(CC) $(CFLAGS) -I$(BUILD)/portaudio/include -o $@ $< $(PA_EX_DEV_C) -L$(BUILD)/portaudio \
		-Wl,-rpath,'$$ORIGIN/../portaudio' -lportaudio -lsndfile -lm

.PHONY: pa-examples
pa-examples: $(PA_EX_BINS)
ALL_TARGETS += $(PA_EX_BINS)
