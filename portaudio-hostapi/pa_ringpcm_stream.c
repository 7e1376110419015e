// SPDX-License-Identifier: MIT
/*
 * RingPCM host API for PortAudio: running a stream.  Start/stop/abort, the
 * callback thread, timing and xrun recovery.
 *
 * Stream states (Pa_IsStreamStopped / Pa_IsStreamActive):
 *
 *   stopped --rp_start--> active (devices RUNNING, thread polling)
 *   active --callback paComplete--> thread drains output --> inactive
 *   active --callback paAbort / device error--> thread drops --> inactive
 *   active|inactive --rp_stop--> (thread woken and joined, output drained) stopped
 *   active|inactive --rp_abort--> (thread woken and joined, dropped) stopped
 *
 * Zero copy: the buffer processor is pointed straight at the ring (two
 * regions where a chunk wraps) and converts between the user's format and
 * the device's S16_LE/S32_LE in place; with matching formats and channel
 * counts the user callback gets a pointer into the ring itself.
 *
 * Time: everything is on CLOCK_MONOTONIC_RAW, the clock of the driver's
 * status page.  A ring position p is heard/captured at
 *   tstamp + (p - hw_ptr) / rate  +/-  fifo / rate
 * where (hw_ptr, tstamp) is the driver's last timestamped position and fifo
 * what the device holds beyond it (info.fifo_bytes), so timeInfo is derived
 * from hardware positions, not from wakeup times.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pa_ringpcm_private.h"

/* --- ring access --------------------------------------------------------- */

static char *ring_at(const struct rp_dir *dir, uint64_t pos)
{
	return dir->ring + (pos % dir->buffer) * dir->frame_bytes;
}

/* Zero frames [pos, pos + frames) of a ring, wrapping at its end. */
static void ring_silence(const struct rp_dir *dir, uint64_t pos, uint32_t frames)
{
	uint32_t off = (uint32_t)(pos % dir->buffer);
	uint32_t first = frames < dir->buffer - off ? frames : dir->buffer - off;

	memset(ring_at(dir, pos), 0, (size_t)first * dir->frame_bytes);
	if (frames > first)
		memset(dir->ring, 0, (size_t)(frames - first) * dir->frame_bytes);
}

/* Point one region (0 or 1) of the buffer processor at ring memory. */
static void set_region(struct rp_stream *s, int d, int region, char *base, uint32_t frames)
{
	const struct rp_dir *dir = &s->dir[d];
	PaUtilBufferProcessor *bp = &s->bp;
	unsigned int ch;

	if (d == RP_IN)
		(region ? PaUtil_Set2ndInputFrameCount : PaUtil_SetInputFrameCount)(bp, frames);
	else
		(region ? PaUtil_Set2ndOutputFrameCount : PaUtil_SetOutputFrameCount)(bp, frames);
	if (dir->host_channels == dir->user_channels) {
		if (d == RP_IN)
			(region ? PaUtil_Set2ndInterleavedInputChannels
				: PaUtil_SetInterleavedInputChannels)(bp, 0, base, dir->host_channels);
		else
			(region ? PaUtil_Set2ndInterleavedOutputChannels
				: PaUtil_SetInterleavedOutputChannels)(bp, 0, base, dir->host_channels);
		return;
	}
	/* The device has more channels than the stream: skip them (stride). */
	for (ch = 0; ch < dir->user_channels; ch++) {
		char *p = base + ch * dir->sample_bytes;

		if (d == RP_IN)
			(region ? PaUtil_Set2ndInputChannel : PaUtil_SetInputChannel)(bp, ch, p, dir->host_channels);
		else
			(region ? PaUtil_Set2ndOutputChannel : PaUtil_SetOutputChannel)(bp, ch, p, dir->host_channels);
	}
}

/* Frames [pos, pos + frames) of direction d as the buffer processor's host buffer. */
void rp_set_host_channels(struct rp_stream *s, int d, uint64_t pos, uint32_t frames)
{
	const struct rp_dir *dir = &s->dir[d];
	uint32_t off = (uint32_t)(pos % dir->buffer);
	uint32_t first = frames < dir->buffer - off ? frames : dir->buffer - off;

	set_region(s, d, 0, ring_at(dir, pos), first);
	if (frames > first)
		set_region(s, d, 1, dir->ring, frames - first);
}

/* --- devices ------------------------------------------------------------- */

