// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-irq-work: a capture period's sync or copy does not run in the hard
 * interrupt.  Per DMA mode given on the command line (map-once, copy), the
 * program first times the sync of one period on the attached ring with
 * RINGPCM_IOCTL_BENCH (what ringpcm_ring_for_cpu() costs there: a swiotlb
 * bounce, or the copy from the common buffer), then captures with large
 * periods through rpcm_read and compares the status page's irq_ns (time
 * spent in the stream's hard interrupt) per interrupt with it.  With the sync
 * in the hard interrupt each interrupt costs at least one period's sync; with
 * it in the interrupt thread the hard half is a position read and a status
 * acknowledgement.  The frames read must still arrive at the sample rate
 * (the thread wakes the reader).  The ring is a huge page: 4 KiB pages
 * bounced one by one would need more BDL entries than a controller has.
 * Prints PASS/FAIL lines.
 */
#include "prog-lib.h"

/*
 * 3 x 1 s at the codec's highest rate: periods large enough that their sync
 * dwarfs the hard half even under TCG (QEMU's codec: 96 kHz, 384 KB a
 * period), and few enough interrupts to keep the test short.
 */
#define PERIOD_MS	1000
#define PERIODS		3
#define BENCH_ITERATIONS 16

static struct ringpcm_hw_params params;

/* The highest rate, 2 channels, S16: the most bytes a second the codec takes. */
static void choose_params(struct rpcm *pcm, uint32_t mode)
{
	const struct ringpcm_info *info = rpcm_info(pcm);
	uint32_t i, rate = 0;

	for (i = 0; i < info->n_rates; i++)
		rate = info->rates[i] > rate ? info->rates[i] : rate;
	params = (struct ringpcm_hw_params){
		.format = RINGPCM_FORMAT_S16_LE, .rate = rate, .channels = 2,
		/* a multiple of 32 frames keeps the period 128-byte aligned */
		.period_frames = rate * PERIOD_MS / 1000 / 32 * 32,
		.periods = PERIODS, .dma_mode = mode,
	};
}

static struct rpcm *attached(uint32_t mode)
{
	struct rpcm *pcm = NULL;
	int err = rpcm_open(&pcm, pu_card(), 0, RINGPCM_DIR_CAPTURE, 0);

	if (!err) {
		choose_params(pcm, mode);
		err = rpcm_set_params(pcm, &params);
	}
	if (!err)
		err = rpcm_alloc_ring(pcm, RPCM_RING_HUGE);
	if (!CHECK(!err, "capture ring attached", "%s: %s", pu_err(err),
		   pcm ? rpcm_last_error(pcm) : "")) {
		rpcm_close(pcm);
		return NULL;
	}
	return pcm;
}

/* Median ns of handing one period to the CPU on this ring (before PREPARE). */
static uint64_t period_sync_ns(struct rpcm *pcm)
{
	struct ringpcm_bench b = {
		.strategy = RINGPCM_BENCH_SYNC, .iterations = BENCH_ITERATIONS,
	};
	int err = pu_ioctl(rpcm_fd(pcm), RINGPCM_IOCTL_BENCH, &b);

	CHECK(!err, "one period's sync timed", "%s", pu_err(err));
	return err ? 0 : b.ns_median;
}

static void test_mode(uint32_t mode, double seconds)
{
	static int16_t buf[4096 * 2];
	uint64_t total, done = 0, sync_ns, irq_ns;
	struct ringpcm_status a, b;
	struct rpcm *pcm;
	int err;

	pu_group = rpcm_dma_mode_name(mode);
	pcm = attached(mode);
	if (!pcm)
		return;
	CHECK(rpcm_ring_info(pcm)->dma_mode == mode, "ring in the mode asked for", "mode %u",
	      rpcm_ring_info(pcm)->dma_mode);
	sync_ns = period_sync_ns(pcm);
	total = (uint64_t)(seconds * params.rate);
	err = rpcm_prepare(pcm);
	if (!err)
		err = rpcm_start(pcm);
	rpcm_status(pcm, &a);
	while (!err && done < total) {
		int64_t r = rpcm_read(pcm, buf, N(buf) / 2);

		err = r < 0 ? (int)r : 0;
		done += r > 0 ? (uint64_t)r : 0;
	}
	rpcm_status(pcm, &b);
	CHECK(!err && done >= total && b.xruns == 0, "rpcm_read for the whole time, no overrun",
	      "%s after %llu frames, %llu xruns", pu_err(err), (unsigned long long)done,
	      (unsigned long long)b.xruns);
	CHECK(b.hw_ptr - a.hw_ptr >= total - params.period_frames,
	      "the published position follows the capture", "hw_ptr %llu -> %llu",
	      (unsigned long long)a.hw_ptr, (unsigned long long)b.hw_ptr);
	irq_ns = b.irqs ? b.irq_ns / b.irqs : 0;
	printf("INFO %s: %u-frame periods at %u Hz: one period's sync %llu ns (median of %d), "
	       "hard interrupt %llu ns on average over %llu interrupts\n", pu_group,
	       params.period_frames, params.rate, (unsigned long long)sync_ns, BENCH_ITERATIONS,
	       (unsigned long long)irq_ns, (unsigned long long)b.irqs);
	CHECK(b.irqs >= 2 && irq_ns * 2 < sync_ns,
	      "the hard interrupt does not carry the period's sync",
	      "%llu ns per interrupt, a period's sync takes %llu ns",
	      (unsigned long long)irq_ns, (unsigned long long)sync_ns);
	rpcm_close(pcm);
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
