// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-irq-work: a capture period's sync or copy does not run in the hard
 * interrupt.  Per DMA mode given on the command line (map-once, copy), the
 * program captures through rpcm_read twice on the same kind of ring: with
 * small periods (1024 frames) and with large ones (1 s at the codec's highest
 * rate, 384 KB on QEMU's codec), and compares the status page's irq_ns (time
 * spent in the stream's hard interrupt) per interrupt.  With the sync in the
 * hard interrupt, a large period's interrupt carries a whole period's bounce
 * or copy (milliseconds under TCG) and costs far more than a small one's;
 * with it in the interrupt thread both are a position read and a status
 * acknowledgement.  The frames must still arrive at the sample rate (the
 * thread wakes the reader).  The ring is a huge page: 4 KiB pages bounced
 * one by one would need more BDL entries than a controller has.
 * Prints PASS/FAIL lines.
 */
#include "prog-lib.h"

#define SMALL_PERIOD	1024
#define LARGE_PERIOD_MS	1000
#define PERIODS		3
/* What TCG adds to an interrupt now and then, beyond the 2x allowed. */
#define SLACK_NS	100000

/* The highest rate the codec offers: the most bytes a second. */
static uint32_t max_rate(struct rpcm *pcm)
{
	const struct ringpcm_info *info = rpcm_info(pcm);
	uint32_t i, rate = 0;

	for (i = 0; i < info->n_rates; i++)
		rate = info->rates[i] > rate ? info->rates[i] : rate;
	return rate;
}

/* Opens, sets up and attaches a capture ring; period 0: the large one. */
static struct rpcm *attached(uint32_t mode, uint32_t period, struct ringpcm_hw_params *p)
{
	struct rpcm *pcm = NULL;
	int err = rpcm_open(&pcm, pu_card(), 0, RINGPCM_DIR_CAPTURE, 0);

	if (!err) {
		uint32_t rate = max_rate(pcm);

		*p = (struct ringpcm_hw_params){
			.format = RINGPCM_FORMAT_S16_LE, .rate = rate, .channels = 2,
			/* a multiple of 32 frames keeps the period 128-byte aligned */
			.period_frames = period ?: rate * LARGE_PERIOD_MS / 1000 / 32 * 32,
			.periods = PERIODS, .dma_mode = mode,
		};
		err = rpcm_set_params(pcm, p);
	}
	if (!err)
		err = rpcm_alloc_ring(pcm, RPCM_RING_HUGE);
	if (!err)
		err = rpcm_prepare(pcm);
	if (!CHECK(!err && rpcm_ring_info(pcm)->dma_mode == mode, "capture ring attached",
		   "%s: %s", pu_err(err), pcm ? rpcm_last_error(pcm) : "")) {
		rpcm_close(pcm);
		return NULL;
	}
	return pcm;
}

/* Captures for @seconds; returns the hard interrupt's ns per interrupt, 0 on failure. */
static uint64_t capture_irq_ns(uint32_t mode, uint32_t period, double seconds, const char *what)
{
	static int16_t buf[4096 * 2];
	char name[96];
	struct ringpcm_hw_params p;
	struct ringpcm_status a, b;
	uint64_t total, done = 0, ns;
	struct rpcm *pcm = attached(mode, period, &p);
	int err;

	if (!pcm)
		return 0;
	total = (uint64_t)(seconds * p.rate);
	err = rpcm_start(pcm);
	rpcm_status(pcm, &a);
	while (!err && done < total) {
		int64_t r = rpcm_read(pcm, buf, N(buf) / 2);

		err = r < 0 ? (int)r : 0;
		done += r > 0 ? (uint64_t)r : 0;
	}
	rpcm_status(pcm, &b);
	snprintf(name, sizeof(name), "%s: every frame read, no overrun", what);
	CHECK(!err && done >= total && b.xruns == 0 && b.hw_ptr - a.hw_ptr >= total - p.period_frames,
	      name, "%s after %llu frames, %llu xruns",
	      pu_err(err), (unsigned long long)done, (unsigned long long)b.xruns);
	ns = b.irqs ? b.irq_ns / b.irqs : 0;
	printf("INFO %s, %s: %u-frame periods at %u Hz: hard interrupt %llu ns on average over "
	       "%llu interrupts\n", pu_group, what, p.period_frames, p.rate,
	       (unsigned long long)ns, (unsigned long long)b.irqs);
	rpcm_close(pcm);
	return b.irqs >= 2 ? ns : 0;
}

static void test_mode(uint32_t mode, double seconds)
{
	uint64_t small, large;

	pu_group = rpcm_dma_mode_name(mode);
	small = capture_irq_ns(mode, SMALL_PERIOD, 1.0, "small periods");
	large = capture_irq_ns(mode, 0, seconds, "large periods");
	CHECK(small && large && large < 2 * small + SLACK_NS,
	      "a large period's hard interrupt costs what a small one's does (no sync in it)",
	      "%llu ns per interrupt with large periods, %llu with small ones",
	      (unsigned long long)large, (unsigned long long)small);
}

static uint32_t mode_of(const char *name)
{
	return !strcmp(name, "copy") ? RINGPCM_DMA_COPY : RINGPCM_DMA_MAP_ONCE;
}

/* rpcm-irq-work SECONDS MODE... (MODE: map-once or copy) */
int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.5;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 2; i < argc; i++)
		test_mode(mode_of(argv[i]), seconds);
	return unit_exit("rpcm-irq-work");
}
