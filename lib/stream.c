// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm stream control: prepare, start, drop, pause, drain and xrun
 * recovery.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "rpcm-priv.h"

RPCM_EXPORT int rpcm_prepare(struct rpcm *pcm)
{
	int err = rpcm__ioctl(pcm, RINGPCM_IOCTL_PREPARE, NULL, "PREPARE");

	if (!err) {
		pcm->appl_ptr = 0;	/* the driver resets hw_ptr and appl_ptr */
		pcm->granted = 0;
	}
	return err;
}

RPCM_EXPORT int rpcm_start(struct rpcm *pcm)
{
	return rpcm__ioctl(pcm, RINGPCM_IOCTL_START, NULL, "START");
}

RPCM_EXPORT int rpcm_drop(struct rpcm *pcm)
{
	return rpcm__ioctl(pcm, RINGPCM_IOCTL_DROP, NULL, "DROP");
}

RPCM_EXPORT int rpcm_pause(struct rpcm *pcm, bool pause)
{
	__u32 on = pause;

	return rpcm__ioctl(pcm, RINGPCM_IOCTL_PAUSE, &on, pause ? "PAUSE(1)" : "PAUSE(0)");
}

/* Issue DRAIN without blocking in the driver (the wait is ours, with a timeout). */
static int drain_nonblocking(struct rpcm *pcm)
{
	int fl = rpcm_sys->fcntl_fl(pcm->fd, 0, 0);
	int err;

	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK) && rpcm_sys->fcntl_fl(pcm->fd, 1, fl | O_NONBLOCK) < 0)
		return -errno;
	err = rpcm__ioctl(pcm, RINGPCM_IOCTL_DRAIN, NULL, "DRAIN");
	if (!(fl & O_NONBLOCK))
		rpcm_sys->fcntl_fl(pcm->fd, 1, fl);
	return err == -EAGAIN ? 0 : err;	/* EAGAIN: draining has begun */
}

/* Wait until the state leaves DRAINING (the driver then reports POLLOUT). */
static int drain_wait(struct rpcm *pcm, int timeout_ms, int64_t t0)
{
	for (;;) {
		int ret;

		switch (rpcm_state(pcm)) {
		case RINGPCM_STATE_DRAINING:
			break;
		case RINGPCM_STATE_SETUP:
		case RINGPCM_STATE_XRUN:	/* everything committed was played */
			return 0;
		case RINGPCM_STATE_SUSPENDED:	/* the machine slept mid-drain */
			return -ESTRPIPE;
		case RINGPCM_STATE_DISCONNECTED:
			return -ENODEV;
		default:
			return -EBADFD;
		}
		ret = rpcm__poll_once(pcm, rpcm__ms_left(timeout_ms, t0));
		if (ret == 0)
			return -ETIMEDOUT;
		if (ret < 0 && ret != -EPIPE)
			return ret;
	}
}

static int drain_playback(struct rpcm *pcm, int timeout_ms)
{
	int64_t t0 = rpcm__now_ms();
	int err;

	switch (rpcm_state(pcm)) {
	case RINGPCM_STATE_SETUP:
		return 0;
	case RINGPCM_STATE_DRAINING:	/* an earlier drain timed out: keep waiting */
		return drain_wait(pcm, timeout_ms, t0);
	case RINGPCM_STATE_XRUN:	/* underrun: all committed data was played */
		return rpcm_drop(pcm);
	case RINGPCM_STATE_PREPARED:
		if (!pcm->appl_ptr)
			return rpcm_drop(pcm);
		break;
	case RINGPCM_STATE_RUNNING:
		break;
	case RINGPCM_STATE_SUSPENDED:
		return -ESTRPIPE;
	case RINGPCM_STATE_DISCONNECTED:
		return -ENODEV;
	default:
		return -EBADFD;
	}
	/*
	 * The driver plays silence after the data for what the device holds
	 * beyond the DMA position, and starts a prepared stream.
	 */
	err = drain_nonblocking(pcm);
	if (err == -EPIPE)	/* ran dry before the drain: nothing left to play */
		return rpcm_drop(pcm);
	if (!err)
		err = drain_wait(pcm, timeout_ms, t0);
	if (!err && rpcm_state(pcm) == RINGPCM_STATE_XRUN)
		err = rpcm_drop(pcm);
	return err;
}

RPCM_EXPORT int rpcm_drain(struct rpcm *pcm, int timeout_ms)
{
	uint32_t state;

	if (!pcm->capture)
		return drain_playback(pcm, timeout_ms);
	state = rpcm_state(pcm);
	if (state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	if (state == RINGPCM_STATE_OPEN || state == RINGPCM_STATE_SETUP)
		return 0;
	return rpcm_drop(pcm);
}

RPCM_EXPORT int rpcm_recover(struct rpcm *pcm, int err)
{
	if (err == -EINTR || err >= 0)
		return 0;
	if (err != -EPIPE && err != -ESTRPIPE)
		return err;
	/* Both leave the engine stopped and the ring attached: prepare again. */
	err = rpcm_prepare(pcm);
	if (!err && pcm->capture)
		err = rpcm_start(pcm);
	return err;
}
