// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A "null" ALSA ioplug PCM, for the benchmarks only (make bench BENCH=insns):
 * the least an alsa-lib ioplug plugin does for aplay -M / arecord -M to
 * stream in real time, with no device behind it.  What aplay and alsa-lib
 * execute per period through it is the floor every ioplug plugin pays; what
 * the ringpcm plugin executes above it is the plugin's own.
 *
 * Same shape as alsa-plugin/pcm_ringpcm.c where the shape decides what
 * alsa-lib does per period: mmap_rw, alsa-lib's own exported ring
 * (export_buffer), BOUNDARY_WA, MMAP and RW interleaved access, the same
 * callbacks (transfer, pointer, the three poll callbacks, delay).  No
 * drain callback: alsa-lib's own drain via poll serves.
 *
 * The "device": a timerfd armed at start with the period time.  Its
 * expirations, read when poll says it is readable, move hw_ptr one period
 * each, as a period interrupt moves a driver's.  The data is never touched.
 * With NULLIOPLUG_PERIODS=FILE in the environment it also counts them in
 * FILE (a native 64-bit counter, shared mapping), which the benchmark reads
 * around its windows (insns-mark's IRQ @FILE) as it reads a driver's
 * interrupts: one store per period.
 *
 *   pcm.nullioplug { type nullioplug }
 *   pcm_type.nullioplug { lib "/path/to/build/alsa/libasound_module_pcm_nullioplug.so" }
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

struct np_pcm {
	snd_pcm_ioplug_t io;
	int tfd;			/* the period clock, owned */
	uint64_t hw;			/* frames played/captured since prepare */
	snd_pcm_uframes_t boundary;
	snd_pcm_uframes_t avail_min;
	uint64_t *periods;		/* NULLIOPLUG_PERIODS' counter, or NULL */
};

static int np_is_capture(const struct np_pcm *np)
{
	return np->io.stream == SND_PCM_STREAM_CAPTURE;
}

/* Frames the application may transfer at hw_ptr HW (wrapped). */
static snd_pcm_sframes_t np_avail(const struct np_pcm *np, snd_pcm_uframes_t hw)
{
	snd_pcm_sframes_t a;

	if (np_is_capture(np))
		a = (snd_pcm_sframes_t)hw - (snd_pcm_sframes_t)np->io.appl_ptr;
	else
		a = (snd_pcm_sframes_t)hw + (snd_pcm_sframes_t)np->io.buffer_size -
		    (snd_pcm_sframes_t)np->io.appl_ptr;
	if (a < 0)
		a += np->boundary;
	else if ((snd_pcm_uframes_t)a >= np->boundary)
		a -= np->boundary;
	return a;
}

static int np_arm(struct np_pcm *np, int on)
{
	uint64_t ns = on ? (uint64_t)np->io.period_size * 1000000000ull / np->io.rate : 0;
	struct itimerspec t = {
		.it_interval = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull },
		.it_value = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull },
	};

	return timerfd_settime(np->tfd, 0, &t, NULL) < 0 ? -errno : 0;
}

/* Periods elapsed since the last look (non-blocking timerfd). */
static void np_tick(struct np_pcm *np)
{
	uint64_t n;

	if (read(np->tfd, &n, sizeof(n)) != sizeof(n))
		return;
	np->hw += n * np->io.period_size;
	if (np->periods)
		__atomic_store_n(np->periods, *np->periods + n, __ATOMIC_RELAXED);
}

static snd_pcm_sframes_t np_pointer(snd_pcm_ioplug_t *io)
{
	struct np_pcm *np = io->private_data;
	snd_pcm_uframes_t hw = np->hw % np->boundary;

	/* Not caught up in time: an xrun, as a driver would report it. */
	if (io->state == SND_PCM_STATE_RUNNING &&
	    np_avail(np, hw) > (snd_pcm_sframes_t)io->buffer_size)
		return -EPIPE;
	return hw;
}

static snd_pcm_sframes_t np_transfer(snd_pcm_ioplug_t *io, const snd_pcm_channel_area_t *areas,
				     snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	return size;	/* the data is already in the ring */
}

static snd_pcm_uframes_t np_default_boundary(snd_pcm_uframes_t buffer)
{
	snd_pcm_uframes_t b = buffer;

	while (b * 2 <= (snd_pcm_uframes_t)LONG_MAX - buffer)
		b *= 2;
	return b;
}

static int np_hw_params(snd_pcm_ioplug_t *io, snd_pcm_hw_params_t *params)
{
	struct np_pcm *np = io->private_data;
	int err = snd_pcm_hw_params_set_export_buffer(io->pcm, params, 1);

	if (err < 0)
		return err;
	if (!io->period_size || !io->rate)
		return -EINVAL;
	np->boundary = np_default_boundary(io->buffer_size);
	return 0;
}

static int np_sw_params(snd_pcm_ioplug_t *io, snd_pcm_sw_params_t *params)
{
	struct np_pcm *np = io->private_data;
	snd_pcm_uframes_t v;

	if (snd_pcm_sw_params_get_boundary(params, &v) == 0 && v)
		np->boundary = v;
	if (snd_pcm_sw_params_get_avail_min(params, &v) == 0)
		np->avail_min = v ? v : 1;
	return 0;
}

