// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ALSA ioplug PCM over a ringpcm stream: alsa-lib's own mmap area is the ring
 * the HD Audio DMA engine runs over, so MMAP clients (jackd, aplay -M,
 * PortAudio) move no byte in the plugin and RW clients pay only alsa-lib's
 * copy into the ring.
 *
 * Life of the ring (see ALSA-NOTES.md for the alsa-lib 1.2.8 facts):
 *   hw_params cb   export_buffer: alsa-lib allocates the ring as SysV shm
 *                  (page-aligned) after this callback; HW_PARAMS to the driver
 *   prepare cb     ATTACH_RING of that area (once per hw_params), PREPARE
 *   start/stop cb  START / DROP
 *   hw_free cb     DROP + DETACH_RING.  alsa-lib has already unmapped the
 *                  area by then (close and drop stop the device first; an
 *                  application freeing a running stream does not), but the
 *                  driver's long-term pin keeps the pages until DETACH, so
 *                  the device never touches freed memory.
 *   close cb       rpcm_close (drops and detaches)
 *
 * Positions: alsa-lib's appl_ptr/hw_ptr wrap at the boundary, the driver's
 * are free-running 64-bit frame counters; both restart at 0 on prepare.  The
 * driver only learns appl_ptr through COMMIT, which alsa-lib has no hook for
 * in RW mode: it is committed at every callback that sees it move (transfer
 * at MMAP playback commit, pointer, poll, start, drain, delay).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

#include "ringpcm.h"
#include "ringpcm-state.h"

struct rp_pcm {
	snd_pcm_ioplug_t io;
	struct rpcm *dev;		/* the driver stream, owned */
	unsigned int card, device;
	enum ringpcm_dma_mode dma;	/* asked at HW_PARAMS */
	int debug;			/* RINGPCM_DEBUG set */

	/* Set by hw_params/sw_params (application thread). */
	snd_pcm_uframes_t boundary;
	uint32_t avail_min;		/* frames, as given to the driver */
	void *ring;			/* attached area, NULL when detached */
	size_t ring_bytes;

	/*
	 * Position bookkeeping since the last prepare, under pos_lock:
	 * callbacks run both inside and outside alsa-lib's own lock.
	 */
	pthread_mutex_t pos_lock;
	uint64_t appl;			/* alsa-lib's appl_ptr, unwrapped */
	snd_pcm_uframes_t appl_seen;	/* io.appl_ptr that .appl stands for */
	uint64_t committed;		/* last appl_ptr the driver accepted */
	snd_pcm_uframes_t last_hw;	/* last pointer value returned */
	/*
	 * The io.appl_ptr up to which everything is committed (appl_seen when
	 * appl <= committed; an MMAP transfer's commit counts the frames
	 * alsa-lib adds when it returns as seen already), else RP_UNSYNCED.
	 * Written under pos_lock, read without it by rp_commit's fast path:
	 * every call but the transfer's (the pointer and poll callbacks, several
	 * a period) finds nothing to commit, and skips the lock.
	 */
	snd_pcm_uframes_t synced_seen;
	/*
	 * The status page's seq when poll_revents last found the stream ready
	 * (the page the period interrupt published, which woke the client);
	 * RP_NO_SEQ when none.  Read by pointer without the lock: a hint.
	 */
	uint32_t woken_seq;
};

/* Never a stable page's seq: those are even. */
#define RP_NO_SEQ	1u

/* Never an io.appl_ptr: those stay below the boundary (<= LONG_MAX). */
#define RP_UNSYNCED	((snd_pcm_uframes_t)-1)

