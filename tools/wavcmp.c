// SPDX-License-Identifier: GPL-2.0
/*
 * wavcmp: is a reference WAV contained, bit for bit, in a recording?
 *
 *   wavcmp REFERENCE RECORDED [--min-frames N]
 *
 * Both files must hold 16-bit PCM with the same rate and channel count.
 * wavcmp finds the frame offset at which REFERENCE appears in RECORDED (an
 * exact match of a short anchor taken where the reference is not silent,
 * then verification of everything that overlaps), and prints the offset,
 * how many frames matched and the first mismatch. When the anchor occurs
 * nowhere exactly, it reports the offset where the anchor comes closest and
 * the peak difference there, so that a lossy path can be told from a lost
 * one. The whole reference must be present, unless --min-frames N allows
 * a recording cut at either end, of which at least N frames must overlap.
 * After a mismatch it adds where the reference goes on in the recording
 * (frames missing, or inserted, or repeated), within RESUME_SECONDS: a
 * whole ring points at the guest, a JACK period at the host's server.
 *
 * Exit status: 0 bit-exact; 1 not exact, cut short or not found; 2 usage or
 * file error.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sndfile.h>

#define ANCHOR_FRAMES	32	/* exact search: random audio diverges at once */
#define APPROX_FRAMES	256	/* closest-match search window */
#define RESUME_SECONDS	5	/* how far from a mismatch to look for the rest */

struct pcm {
	const char *path;
	short *data;		/* interleaved */
	long frames;
	int channels;
	int rate;
};

/* Where the reference sits in the recording and how well it matches there. */
struct match {
	long offset;		/* recording frame of reference frame 0 */
	int exact_anchor;	/* found by exact anchor search */
	long first, last;	/* overlapping reference frames [first, last) */
	long first_bad;		/* first differing reference frame, or -1 */
	int bad_channel;
	long bad_frames;	/* frames with at least one differing sample */
	int peak;		/* largest |difference| over the overlap */
};

static int load(struct pcm *p)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(p->path, SFM_READ, &info);

	if (!f) {
		fprintf(stderr, "wavcmp: %s: %s\n", p->path, sf_strerror(NULL));
		return -1;
	}
	if ((info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_PCM_16) {
		fprintf(stderr, "wavcmp: %s: not 16-bit PCM\n", p->path);
		sf_close(f);
		return -1;
	}
	p->channels = info.channels;
	p->rate = info.samplerate;
	p->data = malloc(sizeof(short) * (info.frames ? info.frames : 1) * info.channels);
	if (!p->data) {
		sf_close(f);
		return -1;
	}
	p->frames = sf_readf_short(f, p->data, info.frames);
	sf_close(f);
	return 0;
}

static const short *frame(const struct pcm *p, long i)
{
	return p->data + (size_t)i * p->channels;
}

/* First frame of the reference with a non-zero sample (0 if all silent). */
static long first_sound(const struct pcm *ref)
{
	for (long i = 0; i < ref->frames; i++)
		for (int c = 0; c < ref->channels; c++)
			if (frame(ref, i)[c])
				return i;
	return 0;
}

static long min_l(long a, long b) { return a < b ? a : b; }
static long max_l(long a, long b) { return a > b ? a : b; }

/* Compares the overlap of ref placed at m->offset in rec; fills m. */
static void verify(const struct pcm *ref, const struct pcm *rec, struct match *m)
{
	size_t row = sizeof(short) * ref->channels;

	m->first = max_l(0, -m->offset);
	m->last = min_l(ref->frames, rec->frames - m->offset);
	m->first_bad = -1;
	m->bad_frames = 0;
	m->peak = 0;
	for (long i = m->first; i < m->last; i++) {
		const short *a = frame(ref, i), *b = frame(rec, i + m->offset);

		if (!memcmp(a, b, row))
			continue;
		m->bad_frames++;
		for (int c = 0; c < ref->channels; c++) {
			int d = abs(a[c] - b[c]);

			if (d && m->first_bad < 0) {
				m->first_bad = i;
				m->bad_channel = c;
			}
			if (d > m->peak)
				m->peak = d;
		}
	}
}

/*
 * Exact search: every recording position where the anchor (ANCHOR_FRAMES
 * from the reference's first sound) matches; the first one whose whole
 * overlap is exact wins, else the one with the fewest bad frames.
 */
static int find_exact(const struct pcm *ref, const struct pcm *rec, struct match *best)
{
	long a = first_sound(ref);
	long n = min_l(ANCHOR_FRAMES, ref->frames - a);
	size_t len = sizeof(short) * ref->channels * n;
	int found = 0;

	for (long p = 0; n > 0 && p + n <= rec->frames; p++) {
		struct match m = { .offset = p - a, .exact_anchor = 1 };

		if (frame(rec, p)[0] != frame(ref, a)[0] || memcmp(frame(rec, p), frame(ref, a), len))
			continue;
		verify(ref, rec, &m);
		if (!found || m.bad_frames < best->bad_frames)
			*best = m;
		found = 1;
		if (!m.bad_frames)
			break;
	}
	return found;
}

/* Largest |difference| of n frames, giving up once it exceeds limit. */
static int window_peak(const struct pcm *ref, long a, const struct pcm *rec, long p,
		       long n, int limit)
{
	int peak = 0;

	for (long i = 0; i < n && peak <= limit; i++)
		for (int c = 0; c < ref->channels; c++) {
			int d = abs(frame(ref, a + i)[c] - frame(rec, p + i)[c]);

			if (d > peak)
				peak = d;
		}
	return peak;
}

