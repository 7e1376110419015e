// SPDX-License-Identifier: GPL-2.0
/*
 * The application's ring: pinned, described as pieces the BDL can hold, and
 * handed between CPU and device.
 *
 * Two interchangeable implementations (struct ringpcm_ring_ops):
 *  - map-once: one sg_table over the pinned pages, mapped once; per period
 *    only the range whose owner changes is synchronised (the device DMAs
 *    straight from/into the application's pages);
 *  - copy: the classic common buffer; the device DMAs a coherent buffer and
 *    each range is copied to or from the pinned pages.
 *
 * Ownership of each byte of the ring:
 *  - playback: the application owns [hw_ptr, appl_ptr + buffer) until it
 *    commits; COMMIT hands [old appl_ptr, new appl_ptr) to the device
 *    (ringpcm_ring_for_device) before the engine can reach it;
 *  - capture: the device owns the ring from PREPARE; each time hw_ptr moves,
 *    [old hw_ptr, hw_ptr) is handed to the CPU (ringpcm_ring_for_cpu), and a
 *    COMMIT of appl_ptr hands what was read back to the device.
 * Teardown happens only after the engine has been halted and confirmed so.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "ringpcm.h"
#include "ringpcm-math.h"

static atomic_long_t ringpcm_pinned = ATOMIC_LONG_INIT(0);

long ringpcm_pinned_pages(void)
{
	return atomic_long_read(&ringpcm_pinned);
}

struct ringpcm_ring_ops {
	u32 mode;
	int (*map)(struct ringpcm_ring_dma *ring);
	void (*unmap)(struct ringpcm_ring_dma *ring);
	void (*for_device)(struct ringpcm_ring_dma *ring, u32 off, u32 len);
	void (*for_cpu)(struct ringpcm_ring_dma *ring, u32 off, u32 len);
};

/* ---- pinning -------------------------------------------------------------- */

/*
 * Both directions pin for write.  A read-only pin of anonymous memory the
 * application has not written yet pins the shared zero page (seen on 6.1):
 * the application's later writes then copy-on-write to new pages while the
 * device keeps reading zeros.  Pinning for write gives the ring its own pages
 * up front; a ring the application cannot write is of no use for playback.
 */
static int ring_pin(struct ringpcm_ring_dma *ring)
{
	unsigned long first = ring->uaddr >> PAGE_SHIFT;
	unsigned long last = (ring->uaddr + ring->bytes - 1) >> PAGE_SHIFT;
	unsigned int flags = FOLL_LONGTERM | FOLL_WRITE;
	int pinned, ret;

	ring->n_pages = last - first + 1;
	ring->pages = kvmalloc_array(ring->n_pages, sizeof(*ring->pages), GFP_KERNEL);
	if (!ring->pages)
		return -ENOMEM;
	ring->mm = current->mm;
	mmgrab(ring->mm);
	ret = account_locked_vm(ring->mm, ring->n_pages, true);
	if (ret)
		goto out_drop_mm;

	pinned = pin_user_pages_fast(ring->uaddr & PAGE_MASK, ring->n_pages, flags, ring->pages);
	if (pinned == ring->n_pages) {
		atomic_long_add(pinned, &ringpcm_pinned);
		return 0;
	}
	/* A partial pin is a range we cannot use: give back what we got. */
	if (pinned >= 0) {
		unpin_user_pages(ring->pages, pinned);
		ret = -EFAULT;
	} else {
		ret = pinned;
	}
	account_locked_vm(ring->mm, ring->n_pages, false);
out_drop_mm:
	mmdrop(ring->mm);
	kvfree(ring->pages);
	ring->pages = NULL;
	return ret;
}

static void ring_unpin(struct ringpcm_ring_dma *ring)
{
	/* The device wrote into capture pages: mark them dirty as we let go. */
	unpin_user_pages_dirty_lock(ring->pages, ring->n_pages, ring->dir == DMA_FROM_DEVICE);
	atomic_long_sub(ring->n_pages, &ringpcm_pinned);
	account_locked_vm(ring->mm, ring->n_pages, false);
	mmdrop(ring->mm);
	kvfree(ring->pages);
	ring->pages = NULL;
}

/* ---- pieces: what the BDL holds ------------------------------------------ */

/*
 * Add one DMA segment [addr, addr + len) at ring offset *pos, cut so that no
 * piece crosses a period boundary, nor the part's BDL entry boundary.
 * -E2BIG when the BDL cannot hold it or a piece would start unaligned.
 */
