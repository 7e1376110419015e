// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-xrun: xruns are detected, reported everywhere and recovered from.
 *
 * Playback: a child process writes the stream (memfd ring, shared with the
 * parent) and is stopped with SIGSTOP.  The parent, watching the same status
 * page and descriptor, must see the state turn XRUN, the xrun counter rise,
 * POLLERR from poll(), -EPIPE from rpcm_avail(), the engine halted; after
 * SIGCONT the child recovers (PREPARE, refill, START) and the stream runs
 * again.  Capture: a reader that stops reading overruns, read() says -EPIPE,
 * PREPARE + START resumes.  Prints PASS/FAIL lines.
 */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "prog-lib.h"

#define RATE	48000
#define CH	2
#define PERIOD	1024
#define PERIODS	4
#define BUFFER	(PERIOD * PERIODS)

static volatile sig_atomic_t child_stop;

static void on_term(int sig)
{
	child_stop = 1;
}

static struct rpcm *setup(enum ringpcm_direction dir, enum rpcm_ring_kind kind)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	struct rpcm *pcm = NULL;
	int err = pu_lib_prepared(&pcm, dir, 0, &p, kind);

	if (!CHECK(!err, "stream set up", "%s: %s", pu_err(err), pcm ? rpcm_last_error(pcm) : "")) {
		rpcm_close(pcm);
		return NULL;
	}
	return pcm;
}

static struct ringpcm_status status(struct rpcm *pcm)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	return st;
}

/* The child: writes silence forever, recovering from xruns; exit status = xruns seen. */
static void writer(struct rpcm *pcm)
{
	static int16_t silence[PERIOD * CH];
	struct sigaction sa = { .sa_handler = on_term };
	int xruns = 0;

	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: poll returns EINTR */
	while (!child_stop) {
		int64_t r = rpcm_write(pcm, silence, PERIOD);

		if (r == -EPIPE) {
			xruns++;
			if (rpcm_recover(pcm, (int)r))
				_exit(100);
		} else if (r < 0 && r != -EINTR) {
			_exit(101);
		}
	}
	rpcm_drop(pcm);
	_exit(xruns > 99 ? 99 : xruns);
}

/* Waits up to ms for the status page to satisfy cond. */
#define WAIT_FOR(pcm, ms, cond) ({					\
	bool ok_ = false;						\
	for (int i_ = 0; i_ < (ms) / 5 && !ok_; i_++) {			\
		struct ringpcm_status st = status(pcm);			\
		ok_ = (cond);						\
		if (!ok_)						\
			pu_sleep_ms(5);					\
	}								\
	ok_;								\
})

static void test_playback_sigstop(void)
{
	struct ringpcm_status a, b;
	struct pollfd pfd;
	struct rpcm *pcm;
	uint64_t x0;
	int wstatus = 0;
	pid_t child;

	pu_group = "playback xrun (SIGSTOP)";
	pcm = setup(RINGPCM_DIR_PLAYBACK, RPCM_RING_MEMFD);
	if (!pcm)
		return;
	child = fork();
	if (child == 0)
		writer(pcm);
	CHECK(WAIT_FOR(pcm, 3000, st.state == RINGPCM_STATE_RUNNING && st.hw_ptr > 4 * BUFFER),
	      "the writer streams", "state %s hw_ptr %llu", rpcm_state_name(status(pcm).state),
	      (unsigned long long)status(pcm).hw_ptr);
	x0 = status(pcm).xruns;
	kill(child, SIGSTOP);
	CHECK(WAIT_FOR(pcm, 2000, st.state == RINGPCM_STATE_XRUN),
	      "the state turns XRUN when the writer stops", "state %s",
	      rpcm_state_name(status(pcm).state));
	a = status(pcm);
	CHECK(a.xruns > x0, "the xrun counter rises", "%llu -> %llu", (unsigned long long)x0,
	      (unsigned long long)a.xruns);
	pfd = (struct pollfd){ .fd = rpcm_fd(pcm), .events = POLLOUT };
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR), "poll reports POLLERR",
	      "revents 0x%x", pfd.revents);
	CHECK(rpcm_avail(pcm) == -EPIPE, "rpcm_avail is -EPIPE", "%lld",
	      (long long)rpcm_avail(pcm));
	pu_sleep_ms(100);
	b = status(pcm);
	CHECK(b.hw_ptr == a.hw_ptr && b.state == RINGPCM_STATE_XRUN,
	      "the engine is halted in XRUN", "hw_ptr %llu -> %llu, %s",
	      (unsigned long long)a.hw_ptr, (unsigned long long)b.hw_ptr,
	      rpcm_state_name(b.state));
	printf("INFO xrun at hw_ptr %llu appl_ptr %llu, xruns %llu\n", (unsigned long long)a.hw_ptr,
	       (unsigned long long)a.appl_ptr, (unsigned long long)a.xruns);
	kill(child, SIGCONT);
	CHECK(WAIT_FOR(pcm, 3000, st.state == RINGPCM_STATE_RUNNING && st.hw_ptr > 2 * BUFFER),
	      "the writer recovers (PREPARE, refill, START) and streams again",
	      "state %s hw_ptr %llu", rpcm_state_name(status(pcm).state),
	      (unsigned long long)status(pcm).hw_ptr);
	kill(child, SIGTERM);
	waitpid(child, &wstatus, 0);
	CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) >= 1 && WEXITSTATUS(wstatus) < 100,
	      "the writer saw -EPIPE and recovered", "wait status 0x%x", wstatus);
	rpcm_close(pcm);
	CHECK(pu_pinned_pages() == 0, "nothing pinned afterwards", "%ld", pu_pinned_pages());
}

