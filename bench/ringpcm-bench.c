// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm-bench: measures, inside the guest, what the core driver promises:
 *  - attach: time to pin + map a ring of 1 MiB .. N MiB (anonymous or huge
 *    pages), the DMA mode and the segments/BDL entries it got, and the
 *    kernel memory it took (MemFree before and after);
 *  - largest: the largest ring each DMA mode accepts, per kind of memory;
 *  - sync vs ring: the per-period sync (RINGPCM_IOCTL_BENCH) of one period
 *    size on rings of 2 to 256 periods (up to 1 GiB): it must not grow;
 *  - irq: the driver's own per-interrupt work (status page irq_ns / irqs)
 *    for a capture stream, for rings of 2 to 256 periods of the same size
 *    and for map-once against copy: it must not grow with the ring.
 * Prints Markdown tables.  Absolute times under TCG are inflated: compare
 * rows of one run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ringpcm.h"

#define RATE		48000
#define CHANNELS	2
#define FRAME_BYTES	4

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Free memory in KiB, counting the pages parked on the per-CPU lists (6.1
 * keeps order-9 pages there too: a 2 MiB page array freed by one detach and
 * taken again by the next attach never shows in MemFree).  Per-CPU counter
 * deltas are folded first (vm.stat_refresh).  The guest is otherwise idle.
 */
static long free_kib(void)
{
	char line[256];
	long pages = 0, n;
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "we");

	if (f)
		fclose(f);	/* an empty write folds the per-CPU deltas */
	f = fopen("/proc/zoneinfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " pages free %ld", &n) == 1 || sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static void *map_ring(size_t bytes, int huge)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (huge ? MAP_HUGETLB : 0), -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, bytes);	/* fault it in: attach time is pin + map only */
	return p;
}

static int open_capture(struct rpcm **pcm, uint32_t period_frames, uint32_t periods,
			uint32_t mode)
{
	struct ringpcm_hw_params hp = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CHANNELS,
		.period_frames = period_frames, .periods = periods, .dma_mode = mode,
	};
	int ret = rpcm_open(pcm, 0, 0, RINGPCM_DIR_CAPTURE, 0);

	if (ret)
		return ret;
	ret = rpcm_set_params(*pcm, &hp);
	if (ret)
		rpcm_close(*pcm);
	return ret;
}

static void bench_attach_one(size_t mib, int huge, int reps)
{
	size_t bytes = mib << 20;
	uint32_t periods = 64, period_frames = bytes / periods / FRAME_BYTES;
	double t_attach[16], t_detach[16], kib[16];
	struct ringpcm_ring ri = { 0 };
	struct rpcm *pcm = NULL;
	int i, ret = 0;
	void *ring = map_ring(bytes, huge);

	if (!ring) {
		printf("| %zu MiB | %s | - | - | - | no memory (%s) | | |\n", mib,
		       huge ? "huge" : "anon", strerror(errno));
		return;
	}
	ret = open_capture(&pcm, period_frames, periods, RINGPCM_DMA_MAP_ONCE);
	for (i = 0; !ret && i < reps; i++) {
		long free0 = free_kib();
		double t0 = now_ms();

		ret = rpcm_attach_ring(pcm, ring, bytes);
		t_attach[i] = now_ms() - t0;
		if (ret)
			break;
		kib[i] = free0 - free_kib();
		ri = *rpcm_ring_info(pcm);
		t0 = now_ms();
		rpcm_detach_ring(pcm);
		t_detach[i] = now_ms() - t0;
	}
	if (ret) {
		printf("| %zu MiB | %s | - | - | - | %s | | |\n", mib, huge ? "huge" : "anon",
		       strerror(-ret));
	} else {
		printf("| %zu MiB | %s | %s | %u | %u | %.2f | %.2f | %.0f |\n", mib,
		       huge ? "huge" : "anon", rpcm_dma_mode_name(ri.dma_mode), ri.segments,
		       ri.bdl_entries, median(t_attach, reps), median(t_detach, reps),
		       median(kib, reps));
	}
	rpcm_close(pcm);
	munmap(ring, bytes);
}