static int np_prepare(snd_pcm_ioplug_t *io)
{
	struct np_pcm *np = io->private_data;

	np->hw = 0;
	return np_arm(np, 0);
}

static int np_start(snd_pcm_ioplug_t *io)
{
	return np_arm(io->private_data, 1);
}

static int np_stop(snd_pcm_ioplug_t *io)
{
	return np_arm(io->private_data, 0);
}

static int np_hw_free(snd_pcm_ioplug_t *io)
{
	return np_arm(io->private_data, 0);
}

static int np_poll_count(snd_pcm_ioplug_t *io)
{
	return 1;
}

static int np_poll_descriptors(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int space)
{
	struct np_pcm *np = io->private_data;

	if (space < 1)
		return 0;
	pfd->fd = np->tfd;
	pfd->events = POLLIN;
	pfd->revents = 0;
	return 1;
}

static int np_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int nfds,
			   unsigned short *revents)
{
	struct np_pcm *np = io->private_data;

	if (nfds != 1)
		return -EINVAL;
	if (pfd->revents & POLLIN)
		np_tick(np);
	*revents = 0;
	if (io->state == SND_PCM_STATE_DRAINING ||
	    np_avail(np, np->hw % np->boundary) >= (snd_pcm_sframes_t)np->avail_min)
		*revents = np_is_capture(np) ? POLLIN : POLLOUT;
	return 0;
}

static int np_delay(snd_pcm_ioplug_t *io, snd_pcm_sframes_t *delayp)
{
	struct np_pcm *np = io->private_data;
	snd_pcm_sframes_t a = np_avail(np, np->hw % np->boundary);

	*delayp = np_is_capture(np) ? a : (snd_pcm_sframes_t)io->buffer_size - a;
	return 0;
}

static int np_close(snd_pcm_ioplug_t *io)
{
	struct np_pcm *np = io->private_data;

	close(np->tfd);
	if (np->periods)
		munmap(np->periods, sizeof(*np->periods));
	free(np);
	return 0;
}

/* The period counter the benchmark reads (NULLIOPLUG_PERIODS=FILE). */
static uint64_t *np_map_counter(void)
{
	const char *path = getenv("NULLIOPLUG_PERIODS");
	void *m;
	int fd;

	if (!path || !*path)
		return NULL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, sizeof(uint64_t)) < 0) {
		close(fd);
		return NULL;
	}
	m = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return m == MAP_FAILED ? NULL : m;
}

static const snd_pcm_ioplug_callback_t np_callbacks = {
	.start = np_start,
	.stop = np_stop,
	.pointer = np_pointer,
	.transfer = np_transfer,
	.close = np_close,
	.hw_params = np_hw_params,
	.hw_free = np_hw_free,
	.sw_params = np_sw_params,
	.prepare = np_prepare,
	.poll_descriptors_count = np_poll_count,
	.poll_descriptors = np_poll_descriptors,
	.poll_revents = np_poll_revents,
	.delay = np_delay,
};

static int np_set_constraints(snd_pcm_ioplug_t *io)
{
	static const unsigned int access[] = {
		SND_PCM_ACCESS_MMAP_INTERLEAVED, SND_PCM_ACCESS_RW_INTERLEAVED,
	};
	static const unsigned int formats[] = { SND_PCM_FORMAT_S16_LE, SND_PCM_FORMAT_S32_LE };
	static const unsigned int rates[] = { 44100, 48000 };
	int err;

	err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_ACCESS, 2, access);
	if (!err)
		err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_FORMAT, 2, formats);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_CHANNELS, 1, 8);
	if (!err)
		err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_RATE, 2, rates);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_PERIOD_BYTES, 128, 1 << 20);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_PERIODS, 2, 32);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_BUFFER_BYTES, 256, 4 << 20);
	return err;
}

SND_PCM_PLUGIN_DEFINE_FUNC(nullioplug)
{
	struct np_pcm *np;
	int err;

	(void)root;
	(void)conf;
	np = calloc(1, sizeof(*np));
	if (!np)
		return -ENOMEM;
	np->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (np->tfd < 0) {
		err = -errno;
		free(np);
		return err;
	}
	np->boundary = LONG_MAX;
	np->avail_min = 1;
	np->periods = np_map_counter();
	np->io.version = SND_PCM_IOPLUG_VERSION;
	np->io.name = "null ioplug (bench floor)";
	np->io.callback = &np_callbacks;
	np->io.private_data = np;
	np->io.mmap_rw = 1;
	np->io.poll_fd = np->tfd;
	np->io.poll_events = POLLIN;
	np->io.flags = SND_PCM_IOPLUG_FLAG_BOUNDARY_WA;
	err = snd_pcm_ioplug_create(&np->io, name, stream, mode);
	if (err < 0) {
		close(np->tfd);
		free(np);
		return err;
	}
	err = np_set_constraints(&np->io);
	if (err < 0) {
		snd_pcm_ioplug_delete(&np->io);	/* calls np_close */
		return err;
	}
	*pcmp = np->io.pcm;
	return 0;
}

SND_PCM_PLUGIN_SYMBOL(nullioplug);
