// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm-info: what the ringpcm driver offers and what a stream is doing.
 *
 *   ringpcm-info                 every /dev/ringpcmC*D*{p,c}: capabilities, mixer,
 *                                codecs and pins with their jack states
 *   ringpcm-info -s DEV [-w]     DEV's live status page (once, or every 100 ms)
 *   ringpcm-info --pinned        pages the driver holds pinned (system-wide)
 *
 * DEV is a path (/dev/ringpcmC0D0p) or a name (ringpcmC0D0p, C0D0p).
 * Exit status: 0 fine, 1 error (no device, busy, ...), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ringpcm.h"

#define PINNED_PATH	"/sys/class/ringpcm/pinned_pages"
#define DEV_GLOB	"/dev/ringpcmC*D*[pc]"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ringpcm-info                 list devices and capabilities\n"
		"       ringpcm-info -s DEV [-w] [-n N]  status page of DEV (-w: every 100 ms)\n"
		"       ringpcm-info --pinned        pages pinned by the driver\n"
		"DEV: /dev/ringpcmC0D0p, ringpcmC0D0p or C0D0p\n");
}

/* ---- capabilities ---- */

static void print_formats(uint32_t mask)
{
	printf("  formats:        ");
	for (uint32_t f = 0; f < 32; f++)
		if (mask & (1u << f))
			printf("%s ", rpcm_format_name(f));
	printf("%s\n", mask ? "" : "(none)");
}

static void print_rates(const struct ringpcm_info *in)
{
	printf("  rates:          ");
	for (uint32_t i = 0; i < in->n_rates && i < RINGPCM_MAX_RATES; i++)
		printf("%u ", in->rates[i]);
	printf("%s\n", in->n_rates ? "" : "(none)");
}

static void print_info(const char *path, const struct ringpcm_info *in)
{
	printf("%s: card %u \"%s\", codec \"%s\", device %u, %s\n", path, in->card_index,
	       in->card, in->codec, in->device,
	       in->direction == RINGPCM_DIR_CAPTURE ? "capture" : "playback");
	print_formats(in->formats);
	print_rates(in);
	printf("  channels:       %u..%u\n", in->channels_min, in->channels_max);
	printf("  periods:        %u..%u\n", in->periods_min, in->periods_max);
	printf("  period bytes:   %u..%u, step %u\n", in->period_bytes_min,
	       in->period_bytes_max, in->period_bytes_step);
	printf("  buffer bytes:   up to %llu\n", (unsigned long long)in->buffer_bytes_max);
	printf("  BDL entries:    up to %u\n", in->max_bdl_entries);
	printf("  ring alignment: %u bytes\n", in->ring_align);
	printf("  max segment:    %llu bytes\n", (unsigned long long)in->max_segment);
	printf("  DMA mode:       %s (default)\n", rpcm_dma_mode_name(in->dma_mode));
	printf("  IOMMU:          %s\n", in->iommu ? "yes" : "no");
	printf("  device tail:    %u bytes (FIFO, codec), %u us (host backend)\n", in->fifo_bytes,
	       in->backend_delay_us);
}

static void print_mixer(int fd, uint32_t control)
{
	struct ringpcm_mixer m = { .control = control };
	const char *what = control == RINGPCM_MIXER_PLAYBACK ? "playback" : "capture";
	int err = rpcm_mixer_get(fd, &m);

	if (err) {
		printf("  mixer %-9s (none: %s)\n", what, strerror(-err));
		return;
	}
	printf("  mixer %-9s ", what);
	for (int c = 0; c < 2; c++) {
		long db100 = m.min_db100 + (long)m.gain[c] * m.step_db100;

		printf("%s %u/%u (%+.2f dB)%s", c ? ", R" : "L", m.gain[c], m.max_gain,
		       db100 / 100.0, m.can_mute && m.mute[c] ? " muted" : "");
	}
	printf("\n");
}

