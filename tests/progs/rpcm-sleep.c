// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-sleep: a stream across a system sleep.  Brings one stream to a state
 * (prepared, paused or running), sets the mixer away from its default,
 * writes READY_FILE, then waits for the machine to sleep and wake (the test
 * script sleeps it).  Checks that the stream is SUSPENDED, poll reports
 * POLLERR, the transport calls fail with -ESTRPIPE and the ring stayed
 * attached; recovers as an ALSA application does (PREPARE, then START) and
 * checks that the stream runs again and the mixer kept its values.  Prints
 * PASS/FAIL lines and INFO lines with the recovery time.
 *
 *   rpcm-sleep p|c prepared|paused|running READY_FILE [SECONDS]
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "prog-lib.h"

#define RATE	48000
#define CH	2
#define PERIOD	2048
#define PERIODS	8
#define BUFFER	(PERIOD * PERIODS)

static int16_t silence[BUFFER * CH];

static struct rpcm *setup(enum ringpcm_direction dir)
{
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = RATE, .channels = CH,
		.period_frames = PERIOD, .periods = PERIODS,
	};
	struct rpcm *pcm = NULL;
	int err = pu_lib_prepared(&pcm, dir, 0, &p, RPCM_RING_ANON);

	if (!CHECK(!err, "stream set up", "%s", pu_err(err))) {
		rpcm_close(pcm);
		exit(unit_exit("rpcm-sleep"));
	}
	return pcm;
}

static uint32_t state_of(struct rpcm *pcm)
{
	struct ringpcm_status st;

	rpcm_status(pcm, &st);
	return st.state;
}

/* Playback: a full ring committed, as an application's start threshold. */
static int fill_and_start(struct rpcm *pcm, bool capture)
{
	if (!capture && rpcm_write(pcm, silence, BUFFER) != BUFFER)
		return -EIO;
	return rpcm_start(pcm);
}

static int enter_state(struct rpcm *pcm, bool capture, const char *state)
{
	int err;

	if (!strcmp(state, "prepared"))
		return 0;
	err = fill_and_start(pcm, capture);
	if (!err && !strcmp(state, "paused"))
		err = rpcm_pause(pcm, true);
	return err;
}

/* The playback mixer at a third/half of its range, so a reset would show. */
static struct ringpcm_mixer mixer_set_odd(struct rpcm *pcm)
{
	struct ringpcm_mixer m = { .control = RINGPCM_MIXER_PLAYBACK };

	if (rpcm_mixer_get(rpcm_fd(pcm), &m) || !m.max_gain)
		return m;
	m.gain[0] = m.max_gain / 3;
	m.gain[1] = m.max_gain / 2;
	m.mute[0] = m.mute[1] = 0;
	rpcm_mixer_set(rpcm_fd(pcm), &m);
	return m;
}

/* Keep a running stream moving until the sleep shows; others just poll. */
static int wait_for_sleep(struct rpcm *pcm, bool capture, bool running, double seconds,
			  short *revents)
{
	struct pollfd pfd = { .fd = rpcm_fd(pcm), .events = capture ? POLLIN : POLLOUT };
	double end = pu_now() + seconds;
	int64_t r;

	while (pu_now() < end) {
		if (running) {
			r = capture ? rpcm_read(pcm, silence, PERIOD) : rpcm_write(pcm, silence, PERIOD);
			if (r == -ESTRPIPE)
				break;
			if (r < 0 && r != -EPIPE)
				return (int)r;
			if (r == -EPIPE)
				rpcm_recover(pcm, -EPIPE);
		} else {
			/* A prepared or paused stream polls ready at once: do not spin. */
			poll(&pfd, 1, 200);
			if (pfd.revents & POLLERR)
				break;
			pu_sleep_ms(20);
		}
	}
	pfd.revents = 0;
	poll(&pfd, 1, 0);
	*revents = pfd.revents;
	return state_of(pcm) == RINGPCM_STATE_SUSPENDED ? 0 : -ETIMEDOUT;
}

