/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libringpcm: the one user-space client of the ringpcm kernel ABI
 * (kernel/uapi/ringpcm.h), shared by the ALSA plugin, the PortAudio host API,
 * the tools and the examples.
 *
 * Conventions: every call returns 0 (or a non-negative count) on success and
 * a negative errno on failure; nothing is printed (set RINGPCM_DEBUG=1 in the
 * environment to get diagnostics on stderr).  A handle is used by one thread
 * at a time, except rpcm_status()/rpcm_avail(), which only read the mapped
 * status page and may be called from any thread, and rpcm_fd().
 */
#ifndef RINGPCM_CLIENT_H
#define RINGPCM_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kernel/uapi/ringpcm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rpcm;

/* Where rpcm_alloc_ring() places the ring. */
enum rpcm_ring_kind {
	RPCM_RING_ANON = 0,	/* page-aligned anonymous memory (default) */
	RPCM_RING_MEMFD = 1,	/* a memfd, shareable with another process */
	RPCM_RING_HUGE = 2,	/* MAP_HUGETLB: few DMA segments, large rings */
};

/*
 * Open only to observe a stream someone else may be driving (a read-only
 * open): INFO, the status page, poll and the mixer work; stream calls fail
 * with -EPERM.
 */
#define RPCM_OPEN_OBSERVE	0x40000000

/* Open /dev/ringpcmC<card>D<device>{p,c}; flags may hold O_NONBLOCK and
 * RPCM_OPEN_OBSERVE.  Checks the ABI major (-EPROTO), reads INFO, maps the
 * status page.  -ENOENT no such device, -EBUSY the stream has an opener
 * already (never for an observer). */
int rpcm_open(struct rpcm **out, unsigned int card, unsigned int device,
	      enum ringpcm_direction dir, int flags);
int rpcm_open_path(struct rpcm **out, const char *path, int flags);
/* Stops the stream, detaches and frees the ring, closes. NULL is fine. */
void rpcm_close(struct rpcm *pcm);

int rpcm_fd(const struct rpcm *pcm);
const struct ringpcm_info *rpcm_info(const struct rpcm *pcm);
bool rpcm_is_capture(const struct rpcm *pcm);

/* HW_PARAMS; stops a running stream and detaches (and frees, if owned) a
 * previously attached ring first; sets avail_min to one period.  -EINVAL
 * parameters outside INFO's limits or non-zero reserved fields. */
int rpcm_set_params(struct rpcm *pcm, const struct ringpcm_hw_params *params);
const struct ringpcm_hw_params *rpcm_params(const struct rpcm *pcm);
unsigned int rpcm_frame_bytes(const struct rpcm *pcm);
unsigned int rpcm_buffer_frames(const struct rpcm *pcm);
int rpcm_set_avail_min(struct rpcm *pcm, uint32_t frames);

/* Allocate a ring of exactly one buffer and attach it (owned by the handle).
 * -ENOMEM (for RPCM_RING_HUGE: no free huge pages, see rpcm_last_error()),
 * and ATTACH_RING's: -E2BIG (more BDL entries than the controller has, in
 * MAP_ONCE mode), -EFAULT, -EBADFD (no parameters yet). */
int rpcm_alloc_ring(struct rpcm *pcm, enum rpcm_ring_kind kind);
/* Attach the caller's ring (bytes == buffer bytes); the caller keeps ownership. */
int rpcm_attach_ring(struct rpcm *pcm, void *addr, size_t bytes);
int rpcm_detach_ring(struct rpcm *pcm);
void *rpcm_ring(const struct rpcm *pcm);
/* What ATTACH_RING reported: dma mode, segments, BDL entries, flags. */
const struct ringpcm_ring *rpcm_ring_info(const struct rpcm *pcm);

/* PREPARE resets hw_ptr and appl_ptr to 0.  START: -EPIPE for a playback
 * ring with nothing committed; -EBADFD unless PREPARED. */
int rpcm_prepare(struct rpcm *pcm);
int rpcm_start(struct rpcm *pcm);
int rpcm_drop(struct rpcm *pcm);
/* Playback: starts a prepared stream and waits until played, the end heard
 * (the driver plays silence after it for info.fifo_bytes and
 * info.backend_delay_us, then to a period end), or timeout_ms (-ETIMEDOUT,
 * still draining: call again to keep waiting; -1 = none).  Capture: stops. */
