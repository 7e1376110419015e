// SPDX-License-Identifier: MIT
/*
 * pa-record: record from a PortAudio input device to a sound file.
 *
 *   pa-record [-d DEVICE] [-t SECONDS] [-r RATE] [-c CHANNELS] [-b BITS]
 *             [-l LATENCY] [-q] FILE
 *   pa-record -L                       list input devices
 *
 * The file type comes from FILE's extension (anything libsndfile writes:
 * .wav .flac .ogg .aiff .au .caf .w64 ...).  Records for SECONDS, or until
 * Ctrl-C; either way the file is closed properly, also when recording
 * fails (e.g. the device is unplugged: what was recorded up to then is kept,
 * the exit status is 1).  A progress line shows the elapsed time, a peak
 * meter and the xrun count.  Uses PortAudio's blocking
 * API (Pa_ReadStream); with 16-bit samples nothing is converted, so what the
 * device captured lands in the file bit for bit.
 *
 * Runs against any PortAudio; with the RingPCM host API it is the default
 * where a ringpcm card exists.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <portaudio.h>
#include <sndfile.h>

#include "pa-device.h"

#define CHUNK_FRAMES 1024

static volatile sig_atomic_t interrupted;

static const char usage_text[] =
	"usage: pa-record [options] FILE\n"
	"  -d, --device DEV     input device: index or part of its name (default: default input)\n"
	"  -t, --seconds SEC    stop after SEC seconds (default: until Ctrl-C)\n"
	"  -r, --rate HZ        sample rate (default: the device's)\n"
	"  -c, --channels N     channels (default: 2, or 1 on a mono device)\n"
	"  -b, --bits B         16 (default), 24, 32 or float\n"
	"  -l, --latency SEC    suggested input latency (default: the device's high latency)\n"
	"  -q, --quiet          no progress line\n"
	"  -L, --list           list input devices and exit\n"
	"FILE's extension picks the format: wav, flac, ogg, aiff, au, caf, w64, ...\n";

struct options {
	const char *device;
	const char *file;
	double seconds;
	double rate;
	int channels;
	const char *bits;
	double latency;
	int quiet;
	int list;
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
	fputs("pa-record: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	Pa_Terminate();
	exit(1);
}

static double parse_number(const char *s, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v <= 0)
		die("bad %s '%s' (expected a positive number)", what, s);
	return v;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "device", required_argument, 0, 'd' }, { "seconds", required_argument, 0, 't' },
		{ "rate", required_argument, 0, 'r' }, { "channels", required_argument, 0, 'c' },
		{ "bits", required_argument, 0, 'b' }, { "latency", required_argument, 0, 'l' },
		{ "quiet", no_argument, 0, 'q' }, { "list", no_argument, 0, 'L' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
	int c;

	*o = (struct options){ .bits = "16", .latency = -1 };
	while ((c = getopt_long(argc, argv, "d:t:r:c:b:l:qLh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->device = optarg; break;
		case 't': o->seconds = parse_number(optarg, "duration"); break;
		case 'r': o->rate = parse_number(optarg, "rate"); break;
		case 'c': o->channels = (int)parse_number(optarg, "channel count"); break;
		case 'b': o->bits = optarg; break;
		case 'l': o->latency = parse_number(optarg, "latency"); break;
		case 'q': o->quiet = 1; break;
		case 'L': o->list = 1; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: fputs(usage_text, stderr); exit(2);
		}
	}
	if (o->list)
		return;
	if (optind != argc - 1) {
		fprintf(stderr, "pa-record: %s\n%s", optind < argc ? "one output file, please" : "no output file given", usage_text);
		exit(2);
	}
	o->file = argv[optind];
	if (strcmp(o->bits, "16") && strcmp(o->bits, "24") && strcmp(o->bits, "32") && strcmp(o->bits, "float"))
		die("bad sample size '%s' (16, 24, 32 or float)", o->bits);
}

/* --- devices ---------------------------------------------------------------- */


