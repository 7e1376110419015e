// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-position: where the capture position stands when a period interrupt
 * wakes the reader, relative to the period end that raised it.  With LPIB
 * or the position buffer it is at or a little past the end (QEMU's engine
 * goes on copying the rest of its 1 ms transfer before it interrupts);
 * with the FIFO method (position=2) the driver holds it back by the FIFO:
 * the difference between the two runs is the capture delay the method adds.
 *
 *   rpcm-position SECONDS
 *
 * Prints "INFO position: ..." with the minimum, median and maximum of
 * hw_ptr - period end in frames over every wakeup, and PASS/FAIL lines for
 * the run itself (no overrun, a wakeup per period, hw_ptr never back).
 */
#include <poll.h>
#include <stdlib.h>

#include "prog-lib.h"

#define RATE	48000
#define CH	2
#define PERIOD	960	/* 20 ms: a multiple of QEMU's 48-frame (1 ms) transfers */
#define PERIODS	8
#define MAX_WAKES 4096

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* hw_ptr relative to the nearest period end, in (-PERIOD / 2, PERIOD / 2]. */
static int64_t past_period_end(uint64_t hw_ptr)
{
	int64_t d = (int64_t)(hw_ptr % PERIOD);

	return d > PERIOD / 2 ? d - PERIOD : d;
}

/* Consumes what is there, so that the next wakeup is the next interrupt's. */
static int consume(struct rpcm *pcm)
{
	void *area;
	uint32_t n;
	int err = 0;

	while (!err && rpcm_avail(pcm) > 0) {
		err = rpcm_mmap_begin(pcm, &area, &n);
		if (!err && n)
			err = rpcm_mmap_commit(pcm, n);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	static int64_t d[MAX_WAKES];
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	unsigned int n = 0, back = 0;
	struct ringpcm_status st;
	struct rpcm *pcm = NULL;
	uint64_t last = 0;
	int err;

	pu_group = "position";
	err = pu_lib_prepared(&pcm, RINGPCM_DIR_CAPTURE, 0, &p, RPCM_RING_ANON);
	if (!CHECK(!err, "capture set up", "%s", pu_err(err)))
		return unit_exit("rpcm-position");
	err = rpcm_set_avail_min(pcm, 1) ?: rpcm_start(pcm);
	while (!err && n < MAX_WAKES && n < seconds * RATE / PERIOD) {
		struct pollfd pfd = { .fd = rpcm_fd(pcm), .events = POLLIN };

		if (poll(&pfd, 1, 2000) != 1 || !(pfd.revents & POLLIN)) {
			err = -ETIMEDOUT;
			break;
		}
		rpcm_status(pcm, &st);
		back += st.hw_ptr < last;
		last = st.hw_ptr;
		d[n++] = past_period_end(st.hw_ptr);
		err = consume(pcm);
	}
	rpcm_status(pcm, &st);
	CHECK(!err && st.xruns == 0, "capture ran without overrun", "%s, %llu xruns",
	      pu_err(err), (unsigned long long)st.xruns);
	CHECK(!back, "hw_ptr never went back", "%u times", back);
	CHECK(n && st.periods_elapsed >= n - 1, "a wakeup per period at most",
	      "%u wakeups, %llu periods", n, (unsigned long long)st.periods_elapsed);
	if (n) {
		qsort(d, n, sizeof(d[0]), cmp_i64);
		printf("INFO position: %u wakeups, hw_ptr - period end: min %lld median %lld "
		       "max %lld frames\n", n, (long long)d[0], (long long)d[n / 2],
		       (long long)d[n - 1]);
	}
	rpcm_close(pcm);
	return unit_exit("rpcm-position");
}