int rpcm_drain(struct rpcm *pcm, int timeout_ms);
int rpcm_pause(struct rpcm *pcm, bool pause);

/* Lock-free snapshot of the mapped status page (no system call). */
void rpcm_status(const struct rpcm *pcm, struct ringpcm_status *st);
/* The state alone (enum ringpcm_state), one load from the page. */
uint32_t rpcm_state(const struct rpcm *pcm);
/* Ask the driver to refresh the position from the DMA engine now. */
int rpcm_hwsync(struct rpcm *pcm);
/* Frames available to write (playback) or read (capture); -EPIPE on xrun,
 * -ESTRPIPE after a system sleep (state SUSPENDED), -ENODEV when
 * disconnected, -EBADFD before PREPARE. */
int64_t rpcm_avail(const struct rpcm *pcm);
uint64_t rpcm_appl_ptr(const struct rpcm *pcm);
/* Hand appl_ptr to the driver (free-running frames). */
int rpcm_commit(struct rpcm *pcm, uint64_t appl_ptr);

/*
 * Zero-copy access: the contiguous ring area at appl_ptr and how many frames
 * may be written/read there now; then rpcm_mmap_commit(frames).
 */
int rpcm_mmap_begin(struct rpcm *pcm, void **area, uint32_t *frames);
int rpcm_mmap_commit(struct rpcm *pcm, uint32_t frames);

/* Copying convenience for simple clients: blocks unless O_NONBLOCK; returns
 * frames transferred, -EPIPE on xrun, -ENODEV on disconnect.  A PREPARED
 * stream is started when it must be (playback: the ring is full; capture:
 * always); -EAGAIN (O_NONBLOCK, nothing moved), -EINTR (signal), -EBADFD
 * (not prepared, or paused with nothing to move). */
int64_t rpcm_write(struct rpcm *pcm, const void *buf, uint32_t frames);
int64_t rpcm_read(struct rpcm *pcm, void *buf, uint32_t frames);

/* poll() for avail >= avail_min: 0 ready, -ETIMEDOUT, -EPIPE, -ESTRPIPE,
 * -ENODEV, -EINTR.  Also 0 when the driver reports readiness for a state change
 * (e.g. PAUSED, end of DRAINING): re-check the state. */
int rpcm_wait(struct rpcm *pcm, int timeout_ms);
/* After -EPIPE or -ESTRPIPE (SUSPENDED: the machine slept, the ring is kept):
 * PREPARE (and START for capture); 0 or the error.  Every transfer call
 * returns -ESTRPIPE while SUSPENDED, as ALSA's do. */
int rpcm_recover(struct rpcm *pcm, int err);

/* Mixer through a stream handle or the card's control device. */
int rpcm_mixer_get(int fd, struct ringpcm_mixer *m);
int rpcm_mixer_set(int fd, const struct ringpcm_mixer *m);
/* /dev/ringpcmC<card>ctl: mixer without claiming a stream; returns an fd. */
int rpcm_ctl_open(unsigned int card);
/* The codecs' pins and jack states (ABI 1.4; -ENOTTY from an older driver),
 * and the capture source by input pin NID (-EINVAL, -ENOENT as the ABI says). */
int rpcm_pins_get(int fd, struct ringpcm_pins *p);
int rpcm_capture_source_set(int fd, uint32_t nid);

const char *rpcm_state_name(uint32_t state);
const char *rpcm_dma_mode_name(uint32_t mode);

/* Additions (ABI-compatible) ------------------------------------------- */

/* "S16_LE", "S32_LE" or "UNKNOWN". */
const char *rpcm_format_name(uint32_t format);
/* A sentence explaining the handle's last failure ("" if none), e.g. why a
 * MAP_HUGETLB ring could not be allocated; for messages, never parsed. */
const char *rpcm_last_error(const struct rpcm *pcm);
/* The memfd behind an attached RPCM_RING_MEMFD ring (owned by the handle:
 * dup() it to share the ring), else -ENOENT. */
int rpcm_ring_memfd(const struct rpcm *pcm);

#ifdef __cplusplus
}
#endif

#endif /* RINGPCM_CLIENT_H */
