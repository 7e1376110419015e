// SPDX-License-Identifier: MIT
/*
 * RingPCM host API: choose period size and ring length from PortAudio's
 * request and the device's limits (pure arithmetic, see pa_ringpcm_plan.h).
 */
#include <errno.h>
#include <math.h>

#include "pa_ringpcm_plan.h"

/* Input latency does not depend on the ring length; 4 periods of slack. */
#define RP_IN_PERIODS_MIN	4
/* Output rings tried when matching a latency: 3 periods first. */
#define RP_OUT_PERIODS_FIRST	3
#define RP_OUT_PERIODS_LAST	64
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

/*
 * The shortest period worth having: 1 ms, or up to a default-low period when
 * the device's FIFO is that long anyway (periods far below the FIFO latency
 * cost wakeups and robustness and gain almost nothing: on QEMU's codec a
 * latency just above the FIFO's 44 ms would otherwise get 1.5 ms periods).
 */
static double period_floor(const struct rp_request *req, const struct rp_limits lim[2])
{
	double floor_frames = req->rate * RP_PERIOD_MIN_SEC;
	double low = req->rate * RP_LOW_PERIOD_SEC;

	for (int d = 0; d < 2; d++) {
		double f = lim[d].present ? lim[d].fifo_frames : 0;

		f = f < low ? f : low;
		floor_frames = f > floor_frames ? f : floor_frames;
	}
	return floor_frames;
}

/*
 * A valid period near target: a multiple of the user's buffer when one close
 * to the target exists (the buffer processor then needs no adaptation and
 * adds no latency), else the device period nearest the target.  0 if none.
 */
static uint64_t round_period(const struct rp_request *req, const struct rp_limits lim[2],
			     double target, bool *fixed)
{
	uint64_t lo, hi, unit, p;
	double floor_frames = period_floor(req, lim);

	period_range(lim, &lo, &hi, &unit);
	if (target < floor_frames)
		target = floor_frames;
	if (req->user_frames) {
		uint64_t uf = lcm64(unit, req->user_frames);

		if (target < (double)req->user_frames)
			target = (double)req->user_frames;
		p = uf <= hi ? nearest_multiple(uf, target, lo, hi) : 0;
		if (p && (double)p <= 2 * target) {
			*fixed = true;
			return p;
		}
	}
	*fixed = !req->user_frames;
	return nearest_multiple(unit, target, lo, hi);
}

