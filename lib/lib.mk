# SPDX-License-Identifier: LGPL-2.1-or-later
# libringpcm: build/libringpcm.so.1 (soname), build/libringpcm.so -> .so.1,
# build/libringpcm.a.  Only the rpcm_* API is exported (-fvisibility=hidden).

LIBRPCM_SRCS   := debug.c device.c params.c ring.c status.c stream.c transfer.c wait.c \
		  mixer.c names.c
LIBRPCM_OBJS   := $(LIBRPCM_SRCS:%.c=$(BUILD)/lib/%.o)
LIBRPCM_HDRS   := $(TOP)/lib/ringpcm.h $(TOP)/lib/rpcm-priv.h $(TOP)/kernel/uapi/ringpcm.h \
		  $(TOP)/kernel/ringpcm-math.h
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
