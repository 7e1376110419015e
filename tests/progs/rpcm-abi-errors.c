// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-abi-errors: every documented error of the ringpcm ABI, through raw
 * ioctls on the real driver: the version, INFO sanity, EBUSY (second opener,
 * streaming), EBADFD (calls in the wrong state), EINVAL (impossible
 * parameters, non-zero reserved fields, bad commits), EFAULT (rings that
 * cannot be pinned, e.g. read-only for capture), E2BIG (misaligned ring),
 * EPIPE (start of an empty playback ring), the status page mapping rules.
 * Prints PASS/FAIL lines; exits non-zero if anything failed.
 */
#include <poll.h>

#include "prog-util.h"

#define RATE	48000
#define CH	2
#define FB	(CH * 2)
#define PERIOD	1024
#define PERIODS	4
#define RING	(PERIOD * PERIODS * FB)

static struct ringpcm_info info_p;

/* Opens a stream or reports why not (a later failure would only say EBADF). */
static int open_checked(char dir)
{
	int fd = pu_open(dir);

	CHECK(fd >= 0, dir == 'p' ? "open the playback stream" : "open the capture stream",
	      "%s: %s", pu_path(dir), pu_err(fd));
	return fd;
}

static void *ring_map(size_t bytes, int prot)
{
	void *p = mmap(NULL, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void test_version_info(void)
{
	int fd = pu_open('p');
	__u32 v = 0;
	bool sorted = true, zero = true;

	pu_group = "version";

	if (!CHECK(fd >= 0, "open playback stream", "%s: %s", pu_path('p'), pu_err(fd)))
		exit(1);
	EXPECT_ERR("PVERSION succeeds", pu_ioctl(fd, RINGPCM_IOCTL_PVERSION, &v), 0);
	CHECK(v >> 16 == RINGPCM_VERSION_MAJOR, "PVERSION major matches the header",
		   "driver %u.%u, header %u.%u", v >> 16, v & 0xffff, RINGPCM_VERSION_MAJOR,
		   RINGPCM_VERSION_MINOR);
	EXPECT_ERR("INFO succeeds", pu_ioctl(fd, RINGPCM_IOCTL_INFO, &info_p), 0);
	for (unsigned int i = 1; i < info_p.n_rates; i++)
		sorted &= info_p.rates[i] > info_p.rates[i - 1];
	for (unsigned int i = 0; i < N(info_p.reserved); i++)
		zero &= !info_p.reserved[i];
	CHECK(info_p.direction == RINGPCM_DIR_PLAYBACK && info_p.n_rates >= 1 &&
		   info_p.n_rates <= RINGPCM_MAX_RATES && sorted,
		   "INFO: direction and ascending rates", "direction %u, %u rates (sorted %d)",
		   info_p.direction, info_p.n_rates, sorted);
	CHECK(info_p.formats & 1u << RINGPCM_FORMAT_S16_LE, "INFO: S16_LE offered",
		   "formats 0x%x", info_p.formats);
	CHECK(info_p.periods_min >= 2 && info_p.periods_max >= info_p.periods_min &&
		   info_p.max_bdl_entries >= info_p.periods_max,
		   "INFO: periods fit the BDL", "periods %u..%u, %u BDL entries",
		   info_p.periods_min, info_p.periods_max, info_p.max_bdl_entries);
	CHECK(info_p.ring_align && !(info_p.ring_align & (info_p.ring_align - 1)) &&
		   info_p.period_bytes_step && info_p.max_segment >= PAGE,
		   "INFO: alignment, step and max segment sane",
		   "align %u step %u max_segment %llu", info_p.ring_align,
		   info_p.period_bytes_step, (unsigned long long)info_p.max_segment);
	CHECK(zero, "INFO: reserved fields returned zeroed", "non-zero reserved");
	EXPECT_ERR("unknown ioctl is ENOTTY", pu_ioctl(fd, _IO(RINGPCM_IOC_MAGIC, 0x7f), NULL),
		   -ENOTTY);
	close(fd);
}

static void test_ebusy_open(void)
{
	int a = pu_open('p'), c = pu_open('c'), b, ctl1, ctl2;
	char ctl[64];

	pu_group = "ebusy";

	b = pu_open('p');
	EXPECT_ERR("second opener of playback is EBUSY", b < 0 ? b : 0, -EBUSY);
	if (b >= 0)
		close(b);
	b = pu_open('c');
	EXPECT_ERR("second opener of capture is EBUSY", b < 0 ? b : 0, -EBUSY);
	if (b >= 0)
		close(b);
	CHECK(a >= 0 && c >= 0, "playback and capture open together", "p %s, c %s",
		   pu_err(a < 0 ? a : 0), pu_err(c < 0 ? c : 0));
	snprintf(ctl, sizeof(ctl), "/dev/ringpcmC%uctl", pu_card());
	ctl1 = open(ctl, O_RDWR);
	ctl2 = open(ctl, O_RDWR);
	CHECK(ctl1 >= 0 && ctl2 >= 0, "ctl device opens many times beside the streams",
		   "%s: %s", ctl, strerror(errno));
	if (ctl1 >= 0) {
		struct ringpcm_mixer m = { .control = RINGPCM_MIXER_PLAYBACK };

		EXPECT_ERR("MIXER_GET through ctl", pu_ioctl(ctl1, RINGPCM_IOCTL_MIXER_GET, &m), 0);
		m.reserved[3] = 1;
		EXPECT_ERR("MIXER_GET with reserved set is EINVAL",
			   pu_ioctl(ctl1, RINGPCM_IOCTL_MIXER_GET, &m), -EINVAL);
		close(ctl1);
	}
	if (ctl2 >= 0)
		close(ctl2);
	if (a >= 0)
		close(a);
	if (c >= 0)
		close(c);
	a = open_checked('p');
	CHECK(a >= 0, "reopen after close works", "%s", pu_err(a < 0 ? a : 0));
	if (a >= 0)
		close(a);
}

static void test_ebadfd(void)
{
	int fd = open_checked('p');
	__u64 appl = 0;
	__u32 on = 1;
	struct ringpcm_ring r;
	void *ring = ring_map(RING, PROT_READ | PROT_WRITE);

	pu_group = "ebadfd";

	EXPECT_ERR("OPEN: ATTACH_RING is EBADFD", pu_attach(fd, ring, RING, &r), -EBADFD);
	EXPECT_ERR("OPEN: PREPARE is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL), -EBADFD);
	EXPECT_ERR("OPEN: START is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_START, NULL), -EBADFD);
	EXPECT_ERR("OPEN: DROP is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_DROP, NULL), -EBADFD);
	EXPECT_ERR("OPEN: DRAIN is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_DRAIN, NULL), -EBADFD);
	EXPECT_ERR("OPEN: COMMIT is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl), -EBADFD);
	EXPECT_ERR("OPEN: DETACH_RING is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_DETACH_RING, NULL),
		   -EBADFD);
	EXPECT_ERR("HW_PARAMS", pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0), 0);
	EXPECT_ERR("SETUP without ring: PREPARE is EBADFD",
		   pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL), -EBADFD);
	EXPECT_ERR("SETUP without ring: DETACH_RING is EBADFD",
		   pu_ioctl(fd, RINGPCM_IOCTL_DETACH_RING, NULL), -EBADFD);
	EXPECT_ERR("ATTACH_RING", pu_attach(fd, ring, RING, &r), 0);
	EXPECT_ERR("SETUP: START is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_START, NULL), -EBADFD);
	EXPECT_ERR("SETUP: PAUSE(1) is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_PAUSE, &on), -EBADFD);
	EXPECT_ERR("SETUP: COMMIT is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl), -EBADFD);
	EXPECT_ERR("PREPARE", pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL), 0);
	EXPECT_ERR("PREPARED: PAUSE(1) is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_PAUSE, &on),
		   -EBADFD);
	on = 0;
	EXPECT_ERR("PREPARED: PAUSE(0) is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_PAUSE, &on),
		   -EBADFD);
	EXPECT_ERR("PREPARED: START of an empty playback ring is EPIPE",
		   pu_ioctl(fd, RINGPCM_IOCTL_START, NULL), -EPIPE);
	close(fd);
	munmap(ring, RING);
}

static void hw_params_einval(int fd, const char *what, struct ringpcm_hw_params p)
{
	char name[128];

	snprintf(name, sizeof(name), "HW_PARAMS with %s is EINVAL", what);
	EXPECT_ERR(name, pu_ioctl(fd, RINGPCM_IOCTL_HW_PARAMS, &p), -EINVAL);
}

static void test_einval_params(void)
{
	const struct ringpcm_hw_params good = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	struct ringpcm_hw_params p;
	struct ringpcm_sw_params sw = { .avail_min = PERIOD };
	const struct ringpcm_status *st;
	int fd = open_checked('p');

	pu_group = "einval";

	for (unsigned int i = 0; i < N(p.reserved); i++) {
		char what[64];

		p = good;
		p.reserved[i] = 1u << i;
		snprintf(what, sizeof(what), "reserved[%u] set", i);
		hw_params_einval(fd, what, p);
	}
	p = good; p.format = 7; hw_params_einval(fd, "an unknown format", p);
	p = good; p.rate = 12345; hw_params_einval(fd, "an unsupported rate", p);
	p = good; p.channels = 0; hw_params_einval(fd, "0 channels", p);
	p = good; p.channels = info_p.channels_min - 1;
	if (p.channels)	/* a stereo converter: mono refused, as INFO says */
		hw_params_einval(fd, "channels_min - 1", p);
	p = good; p.channels = info_p.channels_max + 1;
	hw_params_einval(fd, "channels_max + 1", p);
	p = good; p.period_frames = 0; hw_params_einval(fd, "0-frame periods", p);
	p = good; p.period_frames = info_p.period_bytes_min / FB / 2;
	hw_params_einval(fd, "periods below period_bytes_min", p);
	p = good; p.period_frames = PERIOD + 1;
	hw_params_einval(fd, "period bytes not a multiple of the step", p);
	p = good; p.periods = 1; hw_params_einval(fd, "1 period", p);
	p = good; p.periods = info_p.periods_max + 1; hw_params_einval(fd, "periods_max + 1", p);
	p = good; p.period_frames = info_p.period_bytes_max / FB + 32;
	hw_params_einval(fd, "periods above period_bytes_max", p);
	p = good; p.dma_mode = 3; hw_params_einval(fd, "an unknown dma mode", p);
	st = pu_status_map(fd);
	CHECK(st && pu_status(st).state == RINGPCM_STATE_OPEN,
		   "refused HW_PARAMS leave the stream OPEN", "state changed");
	EXPECT_ERR("valid HW_PARAMS after refusals", pu_ioctl(fd, RINGPCM_IOCTL_HW_PARAMS,
							      (void *)&good), 0);
	sw.reserved[6] = 1;
	EXPECT_ERR("SW_PARAMS with reserved set is EINVAL",
		   pu_ioctl(fd, RINGPCM_IOCTL_SW_PARAMS, &sw), -EINVAL);
	sw.reserved[6] = 0;
	sw.avail_min = PERIOD * PERIODS + 1;
	EXPECT_ERR("SW_PARAMS avail_min above the buffer is EINVAL",
		   pu_ioctl(fd, RINGPCM_IOCTL_SW_PARAMS, &sw), -EINVAL);
	if (st)	/* the mapping holds the file open: the stream stays claimed */
		munmap((void *)st, PAGE);
	close(fd);
}

static void test_einval_ring_commit(void)
{
	int fd = open_checked('p');
	uint8_t *ring = ring_map(RING, PROT_READ | PROT_WRITE);
	struct ringpcm_ring r = { .addr = (uintptr_t)ring, .bytes = RING };
	__u64 appl;
	__u32 pause = 2;

	pu_group = "einval";

	pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0);
	r.reserved[1] = 1;
	EXPECT_ERR("ATTACH_RING with reserved set is EINVAL",
		   pu_ioctl(fd, RINGPCM_IOCTL_ATTACH_RING, &r), -EINVAL);
	EXPECT_ERR("ATTACH_RING of the wrong size is EINVAL",
		   pu_attach(fd, ring, RING - PERIOD * FB, NULL), -EINVAL);
	EXPECT_ERR("ATTACH_RING", pu_attach(fd, ring, RING, NULL), 0);
	EXPECT_ERR("PREPARE", pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL), 0);
	appl = PERIOD * PERIODS + 1;
	EXPECT_ERR("playback COMMIT beyond one ring is EINVAL",
		   pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl), -EINVAL);
	appl = PERIOD * 2;
	EXPECT_ERR("playback COMMIT of 2 periods", pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl), 0);
	appl = PERIOD;
	EXPECT_ERR("COMMIT backwards is EINVAL", pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl),
		   -EINVAL);
	EXPECT_ERR("PAUSE(2) is EINVAL", pu_ioctl(fd, RINGPCM_IOCTL_PAUSE, &pause), -EINVAL);
	close(fd);
	munmap(ring, RING);

	fd = open_checked('c');
	ring = ring_map(RING, PROT_READ | PROT_WRITE);
	pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0);
	pu_attach(fd, ring, RING, NULL);
	pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
	appl = 1;
	EXPECT_ERR("capture COMMIT beyond hw_ptr is EINVAL",
		   pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl), -EINVAL);
	close(fd);
	munmap(ring, RING);
}

