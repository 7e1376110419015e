// SPDX-License-Identifier: MIT
/*
 * pa-ringpcm-check: behaviour checks of a PortAudio host API through the
 * public PortAudio API only (the RingPCM one by default; any device with -d,
 * so that the same measurement runs on ALSA for comparison).
 *
 *   pa-ringpcm-check hostapis              list host APIs; RingPCM present?
 *   pa-ringpcm-check [-d DEV] timing  [-s SEC] [-f FRAMES] [-l LAT]
 *        callback timing: DAC/ADC times vs the stream clock, callback
 *        interval jitter, CPU load, process CPU time per audio second
 *   pa-ringpcm-check [-d DEV] zerocopy     the callback's buffers are the ring
 *   pa-ringpcm-check [-d DEV] xrun-callback   a slow callback yields
 *        paOutputUnderflow/paInputOverflow once, then the stream recovers
 *   pa-ringpcm-check [-d DEV] xrun-blocking   same for Pa_Write/ReadStream
 *   pa-ringpcm-check [-d DEV] stop         stop/abort/complete return promptly
 *   pa-ringpcm-check [-d DEV] start-fail   Pa_StartStream fails cleanly
 *
 * Prints measurements as "key value" lines and "result: ok" or
 * "result: FAIL <why>"; exit status 0 on ok.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "portaudio.h"
#include "pa_linux_ringpcm.h"

#define MAX_CB 20000

static const char *opt_dev;
static double opt_seconds = 3.0;
static unsigned long opt_frames = paFramesPerBufferUnspecified;
static double opt_latency = -1;
static const char *opt_mode = "duplex";		/* -m in|out|duplex (timing) */
static double opt_rate;				/* -r: 0 = the device's default */
static int opt_channels = 2;			/* -c */
static int failures;

static void fail(const char *why)
{
	printf("check-failed %s\n", why);
	failures++;
}

static void die(const char *what, PaError err)
{
	printf("result: FAIL %s: %s\n", what, Pa_GetErrorText(err));
	if (err == paUnanticipatedHostError)
		printf("host-error %s\n", Pa_GetLastHostErrorInfo()->errorText);
	Pa_Terminate();
	exit(1);
}

/* -d: an index, a name substring, or the RingPCM host API's default. */
static PaDeviceIndex pick_device(int input)
{
	PaHostApiIndex api = PaRingPcm_GetHostApiIndex();
	int n = Pa_GetDeviceCount();

	if (opt_dev && opt_dev[strspn(opt_dev, "0123456789")] == 0)
		return atoi(opt_dev) < n ? atoi(opt_dev) : paNoDevice;
	for (int i = 0; opt_dev && i < n; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

		if (strcasestr(d->name, opt_dev) && (input ? d->maxInputChannels : d->maxOutputChannels))
			return i;
	}
	if (opt_dev || api < 0)
		return paNoDevice;
	return input ? Pa_GetHostApiInfo(api)->defaultInputDevice
		     : Pa_GetHostApiInfo(api)->defaultOutputDevice;
}

