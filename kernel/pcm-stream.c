// SPDX-License-Identifier: GPL-2.0
/*
 * One PCM stream: its state machine, position, xrun detection and the
 * status page, on top of an HDA stream engine and an attached user ring.
 *
 *   OPEN --hw_params--> SETUP --attach + prepare--> PREPARED --start--> RUNNING
 *   RUNNING --ringpcm_stream_irq: underrun/overrun--> XRUN --prepare--> PREPARED
 *   RUNNING --drain--> DRAINING --ringpcm_stream_irq: all played--> SETUP
 *   RUNNING --pause(1)--> PAUSED --pause(0)--> RUNNING
 *   any --drop--> SETUP       any --ringpcm_stream_hangup/_disconnect--> DISCONNECTED
 *   PREPARED/RUNNING/XRUN/DRAINING/PAUSED --ringpcm_stream_suspend--> SUSPENDED
 *   SUSPENDED --prepare (once the card has resumed)--> PREPARED
 *
 * Locking: s->lock (mutex) serialises the ioctl paths and owns the ring and
 * the parameters; s->irq_lock (spinlock) owns state, positions and counters
 * and is the only lock the hard interrupt takes.  The status page is written
 * only under irq_lock, inside a sequence counter (see the UAPI header).
 *
 * Capture sync out of the hard interrupt: the hard half reads the position,
 * acknowledges the status, detects xruns and publishes, all under irq_lock.
 * When handing the new bytes to the CPU costs something (a swiotlb bounce,
 * a non-coherent device, the copy mode: up to a 16 MiB period, a whole ring
 * after lost laps), the hard half leaves synced_ptr behind and wakes the
 * interrupt thread, which syncs [synced_ptr, hw_ptr) with interrupts on and
 * no spinlock held (under s->sync_lock, a mutex), then publishes synced_ptr
 * as the status page's hw_ptr and wakes pollers.  A ring whose sync is free
 * (dma_need_sync() false) publishes from the hard half and never wakes the
 * thread.  Process paths that must show every captured frame (HWSYNC,
 * pause, drain, suspend) run the same sync themselves; paths that change the
 * ring or reset positions take sync_lock, so they wait for a running sync.
 */
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>

#include "ringpcm.h"
#include "ringpcm-math.h"
#include "ringpcm-state.h"

#define RINGPCM_PERIODS_MIN		2
#define RINGPCM_PERIOD_BYTES_MAX	(16u << 20)
#define RINGPCM_BUFFER_BYTES_MAX	(1u << 30)

static bool is_capture(const struct ringpcm_stream *s)
{
	return s->dir == RINGPCM_DIR_CAPTURE;
}

/*
 * The position the application sees (the status page's hw_ptr): for
 * capture what is synced for the CPU, never a byte still waiting for its
 * sync; for playback the device's.  irq_lock held.
 */
static u64 cpu_hw_ptr(const struct ringpcm_stream *s)
{
	return is_capture(s) ? s->synced_ptr : s->hw_ptr;
}

static struct device *stream_dma_dev(struct ringpcm_stream *s)
{
	return &s->card->pci->dev;
}

static u32 ring_bytes(const struct ringpcm_stream *s)
{
	return s->buffer_frames * s->frame_bytes;
}

/* ---- status page ----------------------------------------------------------- */

/*
 * The fields that move while a stream runs: the hot half of every publish
 * (each period's interrupt and COMMIT).  Inside the caller's seq window.
 */
static void write_moving_fields(const struct ringpcm_stream *s, struct ringpcm_status *st)
{
	st->state = s->state;
	st->hw_ptr = cpu_hw_ptr(s);
	st->appl_ptr = s->appl_ptr;
	st->tstamp_ns = is_capture(s) ? s->synced_tstamp_ns : s->tstamp_ns;
	st->xruns = s->xruns;
	st->periods_elapsed = s->periods;
	st->irqs = s->irqs;
	st->irq_ns = s->irq_ns;
	st->lost_laps = s->lost_laps;
}

/*
 * Publish what moves.  The configuration (buffer and period frames,
 * avail_min, dma_mode) only changes in hw_params, sw_params, attach,
 * teardown and release, which all publish it with publish_setup_locked().
 */
static void publish_locked(struct ringpcm_stream *s)
{
	struct ringpcm_status *st = s->status;

	lockdep_assert_held(&s->irq_lock);
	WRITE_ONCE(st->seq, st->seq + 1);
	smp_wmb();	/* seq odd before the fields change; pairs with the reader's rmb */
	write_moving_fields(s, st);
	smp_wmb();	/* fields complete before seq turns even again */
	WRITE_ONCE(st->seq, st->seq + 1);
}

/* Publish everything, the configuration too: after it may have changed. */
static void publish_setup_locked(struct ringpcm_stream *s)
{
	struct ringpcm_status *st = s->status;

	lockdep_assert_held(&s->irq_lock);
	WRITE_ONCE(st->seq, st->seq + 1);
	smp_wmb();	/* as publish_locked() */
	st->buffer_frames = s->buffer_frames;
	st->period_frames = s->period_frames;
	st->avail_min = s->avail_min;
	st->dma_mode = s->ring ? ringpcm_ring_mode(s->ring) : 0;
	write_moving_fields(s, st);
	smp_wmb();
	WRITE_ONCE(st->seq, st->seq + 1);
}

/* A state change: rare, and where every configuration change but sw_params lands. */
static void set_state_locked(struct ringpcm_stream *s, u32 state)
{
	s->state = state;
	publish_setup_locked(s);
}

