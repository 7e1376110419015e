// SPDX-License-Identifier: GPL-2.0
/*
 * fault-loop: data through QEMU's JACK loopback (needs: loopback), checked
 * frame by frame with the counter ramp (fault-lib.c), so that every lost,
 * repeated or corrupted frame is seen and located.
 *
 *   fault-loop roundtrip KIND [--seconds S]
 *   fault-loop soak [--seconds S] [--hogs N] [--period F] [--periods N]
 *
 * roundtrip: playback and capture both through rings of one memory KIND
 * (anon: page-aligned and never touched before attach; offset: aligned to
 * info.ring_align only; straddle: across an anonymous and a memfd mapping;
 * memfd; tmpfs: a MAP_SHARED tmpfs file; huge: MAP_HUGETLB; thp: transparent
 * huge pages; fork: anon, and the player forks a child mid-stream that
 * scribbles over its copy of the ring and exits).  The recording must hold
 * the whole ramp, in order, bit-exact, with nothing else but silence.
 * soak: N CPU hogs in the guest; a player and a recorder (libringpcm,
 * rpcm_write/rpcm_read, rpcm_recover on every xrun) run for S seconds;
 * every xrun is counted on both sides, every discontinuity of the recorded
 * ramp must be explained by one (guest xruns and the host jackd's, from
 * $RINGPCM_JACK_LOG), nothing but ramp and silence may arrive, and the end
 * of the ramp must arrive after the last recovery.
 * Prints PASS/FAIL lines; exits non-zero if anything failed.
 */
#include "fault-lib.c"

#define CHUNK		1024

/* ---- the recording's verdict, built frame by frame ------------------------- */

/*
 * Everything recorded before the ramp's first frame (value 1) is the
 * prefix: QEMU's JACK path delivers what it still held from earlier streams
 * there (README: stale frames at stream start), which proves nothing about
 * the driver, except the capture ring's own marker (marker_fill()), which
 * is counted everywhere.
 */
struct verdict {
	uint64_t prefix, marker;
	uint64_t frames, ramp, silence, garbage;
	int64_t first, last;		/* ramp values, -1 before any */
	uint64_t breaks, back, fwd;	/* discontinuities: any, backwards, forwards */
	uint64_t first_garbage_at, ramp_before_garbage;
	uint16_t garbage_l, garbage_r;
	uint64_t silence_run;		/* silent frames since the last ramp frame */
	char first_break[96];
	char log[8][96];		/* the first discontinuities */
};

static void verdict_init(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->first = v->last = -1;
}

static bool is_marker(const int16_t *f)
{
	return ((uint16_t)f[1] & 0xffff) == (0x8000 | (getpid() & 0x7fff)) &&
	       ((uint16_t)f[0] & 0x8000);
}

static void verdict_add(struct verdict *v, const int16_t *frames, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++, v->frames++) {
		int64_t d = fl_ramp_decode(frames + 2 * i);

		v->marker += is_marker(frames + 2 * i);
		if (v->last < 0 && d != 1) {
			v->prefix++;
			continue;
		}

		if (d < 0) {
			if (!v->garbage++) {
				v->first_garbage_at = v->frames;
				v->garbage_l = (uint16_t)frames[2 * i];
				v->garbage_r = (uint16_t)frames[2 * i + 1];
				v->ramp_before_garbage = v->ramp;
			}
			continue;
		}
		if (d == 0) {
			v->silence++;
			v->silence_run++;
			continue;
		}
		v->ramp++;
		if (v->last < 0) {
			v->first = d;
		} else if (d != v->last + 1) {
			if (v->breaks < N(v->log))
				snprintf(v->log[v->breaks], sizeof(v->log[0]),
					 "at recorded frame %llu: %lld after %lld (%llu silent frames "
					 "between)", (unsigned long long)v->frames, (long long)d,
					 (long long)v->last, (unsigned long long)v->silence_run);
			if (!v->breaks++)
				snprintf(v->first_break, sizeof(v->first_break), "%s", v->log[0]);
			d < v->last + 1 ? v->back++ : v->fwd++;
		}
		v->silence_run = 0;
		v->last = d;
	}
}

