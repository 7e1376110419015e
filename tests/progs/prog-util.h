/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the programs the guest tests run against the real driver:
 * raw ioctls returning -errno, device paths, the status page, pinned pages,
 * physical page numbers.  Reporting is tests/unit/unit.h (PASS/FAIL lines).
 */
#ifndef RINGPCM_PROG_UTIL_H
#define RINGPCM_PROG_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/ringpcm.h"
#include "unit.h"

#define PAGE		4096u
#define N(a)		(sizeof(a) / sizeof((a)[0]))

/* The card under test: $RINGPCM_CARD, default 0. */
static inline unsigned int pu_card(void)
{
	const char *c = getenv("RINGPCM_CARD");

	return c ? (unsigned int)atoi(c) : 0;
}

static inline const char *pu_path(char dir)
{
	static char path[2][64];
	int i = dir == 'c';

	snprintf(path[i], sizeof(path[i]), "/dev/ringpcmC%uD0%c", pu_card(), dir);
	return path[i];
}

static inline int pu_open(char dir)
{
	int fd = open(pu_path(dir), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static inline int pu_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static inline int pu_hw_params(int fd, uint32_t rate, uint32_t channels, uint32_t period_frames,
			       uint32_t periods, uint32_t dma_mode)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = rate, .channels = channels,
		.period_frames = period_frames, .periods = periods, .dma_mode = dma_mode,
	};

	return pu_ioctl(fd, RINGPCM_IOCTL_HW_PARAMS, &p);
}

static inline int pu_attach(int fd, void *addr, uint64_t bytes, struct ringpcm_ring *out)
{
	struct ringpcm_ring r = { .addr = (uintptr_t)addr, .bytes = bytes };
	int err = pu_ioctl(fd, RINGPCM_IOCTL_ATTACH_RING, &r);

	if (out)
		*out = r;
	return err;
}

static inline const struct ringpcm_status *pu_status_map(int fd)
{
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The seqcount read, as the UAPI header documents it. */
static inline struct ringpcm_status pu_status(const struct ringpcm_status *page)
{
	struct ringpcm_status st;
	uint32_t seq;

	do {
		while ((seq = __atomic_load_n(&page->seq, __ATOMIC_ACQUIRE)) & 1)
			;
		memcpy(&st, (const void *)page, sizeof(st));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (__atomic_load_n(&page->seq, __ATOMIC_RELAXED) != seq);
	st.seq = seq;
	return st;
}

/* /sys/class/ringpcm/pinned_pages, or -1. */
static inline long pu_pinned_pages(void)
{
	FILE *f = fopen("/sys/class/ringpcm/pinned_pages", "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Page frame number of a resident page (root only), 0 if unknown. */
static inline uint64_t pu_pfn(const void *addr)
{
	static int fd = -2;
	uint64_t e = 0;

	if (fd == -2)
		fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)addr / PAGE * 8)) != 8)
		return 0;
	return (e >> 63) & 1 ? e & ((1ull << 55) - 1) : 0;
}

static inline double pu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void pu_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline const char *pu_err(int err)
{
	static char buf[64];

	if (!err)
		return "success";
	snprintf(buf, sizeof(buf), "%s (%d)", strerror(-err), err);
	return buf;
}

/* Test names are "<group>: <what>"; set the group before each set of checks. */
static const char *pu_group = "";

static inline const char *pu_name(const char *what)
{
	static char name[192];

	snprintf(name, sizeof(name), "%s%s%s", pu_group, *pu_group ? ": " : "", what);
	return name;
}

/* The usual check: a call's result is the expected -errno (0 = success). */
#define EXPECT_ERR(what, call, want) do {				\
	int got_ = (call);						\
	unit_check(got_ == (want), pu_name(what), "%s: got %s, want %s", #call, \
		   pu_err(got_), pu_err_want(want));			\
} while (0)
#define CHECK(ok, what, ...)	unit_check((ok), pu_name(what), __VA_ARGS__)

static inline const char *pu_err_want(int err)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s", err ? strerror(-err) : "success");
	return buf;
}

#endif /* RINGPCM_PROG_UTIL_H */