static PaStreamParameters params(PaDeviceIndex dev, int input, PaSampleFormat fmt)
{
	const PaDeviceInfo *d = Pa_GetDeviceInfo(dev);
	PaStreamParameters p = {
		.device = dev, .channelCount = opt_channels, .sampleFormat = fmt,
		.suggestedLatency = opt_latency >= 0 ? opt_latency
				  : input ? d->defaultLowInputLatency : d->defaultLowOutputLatency,
	};
	return p;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

/* --- shared callback: records times, flags, optional stall --------------- */

struct cbdata {
	PaStream *stream;
	long calls;
	long frames;
	double wall[MAX_CB], dac[MAX_CB], adc[MAX_CB], cur[MAX_CB], stime[MAX_CB];
	unsigned long nframes[MAX_CB];
	PaStreamCallbackFlags flags[MAX_CB];
	long stall_at;			/* sleep in this call */
	double stall_s;
	long complete_at;		/* return paComplete from this call */
	const void *in_ptr, *out_ptr;
	int finished;
};

static double mono_raw(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int callback(const void *in, void *out, unsigned long frames,
		    const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
	struct cbdata *c = user;
	long i = c->calls;

	if (i < MAX_CB) {
		c->wall[i] = mono_raw();
		c->stime[i] = Pa_GetStreamTime(c->stream);
		c->dac[i] = ti->outputBufferDacTime;
		c->adc[i] = ti->inputBufferAdcTime;
		c->cur[i] = ti->currentTime;
		c->nframes[i] = frames;
		c->flags[i] = flags;
	}
	if (i == 0) {
		c->in_ptr = in;
		c->out_ptr = out;
	}
	if (out)
		memset(out, 0, frames * opt_channels * sizeof(short));	/* paInt16 */
	c->calls++;
	c->frames += (long)frames;
	if (i == c->stall_at) {
		struct timespec ts = { (time_t)c->stall_s, (long)(fmod(c->stall_s, 1.0) * 1e9) };

		nanosleep(&ts, NULL);
	}
	return i >= c->complete_at ? paComplete : paContinue;
}

static void finished(void *user)
{
	((struct cbdata *)user)->finished++;
}

static PaStream *open_cb(struct cbdata *c, int in, int out, PaSampleFormat fmt)
{
	PaStreamParameters ip, op;
	PaError err;

	if (in) {
		PaDeviceIndex d = pick_device(1);

		if (d == paNoDevice)
			die("input device", paInvalidDevice);
		ip = params(d, 1, fmt);
	}
	if (out) {
		PaDeviceIndex d = pick_device(0);

		if (d == paNoDevice)
			die("output device", paInvalidDevice);
		op = params(d, 0, fmt);
	}
	err = Pa_OpenStream(&c->stream, in ? &ip : NULL, out ? &op : NULL,
			    opt_rate ? opt_rate : Pa_GetDeviceInfo(out ? op.device : ip.device)->defaultSampleRate,
			    opt_frames, paClipOff, callback, c);
	if (err != paNoError)
		die("Pa_OpenStream", err);
	Pa_SetStreamFinishedCallback(c->stream, finished);
	return c->stream;
}

static struct cbdata *new_cbdata(void)
{
	struct cbdata *c = calloc(1, sizeof(*c));

	c->stall_at = -1;
	c->complete_at = 1L << 40;
	return c;
}

/* --- timing ---------------------------------------------------------------- */

static void stats(const char *name, const double *v, long n, double scale)
{
	double sum = 0, sq = 0, mn = INFINITY, mx = -INFINITY;

	for (long i = 0; i < n; i++) {
		sum += v[i];
		sq += v[i] * v[i];
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
	}
	if (n < 2)
		return;
	printf("%s-mean %.4f\n%s-stddev %.4f\n%s-min %.4f\n%s-max %.4f\n", name, sum / n * scale,
	       name, sqrt(fmax(0, sq / n - (sum / n) * (sum / n))) * scale, name, mn * scale, name, mx * scale);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void percentiles(const char *name, const double *v, long n, double scale)
{
	double *s;

	if (n < 10)
		return;
	s = malloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	printf("%s-p50 %.4f\n%s-p99 %.4f\n%s-p99.9 %.4f\n", name, s[n / 2] * scale,
	       name, s[n * 99 / 100] * scale, name, s[n * 999 / 1000] * scale);
	free(s);
}

static int cmd_timing(void)
{
	struct cbdata *c = new_cbdata();
	int in = strcmp(opt_mode, "out") != 0, out = strcmp(opt_mode, "in") != 0;
	PaStream *s = open_cb(c, in, out, paInt16);
	const PaStreamInfo *si = Pa_GetStreamInfo(s);
	double rate = si->sampleRate, cpu0, t0, dt, *iv, *dacj;
	long n, bad_order = 0, flags = 0;
	PaError err;

	printf("stream-input-latency-ms %.3f\nstream-output-latency-ms %.3f\n",
	       si->inputLatency * 1e3, si->outputLatency * 1e3);
	cpu0 = cpu_seconds();
	t0 = Pa_GetStreamTime(s);
	if ((err = Pa_StartStream(s)) != paNoError)
		die("Pa_StartStream", err);
	/* A harness measuring the steady stream (bench/insns-guest.sh) starts
	 * from this line: Pa_Initialize and the open before it can take
	 * seconds under emulation (the ALSA host API probes every device). */
	printf("stream-started\n");
	fflush(stdout);
	Pa_Sleep((long)(opt_seconds * 1000));
	printf("cpu-load %.4f\n", Pa_GetStreamCpuLoad(s));
	dt = Pa_GetStreamTime(s) - t0;
	if ((err = Pa_StopStream(s)) != paNoError)
		die("Pa_StopStream", err);
	printf("process-cpu-ms-per-audio-s %.3f\n", (cpu_seconds() - cpu0) * 1e3 / opt_seconds);
	n = c->calls < MAX_CB ? c->calls : MAX_CB;
	printf("callbacks %ld\nframes-per-callback %lu\nstream-time-advance-s %.3f\n", c->calls,
	       c->nframes[0], dt);
	iv = calloc(n, sizeof(double));
	dacj = calloc(n, sizeof(double));
	for (long i = 1; i < n; i++) {
		double expect = c->nframes[i - 1] / rate;

		iv[i - 1] = c->wall[i] - c->wall[i - 1] - expect;
		dacj[i - 1] = out ? c->dac[i] - c->dac[i - 1] - expect : c->adc[i] - c->adc[i - 1] - expect;
	}
	for (long i = 0; i < n; i++) {
		int near_xrun = c->flags[i] || (i + 1 < n && c->flags[i + 1]);

		/* Around an xrun the frames are late by definition: dac < current. */
		bad_order += !near_xrun && ((in && c->adc[i] > c->cur[i]) || (out && c->cur[i] > c->dac[i]));
		if (c->flags[i]) {
			flags++;
			if (flags <= 10)
				printf("xrun-flag-at %.3f s (callback %ld)\n", c->wall[i] - c->wall[0], i);
		}
	}
	percentiles("callback-interval-jitter-ms", iv + 2, n - 3, 1e3);
	/* Skip the first callbacks (start-up) for the jitter figures. */
	stats("callback-interval-jitter-ms", iv + 2, n - 3, 1e3);
	stats(out ? "dac-time-jitter-ms" : "adc-time-jitter-ms", dacj + 2, n - 3, 1e3);
	printf("adc<=current<=dac-violations %ld\ncallbacks-with-xrun-flags %ld\n", bad_order, flags);
	printf("current-vs-streamtime-ms %.3f\n", (c->stime[n / 2] - c->cur[n / 2]) * 1e3);
	if (fabs(c->stime[n / 2] - c->cur[n / 2]) > 0.05)
		fail("currentTime is not on Pa_GetStreamTime's clock");
	if (bad_order)
		fail("timeInfo not ordered adc <= current <= dac");
	if (dt < opt_seconds * 0.9)
		fail("stream time did not advance");
	if (c->calls < 2)
		fail("callback not called");
	Pa_CloseStream(s);
	return failures;
}

/* --- zero copy --------------------------------------------------------------- */

static int inside(const void *p, const PaRingPcmRingInfo *r)
{
	return (const char *)p >= (const char *)r->ring && (const char *)p < (const char *)r->ring + r->ringBytes;
}

static int cmd_zerocopy(void)
{
	struct cbdata *c = new_cbdata();
	PaStream *s = open_cb(c, 1, 1, paInt16);
	PaRingPcmRingInfo ri = { .size = sizeof(ri) }, ro = { .size = sizeof(ro) };
	PaError err;

	if ((err = PaRingPcm_GetStreamRingInfo(s, 1, &ri)) != paNoError ||
	    (err = PaRingPcm_GetStreamRingInfo(s, 0, &ro)) != paNoError)
		die("PaRingPcm_GetStreamRingInfo", err);
	printf("input-ring %p %lu bytes, %u segments, dma %s, period %lu x %lu\n", ri.ring, ri.ringBytes,
	       ri.dmaSegments, ri.dmaMode == paRingPcmDmaCopy ? "copy" : "map-once", ri.framesPerPeriod, ri.periods);
	printf("output-ring %p %lu bytes, %u segments, dma %s, period %lu x %lu\n", ro.ring, ro.ringBytes,
	       ro.dmaSegments, ro.dmaMode == paRingPcmDmaCopy ? "copy" : "map-once", ro.framesPerPeriod, ro.periods);
	if ((err = Pa_StartStream(s)) != paNoError)
		die("Pa_StartStream", err);
	Pa_Sleep(300);
	Pa_StopStream(s);
	printf("callback-input %p\ncallback-output %p\n", c->in_ptr, c->out_ptr);
	if (!inside(c->in_ptr, &ri))
		fail("input buffer is not the ring");
	if (!inside(c->out_ptr, &ro))
		fail("output buffer is not the ring");
	Pa_CloseStream(s);
	return failures;
}

/* --- xruns ------------------------------------------------------------------ */

/* Longest run of callbacks without a flag from index `from` on. */
static long clean_streak(const struct cbdata *c, long from, long n)
{
	long best = 0, run = 0;

	for (long i = from; i < n; i++) {
		run = c->flags[i] ? 0 : run + 1;
		best = run > best ? run : best;
	}
	return best;
}

/*
 * The callback sleeps for three times the stream's latency once: the next
 * callbacks must carry paOutputUnderflow and paInputOverflow, and the
 * stream must then run on cleanly (a long run of unflagged callbacks).
 */
static int cmd_xrun_callback(void)
{
	struct cbdata *c = new_cbdata();
	PaStream *s = open_cb(c, 1, 1, paInt16);
	const PaStreamInfo *si = Pa_GetStreamInfo(s);
	long first_flag = -1, n, streak, before = 0;
	PaStreamCallbackFlags seen = 0;
	PaError err;

	c->stall_at = 20;
	c->stall_s = 3 * (si->outputLatency + si->inputLatency) + 0.1;
	printf("stall-ms %.1f at callback %ld\n", c->stall_s * 1e3, c->stall_at);
	if ((err = Pa_StartStream(s)) != paNoError)
		die("Pa_StartStream", err);
	Pa_Sleep((long)(c->stall_s * 1000) + 2000);
	printf("active-after-xrun %d\n", Pa_IsStreamActive(s));
	if (Pa_IsStreamActive(s) != 1)
		fail("stream not active after the xrun");
	err = Pa_StopStream(s);
	n = c->calls < MAX_CB ? c->calls : MAX_CB;
	/*
	 * The rest of the host buffer the stall happened in is processed at
	 * once (same currentTime); the first callback of the next host buffer
	 * must carry the flags.
	 */
	for (long i = 0; i < n; i++) {
		if (i <= c->stall_at)
			before += c->flags[i] != 0;
		else if (first_flag < 0 && c->cur[i] != c->cur[c->stall_at])
			first_flag = i;
	}
	if (first_flag >= 0)
		seen = c->flags[first_flag];
	streak = first_flag >= 0 ? clean_streak(c, first_flag + 1, n) : 0;
	printf("callbacks %ld\nflagged-before-stall %ld\nfirst-callback-after-stall %ld\nflags 0x%lx%s%s\n",
	       c->calls, before, first_flag, (unsigned long)seen,
	       seen & paOutputUnderflow ? " paOutputUnderflow" : "", seen & paInputOverflow ? " paInputOverflow" : "");
	printf("callbacks-after-recovery %ld\nlongest-clean-run-after %ld\n",
	       first_flag >= 0 ? c->calls - first_flag - 1 : 0, streak);
	if (first_flag < 0 || !seen)
		fail("no xrun flag on the first host buffer after the slow callback");
	if (!(seen & paOutputUnderflow) || !(seen & paInputOverflow))
		fail("expected both paOutputUnderflow and paInputOverflow after the slow callback");
	printf("clean-seconds-after %.2f\n", streak * (double)c->nframes[0] / si->sampleRate);
	if (streak * (double)c->nframes[0] / si->sampleRate < 0.8)
		fail("the stream did not run cleanly (0.8 s without xrun) after the xrun");
	if (err != paNoError)
		fail("Pa_StopStream failed");
	Pa_CloseStream(s);
	return failures;
}

/*
 * The device sleeps once (the fake's FAKE_RINGPCM_SLEEP_AFTER: SUSPENDED,
 * -ESTRPIPE): the host API must recover on its own, flag the lost audio
 * once, and keep calling back with the stream active.
 */
static int cmd_sleep_callback(void)
{
	struct cbdata *c = new_cbdata();
	PaStream *s = open_cb(c, 1, 1, paInt16);
	long n, flagged = 0, last_flag = -1;
	PaError err;

	if ((err = Pa_StartStream(s)) != paNoError)
		die("Pa_StartStream", err);
	Pa_Sleep(2000);
	printf("active-after-sleep %d\n", Pa_IsStreamActive(s));
	if (Pa_IsStreamActive(s) != 1)
		fail("stream not active after the sleep");
	err = Pa_StopStream(s);
	n = c->calls < MAX_CB ? c->calls : MAX_CB;
	for (long i = 0; i < n; i++)
		if (c->flags[i]) {
			flagged++;
			last_flag = i;
		}
	printf("callbacks %ld\nflagged %ld\ncallbacks-after-last-flag %ld\n", c->calls, flagged,
	       last_flag >= 0 ? n - last_flag - 1 : 0);
	if (!flagged)
		fail("no underflow/overflow flag for the audio the sleep lost");
	if (last_flag < 0 || n - last_flag - 1 < 20)
		fail("fewer than 20 clean callbacks after the recovery");
	if (err != paNoError)
		fail("Pa_StopStream failed");
	Pa_CloseStream(s);
	return failures;
}

/* Blocking: sleep between reads/writes; one-shot return codes, then clean I/O. */
static int cmd_xrun_blocking(void)
{
	PaDeviceIndex din = pick_device(1), dout = pick_device(0);
	PaStreamParameters ip = params(din, 1, paInt16), op = params(dout, 0, paInt16);
	PaStream *s;
	static short buf[2 * 48000];
	double rate = Pa_GetDeviceInfo(dout)->defaultSampleRate;
	unsigned long chunk = 256;
	long run = 0, best = 0;
	PaError err, r_over, w_under;

	if (din == paNoDevice || dout == paNoDevice)
		die("device", paInvalidDevice);
	err = Pa_OpenStream(&s, &ip, &op, rate, chunk, paClipOff, NULL, NULL);
	if (err != paNoError)
		die("Pa_OpenStream", err);
	if ((err = Pa_StartStream(s)) != paNoError)
		die("Pa_StartStream", err);
	for (int i = 0; i < 50; i++) {
		Pa_ReadStream(s, buf, chunk);
		Pa_WriteStream(s, buf, chunk);
	}
	printf("read-available %ld\nwrite-available %ld\n", Pa_GetStreamReadAvailable(s),
	       Pa_GetStreamWriteAvailable(s));
	Pa_Sleep((long)(1000 * (3 * (Pa_GetStreamInfo(s)->outputLatency + Pa_GetStreamInfo(s)->inputLatency)) + 200));
	r_over = Pa_ReadStream(s, buf, chunk);
	w_under = Pa_WriteStream(s, buf, chunk);
	for (int i = 0; i < 400; i++) {
		PaError r = Pa_ReadStream(s, buf, chunk), w = Pa_WriteStream(s, buf, chunk);

		run = r == paNoError && w == paNoError ? run + 1 : 0;
		best = run > best ? run : best;
	}
	printf("read-after-stall %s\nwrite-after-stall %s\nlongest-clean-run-after %ld\n",
	       Pa_GetErrorText(r_over), Pa_GetErrorText(w_under), best);
	if (r_over != paInputOverflowed)
		fail("Pa_ReadStream after a stall did not return paInputOverflowed");
	if (w_under != paOutputUnderflowed)
		fail("Pa_WriteStream after a stall did not return paOutputUnderflowed");
	if (best < 100)
		fail("blocking I/O did not run cleanly again after the xrun");
	if ((err = Pa_StopStream(s)) != paNoError)
		fail("Pa_StopStream failed");
	Pa_CloseStream(s);
	return failures;
}

/* --- stop / abort / complete --------------------------------------------------- */

static double timed(PaError (*fn)(PaStream *), PaStream *s, PaError *err)
{
	double t0 = mono_raw();

	*err = fn(s);
	return mono_raw() - t0;
}

static int cmd_stop(void)
{
	struct cbdata *c = new_cbdata();
	PaStream *s = open_cb(c, 1, 1, paInt16);
	double lat = Pa_GetStreamInfo(s)->outputLatency, t;
	PaError err;

	for (int round = 0; round < 3; round++) {
		const char *what = round == 0 ? "stop" : round == 1 ? "abort" : "complete";

		c->calls = 0;
		c->finished = 0;
		c->complete_at = round == 2 ? 10 : 1L << 40;
		if ((err = Pa_StartStream(s)) != paNoError)
			die("Pa_StartStream", err);
		Pa_Sleep(200);
		if (round == 2) {
			t = 0;
			for (int i = 0; i < 200 && Pa_IsStreamActive(s) == 1; i++, t += 0.01)
				Pa_Sleep(10);
			printf("complete-inactive-after-s %.3f\n", t);
			t = timed(Pa_StopStream, s, &err);
		} else {
			t = timed(round ? Pa_AbortStream : Pa_StopStream, s, &err);
		}
		printf("%s-seconds %.4f\n%s-finished-callbacks %d\n", what, t, what, c->finished);
		if (err != paNoError)
			fail("stop/abort returned an error");
		if (t > lat + 0.5)
			fail("stop/abort took longer than the output latency + 0.5 s");
		if (c->finished != 1)
			fail("stream finished callback not called exactly once");
		if (Pa_IsStreamStopped(s) != 1)
			fail("not stopped after stop/abort");
	}
	Pa_CloseStream(s);
	return failures;
}

static int cmd_start_fail(void)
{
	struct cbdata *c = new_cbdata();
	PaStream *s = open_cb(c, 0, 1, paInt16);
	double t0 = mono_raw();
	PaError err = Pa_StartStream(s);

	printf("start-result %s\nstart-seconds %.3f\n", Pa_GetErrorText(err), mono_raw() - t0);
	if (err == paNoError)
		fail("Pa_StartStream succeeded");
	if (Pa_IsStreamStopped(s) != 1 || Pa_IsStreamActive(s) != 0)
		fail("stream not stopped after a failed start");
	Pa_CloseStream(s);
	return failures;
}

/* Pa_IsFormatSupported answers from cached capabilities: no device opened. */
static void format_check_speed(void)
{
	PaDeviceIndex dev = pick_device(0);
	PaStreamParameters p;
	double t0;
	int n = 1000, ok = 0;

	if (dev == paNoDevice)
		return;
	p = params(dev, 0, paFloat32);
	t0 = mono_raw();
	for (int i = 0; i < n; i++)
		ok += Pa_IsFormatSupported(NULL, &p, i % 2 ? 44100 : 48000) == paFormatIsSupported;
	printf("is-format-supported-us %.2f (%d of %d supported)\n", (mono_raw() - t0) * 1e6 / n, ok, n);
}

static int cmd_hostapis(void)
{
	int found = 0;
	double t0 = mono_raw();

	Pa_Terminate();
	Pa_Initialize();
	printf("pa-initialize-ms %.2f\n", (mono_raw() - t0) * 1e3);
	format_check_speed();

	for (int i = 0; i < Pa_GetHostApiCount(); i++) {
		const PaHostApiInfo *h = Pa_GetHostApiInfo(i);

		printf("hostapi %d %s devices %d%s\n", i, h->name, h->deviceCount,
		       i == Pa_GetDefaultHostApi() ? " default" : "");
		found |= !strcmp(h->name, PA_RINGPCM_HOST_API_NAME);
	}
	printf("ringpcm %s\n", found ? "present" : "absent");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = NULL;
	PaError err;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			opt_dev = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			opt_seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "-f") && i + 1 < argc)
			opt_frames = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			opt_rate = atof(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			opt_channels = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			opt_mode = argv[++i];
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			opt_latency = atof(argv[++i]);
		else
			cmd = argv[i];
	}
	if (!cmd) {
		fprintf(stderr, "usage: pa-ringpcm-check [-d DEV] [-s SEC] [-f FRAMES] [-l LATENCY] [-m in|out|duplex] [-r RATE] [-c CHANNELS] "
			"hostapis|timing|zerocopy|xrun-callback|sleep-callback|xrun-blocking|stop|start-fail\n");
		return 2;
	}
	if ((err = Pa_Initialize()) != paNoError)
		die("Pa_Initialize", err);
	if (!strcmp(cmd, "hostapis"))
		rc = cmd_hostapis();
	else if (!strcmp(cmd, "timing"))
		rc = cmd_timing();
	else if (!strcmp(cmd, "zerocopy"))
		rc = cmd_zerocopy();
	else if (!strcmp(cmd, "xrun-callback"))
		rc = cmd_xrun_callback();
	else if (!strcmp(cmd, "sleep-callback"))
		rc = cmd_sleep_callback();
	else if (!strcmp(cmd, "xrun-blocking"))
		rc = cmd_xrun_blocking();
	else if (!strcmp(cmd, "stop"))
		rc = cmd_stop();
	else if (!strcmp(cmd, "start-fail"))
		rc = cmd_start_fail();
	else {
		fprintf(stderr, "pa-ringpcm-check: unknown command %s\n", cmd);
		rc = 2;
	}
	Pa_Terminate();
	if (rc != 2)
		printf("result: %s\n", rc ? "FAIL" : "ok");
	return rc ? 1 : 0;
}
