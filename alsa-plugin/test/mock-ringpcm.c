// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A stand-in for libringpcm that simulates one HD Audio card in the process,
 * so that the ALSA plugins can be run by aplay, arecord, speaker-test and
 * jackd on a host that cannot load the driver.  It follows the ABI's
 * documented state machine (kernel/uapi/ringpcm.h) and the ALSA kernel's
 * poll rules; it is a test double, not a reference for the driver.
 *
 * A thread per stream advances hw_ptr by one period per period time
 * (CLOCK_MONOTONIC), plays the ring into a file or records a file into it,
 * and detects xruns with the same arithmetic as the driver
 * (kernel/ringpcm-math.h).  Readiness is a pipe made full or empty, so the
 * descriptor polls exactly like a level-triggered driver file.
 *
 * Environment:
 *   RINGPCM_MOCK_CARDS=N          cards present (default 1; 0: no device)
 *   RINGPCM_MOCK_PLAYBACK_OUT=F   append played frames (raw) to F
 *   RINGPCM_MOCK_CAPTURE_IN=F     capture frames (raw) from F, then silence;
 *                                 default: a ramp, sample n of channel c is
 *                                 (int16)(n * 2 + c)
 *   RINGPCM_MOCK_DISCONNECT_MS=T  the device disappears T ms after the first start
 *   RINGPCM_MOCK_MIXER=F          mixer state file (shared by processes)
 *   RINGPCM_MOCK_PINS=F           the codec's pins, one a line, edited by the
 *                                 test to plug and unplug:
 *                                 NID KIND PLACE [jack [plugged]] [unrouted]
 *                                 e.g. "0x21 hp front jack plugged"; the
 *                                 capture source is kept in F.source.
 *                                 Unset: PINS answers -ENOTTY (a 1.3 driver)
 *   RINGPCM_MOCK_STATS=F          append one line of counters per closed stream
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ringpcm.h"
#include "ringpcm-math.h"

