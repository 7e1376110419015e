// SPDX-License-Identifier: GPL-2.0
/* Shared by ringpcm-play and ringpcm-record: options, setup with clear errors, reports. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "example-util.h"

volatile sig_atomic_t ex_stop;

static void on_signal(int sig)
{
	ex_stop = sig;
}

void ex_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocked poll() returns EINTR and the loop sees ex_stop */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void ex_defaults(struct ex_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->period_frames = 1024;
	o->periods = 4;
	o->ring = RPCM_RING_ANON;
	o->dma_mode = RINGPCM_DMA_AUTO;
}

static bool parse_uint(const char *arg, unsigned int *v)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 0);

	if (!*arg || *end || n > UINT32_MAX)
		return false;
	*v = (unsigned int)n;
	return true;
}

static bool parse_ring(const char *arg, enum rpcm_ring_kind *kind)
{
	static const char *const names[] = { "anon", "memfd", "huge" };

	for (unsigned int i = 0; i < 3; i++)
		if (!strcmp(arg, names[i])) {
			*kind = (enum rpcm_ring_kind)i;
			return true;
		}
	return false;
}

static bool parse_dma(const char *arg, uint32_t *mode)
{
	if (!strcmp(arg, "auto"))
		*mode = RINGPCM_DMA_AUTO;
	else if (!strcmp(arg, "map-once"))
		*mode = RINGPCM_DMA_MAP_ONCE;
	else if (!strcmp(arg, "copy"))
		*mode = RINGPCM_DMA_COPY;
	else
		return false;
	return true;
}

bool ex_parse_common(struct ex_opts *o, int c, const char *arg, const char *prog)
{
	bool ok = true;

	switch (c) {
	case 'c': ok = parse_uint(arg, &o->card); break;
	case 'd': ok = parse_uint(arg, &o->device); break;
	case 'p': ok = parse_uint(arg, &o->period_frames) && o->period_frames; break;
	case 'n': ok = parse_uint(arg, &o->periods) && o->periods; break;
	case 'r': ok = parse_ring(arg, &o->ring); break;
	case 'D': ok = parse_dma(arg, &o->dma_mode); break;
	case 'm': o->mmap = true; break;
	case 'q': o->quiet = true; break;
	default: return false;
	}
	if (!ok) {
		fprintf(stderr, "%s: bad value '%s' for -%c\n", prog, arg, c);
		exit(EX_USAGE);
	}
	return true;
}

static bool rate_ok(const struct ringpcm_info *in, uint32_t rate)
{
	for (uint32_t i = 0; i < in->n_rates && i < RINGPCM_MAX_RATES; i++)
		if (in->rates[i] == rate)
			return true;
	return false;
}

static bool caps_ok(const char *prog, const struct ringpcm_info *in, uint32_t rate,
		    uint32_t channels)
{
	if (!(in->formats & (1u << RINGPCM_FORMAT_S16_LE))) {
		fprintf(stderr, "%s: the device does not take 16-bit samples\n", prog);
		return false;
	}
	if (!rate_ok(in, rate)) {
		fprintf(stderr, "%s: the device does not run at %u Hz; it supports", prog, rate);
		for (uint32_t i = 0; i < in->n_rates && i < RINGPCM_MAX_RATES; i++)
			fprintf(stderr, " %u", in->rates[i]);
		fprintf(stderr, " Hz (resample first, e.g. sox IN -r 48000 OUT)\n");
		return false;
	}
	if (channels < in->channels_min || channels > in->channels_max) {
		fprintf(stderr, "%s: the device takes %u..%u channels, not %u\n", prog,
			in->channels_min, in->channels_max, channels);
		return false;
	}
	return true;
}

static void explain_params(const char *prog, const struct ringpcm_info *in,
			   const struct ex_opts *o, uint32_t frame_bytes, int err)
{
	uint64_t period_bytes = (uint64_t)o->period_frames * frame_bytes;

	fprintf(stderr, "%s: parameters refused (%s): %u periods of %u frames = %llu-byte "
		"periods; the device takes %u..%u periods of %u..%u bytes in steps of %u, "
		"at most %llu bytes in all\n", prog, strerror(-err), o->periods,
		o->period_frames, (unsigned long long)period_bytes, in->periods_min,
		in->periods_max, in->period_bytes_min, in->period_bytes_max,
		in->period_bytes_step, (unsigned long long)in->buffer_bytes_max);
}

static const char *ring_name(enum rpcm_ring_kind k)
{
	return k == RPCM_RING_MEMFD ? "memfd" : k == RPCM_RING_HUGE ? "huge" : "anon";
}

static int setup_stream(const char *prog, struct rpcm *pcm, const struct ex_opts *o,
			uint32_t rate, uint32_t channels)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = rate, .channels = channels,
		.period_frames = o->period_frames, .periods = o->periods,
		.dma_mode = o->dma_mode,
	};
	int err = rpcm_set_params(pcm, &p);

	if (err) {
		explain_params(prog, rpcm_info(pcm), o, channels * 2, err);
		return err;
	}
	err = rpcm_alloc_ring(pcm, o->ring);
	if (err) {
		fprintf(stderr, "%s: cannot set up a %s ring: %s\n", prog, ring_name(o->ring),
			*rpcm_last_error(pcm) ? rpcm_last_error(pcm) : strerror(-err));
		return err;
	}
	err = rpcm_prepare(pcm);
	if (err)
		fprintf(stderr, "%s: prepare: %s\n", prog, strerror(-err));
	return err;
}