static const char *pin_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[RINGPCM_PIN_LINE_OUT] = "line-out", [RINGPCM_PIN_SPEAKER] = "speaker",
		[RINGPCM_PIN_HP] = "headphone", [RINGPCM_PIN_MIC] = "mic",
		[RINGPCM_PIN_LINE_IN] = "line-in", [RINGPCM_PIN_AUX] = "aux",
		[RINGPCM_PIN_CD] = "cd", [RINGPCM_PIN_HDMI] = "hdmi", [RINGPCM_PIN_DP] = "dp",
		[RINGPCM_PIN_SPDIF] = "spdif",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "?";
}

static const char *pin_place_name(uint32_t place)
{
	static const char *const names[] = { "none", "internal", "rear", "front", "dock" };

	return place < sizeof(names) / sizeof(names[0]) ? names[place] : "?";
}

/*
 * One line per pin, words a script can match:
 *   pin 0:0x21 headphone place=front jack=plugged routed
 * jack= plugged, unplugged or none (no presence detect); then routed
 * (plays the stream / a capture source), capture (the current source),
 * muted (silenced by a headphone), or not-streamed (digital pins).
 */
static void print_pins(int fd)
{
	struct ringpcm_pins p;
	int err = rpcm_pins_get(fd, &p);

	if (err) {
		printf("  pins            (none: %s)\n", strerror(-err));
		return;
	}
	printf("  codecs:        ");
	for (unsigned int a = 0; a < RINGPCM_MAX_CODECS; a++)
		if (p.vendor_id[a])
			printf(" %u:%08x%s", a, p.vendor_id[a], a == p.analog_codec ? " (streams)" : "");
	printf("\n  jack changes:   %u\n", p.jack_changes);
	for (unsigned int i = 0; i < p.n_pins && i < RINGPCM_MAX_PINS; i++) {
		const struct ringpcm_pin *pin = &p.pin[i];
		bool digital = pin->kind >= RINGPCM_PIN_HDMI;

		printf("  pin %u:0x%02x %s place=%s jack=%s%s%s%s%s\n", pin->codec, pin->nid,
		       pin_kind_name(pin->kind), pin_place_name(pin->place),
		       !(pin->flags & RINGPCM_PIN_JACK) ? "none" :
		       pin->flags & RINGPCM_PIN_PRESENT ? "plugged" : "unplugged",
		       pin->flags & RINGPCM_PIN_ROUTED ? " routed" : "",
		       pin->flags & RINGPCM_PIN_CAPTURE ? " capture" : "",
		       pin->flags & RINGPCM_PIN_MUTED ? " muted" : "",
		       digital ? " not-streamed" : "");
	}
}

/* Amplifiers and pins, preferably through the card's ctl device (claims no stream). */
static void print_card_mixer(unsigned int card, int stream_fd)
{
	int fd = rpcm_ctl_open(card);

	print_mixer(fd >= 0 ? fd : stream_fd, RINGPCM_MIXER_PLAYBACK);
	print_mixer(fd >= 0 ? fd : stream_fd, RINGPCM_MIXER_CAPTURE);
	print_pins(fd >= 0 ? fd : stream_fd);
	if (fd >= 0)
		close(fd);
}

static int list_devices(void)
{
	glob_t g;
	int failures = 0;

	if (glob(DEV_GLOB, 0, NULL, &g) || !g.gl_pathc) {
		fprintf(stderr, "ringpcm-info: no ringpcm devices (%s): is ringpcm.ko loaded and "
			"bound to an HD Audio controller?\n", DEV_GLOB);
		globfree(&g);
		return 1;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct rpcm *pcm;
		int err = rpcm_open_path(&pcm, g.gl_pathv[i], O_NONBLOCK | RPCM_OPEN_OBSERVE);

		if (i)
			printf("\n");
		if (err) {
			printf("%s: %s\n", g.gl_pathv[i], strerror(-err));
			failures++;
			continue;
		}
		print_info(g.gl_pathv[i], rpcm_info(pcm));
		print_card_mixer(rpcm_info(pcm)->card_index, rpcm_fd(pcm));
		rpcm_close(pcm);
	}
	globfree(&g);
	return failures ? 1 : 0;
}

/* ---- status ---- */

