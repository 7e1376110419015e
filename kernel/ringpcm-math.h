/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Pure ring arithmetic shared by the driver and user space: positions,
 * available frames, xrun and drain conditions, period splitting.  No state,
 * no locking, no allocation; compiles in the kernel and in user space (only
 * <linux/types.h>), so the host unit tests check the very code the interrupt
 * handler runs.
 *
 * Positions are free-running 64-bit frame counters; the ring holds
 * buffer_frames = period_frames * periods frames.
 */
#ifndef _RINGPCM_MATH_H
#define _RINGPCM_MATH_H

#include <linux/types.h>

#ifndef __KERNEL__
#include <stdbool.h>
#endif

/* Frames the application may write (playback) or read (capture) now. */
static inline __s64 ringpcm_playback_avail(__u64 hw_ptr, __u64 appl_ptr, __u32 buffer_frames)
{
	return (__s64)buffer_frames - (__s64)(appl_ptr - hw_ptr);
}

static inline __s64 ringpcm_capture_avail(__u64 hw_ptr, __u64 appl_ptr)
{
	return (__s64)(hw_ptr - appl_ptr);
}

static inline __s64 ringpcm_avail(bool capture, __u64 hw_ptr, __u64 appl_ptr, __u32 buffer_frames)
{
	return capture ? ringpcm_capture_avail(hw_ptr, appl_ptr)
		       : ringpcm_playback_avail(hw_ptr, appl_ptr, buffer_frames);
}

/*
 * Xrun: playback has nothing left to play (the engine has reached what the
 * application committed and is already fetching beyond it); capture has
 * filled the whole ring with frames the application has not read, so the
 * engine is now overwriting them.
 */
static inline bool ringpcm_is_xrun(bool capture, __u64 hw_ptr, __u64 appl_ptr, __u32 buffer_frames)
{
	if (capture)
		return hw_ptr - appl_ptr >= buffer_frames;
	return hw_ptr >= appl_ptr;
}

/*
 * Whole laps the engine made unseen, found at an interrupt.  The position
 * register is an offset in the ring, so it cannot show whole laps: when the
 * engine moves in bursts longer than the ring (a virtual card's audio
 * backend) or the CPU is held off for longer than the ring lasts, hw_ptr
 * falls behind by whole buffers.  An interrupt proves that a period end was
 * crossed since the previous one, whose hw_ptr was irq_ptr: if hw_ptr is
 * still short of the next period end, either laps went by or the interrupt
 * came early (raised a little before the position register shows the period
 * end, then handled after a jittered delay).  Time tells them apart
 * (elapsed_frames: the time since the previous interrupt at the stream's
 * rate): only when the time the position does not account for, elapsed -
 * moved, exceeds half a buffer is a lap assumed (ALSA's core uses half a
 * buffer time too), and the laps are that time in buffers, rounded.  The
 * elapsed time alone against half a buffer would count a phantom lap on a
 * 2-period ring whenever an early interrupt comes a little late.  Returns
 * the buffers to add to hw_ptr.
 */
static inline __u64 ringpcm_lost_laps(__u64 irq_ptr, __u64 hw_ptr, __u64 elapsed_frames,
				      __u32 period_frames, __u32 buffer_frames)
{
	__u64 next_period_end = irq_ptr - irq_ptr % period_frames + period_frames;
	__u64 moved = hw_ptr - irq_ptr, unseen;

	if (hw_ptr >= next_period_end || elapsed_frames <= moved)
		return 0;
	unseen = elapsed_frames - moved;
	if (unseen <= buffer_frames / 2)
		return 0;
	return (unseen + buffer_frames / 2) / buffer_frames;
}

/*
 * Where a draining playback stream stops.  The device plays what it has
 * fetched only while the engine keeps fetching behind it: stopping at
 * appl_ptr would drop the last tail_frames (FIFO, codec, host backend).  So
 * the drain plays that much silence after the data, and then on to the next
 * period end, since the engine is stopped from a period interrupt and must
 * not play stale ring contents before it.
 */
static inline __u64 ringpcm_drain_end(__u64 appl_ptr, __u32 tail_frames, __u32 period_frames)
{
	__u64 end = appl_ptr + tail_frames;

	return end + (period_frames - end % period_frames) % period_frames;
}

/*
 * A committed appl_ptr is valid when it does not go backwards and keeps the
 * ring consistent: playback may run at most one buffer ahead of hw_ptr,
 * capture may not read beyond hw_ptr.
 */
static inline bool ringpcm_appl_ptr_valid(bool capture, __u64 hw_ptr, __u64 old_appl,
					  __u64 new_appl, __u32 buffer_frames)
{
	if (new_appl < old_appl)
		return false;
	if (capture)
		return new_appl <= hw_ptr;
	return new_appl - hw_ptr <= buffer_frames || new_appl <= hw_ptr;
}

/*
 * Advance a free-running position to the engine's byte offset in the ring
 * (LPIB).  The engine moved by less than one ring since the last update, so
 * the forward distance modulo the ring is the progress.
 */
