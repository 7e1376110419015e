// SPDX-License-Identifier: MIT
/*
 * RingPCM host API for PortAudio: registration, device list (from the
 * driver's INFO, read once at Pa_Initialize and cached), format checks, and
 * opening/closing streams (the ring is allocated here, in this process, and
 * attached to the device for zero-copy DMA).
 */
#define _GNU_SOURCE		/* pipe2 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

#include "pa_util.h"
#include "pa_ringpcm_private.h"

PaError PaRingPcm_Initialize(PaUtilHostApiRepresentation **hostApi, PaHostApiIndex index);

#define RP_MAX_NODES	64

/* --- small helpers shared by the backend ------------------------------- */

void rp_debug(const char *fmt, ...)
{
	static int enabled = -1;
	va_list ap;

	if (enabled < 0) {
		const char *e = getenv("RINGPCM_DEBUG");

		enabled = e && *e && strcmp(e, "0");
	}
	if (!enabled)
		return;
	va_start(ap, fmt);
	fputs("pa_ringpcm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The one clock of this host API: the driver's status page timestamps. */
double rp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A negative errno at the PortAudio boundary: PaError plus host error info. */
PaError rp_error(int err)
{
	if (err >= 0)
		return paNoError;
	switch (-err) {
	case ENOMEM:
		return paInsufficientMemory;
	case EBUSY:
	case ENODEV:
	case ENOENT:
	case EACCES:
		PaUtil_SetLastHostErrorInfo(paRingPcm, -err, strerror(-err));
		return paDeviceUnavailable;
	case ETIMEDOUT:
		return paTimedOut;
	default:
		PaUtil_SetLastHostErrorInfo(paRingPcm, -err, strerror(-err));
		return paUnanticipatedHostError;
	}
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

/* --- device list --------------------------------------------------------- */

struct rp_node {
	unsigned int card, device;
	int dir;
	char name[32];
};

static int node_cmp(const void *a, const void *b)
{
	const struct rp_node *x = a, *y = b;

	if (x->card != y->card)
		return x->card < y->card ? -1 : 1;
	if (x->device != y->device)
		return x->device < y->device ? -1 : 1;
	return x->dir - y->dir;
}

/* /dev/ringpcmC<card>D<device>{p,c}; RINGPCM_PA_DEVDIR replaces /dev (tests). */
static int scan_nodes(const char *dir, struct rp_node *nodes, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		struct rp_node *nd = &nodes[n];
		char kind, extra;

		if (sscanf(e->d_name, "ringpcmC%uD%u%c%c", &nd->card, &nd->device, &kind, &extra) != 3)
			continue;
		if ((kind != 'p' && kind != 'c') || strlen(e->d_name) >= sizeof(nd->name))
			continue;
		nd->dir = kind == 'p' ? RP_OUT : RP_IN;
		memcpy(nd->name, e->d_name, strlen(e->d_name) + 1);
		n++;
	}
	closedir(d);
	qsort(nodes, n, sizeof(*nodes), node_cmp);
	return n;
}

static PaSampleFormat host_format(const struct ringpcm_info *info)
{
	if (info->formats & (1u << RINGPCM_FORMAT_S16_LE))
		return paInt16;
	if (info->formats & (1u << RINGPCM_FORMAT_S32_LE))
		return paInt32;
	return 0;
}

static unsigned int host_channels(const struct ringpcm_info *info, int channels)
{
	return (unsigned int)channels < info->channels_min ? info->channels_min : (unsigned int)channels;
}

/* The driver's limits for one direction, at a given channel count. */
static struct rp_limits limits_of(const struct ringpcm_info *info, unsigned int channels)
{
	uint32_t fb = channels * Pa_GetSampleSize(host_format(info));
	struct rp_limits l = {
		.present = true,
		.frame_bytes = fb,
		.fifo_frames = (info->fifo_bytes + fb - 1) / fb,
		.period_bytes_min = info->period_bytes_min,
		.period_bytes_max = info->period_bytes_max,
		.period_bytes_step = info->period_bytes_step,
		.periods_min = info->periods_min,
		.periods_max = info->periods_max,
		.buffer_bytes_max = info->buffer_bytes_max,
	};
	return l;
}

static bool has_rate(const struct ringpcm_info *info, double rate)
{
	for (unsigned int i = 0; i < info->n_rates && i < RINGPCM_MAX_RATES; i++)
		if (fabs((double)info->rates[i] - rate) < 1e-3)
			return true;
	return false;
}

/* 48 kHz when every direction has it, else 44.1 kHz, else the highest common rate. */
static double pick_default_rate(const struct rp_device *dev)
{
	static const double preferred[] = { 48000.0, 44100.0 };
	const struct ringpcm_info *ref = &dev->info[dev->has[RP_OUT] ? RP_OUT : RP_IN];

	for (unsigned int i = 0; i < 2; i++)
		if ((!dev->has[RP_OUT] || has_rate(&dev->info[RP_OUT], preferred[i])) &&
		    (!dev->has[RP_IN] || has_rate(&dev->info[RP_IN], preferred[i])))
			return preferred[i];
	for (int i = (int)ref->n_rates - 1; i >= 0; i--) {
		double r = ref->rates[i];

		if ((!dev->has[RP_OUT] || has_rate(&dev->info[RP_OUT], r)) &&
		    (!dev->has[RP_IN] || has_rate(&dev->info[RP_IN], r)))
			return r;
	}
	return ref->n_rates ? ref->rates[0] : 48000.0;
}

/*
 * INFO of one node, or a negative errno (gone, wrong ABI version).  Opened
 * as an observer, so that a stream another program is driving is still
 * listed (and never disturbed); drivers before ABI 1.1 have no observers.
 */
static int query_node(const char *path, struct ringpcm_info *info)
{
	struct rpcm *pcm;
	int err = rpcm_open_path(&pcm, path, O_NONBLOCK | RPCM_OPEN_OBSERVE);

	if (err == -EPERM || err == -EACCES || err == -EINVAL)
		err = rpcm_open_path(&pcm, path, O_NONBLOCK);
	if (err < 0)
		return err;
	*info = *rpcm_info(pcm);
	rpcm_close(pcm);
	if (!host_format(info) || !info->n_rates || !info->channels_max)
		return -EINVAL;
	return 0;
}

static char *group_strdup(PaUtilAllocationGroup *g, const char *s)
{
	char *p = PaUtil_GroupAllocateMemory(g, (long)strlen(s) + 1);

	if (p)
		strcpy(p, s);
	return p;
}

static void fill_device_info(struct rp_device *dev, PaHostApiIndex index)
{
	PaDeviceInfo *b = &dev->base;

	b->structVersion = 2;
	b->hostApi = index;
	dev->default_rate = pick_default_rate(dev);
	b->defaultSampleRate = dev->default_rate;
	for (int d = 0; d < 2; d++) {
		const struct ringpcm_info *info = &dev->info[d];
		unsigned int ch = host_channels(info, info->channels_max < 2 ? info->channels_max : 2);
		struct rp_limits l = limits_of(info, ch);
		double low = 0, high = 0;

		if (!dev->has[d])
			continue;
		rp_default_latencies(&l, d == RP_IN, dev->default_rate, &low, &high);
		if (d == RP_IN) {
			b->maxInputChannels = (int)info->channels_max;
			b->defaultLowInputLatency = low;
			b->defaultHighInputLatency = high;
		} else {
			b->maxOutputChannels = (int)info->channels_max;
			b->defaultLowOutputLatency = low;
			b->defaultHighOutputLatency = high;
		}
	}
}

/* "Intel ICH6 HDA: QEMU hda-duplex (ringpcmC0D0)", like ALSA's "card: pcm (hw:0,0)". */
static int name_device(struct rp_hostapi *api, struct rp_device *dev)
{
	const struct ringpcm_info *info = &dev->info[dev->has[RP_OUT] ? RP_OUT : RP_IN];
	char name[128];

	snprintf(name, sizeof(name), "%.32s: %.32s (ringpcmC%uD%u)",
		 info->card, info->codec, dev->card, dev->device);
	dev->base.name = group_strdup(api->alloc, name);
	return dev->base.name ? 0 : -ENOMEM;
}

/* Add the node to the device list; consecutive nodes of one pair share a device. */
static int add_node(struct rp_hostapi *api, const char *dir, const struct rp_node *nd,
		    struct rp_device **cur)
{
	char path[512];
	struct ringpcm_info info;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, nd->name);
	err = query_node(path, &info);
	if (err < 0) {
		rp_debug("%s: skipped (%s)", path, strerror(-err));
		return 0;
	}
	if (!*cur || (*cur)->card != nd->card || (*cur)->device != nd->device) {
		*cur = &api->devices[api->n_devices++];
		(*cur)->card = nd->card;
		(*cur)->device = nd->device;
	}
	(*cur)->has[nd->dir] = true;
	(*cur)->info[nd->dir] = info;
	(*cur)->path[nd->dir] = group_strdup(api->alloc, path);
	return (*cur)->path[nd->dir] ? 0 : -ENOMEM;
}

static int build_device_list(struct rp_hostapi *api, PaHostApiIndex index)
{
	const char *dir = env_or("RINGPCM_PA_DEVDIR", "/dev");
	struct rp_node nodes[RP_MAX_NODES];
	struct rp_device *cur = NULL;
	int n = scan_nodes(dir, nodes, RP_MAX_NODES), err;

	if (!n)
		return 0;
	api->devices = PaUtil_GroupAllocateMemory(api->alloc, (long)sizeof(*api->devices) * n);
	api->base.deviceInfos = PaUtil_GroupAllocateMemory(api->alloc, (long)sizeof(PaDeviceInfo *) * n);
	if (!api->devices || !api->base.deviceInfos)
		return -ENOMEM;
	memset(api->devices, 0, sizeof(*api->devices) * n);
	for (int i = 0; i < n; i++) {
		err = add_node(api, dir, &nodes[i], &cur);
		if (err < 0)
			return err;
	}
	for (int i = 0; i < api->n_devices; i++) {
		struct rp_device *dev = &api->devices[i];

		fill_device_info(dev, index);
		err = name_device(api, dev);
		if (err < 0)
			return err;
		api->base.deviceInfos[i] = &dev->base;
		if (dev->has[RP_IN] && api->base.info.defaultInputDevice == paNoDevice)
			api->base.info.defaultInputDevice = i;
		if (dev->has[RP_OUT] && api->base.info.defaultOutputDevice == paNoDevice)
			api->base.info.defaultOutputDevice = i;
	}
	api->base.info.deviceCount = api->n_devices;
	return api->n_devices;
}

/* --- registration -------------------------------------------------------- */

static void Terminate(PaUtilHostApiRepresentation *hostApi);
static PaError IsFormatSupported(PaUtilHostApiRepresentation *hostApi,
				 const PaStreamParameters *in, const PaStreamParameters *out,
				 double rate);
static PaError OpenStream(PaUtilHostApiRepresentation *hostApi, PaStream **s,
			  const PaStreamParameters *in, const PaStreamParameters *out,
			  double rate, unsigned long frames, PaStreamFlags flags,
			  PaStreamCallback *callback, void *userData);
static PaError CloseStream(PaStream *s);

static void free_hostapi(struct rp_hostapi *api)
{
	if (!api)
		return;
	if (api->alloc) {
		PaUtil_FreeAllAllocations(api->alloc);
		PaUtil_DestroyAllocationGroup(api->alloc);
	}
	PaUtil_FreeMemory(api);
}

static void init_interfaces(struct rp_hostapi *api)
{
	api->base.Terminate = Terminate;
	api->base.OpenStream = OpenStream;
	api->base.IsFormatSupported = IsFormatSupported;
	PaUtil_InitializeStreamInterface(&api->callback_if, CloseStream, rp_start, rp_stop,
					 rp_abort, rp_is_stopped, rp_is_active, rp_stream_time,
					 rp_cpu_load, PaUtil_DummyRead, PaUtil_DummyWrite,
					 PaUtil_DummyGetReadAvailable, PaUtil_DummyGetWriteAvailable);
	PaUtil_InitializeStreamInterface(&api->blocking_if, CloseStream, rp_start, rp_stop,
					 rp_abort, rp_is_stopped, rp_is_active, rp_stream_time,
					 PaUtil_DummyGetCpuLoad, rp_read, rp_write,
					 rp_read_available, rp_write_available);
}

/*
 * Entry point listed first in paHostApiInitializers.  Without any
 * /dev/ringpcm* node (or with RINGPCM_PA_DISABLE set) the host API is simply
 * absent: *hostApi = NULL and paNoError, as PortAudio expects.
 */
PaError PaRingPcm_Initialize(PaUtilHostApiRepresentation **hostApi, PaHostApiIndex index)
{
	struct rp_hostapi *api;
	int n;

	*hostApi = NULL;
	if (strcmp(env_or("RINGPCM_PA_DISABLE", "0"), "0"))
		return paNoError;
	api = PaUtil_AllocateMemory(sizeof(*api));
	if (!api)
		return paInsufficientMemory;
	memset(api, 0, sizeof(*api));
	api->alloc = PaUtil_CreateAllocationGroup();
	if (!api->alloc) {
		free_hostapi(api);
		return paInsufficientMemory;
	}
	api->base.info.structVersion = 1;
	api->base.info.type = paRingPcm;
	api->base.info.name = PA_RINGPCM_HOST_API_NAME;
	api->base.info.defaultInputDevice = paNoDevice;
	api->base.info.defaultOutputDevice = paNoDevice;
	n = build_device_list(api, index);
	if (n <= 0) {
		free_hostapi(api);
		rp_debug("no usable device: host API absent");
		return n == -ENOMEM ? paInsufficientMemory : paNoError;
	}
	init_interfaces(api);
	*hostApi = &api->base;
	rp_debug("%d device(s)", n);
	return paNoError;
}

static void Terminate(PaUtilHostApiRepresentation *hostApi)
{
	free_hostapi((struct rp_hostapi *)hostApi);
}

/* --- parameter checks (cached INFO only: no device is opened) ----------- */

struct rp_side {
	const PaStreamParameters *par;
	const struct rp_device *dev;
	const PaRingPcmStreamInfo *ext;
	unsigned int channels;		/* on the device */
};

static PaError check_ext(const PaStreamParameters *p, const PaRingPcmStreamInfo **ext)
{
	const PaRingPcmStreamInfo *e = p->hostApiSpecificStreamInfo;

	*ext = NULL;
	if (!e)
		return paNoError;
	if (e->size < sizeof(*e) || e->hostApiType != paRingPcm || e->version != 1)
		return paIncompatibleHostApiSpecificStreamInfo;
	if (e->ringPlacement > paRingPcmRingHugePages || e->dmaMode > paRingPcmDmaCopy ||
	    e->numPeriods < 0 || e->numPeriods == 1)
		return paIncompatibleHostApiSpecificStreamInfo;
	*ext = e;
	return paNoError;
}

static PaError check_side(struct rp_hostapi *api, const PaStreamParameters *p, int d,
			  double rate, struct rp_side *side)
{
	const struct ringpcm_info *info;
	PaError err;

	memset(side, 0, sizeof(*side));
	if (!p)
		return paNoError;
	if (p->device == paUseHostApiSpecificDeviceSpecification)
		return paInvalidDevice;
	if (p->device < 0 || p->device >= api->n_devices)
		return paInvalidDevice;
	side->dev = &api->devices[p->device];
	if (!side->dev->has[d])
		return paInvalidChannelCount;
	info = &side->dev->info[d];
	if (p->channelCount < 1 || (unsigned int)p->channelCount > info->channels_max)
		return paInvalidChannelCount;
	if (p->sampleFormat & paCustomFormat)
		return paSampleFormatNotSupported;
	err = check_ext(p, &side->ext);
	if (err != paNoError)
		return err;
	if (!has_rate(info, rate))
		return paInvalidSampleRate;
	side->par = p;
	side->channels = host_channels(info, p->channelCount);
	return paNoError;
}

static int ext_periods(const struct rp_side s[2])
{
	for (int d = 0; d < 2; d++)
		if (s[d].ext && s[d].ext->numPeriods)
			return s[d].ext->numPeriods;
	return atoi(env_or("RINGPCM_PA_PERIODS", "0"));
}

static unsigned long ext_period_frames(const struct rp_side s[2])
{
	for (int d = 0; d < 2; d++)
		if (s[d].ext && s[d].ext->framesPerPeriod)
			return s[d].ext->framesPerPeriod;
	return 0;
}

static PaError make_plan(const struct rp_side s[2], double rate, unsigned long frames,
			 struct rp_plan *plan)
{
	struct rp_limits lim[2] = { { 0 }, { 0 } };
	struct rp_request req = {
		.rate = rate,
		.user_frames = frames,
		.periods = ext_periods(s),
		.period_frames = ext_period_frames(s),
	};

	for (int d = 0; d < 2; d++) {
		if (!s[d].par)
			continue;
		lim[d] = limits_of(&s[d].dev->info[d], s[d].channels);
		req.latency[d] = s[d].par->suggestedLatency;
	}
	if (rp_plan_buffers(&req, lim, plan) < 0)
		return s[0].par && s[1].par ? paBadIODeviceCombination : paInvalidSampleRate;
	return paNoError;
}

static PaError check_params(struct rp_hostapi *api, const PaStreamParameters *in,
			    const PaStreamParameters *out, double rate, unsigned long frames,
			    struct rp_side s[2], struct rp_plan *plan)
{
	PaError err = check_side(api, in, RP_IN, rate, &s[RP_IN]);

	if (err == paNoError)
		err = check_side(api, out, RP_OUT, rate, &s[RP_OUT]);
	if (err == paNoError)
		err = make_plan(s, rate, frames, plan);
	return err;
}

static PaError IsFormatSupported(PaUtilHostApiRepresentation *hostApi,
				 const PaStreamParameters *in, const PaStreamParameters *out,
				 double rate)
{
	struct rp_side s[2];
	struct rp_plan plan;
	PaError err = check_params((struct rp_hostapi *)hostApi, in, out, rate, 0, s, &plan);

	return err == paNoError ? paFormatIsSupported : err;
}

/* --- open / close -------------------------------------------------------- */

static enum rpcm_ring_kind ring_kind(const struct rp_side *s, PaRingPcmRingPlacement *placement)
{
	const char *env = env_or("RINGPCM_PA_RING", "anon");

	*placement = s->ext ? s->ext->ringPlacement : paRingPcmRingDefault;
	if (*placement == paRingPcmRingDefault)
		*placement = !strcmp(env, "memfd") ? paRingPcmRingMemfd
			   : !strcmp(env, "huge") ? paRingPcmRingHugePages : paRingPcmRingAnonymous;
	return *placement == paRingPcmRingMemfd ? RPCM_RING_MEMFD
	     : *placement == paRingPcmRingHugePages ? RPCM_RING_HUGE : RPCM_RING_ANON;
}

static uint32_t dma_mode(const struct rp_side *s)
{
	const char *env = env_or("RINGPCM_PA_DMA", "auto");

	if (s->ext && s->ext->dmaMode == paRingPcmDmaMapOnce)
		return RINGPCM_DMA_MAP_ONCE;
	if (s->ext && s->ext->dmaMode == paRingPcmDmaCopy)
		return RINGPCM_DMA_COPY;
	return !strcmp(env, "map") ? RINGPCM_DMA_MAP_ONCE
	     : !strcmp(env, "copy") ? RINGPCM_DMA_COPY : RINGPCM_DMA_AUTO;
}

/* Open one node, set its parameters, allocate the ring here and attach it. */
static int open_dir(struct rp_stream *st, int d, const struct rp_side *s,
		    const struct rp_plan *plan)
{
	struct rp_dir *dir = &st->dir[d];
	enum rpcm_ring_kind kind = ring_kind(s, &dir->placement);
	struct ringpcm_hw_params hw = { 0 };
	int err;

	dir->card = (int)s->dev->card;
	dir->device = (int)s->dev->device;
	dir->user_channels = (unsigned int)s->par->channelCount;
	dir->host_channels = s->channels;
	dir->host_format = host_format(&s->dev->info[d]);
	dir->sample_bytes = (unsigned int)Pa_GetSampleSize(dir->host_format);
	dir->frame_bytes = dir->sample_bytes * dir->host_channels;
	dir->period = plan->period;
	dir->periods = plan->periods[d];
	dir->buffer = dir->period * dir->periods;
	dir->fifo = (s->dev->info[d].fifo_bytes + dir->frame_bytes - 1) / dir->frame_bytes;
	hw.format = dir->host_format == paInt16 ? RINGPCM_FORMAT_S16_LE : RINGPCM_FORMAT_S32_LE;
	hw.rate = (uint32_t)st->rate;
	hw.channels = dir->host_channels;
	hw.period_frames = dir->period;
	hw.periods = dir->periods;
	hw.dma_mode = dma_mode(s);
	err = rpcm_open_path(&dir->pcm, s->dev->path[d], 0);
	if (err < 0)
		return err;
	err = rpcm_set_params(dir->pcm, &hw);
	if (err == 0)
		err = rpcm_alloc_ring(dir->pcm, kind);
	if (err == -ENOMEM && kind != RPCM_RING_ANON && !(s->ext && s->ext->ringPlacement)) {
		rp_debug("ring placement %d unavailable, using anonymous memory", kind);
		dir->placement = paRingPcmRingAnonymous;
		err = rpcm_alloc_ring(dir->pcm, RPCM_RING_ANON);
	}
	if (err == 0)
		err = rpcm_set_avail_min(dir->pcm, dir->period);
	if (err < 0)
		return err;
	dir->ring = rpcm_ring(dir->pcm);
	rp_debug("%s: %u Hz, %u ch, period %u x %u, ring %p (%s, %u segments)",
		 s->dev->path[d], hw.rate, hw.channels, dir->period, dir->periods,
		 (void *)dir->ring, rpcm_dma_mode_name(rpcm_ring_info(dir->pcm)->dma_mode),
		 rpcm_ring_info(dir->pcm)->segments);
	return 0;
}

/*
 * PortAudio 19.6 leaves the dithering converters from a wider host format to
 * 8-bit samples unimplemented ("IMPLEMENT ME" in pa_converters.c: nothing is
 * written), so 8-bit input with dither on would hand the callback garbage.
 * Those conversions are done without dither (truncation, which works).
 */
static PaStreamFlags working_dither(const PaStreamParameters *in, PaStreamFlags flags)
{
	PaSampleFormat f = in ? in->sampleFormat & ~paNonInterleaved : 0;

	if (f == paInt8 || f == paUInt8)
		return flags | paDitherOff;
	return flags;
}

static PaError init_processing(struct rp_stream *st, const struct rp_side s[2],
			       const struct rp_plan *plan, unsigned long frames,
			       PaStreamFlags flags, PaStreamCallback *cb, void *user)
{
	const PaStreamParameters *in = s[RP_IN].par, *out = s[RP_OUT].par;
	PaError err;

	flags = working_dither(in, flags);

	PaUtil_InitializeCpuLoadMeasurer(&st->cpu, st->rate);
	err = PaUtil_InitializeBufferProcessor(&st->bp,
		in ? in->channelCount : 0, in ? in->sampleFormat : paInt16,
		st->dir[RP_IN].host_format ? st->dir[RP_IN].host_format : paInt16,
		out ? out->channelCount : 0, out ? out->sampleFormat : paInt16,
		st->dir[RP_OUT].host_format ? st->dir[RP_OUT].host_format : paInt16,
		st->rate, flags, frames, plan->period,
		plan->fixed ? paUtilFixedHostBufferSize : paUtilBoundedHostBufferSize, cb, user);
	if (err != paNoError)
		return err;
	st->bp_ready = true;
	st->rep.streamInfo.sampleRate = st->rate;
	if (in)
		st->rep.streamInfo.inputLatency = plan->latency[RP_IN] +
			PaUtil_GetBufferProcessorInputLatencyFrames(&st->bp) / st->rate;
	if (out)
		st->rep.streamInfo.outputLatency = plan->latency[RP_OUT] +
			PaUtil_GetBufferProcessorOutputLatencyFrames(&st->bp) / st->rate;
	return paNoError;
}

static void free_stream(struct rp_stream *st)
{
	if (!st)
		return;
	for (int d = 0; d < 2; d++)
		rpcm_close(st->dir[d].pcm);
	if (st->bp_ready)
		PaUtil_TerminateBufferProcessor(&st->bp);
	PaUtil_TerminateStreamRepresentation(&st->rep);
	if (st->wake[0] >= 0)
		close(st->wake[0]);
	if (st->wake[1] >= 0)
		close(st->wake[1]);
	PaUtil_FreeMemory(st);
}

static struct rp_stream *alloc_stream(struct rp_hostapi *api, PaStreamCallback *cb, void *user)
{
	struct rp_stream *st = PaUtil_AllocateMemory(sizeof(*st));

	if (!st)
		return NULL;
	memset(st, 0, sizeof(*st));
	st->wake[0] = st->wake[1] = -1;
	st->api = api;
	st->callback_mode = cb != NULL;
	PaUtil_InitializeStreamRepresentation(&st->rep, cb ? &api->callback_if : &api->blocking_if,
					      cb, user);
	atomic_store(&st->stopped, true);
	if (pipe2(st->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free_stream(st);
		return NULL;
	}
	return st;
}

static void init_rt(struct rp_stream *st)
{
	const char *rt = env_or("RINGPCM_PA_RT", "0");

	st->rt_priority = atoi(rt) > 1 ? atoi(rt) : 50;
	st->rt = strcmp(rt, "0") != 0;
}

static PaError OpenStream(PaUtilHostApiRepresentation *hostApi, PaStream **s,
			  const PaStreamParameters *in, const PaStreamParameters *out,
			  double rate, unsigned long frames, PaStreamFlags flags,
			  PaStreamCallback *callback, void *userData)
{
	struct rp_hostapi *api = (struct rp_hostapi *)hostApi;
	struct rp_side side[2];
	struct rp_plan plan;
	struct rp_stream *st;
	PaError err = check_params(api, in, out, rate, frames, side, &plan);

	if (err != paNoError)
		return err;
	if (flags & paPlatformSpecificFlags)
		return paInvalidFlag;
	st = alloc_stream(api, callback, userData);
	if (!st)
		return paInsufficientMemory;
	st->rate = rate;
	st->flags = flags;
	init_rt(st);
	for (int d = 0; d < 2 && err == paNoError; d++) {
		st->has[d] = side[d].par != NULL;
		if (st->has[d])
			err = rp_error(open_dir(st, d, &side[d], &plan));
	}
	if (err == paNoError)
		err = init_processing(st, side, &plan, frames, flags, callback, userData);
	if (err != paNoError) {
		free_stream(st);
		return err;
	}
	*s = (PaStream *)st;
	return paNoError;
}

/* PortAudio has stopped or aborted the stream before calling this. */
static PaError CloseStream(PaStream *s)
{
	free_stream((struct rp_stream *)s);
	return paNoError;
}

/* --- public extension (pa_linux_ringpcm.h) -------------------------------- */

void PaRingPcm_InitializeStreamInfo(PaRingPcmStreamInfo *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->hostApiType = paRingPcm;
	info->version = 1;
}

PaHostApiIndex PaRingPcm_GetHostApiIndex(void)
{
	PaHostApiIndex n = Pa_GetHostApiCount();

	for (PaHostApiIndex i = 0; i < n; i++) {
		const PaHostApiInfo *info = Pa_GetHostApiInfo(i);

		if (info && info->type == paRingPcm && !strcmp(info->name, PA_RINGPCM_HOST_API_NAME))
			return i;
	}
	return n < 0 ? n : paHostApiNotFound;
}

static PaError our_stream(PaStream *s, struct rp_stream **out)
{
	PaUtilHostApiRepresentation *rep;
	struct rp_hostapi *api;
	PaError err = PaUtil_ValidateStreamPointer(s);

	if (err == paNoError)
		err = PaUtil_GetHostApiRepresentation(&rep, paRingPcm);
	if (err != paNoError)
		return err;
	api = (struct rp_hostapi *)rep;
	*out = (struct rp_stream *)s;
	if ((*out)->rep.streamInterface != &api->callback_if &&
	    (*out)->rep.streamInterface != &api->blocking_if)
		return paIncompatibleStreamHostApi;
	return paNoError;
}

PaError PaRingPcm_EnableRealtimeScheduling(PaStream *s, int enable)
{
	struct rp_stream *st;
	PaError err = our_stream(s, &st);

	if (err == paNoError)
		st->rt = enable != 0;
	return err;
}

PaError PaRingPcm_GetStreamRingInfo(PaStream *s, int input, PaRingPcmRingInfo *info)
{
	struct rp_stream *st;
	const struct rp_dir *dir;
	const struct ringpcm_ring *ring;
	struct ringpcm_status status;
	PaError err = our_stream(s, &st);

	if (err != paNoError)
		return err;
	if (!info || info->size < sizeof(*info))
		return paBadBufferPtr;
	if (!st->has[input ? RP_IN : RP_OUT])
		return paBadIODeviceCombination;
	dir = &st->dir[input ? RP_IN : RP_OUT];
	ring = rpcm_ring_info(dir->pcm);
	rpcm_status(dir->pcm, &status);
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->card = dir->card;
	info->device = dir->device;
	info->ring = dir->ring;
	info->ringBytes = (unsigned long)dir->buffer * dir->frame_bytes;
	info->placement = dir->placement;
	info->dmaMode = ring->dma_mode == RINGPCM_DMA_COPY ? paRingPcmDmaCopy : paRingPcmDmaMapOnce;
	info->dmaSegments = ring->segments;
	info->bdlEntries = ring->bdl_entries;
	info->framesPerPeriod = dir->period;
	info->periods = dir->periods;
	info->hostChannels = (int)dir->host_channels;
	info->hostSampleFormat = dir->host_format;
	info->xruns = (unsigned long)status.xruns;
	return paNoError;
}
