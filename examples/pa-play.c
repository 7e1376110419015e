// SPDX-License-Identifier: MIT
/*
 * pa-play: play any sound file libsndfile reads through a PortAudio output
 * device.
 *
 *   pa-play [-d DEVICE] [-l LATENCY] [-q] FILE
 *   pa-play -L                         list output devices
 *
 * 8/16-bit files are played as 16-bit samples and 24/32-bit ones as 32-bit
 * integers, so that PCM reaches the device unchanged (bit-exact on a 16-bit
 * device for 16-bit files); float, Vorbis etc. as 32-bit float.  A mono file
 * goes to both channels of a stereo device.  Uses PortAudio's callback API:
 * this thread reads the file into a lock-free FIFO, the callback empties it
 * and returns paComplete at the end, and the stream drains before exit.
 * Ctrl-C stops at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <portaudio.h>
#include <sndfile.h>

#include "pa-device.h"

#define FIFO_SECONDS 0.5
#define READ_FRAMES 2048

static volatile sig_atomic_t interrupted;

static const char usage_text[] =
	"usage: pa-play [options] FILE\n"
	"  -d, --device DEV     output device: index or part of its name (default: default output)\n"
	"  -l, --latency SEC    suggested output latency (default: the device's high latency)\n"
	"  -q, --quiet          no progress line\n"
	"  -L, --list           list output devices and exit\n";

/* Single producer (main thread), single consumer (callback), frames. */
struct fifo {
	char *data;
	size_t frames;			/* capacity, a power of two */
	size_t frame_bytes;
	atomic_size_t head;		/* written by the producer (release) */
	atomic_size_t tail;		/* written by the consumer (release) */
};

struct player {
	struct fifo fifo;
	int file_channels;
	int out_channels;
	size_t sample_bytes;
	atomic_bool eof;		/* producer: nothing more will come */
	atomic_bool done;		/* finished callback ran */
	atomic_long underflows;		/* paOutputUnderflow flags */
	atomic_long starved;		/* callbacks the file reader was late for */
	atomic_long played;		/* frames handed to PortAudio */
	atomic_uint peak_bits;		/* float bits of the peak since last shown */
	PaSampleFormat format;
};

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("pa-play: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	Pa_Terminate();
	exit(1);
}

/* --- devices ------------------------------------------------------------------- */


/* --- the FIFO ---------------------------------------------------------------------- */

static void fifo_init(struct fifo *f, double rate, size_t frame_bytes)
{
	size_t want = (size_t)(rate * FIFO_SECONDS);

	f->frames = 1024;
	while (f->frames < want)
		f->frames <<= 1;
	f->frame_bytes = frame_bytes;
	f->data = calloc(f->frames, frame_bytes);
	if (!f->data)
		die("out of memory");
	atomic_init(&f->head, 0);
	atomic_init(&f->tail, 0);
}

static size_t fifo_space(struct fifo *f)
{
	return f->frames - (atomic_load_explicit(&f->head, memory_order_relaxed) -
			    atomic_load_explicit(&f->tail, memory_order_acquire));
}

/* Copy n frames in or out at position pos, wrapping at the end. */
static void fifo_copy(struct fifo *f, size_t pos, void *buf, size_t n, int in)
{
	size_t off = pos & (f->frames - 1);
	size_t first = n < f->frames - off ? n : f->frames - off;
	char *ring = f->data + off * f->frame_bytes, *b = buf;

	if (in) {
		memcpy(ring, b, first * f->frame_bytes);
		memcpy(f->data, b + first * f->frame_bytes, (n - first) * f->frame_bytes);
	} else {
		memcpy(b, ring, first * f->frame_bytes);
		memcpy(b + first * f->frame_bytes, f->data, (n - first) * f->frame_bytes);
	}
}

/* --- the callback -------------------------------------------------------------------- */

static void note_peak(struct player *pl, const void *buf, size_t samples)
{
	float peak = 0, old;
	unsigned int bits = atomic_load(&pl->peak_bits);

	for (size_t i = 0; i < samples; i++) {
		float v = pl->format == paInt16 ? ((const short *)buf)[i] / 32768.0f
			: pl->format == paInt32 ? ((const int *)buf)[i] / 2147483648.0f
			: ((const float *)buf)[i];

		peak = fabsf(v) > peak ? fabsf(v) : peak;
	}
	memcpy(&old, &bits, sizeof(old));
	if (peak > old) {
		memcpy(&bits, &peak, sizeof(bits));
		atomic_store(&pl->peak_bits, bits);
	}
}

