// SPDX-License-Identifier: MIT
/*
 * Host unit test of the RingPCM host API's buffer planning
 * (pa_ringpcm_plan.c): period, periods, fixed/adapting and reported latency
 * for PortAudio requests against device limits.  Table-driven; built with
 * the sanitizers into build/unit/pa-plan.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "unit.h"
#include "pa_ringpcm_plan.h"

/* Stereo S16 on an HDA-like device: 128-byte steps, 2..32 periods, 4 MiB. */
static const struct rp_limits hda = {
	.present = true, .frame_bytes = 4, .period_bytes_min = 128, .period_bytes_max = 256 * 1024,
	.period_bytes_step = 128, .periods_min = 2, .periods_max = 32, .buffer_bytes_max = 4 << 20,
};

/*
 * The guest's ringpcm card as the RingPCM host API sees it for stereo S16
 * (kernel/pcm-stream.c ringpcm_fill_info): fifo_bytes 8449 = QEMU 7.2's
 * FIFOS (256, + 1) + the codec's 8 KiB buffer, i.e. 2113 frames (44 ms).
 */
static const struct rp_limits qemu = {
	.present = true, .frame_bytes = 4, .period_bytes_min = 128, .period_bytes_max = 16u << 20,
	.period_bytes_step = 128, .periods_min = 2, .periods_max = 256, .buffer_bytes_max = 1u << 30,
	.fifo_frames = 2113,
};

struct plan_case {
	const char *name;
	bool in, out;
	double rate;
	unsigned long frames;
	double lat_in, lat_out;
	int periods;
	/* expected */
	int err;
	uint32_t period;
	uint32_t n_in, n_out;
	bool fixed;
	double rep_in, rep_out;		/* ms */
};

static const struct plan_case cases[] = {
	{ "out-default-low", 0, 1, 48000, 0, 0, 512 / 48000.0, 0, 0, 256, 0, 3, 1, 0, 10.667 },
	{ "out-default-high", 0, 1, 48000, 0, 0, 2048 / 48000.0, 0, 0, 1024, 0, 3, 1, 0, 42.667 },
	{ "in-default-low", 1, 0, 48000, 0, 256 / 48000.0, 0, 0, 0, 256, 4, 0, 1, 5.333, 0 },
	{ "duplex-default-low", 1, 1, 48000, 0, 256 / 48000.0, 512 / 48000.0, 0, 0, 256, 4, 3, 1, 5.333, 10.667 },
	{ "out-9-frames-fixed", 0, 1, 48000, 9, 0, 512 / 48000.0, 0, 0, 288, 0, 3, 1, 0, 12.0 },
	{ "out-64-frames", 0, 1, 48000, 64, 0, 0.0117, 0, 0, 192, 0, 4, 1, 0, 12.0 },
	{ "out-100-frames-adapts", 0, 1, 44100, 100, 0, 0.0102, 0, 0, 224, 0, 3, 0, 0, 10.159 },
	{ "out-huge-buffer", 0, 1, 48000, 16384, 0, 16384 / 48000.0, 0, 0, 16384, 0, 2, 1, 0, 341.333 },
	{ "out-zero-latency", 0, 1, 48000, 0, 0, 0.0, 0, 0, 64, 0, 2, 1, 0, 1.333 },
	{ "out-ten-seconds", 0, 1, 48000, 0, 0, 10.0, 0, 0, 60000, 0, 9, 1, 0, 10000.0 },
	{ "out-forced-periods", 0, 1, 48000, 0, 0, 0.05, 6, 0, 480, 0, 6, 1, 0, 50.0 },
	{ "duplex-1024-frames", 1, 1, 44100, 1024, 0.005, 0.01, 0, 0, 1024, 4, 2, 1, 23.220, 23.220 },
};

/* The same on the guest's card (qemu above). */
static const struct plan_case qemu_cases[] = {
	/*
	 * pa-ringpcm-check -m out -f 1024 -l L timing in the guest: below the
	 * smallest safe ring of 1024-frame periods (F + 2 periods: 5, 129.354
	 * ms) every latency gets that ring; above it the ring follows.
	 */
	{ "qemu-out-1024-frames-l0.1", 0, 1, 48000, 1024, 0, 0.1, 0, 0, 1024, 0, 5, 1, 0, 129.354 },
	{ "qemu-out-1024-frames-l0.05", 0, 1, 48000, 1024, 0, 0.05, 0, 0, 1024, 0, 5, 1, 0, 129.354 },
	{ "qemu-out-1024-frames-l0.03", 0, 1, 48000, 1024, 0, 0.03, 0, 0, 1024, 0, 5, 1, 0, 129.354 },
	{ "qemu-out-1024-frames-l0.15", 0, 1, 48000, 1024, 0, 0.15, 0, 0, 1024, 0, 6, 1, 0, 150.688 },
	{ "qemu-out-1024-frames-l0.2", 0, 1, 48000, 1024, 0, 0.2, 0, 0, 1024, 0, 8, 1, 0, 193.354 },
	{ "qemu-out-512-frames-l0.03", 0, 1, 48000, 512, 0, 0.03, 0, 0, 512, 0, 7, 1, 0, 108.021 },
};

