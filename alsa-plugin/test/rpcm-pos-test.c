// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-pos-test: what a timer-scheduled client (PipeWire) sees of an ALSA
 * PCM's position, for any PCM (ringpcm's plugin or hw: of snd-hda-intel).
 *
 *   rpcm-pos-test -D PCM [-p period] [-n periods] [-s seconds]
 *       MMAP playback of silence, kept full like PipeWire does, woken by its
 *       own clock at random points of the period.  Each wakeup reads
 *       snd_pcm_avail(), snd_pcm_delay() and snd_pcm_htimestamp().  The
 *       positions (appl_ptr - filled frames) are fitted to a line over time;
 *       prints the residuals (how far the reported position is from a clock
 *       running at the fitted rate), the fitted rate, how many reads saw the
 *       position move since the previous read, and delay - ring fill (what
 *       the device holds beyond the ring).  Frames moved through mmap_commit
 *       are counted and checked against what commit returned.
 *   rpcm-pos-test -D PCM -m
 *       prints the channel maps of both directions: query (type and
 *       positions) and get after hw_params at 2 channels.
 *
 * Output lines are "key value" so tests can grep them.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

struct opts {
	const char *dev;
	unsigned int rate, period, periods;
	double seconds;
};

struct sample {
	double t;		/* s, CLOCK_MONOTONIC */
	double pos_avail;	/* frames played per snd_pcm_avail */
	double pos_delay;	/* frames heard per snd_pcm_delay */
	double ts_pos;		/* position per htimestamp, at ts */
	double ts;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int die(const char *what, int err)
{
	fprintf(stderr, "rpcm-pos-test: %s: %s\n", what, snd_strerror(err));
	exit(2);
}

static void setup(snd_pcm_t *pcm, const struct opts *o, snd_pcm_access_t access)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t period = o->period;
	unsigned int rate = o->rate, periods = o->periods;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);
	if ((err = snd_pcm_hw_params_any(pcm, hw)) < 0 ||
	    (err = snd_pcm_hw_params_set_access(pcm, hw, access)) < 0 ||
	    (err = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE)) < 0 ||
	    (err = snd_pcm_hw_params_set_channels(pcm, hw, 2)) < 0 ||
	    (err = snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, NULL)) < 0 ||
	    (err = snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, NULL)) < 0 ||
	    (err = snd_pcm_hw_params_set_periods_near(pcm, hw, &periods, NULL)) < 0 ||
	    (err = snd_pcm_hw_params(pcm, hw)) < 0)
		die("hw_params", err);
	if ((err = snd_pcm_sw_params_current(pcm, sw)) < 0 ||
	    (err = snd_pcm_sw_params_set_tstamp_mode(pcm, sw, SND_PCM_TSTAMP_ENABLE)) < 0 ||
	    (err = snd_pcm_sw_params_set_tstamp_type(pcm, sw, SND_PCM_TSTAMP_TYPE_MONOTONIC)) < 0 ||
	    (err = snd_pcm_sw_params_set_start_threshold(pcm, sw, LONG_MAX)) < 0 ||
	    (err = snd_pcm_sw_params(pcm, sw)) < 0)
		die("sw_params", err);
}

static void print_map(const char *key, const snd_pcm_chmap_t *map)
{
	char buf[256];

	snd_pcm_chmap_print(map, sizeof(buf), buf);
	printf("%s %u %s\n", key, map->channels, buf);
}

