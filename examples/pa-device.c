// SPDX-License-Identifier: MIT
/* Device listing and lookup for the PortAudio examples (see pa-device.h). */
#define _GNU_SOURCE		/* strcasestr */
#include <stdlib.h>
#include <string.h>

#include "pa-device.h"

static int channels(const PaDeviceInfo *d, bool input)
{
	return input ? d->maxInputChannels : d->maxOutputChannels;
}

void pa_device_list(FILE *f, bool input)
{
	PaDeviceIndex def = input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();

	for (PaDeviceIndex i = 0; i < Pa_GetDeviceCount(); i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

		if (channels(d, input) > 0)
			fprintf(f, "  %2d%s %s [%s] %d ch, %.0f Hz\n", i, i == def ? "*" : " ", d->name,
				Pa_GetHostApiInfo(d->hostApi)->name, channels(d, input),
				d->defaultSampleRate);
	}
}

static PaDeviceIndex not_found(const char *prog, const char *what, const char *spec, bool input)
{
	const char *dir = input ? "input" : "output";

	fprintf(stderr, "%s: no %s device %s '%s'; %s devices:\n", prog, dir, what, spec, dir);
	pa_device_list(stderr, input);
	return paNoDevice;
}

PaDeviceIndex pa_device_find(const char *prog, const char *spec, bool input)
{
	int n = Pa_GetDeviceCount();

	if (!spec) {
		PaDeviceIndex def = input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();

		if (def == paNoDevice)
			fprintf(stderr, "%s: no %s device (no sound card found)\n", prog,
				input ? "input" : "output");
		return def;
	}
	if (spec[strspn(spec, "0123456789")] == 0) {
		int i = atoi(spec);

		if (i >= n || channels(Pa_GetDeviceInfo(i), input) < 1)
			return not_found(prog, "with index", spec, input);
		return i;
	}
	for (int i = 0; i < n; i++)
		if (channels(Pa_GetDeviceInfo(i), input) > 0 &&
		    strcasestr(Pa_GetDeviceInfo(i)->name, spec))
			return i;
	return not_found(prog, "matches", spec, input);
}
