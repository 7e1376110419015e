// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm-bind: which HD Audio controllers the machine has, who drives them,
 * and moving one between snd-hda-intel and ringpcm.
 *
 *   ringpcm-bind [list]          every HDA controller: PCI address, id,
 *                                driver, codecs (as its driver reports them)
 *   ringpcm-bind bind ADDR       give controller ADDR to ringpcm
 *   ringpcm-bind release ADDR    give it back to snd-hda-intel
 *
 * Moving uses the PCI core's driver_override: set it, unbind the current
 * driver, ask the core to probe again.  It refuses, saying why, where
 * ringpcm would not work: a function that is not an HD Audio controller (an
 * Intel DSP/SOF audio function whose codecs are not on an HDA link), a
 * controller whose card is in use, a driver that is not loaded.  If
 * ringpcm's probe rejects the controller (no codec on the link, a part that
 * will not snoop), the controller goes back to snd-hda-intel and the
 * kernel's message is shown.
 *
 * ADDR is a PCI address as lspci -D prints it (0000:00:1b.0) or without the
 * domain (00:1b.0).  Exit status: 0 done, 1 refused or failed, 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCI_DRIVERS	"/sys/bus/pci/drivers"
#define CLASS_HDA	0x040300	/* multimedia, HD Audio */
#define CLASS_AUDIO	0x040100	/* multimedia audio: Intel's DSP functions */
#define CLASS_AUDIO_DSP	0x040380	/* Intel's DSP functions, later parts */

struct ctrl {
	char addr[32];
	unsigned int vendor, device, class;
	char driver[64];		/* "" when unbound */
};

/* ---- sysfs ---- */

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fputs(s, f) < 0)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

#define DIR_MAX	128	/* PCI_DEVICES "/" plus an address */

static unsigned int read_hex(const char *dir, const char *name)
{
	char path[DIR_MAX + 16], buf[32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_line(path, buf, sizeof(buf)) ? 0 : (unsigned int)strtoul(buf, NULL, 16);
}

static void read_ctrl(const char *addr, struct ctrl *c)
{
	char dir[DIR_MAX], link[DIR_MAX + 16], target[PATH_MAX];
	ssize_t n;

	memset(c, 0, sizeof(*c));
	snprintf(c->addr, sizeof(c->addr), "%s", addr);
	snprintf(dir, sizeof(dir), PCI_DEVICES "/%s", addr);
	c->vendor = read_hex(dir, "vendor");
	c->device = read_hex(dir, "device");
	c->class = read_hex(dir, "class");
	snprintf(link, sizeof(link), "%s/driver", dir);
	n = readlink(link, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = 0;
		snprintf(c->driver, sizeof(c->driver), "%s", strrchr(target, '/') + 1);
	}
}

static bool is_audio(unsigned int class)
{
	return class == CLASS_HDA || class == CLASS_AUDIO || class == CLASS_AUDIO_DSP;
}

/* "00:1b.0" -> "0000:00:1b.0"; false when there is no such device. */
static bool resolve_addr(const char *arg, char *addr, size_t len)
{
	char path[PATH_MAX];

	snprintf(addr, len, "%s%s", strchr(arg, ':') == strrchr(arg, ':') ? "0000:" : "", arg);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s", addr);
	return access(path, F_OK) == 0;
}

/* ---- what is on the link, as the driver reports it ---- */

static void print_alsa_codecs(const struct ctrl *c)
{
	char pattern[PATH_MAX], line[256];
	glob_t cards, codecs;

	snprintf(pattern, sizeof(pattern), PCI_DEVICES "/%s/sound/card*", c->addr);
	if (glob(pattern, 0, NULL, &cards))
		return;
	for (size_t i = 0; i < cards.gl_pathc; i++) {
		const char *card = strrchr(cards.gl_pathv[i], '/') + 1;

		snprintf(pattern, sizeof(pattern), "/proc/asound/%s/codec#*", card);
		if (glob(pattern, 0, NULL, &codecs))
			continue;
		for (size_t j = 0; j < codecs.gl_pathc; j++)
			if (!read_line(codecs.gl_pathv[j], line, sizeof(line)))
				printf("    %s: %s\n", strrchr(codecs.gl_pathv[j], '/') + 1, line);
		globfree(&codecs);
	}
	globfree(&cards);
}

static void print_ringpcm_nodes(const struct ctrl *c)
{
	char pattern[PATH_MAX];
	glob_t nodes;

	snprintf(pattern, sizeof(pattern), PCI_DEVICES "/%s/ringpcm/ringpcmC*", c->addr);
	if (glob(pattern, 0, NULL, &nodes))
		return;
	for (size_t i = 0; i < nodes.gl_pathc; i++)
		printf("    /dev/%s\n", strrchr(nodes.gl_pathv[i], '/') + 1);
	globfree(&nodes);
}

static int list(void)
{
	struct dirent **names;
	int n, shown = 0;

	n = scandir(PCI_DEVICES, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "ringpcm-bind: %s: %s\n", PCI_DEVICES, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct ctrl c;

		if (names[i]->d_name[0] != '.') {
			read_ctrl(names[i]->d_name, &c);
			if (is_audio(c.class)) {
				printf("%s  %04x:%04x  %-13s %s\n", c.addr, c.vendor, c.device,
				       c.class == CLASS_HDA ? "HDA" : "audio DSP",
				       *c.driver ? c.driver : "(no driver)");
				print_alsa_codecs(&c);
				print_ringpcm_nodes(&c);
				shown++;
			}
		}
		free(names[i]);
	}
	free(names);
	if (!shown)
		printf("no HD Audio controller\n");
	return 0;
}

/* ---- moving a controller ---- */

/* A card of the controller's ALSA driver with a PCM substream open. */
static bool alsa_card_busy(const struct ctrl *c)
{
	char pattern[PATH_MAX], line[64];
	glob_t subs;
	bool busy = false;

	snprintf(pattern, sizeof(pattern), PCI_DEVICES "/%s/sound/card*/pcmC*D*[pc]", c->addr);
	if (glob(pattern, 0, NULL, &subs))
		return false;
	for (size_t i = 0; i < subs.gl_pathc && !busy; i++) {
		const char *pcm = strrchr(subs.gl_pathv[i], '/') + 4;	/* "C0D0p" */
		unsigned int card, dev;
		char dir;

		if (sscanf(pcm, "C%uD%u%c", &card, &dev, &dir) != 3)
			continue;
		snprintf(pattern, sizeof(pattern), "/proc/asound/card%u/pcm%u%c/sub0/status", card,
			 dev, dir);
		busy = !read_line(pattern, line, sizeof(line)) && strcmp(line, "closed");
	}
	globfree(&subs);
	return busy;
}

static bool driver_loaded(const char *driver)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DRIVERS "/%s", driver);
	return access(path, F_OK) == 0;
}

