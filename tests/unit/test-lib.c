// SPDX-License-Identifier: GPL-2.0
/*
 * libringpcm against a simulated driver (fake-driver.c): open/close and
 * unwinding, parameters, ring kinds, copying and zero-copy playback and
 * capture with bit-exact data, drain padding, xrun recovery, non-blocking
 * behaviour, timeouts, disconnect, mixer, names, and silence on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake-driver.h"
#include "ringpcm.h"
#include "unit.h"

#define N(a)		(sizeof(a) / sizeof((a)[0]))
#define PERIOD		64
#define PERIODS		4
#define BUFFER		(PERIOD * PERIODS)
#define CH		2
#define FB		(CH * 2)

static char why[256];
static struct rpcm *pcm;

#define EXPECT(cond, ...) do {						\
	if (!(cond)) {							\
		snprintf(why, sizeof(why), __VA_ARGS__);		\
		return why;						\
	}								\
} while (0)

#define EXPECT_OK(call) do {						\
	long long r_ = (call);						\
	EXPECT(r_ >= 0, "%s = %lld (%s)", #call, r_, strerror((int)-r_)); \
} while (0)

static struct ringpcm_status status(void)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	return st;
}

static int open_dir(enum ringpcm_direction dir, int flags)
{
	fake_install();
	return rpcm_open(&pcm, 0, 0, dir, flags);
}

/* Open, set S16/48k/stereo, PERIODS x PERIOD, attach an anonymous ring, prepare. */
static int setup(enum ringpcm_direction dir, int flags)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	int err = open_dir(dir, flags);

	if (!err)
		err = rpcm_set_params(pcm, &p);
	if (!err)
		err = rpcm_alloc_ring(pcm, RPCM_RING_ANON);
	if (!err)
		err = rpcm_prepare(pcm);
	return err;
}

/* A recognisable playback signal: frame f, channel c. */
static int16_t tone(uint32_t f, unsigned int c)
{
	return (int16_t)(f * 13 + c * 5 + 3);
}

static int16_t *make_tone(uint32_t frames, uint32_t first)
{
	int16_t *b = malloc((size_t)frames * FB);

	for (uint32_t f = 0; f < frames; f++)
		for (unsigned int c = 0; c < CH; c++)
			b[f * CH + c] = tone(first + f, c);
	return b;
}

/* played[from_frame...] == tone(first...) for n frames, then pad zero frames */
static const char *check_played(size_t from_frame, uint32_t n, uint32_t first, uint32_t pad)
{
	int16_t *want = make_tone(n, first);
	const uint8_t *got = fake.played + from_frame * FB;
	size_t i;

	EXPECT(fake.played_bytes >= (from_frame + n + pad) * FB,
	       "the engine played %zu frames, want at least %zu", fake.played_bytes / FB,
	       from_frame + n + pad);
	for (i = 0; i < (size_t)n * FB && got[i] == ((uint8_t *)want)[i]; i++)
		;
	free(want);
	EXPECT(i == (size_t)n * FB, "played data differs at frame %zu", from_frame + i / FB);
	for (i = 0; i < (size_t)pad * FB; i++)
		EXPECT(!got[(size_t)n * FB + i], "padding frame %zu is not silence",
		       from_frame + n + i / FB);
	return NULL;
}

/* ---- open, close, parameters, rings ---- */

static const char *t_open_missing(void)
{
	fake_install();
	EXPECT(rpcm_open(&pcm, 1, 0, RINGPCM_DIR_PLAYBACK, 0) == -ENOENT && !pcm,
	       "opening a missing device did not give -ENOENT and NULL");
	return NULL;
}