static void test_efault_e2big(void)
{
	int fd = open_checked('c');
	void *ro = ring_map(RING, PROT_READ), *none = ring_map(RING, PROT_NONE);
	uint8_t *rw = ring_map(RING + PAGE, PROT_READ | PROT_WRITE);
	struct ringpcm_ring r;
	long pinned = pu_pinned_pages();

	pu_group = "efault/e2big";

	pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0);
	EXPECT_ERR("capture into a read-only mapping is EFAULT", pu_attach(fd, ro, RING, &r),
		   -EFAULT);
	EXPECT_ERR("capture into a PROT_NONE mapping is EFAULT", pu_attach(fd, none, RING, &r),
		   -EFAULT);
	munmap(none, RING);
	EXPECT_ERR("a ring at an unmapped address is EFAULT", pu_attach(fd, none, RING, &r),
		   -EFAULT);
	EXPECT_ERR("a ring at address 0 is EFAULT", pu_attach(fd, NULL, RING, &r), -EFAULT);
	CHECK(pu_pinned_pages() == pinned, "refused rings leave nothing pinned",
		   "pinned pages %ld -> %ld", pinned, pu_pinned_pages());
	EXPECT_ERR("a ring 64 bytes off alignment is E2BIG", pu_attach(fd, rw + 64, RING, &r),
		   info_p.ring_align > 64 ? -E2BIG : 0);
	pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, RINGPCM_DMA_AUTO);
	EXPECT_ERR("a misaligned ring is E2BIG in AUTO mode too", pu_attach(fd, rw + 64, RING, &r),
		   info_p.ring_align > 64 ? -E2BIG : 0);
	close(fd);

	fd = open_checked('p');
	pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0);
	printf("INFO playback ring in a read-only mapping: %s\n", pu_err(pu_attach(fd, ro, RING, &r)));
	close(fd);
	munmap(ro, RING);
	munmap(rw, RING + PAGE);
}

