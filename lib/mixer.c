// SPDX-License-Identifier: LGPL-2.1-or-later
/* libringpcm mixer: the codec's amplifiers, pins (jacks) and capture source,
 * through a stream or the card's ctl device. */
#include <errno.h>
#include <string.h>

#include "rpcm-priv.h"

/* The ABI wants reserved fields zero on input: never pass the caller's through. */
static void mixer_copy_in(struct ringpcm_mixer *dst, const struct ringpcm_mixer *src)
{
	*dst = *src;
	memset(dst->reserved, 0, sizeof(dst->reserved));
}

static int mixer_ioctl(int fd, unsigned long req, struct ringpcm_mixer *m, const char *name)
{
	if (rpcm_sys->ioctl(fd, req, m) < 0) {
		int err = -errno;

		rpcm__dbg("%s(control %u): %s", name, m->control, strerror(-err));
		return err;
	}
	return 0;
}

RPCM_EXPORT int rpcm_mixer_get(int fd, struct ringpcm_mixer *m)
{
	struct ringpcm_mixer tmp;
	int err;

	memset(&tmp, 0, sizeof(tmp));
	tmp.control = m->control;
	err = mixer_ioctl(fd, RINGPCM_IOCTL_MIXER_GET, &tmp, "MIXER_GET");
	if (!err)
		*m = tmp;
	return err;
}

RPCM_EXPORT int rpcm_mixer_set(int fd, const struct ringpcm_mixer *m)
{
	struct ringpcm_mixer tmp;

	mixer_copy_in(&tmp, m);
	return mixer_ioctl(fd, RINGPCM_IOCTL_MIXER_SET, &tmp, "MIXER_SET");
}

RPCM_EXPORT int rpcm_pins_get(int fd, struct ringpcm_pins *p)
{
	memset(p, 0, sizeof(*p));
	if (rpcm_sys->ioctl(fd, RINGPCM_IOCTL_PINS, p) < 0) {
		int err = -errno;

		rpcm__dbg("PINS: %s", strerror(-err));
		return err;
	}
	return 0;
}

RPCM_EXPORT int rpcm_capture_source_set(int fd, uint32_t nid)
{
	if (rpcm_sys->ioctl(fd, RINGPCM_IOCTL_CAPTURE_SOURCE, &nid) < 0) {
		int err = -errno;

		rpcm__dbg("CAPTURE_SOURCE(0x%02x): %s", nid, strerror(-err));
		return err;
	}
	return 0;
}