static const char *t_open_info_close(void)
{
	EXPECT_OK(open_dir(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(!strcmp(rpcm_info(pcm)->card, "Fake HDA"), "INFO not read");
	EXPECT(!rpcm_is_capture(pcm) && rpcm_fd(pcm) == FAKE_FD, "direction or fd wrong");
	EXPECT(fake.page_mapped, "status page not mapped");
	EXPECT(!rpcm_params(pcm) && !rpcm_frame_bytes(pcm) && !rpcm_ring(pcm),
	       "a fresh handle claims params or a ring");
	rpcm_close(pcm);
	pcm = NULL;
	EXPECT(!fake.opened && !fake.page_mapped, "close left the device open or mapped");
	rpcm_close(NULL);
	return NULL;
}

static const char *t_open_busy(void)
{
	struct rpcm *second = NULL;

	EXPECT_OK(open_dir(RINGPCM_DIR_CAPTURE, 0));
	EXPECT(rpcm_open(&second, 0, 0, RINGPCM_DIR_CAPTURE, 0) == -EBUSY && !second,
	       "a second opener did not get -EBUSY");
	EXPECT(rpcm_is_capture(pcm), "capture handle reports playback");
	return NULL;
}

static const char *t_open_version(void)
{
	fake_install();
	fake.version = 2 << 16;
	EXPECT(rpcm_open(&pcm, 0, 0, RINGPCM_DIR_PLAYBACK, 0) == -EPROTO && !pcm,
	       "a major version mismatch was accepted");
	EXPECT(!fake.opened, "the failed open leaked the descriptor");
	return NULL;
}

static const char *t_params(void)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = 0,
		.period_frames = PERIOD, .periods = PERIODS,
	};

	EXPECT_OK(open_dir(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_set_params(pcm, &p) == -EINVAL, "0 channels accepted");
	EXPECT(status().state == RINGPCM_STATE_OPEN, "the driver saw nonsense params");
	p.channels = CH;
	p.reserved[2] = 1;
	EXPECT(rpcm_set_params(pcm, &p) == -EINVAL, "reserved fields not passed to the driver");
	p.reserved[2] = 0;
	EXPECT_OK(rpcm_set_params(pcm, &p));
	EXPECT(rpcm_frame_bytes(pcm) == FB && rpcm_buffer_frames(pcm) == BUFFER,
	       "frame %u buffer %u", rpcm_frame_bytes(pcm), rpcm_buffer_frames(pcm));
	EXPECT(status().avail_min == PERIOD, "avail_min not one period");
	EXPECT(rpcm_set_avail_min(pcm, BUFFER + 1) == -EINVAL, "avail_min > buffer accepted");
	return NULL;
}

static const char *t_ring_anon(void)
{
	const struct ringpcm_ring *r;
	char other[BUFFER * FB + 128];

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	r = rpcm_ring_info(pcm);
	EXPECT(rpcm_ring(pcm) && (uintptr_t)rpcm_ring(pcm) % 4096 == 0, "ring not page aligned");
	EXPECT(r && r->dma_mode == RINGPCM_DMA_MAP_ONCE && r->bdl_entries == PERIODS,
	       "ATTACH_RING results not kept");
	EXPECT(rpcm_ring_memfd(pcm) == -ENOENT, "an anonymous ring has a memfd");
	EXPECT_OK(rpcm_drop(pcm));
	EXPECT(rpcm_attach_ring(pcm, other, 100) == -EINVAL, "wrong ring size accepted");
	EXPECT_OK(rpcm_attach_ring(pcm, other + (128 - (uintptr_t)other % 128), BUFFER * FB));
	EXPECT(rpcm_ring(pcm) == other + (128 - (uintptr_t)other % 128), "caller's ring not used");
	EXPECT_OK(rpcm_detach_ring(pcm));
	EXPECT(!rpcm_ring(pcm) && !fake.attached, "detach did not detach");
	return NULL;
}

static const char *t_ring_memfd(void)
{
	char byte = 0;
	int fd;

	EXPECT_OK(open_dir(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT_OK(rpcm_set_params(pcm, &(struct ringpcm_hw_params){
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS }));
	EXPECT_OK(rpcm_alloc_ring(pcm, RPCM_RING_MEMFD));
	fd = rpcm_ring_memfd(pcm);
	EXPECT(fd >= 0, "no memfd");
	((char *)rpcm_ring(pcm))[100] = 42;
	EXPECT(pread(fd, &byte, 1, 100) == 1 && byte == 42, "the ring is not the memfd's memory");
	return NULL;
}

static const char *t_ring_huge(void)
{
	int err;

	EXPECT_OK(open_dir(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT_OK(rpcm_set_params(pcm, &(struct ringpcm_hw_params){
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS }));
	err = rpcm_alloc_ring(pcm, RPCM_RING_HUGE);
	EXPECT(!err || (err == -ENOMEM && strstr(rpcm_last_error(pcm), "nr_hugepages")),
	       "huge ring: %d, \"%s\"", err, rpcm_last_error(pcm));
	EXPECT(err || rpcm_ring(pcm), "no ring after success");
	return NULL;
}

/* ---- playback ---- */

static const char *t_play_write_drain(void)
{
	const uint32_t frames = 10 * PERIOD + PERIOD / 2;
	int16_t *in = make_tone(frames, 0);
	const char *bad;

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	for (uint32_t done = 0; done < frames;) {
		uint32_t n = frames - done < 100 ? frames - done : 100;
		int64_t r = rpcm_write(pcm, in + (size_t)done * CH, n);

		EXPECT(r == n, "rpcm_write(%u) = %lld", n, (long long)r);
		done += n;
	}
	free(in);
	EXPECT(status().state == RINGPCM_STATE_RUNNING, "a full ring did not start playback");
	EXPECT_OK(rpcm_drain(pcm, -1));
	EXPECT(status().state == RINGPCM_STATE_SETUP, "drain ended in %s",
	       rpcm_state_name(status().state));
	EXPECT(status().hw_ptr == 11 * PERIOD, "drain did not stop at the period end (%llu)",
	       (unsigned long long)status().hw_ptr);
	EXPECT(rpcm_appl_ptr(pcm) == frames, "appl_ptr %llu after drain, want %u",
	       (unsigned long long)rpcm_appl_ptr(pcm), frames);
	EXPECT(!(fake.file_flags & O_NONBLOCK), "drain left the descriptor non-blocking");
	bad = check_played(0, frames, 0, PERIOD / 2);
	return bad;
}

static const char *t_play_mmap(void)
{
	const uint32_t frames = 7 * PERIOD + 10;
	uint32_t done = 0;

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	while (done < frames) {
		uint32_t n;
		void *area;

		EXPECT_OK(rpcm_mmap_begin(pcm, &area, &n));
		if (!n) {
			if (status().state == RINGPCM_STATE_PREPARED)
				EXPECT_OK(rpcm_start(pcm));
			EXPECT_OK(rpcm_wait(pcm, 1000));
			continue;
		}
		EXPECT(rpcm_mmap_commit(pcm, n + 1) == -EINVAL, "commit beyond the grant accepted");
		if (n > frames - done)
			n = frames - done;
		for (uint32_t f = 0; f < n; f++)
			for (unsigned int c = 0; c < CH; c++)
				((int16_t *)area)[f * CH + c] = tone(done + f, c);
		EXPECT_OK(rpcm_mmap_commit(pcm, n));
		done += n;
	}
	EXPECT_OK(rpcm_drain(pcm, 1000));
	return check_played(0, frames, 0, PERIOD - 10);
}

static const char *t_play_short_drain(void)
{
	int16_t *in = make_tone(100, 0);

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, 100) == 100, "short write failed");
	free(in);
	EXPECT(status().state == RINGPCM_STATE_PREPARED, "started before the ring was full");
	EXPECT_OK(rpcm_drain(pcm, -1));
	EXPECT(fake.starts == 1 && status().state == RINGPCM_STATE_SETUP,
	       "drain of a prepared stream did not start and finish it");
	return check_played(0, 100, 0, 2 * PERIOD - 100);
}

/*
 * 100 frames played through a drain on a device whose INFO says it holds
 * fifo_bytes beyond the DMA position and backend_delay_us more: the driver
 * stops at want_end, everything after the data silence.
 */
static const char *drain_tail_case(uint32_t fifo_bytes, uint32_t backend_delay_us,
				   uint64_t want_end)
{
	int16_t *in = make_tone(100, 0);

	fake_install();
	fake.info.fifo_bytes = fifo_bytes;
	fake.info.backend_delay_us = backend_delay_us;
	EXPECT_OK(rpcm_open(&pcm, 0, 0, RINGPCM_DIR_PLAYBACK, 0));
	EXPECT_OK(rpcm_set_params(pcm, &(struct ringpcm_hw_params){
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS }));
	EXPECT_OK(rpcm_alloc_ring(pcm, RPCM_RING_ANON));
	EXPECT_OK(rpcm_prepare(pcm));
	EXPECT(rpcm_write(pcm, in, 100) == 100, "short write failed");
	free(in);
	EXPECT_OK(rpcm_drain(pcm, -1));
	EXPECT(status().hw_ptr == want_end, "drain stopped at %llu, want %llu",
	       (unsigned long long)status().hw_ptr, (unsigned long long)want_end);
	return check_played(0, 100, 0, (uint32_t)want_end - 100);
}

static const char *t_drain_fifo(void)
{
	return drain_tail_case(300, 0, 3 * PERIOD);	/* 75 frames held */
}

static const char *t_drain_backend_delay(void)
{
	return drain_tail_case(0, 4000, 5 * PERIOD);	/* 192 frames at 48 kHz */
}

static const char *t_drain_fifo_full_ring(void)
{
	int16_t *in = make_tone(BUFFER, 0);

	fake_install();
	fake.info.fifo_bytes = 8192;	/* 2048 frames: several rings of silence */
	EXPECT_OK(rpcm_open(&pcm, 0, 0, RINGPCM_DIR_PLAYBACK, 0));
	EXPECT_OK(rpcm_set_params(pcm, &(struct ringpcm_hw_params){
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS }));
	EXPECT_OK(rpcm_alloc_ring(pcm, RPCM_RING_ANON));
	EXPECT_OK(rpcm_prepare(pcm));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	free(in);
	EXPECT(status().state == RINGPCM_STATE_PREPARED, "started early");
	EXPECT_OK(rpcm_drain(pcm, -1));
	EXPECT(status().hw_ptr == BUFFER + 2048, "drain stopped at %llu",
	       (unsigned long long)status().hw_ptr);
	return check_played(0, BUFFER, 0, 2048);
}

static const char *t_drain_empty(void)
{
	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT_OK(rpcm_drain(pcm, -1));
	EXPECT(status().state == RINGPCM_STATE_SETUP && !fake.starts,
	       "draining an empty stream started it or left it %s",
	       rpcm_state_name(status().state));
	return NULL;
}

static const char *t_drain_timeout(void)
{
	int16_t *in = make_tone(BUFFER, 0);

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	free(in);
	EXPECT_OK(rpcm_start(pcm));
	EXPECT(rpcm_drain(pcm, 0) == -ETIMEDOUT, "drain(0) of a full ring did not time out");
	EXPECT(status().state == RINGPCM_STATE_DRAINING, "not draining after the timeout");
	EXPECT(!(fake.file_flags & O_NONBLOCK), "descriptor left non-blocking");
	EXPECT_OK(rpcm_drain(pcm, -1));
	EXPECT(status().state == RINGPCM_STATE_SETUP, "second drain did not finish");
	return check_played(0, BUFFER, 0, 0);
}

/* The end of a playback test stopped by ERR (an xrun, a system sleep) after
 * PLAYED frames of IN: recovery prepares, 300 frames of MORE play, drain. */
static const char *recover_and_play_more(int err, int16_t *in, int16_t *more, int played)
{
	EXPECT_OK(rpcm_recover(pcm, err));
	EXPECT(status().state == RINGPCM_STATE_PREPARED && rpcm_appl_ptr(pcm) == 0,
	       "recover did not prepare");
	EXPECT(rpcm_write(pcm, more, 300) == 300, "write after recovery failed");
	EXPECT_OK(rpcm_drain(pcm, -1));
	free(in);
	free(more);
	return check_played(played, 300, 1000, 5 * PERIOD - 300);
}

static const char *t_play_xrun_recover(void)
{
	int16_t *in = make_tone(BUFFER, 0), *more = make_tone(300, 1000);
	struct ringpcm_status st;

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	EXPECT_OK(rpcm_start(pcm));
	for (int i = 0; i < PERIODS; i++)
		fake_period();		/* the writer stalls for a whole ring */
	st = status();
	EXPECT(st.state == RINGPCM_STATE_XRUN && st.xruns == 1, "no xrun: %s, %llu",
	       rpcm_state_name(st.state), (unsigned long long)st.xruns);
	EXPECT(rpcm_avail(pcm) == -EPIPE, "avail is not -EPIPE");
	EXPECT(rpcm_wait(pcm, 100) == -EPIPE, "wait is not -EPIPE");
	EXPECT(rpcm_write(pcm, in, 10) == -EPIPE, "write is not -EPIPE");
	return recover_and_play_more(-EPIPE, in, more, BUFFER);
}

static const char *t_play_nonblock(void)
{
	int16_t *in = make_tone(1000, 0);
	int64_t r;

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, O_NONBLOCK));
	r = rpcm_write(pcm, in, 1000);
	EXPECT(r == BUFFER, "first non-blocking write moved %lld", (long long)r);
	EXPECT(status().state == RINGPCM_STATE_RUNNING, "a full ring did not start");
	EXPECT(rpcm_write(pcm, in, 1000) == -EAGAIN, "a full ring did not give -EAGAIN");
	EXPECT_OK(rpcm_wait(pcm, -1));
	r = rpcm_write(pcm, in + BUFFER * CH, 1000 - BUFFER);
	EXPECT(r >= PERIOD, "write after wait moved %lld", (long long)r);
	free(in);
	return NULL;
}

static const char *t_pause(void)
{
	int16_t *in = make_tone(BUFFER, 0);

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	EXPECT_OK(rpcm_start(pcm));
	EXPECT_OK(rpcm_pause(pcm, true));
	EXPECT(status().state == RINGPCM_STATE_PAUSED, "not paused");
	EXPECT(rpcm_write(pcm, in, 10) == -EBADFD, "a write that must wait while paused");
	EXPECT_OK(rpcm_pause(pcm, false));
	EXPECT(status().state == RINGPCM_STATE_RUNNING, "not resumed");
	free(in);
	return NULL;
}

/* ---- capture ---- */

static const char *check_captured(const int16_t *buf, uint64_t first, uint32_t frames)
{
	for (uint32_t f = 0; f < frames; f++)
		for (unsigned int c = 0; c < CH; c++)
			EXPECT(buf[f * CH + c] == fake_capture_sample(first + f, c),
			       "captured frame %llu channel %u is wrong",
			       (unsigned long long)(first + f), c);
	return NULL;
}

static const char *t_capture_read(void)
{
	int16_t buf[700 * CH];
	const char *bad;

	EXPECT_OK(setup(RINGPCM_DIR_CAPTURE, 0));
	EXPECT(rpcm_read(pcm, buf, 200) == 200, "first read");
	EXPECT(status().state == RINGPCM_STATE_RUNNING, "read did not start capture");
	EXPECT(rpcm_read(pcm, buf + 200 * CH, 500) == 500, "second read");
	bad = check_captured(buf, 0, 700);
	if (bad)
		return bad;
	EXPECT_OK(rpcm_drain(pcm, 100));
	EXPECT(status().state == RINGPCM_STATE_SETUP, "capture drain did not stop");
	return NULL;
}

static const char *t_capture_mmap(void)
{
	uint64_t done = 0;

	EXPECT_OK(setup(RINGPCM_DIR_CAPTURE, 0));
	EXPECT_OK(rpcm_start(pcm));
	while (done < 1000) {
		const char *bad;
		uint32_t n;
		void *area;

		EXPECT_OK(rpcm_mmap_begin(pcm, &area, &n));
		if (!n) {
			EXPECT_OK(rpcm_wait(pcm, 1000));
			continue;
		}
		bad = check_captured(area, done, n);
		if (bad)
			return bad;
		EXPECT_OK(rpcm_mmap_commit(pcm, n));
		done += n;
	}
	return NULL;
}

static const char *t_capture_xrun_recover(void)
{
	int16_t buf[PERIOD * CH];

	EXPECT_OK(setup(RINGPCM_DIR_CAPTURE, 0));
	EXPECT_OK(rpcm_start(pcm));
	for (int i = 0; i < PERIODS; i++)
		fake_period();		/* the reader stalls for a whole ring */
	EXPECT(status().state == RINGPCM_STATE_XRUN, "no overrun");
	EXPECT(rpcm_read(pcm, buf, PERIOD) == -EPIPE, "read is not -EPIPE");
	EXPECT_OK(rpcm_recover(pcm, -EPIPE));
	EXPECT(status().state == RINGPCM_STATE_RUNNING, "recover did not restart capture");
	EXPECT(rpcm_read(pcm, buf, PERIOD) == PERIOD, "read after recovery");
	return check_captured(buf, 0, PERIOD);
}

/* A system sleep mid-stream: -ESTRPIPE everywhere, PREPARE (+ START) recovers. */
static const char *t_play_suspend_recover(void)
{
	int16_t *in = make_tone(BUFFER, 0), *more = make_tone(300, 1000);
	void *area;
	uint32_t n;

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	EXPECT_OK(rpcm_start(pcm));
	fake_period();
	fake_suspend();
	EXPECT(status().state == RINGPCM_STATE_SUSPENDED, "not suspended");
	EXPECT(rpcm_avail(pcm) == -ESTRPIPE, "avail is not -ESTRPIPE");
	EXPECT(rpcm_wait(pcm, 100) == -ESTRPIPE, "wait is not -ESTRPIPE");
	EXPECT(rpcm_write(pcm, in, 10) == -ESTRPIPE, "write is not -ESTRPIPE");
	EXPECT(rpcm_mmap_begin(pcm, &area, &n) == -ESTRPIPE, "mmap_begin is not -ESTRPIPE");
	EXPECT(rpcm_start(pcm) == -ESTRPIPE, "start is not -ESTRPIPE");
	EXPECT(rpcm_drain(pcm, 10) == -ESTRPIPE, "drain is not -ESTRPIPE");
	EXPECT(rpcm_pause(pcm, true) == -ESTRPIPE, "pause is not -ESTRPIPE");
	return recover_and_play_more(-ESTRPIPE, in, more, PERIOD);
}

static const char *t_capture_suspend_recover(void)
{
	int16_t buf[PERIOD * CH];

	EXPECT_OK(setup(RINGPCM_DIR_CAPTURE, 0));
	EXPECT_OK(rpcm_start(pcm));
	fake_suspend();
	EXPECT(rpcm_read(pcm, buf, PERIOD) == -ESTRPIPE, "read is not -ESTRPIPE");
	EXPECT_OK(rpcm_recover(pcm, -ESTRPIPE));
	EXPECT(status().state == RINGPCM_STATE_RUNNING, "recover did not restart capture");
	EXPECT(rpcm_read(pcm, buf, PERIOD) == PERIOD, "read after recovery");
	return check_captured(buf, 0, PERIOD);
}

/* A stream that was only set up is not suspended: nothing to recover. */
static const char *t_setup_not_suspended(void)
{
	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT_OK(rpcm_drop(pcm));
	fake_suspend();
	EXPECT(status().state == RINGPCM_STATE_SETUP, "a SETUP stream was suspended");
	EXPECT_OK(rpcm_prepare(pcm));
	return NULL;
}

static const char *t_wait_timeout(void)
{
	EXPECT_OK(setup(RINGPCM_DIR_CAPTURE, 0));
	EXPECT(rpcm_wait(pcm, 10) == -ETIMEDOUT, "waiting on a stopped capture did not time out");
	return NULL;
}

/* ---- the rest ---- */

static const char *t_disconnect(void)
{
	int16_t *in = make_tone(BUFFER, 0);
	void *area;
	uint32_t n;

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	EXPECT_OK(rpcm_start(pcm));
	fake_disconnect();
	EXPECT(rpcm_write(pcm, in, 10) == -ENODEV, "write after removal");
	EXPECT(rpcm_avail(pcm) == -ENODEV, "avail after removal");
	EXPECT(rpcm_wait(pcm, 10) == -ENODEV, "wait after removal");
	EXPECT(rpcm_mmap_begin(pcm, &area, &n) == -ENODEV, "mmap_begin after removal");
	EXPECT(rpcm_drain(pcm, 10) == -ENODEV, "drain after removal");
	EXPECT(rpcm_recover(pcm, -ENODEV) == -ENODEV, "recover from removal");
	rpcm_close(pcm);
	pcm = NULL;
	EXPECT(!fake.opened && !fake.page_mapped, "close after removal leaked");
	free(in);
	return NULL;
}

static const char *t_params_while_running(void)
{
	int16_t *in = make_tone(BUFFER, 0);

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	free(in);
	EXPECT_OK(rpcm_start(pcm));
	EXPECT_OK(rpcm_set_params(pcm, &(struct ringpcm_hw_params){
		.format = RINGPCM_FORMAT_S16_LE, .rate = 48000, .channels = 1,
		.period_frames = 128, .periods = 3 }));
	EXPECT(!rpcm_ring(pcm) && fake.drops == 1 && fake.detaches == 1 &&
	       status().state == RINGPCM_STATE_SETUP,
	       "new params while running: drops %u detaches %u", fake.drops, fake.detaches);
	EXPECT_OK(rpcm_alloc_ring(pcm, RPCM_RING_ANON));
	return NULL;
}

static const char *t_close_running(void)
{
	int16_t *in = make_tone(BUFFER, 0);

	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_write(pcm, in, BUFFER) == BUFFER, "fill failed");
	free(in);
	EXPECT_OK(rpcm_start(pcm));
	rpcm_close(pcm);
	pcm = NULL;
	EXPECT(fake.drops == 1 && fake.detaches == 1 && !fake.page_mapped && !fake.opened,
	       "close: drops %u detaches %u mapped %d open %d", fake.drops, fake.detaches,
	       fake.page_mapped, fake.opened);
	return NULL;
}

