// SPDX-License-Identifier: GPL-2.0
/*
 * jack-play: plays a 16-bit WAV file into JACK ports and exits at its end,
 * the counterpart of jack_rec for loopback tests.  Samples are scaled by
 * 1/32767, the factor jackd's ALSA backend uses for 16-bit, so that a file
 * played and recorded through a 16-bit device comes back bit for bit
 * (full-scale -32768 excepted).
 *
 *   jack-play FILE PORT...     (one destination port per file channel)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jack/jack.h>
#include <sndfile.h>

#define MAX_CH 8

static jack_port_t *ports[MAX_CH];
static short *data;
static long frames, pos;
static int channels;
static volatile int done, go;	/* go: set once the ports are connected */

static int process(jack_nframes_t n, void *arg)
{
	jack_nframes_t i;
	int c;

	for (c = 0; c < channels; c++) {
		jack_default_audio_sample_t *out = jack_port_get_buffer(ports[c], n);

		for (i = 0; i < n; i++)
			out[i] = go && pos + i < frames ?
				 data[(pos + i) * channels + c] / 32767.0f : 0.0f;
	}
	if (!go)
		return 0;
	pos += n;
	if (pos >= frames)
		done = 1;
	return 0;
}

static void shutdown_cb(void *arg)
{
	done = 2;
}

static int load(const char *path)
{
	SF_INFO info;
	SNDFILE *f;

	memset(&info, 0, sizeof(info));
	f = sf_open(path, SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "jack-play: %s: %s\n", path, sf_strerror(NULL));
		return -1;
	}
	channels = info.channels;
	frames = info.frames;
	data = malloc(sizeof(*data) * frames * channels);
	if (!data || channels > MAX_CH || sf_readf_short(f, data, frames) != frames) {
		fprintf(stderr, "jack-play: cannot read %s\n", path);
		sf_close(f);
		return -1;
	}
	sf_close(f);
	return 0;
}

int main(int argc, char **argv)
{
	jack_client_t *client;
	char name[16];
	int c;

	if (argc < 3) {
		fprintf(stderr, "usage: jack-play FILE PORT...\n");
		return 2;
	}
	if (load(argv[1]) < 0)
		return 1;
	if (argc - 2 != channels) {
		fprintf(stderr, "jack-play: %d channels, %d ports\n", channels, argc - 2);
		return 2;
	}
	client = jack_client_open("jack-play", JackNoStartServer, NULL);
	if (!client) {
		fprintf(stderr, "jack-play: no JACK server\n");
		return 1;
	}
	for (c = 0; c < channels; c++) {
		snprintf(name, sizeof(name), "out_%d", c + 1);
		ports[c] = jack_port_register(client, name, JACK_DEFAULT_AUDIO_TYPE,
					      JackPortIsOutput, 0);
	}
	jack_set_process_callback(client, process, NULL);
	jack_on_shutdown(client, shutdown_cb, NULL);
	if (jack_activate(client))
		return 1;
	for (c = 0; c < channels; c++)
		if (jack_connect(client, jack_port_name(ports[c]), argv[2 + c])) {
			fprintf(stderr, "jack-play: cannot connect to %s\n", argv[2 + c]);
			return 1;
		}
	go = 1;
	while (!done)
		usleep(20000);
	usleep(100000);
	jack_client_close(client);
	return done == 2;
}