static void test_ebusy_streaming(void)
{
	int fd = open_checked('p');
	uint8_t *ring = ring_map(RING, PROT_READ | PROT_WRITE), *ring2 = ring_map(RING, PROT_READ | PROT_WRITE);
	__u64 appl = PERIOD * PERIODS;

	pu_group = "streaming";

	pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0);
	pu_attach(fd, ring, RING, NULL);
	pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
	pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl);
	EXPECT_ERR("START of a full ring", pu_ioctl(fd, RINGPCM_IOCTL_START, NULL), 0);
	EXPECT_ERR("RUNNING: HW_PARAMS is EBUSY", pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0),
		   -EBUSY);
	EXPECT_ERR("RUNNING: DETACH_RING is EBUSY",
		   pu_ioctl(fd, RINGPCM_IOCTL_DETACH_RING, NULL), -EBUSY);
	EXPECT_ERR("RUNNING: ATTACH_RING is EBUSY", pu_attach(fd, ring2, RING, NULL), -EBUSY);
	EXPECT_ERR("RUNNING: START is EBADFD", pu_ioctl(fd, RINGPCM_IOCTL_START, NULL), -EBADFD);
	EXPECT_ERR("DROP", pu_ioctl(fd, RINGPCM_IOCTL_DROP, NULL), 0);
	EXPECT_ERR("SETUP after DROP: DETACH_RING", pu_ioctl(fd, RINGPCM_IOCTL_DETACH_RING, NULL),
		   0);
	close(fd);
	munmap(ring, RING);
	munmap(ring2, RING);
}