static int ring_add_segment(struct ringpcm_ring_dma *ring, dma_addr_t addr, u32 len, u32 *pos)
{
	u32 end = *pos + len;

	while (*pos < end) {
		u32 seg_off = len - (end - *pos);
		u32 cut = ringpcm_entry_end(*pos, addr + seg_off, ring->period_bytes, end,
					    ring->bdle_boundary);
		struct ringpcm_piece *p;

		if (ring->n_pieces == HDA_BDL_ENTRIES)
			return -E2BIG;
		if (!ringpcm_entry_aligned(addr + seg_off))
			return -E2BIG;
		p = &ring->pieces[ring->n_pieces];
		p->seg_addr = addr;
		p->seg_off = seg_off;
		p->ring_off = *pos;
		p->len = cut - *pos;
		p->ioc = cut % ring->period_bytes == 0;
		if (p->ring_off % ring->period_bytes == 0)
			ring->first_piece[p->ring_off / ring->period_bytes] = ring->n_pieces;
		ring->n_pieces++;
		*pos = cut;
	}
	return 0;
}

/* The first piece that holds ring offset @off (O(pieces per period)). */
static const struct ringpcm_piece *ring_piece_at(const struct ringpcm_ring_dma *ring, u32 off)
{
	unsigned int i = ring->first_piece[off / ring->period_bytes];

	while (ring->pieces[i].ring_off + ring->pieces[i].len <= off)
		i++;
	return &ring->pieces[i];
}

/* ---- map once, sync per period -------------------------------------------- */

static unsigned int ring_max_segment(struct device *dev)
{
	size_t max = min_t(size_t, dma_get_max_seg_size(dev), dma_max_mapping_size(dev));

	return rounddown(min_t(size_t, max, SZ_1G), PAGE_SIZE);
}

static int map_once_map(struct ringpcm_ring_dma *ring)
{
	struct scatterlist *sg;
	u32 pos = 0;
	int i, ret;

	ret = sg_alloc_table_from_pages_segment(&ring->sgt, ring->pages, ring->n_pages,
						offset_in_page(ring->uaddr), ring->bytes,
						ring_max_segment(ring->dev), GFP_KERNEL);
	if (ret)
		return ret;
	ret = dma_map_sgtable(ring->dev, &ring->sgt, ring->dir, 0);
	if (ret) {
		/* -EIO is swiotlb's "bounce pool full": a resource limit for the caller. */
		ret = ret == -EIO ? -ENOMEM : ret;
		goto out_free_table;
	}
	ring->segments = ring->sgt.nents;
	ring->need_sync = false;
	for_each_sgtable_dma_sg(&ring->sgt, sg, i) {
		ret = ring_add_segment(ring, sg_dma_address(sg), sg_dma_len(sg), &pos);
		if (ret)
			goto out_unmap;
		ring->need_sync |= dma_need_sync(ring->dev, sg_dma_address(sg));
	}
	return 0;

out_unmap:
	dma_unmap_sgtable(ring->dev, &ring->sgt, ring->dir, 0);
out_free_table:
	sg_free_table(&ring->sgt);
	return ret;
}

static void map_once_unmap(struct ringpcm_ring_dma *ring)
{
	dma_unmap_sgtable(ring->dev, &ring->sgt, ring->dir, 0);
	sg_free_table(&ring->sgt);
}

/*
 * Sub-range sync: each piece lies inside one mapped segment, so the range is
 * synced with dma_sync_single_range_*() on that segment's handle, the only
 * documented way to sync part of a mapping.  Skipped entirely when the DMA
 * API says no segment needs it (dma_need_sync(): a coherent device mapped
 * directly, no bounce buffer): then every sync call is a no-op walk through
 * the DMA layer, per period.  A swiotlb bounce or a non-coherent device keeps
 * every sync.
 */
static void map_once_sync(struct ringpcm_ring_dma *ring, u32 off, u32 len, bool for_cpu)
{
	const struct ringpcm_piece *p;
	u32 end = off + len;

	if (!ring->need_sync)
		return;
	p = ring_piece_at(ring, off);

	for (; off < end; p++) {
		u32 skip = off - p->ring_off;
		u32 n = min(end - off, p->len - skip);

		if (for_cpu)
			dma_sync_single_range_for_cpu(ring->dev, p->seg_addr, p->seg_off + skip,
						      n, ring->dir);
		else
			dma_sync_single_range_for_device(ring->dev, p->seg_addr,
							 p->seg_off + skip, n, ring->dir);
		off += n;
	}
}

static void map_once_for_device(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	map_once_sync(ring, off, len, false);
}

static void map_once_for_cpu(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	map_once_sync(ring, off, len, true);
}