static void check_suspended(struct rpcm *pcm, short revents)
{
	CHECK(revents & POLLERR, "poll reports POLLERR", "revents 0x%x", revents);
	EXPECT_ERR("avail is -ESTRPIPE", (int)rpcm_avail(pcm), -ESTRPIPE);
	EXPECT_ERR("start is -ESTRPIPE", rpcm_start(pcm), -ESTRPIPE);
	EXPECT_ERR("hwsync is -ESTRPIPE", rpcm_hwsync(pcm), -ESTRPIPE);
	EXPECT_ERR("pause is -ESTRPIPE", rpcm_pause(pcm, false), -ESTRPIPE);
	CHECK(rpcm_ring(pcm) && pu_pinned_pages() > 0, "ring still attached and pinned",
	      "ring %p, pinned_pages %ld", rpcm_ring(pcm), pu_pinned_pages());
}

/* PREPARE + START, then the position must move again at the sample rate. */
static void recover(struct rpcm *pcm, bool capture)
{
	double t0 = pu_now(), t_started, t_moving = 0;
	struct ringpcm_status st;
	int err = rpcm_recover(pcm, -ESTRPIPE);

	if (!err && !capture)
		err = fill_and_start(pcm, capture);
	t_started = pu_now();
	CHECK(!err, "recovered by PREPARE + START", "%s", pu_err(err));
	while (!err && pu_now() < t_started + 5) {
		rpcm_hwsync(pcm);
		rpcm_status(pcm, &st);
		if (st.hw_ptr >= 2 * PERIOD) {
			t_moving = pu_now();
			break;
		}
		pu_sleep_ms(5);
	}
	CHECK(t_moving > 0, "runs again after recovery", "hw_ptr %llu after 5 s, state %s",
	      (unsigned long long)st.hw_ptr, rpcm_state_name(st.state));
	printf("INFO %s recovery: PREPARE+START %.2f ms, two periods played %.1f ms later\n",
	       pu_group, (t_started - t0) * 1e3, t_moving ? (t_moving - t_started) * 1e3 : -1.0);
}

static void check_mixer(struct rpcm *pcm, const struct ringpcm_mixer *want)
{
	struct ringpcm_mixer m = { .control = RINGPCM_MIXER_PLAYBACK };

	if (!want->max_gain)
		return;
	rpcm_mixer_get(rpcm_fd(pcm), &m);
	CHECK(m.gain[0] == want->gain[0] && m.gain[1] == want->gain[1] && !m.mute[0] && !m.mute[1],
	      "mixer values survive", "gain %u/%u mute %u/%u, want %u/%u unmuted", m.gain[0],
	      m.gain[1], m.mute[0], m.mute[1], want->gain[0], want->gain[1]);
}

int main(int argc, char **argv)
{
	static char group[64];
	struct ringpcm_mixer mixer;
	struct rpcm *pcm;
	bool capture;
	short revents = 0;
	FILE *f;
	int err;

	if (argc < 4 || (strcmp(argv[1], "p") && strcmp(argv[1], "c"))) {
		fprintf(stderr, "usage: rpcm-sleep p|c prepared|paused|running READY_FILE [SECONDS]\n");
		return 2;
	}
	capture = argv[1][0] == 'c';
	snprintf(group, sizeof(group), "pm-%s-%s", capture ? "capture" : "playback", argv[2]);
	pu_group = group;
	pcm = setup(capture ? RINGPCM_DIR_CAPTURE : RINGPCM_DIR_PLAYBACK);
	err = enter_state(pcm, capture, argv[2]);
	CHECK(!err, "stream brought to its state", "%s", pu_err(err));
	mixer = mixer_set_odd(pcm);
	f = fopen(argv[3], "w");
	if (f)
		fclose(f);
	err = wait_for_sleep(pcm, capture, !strcmp(argv[2], "running"),
			     argc > 4 ? atof(argv[4]) : 60, &revents);
	if (CHECK(!err, "SUSPENDED after the sleep", "%s, state %s", pu_err(err),
		  rpcm_state_name(state_of(pcm)))) {
		check_suspended(pcm, revents);
		recover(pcm, capture);
		check_mixer(pcm, &mixer);
	}
	rpcm_close(pcm);
	return unit_exit(group);
}