static const char *garbage_where(const struct verdict *v)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), " (the first at recorded frame %llu, %llu ramp frames before it: "
		 "0x%04x 0x%04x)", (unsigned long long)v->first_garbage_at,
		 (unsigned long long)v->ramp_before_garbage, v->garbage_l, v->garbage_r);
	return buf;
}

static void verdict_print(const char *who, const struct verdict *v)
{
	printf("INFO %s: %llu frames recorded (%llu before the ramp began; %llu never written "
	       "by the device): ramp %llu (values %lld..%lld), silence %llu, "
	       "other %llu%s; %llu discontinuities (%llu back, %llu forward)%s%s\n", who,
	       (unsigned long long)v->frames, (unsigned long long)v->prefix,
	       (unsigned long long)v->marker, (unsigned long long)v->ramp, (long long)v->first,
	       (long long)v->last, (unsigned long long)v->silence, (unsigned long long)v->garbage,
	       v->garbage ? garbage_where(v) : "",
	       (unsigned long long)v->breaks, (unsigned long long)v->back,
	       (unsigned long long)v->fwd, v->breaks ? ", first " : "", v->first_break);
	for (uint64_t i = 1; i < v->breaks && i < N(v->log); i++)
		printf("INFO   discontinuity %s\n", v->log[i]);
}

/* XRun lines the host's jackd has logged so far ($RINGPCM_JACK_LOG). */
static long jack_xruns(void)
{
	const char *path = getenv("RINGPCM_JACK_LOG");
	FILE *f = path ? fopen(path, "re") : NULL;
	char line[512];
	long n = 0;

	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, "XRun") != NULL;
	if (f)
		fclose(f);
	return n;
}

/* ---- rings of each kind --------------------------------------------------- */

struct ring {
	void *map, *addr;
	size_t map_bytes;
};

