# SPDX-License-Identifier: GPL-2.0
# The instruction-counting instrument (tools/insns/): the QEMU TCG plugin
# build/insns/ringpcm-insns.so (loaded by tests/vm/run-in-vm --count-insns),
# built against the plugin API header of Debian's qemu source package
# (fetched by tools/install-deps.d/qemu-plugin.sh), and build/insns-mark,
# which opens and closes counting windows inside the guest.

QEMU_CACHE   ?= $(BUILD)/qemu-src
QEMU_PLUGIN_H := $(QEMU_CACHE)/include/qemu-plugin.h
INSNS_PLUGIN := $(BUILD)/insns/ringpcm-insns.so
INSNS_MARK   := $(BUILD)/insns-mark

$(QEMU_PLUGIN_H):
	RINGPCM_QEMU_CACHE=$(QEMU_CACHE) bash $(TOP)/tools/install-deps.d/qemu-plugin.sh

$(INSNS_PLUGIN): $(TOP)/tools/insns/insns-plugin.c $(QEMU_PLUGIN_H)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -fvisibility=hidden -I$(dir $(QEMU_PLUGIN_H)) -o $@ $< -lpthread

$(INSNS_MARK): $(TOP)/tools/insns/insns-mark.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

ALL_TARGETS += $(INSNS_PLUGIN) $(INSNS_MARK)

.PHONY: insns
insns: $(INSNS_PLUGIN) $(INSNS_MARK)
