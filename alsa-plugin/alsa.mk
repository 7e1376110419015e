# SPDX-License-Identifier: GPL-2.0
# ALSA plugins: the ioplug PCM and the ext-ctl control over libringpcm, their
# config snippet, a test client, and builds of both plugins over a simulated
# card (alsa-plugin/test/mock-ringpcm.c) for host tests without the driver.
#
#   make                   build/alsa/libasound_module_{pcm,ctl}_ringpcm.so, ...
#   make check-alsa-mock   aplay/arecord/speaker-test/jackd/amixer on the mock
#   make install-alsa      install plugins + 60-ringpcm.conf, and the PipeWire
#                          drop-in pipewire/60-ringpcm.conf (DESTDIR honoured;
#                          part of `make install`; alsa-lib's and PipeWire's
#                          own folders, whatever PREFIX says)

ALSA_DIR       := $(BUILD)/alsa
ALSA_PLUGINDIR ?= $(shell pkg-config --variable=libdir alsa 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/alsa-lib
ALSA_CONFDIR   ?= /usr/share/alsa/alsa.conf.d
ALSA_ETCDIR    ?= /etc/alsa/conf.d
PIPEWIRE_CONFDIR ?= /usr/share/pipewire/pipewire.conf.d
ALSA_CFLAGS    := $(CFLAGS) -DPIC
ALSA_LDFLAGS    = $(LDFLAGS) -shared -Wl,-z,defs -Wl,--version-script=$(TOP)/alsa-plugin/exports.map
ALSA_LIBS      := -lasound -lpthread

ALSA_PLUGINS   := $(ALSA_DIR)/libasound_module_pcm_ringpcm.so $(ALSA_DIR)/libasound_module_ctl_ringpcm.so
ALSA_MOCK      := $(ALSA_DIR)/mock/libasound_module_pcm_ringpcm.so \
		  $(ALSA_DIR)/mock/libasound_module_ctl_ringpcm.so
ALSA_TOOLS     := $(ALSA_DIR)/rpcm-alsa-test $(ALSA_DIR)/rpcm-pos-test $(ALSA_DIR)/jack-play \
		  $(ALSA_DIR)/libasound_module_pcm_nullioplug.so

ALSA_HDRS      := $(TOP)/lib/ringpcm.h $(TOP)/kernel/uapi/ringpcm.h $(TOP)/kernel/ringpcm-state.h

# The real plugins need libringpcm (lib/lib.mk); until it exists only the
# mock builds are part of `make`.
ifneq ($(wildcard $(TOP)/lib/lib.mk),)
ALL_TARGETS += $(ALSA_PLUGINS)
endif
ALL_TARGETS += $(ALSA_MOCK) $(ALSA_TOOLS)

.PHONY: alsa alsa-mock check-alsa-mock install-alsa

alsa: $(ALSA_PLUGINS) $(ALSA_TOOLS)
alsa-mock: $(ALSA_MOCK) $(ALSA_TOOLS)

$(ALSA_DIR)/libasound_module_pcm_ringpcm.so: alsa-plugin/pcm_ringpcm.c $(BUILD)/libringpcm.a $(ALSA_HDRS) alsa-plugin/exports.map
	@mkdir -p $(@D)
	$(CC) $(ALSA_CFLAGS) $(ALSA_LDFLAGS) -o $@ $< $(LIBRPCM_LINK) $(ALSA_LIBS)

$(ALSA_DIR)/libasound_module_ctl_ringpcm.so: alsa-plugin/ctl_ringpcm.c $(BUILD)/libringpcm.a $(ALSA_HDRS) alsa-plugin/exports.map
	@mkdir -p $(@D)
	$(CC) $(ALSA_CFLAGS) $(ALSA_LDFLAGS) -o $@ $< $(LIBRPCM_LINK) $(ALSA_LIBS)

$(ALSA_DIR)/mock/libasound_module_%_ringpcm.so: alsa-plugin/%_ringpcm.c alsa-plugin/test/mock-ringpcm.c $(ALSA_HDRS) $(TOP)/kernel/ringpcm-math.h alsa-plugin/exports.map
	@mkdir -p $(@D)
	$(CC) $(ALSA_CFLAGS) $(ALSA_LDFLAGS) -o $@ $< alsa-plugin/test/mock-ringpcm.c $(ALSA_LIBS)

# The benchmarks' floor: an ioplug PCM with no device (not installed).
$(ALSA_DIR)/libasound_module_pcm_nullioplug.so: alsa-plugin/test/null-ioplug.c
	@mkdir -p $(@D)
	$(CC) $(ALSA_CFLAGS) $(LDFLAGS) -shared -Wl,-z,defs -o $@ $< $(ALSA_LIBS)

$(ALSA_DIR)/rpcm-alsa-test: alsa-plugin/test/rpcm-alsa-test.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -lasound -lm

$(ALSA_DIR)/rpcm-pos-test: alsa-plugin/test/rpcm-pos-test.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -lasound -lm

check-alsa-mock: $(ALSA_MOCK) $(ALSA_TOOLS) $(BUILD)/wavcmp
	bash alsa-plugin/test/mock-tests.sh

INSTALL_TARGETS += install-alsa
install-alsa: $(ALSA_PLUGINS)
	install -d $(DESTDIR)$(ALSA_PLUGINDIR) $(DESTDIR)$(ALSA_CONFDIR) $(DESTDIR)$(ALSA_ETCDIR)
	install -m 644 $(ALSA_PLUGINS) $(DESTDIR)$(ALSA_PLUGINDIR)/
	install -m 644 alsa-plugin/60-ringpcm.conf $(DESTDIR)$(ALSA_CONFDIR)/60-ringpcm.conf
	ln -sf $(ALSA_CONFDIR)/60-ringpcm.conf $(DESTDIR)$(ALSA_ETCDIR)/60-ringpcm.conf
	install -d $(DESTDIR)$(PIPEWIRE_CONFDIR)
	install -m 644 alsa-plugin/pipewire/60-ringpcm.conf $(DESTDIR)$(PIPEWIRE_CONFDIR)/60-ringpcm.conf

$(ALSA_DIR)/jack-play: alsa-plugin/test/jack-play.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -ljack -lsndfile

# Host tests over the simulated card, with the project's other build/unit/*
# tests (tests/run-checks runs every executable there).
unit-tests: $(BUILD)/unit/alsa-mock
$(BUILD)/unit/alsa-mock: alsa-plugin/test/mock-tests.sh $(ALSA_MOCK) $(ALSA_TOOLS) $(BUILD)/wavcmp
	@mkdir -p $(@D)
	install -m 0755 $< $@