static const struct ringpcm_ring_ops map_once_ops = {
	.mode		= RINGPCM_DMA_MAP_ONCE,
	.map		= map_once_map,
	.unmap		= map_once_unmap,
	.for_device	= map_once_for_device,
	.for_cpu	= map_once_for_cpu,
};

/* ---- copy through a common buffer ------------------------------------------ */

static int copy_map(struct ringpcm_ring_dma *ring)
{
	u32 pos = 0;
	int ret;

	/* Large rings may not find contiguous memory: that is -ENOMEM, not a WARN. */
	ring->copy_buf = dma_alloc_coherent(ring->dev, ring->bytes, &ring->copy_dma,
					    GFP_KERNEL | __GFP_NOWARN);
	if (!ring->copy_buf)
		return -ENOMEM;
	ring->segments = 1;
	ret = ring_add_segment(ring, ring->copy_dma, ring->bytes, &pos);
	if (ret)
		dma_free_coherent(ring->dev, ring->bytes, ring->copy_buf, ring->copy_dma);
	return ret;
}

static void copy_unmap(struct ringpcm_ring_dma *ring)
{
	dma_free_coherent(ring->dev, ring->bytes, ring->copy_buf, ring->copy_dma);
}

/*
 * The application's pages behind ring bytes [off, off + len), one page-sized
 * chunk at a time: @fn gets the chunk's kernel address (kmap_local), its
 * length and how far into the range it starts.
 */
static void ring_walk_pages(struct ringpcm_ring_dma *ring, u32 off, u32 len,
			    void (*fn)(void *va, u32 n, u32 done, void *arg), void *arg)
{
	u32 done = 0;

	while (done < len) {
		u32 upos = offset_in_page(ring->uaddr) + off + done;
		u32 in_page = offset_in_page(upos);
		u32 n = min_t(u32, len - done, PAGE_SIZE - in_page);
		void *va = kmap_local_page(ring->pages[upos >> PAGE_SHIFT]);

		fn(va + in_page, n, done, arg);
		kunmap_local(va);
		done += n;
	}
}

static void chunk_to_pages(void *va, u32 n, u32 done, void *buf)
{
	memcpy(va, buf + done, n);
}

static void chunk_from_pages(void *va, u32 n, u32 done, void *buf)
{
	memcpy(buf + done, va, n);
}

static void chunk_zero(void *va, u32 n, u32 done, void *unused)
{
	memset(va, 0, n);
}

/**
 * ringpcm_ring_copy - copy ring bytes between the pinned pages and a buffer
 * @ring: attached ring
 * @off: ring offset
 * @len: bytes, within the ring
 * @buf: kernel buffer of @len bytes (the common buffer at @off, or any)
 * @to_pages: copy from @buf into the ring's pages, else the other way
 *
 * Context: any (kmap_local); the pages stay pinned while the ring is attached.
 */
void ringpcm_ring_copy(struct ringpcm_ring_dma *ring, u32 off, u32 len, void *buf, bool to_pages)
{
	ring_walk_pages(ring, off, len, to_pages ? chunk_to_pages : chunk_from_pages, buf);
}

static void copy_for_device(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	if (ring->dir == DMA_TO_DEVICE)
		ringpcm_ring_copy(ring, off, len, ring->copy_buf + off, false);
}

static void copy_for_cpu(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	if (ring->dir == DMA_FROM_DEVICE)
		ringpcm_ring_copy(ring, off, len, ring->copy_buf + off, true);
}

static const struct ringpcm_ring_ops copy_ops = {
	.mode		= RINGPCM_DMA_COPY,
	.map		= copy_map,
	.unmap		= copy_unmap,
	.for_device	= copy_for_device,
	.for_cpu	= copy_for_cpu,
};

/* ---- attach / detach ------------------------------------------------------- */

static int ring_map_with(struct ringpcm_ring_dma *ring, const struct ringpcm_ring_ops *ops)
{
	ring->ops = ops;
	ring->n_pieces = 0;
	return ops->map(ring);
}

/**
 * ringpcm_ring_attach - pin a user ring and make it reachable by the device
 * @out: the attached ring
 * @dev: the DMA device
 * @capture: the device writes into the ring
 * @uaddr: user address, HDA_BDL_ALIGN aligned
 * @bytes: ring size, a whole number of periods
 * @period_bytes: every period ends on its own BDL entry
 * @mode: RINGPCM_DMA_AUTO (map once, else copy), _MAP_ONCE or _COPY
 * @bdle_boundary: no BDL entry may cross a multiple of it in bus addresses
 *		   (0: no limit; 4096 on Creative CTHDA)
 *
 * Context: process, sleeps; charges the pinned pages to current->mm.
 * Return: 0, -EFAULT (range not pinnable, e.g. read-only),
 * -E2BIG (more than HDA_BDL_ENTRIES entries, or misaligned), -ENOMEM.
 */
