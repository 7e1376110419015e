-- SPDX-License-Identifier: GPL-2.0
-- WirePlumber 0.4.13 without D-Bus (alsa-plugin/test/pw-lib.sh, pw_start_wp):
-- a main.lua.d drop-in that turns off the parts that need a session bus.
-- Without it WirePlumber stops at once with "Error acquiring bus address"
-- then "disconnected from pipewire" (main.c logs any fatal init error so):
--   portal-permissionstore  (flatpak portal access, D-Bus)
--   reserve-device          (ALSA device reservation, D-Bus)
-- logind comes from bluetooth.lua, which pw-lib.sh leaves out of
-- wireplumber.conf.  The ALSA, V4L2 and libcamera monitors are off too:
-- the only audio devices are the daemon's static ringpcm nodes.
default_access.properties["enable-flatpak-portal"] = false
alsa_monitor.properties["alsa.reserve"] = false
alsa_monitor.enabled = false
v4l2_monitor.enabled = false
libcamera_monitor.enabled = false
