/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What a stream's state says to a call that moves data, shared by the
 * driver, libringpcm and the ALSA plugin so that all three answer alike:
 * ALSA's errors for the states a transfer cannot go on from.  Compiles in
 * the kernel and in user space.
 */
#ifndef _RINGPCM_STATE_H
#define _RINGPCM_STATE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif
#include "uapi/ringpcm.h"

/* -EPIPE (xrun), -ESTRPIPE (system sleep), -ENODEV (gone); else 0. */
static inline int ringpcm_state_error(__u32 state)
{
	switch (state) {
	case RINGPCM_STATE_XRUN:
		return -EPIPE;
	case RINGPCM_STATE_SUSPENDED:
		return -ESTRPIPE;
	case RINGPCM_STATE_DISCONNECTED:
		return -ENODEV;
	default:
		return 0;
	}
}

#endif /* _RINGPCM_STATE_H */
