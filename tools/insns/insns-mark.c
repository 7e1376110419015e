// SPDX-License-Identifier: GPL-2.0
/*
 * insns-mark: opens and closes the instruction-counting windows of the
 * ringpcm-insns QEMU plugin (tools/insns/insns-plugin.c) from inside the
 * guest, and prints what the plugin counted.
 *
 *   insns-mark window LABEL SECONDS [IRQ]
 *                                    one window around a sleep of SECONDS
 *                                    (fractions allowed; 0 = an empty window);
 *                                    with IRQ, also the interrupts of the
 *                                    /proc/interrupts lines naming IRQ (a
 *                                    substring), read just outside the window;
 *                                    IRQ @FILE: the 64-bit counter at the
 *                                    start of FILE instead (the periods of a
 *                                    plugin with no device: the null ioplug)
 *   insns-mark loop LABEL N          one window around N iterations of a
 *                                    4-instruction user-space loop
 *                                    (the self-test: user = 4*N - 2)
 *   insns-mark open LABEL            open a window (it stays open after exit)
 *   insns-mark close                 close it
 *
 * Needs RINGPCM_INSNS (run-in-vm --count-insns sets it: the results share
 * the plugin reads and writes). Before opening it writes there
 * insns-ranges (by category: spin = the kernel's queued spinlock slow path,
 * from /proc/kallsyms, where a vCPU waits for a lock the other holds;
 * kernel module ranges from /proc/modules: ringpcm; alsa = snd, snd_* and
 * soundcore; modules = every other module) and insns-label. After closing
 * it prints one line
 *   insns LABEL ns=N irqs=N user=N ringpcm=N alsa=N modules=N spin=N kernel=N total=N vcpus=...
 * (ns: CLOCK_MONOTONIC from just before the window to just after it; kernel:
 * the rest of the kernel), the plugin's line for the window from insns.tsv.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The magic NOPs the plugin watches for: nopl 0x52504d0X(%rax,%rax,1). */
#define MARK_OPEN "nopl 0x52504d01(%%rax,%%rax,1)\n\t"
#define MARK_CLOSE "nopl 0x52504d02(%%rax,%%rax,1)\n\t"

static const char *dir;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static const char *category(const char *module)
{
	if (!strcmp(module, "ringpcm"))
		return "ringpcm";
	if (!strncmp(module, "snd", 3) || !strcmp(module, "soundcore"))
		return "alsa";
	return "modules";
}

/* Spinlock slow paths: how long a vCPU spins depends on when the host
 * runs the other vCPU's thread, so their instructions vary from run to run
 * and get a category of their own. A symbol ends where the next one starts. */
static const char *const spin_symbols[] = {
	"native_queued_spin_lock_slowpath", "__pv_queued_spin_lock_slowpath",
};
#define N_SPIN (sizeof(spin_symbols) / sizeof(spin_symbols[0]))

static void write_spin_ranges(FILE *out)
{
	uint64_t start[N_SPIN] = { 0 }, end[N_SPIN] = { 0 }, a;
	char line[512], name[256];
	size_t i;
	FILE *in;

	for (int pass = 0; pass < 2; pass++) {
		in = fopen("/proc/kallsyms", "r");
		if (!in)
			return;
		while (fgets(line, sizeof(line), in)) {
			if (sscanf(line, "%" SCNx64 " %*s %255s", &a, name) != 2 || !a)
				continue;
			for (i = 0; i < N_SPIN; i++) {
				if (pass == 0 && !strcmp(name, spin_symbols[i]))
					start[i] = a;
				else if (pass == 1 && start[i] && a > start[i] &&
					 (!end[i] || a < end[i]))
					end[i] = a;
			}
		}
		fclose(in);
	}
	for (i = 0; i < N_SPIN; i++)
		if (start[i] && end[i])
			fprintf(out, "spin %" PRIx64 " %" PRIx64 " %s\n", start[i], end[i],
				spin_symbols[i]);
}

/* /proc/modules: "name size refs deps state base": the core of a module,
 * text first; only its text executes, so the whole core is its range. */
static int write_ranges(void)
{
	char path[4096], line[1024], name[256];
	unsigned long size;
	uint64_t base;
	FILE *in, *out;

	in = fopen("/proc/modules", "r");
	if (!in)
		return -errno;
	snprintf(path, sizeof(path), "%s/insns-ranges", dir);
	out = fopen(path, "w");
	if (!out) {
		fclose(in);
		return -errno;
	}
	write_spin_ranges(out);
	while (fgets(line, sizeof(line), in)) {
		if (sscanf(line, "%255s %lu %*s %*s %*s 0x%" SCNx64, name, &size, &base) != 3)
			continue;
		if (!base) {
			fclose(in);
			fclose(out);
			fprintf(stderr, "insns-mark: /proc/modules hides addresses (run as root)\n");
			return -EPERM;
		}
		fprintf(out, "%s %" PRIx64 " %" PRIx64 " %s\n", category(name), base,
			base + size, name);
	}
	fclose(in);
	return fclose(out) ? -errno : 0;
}

static int write_label(const char *label)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/insns-label", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", label);
	return fclose(f) ? -errno : 0;
}