static bool close_ms(double seconds, double ms)
{
	return fabs(seconds * 1e3 - ms) < 0.01;
}

static void run_case(const struct plan_case *c, const struct rp_limits *dev)
{
	struct rp_limits lim[2] = { { 0 }, { 0 } };
	struct rp_request req = { .rate = c->rate, .user_frames = c->frames, .periods = c->periods };
	struct rp_plan plan;
	int err;

	if (c->out)
		lim[RP_OUT] = *dev;
	if (c->in)
		lim[RP_IN] = *dev;
	req.latency[RP_IN] = c->lat_in;
	req.latency[RP_OUT] = c->lat_out;
	err = rp_plan_buffers(&req, lim, &plan);
	if (err != c->err || err) {
		unit_check(err == c->err, c->name, "returned %d, expected %d", err, c->err);
		return;
	}
	unit_check(plan.period == c->period && plan.periods[RP_IN] == c->n_in &&
		   plan.periods[RP_OUT] == c->n_out && plan.fixed == c->fixed &&
		   close_ms(plan.latency[RP_IN], c->rep_in) && close_ms(plan.latency[RP_OUT], c->rep_out),
		   c->name, "period %u, periods in %u out %u, fixed %d, latency in %.3f out %.3f ms",
		   plan.period, plan.periods[RP_IN], plan.periods[RP_OUT], plan.fixed,
		   plan.latency[RP_IN] * 1e3, plan.latency[RP_OUT] * 1e3);
}

/* Every plan respects the device's limits, whatever is asked. */
static void limits_property(void)
{
	static const unsigned long frames[] = { 0, 1, 9, 16, 40, 64, 100, 441, 1024, 4096, 100000 };
	static const double lat[] = { 0, 0.001, 0.005, 0.0213, 0.1, 1, 100 };
	int bad = 0, total = 0;

	for (unsigned int f = 0; f < sizeof(frames) / sizeof(frames[0]); f++)
		for (unsigned int l = 0; l < sizeof(lat) / sizeof(lat[0]); l++) {
			struct rp_limits lim[2] = { hda, hda };
			struct rp_request req = { .rate = 44100, .user_frames = frames[f],
						  .latency = { lat[l], lat[l] } };
			struct rp_plan p;
			uint64_t pb;

			total++;
			if (rp_plan_buffers(&req, lim, &p)) {
				bad++;
				continue;
			}
			pb = (uint64_t)p.period * hda.frame_bytes;
			for (int d = 0; d < 2; d++)
				bad += pb < hda.period_bytes_min || pb > hda.period_bytes_max ||
				       pb % hda.period_bytes_step || p.periods[d] < 2 || p.periods[d] > 32 ||
				       pb * p.periods[d] > hda.buffer_bytes_max;
			bad += p.fixed && frames[f] && p.period % frames[f];
		}
	unit_check(!bad, "pa-plan-limits-respected", "%d of %d requests broke a limit", bad, total);
}

static void impossible(void)
{
	struct rp_limits lim[2] = { hda, hda };
	struct rp_request req = { .rate = 48000, .latency = { 0.01, 0.01 } };
	struct rp_plan p;

	lim[RP_IN].period_bytes_max = 64;	/* below the other's minimum */
	unit_check(rp_plan_buffers(&req, lim, &p) == -EINVAL, "pa-plan-impossible-duplex",
		   "a plan came out of disjoint period ranges");
}

static void defaults(void)
{
	double low, high;

	rp_default_latencies(&hda, false, 48000, &low, &high);
	unit_check(close_ms(low, 10.667) && close_ms(high, 42.667), "pa-plan-default-output-latency",
		   "low %.3f high %.3f ms", low * 1e3, high * 1e3);
	rp_default_latencies(&hda, true, 48000, &low, &high);
	unit_check(close_ms(low, 5.333) && close_ms(high, 21.333), "pa-plan-default-input-latency",
		   "low %.3f high %.3f ms", low * 1e3, high * 1e3);
}

/* QEMU's HDA codec: 8 KiB buffered beyond the DMA position, plus the FIFO. */
static struct rp_limits with_fifo(uint32_t fifo)
{
	struct rp_limits l = hda;

	l.fifo_frames = fifo;
	l.periods_max = 256;
	return l;
}

