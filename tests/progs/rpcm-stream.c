// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-stream: the core streaming behaviour of the driver through
 * libringpcm: playback and capture positions advance at the sample rate,
 * hw_ptr and timestamps never go back, one interrupt per period, HWSYNC
 * refines the position between interrupts, poll honours avail_min, pause
 * holds the position, drop stops at once, drain ends on the data's end,
 * and nothing stays pinned afterwards.  Prints PASS/FAIL lines.
 */
#include <poll.h>

#include "prog-lib.h"
#include "ringpcm-math.h"

#define RATE	48000
#define CH	2
/* 8 x 43 ms: a TCG guest stalls for tens of ms now and then; no xrun from that */
#define PERIOD	2048
#define PERIODS	8

static struct rpcm *setup(enum ringpcm_direction dir, uint32_t period, uint32_t periods)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = period, .periods = periods,
	};
	struct rpcm *pcm = NULL;
	int err = pu_lib_prepared(&pcm, dir, 0, &p, RPCM_RING_ANON);

	if (!CHECK(!err, "stream set up", "%s: %s", pu_err(err), pcm ? rpcm_last_error(pcm) : ""))
	{
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

/* Frames per second of hw_ptr against its own CLOCK_MONOTONIC_RAW timestamps. */
static double rate_of(const struct ringpcm_status *a, const struct ringpcm_status *b)
{
	return b->tstamp_ns > a->tstamp_ns
	       ? (double)(b->hw_ptr - a->hw_ptr) * 1e9 / (double)(b->tstamp_ns - a->tstamp_ns) : 0;
}

/*
 * What the device holds beyond the DMA position, as INFO tells it (the
 * converter's own delay, at most 15 samples, is the driver's to add).
 */
static uint32_t drain_tail(const struct rpcm *pcm)
{
	const struct ringpcm_info *info = rpcm_info(pcm);
	uint32_t fb = CH * 2;

	return (info->fifo_bytes + fb - 1) / fb +
	       (uint32_t)((uint64_t)info->backend_delay_us * RATE / 1000000);
}

/* Plays ~seconds of silence with rpcm_write, watching the status page. */
static void test_playback(double seconds)
{
	static int16_t silence[PERIOD * CH];
	struct ringpcm_status first = { 0 }, last = { 0 }, st;
	unsigned long back = 0, tback = 0;
	uint32_t tail;
	struct rpcm *pcm;
	uint64_t total = (uint64_t)(seconds * RATE);
	double t0;
	int err = 0;

	pu_group = "playback";
	pcm = setup(RINGPCM_DIR_PLAYBACK, PERIOD, PERIODS);
	if (!pcm)
		return;
	t0 = pu_now();
	for (uint64_t done = 0; done < total && !err; done += PERIOD) {
		int64_t r = rpcm_write(pcm, silence, PERIOD);

		if (r != PERIOD)
			err = r < 0 ? (int)r : -EIO;
		st = status(pcm);
		if (st.state == RINGPCM_STATE_RUNNING && !first.tstamp_ns && st.hw_ptr)
			first = st;
		back += st.hw_ptr < last.hw_ptr;
		tback += st.tstamp_ns < last.tstamp_ns;
		last = st;
	}
	CHECK(!err, "rpcm_write of silence", "%s", pu_err(err));
	st = status(pcm);
	CHECK(st.state == RINGPCM_STATE_RUNNING && st.xruns == 0, "running without xruns",
	      "state %s, %llu xruns", rpcm_state_name(st.state), (unsigned long long)st.xruns);
	CHECK(!back && !tback, "hw_ptr and tstamp never go back", "%lu / %lu times", back, tback);
	CHECK(rate_of(&first, &last) > RATE * 0.9 && rate_of(&first, &last) < RATE * 1.1,
	      "hw_ptr advances at the sample rate (+-10%)", "%.0f frames/s", rate_of(&first, &last));
	printf("INFO playback: %.0f frames/s over %.2f s (wall %.2f s), %llu periods, %llu irqs\n",
	       rate_of(&first, &last), (last.tstamp_ns - first.tstamp_ns) / 1e9, pu_now() - t0,
	       (unsigned long long)st.periods_elapsed, (unsigned long long)st.irqs);
	CHECK(st.periods_elapsed + 2 >= st.hw_ptr / PERIOD &&
	      st.periods_elapsed <= st.hw_ptr / PERIOD + 2,
	      "one period interrupt per period", "%llu periods for hw_ptr %llu",
	      (unsigned long long)st.periods_elapsed, (unsigned long long)st.hw_ptr);
	CHECK(st.irqs >= st.periods_elapsed, "irqs count every period", "%llu irqs, %llu periods",
	      (unsigned long long)st.irqs, (unsigned long long)st.periods_elapsed);
	CHECK(st.buffer_frames == PERIOD * PERIODS && st.period_frames == PERIOD &&
	      st.avail_min == PERIOD && st.dma_mode == RINGPCM_DMA_MAP_ONCE,
	      "status page describes the stream", "buffer %u period %u avail_min %u mode %u",
	      st.buffer_frames, st.period_frames, st.avail_min, st.dma_mode);
	t0 = pu_now();
	err = rpcm_drain(pcm, 5000);
	st = status(pcm);
	CHECK(!err && st.state == RINGPCM_STATE_SETUP, "drain finishes in SETUP", "%s, %s",
	      pu_err(err), rpcm_state_name(st.state));
	tail = drain_tail(pcm);
	CHECK(st.hw_ptr >= ringpcm_drain_end(st.appl_ptr, tail, PERIOD) &&
	      st.hw_ptr < ringpcm_drain_end(st.appl_ptr, tail + 15, PERIOD) + PERIOD,
	      "drain plays the device's tail of silence, then stops at that period end",
	      "hw_ptr %llu, appl_ptr %llu, tail %u frames", (unsigned long long)st.hw_ptr,
	      (unsigned long long)st.appl_ptr, tail);
	printf("INFO drain took %.3f s for %llu queued frames + %u of the device's tail\n",
	       pu_now() - t0, (unsigned long long)(st.appl_ptr - last.hw_ptr), tail);
	rpcm_close(pcm);
	CHECK(pu_pinned_pages() == 0, "nothing pinned after close", "%ld pages",
	      pu_pinned_pages());
}

static void test_capture(double seconds)
{
	static int16_t buf[PERIOD * CH];
	struct ringpcm_status a, b;
	uint64_t total = (uint64_t)(seconds * RATE), done = 0;
	struct rpcm *pcm;
	int err = 0;

	pu_group = "capture";
	pcm = setup(RINGPCM_DIR_CAPTURE, PERIOD, PERIODS);
	if (!pcm)
		return;
	err = rpcm_start(pcm);
	a = status(pcm);
	while (!err && done < total) {
		int64_t r = rpcm_read(pcm, buf, PERIOD);

		err = r < 0 ? (int)r : 0;
		done += r > 0 ? (uint64_t)r : 0;
	}
	b = status(pcm);
	CHECK(!err && done >= total, "rpcm_read for the whole time", "%s after %llu frames",
	      pu_err(err), (unsigned long long)done);
	CHECK(b.xruns == 0 && b.state == RINGPCM_STATE_RUNNING, "no overrun while reading",
	      "%llu xruns, %s", (unsigned long long)b.xruns, rpcm_state_name(b.state));
	CHECK(rate_of(&a, &b) > RATE * 0.9 && rate_of(&a, &b) < RATE * 1.1,
	      "hw_ptr advances at the sample rate (+-10%)", "%.0f frames/s", rate_of(&a, &b));
	printf("INFO capture: %.0f frames/s, %llu periods, %llu irqs\n", rate_of(&a, &b),
	       (unsigned long long)b.periods_elapsed, (unsigned long long)b.irqs);
	err = rpcm_drain(pcm, 1000);
	CHECK(!err && status(pcm).state == RINGPCM_STATE_SETUP, "capture drain stops",
	      "%s, %s", pu_err(err), rpcm_state_name(status(pcm).state));
	rpcm_close(pcm);
}

/* Fills the ring, starts; returns the handle or NULL. */
static struct rpcm *running_playback(uint32_t period, uint32_t periods)
{
	struct rpcm *pcm = setup(RINGPCM_DIR_PLAYBACK, period, periods);
	void *area;
	uint32_t n;
	int err;

	if (!pcm)
		return NULL;
	err = rpcm_mmap_begin(pcm, &area, &n);
	if (!err) {
		memset(area, 0, (size_t)n * rpcm_frame_bytes(pcm));
		err = rpcm_mmap_commit(pcm, n);
	}
	if (!err)
		err = rpcm_start(pcm);
	if (!CHECK(!err, "fill and start", "%s", pu_err(err))) {
		rpcm_close(pcm);
		return NULL;
	}
	return pcm;
}

/* Between interrupts, HWSYNC refreshes hw_ptr from the DMA position. */
static void test_hwsync(void)
{
	struct rpcm *pcm;
	unsigned int off_grid = 0, samples = 0;

	pu_group = "hwsync";
	pcm = running_playback(4096, 4);	/* 85 ms periods */
	if (!pcm)
		return;
	for (int i = 0; i < 60; i++) {
		struct ringpcm_status st;

		pu_sleep_ms(3);
		if (rpcm_hwsync(pcm))
			break;
		st = status(pcm);
		if (st.state != RINGPCM_STATE_RUNNING)
			break;
		samples++;
		off_grid += st.hw_ptr % 4096 != 0;
	}
	CHECK(samples == 60, "HWSYNC while running", "stopped after %u samples (state %s)",
	      samples, rpcm_state_name(status(pcm).state));
	CHECK(off_grid > 0, "HWSYNC positions between period ends",
	      "all %u positions were on period boundaries", samples);
	printf("INFO hwsync: %u of %u positions between period ends\n", off_grid, samples);
	rpcm_close(pcm);
}

/* poll wakes only when avail reaches avail_min. */
static void test_avail_min(void)
{
	struct rpcm *pcm;
	unsigned int early = 0, wakes = 0;
	int err = 0;

	pu_group = "avail_min";
	pcm = running_playback(512, 8);
	if (!pcm)
		return;
	err = rpcm_set_avail_min(pcm, 3 * 512);
	CHECK(!err && status(pcm).avail_min == 3 * 512, "SW_PARAMS avail_min in the status page",
	      "%s, %u", pu_err(err), status(pcm).avail_min);
	for (int i = 0; i < 10 && !err; i++) {
		struct pollfd pfd = { .fd = rpcm_fd(pcm), .events = POLLOUT };
		int64_t avail;
		void *area;
		uint32_t n;

		if (poll(&pfd, 1, 2000) != 1 || !(pfd.revents & POLLOUT)) {
			err = -ETIMEDOUT;
			break;
		}
		wakes++;
		avail = rpcm_avail(pcm);
		early += avail < 3 * 512;
		/* refill all of it, so the next wake needs avail_min new frames */
		while (!err && rpcm_avail(pcm) > 0) {
			err = rpcm_mmap_begin(pcm, &area, &n);
			if (!err && n) {
				memset(area, 0, (size_t)n * rpcm_frame_bytes(pcm));
				err = rpcm_mmap_commit(pcm, n);
			}
		}
	}
	CHECK(!err && wakes == 10, "poll wakes for avail_min", "%s after %u wakes", pu_err(err),
	      wakes);
	CHECK(!early, "no wake before avail_min frames are free", "%u early wakes", early);
	rpcm_close(pcm);
}

static void test_pause(void)
{
	struct ringpcm_status a, b;
	struct rpcm *pcm;
	int err;

	pu_group = "pause";
	pcm = running_playback(4096, 8);
	if (!pcm)
		return;
	if (!(rpcm_ring_info(pcm)->flags & RINGPCM_RING_CAN_PAUSE)) {
		printf("INFO the ring cannot pause (no spare BDL entry)\n");
		rpcm_close(pcm);
		return;
	}
	pu_sleep_ms(100);
	err = rpcm_pause(pcm, true);
	a = status(pcm);
	pu_sleep_ms(200);
	rpcm_hwsync(pcm);
	b = status(pcm);
	CHECK(!err && a.state == RINGPCM_STATE_PAUSED, "PAUSE(1) pauses", "%s, %s", pu_err(err),
	      rpcm_state_name(a.state));
	CHECK(b.hw_ptr == a.hw_ptr, "hw_ptr holds while paused", "%llu -> %llu",
	      (unsigned long long)a.hw_ptr, (unsigned long long)b.hw_ptr);
	err = rpcm_pause(pcm, false);
	pu_sleep_ms(150);
	rpcm_hwsync(pcm);
	b = status(pcm);
	CHECK(!err && b.state == RINGPCM_STATE_RUNNING && b.hw_ptr > a.hw_ptr,
	      "PAUSE(0) resumes where it stopped", "%s, %s, hw_ptr %llu -> %llu", pu_err(err),
	      rpcm_state_name(b.state), (unsigned long long)a.hw_ptr,
	      (unsigned long long)b.hw_ptr);
	rpcm_close(pcm);
}

static void test_drop_prepare(void)
{
	struct ringpcm_status a, b;
	struct rpcm *pcm;
	int err;

	pu_group = "drop";
	pcm = running_playback(1024, 4);
	if (!pcm)
		return;
	pu_sleep_ms(30);
	err = rpcm_drop(pcm);
	a = status(pcm);
	pu_sleep_ms(100);
	b = status(pcm);
	CHECK(!err && a.state == RINGPCM_STATE_SETUP && b.hw_ptr == a.hw_ptr,
	      "DROP stops at once", "%s, %s, hw_ptr %llu -> %llu", pu_err(err),
	      rpcm_state_name(a.state), (unsigned long long)a.hw_ptr,
	      (unsigned long long)b.hw_ptr);
	err = rpcm_prepare(pcm);
	a = status(pcm);
	CHECK(!err && a.state == RINGPCM_STATE_PREPARED && !a.hw_ptr && !a.appl_ptr,
	      "PREPARE resets the positions", "%s, %s, %llu/%llu", pu_err(err),
	      rpcm_state_name(a.state), (unsigned long long)a.hw_ptr,
	      (unsigned long long)a.appl_ptr);
	rpcm_close(pcm);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.5;

	setvbuf(stdout, NULL, _IOLBF, 0);
	test_playback(seconds);
	test_capture(seconds);
	test_hwsync();
	test_avail_min();
	test_pause();
	test_drop_prepare();
	return unit_exit("rpcm-stream");
}