static int memfd_of(size_t bytes)
{
	int fd = memfd_create("fault-loop", MFD_CLOEXEC);

	if (fd >= 0 && ftruncate(fd, (off_t)bytes)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *shared_map(void *at, size_t bytes, int fd)
{
	void *p = mmap(at, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | (at ? MAP_FIXED : 0), fd, 0);

	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static int tmpfs_fd(size_t bytes)
{
	char path[] = "/dev/shm/fault-loop-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0) {
		unlink(path);
		if (ftruncate(fd, (off_t)bytes)) {
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

/* Memory of one kind for a ring of `bytes`; false if the kind is unavailable. */
static bool ring_make(const char *kind, size_t bytes, uint32_t align, struct ring *r)
{
	const size_t huge = 2u << 20;
	size_t len = (bytes + 4 * PAGE + huge - 1) & ~(huge - 1);
	uint8_t *m;

	r->map_bytes = 2 * len;
	r->map = m = fl_anon(r->map_bytes);	/* a reservation, replaced below as needed */
	if (!m)
		return false;
	r->addr = m;
	if (!strcmp(kind, "offset")) {
		r->addr = m + 5 * align;
	} else if (!strcmp(kind, "memfd")) {
		r->addr = shared_map(m, len, memfd_of(len));
	} else if (!strcmp(kind, "tmpfs")) {
		r->addr = shared_map(m, len, tmpfs_fd(len));
	} else if (!strcmp(kind, "straddle")) {	/* anonymous, then a memfd from the ring's middle */
		size_t half = (bytes / 2 + PAGE - 1) & ~(size_t)(PAGE - 1);

		r->addr = shared_map(m + half, len, memfd_of(len)) ? m + 256 : NULL;
	} else if (!strcmp(kind, "huge")) {
		void *at = (void *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));

		r->addr = fl_huge_pages(16) ? mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
						   MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED, -1, 0)
					    : MAP_FAILED;
		r->addr = r->addr == MAP_FAILED ? NULL : r->addr;
	} else if (!strcmp(kind, "thp")) {
		r->addr = (void *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));
		madvise(r->addr, huge, MADV_HUGEPAGE);
		memset(r->addr, 0, huge);
	} else if (strcmp(kind, "anon") && strcmp(kind, "fork")) {
		r->addr = NULL;
	}
	return r->addr != NULL;
}

/*
 * Capture rings start out (and restart after an overrun) filled with a
 * marker that is neither ramp nor silence, before PREPARE hands them to the
 * device: a frame the driver hands over before the device wrote it shows.
 */
static void marker_fill_frames(void *ring, uint32_t frames)
{
	int16_t *f = ring;

	/* left: 0x8000 | the frame's ring offset; right: 0x8000 | the process */
	for (uint32_t k = 0; k < frames; k++) {
		f[2 * k] = (int16_t)(uint16_t)(0x8000 | (k & 0x7fff));
		f[2 * k + 1] = (int16_t)(uint16_t)(0x8000 | (getpid() & 0x7fff));
	}
}

/* ---- one stream through libringpcm over a ring we own ------------------------ */

static struct rpcm *stream(enum ringpcm_direction dir, const char *kind, uint32_t period,
			   uint32_t periods, struct ring *r)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = FL_RATE, .channels = FL_CH,
		.period_frames = period, .periods = periods,
	};
	size_t bytes = (size_t)period * periods * FL_FB;
	struct rpcm *pcm = NULL;
	/* non-blocking: the loops below wait with timeouts, never forever */
	int err = rpcm_open(&pcm, pu_card(), 0, dir, O_NONBLOCK);

	if (!err)
		err = rpcm_set_params(pcm, &p);
	if (!err)
		err = ring_make(kind, bytes, rpcm_info(pcm)->ring_align, r) ? 0 : -ENOMEM;
	if (!err && dir == RINGPCM_DIR_CAPTURE)
		marker_fill_frames(r->addr, period * periods);	/* see marker_fill() */
	if (!err)
		err = rpcm_attach_ring(pcm, r->addr, bytes);
	if (!err)
		err = rpcm_prepare(pcm);
	if (!CHECK(!err, dir ? "the recorder sets up" : "the player sets up", "%s ring: %s %s",
		   kind, pu_err(err), pcm ? rpcm_last_error(pcm) : "")) {
		rpcm_close(pcm);
		return NULL;
	}
	return pcm;
}

static void ring_free(struct ring *r)
{
	if (r->map)
		munmap(r->map, r->map_bytes);
}

/* ---- the recorder, a thread ------------------------------------------------- */

static void marker_fill(struct ring *r, struct rpcm *pcm)
{
	marker_fill_frames(r->addr, rpcm_buffer_frames(pcm));
}

struct recorder {
	struct rpcm *pcm;
	struct ring *ring;
	struct verdict v;
	atomic_bool stop;
	unsigned int xruns, recovered;
	int err;
};

/* -EAGAIN: waits up to 100 ms; -ETIMEDOUT once nothing moved for 3 s. */
static int stalled(struct rpcm *pcm, uint64_t *last_ns)
{
	if (fl_now_ns() - *last_ns > 3000000000ull)
		return -ETIMEDOUT;
	rpcm_wait(pcm, 100);
	return 0;
}

static void *recorder_thread(void *arg)
{
	static int16_t buf[CHUNK * FL_CH];
	struct recorder *rc = arg;
	uint64_t moved = fl_now_ns();
	int64_t r;

	rc->err = rpcm_start(rc->pcm);
	while (!rc->err && !atomic_load(&rc->stop)) {
		r = rpcm_read(rc->pcm, buf, CHUNK);
		if (r == -EAGAIN) {
			rc->err = stalled(rc->pcm, &moved);
		} else if (r == -EPIPE) {
			/* recover as rpcm_recover() does, with the ring marked unwritten */
			rc->xruns++;
			marker_fill(rc->ring, rc->pcm);
			rc->err = rpcm_prepare(rc->pcm) ?: rpcm_start(rc->pcm);
			rc->recovered += !rc->err;
		} else if (r < 0) {
			rc->err = (int)r;
		} else {
			verdict_add(&rc->v, buf, (uint32_t)r);
			moved = fl_now_ns();
		}
	}
	return NULL;
}

