// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm-record: record from a ringpcm capture device into a 16-bit WAV.
 *
 * Records --seconds S (or until SIGINT/SIGTERM; the WAV is always closed
 * properly).  Copying mode reads with rpcm_read(); with --mmap libsndfile
 * writes the file straight from the ring (rpcm_mmap_begin/commit).  Overruns
 * are recovered from (PREPARE + START) and counted; the recording then has a
 * gap.  A disconnect ends the run with exit status 3 and a valid file.
 */
#include <errno.h>
#include <getopt.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example-util.h"

static const char *prog = "ringpcm-record";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [options] OUT.wav\n"
		"Records 16-bit audio into OUT.wav.\n"
		"  -R, --rate HZ       sample rate (default 48000)\n"
		"  -C, --channels N    channels (default 2)\n"
		"  -t, --seconds S     stop after S seconds (default: until SIGINT)\n"
		EX_COMMON_HELP, prog);
}

static bool written(SNDFILE *sf, const void *frames, uint32_t n)
{
	if (sf_writef_short(sf, frames, n) == (sf_count_t)n)
		return true;
	fprintf(stderr, "%s: writing the file: %s\n", prog, sf_strerror(sf));
	return false;
}

/* Zero copy: the file is written from the ring itself. 0, <0 error, EX_FAIL. */
static int step_mmap(SNDFILE *sf, struct rpcm *pcm, struct ex_run *run, uint64_t left)
{
	uint32_t frames;
	void *area;
	int err = rpcm_mmap_begin(pcm, &area, &frames);

	if (err)
		return err;
	if (!frames)
		return rpcm_wait(pcm, ex_wait_ms(pcm));
	if (frames > left)
		frames = (uint32_t)left;
	if (!written(sf, area, frames))
		return EX_FAIL;
	run->frames += frames;
	return rpcm_mmap_commit(pcm, frames);
}

/* Copying: rpcm_read into a buffer, then the file. */
static int step_read(SNDFILE *sf, struct rpcm *pcm, struct ex_run *run, short *buf,
		     uint32_t block, uint64_t left)
{
	int64_t r = rpcm_read(pcm, buf, left < block ? (uint32_t)left : block);

	if (r == -EAGAIN)
		return rpcm_wait(pcm, ex_wait_ms(pcm));
	if (r < 0)
		return (int)r;
	if (!written(sf, buf, (uint32_t)r))
		return EX_FAIL;
	run->frames += (uint64_t)r;
	return 0;
}

static int record(SNDFILE *sf, struct rpcm *pcm, const struct ex_opts *o, struct ex_run *run,
		  uint64_t total)
{
	uint32_t block = rpcm_params(pcm)->period_frames;
	short *buf = o->mmap ? NULL : malloc((size_t)block * rpcm_frame_bytes(pcm));
	int ret = 0, err = rpcm_start(pcm);

	if (err)
		ret = ex_handle_error(prog, pcm, run, err, o->quiet);
	while (!ret && !ex_stop && (!total || run->frames < total)) {
		uint64_t left = total ? total - run->frames : UINT32_MAX;
		int r = o->mmap ? step_mmap(sf, pcm, run, left)
				: step_read(sf, pcm, run, buf, block, left);

		if (r == EX_FAIL)
			ret = EX_FAIL;
		else if (r < 0)
			ret = ex_handle_error(prog, pcm, run, r, o->quiet);
	}
	free(buf);
	rpcm_drain(pcm, 0);	/* capture: stops */
	return ret;
}

static void parse_args(int argc, char **argv, struct ex_opts *o, uint32_t *rate,
		       uint32_t *channels, double *seconds)
{
	static const struct option opts[] = {
		EX_LONG_OPTS,
		{ "rate", required_argument, NULL, 'R' },
		{ "channels", required_argument, NULL, 'C' },
		{ "seconds", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, EX_SHORT_OPTS "R:C:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'R': *rate = (uint32_t)strtoul(optarg, &end, 10); break;
		case 'C': *channels = (uint32_t)strtoul(optarg, &end, 10); break;
		case 't': *seconds = strtod(optarg, &end); break;
		case 'h': usage(stdout); exit(EX_OK);
		default:
			if (ex_parse_common(o, c, optarg, prog))
				continue;
			usage(stderr);
			exit(EX_USAGE);
		}
		if (*end || !*optarg || *seconds < 0) {
			fprintf(stderr, "%s: bad value '%s' for -%c\n", prog, optarg, c);
			exit(EX_USAGE);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(EX_USAGE);
	}
}

int main(int argc, char **argv)
{
	uint32_t rate = 48000, channels = 2;
	struct ex_run run = { 0 };
	double seconds = 0;
	struct ex_opts o;
	struct rpcm *pcm;
	SF_INFO sfi;
	SNDFILE *sf;
	int ret;

	ex_defaults(&o);
	parse_args(argc, argv, &o, &rate, &channels, &seconds);
	ex_signals();
	pcm = ex_setup(prog, &o, RINGPCM_DIR_CAPTURE, rate, channels);
	if (!pcm)
		return EX_FAIL;
	sfi = (SF_INFO){ .samplerate = (int)rate, .channels = (int)channels,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	sf = sf_open(argv[optind], SFM_WRITE, &sfi);
	if (!sf) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], sf_strerror(NULL));
		rpcm_close(pcm);
		return EX_FAIL;
	}
	ret = record(sf, pcm, &o, &run, (uint64_t)(seconds * rate + 0.5));
	ex_report(prog, pcm, &run);
	rpcm_close(pcm);
	sf_close(sf);	/* writes the final header: a valid WAV in every case */
	return ret;
}