static void test_capture_overrun(void)
{
	static int16_t buf[PERIOD * CH];
	struct pollfd pfd;
	struct rpcm *pcm;
	int64_t r;
	int err;

	pu_group = "capture overrun";
	pcm = setup(RINGPCM_DIR_CAPTURE, RPCM_RING_ANON);
	if (!pcm)
		return;
	err = rpcm_start(pcm);
	CHECK(!err, "START", "%s", pu_err(err));
	CHECK(WAIT_FOR(pcm, 2000, st.state == RINGPCM_STATE_XRUN),
	      "a reader that stops reading overruns", "state %s hw_ptr %llu",
	      rpcm_state_name(status(pcm).state), (unsigned long long)status(pcm).hw_ptr);
	CHECK(status(pcm).xruns >= 1, "the xrun counter rises", "%llu",
	      (unsigned long long)status(pcm).xruns);
	pfd = (struct pollfd){ .fd = rpcm_fd(pcm), .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR), "poll reports POLLERR",
	      "revents 0x%x", pfd.revents);
	r = rpcm_read(pcm, buf, PERIOD);
	CHECK(r == -EPIPE, "rpcm_read is -EPIPE", "%lld", (long long)r);
	err = rpcm_recover(pcm, (int)r);
	CHECK(!err && status(pcm).state == RINGPCM_STATE_RUNNING,
	      "recover is PREPARE + START", "%s, %s", pu_err(err),
	      rpcm_state_name(status(pcm).state));
	r = rpcm_read(pcm, buf, PERIOD);
	CHECK(r == PERIOD, "reading resumes", "%lld", (long long)r);
	rpcm_close(pcm);
}

/* A playback stream whose application sleeps: the same, without a second process. */
static void test_playback_sleep(void)
{
	static int16_t silence[BUFFER * CH];
	struct rpcm *pcm;
	int64_t r;
	int err;

	pu_group = "playback xrun (sleep)";
	pcm = setup(RINGPCM_DIR_PLAYBACK, RPCM_RING_ANON);
	if (!pcm)
		return;
	r = rpcm_write(pcm, silence, BUFFER);
	err = rpcm_start(pcm);
	CHECK(r == BUFFER && !err, "fill and START", "%lld, %s", (long long)r, pu_err(err));
	CHECK(WAIT_FOR(pcm, 2000, st.state == RINGPCM_STATE_XRUN), "underrun once the ring is played",
	      "state %s", rpcm_state_name(status(pcm).state));
	CHECK(status(pcm).hw_ptr >= BUFFER, "the whole ring was played first", "hw_ptr %llu",
	      (unsigned long long)status(pcm).hw_ptr);
	r = rpcm_write(pcm, silence, PERIOD);
	CHECK(r == -EPIPE, "rpcm_write is -EPIPE", "%lld", (long long)r);
	err = rpcm_recover(pcm, (int)r);
	CHECK(!err && status(pcm).state == RINGPCM_STATE_PREPARED && !status(pcm).hw_ptr,
	      "recover prepares: positions back to 0", "%s, %s", pu_err(err),
	      rpcm_state_name(status(pcm).state));
	r = rpcm_write(pcm, silence, BUFFER);
	r = r == BUFFER ? rpcm_write(pcm, silence, PERIOD) : r;	/* full ring: starts */
	CHECK(r == PERIOD && status(pcm).state == RINGPCM_STATE_RUNNING,
	      "writing a full ring starts again", "%lld, %s", (long long)r,
	      rpcm_state_name(status(pcm).state));
	rpcm_close(pcm);
}

/*
 * The engine runs past appl_ptr in the middle of a period and the
 * application commits more before the next period interrupt: the frames in
 * between were fetched stale, which is an underrun by the ABI's definition
 * (the engine reached what was committed), so it must be reported, by the
 * COMMIT (-EPIPE) or in the status page, not be accepted silently.
 */
static void test_late_commit(void)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = 8192, .periods = 2,	/* 171 ms periods */
	};
	struct ringpcm_status st;
	struct rpcm *pcm = NULL;
	int err;

	pu_group = "playback xrun (late commit)";
	err = rpcm_open(&pcm, pu_card(), 0, RINGPCM_DIR_PLAYBACK, 0);
	err = err ?: rpcm_set_params(pcm, &p);
	err = err ?: rpcm_alloc_ring(pcm, RPCM_RING_ANON);
	err = err ?: rpcm_prepare(pcm);
	err = err ?: rpcm_commit(pcm, 8192 + 100);	/* the first period and a bit */
	err = err ?: rpcm_start(pcm);
	if (!CHECK(!err, "set up and start", "%s", pu_err(err))) {
		rpcm_close(pcm);
		return;
	}
	pu_sleep_ms(230);	/* the engine is ~2700 frames past appl_ptr, mid-period */
	err = rpcm_commit(pcm, 16384 + 4096);
	pu_sleep_ms(5);
	st = status(pcm);
	printf("INFO late commit: %s; state %s, hw_ptr %llu, xruns %llu\n", pu_err(err),
	       rpcm_state_name(st.state), (unsigned long long)st.hw_ptr,
	       (unsigned long long)st.xruns);
	CHECK(err == -EPIPE || st.state == RINGPCM_STATE_XRUN || st.xruns > 0,
	      "a commit after the engine passed appl_ptr reports the xrun",
	      "COMMIT %s, state %s, xruns %llu: stale frames were played silently", pu_err(err),
	      rpcm_state_name(st.state), (unsigned long long)st.xruns);
	rpcm_close(pcm);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_playback_sleep();
	test_playback_sigstop();
	test_capture_overrun();
	test_late_commit();
	return unit_exit("rpcm-xrun");
}
