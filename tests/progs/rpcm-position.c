// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-position: how many captured frames the device had written to the
 * ring beyond the position the driver handed to the CPU.  The ring is the
 * application's own memory, so the program fills it with a pattern no
 * capture writes, starts, pauses (the engine stops, the driver reads its
 * position once more) and counts the frames after hw_ptr that no longer
 * hold the pattern.  With LPIB or the position buffer on QEMU that is 0: its
 * position registers are exact.  With the FIFO method (position=2) it is
 * what the driver holds back for a FIFO QEMU does not have: the capture
 * delay the method adds.  Several pause/resume rounds in the first lap.
 *
 *   rpcm-position
 *
 * Prints "INFO position: ..." with the frames written beyond hw_ptr in each
 * round, and PASS/FAIL lines for the run itself.  Needs the ring mapped
 * once (not swiotlb's bounce buffers, not the copy mode).
 */
#include <string.h>

#include "prog-lib.h"

#define RATE	48000
#define CH	2
#define PERIOD	1024
#define PERIODS	32	/* 680 ms: the rounds stay in the first lap */
#define ROUNDS	4
#define FILL	0x55	/* 0x5555 samples: the loopback's silence is 0 */

static bool intact(const uint8_t *frame, uint32_t fb)
{
	for (uint32_t i = 0; i < fb; i++)
		if (frame[i] != FILL)
			return false;
	return true;
}

/* Frames from @from on that the device overwrote, up to the first intact one. */
static uint32_t written_beyond(const uint8_t *ring, uint64_t from, uint32_t fb, uint32_t frames)
{
	uint32_t n = 0;

	while (from + n < frames && !intact(ring + (from + n) * fb, fb))
		n++;
	return n;
}

int main(void)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	uint32_t beyond[ROUNDS], n = 0, fb = CH * 2;
	struct ringpcm_status st;
	struct rpcm *pcm = NULL;
	uint8_t *ring;
	int err;

	pu_group = "position";
	err = pu_lib_prepared(&pcm, RINGPCM_DIR_CAPTURE, 0, &p, RPCM_RING_ANON);
	if (!CHECK(!err, "capture set up", "%s", pu_err(err)))
		return unit_exit("rpcm-position");
	if (!(rpcm_ring_info(pcm)->flags & RINGPCM_RING_CAN_PAUSE) ||
	    rpcm_ring_info(pcm)->dma_mode != RINGPCM_DMA_MAP_ONCE) {
		printf("INFO position: the ring cannot pause or is not mapped once\n");
		rpcm_close(pcm);
		return unit_exit("rpcm-position");
	}
	printf("INFO position: INFO fifo_bytes %u (controller FIFO and codec buffer)\n",
	       rpcm_info(pcm)->fifo_bytes);
	ring = rpcm_ring(pcm);
	memset(ring, FILL, (size_t)PERIOD * PERIODS * fb);
	err = rpcm_start(pcm);
	for (int r = 0; r < ROUNDS && !err; r++) {
		pu_sleep_ms(80);
		err = rpcm_pause(pcm, true);
		rpcm_status(pcm, &st);
		if (err || st.hw_ptr + 2 * PERIOD >= PERIOD * PERIODS)
			break;	/* a stalled guest ran near the end of the lap */
		beyond[n++] = written_beyond(ring, st.hw_ptr, fb, PERIOD * PERIODS);
		err = rpcm_pause(pcm, false);
	}
	CHECK(!err && n == ROUNDS, "pause rounds in the first lap", "%s, %u of %d rounds",
	      pu_err(err), n, ROUNDS);
	if (n) {
		printf("INFO position: frames written beyond hw_ptr when paused:");
		for (uint32_t i = 0; i < n; i++)
			printf(" %u", beyond[i]);
		printf(" (of %u rounds)\n", n);
	}
	rpcm_close(pcm);
	return unit_exit("rpcm-position");
}