static void recorder_begin(struct recorder *rc, struct rpcm *pcm, struct ring *ring, pthread_t *t)
{
	memset(rc, 0, sizeof(*rc));
	rc->pcm = pcm;
	rc->ring = ring;
	verdict_init(&rc->v);
	pthread_create(t, NULL, recorder_thread, rc);
}

static void recorder_end(struct recorder *rc, pthread_t t, unsigned int tail_ms)
{
	pu_sleep_ms(tail_ms);	/* the loopback is ~0.5-0.8 s late */
	atomic_store(&rc->stop, true);
	pthread_join(t, NULL);
}

/* ---- the player ------------------------------------------------------------- */

struct player {
	struct rpcm *pcm;
	uint64_t next;			/* next ramp value */
	unsigned int xruns, recovered;
	int err;
};

/* Writes `frames` of ramp (or silence), recovering from xruns. */
static void play(struct player *pl, uint64_t frames, bool silence)
{
	static int16_t buf[CHUNK * FL_CH];
	uint64_t moved = fl_now_ns();

	while (!pl->err && frames) {
		uint32_t n = frames < CHUNK ? (uint32_t)frames : CHUNK;
		int64_t r;

		for (uint32_t i = 0; i < n; i++)
			fl_ramp_frame(silence ? 0 : pl->next + i, buf + 2 * i);
		r = rpcm_write(pl->pcm, buf, n);
		if (r == -EAGAIN) {
			pl->err = stalled(pl->pcm, &moved);
		} else if (r == -EPIPE) {
			pl->xruns++;
			pl->err = rpcm_recover(pl->pcm, (int)r);
			pl->recovered += !pl->err;
		} else if (r < 0) {
			pl->err = (int)r;
		} else {
			pl->next += silence ? 0 : (uint64_t)r;
			frames -= (uint64_t)r;
			moved = fl_now_ns();
		}
	}
}

/* ---- roundtrip ---------------------------------------------------------------- */

/* A child forked mid-stream scribbles over its copy of the ring and exits. */
static pid_t fork_scribbler(struct ring *r, size_t bytes)
{
	pid_t pid = fork();

	if (pid == 0) {
		memset(r->addr, 0x7f, bytes);
		pu_sleep_ms(50);
		_exit(0);
	}
	return pid;
}

static bool roundtrip_once(const char *kind, double seconds, struct verdict *out, char *why,
			   size_t n)
{
	const uint32_t period = 1024, periods = 8;
	uint64_t total = (uint64_t)(seconds * FL_RATE);
	struct ring pr = { 0 }, cr = { 0 };
	struct rpcm *cap = stream(RINGPCM_DIR_CAPTURE, kind, period, periods, &cr);
	struct rpcm *pb = cap ? stream(RINGPCM_DIR_PLAYBACK, kind, period, periods, &pr) : NULL;
	struct player pl = { .pcm = pb, .next = 1 };
	struct recorder rc;
	pthread_t t;
	pid_t child = -1;
	bool ok;

	if (!pb) {
		rpcm_close(cap);
		ring_free(&cr);
		return !snprintf(why, n, "set-up failed");
	}
	recorder_begin(&rc, cap, &cr, &t);
	pu_sleep_ms(200);
	play(&pl, FL_RATE * 3 / 10, true);	/* QEMU's JACK start glitch falls on silence */
	play(&pl, total / 2, false);
	if (!strcmp(kind, "fork"))
		child = fork_scribbler(&pr, (size_t)period * periods * FL_FB);
	play(&pl, total - total / 2, false);
	play(&pl, FL_RATE / 2, true);		/* QEMU keeps ~20 ms for the next start: silence */
	if (!pl.err)
		pl.err = rpcm_drain(pb, 5000);
	recorder_end(&rc, t, 1500);
	if (child > 0)
		waitpid(child, NULL, 0);
	*out = rc.v;
	ok = !pl.err && !rc.err && !pl.xruns && !rc.xruns && !rc.v.garbage && !rc.v.breaks &&
	     !rc.v.marker &&
	     rc.v.first == 1 && rc.v.last == (int64_t)total;
	if (!ok) {
		struct ringpcm_status ps, cs;

		rpcm_status(pb, &ps);
		rpcm_status(rc.pcm, &cs);
		snprintf(why, n, "player %s with %u xruns (%llu laps counted from time), recorder "
			 "%s with %u xruns (%llu laps from time); "
			 "ramp %lld..%lld of 1..%llu, %llu discontinuities, %llu other frames, "
			 "%llu frames the device never wrote",
			 pu_err(pl.err), pl.xruns, (unsigned long long)ps.lost_laps, pu_err(rc.err),
			 rc.xruns, (unsigned long long)cs.lost_laps, (long long)rc.v.first,
			 (long long)rc.v.last, (unsigned long long)total,
			 (unsigned long long)rc.v.breaks, (unsigned long long)rc.v.garbage,
			 (unsigned long long)rc.v.marker);
	}
	rpcm_close(pb);
	rpcm_close(cap);
	ring_free(&pr);
	ring_free(&cr);
	return ok;
}

