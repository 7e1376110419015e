// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-alsa-test: checks through the public ALSA API what aplay/arecord
 * cannot show on their own: poll wakeups per period (no spinning, avail_min
 * honoured when it changes at run time), drain time against the buffer time,
 * non-blocking write and drain, pause/resume without losing a frame, delay,
 * and how a disconnect is reported.  Works on any ALSA PCM (ringpcm or hw:).
 *
 *   rpcm-alsa-test [-D pcm] [-r rate] [-p period] [-n periods] [-s seconds]
 *                  [-T tail_ms] [-M] TEST
 *   -T: how long a drain may play on beyond the queued audio: the device's
 *       tail, which ringpcm's drain plays out (ringpcm-info's device tail)
 *   TEST: poll | capture-poll | drain | nonblock | pause | delay | disconnect | sizes
 *
 * Prints key=value figures, then "ok: ..." or "error: ..." lines; exit status
 * 0 when every check held.  The played signal is a counter (frame n, channel
 * c: (n % 16000 + 1) * 2 - c, never 0) so that a recording of it shows lost,
 * repeated or reordered frames.
 */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

struct opts {
	const char *dev;
	unsigned int rate, periods;
	snd_pcm_uframes_t period;
	double seconds;
	double tail_ms;		/* a drain may last this much beyond the queue */
	int mmap;
};

struct run {
	snd_pcm_t *pcm;
	struct opts o;
	snd_pcm_uframes_t period, buffer;
	uint64_t written;		/* frames handed to alsa-lib */
	unsigned long polls, empty_polls, xruns;
	int failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check(struct run *r, int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf(cond ? "ok: " : "error: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!cond)
		r->failed = 1;
	fflush(stdout);
}

static int die(const char *what, int err)
{
	printf("error: %s: %s\n", what, snd_strerror(err));
	exit(1);
}

static void fill(int16_t *buf, uint64_t first, snd_pcm_uframes_t frames)
{
	snd_pcm_uframes_t i;

	for (i = 0; i < frames; i++) {
		int16_t v = (int16_t)(((first + i) % 16000 + 1) * 2);

		buf[2 * i] = v;
		buf[2 * i + 1] = v - 1;
	}
}

static void setup(struct run *r, snd_pcm_stream_t dir, int mode)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	unsigned int rate = r->o.rate, periods = r->o.periods;
	snd_pcm_uframes_t period = r->o.period;
	int err;

	err = snd_pcm_open(&r->pcm, r->o.dev, dir, mode);
	if (err < 0)
		die("open", err);
	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);
	snd_pcm_hw_params_any(r->pcm, hw);
	err = snd_pcm_hw_params_set_access(r->pcm, hw, r->o.mmap ? SND_PCM_ACCESS_MMAP_INTERLEAVED :
					   SND_PCM_ACCESS_RW_INTERLEAVED);
	if (!err)
		err = snd_pcm_hw_params_set_format(r->pcm, hw, SND_PCM_FORMAT_S16_LE);
	if (!err)
		err = snd_pcm_hw_params_set_channels(r->pcm, hw, 2);
	if (!err)
		err = snd_pcm_hw_params_set_rate(r->pcm, hw, rate, 0);
	if (!err)
		err = snd_pcm_hw_params_set_period_size(r->pcm, hw, period, 0);
	if (!err)
		err = snd_pcm_hw_params_set_periods(r->pcm, hw, periods, 0);
	if (!err)
		err = snd_pcm_hw_params(r->pcm, hw);
	if (err < 0)
		die("hw_params (S16_LE, 2 channels, exact rate/period/periods)", err);
	snd_pcm_hw_params_get_period_size(hw, &r->period, 0);
	snd_pcm_hw_params_get_buffer_size(hw, &r->buffer);
	snd_pcm_sw_params_current(r->pcm, sw);
	snd_pcm_sw_params_set_avail_min(r->pcm, sw, r->period);
	snd_pcm_sw_params_set_start_threshold(r->pcm, sw, dir == SND_PCM_STREAM_CAPTURE ? 1 : r->buffer);
	err = snd_pcm_sw_params(r->pcm, sw);
	if (err < 0)
		die("sw_params", err);
	printf("pcm=%s rate=%u period=%lu buffer=%lu access=%s%s\n", r->o.dev, rate, r->period,
	       r->buffer, r->o.mmap ? "mmap" : "rw", mode & SND_PCM_NONBLOCK ? " nonblock" : "");
}