static int chmaps(const struct opts *o)
{
	static const snd_pcm_stream_t dirs[] = { SND_PCM_STREAM_PLAYBACK, SND_PCM_STREAM_CAPTURE };
	unsigned int d, i;

	for (d = 0; d < 2; d++) {
		const char *name = dirs[d] == SND_PCM_STREAM_PLAYBACK ? "playback" : "capture";
		snd_pcm_chmap_query_t **maps;
		snd_pcm_chmap_t *map;
		snd_pcm_t *pcm;
		char key[64];
		int err;

		if ((err = snd_pcm_open(&pcm, o->dev, dirs[d], 0)) < 0)
			die("open", err);
		maps = snd_pcm_query_chmaps(pcm);
		for (i = 0; maps && maps[i]; i++) {
			snprintf(key, sizeof(key), "%s-query-%s", name,
				 snd_pcm_chmap_type_name(maps[i]->type));
			print_map(key, &maps[i]->map);
		}
		if (!maps)
			printf("%s-query none\n", name);
		snd_pcm_free_chmaps(maps);
		setup(pcm, o, SND_PCM_ACCESS_RW_INTERLEAVED);
		map = snd_pcm_get_chmap(pcm);
		snprintf(key, sizeof(key), "%s-get", name);
		if (map) {
			print_map(key, map);
			printf("%s-set-same %d\n", name, snd_pcm_set_chmap(pcm, map));
			free(map);
		} else {
			printf("%s-get none\n", name);
		}
		snd_pcm_close(pcm);
	}
	return 0;
}

/* Writes up to `frames` of silence through mmap_begin/commit. */
static snd_pcm_uframes_t fill(snd_pcm_t *pcm, snd_pcm_uframes_t frames, unsigned long *short_commits)
{
	snd_pcm_uframes_t done = 0;

	while (done < frames) {
		const snd_pcm_channel_area_t *a;
		snd_pcm_uframes_t off, n = frames - done;
		snd_pcm_sframes_t c;
		int err;

		if ((err = snd_pcm_mmap_begin(pcm, &a, &off, &n)) < 0)
			die("mmap_begin", err);
		if (!n)
			break;
		memset((char *)a[0].addr + (a[0].first + off * a[0].step) / 8, 0, n * 4);
		c = snd_pcm_mmap_commit(pcm, off, n);
		if (c < 0)
			die("mmap_commit", c);
		if ((snd_pcm_uframes_t)c != n)
			(*short_commits)++;
		done += c;
	}
	return done;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(size_t)(p * (n - 1))];
}

/* Least squares pos = a + b t; residuals into res. */
static double fit(const struct sample *s, size_t n, int which, double *res)
{
	double st = 0, sp = 0, stt = 0, stp = 0, a, b;
	size_t i;

	for (i = 0; i < n; i++) {
		double t = s[i].t - s[0].t, p = which ? s[i].pos_delay : s[i].pos_avail;

		st += t; sp += p; stt += t * t; stp += t * p;
	}
	b = (n * stp - st * sp) / (n * stt - st * st);
	a = (sp - b * st) / n;
	for (i = 0; i < n; i++)
		res[i] = fabs((which ? s[i].pos_delay : s[i].pos_avail) - (a + b * (s[i].t - s[0].t)));
	return b;
}

