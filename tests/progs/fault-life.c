// SPDX-License-Identifier: GPL-2.0
/*
 * fault-life: a stream's life ending badly releases everything and never
 * hangs.
 *
 *   fault-life kill9 [--count N] [--seed S]   SIGKILL at random moments
 *   fault-life munmap                         the ring unmapped while running
 *   fault-life fork                           fork while running
 *   fault-life close-wakes                    close() vs poll/DRAIN in another thread
 *   fault-life bench-kill                     SIGKILL during a long BENCH
 *
 * kill9: a victim process loops through every phase of a stream's life
 * (open, parameters, attach, prepare, running with a poller thread, paused,
 * xrun, blocking drain, detach, close) with random directions, DMA modes and
 * ring memory (anonymous, memfd, huge pages, 128-byte aligned); the parent
 * waits for a chosen phase, waits a random few ms more and kills it.  After
 * each kill: pinned pages back to 0, both streams reopen at once, an
 * observer (held throughout) sees them OPEN.
 * Prints PASS/FAIL lines; exits non-zero if anything failed.
 */
#include "fault-lib.c"

enum phase {
	PH_OPEN, PH_PARAMS, PH_ATTACHED, PH_PREPARED, PH_RUNNING, PH_PAUSED, PH_XRUN,
	PH_DRAINING, PH_DETACHED, PH_COUNT
};

static const char *const phase_names[PH_COUNT] = {
	"open", "parameters", "attached", "prepared", "running", "paused", "xrun",
	"draining", "detached",
};

struct shared {
	_Atomic int phase;
	_Atomic uint64_t rounds;
};

static struct shared *sh;
static bool have_huge;

/* ---- kill9: the victim --------------------------------------------------- */

struct ring_mem {
	void *map, *ring;
	size_t map_bytes;
};

