/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ringpcm-play and ringpcm-record share: option values, capability
 * checks with readable errors, the setup and end-of-run reports, signals.
 */
#ifndef RINGPCM_EXAMPLE_UTIL_H
#define RINGPCM_EXAMPLE_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "ringpcm.h"

/* Exit statuses of both examples. */
enum {
	EX_OK = 0,
	EX_FAIL = 1,		/* setup or I/O error */
	EX_USAGE = 2,
	EX_DISCONNECTED = 3,	/* the device went away mid-stream */
	EX_INTERRUPTED = 130,	/* SIGINT/SIGTERM (ringpcm-play only) */
};

/* Common options. */
struct ex_opts {
	unsigned int card, device;
	uint32_t period_frames, periods;
	enum rpcm_ring_kind ring;
	uint32_t dma_mode;
	bool mmap;
	bool quiet;
};

/* Counters kept across xrun recoveries (each PREPARE resets hw_ptr). */
struct ex_run {
	uint64_t frames;		/* frames moved by the application */
	uint64_t xruns;			/* -EPIPE seen and recovered */
	uint64_t hw_before;		/* hw_ptr summed over earlier prepares */
	uint64_t suspends;		/* -ESTRPIPE (the machine slept) recovered */
	double recover_ms_max;		/* longest recovery from a sleep (PREPARE, START) */
};

extern volatile sig_atomic_t ex_stop;	/* set by SIGINT/SIGTERM */

void ex_defaults(struct ex_opts *o);
/* Parses one of the common options; false if `c` is not one of them. */
bool ex_parse_common(struct ex_opts *o, int c, const char *arg, const char *prog);
/* The common part of getopt's option string and long options. */
#define EX_SHORT_OPTS	"c:d:p:n:r:D:mq"
#define EX_LONG_OPTS							\
	{ "card", required_argument, NULL, 'c' },			\
	{ "device", required_argument, NULL, 'd' },			\
	{ "period", required_argument, NULL, 'p' },			\
	{ "periods", required_argument, NULL, 'n' },			\
	{ "ring", required_argument, NULL, 'r' },			\
	{ "dma", required_argument, NULL, 'D' },			\
	{ "mmap", no_argument, NULL, 'm' },				\
	{ "quiet", no_argument, NULL, 'q' }
#define EX_COMMON_HELP							\
	"  -c, --card N        card (default 0)\n"			\
	"  -d, --device N      device (default 0)\n"			\
	"  -p, --period FRAMES period size in frames (default 1024)\n"	\
	"  -n, --periods N     periods in the ring (default 4)\n"	\
	"  -r, --ring KIND     ring memory: anon, memfd or huge (default anon)\n" \
	"  -D, --dma MODE      auto, map-once or copy (default auto)\n"	\
	"  -m, --mmap          zero-copy: work in the ring (rpcm_mmap_begin/commit)\n" \
	"                      instead of rpcm_write/rpcm_read\n"	\
	"  -q, --quiet         only errors and the final report\n"

void ex_signals(void);
/* Opens the stream, checks S16/rate/channels and sets everything up to
 * PREPARED; prints a clear error and returns NULL on failure. */
struct rpcm *ex_setup(const char *prog, const struct ex_opts *o, enum ringpcm_direction dir,
		      uint32_t rate, uint32_t channels);
/* Longest sensible wait for one period (ms). */
int ex_wait_ms(const struct rpcm *pcm);
/* Handles a negative result of the transfer path: recovers an xrun (counted),
 * returns 0 to continue or an exit status. */
int ex_handle_error(const char *prog, struct rpcm *pcm, struct ex_run *run, int err,
		    bool quiet);
/* The final line(s): position and xrun figures. */
void ex_report(const char *prog, struct rpcm *pcm, const struct ex_run *run);

#endif /* RINGPCM_EXAMPLE_UTIL_H */