static int positions(const struct opts *o)
{
	snd_pcm_t *pcm;
	snd_pcm_uframes_t buffer, period;
	struct sample *s;
	double *res, t_end, last_pos = -1, rate, mid;
	unsigned long short_commits = 0, moved = 0, reads = 0, xruns = 0;
	unsigned long long appl = 0;
	size_t n = 0, cap, i;
	int err;

	if ((err = snd_pcm_open(&pcm, o->dev, SND_PCM_STREAM_PLAYBACK, 0)) < 0)
		die("open", err);
	setup(pcm, o, SND_PCM_ACCESS_MMAP_INTERLEAVED);
	snd_pcm_get_params(pcm, &buffer, &period);
	cap = (size_t)(o->seconds * 4000) + 16;
	s = calloc(cap, sizeof(*s));
	res = calloc(cap, sizeof(*res));
	appl += fill(pcm, buffer, &short_commits);
	if ((err = snd_pcm_start(pcm)) < 0)
		die("start", err);
	srand(1);
	t_end = now_s() + o->seconds;
	while (now_s() < t_end && n < cap) {
		snd_pcm_sframes_t avail, delay;
		snd_pcm_uframes_t ts_avail;
		snd_htimestamp_t ts;
		double t;

		usleep((useconds_t)(rand() % (period * 1000000ull / o->rate)));
		t = now_s();
		avail = snd_pcm_avail(pcm);
		if (avail < 0 || (err = snd_pcm_delay(pcm, &delay)) < 0 ||
		    (err = snd_pcm_htimestamp(pcm, &ts_avail, &ts)) < 0) {
			xruns++;
			snd_pcm_prepare(pcm);
			appl = 0;
			appl += fill(pcm, buffer, &short_commits);
			snd_pcm_start(pcm);
			n = 0;
			last_pos = -1;
			continue;
		}
		reads++;
		s[n].t = t;
		s[n].pos_avail = (double)appl - (double)(buffer - avail);
		s[n].pos_delay = (double)appl - (double)delay;
		s[n].ts = ts.tv_sec + ts.tv_nsec * 1e-9;
		s[n].ts_pos = (double)appl - (double)(buffer - ts_avail);
		if (last_pos >= 0 && s[n].pos_avail != last_pos)
			moved++;
		last_pos = s[n].pos_avail;
		n++;
		/* Keep about half the buffer queued, as PipeWire keeps its target. */
		if ((snd_pcm_uframes_t)avail > buffer / 2)
			appl += fill(pcm, avail - buffer / 2, &short_commits);
	}
	snd_pcm_drop(pcm);
	snd_pcm_close(pcm);
	if (n < 10) {
		printf("samples %zu\n", n);
		return 1;
	}
	printf("buffer %lu period %lu samples %zu xruns %lu\n", buffer, period, n, xruns);
	printf("short-commits %lu frames-committed %llu\n", short_commits, appl);
	printf("moved-between-reads %.3f\n", reads > 1 ? (double)moved / (reads - 1) : 0);
	rate = fit(s, n, 0, res);
	printf("avail-fit-rate %.1f\n", rate);
	printf("avail-residual-p50 %.0f p95 %.0f max %.0f\n", pct(res, n, 0.5), pct(res, n, 0.95),
	       pct(res, n, 1.0));
	rate = fit(s, n, 1, res);
	printf("delay-fit-rate %.1f\n", rate);
	printf("delay-residual-p50 %.0f p95 %.0f max %.0f\n", pct(res, n, 0.5), pct(res, n, 0.95),
	       pct(res, n, 1.0));
	for (i = 0; i < n; i++)
		res[i] = s[i].pos_avail - s[i].pos_delay;
	mid = pct(res, n, 0.5);
	printf("delay-minus-fill-p50 %.0f min %.0f max %.0f\n", mid, pct(res, n, 0.0),
	       pct(res, n, 1.0));
	/*
	 * snd_pcm_delay() right after snd_pcm_avail() reads the DMA position
	 * again (hw: and the plugin both do): how far the position avail gave
	 * was from it, beyond the constant the device holds.
	 */
	for (i = 0; i < n; i++)
		res[i] = fabs(res[i] - mid);
	printf("avail-vs-delay-error-p50 %.0f p95 %.0f max %.0f\n", pct(res, n, 0.5),
	       pct(res, n, 0.95), pct(res, n, 1.0));
	/* htimestamp: the time it names minus the time the read began. */
	for (i = 0; i < n; i++)
		res[i] = (s[i].ts - s[i].t) * 1e6;
	printf("htstamp-minus-call-us-p50 %.0f min %.0f max %.0f\n", pct(res, n, 0.5),
	       pct(res, n, 0.0), pct(res, n, 1.0));
	free(s);
	free(res);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .dev = "ringpcm", .rate = 48000, .period = 1024, .periods = 4,
			  .seconds = 10 };
	int c, map = 0;

	while ((c = getopt(argc, argv, "D:p:n:s:m")) != -1) {
		switch (c) {
		case 'D': o.dev = optarg; break;
		case 'p': o.period = atoi(optarg); break;
		case 'n': o.periods = atoi(optarg); break;
		case 's': o.seconds = atof(optarg); break;
		case 'm': map = 1; break;
		default:
			fprintf(stderr, "usage: rpcm-pos-test [-D pcm] [-p period] [-n periods] "
				"[-s seconds] [-m]\n");
			return 2;
		}
	}
	return map ? chmaps(&o) : positions(&o);
}
