// SPDX-License-Identifier: GPL-2.0
/*
 * fault-mem: rings in every kind of memory and layout, good and bad.
 *
 * Accepted (and then streamed for a moment in both directions, with the
 * pinned-page counter exactly the pages the ring spans, and back to zero
 * after close): rings aligned to info.ring_align but not to a page, in a
 * memfd (also at a file offset), in huge pages (MAP_HUGETLB, also not at
 * the huge page's start) and transparent huge pages, in a MAP_SHARED and a
 * MAP_PRIVATE mapping of a tmpfs file (and the file truncated under a
 * running ring), across two separate adjacent mappings (anonymous +
 * anonymous, anonymous + memfd, memfd + tmpfs file), one ring shared by
 * playback and capture at once.
 * Refused with the documented error and nothing left pinned: sizes off by
 * one frame, one byte, 4 GiB; addresses off ring_align (E2BIG); rings that
 * run into a hole, into read-only memory, over the status page or the vDSO
 * (EFAULT).  And the status page cannot be written through /proc/self/mem.
 * Prints PASS/FAIL lines; exits non-zero if anything failed.
 */
#include "fault-lib.c"

#include <sys/auxv.h>

#define PERIOD		1024
#define PERIODS		8
#define RING		(PERIOD * PERIODS * FL_FB)	/* 32 KiB: 8 pages */
#define MODE_NAME(m)	((m) == RINGPCM_DMA_COPY ? "copy" : "map-once")

static struct ringpcm_info info;

static long pages_spanned(const void *ring, size_t bytes)
{
	uintptr_t a = (uintptr_t)ring;

	return (long)(((a + bytes + PAGE - 1) / PAGE) - a / PAGE);
}

/* Streams a prepared ring for ~ms: true if hw_ptr moves at about the rate. */
static bool run_briefly(int fd, uint8_t *ring, bool capture, unsigned int ms, char *why, size_t n)
{
	const struct ringpcm_status *page = pu_status_map(fd);
	struct ringpcm_status st = { 0 };
	uint64_t v = 1, end;
	int err;

	if (!page)
		return snprintf(why, n, "no status page"), false;
	err = pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
	for (uint32_t f = 0; !err && !capture && f < PERIOD * PERIODS; f++)
		fl_ramp_frame(v++, (int16_t *)(ring + f * FL_FB));
	if (!err && !capture)
		err = fl_commit(fd, PERIOD * PERIODS);
	if (!err)
		err = pu_ioctl(fd, RINGPCM_IOCTL_START, NULL);
	end = fl_now_ns() + ms * 1000000ull;
	/*
	 * Capture frames show in the status page once synced for the CPU: at a
	 * period interrupt, or at HWSYNC (which a reader asks for, as ALSA's
	 * hwsync); a ring that needs a sync (IOMMU, swiotlb) shows nothing
	 * sooner, and the window is shorter than a period.
	 */
	while (!err && fl_now_ns() < end) {
		if (capture)
			err = pu_ioctl(fd, RINGPCM_IOCTL_HWSYNC, NULL);
		st = pu_status(page);
		if (!err)
			err = fl_commit(fd, capture ? st.hw_ptr : st.hw_ptr + PERIOD * PERIODS);
		pu_sleep_ms(5);
	}
	if (!err && capture)
		err = pu_ioctl(fd, RINGPCM_IOCTL_HWSYNC, NULL);
	st = pu_status(page);
	munmap((void *)page, PAGE);
	if (!err && st.state == RINGPCM_STATE_RUNNING && st.hw_ptr >= FL_RATE * ms / 4000)
		return true;
	snprintf(why, n, "%s, state %s, hw_ptr %llu after %u ms", pu_err(err),
		 rpcm_state_name(st.state), (unsigned long long)st.hw_ptr, ms);
	return false;
}

/*
 * One ring: ATTACH_RING gives want (0 or -errno); accepted rings pin exactly
 * the pages they span and stream; everything is released on close.
 */