static void print_setup(const char *prog, struct rpcm *pcm, const struct ex_opts *o)
{
	const struct ringpcm_hw_params *p = rpcm_params(pcm);
	const struct ringpcm_ring *r = rpcm_ring_info(pcm);

	fprintf(stderr, "%s: %s, %u Hz, %u ch, %u x %u frames; %s ring at %p, %s, "
		"%u DMA segments, %u BDL entries; %s\n", prog, rpcm_info(pcm)->card, p->rate,
		p->channels, p->periods, p->period_frames, ring_name(o->ring), rpcm_ring(pcm),
		rpcm_dma_mode_name(r->dma_mode), r->segments, r->bdl_entries,
		o->mmap ? "zero-copy (mmap)" : "copying (read/write)");
}

struct rpcm *ex_setup(const char *prog, const struct ex_opts *o, enum ringpcm_direction dir,
		      uint32_t rate, uint32_t channels)
{
	struct rpcm *pcm;
	int err = rpcm_open(&pcm, o->card, o->device, dir, O_NONBLOCK);

	if (err) {
		fprintf(stderr, "%s: cannot open /dev/ringpcmC%uD%u%c: %s%s\n", prog, o->card,
			o->device, dir == RINGPCM_DIR_CAPTURE ? 'c' : 'p', strerror(-err),
			err == -ENOENT ? " (is ringpcm.ko loaded? see ringpcm-info)" :
			err == -EBUSY ? " (another process has it open)" : "");
		return NULL;
	}
	/* A mono file on a stereo-only device: the player copies it to both channels. */
	if (dir == RINGPCM_DIR_PLAYBACK && channels == 1 && rpcm_info(pcm)->channels_min == 2)
		channels = 2;
	if (!caps_ok(prog, rpcm_info(pcm), rate, channels) ||
	    setup_stream(prog, pcm, o, rate, channels)) {
		rpcm_close(pcm);
		return NULL;
	}
	if (!o->quiet)
		print_setup(prog, pcm, o);
	return pcm;
}

int ex_wait_ms(const struct rpcm *pcm)
{
	const struct ringpcm_hw_params *p = rpcm_params(pcm);
	int64_t ms = (int64_t)p->period_frames * p->periods * 1000 / p->rate;

	return (int)(ms * 2 + 2000);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The machine slept (SUSPENDED): PREPARE (+ START for capture), timed. */
static int recover_from_sleep(const char *prog, struct rpcm *pcm, struct ex_run *run,
			      const struct ringpcm_status *st, bool quiet)
{
	double t0 = now_ms(), ms;
	int err;

	run->suspends++;
	run->hw_before += st->hw_ptr;
	err = rpcm_recover(pcm, -ESTRPIPE);
	ms = now_ms() - t0;
	if (ms > run->recover_ms_max)
		run->recover_ms_max = ms;
	if (!quiet || err)
		fprintf(stderr, "%s: suspended at hw_ptr %llu (appl_ptr %llu): %s in %.2f ms\n",
			prog, (unsigned long long)st->hw_ptr, (unsigned long long)st->appl_ptr,
			err ? strerror(-err) : "recovered", ms);
	if (!err)
		return 0;
	return err == -ENODEV ? EX_DISCONNECTED : EX_FAIL;
}

int ex_handle_error(const char *prog, struct rpcm *pcm, struct ex_run *run, int err, bool quiet)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	switch (err) {
	case -EINTR:
		return 0;
	case -EPIPE:
		run->xruns++;
		run->hw_before += st.hw_ptr;
		if (!quiet)
			fprintf(stderr, "%s: xrun #%llu at hw_ptr %llu (appl_ptr %llu): recovering\n",
				prog, (unsigned long long)run->xruns,
				(unsigned long long)st.hw_ptr, (unsigned long long)st.appl_ptr);
		err = rpcm_recover(pcm, err);
		if (!err)
			return 0;
		fprintf(stderr, "%s: xrun recovery failed: %s\n", prog, strerror(-err));
		return err == -ENODEV ? EX_DISCONNECTED : EX_FAIL;
	case -ESTRPIPE:
		return recover_from_sleep(prog, pcm, run, &st, quiet);
	case -ENODEV:
		fprintf(stderr, "%s: the device was disconnected (state %s); stopping\n", prog,
			rpcm_state_name(st.state));
		return EX_DISCONNECTED;
	case -ETIMEDOUT:
		fprintf(stderr, "%s: no progress for %d ms (state %s, hw_ptr %llu): the device "
			"is not running\n", prog, ex_wait_ms(pcm), rpcm_state_name(st.state),
			(unsigned long long)st.hw_ptr);
		return EX_FAIL;
	default:
		fprintf(stderr, "%s: %s (state %s)\n", prog, strerror(-err),
			rpcm_state_name(st.state));
		return EX_FAIL;
	}
}

void ex_report(const char *prog, struct rpcm *pcm, const struct ex_run *run)
{
	const struct ringpcm_hw_params *p = rpcm_params(pcm);
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	printf("%s: %llu frames (%.3f s); hw_ptr %llu, appl_ptr %llu (hw total %llu); "
	       "xruns %llu recovered, %llu counted by the driver; %llu periods elapsed, "
	       "%llu irqs; state %s; suspends %llu recovered (max %.2f ms)\n", prog,
	       (unsigned long long)run->frames,
	       p ? (double)run->frames / p->rate : 0.0, (unsigned long long)st.hw_ptr,
	       (unsigned long long)st.appl_ptr,
	       (unsigned long long)(run->hw_before + st.hw_ptr),
	       (unsigned long long)run->xruns, (unsigned long long)st.xruns,
	       (unsigned long long)st.periods_elapsed, (unsigned long long)st.irqs,
	       rpcm_state_name(st.state), (unsigned long long)run->suspends, run->recover_ms_max);
	fflush(stdout);
}