static void wake_all(struct ringpcm_stream *s);

/* Process context: a state change every waiter must see. */
static void change_state(struct ringpcm_stream *s, u32 state)
{
	spin_lock_irq(&s->irq_lock);
	set_state_locked(s, state);
	spin_unlock_irq(&s->irq_lock);
	wake_all(s);
}

static u32 read_state(struct ringpcm_stream *s)
{
	unsigned long flags;
	u32 state;

	spin_lock_irqsave(&s->irq_lock, flags);
	state = s->state;
	spin_unlock_irqrestore(&s->irq_lock, flags);
	return state;
}

/* ---- position and xruns (interrupt and ioctl context) ----------------------- */

/*
 * Capture, after a position update: a ring whose sync is free is readable
 * up to the device's position at once; any other waits for capture_sync().
 * With nothing waiting, the published timestamp follows the update as well.
 */
static void captured_locked(struct ringpcm_stream *s)
{
	if (s->synced_ptr != s->hw_ptr && !ringpcm_ring_handover_is_free(s->ring))
		return;
	s->synced_ptr = s->hw_ptr;
	s->synced_tstamp_ns = s->tstamp_ns;
}

static s64 avail_locked(struct ringpcm_stream *s)
{
	return ringpcm_avail(is_capture(s), cpu_hw_ptr(s), s->appl_ptr, s->buffer_frames);
}

/**
 * capture_sync - hand the captured frames [synced_ptr, hw_ptr) to the CPU
 * @s: stream (a playback stream returns at once)
 *
 * The sync or copy runs with interrupts on and no spinlock held; sync_lock
 * keeps the ring attached and the positions from being reset meanwhile.
 * Then synced_ptr is published and pollers whose avail_min is met wake.
 * Context: process or the interrupt thread; sleeps (sync_lock).
 */
static void capture_sync(struct ringpcm_stream *s)
{
	struct ringpcm_ring_dma *ring;
	struct ringpcm_span span;
	u64 from, to, tstamp;
	unsigned int i, n;
	bool wake;

	if (!is_capture(s))
		return;
	mutex_lock(&s->sync_lock);
	spin_lock_irq(&s->irq_lock);
	ring = s->ring;
	from = s->synced_ptr;
	to = s->hw_ptr;
	tstamp = s->tstamp_ns;
	spin_unlock_irq(&s->irq_lock);
	if (!ring || to <= from)
		goto out_unlock;

	/* A range longer than the ring (lost laps) is cut to the ring's last lap. */
	n = ringpcm_split(from, to, s->frame_bytes, s->buffer_frames, &span);
	for (i = 0; i < n; i++)
		ringpcm_ring_for_cpu(ring, span.offset[i], span.bytes[i]);

	spin_lock_irq(&s->irq_lock);
	s->synced_ptr = to;
	s->synced_tstamp_ns = tstamp;
	wake = s->state == RINGPCM_STATE_RUNNING && avail_locked(s) >= s->avail_min;
	publish_locked(s);
	spin_unlock_irq(&s->irq_lock);
	if (wake)
		wake_up_interruptible(&s->wait);
out_unlock:
	mutex_unlock(&s->sync_lock);
}

/*
 * hw_ptr from the engine's position: the same for playback and for most
 * methods; behind it by the FIFO for AMD's capture (ringpcm_written_ptr).
 */
static inline void set_hw_ptr_locked(struct ringpcm_stream *s)
{
	u64 hw = ringpcm_written_ptr(s->dma_ptr, s->lag_frames, s->hw_ptr);

	lockdep_assert_held(&s->irq_lock);
	s->hw_ptr = hw;
	if (is_capture(s))
		captured_locked(s);
}

/* Inline: the interrupt and COMMIT read the position every period. */
static inline void update_position_locked(struct ringpcm_stream *s)
{
	lockdep_assert_held(&s->irq_lock);
	s->dma_ptr = ringpcm_advance(s->dma_ptr, hda_stream_pos(&s->hw), s->frame_bytes,
				     s->buffer_frames);
	s->tstamp_ns = ktime_get_raw_ns();
	set_hw_ptr_locked(s);
}

/*
 * At an interrupt: add the laps the position register could not show.  The
 * interrupt marks the engine's period end, so laps are judged on dma_ptr.
 */
static void count_lost_laps_locked(struct ringpcm_stream *s, u64 now)
{
	u64 elapsed = mul_u64_u32_div(now - s->irq_stamp_ns, s->params.rate, NSEC_PER_SEC);
	u64 laps = ringpcm_lost_laps(s->irq_ptr, s->dma_ptr, elapsed, s->period_frames,
				     s->buffer_frames);

	if (laps) {
		s->dma_ptr += laps * s->buffer_frames;
		s->lost_laps += laps;
		set_hw_ptr_locked(s);
	}
	s->irq_ptr = s->dma_ptr;
	s->irq_stamp_ns = now;
}

/* ---- drain ------------------------------------------------------------------ */

/*
 * Frames the device still has to play when the DMA position reaches the
 * last committed frame: the controller's FIFO and the codec's buffer
 * (info.fifo_bytes), the converter's delay, and what a virtual codec's host
 * side holds (info.backend_delay_us).  Stopping the engine drops all of it.
 */
static u32 drain_tail_frames(struct ringpcm_stream *s)
{
	struct hda_codec *codec = &s->card->codec;
	u32 bytes = s->hw.fifo_bytes + codec->buffer_bytes;

	return DIV_ROUND_UP(bytes, s->frame_bytes) + hda_codec_delay(codec, s->dir) +
	       (u32)div_u64(mul_u32_u32(codec->backend_delay_us, s->params.rate), USEC_PER_SEC);
}

