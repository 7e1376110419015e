// SPDX-License-Identifier: MIT
/*
 * RingPCM host API: choose period size and ring length from PortAudio's
 * request and the device's limits (pure arithmetic, see pa_ringpcm_plan.h).
 */
#include <errno.h>
#include <math.h>

#include "pa_ringpcm_plan.h"

/* Periods in a ring when nothing says otherwise: output from the latency. */
#define RP_OUT_PERIODS_DEFAULT	3
/* Input latency does not depend on the ring length; 4 periods of slack. */
#define RP_IN_PERIODS_MIN	4
/* No period below 1 ms, whatever the request: nothing keeps up below. */
#define RP_PERIOD_MIN_SEC	0.001
/* Default periods, as times so that every rate gets the same latency. */
#define RP_LOW_PERIOD_SEC	(256.0 / 48000.0)
#define RP_HIGH_PERIOD_SEC	(1024.0 / 48000.0)

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static uint64_t lcm64(uint64_t a, uint64_t b)
{
	return a / gcd64(a, b) * b;
}

/* Period granularity in frames: the step in bytes, expressed in frames. */
static uint64_t unit_frames(const struct rp_limits *l)
{
	uint64_t step = l->period_bytes_step > 1 ? l->period_bytes_step : 1;

	return step / gcd64(step, l->frame_bytes);
}

static uint32_t periods_floor(const struct rp_limits *l)
{
	return l->periods_min > 2 ? l->periods_min : 2;
}

/* Period range [*lo, *hi] in frames that every present direction accepts. */
static void period_range(const struct rp_limits lim[2], uint64_t *lo, uint64_t *hi, uint64_t *unit)
{
	*lo = 1;
	*hi = UINT32_MAX;
	*unit = 1;
	for (int d = 0; d < 2; d++) {
		const struct rp_limits *l = &lim[d];
		uint64_t min, max, fit;

		if (!l->present)
			continue;
		min = (l->period_bytes_min + l->frame_bytes - 1) / l->frame_bytes;
		max = l->period_bytes_max / l->frame_bytes;
		fit = l->buffer_bytes_max / ((uint64_t)periods_floor(l) * l->frame_bytes);
		*lo = min > *lo ? min : *lo;
		*hi = max < *hi ? max : *hi;
		*hi = fit < *hi ? fit : *hi;
		*unit = lcm64(*unit, unit_frames(l));
	}
}

/* The multiple of unit closest to target inside [lo, hi]; 0 if there is none. */
static uint64_t nearest_multiple(uint64_t unit, double target, uint64_t lo, uint64_t hi)
{
	uint64_t first = (lo + unit - 1) / unit * unit;
	uint64_t last = hi / unit * unit;
	double k = floor(target / (double)unit + 0.5);
	uint64_t p = k < 1 ? unit : (uint64_t)k * unit;

	if (first > last || first == 0)
		return 0;
	if (p < first)
		return first;
	return p > last ? last : p;
}

/* Period the latencies ask for, in frames (before rounding to the device). */
static double target_period(const struct rp_request *req, const struct rp_limits lim[2])
{
	int out_periods = req->periods >= 2 ? req->periods : RP_OUT_PERIODS_DEFAULT;
	double out = req->latency[RP_OUT] * req->rate / (out_periods - 1);
	double in = req->latency[RP_IN] * req->rate;
	double t;

	if (req->period_frames)
		return (double)req->period_frames;
	if (lim[RP_OUT].present && lim[RP_IN].present)
		t = out < in ? out : in;
	else
		t = lim[RP_OUT].present ? out : in;
	return t > req->rate * RP_PERIOD_MIN_SEC ? t : req->rate * RP_PERIOD_MIN_SEC;
}

/*
 * Period size: a multiple of the user's buffer when one close to the target
 * exists (the buffer processor then needs no adaptation and adds no
 * latency), else the device period nearest the target.
 */
static int choose_period(const struct rp_request *req, const struct rp_limits lim[2],
			 struct rp_plan *plan)
{
	uint64_t lo, hi, unit, p;
	double target = target_period(req, lim);

	period_range(lim, &lo, &hi, &unit);
	if (req->user_frames) {
		uint64_t uf = lcm64(unit, req->user_frames);

		if (target < (double)req->user_frames)
			target = (double)req->user_frames;
		p = uf <= hi ? nearest_multiple(uf, target, lo, hi) : 0;
		if (p && (double)p <= 2 * target) {
			plan->period = (uint32_t)p;
			plan->fixed = true;
			return 0;
		}
	}
	p = nearest_multiple(unit, target, lo, hi);
	if (!p)
		return -EINVAL;
	plan->period = (uint32_t)p;
	plan->fixed = !req->user_frames;
	return 0;
}

static uint32_t clamp_periods(const struct rp_limits *l, uint64_t n, uint32_t period)
{
	uint64_t fit = l->buffer_bytes_max / ((uint64_t)period * l->frame_bytes);

	if (n < periods_floor(l))
		n = periods_floor(l);
	if (l->periods_max && n > l->periods_max)
		n = l->periods_max;
	return (uint32_t)(n > fit ? fit : n);
}

int rp_plan_buffers(const struct rp_request *req, const struct rp_limits lim[2],
		    struct rp_plan *plan)
{
	double p;
	uint64_t n_out = 0;
	int err;

	*plan = (struct rp_plan){ 0 };
	err = choose_period(req, lim, plan);
	if (err)
		return err;
	p = plan->period;
	if (lim[RP_OUT].present) {
		n_out = req->periods >= 2 ? (uint64_t)req->periods
			: (uint64_t)floor(req->latency[RP_OUT] * req->rate / p + 0.5) + 1;
		plan->periods[RP_OUT] = clamp_periods(&lim[RP_OUT], n_out, plan->period);
		plan->latency[RP_OUT] = (plan->periods[RP_OUT] - 1) * p / req->rate;
	}
	if (lim[RP_IN].present) {
		uint64_t n = req->periods >= 2 ? (uint64_t)req->periods : RP_IN_PERIODS_MIN;

		if (!req->periods && n_out > n)
			n = n_out;
		plan->periods[RP_IN] = clamp_periods(&lim[RP_IN], n, plan->period);
		plan->latency[RP_IN] = p / req->rate;
	}
	return 0;
}

void rp_default_latencies(const struct rp_limits *lim, bool input, double rate,
			  double *low, double *high)
{
	struct rp_limits both[2] = { { 0 }, { 0 } };
	uint64_t lo, hi, unit, p_low, p_high;

	both[input ? RP_IN : RP_OUT] = *lim;
	period_range(both, &lo, &hi, &unit);
	p_low = nearest_multiple(unit, RP_LOW_PERIOD_SEC * rate, lo, hi);
	p_high = nearest_multiple(unit, RP_HIGH_PERIOD_SEC * rate, lo, hi);
	if (!p_low || !p_high) {
		*low = *high = 0.0;
		return;
	}
	/* What rp_plan_buffers() reports when asked for exactly these. */
	*low = (input ? 1 : RP_OUT_PERIODS_DEFAULT - 1) * (double)p_low / rate;
	*high = (input ? 1 : RP_OUT_PERIODS_DEFAULT - 1) * (double)p_high / rate;
}
