#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# needs: loopback suspend
# configs: plain iommu
# timeout: 180
# Hibernation: every check of 52-pm-suspend (running applications recover
# and play bit-exact after it, each stream state moves to SUSPENDED and
# recovers, mixer kept, idle card, nothing pinned, rmmod), through the
# driver's hibernation callbacks: freeze, then restore as after an image
# was read back.  The guest holds in between (pm_test "devices", 5 s)
# instead of writing an image to a swap device and booting again; the
# controller is not reset by a power cycle, the driver re-initialises it
# all the same.  Names start with hib-.
PM_TEST=52-pm-hibernate PM_PREFIX=hib PM_KIND=disk . tests/guest/52-pm-suspend.sh