static void test_status_mapping(void)
{
	int fd = open_checked('p');
	void *p;

	pu_group = "status page";

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED, "status page cannot be mapped writable", "mapped at %p", p);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL, "status mapping of two pages is EINVAL",
		   "%s", p == MAP_FAILED ? strerror(errno) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 2 * PAGE);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	CHECK(p == MAP_FAILED && errno == EINVAL, "status mapping at offset 4096 is EINVAL",
		   "%s", p == MAP_FAILED ? strerror(errno) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (CHECK(p != MAP_FAILED, "status page maps read-only", "%s", strerror(errno))) {
		const struct ringpcm_status *st = p;

		CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE) < 0,
			   "status page cannot be made writable with mprotect", "it could");
		CHECK(pu_status(st).state == RINGPCM_STATE_OPEN && !(st->seq & 1),
			   "status page of a fresh stream: OPEN, even seq", "state %u seq %u",
			   st->state, st->seq);
		pu_hw_params(fd, RATE, CH, PERIOD, PERIODS, 0);
		CHECK(pu_status(st).state == RINGPCM_STATE_SETUP &&
			   pu_status(st).buffer_frames == PERIOD * PERIODS &&
			   pu_status(st).period_frames == PERIOD,
			   "status page follows HW_PARAMS", "state %u buffer %u period %u",
			   st->state, st->buffer_frames, st->period_frames);
		munmap(p, PAGE);
	}
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_version_info();
	test_ebusy_open();
	test_ebadfd();
	test_einval_params();
	test_einval_ring_commit();
	test_efault_e2big();
	test_ebusy_streaming();
	test_status_mapping();
	return unit_exit("rpcm-abi-errors");
}
