// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm transfers: COMMIT, zero-copy access (mmap_begin/commit) and the
 * copying read/write built on it.
 *
 * Ownership of ring frames: for playback, frames in [appl_ptr, hw_ptr +
 * buffer) belong to the application until committed; COMMIT is where the
 * driver syncs them for the device, so data is always written first and
 * committed after, never written ahead of a commit.  For capture, frames in
 * [appl_ptr, hw_ptr) were synced for the CPU before hw_ptr was published and
 * belong to the application until it commits past them.
 */
#include <errno.h>
#include <string.h>

#include "ringpcm-math.h"
#include "rpcm-priv.h"

RPCM_EXPORT int rpcm_commit(struct rpcm *pcm, uint64_t appl_ptr)
{
	__u64 v = appl_ptr;
	int err = rpcm__ioctl(pcm, RINGPCM_IOCTL_COMMIT, &v, "COMMIT");

	if (!err) {
		pcm->appl_ptr = appl_ptr;
		pcm->granted = 0;
	}
	return err;
}

/* avail for this handle's own thread: the driver's hw_ptr, our appl_ptr. */
static int64_t own_avail(const struct rpcm *pcm, uint32_t *state)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	st.appl_ptr = pcm->appl_ptr;
	*state = st.state;
	return rpcm__avail_of(pcm->capture, &st);
}

RPCM_EXPORT int rpcm_mmap_begin(struct rpcm *pcm, void **area, uint32_t *frames)
{
	uint32_t state, buffer = rpcm_buffer_frames(pcm), offset, contiguous;
	int64_t avail;

	*frames = 0;
	*area = NULL;
	if (!pcm->attached)
		return -EBADFD;
	avail = own_avail(pcm, &state);
	if (avail < 0)
		return (int)avail;
	if (state == RINGPCM_STATE_DRAINING && !pcm->capture)
		return -EBADFD;
	offset = (uint32_t)(pcm->appl_ptr % buffer);
	contiguous = buffer - offset;
	*area = (char *)pcm->ring + (size_t)offset * pcm->frame_bytes;
	*frames = avail < contiguous ? (uint32_t)avail : contiguous;
	pcm->granted = *frames;
	return 0;
}

RPCM_EXPORT int rpcm_mmap_commit(struct rpcm *pcm, uint32_t frames)
{
	if (frames > pcm->granted)
		return rpcm__fail(pcm, -EINVAL, "commit of %u frames, %u were granted", frames,
				  pcm->granted);
	if (!frames)
		return 0;
	return rpcm_commit(pcm, pcm->appl_ptr + frames);
}

/*
 * Wait until at least `need` frames can move.  A playback ring that is full
 * while PREPARED can only drain once started, so it is started (ALSA's
 * default start threshold of one buffer); a PREPARED capture is started too.
 */
static int wait_frames(struct rpcm *pcm, uint32_t need, bool *waited)
{
	uint32_t state;
	int64_t avail = own_avail(pcm, &state);
	int err;

	if (avail < 0)
		return (int)avail;
	if (avail >= need || (avail > 0 && *waited))
		return 0;
	if (*waited && !rpcm_hwsync(pcm)) {
		/* poll said ready but the page shows nothing: refresh it once */
		avail = own_avail(pcm, &state);
		if (avail != 0)
			return avail < 0 ? (int)avail : 0;
	}
	if (state == RINGPCM_STATE_PREPARED) {
		err = rpcm_start(pcm);
		if (err)
			return err;
	}
	if (state == RINGPCM_STATE_PAUSED)
		return -EBADFD;	/* would wait forever: poll reports ready when paused */
	if (pcm->nonblock)
		return -EAGAIN;
	err = rpcm_wait(pcm, -1);
	*waited = err == 0;
	return err ? err : 1;
}

typedef void (*rpcm_copy_fn)(void *area, void *buf, size_t bytes);

static void copy_in(void *area, void *buf, size_t bytes)
{
	memcpy(area, buf, bytes);
}

static void copy_out(void *area, void *buf, size_t bytes)
{
	memcpy(buf, area, bytes);
}

/* The loop shared by read and write: frames moved, or the first error. */
static int64_t transfer(struct rpcm *pcm, char *buf, uint32_t frames, rpcm_copy_fn copy)
{
	uint32_t done = 0;
	bool waited = false;
	int err = 0;

	if (!pcm->attached)
		return -EBADFD;
	while (done < frames) {
		uint32_t left = frames - done, n;
		uint32_t need = left < pcm->avail_min ? left : pcm->avail_min;
		void *area;

		err = wait_frames(pcm, need ? need : 1, &waited);
		if (err == 1)
			continue;
		if (!err)
			err = rpcm_mmap_begin(pcm, &area, &n);
		if (err)
			break;
		if (n > left)
			n = left;
		copy(area, buf + (size_t)done * pcm->frame_bytes, (size_t)n * pcm->frame_bytes);
		err = rpcm_mmap_commit(pcm, n);
		if (err)
			break;
		done += n;
		waited = false;
	}
	return done ? (int64_t)done : err;
}

RPCM_EXPORT int64_t rpcm_write(struct rpcm *pcm, const void *buf, uint32_t frames)
{
	if (pcm->capture)
		return -EINVAL;
	return transfer(pcm, (char *)buf, frames, copy_in);
}

RPCM_EXPORT int64_t rpcm_read(struct rpcm *pcm, void *buf, uint32_t frames)
{
	if (!pcm->capture)
		return -EINVAL;
	return transfer(pcm, buf, frames, copy_out);
}
