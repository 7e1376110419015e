// SPDX-License-Identifier: MIT
/*
 * RingPCM host API for PortAudio: blocking streams (Pa_ReadStream,
 * Pa_WriteStream).  The buffer processor converts between the caller's
 * buffer and the ring directly; one commit per contiguous ring region.
 *
 * Xruns: an underrun/overrun found on the way is recovered at once (the
 * library's recovery, playback refilled and restarted), the transfer goes
 * on, and the call reports paOutputUnderflowed / paInputOverflowed once, as
 * PortAudio's ALSA backend does.
 */
#include <errno.h>
#include <string.h>

#include "pa_ringpcm_private.h"

#define RP_MAX_CHANNELS 64

/* Frames transferable now in direction d (recovering from an xrun), or -errno. */
static int64_t avail_now(struct rp_stream *s, int d)
{
	int64_t avail = rpcm_avail(s->dir[d].pcm);
	int err;

	if (avail != -EPIPE && avail != -ESTRPIPE)	/* ESTRPIPE: the machine slept */
		return avail;
	if (d == RP_IN)
		s->overflowed = true;
	else
		s->underflowed = true;
	err = rp_dir_restart(s, d, (int)avail);
	return err ? err : rpcm_avail(s->dir[d].pcm);
}

/* Move up to `frames` between the caller's buffer and the ring at appl_ptr. */
static int transfer(struct rp_stream *s, int d, void **user, uint32_t frames)
{
	struct rp_dir *dir = &s->dir[d];
	uint64_t pos = rpcm_appl_ptr(dir->pcm);
	uint32_t off = (uint32_t)(pos % dir->buffer);
	uint32_t n = frames < dir->buffer - off ? frames : dir->buffer - off;
	int err;

	rp_set_host_channels(s, d, pos, n);
	if (d == RP_IN)
		n = (uint32_t)PaUtil_CopyInput(&s->bp, user, n);
	else
		n = (uint32_t)PaUtil_CopyOutput(&s->bp, (const void **)user, n);
	err = rpcm_commit(dir->pcm, pos + n);
	/* An xrun meanwhile loses these frames; the next round recovers it. */
	return err < 0 && err != -EPIPE && err != -ESTRPIPE ? err : (int)n;
}

static PaError blocking_io(struct rp_stream *s, int d, void *buffer, unsigned long frames)
{
	void *ptrs[RP_MAX_CHANNELS];
	void *user = buffer;
	int interleaved = d == RP_IN ? s->bp.userInputIsInterleaved : s->bp.userOutputIsInterleaved;

	if (!s->has[d])
		return d == RP_IN ? paCanNotReadFromAnOutputOnlyStream : paCanNotWriteToAnInputOnlyStream;
	if (!atomic_load(&s->active))
		return paStreamIsStopped;
	if (!interleaved) {
		/* PortAudio advances the channel pointers: work on a copy. */
		if (s->dir[d].user_channels > RP_MAX_CHANNELS)
			return paInvalidChannelCount;
		memcpy(ptrs, buffer, sizeof(void *) * s->dir[d].user_channels);
		user = ptrs;
	}
	while (frames > 0) {
		uint32_t want = frames < s->dir[d].period ? (uint32_t)frames : s->dir[d].period;
		int64_t avail = avail_now(s, d);
		int r;

		if (avail < 0)
			return rp_error((int)avail);
		if (avail == 0) {
			r = rp_wait_ready(s, 1 << d, want, RP_STOP_ABORT);
			if (r == 0)
				return paNoError;	/* aborted from another thread */
			if (r < 0 && r != -EPIPE && r != -ESTRPIPE)
				return rp_error(r);
			continue;
		}
		r = transfer(s, d, &user, avail < (int64_t)frames ? (uint32_t)avail : (uint32_t)frames);
		if (r < 0)
			return rp_error(r);
		frames -= (unsigned long)r;
	}
	return paNoError;
}

PaError rp_read(PaStream *ps, void *buffer, unsigned long frames)
{
	struct rp_stream *s = (struct rp_stream *)ps;
	PaError err = blocking_io(s, RP_IN, buffer, frames);

	if (err == paNoError && s->overflowed) {
		s->overflowed = false;
		return paInputOverflowed;
	}
	return err;
}

PaError rp_write(PaStream *ps, const void *buffer, unsigned long frames)
{
	struct rp_stream *s = (struct rp_stream *)ps;
	PaError err = blocking_io(s, RP_OUT, (void *)buffer, frames);

	if (err == paNoError && s->underflowed) {
		s->underflowed = false;
		return paOutputUnderflowed;
	}
	return err;
}

static signed long available(struct rp_stream *s, int d)
{
	int64_t avail;

	if (!s->has[d])
		return d == RP_IN ? paCanNotReadFromAnOutputOnlyStream : paCanNotWriteToAnInputOnlyStream;
	if (!atomic_load(&s->active))
		return d == RP_OUT ? (signed long)s->dir[d].buffer : 0;
	avail = avail_now(s, d);
	return avail < 0 ? rp_error((int)avail) : (signed long)avail;
}

signed long rp_read_available(PaStream *ps)
{
	return available((struct rp_stream *)ps, RP_IN);
}

signed long rp_write_available(PaStream *ps)
{
	return available((struct rp_stream *)ps, RP_OUT);
}
