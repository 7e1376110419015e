// SPDX-License-Identifier: LGPL-2.1-or-later
/* libringpcm parameters: HW_PARAMS (format, rate, layout) and SW_PARAMS (avail_min). */
#include <errno.h>
#include <string.h>

#include "rpcm-priv.h"

static unsigned int sample_bytes(uint32_t format)
{
	switch (format) {
	case RINGPCM_FORMAT_S16_LE:
		return 2;
	case RINGPCM_FORMAT_S32_LE:
		return 4;
	default:
		return 0;
	}
}

/* What the library itself needs to be true; everything else is the driver's call. */
static int params_sane(struct rpcm *pcm, const struct ringpcm_hw_params *p)
{
	if (!sample_bytes(p->format) || !p->channels || !p->period_frames || !p->periods)
		return rpcm__fail(pcm, -EINVAL, "format %u, %u channels, %u periods of %u frames",
				  p->format, p->channels, p->periods, p->period_frames);
	if ((uint64_t)p->period_frames * p->periods > UINT32_MAX)
		return rpcm__fail(pcm, -EINVAL, "buffer of %u x %u frames is too large",
				  p->periods, p->period_frames);
	return 0;
}

/* A stream past SETUP is stopped first: HW_PARAMS/DETACH would be EBUSY. */
static int stop_for_params(struct rpcm *pcm)
{
	uint32_t state = rpcm_state(pcm);

	if (state == RINGPCM_STATE_OPEN || state == RINGPCM_STATE_SETUP)
		return 0;
	if (state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	return rpcm_drop(pcm);
}

RPCM_EXPORT int rpcm_set_params(struct rpcm *pcm, const struct ringpcm_hw_params *params)
{
	struct ringpcm_hw_params p = *params;
	int err = params_sane(pcm, &p);

	if (!err)
		err = stop_for_params(pcm);
	if (!err && pcm->attached)
		err = rpcm_detach_ring(pcm);
	if (!err)
		err = rpcm__ioctl(pcm, RINGPCM_IOCTL_HW_PARAMS, &p, "HW_PARAMS");
	if (err) {
		pcm->have_params = false;
		return err;
	}
	pcm->params = p;
	pcm->have_params = true;
	pcm->frame_bytes = sample_bytes(p.format) * p.channels;
	pcm->appl_ptr = 0;
	/* ALSA's default: wake up once per period. */
	if (rpcm_set_avail_min(pcm, p.period_frames))
		rpcm__dbg("SW_PARAMS after HW_PARAMS refused; keeping avail_min %u locally",
			  p.period_frames);
	pcm->avail_min = p.period_frames;
	return 0;
}

RPCM_EXPORT const struct ringpcm_hw_params *rpcm_params(const struct rpcm *pcm)
{
	return pcm->have_params ? &pcm->params : NULL;
}

RPCM_EXPORT unsigned int rpcm_frame_bytes(const struct rpcm *pcm)
{
	return pcm->have_params ? pcm->frame_bytes : 0;
}

RPCM_EXPORT unsigned int rpcm_buffer_frames(const struct rpcm *pcm)
{
	return pcm->have_params ? pcm->params.period_frames * pcm->params.periods : 0;
}

RPCM_EXPORT int rpcm_set_avail_min(struct rpcm *pcm, uint32_t frames)
{
	struct ringpcm_sw_params sw;
	int err;

	if (!pcm->have_params)
		return -EBADFD;
	if (!frames || frames > rpcm_buffer_frames(pcm))
		return rpcm__fail(pcm, -EINVAL, "avail_min %u outside 1..%u", frames,
				  rpcm_buffer_frames(pcm));
	memset(&sw, 0, sizeof(sw));
	sw.avail_min = frames;
	err = rpcm__ioctl(pcm, RINGPCM_IOCTL_SW_PARAMS, &sw, "SW_PARAMS");
	if (!err)
		pcm->avail_min = frames;
	return err;
}