static double period_ms(const struct run *r)
{
	return r->period * 1000.0 / r->o.rate;
}

/* Write one period through RW or MMAP; returns frames or a negative error. */
static snd_pcm_sframes_t put_period(struct run *r)
{
	int16_t buf[2 * 8192];
	const snd_pcm_channel_area_t *a;
	snd_pcm_uframes_t off, frames = r->period;
	snd_pcm_sframes_t n;
	int err;

	if (!r->o.mmap) {
		fill(buf, r->written, r->period);
		n = snd_pcm_writei(r->pcm, buf, r->period);
		if (n > 0)
			r->written += n;
		return n;
	}
	err = snd_pcm_mmap_begin(r->pcm, &a, &off, &frames);
	if (err < 0)
		return err;
	fill((int16_t *)((char *)a[0].addr + a[0].first / 8) + 2 * off, r->written, frames);
	n = snd_pcm_mmap_commit(r->pcm, off, frames);
	if (n > 0)
		r->written += n;
	return n;
}

/* One poll() through the PCM's descriptors; counts wakeups without work. */
static int wait_ready(struct run *r, unsigned short want, int timeout_ms)
{
	struct pollfd pfd[4];
	unsigned short rev = 0;
	int n, err;

	n = snd_pcm_poll_descriptors(r->pcm, pfd, 4);
	if (n < 0)
		return n;
	err = poll(pfd, n, timeout_ms);
	if (err < 0)
		return -errno;
	if (err == 0)
		return -ETIMEDOUT;
	r->polls++;
	err = snd_pcm_poll_descriptors_revents(r->pcm, pfd, n, &rev);
	if (err < 0)
		return err;
	if (rev & (POLLERR | POLLHUP | POLLNVAL))
		return rev & POLLHUP ? -ENODEV : -EPIPE;
	if (!(rev & want))
		r->empty_polls++;
	return 0;
}

static int recover(struct run *r, int err)
{
	if (err == -EPIPE) {
		r->xruns++;
		return snd_pcm_prepare(r->pcm);
	}
	return err;
}

/* Playback for `frames`, poll-driven; returns 0 or the fatal error. */
static int play(struct run *r, uint64_t frames)
{
	uint64_t end = r->written + frames;
	snd_pcm_sframes_t avail, n;
	int err;

	while (r->written < end) {
		avail = snd_pcm_avail_update(r->pcm);
		if (avail < 0) {
			if ((err = recover(r, avail)) < 0)
				return err;
			continue;
		}
		if ((snd_pcm_uframes_t)avail >= r->period) {
			n = put_period(r);
			if (n == -EAGAIN)
				continue;
			if (n < 0 && (err = recover(r, n)) < 0)
				return err;
			if (snd_pcm_state(r->pcm) == SND_PCM_STATE_PREPARED &&
			    snd_pcm_avail_update(r->pcm) == 0)
				snd_pcm_start(r->pcm);
			continue;
		}
		if (snd_pcm_state(r->pcm) == SND_PCM_STATE_PREPARED)
			snd_pcm_start(r->pcm);
		err = wait_ready(r, POLLOUT, 2000 + 4 * period_ms(r));
		if (err < 0 && (err = recover(r, err)) < 0)
			return err;
	}
	return 0;
}

static void report_polls(struct run *r, uint64_t periods, double max_ratio)
{
	double ratio = periods ? (double)r->polls / periods : 0;

	printf("periods=%llu polls=%lu empty_polls=%lu polls_per_period=%.2f\n",
	       (unsigned long long)periods, r->polls, r->empty_polls, ratio);
	check(r, ratio <= max_ratio, "poll wakeups per period %.2f <= %.2f", ratio, max_ratio);
	check(r, r->empty_polls <= 2 + periods / 20, "wakeups without work: %lu", r->empty_polls);
}

