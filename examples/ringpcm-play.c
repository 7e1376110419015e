// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm-play: play any file libsndfile reads through a ringpcm device.
 *
 * Copying mode hands each block to rpcm_write(); with --mmap the file is
 * decoded straight into the ring (rpcm_mmap_begin/commit): the DMA engine
 * then reads the very pages libsndfile wrote, no copy in between.  Xruns are
 * recovered from and counted; a disconnect ends the run with exit status 3.
 */
#include <errno.h>
#include <getopt.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example-util.h"

static const char *prog = "ringpcm-play";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [options] FILE\n"
		"Plays FILE (any format libsndfile reads, as 16-bit; its rate and channel\n"
		"count must be ones the device supports; a mono file goes to both channels\n"
		"of a stereo-only device).\n" EX_COMMON_HELP, prog);
}

/*
 * Decode up to `frames` frames into `area`, which holds that many frames of
 * the device's channel count.  A mono file on a stereo device is decoded
 * into the start of `area` and spread in place, from the end backwards, so
 * that every sample lands in both channels unchanged.
 */
static sf_count_t read_frames(SNDFILE *sf, int file_channels, struct rpcm *pcm, short *area,
			      uint32_t frames)
{
	unsigned int dev_channels = rpcm_params(pcm)->channels;
	sf_count_t n = sf_readf_short(sf, area, frames);

	if (file_channels == 1 && dev_channels > 1)
		for (sf_count_t i = n - 1; i >= 0; i--)
			for (unsigned int c = 0; c < dev_channels; c++)
				area[i * dev_channels + c] = area[i];
	return n;
}

/* Start a prepared stream once its ring is full (ALSA's default threshold). */
static int start_if_full(struct rpcm *pcm)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	if (st.state != RINGPCM_STATE_PREPARED || rpcm_avail(pcm) > 0)
		return 0;
	return rpcm_start(pcm);
}

/* Zero copy: libsndfile decodes into the ring; 1 at end of file, 0 to go on, <0 error. */
static int step_mmap(SNDFILE *sf, int file_channels, struct rpcm *pcm, struct ex_run *run)
{
	uint32_t frames;
	void *area;
	sf_count_t n;
	int err = rpcm_mmap_begin(pcm, &area, &frames);

	if (err)
		return err;
	if (!frames) {
		err = start_if_full(pcm);
		return err ? err : rpcm_wait(pcm, ex_wait_ms(pcm));
	}
	n = read_frames(sf, file_channels, pcm, area, frames);
	if (n > 0) {
		err = rpcm_mmap_commit(pcm, (uint32_t)n);
		if (err)
			return err;
		run->frames += (uint64_t)n;
	}
	if (n < (sf_count_t)frames)
		return 1;
	return start_if_full(pcm);
}

/* Copying: one block through rpcm_write (non-blocking handle). */
static int step_write(SNDFILE *sf, int file_channels, struct rpcm *pcm, struct ex_run *run,
		      short *buf, uint32_t block, uint32_t *have, uint32_t *done)
{
	unsigned int fb = rpcm_frame_bytes(pcm);
	int64_t r;

	if (*done == *have) {
		sf_count_t n = read_frames(sf, file_channels, pcm, buf, block);

		if (n <= 0)
			return 1;
		*have = (uint32_t)n;
		*done = 0;
	}
	r = rpcm_write(pcm, (char *)buf + (size_t)*done * fb, *have - *done);
	if (r == -EAGAIN)
		return rpcm_wait(pcm, ex_wait_ms(pcm));
	if (r < 0)
		return (int)r;
	*done += (uint32_t)r;
	run->frames += (uint64_t)r;
	return 0;
}

static int play(SNDFILE *sf, int file_channels, struct rpcm *pcm, const struct ex_opts *o,
		struct ex_run *run)
{
	uint32_t block = rpcm_params(pcm)->period_frames, have = 0, done = 0;
	short *buf = o->mmap ? NULL : malloc((size_t)block * rpcm_frame_bytes(pcm));
	int ret = 0;

	if (!o->mmap && !buf)
		return EX_FAIL;
	while (!ex_stop) {
		int r = o->mmap ? step_mmap(sf, file_channels, pcm, run)
				: step_write(sf, file_channels, pcm, run, buf, block, &have, &done);

		if (r == 1)
			break;
		if (r < 0 && (ret = ex_handle_error(prog, pcm, run, r, o->quiet)))
			break;
	}
	free(buf);
	return ret;
}

static int finish(struct rpcm *pcm, int ret)
{
	int err;

	if (ret)
		return ret;
	if (ex_stop) {
		rpcm_drop(pcm);
		fprintf(stderr, "%s: interrupted\n", prog);
		return EX_INTERRUPTED;
	}
	do	/* a drain interrupted by a signal resumes where it was */
		err = rpcm_drain(pcm, ex_wait_ms(pcm) * 2);
	while (err == -EINTR && !ex_stop);
	if (err == -ENODEV || err == -ETIMEDOUT)
		return ex_handle_error(prog, pcm, &(struct ex_run){ 0 }, err, false);
	if (err && err != -EINTR) {
		fprintf(stderr, "%s: drain: %s\n", prog, strerror(-err));
		return EX_FAIL;
	}
	return ex_stop ? EX_INTERRUPTED : EX_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		EX_LONG_OPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ex_run run = { 0 };
	SF_INFO sfi = { 0 };
	struct ex_opts o;
	struct rpcm *pcm;
	SNDFILE *sf;
	int c, ret;

	ex_defaults(&o);
	while ((c = getopt_long(argc, argv, EX_SHORT_OPTS "h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EX_OK;
		}
		if (!ex_parse_common(&o, c, optarg, prog)) {
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_USAGE;
	}
	sf = sf_open(argv[optind], SFM_READ, &sfi);
	if (!sf) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], sf_strerror(NULL));
		return EX_FAIL;
	}
	ex_signals();
	pcm = ex_setup(prog, &o, RINGPCM_DIR_PLAYBACK, (uint32_t)sfi.samplerate,
		       (uint32_t)sfi.channels);
	if (!pcm) {
		sf_close(sf);
		return EX_FAIL;
	}
	ret = finish(pcm, play(sf, sfi.channels, pcm, &o, &run));
	ex_report(prog, pcm, &run);
	rpcm_close(pcm);
	sf_close(sf);
	return ret;
}