#define rp_dbg(rp, ...) \
	do { if ((rp)->debug) { fprintf(stderr, "ringpcm: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

static int rp_is_capture(const struct rp_pcm *rp)
{
	return rp->io.stream == SND_PCM_STREAM_CAPTURE;
}

static unsigned int rp_frame_bytes(const snd_pcm_ioplug_t *io)
{
	return io->channels * snd_pcm_format_physical_width(io->format) / 8;
}

static unsigned int rp_ms(const struct rp_pcm *rp, uint64_t frames)
{
	return rp->io.rate ? (unsigned int)(frames * 1000 / rp->io.rate) : 0;
}

/* The one place driver errors turn into ALSA state. */
static int rp_error(struct rp_pcm *rp, int err)
{
	if (err == -ENODEV)
		snd_pcm_ioplug_set_state(&rp->io, SND_PCM_STATE_DISCONNECTED);
	else if (err == -ESTRPIPE)
		snd_pcm_ioplug_set_state(&rp->io, SND_PCM_STATE_SUSPENDED);
	return err;
}

/*
 * The machine slept (driver state SUSPENDED): alsa-lib then answers
 * -ESTRPIPE from every transfer and wait, and the application calls
 * snd_pcm_resume() (see rp_resume).
 */
static bool rp_check_suspended(struct rp_pcm *rp, const struct ringpcm_status *st)
{
	if (st->state != RINGPCM_STATE_SUSPENDED)
		return false;
	if (rp->io.state != SND_PCM_STATE_SUSPENDED)
		rp_dbg(rp, "suspended at hw_ptr %llu", (unsigned long long)st->hw_ptr);
	snd_pcm_ioplug_set_state(&rp->io, SND_PCM_STATE_SUSPENDED);
	return true;
}

/* ---- positions ---------------------------------------------------------- */

static void rp_reset_positions(struct rp_pcm *rp)
{
	pthread_mutex_lock(&rp->pos_lock);
	rp->appl = 0;
	rp->appl_seen = rp->io.appl_ptr;	/* 0 after alsa-lib's reset */
	rp->committed = 0;
	rp->last_hw = 0;
	__atomic_store_n(&rp->woken_seq, RP_NO_SEQ, __ATOMIC_RELAXED);
	__atomic_store_n(&rp->synced_seen, rp->appl_seen, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rp->pos_lock);
}

/*
 * Unwrap io.appl_ptr into .appl.  It moves forward by at most a buffer
 * between two looks, or backward by a rewind (at most a buffer too).
 */
static void rp_track_appl_locked(struct rp_pcm *rp)
{
	snd_pcm_uframes_t now = rp->io.appl_ptr, b = rp->boundary, d;

	d = now >= rp->appl_seen ? now - rp->appl_seen : b - rp->appl_seen + now;
	if (d > b / 2)
		rp->appl -= b - d;	/* rewind */
	else
		rp->appl += d;
	rp->appl_seen = now;
}

/*
 * Hand appl_ptr (+ ahead: frames alsa-lib is about to add) to the driver if
 * it moved forward.  A rewound appl_ptr is not committed until it passes the
 * committed position again: the driver's appl_ptr never goes back.
 */
static int rp_commit_locked(struct rp_pcm *rp, snd_pcm_uframes_t ahead);

/*
 * Fast path: io.appl_ptr has not moved since a call that left nothing
 * uncommitted, so this call would find target <= committed and return 0.
 * A racing caller holding the lock is harmless: this call then behaves as
 * if it had run just before that one.
 */
static int rp_commit(struct rp_pcm *rp, snd_pcm_uframes_t ahead)
{
	int err;

	if (!ahead && __atomic_load_n(&rp->synced_seen, __ATOMIC_ACQUIRE) == rp->io.appl_ptr)
		return 0;
	pthread_mutex_lock(&rp->pos_lock);
	err = rp_commit_locked(rp, ahead);
	__atomic_store_n(&rp->synced_seen, rp->appl <= rp->committed ? rp->appl_seen : RP_UNSYNCED,
			 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rp->pos_lock);
	return err;
}

static int rp_commit_locked(struct rp_pcm *rp, snd_pcm_uframes_t ahead)
{
	uint64_t target;
	uint32_t state;
	int err = 0;

	if (!rp->ring)
		goto out;
	rp_track_appl_locked(rp);
	if (ahead) {
		/* alsa-lib adds them as the transfer callback returns: seen now,
		 * the next pointer or poll finds nothing to commit (fast path). */
		rp->appl += ahead;
		rp->appl_seen += ahead;
		if (rp->appl_seen >= rp->boundary)
			rp->appl_seen -= rp->boundary;
	}
	target = rp->appl;
	if (target <= rp->committed || (int64_t)target < 0)
		goto out;
	/* The status page says when COMMIT would only fail: no system call then. */
	state = rpcm_state(rp->dev);
	err = ringpcm_state_error(state);
	if (err)
		goto out;
	if (state != RINGPCM_STATE_PREPARED && state != RINGPCM_STATE_RUNNING &&
	    state != RINGPCM_STATE_PAUSED)
		goto out;	/* not streaming (setup after drain/drop): nothing to hand over */
	err = rpcm_commit(rp->dev, target);
	if (!err)
		rp->committed = target;
	else if (err == -EBADFD)
		err = 0;	/* the stream stopped meanwhile */
out:
	return err;
}

/* Frames the application may transfer now, from the driver's hw_ptr. */
static int64_t rp_avail(struct rp_pcm *rp, const struct ringpcm_status *st)
{
	if (rp_is_capture(rp))
		return (int64_t)(st->hw_ptr - rp->appl);
	return (int64_t)rp->io.buffer_size - (int64_t)(rp->appl - st->hw_ptr);
}

static snd_pcm_sframes_t rp_disconnected(struct rp_pcm *rp)
{
	snd_pcm_ioplug_set_state(&rp->io, SND_PCM_STATE_DISCONNECTED);
	return rp->last_hw;	/* non-negative: a disconnect is not an xrun */
}

/*
 * The status page's position is as old as the last interrupt, COMMIT or
 * HWSYNC.  Clients that wake on their own timer rather than on the period
 * interrupt (PipeWire's timer scheduling reads snd_pcm_avail() at any point
 * of a period) need the position of now: when the page's is older than
 * this, pointer asks the driver to read the DMA position register.  A
 * client woken by the interrupt finds a fresh page and makes no system call;
 * while the page is still the one its poll found ready (nothing published
 * since the interrupt that woke it), it does not even read the clock: it
 * gets the interrupt's position, as hw:'s avail_update gets the position
 * of the kernel's status page.
 */
#define RP_POSITION_FRESH_NS	1000000ull

static uint64_t rp_now_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The status page, refreshed from the DMA engine if it is stale. */
static int rp_fresh_status(struct rp_pcm *rp, struct ringpcm_status *st)
{
	int err;

	rpcm_status(rp->dev, st);
	if (st->state != RINGPCM_STATE_RUNNING && st->state != RINGPCM_STATE_DRAINING)
		return 0;
	if (st->seq == __atomic_load_n(&rp->woken_seq, __ATOMIC_RELAXED))
		return 0;
	if (rp_now_raw_ns() - st->tstamp_ns <= RP_POSITION_FRESH_NS)
		return 0;
	err = rpcm_hwsync(rp->dev);
	rpcm_status(rp->dev, st);
	return err;
}

static snd_pcm_sframes_t rp_pointer(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	struct ringpcm_status st;
	uint64_t hw;
	int err;

	if (!rp->ring)
		return 0;
	err = rp_commit(rp, 0);
	if (rp_fresh_status(rp, &st) == -ENODEV)
		err = -ENODEV;
	if (err == -ENODEV || st.state == RINGPCM_STATE_DISCONNECTED)
		return rp_disconnected(rp);
	/* Not negative: ioplug would turn that into XRUN. */
	if (rp_check_suspended(rp, &st))
		return rp->last_hw;
	hw = st.hw_ptr;
	if (io->state == SND_PCM_STATE_DRAINING || st.state == RINGPCM_STATE_DRAINING) {
		/* The driver pads the last period with silence: never report
		 * more than what was written, so avail ends at exactly a buffer. */
		if (!rp_is_capture(rp) && hw > rp->appl)
			hw = rp->appl;
	} else if (err == -EPIPE || st.state == RINGPCM_STATE_XRUN ||
		   (io->state == SND_PCM_STATE_RUNNING && !rp_is_capture(rp) && hw > rp->appl)) {
		rp_dbg(rp, "xrun: hw_ptr %llu appl_ptr %llu committed %llu, driver %s",
		       (unsigned long long)hw, (unsigned long long)rp->appl,
		       (unsigned long long)rp->committed, rpcm_state_name(st.state));
		return -EPIPE;
	}
	rp->last_hw = hw % rp->boundary;
	return rp->last_hw;
}

/* ---- hw/sw params -------------------------------------------------------- */

static int rp_format(snd_pcm_format_t f)
{
	switch (f) {
	case SND_PCM_FORMAT_S16_LE:
		return RINGPCM_FORMAT_S16_LE;
	case SND_PCM_FORMAT_S32_LE:
		return RINGPCM_FORMAT_S32_LE;
	default:
		return -EINVAL;
	}
}

/* alsa-lib's boundary for a buffer size (what sw_params will report). */
static snd_pcm_uframes_t rp_default_boundary(snd_pcm_uframes_t buffer)
{
	snd_pcm_uframes_t b = buffer;

	while (b * 2 <= (snd_pcm_uframes_t)LONG_MAX - buffer)
		b *= 2;
	return b;
}

static int rp_hw_params(snd_pcm_ioplug_t *io, snd_pcm_hw_params_t *params)
{
	struct rp_pcm *rp = io->private_data;
	struct ringpcm_hw_params hp;
	int fmt, err;

	/* alsa-lib then allocates its ring as SysV shm: page-aligned. */
	err = snd_pcm_hw_params_set_export_buffer(io->pcm, params, 1);
	if (err < 0)
		return err;
	fmt = rp_format(io->format);
	if (fmt < 0 || !io->period_size || io->buffer_size % io->period_size)
		return -EINVAL;
	memset(&hp, 0, sizeof(hp));
	hp.format = fmt;
	hp.rate = io->rate;
	hp.channels = io->channels;
	hp.period_frames = io->period_size;
	hp.periods = io->buffer_size / io->period_size;
	hp.dma_mode = rp->dma;

	rp->ring = NULL;	/* the library stops the stream and detaches */
	err = rpcm_set_params(rp->dev, &hp);
	if (err < 0) {
		SNDERR("ringpcm: driver refused %s %uHz %uch, %u x %lu frames: %s",
		       snd_pcm_format_name(io->format), io->rate, io->channels,
		       hp.periods, io->period_size, snd_strerror(err));
		return rp_error(rp, err);
	}
	rp->boundary = rp_default_boundary(io->buffer_size);
	rp_dbg(rp, "hw_params %s %uHz %uch period %lu x %u (%s)",
	       snd_pcm_format_name(io->format), io->rate, io->channels,
	       io->period_size, hp.periods,
	       snd_pcm_access_name(io->access));
	return 0;
}

static int rp_hw_free(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;

	if (!rp->ring)
		return 0;
	rpcm_drop(rp->dev);
	rp->ring = NULL;
	return rp_error(rp, rpcm_detach_ring(rp->dev));
}

static int rp_set_avail_min(struct rp_pcm *rp, snd_pcm_uframes_t frames)
{
	if (frames < 1)
		frames = 1;
	if (rp->io.buffer_size && frames > rp->io.buffer_size)
		frames = rp->io.buffer_size;
	return rp_error(rp, rpcm_set_avail_min(rp->dev, frames));
}

static int rp_sw_params(snd_pcm_ioplug_t *io, snd_pcm_sw_params_t *params)
{
	struct rp_pcm *rp = io->private_data;
	snd_pcm_uframes_t avail_min, boundary;
	int err;

	if (snd_pcm_sw_params_get_boundary(params, &boundary) == 0 && boundary)
		rp->boundary = boundary;
	err = snd_pcm_sw_params_get_avail_min(params, &avail_min);
	if (err < 0)
		return err;
	rp->avail_min = avail_min < 1 ? 1 : avail_min;
	if (rp->avail_min > io->buffer_size)
		rp->avail_min = io->buffer_size;
	return rp_set_avail_min(rp, rp->avail_min);
}

/* ---- stream control ------------------------------------------------------ */

/* Attach alsa-lib's mmap area (it exists from the first prepare on). */
static int rp_attach(struct rp_pcm *rp)
{
	const snd_pcm_channel_area_t *a = snd_pcm_ioplug_mmap_areas(&rp->io);
	const struct ringpcm_info *info = rpcm_info(rp->dev);
	const struct ringpcm_ring *ri;
	size_t bytes = rp->io.buffer_size * rp_frame_bytes(&rp->io);
	char *addr;
	int err;

	if (!a || !a[0].addr)
		return -EINVAL;
	addr = (char *)a[0].addr + a[0].first / 8;
	if (rp->ring == addr && rp->ring_bytes == bytes)
		return 0;
	if (rp->ring)
		rpcm_detach_ring(rp->dev);
	rp->ring = NULL;
	if (info->ring_align && (uintptr_t)addr % info->ring_align) {
		SNDERR("ringpcm: alsa-lib's ring at %p is not %u-byte aligned",
		       (void *)addr, info->ring_align);
		return -EINVAL;
	}
	err = rpcm_attach_ring(rp->dev, addr, bytes);
	if (err < 0) {
		SNDERR("ringpcm: cannot attach the %zu-byte ring: %s", bytes, snd_strerror(err));
		return rp_error(rp, err);
	}
	rp->ring = addr;
	rp->ring_bytes = bytes;
	ri = rpcm_ring_info(rp->dev);
	if (ri)
		rp_dbg(rp, "ring %p %zu bytes: %s, %u segments, %u BDL entries%s", (void *)addr,
		       bytes, rpcm_dma_mode_name(ri->dma_mode), ri->segments, ri->bdl_entries,
		       ri->flags & RINGPCM_RING_CAN_PAUSE ? ", can pause" : "");
	return 0;
}

static int rp_prepare(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	struct ringpcm_status st;
	int err;

	rpcm_status(rp->dev, &st);
	switch (st.state) {
	case RINGPCM_STATE_DISCONNECTED:
		return rp_error(rp, -ENODEV);
	case RINGPCM_STATE_RUNNING:
	case RINGPCM_STATE_DRAINING:
	case RINGPCM_STATE_PAUSED:
		rpcm_drop(rp->dev);	/* prepare stops a running stream itself */
		break;
	default:
		break;
	}
	err = rp_attach(rp);
	if (err < 0)
		return err;
	err = rpcm_prepare(rp->dev);
	if (err < 0)
		return rp_error(rp, err);
	rp_reset_positions(rp);
	return 0;
}

static int rp_start(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	int err = rp_commit(rp, 0);

	if (!err)
		err = rpcm_start(rp->dev);
	rp_dbg(rp, "start at appl_ptr %llu: %s", (unsigned long long)rp->committed,
	       err ? snd_strerror(err) : "ok");
	return rp_error(rp, err);
}

static int rp_stop(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	int err = rpcm_drop(rp->dev);

	return err == -ENODEV ? rp_error(rp, err) : 0;
}

static int rp_pause(snd_pcm_ioplug_t *io, int enable)
{
	struct rp_pcm *rp = io->private_data;
	int err;

	if (!enable)
		rp_commit(rp, 0);	/* what was written while paused */
	err = rpcm_pause(rp->dev, enable);
	if (err < 0)
		SNDERR("ringpcm: cannot %s: %s", enable ? "pause" : "resume", snd_strerror(err));
	return rp_error(rp, err);
}

/*
 * snd_pcm_resume() after a system sleep.  alsa-lib 1.2.8's ioplug returns 0
 * whatever this callback does, and aplay, arecord and the rest then simply
 * go on transferring: the stream must be usable when this returns.  The
 * controller lost its state (and the frames it held), so the stream starts
 * afresh, as a driver without SNDRV_PCM_INFO_RESUME makes applications do:
 * PREPARE through alsa-lib (so its positions restart with the driver's),
 * and capture is started again at once; playback starts when the
 * application has written up to its start threshold, as after any prepare.
 */
static int rp_resume(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	int err = snd_pcm_prepare(io->pcm);

	if (!err && rp_is_capture(rp))
		err = snd_pcm_start(io->pcm);
	rp_dbg(rp, "resume: %s", err ? snd_strerror(err) : "prepared again");
	if (err < 0)
		SNDERR("ringpcm: cannot recover from the system sleep: %s", snd_strerror(err));
	return err;
}

static snd_pcm_sframes_t rp_transfer(snd_pcm_ioplug_t *io, const snd_pcm_channel_area_t *areas,
				     snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	struct rp_pcm *rp = io->private_data;

	/*
	 * MMAP playback: called at mmap_commit, before alsa-lib moves appl_ptr
	 * by size.  MMAP capture: called at mmap_begin, appl_ptr is what was
	 * read so far.  The data is already where the device reads/wrote it.
	 * An xrun or disconnect is reported by the next pointer/poll.
	 */
	rp_commit(rp, rp_is_capture(rp) ? 0 : size);
	return size;
}

/* ---- drain --------------------------------------------------------------- */

/* Twice what is left to play (with the driver's silence after it), + 0.5 s. */
static int rp_drain_timeout_ms(struct rp_pcm *rp)
{
	const struct ringpcm_info *info = rpcm_info(rp->dev);
	struct ringpcm_status st;
	uint64_t left;

	rpcm_status(rp->dev, &st);
	left = rp->appl > st.hw_ptr ? rp->appl - st.hw_ptr : 0;
	left += info->fifo_bytes / rp_frame_bytes(&rp->io) + 2 * rp->io.period_size;
	return 2 * (rp_ms(rp, left) + (int)(info->backend_delay_us / 1000)) + 500;
}

/*
 * alsa-lib 1.2.8 calls this in DRAINING state without its lock; returning 0
 * makes it drop the stream (state SETUP).  The library starts a prepared
 * stream, issues DRAIN (the driver plays the device's tail out) and waits
 * with a timeout; a signal interrupts the wait (-EINTR, the stream keeps
 * draining).  Non-blocking: -EAGAIN until played out; the descriptor wakes
 * only at the end (the driver in DRAINING).
 */
static int rp_drain(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	struct ringpcm_status st;
	int err, timeout;

	if (rp_is_capture(rp) || !rp->ring)
		return 0;
	err = rp_commit(rp, 0);
	if (err == -ENODEV)
		return rp_error(rp, err);
	rpcm_status(rp->dev, &st);
	if (st.state == RINGPCM_STATE_PAUSED && (err = rpcm_pause(rp->dev, 0)) < 0)
		return rp_error(rp, err);
	timeout = io->nonblock ? 0 : rp_drain_timeout_ms(rp);
	err = rpcm_drain(rp->dev, timeout);
	if (err == -ETIMEDOUT && io->nonblock)
		return -EAGAIN;
	if (err == -ETIMEDOUT) {
		rpcm_status(rp->dev, &st);
		SNDERR("ringpcm: drain timed out after %d ms: hw_ptr %llu, appl_ptr %llu",
		       timeout, (unsigned long long)st.hw_ptr, (unsigned long long)st.appl_ptr);
		rpcm_drop(rp->dev);
		snd_pcm_ioplug_set_state(io, SND_PCM_STATE_SETUP);
		return -EIO;
	}
	if (err == -EPIPE)
		return 0;	/* ran dry: everything written was played */
	return rp_error(rp, err);
}

/* ---- poll ---------------------------------------------------------------- */

static int rp_poll_count(snd_pcm_ioplug_t *io)
{
	return 1;
}

static int rp_poll_descriptors(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int space)
{
	struct rp_pcm *rp = io->private_data;

	if (space < 1)
		return 0;
	/* What was written since the last look must reach the driver before
	 * it decides whether the descriptor is ready. */
	rp_commit(rp, 0);
	pfd->fd = rpcm_fd(rp->dev);
	pfd->events = (rp_is_capture(rp) ? POLLIN : POLLOUT) | POLLERR | POLLNVAL;
	pfd->revents = 0;
	return 1;
}

/*
 * Ready means avail >= avail_min, computed from the same status page and
 * committed appl_ptr the driver uses, so a "not ready" answer here is also
 * the driver's answer and the next poll() sleeps.
 */
static int rp_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int nfds,
			   unsigned short *revents)
{
	struct rp_pcm *rp = io->private_data;
	unsigned short ready = rp_is_capture(rp) ? POLLIN : POLLOUT;
	struct ringpcm_status st;
	int err;

	if (nfds != 1)
		return -EINVAL;
	err = rp_commit(rp, 0);
	rpcm_status(rp->dev, &st);
	*revents = 0;
	if (err == -ENODEV || st.state == RINGPCM_STATE_DISCONNECTED) {
		snd_pcm_ioplug_set_state(io, SND_PCM_STATE_DISCONNECTED);
		*revents = POLLERR | POLLHUP;
		return 0;
	}
	if (rp_check_suspended(rp, &st)) {
		*revents = POLLERR;
		return 0;
	}
	if (io->state == SND_PCM_STATE_DRAINING) {
		if (st.state != RINGPCM_STATE_DRAINING)
			*revents = ready;
		return 0;
	}
	if (err == -EPIPE || st.state == RINGPCM_STATE_XRUN) {
		if (io->state == SND_PCM_STATE_RUNNING)
			snd_pcm_ioplug_set_state(io, SND_PCM_STATE_XRUN);
		*revents = POLLERR;
		return 0;
	}
	if (pfd->revents & POLLNVAL) {
		*revents = POLLNVAL;
		return 0;
	}
	if (rp_avail(rp, &st) >= (int64_t)rp->avail_min) {
		*revents = ready;
		__atomic_store_n(&rp->woken_seq, st.seq, __ATOMIC_RELAXED);
	}
	return 0;
}

/* ---- delay, dump, close --------------------------------------------------- */

/*
 * Frames between the application and the listener (or the microphone and the
 * application): what is in the ring on the device's side of appl_ptr, at the
 * DMA position read from the engine now, plus what the controller FIFO and
 * codec hold beyond that position while the engine runs (info.fifo_bytes).
 */
static int rp_delay(snd_pcm_ioplug_t *io, snd_pcm_sframes_t *delayp)
{
	struct rp_pcm *rp = io->private_data;
	struct ringpcm_status st;
	uint64_t d;
	int err;

	*delayp = 0;
	if (!rp->ring)
		return 0;
	err = rp_commit(rp, 0);
	if (!err && (io->state == SND_PCM_STATE_RUNNING || io->state == SND_PCM_STATE_DRAINING))
		err = rpcm_hwsync(rp->dev);
	rpcm_status(rp->dev, &st);
	if (err == -ENODEV || st.state == RINGPCM_STATE_DISCONNECTED)
		return rp_error(rp, -ENODEV);
	if (st.state == RINGPCM_STATE_XRUN)
		return -EPIPE;
	if (rp_check_suspended(rp, &st))
		return -ESTRPIPE;
	if (rp_is_capture(rp))
		d = st.hw_ptr > rp->appl ? st.hw_ptr - rp->appl : 0;
	else
		d = rp->appl > st.hw_ptr ? rp->appl - st.hw_ptr : 0;
	if (st.state == RINGPCM_STATE_RUNNING || st.state == RINGPCM_STATE_DRAINING)
		d += rpcm_info(rp->dev)->fifo_bytes / rp_frame_bytes(io);
	*delayp = d;
	return 0;
}

static void rp_dump(snd_pcm_ioplug_t *io, snd_output_t *out)
{
	struct rp_pcm *rp = io->private_data;
	const struct ringpcm_info *info = rpcm_info(rp->dev);
	const struct ringpcm_ring *ri = rpcm_ring_info(rp->dev);

	snd_output_printf(out, "ringpcm card %u device %u %s: %s, %s%s\n", rp->card, rp->device,
			  rp_is_capture(rp) ? "capture" : "playback", info->card, info->codec,
			  info->iommu ? " (IOMMU)" : "");
	if (rp->ring && ri)
		snd_output_printf(out, "ring %p, %zu bytes, DMA %s, %u segments, %u BDL entries\n",
				  rp->ring, rp->ring_bytes, rpcm_dma_mode_name(ri->dma_mode),
				  ri->segments, ri->bdl_entries);
	if (io->pcm) {
		snd_output_printf(out, "Its setup is:\n");
		snd_pcm_dump_setup(io->pcm, out);
	}
}

/* ---- channel maps ------------------------------------------------------- */

/*
 * What snd-hda-intel reports for an HD Audio PCM (the standard maps of
 * sound/core/pcm_lib.c, fixed: the codec cannot swap channels), for the
 * channel counts the driver offers.  PipeWire (api.alsa.use-chmap) and
 * PortAudio name their channels from it.
 */
static const unsigned int rp_std_maps[][9] = {
	{ 1, SND_CHMAP_MONO },
	{ 2, SND_CHMAP_FL, SND_CHMAP_FR },
	{ 4, SND_CHMAP_FL, SND_CHMAP_FR, SND_CHMAP_RL, SND_CHMAP_RR },
	{ 6, SND_CHMAP_FL, SND_CHMAP_FR, SND_CHMAP_RL, SND_CHMAP_RR, SND_CHMAP_FC, SND_CHMAP_LFE },
	{ 8, SND_CHMAP_FL, SND_CHMAP_FR, SND_CHMAP_RL, SND_CHMAP_RR, SND_CHMAP_FC, SND_CHMAP_LFE,
	  SND_CHMAP_SL, SND_CHMAP_SR },
};

static const unsigned int *rp_std_map(unsigned int channels)
{
	size_t i;

	for (i = 0; i < sizeof(rp_std_maps) / sizeof(rp_std_maps[0]); i++)
		if (rp_std_maps[i][0] == channels)
			return rp_std_maps[i];
	return NULL;
}

static snd_pcm_chmap_t *rp_chmap_new(const unsigned int *std)
{
	snd_pcm_chmap_t *map = malloc(sizeof(*map) + std[0] * sizeof(map->pos[0]));

	if (map)
		memcpy(map, std, (std[0] + 1) * sizeof(std[0]));
	return map;
}

static snd_pcm_chmap_query_t **rp_query_chmaps(snd_pcm_ioplug_t *io)
{
	struct rp_pcm *rp = io->private_data;
	const struct ringpcm_info *in = rpcm_info(rp->dev);
	snd_pcm_chmap_query_t **maps;
	unsigned int ch, n = 0;
	const unsigned int *std;

	maps = calloc(in->channels_max + 1, sizeof(*maps));
	if (!maps)
		return NULL;
	for (ch = in->channels_min; ch <= in->channels_max; ch++) {
		std = rp_std_map(ch);
		if (!std)
			continue;
		maps[n] = malloc(sizeof(*maps[n]) + ch * sizeof(maps[n]->map.pos[0]));
		if (!maps[n]) {
			snd_pcm_free_chmaps(maps);
			return NULL;
		}
		maps[n]->type = SND_CHMAP_TYPE_FIXED;
		memcpy(&maps[n]->map, std, (ch + 1) * sizeof(std[0]));
		n++;
	}
	if (!n) {
		free(maps);
		return NULL;
	}
	return maps;
}

/* The map of the configured channel count (NULL before hw_params). */
static snd_pcm_chmap_t *rp_get_chmap(snd_pcm_ioplug_t *io)
{
	const unsigned int *std = io->channels ? rp_std_map(io->channels) : NULL;

	return std ? rp_chmap_new(std) : NULL;
}

/* Fixed maps: only the map the device has is accepted. */
static int rp_set_chmap(snd_pcm_ioplug_t *io, const snd_pcm_chmap_t *map)
{
	const unsigned int *std = rp_std_map(map->channels);

	if (!std || (io->channels && map->channels != io->channels))
		return -EINVAL;
	return memcmp(map->pos, std + 1, map->channels * sizeof(map->pos[0])) ? -EINVAL : 0;
}

static void rp_free(struct rp_pcm *rp)
{
	if (!rp)
		return;
	rpcm_close(rp->dev);
	pthread_mutex_destroy(&rp->pos_lock);
	free(rp);
}

static int rp_close(snd_pcm_ioplug_t *io)
{
	rp_free(io->private_data);
	return 0;
}

static const snd_pcm_ioplug_callback_t rp_callbacks = {
	.start = rp_start,
	.stop = rp_stop,
	.pointer = rp_pointer,
	.transfer = rp_transfer,
	.close = rp_close,
	.hw_params = rp_hw_params,
	.hw_free = rp_hw_free,
	.sw_params = rp_sw_params,
	.prepare = rp_prepare,
	.drain = rp_drain,
	.pause = rp_pause,
	.resume = rp_resume,
	.poll_descriptors_count = rp_poll_count,
	.poll_descriptors = rp_poll_descriptors,
	.poll_revents = rp_poll_revents,
	.dump = rp_dump,
	.delay = rp_delay,
	.query_chmaps = rp_query_chmaps,
	.get_chmap = rp_get_chmap,
	.set_chmap = rp_set_chmap,
};

/* ---- constraints --------------------------------------------------------- */

/*
 * Lists, not ranges: the buffer is always an exact number of periods, and a
 * period a multiple of the device's step (HDA: 128 bytes, a BDL entry's
 * alignment).  alsa-lib walks a list from both ends on every refine, so the
 * list must stay short: every multiple of the step up to RP_DENSE_STEPS of
 * them, then the step doubles each octave (at most 1/RP_DENSE_STEPS of the
 * size apart, and every power-of-two size a device allows stays in it).  The
 * plain list of 128-byte steps to the driver's 16 MiB has 131,072 entries
 * and made each hw_params refine cost about 0.7 ms on the host, 10 ms and
 * more under emulation: PortAudio's device probe took seconds.
 */
#define RP_DENSE_STEPS	1024u

static unsigned int rp_next_size(unsigned int v, unsigned int step)
{
	while (v >= step * (uint64_t)RP_DENSE_STEPS && !(v % (2 * step)))
		step *= 2;
	return v + step;
}

/* Fills list (if not NULL) and returns how many sizes there are. */
static unsigned int rp_sizes(unsigned int *list, unsigned int min, unsigned int max,
			     unsigned int step, bool sparse)
{
	unsigned int n = 0, v;

	for (v = min; v <= max && v >= min; v = sparse ? rp_next_size(v, step) : v + step) {
		if (list)
			list[n] = v;
		n++;
	}
	return n;
}

static int rp_list_range(snd_pcm_ioplug_t *io, int type, unsigned int min, unsigned int max,
			 unsigned int step, bool sparse)
{
	unsigned int n, *list;
	int err;

	if (!step)
		step = 1;
	min = (min + step - 1) / step * step;
	if (!min)
		min = step;
	if (max < min)
		return -EINVAL;
	n = rp_sizes(NULL, min, max, step, sparse);
	list = malloc(n * sizeof(*list));
	if (!list)
		return -ENOMEM;
	rp_sizes(list, min, max, step, sparse);
	err = snd_pcm_ioplug_set_param_list(io, type, n, list);
	free(list);
	return err;
}

static int rp_set_constraints(struct rp_pcm *rp)
{
	static const unsigned int access[] = {
		SND_PCM_ACCESS_MMAP_INTERLEAVED, SND_PCM_ACCESS_RW_INTERLEAVED,
	};
	const struct ringpcm_info *in = rpcm_info(rp->dev);
	snd_pcm_ioplug_t *io = &rp->io;
	unsigned int formats[2], nfmt = 0;
	uint64_t bmax = in->buffer_bytes_max;
	int err;

	if (in->formats & (1u << RINGPCM_FORMAT_S16_LE))
		formats[nfmt++] = SND_PCM_FORMAT_S16_LE;
	if (in->formats & (1u << RINGPCM_FORMAT_S32_LE))
		formats[nfmt++] = SND_PCM_FORMAT_S32_LE;
	if (!nfmt || !in->n_rates || in->n_rates > RINGPCM_MAX_RATES)
		return -EINVAL;
	if (bmax > UINT32_MAX)
		bmax = UINT32_MAX;
	err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_ACCESS, 2, access);
	if (!err)
		err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_FORMAT, nfmt, formats);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_CHANNELS,
						      in->channels_min, in->channels_max);
	if (!err)
		err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_RATE, in->n_rates, in->rates);
	if (!err)
		err = rp_list_range(io, SND_PCM_IOPLUG_HW_PERIOD_BYTES, in->period_bytes_min,
				    in->period_bytes_max, in->period_bytes_step, true);
	if (!err)
		err = rp_list_range(io, SND_PCM_IOPLUG_HW_PERIODS, in->periods_min,
				    in->periods_max, 1, false);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_BUFFER_BYTES,
						      in->period_bytes_min * in->periods_min, bmax);
	return err;
}

