# SPDX-License-Identifier: GPL-2.0
# Command-line tools: build/ringpcm-info (capabilities, live status, pinned pages).
# Linked statically against libringpcm so that it runs from the checkout anywhere
# (also inside the VM guest) without an installed library.

RINGPCM_INFO := $(BUILD)/ringpcm-info

$(RINGPCM_INFO): $(TOP)/tools/ringpcm-info.c $(LIBRPCM_A) $(TOP)/lib/ringpcm.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBRPCM_LINK)

# build/ringpcm-bind: HDA controllers and moving one between drivers (sysfs only).
RINGPCM_BIND := $(BUILD)/ringpcm-bind

$(RINGPCM_BIND): $(TOP)/tools/ringpcm-bind.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

ALL_TARGETS += $(RINGPCM_INFO) $(RINGPCM_BIND)

.PHONY: ringpcm-info
ringpcm-info: $(RINGPCM_INFO)

INSTALL_TARGETS += install-tools
install-tools: $(RINGPCM_INFO) $(RINGPCM_BIND)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(RINGPCM_INFO) $(RINGPCM_BIND) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(TOP)/tools/ringpcm-info.1 $(TOP)/tools/ringpcm-bind.1 $(DESTDIR)$(MANDIR)/man1/
