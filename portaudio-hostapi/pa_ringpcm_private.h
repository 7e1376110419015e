/* SPDX-License-Identifier: MIT */
/*
 * RingPCM host API for PortAudio: structures shared by the backend's files.
 *
 *   pa_ringpcm_hostapi.c  registration, device list, format checks, open/close
 *   pa_ringpcm_stream.c   start/stop, the callback thread, timing, xruns
 *   pa_ringpcm_blocking.c Pa_ReadStream/Pa_WriteStream
 *   pa_ringpcm_plan.c     period and ring sizes (pure arithmetic)
 *
 * Errors: internal functions return 0 or a negative errno, as libringpcm
 * does; rp_error() turns that into a PaError (and the host error info) at the
 * PortAudio boundary.  Nothing is printed unless RINGPCM_DEBUG is set.
 */
#ifndef PA_RINGPCM_PRIVATE_H
#define PA_RINGPCM_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "portaudio.h"
#include "pa_hostapi.h"
#include "pa_stream.h"
#include "pa_cpuload.h"
#include "pa_process.h"
#include "pa_allocation.h"

#include "ringpcm.h"
#include "pa_linux_ringpcm.h"
#include "pa_ringpcm_plan.h"

/* One PortAudio device: a card/device pair with its playback and capture nodes. */
struct rp_device {
	PaDeviceInfo base;
	unsigned int card;
	unsigned int device;
	bool has[2];				/* [RP_OUT], [RP_IN] */
	char *path[2];				/* /dev/ringpcmC<c>D<d>{p,c} */
	struct ringpcm_info info[2];		/* cached at Pa_Initialize */
	double default_rate;
};

struct rp_hostapi {
	PaUtilHostApiRepresentation base;
	PaUtilStreamInterface callback_if;
	PaUtilStreamInterface blocking_if;
	PaUtilAllocationGroup *alloc;
	struct rp_device *devices;
	int n_devices;
};

/* One direction of a stream.  Owned by whoever runs the stream (see below). */
struct rp_dir {
	struct rpcm *pcm;
	int card, device;
	unsigned int user_channels;
	unsigned int host_channels;		/* >= user_channels (device minimum) */
	PaSampleFormat host_format;		/* paInt16 or paInt32 */
	unsigned int sample_bytes;
	unsigned int frame_bytes;
	uint32_t period;			/* frames */
	uint32_t periods;
	uint32_t buffer;			/* frames = period * periods */
	uint32_t fifo;				/* frames the device holds beyond the DMA position */
	char *ring;
	PaRingPcmRingPlacement placement;
};

enum rp_stop { RP_RUN = 0, RP_STOP_DRAIN, RP_STOP_ABORT };

/*
 * Ownership: between Pa_StartStream and the join in stop/abort, the
 * callback thread alone touches the rpcm handles and the buffer processor;
 * otherwise the caller of the Pa_* function does.  The atomics are the
 * only fields shared while the thread runs.
 */
struct rp_stream {
	PaUtilStreamRepresentation rep;
	PaUtilCpuLoadMeasurer cpu;
	PaUtilBufferProcessor bp;
	struct rp_hostapi *api;
	struct rp_dir dir[2];
	bool has[2];
	double rate;
	PaStreamFlags flags;
	bool callback_mode;
	bool bp_ready;
	bool rt;				/* SCHED_FIFO requested */
	int rt_priority;

	pthread_t thread;
	bool thread_running;			/* caller-owned: a thread to join */
	int wake[2];				/* pipe: stop/abort wake the thread */
	atomic_int stop;			/* enum rp_stop, set by stop/abort */
	atomic_bool active;			/* Pa_IsStreamActive */
	atomic_bool stopped;			/* Pa_IsStreamStopped */
	atomic_bool finished_called;		/* streamFinishedCallback done */
	atomic_int thread_error;		/* why the thread gave up, -errno */

	PaStreamCallbackFlags xrun_flags;	/* thread-owned: for the next callback */
	bool underflowed, overflowed;		/* blocking: one-shot return codes */
};

/* pa_ringpcm_hostapi.c */
PaError rp_error(int err);
void rp_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double rp_now(void);

/* pa_ringpcm_stream.c */
PaError rp_start(PaStream *s);
PaError rp_stop(PaStream *s);
PaError rp_abort(PaStream *s);
PaError rp_is_stopped(PaStream *s);
PaError rp_is_active(PaStream *s);
PaTime rp_stream_time(PaStream *s);
double rp_cpu_load(PaStream *s);
int rp_dir_restart(struct rp_stream *s, int d, int why);
int rp_devices_start(struct rp_stream *s);
void rp_devices_drop(struct rp_stream *s);
int rp_drain_output(struct rp_stream *s);
int rp_wait_ready(struct rp_stream *s, int mask, uint32_t need, int quit_on);
void rp_set_host_channels(struct rp_stream *s, int d, uint64_t pos, uint32_t frames);

/* pa_ringpcm_blocking.c */
PaError rp_read(PaStream *s, void *buffer, unsigned long frames);
PaError rp_write(PaStream *s, const void *buffer, unsigned long frames);
signed long rp_read_available(PaStream *s);
signed long rp_write_available(PaStream *s);

#endif /* PA_RINGPCM_PRIVATE_H */
