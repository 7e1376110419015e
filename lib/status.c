// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libringpcm status page reader: a lock-free snapshot of the page the driver
 * publishes under a sequence counter, and what follows from it (avail).
 */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "ringpcm-math.h"
#include "rpcm-priv.h"

#define LOAD(field)	__atomic_load_n(&page->field, __ATOMIC_RELAXED)

static void load_fields(const struct ringpcm_status *page, struct ringpcm_status *st)
{
	unsigned int i;

	st->state = LOAD(state);
	st->hw_ptr = LOAD(hw_ptr);
	st->appl_ptr = LOAD(appl_ptr);
	st->tstamp_ns = LOAD(tstamp_ns);
	st->xruns = LOAD(xruns);
	st->periods_elapsed = LOAD(periods_elapsed);
	st->irqs = LOAD(irqs);
	st->irq_ns = LOAD(irq_ns);
	st->buffer_frames = LOAD(buffer_frames);
	st->period_frames = LOAD(period_frames);
	st->avail_min = LOAD(avail_min);
	st->dma_mode = LOAD(dma_mode);
	for (i = 0; i < sizeof(st->reserved) / sizeof(st->reserved[0]); i++)
		st->reserved[i] = LOAD(reserved[i]);
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
void rpcm__status_read(const struct ringpcm_status *page, struct ringpcm_status *st)
{
	unsigned int spins = 0;
	__u32 seq;

	for (;;) {
		seq = __atomic_load_n(&page->seq, __ATOMIC_ACQUIRE);
		if (!(seq & 1)) {
			load_fields(page, st);
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			if (__atomic_load_n(&page->seq, __ATOMIC_RELAXED) == seq)
				break;
		}
		cpu_relax(&spins);
	}
	st->seq = seq;
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

uint32_t rpcm__state(const struct rpcm *pcm)
{
	if (!pcm->status)
		return RINGPCM_STATE_OPEN;
	return __atomic_load_n(&pcm->status->state, __ATOMIC_ACQUIRE);
}

int64_t rpcm__avail_of(bool capture, const struct ringpcm_status *st)
{
	int64_t avail;

	switch (st->state) {
	case RINGPCM_STATE_XRUN:
		return -EPIPE;
	case RINGPCM_STATE_DISCONNECTED:
		return -ENODEV;
	case RINGPCM_STATE_OPEN:
	case RINGPCM_STATE_SETUP:
		return -EBADFD;
	}
	if (!st->buffer_frames)
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
