// SPDX-License-Identifier: GPL-2.0
/*
 * RINGPCM_IOCTL_BENCH: what handing one period between CPU and device costs
 * with each of the three designs, measured on the same attached ring:
 *  - sync:  map once, then dma_sync_single_range_*() of the period (ringpcm);
 *  - remap: map and unmap the period's pages for every transfer;
 *  - copy:  memcpy the period to or from a coherent common buffer.
 * Runs in process context on a stream that is not streaming; the only
 * allocations are made before the timed loop.
 */
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>

#include "ringpcm.h"

#define BENCH_MAX_ITERATIONS	100000

/*
 * Each sample times a batch of RINGPCM_BENCH_BATCH consecutive hand-offs and
 * stands for their mean: reading the clock twice around every call would
 * weigh the clock in with each, and under emulation a clock read costs about
 * as much as the map-once sync being measured.  Batches stay short enough
 * that a preempted or interrupted batch is one outlier among many samples.
 */

struct bench_ctx {
	struct ringpcm_ring_dma *ring;
	u32 period_bytes;
	void *coherent;
	dma_addr_t coherent_dma;
	struct page **pages;		/* the pinned pages of one period */
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int bench_sync(struct bench_ctx *c, u32 off)
{
	if (c->ring->dir == DMA_TO_DEVICE)
		ringpcm_ring_for_device(c->ring, off, c->period_bytes);
	else
		ringpcm_ring_for_cpu(c->ring, off, c->period_bytes);
	return 0;
}

/* What a driver without map-once does each period: a fresh mapping. */
static int bench_remap(struct bench_ctx *c, u32 off)
{
	struct ringpcm_ring_dma *ring = c->ring;
	u32 upos = offset_in_page(ring->uaddr) + off;
	unsigned int first = upos >> PAGE_SHIFT;
	unsigned int last = (upos + c->period_bytes - 1) >> PAGE_SHIFT;
	struct sg_table sgt;
	int ret;

	ret = sg_alloc_table_from_pages(&sgt, ring->pages + first, last - first + 1,
					offset_in_page(upos), c->period_bytes, GFP_KERNEL);
	if (ret)
		return ret;
	ret = dma_map_sgtable(ring->dev, &sgt, ring->dir, 0);
	if (!ret)
		dma_unmap_sgtable(ring->dev, &sgt, ring->dir, 0);
	sg_free_table(&sgt);
	return ret;
}

/* The common-buffer design: every byte copied between ring and buffer. */
static int bench_copy(struct bench_ctx *c, u32 off)
{
	ringpcm_ring_copy(c->ring, off, c->period_bytes, c->coherent,
			  c->ring->dir == DMA_FROM_DEVICE);
	return 0;
}

static int (*const bench_fns[])(struct bench_ctx *c, u32 off) = {
	[RINGPCM_BENCH_SYNC]	= bench_sync,
	[RINGPCM_BENCH_REMAP]	= bench_remap,
	[RINGPCM_BENCH_COPY]	= bench_copy,
};

/* Hand-offs [first, first + n) of the run, timed together: total ns. */
static int bench_batch(struct bench_ctx *c, const struct ringpcm_bench *b, u32 first, u32 n,
		       u64 *ns)
{
	u32 periods = c->ring->bytes / c->period_bytes;
	u64 t0 = ktime_get_raw_ns();
	u32 i;
	int ret;

	for (i = first; i < first + n; i++) {
		ret = bench_fns[b->strategy](c, (i % periods) * c->period_bytes);
		if (ret)
			return ret;
	}
	*ns = ktime_get_raw_ns() - t0;
	return 0;
}

static int bench_loop(struct bench_ctx *c, struct ringpcm_bench *b, u64 *ns, u32 samples)
{
	u32 i, first, n;
	int ret;

	for (i = 0; i < samples; i++) {
		first = i * RINGPCM_BENCH_BATCH;
		n = min_t(u32, RINGPCM_BENCH_BATCH, b->iterations - first);
		ret = bench_batch(c, b, first, n, &ns[i]);
		if (ret)
			return ret;
		ns[i] = div_u64(ns[i], n);
		if (fatal_signal_pending(current))
			return -EINTR;	/* a killed benchmark must not hold the process */
		cond_resched();
	}
	sort(ns, samples, sizeof(*ns), cmp_u64, NULL);
	b->ns_min = ns[0];
	b->ns_median = ns[samples / 2];
	b->ns_p90 = ns[samples * 9 / 10];
	b->ns_max = ns[samples - 1];
	return 0;
}

/**
 * ringpcm_bench_run - time one strategy on the attached ring
 * @ring: attached ring; the engine must not be running
 * @period_bytes: the stream's period
 * @b: in strategy and iterations; out the timings
 *
 * Context: process, s->lock held.  Return: 0, -EINVAL, -ENOMEM.
 */
int ringpcm_bench_run(struct ringpcm_ring_dma *ring, u32 period_bytes, struct ringpcm_bench *b)
{
	struct bench_ctx c = { .ring = ring, .period_bytes = period_bytes };
	u32 samples;
	u64 *ns;
	int ret;

	if (b->strategy >= ARRAY_SIZE(bench_fns) || !b->iterations ||
	    b->iterations > BENCH_MAX_ITERATIONS)
		return -EINVAL;
	samples = DIV_ROUND_UP(b->iterations, RINGPCM_BENCH_BATCH);
	ns = kvmalloc_array(samples, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	c.coherent = dma_alloc_coherent(ring->dev, period_bytes, &c.coherent_dma,
					GFP_KERNEL | __GFP_NOWARN);
	ret = c.coherent ? bench_loop(&c, b, ns, samples) : -ENOMEM;
	if (c.coherent)
		dma_free_coherent(ring->dev, period_bytes, c.coherent, c.coherent_dma);
	kvfree(ns);
	return ret;
}