/* driver_override, unbind, probe again: the controller ends up with @driver or none. */
static int move_to(const struct ctrl *c, const char *driver)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", c->addr);
	err = write_str(path, driver);
	if (!err && *c->driver) {
		snprintf(path, sizeof(path), PCI_DRIVERS "/%s/unbind", c->driver);
		err = write_str(path, c->addr);
	}
	/* A probe that fails is not an error here: the caller looks at who has it. */
	if (!err)
		write_str("/sys/bus/pci/drivers_probe", c->addr);
	return err;
}

/* Move, then see who has it: true when @driver does; says why not otherwise. */
static bool move_and_check(struct ctrl *c, const char *driver)
{
	int err = move_to(c, driver);
	char addr[sizeof(c->addr)];

	snprintf(addr, sizeof(addr), "%s", c->addr);	/* read_ctrl() clears *c */
	read_ctrl(addr, c);
	if (!err && !strcmp(c->driver, driver))
		return true;
	fprintf(stderr, "ringpcm-bind: %s: %s did not take it%s%s\n", c->addr, driver,
		err ? ": " : "", err ? strerror(-err) : "");
	return false;
}

static void show_kernel_reason(void)
{
	fprintf(stderr, "ringpcm-bind: the kernel said (dmesg):\n");
	if (system("dmesg 2>/dev/null | grep -i 'ringpcm' | tail -n 3 >&2") != 0)
		fprintf(stderr, "  (dmesg not readable)\n");
}

static int refuse(const char *addr, const char *why)
{
	fprintf(stderr, "ringpcm-bind: %s: %s\n", addr, why);
	return 1;
}

static int bind_ringpcm(const char *arg)
{
	char addr[32];
	struct ctrl c;

	if (!resolve_addr(arg, addr, sizeof(addr)))
		return refuse(arg, "no such PCI device");
	read_ctrl(addr, &c);
	if (c.class == CLASS_AUDIO || c.class == CLASS_AUDIO_DSP)
		return refuse(addr, "an audio DSP function (SOF/AVS): its codecs are not on an HD "
			      "Audio link that ringpcm can drive");
	if (c.class != CLASS_HDA)
		return refuse(addr, "not an HD Audio controller");
	if (!strcmp(c.driver, "ringpcm")) {
		printf("%s is already driven by ringpcm\n", addr);
		return 0;
	}
	if (!driver_loaded("ringpcm"))
		return refuse(addr, "the ringpcm module is not loaded (modprobe ringpcm)");
	if (alsa_card_busy(&c))
		return refuse(addr, "its sound card is in use: stop what plays or records on it "
			      "(a sound server too) first");
	if (move_and_check(&c, "ringpcm")) {
		printf("%s is now driven by ringpcm\n", addr);
		print_ringpcm_nodes(&c);
		return 0;
	}
	show_kernel_reason();
	if (driver_loaded("snd_hda_intel") && move_to(&c, "snd_hda_intel") == 0)
		fprintf(stderr, "ringpcm-bind: %s is back with snd_hda_intel\n", addr);
	return 1;
}

static int release(const char *arg)
{
	char addr[32];
	struct ctrl c;

	if (!resolve_addr(arg, addr, sizeof(addr)))
		return refuse(arg, "no such PCI device");
	read_ctrl(addr, &c);
	if (strcmp(c.driver, "ringpcm"))
		return refuse(addr, "not driven by ringpcm");
	if (!driver_loaded("snd_hda_intel"))
		return refuse(addr, "snd_hda_intel is not loaded (modprobe snd-hda-intel)");
	/*
	 * The override stays on snd_hda_intel: with no override, ringpcm (still
	 * loaded) could be offered the controller again first.
	 */
	if (!move_and_check(&c, "snd_hda_intel"))
		return 1;
	printf("%s is driven by snd_hda_intel again\n", addr);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ringpcm-bind [list]          HD Audio controllers and their drivers\n"
		   "       ringpcm-bind bind ADDR       give controller ADDR to ringpcm\n"
		   "       ringpcm-bind release ADDR    give it back to snd-hda-intel\n"
		   "ADDR: a PCI address, 0000:00:1b.0 or 00:1b.0 (lspci -D)\n");
}

int main(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "list")))
		return list();
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "bind"))
		return bind_ringpcm(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "release"))
		return release(argv[2]);
	usage(stderr);
	return 2;
}
