// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven tests of kernel/ringpcm-math.h, the very arithmetic the
 * driver's interrupt handler runs: avail, xrun, appl_ptr validity, LPIB
 * advance and wrap, the position methods of real controllers (ring offset,
 * a capture position held back by the FIFO, VIA's combined position),
 * span splitting, BDL cuts; plus randomised properties (fixed seed) that
 * tie them together, among them the ownership invariant: no capture byte
 * is handed to the CPU before the device wrote it.
 */
#include <stdint.h>
#include <string.h>

#include "ringpcm-math.h"
#include "ringpcm-state.h"
#include "unit.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define T40	(1ull << 40)	/* a multiple of every power-of-two ring */

static char name[160];

/* ---- avail ---------------------------------------------------------- */

static const struct {
	const char *what;
	bool capture;
	__u64 hw, appl;
	__u32 buffer;
	__s64 avail;
} avail_rows[] = {
	{ "playback empty ring after prepare", false, 0, 0, 1024, 1024 },
	{ "playback full ring", false, 0, 1024, 1024, 0 },
	{ "playback half played", false, 512, 1024, 1024, 512 },
	{ "playback far positions", false, T40, T40 + 100, 4096, 3996 },
	{ "playback across u64 wrap", false, UINT64_MAX - 10, UINT64_MAX + 490ull, 1024, 524 },
	{ "playback underrun by 76", false, 1100, 1024, 1024, 1100 },
	{ "capture empty", true, 0, 0, 1024, 0 },
	{ "capture 100 ready", true, 100, 0, 1024, 100 },
	{ "capture full ring", true, T40 + 1024, T40, 1024, 1024 },
	{ "capture overrun by 5", true, 1029, 0, 1024, 1029 },
	{ "capture across u64 wrap", true, 5, UINT64_MAX - 4, 1024, 10 },
};

static void test_avail(void)
{
	for (size_t i = 0; i < N(avail_rows); i++) {
		__s64 got = ringpcm_avail(avail_rows[i].capture, avail_rows[i].hw,
					  avail_rows[i].appl, avail_rows[i].buffer);
		__s64 direct = avail_rows[i].capture
			? ringpcm_capture_avail(avail_rows[i].hw, avail_rows[i].appl)
			: ringpcm_playback_avail(avail_rows[i].hw, avail_rows[i].appl,
						 avail_rows[i].buffer);

		snprintf(name, sizeof(name), "avail: %s", avail_rows[i].what);
		unit_check(got == avail_rows[i].avail && direct == got, name,
			   "got %lld (direct %lld), want %lld", (long long)got,
			   (long long)direct, (long long)avail_rows[i].avail);
	}
}

/* ---- xrun ----------------------------------------------------------- */

static const struct {
	const char *what;
	bool capture;
	__u64 hw, appl;
	__u32 buffer;
	bool xrun;
} xrun_rows[] = {
	{ "playback data queued", false, 100, 200, 1024, false },
	{ "playback one frame left", false, 199, 200, 1024, false },
	{ "playback reached appl_ptr", false, 200, 200, 1024, true },
	{ "playback beyond appl_ptr", false, 300, 200, 1024, true },
	/* PREPARED also satisfies it: callers apply it only while RUNNING. */
	{ "playback hw=appl=0 (only checked when running)", false, 0, 0, 1024, true },
	{ "playback far positions", false, T40 + 5, T40 + 6, 1024, false },
	{ "capture nothing to read", true, 0, 0, 1024, false },
	{ "capture one frame short of full", true, 1023, 0, 1024, false },
	{ "capture ring exactly full", true, 1024, 0, 1024, true },
	{ "capture overwritten", true, 3000, 0, 1024, true },
	{ "capture far positions", true, T40 + 1023, T40, 1024, false },
};

static void test_xrun(void)
{
	for (size_t i = 0; i < N(xrun_rows); i++) {
		bool got = ringpcm_is_xrun(xrun_rows[i].capture, xrun_rows[i].hw,
					   xrun_rows[i].appl, xrun_rows[i].buffer);

		snprintf(name, sizeof(name), "xrun: %s", xrun_rows[i].what);
		unit_check(got == xrun_rows[i].xrun, name, "got %d, want %d", got,
			   xrun_rows[i].xrun);
	}
}

/* ---- what a state says to a transfer ------------------------------------ */

static const struct {
	__u32 state;
	int error;
} state_rows[] = {
	{ RINGPCM_STATE_OPEN, 0 },
	{ RINGPCM_STATE_SETUP, 0 },
	{ RINGPCM_STATE_PREPARED, 0 },
	{ RINGPCM_STATE_RUNNING, 0 },
	{ RINGPCM_STATE_XRUN, -EPIPE },
	{ RINGPCM_STATE_DRAINING, 0 },
	{ RINGPCM_STATE_PAUSED, 0 },
	{ RINGPCM_STATE_DISCONNECTED, -ENODEV },
	{ RINGPCM_STATE_SUSPENDED, -ESTRPIPE },
	{ 99, 0 },
};

static void test_state_error(void)
{
	for (size_t i = 0; i < N(state_rows); i++) {
		int got = ringpcm_state_error(state_rows[i].state);

		snprintf(name, sizeof(name), "state error: state %u", state_rows[i].state);
		unit_check(got == state_rows[i].error, name, "got %d, want %d", got,
			   state_rows[i].error);
	}
}

/* ---- laps the position register could not show ------------------------ */

static const struct {
	const char *what;
	__u64 irq_ptr, hw, elapsed;
	__u32 period, buffer;
	__u64 laps;
} lap_rows[] = {
	{ "one period, on time", 0, 1024, 1024, 1024, 4096, 0 },
	{ "several periods in one burst", 1024, 4000, 3000, 1024, 4096, 0 },
	{ "irq read mid-period, next irq", 1500, 2100, 600, 1024, 4096, 0 },
	{ "irq right after the previous read", 2100, 2100, 40, 1024, 4096, 0 },
	{ "short of a period, under half a buffer", 0, 100, 2048, 1024, 4096, 0 },
	{ "a whole lap: position unchanged", 0, 0, 4096, 1024, 4096, 1 },
	{ "two laps of a small ring in one burst", 512, 512, 1024, 256, 512, 2 },
	{ "lap plus a little, stalled CPU", 4096, 4296, 4800, 1024, 4096, 1 },
	{ "lap with a slow clock still counts one", 0, 0, 2100, 1024, 4096, 1 },
	{ "three laps, time says so", 0, 100, 12400, 1024, 4096, 3 },
	{ "far positions", T40 + 512, T40 + 512, 1024, 256, 512, 2 },
	/* a 2-period ring: interrupts early, late and jittered are no laps */
	{ "2 periods: early irq, a little late", 0, 1000, 1100, 1024, 2048, 0 },
	{ "2 periods: early irq, jittered by half a period", 1024, 2040, 1536, 1024, 2048, 0 },
	{ "2 periods: irq right on time", 0, 1024, 1024, 1024, 2048, 0 },
	{ "2 periods: late irq, position past the end", 0, 1100, 1300, 1024, 2048, 0 },
	{ "2 periods: a real lap, position a little short", 0, 1000, 3100, 1024, 2048, 1 },
	{ "2 periods: position unchanged after a lap", 2048, 2048, 2048, 1024, 2048, 1 },
	{ "2 periods: time too short for a lap", 0, 0, 1000, 1024, 2048, 0 },
};

static void test_lost_laps(void)
{
	for (size_t i = 0; i < N(lap_rows); i++) {
		__u64 got = ringpcm_lost_laps(lap_rows[i].irq_ptr, lap_rows[i].hw,
					      lap_rows[i].elapsed, lap_rows[i].period,
					      lap_rows[i].buffer);

		snprintf(name, sizeof(name), "lost laps: %s", lap_rows[i].what);
		unit_check(got == lap_rows[i].laps, name, "got %llu, want %llu",
			   (unsigned long long)got, (unsigned long long)lap_rows[i].laps);
	}
}

/* ---- where a drain stops -------------------------------------------- */

static const struct {
	const char *what;
	__u64 appl;
	__u32 tail, period;
	__u64 end;
} drain_rows[] = {
	{ "no tail, on a period end: stops at appl_ptr", 4096, 0, 1024, 4096 },
	{ "no tail, mid-period: on to the period end", 4000, 0, 1024, 4096 },
	{ "tail within the period", 3000, 500, 1024, 4096 },
	{ "tail ending exactly on a period end", 3000, 1096, 1024, 4096 },
	{ "tail crossing into the next period", 4000, 200, 1024, 5120 },
	{ "tail of several periods", 144000, 12288, 1024, 156672 },
	{ "odd period size", 1000, 10, 441, 1323 },
	{ "far positions", T40 + 1, 255, 256, T40 + 256 },
};

static void test_drain_end(void)
{
	for (size_t i = 0; i < N(drain_rows); i++) {
		__u64 got = ringpcm_drain_end(drain_rows[i].appl, drain_rows[i].tail,
					      drain_rows[i].period);

		snprintf(name, sizeof(name), "drain end: %s", drain_rows[i].what);
		unit_check(got == drain_rows[i].end, name, "got %llu, want %llu",
			   (unsigned long long)got, (unsigned long long)drain_rows[i].end);
	}
}

/* ---- appl_ptr validity ---------------------------------------------- */

static const struct {
	const char *what;
	bool capture;
	__u64 hw, old_appl, new_appl;
	__u32 buffer;
	bool valid;
} appl_rows[] = {
	{ "playback backwards", false, 0, 100, 99, 1024, false },
	{ "playback unchanged", false, 0, 100, 100, 1024, true },
	{ "playback fill the ring", false, 0, 0, 1024, 1024, true },
	{ "playback one beyond the ring", false, 0, 0, 1025, 1024, false },
	{ "playback full ring later", false, 5000, 5500, 6024, 1024, true },
	{ "playback one beyond later", false, 5000, 5500, 6025, 1024, false },
	{ "playback behind hw_ptr (underrun)", false, 5000, 4000, 4500, 1024, true },
	{ "playback far positions", false, T40, T40, T40 + 1024, 1024, true },
	{ "capture backwards", true, 1000, 100, 50, 1024, false },
	{ "capture up to hw_ptr", true, 1000, 100, 1000, 1024, true },
	{ "capture beyond hw_ptr", true, 1000, 100, 1001, 1024, false },
	{ "capture partial", true, 1000, 100, 500, 1024, true },
	{ "capture far positions", true, T40 + 10, T40, T40 + 11, 1024, false },
};

static void test_appl_valid(void)
{
	for (size_t i = 0; i < N(appl_rows); i++) {
		bool got = ringpcm_appl_ptr_valid(appl_rows[i].capture, appl_rows[i].hw,
						  appl_rows[i].old_appl, appl_rows[i].new_appl,
						  appl_rows[i].buffer);

		snprintf(name, sizeof(name), "appl_ptr valid: %s", appl_rows[i].what);
		unit_check(got == appl_rows[i].valid, name, "got %d, want %d", got,
			   appl_rows[i].valid);
	}
}

/* ---- advance (LPIB -> free-running hw_ptr) -------------------------- */

static const struct {
	const char *what;
	__u64 hw;
	__u32 lpib, frame_bytes, buffer;
	__u64 want;
} advance_rows[] = {
	{ "no movement", 0, 0, 4, 1000, 0 },
	{ "forward in the ring", 0, 400, 4, 1000, 100 },
	{ "forward from mid ring", 250, 2000, 4, 1000, 500 },
	{ "wrap past the ring end", 900, 40, 4, 1000, 1010 },
	{ "LPIB equal to CBL is offset 0", 900, 4000, 4, 1000, 1000 },
	{ "LPIB inside a frame rounds down", 0, 403, 4, 1000, 100 },
	{ "LPIB beyond CBL counts as 0", 500, 20000, 4, 1000, 1000 },
	{ "hw_ptr on a ring multiple", 5000, 0, 4, 1000, 5000 },
	{ "far positions wrap", T40 + 1000, 96, 4, 1024, T40 + 1048 },
	{ "6-byte frames", 7, 60, 6, 16, 10 },
	{ "almost a whole ring", 1, 0, 4, 1000, 1000 },
};

static void test_advance(void)
{
	for (size_t i = 0; i < N(advance_rows); i++) {
		__u64 got = ringpcm_advance(advance_rows[i].hw, advance_rows[i].lpib,
					    advance_rows[i].frame_bytes, advance_rows[i].buffer);

		snprintf(name, sizeof(name), "advance: %s", advance_rows[i].what);
		unit_check(got == advance_rows[i].want, name, "got %llu, want %llu",
			   (unsigned long long)got, (unsigned long long)advance_rows[i].want);
	}
}

/* ---- position methods (ring offset, FIFO lag, VIA) -------------------- */

static const struct {
	const char *what;
	__u32 reg, start_off, ring;
	__u32 want;
} offset_rows[] = {
	{ "register mid ring", 400, 0, 4000, 400 },
	{ "register at CBL: the ring end is offset 0", 4000, 0, 4000, 0 },
	{ "rotated list", 400, 3800, 4000, 200 },
	{ "rotated list, register at CBL", 4000, 1200, 4000, 1200 },
	{ "bogus register beyond CBL (all ones)", 0xffffffffu, 1200, 4000, 1200 },
	{ "1 GiB ring, rotated: no 32-bit overflow", 0x3fffff00u, 0x3fffff00u, 0x40000000u,
	  0x3ffffe00u },
};

static void test_ring_offset(void)
{
	for (size_t i = 0; i < N(offset_rows); i++) {
		__u32 got = ringpcm_ring_offset(offset_rows[i].reg, offset_rows[i].start_off,
						offset_rows[i].ring);

		snprintf(name, sizeof(name), "ring offset: %s", offset_rows[i].what);
		unit_check(got == offset_rows[i].want, name, "got %u, want %u", got,
			   offset_rows[i].want);
	}
}

static const struct {
	const char *what;
	__u64 dma, hw;
	__u32 lag;
	__u64 want;
} written_rows[] = {
	{ "no lag: the position as read", 1000, 900, 0, 1000 },
	{ "start: the engine inside its FIFO, nothing written", 20, 0, 32, 0 },
	{ "start: the engine exactly one FIFO in", 32, 0, 32, 0 },
	{ "FIFO-ahead: a period read, 32 frames held back", 1024, 0, 32, 992 },
	{ "LPIB jitter never moves hw_ptr back", 1000, 980, 32, 980 },
	{ "far positions", T40 + 1024, T40, 32, T40 + 992 },
};

static void test_written_ptr(void)
{
	for (size_t i = 0; i < N(written_rows); i++) {
		__u64 got = ringpcm_written_ptr(written_rows[i].dma, written_rows[i].lag,
						written_rows[i].hw);

		snprintf(name, sizeof(name), "written ptr: %s", written_rows[i].what);
		unit_check(got == written_rows[i].want, name, "got %llu, want %llu",
			   (unsigned long long)got, (unsigned long long)written_rows[i].want);
	}
}

/*
 * What the driver does with a position at an interrupt (pcm-stream.c's
 * update_position_locked and count_lost_laps_locked): the engine's position
 * advanced from the register, laps counted from time on it, then the CPU's
 * capture position held back by the FIFO.
 */
struct drv_pos {
	__u64 dma, hw, laps;
};

static void drv_irq(struct drv_pos *p, __u64 irq_ptr, __u32 reg, __u64 elapsed, __u32 fb,
		    __u32 period, __u32 buffer, __u32 lag)
{
	__u64 laps;

	p->dma = ringpcm_advance(p->dma, ringpcm_ring_offset(reg, 0, buffer * fb), fb, buffer);
	laps = ringpcm_lost_laps(irq_ptr, p->dma, elapsed, period, buffer);
	p->dma += laps * buffer;
	p->laps += laps;
	p->hw = ringpcm_written_ptr(p->dma, lag, p->hw);
}

/* A 2-period ring of 1024-frame periods, 4-byte frames, AMD's 32-frame lag. */
static const struct {
	const char *what;
	__u64 irq_ptr, hw;	/* dma_ptr and hw_ptr of the previous interrupt */
	__u32 reg;		/* LPIB at this one, bytes */
	__u64 elapsed;		/* frames of time since the previous one */
	__u64 want_hw, want_laps;
} irq_rows[] = {
	{ "first irq on time", 0, 0, 4096, 1024, 992, 0 },
	{ "early irq: LPIB 8 frames short of the period end", 0, 0, 4064, 1000, 984, 0 },
	{ "late irq: LPIB past the period end", 0, 0, 4400, 1100, 1068, 0 },
	{ "jittered: early irq handled half a period late", 1024, 992, 8160, 1536, 2008, 0 },
	{ "LPIB reads CBL at the ring end", 1024, 992, 8192, 1024, 2016, 0 },
	{ "wrap: LPIB past the ring end", 1024, 992, 40, 1040, 2026, 0 },
	{ "a real lap lost, position a little short", 0, 0, 4000, 3100, 2048 + 1000 - 32, 1 },
	{ "position unchanged after a lap", 2048, 2016, 0, 2048, 4064, 1 },
};

static void test_irq_positions(void)
{
	for (size_t i = 0; i < N(irq_rows); i++) {
		struct drv_pos p = { .dma = irq_rows[i].irq_ptr, .hw = irq_rows[i].hw };

		drv_irq(&p, irq_rows[i].irq_ptr, irq_rows[i].reg, irq_rows[i].elapsed, 4, 1024,
			2048, 32);
		snprintf(name, sizeof(name), "FIFO capture at irq: %s", irq_rows[i].what);
		unit_check(p.hw == irq_rows[i].want_hw && p.laps == irq_rows[i].want_laps, name,
			   "got hw %llu laps %llu, want %llu %llu", (unsigned long long)p.hw,
			   (unsigned long long)p.laps, (unsigned long long)irq_rows[i].want_hw,
			   (unsigned long long)irq_rows[i].want_laps);
	}
}

/* A 4-period ring of 4096-byte periods, a 64-byte FIFO. */
static const struct {
	const char *what;
	__u32 link, posbuf;
	bool at_start;
	__u32 want;
} via_rows[] = {
	{ "QEMU-like: the position buffer equals LPIB", 5000, 5000, false, 5000 },
	{ "well inside a period: offset from the buffer", 6000, 5950, false, 5950 },
	{ "LPIB just past a period end, buffer behind it", 4116, 4070, false, 4070 },
	{ "LPIB just past a period end, buffer there too", 4116, 4100, false, 4100 },
	{ "start: LPIB still inside the FIFO", 40, 0, true, 0 },
	{ "after a lap: LPIB in the FIFO past the ring end", 20, 16380, false, 16380 },
	{ "after a lap: the buffer wrapped too", 20, 8, false, 8 },
	{ "LPIB reads CBL", 16384, 16376, false, 16376 },
	{ "buffer a period behind: never ahead of LPIB", 6000, 1990, false, 5936 },
};

static void test_via_big_fifo(void)
{
	__u32 got = ringpcm_via_capture_pos(4116, 4100, 4096, 4096, 16384, false);

	unit_check(got == 20, "VIA capture: a FIFO as large as a period: LPIB less the FIFO",
		   "got %u, want 20", got);
}

static void test_via(void)
{
	for (size_t i = 0; i < N(via_rows); i++) {
		__u32 got = ringpcm_via_capture_pos(via_rows[i].link, via_rows[i].posbuf, 64, 4096,
						    16384, via_rows[i].at_start);

		snprintf(name, sizeof(name), "VIA capture: %s", via_rows[i].what);
		unit_check(got == via_rows[i].want, name, "got %u, want %u", got, via_rows[i].want);
	}
}

/* ---- split ---------------------------------------------------------- */

static const struct {
	const char *what;
	__u64 from, to;
	__u32 frame_bytes, buffer;
	unsigned int n;
	__u64 off0, bytes0, off1, bytes1;
} split_rows[] = {
	{ "empty range", 10, 10, 4, 1000, 0, 0, 0, 0, 0 },
	{ "reversed range", 20, 10, 4, 1000, 0, 0, 0, 0, 0 },
	{ "inside the ring", 0, 100, 4, 1000, 1, 0, 400, 0, 0 },
	{ "up to the ring end", 900, 1000, 4, 1000, 1, 3600, 400, 0, 0 },
	{ "across the ring end", 900, 1100, 4, 1000, 2, 3600, 400, 0, 400 },
	{ "whole ring aligned", 0, 1000, 4, 1000, 1, 0, 4000, 0, 0 },
	{ "whole ring unaligned", 500, 1500, 4, 1000, 2, 2000, 2000, 0, 2000 },
	{ "more than a ring keeps the last ring", 0, 2500, 4, 1000, 2, 2000, 2000, 0, 2000 },
	{ "far positions", T40 + 1020, T40 + 1030, 2, 1024, 2, 2040, 8, 0, 12 },
};

static void test_split(void)
{
	for (size_t i = 0; i < N(split_rows); i++) {
		struct ringpcm_span s;
		unsigned int n;

		memset(&s, 0xa5, sizeof(s));
		n = ringpcm_split(split_rows[i].from, split_rows[i].to,
				  split_rows[i].frame_bytes, split_rows[i].buffer, &s);
		snprintf(name, sizeof(name), "split: %s", split_rows[i].what);
		unit_check(n == split_rows[i].n && s.offset[0] == split_rows[i].off0 &&
			   s.bytes[0] == split_rows[i].bytes0 && s.offset[1] == split_rows[i].off1 &&
			   s.bytes[1] == split_rows[i].bytes1, name,
			   "got %u spans {%llu+%llu, %llu+%llu}", n,
			   (unsigned long long)s.offset[0], (unsigned long long)s.bytes[0],
			   (unsigned long long)s.offset[1], (unsigned long long)s.bytes[1]);
	}
}

/* ---- next_cut and the BDL it implies -------------------------------- */

static const struct {
	const char *what;
	__u64 pos, period, seg_end, max_entry, want;
} cut_rows[] = {
	{ "period end inside the segment", 0, 4096, 65536, 1u << 20, 4096 },
	{ "from mid period", 1000, 4096, 65536, 1u << 20, 4096 },
	{ "from a period boundary", 4096, 4096, 65536, 1u << 20, 8192 },
	{ "segment ends first", 0, 4096, 3000, 1u << 20, 3000 },
	{ "segment and period end together", 4096, 4096, 8192, 1u << 20, 8192 },
	{ "entry size limit", 0, 65536, 65536, 16384, 16384 },
	{ "entry size limit from mid period", 60000, 65536, 1u << 20, 1000, 61000 },
	{ "limit larger than the cut", 0, 4096, 65536, 4096, 4096 },
};

static void test_next_cut(void)
{
	for (size_t i = 0; i < N(cut_rows); i++) {
		__u64 got = ringpcm_next_cut(cut_rows[i].pos, cut_rows[i].period,
					     cut_rows[i].seg_end, cut_rows[i].max_entry);

		snprintf(name, sizeof(name), "next_cut: %s", cut_rows[i].what);
		unit_check(got == cut_rows[i].want, name, "got %llu, want %llu",
			   (unsigned long long)got, (unsigned long long)cut_rows[i].want);
	}
}

/* Entries for a ring made of segments of the given sizes (the driver's walk). */
static unsigned int bdl_entries(const __u64 *segs, unsigned int nsegs, __u64 period,
				__u64 max_entry)
{
	unsigned int entries = 0;
	__u64 pos = 0, end = 0;

	for (unsigned int i = 0; i < nsegs; i++) {
		end += segs[i];
		while (pos < end) {
			pos = ringpcm_next_cut(pos, period, end, max_entry);
			entries++;
		}
	}
	return entries;
}

static void test_bdl_layouts(void)
{
	static const __u64 one[] = { 16384 };
	static const __u64 split_mid[] = { 6000, 10384 };
	static const __u64 pages[] = { 4096, 4096, 4096, 4096, 4096, 4096 };
	static const struct {
		const char *what;
		const __u64 *segs;
		unsigned int nsegs;
		__u64 period, max_entry;
		unsigned int want;
	} rows[] = {
		{ "one segment, 4 periods", one, 1, 4096, 1u << 20, 4 },
		{ "segment boundary mid period adds one", split_mid, 2, 4096, 1u << 20, 5 },
		{ "scattered pages, 1.5-page periods", pages, 6, 6144, 1u << 20, 8 },
		{ "scattered pages, page periods", pages, 6, 4096, 1u << 20, 6 },
		{ "one segment, entries capped at 1 KiB", one, 1, 8192, 1024, 16 },
	};

	for (size_t i = 0; i < N(rows); i++) {
		unsigned int got = bdl_entries(rows[i].segs, rows[i].nsegs, rows[i].period,
					       rows[i].max_entry);

		snprintf(name, sizeof(name), "bdl layout: %s", rows[i].what);
		unit_check(got == rows[i].want, name, "got %u entries, want %u", got, rows[i].want);
	}
}

/* ---- entry_end: a part's BDL entry boundary (CTHDA: 4 KiB) ----------- */

static const struct {
	const char *what;
	__u64 pos, addr, period, seg_end, boundary, want;
} end_rows[] = {
	{ "no boundary: the period end", 0, 0x10000, 16384, 65536, 0, 16384 },
	{ "4K: a page from a page start", 0, 0x10000, 16384, 65536, 4096, 4096 },
	{ "4K: from 128 bytes into a page, to its end", 0, 0x10080, 16384, 65536, 4096, 3968 },
	{ "4K: the period ends inside the page", 0, 0x10000, 1024, 65536, 4096, 1024 },
	{ "4K: the segment ends inside the page", 0, 0x10000, 16384, 2048, 4096, 2048 },
	{ "4K: mid ring, ring offset and address disagree", 8192, 0x7f00, 16384, 65536, 4096,
	  8192 + 256 },
	{ "4K: the last 128 bytes of a page", 3968, 0x10f80, 16384, 65536, 4096, 4096 },
};

static void test_entry_end(void)
{
	for (size_t i = 0; i < N(end_rows); i++) {
		__u64 got = ringpcm_entry_end(end_rows[i].pos, end_rows[i].addr, end_rows[i].period,
					      end_rows[i].seg_end, end_rows[i].boundary);

		snprintf(name, sizeof(name), "entry_end: %s", end_rows[i].what);
		unit_check(got == end_rows[i].want, name, "got %llu, want %llu",
			   (unsigned long long)got, (unsigned long long)end_rows[i].want);
	}
}

struct seg {
	__u64 addr, len;
};

#define BDL_REFUSED	(-1)	/* ring-dma.c's -E2BIG */

/*
 * Entries for a ring made of DMA segments, walked as ring_add_segment()
 * does: BDL_REFUSED when an entry would start unaligned or more than 256
 * are needed.  Every entry is checked against the boundary on the way.
 */
static int bdl_entries_at(const struct seg *segs, unsigned int nsegs, __u64 period,
			  __u64 boundary, const char **why)
{
	int entries = 0;
	__u64 pos = 0, end = 0;

	*why = NULL;
	for (unsigned int i = 0; i < nsegs; i++) {
		__u64 base = pos;

		end += segs[i].len;
		while (pos < end) {
			__u64 addr = segs[i].addr + (pos - base);
			__u64 cut = ringpcm_entry_end(pos, addr, period, end, boundary);

			if (entries == 256 || !ringpcm_entry_aligned(addr))
				return BDL_REFUSED;
			if (boundary && addr / boundary != (addr + cut - pos - 1) / boundary)
				*why = "an entry crosses the boundary";
			pos = cut;
			entries++;
		}
	}
	return entries;
}

static void test_bdl_boundary_layouts(void)
{
	static const struct seg page16k[] = { { 0x10000, 16384 } };
	static const struct seg off128[] = { { 0x10080, 16384 } };
	static const struct seg scattered[] = { { 0x5000, 4096 }, { 0x9000, 8192 } };
	static const struct seg mib[] = { { 0x100000, 1 << 20 } };
	static const struct seg mib_4k[] = { { 0x100000, (1 << 20) + 4096 } };
	static const struct seg mib_off[] = { { 0x100080, 1 << 20 } };
	static const struct seg page4k[] = { { 0x10000, 4096 } };
	static const struct {
		const char *what;
		const struct seg *segs;
		unsigned int nsegs;
		__u64 period, boundary;
		int want;
	} rows[] = {
		{ "no boundary: 16 KiB, 8 KiB periods", page16k, 1, 8192, 0, 2 },
		{ "4K: 16 KiB, 8 KiB periods, a page each", page16k, 1, 8192, 4096, 4 },
		{ "4K: 16 KiB from 128 bytes into a page", off128, 1, 8192, 4096, 6 },
		{ "4K: scattered pages", scattered, 2, 4096, 4096, 3 },
		{ "no boundary: 1 MiB, 64 KiB periods", mib, 1, 65536, 0, 16 },
		{ "4K: 1 MiB in 4 KiB entries: exactly 256", mib, 1, 65536, 4096, 256 },
		{ "4K: 1 MiB + 4 KiB needs 257: refused", mib_4k, 1, 4096, 4096, BDL_REFUSED },
		{ "no boundary: 257 periods are refused too", mib_4k, 1, 4096, 0, BDL_REFUSED },
		{ "4K: 1 MiB from 128 bytes into a page, 17 per period: refused", mib_off, 1, 65536,
		  4096, BDL_REFUSED },
		{ "no boundary: the same ring, 16 entries", mib_off, 1, 65536, 0, 16 },
		{ "128-byte rule: 1000-byte periods start unaligned: refused", page4k, 1, 1000, 0,
		  BDL_REFUSED },
		{ "128-byte rule: 1024-byte periods", page4k, 1, 1024, 4096, 4 },
	};

	for (size_t i = 0; i < N(rows); i++) {
		const char *why;
		int got = bdl_entries_at(rows[i].segs, rows[i].nsegs, rows[i].period,
					 rows[i].boundary, &why);

		snprintf(name, sizeof(name), "bdl layout: %s", rows[i].what);
		unit_check(got == rows[i].want && !why, name, "got %d entries, want %d%s%s", got,
			   rows[i].want, why ? ": " : "", why ? why : "");
	}
}

/* ---- randomised properties (fixed seed: reproducible) --------------- */

static __u64 rng_state = 0x9e3779b97f4a7c15ull;

static __u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *prop_advance(void)
{
	for (int i = 0; i < 100000; i++) {
		__u32 buffer = 1 + rnd() % 100000, fb = 1 + rnd() % 16;
		__u64 hw = rnd() >> 2, delta = rnd() % buffer;
		__u32 lpib = (__u32)(((hw + delta) % buffer) * fb + rnd() % fb);

		if (ringpcm_advance(hw, lpib, fb, buffer) != hw + delta)
			return "advance did not return hw_ptr + the engine's progress";
	}
	return NULL;
}

static const char *prop_split(void)
{
	for (int i = 0; i < 100000; i++) {
		__u32 buffer = 1 + rnd() % 5000, fb = 1 + rnd() % 8;
		__u64 from = rnd() >> 3, to = from + rnd() % (3 * buffer);
		__u64 frames = to - from < buffer ? to - from : buffer;
		struct ringpcm_span s;
		unsigned int n = ringpcm_split(from, to, fb, buffer, &s);
		__u64 ring = (__u64)buffer * fb;

		if (s.bytes[0] + s.bytes[1] != frames * fb)
			return "spans do not cover min(to - from, buffer) frames";
		if (n && (s.offset[0] + s.bytes[0] > ring || s.offset[1] + s.bytes[1] > ring))
			return "a span leaves the ring";
		if (n && (s.offset[n - 1] + s.bytes[n - 1]) % ring != (to % buffer) * fb)
			return "the last span does not end at to";
		if (n == 2 && (s.offset[1] != 0 || s.offset[0] + s.bytes[0] != ring))
			return "a two-span split is not [start, end) + [0, rest)";
	}
	return NULL;
}

static const char *prop_bdl(void)
{
	for (int i = 0; i < 20000; i++) {
		__u64 period = 4 * (1 + rnd() % 4096), max_entry = 128 * (1 + rnd() % 512);
		__u64 ring = period * (2 + rnd() % 32), pos = 0, seg_end = 0;

		while (pos < ring) {
			__u64 cut;

			if (pos == seg_end)
				seg_end += 1 + rnd() % ring;
			if (seg_end > ring)
				seg_end = ring;
			cut = ringpcm_next_cut(pos, period, seg_end, max_entry);
			if (cut <= pos || cut > seg_end || cut - pos > max_entry)
				return "a cut does not move forward within the segment and limit";
			if (cut / period != pos / period && cut % period)
				return "an entry crosses a period end";
			pos = cut;
		}
	}
	return NULL;
}

static const char *prop_bdle_boundary(void)
{
	for (int i = 0; i < 20000; i++) {
		__u64 period = 128 * (1 + rnd() % 256), boundary = 4096ull << (rnd() % 3);
		__u64 ring = period * (2 + rnd() % 16), pos = 0;
		__u64 addr = 128 * (rnd() % (1 << 20));

		while (pos < ring) {
			__u64 cut = ringpcm_entry_end(pos, addr + pos, period, ring, boundary);

			if (cut <= pos || cut > ring)
				return "a cut does not move forward within the ring";
			if ((addr + pos) / boundary != (addr + cut - 1) / boundary)
				return "an entry crosses the boundary";
			if (cut / period != pos / period && cut % period)
				return "an entry crosses a period end";
			if (!ringpcm_entry_aligned(addr + cut))
				return "an aligned ring in 128-byte periods got an unaligned entry";
			pos = cut;
		}
	}
	return NULL;
}

static const char *prop_xrun_vs_avail(void)
{
	for (int i = 0; i < 100000; i++) {
		__u32 buffer = 2 + rnd() % 100000;
		__u64 hw = rnd() >> 2;
		bool capture = rnd() & 1;
		/*
		 * Reachable states: playback appl_ptr within two rings either side
		 * of hw_ptr; capture appl_ptr never beyond hw_ptr (COMMIT refuses it).
		 */
		__u64 appl = capture ? hw - rnd() % (3 * (__u64)buffer)
				     : hw + (rnd() % (4 * (__u64)buffer)) - 2 * (__u64)buffer;
		__s64 avail = ringpcm_avail(capture, hw, appl, buffer);

		if (ringpcm_is_xrun(capture, hw, appl, buffer) != (avail >= (__s64)buffer))
			return "xrun is not exactly avail >= buffer (ALSA's stop threshold)";
	}
	return NULL;
}

/*
 * The ownership invariant under a FIFO-ahead position: a device writes
 * memory up to W (free-running frames) while its LPIB shows up to 32 frames
 * more (what sits in its FIFO), read mid-frame, as CBL at the ring end, with
 * any progress below one ring between reads.  The CPU's capture position
 * must never pass W, and must be exactly LPIB less the lag (no frame held
 * back longer than the FIFO needs).
 */
static const char *prop_fifo_ownership(void)
{
	for (int t = 0; t < 2000; t++) {
		__u32 buffer = 128 + rnd() % 20000, fb = 1u << (1 + rnd() % 3);
		__u64 engine = 0, written = 0, dma = 0, hw = 0, want;

		for (int i = 0; i < 200; i++) {
			__u32 pos = (__u32)(engine % buffer), reg;
			__u64 w;

			engine += rnd() % (buffer - 64);
			w = engine - rnd() % 33;
			written = w > written ? w : written;
			pos = (__u32)(engine % buffer);
			reg = pos * fb + (__u32)(rnd() % fb);
			if (!pos && (rnd() & 1))
				reg = buffer * fb;	/* CBL, an instant before wrapping */
			dma = ringpcm_advance(dma, ringpcm_ring_offset(reg, 0, buffer * fb), fb,
					      buffer);
			hw = ringpcm_written_ptr(dma, 32, hw);
			if (hw > written)
				return "a capture frame went to the CPU before the device wrote it";
			want = engine > 32 ? engine - 32 : 0;
			if (dma != engine || hw != want)
				return "the position lost track of the engine or held back too much";
		}
	}
	return NULL;
}

/* VIA: whatever the buffer says, never past LPIB (FIFO under half the ring). */
static const char *prop_via_not_ahead(void)
{
	for (int i = 0; i < 100000; i++) {
		__u32 period = 128 * (1 + rnd() % 64), ring = period * (2 + rnd() % 16);
		__u32 fifo = rnd() % (ring / 2), link = rnd() % (ring + 1), posbuf = rnd() % ring;
		__u32 pos = ringpcm_via_capture_pos(link, posbuf, fifo, period, ring, rnd() & 1);

		if (pos >= ring)
			return "a position outside the ring";
		if ((link % ring + ring - pos) % ring > ring / 2)
			return "a position ahead of LPIB";
	}
	return NULL;
}

static void test_properties(void)
{
	static const struct {
		const char *what;
		const char *(*fn)(void);
	} props[] = {
		{ "property: advance recovers any progress below one ring", prop_advance },
		{ "property: split covers the range inside the ring", prop_split },
		{ "property: BDL cuts respect periods, segments and the entry limit", prop_bdl },
		{ "property: BDL entries never cross the part's boundary", prop_bdle_boundary },
		{ "property: xrun iff avail reaches the buffer", prop_xrun_vs_avail },
		{ "property: FIFO-ahead capture: no byte to the CPU before it is written",
		  prop_fifo_ownership },
		{ "property: VIA's capture position is never ahead of LPIB", prop_via_not_ahead },
	};

	for (size_t i = 0; i < N(props); i++) {
		const char *why = props[i].fn();

		unit_check(!why, props[i].what, "%s", why ? why : "");
	}
}

int main(void)
{
	test_avail();
	test_xrun();
	test_state_error();
	test_lost_laps();
	test_drain_end();
	test_appl_valid();
	test_advance();
	test_ring_offset();
	test_written_ptr();
	test_irq_positions();
	test_via();
	test_via_big_fifo();
	test_split();
	test_next_cut();
	test_bdl_layouts();
	test_entry_end();
	test_bdl_boundary_layouts();
	test_properties();
	return unit_exit("test-math");
}