static void bench_attach(size_t max_mib, int reps)
{
	size_t mib;
	int huge;

	printf("\n### Attach (pin + map once) and detach, capture ring of 64 periods, median of %d\n\n",
	       reps);
	printf("DMA mode MAP_ONCE (E2BIG: the ring needs more than 256 BDL entries; AUTO would fall back to\n");
	printf("COPY, see the next table). Kernel KiB: free memory (zone free pages + per-CPU lists,\n");
	printf("/proc/zoneinfo) before minus after ATTACH_RING: page array, sg table, IOMMU page tables\n");
	printf("(the ring itself was faulted in before), median; about +-100 KiB of noise. The ring's own\n");
	printf("pages are pinned and charged to the process as locked memory.\n\n");
	printf("| ring | memory | DMA mode | segments | BDL entries | attach ms | detach ms | kernel KiB |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (huge = 0; huge <= 1; huge++)
		for (mib = 1; mib <= max_mib; mib *= 4)
			bench_attach_one(mib, huge, reps);
}

/* One attach of the first @mib MiB of @area (64 periods) in @mode. */
static int try_attach(void *area, size_t mib, uint32_t mode, struct ringpcm_ring *ri)
{
	size_t bytes = mib << 20;
	struct rpcm *pcm;
	int ret = open_capture(&pcm, bytes / 64 / FRAME_BYTES, 64, mode);

	if (ret)
		return ret;
	ret = rpcm_attach_ring(pcm, area, bytes);
	if (!ret) {
		*ri = *rpcm_ring_info(pcm);
		rpcm_detach_ring(pcm);
	}
	rpcm_close(pcm);
	return ret;
}

/*
 * Largest ring (64 periods) that attaches in @mode: doubling from 1 MiB,
 * then bisection to 1/16 of the last size that worked.  All probes attach
 * the start of one area of @max_mib, faulted in once.
 */
static void bench_largest_one(void *area, size_t max_mib, int huge, uint32_t mode)
{
	struct ringpcm_ring ri = { 0 }, ok_ri = { 0 };
	size_t lo = 0, hi = 0, m;
	int ret, err = 0, probes = 0;

	for (m = 1; m <= max_mib; m *= 2, probes++) {
		ret = try_attach(area, m, mode, &ri);
		if (ret) {
			hi = m, err = ret;
			break;
		}
		lo = m, ok_ri = ri;
	}
	while (hi && lo && hi - lo > (lo / 16 ? lo / 16 : 1)) {
		m = (lo + hi) / 2;
		probes++;
		ret = try_attach(area, m, mode, &ri);
		if (ret)
			hi = m, err = ret;
		else
			lo = m, ok_ri = ri;
	}
	printf("| %s | %s | ", huge ? "huge" : "anon", rpcm_dma_mode_name(mode));
	if (lo)
		printf("%zu MiB | %u | %u | ", lo, ok_ri.segments, ok_ri.bdl_entries);
	else
		printf("none | | | ");
	if (hi)
		printf("%zu MiB: %s | %d |\n", hi, strerror(-err), probes);
	else
		printf("none up to %zu MiB | %d |\n", max_mib, probes);
}

static void bench_largest(size_t max_mib)
{
	static const uint32_t modes[] = { RINGPCM_DMA_MAP_ONCE, RINGPCM_DMA_COPY };
	size_t bytes = max_mib << 20;
	unsigned int m;
	int huge;

	printf("\n### Largest ring each DMA mode accepts (capture, 64 periods, up to %zu MiB)\n\n", max_mib);
	printf("Doubling from 1 MiB, then bisection to 1/16 of the largest size that attached; the ABI limit is\n");
	printf("1 GiB (info.buffer_bytes_max). Segments / BDL entries of the largest ring that attached.\n\n");
	printf("| memory | DMA mode | largest ring | segments | BDL entries | first size refused | probes |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (huge = 0; huge <= 1; huge++) {
		void *area = map_ring(bytes, huge);

		if (!area) {
			printf("| %s | - | no %zu MiB of memory (%s) | | | | |\n",
			       huge ? "huge" : "anon", max_mib, strerror(errno));
			continue;
		}
		for (m = 0; m < 2; m++)
			bench_largest_one(area, max_mib, huge, modes[m]);
		munmap(area, bytes);
	}
}

struct irq_result {
	uint64_t irqs;
	double ns_per_irq;
	uint64_t xruns;
	int err;
};

static struct irq_result bench_irq_one(uint32_t period_frames, uint32_t periods, uint32_t mode,
				       double seconds)
{
	struct irq_result r = { 0 };
	struct ringpcm_status st;
	struct rpcm *pcm;
	double end;

	r.err = open_capture(&pcm, period_frames, periods, mode);
	if (r.err)
		return r;
	r.err = rpcm_alloc_ring(pcm, RPCM_RING_ANON);
	if (!r.err)
		r.err = rpcm_prepare(pcm);
	if (!r.err)
		r.err = rpcm_start(pcm);
	for (end = now_ms() + seconds * 1e3; !r.err && now_ms() < end;) {
		void *area;
		uint32_t frames;
		int ret = rpcm_wait(pcm, 1000);

		if (ret == -EPIPE) {
			rpcm_recover(pcm, ret);
			continue;
		}
		if (ret == 0 && rpcm_mmap_begin(pcm, &area, &frames) == 0 && frames)
			rpcm_mmap_commit(pcm, frames);	/* consume without copying */
	}
	rpcm_status(pcm, &st);
	r.irqs = st.irqs;
	r.xruns = st.xruns;
	r.ns_per_irq = st.irqs ? (double)st.irq_ns / st.irqs : 0;
	rpcm_close(pcm);
	return r;
}

/* Median over @reps runs of the mean interrupt cost of one run. */
static struct irq_result bench_irq_median(uint32_t periods, uint32_t mode, double seconds,
					  int reps)
{
	struct irq_result runs[8], r;
	double ns[8];
	int i;

	for (i = 0; i < reps; i++) {
		runs[i] = bench_irq_one(1024, periods, mode, seconds);
		if (runs[i].err)
			return runs[i];
		ns[i] = runs[i].ns_per_irq;
	}
	r = runs[0];
	for (i = 1; i < reps; i++) {
		r.irqs += runs[i].irqs;
		r.xruns += runs[i].xruns;
	}
	r.ns_per_irq = median(ns, reps);
	return r;
}

static void bench_irq(double seconds, int reps)
{
	static const uint32_t periods[] = { 2, 4, 16, 64, 256 };
	static const uint32_t modes[] = { RINGPCM_DMA_MAP_ONCE, RINGPCM_DMA_COPY };
	unsigned int i, m;

	printf("\n### Interrupt work per period (capture, 1024-frame periods, median of %d runs of %.1f s)\n\n",
	       reps, seconds);
	printf("| DMA mode | periods | ring KiB | interrupts | xruns | ns per interrupt |\n");
	printf("|---|---|---|---|---|---|\n");
	for (m = 0; m < 2; m++)
		for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
			struct irq_result r = bench_irq_median(periods[i], modes[m], seconds, reps);

			if (r.err)
				printf("| %s | %u | %u | - | - | %s |\n", rpcm_dma_mode_name(modes[m]),
				       periods[i], periods[i] * 4, strerror(-r.err));
			else
				printf("| %s | %u | %u | %llu | %llu | %.0f |\n",
				       rpcm_dma_mode_name(modes[m]), periods[i], periods[i] * 4,
				       (unsigned long long)r.irqs, (unsigned long long)r.xruns,
				       r.ns_per_irq);
		}
}