static int expect_running(struct rp_dir *dir)
{
	struct ringpcm_status st;

	rpcm_status(dir->pcm, &st);
	if (st.state == RINGPCM_STATE_RUNNING)
		return 0;
	rp_debug("device not running after START (state %s)", rpcm_state_name(st.state));
	return -EIO;
}

/* Playback: a ring of silence, committed, so that START has a full buffer. */
static int prefill(struct rp_dir *dir)
{
	ring_silence(dir, 0, dir->buffer);
	return rpcm_commit(dir->pcm, rpcm_appl_ptr(dir->pcm) + dir->buffer);
}

/*
 * paPrimeOutputBuffersUsingStreamCallback: the first ring comes from the
 * callback (flag paPrimingOutput, no input), not silence.
 */
static int prime(struct rp_stream *s)
{
	struct rp_dir *dir = &s->dir[RP_OUT];
	PaStreamCallbackTimeInfo ti = { 0, 0, 0 };
	int result = paContinue;

	ring_silence(dir, 0, dir->buffer);
	ti.currentTime = rp_now();
	ti.outputBufferDacTime = ti.currentTime + (double)dir->fifo / s->rate;
	PaUtil_BeginBufferProcessing(&s->bp, &ti, paPrimingOutput);
	if (s->has[RP_IN])
		PaUtil_SetNoInput(&s->bp);
	rp_set_host_channels(s, RP_OUT, 0, dir->buffer);
	PaUtil_EndBufferProcessing(&s->bp, &result);
	return rpcm_commit(dir->pcm, dir->buffer);
}

void rp_devices_drop(struct rp_stream *s)
{
	for (int d = 0; d < 2; d++)
		if (s->has[d])
			rpcm_drop(s->dir[d].pcm);
}

/*
 * Prepare both directions and start them back to back (capture first, so
 * that the playback ring's first period is already being captured); returns
 * only when the driver reports both RUNNING.
 */
int rp_devices_start(struct rp_stream *s)
{
	int err = 0;

	for (int d = 0; d < 2 && !err; d++) {
		if (!s->has[d])
			continue;
		rpcm_drop(s->dir[d].pcm);
		err = rpcm_prepare(s->dir[d].pcm);
		if (!err && d == RP_OUT)
			err = s->callback_mode && (s->flags & paPrimeOutputBuffersUsingStreamCallback)
			    ? prime(s) : prefill(&s->dir[d]);
	}
	for (int d = RP_IN; d >= RP_OUT && !err; d--)
		if (s->has[d])
			err = rpcm_start(s->dir[d].pcm);
	for (int d = 0; d < 2 && !err; d++)
		if (s->has[d])
			err = expect_running(&s->dir[d]);
	if (err)
		rp_devices_drop(s);
	return err;
}

/*
 * After an xrun of direction d (why -EPIPE), or a system sleep (-ESTRPIPE,
 * SUSPENDED: the engine was stopped and the controller reset, the ring
 * kept): the library's recovery (PREPARE, START for capture), then refill
 * and restart playback.
 */
int rp_dir_restart(struct rp_stream *s, int d, int why)
{
	struct rp_dir *dir = &s->dir[d];
	int err = rpcm_recover(dir->pcm, -EPIPE);

	if (!err && d == RP_OUT) {
		err = prefill(dir);
		if (!err)
			err = rpcm_start(dir->pcm);
	}
	if (!err)
		err = expect_running(dir);
	rp_debug("%s %s recovered: %s", d == RP_IN ? "capture" : "playback",
		 why == -ESTRPIPE ? "system sleep" : "xrun", err ? strerror(-err) : "ok");
	return err;
}

/* --- waiting ------------------------------------------------------------- */

static int poll_timeout_ms(const struct rp_stream *s)
{
	uint32_t buffer = s->has[RP_OUT] ? s->dir[RP_OUT].buffer : s->dir[RP_IN].buffer;
	int ms = (int)(4000.0 * buffer / s->rate);

	return ms > 1000 ? ms : 1000;
}

static void drain_wake_pipe(struct rp_stream *s)
{
	char buf[16];

	while (read(s->wake[0], buf, sizeof(buf)) > 0)
		;
}

/* A poll timeout is only an error when the hardware position did not move either. */
static int check_progress(struct rp_stream *s, int mask, const uint64_t before[2])
{
	struct ringpcm_status st;

	for (int d = 0; d < 2; d++) {
		if (!(mask & (1 << d)))
			continue;
		rpcm_hwsync(s->dir[d].pcm);
		rpcm_status(s->dir[d].pcm, &st);
		if (st.hw_ptr != before[d])
			return 0;
	}
	rp_debug("no progress from the device for %d ms", poll_timeout_ms(s));
	return -ETIMEDOUT;
}