static inline __u64 ringpcm_advance(__u64 hw_ptr, __u32 lpib_bytes, __u32 frame_bytes,
				    __u32 buffer_frames)
{
	__u32 now = lpib_bytes / frame_bytes;
	__u32 was = (__u32)(hw_ptr % buffer_frames);

	if (now >= buffer_frames)
		now = 0;
	return hw_ptr + (now >= was ? now - was : buffer_frames - was + now);
}

/*
 * The engine's byte offset in the ring from what its position source shows
 * (LPIB, DPIB or the position buffer): @reg counts from BDL entry 0, which
 * begins at ring offset @start_off (a list rotated to resume QEMU's engine
 * mid-ring).  The register reads CBL, the ring's size, for an instant as
 * the engine wraps: that is offset 0 of the next pass, like any larger
 * (bogus) value, so the result is always inside the ring.
 */
static inline __u32 ringpcm_ring_offset(__u32 reg, __u32 start_off, __u32 ring_bytes)
{
	if (reg >= ring_bytes)
		reg = 0;
	return (__u32)(((__u64)reg + start_off) % ring_bytes);
}

/*
 * Capture frames the CPU may take when the position runs ahead of memory.
 * AMD's LPIB counts what entered the controller's FIFO, up to lag_frames
 * before it reaches memory (Linux's AMD_FIFO_SIZE: 32 frames), so the CPU
 * gets the engine's free-running position dma_ptr less the lag: never a
 * byte the device has not written.  Until the engine has moved lag_frames
 * after the start that is nothing (Linux's "insufficient" state), and an
 * earlier hw_ptr never goes backwards.
 */
static inline __u64 ringpcm_written_ptr(__u64 dma_ptr, __u32 lag_frames, __u64 hw_ptr)
{
	__u64 written = dma_ptr > lag_frames ? dma_ptr - lag_frames : 0;

	return written > hw_ptr ? written : hw_ptr;
}

/*
 * VIA's capture position (Linux's azx_via_get_position), in ring bytes:
 * its LPIB (@link) runs ahead of memory by up to the FIFO (@fifo, the FIFOS
 * register), its position buffer (@posbuf) is right within the period but
 * not about which period.  So the period is taken from LPIB, moved back
 * over the FIFO where LPIB has just crossed a period end, and the offset in
 * it from the position buffer.  @at_start: nothing moved since the stream
 * started, when LPIB short of the FIFO means nothing is in memory yet.
 * Added here: a result ahead of LPIB itself (a position buffer a period
 * behind), or a FIFO as large as a period, falls back to LPIB less the
 * FIFO, the conservative bound.  The FIFO must be under half the ring.
 */
static inline __u32 ringpcm_via_capture_pos(__u32 link, __u32 posbuf, __u32 fifo,
					    __u32 period_bytes, __u32 ring_bytes, bool at_start)
{
	__u32 mini, bound, pos, mod_dma = posbuf % period_bytes, mod_link;

	if (link >= ring_bytes)
		link = 0;
	if (at_start && link <= fifo)
		return 0;
	mini = link > fifo ? link - fifo : ring_bytes + link - fifo;
	if (fifo >= period_bytes)	/* the period cannot be told: the bound */
		return mini % ring_bytes;
	mod_link = link % period_bytes;
	if (mod_link >= fifo)
		bound = link - mod_link;
	else if (mod_dma >= mini % period_bytes)
		bound = mini - mini % period_bytes;
	else
		bound = mini - mini % period_bytes + period_bytes;
	pos = (bound + mod_dma) % ring_bytes;
	if ((link + ring_bytes - pos) % ring_bytes > ring_bytes / 2)
		pos = mini % ring_bytes;
	return pos;
}

/*
 * One ring range [from, to) in frames, split at the ring's end into at most
 * two byte ranges; used for every sync or copy between positions.
 */
struct ringpcm_span {
	__u64 offset[2];
	__u64 bytes[2];
};

static inline unsigned int ringpcm_split(__u64 from, __u64 to, __u32 frame_bytes,
					 __u32 buffer_frames, struct ringpcm_span *s)
{
	__u64 frames = to - from, start, first;

	s->bytes[0] = s->bytes[1] = 0;
	s->offset[0] = s->offset[1] = 0;
	if (to <= from)
		return 0;
	if (frames > buffer_frames)
		frames = buffer_frames;
	start = (to - frames) % buffer_frames;
	first = buffer_frames - start < frames ? buffer_frames - start : frames;
	s->offset[0] = start * frame_bytes;
	s->bytes[0] = first * frame_bytes;
	if (first == frames)
		return 1;
	s->bytes[1] = (frames - first) * frame_bytes;
	return 2;
}

/*
 * BDL layout: the number of entries a list of DMA segments needs when every
 * period must end exactly on an entry boundary (the engine raises its
 * interrupt only at the end of an entry) and no entry may exceed max_entry.
 */
static inline __u64 ringpcm_next_cut(__u64 pos, __u64 period_bytes, __u64 seg_end, __u64 max_entry)
{
	__u64 period_end = (pos / period_bytes + 1) * period_bytes;
	__u64 cut = period_end < seg_end ? period_end : seg_end;

	return cut - pos > max_entry ? pos + max_entry : cut;
}

#endif /* _RINGPCM_MATH_H */