/*
 * The emulated machine sometimes stalls longer than a short buffer (seen with
 * snd-hda-intel too): one xrun per run is reported, more fail.
 */
static void check_xruns(struct run *r)
{
	check(r, r->xruns <= 1, "xruns: %lu%s", r->xruns, r->xruns ? " (recovered)" : "");
}

/* poll: wakeups follow avail_min (one period, then two) and never spin. */
static int test_poll(struct run *r)
{
	snd_pcm_sw_params_t *sw;
	uint64_t half = (uint64_t)(r->o.seconds * r->o.rate / 2);
	double cpu0 = (double)clock() / CLOCKS_PER_SEC;
	int err;

	setup(r, SND_PCM_STREAM_PLAYBACK, 0);
	err = play(r, half);
	if (err < 0)
		die("play", err);
	report_polls(r, half / r->period, 1.3);
	if (r->buffer < 3 * r->period)
		goto out;	/* 2 periods of avail_min need a third as margin */
	/* avail_min = 2 periods at run time */
	snd_pcm_sw_params_alloca(&sw);
	snd_pcm_sw_params_current(r->pcm, sw);
	snd_pcm_sw_params_set_avail_min(r->pcm, sw, 2 * r->period);
	if ((err = snd_pcm_sw_params(r->pcm, sw)) < 0)
		die("sw_params at run time", err);
	r->polls = r->empty_polls = 0;
	err = play(r, half);
	if (err < 0)
		die("play", err);
	report_polls(r, half / r->period, 0.75);
out:
	printf("cpu_ms_per_s=%.2f\n", ((double)clock() / CLOCKS_PER_SEC - cpu0) * 1000 / r->o.seconds);
	check_xruns(r);
	snd_pcm_drop(r->pcm);
	return 0;
}

/* Read one period through RW or MMAP; returns frames or a negative error. */
static snd_pcm_sframes_t get_period(struct run *r, int16_t *buf)
{
	const snd_pcm_channel_area_t *a;
	snd_pcm_uframes_t off, frames = r->period;
	int err;

	if (!r->o.mmap)
		return snd_pcm_readi(r->pcm, buf, r->period);
	err = snd_pcm_mmap_begin(r->pcm, &a, &off, &frames);
	if (err < 0)
		return err;
	memcpy(buf, (int16_t *)((char *)a[0].addr + a[0].first / 8) + 2 * off, frames * 4);
	return snd_pcm_mmap_commit(r->pcm, off, frames);
}

/* capture-poll: capture wakes once per period, data arrives in order. */
static int test_capture_poll(struct run *r)
{
	int16_t buf[2 * 8192];
	uint64_t frames = (uint64_t)(r->o.seconds * r->o.rate), got = 0;
	snd_pcm_sframes_t n;
	int err;

	setup(r, SND_PCM_STREAM_CAPTURE, 0);
	if ((err = snd_pcm_start(r->pcm)) < 0)
		die("start", err);
	while (got < frames) {
		n = snd_pcm_avail_update(r->pcm);
		if (n >= 0 && (snd_pcm_uframes_t)n >= r->period)
			n = get_period(r, buf);
		else if (n >= 0)
			n = wait_ready(r, POLLIN, 2000);
		if (n == -EPIPE) {
			r->xruns++;
			if ((err = snd_pcm_prepare(r->pcm)) < 0 || (err = snd_pcm_start(r->pcm)) < 0)
				die("recover", err);
		} else if (n < 0) {
			die("capture", n);
		} else if (n > 0) {
			got += n;
		}
	}
	report_polls(r, frames / r->period, 1.3);
	check_xruns(r);
	snd_pcm_drop(r->pcm);
	return 0;
}

