// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-ring-sizes: ATTACH_RING over rings from 2 periods to the most the BDL
 * holds, in several kinds of memory, checking what the driver reports
 * (segments, BDL entries, mode, flags) against what the memory implies.
 *
 * Without an IOMMU the DMA segments are exactly the runs of physically
 * contiguous pages (read from /proc/self/pagemap, root only), cut at the
 * driver's maximum segment, and the BDL needs one entry per cut: period ends
 * and segment ends (ringpcm_next_cut, the driver's own walk).  So the exact
 * segments and entries are predicted, and E2BIG is expected exactly when the
 * entries exceed info.max_bdl_entries; AUTO must then fall back to COPY.
 * With an IOMMU, segments can only merge: the prediction is an upper bound.
 * Scattered rings (each page moved with mremap so that no two are adjacent)
 * provoke E2BIG on purpose: many tiny periods, and small periods that do not
 * line up with pages.  Also: pinned_pages accounting, memfd and huge pages.
 */
#define _GNU_SOURCE
#include <stdbool.h>

#include "prog-util.h"
#include "ringpcm-math.h"

#define RATE		48000
#define CH		2
#define FB		(CH * 2)
#define MAX_RING	(64u << 20)	/* the guest has 1 GiB */

static struct ringpcm_info info;
static bool iommu, pfns_known, swiotlb_forced;
static uint64_t max_seg;	/* the driver's sg segment limit */

struct layout {
	unsigned int segments, entries;
};

/* What the memory implies without an IOMMU; false if PFNs are unknown. */
static bool predict(const uint8_t *ring, uint64_t bytes, uint64_t period, struct layout *l)
{
	uint64_t n_pages = (bytes + PAGE - 1) / PAGE, seg_len = 0, pos = 0, prev, pfn;
	uint64_t seg_end;

	prev = pu_pfn(ring);
	if (!prev)
		return false;
	l->segments = 1;
	l->entries = 0;
	/* sg_alloc_table_from_pages_segment(): merge while contiguous, up to max_seg */
	for (uint64_t i = 1; i <= n_pages; i++) {
		pfn = i < n_pages ? pu_pfn(ring + i * PAGE) : 0;
		if (i < n_pages && !pfn)
			return false;
		seg_len += PAGE;
		if (i < n_pages && seg_len < max_seg && pfn == prev + 1) {
			prev = pfn;
			continue;
		}
		seg_end = i * PAGE < bytes ? i * PAGE : bytes;
		while (pos < seg_end) {	/* the driver's BDL walk */
			pos = ringpcm_next_cut(pos, period, seg_end, UINT32_MAX);
			l->entries++;
		}
		if (i < n_pages)
			l->segments++;
		seg_len = 0;
		prev = pfn;
	}
	return true;
}

static const char *mode_name(uint32_t m)
{
	return m == RINGPCM_DMA_MAP_ONCE ? "MAP_ONCE" : m == RINGPCM_DMA_COPY ? "COPY" :
	       m == RINGPCM_DMA_AUTO ? "AUTO" : "?";
}

/*
 * Attach ring [ring, ring + periods * period) with `mode` and check the
 * result against the prediction.  Returns the attach result.
 */
static int attach_and_check(const char *what, char dir, uint8_t *ring, uint32_t period,
			    uint32_t periods, uint32_t mode)
{
	uint64_t bytes = (uint64_t)period * periods;
	long pinned0 = pu_pinned_pages(), pinned1;
	struct ringpcm_ring r;
	struct layout want;
	bool known;
	int fd = pu_open(dir), err;
	char name[192];

	snprintf(name, sizeof(name), "%s: %u x %u bytes %s %s", what, periods, period,
		 dir == 'p' ? "playback" : "capture", mode_name(mode));
	if (!unit_check(fd >= 0, name, "open: %s", pu_err(fd)))
		return fd;
	err = pu_hw_params(fd, RATE, CH, period / FB, periods, mode);
	if (!unit_check(!err, name, "HW_PARAMS: %s", pu_err(err))) {
		close(fd);
		return err;
	}
	err = pu_attach(fd, ring, bytes, &r);
	pinned1 = pu_pinned_pages();
	known = predict(ring, bytes, period, &want);	/* after the pin: no migration now */
	if (!known)
		want.segments = want.entries = 0;
	printf("INFO %s -> %s: %u segments, %u BDL entries, %s%s (predicted %u/%u%s)\n", name,
	       pu_err(err), r.segments, r.bdl_entries, mode_name(r.dma_mode),
	       r.flags & RINGPCM_RING_CAN_PAUSE ? ", can pause" : "", want.segments,
	       want.entries, known ? "" : ", unknown");

	if (mode == RINGPCM_DMA_COPY || (err == 0 && r.dma_mode == RINGPCM_DMA_COPY)) {
		unit_check(err == 0 || err == -ENOMEM, name, "COPY attach: %s", pu_err(err));
		if (!err)
			unit_check(r.segments == 1 && r.bdl_entries == periods &&
				   r.dma_mode == RINGPCM_DMA_COPY, name,
				   "COPY ring: %u segments, %u entries, mode %u", r.segments,
				   r.bdl_entries, r.dma_mode);
	} else if (!known) {
		unit_check(err == 0 || err == -E2BIG, name, "%s", pu_err(err));
		if (!err)
			unit_check(r.bdl_entries >= periods && r.bdl_entries <= info.max_bdl_entries &&
				   r.bdl_entries <= periods + r.segments - 1, name,
				   "%u entries for %u periods and %u segments", r.bdl_entries,
				   periods, r.segments);
	} else if (!iommu) {
		bool fits = want.entries <= info.max_bdl_entries;
		/* swiotlb=force bounces every byte: a big ring may exhaust its pool */
		bool pool_full = swiotlb_forced && bytes > (8u << 20) && err == -ENOMEM;

		if (pool_full && (fits || mode == RINGPCM_DMA_MAP_ONCE))
			printf("INFO %s: the swiotlb pool cannot bounce it (ENOMEM)\n", name);
		else if (fits)
			unit_check(!err && r.segments == want.segments &&
				   r.bdl_entries == want.entries && r.dma_mode == RINGPCM_DMA_MAP_ONCE,
				   name, "%s, %u segments, %u entries; predicted %u, %u",
				   pu_err(err), r.segments, r.bdl_entries, want.segments,
				   want.entries);
		else if (mode == RINGPCM_DMA_MAP_ONCE)
			unit_check(err == -E2BIG, name, "%s; %u entries predicted (max %u)",
				   pu_err(err), want.entries, info.max_bdl_entries);
		else	/* AUTO past the BDL: COPY, whose common buffer is too big here */
			unit_check(err == -ENOMEM, name, "AUTO past the BDL: %s", pu_err(err));
	} else {
		/* an IOMMU only merges: never more than predicted */
		unit_check(err == 0 || (err == -E2BIG && want.entries > info.max_bdl_entries), name,
			   "%s with %u entries predicted", pu_err(err), want.entries);
		if (!err && r.dma_mode == RINGPCM_DMA_MAP_ONCE)
			unit_check(r.segments <= want.segments && r.bdl_entries <= want.entries &&
				   r.bdl_entries >= periods, name,
				   "%u segments, %u entries; at most %u, %u", r.segments,
				   r.bdl_entries, want.segments, want.entries);
	}
	if (!err) {
		/* QEMU restarts its list: a resume needs up to two entries more. */
		unit_check(!!(r.flags & RINGPCM_RING_CAN_PAUSE) ==
			   (r.bdl_entries + 2 <= info.max_bdl_entries), name,
			   "CAN_PAUSE %u with %u entries", r.flags, r.bdl_entries);
		unit_check(pinned0 < 0 || pinned1 - pinned0 == (long)((bytes + PAGE - 1) / PAGE),
			   name, "pinned pages %ld -> %ld for %llu bytes", pinned0, pinned1,
			   (unsigned long long)bytes);
	} else {
		unit_check(pinned1 == pinned0, name, "a refused ring left pages pinned: %ld -> %ld",
			   pinned0, pinned1);
	}
	close(fd);
	unit_check(pu_pinned_pages() == pinned0, name, "close did not unpin: %ld -> %ld",
		   pinned0, pu_pinned_pages());
	return err;
}

static uint8_t *anon(uint64_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, bytes);
	return p;
}