struct rpcm {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* state changes, for the thread and drain */
	pthread_t thread;
	int quit;
	int pipe[2];			/* readiness */
	int pipe_full;
	bool capture;
	struct ringpcm_info info;
	struct ringpcm_hw_params hp;
	int has_params;
	struct ringpcm_ring ring;
	void *ring_addr;
	struct ringpcm_status st;
	uint64_t base_ns;		/* time of period 0 since start/resume */
	uint64_t base_hw;
	uint64_t first_start_ns;
	FILE *out, *in;
	long disconnect_ms;
	long suspend_ms;		/* RINGPCM_MOCK_SUSPEND_MS: one system sleep */
	bool slept;
	unsigned long commits, starts, prepares, hwsyncs, wakeups;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned int fbytes(const struct rpcm *p)
{
	return p->hp.channels * (p->hp.format == RINGPCM_FORMAT_S32_LE ? 4 : 2);
}

static uint64_t period_ns(const struct rpcm *p)
{
	return (uint64_t)p->hp.period_frames * 1000000000ull / p->hp.rate;
}

/* ---- readiness ------------------------------------------------------------ */

static void set_ready(struct rpcm *p, int ready)
{
	char b[16];
	/* playback polls the write end (ready = empty), capture the read end */
	int want_full = p->capture ? ready : !ready;

	if (want_full && !p->pipe_full) {
		if (write(p->pipe[1], "x", 1) == 1)
			p->pipe_full = 1;
		p->wakeups += ready;
	} else if (!want_full && p->pipe_full) {
		while (read(p->pipe[0], b, sizeof(b)) > 0)
			;
		p->pipe_full = 0;
		p->wakeups += ready;
	}
}

static int64_t avail_locked(const struct rpcm *p)
{
	return ringpcm_avail(p->capture, p->st.hw_ptr, p->st.appl_ptr, p->st.buffer_frames);
}

/* ALSA's rules: ready when avail >= avail_min while streaming; a stopped,
 * broken or gone stream is always "ready" (with an error state). */
static void update_ready(struct rpcm *p)
{
	p->st.seq += 2;		/* a new page, as each update of the driver's seqcount */
	switch (p->st.state) {
	case RINGPCM_STATE_PREPARED:
	case RINGPCM_STATE_RUNNING:
	case RINGPCM_STATE_PAUSED:
		set_ready(p, avail_locked(p) >= (int64_t)(p->st.avail_min ? p->st.avail_min : 1));
		break;
	case RINGPCM_STATE_DRAINING:
		set_ready(p, p->capture);
		break;
	default:
		set_ready(p, 1);
		break;
	}
}

static void set_state(struct rpcm *p, uint32_t state)
{
	p->st.state = state;
	update_ready(p);
	pthread_cond_broadcast(&p->cond);
}

/* ---- the device ------------------------------------------------------------ */

static void play_period(struct rpcm *p)
{
	struct ringpcm_span s;
	unsigned int i, n;

	if (!p->out)
		return;
	n = ringpcm_split(p->st.hw_ptr, p->st.hw_ptr + p->hp.period_frames, fbytes(p),
			  p->st.buffer_frames, &s);
	for (i = 0; i < n; i++)
		fwrite((char *)p->ring_addr + s.offset[i], 1, s.bytes[i], p->out);
	fflush(p->out);
}

static void record_period(struct rpcm *p)
{
	struct ringpcm_span s;
	unsigned int i, n, fb = fbytes(p);
	uint64_t pos = p->st.hw_ptr;

	n = ringpcm_split(pos, pos + p->hp.period_frames, fb, p->st.buffer_frames, &s);
	for (i = 0; i < n; i++) {
		char *dst = (char *)p->ring_addr + s.offset[i];
		size_t got = 0, k;

		if (p->in)
			got = fread(dst, 1, s.bytes[i], p->in);
		if (p->in) {
			memset(dst + got, 0, s.bytes[i] - got);
		} else if (fb == 2 * p->hp.channels) {
			int16_t *d = (int16_t *)dst;

			for (k = 0; k < s.bytes[i] / 2; k++) {
				uint64_t f = pos + k / p->hp.channels;

				d[k] = (int16_t)(f * 2 + k % p->hp.channels);
			}
		} else {
			memset(dst, 0, s.bytes[i]);
		}
		pos += s.bytes[i] / fb;
	}
}

static void one_period(struct rpcm *p)
{
	bool cap = p->capture;

	if (cap)
		record_period(p);
	else
		play_period(p);
	p->st.hw_ptr += p->hp.period_frames;
	p->st.periods_elapsed++;
	p->st.irqs++;
	p->st.tstamp_ns = now_ns();
	if (p->st.state == RINGPCM_STATE_DRAINING && p->st.hw_ptr >= p->st.appl_ptr) {
		set_state(p, RINGPCM_STATE_SETUP);
	} else if (ringpcm_is_xrun(cap, p->st.hw_ptr, p->st.appl_ptr, p->st.buffer_frames)) {
		p->st.xruns++;
		set_state(p, RINGPCM_STATE_XRUN);
	} else {
		update_ready(p);
	}
}

static int streaming(const struct rpcm *p)
{
	return p->st.state == RINGPCM_STATE_RUNNING || p->st.state == RINGPCM_STATE_DRAINING;
}

static void *device_thread(void *arg)
{
	struct rpcm *p = arg;
	struct timespec ts;
	uint64_t next;

	pthread_mutex_lock(&p->lock);
	while (!p->quit) {
		if (!streaming(p)) {
			pthread_cond_wait(&p->cond, &p->lock);
			continue;
		}
		next = p->base_ns + (p->st.hw_ptr - p->base_hw + p->hp.period_frames) /
				    p->hp.period_frames * period_ns(p);
		ts.tv_sec = next / 1000000000ull;
		ts.tv_nsec = next % 1000000000ull;
		if (pthread_cond_timedwait(&p->cond, &p->lock, &ts) != ETIMEDOUT || !streaming(p))
			continue;
		if (p->disconnect_ms > 0 &&
		    now_ns() - p->first_start_ns >= (uint64_t)p->disconnect_ms * 1000000ull) {
			set_state(p, RINGPCM_STATE_DISCONNECTED);
			continue;
		}
		/* A system sleep, as the driver reports it: the engine stops. */
		if (p->suspend_ms > 0 && !p->slept &&
		    now_ns() - p->first_start_ns >= (uint64_t)p->suspend_ms * 1000000ull) {
			p->slept = true;
			set_state(p, RINGPCM_STATE_SUSPENDED);
			continue;
		}
		/* Every period due by now, without letting the application in
		 * between: a device keeps running while the process is stopped. */
		do
			one_period(p);
		while (streaming(p) && p->base_ns + (p->st.hw_ptr - p->base_hw + p->hp.period_frames) /
				       p->hp.period_frames * period_ns(p) <= now_ns());
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* ---- the API ---------------------------------------------------------------- */

static int gone(const struct rpcm *p)
{
	return p->st.state == RINGPCM_STATE_DISCONNECTED;
}

static void fill_info(struct rpcm *p, unsigned int card, unsigned int device)
{
	static const uint32_t rates[] = { 44100, 48000, 96000 };
	struct ringpcm_info *in = &p->info;

	snprintf(in->card, sizeof(in->card), "Mock ICH6 HDA");
	snprintf(in->codec, sizeof(in->codec), "mock hda-duplex");
	in->card_index = card;
	in->device = device;
	in->direction = p->capture;
	in->formats = 1u << RINGPCM_FORMAT_S16_LE;
	memcpy(in->rates, rates, sizeof(rates));
	in->n_rates = 3;
	in->channels_min = in->channels_max = 2;
	in->periods_min = 2;
	in->periods_max = 32;
	in->period_bytes_min = 128;
	in->period_bytes_max = 16u << 20;
	in->period_bytes_step = 128;
	in->buffer_bytes_max = 1u << 30;
	in->max_bdl_entries = 256;
	in->ring_align = 4096;		/* stricter than HDA's 128: proves page alignment */
	in->max_segment = 1u << 20;
	in->dma_mode = RINGPCM_DMA_MAP_ONCE;
	in->fifo_bytes = 256;
}

static int present(unsigned int card)
{
	const char *s = getenv("RINGPCM_MOCK_CARDS");

	return card < (s ? (unsigned int)atoi(s) : 1u);
}

int rpcm_open(struct rpcm **out, unsigned int card, unsigned int device,
	      enum ringpcm_direction dir, int flags)
{
	pthread_condattr_t ca;
	struct rpcm *p;
	const char *s;

	if (!present(card) || device != 0)
		return -ENOENT;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->capture = dir == RINGPCM_DIR_CAPTURE;
	fill_info(p, card, device);
	if (pipe2(p->pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		free(p);
		return -errno;
	}
	fcntl(p->pipe[1], F_SETPIPE_SZ, 4096);	/* one slot: 1 byte makes it full */
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	p->st.state = RINGPCM_STATE_OPEN;
	s = getenv(p->capture ? "RINGPCM_MOCK_CAPTURE_IN" : "RINGPCM_MOCK_PLAYBACK_OUT");
	if (s && *s)
		p->capture ? (p->in = fopen(s, "rb")) : (p->out = fopen(s, "ab"));
	s = getenv("RINGPCM_MOCK_DISCONNECT_MS");
	p->disconnect_ms = s ? atol(s) : 0;
	s = getenv("RINGPCM_MOCK_SUSPEND_MS");
	p->suspend_ms = s ? atol(s) : 0;
	update_ready(p);
	pthread_create(&p->thread, NULL, device_thread, p);
	*out = p;
	return 0;
}

int rpcm_open_path(struct rpcm **out, const char *path, int flags)
{
	return -ENOENT;
}

void rpcm_close(struct rpcm *p)
{
	const char *s = getenv("RINGPCM_MOCK_STATS");
	FILE *f;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	if (s && *s && (f = fopen(s, "a"))) {
		fprintf(f, "%s periods=%llu commits=%lu starts=%lu prepares=%lu hwsyncs=%lu "
			"wakeups=%lu xruns=%llu\n", p->capture ? "capture" : "playback",
			(unsigned long long)p->st.periods_elapsed, p->commits, p->starts,
			p->prepares, p->hwsyncs, p->wakeups, (unsigned long long)p->st.xruns);
		fclose(f);
	}
	if (p->out)
		fclose(p->out);
	if (p->in)
		fclose(p->in);
	close(p->pipe[0]);
	close(p->pipe[1]);
	free(p);
}

int rpcm_fd(const struct rpcm *p)
{
	return p->capture ? p->pipe[0] : p->pipe[1];
}

const struct ringpcm_info *rpcm_info(const struct rpcm *p)
{
	return &p->info;
}

bool rpcm_is_capture(const struct rpcm *p)
{
	return p->capture;
}

const struct ringpcm_ring *rpcm_ring_info(const struct rpcm *p)
{
	return p->ring_addr ? &p->ring : NULL;
}

static int check_params(const struct rpcm *p, const struct ringpcm_hw_params *hp)
{
	const struct ringpcm_info *in = &p->info;
	unsigned int i, pb;

	if (hp->format != RINGPCM_FORMAT_S16_LE || hp->channels < in->channels_min ||
	    hp->channels > in->channels_max || hp->periods < in->periods_min ||
	    hp->periods > in->periods_max)
		return -EINVAL;
	for (i = 0; i < in->n_rates && in->rates[i] != hp->rate; i++)
		;
	if (i == in->n_rates)
		return -EINVAL;
	pb = hp->period_frames * hp->channels * 2;
	if (pb < in->period_bytes_min || pb > in->period_bytes_max || pb % in->period_bytes_step ||
	    (uint64_t)pb * hp->periods > in->buffer_bytes_max)
		return -EINVAL;
	return 0;
}

int rpcm_set_params(struct rpcm *p, const struct ringpcm_hw_params *hp)
{
	int err;

	pthread_mutex_lock(&p->lock);
	if (gone(p))
		err = -ENODEV;
	else
		err = check_params(p, hp);	/* libringpcm drops a running stream first */
	if (!err) {
		p->hp = *hp;
		p->has_params = 1;
		p->ring_addr = NULL;
		memset(&p->ring, 0, sizeof(p->ring));
		p->st.buffer_frames = hp->period_frames * hp->periods;
		p->st.period_frames = hp->period_frames;
		p->st.dma_mode = RINGPCM_DMA_MAP_ONCE;
		p->st.avail_min = hp->period_frames;
		set_state(p, RINGPCM_STATE_SETUP);
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_set_avail_min(struct rpcm *p, uint32_t frames)
{
	pthread_mutex_lock(&p->lock);
	p->st.avail_min = frames;
	update_ready(p);
	pthread_mutex_unlock(&p->lock);
	return gone(p) ? -ENODEV : 0;
}

int rpcm_attach_ring(struct rpcm *p, void *addr, size_t bytes)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (gone(p))
		err = -ENODEV;
	else if (p->st.state != RINGPCM_STATE_SETUP)
		err = -EBADFD;
	else if ((uintptr_t)addr % p->info.ring_align)
		err = -E2BIG;
	else if (bytes != (size_t)p->st.buffer_frames * fbytes(p))
		err = -EINVAL;
	if (!err) {
		p->ring_addr = addr;
		p->ring.addr = (uintptr_t)addr;
		p->ring.bytes = bytes;
		p->ring.dma_mode = RINGPCM_DMA_MAP_ONCE;
		p->ring.segments = (bytes + 4095) / 4096;
		p->ring.bdl_entries = p->ring.segments + p->hp.periods;
		p->ring.flags = RINGPCM_RING_CAN_PAUSE;
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_detach_ring(struct rpcm *p)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (streaming(p) || p->st.state == RINGPCM_STATE_PAUSED)
		err = -EBUSY;
	else if (p->ring_addr) {
		p->ring_addr = NULL;
		memset(&p->ring, 0, sizeof(p->ring));
		if (!gone(p))
			set_state(p, RINGPCM_STATE_SETUP);
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_prepare(struct rpcm *p)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (gone(p))
		err = -ENODEV;
	else if (!p->ring_addr)
		err = -EBADFD;
	else if (streaming(p) || p->st.state == RINGPCM_STATE_PAUSED)
		err = -EBUSY;
	if (!err) {
		p->st.hw_ptr = p->st.appl_ptr = 0;
		p->prepares++;
		set_state(p, RINGPCM_STATE_PREPARED);
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

static void run_from_now(struct rpcm *p)
{
	p->base_ns = now_ns();
	p->base_hw = p->st.hw_ptr;
	if (!p->first_start_ns)
		p->first_start_ns = p->base_ns;
}

int rpcm_start(struct rpcm *p)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (gone(p))
		err = -ENODEV;
	else if (p->st.state == RINGPCM_STATE_SUSPENDED)
		err = -ESTRPIPE;
	else if (p->st.state != RINGPCM_STATE_PREPARED)
		err = -EBADFD;
	else if (!p->capture && p->st.appl_ptr == 0)
		err = -EPIPE;
	if (!err) {
		p->starts++;
		run_from_now(p);
		set_state(p, RINGPCM_STATE_RUNNING);
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_drop(struct rpcm *p)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (gone(p))
		err = -ENODEV;
	else if (p->st.state == RINGPCM_STATE_OPEN)
		err = -EBADFD;
	else
		set_state(p, RINGPCM_STATE_SETUP);
	pthread_mutex_unlock(&p->lock);
	return err;
}

/* Frames of silence still to commit before DRAIN, as libringpcm pads. */
static uint64_t pad_left(const struct rpcm *p, uint64_t pad_end)
{
	return pad_end > p->st.appl_ptr ? pad_end - p->st.appl_ptr : 0;
}

static int wait_until(struct rpcm *p, uint64_t end_ns)
{
	struct timespec ts = { end_ns / 1000000000ull, end_ns % 1000000000ull };

	return pthread_cond_timedwait(&p->cond, &p->lock, &ts) == ETIMEDOUT ? -ETIMEDOUT : 0;
}

/*
 * libringpcm's drain: pad info.fifo_bytes of silence, then to the end of that
 * period; start a prepared stream; DRAIN; wait (timeout 0: -ETIMEDOUT while
 * draining, call again to keep waiting).  Capture: stops.
 */
int rpcm_drain(struct rpcm *p, int timeout_ms)
{
	uint64_t end = now_ns() + (timeout_ms < 0 ? 3600000ull : (uint64_t)timeout_ms) * 1000000ull;
	uint64_t pad_end, n;
	struct ringpcm_span s;
	unsigned int i, k;
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (gone(p) || p->capture || p->st.state == RINGPCM_STATE_SETUP ||
	    p->st.state == RINGPCM_STATE_XRUN) {
		err = gone(p) ? -ENODEV : 0;
		if (!err)
			set_state(p, RINGPCM_STATE_SETUP);
		goto out;
	}
	if (p->st.state == RINGPCM_STATE_PREPARED && !p->st.appl_ptr) {
		set_state(p, RINGPCM_STATE_SETUP);
		goto out;
	}
	if (p->st.state != RINGPCM_STATE_DRAINING) {
		if (p->st.state != RINGPCM_STATE_RUNNING && p->st.state != RINGPCM_STATE_PREPARED) {
			err = -EBADFD;
			goto out;
		}
		pad_end = p->st.appl_ptr + p->info.fifo_bytes / fbytes(p);
		pad_end = (pad_end + p->hp.period_frames - 1) / p->hp.period_frames *
			  p->hp.period_frames;
		while (pad_left(p, pad_end) && !err) {
			n = avail_locked(p);
			if (n > pad_left(p, pad_end))
				n = pad_left(p, pad_end);
			k = ringpcm_split(p->st.appl_ptr, p->st.appl_ptr + n, fbytes(p),
					  p->st.buffer_frames, &s);
			for (i = 0; i < k; i++)
				memset((char *)p->ring_addr + s.offset[i], 0, s.bytes[i]);
			p->st.appl_ptr += n;
			if (!pad_left(p, pad_end))
				break;
			if (p->st.state == RINGPCM_STATE_PREPARED) {
				run_from_now(p);
				set_state(p, RINGPCM_STATE_RUNNING);
			} else if (p->st.state != RINGPCM_STATE_RUNNING) {
				err = p->st.state == RINGPCM_STATE_XRUN ? 0 : -EBADFD;
				goto out;
			} else {
				err = wait_until(p, end);
			}
		}
		if (err)
			goto out;
		if (p->st.state == RINGPCM_STATE_PREPARED)
			run_from_now(p);
		set_state(p, RINGPCM_STATE_DRAINING);
	}
	while (p->st.state == RINGPCM_STATE_DRAINING && !err)
		err = wait_until(p, end);
	if (p->st.state != RINGPCM_STATE_DRAINING)
		err = gone(p) ? -ENODEV : 0;
out:
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_pause(struct rpcm *p, bool pause)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (gone(p))
		err = -ENODEV;
	else if (pause && p->st.state == RINGPCM_STATE_RUNNING)
		set_state(p, RINGPCM_STATE_PAUSED);
	else if (!pause && p->st.state == RINGPCM_STATE_PAUSED) {
		run_from_now(p);
		set_state(p, RINGPCM_STATE_RUNNING);
	} else
		err = -EBADFD;
	pthread_mutex_unlock(&p->lock);
	return err;
}

void rpcm_status(const struct rpcm *cp, struct ringpcm_status *st)
{
	struct rpcm *p = (struct rpcm *)cp;

	pthread_mutex_lock(&p->lock);
	*st = p->st;
	pthread_mutex_unlock(&p->lock);
}

uint32_t rpcm_state(const struct rpcm *cp)
{
	struct ringpcm_status st;

	rpcm_status(cp, &st);
	return st.state;
}

int rpcm_hwsync(struct rpcm *p)
{
	pthread_mutex_lock(&p->lock);
	p->hwsyncs++;
	pthread_mutex_unlock(&p->lock);
	return gone(p) ? -ENODEV : 0;
}

int rpcm_commit(struct rpcm *p, uint64_t appl)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	p->commits++;
	switch (p->st.state) {
	case RINGPCM_STATE_DISCONNECTED:
		err = -ENODEV;
		break;
	case RINGPCM_STATE_XRUN:
		err = -EPIPE;
		break;
	case RINGPCM_STATE_SUSPENDED:
		err = -ESTRPIPE;
		break;
	case RINGPCM_STATE_PREPARED:
	case RINGPCM_STATE_RUNNING:
	case RINGPCM_STATE_PAUSED:
		if (!ringpcm_appl_ptr_valid(p->capture, p->st.hw_ptr, p->st.appl_ptr, appl,
					    p->st.buffer_frames)) {
			err = -EINVAL;
			break;
		}
		p->st.appl_ptr = appl;
		update_ready(p);
		break;
	default:
		err = -EBADFD;
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

/* ---- mixer: a file shared by the processes of one test ------------------------ */

struct mock_mixer {
	uint32_t gain[2][2];
	uint32_t mute[2][2];
};

static void mixer_load(struct mock_mixer *m)
{
	const char *s = getenv("RINGPCM_MOCK_MIXER");
	FILE *f = s ? fopen(s, "rb") : NULL;

	if (!f || fread(m, sizeof(*m), 1, f) != 1) {
		unsigned int c, i;

		for (c = 0; c < 2; c++)
			for (i = 0; i < 2; i++) {
				m->gain[c][i] = 74;
				m->mute[c][i] = 0;
			}
	}
	if (f)
		fclose(f);
}

static void mixer_store(const struct mock_mixer *m)
{
	const char *s = getenv("RINGPCM_MOCK_MIXER");
	FILE *f = s ? fopen(s, "wb") : NULL;

	if (f) {
		fwrite(m, sizeof(*m), 1, f);
		fclose(f);
	}
}

int rpcm_mixer_get(int fd, struct ringpcm_mixer *m)
{
	struct mock_mixer mm;
	unsigned int c = m->control;

	if (c > RINGPCM_MIXER_CAPTURE)
		return -EINVAL;
	mixer_load(&mm);
	m->gain[0] = mm.gain[c][0];
	m->gain[1] = mm.gain[c][1];
	m->mute[0] = mm.mute[c][0];
	m->mute[1] = mm.mute[c][1];
	m->max_gain = 127;
	m->min_db100 = -9525;
	m->step_db100 = 75;
	m->can_mute = 1;
	return 0;
}

int rpcm_mixer_set(int fd, const struct ringpcm_mixer *m)
{
	struct mock_mixer mm;
	unsigned int c = m->control, i;

	if (c > RINGPCM_MIXER_CAPTURE)
		return -EINVAL;
	mixer_load(&mm);
	for (i = 0; i < 2; i++) {
		if (m->gain[i] > 127 || m->mute[i] > 1)
			return -EINVAL;
		mm.gain[c][i] = m->gain[i];
		mm.mute[c][i] = m->mute[i];
	}
	mixer_store(&mm);
	return 0;
}

/* ---- pins: a text file the test edits ----------------------------------------- */

static int word_index(const char *w, const char *const *words, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(w, words[i]))
			return i;
	return -1;
}

static int pin_parse(const char *line, struct ringpcm_pin *pin)
{
	static const char *const kinds[] = { "line-out", "speaker", "hp", "mic", "line", "aux",
					     "cd", "hdmi", "dp", "spdif" };
	static const char *const places[] = { "none", "internal", "rear", "front", "dock" };
	char kind[16], place[16], f1[16] = "", f2[16] = "", f3[16] = "";
	unsigned int nid;
	int k, p;

	if (sscanf(line, "%x %15s %15s %15s %15s %15s", &nid, kind, place, f1, f2, f3) < 3)
		return -1;
	k = word_index(kind, kinds, 10);
	p = word_index(place, places, 5);
	if (k < 0 || p < 0)
		return -1;
	memset(pin, 0, sizeof(*pin));
	pin->nid = nid;
	pin->kind = k;
	pin->place = p;
	pin->flags = RINGPCM_PIN_ROUTED;
	if (!strcmp(f1, "jack"))
		pin->flags |= RINGPCM_PIN_JACK;
	if (!strcmp(f2, "plugged"))
		pin->flags |= RINGPCM_PIN_PRESENT;
	if (!strcmp(f1, "unrouted") || !strcmp(f2, "unrouted") || !strcmp(f3, "unrouted") ||
	    k >= RINGPCM_PIN_HDMI)
		pin->flags &= ~RINGPCM_PIN_ROUTED;
	return 0;
}

static unsigned int capture_source_load(void)
{
	char path[4096];
	unsigned int nid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s.source", getenv("RINGPCM_MOCK_PINS"));
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%x", &nid) != 1)
			nid = 0;
		fclose(f);
	}
	return nid;
}

static bool is_input(const struct ringpcm_pin *pin)
{
	return pin->kind >= RINGPCM_PIN_MIC && pin->kind <= RINGPCM_PIN_CD;
}

/* The first routed input with @nid (0: any) and all of @flags, or -1. */
static int find_input(const struct ringpcm_pins *p, unsigned int nid, uint32_t flags)
{
	unsigned int i;

	for (i = 0; i < p->n_pins; i++)
		if (is_input(&p->pin[i]) && (!nid || p->pin[i].nid == nid) &&
		    (p->pin[i].flags & (flags | RINGPCM_PIN_ROUTED)) == (flags | RINGPCM_PIN_ROUTED))
			return i;
	return -1;
}

/* The source chosen last, else (the driver's auto-mic) a plugged jack, else the first input. */
static void capture_source_mark(struct ringpcm_pins *p, unsigned int nid)
{
	int i = nid ? find_input(p, nid, 0) : -1;

	if (i < 0)
		i = find_input(p, 0, RINGPCM_PIN_PRESENT);
	if (i < 0)
		i = find_input(p, 0, 0);
	if (i >= 0)
		p->pin[i].flags |= RINGPCM_PIN_CAPTURE;
}

int rpcm_pins_get(int fd, struct ringpcm_pins *p)
{
	const char *path = getenv("RINGPCM_MOCK_PINS");
	char line[256];
	FILE *f;

	memset(p, 0, sizeof(*p));
	if (!path)
		return -ENOTTY;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	p->vendor_id[0] = 0x10ec0269;
	while (fgets(line, sizeof(line), f) && p->n_pins < RINGPCM_MAX_PINS)
		if (!pin_parse(line, &p->pin[p->n_pins]))
			p->n_pins++;
	fclose(f);
	capture_source_mark(p, capture_source_load());
	return 0;
}

int rpcm_capture_source_set(int fd, uint32_t nid)
{
	struct ringpcm_pins p;
	char path[4096];
	unsigned int i;
	int err = rpcm_pins_get(fd, &p);
	FILE *f;

	if (err)
		return err;
	for (i = 0; i < p.n_pins; i++)
		if (p.pin[i].nid == nid && is_input(&p.pin[i]))
			break;
	if (i == p.n_pins)
		return -EINVAL;
	if (!(p.pin[i].flags & RINGPCM_PIN_ROUTED))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s.source", getenv("RINGPCM_MOCK_PINS"));
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "0x%02x\n", nid);
	fclose(f);
	return 0;
}

int rpcm_ctl_open(unsigned int card)
{
	int fd;

	if (!present(card))
		return -ENOENT;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

const char *rpcm_dma_mode_name(uint32_t mode)
{
	switch (mode) {
	case RINGPCM_DMA_AUTO:
		return "auto";
	case RINGPCM_DMA_MAP_ONCE:
		return "map_once";
	case RINGPCM_DMA_COPY:
		return "copy";
	default:
		return "?";
	}
}

const char *rpcm_state_name(uint32_t state)
{
	static const char *const names[] = {
		"OPEN", "SETUP", "PREPARED", "RUNNING", "XRUN", "DRAINING", "PAUSED", "DISCONNECTED",
		"SUSPENDED",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}
