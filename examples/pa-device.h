/* SPDX-License-Identifier: MIT */
/*
 * What pa-play and pa-record share: listing PortAudio's devices of one
 * direction and finding the one a user named, by index or by part of its name.
 */
#ifndef PA_DEVICE_H
#define PA_DEVICE_H

#include <stdbool.h>
#include <stdio.h>

#include <portaudio.h>

/* The devices with input (or output) channels, the default one starred. */
void pa_device_list(FILE *f, bool input);

/*
 * The device `spec` names (an index, or a case-insensitive part of a name),
 * or the default one when spec is NULL.  On failure returns paNoDevice,
 * having printed why and the devices there are on stderr (prefixed by prog).
 */
PaDeviceIndex pa_device_find(const char *prog, const char *spec, bool input);

#endif