static int strategy_run(struct rpcm *pcm, uint32_t strategy, uint32_t iterations,
			struct ringpcm_bench *b)
{
	memset(b, 0, sizeof(*b));
	b->strategy = strategy;
	b->iterations = iterations;
	return ioctl(rpcm_fd(pcm), RINGPCM_IOCTL_BENCH, b) ? -errno : 0;
}

static void bench_strategies_one(enum ringpcm_direction dir, uint32_t period_frames)
{
	struct ringpcm_hw_params hp = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CHANNELS,
		.period_frames = period_frames, .periods = 16, .dma_mode = RINGPCM_DMA_MAP_ONCE,
	};
	struct ringpcm_bench b[3];
	struct rpcm *pcm;
	uint32_t s;
	int ret;

	ret = rpcm_open(&pcm, 0, 0, dir, 0);
	if (!ret)
		ret = rpcm_set_params(pcm, &hp);
	if (!ret)
		ret = rpcm_alloc_ring(pcm, RPCM_RING_ANON);
	for (s = 0; !ret && s < 3; s++)
		ret = strategy_run(pcm, s, 2000, &b[s]);
	if (ret) {
		printf("| %s | %u | %s | | | | | |\n", dir ? "capture" : "playback", period_frames,
		       strerror(-ret));
	} else {
		printf("| %s | %u |", dir ? "capture" : "playback", period_frames);
		for (s = 0; s < 3; s++)
			printf(" %llu / %llu |", (unsigned long long)b[s].ns_median,
			       (unsigned long long)b[s].ns_p90);
		printf(" %.1fx | %.1fx |\n",
		       (double)b[1].ns_median / (b[0].ns_median ? b[0].ns_median : 1),
		       (double)b[2].ns_median / (b[0].ns_median ? b[0].ns_median : 1));
	}
	rpcm_close(pcm);
}

