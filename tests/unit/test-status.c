// SPDX-License-Identifier: GPL-2.0
/*
 * The client library's status page reader (lib/status.c) against a writer
 * thread that follows the driver's seqcount protocol: no torn snapshot may
 * ever be returned.  Plus the table of what avail means in each state.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rpcm-priv.h"
#include "unit.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static struct ringpcm_status page __attribute__((aligned(4096)));
static int stop_writer;

#define STORE(field, v)	__atomic_store_n(&page.field, (v), __ATOMIC_RELAXED)

/* The kernel's write_seqcount_begin/end, in user-space atomics. */
static void publish(__u64 k)
{
	__u32 seq = __atomic_load_n(&page.seq, __ATOMIC_RELAXED);

	__atomic_store_n(&page.seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* smp_wmb() */
	STORE(state, (__u32)(k % 8));
	STORE(hw_ptr, k);
	STORE(appl_ptr, k + 1000);
	STORE(tstamp_ns, k * 1000);
	STORE(xruns, k / 7);
	STORE(periods_elapsed, k / 3);
	STORE(irqs, 2 * k);
	STORE(irq_ns, 3 * k);
	STORE(buffer_frames, (__u32)k);
	STORE(period_frames, (__u32)(k >> 1));
	STORE(avail_min, (__u32)(k + 1));
	STORE(dma_mode, (__u32)(k & 3));
	STORE(lost_laps, k / 5);
	for (size_t i = 0; i < N(page.reserved); i++)
		STORE(reserved[i], k + i);
	__atomic_store_n(&page.seq, seq + 2, __ATOMIC_RELEASE);	/* smp_wmb + seq++ */
}

static void *writer(void *arg)
{
	__u64 k = 1;

	while (!__atomic_load_n(&stop_writer, __ATOMIC_RELAXED))
		publish(k++);
	return arg;
}

static bool consistent(const struct ringpcm_status *st)
{
	__u64 k = st->hw_ptr;

	return !(st->seq & 1) && st->state == k % 8 && st->appl_ptr == k + 1000 &&
	       st->tstamp_ns == k * 1000 && st->xruns == k / 7 && st->periods_elapsed == k / 3 &&
	       st->irqs == 2 * k && st->irq_ns == 3 * k && st->buffer_frames == (__u32)k &&
	       st->period_frames == (__u32)(k >> 1) && st->avail_min == (__u32)(k + 1) &&
	       st->dma_mode == (k & 3) && st->lost_laps == k / 5 &&
	       st->reserved[0] == k && st->reserved[N(st->reserved) - 1] == k + N(st->reserved) - 1;
}

static void test_seqcount(void)
{
	struct timespec t0, t;
	unsigned long reads = 0, torn = 0, backwards = 0;
	__u64 last = 0;
	pthread_t th;

	publish(0);
	if (pthread_create(&th, NULL, writer, NULL)) {
		unit_check(false, "status: seqcount reader never tears", "pthread_create failed");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		struct ringpcm_status st;

		for (int i = 0; i < 1000; i++, reads++) {
			rpcm__status_read(&page, &st);
			torn += !consistent(&st);
			backwards += st.hw_ptr < last;
			last = st.hw_ptr;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 700000000L);
	__atomic_store_n(&stop_writer, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	unit_check(torn == 0, "status: seqcount reader never returns a torn snapshot",
		   "%lu of %lu snapshots torn", torn, reads);
	unit_check(backwards == 0, "status: successive snapshots never go back",
		   "%lu of %lu went back", backwards, reads);
	unit_check(last > 1000, "status: the writer made progress while read",
		   "writer reached only %llu", (unsigned long long)last);
}

/*
 * rpcm_status() delivers every byte the driver publishes: the page is filled
 * with a pattern that gives each byte its own value and compared byte by
 * byte, so a field added to struct ringpcm_status that the library does not
 * copy fails here (status.lost_laps once came back as stack garbage).
 */
static void test_every_field(void)
{
	unsigned char *bytes = (unsigned char *)&page;
	struct rpcm pcm = { .status = &page };
	struct ringpcm_status st;
	size_t i, bad = sizeof(st);

	for (i = 0; i < sizeof(page); i++)
		bytes[i] = (unsigned char)(i * 7 + 1);
	page.seq = 42;			/* even: no write in progress */
	memset(&st, 0xa5, sizeof(st));	/* what the caller's stack may hold */
	rpcm_status(&pcm, &st);
	for (i = 0; i < sizeof(st) && bad == sizeof(st); i++)
		if (((unsigned char *)&st)[i] != bytes[i])
			bad = i;
	unit_check(bad == sizeof(st), "status: rpcm_status() delivers every field of the page",
		   "byte %zu of %zu differs (field at offset %zu)", bad, sizeof(st), bad & ~(size_t)7);
	unit_check(st.lost_laps == page.lost_laps, "status: lost_laps reaches the application",
		   "got %llu, page has %llu", (unsigned long long)st.lost_laps,
		   (unsigned long long)page.lost_laps);
	memset(&page, 0, sizeof(page));
}

static const struct {
	const char *what;
	bool capture;
	__u32 state;
	__u64 hw, appl;
	__u32 buffer;
	int64_t want;
} avail_rows[] = {
	{ "xrun state is -EPIPE", false, RINGPCM_STATE_XRUN, 0, 0, 1024, -EPIPE },
	{ "suspended playback is -ESTRPIPE", false, RINGPCM_STATE_SUSPENDED, 100, 1024, 1024,
	  -ESTRPIPE },
	{ "suspended capture is -ESTRPIPE", true, RINGPCM_STATE_SUSPENDED, 300, 100, 1024,
	  -ESTRPIPE },
	{ "disconnected is -ENODEV", true, RINGPCM_STATE_DISCONNECTED, 0, 0, 1024, -ENODEV },
	{ "open is -EBADFD", false, RINGPCM_STATE_OPEN, 0, 0, 0, -EBADFD },
	{ "setup is -EBADFD", true, RINGPCM_STATE_SETUP, 0, 0, 1024, -EBADFD },
	{ "prepared playback: whole ring", false, RINGPCM_STATE_PREPARED, 0, 0, 1024, 1024 },
	{ "running playback", false, RINGPCM_STATE_RUNNING, 100, 1024, 1024, 100 },
	{ "running playback past appl clamps", false, RINGPCM_STATE_RUNNING, 1100, 1024, 1024, 1024 },
	{ "running capture", true, RINGPCM_STATE_RUNNING, 300, 100, 1024, 200 },
	{ "running capture overrun clamps", true, RINGPCM_STATE_RUNNING, 3000, 100, 1024, 1024 },
	{ "paused capture", true, RINGPCM_STATE_PAUSED, 300, 100, 1024, 200 },
	{ "draining playback", false, RINGPCM_STATE_DRAINING, 900, 1024, 1024, 900 },
};

static void test_avail_states(void)
{
	char name[160];

	for (size_t i = 0; i < N(avail_rows); i++) {
		struct ringpcm_status st;
		int64_t got;

		memset(&st, 0, sizeof(st));
		st.state = avail_rows[i].state;
		st.hw_ptr = avail_rows[i].hw;
		st.appl_ptr = avail_rows[i].appl;
		st.buffer_frames = avail_rows[i].buffer;
		got = rpcm__avail_of(avail_rows[i].capture, &st);
		snprintf(name, sizeof(name), "status avail: %s", avail_rows[i].what);
		unit_check(got == avail_rows[i].want, name, "got %lld, want %lld", (long long)got,
			   (long long)avail_rows[i].want);
	}
}

int main(void)
{
	test_every_field();
	test_avail_states();
	test_seqcount();
	return unit_exit("test-status");
}