static int prepare(const char *label)
{
	int err;

	if (strpbrk(label, " \t\n") || !*label) {
		fprintf(stderr, "insns-mark: a label is one word\n");
		return -EINVAL;
	}
	err = write_ranges();
	if (!err)
		err = write_label(label);
	if (err)
		fprintf(stderr, "insns-mark: cannot write to %s: %s\n", dir, strerror(-err));
	return err;
}

/* The native 64-bit counter at the start of FILE, -1 if there is none. */
static long file_count(const char *path)
{
	uint64_t v;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(&v, sizeof(v), 1, f);
	fclose(f);
	return n == 1 ? (long)v : -1;
}

/* The interrupts of the /proc/interrupts lines that name IRQ, all CPUs. */
static long irq_count(const char *irq)
{
	char line[4096], *p, *end;
	long sum = 0, v;
	FILE *f;

	if (!irq)
		return -1;
	if (irq[0] == '@')
		return file_count(irq + 1);
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, irq) || !(p = strchr(line, ':')))
			continue;
		for (p++;; p = end) {
			v = strtol(p, &end, 10);
			if (end == p)
				break;
			sum += v;
		}
	}
	fclose(f);
	return sum;
}

/* The plugin's line for the window just closed: the last of insns.tsv. */
static int report(const char *label, uint64_t ns, long irqs)
{
	char path[4096], line[4096], last[4096] = "";
	char w[16], lab[128], per[1024], irqs_s[32] = "-";
	uint64_t c[7];
	unsigned closer;
	FILE *f;

	snprintf(path, sizeof(path), "%s/insns.tsv", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "insns-mark: no %s: is the plugin loaded (run-in-vm --count-insns)?\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		strcpy(last, line);
	fclose(f);
	if (sscanf(last, "%15s %127s %u %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		   " %" SCNu64 " %" SCNu64 " %" SCNu64 " %1023[^\n]", w, lab, &closer, &c[0],
		   &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], per) != 11 || strcmp(lab, label)) {
		fprintf(stderr, "insns-mark: the plugin wrote no line for window %s\n", label);
		return 1;
	}
	if (irqs >= 0)
		snprintf(irqs_s, sizeof(irqs_s), "%ld", irqs);
	printf("insns %s ns=%" PRIu64 " irqs=%s user=%" PRIu64 " ringpcm=%" PRIu64
	       " alsa=%" PRIu64 " modules=%" PRIu64 " spin=%" PRIu64 " kernel=%" PRIu64
	       " total=%" PRIu64 " vcpus=%s\n",
	       label, ns, irqs_s, c[0], c[1], c[2], c[3], c[4], c[5], c[6], per);
	return 0;
}

static int do_window(const char *label, double seconds, const char *irq)
{
	struct timespec ts = { .tv_sec = (time_t)seconds,
			       .tv_nsec = (long)((seconds - (time_t)seconds) * 1e9) };
	uint64_t t0, t1;
	long i0, i1;

	if (prepare(label))
		return 1;
	i0 = irq_count(irq);
	t0 = now_ns();
	if (seconds > 0) {
		asm volatile(MARK_OPEN ::: "memory");
		while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
			;
		asm volatile(MARK_CLOSE ::: "memory");
	} else {
		/* Empty: both marks in one block, which is counted before OPEN. */
		asm volatile(MARK_OPEN MARK_CLOSE "jmp 1f\n1:\n\t" ::: "memory");
	}
	t1 = now_ns();
	i1 = irq_count(irq);
	return report(label, t1 - t0, i0 >= 0 && i1 >= 0 ? i1 - i0 : -1);
}

/* The block before the loop (OPEN, mov, the first iteration) is counted
 * before the window opens; the loop block then runs N - 1 times (4
 * instructions each), and the block of CLOSE and the jmp (2) is counted
 * inside: user = 4 * (N - 1) + 2. */
static int do_loop(const char *label, unsigned long n)
{
	uint64_t t0, t1;

	if (n < 1 || prepare(label))
		return 1;
	t0 = now_ns();
	asm volatile(MARK_OPEN
		     "mov %0, %%rcx\n\t"
		     ".p2align 6\n"
		     "2:\tnop\n\tnop\n\tdec %%rcx\n\tjnz 2b\n\t"
		     MARK_CLOSE
		     "jmp 3f\n3:\n\t"
		     :: "r"(n) : "rcx", "cc", "memory");
	t1 = now_ns();
	printf("insns-expected %s user=%lu\n", label, 4 * (n - 1) + 2);
	return report(label, t1 - t0, -1);
}

int main(int argc, char **argv)
{
	dir = getenv("RINGPCM_INSNS");
	if (!dir || !*dir) {
		fprintf(stderr, "insns-mark: RINGPCM_INSNS is not set (boot with run-in-vm --count-insns)\n");
		return 2;
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "window"))
		return do_window(argv[2], atof(argv[3]), argc == 5 ? argv[4] : NULL);
	if (argc == 4 && !strcmp(argv[1], "loop"))
		return do_loop(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "open")) {
		if (prepare(argv[2]))
			return 1;
		asm volatile(MARK_OPEN "jmp 1f\n1:\n\t" ::: "memory");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "close")) {
		asm volatile(MARK_CLOSE "jmp 1f\n1:\n\t" ::: "memory");
		return 0;
	}
	fprintf(stderr, "usage: insns-mark window LABEL SECONDS [IRQ] | loop LABEL N | open LABEL | close\n");
	return 2;
}
