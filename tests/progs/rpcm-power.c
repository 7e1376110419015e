// SPDX-License-Identifier: GPL-2.0
/*
 * rpcm-power: the control file's calls one at a time, for 52-pm-runtime.sh,
 * which watches the controller's runtime PM status around each:
 *   rpcm-power pins                      PINS: "pins N jack_changes N"
 *   rpcm-power mixer-get p|c             MIXER_GET: "gain L R mute L R"
 *   rpcm-power mixer-set p|c L R         MIXER_SET, then prints as mixer-get
 * Exits 1 with the error when a call fails.
 */
#include "prog-util.h"
#include "ringpcm.h"

static int pins(int fd)
{
	struct ringpcm_pins *p = calloc(1, sizeof(*p));
	int err = p ? rpcm_pins_get(fd, p) : -ENOMEM;

	if (!err)
		printf("pins %u jack_changes %u\n", p->n_pins, p->jack_changes);
	free(p);
	return err;
}

static int mixer(int fd, char **argv, int argc)
{
	struct ringpcm_mixer m = { .control = argv[0][0] == 'c' ? RINGPCM_MIXER_CAPTURE :
								  RINGPCM_MIXER_PLAYBACK };
	int err;

	if (argc == 3) {
		m.gain[0] = (uint32_t)atoi(argv[1]);
		m.gain[1] = (uint32_t)atoi(argv[2]);
		err = rpcm_mixer_set(fd, &m);
		if (err)
			return err;
	}
	err = rpcm_mixer_get(fd, &m);
	if (!err)
		printf("gain %u %u mute %u %u\n", m.gain[0], m.gain[1], m.mute[0], m.mute[1]);
	return err;
}

int main(int argc, char **argv)
{
	int fd, err = -EINVAL;

	if (argc < 2)
		goto usage;
	fd = rpcm_ctl_open(pu_card());
	if (fd < 0) {
		fprintf(stderr, "rpcm-power: control file: %s\n", strerror(-fd));
		return 1;
	}
	if (!strcmp(argv[1], "pins") && argc == 2)
		err = pins(fd);
	else if (!strcmp(argv[1], "mixer-get") && argc == 3)
		err = mixer(fd, argv + 2, 1);
	else if (!strcmp(argv[1], "mixer-set") && argc == 5)
		err = mixer(fd, argv + 2, 3);
	else
		goto usage;
	close(fd);
	if (err)
		fprintf(stderr, "rpcm-power %s: %s\n", argv[1], strerror(-err));
	return !!err;
usage:
	fprintf(stderr, "usage: rpcm-power pins | mixer-get p|c | mixer-set p|c L R\n");
	return 2;
}
