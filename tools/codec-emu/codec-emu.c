// SPDX-License-Identifier: GPL-2.0
/*
 * codec-emu: run ringpcm's codec code against a codec dump.
 *
 *   codec-emu [--plug 0xNN]... [--unplug 0xNN]... DUMP
 *
 * stdout: "cmd 0xXXXXXXXX" for every command word the driver sent,
 * "event plug|unplug 0xNN" when a jack changes, other lines start with '#'.
 * stderr: a human summary.  Exit 0 when the driver's code completed, 1 on
 * a probe failure, 2 on bad usage or an unreadable dump.
 */
#include <stdlib.h>
#include <string.h>

#include "hda-emu.h"

#define MAX_EVENTS	64

struct jack_event {
	unsigned int nid;
	bool plug;
};

static int usage(void)
{
	fprintf(stderr, "usage: codec-emu [--plug 0xNN]... [--unplug 0xNN]... DUMP\n");
	return 2;
}

static bool parse_nid(const char *s, unsigned int *nid)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v >= EMU_NODES)
		return false;
	*nid = v;
	return true;
}

static void run_events(struct emu_run *run, const struct jack_event *ev, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (emu_run_jack(run, ev[i].nid, ev[i].plug, stdout))
			printf("# pin 0x%02x cannot sense a jack: %s ignored\n", ev[i].nid,
			       ev[i].plug ? "plug" : "unplug");
		fprintf(stderr, "after %s 0x%02x:\n", ev[i].plug ? "plug" : "unplug", ev[i].nid);
		emu_run_summary(run, stderr);
	}
}

int main(int argc, char **argv)
{
	static struct hda_emu emu;
	static struct emu_run run;
	struct jack_event ev[MAX_EVENTS];
	const char *dump = NULL;
	char err[256];
	int i, n_ev = 0;

	for (i = 1; i < argc; i++) {
		bool plug = !strcmp(argv[i], "--plug");

		if (plug || !strcmp(argv[i], "--unplug")) {
			if (i + 1 >= argc || n_ev >= MAX_EVENTS || !parse_nid(argv[i + 1], &ev[n_ev].nid))
				return usage();
			ev[n_ev++].plug = plug;
			i++;
		} else if (argv[i][0] == '-' || dump) {
			return usage();
		} else {
			dump = argv[i];
		}
	}
	if (!dump)
		return usage();
	if (emu_load(&emu, dump, err, sizeof(err))) {
		fprintf(stderr, "codec-emu: %s: %s\n", dump, err);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (emu_run_start(&run, &emu, stdout)) {
		printf("# probe failed: %s\n", run.ac.g.why ?: "?");
		emu_run_summary(&run, stderr);
		return 1;
	}
	emu_run_summary(&run, stderr);
	run_events(&run, ev, n_ev);
	return 0;
}