/*
 * Silence after the data, up to drain_end, written as the engine frees the
 * ring: at DRAIN, then at each period interrupt (at most a period each).
 */
static void fill_drain_silence_locked(struct ringpcm_stream *s)
{
	u64 to = min(s->drain_end, s->hw_ptr + s->buffer_frames);
	struct ringpcm_span span;
	unsigned int i, n;

	lockdep_assert_held(&s->irq_lock);
	n = ringpcm_split(s->silence_ptr, to, s->frame_bytes, s->buffer_frames, &span);
	for (i = 0; i < n; i++)
		ringpcm_ring_silence(s->ring, span.offset[i], span.bytes[i]);
	if (to > s->silence_ptr)
		s->silence_ptr = to;
}

static void drain_arm_locked(struct ringpcm_stream *s)
{
	if (s->hw_ptr >= s->appl_ptr) {	/* ran dry already: stop at once */
		s->drain_end = s->hw_ptr;
		return;
	}
	s->drain_end = ringpcm_drain_end(s->appl_ptr, drain_tail_frames(s), s->period_frames);
	s->silence_ptr = s->appl_ptr;
	fill_drain_silence_locked(s);
}

/* The slow half of check_xrun_locked(): a drain to finish, or an xrun. */
static noinline bool stop_on_xrun_locked(struct ringpcm_stream *s)
{
	if (s->state == RINGPCM_STATE_DRAINING) {
		if (s->hw_ptr < s->drain_end)
			return false;
		hda_stream_halt(&s->hw);
		s->state = RINGPCM_STATE_SETUP;
		return true;
	}
	hda_stream_halt(&s->hw);
	s->state = RINGPCM_STATE_XRUN;
	s->xruns++;
	return true;
}

/*
 * Called after every position update of a running stream: an underrun or
 * overrun stops the engine at once (it is already streaming stale data); a
 * drained playback stream stops cleanly.  Returns true if the state changed.
 * Inline: twice a period (interrupt, COMMIT) the answer is a comparison.
 */
static inline bool check_xrun_locked(struct ringpcm_stream *s)
{
	if (s->state != RINGPCM_STATE_DRAINING &&
	    !ringpcm_is_xrun(is_capture(s), s->hw_ptr, s->appl_ptr, s->buffer_frames))
		return false;
	return stop_on_xrun_locked(s);
}

static bool stream_active(u32 state)
{
	return state == RINGPCM_STATE_RUNNING || state == RINGPCM_STATE_DRAINING;
}

/**
 * ringpcm_stream_irq - the stream's hard interrupt: a period has completed
 * @s: stream whose status bit was set in INTSTS
 *
 * Context: hard interrupt.  O(1) in the ring size: one position read, the
 * status acknowledged, xrun detection, the status page.  Captured bytes that
 * need a sync or a copy are left to ringpcm_stream_irq_thread().
 * Return: true when the interrupt thread has work for this stream.
 */
bool ringpcm_stream_irq(struct ringpcm_stream *s)
{
	u64 t0 = ktime_get_raw_ns();
	bool active, wake = false, thread = false;
	u8 sts;

	spin_lock(&s->irq_lock);
	active = stream_active(s->state) && s->ring;
	/*
	 * The position is read before the status is acknowledged: a period end
	 * crossed in between raises no second interrupt for this position.
	 */
	if (active)
		update_position_locked(s);
	sts = hda_stream_ack(&s->hw);
	s->irqs++;
	if ((sts & HDA_SD_STS_BCIS) && active) {
		s->periods++;
		count_lost_laps_locked(s, t0);
		wake = check_xrun_locked(s) || avail_locked(s) >= s->avail_min;
		if (s->state == RINGPCM_STATE_DRAINING)
			fill_drain_silence_locked(s);
	}
	if (s->ring && is_capture(s) && s->synced_ptr != s->hw_ptr) {
		set_bit(RINGPCM_WORK_SYNC, &s->irq_work);
		thread = true;
	}
	s->irq_ns += ktime_get_raw_ns() - t0;
	publish_locked(s);
	spin_unlock(&s->irq_lock);
	if (wake)
		wake_up_interruptible(&s->wait);
	return thread;
}

/**
 * ringpcm_stream_irq_thread - the stream's share of the interrupt thread
 * @s: stream
 *
 * Context: the card's interrupt thread (process context, may sleep).
 */
void ringpcm_stream_irq_thread(struct ringpcm_stream *s)
{
	if (test_and_clear_bit(RINGPCM_WORK_SYNC, &s->irq_work))
		capture_sync(s);
}

/* ---- engine control (process context, s->lock held) ------------------------- */

static void stop_engine(struct ringpcm_stream *s)
{
	spin_lock_irq(&s->irq_lock);
	hda_stream_halt(&s->hw);
	spin_unlock_irq(&s->irq_lock);
	if (hda_stream_wait_halted(&s->hw))
		dev_err(stream_dma_dev(s), "stream %u did not halt\n", s->hw.index);
}

static bool state_is_streaming(u32 state)
{
	return state == RINGPCM_STATE_RUNNING || state == RINGPCM_STATE_DRAINING ||
	       state == RINGPCM_STATE_PAUSED;
}

