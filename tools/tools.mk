# SPDX-License-Identifier: GPL-2.0
# Command-line tools: build/ringpcm-info (capabilities, live status, pinned pages).
# Linked statically against libringpcm so that it runs from the checkout anywhere
# (also inside the VM guest) without an installed library.

RINGPCM_INFO := $(BUILD)/ringpcm-info

$(RINGPCM_INFO): $(TOP)/tools/ringpcm-info.c $(LIBRPCM_A) $(TOP)/lib/ringpcm.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBRPCM_LINK)

ALL_TARGETS += $(RINGPCM_INFO)

.PHONY: ringpcm-info
ringpcm-info: $(RINGPCM_INFO)

INSTALL_TARGETS += install-tools
install-tools: $(RINGPCM_INFO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(RINGPCM_INFO) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(TOP)/tools/ringpcm-info.1 $(DESTDIR)$(MANDIR)/man1/