static const char *t_recover_codes(void)
{
	EXPECT_OK(setup(RINGPCM_DIR_PLAYBACK, 0));
	EXPECT(rpcm_recover(pcm, -EINTR) == 0, "-EINTR is not recoverable");
	EXPECT(rpcm_recover(pcm, -EIO) == -EIO, "-EIO was swallowed");
	EXPECT(rpcm_recover(pcm, -EPIPE) == 0, "-EPIPE from PREPARED");
	return NULL;
}

static const char *t_mixer(void)
{
	struct ringpcm_mixer m = { .control = RINGPCM_MIXER_CAPTURE, .gain = { 10, 20 } };

	EXPECT_OK(open_dir(RINGPCM_DIR_CAPTURE, 0));
	memset(m.reserved, 0xff, sizeof(m.reserved));
	EXPECT_OK(rpcm_mixer_set(rpcm_fd(pcm), &m));
	memset(&m, 0xff, sizeof(m));
	m.control = RINGPCM_MIXER_CAPTURE;
	EXPECT_OK(rpcm_mixer_get(rpcm_fd(pcm), &m));
	EXPECT(m.gain[0] == 10 && m.gain[1] == 20 && m.max_gain == 74, "mixer values lost");
	m.control = 7;
	EXPECT(rpcm_mixer_get(rpcm_fd(pcm), &m) == -EINVAL, "bad control accepted");
	return NULL;
}