/* Stop the engine, then (and only then) unmap and unpin the ring. */
static void teardown_ring(struct ringpcm_stream *s)
{
	struct ringpcm_ring_dma *ring = s->ring;

	lockdep_assert_held(&s->lock);
	if (!ring)
		return;
	stop_engine(s);
	hda_codec_stream_cleanup(&s->card->codec, s->dir);
	/*
	 * A late interrupt must find neither a ring nor an active state, and a
	 * sync in the interrupt thread must be over (sync_lock) before detach.
	 */
	mutex_lock(&s->sync_lock);
	spin_lock_irq(&s->irq_lock);
	s->ring = NULL;
	if (state_is_streaming(s->state) || s->state == RINGPCM_STATE_PREPARED ||
	    s->state == RINGPCM_STATE_XRUN)
		set_state_locked(s, RINGPCM_STATE_SETUP);
	spin_unlock_irq(&s->irq_lock);
	mutex_unlock(&s->sync_lock);
	ringpcm_ring_detach(ring);
}

static void wake_all(struct ringpcm_stream *s)
{
	wake_up_interruptible_all(&s->wait);
}

static int check_connected(struct ringpcm_stream *s)
{
	return read_state(s) == RINGPCM_STATE_DISCONNECTED ? -ENODEV : 0;
}

/* Calls that act on a running engine: a suspended stream needs PREPARE first. */
static int check_awake(struct ringpcm_stream *s)
{
	switch (read_state(s)) {
	case RINGPCM_STATE_DISCONNECTED:
		return -ENODEV;
	case RINGPCM_STATE_SUSPENDED:
		return -ESTRPIPE;
	}
	return 0;
}

/* ---- parameters ------------------------------------------------------------ */

void ringpcm_fill_info(struct ringpcm_stream *s, struct ringpcm_info *info)
{
	struct ringpcm_card *card = s->card;

	memset(info, 0, sizeof(*info));
	strscpy(info->card, card->name, sizeof(info->card));
	info->card_index = card->index;
	info->direction = s->dir;
	hda_codec_fill_info(&card->codec, s->dir, info);
	info->periods_min = RINGPCM_PERIODS_MIN;
	info->periods_max = HDA_BDL_ENTRIES;
	info->period_bytes_min = HDA_BDL_ALIGN;
	info->period_bytes_max = RINGPCM_PERIOD_BYTES_MAX;
	info->period_bytes_step = HDA_BDL_ALIGN;
	info->buffer_bytes_max = RINGPCM_BUFFER_BYTES_MAX;
	info->max_bdl_entries = HDA_BDL_ENTRIES;
	info->ring_align = HDA_BDL_ALIGN;
	info->max_segment = min_t(u64, dma_get_max_seg_size(stream_dma_dev(s)),
				  dma_max_mapping_size(stream_dma_dev(s)));
	info->dma_mode = RINGPCM_DMA_MAP_ONCE;
	info->iommu = card->iommu;
	info->fifo_bytes = s->hw.fifo_bytes + card->codec.buffer_bytes;
	info->backend_delay_us = card->codec.backend_delay_us;
}

static bool rate_supported(const struct ringpcm_info *info, u32 rate)
{
	unsigned int i;

	for (i = 0; i < info->n_rates; i++)
		if (info->rates[i] == rate)
			return true;
	return false;
}

static int check_hw_params(struct ringpcm_stream *s, const struct ringpcm_hw_params *p)
{
	struct ringpcm_info info;
	u32 frame_bytes;
	u64 period_bytes;

	ringpcm_fill_info(s, &info);
	if (p->format > RINGPCM_FORMAT_S32_LE || !(info.formats & (1u << p->format)) ||
	    !rate_supported(&info, p->rate) ||
	    p->channels < info.channels_min || p->channels > info.channels_max ||
	    p->dma_mode > RINGPCM_DMA_COPY)
		return -EINVAL;
	frame_bytes = p->channels * (p->format == RINGPCM_FORMAT_S16_LE ? 2 : 4);
	period_bytes = (u64)p->period_frames * frame_bytes;
	if (period_bytes < info.period_bytes_min || period_bytes > info.period_bytes_max ||
	    period_bytes % info.period_bytes_step ||
	    p->periods < info.periods_min || p->periods > info.periods_max ||
	    period_bytes * p->periods > info.buffer_bytes_max)
		return -EINVAL;
	return 0;
}