/* Closest match: the position where the window's peak difference is least. */
static void find_closest(const struct pcm *ref, const struct pcm *rec, struct match *m)
{
	long a = first_sound(ref);
	long n = min_l(APPROX_FRAMES, ref->frames - a);
	long best_p = 0;
	int best = INT_MAX;

	for (long p = 0; p + n <= rec->frames; p++) {
		int peak = window_peak(ref, a, rec, p, n, best);

		if (peak < best) {
			best = peak;
			best_p = p;
		}
	}
	m->offset = best_p - a;
	m->exact_anchor = 0;
	verify(ref, rec, m);
}

/* Is frame i of p silent in every channel? */
static int silent(const struct pcm *p, long i)
{
	for (int c = 0; c < p->channels; c++)
		if (frame(p, i)[c])
			return 0;
	return 1;
}

/*
 * Where ANCHOR_FRAMES of a, from frame i, occur in b, nearest to frame
 * near and at most RESUME_SECONDS from it; -1 if nowhere or if the anchor
 * is silence (which matches anywhere).
 */
static long find_near(const struct pcm *a, long i, const struct pcm *b, long near)
{
	long n = ANCHOR_FRAMES, w = (long)b->rate * RESUME_SECONDS;
	size_t len = sizeof(short) * a->channels * n;

	if (i < 0 || i + n > a->frames || silent(a, i) || silent(a, i + n - 1))
		return -1;
	for (long d = 0; d <= w; d++) {
		long p[2] = { near - d, near + d };

		for (int k = 0; k < 2; k++)
			if (p[k] >= 0 && p[k] + n <= b->frames &&
			    !memcmp(frame(b, p[k]), frame(a, i), len))
				return p[k];
	}
	return -1;
}

/*
 * After the first mismatch: either the recording goes on with later
 * reference frames (some never arrived) or the reference goes on later in
 * the recording (something was inserted, e.g. a stale ring repeated).
 */
static void report_resume(const struct pcm *ref, const struct pcm *rec, const struct match *m)
{
	long bad = m->first_bad, at = bad + m->offset, q, p;

	q = find_near(rec, at, ref, bad);
	if (q > bad) {
		printf("; the recording goes on with reference frame %ld (%ld frames missing)",
		       q, q - bad);
		return;
	}
	if (q >= 0) {
		printf("; the recording repeats from reference frame %ld (%ld frames again)",
		       q, bad - q);
		return;
	}
	p = find_near(ref, bad, rec, at);
	if (p > at)
		printf("; the reference goes on at recording frame %ld (%ld frames inserted)",
		       p, p - at);
	else
		printf("; no match of what follows within %d s", RESUME_SECONDS);
}

static int report(const struct pcm *ref, const struct pcm *rec, const struct match *m,
		  long min_frames)
{
	long overlap = max_l(0, m->last - m->first);
	long need = min_frames > 0 ? min_frames : ref->frames;
	int exact = m->exact_anchor && !m->bad_frames && overlap >= need &&
		    (min_frames > 0 || overlap == ref->frames);

	printf("wavcmp: offset %ld frames%s, matched %ld of %ld reference frames",
	       m->offset, m->exact_anchor ? "" : " (closest, no exact anchor)",
	       overlap - m->bad_frames, ref->frames);
	if (overlap < ref->frames)
		printf(" (recording covers reference frames %ld..%ld)", m->first, m->last);
	printf("\n");
	if (m->first_bad >= 0) {
		long i = m->first_bad;
		int c = m->bad_channel;

		printf("wavcmp: first mismatch at reference frame %ld channel %d: %d != %d; "
		       "%ld frames differ, peak |difference| %d",
		       i, c, frame(ref, i)[c], frame(rec, i + m->offset)[c],
		       m->bad_frames, m->peak);
		if (m->exact_anchor)
			report_resume(ref, rec, m);
		printf("\n");
	}
	if (overlap < need)
		printf("wavcmp: only %ld frames overlap, %ld needed\n", overlap, need);
	printf("wavcmp: %s\n", exact ? "bit-exact" : "NOT bit-exact");
	return exact ? 0 : 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: wavcmp REFERENCE RECORDED [--min-frames N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct pcm ref = { 0 }, rec = { 0 };
	struct match m = { 0 };
	long min_frames = 0;

	if (argc == 5 && !strcmp(argv[3], "--min-frames")) {
		char *end;

		min_frames = strtol(argv[4], &end, 10);
		if (*end || min_frames <= 0)
			return usage();
	} else if (argc != 3) {
		return usage();
	}
	ref.path = argv[1];
	rec.path = argv[2];
	if (load(&ref) || load(&rec))
		return 2;
	if (ref.channels != rec.channels || ref.rate != rec.rate) {
		fprintf(stderr, "wavcmp: %s is %d ch %d Hz, %s is %d ch %d Hz\n", ref.path,
			ref.channels, ref.rate, rec.path, rec.channels, rec.rate);
		return 2;
	}
	printf("wavcmp: reference %ld frames, recording %ld frames, %d ch, %d Hz\n",
	       ref.frames, rec.frames, ref.channels, ref.rate);
	if (!ref.frames || !rec.frames) {
		printf("wavcmp: NOT bit-exact (empty file)\n");
		return 1;
	}
	if (!find_exact(&ref, &rec, &m))
		find_closest(&ref, &rec, &m);
	return report(&ref, &rec, &m, min_frames);
}
