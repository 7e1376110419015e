// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm devices: open (version check, INFO, status page mapping) and the
 * one NULL-tolerant, idempotent teardown used by close and every error path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rpcm-priv.h"

static struct rpcm *handle_new(void)
{
	struct rpcm *pcm = calloc(1, sizeof(*pcm));

	if (!pcm)
		return NULL;
	pcm->fd = -1;
	pcm->own_memfd = -1;
	return pcm;
}

/*
 * Undo open in exact reverse order: stop, detach and free the ring, unmap
 * the status page, close.  Each step clears what it undid, so running it
 * twice (or on a half-opened handle) is harmless.  Errors are ignored: the
 * driver stops and unpins on close anyway (and must after a disconnect).
 */
static void handle_teardown(struct rpcm *pcm)
{
	uint32_t state = rpcm_state(pcm);

	if (pcm->fd >= 0 && !pcm->observer && state != RINGPCM_STATE_OPEN && state != RINGPCM_STATE_SETUP &&
	    state != RINGPCM_STATE_DISCONNECTED)
		rpcm_drop(pcm);
	rpcm__ring_release(pcm);
	if (pcm->status) {
		rpcm_sys->munmap((void *)pcm->status, pcm->status_bytes);
		pcm->status = NULL;
	}
	if (pcm->fd >= 0) {
		rpcm_sys->close(pcm->fd);
		pcm->fd = -1;
	}
}

RPCM_EXPORT void rpcm_close(struct rpcm *pcm)
{
	if (!pcm)
		return;
	handle_teardown(pcm);
	free(pcm);
}

static int check_version(struct rpcm *pcm)
{
	__u32 version = 0;
	int err = rpcm__ioctl(pcm, RINGPCM_IOCTL_PVERSION, &version, "PVERSION");

	if (err)
		return err;
	if (version >> 16 != RINGPCM_VERSION_MAJOR)
		return rpcm__fail(pcm, -EPROTO, "driver ABI %u.%u, library speaks %u.x",
				  version >> 16, version & 0xffff, RINGPCM_VERSION_MAJOR);
	return 0;
}

static int map_status(struct rpcm *pcm)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	pcm->status_bytes = page > 0 ? (size_t)page : 4096;
	p = rpcm_sys->mmap(NULL, pcm->status_bytes, PROT_READ, MAP_SHARED, pcm->fd, 0);
	if (p == MAP_FAILED)
		return rpcm__fail(pcm, -errno, "mmap of the status page: %s", strerror(errno));
	pcm->status = p;
	return 0;
}

static int handle_open(struct rpcm *pcm, const char *path, int flags)
{
	int err;

	pcm->nonblock = flags & O_NONBLOCK;
	pcm->observer = flags & RPCM_OPEN_OBSERVE;
	/* A read-only open observes the stream without claiming it. */
	pcm->fd = rpcm_sys->open(path, (flags & RPCM_OPEN_OBSERVE ? O_RDONLY : O_RDWR) |
				 O_CLOEXEC | (flags & O_NONBLOCK));
	if (pcm->fd < 0)
		return rpcm__fail(pcm, -errno, "open %s: %s", path, strerror(errno));
	err = check_version(pcm);
	if (!err)
		err = rpcm__ioctl(pcm, RINGPCM_IOCTL_INFO, &pcm->info, "INFO");
	if (!err)
		err = map_status(pcm);
	if (err)
		return err;
	pcm->capture = pcm->info.direction == RINGPCM_DIR_CAPTURE;
	return 0;
}

RPCM_EXPORT int rpcm_open_path(struct rpcm **out, const char *path, int flags)
{
	struct rpcm *pcm;
	int err;

	*out = NULL;
	pcm = handle_new();
	if (!pcm)
		return -ENOMEM;
	err = handle_open(pcm, path, flags);
	if (err) {
		rpcm_close(pcm);
		return err;
	}
	*out = pcm;
	return 0;
}

RPCM_EXPORT int rpcm_open(struct rpcm **out, unsigned int card, unsigned int device,
			  enum ringpcm_direction dir, int flags)
{
	char path[64];
	int err;

	*out = NULL;
	if (dir != RINGPCM_DIR_PLAYBACK && dir != RINGPCM_DIR_CAPTURE)
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/ringpcmC%uD%u%c", card, device,
		 dir == RINGPCM_DIR_CAPTURE ? 'c' : 'p');
	err = rpcm_open_path(out, path, flags);
	if (!err && (*out)->info.direction != (__u32)dir) {
		rpcm_close(*out);
		*out = NULL;
		return -EINVAL;
	}
	return err;
}

RPCM_EXPORT int rpcm_ctl_open(unsigned int card)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/ringpcmC%uctl", card);
	fd = rpcm_sys->open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		rpcm__dbg("open %s: %s", path, strerror(-err));
		return err;
	}
	return fd;
}

RPCM_EXPORT int rpcm_fd(const struct rpcm *pcm)
{
	return pcm ? pcm->fd : -EBADF;
}

RPCM_EXPORT const struct ringpcm_info *rpcm_info(const struct rpcm *pcm)
{
	return &pcm->info;
}

RPCM_EXPORT bool rpcm_is_capture(const struct rpcm *pcm)
{
	return pcm->capture;
}
