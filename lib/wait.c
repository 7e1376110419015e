// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm waiting: poll() on the stream descriptor.  The driver reports
 * POLLOUT (playback) / POLLIN (capture) when avail >= avail_min or the stream
 * is not in a state that makes progress (and when DRAINING ends), POLLERR on
 * xrun, POLLHUP on disconnect.
 */
#include <errno.h>
#include <time.h>

#include "rpcm-priv.h"

int64_t rpcm__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rpcm__ms_left(int timeout_ms, int64_t t0)
{
	int64_t left;

	if (timeout_ms < 0)
		return -1;
	left = timeout_ms - (rpcm__now_ms() - t0);
	return left > 0 ? (int)left : 0;
}

/* What an error or hang-up event means, from the state the driver published. */
static int poll_error(struct rpcm *pcm, short revents)
{
	uint32_t state = rpcm_state(pcm);

	if (revents & POLLNVAL)
		return -EBADF;
	if ((revents & POLLHUP) || state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	if (state == RINGPCM_STATE_XRUN)
		return -EPIPE;
	if (state == RINGPCM_STATE_SUSPENDED)
		return -ESTRPIPE;
	return rpcm__fail(pcm, -EIO, "POLLERR in state %s", rpcm_state_name(state));
}

int rpcm__poll_once(struct rpcm *pcm, int timeout_ms)
{
	struct pollfd pfd = {
		.fd = pcm->fd,
		.events = pcm->capture ? POLLIN : POLLOUT,
	};
	int ret = rpcm_sys->poll(&pfd, 1, timeout_ms);

	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
		return poll_error(pcm, pfd.revents);
	return 1;
}

RPCM_EXPORT int rpcm_wait(struct rpcm *pcm, int timeout_ms)
{
	int64_t avail = rpcm_avail(pcm);
	int ret;

	if (avail < 0)
		return (int)avail;
	if (avail >= pcm->avail_min)
		return 0;
	ret = rpcm__poll_once(pcm, timeout_ms);
	if (ret == 0)
		return -ETIMEDOUT;
	return ret < 0 ? ret : 0;
}