/*
 * Wait until every direction in mask has at least need frames available.
 * Returns 1 when ready, 0 when s->stop reached quit_on (stop/abort), else a
 * negative errno: -EPIPE xrun, -ENODEV device gone, -ETIMEDOUT device stalled.
 */
int rp_wait_ready(struct rp_stream *s, int mask, uint32_t need, int quit_on)
{
	uint64_t before[2] = { 0, 0 };
	int spurious = 0;

	for (;;) {
		struct pollfd pfd[3];
		int n = 0, r;

		for (int d = 0; d < 2; d++) {
			int64_t avail;
			struct ringpcm_status st;

			if (!(mask & (1 << d)))
				continue;
			avail = rpcm_avail(s->dir[d].pcm);
			if (avail < 0)
				return (int)avail;
			if ((uint64_t)avail >= need)
				continue;
			rpcm_status(s->dir[d].pcm, &st);
			before[d] = st.hw_ptr;
			pfd[n++] = (struct pollfd){ .fd = rpcm_fd(s->dir[d].pcm), .events = POLLIN | POLLOUT };
		}
		if (!n)
			return 1;
		if (atomic_load(&s->stop) >= quit_on)
			return 0;
		pfd[n++] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
		r = poll(pfd, n, poll_timeout_ms(s));
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r == 0) {
			r = check_progress(s, mask, before);
			if (r < 0)
				return r;
			continue;
		}
		if (pfd[n - 1].revents & POLLIN)
			drain_wake_pipe(s);
		for (int i = 0; i < n - 1; i++)
			if (pfd[i].revents & (POLLHUP | POLLNVAL))
				return -ENODEV;
		/* Ready by poll but not by the status page: refresh it; never spin. */
		if (r > 0 && !(pfd[n - 1].revents & POLLIN) && ++spurious > 2) {
			for (int d = 0; d < 2; d++)
				if (mask & (1 << d))
					rpcm_hwsync(s->dir[d].pcm);
			if (spurious > 4) {
				struct timespec ts = { 0, 500000 };

				nanosleep(&ts, NULL);
			}
		}
	}
}

/* --- the callback thread --------------------------------------------------- */

/*
 * When ring position pos is heard (playback) or was captured: the driver's
 * timestamped DMA position, moved by the frames between, and by what the
 * device holds beyond the DMA position (FIFO, codec buffer) in the
 * direction of the sound.
 */
static double pos_time(const struct rp_dir *dir, int d, uint64_t pos, double rate)
{
	struct ringpcm_status st;
	double t;

	rpcm_status(dir->pcm, &st);
	t = st.tstamp_ns ? st.tstamp_ns * 1e-9 : rp_now();
	t += (double)(int64_t)(pos - st.hw_ptr) / rate;
	return d == RP_OUT ? t + dir->fifo / rate : t - dir->fifo / rate;
}

/* Frames to process now: what every direction has, in whole periods. */
static uint32_t chunk_frames(struct rp_stream *s)
{
	int64_t frames = INT64_MAX;
	uint32_t period = 0;

	for (int d = 0; d < 2; d++) {
		int64_t avail;

		if (!s->has[d])
			continue;
		avail = rpcm_avail(s->dir[d].pcm);
		if (avail < frames)
			frames = avail < 0 ? 0 : avail;
		if (frames > (int64_t)s->dir[d].buffer)
			frames = s->dir[d].buffer;
		period = s->dir[d].period;
	}
	return (uint32_t)(frames / period * period);
}