static int callback(const void *in, void *out, unsigned long frames,
		    const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
	struct player *pl = user;
	struct fifo *f = &pl->fifo;
	size_t tail = atomic_load_explicit(&f->tail, memory_order_relaxed);
	size_t have = atomic_load_explicit(&f->head, memory_order_acquire) - tail;
	size_t n = have < frames ? have : frames;
	bool eof = atomic_load(&pl->eof);

	(void)in;
	(void)ti;
	if (flags & paOutputUnderflow)
		atomic_fetch_add(&pl->underflows, 1);
	fifo_copy(f, tail, out, n, 0);
	memset((char *)out + n * f->frame_bytes, 0, (frames - n) * f->frame_bytes);
	atomic_store_explicit(&f->tail, tail + n, memory_order_release);
	atomic_fetch_add(&pl->played, (long)n);
	note_peak(pl, out, n * pl->out_channels);
	if (n < frames && !eof)
		atomic_fetch_add(&pl->starved, 1);
	return eof && n == have ? paComplete : paContinue;
}

static void finished(void *user)
{
	atomic_store(&((struct player *)user)->done, true);
}

/* --- the file --------------------------------------------------------------------------- */

static PaSampleFormat format_for(const SF_INFO *info, size_t *bytes)
{
	switch (info->format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8:
	case SF_FORMAT_PCM_U8:
	case SF_FORMAT_PCM_16:
		*bytes = 2;
		return paInt16;
	case SF_FORMAT_PCM_24:
	case SF_FORMAT_PCM_32:
		*bytes = 4;
		return paInt32;
	default:
		*bytes = 4;
		return paFloat32;
	}
}

static sf_count_t read_frames(SNDFILE *sf, PaSampleFormat fmt, void *buf, sf_count_t n)
{
	if (fmt == paInt16)
		return sf_readf_short(sf, buf, n);
	if (fmt == paInt32)
		return sf_readf_int(sf, buf, n);
	return sf_readf_float(sf, buf, n);
}

/* A mono file on a stereo stream: each sample to both channels, unchanged. */
static void upmix(const struct player *pl, const void *src, void *dst, sf_count_t n)
{
	size_t b = pl->sample_bytes;

	for (sf_count_t i = n - 1; i >= 0; i--)
		for (int c = 0; c < pl->out_channels; c++)
			memmove((char *)dst + ((size_t)i * pl->out_channels + c) * b, (const char *)src + i * b, b);
}

/* Move what fits from the file into the FIFO; sets eof at the end. */
static void fill(struct player *pl, SNDFILE *sf, char *buf)
{
	struct fifo *f = &pl->fifo;

	while (!atomic_load(&pl->eof)) {
		size_t space = fifo_space(f), head;
		sf_count_t n;

		if (space < READ_FRAMES)
			return;
		n = read_frames(sf, pl->format, buf, READ_FRAMES);
		if (n <= 0) {
			atomic_store(&pl->eof, true);
			return;
		}
		if (pl->out_channels != pl->file_channels)
			upmix(pl, buf, buf, n);
		head = atomic_load_explicit(&f->head, memory_order_relaxed);
		fifo_copy(f, head, buf, (size_t)n, 1);
		atomic_store_explicit(&f->head, head + (size_t)n, memory_order_release);
	}
}

static void progress(struct player *pl, double rate, double total)
{
	unsigned int bits = atomic_exchange(&pl->peak_bits, 0);
	float peak;
	double db;
	int bars;
	char meter[21];

	memcpy(&peak, &bits, sizeof(peak));
	db = peak > 0 ? 20 * log10(peak) : -99;
	bars = db <= -60 ? 0 : (int)((db + 60) / 3);
	for (int i = 0; i < 20; i++)
		meter[i] = i < bars ? '#' : '-';
	meter[20] = 0;
	fprintf(stderr, "\r%6.1f / %.1f s  [%s] %6.1f dBFS  xruns %ld ", atomic_load(&pl->played) / rate,
		total, meter, db, atomic_load(&pl->underflows));
}

/* --- main --------------------------------------------------------------------------------- */

