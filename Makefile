# SPDX-License-Identifier: GPL-2.0
# ringpcm top-level build.  `make` builds everything; `make check` installs what
# is missing from Debian's archive, builds, runs host and VM tests and ends with
# one line "N passed, M failed".  Each part of the tree adds its rules in its own
# *.mk file; outputs go to build/ (the module to kernel/ringpcm.ko).

TOP      := $(CURDIR)
BUILD    := $(TOP)/build
CC       ?= cc
CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Wno-unused-parameter -std=gnu11 -fPIC -I$(TOP)/lib -I$(TOP)/kernel
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer

# The release, kept in one place: the DKMS configuration (debian/changelog
# carries the same number).
VERSION  := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/kernel/dkms.conf)

# `make install DESTDIR=... PREFIX=...` (debian/rules uses it too): every part
# adds an install-PART target to INSTALL_TARGETS.  alsa-lib, udev, kmod and
# DKMS look in fixed places, so those folders do not follow PREFIX.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man
INSTALL_TARGETS :=

# Debian's current kernel ABI (e.g. 6.1.0-56), resolved at build time.
KABI     ?= $(shell bash $(TOP)/tools/kabi.sh)
KDIR     ?= /lib/modules/$(KABI)-amd64/build

.PHONY: all deps module check check-host check-vm demo bench clean install
all: module

# Packages from Debian's archive, then Debian's kernel image for the VM rig
# (downloaded once into build/guest/, never installed on the host).
deps:
	@bash tools/install-deps.sh >/dev/null
	@bash tools/guest-kernel.sh >/dev/null

module:
	$(MAKE) -C $(KDIR) M=$(TOP)/kernel modules

# Every part of the tree adds its own rules (and appends its default targets
# to ALL_TARGETS) in a *.mk file next to its sources.
ALL_TARGETS :=
-include $(sort $(wildcard kernel/*.mk lib/*.mk tools/*.mk examples/*.mk tests/*.mk tests/*/*.mk bench/*.mk demo/*.mk alsa-plugin/*.mk portaudio-hostapi/*.mk))
all: $(ALL_TARGETS)
install: $(INSTALL_TARGETS)

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(TOP)/kernel clean
