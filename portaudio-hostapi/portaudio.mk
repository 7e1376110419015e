# SPDX-License-Identifier: MIT
# PortAudio with the RingPCM host API, built from Debian's own source package.
#
# Nothing of PortAudio is kept in this repository: Debian's source package
# portaudio19 (19.6.0, fetched by tools/install-deps.d/portaudio.sh) is
# unpacked into build/portaudio/src with Debian's patches applied, and its
# library is compiled here without autotools (one object per source, so the
# build is parallel and incremental) with three changes:
#   - the RingPCM backend (portaudio-hostapi/*.c) is added;
#   - the host API table (src/os/unix/pa_unix_hostapis.c) is copied to
#     build/portaudio/gen/ with PaRingPcm_Initialize inserted first; ALSA,
#     OSS and JACK stay as Debian builds them;
#   - libringpcm.a is linked in, and only the public Pa*_ symbols are exported
#     (as Debian's libtool -export-symbols-regex does).
# Outputs:
#   build/portaudio/libportaudio.so.2     the library (soname libportaudio.so.2)
#   build/portaudio/include/              portaudio.h, pa_linux_ringpcm.h, ...
#   build/portaudio/bin/                  PortAudio's own programs, linked against it
#   build/portaudio/fake/                 the same library over a simulated device
#                                         (host tests of the backend, never installed)
# Run any program against the built library with portaudio-hostapi/pa-run.

PA_HERE      := $(TOP)/portaudio-hostapi
PA_DIR       := $(BUILD)/portaudio
PA_SRC       := $(PA_DIR)/src
PA_OBJ       := $(PA_DIR)/obj
PA_STAMP     := $(PA_SRC)/.unpacked
PA_CACHE     ?= $(BUILD)/portaudio-src
PA_RINGPCM_A ?= $(BUILD)/libringpcm.a
PA_LIB       := $(PA_DIR)/libportaudio.so.2
PA_FAKE_LIB  := $(PA_DIR)/fake/libportaudio.so.2

# What Debian's configure finds on bookworm amd64 (PortAudio's own defines).
PA_DEFS := -DPA_LITTLE_ENDIAN -DSTDC_HEADERS=1 -DHAVE_SYS_TYPES_H=1 -DHAVE_SYS_STAT_H=1 \
	-DHAVE_STDLIB_H=1 -DHAVE_STRING_H=1 -DHAVE_MEMORY_H=1 -DHAVE_STRINGS_H=1 \
	-DHAVE_INTTYPES_H=1 -DHAVE_STDINT_H=1 -DHAVE_UNISTD_H=1 -DHAVE_DLFCN_H=1 \
	-DHAVE_SYS_SOUNDCARD_H=1 -DHAVE_LINUX_SOUNDCARD_H=1 -DSIZEOF_SHORT=2 -DSIZEOF_INT=4 \
	-DSIZEOF_LONG=8 -DHAVE_CLOCK_GETTIME=1 -DHAVE_NANOSLEEP=1 \
	-DPA_USE_ALSA=1 -DPA_USE_JACK=1 -DPA_USE_OSS=1
PA_INC    := -I$(PA_SRC)/include -I$(PA_SRC)/src/common -I$(PA_SRC)/src/os/unix
PA_CFLAGS := -O2 -g -fPIC -pthread -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
	$(PA_DEFS) $(PA_INC)
# The backend: the project's warnings on our code, PortAudio's defines and headers.
PA_RP_CFLAGS := $(CFLAGS) -pthread $(PA_DEFS) $(PA_INC) -I$(PA_HERE) -Werror=implicit-function-declaration
PA_LIBS   := -lasound -ljack -lm -lpthread -lrt

PA_UPSTREAM := src/common/pa_allocation src/common/pa_converters src/common/pa_cpuload \
	src/common/pa_dither src/common/pa_debugprint src/common/pa_front \
	src/common/pa_process src/common/pa_stream src/common/pa_trace \
	src/common/pa_ringbuffer src/os/unix/pa_unix_util \
	src/hostapi/alsa/pa_linux_alsa src/hostapi/jack/pa_jack src/hostapi/oss/pa_unix_oss
