// SPDX-License-Identifier: LGPL-2.1-or-later
/* libringpcm plumbing: the system-call table, the RINGPCM_DEBUG switch, errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rpcm-priv.h"

static int sys_open(const char *path, int flags)
{
	return open(path, flags);
}

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static int sys_fcntl_fl(int fd, int set, int flags)
{
	return set ? fcntl(fd, F_SETFL, flags) : fcntl(fd, F_GETFL);
}

const struct rpcm_sys rpcm_sys_libc = {
	.open = sys_open,
	.close = close,
	.ioctl = sys_ioctl,
	.mmap = mmap,
	.munmap = munmap,
	.poll = poll,
	.fcntl_fl = sys_fcntl_fl,
};

const struct rpcm_sys *rpcm_sys = &rpcm_sys_libc;

/* 0 unknown, 1 off, 2 on; read once (a benign race: every thread computes the same). */
static int debug_state;

bool rpcm__debug_on(void)
{
	int s = __atomic_load_n(&debug_state, __ATOMIC_RELAXED);

	if (!s) {
		const char *e = getenv("RINGPCM_DEBUG");

		s = e && *e && strcmp(e, "0") ? 2 : 1;
		__atomic_store_n(&debug_state, s, __ATOMIC_RELAXED);
	}
	return s == 2;
}

void rpcm__dbg(const char *fmt, ...)
{
	va_list ap;

	if (!rpcm__debug_on())
		return;
	va_start(ap, fmt);
	fputs("libringpcm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int rpcm__fail(struct rpcm *pcm, int err, const char *fmt, ...)
{
	char msg[sizeof(pcm->last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pcm)
		memcpy(pcm->last_error, msg, sizeof(msg));
	if (strstr(msg, strerror(-err)))
		rpcm__dbg("%s", msg);
	else
		rpcm__dbg("%s (%s)", msg, strerror(-err));
	return err;
}

int rpcm__ioctl(struct rpcm *pcm, unsigned long req, void *arg, const char *name)
{
	if (pcm->fd < 0)
		return -EBADF;
	if (rpcm_sys->ioctl(pcm->fd, req, arg) < 0) {
		int err = -errno;

		return rpcm__fail(pcm, err, "%s: %s", name, strerror(-err));
	}
	return 0;
}

RPCM_EXPORT const char *rpcm_last_error(const struct rpcm *pcm)
{
	return pcm && pcm->last_error[0] ? pcm->last_error : "";
}