/* Periods an output ring needs: as asked, but never fewer than F + 2 periods' worth. */
static uint64_t safe_periods(const struct rp_limits *l, uint64_t n, uint64_t period)
{
	uint64_t safe = (l->fifo_frames + period - 1) / period + 2;

	return n > safe ? n : safe;
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

/*
 * Output: the period whose safe ring comes closest to the ring latency T
 * asked for (suggested latency minus F), trying 3, 4, ... periods and
 * stopping at the first within 3%; a period the user's buffers divide is
 * preferred while it is within a quarter of T.
 * When T cannot be met (T <= F), the smallest safe ring of default-low
 * periods; with T <= 0 and no FIFO, the shortest period.
 */
static double output_target(const struct rp_request *req, const struct rp_limits lim[2])
{
	const struct rp_limits *l = &lim[RP_OUT];
	double t = req->latency[RP_OUT] * req->rate - l->fifo_frames;
	double best[2] = { -1, -1 }, best_err[2] = { INFINITY, INFINITY };
	int first = req->periods >= 2 ? req->periods : RP_OUT_PERIODS_FIRST;
	int last = req->periods >= 2 ? req->periods : RP_OUT_PERIODS_LAST;

	if (t <= 0 && !l->fifo_frames)
		return 0;
	if (t <= l->fifo_frames && !req->periods)
		return RP_LOW_PERIOD_SEC * req->rate;
	for (int n = first; n <= last; n++) {
		double target = t / (n - 1);
		bool fixed;
		uint64_t p = round_period(req, lim, target, &fixed);
		double err;

		if (!p)
			break;
		err = fabs((double)(clamp_periods(l, safe_periods(l, (uint64_t)n, p), (uint32_t)p) - 1) * p - t);
		if (err < best_err[fixed]) {
			best_err[fixed] = err;
			best[fixed] = target;
		}
		/* Good enough with few periods beats exact with many (wakeups). */
		if (fixed && err <= 0.03 * t)
			break;
		if (target < period_floor(req, lim))
			break;
	}
	if (best[1] > 0 && best_err[1] <= 0.25 * t)
		return best[1];
	return best[0] > 0 ? best[0] : best[1] > 0 ? best[1] : t / 2;
}

/* Period the latencies ask for, in frames (before rounding to the device). */
static double target_period(const struct rp_request *req, const struct rp_limits lim[2])
{
	double out = 0, in = 0;

	if (req->period_frames)
		return (double)req->period_frames;
	if (lim[RP_OUT].present)
		out = output_target(req, lim);
	if (lim[RP_IN].present)
		in = req->latency[RP_IN] * req->rate - lim[RP_IN].fifo_frames;
	if (lim[RP_OUT].present && lim[RP_IN].present)
		return out < in ? out : in;
	return lim[RP_OUT].present ? out : in;
}

int rp_plan_buffers(const struct rp_request *req, const struct rp_limits lim[2],
		    struct rp_plan *plan)
{
	uint64_t p, n_out = 0;

	*plan = (struct rp_plan){ 0 };
	p = round_period(req, lim, target_period(req, lim), &plan->fixed);
	if (!p)
		return -EINVAL;
	plan->period = (uint32_t)p;
	if (lim[RP_OUT].present) {
		const struct rp_limits *l = &lim[RP_OUT];
		double t = req->latency[RP_OUT] * req->rate - l->fifo_frames;

		n_out = req->periods >= 2 ? (uint64_t)req->periods
			: (uint64_t)floor((t > 0 ? t : 0) / (double)p + 0.5) + 1;
		n_out = safe_periods(l, n_out, p);
		plan->periods[RP_OUT] = clamp_periods(l, n_out, plan->period);
		plan->latency[RP_OUT] = ((double)(plan->periods[RP_OUT] - 1) * p + l->fifo_frames) / req->rate;
	}
	if (lim[RP_IN].present) {
		const struct rp_limits *l = &lim[RP_IN];
		uint64_t n = req->periods >= 2 ? (uint64_t)req->periods : RP_IN_PERIODS_MIN;

		if (!req->periods && n_out > n)
			n = n_out;
		n = safe_periods(l, n, p);
		plan->periods[RP_IN] = clamp_periods(l, n, plan->period);
		plan->latency[RP_IN] = ((double)p + l->fifo_frames) / req->rate;
	}
	return 0;
}

/*
 * Default device latencies: what rp_plan_buffers() reports for a ring of
 * default-low (5.3 ms) or default-high (21.3 ms) periods, three of them for
 * output (more when the FIFO needs it), so that asking for a default gets it.
 */
void rp_default_latencies(const struct rp_limits *lim, bool input, double rate,
			  double *low, double *high)
{
	struct rp_limits both[2] = { { 0 }, { 0 } };
	uint64_t lo, hi, unit, p[2];

	both[input ? RP_IN : RP_OUT] = *lim;
	period_range(both, &lo, &hi, &unit);
	p[0] = nearest_multiple(unit, RP_LOW_PERIOD_SEC * rate, lo, hi);
	p[1] = nearest_multiple(unit, RP_HIGH_PERIOD_SEC * rate, lo, hi);
	for (int i = 0; i < 2; i++) {
		double frames = (double)p[i] + lim->fifo_frames;

		if (!input)
			frames = (double)(safe_periods(lim, RP_OUT_PERIODS_FIRST, p[i]) - 1) * p[i] +
				 lim->fifo_frames;
		*(i ? high : low) = p[i] ? frames / rate : 0.0;
	}
}