/* Up to 3 attempts while the host's jackd is what spoiled them. */
static void roundtrip(const char *kind, double seconds)
{
	struct verdict v;
	char why[320] = "", what[96];
	bool ok = false;
	long j0 = 0, j1 = 0;

	pu_group = "roundtrip";
	for (int attempt = 1; attempt <= 3 && !ok; attempt++) {
		j0 = jack_xruns();
		ok = roundtrip_once(kind, seconds, &v, why, sizeof(why));
		j1 = jack_xruns();
		verdict_print(kind, &v);
		if (ok || j1 == j0)
			break;
		printf("INFO %s: not bit-exact while the host's jackd logged %ld xruns: again\n",
		       kind, j1 - j0);
	}
	snprintf(what, sizeof(what), "%s rings: the whole ramp comes back bit-exact", kind);
	CHECK(ok, what, "%s%s", why, j1 != j0 ? " (the host's jackd had xruns)" : "");
}

/* ---- soak ------------------------------------------------------------------ */

static pid_t hog(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile uint64_t x = 0;

		for (;;)
			x++;
	}
	return pid;
}

static void soak_report(const struct player *pl, const struct recorder *rc, long jx,
			uint64_t px_driver, uint64_t cx_driver, double secs)
{
	const struct verdict *v = &rc->v;
	uint64_t allowed = 3 * ((uint64_t)pl->xruns + rc->xruns + (uint64_t)jx);

	printf("INFO soak: %.0f s; xruns: playback %u (driver %llu), capture %u (driver %llu), "
	       "host jackd %ld; ramp played 1..%llu\n", secs, pl->xruns,
	       (unsigned long long)px_driver, rc->xruns, (unsigned long long)cx_driver, jx,
	       (unsigned long long)(pl->next - 1));
	verdict_print("soak", v);
	CHECK(!pl->err && !rc->err, "player and recorder run to the end",
	      "player %s, recorder %s", pu_err(pl->err), pu_err(rc->err));
	CHECK(pl->recovered == pl->xruns && rc->recovered == rc->xruns,
	      "every xrun recovered", "playback %u of %u, capture %u of %u", pl->recovered,
	      pl->xruns, rc->recovered, rc->xruns);
	CHECK(px_driver == pl->xruns && cx_driver == rc->xruns,
	      "every xrun the driver counted was reported to the application (-EPIPE once each)",
	      "playback: driver %llu, application %u; capture: driver %llu, application %u",
	      (unsigned long long)px_driver, pl->xruns, (unsigned long long)cx_driver, rc->xruns);
	CHECK(!v->marker, "no frame the device never wrote is handed over",
	      "%llu marker frames recorded", (unsigned long long)v->marker);
	CHECK(!v->garbage, "nothing but ramp and silence arrives",
	      "%llu other frames, the first at recorded frame %llu", (unsigned long long)v->garbage,
	      (unsigned long long)v->first_garbage_at);
	CHECK(v->breaks <= allowed, "the ramp is bit-exact between xruns",
	      "%llu discontinuities for %llu xruns (3 allowed per xrun), first %s",
	      (unsigned long long)v->breaks, (unsigned long long)allowed / 3, v->first_break);
	CHECK(v->last == (int64_t)pl->next - 1, "the end of the ramp arrives after the last recovery",
	      "last recorded %lld, last played %llu", (long long)v->last,
	      (unsigned long long)(pl->next - 1));
}