int ringpcm_ring_attach(struct ringpcm_ring_dma **out, struct device *dev, bool capture,
			unsigned long uaddr, u32 bytes, u32 period_bytes, u32 mode,
			u32 bdle_boundary)
{
	struct ringpcm_ring_dma *ring;
	int ret;

	if (uaddr & (HDA_BDL_ALIGN - 1))
		return -E2BIG;
	ring = kvzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	ring->dev = dev;
	ring->dir = capture ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	ring->uaddr = uaddr;
	ring->bytes = bytes;
	ring->period_bytes = period_bytes;
	ring->bdle_boundary = bdle_boundary;

	ret = ring_pin(ring);
	if (ret)
		goto out_free;
	ret = ring_map_with(ring, mode == RINGPCM_DMA_COPY ? &copy_ops : &map_once_ops);
	if (ret == -E2BIG && mode == RINGPCM_DMA_AUTO)
		ret = ring_map_with(ring, &copy_ops);
	if (ret)
		goto out_unpin;
	ring->sync_free = ring->ops == &map_once_ops && !ring->need_sync;
	*out = ring;
	return 0;

out_unpin:
	ring_unpin(ring);
out_free:
	kvfree(ring);
	return ret;
}

/**
 * ringpcm_ring_detach - unmap and unpin; the engine must be halted already
 * @ring: may be NULL
 */
void ringpcm_ring_detach(struct ringpcm_ring_dma *ring)
{
	if (!ring)
		return;
	ring->ops->unmap(ring);
	ring_unpin(ring);
	kvfree(ring);
}

u32 ringpcm_ring_mode(const struct ringpcm_ring_dma *ring)
{
	return ring->ops->mode;
}

/* ---- the head: ring bytes the engine reaches through a driver buffer ------ */

/* Copy the part of [off, off + len) that lies in the head, either way. */
static void head_copy(struct ringpcm_ring_dma *ring, u32 off, u32 len, bool to_pages)
{
	u32 lo = max(off, ring->head_off);
	u32 hi = min(off + len, ring->head_off + ring->head_len);

	if (lo < hi)
		ringpcm_ring_copy(ring, lo, hi - lo, ring->head_buf + (lo - ring->head_off),
				  to_pages);
}

/**
 * ringpcm_ring_set_head - let the engine reach ring bytes through @buf
 * @ring: attached ring, its engine halted
 * @buf: coherent buffer of at least @len bytes, or NULL with @len 0 (none)
 * @off: ring offset of the bytes
 * @len: how many
 *
 * A playback head takes the ring's bytes now and at every later hand-over
 * to the device; a capture head gives the device's bytes to the ring at
 * every hand-over to the CPU.  What the application sees stays the ring.
 */
void ringpcm_ring_set_head(struct ringpcm_ring_dma *ring, void *buf, u32 off, u32 len)
{
	ring->head_buf = buf;
	ring->head_off = off;
	ring->head_len = len;
	if (len && ring->dir == DMA_TO_DEVICE)
		head_copy(ring, off, len, false);
}

/* Hand ring bytes [off, off + len) to the device; len <= ring size. */
void ringpcm_ring_for_device(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	if (!len)
		return;
	ring->ops->for_device(ring, off, len);
	if (ring->head_len && ring->dir == DMA_TO_DEVICE)
		head_copy(ring, off, len, false);
}

/**
 * ringpcm_ring_silence - write silence into a playback ring and hand it over
 * @ring: attached playback ring
 * @off: ring offset
 * @len: bytes, within the ring
 *
 * For a drain: the frames after the application's last one.  The silence
 * goes where the application's own data would (its pages, then synced or
 * copied like data it committed), as ALSA's core silences an mmap'd buffer.
 * Zero is silence for every format the driver offers (signed PCM).
 * Context: any, including the interrupt path.
 */
void ringpcm_ring_silence(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	ring_walk_pages(ring, off, len, chunk_zero, NULL);
	ringpcm_ring_for_device(ring, off, len);
}

/* Hand ring bytes [off, off + len) to the CPU; len <= ring size. */
void ringpcm_ring_for_cpu(struct ringpcm_ring_dma *ring, u32 off, u32 len)
{
	if (!len)
		return;
	ring->ops->for_cpu(ring, off, len);
	/* After the sync: a bounce buffer's copy of these bytes is stale. */
	if (ring->head_len && ring->dir == DMA_FROM_DEVICE)
		head_copy(ring, off, len, true);
}