/* ---- open ---------------------------------------------------------------- */

static int rp_parse_uint(snd_config_t *n, unsigned int *out)
{
	const char *s;
	long v;
	char *end;

	if (snd_config_get_integer(n, &v) == 0) {
		if (v < 0)
			return -EINVAL;
		*out = v;
		return 0;
	}
	if (snd_config_get_string(n, &s) < 0)
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int rp_parse_dma(snd_config_t *n, enum ringpcm_dma_mode *out)
{
	const char *s;

	if (snd_config_get_string(n, &s) < 0)
		return -EINVAL;
	if (!strcmp(s, "auto"))
		*out = RINGPCM_DMA_AUTO;
	else if (!strcmp(s, "map_once") || !strcmp(s, "zerocopy"))
		*out = RINGPCM_DMA_MAP_ONCE;
	else if (!strcmp(s, "copy"))
		*out = RINGPCM_DMA_COPY;
	else
		return -EINVAL;
	return 0;
}

static int rp_open(snd_pcm_t **pcmp, const char *name, unsigned int card, unsigned int device,
		   enum ringpcm_dma_mode dma, snd_pcm_stream_t stream, int mode)
{
	enum ringpcm_direction dir = stream == SND_PCM_STREAM_CAPTURE ?
				     RINGPCM_DIR_CAPTURE : RINGPCM_DIR_PLAYBACK;
	struct rp_pcm *rp;
	const char *dbg = getenv("RINGPCM_DEBUG");
	int err;

	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return -ENOMEM;
	pthread_mutex_init(&rp->pos_lock, NULL);
	rp->synced_seen = RP_UNSYNCED;
	rp->woken_seq = RP_NO_SEQ;
	rp->card = card;
	rp->device = device;
	rp->dma = dma;
	rp->debug = dbg && *dbg && strcmp(dbg, "0");
	err = rpcm_open(&rp->dev, card, device, dir, mode & SND_PCM_NONBLOCK ? O_NONBLOCK : 0);
	if (err < 0) {
		SNDERR("ringpcm: cannot open /dev/ringpcmC%uD%u%c: %s%s", card, device,
		       dir == RINGPCM_DIR_CAPTURE ? 'c' : 'p', snd_strerror(err),
		       err == -ENOENT ? " (is ringpcm.ko loaded?)" :
		       err == -EBUSY ? " (the stream is in use)" : "");
		rp_free(rp);
		return err;
	}
	rp->io.version = SND_PCM_IOPLUG_VERSION;
	rp->io.name = "ringpcm: zero-copy HD Audio";
	rp->io.callback = &rp_callbacks;
	rp->io.private_data = rp;
	rp->io.mmap_rw = 1;
	rp->io.poll_fd = rpcm_fd(rp->dev);
	rp->io.poll_events = dir == RINGPCM_DIR_CAPTURE ? POLLIN : POLLOUT;
	/*
	 * Not SND_PCM_IOPLUG_FLAG_MONOTONIC: alsa-lib 1.2.8 then stamps
	 * trigger/status with CLOCK_MONOTONIC but never sets
	 * SND_PCM_INFO_MONOTONIC, so clients (aplay's "underrun!!! (at least
	 * 1795214150912 ms long)") subtract it from gettimeofday().  Clients
	 * that want monotonic stamps ask with sw_params tstamp_type.
	 */
	rp->io.flags = SND_PCM_IOPLUG_FLAG_BOUNDARY_WA;
	rp->boundary = LONG_MAX;
	err = snd_pcm_ioplug_create(&rp->io, name, stream, mode);
	if (err < 0) {
		rp_free(rp);
		return err;
	}
	err = rp_set_constraints(rp);
	if (err < 0) {
		SNDERR("ringpcm: the driver reports no usable configuration");
		snd_pcm_ioplug_delete(&rp->io);	/* calls rp_close */
		return err;
	}
	rp_dbg(rp, "opened card %u device %u %s", card, device,
	       dir == RINGPCM_DIR_CAPTURE ? "capture" : "playback");
	*pcmp = rp->io.pcm;
	return 0;
}

SND_PCM_PLUGIN_DEFINE_FUNC(ringpcm)
{
	snd_config_iterator_t i, next;
	unsigned int card = 0, device = 0;
	enum ringpcm_dma_mode dma = RINGPCM_DMA_AUTO;

	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id;

		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") || !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "card")) {
			if (rp_parse_uint(n, &card) < 0) {
				SNDERR("ringpcm: card must be a card number");
				return -EINVAL;
			}
			continue;
		}
		if (!strcmp(id, "device")) {
			if (rp_parse_uint(n, &device) < 0) {
				SNDERR("ringpcm: device must be a device number");
				return -EINVAL;
			}
			continue;
		}
		if (!strcmp(id, "dma")) {
			if (rp_parse_dma(n, &dma) < 0) {
				SNDERR("ringpcm: dma must be auto, map_once or copy");
				return -EINVAL;
			}
			continue;
		}
		SNDERR("ringpcm: unknown field %s", id);
		return -EINVAL;
	}
	return rp_open(pcmp, name, card, device, dma, stream, mode);
}

SND_PCM_PLUGIN_SYMBOL(ringpcm);
