// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm rings: allocation (anonymous, memfd, huge pages), ATTACH_RING and
 * DETACH_RING.  The ring is ordinary process memory that the driver pins and
 * maps once; only what rpcm_alloc_ring() allocated is freed here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rpcm-priv.h"

static size_t round_up(size_t n, size_t unit)
{
	return (n + unit - 1) / unit * unit;
}

static size_t page_bytes(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 ? (size_t)page : 4096;
}

/* A value from /proc/meminfo in kB (huge page size, free huge pages), 0 if absent. */
static unsigned long meminfo_value(const char *key)
{
	unsigned long v = 0;
	char line[128];
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			sscanf(line + n + 1, "%lu", &v);
			break;
		}
	fclose(f);
	return v;
}

static int map_anon(struct rpcm *pcm, size_t bytes)
{
	size_t len = round_up(bytes, page_bytes());
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return rpcm__fail(pcm, -errno, "anonymous ring of %zu bytes: %s", len,
				  strerror(errno));
	pcm->own_map = p;
	pcm->own_map_bytes = len;
	return 0;
}

static int map_memfd(struct rpcm *pcm, size_t bytes)
{
	size_t len = round_up(bytes, page_bytes());
	int fd = memfd_create("ringpcm-ring", MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return rpcm__fail(pcm, -errno, "memfd_create: %s", strerror(errno));
	if (ftruncate(fd, (off_t)len) < 0) {
		int err = -errno;

		close(fd);
		return rpcm__fail(pcm, err, "memfd of %zu bytes: %s", len, strerror(-err));
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		close(fd);
		return rpcm__fail(pcm, err, "mmap of the memfd ring: %s", strerror(-err));
	}
	pcm->own_map = p;
	pcm->own_map_bytes = len;
	pcm->own_memfd = fd;
	return 0;
}

static int map_huge(struct rpcm *pcm, size_t bytes)
{
	unsigned long huge_kb = meminfo_value("Hugepagesize");
	size_t len = round_up(bytes, huge_kb ? huge_kb * 1024 : 2u << 20);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED) {
		int err = -errno;

		if (err == -ENOMEM)
			return rpcm__fail(pcm, err,
				"no huge pages for a %zu-byte ring: %lu of %lu %lu kB pages free; "
				"raise /proc/sys/vm/nr_hugepages", len,
				meminfo_value("HugePages_Free"), meminfo_value("HugePages_Total"),
				huge_kb);
		return rpcm__fail(pcm, err, "MAP_HUGETLB ring of %zu bytes: %s", len,
				  strerror(-err));
	}
	pcm->own_map = p;
	pcm->own_map_bytes = len;
	return 0;
}

/* Free what rpcm_alloc_ring() allocated (after the driver let go of it). */
static void free_own(struct rpcm *pcm)
{
	if (pcm->own_map) {
		munmap(pcm->own_map, pcm->own_map_bytes);
		pcm->own_map = NULL;
		pcm->own_map_bytes = 0;
	}
	if (pcm->own_memfd >= 0) {
		close(pcm->own_memfd);
		pcm->own_memfd = -1;
	}
}

static size_t buffer_bytes(const struct rpcm *pcm)
{
	return (size_t)rpcm_buffer_frames(pcm) * pcm->frame_bytes;
}

RPCM_EXPORT int rpcm_attach_ring(struct rpcm *pcm, void *addr, size_t bytes)
{
	struct ringpcm_ring r;
	int err;

	if (!pcm->have_params)
		return rpcm__fail(pcm, -EBADFD, "attach before rpcm_set_params");
	if (bytes != buffer_bytes(pcm))
		return rpcm__fail(pcm, -EINVAL, "ring of %zu bytes, the buffer is %zu", bytes,
				  buffer_bytes(pcm));
	if (pcm->attached) {
		err = rpcm_detach_ring(pcm);
		if (err)
			return err;
	}
	memset(&r, 0, sizeof(r));
	r.addr = (uintptr_t)addr;
	r.bytes = bytes;
	err = rpcm__ioctl(pcm, RINGPCM_IOCTL_ATTACH_RING, &r, "ATTACH_RING");
	if (err == -E2BIG)
		return rpcm__fail(pcm, err, "ring at %p (%zu bytes) needs more than %u BDL entries "
				  "or is not %u-byte aligned", addr, bytes,
				  pcm->info.max_bdl_entries, pcm->info.ring_align);
	if (err)
		return err;
	pcm->ring_info = r;
	pcm->ring = addr;
	pcm->ring_bytes = bytes;
	pcm->attached = true;
	pcm->appl_ptr = 0;
	return 0;
}

RPCM_EXPORT int rpcm_alloc_ring(struct rpcm *pcm, enum rpcm_ring_kind kind)
{
	size_t bytes;
	int err;

	if (!pcm->have_params)
		return rpcm__fail(pcm, -EBADFD, "ring allocation before rpcm_set_params");
	if (pcm->attached) {
		err = rpcm_detach_ring(pcm);
		if (err)
			return err;
	}
	bytes = buffer_bytes(pcm);
	switch (kind) {
	case RPCM_RING_ANON:
		err = map_anon(pcm, bytes);
		break;
	case RPCM_RING_MEMFD:
		err = map_memfd(pcm, bytes);
		break;
	case RPCM_RING_HUGE:
		err = map_huge(pcm, bytes);
		break;
	default:
		err = -EINVAL;
	}
	if (!err)
		err = rpcm_attach_ring(pcm, pcm->own_map, bytes);
	if (err)
		free_own(pcm);
	return err;
}

RPCM_EXPORT int rpcm_detach_ring(struct rpcm *pcm)
{
	int err = 0;

	if (pcm->attached) {
		err = rpcm__ioctl(pcm, RINGPCM_IOCTL_DETACH_RING, NULL, "DETACH_RING");
		if (err == -EBUSY)
			return err;	/* still streaming: the ring stays valid */
		pcm->attached = false;
		pcm->ring = NULL;
		pcm->ring_bytes = 0;
		memset(&pcm->ring_info, 0, sizeof(pcm->ring_info));
	}
	free_own(pcm);
	return err == -ENODEV ? 0 : err;
}

/* Teardown: the driver forgets the ring on close, so errors do not matter. */
void rpcm__ring_release(struct rpcm *pcm)
{
	if (pcm->attached && pcm->fd >= 0)
		rpcm_sys->ioctl(pcm->fd, RINGPCM_IOCTL_DETACH_RING, NULL);
	pcm->attached = false;
	pcm->ring = NULL;
	/*
	 * If DETACH failed the pages stay pinned by the driver until close: our
	 * munmap only drops our view of them, so freeing here is still safe.
	 */
	free_own(pcm);
}

RPCM_EXPORT void *rpcm_ring(const struct rpcm *pcm)
{
	return pcm->attached ? pcm->ring : NULL;
}

RPCM_EXPORT const struct ringpcm_ring *rpcm_ring_info(const struct rpcm *pcm)
{
	return pcm->attached ? &pcm->ring_info : NULL;
}

RPCM_EXPORT int rpcm_ring_memfd(const struct rpcm *pcm)
{
	return pcm->attached && pcm->own_memfd >= 0 ? pcm->own_memfd : -ENOENT;
}
