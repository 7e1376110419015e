// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm status page reader: a lock-free snapshot of the page the driver
 * publishes under a sequence counter, and what follows from it (avail).
 */
#include <errno.h>
#include <stdbool.h>
#include <sched.h>
#include <string.h>

#include "ringpcm-math.h"
#include "ringpcm-state.h"
#include "rpcm-priv.h"

/*
 * Every field of the page, the ones added in later ABI minors included: the
 * page is copied whole, word by word, so that no field the driver publishes
 * can be left out (a field-by-field copy once forgot status.lost_laps).  The
 * layout is all 32- and 64-bit fields, each naturally aligned (see test-abi),
 * and the page is page-aligned: a native word (64 bits on x86-64, 32 on
 * i386) never splits a field across two loads that could tear, and a field
 * wider than a word, read as two halves, is made consistent by the seq
 * check, like every other pair.  The copy is unrolled: the reader runs
 * several times per period in every client (the ALSA plugin's pointer and
 * poll callbacks), and a counted loop of 28 32-bit words cost about five
 * times the 14 loads and stores it is now (tools/insns, aplay -M).
 */
typedef unsigned long __attribute__((may_alias)) status_word;

#define STATUS_WORDS	(sizeof(struct ringpcm_status) / sizeof(status_word))

_Static_assert(sizeof(struct ringpcm_status) % sizeof(status_word) == 0,
	       "the status page is a whole number of words");

static inline void load_fields(const struct ringpcm_status *page, struct ringpcm_status *st)
{
	const status_word *from = (const status_word *)page;
	status_word *to = (status_word *)st;
	size_t i;

#pragma GCC unroll 32
	for (i = 0; i < STATUS_WORDS; i++)
		to[i] = __atomic_load_n(&from[i], __ATOMIC_RELAXED);
}

static void cpu_relax(unsigned int *spins)
{
	if (++*spins % 256 == 0) {
		sched_yield();	/* the writer may have been preempted mid-update */
		return;
	}
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/*
 * The reader side of the driver's seqcount, exactly as the UAPI header
 * documents: acquire-load seq (pairs with the writer's release of the final
 * increment); odd means a write in progress; load the fields; read barrier
 * (the acquire fence orders the field loads before the reload of seq); a
 * changed seq means a torn snapshot: retry.  The fence also orders the field
 * loads before any later read of ring data, which is what makes "frames below
 * hw_ptr may be read" hold for capture.
 */
/* One attempt: false if a write was in progress or the snapshot is torn. */
static inline bool try_read(const struct ringpcm_status *page, struct ringpcm_status *st)
{
	__u32 seq = __atomic_load_n(&page->seq, __ATOMIC_ACQUIRE);

	if (seq & 1)
		return false;
	load_fields(page, st);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&page->seq, __ATOMIC_RELAXED) != seq)
		return false;
	st->seq = seq;
	return true;
}

/* Out of line, so that the usual first-try success is straight-line code. */
static __attribute__((noinline, cold)) void read_contended(const struct ringpcm_status *page,
							   struct ringpcm_status *st)
{
	unsigned int spins = 0;

	do
		cpu_relax(&spins);
	while (!try_read(page, st));
}

void rpcm__status_read(const struct ringpcm_status *page, struct ringpcm_status *st)
{
	if (!try_read(page, st))
		read_contended(page, st);
}

RPCM_EXPORT void rpcm_status(const struct rpcm *pcm, struct ringpcm_status *st)
{
	if (!pcm->status) {
		memset(st, 0, sizeof(*st));
		st->state = RINGPCM_STATE_OPEN;
		return;
	}
	rpcm__status_read(pcm->status, st);
}

RPCM_EXPORT uint32_t rpcm_state(const struct rpcm *pcm)
{
	if (!pcm->status)
		return RINGPCM_STATE_OPEN;
	return __atomic_load_n(&pcm->status->state, __ATOMIC_ACQUIRE);
}

int64_t rpcm__avail_of(bool capture, const struct ringpcm_status *st)
{
	int64_t avail;
	int err = ringpcm_state_error(st->state);

	if (err)
		return err;
	if (st->state == RINGPCM_STATE_OPEN || st->state == RINGPCM_STATE_SETUP ||
	    !st->buffer_frames)
		return -EBADFD;
	avail = ringpcm_avail(capture, st->hw_ptr, st->appl_ptr, st->buffer_frames);
	/*
	 * Outside [0, buffer] only transiently, between the position refresh
	 * and the interrupt that declares the xrun: never offer more than a ring.
	 */
	if (avail < 0)
		return 0;
	return avail > st->buffer_frames ? st->buffer_frames : avail;
}

RPCM_EXPORT int64_t rpcm_avail(const struct rpcm *pcm)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	return rpcm__avail_of(pcm->capture, &st);
}

RPCM_EXPORT int rpcm_hwsync(struct rpcm *pcm)
{
	return rpcm__ioctl(pcm, RINGPCM_IOCTL_HWSYNC, NULL, "HWSYNC");
}

RPCM_EXPORT uint64_t rpcm_appl_ptr(const struct rpcm *pcm)
{
	return pcm->appl_ptr;
}
