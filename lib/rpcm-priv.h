/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libringpcm internals: the handle, the system-call table the library goes
 * through, and the debug switch.  Not installed; never included by clients.
 */
#ifndef RPCM_PRIV_H
#define RPCM_PRIV_H

#include <poll.h>
#include <stdarg.h>
#include <sys/types.h>

#include "ringpcm.h"

#define RPCM_EXPORT	__attribute__((visibility("default")))
#define RPCM_HIDDEN	__attribute__((visibility("hidden")))

/*
 * Every system call made on the device goes through this table, so that the
 * host unit tests can run each code path against a simulated driver
 * (tests/unit/fake-driver.c).  Ring memory is ordinary process memory and is
 * allocated with the real mmap()/memfd_create() in ring.c.
 */
struct rpcm_sys {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);
	int (*poll)(struct pollfd *fds, nfds_t n, int timeout_ms);
	int (*fcntl_fl)(int fd, int set, int flags);	/* F_GETFL / F_SETFL */
};

extern RPCM_HIDDEN const struct rpcm_sys *rpcm_sys;
extern RPCM_HIDDEN const struct rpcm_sys rpcm_sys_libc;

/*
 * The handle.  Ownership: everything here belongs to the one thread using
 * the handle, except `status` (written by the driver, read lock-free by any
 * thread through rpcm_status()/rpcm_avail()).
 */
struct rpcm {
	int fd;				/* -1 once closed */
	bool nonblock;
	bool observer;		/* RPCM_OPEN_OBSERVE: read-only, never drives the stream */			/* opened with O_NONBLOCK */
	bool capture;
	struct ringpcm_info info;
	const struct ringpcm_status *status;	/* read-only page, NULL if unmapped */
	size_t status_bytes;

	bool have_params;
	struct ringpcm_hw_params params;
	unsigned int frame_bytes;
	uint32_t avail_min;

	/* The attached ring (owned or the caller's). */
	bool attached;
	void *ring;
	size_t ring_bytes;
	struct ringpcm_ring ring_info;

	/* A ring allocated by rpcm_alloc_ring(): freed on detach. */
	void *own_map;
	size_t own_map_bytes;
	int own_memfd;			/* -1 unless RPCM_RING_MEMFD */

	uint64_t appl_ptr;		/* last value committed to the driver */
	uint32_t granted;		/* frames the last mmap_begin offered */

	char last_error[192];		/* rpcm_last_error() */
};

/* debug.c */
bool rpcm__debug_on(void) RPCM_HIDDEN;
void rpcm__dbg(const char *fmt, ...) RPCM_HIDDEN __attribute__((format(printf, 1, 2)));
/* Records a human-readable reason in the handle (and prints it when
 * debugging); returns err so that callers can `return rpcm__fail(...)`. */
int rpcm__fail(struct rpcm *pcm, int err, const char *fmt, ...) RPCM_HIDDEN
	__attribute__((format(printf, 3, 4)));
/* ioctl through the table: 0/positive or -errno, debug line on failure. */
int rpcm__ioctl(struct rpcm *pcm, unsigned long req, void *arg, const char *name) RPCM_HIDDEN;

/* status.c */
void rpcm__status_read(const struct ringpcm_status *page, struct ringpcm_status *st) RPCM_HIDDEN;
/* avail from a snapshot: -EPIPE (xrun), -ENODEV (disconnected), -EBADFD
 * (no stream set up), else frames clamped to [0, buffer_frames]. */
int64_t rpcm__avail_of(bool capture, const struct ringpcm_status *st) RPCM_HIDDEN;

/* ring.c */
void rpcm__ring_release(struct rpcm *pcm) RPCM_HIDDEN;

/* wait.c: milliseconds left of a timeout that started at t0 (-1: none). */
int64_t rpcm__now_ms(void) RPCM_HIDDEN;
int rpcm__ms_left(int timeout_ms, int64_t t0) RPCM_HIDDEN;
/* poll once for the stream's direction; 1 ready, 0 timeout, -errno. */
int rpcm__poll_once(struct rpcm *pcm, int timeout_ms) RPCM_HIDDEN;

#endif /* RPCM_PRIV_H */