/* The ring of one round, in one of the memory kinds. */
static bool ring_alloc(uint64_t *r, size_t bytes, struct ring_mem *m)
{
	size_t len = (bytes + 2 * PAGE + (2u << 20) - 1) & ~((2ul << 20) - 1);
	int kind = (int)fl_below(r, have_huge ? 4 : 3), fd;

	m->map_bytes = len;
	switch (kind) {
	case 1:		/* memfd */
		fd = memfd_create("fault-life", MFD_CLOEXEC);
		m->map = fd >= 0 && !ftruncate(fd, (off_t)len)
			 ? fl_map(len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : NULL;
		if (fd >= 0)
			close(fd);
		break;
	case 3:		/* huge pages */
		m->map = fl_map(len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		break;
	default:	/* anonymous, page or 128-byte aligned */
		m->map = fl_anon(len);
	}
	m->ring = m->map ? (uint8_t *)m->map + (kind == 2 ? 128 * (1 + fl_below(r, 31)) : 0)
			 : NULL;
	return m->map != NULL;
}

static int victim_fd;

static void *victim_poller(void *arg)
{
	struct pollfd p = { .fd = victim_fd, .events = POLLIN | POLLOUT };

	for (;;)
		poll(&p, 1, 50);
	return NULL;
}

/* Enters a phase and stays a random few ms, so that a kill can land in it. */
static void set_phase(uint64_t *r, enum phase p)
{
	atomic_store(&sh->phase, p);
	pu_sleep_ms(fl_below(r, 12));
}

/* Keeps a running stream fed (or, starve, not) for ms. */
static void victim_feed(int fd, bool capture, uint32_t buffer, unsigned int ms, bool starve,
			const struct ringpcm_status *page)
{
	uint64_t end = fl_now_ns() + ms * 1000000ull;

	while (fl_now_ns() < end) {
		struct ringpcm_status st = pu_status(page);

		if (st.state == RINGPCM_STATE_XRUN)
			return;
		if (!starve)
			fl_commit(fd, capture ? st.hw_ptr : st.hw_ptr + buffer);
		pu_sleep_ms(5);
	}
}

/* One life of a stream; every step may be where the parent's SIGKILL lands. */
static void victim_round(uint64_t *r)
{
	bool capture = fl_chance(r, 40);
	uint32_t period = 512u << fl_below(r, 2), periods = 4 + fl_below(r, 4);
	uint32_t buffer = period * periods;
	struct ring_mem m;
	const struct ringpcm_status *page;
	__u32 on = 1;
	int fd;

	set_phase(r, PH_OPEN);
	fd = fl_open(capture ? 'c' : 'p', O_RDWR);
	page = fd >= 0 ? pu_status_map(fd) : NULL;
	if (!page || !ring_alloc(r, (size_t)buffer * FL_FB, &m))
		_exit(10);
	set_phase(r, PH_PARAMS);
	pu_hw_params(fd, FL_RATE, FL_CH, period, periods, fl_below(r, 3));
	set_phase(r, PH_ATTACHED);
	if (pu_attach(fd, m.ring, (uint64_t)buffer * FL_FB, NULL))
		_exit(11);
	set_phase(r, PH_PREPARED);
	pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
	if (!capture)
		fl_commit(fd, buffer);
	pu_sleep_ms(fl_below(r, 20));
	victim_fd = fd;
	set_phase(r, PH_RUNNING);
	pu_ioctl(fd, RINGPCM_IOCTL_START, NULL);
	victim_feed(fd, capture, buffer, 20 + fl_below(r, 150), false, page);
	if (fl_chance(r, 50)) {
		set_phase(r, PH_PAUSED);
		pu_ioctl(fd, RINGPCM_IOCTL_PAUSE, &on);
		pu_sleep_ms(20 + fl_below(r, 40));
		on = 0;
		pu_ioctl(fd, RINGPCM_IOCTL_PAUSE, &on);
	}
	if (fl_chance(r, 50)) {
		set_phase(r, PH_XRUN);
		victim_feed(fd, capture, buffer, 2000, true, page);
		pu_sleep_ms(fl_below(r, 30));
		pu_ioctl(fd, RINGPCM_IOCTL_PREPARE, NULL);
		if (!capture)
			fl_commit(fd, buffer);
		pu_ioctl(fd, RINGPCM_IOCTL_START, NULL);
		victim_feed(fd, capture, buffer, 20, false, page);
	}
	set_phase(r, PH_DRAINING);
	pu_ioctl(fd, RINGPCM_IOCTL_DRAIN, NULL);
	set_phase(r, PH_DETACHED);
	pu_ioctl(fd, RINGPCM_IOCTL_DROP, NULL);
	pu_ioctl(fd, RINGPCM_IOCTL_DETACH_RING, NULL);
	pu_sleep_ms(fl_below(r, 20));
	munmap((void *)page, PAGE);
	close(fd);
	munmap(m.map, m.map_bytes);
	atomic_fetch_add(&sh->rounds, 1);
}

static void victim(uint64_t seed)
{
	pthread_t t;
	uint64_t r = seed;

	victim_fd = -1;
	/* One poller thread for the whole life: a multi-threaded process dies. */
	pthread_create(&t, NULL, victim_poller, NULL);
	for (;;)
		victim_round(&r);
}

/* ---- kill9: the parent ------------------------------------------------------ */

struct kill_stats {
	unsigned int kills[PH_COUNT], bad[PH_COUNT];
	char why[PH_COUNT][160];
};

/* After a kill: nothing pinned, both streams free at once, observers see OPEN. */
static const char *after_kill(const struct ringpcm_status *obs[2], char *why, size_t n)
{
	long pinned = pu_pinned_pages();

	if (pinned != 0 && fl_wait_pinned(0, 2000) != 0) {
		snprintf(why, n, "pinned_pages %ld 2 s after the kill", pu_pinned_pages());
		return why;
	}
	for (int i = 0; i < 2; i++) {
		int fd = fl_open(i ? 'c' : 'p', O_RDWR);

		if (fd < 0) {
			snprintf(why, n, "%.40s reopens: %.40s", pu_path(i ? 'c' : 'p'), pu_err(fd));
			return why;
		}
		close(fd);
		if (pu_status(obs[i]).state != RINGPCM_STATE_OPEN) {
			snprintf(why, n, "observer sees %s after the kill",
				 rpcm_state_name(pu_status(obs[i]).state));
			return why;
		}
	}
	if (pinned != 0)
		printf("INFO pinned_pages read %ld right after waitpid, 0 later\n", pinned);
	return NULL;
}

static void kill_once(uint64_t *r, unsigned int k, const struct ringpcm_status *obs[2],
		      struct kill_stats *ks)
{
	enum phase want = (enum phase)(k % PH_COUNT), at;
	uint64_t seed = fl_next(r);
	char why[160];
	pid_t pid;
	int st;

	atomic_store(&sh->phase, -1);
	pid = fork();
	if (pid == 0)
		victim(seed);
	for (int i = 0; i < 300 && atomic_load(&sh->phase) != (int)want; i++)
		pu_sleep_ms(10);
	pu_sleep_ms(fl_below(r, 8));
	at = (enum phase)atomic_load(&sh->phase);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	if (at < 0 || at >= PH_COUNT || !WIFSIGNALED(st)) {
		printf("FAIL kill9: the victim runs until killed: phase %d, status 0x%x\n", at, st);
		return;
	}
	ks->kills[at]++;
	if (after_kill(obs, why, sizeof(why)) && !ks->bad[at]++)
		snprintf(ks->why[at], sizeof(ks->why[at]), "kill #%u (seed 0x%llx): %.100s", k,
			 (unsigned long long)seed, why);
}

static void test_kill9(unsigned int count, uint64_t seed)
{
	const struct ringpcm_status *obs[2];
	struct kill_stats ks = { 0 };
	uint64_t r = seed;
	int ofd[2];

	pu_group = "kill9";
	printf("INFO kill9: %u kills, seed 0x%llx (again: fault-life kill9 --count %u --seed 0x%llx)\n",
	       count, (unsigned long long)seed, count, (unsigned long long)seed);
	have_huge = fl_huge_pages(16);
	for (int i = 0; i < 2; i++) {
		ofd[i] = fl_open(i ? 'c' : 'p', O_RDONLY);
		obs[i] = ofd[i] >= 0 ? pu_status_map(ofd[i]) : NULL;
		if (!CHECK(obs[i], "observers open", "%s", pu_err(ofd[i] < 0 ? ofd[i] : -errno)))
			return;
	}
	for (unsigned int k = 0; k < count; k++)
		kill_once(&r, k, obs, &ks);
	printf("INFO kill9: %llu whole lives completed by the victims; kills per phase:",
	       (unsigned long long)atomic_load(&sh->rounds));
	for (int p = 0; p < PH_COUNT; p++)
		printf(" %s %u", phase_names[p], ks.kills[p]);
	printf("\n");
	for (int p = 0; p < PH_COUNT; p++) {
		char what[96];

		if (!ks.kills[p])
			continue;
		snprintf(what, sizeof(what), "killed while %s: everything released at once",
			 phase_names[p]);
		CHECK(!ks.bad[p], what, "%u of %u kills: first %s", ks.bad[p], ks.kills[p],
		      ks.why[p]);
	}
	for (int i = 0; i < 2; i++) {
		munmap((void *)obs[i], PAGE);
		close(ofd[i]);
	}
}

/* ---- a running stream for the other tests ---------------------------------- */

struct run {
	int fd;
	bool capture;
	uint8_t *ring;
	size_t ring_bytes;
	uint32_t buffer;
	const struct ringpcm_status *page;
	uint64_t ramp;
};

static bool run_start(struct run *s, char dir, uint32_t period, uint32_t periods, uint32_t mode,
		      const char *what)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->capture = dir == 'c';
	s->buffer = period * periods;
	s->ring_bytes = ((size_t)s->buffer * FL_FB + PAGE - 1) & ~(size_t)(PAGE - 1);
	s->fd = fl_open(dir, O_RDWR);
	s->ring = fl_anon(s->ring_bytes);
	if (s->fd < 0 || !s->ring) {
		CHECK(false, "the stream starts", "%s: open %s: %s", what, pu_path(dir),
		      pu_err(s->fd < 0 ? s->fd : -errno));
		return false;
	}
	s->page = pu_status_map(s->fd);
	err = fl_setup(s->fd, s->ring, period, periods, mode);
	for (uint64_t f = 0; !err && !s->capture && f < s->buffer; f++)
		fl_ramp_frame(++s->ramp, (int16_t *)(s->ring + f * FL_FB));
	if (!err && !s->capture)
		err = fl_commit(s->fd, s->buffer);
	if (!err)
		err = pu_ioctl(s->fd, RINGPCM_IOCTL_START, NULL);
	return CHECK(!err && s->page, "the stream starts", "%s: %s", what, pu_err(err));
}

/* Keeps the stream fed for ms (writing the ramp unless the ring is gone). */
static int run_feed(struct run *s, unsigned int ms, bool write)
{
	uint64_t end = fl_now_ns() + ms * 1000000ull;
	int err = 0;

	while (!err && fl_now_ns() < end) {
		struct ringpcm_status st = pu_status(s->page);
		uint64_t appl = s->capture ? st.hw_ptr : st.hw_ptr + s->buffer;

		for (uint64_t f = st.appl_ptr; write && !s->capture && f < appl; f++)
			fl_ramp_frame(++s->ramp, (int16_t *)(s->ring + f % s->buffer * FL_FB));
		if (appl != st.appl_ptr)
			err = fl_commit(s->fd, appl);
		pu_sleep_ms(5);
	}
	return err;
}

static void run_close(struct run *s, bool unmap)
{
	if (s->page)
		munmap((void *)s->page, PAGE);
	if (s->fd >= 0)
		close(s->fd);
	if (unmap && s->ring)
		munmap(s->ring, s->ring_bytes);
}

/* ---- munmap of the ring while running -------------------------------------- */

static void munmap_case(char dir, uint32_t mode, bool exit_without_close)
{
	static const char *const modes[] = { "auto", "map-once", "copy" };
	struct ringpcm_status a, b;
	struct run s;
	char what[128];
	long pinned0 = pu_pinned_pages(), pinned1;
	int err;

	snprintf(what, sizeof(what), "%s %s: ring unmapped while running",
		 dir == 'p' ? "playback" : "capture", modes[mode]);
	if (!run_start(&s, dir, 1024, 8, mode, what) || run_feed(&s, 150, true))
		return;
	pinned1 = pu_pinned_pages();
	a = pu_status(s.page);
	munmap(s.ring, s.ring_bytes);
	/* the address reused at once for something else, written all over */
	if (mmap(s.ring, s.ring_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == s.ring)
		memset(s.ring, 0x5a, s.ring_bytes);
	err = run_feed(&s, 400, false);
	b = pu_status(s.page);
	CHECK(!err && b.state == RINGPCM_STATE_RUNNING && b.hw_ptr >= a.hw_ptr + FL_RATE / 5 &&
	      pu_pinned_pages() == pinned1, what,
	      "commit %s, state %s, hw_ptr %llu -> %llu in 0.4 s, pinned %ld -> %ld", pu_err(err),
	      rpcm_state_name(b.state), (unsigned long long)a.hw_ptr,
	      (unsigned long long)b.hw_ptr, pinned1, pu_pinned_pages());
	if (exit_without_close) {
		pid_t pid = fork();

		if (pid == 0) {
			run_feed(&s, 100, false);
			_exit(0);	/* the child's copy of the fd is the last one */
		}
		run_close(&s, true);
		waitpid(pid, NULL, 0);
	} else {
		run_close(&s, true);
	}
	snprintf(what, sizeof(what), "%s %s: pages released by %s", dir == 'p' ? "playback" : "capture",
		 modes[mode], exit_without_close ? "the last holder's exit" : "close");
	CHECK(fl_wait_pinned(pinned0, 2000) == pinned0, what, "pinned_pages %ld, %ld before",
	      pu_pinned_pages(), pinned0);
}

static void test_munmap(void)
{
	pu_group = "munmap";
	munmap_case('p', RINGPCM_DMA_MAP_ONCE, false);
	munmap_case('c', RINGPCM_DMA_MAP_ONCE, false);
	munmap_case('p', RINGPCM_DMA_COPY, false);
	munmap_case('c', RINGPCM_DMA_COPY, true);
}

/* ---- fork while running ------------------------------------------------------ */

/* The child uses its copy of the ring and the fd, then exits. */
static void fork_child(struct run *s)
{
	struct ringpcm_info in;

	memset(s->ring, 0x33, s->ring_bytes);	/* its own copy: the parent's ring is untouched */
	ioctl(s->fd, RINGPCM_IOCTL_INFO, &in);
	ioctl(s->fd, RINGPCM_IOCTL_HWSYNC, NULL);
	pu_sleep_ms(100);
	_exit(0);
}

static void test_fork_parent_keeps(void)
{
	struct ringpcm_status a, b;
	struct run s;
	long pinned;
	pid_t pid;
	int err, st;

	if (!run_start(&s, 'p', 2048, 8, RINGPCM_DMA_MAP_ONCE, "parent streams") ||
	    run_feed(&s, 150, true))
		return;
	pinned = pu_pinned_pages();
	pid = fork();
	if (pid == 0)
		fork_child(&s);
	err = run_feed(&s, 200, true);
	waitpid(pid, &st, 0);
	a = pu_status(s.page);
	err = err ?: run_feed(&s, 500, true);
	b = pu_status(s.page);
	CHECK(!err && WIFEXITED(st) && b.state == RINGPCM_STATE_RUNNING &&
	      b.hw_ptr >= a.hw_ptr + FL_RATE / 4 && pu_pinned_pages() == pinned,
	      "a child forked while running exits, the parent keeps streaming",
	      "commit %s, state %s, hw_ptr %llu -> %llu in 0.5 s, pinned %ld -> %ld, %llu xruns",
	      pu_err(err), rpcm_state_name(b.state), (unsigned long long)a.hw_ptr,
	      (unsigned long long)b.hw_ptr, pinned, pu_pinned_pages(),
	      (unsigned long long)b.xruns);
	run_close(&s, true);
	CHECK(fl_wait_pinned(0, 2000) == 0, "the parent's close releases the pages",
	      "pinned_pages %ld", pu_pinned_pages());
}

/* The process that attached the ring exits; its child keeps the stream going. */
static void test_fork_child_keeps(void)
{
	struct shared *done = fl_map(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				     -1, 0);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct run s;

		if (!run_start(&s, 'p', 2048, 8, RINGPCM_DMA_MAP_ONCE, "the first process streams"))
			_exit(1);
		if (fork() == 0) {
			struct ringpcm_status a, b;
			int err;

			pu_sleep_ms(100);	/* the attaching process is gone by now */
			a = pu_status(s.page);
			err = run_feed(&s, 500, true);
			b = pu_status(s.page);
			atomic_store(&done->phase, !err && b.state == RINGPCM_STATE_RUNNING &&
						   b.hw_ptr >= a.hw_ptr + FL_RATE / 4 ? 1 : 2);
			run_close(&s, true);
			atomic_store(&done->rounds, 1);
			_exit(0);
		}
		_exit(0);	/* without closing anything */
	}
	waitpid(pid, &st, 0);
	for (int i = 0; i < 300 && !atomic_load(&done->rounds); i++)
		pu_sleep_ms(10);
	CHECK(atomic_load(&done->phase) == 1,
	      "the attaching process exits, its forked child keeps streaming",
	      "child result %d (2: commit failed or stream stopped)", atomic_load(&done->phase));
	CHECK(fl_wait_pinned(0, 2000) == 0, "the child's close releases the pages",
	      "pinned_pages %ld", pu_pinned_pages());
	munmap(done, PAGE);
}

static void test_fork(void)
{
	pu_group = "fork";
	test_fork_parent_keeps();
	test_fork_child_keeps();
}

/* ---- close() and state changes vs a thread blocked in poll or DRAIN ------- */

struct waiter {
	int fd;
	bool drain;
	int ret;
	short revents;
	_Atomic uint64_t done_ns;
	struct fl_slot *slot;
};

static void *waiter_thread(void *arg)
{
	struct waiter *w = arg;
	struct pollfd p = { .fd = w->fd, .events = POLLIN | POLLOUT };

	fl_enter(w->slot, w->drain ? "DRAIN" : "poll", 6000);
	if (w->drain) {
		w->ret = ioctl(w->fd, RINGPCM_IOCTL_DRAIN, NULL) < 0 ? -errno : 0;
	} else {
		w->ret = poll(&p, 1, 1500);
		w->revents = p.revents;
	}
	fl_leave(w->slot);
	atomic_store(&w->done_ns, fl_now_ns());
	return NULL;
}

enum action { ACT_CLOSE, ACT_HW_PARAMS, ACT_DETACH, ACT_DROP };

/*
 * Starts a waiter on wfd, lets it block, acts on the stream (close fd, or
 * an ioctl on it), and returns how long the waiter took to return after
 * the action (seconds; 99 if it had not returned 6 s later).
 */
static double wake_latency(struct waiter *w, int wfd, bool drain, int fd, enum action act)
{
	pthread_t t;
	uint64_t t0;

	memset(w, 0, sizeof(*w));
	w->fd = wfd;
	w->drain = drain;
	w->slot = fl_slot_new(drain ? "drainer" : "poller");
	pthread_create(&t, NULL, waiter_thread, w);
	pu_sleep_ms(150);
	if (atomic_load(&w->done_ns)) {
		pthread_join(t, NULL);
		return -1;	/* did not block: the case proves nothing */
	}
	t0 = fl_now_ns();
	switch (act) {
	case ACT_CLOSE: close(fd); break;
	case ACT_HW_PARAMS: pu_hw_params(fd, FL_RATE, FL_CH, 1024, 4, 0); break;
	case ACT_DETACH: pu_ioctl(fd, RINGPCM_IOCTL_DETACH_RING, NULL); break;
	case ACT_DROP: pu_ioctl(fd, RINGPCM_IOCTL_DROP, NULL); break;
	}
	for (int i = 0; i < 600 && !atomic_load(&w->done_ns); i++)
		pu_sleep_ms(10);
	if (!atomic_load(&w->done_ns)) {
		pthread_detach(t);
		return 99;
	}
	pthread_join(t, NULL);
	return (atomic_load(&w->done_ns) - t0) / 1e9;
}

static const char *revents_str(const struct waiter *w)
{
	static char buf[64];

	if (w->drain)
		snprintf(buf, sizeof(buf), "DRAIN returned %s", pu_err(w->ret));
	else if (w->ret == 0)
		snprintf(buf, sizeof(buf), "poll timed out (1.5 s)");
	else
		snprintf(buf, sizeof(buf), "poll %d, revents%s%s%s%s%s", w->ret,
			 w->revents & POLLIN ? " IN" : "", w->revents & POLLOUT ? " OUT" : "",
			 w->revents & POLLERR ? " ERR" : "", w->revents & POLLHUP ? " HUP" : "",
			 w->revents & POLLNVAL ? " NVAL" : "");
	return buf;
}

/*
 * One case: set up the stream in a state, block a waiter, act, check the
 * wake-up: within `limit` seconds, or, limit < 0, not before the waiter's
 * own 1.5 s timeout (close() does not end another thread's poll on the same
 * file, as the UAPI header documents) and then the file is released.
 */
static void wake_case(const char *what, char dir, const char *state, bool drain,
		      bool observer, enum action act, double limit)
{
	struct waiter w;
	struct run s;
	__u32 on = 1;
	struct ringpcm_sw_params sw = { 0 };
	int ofd = -1;
	double dt;

	if (!run_start(&s, dir, 8192, 4, RINGPCM_DMA_MAP_ONCE, "set up"))
		return;
	sw.avail_min = s.buffer;	/* poll waits for a whole ring */
	pu_ioctl(s.fd, RINGPCM_IOCTL_SW_PARAMS, &sw);
	if (!strcmp(state, "prepared"))
		pu_ioctl(s.fd, RINGPCM_IOCTL_PREPARE, NULL);	/* stopped, nothing will move */
	else if (!strcmp(state, "paused"))
		pu_ioctl(s.fd, RINGPCM_IOCTL_PAUSE, &on);
	munmap((void *)s.page, PAGE);	/* close() must drop the last reference */
	s.page = NULL;
	if (observer)
		ofd = fl_open(dir, O_RDONLY);
	dt = wake_latency(&w, observer ? ofd : s.fd, drain, s.fd, act);
	printf("INFO %s: %s, %.3f s after the %s\n", what, revents_str(&w), dt,
	       act == ACT_CLOSE ? "close" : "call");
	if (dt >= 0 && limit < 0)
		CHECK(dt > 1.0 && dt < 2.5 && !w.drain, what, "%s %.2f s after it, expected at its "
		      "own timeout (1.5 s after it began)", revents_str(&w), dt);
	else if (dt >= 0)
		CHECK(dt <= limit, what, "%s %.2f s after it (limit %.1f s)%s", revents_str(&w), dt,
		      limit, dt >= 99 ? ": still blocked" : "");
	else
		printf("INFO %s: the waiter did not block, nothing to check\n", what);
	if (act != ACT_CLOSE)
		close(s.fd);
	if (ofd >= 0)
		close(ofd);
	munmap(s.ring, s.ring_bytes);
	CHECK(fl_wait_pinned(0, 2000) == 0, "pages released afterwards", "pinned_pages %ld",
	      pu_pinned_pages());
}

static void test_close_wakes(void)
{
	pthread_t wd = fl_watchdog_start();

	pu_group = "close-wake";
	/* the ring is 0.68 s: a waiter on a running stream wakes by then anyway */
	wake_case("close() while another thread polls a running playback: poll returns",
		  'p', "running", false, false, ACT_CLOSE, 1.0);
	wake_case("close() while another thread blocks in DRAIN: DRAIN returns at the data's end",
		  'p', "running", true, false, ACT_CLOSE, 1.5);
	wake_case("close() while another thread polls a prepared capture: the poll ends at its "
		  "own timeout, then the file is released", 'c', "prepared", false, false,
		  ACT_CLOSE, -1);
	wake_case("close() while another thread polls a paused playback: the poll ends at its "
		  "own timeout, then the file is released", 'p', "paused", false, false,
		  ACT_CLOSE, -1);
	wake_case("the owner closes while an observer polls: the observer's poll returns",
		  'p', "running", false, true, ACT_CLOSE, 1.0);
	wake_case("DROP while another thread polls: poll returns",
		  'p', "running", false, false, ACT_DROP, 0.3);
	wake_case("DROP while another thread blocks in DRAIN: DRAIN returns at once",
		  'p', "running", true, false, ACT_DROP, 0.2);
	wake_case("DROP while another thread polls a prepared capture: poll returns",
		  'c', "prepared", false, false, ACT_DROP, 0.3);
	wake_case("HW_PARAMS (to SETUP) while another thread polls a prepared capture: poll returns",
		  'c', "prepared", false, false, ACT_HW_PARAMS, 0.3);
	wake_case("DETACH_RING (to SETUP) while another thread polls a prepared capture: poll returns",
		  'c', "prepared", false, false, ACT_DETACH, 0.3);
	fl_watchdog_stop(wd);
}

/* ---- SIGKILL during a long BENCH ----------------------------------------- */

static int bench_fd(uint32_t period, void **ring)
{
	int fd = fl_open('p', O_RDWR);

	*ring = fl_anon((size_t)period * 2 * FL_FB);
	if (fd < 0 || !*ring || pu_hw_params(fd, FL_RATE, FL_CH, period, 2, 0) ||
	    pu_attach(fd, *ring, (uint64_t)period * 2 * FL_FB, NULL))
		return -1;
	return fd;
}

/* Seconds one BENCH of n copy iterations takes on a fresh stream. */
static double bench_seconds(uint32_t period, uint32_t n)
{
	struct ringpcm_bench b = { .strategy = RINGPCM_BENCH_COPY, .iterations = n };
	void *ring;
	int fd = bench_fd(period, &ring);
	double t0 = pu_now(), t;
	int err = fd < 0 ? -EIO : pu_ioctl(fd, RINGPCM_IOCTL_BENCH, &b);

	t = pu_now() - t0;
	if (fd >= 0)
		close(fd);
	munmap(ring, (size_t)period * 2 * FL_FB);
	return err ? -1 : t;
}

static void test_bench_kill(void)
{
	uint32_t period = 16384, n = 300;
	double per, full, dt, left;
	pid_t pid;

	pu_group = "bench";
	/* periods large enough for a BENCH of ~3 s within 100000 iterations */
	while ((per = bench_seconds(period, n) / n) > 0 && per * 100000 < 3.0 && period < (1u << 18))
		period *= 4;
	if (!CHECK(per > 0, "BENCH runs", "it did not"))
		return;
	n = per * 100000 < 3.0 ? 100000 : (uint32_t)(3.0 / per);
	full = per * n;
	printf("INFO BENCH copy of %u-byte periods: %.1f us each; %u iterations take ~%.1f s; "
	       "the largest allowed (16 MiB periods, 100000 iterations) ~%.0f s\n",
	       period * FL_FB, per * 1e6, n, full, per * 100000 * (16 << 20) / (period * FL_FB));
	atomic_store(&sh->rounds, 0);
	pid = fork();
	if (pid == 0) {
		struct ringpcm_bench b = { .strategy = RINGPCM_BENCH_COPY, .iterations = n };
		void *ring;
		int fd = bench_fd(period, &ring);

		atomic_store(&sh->rounds, fl_now_ns());
		_exit(fd < 0 ? 1 : pu_ioctl(fd, RINGPCM_IOCTL_BENCH, &b) ? 2 : 0);
	}
	for (int i = 0; i < 300 && !atomic_load(&sh->rounds); i++)
		pu_sleep_ms(10);
	pu_sleep_ms(300);
	left = full - (fl_now_ns() - atomic_load(&sh->rounds)) / 1e9;
	dt = pu_now();
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	dt = pu_now() - dt;
	if (left < 1.0) {
		printf("INFO the BENCH here had only %.1f s left: a SIGKILL latency of %.2f s proves "
		       "nothing\n", left, dt);
		return;
	}
	CHECK(dt < 0.3, "SIGKILL ends a process inside a long BENCH at once",
	      "it died %.2f s after SIGKILL, with ~%.1f s of the BENCH left: the loop does not "
	      "stop for a fatal signal", dt, left);
	CHECK(fl_wait_pinned(0, 2000) == 0, "pages released after the kill", "pinned_pages %ld",
	      pu_pinned_pages());
}

/* ---- holders for the rmmod checks of 50-fault-life.sh ------------------------- */

/*
 * Keeps the module in use by one kind of reference until SIGTERM: "map" the
 * status page mapped after its fd was closed, "ring" a prepared capture
 * stream with a pinned ring and a thread blocked in poll.  Prints "ready".
 */
static void hold(const char *what)
{
	int fd = fl_open(!strcmp(what, "map") ? 'p' : 'c', O_RDWR);
	const struct ringpcm_status *page = fd >= 0 ? pu_status_map(fd) : NULL;
	sigset_t set;
	int sig;

	if (!page)
		exit(1);
	if (!strcmp(what, "map")) {
		close(fd);
	} else {
		struct waiter w = { .fd = fd, .slot = fl_slot_new("holder") };
		void *ring = fl_anon(4096 * 4 * FL_FB);
		pthread_t t;

		if (fl_setup(fd, ring, 4096, 4, 0))
			exit(1);
		pthread_create(&t, NULL, waiter_thread, &w);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	exit(0);
}

/* ---- main ----------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: fault-life kill9 [--count N] [--seed S] | munmap | fork | "
			"close-wakes | bench-kill | hold map|ring\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int count = 10;
	const char *seed_arg = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage();
	for (int i = 2; i < argc && strcmp(argv[1], "hold"); i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed_arg = argv[++i];
		else
			usage();
	}
	sh = fl_map(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!strcmp(argv[1], "kill9"))
		test_kill9(count, fl_seed(seed_arg));
	else if (!strcmp(argv[1], "munmap"))
		test_munmap();
	else if (!strcmp(argv[1], "fork"))
		test_fork();
	else if (!strcmp(argv[1], "close-wakes"))
		test_close_wakes();
	else if (!strcmp(argv[1], "bench-kill"))
		test_bench_kill();
	else if (!strcmp(argv[1], "hold") && argc == 3)
		hold(argv[2]);
	else
		usage();
	return unit_exit("fault-life");
}