static const char *t_names(void)
{
	static const char *const want[] = { "OPEN", "SETUP", "PREPARED", "RUNNING", "XRUN",
					    "DRAINING", "PAUSED", "DISCONNECTED", "SUSPENDED" };

	for (uint32_t s = 0; s < N(want); s++)
		EXPECT(!strcmp(rpcm_state_name(s), want[s]), "state %u is %s", s,
		       rpcm_state_name(s));
	EXPECT(!strcmp(rpcm_state_name(99), "UNKNOWN"), "unknown state");
	EXPECT(!strcmp(rpcm_dma_mode_name(RINGPCM_DMA_MAP_ONCE), "MAP_ONCE") &&
	       !strcmp(rpcm_dma_mode_name(RINGPCM_DMA_COPY), "COPY") &&
	       !strcmp(rpcm_dma_mode_name(5), "UNKNOWN"), "dma mode names");
	EXPECT(!strcmp(rpcm_format_name(RINGPCM_FORMAT_S16_LE), "S16_LE"), "format names");
	return NULL;
}

static const char *t_quiet(void)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	long size;

	if (getenv("RINGPCM_DEBUG"))
		return NULL;	/* the switch is on: printing is expected */
	fflush(stderr);
	dup2(fileno(tmp), 2);
	fake_install();
	rpcm_open(&pcm, 3, 0, RINGPCM_DIR_PLAYBACK, 0);
	setup(RINGPCM_DIR_PLAYBACK, 0);
	rpcm_start(pcm);	/* EPIPE: empty ring */
	rpcm_attach_ring(pcm, NULL, 1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size = ftell(tmp) < 0 ? -1 : (fseek(tmp, 0, SEEK_END), ftell(tmp));
	fclose(tmp);
	EXPECT(size == 0, "the library printed %ld bytes without RINGPCM_DEBUG", size);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} tests[] = {
	{ "lib: open of a missing device is -ENOENT", t_open_missing },
	{ "lib: open reads INFO, maps status, close unwinds", t_open_info_close },
	{ "lib: second opener is -EBUSY", t_open_busy },
	{ "lib: ABI major mismatch is -EPROTO and closes", t_open_version },
	{ "lib: params checked, reserved passed through, avail_min one period", t_params },
	{ "lib: anonymous and caller rings attach and detach", t_ring_anon },
	{ "lib: memfd ring is the memfd's memory", t_ring_memfd },
	{ "lib: huge ring or a clear nr_hugepages error", t_ring_huge },
	{ "lib: rpcm_write + drain plays bit-exact, silence to the period end", t_play_write_drain },
	{ "lib: mmap_begin/commit playback bit-exact", t_play_mmap },
	{ "lib: drain starts a short prepared stream", t_play_short_drain },
	{ "lib: drain plays fifo_bytes of silence, then to the period end", t_drain_fifo },
	{ "lib: drain plays the backend delay of silence too", t_drain_backend_delay },
	{ "lib: drain silence longer than the ring starts and waits", t_drain_fifo_full_ring },
	{ "lib: drain of an empty stream just stops", t_drain_empty },
	{ "lib: drain timeout, then drain again", t_drain_timeout },
	{ "lib: playback xrun reported everywhere and recovered", t_play_xrun_recover },
	{ "lib: non-blocking write starts and returns -EAGAIN", t_play_nonblock },
	{ "lib: pause/resume, no spinning write while paused", t_pause },
	{ "lib: rpcm_read starts capture, data bit-exact", t_capture_read },
	{ "lib: mmap capture bit-exact", t_capture_mmap },
	{ "lib: capture overrun recovered with prepare+start", t_capture_xrun_recover },
	{ "lib: suspended playback is -ESTRPIPE everywhere, recovered", t_play_suspend_recover },
	{ "lib: suspended capture recovered with prepare+start", t_capture_suspend_recover },
	{ "lib: a stream in SETUP is not suspended", t_setup_not_suspended },
	{ "lib: wait times out when nothing moves", t_wait_timeout },
	{ "lib: disconnect is -ENODEV everywhere, close is clean", t_disconnect },
	{ "lib: new params while running drop and detach", t_params_while_running },
	{ "lib: close of a running stream drops, detaches, unmaps", t_close_running },
	{ "lib: recover passes through what it cannot fix", t_recover_codes },
	{ "lib: mixer get/set zero the reserved fields", t_mixer },
	{ "lib: state, dma mode and format names", t_names },
	{ "lib: nothing printed without RINGPCM_DEBUG", t_quiet },
};

int main(void)
{
	for (size_t i = 0; i < N(tests); i++) {
		const char *bad;

		pcm = NULL;
		bad = tests[i].fn();
		unit_check(!bad, tests[i].name, "%s", bad ? bad : "");
		rpcm_close(pcm);
		pcm = NULL;
	}
	return unit_exit("test-lib");
}