/* drain: returns after what was queued has played, within a buffer time. */
static int test_drain(struct run *r)
{
	double t0, dt, buf_ms;
	snd_pcm_sframes_t delay = 0;
	int err;

	setup(r, SND_PCM_STREAM_PLAYBACK, 0);
	buf_ms = r->buffer * 1000.0 / r->o.rate;
	err = play(r, (uint64_t)(r->o.seconds * r->o.rate));
	if (err < 0)
		die("play", err);
	snd_pcm_delay(r->pcm, &delay);
	t0 = now_s();
	err = snd_pcm_drain(r->pcm);
	dt = (now_s() - t0) * 1000;
	printf("drain_ms=%.1f delay_before_ms=%.1f buffer_ms=%.1f\n", dt,
	       delay * 1000.0 / r->o.rate, buf_ms);
	check(r, err == 0, "drain returned %s", snd_strerror(err));
	check(r, dt <= delay * 1000.0 / r->o.rate + r->o.tail_ms + period_ms(r) + 50,
	      "drain took %.1f ms for %.1f ms queued (buffer %.1f ms)", dt,
	      delay * 1000.0 / r->o.rate, buf_ms);
	check(r, dt >= delay * 1000.0 / r->o.rate - period_ms(r) - 20,
	      "drain waited for the queued audio (%.1f ms)", delay * 1000.0 / r->o.rate);
	check(r, snd_pcm_state(r->pcm) == SND_PCM_STATE_SETUP, "state after drain: %s",
	      snd_pcm_state_name(snd_pcm_state(r->pcm)));
	/* the stream is reusable: prepare and drain a short second piece */
	err = snd_pcm_prepare(r->pcm);
	if (!err)
		err = play(r, r->buffer / 2);
	if (!err)
		err = snd_pcm_drain(r->pcm);
	check(r, err == 0, "second prepare/play/drain: %s", snd_strerror(err));
	return 0;
}