int ringpcm_stream_hw_params(struct ringpcm_stream *s, const struct ringpcm_hw_params *p)
{
	u32 state = read_state(s);
	int ret;

	if (state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	if (state == RINGPCM_STATE_RUNNING || state == RINGPCM_STATE_DRAINING ||
	    state == RINGPCM_STATE_PAUSED)
		return -EBUSY;
	ret = check_hw_params(s, p);
	if (ret)
		return ret;
	teardown_ring(s);
	s->params = *p;
	s->params_set = true;
	s->format_bits = hda_codec_format_bits(&s->card->codec, s->dir, p->rate, p->channels,
						p->format);
	s->frame_bytes = p->channels * (p->format == RINGPCM_FORMAT_S16_LE ? 2 : 4);
	spin_lock_irq(&s->irq_lock);
	s->period_frames = p->period_frames;
	s->buffer_frames = p->period_frames * p->periods;
	s->hw_ptr = s->dma_ptr = s->appl_ptr = s->synced_ptr = 0;
	s->avail_min = clamp_t(u32, s->avail_min, 1, s->buffer_frames);
	set_state_locked(s, RINGPCM_STATE_SETUP);
	spin_unlock_irq(&s->irq_lock);
	wake_all(s);	/* pollers of the old configuration see SETUP */
	return 0;
}

int ringpcm_stream_sw_params(struct ringpcm_stream *s, const struct ringpcm_sw_params *p)
{
	int ret = check_connected(s);

	if (ret)
		return ret;
	if (s->params_set && p->avail_min > s->buffer_frames)
		return -EINVAL;
	spin_lock_irq(&s->irq_lock);
	s->avail_min = max_t(u32, p->avail_min, 1);
	publish_setup_locked(s);
	spin_unlock_irq(&s->irq_lock);
	wake_all(s);	/* a lower threshold may already be met */
	return 0;
}

/* ---- the ring ------------------------------------------------------------- */

int ringpcm_stream_attach(struct ringpcm_stream *s, struct ringpcm_ring *r)
{
	struct ringpcm_ring_dma *ring;
	u32 state = read_state(s);
	int ret;

	if (state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	if (!s->params_set)
		return -EBADFD;
	if (state_is_streaming(state))
		return -EBUSY;
	if (r->bytes != ring_bytes(s))
		return -EINVAL;
	if (!r->addr || !access_ok(u64_to_user_ptr(r->addr), r->bytes))
		return -EFAULT;
	teardown_ring(s);
	ret = ringpcm_ring_attach(&ring, stream_dma_dev(s), is_capture(s), r->addr, r->bytes,
				  s->period_frames * s->frame_bytes, s->params.dma_mode,
				  s->card->bdle_boundary);
	if (ret == -E2BIG)
		dev_info_ratelimited(stream_dma_dev(s), "ring of %u bytes, %u-byte periods: more "
				     "than %u BDL entries (entry boundary %u) or not %u-byte aligned\n",
				     (u32)r->bytes, s->period_frames * s->frame_bytes, HDA_BDL_ENTRIES,
				     s->card->bdle_boundary, HDA_BDL_ALIGN);
	if (ret)
		return ret;
	r->dma_mode = ringpcm_ring_mode(ring);
	r->segments = ring->segments;
	r->bdl_entries = ring->n_pieces;
	r->flags = ring->n_pieces + HDA_BDL_RESUME_EXTRA <= HDA_BDL_ENTRIES ||
		   !s->card->run_restarts_bdl ?
		   RINGPCM_RING_CAN_PAUSE : 0;
	mutex_lock(&s->sync_lock);
	spin_lock_irq(&s->irq_lock);
	s->ring = ring;
	set_state_locked(s, RINGPCM_STATE_SETUP);
	spin_unlock_irq(&s->irq_lock);
	mutex_unlock(&s->sync_lock);
	wake_all(s);
	return 0;
}

int ringpcm_stream_detach(struct ringpcm_stream *s)
{
	u32 state = read_state(s);

	if (state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	if (state_is_streaming(state))
		return -EBUSY;
	if (!s->ring)
		return -EBADFD;
	teardown_ring(s);
	change_state(s, RINGPCM_STATE_SETUP);
	return 0;
}

/* ---- transport ------------------------------------------------------------ */

int ringpcm_stream_prepare(struct ringpcm_stream *s)
{
	int ret = check_connected(s);

	if (ret)
		return ret;
	if (s->asleep)	/* user space is frozen by then: only a kernel bug gets here */
		return -EBUSY;
	if (!s->params_set || !s->ring)
		return -EBADFD;
	stop_engine(s);
	ret = hda_stream_program(&s->hw, s->ring, 0, s->format_bits);
	if (!ret)
		ret = hda_codec_stream_setup(&s->card->codec, s->dir, s->hw.tag, s->format_bits);
	if (ret)
		return ret;
	/* No sync of the last run may land after the positions are reset. */
	mutex_lock(&s->sync_lock);
	if (is_capture(s))	/* the device owns the whole ring from now on */
		ringpcm_ring_for_device(s->ring, 0, ring_bytes(s));
	spin_lock_irq(&s->irq_lock);
	s->hw_ptr = s->dma_ptr = s->appl_ptr = s->synced_ptr = 0;
	s->tstamp_ns = s->synced_tstamp_ns = ktime_get_raw_ns();
	/* Constant until hw_params, which always needs a new prepare. */
	s->lag_frames = hda_stream_lag_frames(&s->hw, s->frame_bytes);
	set_state_locked(s, RINGPCM_STATE_PREPARED);
	spin_unlock_irq(&s->irq_lock);
	mutex_unlock(&s->sync_lock);
	wake_all(s);
	return 0;
}

static void run_locked(struct ringpcm_stream *s, u32 state)
{
	s->tstamp_ns = ktime_get_raw_ns();
	s->irq_ptr = s->dma_ptr;
	s->irq_stamp_ns = s->tstamp_ns;
	hda_stream_run(&s->hw);
	set_state_locked(s, state);
}

int ringpcm_stream_start(struct ringpcm_stream *s)
{
	int ret = 0;

	spin_lock_irq(&s->irq_lock);
	if (s->state == RINGPCM_STATE_DISCONNECTED)
		ret = -ENODEV;
	else if (s->state == RINGPCM_STATE_SUSPENDED)
		ret = -ESTRPIPE;
	else if (s->state != RINGPCM_STATE_PREPARED)
		ret = -EBADFD;
	else if (!is_capture(s) && s->appl_ptr == 0)
		ret = -EPIPE;	/* nothing to play: an immediate underrun */
	else
		run_locked(s, RINGPCM_STATE_RUNNING);
	spin_unlock_irq(&s->irq_lock);
	return ret;
}

int ringpcm_stream_drop(struct ringpcm_stream *s)
{
	int ret = check_connected(s);

	if (ret)
		return ret;
	if (!s->params_set)
		return -EBADFD;
	stop_engine(s);
	change_state(s, RINGPCM_STATE_SETUP);
	return 0;
}

/* Capture drain: stop, keeping what was captured readable. */
static int drain_capture(struct ringpcm_stream *s)
{
	u32 state = read_state(s);

	if (state == RINGPCM_STATE_RUNNING || state == RINGPCM_STATE_PAUSED)
		stop_engine(s);
	if (state == RINGPCM_STATE_RUNNING) {
		spin_lock_irq(&s->irq_lock);
		update_position_locked(s);
		spin_unlock_irq(&s->irq_lock);
	}
	capture_sync(s);	/* every frame up to the stop readable in SETUP */
	change_state(s, RINGPCM_STATE_SETUP);
	return 0;
}

/* Playback: move to DRAINING; the interrupt path finishes it. */
static int drain_begin(struct ringpcm_stream *s)
{
	int ret = 0;

	spin_lock_irq(&s->irq_lock);
	switch (s->state) {
	case RINGPCM_STATE_PREPARED:
		if (s->appl_ptr == 0) {
			set_state_locked(s, RINGPCM_STATE_SETUP);
			break;
		}
		drain_arm_locked(s);
		run_locked(s, RINGPCM_STATE_DRAINING);
		break;
	case RINGPCM_STATE_RUNNING:
		update_position_locked(s);
		drain_arm_locked(s);
		s->state = RINGPCM_STATE_DRAINING;
		check_xrun_locked(s);	/* stops at once if it already ran dry */
		publish_locked(s);
		break;
	case RINGPCM_STATE_DRAINING:
	case RINGPCM_STATE_SETUP:
		break;
	case RINGPCM_STATE_XRUN:
		ret = -EPIPE;
		break;
	case RINGPCM_STATE_SUSPENDED:
		ret = -ESTRPIPE;
		break;
	case RINGPCM_STATE_DISCONNECTED:
		ret = -ENODEV;
		break;
	default:
		ret = -EBADFD;
	}
	spin_unlock_irq(&s->irq_lock);
	return ret;
}

/**
 * ringpcm_stream_drain - play out what was committed, then stop
 * @s: stream, s->lock held on entry and on return (dropped while waiting)
 * @nonblock: return -EAGAIN instead of waiting (the stream keeps draining)
 *
 * Return: 0 once stopped, -EAGAIN, -ERESTARTSYS, -EPIPE, -ENODEV.
 */
int ringpcm_stream_drain(struct ringpcm_stream *s, bool nonblock)
{
	int ret;

	if (is_capture(s))
		return check_awake(s) ?: drain_capture(s);
	ret = drain_begin(s);
	if (ret || read_state(s) != RINGPCM_STATE_DRAINING)
		return ret;
	if (nonblock)
		return -EAGAIN;
	mutex_unlock(&s->lock);
	ret = wait_event_interruptible(s->wait, read_state(s) != RINGPCM_STATE_DRAINING);
	mutex_lock(&s->lock);
	if (ret)
		return ret;
	switch (read_state(s)) {
	case RINGPCM_STATE_DISCONNECTED:
		return -ENODEV;
	case RINGPCM_STATE_XRUN:
		return -EPIPE;
	case RINGPCM_STATE_SUSPENDED:
		return -ESTRPIPE;
	default:
		return 0;
	}
}

static int pause_stream(struct ringpcm_stream *s)
{
	if (read_state(s) != RINGPCM_STATE_RUNNING)
		return -EBADFD;
	if (s->card->run_restarts_bdl && s->ring->n_pieces + HDA_BDL_RESUME_EXTRA > HDA_BDL_ENTRIES)
		return -EOPNOTSUPP;	/* no spare BDL entries to resume mid-entry */
	stop_engine(s);
	spin_lock_irq(&s->irq_lock);
	update_position_locked(s);
	if (!check_xrun_locked(s))
		s->state = RINGPCM_STATE_PAUSED;
	publish_locked(s);
	spin_unlock_irq(&s->irq_lock);
	capture_sync(s);	/* a paused capture shows every frame up to the halt */
	wake_all(s);
	return 0;
}

/*
 * Resume where the engine stopped.  A controller keeps its position while
 * RUN is clear and goes on from there when it is set again (the spec's
 * pause, and what Linux's own driver relies on): nothing to reprogram.
 * QEMU's restarts at BDL entry 0 instead, so there the list is rotated to
 * begin where it stopped, its unaligned first bytes through the stream's
 * head buffer (hda-stream.c): every entry starts 128-byte aligned as the
 * spec asks, and the ring the application sees is still the one played.
 */
static int resume_stream(struct ringpcm_stream *s)
{
	u32 start_off;
	int ret;

	if (read_state(s) != RINGPCM_STATE_PAUSED)
		return -EBADFD;
	if (!s->card->run_restarts_bdl) {
		spin_lock_irq(&s->irq_lock);
		run_locked(s, RINGPCM_STATE_RUNNING);
		spin_unlock_irq(&s->irq_lock);
		return 0;
	}
	/* Where the engine stopped: ahead of hw_ptr by the FIFO lag, if any. */
	spin_lock_irq(&s->irq_lock);
	start_off = (s->dma_ptr % s->buffer_frames) * s->frame_bytes;
	spin_unlock_irq(&s->irq_lock);
	ret = hda_stream_program(&s->hw, s->ring, start_off, s->format_bits);
	if (ret)
		return ret;
	spin_lock_irq(&s->irq_lock);
	run_locked(s, RINGPCM_STATE_RUNNING);
	spin_unlock_irq(&s->irq_lock);
	return 0;
}

int ringpcm_stream_pause(struct ringpcm_stream *s, u32 pause)
{
	int ret = check_awake(s);

	if (ret)
		return ret;
	if (pause > 1)
		return -EINVAL;
	return pause ? pause_stream(s) : resume_stream(s);
}

/* The error COMMIT returns in @state, 0 where it may move appl_ptr. */
static int commit_state_error(u32 state)
{
	switch (state) {
	case RINGPCM_STATE_PREPARED:
	case RINGPCM_STATE_RUNNING:
	case RINGPCM_STATE_PAUSED:
		return 0;
	}
	return ringpcm_state_error(state) ?: -EBADFD;
}

/*
 * COMMIT's hand-over of frames [old, appl) to the device: a sync, a bounce
 * or a copy.  Out of line: a ring whose hand-over is free (the usual case)
 * then sets up no span on COMMIT's stack.
 */
static noinline void commit_to_device(struct ringpcm_stream *s, u64 old, u64 appl)
{
	struct ringpcm_span span;
	unsigned int i, n;

	n = ringpcm_split(old, appl, s->frame_bytes, s->buffer_frames, &span);
	for (i = 0; i < n; i++)
		ringpcm_ring_for_device(s->ring, span.offset[i], span.bytes[i]);
}

/**
 * ringpcm_stream_commit - the application hands over appl_ptr
 * @s: stream
 * @appl: new appl_ptr, free-running frames
 *
 * The position is refreshed first, so a commit arriving after the engine
 * has passed appl_ptr reports the xrun.  Playback: the newly written frames
 * are synced for the device before appl_ptr moves.  Capture: the frames read
 * are handed back to the device.
 * Return: 0, -EINVAL (backwards or beyond the ring), -EPIPE (xrun),
 * -EBADFD, -ENODEV.
 */
int ringpcm_stream_commit(struct ringpcm_stream *s, u64 appl)
{
	bool xrun = false;
	u64 hw, old;
	u32 state;

	spin_lock_irq(&s->irq_lock);
	/*
	 * The engine may have run past appl_ptr since the last interrupt: a
	 * commit that arrives too late is an xrun, not a valid pointer.
	 */
	if (s->state == RINGPCM_STATE_RUNNING) {
		update_position_locked(s);
		xrun = check_xrun_locked(s);
		/* An accepted commit publishes the new position with appl_ptr below. */
		if (xrun)
			publish_locked(s);
	}
	state = s->state;
	hw = cpu_hw_ptr(s);	/* what the application saw */
	old = s->appl_ptr;
	spin_unlock_irq(&s->irq_lock);
	if (xrun)
		wake_all(s);

	/* RUNNING first: the state of every COMMIT while a stream plays. */
	if (unlikely(state != RINGPCM_STATE_RUNNING)) {
		int ret = commit_state_error(state);

		if (ret)
			return ret;
	}
	if (!ringpcm_appl_ptr_valid(is_capture(s), hw, old, appl, s->buffer_frames))
		return -EINVAL;

	/* Outside irq_lock: a copy-mode transfer may be long.  s->lock keeps the ring. */
	if (!ringpcm_ring_handover_is_free(s->ring))
		commit_to_device(s, old, appl);

	spin_lock_irq(&s->irq_lock);
	s->appl_ptr = appl;
	publish_locked(s);
	spin_unlock_irq(&s->irq_lock);
	return 0;
}

int ringpcm_stream_hwsync(struct ringpcm_stream *s)
{
	bool changed = false;
	int ret = 0;

	spin_lock_irq(&s->irq_lock);
	if (s->state == RINGPCM_STATE_DISCONNECTED) {
		ret = -ENODEV;
	} else if (s->state == RINGPCM_STATE_SUSPENDED) {
		ret = -ESTRPIPE;
	} else if (stream_active(s->state)) {
		update_position_locked(s);
		changed = check_xrun_locked(s);
		publish_locked(s);
	}
	spin_unlock_irq(&s->irq_lock);
	if (!ret)
		capture_sync(s);
	if (changed)
		wake_all(s);
	return ret;
}

int ringpcm_stream_bench(struct ringpcm_stream *s, struct ringpcm_bench *b)
{
	u32 state = read_state(s);

	if (state == RINGPCM_STATE_DISCONNECTED)
		return -ENODEV;
	if (!s->ring || state_is_streaming(state))
		return -EBADFD;
	return ringpcm_bench_run(s->ring, s->period_frames * s->frame_bytes, b);
}

/* The poll mask in every state but RUNNING.  irq_lock held. */
static __poll_t poll_mask_locked(struct ringpcm_stream *s, __poll_t ready)
{
	switch (s->state) {
	case RINGPCM_STATE_DISCONNECTED:
		return EPOLLHUP | EPOLLERR;
	case RINGPCM_STATE_XRUN:
	case RINGPCM_STATE_SUSPENDED:
		return EPOLLERR | ready;
	case RINGPCM_STATE_OPEN:
	case RINGPCM_STATE_SETUP:
		return ready;	/* nothing will change by waiting */
	case RINGPCM_STATE_DRAINING:
		return 0;
	default:
		return avail_locked(s) >= s->avail_min ? ready : 0;
	}
}

__poll_t ringpcm_stream_poll_mask(struct ringpcm_stream *s)
{
	__poll_t ready = is_capture(s) ? EPOLLIN | EPOLLRDNORM : EPOLLOUT | EPOLLWRNORM;
	__poll_t mask;

	spin_lock_irq(&s->irq_lock);
	/* RUNNING first: the state of every poll while a stream plays. */
	if (likely(s->state == RINGPCM_STATE_RUNNING))
		mask = avail_locked(s) >= s->avail_min ? ready : 0;
	else
		mask = poll_mask_locked(s, ready);
	spin_unlock_irq(&s->irq_lock);
	return mask;
}

/* ---- system sleep ---------------------------------------------------------- */

static bool state_can_suspend(u32 state)
{
	return state == RINGPCM_STATE_PREPARED || state == RINGPCM_STATE_XRUN ||
	       state_is_streaming(state);
}

/**
 * ringpcm_stream_suspend - system sleep: halt the engine, keep the ring
 * @s: stream; the card's suspend calls it before resetting the link
 *
 * A stream with a prepared or running engine moves to SUSPENDED (POLLERR,
 * -ESTRPIPE from the transport calls) and waits there for PREPARE, as ALSA
 * applications expect.  Captured frames up to the halt stay readable.
 *
 * The ring stays pinned and mapped across the sleep: RAM keeps its contents
 * (S3, s2idle) or is restored to the same physical pages (hibernation), the
 * IOMMU driver restores its page tables before devices resume, and swiotlb's
 * bounce slots are ordinary RAM, so every DMA address in the BDL is valid
 * again after resume.  Tearing it down would force each application to
 * ATTACH_RING again, which ALSA's recovery (PREPARE, START) never does.
 * Context: process, sleeps.
 */
void ringpcm_stream_suspend(struct ringpcm_stream *s)
{
	mutex_lock(&s->lock);
	s->asleep = true;
	if (state_can_suspend(read_state(s))) {
		stop_engine(s);
		spin_lock_irq(&s->irq_lock);
		if (stream_active(s->state))
			update_position_locked(s);
		set_state_locked(s, RINGPCM_STATE_SUSPENDED);
		spin_unlock_irq(&s->irq_lock);
		capture_sync(s);	/* frames up to the halt stay readable */
		wake_all(s);
	}
	mutex_unlock(&s->lock);
}

/**
 * ringpcm_stream_resume - the controller is up again: PREPARE may program
 *	the engine (a suspended stream stays SUSPENDED until then)
 * @s: stream
 */
void ringpcm_stream_resume(struct ringpcm_stream *s)
{
	mutex_lock(&s->lock);
	s->asleep = false;
	mutex_unlock(&s->lock);
}

/* ---- lifetime -------------------------------------------------------------- */

int ringpcm_stream_init(struct ringpcm_stream *s, struct ringpcm_card *card, int dir)
{
	struct hda_ctrl *ctrl = &card->ctrl;
	unsigned int index = dir == RINGPCM_DIR_CAPTURE ? 0 : ctrl->n_in;
	/*
	 * Tags are 4 bits, 0 reserved: descriptor 15 (15 inputs) may not take
	 * tag 16.  Capture keeps tag 1, so any 2..15 is unique across both.
	 */
	unsigned int tag = min(index + 1, 15u);
	int ret;

	s->card = card;
	s->dir = dir;
	mutex_init(&s->lock);
	mutex_init(&s->sync_lock);
	spin_lock_init(&s->irq_lock);
	init_waitqueue_head(&s->wait);
	s->avail_min = 1;
	s->state = RINGPCM_STATE_OPEN;
	s->status = (void *)get_zeroed_page(GFP_KERNEL);
	if (!s->status)
		return -ENOMEM;
	ret = hda_stream_init(&s->hw, ctrl, index, tag);
	if (ret) {
		free_page((unsigned long)s->status);
		s->status = NULL;
	}
	return ret;
}

/* Hardware side only; the status page lives until the card is freed. */
void ringpcm_stream_free(struct ringpcm_stream *s)
{
	hda_stream_free(&s->hw);
}

/* The last close of the stream's file: nothing may keep streaming. */
void ringpcm_stream_release(struct ringpcm_stream *s)
{
	mutex_lock(&s->lock);
	if (read_state(s) != RINGPCM_STATE_DISCONNECTED) {
		teardown_ring(s);
		s->params_set = false;
		spin_lock_irq(&s->irq_lock);
		s->hw_ptr = s->dma_ptr = s->appl_ptr = s->synced_ptr = 0;
		s->buffer_frames = s->period_frames = 0;
		s->avail_min = 1;
		s->xruns = s->periods = s->irqs = s->irq_ns = 0;	/* counters are per open */
		set_state_locked(s, RINGPCM_STATE_OPEN);
		spin_unlock_irq(&s->irq_lock);
	}
	mutex_unlock(&s->lock);
	wake_all(s);	/* observers polling the stream see it closed */
}

/*
 * The controller is going away, first step: every client learns it now
 * (POLLHUP, ENODEV), before any stream's slow teardown.  The engine runs on
 * over a ring that stays pinned and mapped until ringpcm_stream_disconnect();
 * the interrupt path leaves a DISCONNECTED stream alone, and no ioctl leaves
 * that state.
 */
void ringpcm_stream_hangup(struct ringpcm_stream *s)
{
	mutex_lock(&s->lock);
	change_state(s, RINGPCM_STATE_DISCONNECTED);
	mutex_unlock(&s->lock);
}

/* The controller is going away: stop, unmap, unpin, and tell every waiter. */
void ringpcm_stream_disconnect(struct ringpcm_stream *s)
{
	mutex_lock(&s->lock);
	teardown_ring(s);
	change_state(s, RINGPCM_STATE_DISCONNECTED);
	mutex_unlock(&s->lock);
}