/* One round of the buffer processor over `frames` of each direction's ring. */
static int process(struct rp_stream *s, uint32_t frames, int *result)
{
	PaStreamCallbackTimeInfo ti = { 0, 0, 0 };
	uint64_t pos[2] = { 0, 0 };
	unsigned long done;
	int err = 0;

	for (int d = 0; d < 2; d++)
		if (s->has[d])
			pos[d] = rpcm_appl_ptr(s->dir[d].pcm);
	ti.currentTime = rp_now();
	if (s->has[RP_IN])
		ti.inputBufferAdcTime = pos_time(&s->dir[RP_IN], RP_IN, pos[RP_IN], s->rate);
	if (s->has[RP_OUT])
		ti.outputBufferDacTime = pos_time(&s->dir[RP_OUT], RP_OUT, pos[RP_OUT], s->rate);
	PaUtil_BeginCpuLoadMeasurement(&s->cpu);
	PaUtil_BeginBufferProcessing(&s->bp, &ti, s->xrun_flags);
	s->xrun_flags = 0;
	for (int d = 0; d < 2; d++)
		if (s->has[d])
			rp_set_host_channels(s, d, pos[d], frames);
	done = PaUtil_EndBufferProcessing(&s->bp, result);
	PaUtil_EndCpuLoadMeasurement(&s->cpu, done);
	for (int d = 0; d < 2 && !err; d++)
		if (s->has[d])
			err = rpcm_commit(s->dir[d].pcm, pos[d] + frames);
	return err;
}

/* Recover every direction that is in xrun, and flag it for the next callback. */
static int recover_xruns(struct rp_stream *s)
{
	for (int d = 0; d < 2; d++) {
		int err;

		int64_t avail = s->has[d] ? rpcm_avail(s->dir[d].pcm) : 0;

		if (avail != -EPIPE && avail != -ESTRPIPE)
			continue;
		/* A sleep loses what the device held, as an xrun does. */
		s->xrun_flags |= d == RP_IN ? paInputOverflow : paOutputUnderflow;
		err = rp_dir_restart(s, d, (int)avail);
		if (err)
			return err;
	}
	return 0;
}

static void call_finished(struct rp_stream *s)
{
	if (s->rep.streamFinishedCallback && !atomic_exchange(&s->finished_called, true))
		s->rep.streamFinishedCallback(s->rep.userData);
}

/* The loop: wait for a period in every direction, process, commit. */
static int run_callbacks(struct rp_stream *s, int *result)
{
	int mask = (s->has[RP_OUT] ? 1 << RP_OUT : 0) | (s->has[RP_IN] ? 1 << RP_IN : 0);
	uint32_t period = s->dir[s->has[RP_OUT] ? RP_OUT : RP_IN].period;

	while (*result == paContinue || !PaUtil_IsBufferProcessorOutputEmpty(&s->bp)) {
		int err = rp_wait_ready(s, mask, period, RP_STOP_DRAIN);
		uint32_t frames = 0;

		if (err == 0)
			return 0;
		if (err == 1)
			frames = chunk_frames(s);
		if (err == -EPIPE || err == -ESTRPIPE || (err == 1 && !frames)) {
			err = recover_xruns(s);
			if (err)
				return err;
			continue;
		}
		if (err < 0)
			return err;
		err = process(s, frames, result);
		if (err < 0 && err != -EPIPE && err != -ESTRPIPE)
			return err;
		if (*result == paAbort || (*result != paContinue && !s->has[RP_OUT]))
			return 0;
	}
	return 0;
}

static void *thread_main(void *arg)
{
	struct rp_stream *s = arg;
	int result = paContinue;
	int err = run_callbacks(s, &result);

	if (err < 0) {
		rp_debug("callback thread stops: %s", strerror(-err));
		atomic_store(&s->thread_error, err);
	}
	if (atomic_load(&s->stop) != RP_RUN && !err)
		return NULL;		/* stop/abort asked: the caller finishes */
	if (result == paComplete && !err)
		rp_drain_output(s);
	rp_devices_drop(s);
	atomic_store(&s->active, false);
	call_finished(s);
	return NULL;
}

static int start_thread(struct rp_stream *s)
{
	pthread_attr_t attr;
	struct sched_param sp = { .sched_priority = s->rt_priority };
	int err;

	pthread_attr_init(&attr);
	if (s->rt) {
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
		pthread_attr_setschedparam(&attr, &sp);
	}
	err = pthread_create(&s->thread, &attr, thread_main, s);
	pthread_attr_destroy(&attr);
	if (err == EPERM && s->rt) {
		rp_debug("SCHED_FIFO not permitted, normal scheduling");
		err = pthread_create(&s->thread, NULL, thread_main, s);
	}
	s->thread_running = !err;
	return -err;
}

/* Wake whoever waits on the stream (thread or blocking call), then join the thread. */
static void join_thread(struct rp_stream *s, enum rp_stop how)
{
	atomic_store(&s->stop, how);
	if (write(s->wake[1], "x", 1) < 0)
		rp_debug("wake pipe: %s", strerror(errno));
	if (!s->thread_running)
		return;
	pthread_join(s->thread, NULL);
	s->thread_running = false;
}

