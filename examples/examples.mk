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
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(EXAMPLES_UTIL) $(LIBRPCM_LINK) -lsndfile

.PHONY: examples
examples: $(EXAMPLES_BINS)
ALL_TARGETS += $(EXAMPLES_BINS)

INSTALL_TARGETS += install-examples
install-examples: $(EXAMPLES_BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(EXAMPLES_BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(TOP)/examples/ringpcm-play.1 $(TOP)/examples/ringpcm-record.1 \
		$(DESTDIR)$(MANDIR)/man1/
