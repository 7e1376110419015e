// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-hup: streams until the device goes away, and says how the client
 * learnt it (tests/guest/50-fault-hotplug.sh unplugs the controller under
 * it).
 *
 *   rpcm-hup playback|capture [SECONDS]      card $RINGPCM_CARD (default 0)
 *
 * Runs a 8 x 1024-frame, 48 kHz stereo stream through libringpcm (the ring
 * mapped by the library, silence written / data read in place), waiting in
 * poll() on the stream's fd.  Prints "streaming" once periods arrive, then,
 * when poll reports POLLHUP, one line
 *
 *   hup DIR at=EPOCH_MS gap_ms=G period_ms=P frames=F wait=E hwsync=E commit=E state=S xruns=X
 *
 * G: time from the last poll wake that brought a period to the POLLHUP
 * wake; E: what rpcm_wait, HWSYNC and COMMIT then return; S: the status
 * page's state.  Exit status 0 after a POLLHUP, 1 if none came within
 * SECONDS (default 30) or the stream failed otherwise, 2 if it could not
 * start.
 */
#include <poll.h>
#include <sys/time.h>

#include "prog-lib.h"

#define RATE	48000
#define CH	2
#define PERIOD	1024
#define PERIODS	8

static long long epoch_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000LL + tv.tv_usec / 1000;
}

static const char *errname(int err)
{
	switch (err) {
	case 0: return "0";
	case -ENODEV: return "ENODEV";
	case -EPIPE: return "EPIPE";
	case -EBADFD: return "EBADFD";
	case -ETIMEDOUT: return "ETIMEDOUT";
	case -EIO: return "EIO";
	default: return pu_err(err);
	}
}

/* Moves whatever is available: silence in (playback), data out (capture). */
static int move(struct rpcm *pcm, bool capture)
{
	void *area;
	uint32_t frames;
	int err, moved = 0;

	while ((err = rpcm_mmap_begin(pcm, &area, &frames)) == 0 && frames) {
		if (!capture)
			memset(area, 0, (size_t)frames * rpcm_frame_bytes(pcm));
		err = rpcm_mmap_commit(pcm, frames);
		if (err)
			return err;
		moved += frames;
	}
	return err ? err : moved;
}

int main(int argc, char **argv)
{
	bool capture = argc > 1 && !strcmp(argv[1], "capture");
	double seconds = argc > 2 ? atof(argv[2]) : 30;
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	const char *dir = capture ? "capture" : "playback";
	struct rpcm *pcm = NULL;
	struct ringpcm_status st;
	double t0, last_period = 0;
	uint64_t last_hw = 0;
	long xruns = 0;
	bool said = false;
	int err;

	if (argc < 2 || (!capture && strcmp(argv[1], "playback"))) {
		fprintf(stderr, "usage: rpcm-hup playback|capture [SECONDS]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	err = pu_lib_prepared(&pcm, capture ? RINGPCM_DIR_CAPTURE : RINGPCM_DIR_PLAYBACK,
			      O_NONBLOCK, &p, RPCM_RING_ANON);
	if (!err && !capture)
		err = move(pcm, false) < 0;
	if (!err)
		err = rpcm_start(pcm);
	if (err) {
		printf("rpcm-hup %s: cannot start: %s %s\n", dir, pu_err(err), pcm ? rpcm_last_error(pcm) : "");
		rpcm_close(pcm);
		return 2;
	}
	t0 = pu_now() * 1e3;
	for (;;) {
		struct pollfd pfd = { rpcm_fd(pcm), capture ? POLLIN : POLLOUT, 0 };
		int n = poll(&pfd, 1, 1000);
		double now = pu_now() * 1e3;

		if (n < 0 && errno != EINTR) {
			printf("rpcm-hup %s: poll: %s\n", dir, strerror(errno));
			break;
		}
		if (pfd.revents & POLLHUP) {
			int w = rpcm_wait(pcm, 100);
			int h = rpcm_hwsync(pcm);
			int c = rpcm_commit(pcm, rpcm_appl_ptr(pcm));

			rpcm_status(pcm, &st);
			printf("hup %s at=%lld gap_ms=%.1f period_ms=%.1f frames=%llu wait=%s hwsync=%s "
			       "commit=%s state=%s xruns=%ld\n", dir, epoch_ms(), now - last_period,
			       PERIOD * 1e3 / RATE, (unsigned long long)st.hw_ptr, errname(w),
			       errname(h), errname(c), rpcm_state_name(st.state), xruns);
			rpcm_close(pcm);
			return 0;
		}
		rpcm_status(pcm, &st);
		if (st.hw_ptr != last_hw) {
			last_hw = st.hw_ptr;
			last_period = now;
			if (!said && st.hw_ptr >= 4 * PERIOD) {
				printf("streaming %s\n", dir);
				said = true;
			}
		}
		err = move(pcm, capture);
		if (err == -EPIPE) {
			xruns++;
			err = rpcm_recover(pcm, err);
			if (!err && !capture && (err = move(pcm, false)) >= 0)
				err = rpcm_start(pcm);
		}
		if (err < 0 && err != -ENODEV && err != -EAGAIN) {
			printf("rpcm-hup %s: stream failed: %s\n", dir, pu_err(err));
			break;
		}
		if (now - t0 > seconds * 1e3) {
			rpcm_status(pcm, &st);
			printf("rpcm-hup %s: no POLLHUP within %.0f s (state %s, hw_ptr %llu)\n", dir,
			       seconds, rpcm_state_name(st.state), (unsigned long long)st.hw_ptr);
			break;
		}
	}
	rpcm_close(pcm);
	return 1;
}