/* Asking for a default latency gets it (paqa_latency wants 10%), any FIFO. */
static void defaults_are_fixpoints(void)
{
	static const uint32_t fifos[] = { 0, 64, 2112 };
	static const double rates[] = { 44100, 48000, 96000 };
	int bad = 0, total = 0;

	for (unsigned int f = 0; f < 3; f++)
		for (unsigned int r = 0; r < 3; r++)
			for (int in = 0; in < 2; in++) {
				struct rp_limits lim[2] = { { 0 }, { 0 } };
				struct rp_request req = { .rate = rates[r] };
				struct rp_plan p;
				double def[2];

				lim[in ? RP_IN : RP_OUT] = with_fifo(fifos[f]);
				rp_default_latencies(&lim[in ? RP_IN : RP_OUT], in, rates[r], &def[0], &def[1]);
				for (int k = 0; k < 2; k++) {
					req.latency[in ? RP_IN : RP_OUT] = def[k];
					total++;
					if (rp_plan_buffers(&req, lim, &p) ||
					    fabs(p.latency[in ? RP_IN : RP_OUT] - def[k]) > 0.1 * def[k]) {
						bad++;
						printf("  fifo %u rate %.0f %s %s: asked %.3f ms got %.3f ms\n",
						       fifos[f], rates[r], in ? "in" : "out", k ? "high" : "low",
						       def[k] * 1e3, p.latency[in ? RP_IN : RP_OUT] * 1e3);
					}
				}
			}
	unit_check(!bad, "pa-plan-default-latencies-are-fixpoints", "%d of %d off by more than 10%%", bad, total);
}

/* With a FIFO, every ring holds F + 2 periods (a burst cannot alias the position). */
static void fifo_rings_are_safe(void)
{
	static const double lat[] = { 0, 0.005, 0.02, 0.05, 0.1, 0.5 };
	static const unsigned long frames[] = { 0, 64, 256, 1024 };
	int bad = 0, total = 0;

	for (unsigned int l = 0; l < 6; l++)
		for (unsigned int f = 0; f < 4; f++) {
			struct rp_limits lim[2] = { with_fifo(2112), with_fifo(2112) };
			struct rp_request req = { .rate = 48000, .user_frames = frames[f],
						  .latency = { lat[l], lat[l] } };
			struct rp_plan p;

			total++;
			if (rp_plan_buffers(&req, lim, &p)) {
				bad++;
				continue;
			}
			for (int d = 0; d < 2; d++)
				bad += (uint64_t)p.periods[d] * p.period < 2112 + 2ull * p.period;
		}
	unit_check(!bad, "pa-plan-rings-cover-fifo-burst", "%d of %d rings too short", bad, total);
}

static void qemu_capture_low(void)
{
	struct rp_limits lim[2] = { { 0 }, with_fifo(2112) };
	struct rp_request req = { .rate = 48000, .latency = { 0, (256 + 2112) / 48000.0 } };
	struct rp_plan p;
	int err = rp_plan_buffers(&req, lim, &p);

	unit_check(!err && p.period == 256 && p.periods[RP_IN] == 11 &&
		   close_ms(p.latency[RP_IN], 49.333), "pa-plan-qemu-capture-low",
		   "period %u x %u, latency %.3f ms", p.period, p.periods[RP_IN], p.latency[RP_IN] * 1e3);
}

/*
 * On the guest's card, for fixed callback sizes: the reported output latency
 * never falls as the suggested one grows, and from the smallest safe ring's
 * latency on it is within one user buffer of what was asked (128 frames for
 * smaller or unspecified buffers).  Below that it is that smallest ring's
 * (the qemu rows above).
 */
static void qemu_output_follows_suggested(void)
{
	static const unsigned long frames[] = { 0, 64, 256, 512, 1024, 2048, 4096 };
	int bad = 0, total = 0;

	for (unsigned int f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
		double prev = 0, floor_lat = -1;
		double slack = (frames[f] > 128 ? frames[f] : 128) / 48000.0;

		for (int ms = 0; ms <= 1000; ms++) {
			struct rp_limits lim[2] = { qemu, { 0 } };
			struct rp_request req = { .rate = 48000, .user_frames = frames[f],
						  .latency = { ms / 1000.0, 0 } };
			struct rp_plan p;
			bool off;

			total++;
			if (rp_plan_buffers(&req, lim, &p)) {
				bad++;
				continue;
			}
			if (floor_lat < 0)
				floor_lat = p.latency[RP_OUT];
			off = p.latency[RP_OUT] < prev - 1e-9 ||
			      (ms / 1000.0 >= floor_lat && fabs(p.latency[RP_OUT] - ms / 1000.0) >= slack);
			if (off)
				printf("  frames %lu asked %d ms: got %.3f ms (previous %.3f, floor %.3f)\n",
				       frames[f], ms, p.latency[RP_OUT] * 1e3, prev * 1e3, floor_lat * 1e3);
			bad += off;
			prev = p.latency[RP_OUT];
		}
	}
	unit_check(!bad, "pa-plan-qemu-output-latency-follows-suggested",
		   "%d of %d requests fell or strayed more than a buffer", bad, total);
}

int main(void)
{
	char name[64];

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct plan_case c = cases[i];

		snprintf(name, sizeof(name), "pa-plan-%s", c.name);
		c.name = name;
		run_case(&c, &hda);
	}
	for (unsigned int i = 0; i < sizeof(qemu_cases) / sizeof(qemu_cases[0]); i++) {
		struct plan_case c = qemu_cases[i];

		snprintf(name, sizeof(name), "pa-plan-%s", c.name);
		c.name = name;
		run_case(&c, &qemu);
	}
	limits_property();
	impossible();
	defaults();
	defaults_are_fixpoints();
	fifo_rings_are_safe();
	qemu_capture_low();
	qemu_output_follows_suggested();
	return unit_exit("pa-plan");
}
