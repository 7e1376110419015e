# SPDX-License-Identifier: LGPL-2.1-or-later
# libringpcm: build/libringpcm.so.1 (soname), build/libringpcm.so -> .so.1,
# build/libringpcm.a.  Only the rpcm_* API is exported (-fvisibility=hidden).

LIBRPCM_SRCS   := debug.c device.c params.c ring.c status.c stream.c transfer.c wait.c \
		  mixer.c names.c
LIBRPCM_OBJS   := $(LIBRPCM_SRCS:%.c=$(BUILD)/lib/%.o)
LIBRPCM_HDRS   := $(TOP)/lib/ringpcm.h $(TOP)/lib/rpcm-priv.h $(TOP)/kernel/uapi/ringpcm.h \
		  $(TOP)/kernel/ringpcm-math.h $(TOP)/kernel/ringpcm-state.h
LIBRPCM_CFLAGS  = $(CFLAGS) -fvisibility=hidden
LIBRPCM_SO     := $(BUILD)/libringpcm.so.1
LIBRPCM_A      := $(BUILD)/libringpcm.a

$(BUILD)/lib/%.o: $(TOP)/lib/%.c $(LIBRPCM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LIBRPCM_CFLAGS) -c $< -o $@

$(LIBRPCM_A): $(LIBRPCM_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBRPCM_SO): $(LIBRPCM_OBJS)
	$(CC) -shared -Wl,-soname,libringpcm.so.1 -Wl,-z,defs -o $@ $^ $(LDFLAGS)

$(BUILD)/libringpcm.so: $(LIBRPCM_SO)
	ln -sf libringpcm.so.1 $@

.PHONY: lib
lib: $(BUILD)/libringpcm.so $(LIBRPCM_A)
ALL_TARGETS += $(BUILD)/libringpcm.so $(LIBRPCM_A)

# How programs of this tree link the library: statically by default (they
# run from the checkout, also in the guest); debian/rules links them to the
# shared one with LIBRPCM_LINK="-Lbuild -lringpcm".
LIBRPCM_LINK ?= $(LIBRPCM_A)

# Installed: the shared library, the static one, ringpcm.h with its include
# of the kernel ABI header rewritten to the installed <ringpcm/uapi.h>, and
# ringpcm.pc (`pkg-config --cflags --libs ringpcm`).
INSTALL_TARGETS += install-lib
install-lib: $(BUILD)/libringpcm.so $(LIBRPCM_A)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/ringpcm
	install -m 0644 $(LIBRPCM_SO) $(LIBRPCM_A) $(DESTDIR)$(LIBDIR)/
	ln -sf libringpcm.so.1 $(DESTDIR)$(LIBDIR)/libringpcm.so
	sed 's|#include "../kernel/uapi/ringpcm.h"|#include <ringpcm/uapi.h>|' $(TOP)/lib/ringpcm.h \
		>$(DESTDIR)$(INCDIR)/ringpcm.h
	grep -q '<ringpcm/uapi.h>' $(DESTDIR)$(INCDIR)/ringpcm.h
	install -m 0644 $(TOP)/kernel/uapi/ringpcm.h $(DESTDIR)$(INCDIR)/ringpcm/uapi.h
	sed -e 's|@prefix@|$(PREFIX)|; s|@libdir@|$(LIBDIR)|; s|@includedir@|$(INCDIR)|' \
		-e 's|@version@|$(VERSION)|' $(TOP)/lib/ringpcm.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/ringpcm.pc