static void bench_strategies(void)
{
	static const uint32_t frames[] = { 64, 256, 1024, 4096 };
	unsigned int d, i;

	printf("\n### Handing one period to the device (playback) or CPU (capture), in the kernel, 2000 periods\n\n");
	printf("(a) sync = map once + dma_sync of the period (ringpcm); (b) remap = map + unmap the period's pages;\n");
	printf("(c) copy = memcpy through a coherent common buffer. Per period, median / 90th percentile in ns over samples\n");
	printf("that each time %d consecutive periods (a clock read per period would cost more than (a) under TCG);\n",
	       RINGPCM_BENCH_BATCH);
	printf("ratios of medians to (a).\n\n");
	printf("| direction | period frames | (a) sync ns | (b) remap ns | (c) copy ns | (b)/(a) | (c)/(a) |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (d = 0; d < 2; d++)
		for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
			bench_strategies_one(d ? RINGPCM_DIR_CAPTURE : RINGPCM_DIR_PLAYBACK, frames[i]);
}

/* The sync strategy on a ring of @periods x @period_bytes of @kind memory. */
static void bench_sync_ring_one(enum rpcm_ring_kind kind, uint32_t period_bytes, uint32_t periods)
{
	struct ringpcm_hw_params hp = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CHANNELS,
		.period_frames = period_bytes / FRAME_BYTES, .periods = periods,
		.dma_mode = RINGPCM_DMA_MAP_ONCE,
	};
	/* Fewer iterations for big periods: under swiotlb each one is a copy. */
	uint32_t iterations = period_bytes > (64u << 10) ? 200 : 2000;
	size_t ring_kib = ((size_t)period_bytes * periods) >> 10;
	const struct ringpcm_ring *ri;
	struct ringpcm_bench b;
	struct rpcm *pcm;
	int ret = rpcm_open(&pcm, 0, 0, RINGPCM_DIR_PLAYBACK, 0);

	if (!ret)
		ret = rpcm_set_params(pcm, &hp);
	if (!ret)
		ret = rpcm_alloc_ring(pcm, kind);
	if (!ret)
		ret = strategy_run(pcm, RINGPCM_BENCH_SYNC, iterations, &b);
	printf("| %u KiB | %s | %u | %zu %s | ", period_bytes >> 10,
	       kind == RPCM_RING_HUGE ? "huge" : "anon", periods,
	       ring_kib >= 1024 ? ring_kib >> 10 : ring_kib, ring_kib >= 1024 ? "MiB" : "KiB");
	if (ret) {
		printf("%s | | | | |\n", *rpcm_last_error(pcm) ? rpcm_last_error(pcm) : strerror(-ret));
	} else {
		ri = rpcm_ring_info(pcm);
		printf("%u | %u | %u | %llu | %llu |\n", ri->segments, ri->bdl_entries, iterations,
		       (unsigned long long)b.ns_median, (unsigned long long)b.ns_p90);
	}
	rpcm_close(pcm);
}

static void bench_sync_ring(size_t max_mib)
{
	static const uint32_t period_kib[] = { 4, 4096 };
	static const uint32_t periods[] = { 2, 4, 16, 64, 256 };
	static const enum rpcm_ring_kind kinds[] = { RPCM_RING_ANON, RPCM_RING_HUGE };
	unsigned int k, p, n;

	printf("\n### Per-period sync against ring size (playback, map once, in the kernel)\n\n");
	printf("RINGPCM_IOCTL_BENCH strategy (a) on rings of 2 to 256 periods of one size, cycling over every\n");
	printf("period of the ring; 4 KiB = 1024 frames, 4096 KiB periods reach a 1 GiB ring. Per period, median / 90th\n");
	printf("percentile in ns over samples of %d consecutive periods (2000 iterations; 200 for 4 MiB periods). TCG\n",
	       RINGPCM_BENCH_BATCH);
	printf("inflates absolute times: compare rows of one period size.\n\n");
	printf("| period | memory | periods | ring | segments | BDL entries | iterations | sync ns median | sync ns p90 |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	for (p = 0; p < sizeof(period_kib) / sizeof(period_kib[0]); p++)
		for (k = 0; k < 2; k++)
			for (n = 0; n < sizeof(periods) / sizeof(periods[0]); n++)
				if (((size_t)period_kib[p] * periods[n]) >> 10 <= max_mib)
					bench_sync_ring_one(kinds[k], period_kib[p] << 10, periods[n]);
}

int main(int argc, char **argv)
{
	/* all = attach strategies irq (the core set); scale = attach largest sync-ring */
	const char *what = argc > 1 ? argv[1] : "all";
	size_t max_mib = argc > 2 ? strtoul(argv[2], NULL, 0) : 64;

	if (!strcmp(what, "attach") || !strcmp(what, "all") || !strcmp(what, "scale"))
		bench_attach(max_mib, 5);
	if (!strcmp(what, "largest") || !strcmp(what, "scale"))
		bench_largest(max_mib);
	if (!strcmp(what, "sync-ring") || !strcmp(what, "scale"))
		bench_sync_ring(max_mib);
	if (!strcmp(what, "strategies") || !strcmp(what, "all"))
		bench_strategies();
	if (!strcmp(what, "irq") || !strcmp(what, "all"))
		bench_irq(1.5, 3);
	return 0;
}
