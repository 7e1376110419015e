/* SPDX-License-Identifier: MIT */
/*
 * Buffer planning for the RingPCM host API: from PortAudio's request
 * (rate, framesPerBuffer, suggested latencies) and the device's limits to a
 * period size, a number of periods per ring and the latencies to report.
 * Pure arithmetic, no PortAudio or driver calls: unit-tested on the host
 * (portaudio-hostapi/test/plan-test.c).
 *
 * Latency model (what a loopback measures, see pa_ringpcm_stream.c), with
 * F = frames the device holds beyond its DMA position (info.fifo_bytes:
 * controller FIFO, codec buffer):
 *  - output: the callback fills the ring whenever a period is free, so the
 *    first frame it writes is heard (periods - 1) periods + F later;
 *  - input: frames reach the callback when their period completes, so the
 *    first frame of a buffer was captured one period + F earlier.
 * Safety: a device may move up to F frames in one burst (QEMU's codec does
 * after a host stall), and a burst longer than the ring makes the DMA
 * position alias (a capture ring of 4 KiB never moved on QEMU).  So every
 * ring holds at least F + 2 periods, whatever latency is asked for.
  */
#ifndef PA_RINGPCM_PLAN_H
#define PA_RINGPCM_PLAN_H

#include <stdbool.h>
#include <stdint.h>

enum { RP_OUT = 0, RP_IN = 1 };		/* same values as RINGPCM_DIR_* */

/* One direction's device limits, in bytes as the driver states them. */
struct rp_limits {
	bool present;
	uint32_t frame_bytes;
	uint32_t period_bytes_min;
	uint32_t period_bytes_max;
	uint32_t period_bytes_step;	/* 0 or 1: any */
	uint32_t periods_min;
	uint32_t periods_max;
	uint64_t buffer_bytes_max;
	uint32_t fifo_frames;		/* F above: info.fifo_bytes in frames */
};

struct rp_request {
	double rate;
	unsigned long user_frames;	/* 0: paFramesPerBufferUnspecified */
	double latency[2];		/* suggested, seconds, per direction */
	int periods;			/* forced number of periods, 0: auto */
	unsigned long period_frames;	/* forced period, 0: auto */
};

struct rp_plan {
	uint32_t period;		/* frames, same for both directions */
	uint32_t periods[2];
	bool fixed;			/* user buffers divide the period exactly */
	double latency[2];		/* seconds, with F, without the buffer processor's */
};

/* 0, or -EINVAL when no period satisfies both directions' limits. */
int rp_plan_buffers(const struct rp_request *req, const struct rp_limits lim[2],
		    struct rp_plan *plan);

/* Default device latencies (seconds) for the device info. */
void rp_default_latencies(const struct rp_limits *lim, bool input, double rate,
			  double *low, double *high);

#endif /* PA_RINGPCM_PLAN_H */