static void ring_case(const char *name, void *ring, uint64_t bytes, int want)
{
	static const char dirs[] = { 'p', 'c' };
	static const uint32_t modes[] = { RINGPCM_DMA_MAP_ONCE, RINGPCM_DMA_COPY };

	for (unsigned int d = 0; d < 2; d++)
		for (unsigned int m = 0; m < (want ? 1 : 2); m++) {
			long p0 = pu_pinned_pages(), p1;
			int fd = fl_open(dirs[d], O_RDWR), err;
			char what[160], why[160] = "";
			bool ok;

			pu_hw_params(fd, FL_RATE, FL_CH, PERIOD, PERIODS, modes[m]);
			err = pu_attach(fd, ring, bytes, NULL);
			p1 = pu_pinned_pages();
			snprintf(what, sizeof(what), "%s: %s %s %s", name,
				 dirs[d] == 'p' ? "playback" : "capture", MODE_NAME(modes[m]),
				 want ? "refused" : "streams");
			ok = err == want;
			if (!ok)
				snprintf(why, sizeof(why), "ATTACH_RING %s, want %s", pu_err(err),
					 pu_err(want));
			else if (!want && p1 - p0 != pages_spanned(ring, bytes))
				ok = !snprintf(why, sizeof(why), "pinned %ld pages, the ring spans %ld",
					       p1 - p0, pages_spanned(ring, bytes));
			else if (want && p1 != p0)
				ok = !snprintf(why, sizeof(why), "a refused ring left %ld pages pinned",
					       p1 - p0);
			else if (!want)
				ok = run_briefly(fd, ring, dirs[d] == 'c', 150, why, sizeof(why));
			CHECK(ok, what, "%s", why);
			close(fd);
			snprintf(what, sizeof(what), "%s: pages released on close", name);
			CHECK(fl_wait_pinned(p0, 2000) == p0, what, "pinned %ld, %ld before",
			      pu_pinned_pages(), p0);
		}
}

/* ---- layouts ------------------------------------------------------------- */