PA_UP_OBJS := $(addprefix $(PA_OBJ)/,$(addsuffix .o,$(PA_UPSTREAM))) $(PA_OBJ)/gen/pa_unix_hostapis.o
PA_RP_SRCS := $(wildcard $(PA_HERE)/pa_ringpcm*.c)
PA_RP_OBJS := $(patsubst $(PA_HERE)/%.c,$(PA_OBJ)/ringpcm/%.o,$(PA_RP_SRCS))
PA_RP_HDRS := $(wildcard $(PA_HERE)/*.h) $(TOP)/lib/ringpcm.h $(TOP)/kernel/uapi/ringpcm.h

# PortAudio's own programs: name=source (relative to the unpacked tree).
PA_PROGS := pa_devs=examples/pa_devs.c paex_sine=examples/paex_sine.c \
	paex_record=examples/paex_record.c paex_write_sine=examples/paex_write_sine.c \
	paqa_devs=qa/paqa_devs.c paqa_latency=qa/paqa_latency.c paqa_errs=qa/paqa_errs.c \
	patest_sine_time=test/patest_sine_time.c patest_wire=test/patest_wire.c \
	patest_out_underflow=test/patest_out_underflow.c patest_in_overflow=test/patest_in_overflow.c \
	patest_read_record=test/patest_read_record.c patest_stop=test/patest_stop.c \
	patest_start_stop=test/patest_start_stop.c patest_callbackstop=test/patest_callbackstop.c
PA_PROG_NAMES := $(foreach p,$(PA_PROGS),$(firstword $(subst =, ,$(p))))
PA_BINS := $(addprefix $(PA_DIR)/bin/,$(PA_PROG_NAMES) paloopback)
PA_LOOPBACK := audio_analyzer biquad_filter paqa_tools test_audio_analyzer write_wav paqa
PA_LOOPBACK_OBJS := $(addprefix $(PA_OBJ)/qa/loopback/src/,$(addsuffix .o,$(PA_LOOPBACK)))

# Our own test programs (portaudio-hostapi/test/*.c), linked like PortAudio's.
PA_TEST_NAMES := $(basename $(notdir $(wildcard $(PA_HERE)/test/pa-*.c)))
PA_TEST_BINS  := $(addprefix $(PA_DIR)/bin/,$(PA_TEST_NAMES))

PA_HEADERS := portaudio.h pa_linux_alsa.h pa_jack.h pa_unix_oss.h
PA_INCLUDES := $(addprefix $(PA_DIR)/include/,$(PA_HEADERS) pa_linux_ringpcm.h)

.PHONY: portaudio portaudio-fake install-portaudio
portaudio: $(PA_LIB) $(PA_DIR)/libportaudio.so $(PA_BINS) $(PA_TEST_BINS) $(PA_INCLUDES)
portaudio-fake: $(PA_FAKE_LIB)
ALL_TARGETS += portaudio

# --- unpack Debian's source package (fetched once by the install-deps hook) ---
$(PA_STAMP):
	@dsc=$$(ls $(PA_CACHE)/portaudio19_*.dsc 2>/dev/null | sort -V | tail -n1); \
	if [ -z "$$dsc" ]; then \
		RINGPCM_PA_CACHE=$(PA_CACHE) bash $(TOP)/tools/install-deps.d/portaudio.sh || exit 1; \
		dsc=$$(ls $(PA_CACHE)/portaudio19_*.dsc | sort -V | tail -n1); \
	fi; \
	echo "  UNPACK  $$(basename $$dsc) -> $(PA_SRC)"; \
	rm -rf $(PA_SRC) $(PA_SRC).tmp && mkdir -p $(dir $(PA_SRC)) && \
	dpkg-source --no-check --no-copy -q -x "$$dsc" $(PA_SRC).tmp >/dev/null && \
	mv $(PA_SRC).tmp $(PA_SRC) && touch $@

# --- the host API table with RingPCM first ---
$(PA_DIR)/gen/pa_unix_hostapis.c: $(PA_STAMP)
	@mkdir -p $(@D)
	@awk '/#include "pa_hostapi.h"/ { print; print "PaError PaRingPcm_Initialize( PaUtilHostApiRepresentation **hostApi, PaHostApiIndex index );"; next } \
	     /paHostApiInitializers\[\] *=/ { table = 1 } \
	     table && /{/ { print; print "        PaRingPcm_Initialize,   /* added by ringpcm: first, so it is the default where present */"; table = 0; next } \
	     { print }' $(PA_SRC)/src/os/unix/pa_unix_hostapis.c > $@.tmp
	@test "$$(grep -c PaRingPcm_Initialize $@.tmp)" = 2 || { echo "portaudio.mk: cannot patch pa_unix_hostapis.c" >&2; exit 1; }
	@mv $@.tmp $@

$(PA_OBJ)/gen/%.o: $(PA_DIR)/gen/%.c
	@mkdir -p $(@D)
	@echo "  CC      $(notdir $@)"
	@$(CC) $(PA_CFLAGS) -c $< -o $@

# Upstream sources exist once the stamp does; they never change afterwards.
$(PA_OBJ)/src/%.o: $(PA_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $(notdir $@)"
	@$(CC) $(PA_CFLAGS) -w -c $(PA_SRC)/src/$*.c -o $@

$(PA_OBJ)/ringpcm/%.o: $(PA_HERE)/%.c $(PA_RP_HDRS) $(PA_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $(notdir $@)"
	@$(CC) $(PA_RP_CFLAGS) -c $< -o $@

# Only the public API leaves the library (PaUtil_* and libringpcm stay inside).
$(PA_DIR)/portaudio.map: $(PA_HERE)/portaudio.mk
	@mkdir -p $(@D)
	@printf '{\n  global: Pa_*; PaAlsa_*; PaJack_*; PaOSS_*; PaRingPcm_*;\n  local: *;\n};\n' > $@

$(PA_LIB): $(PA_UP_OBJS) $(PA_RP_OBJS) $(PA_RINGPCM_A) $(PA_DIR)/portaudio.map
	@echo "  LD      $@"
	@$(CC) -shared -pthread -Wl,-soname,libportaudio.so.2 -Wl,--no-undefined \
		-Wl,--version-script=$(PA_DIR)/portaudio.map -Wl,-z,relro -Wl,-z,now \
		-o $(PA_DIR)/libportaudio.so.2.0.0 $(PA_UP_OBJS) $(PA_RP_OBJS) $(PA_RINGPCM_A) $(PA_LIBS)
	@ln -sf libportaudio.so.2.0.0 $@

$(PA_DIR)/libportaudio.so: $(PA_LIB)
	@ln -sf libportaudio.so.2 $@

# The same library over the simulated device (portaudio-hostapi/test/fake-ringpcm.c).
$(PA_OBJ)/fake/fake-ringpcm.o: $(PA_HERE)/test/fake-ringpcm.c $(PA_RP_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $(notdir $@)"
	@$(CC) $(CFLAGS) -pthread -I$(TOP)/lib -c $< -o $@

$(PA_FAKE_LIB): $(PA_UP_OBJS) $(PA_RP_OBJS) $(PA_OBJ)/fake/fake-ringpcm.o $(PA_DIR)/portaudio.map
	@mkdir -p $(@D)
	@echo "  LD      $@"
	@$(CC) -shared -pthread -Wl,-soname,libportaudio.so.2 -Wl,--no-undefined \
		-Wl,--version-script=$(PA_DIR)/portaudio.map \
		-o $@ $(PA_UP_OBJS) $(PA_RP_OBJS) $(PA_OBJ)/fake/fake-ringpcm.o $(PA_LIBS)

# --- public headers ---
$(PA_DIR)/include/pa_linux_ringpcm.h: $(PA_HERE)/pa_linux_ringpcm.h
	@mkdir -p $(@D) && cp $< $@
$(PA_DIR)/include/%.h: $(PA_STAMP)
	@mkdir -p $(@D) && cp $(PA_SRC)/include/$*.h $@

# --- PortAudio's own programs, unmodified, linked against the library ---
# The rpath lets them run from the build tree (and in the guest) without a wrapper.
PA_PROG_LDFLAGS := -L$(PA_DIR) -Wl,-rpath,'$$ORIGIN/..' -lportaudio -lm -lpthread
define pa_prog_rule
$(PA_DIR)/bin/$(1): $(PA_DIR)/libportaudio.so $(PA_STAMP)
	@mkdir -p $$(@D)
	@echo "  CCLD    $$@"
	@$$(CC) $$(PA_CFLAGS) -w $$(PA_SRC)/$(2) -o $$@ $$(PA_PROG_LDFLAGS)
endef
$(foreach p,$(PA_PROGS),$(eval $(call pa_prog_rule,$(firstword $(subst =, ,$(p))),$(lastword $(subst =, ,$(p))))))

$(PA_OBJ)/qa/%.o: $(PA_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $(notdir $@)"
	@$(CC) $(PA_CFLAGS) -w -c $(PA_SRC)/qa/$*.c -o $@

$(PA_DIR)/bin/paloopback: $(PA_LOOPBACK_OBJS) $(PA_DIR)/libportaudio.so
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	@$(CC) $(PA_LOOPBACK_OBJS) -o $@ $(PA_PROG_LDFLAGS)

$(PA_DIR)/bin/pa-%: $(PA_HERE)/test/pa-%.c $(PA_DIR)/libportaudio.so $(PA_INCLUDES)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	@$(CC) $(CFLAGS) -pthread -I$(PA_DIR)/include $< -o $@ $(PA_PROG_LDFLAGS)

# --- install: a private copy, never in the dynamic linker's path ---
# Debian's libportaudio2 stays the system's PortAudio; `ringpcm-portaudio
# PROGRAM ARGS` runs one program with this library (LD_LIBRARY_PATH).
# Programs that want the extension header build against Debian's
# portaudio19-dev plus pa_linux_ringpcm.h (installed beside ringpcm.h).
PA_PRIVDIR ?= $(LIBDIR)/ringpcm
INSTALL_TARGETS += install-portaudio
install-portaudio: $(PA_LIB)
	install -d $(DESTDIR)$(PA_PRIVDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(INCDIR)/ringpcm
	install -m 0644 $(PA_DIR)/libportaudio.so.2.0.0 $(DESTDIR)$(PA_PRIVDIR)/
	ln -sf libportaudio.so.2.0.0 $(DESTDIR)$(PA_PRIVDIR)/libportaudio.so.2
	sed 's|@PA_PRIVDIR@|$(PA_PRIVDIR)|' $(PA_HERE)/ringpcm-portaudio.in >$(DESTDIR)$(BINDIR)/ringpcm-portaudio
	chmod 0755 $(DESTDIR)$(BINDIR)/ringpcm-portaudio
	install -m 0644 $(PA_HERE)/ringpcm-portaudio.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(PA_HERE)/pa_linux_ringpcm.h $(DESTDIR)$(INCDIR)/ringpcm/

# --- host tests (run by tests/run-checks with the other build/unit/* tests) ---
# pa-plan: buffer planning, table-driven, with the sanitizers.
# pa-fake: the backend inside libportaudio over the simulated device
#          (portaudio-hostapi/test/host-fake.sh).
PA_UNIT_BINS := $(BUILD)/unit/pa-plan $(BUILD)/unit/pa-fake
unit-tests: $(PA_UNIT_BINS)

$(BUILD)/unit/pa-plan: $(PA_HERE)/test/plan-test.c $(PA_HERE)/pa_ringpcm_plan.c $(PA_HERE)/pa_ringpcm_plan.h
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	@$(CC) $(CFLAGS) $(SANITIZE) -I$(TOP)/tests/unit -I$(PA_HERE) $< $(PA_HERE)/pa_ringpcm_plan.c -o $@ -lm

$(BUILD)/unit/pa-fake: $(PA_HERE)/test/host-fake.sh $(PA_FAKE_LIB) $(PA_BINS) $(PA_TEST_BINS) \
		$(BUILD)/examples/pa-play $(BUILD)/examples/pa-record
	@mkdir -p $(@D)
	@install -m 0755 $< $@