/* nonblock: writes return -EAGAIN instead of blocking; drain -EAGAIN + poll. */
static int test_nonblock(struct run *r)
{
	uint64_t frames = (uint64_t)(r->o.seconds * r->o.rate);
	unsigned long eagain = 0, drain_polls = 0;
	snd_pcm_sframes_t n;
	double t0, longest = 0, t;
	int err;

	setup(r, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
	while (r->written < frames) {
		t = now_s();
		n = put_period(r);
		t = now_s() - t;
		if (t > longest)
			longest = t;
		if (n == -EAGAIN || (n >= 0 && snd_pcm_avail_update(r->pcm) < (snd_pcm_sframes_t)r->period)) {
			eagain += n == -EAGAIN;
			if (snd_pcm_state(r->pcm) == SND_PCM_STATE_PREPARED)
				snd_pcm_start(r->pcm);
			if ((err = wait_ready(r, POLLOUT, 2000)) < 0 && recover(r, err) < 0)
				die("poll", err);
		} else if (n < 0 && recover(r, n) < 0) {
			die("write", n);
		}
	}
	printf("eagain=%lu longest_write_ms=%.2f\n", eagain, longest * 1000);
	check(r, longest * 1000 < period_ms(r) / 2 + 5, "no write blocked (longest %.2f ms)",
	      longest * 1000);
	report_polls(r, frames / r->period, 1.3);
	t0 = now_s();
	while ((err = snd_pcm_drain(r->pcm)) == -EAGAIN) {
		if (wait_ready(r, POLLOUT, 2000) == -ETIMEDOUT)
			break;
		drain_polls++;
	}
	t = (now_s() - t0) * 1000;
	printf("nonblock_drain_ms=%.1f drain_polls=%lu\n", t, drain_polls);
	check(r, err == 0, "non-blocking drain ended with %s", snd_strerror(err));
	check(r, drain_polls <= r->buffer / r->period + 2, "drain polls %lu (no spinning)", drain_polls);
	check(r, t <= r->buffer * 1000.0 / r->o.rate + r->o.tail_ms + period_ms(r) + 100,
	      "drain within a buffer time and the device's tail");
	return 0;
}

/* pause: the position freezes while paused and playback resumes where it was. */
static int test_pause(struct run *r)
{
	snd_pcm_sframes_t a0, a1, d0, d1;
	int err;

	setup(r, SND_PCM_STREAM_PLAYBACK, 0);
	err = play(r, (uint64_t)(r->o.seconds * r->o.rate / 2));
	if (err < 0)
		die("play", err);
	err = snd_pcm_pause(r->pcm, 1);
	check(r, err == 0, "pause: %s", snd_strerror(err));
	snd_pcm_delay(r->pcm, &d0);
	a0 = snd_pcm_avail(r->pcm);
	usleep(600000);
	snd_pcm_delay(r->pcm, &d1);
	a1 = snd_pcm_avail(r->pcm);
	printf("paused: avail %ld -> %ld, delay %ld -> %ld\n", a0, a1, d0, d1);
	check(r, snd_pcm_state(r->pcm) == SND_PCM_STATE_PAUSED, "state while paused: %s",
	      snd_pcm_state_name(snd_pcm_state(r->pcm)));
	check(r, a0 == a1 && d0 == d1, "position frozen while paused");
	err = snd_pcm_pause(r->pcm, 0);
	check(r, err == 0, "resume: %s", snd_strerror(err));
	err = play(r, (uint64_t)(r->o.seconds * r->o.rate / 2));
	check(r, err == 0 && r->xruns == 0, "playback after resume, xruns %lu", r->xruns);
	err = snd_pcm_drain(r->pcm);
	check(r, err == 0, "drain after resume: %s", snd_strerror(err));
	return 0;
}

/*
 * delay: what is in the ring (buffer - avail, avail as of the last period)
 * plus what the device holds; that difference must be steady (within the
 * period-granular avail) and never negative by more than a period.
 */
static int test_delay(struct run *r)
{
	snd_pcm_sframes_t d, a, extra, lo = LONG_MAX, hi = LONG_MIN;
	int err, i, n = 0;

	setup(r, SND_PCM_STREAM_PLAYBACK, 0);
	for (i = 0; i < 40; i++) {
		err = play(r, r->period);
		if (err < 0)
			die("play", err);
		if (snd_pcm_state(r->pcm) != SND_PCM_STATE_RUNNING)
			continue;
		err = snd_pcm_avail_delay(r->pcm, &a, &d);
		if (err < 0)
			die("avail_delay", err);
		extra = d - ((snd_pcm_sframes_t)r->buffer - a);
		lo = extra < lo ? extra : lo;
		hi = extra > hi ? extra : hi;
		n++;
	}
	printf("delay_minus_ring_frames=%ld..%ld (%.1f..%.1f ms) samples=%d\n", lo, hi,
	       lo * 1000.0 / r->o.rate, hi * 1000.0 / r->o.rate, n);
	check(r, n > 0 && lo >= -(snd_pcm_sframes_t)r->period && hi - lo <= (snd_pcm_sframes_t)r->period + 64,
	      "delay = ring fill + a steady device part");
	snd_pcm_drop(r->pcm);
	return 0;
}

/* disconnect: reported once as -ENODEV, not as a stream of xruns. */
static int test_disconnect(struct run *r)
{
	double t0 = now_s();
	int err;

	setup(r, SND_PCM_STREAM_PLAYBACK, 0);
	err = play(r, (uint64_t)(r->o.seconds * r->o.rate));
	printf("disconnect_after_s=%.2f err=%s xruns=%lu state=%s\n", now_s() - t0,
	       snd_strerror(err), r->xruns, snd_pcm_state_name(snd_pcm_state(r->pcm)));
	check(r, err == -ENODEV, "playback ended with ENODEV");
	check(r, r->xruns <= 1, "not reported as xruns (%lu)", r->xruns);
	check(r, snd_pcm_state(r->pcm) == SND_PCM_STATE_DISCONNECTED, "state DISCONNECTED");
	check(r, snd_pcm_prepare(r->pcm) < 0, "prepare fails after disconnect");
	return 0;
}

/*
 * The period sizes a client can ask for (no streaming): every multiple of 128
 * bytes (HDA's BDL alignment) up to 8192 frames exactly, every power of two
 * up to the largest period the device takes exactly, and any size "near" a
 * request within 1/1000 (+ one 128-byte step) of it.  Prints what a refine
 * costs here, for the record: the ringpcm plugin hands alsa-lib a list of
 * sizes, and alsa-lib walks it on every refine.
 */
static int period_ok(snd_pcm_t *pcm, snd_pcm_uframes_t want, snd_pcm_uframes_t *got)
{
	snd_pcm_hw_params_t *hw;
	int dir = 0, err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_hw_params_any(pcm, hw);
	err = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE);
	if (!err)
		err = snd_pcm_hw_params_set_channels(pcm, hw, 2);
	if (!err)
		err = snd_pcm_hw_params_set_rate(pcm, hw, 48000, 0);
	if (err)
		return err;
	*got = want;
	if (snd_pcm_hw_params_test_period_size(pcm, hw, want, 0) == 0)
		return 0;
	return snd_pcm_hw_params_set_period_size_near(pcm, hw, got, &dir) ?: 1;
}