static void soak(double seconds, unsigned int hogs, uint32_t period, uint32_t periods)
{
	struct ring pr = { 0 }, cr = { 0 };
	struct rpcm *cap, *pb;
	struct player pl = { .next = 1 };
	struct recorder rc;
	struct ringpcm_status ps, cs;
	pid_t hog_pids[8];
	pthread_t t;
	long j0 = jack_xruns();
	double t0;

	pu_group = "soak";
	printf("INFO soak: %.0f s, %u CPU hogs, rings of %u x %u frames\n", seconds, hogs, periods,
	       period);
	cap = stream(RINGPCM_DIR_CAPTURE, "anon", period, periods, &cr);
	pb = cap ? stream(RINGPCM_DIR_PLAYBACK, "anon", period, periods, &pr) : NULL;
	if (!pb)
		return;
	pl.pcm = pb;
	for (unsigned int i = 0; i < hogs && i < N(hog_pids); i++)
		hog_pids[i] = hog();
	recorder_begin(&rc, cap, &cr, &t);
	pu_sleep_ms(200);
	play(&pl, FL_RATE * 3 / 10, true);
	t0 = pu_now();
	while (!pl.err && pu_now() - t0 < seconds)
		play(&pl, CHUNK * 8, false);
	play(&pl, FL_RATE / 2, true);
	if (!pl.err)
		pl.err = rpcm_drain(pb, 5000);
	recorder_end(&rc, t, 1500);
	for (unsigned int i = 0; i < hogs && i < N(hog_pids); i++) {
		kill(hog_pids[i], SIGKILL);
		waitpid(hog_pids[i], NULL, 0);
	}
	rpcm_status(pb, &ps);
	rpcm_status(cap, &cs);
	soak_report(&pl, &rc, jack_xruns() - j0, ps.xruns, cs.xruns, pu_now() - t0);
	rpcm_close(pb);
	rpcm_close(cap);
	ring_free(&pr);
	ring_free(&cr);
}

/* ---- small rings: position tracking when the device moves a ring at once ---- */

struct drainer {
	int fd, ret;
	atomic_bool done;
};

static void *drainer_thread(void *arg)
{
	struct drainer *d = arg;

	d->ret = pu_ioctl(d->fd, RINGPCM_IOCTL_DRAIN, NULL);
	atomic_store(&d->done, true);
	return NULL;
}

/*
 * One second of a stream kept full (playback) or emptied (capture) every
 * 2 ms.  A device burst longer than the ring is a true xrun (the
 * application had no chance to refill in between): it is recovered from
 * and counted.  0 when hw_ptr covered the second at the sample rate (the
 * restarts cost a little), else -1; `why` says what was seen.
 */
static int fed_second(int fd, const struct ringpcm_status *page, uint32_t buffer, bool capture,
		      char *why, size_t len)
{
	struct ringpcm_status a = pu_status(page), b;
	uint64_t moved = 0;
	unsigned int xruns = 0;
	double t0 = pu_now();
	int err = 0;

	while (!err && pu_now() - t0 < 1.0) {
		pu_ioctl(fd, RINGPCM_IOCTL_HWSYNC, NULL);
		b = pu_status(page);
		err = fl_commit(fd, capture ? b.hw_ptr : b.hw_ptr + buffer);
		if (err == -EPIPE) {
			xruns++;
			moved += b.hw_ptr - a.hw_ptr;
			err = pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
			if (!err && !capture)
				err = fl_commit(fd, buffer);
			if (!err)
				err = pu_ioctl(fd, RINGPCM_IOCTL_START, NULL);
			a = pu_status(page);
		}
		pu_sleep_ms(2);
	}
	b = pu_status(page);
	moved += b.hw_ptr - a.hw_ptr;
	snprintf(why, len, "%s, hw_ptr moved %llu frames in 1 s, %u xruns recovered",
		 pu_err(err), (unsigned long long)moved, xruns);
	return !err && moved > FL_RATE * 0.6 && moved < FL_RATE * 1.3 ? 0 : -1;
}