static void explain_unsupported(const PaStreamParameters *p, double rate, PaError err)
{
	static const double rates[] = { 8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000 };
	PaStreamParameters q = *p;

	fprintf(stderr, "pa-record: %s cannot record %d channel(s) at %.0f Hz: %s\n",
		Pa_GetDeviceInfo(p->device)->name, p->channelCount, rate, Pa_GetErrorText(err));
	q.channelCount = 1;
	fprintf(stderr, "  it has up to %d input channel(s); rates it takes:",
		Pa_GetDeviceInfo(p->device)->maxInputChannels);
	for (unsigned int i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (Pa_IsFormatSupported(&q, NULL, rates[i]) == paFormatIsSupported)
			fprintf(stderr, " %.0f", rates[i]);
	fputc('\n', stderr);
	die("unsupported format");
}

/* --- the file ----------------------------------------------------------------- */

/* libsndfile's major format for FILE's extension (plus a few common aliases). */
static int major_for(const char *file)
{
	const char *ext = strrchr(file, '.');
	int count = 0;

	if (!ext || strchr(ext, '/'))
		die("'%s' has no extension to choose a file format (e.g. .wav, .flac, .ogg)", file);
	ext++;
	if (!strcasecmp(ext, "ogg"))
		return SF_FORMAT_OGG;
	if (!strcasecmp(ext, "aif"))
		return SF_FORMAT_AIFF;
	sf_command(NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof(count));
	for (int i = 0; i < count; i++) {
		SF_FORMAT_INFO info = { .format = i };

		sf_command(NULL, SFC_GET_FORMAT_MAJOR, &info, sizeof(info));
		if (info.extension && !strcasecmp(ext, info.extension))
			return info.format;
	}
	die("unknown file extension '.%s' (libsndfile writes e.g. wav, flac, ogg, aiff, au, caf, w64)", ext);
}

struct sample_kind {
	PaSampleFormat pa;
	int subtype;
	size_t bytes;
};

static struct sample_kind kind_for(const char *bits, int major)
{
	if (major == SF_FORMAT_OGG)
		return (struct sample_kind){ paFloat32, SF_FORMAT_VORBIS, 4 };
	if (!strcmp(bits, "24"))
		return (struct sample_kind){ paInt32, SF_FORMAT_PCM_24, 4 };
	if (!strcmp(bits, "32"))
		return (struct sample_kind){ paInt32, SF_FORMAT_PCM_32, 4 };
	if (!strcmp(bits, "float"))
		return (struct sample_kind){ paFloat32, SF_FORMAT_FLOAT, 4 };
	return (struct sample_kind){ paInt16, SF_FORMAT_PCM_16, 2 };
}

static SNDFILE *open_file(const struct options *o, int channels, double rate, struct sample_kind *k)
{
	int major = major_for(o->file);
	SF_INFO info = { .samplerate = (int)rate, .channels = channels };
	SNDFILE *sf;

	*k = kind_for(o->bits, major);
	info.format = major | k->subtype;
	if (!sf_format_check(&info))
		die("cannot write %s-bit %d-channel audio at %.0f Hz to a .%s file", o->bits, channels, rate,
		    strrchr(o->file, '.') + 1);
	sf = sf_open(o->file, SFM_WRITE, &info);
	if (!sf)
		die("cannot create '%s': %s", o->file, sf_strerror(NULL));
	return sf;
}

static sf_count_t write_frames(SNDFILE *sf, const struct sample_kind *k, const void *buf, sf_count_t n)
{
	if (k->pa == paInt16)
		return sf_writef_short(sf, buf, n);
	if (k->pa == paInt32)
		return sf_writef_int(sf, buf, n);
	return sf_writef_float(sf, buf, n);
}

/* --- progress ------------------------------------------------------------------ */

static double peak_of(const struct sample_kind *k, const void *buf, size_t samples)
{
	double peak = 0;

	for (size_t i = 0; i < samples; i++) {
		double v = k->pa == paInt16 ? ((const short *)buf)[i] / 32768.0
			 : k->pa == paInt32 ? ((const int *)buf)[i] / 2147483648.0
			 : ((const float *)buf)[i];

		peak = fabs(v) > peak ? fabs(v) : peak;
	}
	return peak;
}

static void progress(double seconds, double peak, long xruns)
{
	double db = peak > 0 ? 20 * log10(peak) : -99;
	int bars = db <= -60 ? 0 : (int)((db + 60) / 3);
	char meter[21];

	for (int i = 0; i < 20; i++)
		meter[i] = i < bars ? '#' : '-';
	meter[20] = 0;
	fprintf(stderr, "\r%6.1f s  [%s] %6.1f dBFS  xruns %ld ", seconds, meter, db, xruns);
}

/* --- main ------------------------------------------------------------------------ */

static PaStream *open_stream(const struct options *o, PaStreamParameters *p, double *rate)
{
	const PaDeviceInfo *d = Pa_GetDeviceInfo(p->device);
	PaStream *s;
	PaError err;

	*rate = o->rate ? o->rate : d->defaultSampleRate;
	p->channelCount = o->channels ? o->channels : (d->maxInputChannels >= 2 ? 2 : 1);
	p->suggestedLatency = o->latency >= 0 ? o->latency : d->defaultHighInputLatency;
	p->hostApiSpecificStreamInfo = NULL;
	err = Pa_IsFormatSupported(p, NULL, *rate);
	if (err != paFormatIsSupported)
		explain_unsupported(p, *rate, err);
	err = Pa_OpenStream(&s, p, NULL, *rate, CHUNK_FRAMES, paClipOff, NULL, NULL);
	if (err != paNoError)
		die("cannot open %s: %s", d->name, Pa_GetErrorText(err));
	return s;
}

int main(int argc, char **argv)
{
	struct options o;
	PaStreamParameters p = { 0 };
	struct sample_kind k;
	struct sigaction sa = { .sa_handler = on_signal };
	double rate, peak = 0, last_shown = -1;
	long long frames = 0, limit;
	long xruns = 0;
	int show, interrupted_by_user;
	PaError failed = paNoError;
	SNDFILE *sf;
	PaStream *s;
	PaError err;
	void *buf;

	parse_args(argc, argv, &o);
	if (!o.list)
		major_for(o.file);	/* a bad extension is no reason to touch a device */
	if ((err = Pa_Initialize()) != paNoError)
		die("cannot initialise PortAudio: %s", Pa_GetErrorText(err));
	if (o.list) {
		pa_device_list(stdout, true);
		Pa_Terminate();
		return 0;
	}
	/* The stream's sample format follows the file's sample size. */
	k = kind_for(o.bits, major_for(o.file));
	p.device = pa_device_find("pa-record", o.device, true);
	if (p.device == paNoDevice) {
		Pa_Terminate();
		return 1;
	}
	p.sampleFormat = k.pa;
	s = open_stream(&o, &p, &rate);
	sf = open_file(&o, p.channelCount, rate, &k);
	buf = calloc(CHUNK_FRAMES, k.bytes * p.channelCount);
	limit = o.seconds ? (long long)llround(o.seconds * rate) : -1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	show = !o.quiet && isatty(2);
	if (!o.quiet)
		fprintf(stderr, "pa-record: %s [%s], %.0f Hz, %d ch, %s-bit -> %s%s\n",
			Pa_GetDeviceInfo(p.device)->name, Pa_GetHostApiInfo(Pa_GetDeviceInfo(p.device)->hostApi)->name,
			rate, p.channelCount, o.bits, o.file, limit < 0 ? " (Ctrl-C stops)" : "");
	if ((err = Pa_StartStream(s)) != paNoError)
		die("cannot start recording: %s", Pa_GetErrorText(err));
	while (!interrupted && (limit < 0 || frames < limit)) {
		long n = limit < 0 || limit - frames > CHUNK_FRAMES ? CHUNK_FRAMES : (long)(limit - frames);

		err = Pa_ReadStream(s, buf, n);
		if (err == paInputOverflowed) {
			xruns++;
		} else if (err != paNoError) {
			/* E.g. the device is gone: keep what was recorded, in a
			 * file whose header says how long it is. */
			failed = err;
			break;
		}
		if (write_frames(sf, &k, buf, n) != n)
			die("cannot write '%s': %s", o.file, sf_strerror(sf));
		frames += n;
		peak = fmax(peak, peak_of(&k, buf, (size_t)n * p.channelCount));
		if (show && frames / rate - last_shown >= 0.1) {
			progress(frames / rate, peak, xruns);
			last_shown = frames / rate;
			peak = 0;
		}
	}
	interrupted_by_user = interrupted;
	Pa_AbortStream(s);
	Pa_CloseStream(s);
	sf_write_sync(sf);
	sf_close(sf);
	Pa_Terminate();
	if (show)
		fputc('\n', stderr);
	if (failed) {
		fprintf(stderr, "pa-record: recording failed after %.1f s: %s; %lld frames (%.2f s) kept in %s\n",
			frames / rate, Pa_GetErrorText(failed), frames, frames / rate, o.file);
		free(buf);
		return 1;
	}
	if (!o.quiet || xruns)
		fprintf(stderr, "pa-record: %lld frames (%.2f s) to %s%s; xruns %ld\n", frames, frames / rate,
			o.file, interrupted_by_user ? ", interrupted" : "", xruns);
	free(buf);
	return 0;
}