static int64_t now_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void print_status_long(const struct ringpcm_status *st, int64_t avail)
{
	printf("  state:          %s\n", rpcm_state_name(st->state));
	printf("  hw_ptr:         %llu\n", (unsigned long long)st->hw_ptr);
	printf("  appl_ptr:       %llu\n", (unsigned long long)st->appl_ptr);
	if (avail >= 0)
		printf("  avail:          %lld\n", (long long)avail);
	printf("  tstamp:         %llu ns (%.1f ms ago)\n", (unsigned long long)st->tstamp_ns,
	       st->tstamp_ns ? (now_raw_ns() - (int64_t)st->tstamp_ns) / 1e6 : 0.0);
	printf("  xruns:          %llu\n", (unsigned long long)st->xruns);
	printf("  lost laps:      %llu (counted from time: bursts or stalls longer than the ring)\n",
	       (unsigned long long)st->lost_laps);
	printf("  periods:        %llu elapsed\n", (unsigned long long)st->periods_elapsed);
	printf("  irqs:           %llu (%.3f ms of interrupt work)\n",
	       (unsigned long long)st->irqs, st->irq_ns / 1e6);
	printf("  buffer:         %u frames, period %u, avail_min %u\n", st->buffer_frames,
	       st->period_frames, st->avail_min);
	printf("  DMA mode:       %s\n", rpcm_dma_mode_name(st->dma_mode));
}

static void print_status_line(const struct ringpcm_status *st)
{
	printf("%-12s hw %-12llu appl %-12llu xruns %-4llu periods %-8llu irqs %-8llu "
	       "tstamp %llu\n", rpcm_state_name(st->state), (unsigned long long)st->hw_ptr,
	       (unsigned long long)st->appl_ptr, (unsigned long long)st->xruns,
	       (unsigned long long)st->periods_elapsed, (unsigned long long)st->irqs,
	       (unsigned long long)st->tstamp_ns);
	fflush(stdout);
}

static void dev_path(const char *dev, char *path, size_t n)
{
	if (strchr(dev, '/'))
		snprintf(path, n, "%s", dev);
	else if (!strncmp(dev, "ringpcm", 7))
		snprintf(path, n, "/dev/%s", dev);
	else
		snprintf(path, n, "/dev/ringpcm%s", dev);
}

static int show_status(const char *dev, bool watch, long count)
{
	struct ringpcm_status st;
	struct rpcm *pcm;
	char path[256];
	int err;

	dev_path(dev, path, sizeof(path));
	err = rpcm_open_path(&pcm, path, O_NONBLOCK | RPCM_OPEN_OBSERVE);
	if (err == -ENOENT) {
		fprintf(stderr, "ringpcm-info: %s does not exist (list devices with ringpcm-info)\n",
			path);
		return 1;
	}
	if (err) {
		fprintf(stderr, "ringpcm-info: %s: %s %s\n", path, strerror(-err),
			rpcm_last_error(pcm));
		return 1;
	}
	rpcm_status(pcm, &st);
	printf("%s:\n", path);
	print_status_long(&st, rpcm_avail(pcm));
	print_card_mixer(rpcm_info(pcm)->card_index, rpcm_fd(pcm));
	for (long i = 1; watch && !stop && (count <= 0 || i < count); i++) {
		struct timespec ts = { 0, 100 * 1000000 };

		nanosleep(&ts, NULL);
		rpcm_status(pcm, &st);
		print_status_line(&st);
	}
	rpcm_close(pcm);
	return 0;
}

static int show_pinned(void)
{
	char line[64];
	FILE *f = fopen(PINNED_PATH, "re");

	if (!f) {
		fprintf(stderr, "ringpcm-info: %s: %s (is ringpcm.ko loaded?)\n", PINNED_PATH,
			strerror(errno));
		return 1;
	}
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		fprintf(stderr, "ringpcm-info: %s is empty\n", PINNED_PATH);
		return 1;
	}
	fclose(f);
	printf("pinned pages: %s", line);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "watch", no_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "pinned", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = NULL;
	bool watch = false, pinned = false;
	long count = 0;
	int c;

	while ((c = getopt_long(argc, argv, "s:wn:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': dev = optarg; break;
		case 'w': watch = true; break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case 'P': pinned = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || ((watch || count) && !dev)) {
		usage(stderr);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (pinned)
		return show_pinned();
	if (dev)
		return show_status(dev, watch || count > 1, count);
	return list_devices();
}