/* A starved (or unread) stream leaves RUNNING within 1 s, and for XRUN. */
static void expect_xrun_within_1s(const struct ringpcm_status *page, const char *what)
{
	struct ringpcm_status b;

	for (int i = 0; i < 100 && pu_status(page).state == RINGPCM_STATE_RUNNING; i++)
		pu_sleep_ms(10);
	b = pu_status(page);
	CHECK(b.state == RINGPCM_STATE_XRUN, what, "state %s, hw_ptr %llu, appl_ptr %llu",
	      rpcm_state_name(b.state), (unsigned long long)b.hw_ptr,
	      (unsigned long long)b.appl_ptr);
}

static void small_ring_close(const struct ringpcm_status *page, int fd, void *ring,
			     uint32_t buffer)
{
	if (page)
		munmap((void *)page, PAGE);
	if (fd >= 0)
		close(fd);
	munmap(ring, (size_t)buffer * FL_FB);
}

/*
 * QEMU's JACK backend pulls the stream in bursts of its JACK period (1024
 * frames here): a ring that small moves whole between two interrupts.
 * Positions must still advance at the sample rate, a starved ring must
 * report its xrun, and DRAIN must end (if it does not, DROP frees it).
 */
static void small_ring(uint32_t period, uint32_t periods)
{
	uint32_t buffer = period * periods;
	void *ring = fl_anon((size_t)buffer * FL_FB);
	int fd = fl_open('p', O_RDWR);
	const struct ringpcm_status *page = fd >= 0 ? pu_status_map(fd) : NULL;
	struct ringpcm_status b;
	struct drainer d = { .fd = fd };
	char what[128], why[128];
	pthread_t t;
	double t0;
	int err;

	snprintf(what, sizeof(what), "%u x %u-frame ring", periods, period);
	err = page ? fl_setup(fd, ring, period, periods, 0) : -EIO;
	if (!err)
		err = fl_commit(fd, buffer);
	if (!err)
		err = pu_ioctl(fd, RINGPCM_IOCTL_START, NULL);
	if (!CHECK(!err, what, "set-up: %s", pu_err(err)))
		goto out;
	/* fed for 1 s: hw_ptr at the sample rate */
	err = fed_second(fd, page, buffer, false, why, sizeof(why));
	snprintf(what, sizeof(what), "%u x %u-frame ring: hw_ptr advances at the sample rate",
		 periods, period);
	CHECK(!err, what, "%s", why);
	/* starved: the underrun is reported */
	snprintf(what, sizeof(what), "%u x %u-frame ring: a starved ring reports its xrun within 1 s",
		 periods, period);
	expect_xrun_within_1s(page, what);
	/* a full ring drained: DRAIN returns within the ring's time + 1 s */
	pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
	fl_commit(fd, buffer);
	pthread_create(&t, NULL, drainer_thread, &d);
	t0 = pu_now();
	while (!atomic_load(&d.done) && pu_now() - t0 < 1.0 + (double)buffer / FL_RATE)
		pu_sleep_ms(10);
	snprintf(what, sizeof(what), "%u x %u-frame ring: DRAIN ends", periods, period);
	b = pu_status(page);
	CHECK(atomic_load(&d.done) && !d.ret, what, "%s after %.1f s; state %s, hw_ptr %llu, "
	      "appl_ptr %llu, %llu interrupts", atomic_load(&d.done) ? pu_err(d.ret) : "still blocked",
	      pu_now() - t0, rpcm_state_name(b.state), (unsigned long long)b.hw_ptr,
	      (unsigned long long)b.appl_ptr, (unsigned long long)b.periods_elapsed);
	pu_ioctl(fd, RINGPCM_IOCTL_DROP, NULL);	/* frees a stuck DRAIN */
	pthread_join(t, NULL);
out:
	small_ring_close(page, fd, ring, buffer);
}