/* --- drain ---------------------------------------------------------------- */

/* Wait for the output's state to change (poll) or for the wake pipe: 0 on abort. */
static int wait_drained(struct rp_stream *s, struct rpcm *pcm)
{
	struct pollfd pfd[2] = {
		{ .fd = rpcm_fd(pcm), .events = POLLIN | POLLOUT },
		{ .fd = s->wake[0], .events = POLLIN },
	};

	if (atomic_load(&s->stop) >= RP_STOP_ABORT)
		return 0;
	if (poll(pfd, 2, poll_timeout_ms(s)) < 0 && errno != EINTR)
		return -errno;
	if (pfd[1].revents & POLLIN)
		drain_wake_pipe(s);
	return atomic_load(&s->stop) >= RP_STOP_ABORT ? 0 : 1;
}

/*
 * Play what is committed, then stop.  The driver's DRAIN plays silence after
 * it for what the device holds beyond the DMA position (info.fifo_bytes,
 * info.backend_delay_us: stopping earlier would cut that much off the end)
 * and stops on a period end.  The wait is ours, not the driver's, so that
 * abort ends it; bounded by two buffers, twice the device's tail and 1 s.
 */
int rp_drain_output(struct rp_stream *s)
{
	struct rp_dir *dir = &s->dir[RP_OUT];
	double deadline;
	int err;

	if (!s->has[RP_OUT])
		return 0;
	deadline = rp_now() + (2.0 * dir->buffer + 2.0 * dir->fifo) / s->rate +
		   2e-6 * rpcm_info(dir->pcm)->backend_delay_us + 1.0;
	while ((err = rpcm_drain(dir->pcm, 0)) == -ETIMEDOUT) {
		if (rp_now() > deadline) {
			rp_debug("drain timed out");
			return -ETIMEDOUT;
		}
		err = wait_drained(s, dir->pcm);
		if (err <= 0)
			return err;
	}
	return err == -EPIPE ? 0 : err;
}

/* --- stream interface ------------------------------------------------------ */

PaError rp_start(PaStream *ps)
{
	struct rp_stream *s = (struct rp_stream *)ps;
	int err;

	join_thread(s, RP_STOP_ABORT);		/* a thread that finished by itself */
	drain_wake_pipe(s);
	atomic_store(&s->stop, RP_RUN);
	atomic_store(&s->thread_error, 0);
	atomic_store(&s->finished_called, false);
	s->xrun_flags = 0;
	s->underflowed = s->overflowed = false;
	PaUtil_ResetBufferProcessor(&s->bp);
	PaUtil_ResetCpuLoadMeasurer(&s->cpu);
	err = rp_devices_start(s);
	if (err)
		return rp_error(err);
	atomic_store(&s->stopped, false);
	atomic_store(&s->active, true);
	if (s->callback_mode) {
		err = start_thread(s);
		if (err) {
			rp_devices_drop(s);
			atomic_store(&s->active, false);
			atomic_store(&s->stopped, true);
			return rp_error(err);
		}
	}
	return paNoError;
}

static PaError finish(struct rp_stream *s, bool drain)
{
	int err = atomic_load(&s->thread_error);

	if (drain && atomic_load(&s->active))
		rp_drain_output(s);
	rp_devices_drop(s);
	atomic_store(&s->active, false);
	atomic_store(&s->stopped, true);
	call_finished(s);
	return err == -ENODEV ? paDeviceUnavailable : paNoError;
}

PaError rp_stop(PaStream *ps)
{
	struct rp_stream *s = (struct rp_stream *)ps;

	join_thread(s, RP_STOP_DRAIN);
	return finish(s, true);
}

PaError rp_abort(PaStream *ps)
{
	struct rp_stream *s = (struct rp_stream *)ps;

	join_thread(s, RP_STOP_ABORT);
	return finish(s, false);
}

PaError rp_is_stopped(PaStream *ps)
{
	return atomic_load(&((struct rp_stream *)ps)->stopped) ? 1 : 0;
}

PaError rp_is_active(PaStream *ps)
{
	return atomic_load(&((struct rp_stream *)ps)->active) ? 1 : 0;
}

PaTime rp_stream_time(PaStream *ps)
{
	(void)ps;
	return rp_now();
}

double rp_cpu_load(PaStream *ps)
{
	return PaUtil_GetCpuLoad(&((struct rp_stream *)ps)->cpu);
}
