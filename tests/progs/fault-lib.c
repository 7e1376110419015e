// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by the fault programs (tests/progs/fault-*.c), #included by each
 * (not a program of its own: tests/progs/faults.mk leaves it out): a seeded
 * PRNG, a hang watchdog for blocking calls, raw stream set-up, rings in
 * every kind of memory, and the counter-ramp audio pattern whose gaps are
 * detectable frame by frame.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "prog-lib.h"

#define FL_RATE		48000
#define FL_CH		2
#define FL_FB		(FL_CH * 2)

/* ---- seeded PRNG (splitmix64): one state per thread ----------------------- */

static inline uint64_t fl_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint32_t fl_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(fl_next(s) % n) : 0;
}

static inline bool fl_chance(uint64_t *s, unsigned int percent)
{
	return fl_below(s, 100) < percent;
}

/* A seed from the clock, unless given ("0x..." or decimal). */
static inline uint64_t fl_seed(const char *arg)
{
	struct timespec ts;

	if (arg)
		return strtoull(arg, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 32;
}

static inline uint64_t fl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- hang watchdog --------------------------------------------------------- */

/*
 * Each thread that may block announces the call it is in; a watchdog thread
 * reports any call that has not returned after its limit as a FAIL, once.
 */
#define FL_MAX_SLOTS	32

struct fl_slot {
	_Atomic uint64_t since_ns;	/* 0 when not in a call */
	_Atomic uint64_t limit_ns;
	const char *_Atomic what;
	char who[32];
	bool reported;
};

static struct fl_slot fl_slots[FL_MAX_SLOTS];
static atomic_int fl_n_slots;
static atomic_int fl_hangs;
static atomic_bool fl_watch_stop;
static void (*fl_on_hang)(void);	/* diagnostics, called once per hang */

static inline struct fl_slot *fl_slot_new(const char *who)
{
	int i = atomic_fetch_add(&fl_n_slots, 1);
	struct fl_slot *s;

	if (i >= FL_MAX_SLOTS) {
		fprintf(stderr, "fault-lib: more than %d watched threads\n", FL_MAX_SLOTS);
		abort();
	}
	s = &fl_slots[i];
	snprintf(s->who, sizeof(s->who), "%s", who);
	return s;
}

static inline void fl_enter(struct fl_slot *s, const char *what, unsigned int limit_ms)
{
	atomic_store(&s->what, what);
	atomic_store(&s->limit_ns, (uint64_t)limit_ms * 1000000ull);
	atomic_store(&s->since_ns, fl_now_ns());
}

static inline void fl_leave(struct fl_slot *s)
{
	atomic_store(&s->since_ns, 0);
}

static inline void *fl_watchdog(void *arg)
{
	while (!atomic_load(&fl_watch_stop)) {
		uint64_t now = fl_now_ns();

		for (int i = 0; i < atomic_load(&fl_n_slots) && i < FL_MAX_SLOTS; i++) {
			struct fl_slot *s = &fl_slots[i];
			uint64_t t = atomic_load(&s->since_ns);

			if (t && now > t && now - t > atomic_load(&s->limit_ns) && !s->reported) {
				s->reported = true;
				atomic_fetch_add(&fl_hangs, 1);
				unit_check(false, pu_name("no call hangs"),
					   "%s stuck in %s for %.1f s", s->who, atomic_load(&s->what),
					   (now - t) / 1e9);
				if (fl_on_hang)
					fl_on_hang();
			}
		}
		pu_sleep_ms(100);
	}
	return NULL;
}

static inline pthread_t fl_watchdog_start(void)
{
	pthread_t t;

	pthread_create(&t, NULL, fl_watchdog, NULL);
	return t;
}

static inline void fl_watchdog_stop(pthread_t t)
{
	atomic_store(&fl_watch_stop, true);
	pthread_join(t, NULL);
}

/* ---- raw stream set-up ------------------------------------------------------ */

static inline int fl_open(char dir, int flags)
{
	int fd = open(pu_path(dir), flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* HW_PARAMS (48 kHz S16 stereo), ATTACH_RING, PREPARE. */
static inline int fl_setup(int fd, void *ring, uint32_t period, uint32_t periods, uint32_t mode)
{
	int err = pu_hw_params(fd, FL_RATE, FL_CH, period, periods, mode);

	if (!err)
		err = pu_attach(fd, ring, (uint64_t)period * periods * FL_FB, NULL);
	if (!err)
		err = pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
	return err;
}

static inline int fl_commit(int fd, uint64_t appl)
{
	return pu_ioctl(fd, RINGPCM_IOCTL_COMMIT, &appl);
}

/* Waits up to ms for /sys/class/ringpcm/pinned_pages to read `want`. */
static inline long fl_wait_pinned(long want, unsigned int ms)
{
	long v = pu_pinned_pages();

	for (unsigned int i = 0; i < ms / 20 && v != want; i++) {
		pu_sleep_ms(20);
		v = pu_pinned_pages();
	}
	return v;
}

/* ---- memory -------------------------------------------------------------- */

static inline void *fl_map(size_t bytes, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, bytes, prot, flags, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

static inline void *fl_anon(size_t bytes)
{
	return fl_map(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* A hole in the address space: `bytes` reserved then released. */
static inline void *fl_hole(size_t bytes)
{
	void *p = fl_map(bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p)
		munmap(p, bytes);
	return p;
}

/* Huge pages for MAP_HUGETLB, raising nr_hugepages if needed; false if none. */
static inline bool fl_huge_pages(unsigned int want)
{
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "r+e");
	unsigned int n = 0;

	if (!f)
		return false;
	if (fscanf(f, "%u", &n) == 1 && n < want) {
		rewind(f);
		fprintf(f, "%u\n", want);
	}
	fclose(f);
	void *p = fl_map(2u << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (!p)
		return false;
	munmap(p, 2u << 20);
	return true;
}

/* ---- the counter ramp --------------------------------------------------------- */

/*
 * Frame v (v >= 1) of the pattern: left = v & 0xffff, right = 0x4000 |
 * (v >> 16 & 0x3fff).  Silence (0, 0) and the ramp never meet, and any frame
 * decodes to its own index, so a recording shows exactly which frames
 * arrived, in which order, and where something was lost or repeated.
 */
static inline void fl_ramp_frame(uint64_t v, int16_t out[2])
{
	out[0] = (int16_t)(uint16_t)(v & 0xffff);
	out[1] = (int16_t)(uint16_t)(0x4000 | (v >> 16 & 0x3fff));
}

/* The index of a ramp frame, 0 for silence, -1 for anything else. */
static inline int64_t fl_ramp_decode(const int16_t in[2])
{
	uint16_t l = (uint16_t)in[0], r = (uint16_t)in[1];

	if (!l && !r)
		return 0;
	if ((r & 0xc000) != 0x4000)
		return -1;
	return (int64_t)(r & 0x3fff) << 16 | l;
}

/* ---- the device still streams ---------------------------------------------- */

static inline struct rpcm *fl_stream_open(enum ringpcm_direction dir, const char *when)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = FL_RATE, .channels = FL_CH,
		.period_frames = 2048, .periods = 8,
	};
	struct rpcm *pcm = NULL;
	int err = pu_lib_prepared(&pcm, dir, 0, &p, RPCM_RING_ANON);
	char what[96];

	snprintf(what, sizeof(what), "%s: %s opens and prepares", when,
		 dir ? "capture" : "playback");
	if (!CHECK(!err, what, "%s %s", pu_err(err), pcm ? rpcm_last_error(pcm) : "")) {
		rpcm_close(pcm);
		return NULL;
	}
	return pcm;
}

/*
 * Moves `frames` (a multiple of 2048) of the ramp through the stream with
 * libringpcm: every frame moved, no xrun, hw_ptr at the sample rate (+-25%).
 */
static inline void fl_stream_check(enum ringpcm_direction dir, uint32_t frames, const char *when)
{
	static int16_t buf[2048 * FL_CH];
	struct ringpcm_status b;
	struct rpcm *pcm = fl_stream_open(dir, when);
	const char *name = dir ? "capture" : "playback";
	uint64_t done = 0, v = 1;
	double t0, rate;
	char what[96];
	int err = 0;

	if (!pcm)
		return;
	t0 = pu_now();
	while (!err && done < frames) {
		int64_t r;

		for (int i = 0; i < 2048 && dir == RINGPCM_DIR_PLAYBACK; i++)
			fl_ramp_frame(v++, buf + 2 * i);
		r = dir ? rpcm_read(pcm, buf, 2048) : rpcm_write(pcm, buf, 2048);
		err = r < 0 ? (int)r : 0;
		done += r > 0 ? (uint64_t)r : 0;
	}
	if (!err)
		err = rpcm_drain(pcm, 5000);
	rpcm_status(pcm, &b);
	rate = (double)b.hw_ptr / (pu_now() - t0);
	printf("INFO %s %s: %llu frames, hw_ptr %llu, %llu xruns, %.0f frames/s\n", when, name,
	       (unsigned long long)done, (unsigned long long)b.hw_ptr,
	       (unsigned long long)b.xruns, rate);
	snprintf(what, sizeof(what), "%s: %s moves every frame without an xrun", when, name);
	CHECK(!err && done >= frames && b.hw_ptr >= frames && b.xruns == 0, what,
	      "%s, %llu of %u frames, hw_ptr %llu, %llu xruns", pu_err(err),
	      (unsigned long long)done, frames, (unsigned long long)b.hw_ptr,
	      (unsigned long long)b.xruns);
	snprintf(what, sizeof(what), "%s: %s runs at the sample rate", when, name);
	CHECK(rate > FL_RATE * 0.75 && rate < FL_RATE * 1.25, what, "%.0f frames/s", rate);
	rpcm_close(pcm);
}