/* Diagnosis: a process exits while a thread is stuck in DRAIN on a small ring. */
static void exit_in_drain(void)
{
	void *ring = fl_anon(1024 * FL_FB);
	int fd = fl_open('p', O_RDWR);
	struct drainer d = { .fd = fd };
	pthread_t t;

	if (fl_setup(fd, ring, 256, 4, 0) || fl_commit(fd, 1024) ||
	    pu_ioctl(fd, RINGPCM_IOCTL_START, NULL))
		exit(1);
	pthread_create(&t, NULL, drainer_thread, &d);
	pu_sleep_ms(1000);
	printf("INFO exiting with DRAIN %s\n", atomic_load(&d.done) ? "done" : "still blocked");
	fflush(stdout);
	_exit(0);
}

/* The same for capture: positions at the rate, an unread ring reports its overrun. */
static void small_capture_ring(uint32_t period, uint32_t periods)
{
	uint32_t buffer = period * periods;
	void *ring = fl_anon((size_t)buffer * FL_FB);
	int fd = fl_open('c', O_RDWR);
	const struct ringpcm_status *page = fd >= 0 ? pu_status_map(fd) : NULL;
	char what[128], why[128];
	int err;

	snprintf(what, sizeof(what), "capture %u x %u-frame ring", periods, period);
	err = page ? fl_setup(fd, ring, period, periods, 0) : -EIO;
	if (!err)
		err = pu_ioctl(fd, RINGPCM_IOCTL_START, NULL);
	if (!CHECK(!err, what, "set-up: %s", pu_err(err)))
		goto out;
	err = fed_second(fd, page, buffer, true, why, sizeof(why));	/* read at once */
	snprintf(what, sizeof(what), "capture %u x %u-frame ring: hw_ptr advances at the "
		 "sample rate", periods, period);
	CHECK(!err, what, "%s", why);
	snprintf(what, sizeof(what), "capture %u x %u-frame ring: an unread ring reports its "
		 "overrun within 1 s", periods, period);
	expect_xrun_within_1s(page, what);
out:
	small_ring_close(page, fd, ring, buffer);
}

static void small_rings(void)
{
	pu_group = "small rings";
	small_ring(256, 2);
	small_ring(256, 4);
	small_ring(512, 4);
	small_ring(1024, 4);
	small_capture_ring(256, 4);
	small_capture_ring(1024, 4);
}

static void usage(void)
{
	fprintf(stderr, "usage: fault-loop roundtrip anon|offset|straddle|memfd|tmpfs|huge|thp|fork "
			"[--seconds S]\n       fault-loop soak [--seconds S] [--hogs N] "
			"[--period F] [--periods N]\n       fault-loop small-rings\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double seconds = 1;
	unsigned int hogs = 2, period = 1024, periods = 4;
	int first = argc > 1 && !strcmp(argv[1], "roundtrip") ? 3 : 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < first)
		usage();
	for (int i = first; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--hogs"))
			hogs = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--period"))
			period = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--periods"))
			periods = (unsigned int)atoi(argv[++i]);
		else
			usage();
	}
	if (first == 3)
		roundtrip(argv[2], seconds);
	else if (!strcmp(argv[1], "small-rings"))
		small_rings();
	else if (!strcmp(argv[1], "exit-in-drain"))
		exit_in_drain();
	else if (!strcmp(argv[1], "soak"))
		soak(seconds, hogs, period, periods);
	else
		usage();
	CHECK(fl_wait_pinned(0, 2000) == 0, "nothing pinned at the end", "pinned_pages %ld",
	      pu_pinned_pages());
	return unit_exit("fault-loop");
}