static int test_sizes(struct run *r)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_uframes_t f, got, max = 0, worst = 0;
	unsigned long refines = 0, bad_exact = 0, bad_near = 0;
	double t0;
	int err;

	err = snd_pcm_open(&r->pcm, r->o.dev, SND_PCM_STREAM_PLAYBACK, 0);
	if (err < 0)
		die("open", err);
	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_hw_params_any(r->pcm, hw);
	snd_pcm_hw_params_set_format(r->pcm, hw, SND_PCM_FORMAT_S16_LE);
	snd_pcm_hw_params_set_channels(r->pcm, hw, 2);
	snd_pcm_hw_params_get_period_size_max(hw, &max, 0);
	t0 = now_s();
	for (f = 32; f <= 8192; f += 32, refines++)
		if (period_ok(r->pcm, f, &got) != 0 && bad_exact++ < 3)
			printf("not exact: %lu frames (got %lu)\n", f, got);
	for (f = 32; f <= max && f; f *= 2, refines++)
		if (period_ok(r->pcm, f, &got) != 0 && bad_exact++ < 6)
			printf("not exact: %lu frames (got %lu)\n", f, got);
	for (f = 1000; f <= max; f = f * 3 / 2 + 7, refines++) {
		snd_pcm_uframes_t d;

		if (period_ok(r->pcm, f, &got) < 0) {
			bad_near++;
			continue;
		}
		d = got > f ? got - f : f - got;
		if (d > worst)
			worst = d;
		if (d > 32 + f / 1000 && bad_near++ < 3)
			printf("far: near %lu frames got %lu\n", f, got);
	}
	printf("period_max=%lu refines=%lu us_per_refine=%.1f worst_near_frames=%lu\n", max, refines,
	       (now_s() - t0) * 1e6 / refines, worst);
	check(r, max >= 8192, "periods up to %lu frames", max);
	check(r, !bad_exact, "multiples of 128 bytes to 8192 frames and powers of two exact (%lu not)",
	      bad_exact);
	check(r, !bad_near, "sizes near a request within 1/1000 + 32 frames (%lu not)", bad_near);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(struct run *); } tests[] = {
		{ "poll", test_poll }, { "capture-poll", test_capture_poll },
		{ "drain", test_drain }, { "nonblock", test_nonblock }, { "pause", test_pause },
		{ "delay", test_delay }, { "disconnect", test_disconnect }, { "sizes", test_sizes },
	};
	struct run r = { .o = { "ringpcm", 48000, 4, 1024, 2.0, 0, 0 } };
	unsigned int i;
	int c;

	while ((c = getopt(argc, argv, "D:r:p:n:s:T:M")) != -1) {
		switch (c) {
		case 'D': r.o.dev = optarg; break;
		case 'r': r.o.rate = atoi(optarg); break;
		case 'p': r.o.period = atoi(optarg); break;
		case 'n': r.o.periods = atoi(optarg); break;
		case 's': r.o.seconds = atof(optarg); break;
		case 'T': r.o.tail_ms = atof(optarg); break;
		case 'M': r.o.mmap = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc || r.o.period > 8192) {
		fprintf(stderr, "usage: rpcm-alsa-test [-D pcm] [-r rate] [-p period<=8192] "
			"[-n periods] [-s seconds] [-T tail_ms] [-M] TEST\n");
		return 2;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(argv[optind], tests[i].name)) {
			tests[i].fn(&r);
			if (r.pcm)
				snd_pcm_close(r.pcm);
			return r.failed;
		}
	fprintf(stderr, "unknown test %s\n", argv[optind]);
	return 2;
}
