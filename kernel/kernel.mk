# SPDX-License-Identifier: GPL-2.0
# Installing the driver like any other: its source where DKMS builds it for
# every installed kernel (/usr/src/ringpcm-VERSION, with dkms.conf), the udev
# rule that opens the device nodes to the audio group and the seat's user,
# and the modprobe.d file.  After `make install`, `dkms install
# ringpcm/VERSION` builds the module (the package's postinst does that).
# udev, kmod and DKMS look in fixed places: these folders ignore PREFIX.

DKMS_SRCDIR  ?= /usr/src/ringpcm-$(VERSION)
UDEVRULESDIR ?= /lib/udev/rules.d
MODPROBEDIR  ?= /etc/modprobe.d
KERNEL_SRCS  := $(filter-out %.mod.c,$(sort $(wildcard $(TOP)/kernel/*.c $(TOP)/kernel/*.h))) \
		$(TOP)/kernel/Kbuild \
		$(TOP)/kernel/dkms.conf

INSTALL_TARGETS += install-kernel
install-kernel:
	install -d $(DESTDIR)$(DKMS_SRCDIR)/uapi $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(MODPROBEDIR)
	install -m 0644 $(KERNEL_SRCS) $(DESTDIR)$(DKMS_SRCDIR)/
	install -m 0644 $(TOP)/kernel/uapi/ringpcm.h $(DESTDIR)$(DKMS_SRCDIR)/uapi/
	install -m 0644 $(TOP)/kernel/70-ringpcm.rules $(DESTDIR)$(UDEVRULESDIR)/
	install -m 0644 $(TOP)/kernel/ringpcm.modprobe.conf $(DESTDIR)$(MODPROBEDIR)/ringpcm.conf