static void explain_unsupported(const PaStreamParameters *p, double rate, PaError err, const char *file)
{
	static const double rates[] = { 8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000 };
	PaStreamParameters q = *p;

	fprintf(stderr, "pa-play: %s cannot play '%s' (%d channel(s) at %.0f Hz): %s\n",
		Pa_GetDeviceInfo(p->device)->name, file, p->channelCount, rate, Pa_GetErrorText(err));
	q.channelCount = 1;
	fprintf(stderr, "  it has up to %d output channel(s); rates it takes:",
		Pa_GetDeviceInfo(p->device)->maxOutputChannels);
	for (unsigned int i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (Pa_IsFormatSupported(NULL, &q, rates[i]) == paFormatIsSupported)
			fprintf(stderr, " %.0f", rates[i]);
	fputs("\n  (convert the file first, e.g. sox in.wav -r 48000 out.wav)\n", stderr);
	die("unsupported format");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, 0, 'd' }, { "latency", required_argument, 0, 'l' },
		{ "quiet", no_argument, 0, 'q' }, { "list", no_argument, 0, 'L' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	const char *device = NULL, *file;
	double latency = -1, rate, total;
	int quiet = 0, list = 0, c, show;
	struct sigaction sa = { .sa_handler = on_signal };
	struct player pl = { 0 };
	PaStreamParameters p = { 0 };
	SF_INFO info = { 0 };
	SNDFILE *sf = NULL;
	PaStream *s;
	PaError err;
	char *buf, *end;

	while ((c = getopt_long(argc, argv, "d:l:qLh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': device = optarg; break;
		case 'l':
			errno = 0;
			latency = strtod(optarg, &end);
			if (errno || end == optarg || *end || latency < 0)
				die("bad latency '%s' (seconds)", optarg);
			break;
		case 'q': quiet = 1; break;
		case 'L': list = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (!list && optind != argc - 1) {
		fprintf(stderr, "pa-play: %s\n%s", optind < argc ? "one file, please" : "no file given", usage_text);
		return 2;
	}
	file = list ? NULL : argv[optind];
	if (file && !(sf = sf_open(file, SFM_READ, &info)))
		die("cannot read '%s': %s", file, sf_strerror(NULL));
	if ((err = Pa_Initialize()) != paNoError)
		die("cannot initialise PortAudio: %s", Pa_GetErrorText(err));
	if (list) {
		pa_device_list(stdout, false);
		Pa_Terminate();
		return 0;
	}
	p.device = pa_device_find("pa-play", device, false);
	if (p.device == paNoDevice) {
		Pa_Terminate();
		return 1;
	}
	rate = info.samplerate;
	total = info.frames / rate;
	pl.format = format_for(&info, &pl.sample_bytes);
	pl.file_channels = info.channels;
	pl.out_channels = info.channels == 1 && Pa_GetDeviceInfo(p.device)->maxOutputChannels >= 2 ? 2 : info.channels;
	p.channelCount = pl.out_channels;
	p.sampleFormat = pl.format;
	p.suggestedLatency = latency >= 0 ? latency : Pa_GetDeviceInfo(p.device)->defaultHighOutputLatency;
	err = Pa_IsFormatSupported(NULL, &p, rate);
	if (err != paFormatIsSupported)
		explain_unsupported(&p, rate, err, file);
	fifo_init(&pl.fifo, rate, pl.sample_bytes * pl.out_channels);
	buf = calloc(READ_FRAMES, pl.sample_bytes * pl.out_channels);
	fill(&pl, sf, buf);
	err = Pa_OpenStream(&s, NULL, &p, rate, paFramesPerBufferUnspecified, paClipOff, callback, &pl);
	if (err != paNoError)
		die("cannot open %s: %s", Pa_GetDeviceInfo(p.device)->name, Pa_GetErrorText(err));
	Pa_SetStreamFinishedCallback(s, finished);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	show = !quiet && isatty(2);
	if (!quiet)
		fprintf(stderr, "pa-play: %s: %.2f s, %d Hz, %d ch -> %s [%s]%s\n", file, total, info.samplerate,
			info.channels, Pa_GetDeviceInfo(p.device)->name,
			Pa_GetHostApiInfo(Pa_GetDeviceInfo(p.device)->hostApi)->name,
			pl.out_channels != pl.file_channels ? " (mono to both channels)" : "");
	if ((err = Pa_StartStream(s)) != paNoError)
		die("cannot start playback: %s", Pa_GetErrorText(err));
	while (!interrupted && !atomic_load(&pl.done) && Pa_IsStreamActive(s) == 1) {
		fill(&pl, sf, buf);
		if (show)
			progress(&pl, rate, total);
		Pa_Sleep(20);
	}
	err = interrupted ? Pa_AbortStream(s) : Pa_StopStream(s);
	if (show)
		fputc('\n', stderr);
	Pa_CloseStream(s);
	Pa_Terminate();
	sf_close(sf);
	if (!quiet || atomic_load(&pl.underflows))
		fprintf(stderr, "pa-play: %ld frames (%.2f s) from %s%s; xruns %ld, late file reads %ld\n",
			atomic_load(&pl.played), atomic_load(&pl.played) / rate, file,
			interrupted ? ", interrupted" : "", atomic_load(&pl.underflows), atomic_load(&pl.starved));
	free(buf);
	return err == paNoError || interrupted ? 0 : 1;
}
