/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated ringpcm driver behind libringpcm's system-call table, for host
 * tests of the library.  Deterministic: the "DMA engine" advances one period
 * per poll() that has to wait (time passes only while the library waits).
 * It keeps what the library committed the way the real driver syncs it for
 * the device at COMMIT, so data written after its commit plays stale.
 */
#ifndef FAKE_DRIVER_H
#define FAKE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/ringpcm.h"

#define FAKE_FD	4242

struct fake {
	bool opened;
	bool capture;
	int file_flags;			/* O_NONBLOCK toggled by the library */
	struct ringpcm_info info;
	struct ringpcm_status *page;	/* the mapped status page */
	bool page_mapped;
	bool have_params;
	struct ringpcm_hw_params hw;
	bool attached;
	uint8_t *ring;			/* the application's ring */
	uint64_t ring_bytes;
	uint8_t *synced;		/* playback: ring content as of each COMMIT */
	uint8_t *played;		/* playback: everything the engine fetched */
	size_t played_bytes, played_cap;
	uint32_t version;		/* what PVERSION reports */
	uint64_t drain_end, silence_ptr;	/* the driver's drain, as the kernel does it */
	/* counters for the tests */
	unsigned int polls, commits, drops, detaches, drains, hwsyncs, starts;
	int last_error_ioctl_nr;	/* _IOC_NR of the last failing ioctl */
};

extern struct fake fake;

/* Reset and route the library's system calls to the simulation. */
void fake_install(void);
/* Advance the engine by one period (as an interrupt would). */
void fake_period(void);
void fake_disconnect(void);
/* A system sleep, as the kernel's suspend does it: PREPARED, RUNNING, XRUN,
 * DRAINING and PAUSED streams move to SUSPENDED (engine stopped, ring kept). */
void fake_suspend(void);
/* The S16 value the simulated capture engine writes for frame f, channel c. */
int16_t fake_capture_sample(uint64_t frame, unsigned int channel);

#endif /* FAKE_DRIVER_H */