/* ---- 2 periods to the BDL's limit, anonymous memory ---- */

static void sweep(void)
{
	static const uint32_t periods[] = { 2, 3, 4, 7, 16, 64, 128, 255, 256 };
	static const uint32_t periods_bytes[] = { 128, 1024, 4096, 6144, 65536, 262144,
						  1u << 20 };

	for (size_t i = 0; i < N(periods_bytes); i++)
		for (size_t j = 0; j < N(periods); j++) {
			uint32_t period = periods_bytes[i], n = periods[j];
			uint64_t bytes = (uint64_t)period * n;
			uint8_t *ring;

			if (n < info.periods_min || n > info.periods_max || bytes > MAX_RING ||
			    period < info.period_bytes_min || period > info.period_bytes_max ||
			    bytes > info.buffer_bytes_max)
				continue;
			ring = anon(bytes);
			if (!ring)
				continue;
			if (attach_and_check("sweep", j % 2 ? 'c' : 'p', ring, period, n,
					     RINGPCM_DMA_MAP_ONCE) == -E2BIG)
				attach_and_check("sweep fallback", 'p', ring, period, n,
						 RINGPCM_DMA_AUTO);
			munmap(ring, bytes);
		}
}

/* ---- scattered rings: no two pages physically adjacent ---- */

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a >> 12, y = *(const uint64_t *)b >> 12;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * A ring of n pages taken from a larger pool in descending physical order
 * (so page i + 1 is never page i's successor) and moved into one virtual
 * range with mremap.  NULL if the PFNs cannot be read.
 */
static uint8_t *scattered(unsigned int n)
{
	unsigned int pool_n = 2 * n;
	uint8_t *pool = mmap(NULL, (size_t)pool_n * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *ring = mmap(NULL, (size_t)n * PAGE, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t *keys = calloc(pool_n, sizeof(*keys));	/* pfn << 12 | index */
	bool ok = pool != MAP_FAILED && ring != MAP_FAILED && keys;

	if (ok) {
		madvise(pool, (size_t)pool_n * PAGE, MADV_NOHUGEPAGE);
		memset(pool, 0x5a, (size_t)pool_n * PAGE);
	}
	for (unsigned int i = 0; ok && i < pool_n; i++) {
		uint64_t pfn = pu_pfn(pool + (size_t)i * PAGE);

		ok = pfn != 0;
		keys[i] = pfn << 12 | i;
	}
	if (ok)
		qsort(keys, pool_n, sizeof(*keys), cmp_desc);
	for (unsigned int i = 0; ok && i < n; i++)
		ok = mremap(pool + (keys[i] & 0xfff) * PAGE, PAGE, PAGE,
			    MREMAP_MAYMOVE | MREMAP_FIXED, ring + (size_t)i * PAGE) != MAP_FAILED;
	free(keys);
	if (pool != MAP_FAILED)
		munmap(pool, (size_t)pool_n * PAGE);	/* what was not moved */
	if (!ok && ring != MAP_FAILED)
		munmap(ring, (size_t)n * PAGE);
	return ok ? ring : NULL;
}

static void scattered_cases(void)
{
	static const struct {
		const char *what;
		unsigned int pages;
		uint32_t period, periods;
	} cases[] = {
		/* one entry per page: 300 > 256 */
		{ "scattered 300 pages, 4 periods", 300, 75 * PAGE, 4 },
		/* 256 periods of 1.5 KiB: 256 + 96 - 32 shared ends = 320 entries */
		{ "scattered, 256 tiny periods off the page grid", 96, 1536, 256 },
		/* page ends are period ends: exactly 256 entries, the limit */
		{ "scattered, 256 periods on the page grid", 64, 1024, 256 },
		{ "scattered, 128 periods of half a page", 64, 2048, 128 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		uint8_t *ring = scattered(cases[i].pages);
		char name[128];

		snprintf(name, sizeof(name), "%s: ring built", cases[i].what);
		if (!unit_check(ring != NULL, name, "cannot read PFNs (not root?)"))
			continue;
		if (attach_and_check(cases[i].what, 'p', ring, cases[i].period, cases[i].periods,
				     RINGPCM_DMA_MAP_ONCE) == -E2BIG)
			attach_and_check(cases[i].what, 'p', ring, cases[i].period,
					 cases[i].periods, RINGPCM_DMA_AUTO);
		attach_and_check(cases[i].what, 'c', ring, cases[i].period, cases[i].periods,
				 RINGPCM_DMA_COPY);
		munmap(ring, (size_t)cases[i].pages * PAGE);
	}
}

/* ---- memfd and huge pages ---- */

static void memfd_case(void)
{
	const uint64_t bytes = 1u << 20;
	int mfd = memfd_create("ring", MFD_CLOEXEC);
	uint8_t *ring = MAP_FAILED;

	if (mfd >= 0 && ftruncate(mfd, bytes) == 0)
		ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (!unit_check(ring != MAP_FAILED, "memfd ring allocated", "%s", strerror(errno)))
		return;
	memset(ring, 0, bytes);
	attach_and_check("memfd", 'p', ring, 65536, 16, RINGPCM_DMA_MAP_ONCE);
	attach_and_check("memfd", 'c', ring, 4096, 256, RINGPCM_DMA_AUTO);
	munmap(ring, bytes);
	close(mfd);
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static bool write_long(const char *path, long v)
{
	FILE *f = fopen(path, "we");
	bool ok = f && fprintf(f, "%ld\n", v) > 0;

	if (f)
		ok &= fclose(f) == 0;
	return ok;
}

static void huge_case(void)
{
	const char *nr = "/proc/sys/vm/nr_hugepages";
	const uint64_t bytes = 2u << 20;
	long before = read_long(nr);
	uint8_t *ring;

	if (before >= 0)
		write_long(nr, before + 2);
	ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (ring == MAP_FAILED) {
		printf("INFO huge pages unavailable (nr_hugepages %ld -> %ld): %s\n", before,
		       read_long(nr), strerror(errno));
	} else {
		memset(ring, 0, bytes);
		/* 2 MiB physically contiguous: one segment, one entry per period */
		attach_and_check("huge page", 'p', ring, 8192, 256, RINGPCM_DMA_MAP_ONCE);
		attach_and_check("huge page", 'c', ring, 1u << 20, 2, RINGPCM_DMA_MAP_ONCE);
		munmap(ring, bytes);
	}
	if (before >= 0)
		write_long(nr, before);
}

int main(void)
{
	int fd = pu_open('p');

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!unit_check(fd >= 0, "ring sizes: open playback", "%s", pu_err(fd)) ||
	    !unit_check(!pu_ioctl(fd, RINGPCM_IOCTL_INFO, &info), "ring sizes: INFO", "failed"))
		return unit_exit("rpcm-ring-sizes");
	close(fd);
	iommu = info.iommu;
	{
		char cmdline[1024] = "";
		FILE *f = fopen("/proc/cmdline", "re");

		if (f) {
			if (!fgets(cmdline, sizeof(cmdline), f))
				cmdline[0] = 0;
			fclose(f);
		}
		swiotlb_forced = strstr(cmdline, "swiotlb=force") != NULL;
	}
	max_seg = info.max_segment < (1u << 30) ? info.max_segment : (1u << 30);
	max_seg -= max_seg % PAGE;
	{
		uint8_t *probe = anon(PAGE);

		pfns_known = probe && pu_pfn(probe);
		printf("INFO iommu %u, swiotlb=force %d, max_segment %llu (sg limit %llu), "
		       "max BDL entries %u, PFNs %s\n", info.iommu, swiotlb_forced, (unsigned long long)info.max_segment,
		       (unsigned long long)max_seg, info.max_bdl_entries,
		       pfns_known ? "readable" : "unreadable (bounds only)");
		if (probe)
			munmap(probe, PAGE);
	}
	sweep();
	scattered_cases();
	memfd_case();
	huge_case();
	return unit_exit("rpcm-ring-sizes");
}