static int memfd_of(size_t bytes)
{
	int fd = memfd_create("fault-mem", MFD_CLOEXEC);

	if (fd >= 0 && ftruncate(fd, (off_t)bytes)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int tmpfs_file(size_t bytes)
{
	char path[] = "/dev/shm/fault-mem-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (ftruncate(fd, (off_t)bytes)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_alignment(void)
{
	uint8_t *m = fl_anon(RING + 2 * PAGE);
	const uint32_t align = info.ring_align;
	char name[64];

	pu_group = "alignment";
	const uint32_t offs[] = { align, PAGE / 2 + align, PAGE - align };

	for (unsigned int i = 0; i < N(offs); i++) {
		snprintf(name, sizeof(name), "ring at page offset %u", offs[i]);
		ring_case(name, m + offs[i], RING, 0);
	}
	for (uint32_t off = 1; off < align; off *= 4) {
		snprintf(name, sizeof(name), "ring %u bytes off ring_align", off);
		ring_case(name, m + align + off, RING, -E2BIG);
	}
	munmap(m, RING + 2 * PAGE);
}

static void test_sizes(void)
{
	static const struct { const char *name; int64_t delta; } d[] = {
		{ "one frame short", -FL_FB }, { "one frame long", FL_FB }, { "one byte short", -1 },
		{ "one byte long", 1 }, { "one period short", -PERIOD * FL_FB },
		{ "4 GiB too long (truncates to the right size)", 1ll << 32 },
		{ "zero bytes", -RING },
	};
	uint8_t *m = fl_anon(RING * 2);

	pu_group = "sizes";
	for (unsigned int i = 0; i < N(d); i++)
		ring_case(d[i].name, m, (uint64_t)(RING + d[i].delta), -EINVAL);
	munmap(m, RING * 2);
}

static void test_memfd(void)
{
	int fd = memfd_of(RING + 4 * PAGE);
	uint8_t *m = fd >= 0 ? fl_map(RING, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PAGE) : NULL;
	uint8_t *whole = fd >= 0 ? fl_map(RING + 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
				 : NULL;

	pu_group = "memfd";
	if (!CHECK(m && whole, "memfd mappings", "%s", strerror(errno)))
		return;
	ring_case("memfd ring at file offset 8 KiB", m, RING, 0);
	ring_case("memfd ring at byte 640 of its mapping", whole + 640, RING, 0);
	munmap(m, RING);
	munmap(whole, RING + 4 * PAGE);
	close(fd);
}

static void test_huge(void)
{
	const size_t huge = 2u << 20;
	uint8_t *m, *thp;

	pu_group = "huge pages";
	if (fl_huge_pages(8)) {
		m = fl_map(huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
			   -1, 0);
		ring_case("MAP_HUGETLB ring", m, RING, 0);
		ring_case("MAP_HUGETLB ring 128 bytes before a 4 KiB boundary", m + 5 * PAGE - 128,
			  RING, 0);
		munmap(m, huge);
	} else {
		CHECK(false, "huge pages available", "nr_hugepages could not be raised");
	}
	/* transparent huge pages: a 2 MiB-aligned anonymous range, asked for THP */
	m = fl_anon(2 * huge);
	thp = (uint8_t *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));
	madvise(thp, huge, MADV_HUGEPAGE);
	memset(thp, 1, huge);
	ring_case("transparent huge page ring", thp + huge - RING / 2 - PAGE, RING, 0);
	munmap(m, 2 * huge);
}

/* A file mapping of tmpfs, shared and private, and the file truncated under a running ring. */
static void test_tmpfs(void)
{
	int fd = tmpfs_file(RING);
	uint8_t *shared = fd >= 0 ? fl_map(RING, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : NULL;
	uint8_t *priv = fd >= 0 ? fl_map(RING, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) : NULL;
	char why[160] = "";
	long p0 = pu_pinned_pages();
	int s;

	pu_group = "tmpfs file";
	if (!CHECK(shared && priv, "tmpfs file mappings", "%s", strerror(errno)))
		return;
	ring_case("MAP_SHARED tmpfs file ring", shared, RING, 0);
	ring_case("MAP_PRIVATE tmpfs file ring", priv, RING, 0);
	/* the file truncated to nothing while the device streams from its pages */
	s = fl_open('p', O_RDWR);
	if (!pu_hw_params(s, FL_RATE, FL_CH, PERIOD, PERIODS, 0) && !pu_attach(s, shared, RING, NULL)) {
		pid_t pid = fork();

		if (pid == 0) {
			pu_sleep_ms(100);
			_exit(ftruncate(fd, 0) ? 1 : 0);
		}
		CHECK(run_briefly(s, shared, false, 400, why, sizeof(why)),
		      "the file truncated under a running ring: the stream runs on", "%s", why);
		waitpid(pid, NULL, 0);
	}
	close(s);
	CHECK(fl_wait_pinned(p0, 2000) == p0, "pages of the truncated file released on close",
	      "pinned %ld, %ld before", pu_pinned_pages(), p0);
	munmap(shared, RING);
	munmap(priv, RING);
	close(fd);
}

/*
 * Two separate mappings placed next to each other (MAP_FIXED into one
 * reservation, different kinds so that they never merge into one VMA), the
 * ring across the boundary.
 */
static uint8_t *adjacent(int kind_a, int kind_b, size_t half, int *fds)
{
	uint8_t *r = fl_map(2 * half, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const int kinds[2] = { kind_a, kind_b };

	for (int i = 0; r && i < 2; i++) {
		uint8_t *at = r + i * half;
		void *p;

		fds[i] = kinds[i] == 1 ? memfd_of(half) : kinds[i] == 2 ? tmpfs_file(half) : -1;
		if (kinds[i] && fds[i] < 0)
			return NULL;
		p = kinds[i] ? mmap(at, half, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fds[i], 0)
			     : mmap(at, half, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
				    MAP_FIXED | (i ? MAP_NORESERVE : 0), -1, 0);
		if (p != at)
			return NULL;
	}
	return r;
}

static int vmas_of(const void *from, const void *to)
{
	FILE *f = fopen("/proc/self/maps", "re");
	unsigned long a, b;
	char line[512];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && b > (uintptr_t)from && a < (uintptr_t)to)
			n++;
	if (f)
		fclose(f);
	return n;
}

static void test_straddle(void)
{
	static const struct { const char *name; int a, b; } c[] = {
		{ "ring across two adjacent anonymous mappings", 0, 0 },
		{ "ring across an anonymous mapping and a memfd mapping", 0, 1 },
		{ "ring across a memfd mapping and a tmpfs file mapping", 1, 2 },
	};
	const size_t half = RING + 4 * PAGE;

	pu_group = "two mappings";
	for (unsigned int i = 0; i < N(c); i++) {
		int fds[2] = { -1, -1 };
		uint8_t *r = adjacent(c[i].a, c[i].b, half, fds), *ring = r + half - RING / 2 - 256;

		if (CHECK(r && vmas_of(ring, ring + RING) == 2, c[i].name,
			  "could not place the mappings (%d VMAs under the ring)",
			  r ? vmas_of(ring, ring + RING) : 0))
			ring_case(c[i].name, ring, RING, 0);
		if (r)
			munmap(r, 2 * half);
		for (int k = 0; k < 2; k++)
			if (fds[k] >= 0)
				close(fds[k]);
	}
}

/* Rings that cannot be pinned for the device to write or read: EFAULT, nothing pinned. */
static void test_bad_memory(void)
{
	uint8_t *m = fl_anon(RING * 2);
	int fd = fl_open('p', O_RDONLY);
	const void *status = fd >= 0 ? pu_status_map(fd) : NULL;
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);

	pu_group = "bad memory";
	munmap(m + RING, RING);		/* a hole after the first half */
	ring_case("ring running into a hole", m + RING / 2, RING, -EFAULT);
	if (mmap(m + RING, RING, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m + RING)
		ring_case("ring running into read-only memory", m + RING / 2, RING, -EFAULT);
	if (status)
		ring_case("ring over the status page", (void *)status, RING, -EFAULT);
	if (vdso)
		ring_case("ring over the vDSO", (void *)vdso, RING, -EFAULT);
	ring_case("ring at the top of user space", (void *)(0x800000000000ull - RING / 2), RING,
		  -EFAULT);
	munmap(m, RING * 2);
	if (status)
		munmap((void *)status, PAGE);
	if (fd >= 0)
		close(fd);
}

/* One ring under both directions at once: pinned twice, both stream. */
static void test_shared_ring(void)
{
	uint8_t *m = fl_anon(RING);
	int p = fl_open('p', O_RDWR), c = fl_open('c', O_RDWR);
	long p0 = pu_pinned_pages();
	char why[160] = "";

	pu_group = "one ring, two streams";
	pu_hw_params(p, FL_RATE, FL_CH, PERIOD, PERIODS, 0);
	pu_hw_params(c, FL_RATE, FL_CH, PERIOD, PERIODS, 0);
	CHECK(!pu_attach(p, m, RING, NULL) && !pu_attach(c, m, RING, NULL) &&
	      pu_pinned_pages() - p0 == 2 * RING / PAGE,
	      "playback and capture attach the same ring, each pins it",
	      "pinned %ld pages", pu_pinned_pages() - p0);
	CHECK(run_briefly(c, m, true, 10, why, sizeof(why)) ||
	      run_briefly(c, m, true, 10, why, sizeof(why)), "capture runs over it", "%s", why);
	CHECK(run_briefly(p, m, false, 200, why, sizeof(why)), "playback runs over it meanwhile",
	      "%s", why);
	close(p);
	close(c);
	CHECK(fl_wait_pinned(p0, 2000) == p0, "both released on close", "pinned %ld, %ld before",
	      pu_pinned_pages(), p0);
	munmap(m, RING);
}

/* /proc/self/mem (FOLL_FORCE) must not write the driver's status page. */
static void test_status_write(void)
{
	int fd = fl_open('p', O_RDWR), mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	const struct ringpcm_status *shared = fd >= 0 ? pu_status_map(fd) : NULL;
	void *priv = fd >= 0 ? mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	const struct ringpcm_status *fresh;
	uint32_t bad = RINGPCM_STATE_DISCONNECTED;
	ssize_t w1 = -1, w2 = -1;

	pu_group = "status page";
	if (!CHECK(shared && priv != MAP_FAILED && mem >= 0, "mappings", "%s", strerror(errno)))
		return;
	w1 = pwrite(mem, &bad, 4, (off_t)(uintptr_t)&shared->state);
	w2 = pwrite(mem, &bad, 4, (off_t)(uintptr_t)&((struct ringpcm_status *)priv)->state);
	fresh = pu_status_map(fd);
	CHECK(w1 < 0, "a forced write into the shared mapping fails", "pwrite wrote %zd bytes", w1);
	CHECK(fresh && pu_status(fresh).state == RINGPCM_STATE_OPEN &&
	      pu_status(shared).state == RINGPCM_STATE_OPEN,
	      "the driver's page is unchanged by forced writes",
	      "state %u through a fresh mapping (the private write %s)",
	      fresh ? pu_status(fresh).state : 99, w2 < 0 ? "failed" : "was copied on write");
	pu_hw_params(fd, FL_RATE, FL_CH, PERIOD, PERIODS, 0);
	CHECK(fresh && pu_status(fresh).state == RINGPCM_STATE_SETUP,
	      "and the driver keeps publishing to it", "state %u", fresh ? pu_status(fresh).state : 99);
	if (fresh)
		munmap((void *)fresh, PAGE);
	munmap((void *)shared, PAGE);
	munmap(priv, PAGE);
	close(mem);
	close(fd);
}

int main(void)
{
	int fd = fl_open('p', O_RDWR);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!CHECK(fd >= 0 && !pu_ioctl(fd, RINGPCM_IOCTL_INFO, &info), "INFO", "%s",
		   pu_err(fd < 0 ? fd : -errno)))
		return unit_exit("fault-mem");
	close(fd);
	test_alignment();
	test_sizes();
	test_memfd();
	test_huge();
	test_tmpfs();
	test_straddle();
	test_bad_memory();
	test_shared_ring();
	test_status_write();
	CHECK(fl_wait_pinned(0, 2000) == 0, "nothing pinned at the end", "pinned_pages %ld",
	      pu_pinned_pages());
	return unit_exit("fault-mem");
}
