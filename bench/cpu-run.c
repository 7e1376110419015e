// SPDX-License-Identifier: GPL-2.0
/*
 * cpu-run: runs a command and reports what it cost the whole machine and
 * itself, for the end-to-end streaming benchmark (bench/e2e-guest.sh).
 *
 *   cpu-run [-i IRQNAME]... [-w START_MS,LEN_MS] -- COMMAND [ARGS...]
 *
 * After COMMAND ends, one line on stderr:
 *   cpu-run: status S wall_ms W utime_us U stime_us K nvcsw V nivcsw I
 *            guest_busy_ms B guest_idle_ms D irq:NAME N ... loc N
 * - utime/stime/nvcsw/nivcsw: COMMAND's own rusage (wait4), the same
 *   counters as /proc/PID/stat utime/stime and /proc/PID/status
 *   voluntary_ctxt_switches, but taken exactly at exit;
 * - guest_busy_ms: delta of /proc/stat "cpu" user+nice+system+irq+softirq
 *   over all CPUs (USER_HZ ticks converted to ms); guest_idle_ms idle+iowait;
 * - irq:NAME: delta of the /proc/interrupts lines whose device name is NAME
 *   (summed over CPUs); loc: local timer interrupts of all CPUs.
 * With -w, a second line covers only the window from START_MS to
 * START_MS + LEN_MS after the start (the steady state, without start-up and
 * drain), from /proc/PID: schedstat (CPU ns of all threads), stat (utime and
 * stime ticks) and status (voluntary/nonvoluntary_ctxt_switches):
 *   cpu-run-window: ms W cpu_ns C utime_ms U stime_ms K nvcsw V nivcsw I
 *            guest_busy_ms B guest_idle_ms D irq:NAME N ... loc N
 * (nothing if COMMAND ended before the window did).
 * The exit status is COMMAND's (128+signal if it was killed).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_IRQS 8

struct snapshot {
	unsigned long long busy, idle;		/* USER_HZ ticks */
	unsigned long long cpu_ns, utime, stime, nvcsw, nivcsw;	/* of the process (-w) */
	unsigned long long irq[MAX_IRQS];
	unsigned long long loc;
	double t_ms;
};

static const char *irq_names[MAX_IRQS];
static int n_irq_names;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void read_stat(struct snapshot *s)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		return;
	/* cpu  user nice system idle iowait irq softirq steal ... */
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7]) >= 7) {
		s->busy = v[0] + v[1] + v[2] + v[5] + v[6];
		s->idle = v[3] + v[4];
	}
	fclose(f);
}

/* Sum of the per-CPU counts at the start of a /proc/interrupts line. */
static unsigned long long line_count(const char *rest, const char **tail)
{
	unsigned long long sum = 0;
	char *end;

	for (;;) {
		unsigned long long n = strtoull(rest, &end, 10);

		if (end == rest)
			break;
		sum += n;
		rest = end;
	}
	*tail = rest;
	return sum;
}

static int ends_with_name(const char *tail, const char *name)
{
	size_t lt = strcspn(tail, "\n"), ln = strlen(name);

	while (lt && (tail[lt - 1] == ' ' || tail[lt - 1] == '\t'))
		lt--;
	return lt >= ln && !memcmp(tail + lt - ln, name, ln) &&
	       (lt == ln || tail[lt - ln - 1] == ' ' || tail[lt - ln - 1] == ',');
}

static void read_interrupts(struct snapshot *s)
{
	char line[1024];
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		const char *tail;
		unsigned long long n;
		int i;

		if (!colon)
			continue;
		n = line_count(colon + 1, &tail);
		if (!strncmp(line + strspn(line, " "), "LOC:", 4))
			s->loc = n;
		for (i = 0; i < n_irq_names; i++)
			if (ends_with_name(tail, irq_names[i]))
				s->irq[i] += n;
	}
	fclose(f);
}

static void snap(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	read_stat(s);
	read_interrupts(s);
	s->t_ms = now_ms();
}

/* The process's own counters; 0 if it is gone. */
static int snap_proc(struct snapshot *s, pid_t pid)
{
	char path[64], line[256], *p;
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "re"))) {
		/* after "(comm)": state ppid pgrp session tty tpgid flags minflt
		 * cminflt majflt cmajflt utime stime */
		if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			   &s->utime, &s->stime) == 2)
			n++;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f)) {
			n += sscanf(line, "voluntary_ctxt_switches: %llu", &s->nvcsw);
			n += sscanf(line, "nonvoluntary_ctxt_switches: %llu", &s->nivcsw);
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "re"))) {
		n += fscanf(f, "%llu", &s->cpu_ns);
		fclose(f);
	}
	return n == 4;
}

static void sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1e3), (long)((ms - (time_t)(ms / 1e3) * 1e3) * 1e6) };

	while (nanosleep(&ts, &ts))
		;
}

static void print_irqs(const struct snapshot *a, const struct snapshot *b)
{
	int i;

	for (i = 0; i < n_irq_names; i++)
		fprintf(stderr, " irq:%s %llu", irq_names[i], b->irq[i] - a->irq[i]);
	fprintf(stderr, " loc %llu\n", b->loc - a->loc);
}

/* The steady-state window of -w; prints nothing if the process ended first. */
static void window(pid_t pid, double start_ms, double len_ms, long hz)
{
	struct snapshot a, b;
	siginfo_t info = { 0 };

	sleep_ms(start_ms);
	snap(&a);
	if (!snap_proc(&a, pid))
		return;
	sleep_ms(len_ms);
	snap(&b);
	/* Still running at the end of the window (a zombie's counters are final)? */
	if (!snap_proc(&b, pid) ||
	    waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) || info.si_pid)
		return;
	fprintf(stderr, "cpu-run-window: ms %.1f cpu_ns %llu utime_ms %llu stime_ms %llu "
		"nvcsw %llu nivcsw %llu guest_busy_ms %llu guest_idle_ms %llu", b.t_ms - a.t_ms,
		b.cpu_ns - a.cpu_ns, (b.utime - a.utime) * 1000 / hz,
		(b.stime - a.stime) * 1000 / hz, b.nvcsw - a.nvcsw, b.nivcsw - a.nivcsw,
		(b.busy - a.busy) * 1000 / hz, (b.idle - a.idle) * 1000 / hz);
	print_irqs(&a, &b);
}

int main(int argc, char **argv)
{
	struct snapshot a, b;
	struct rusage ru;
	int c, status, ret;
	long hz = sysconf(_SC_CLK_TCK);
	double win_start = -1, win_len = 0;
	pid_t pid;

	while ((c = getopt(argc, argv, "+i:w:")) != -1) {
		if (c == 'i' && n_irq_names < MAX_IRQS)
			irq_names[n_irq_names++] = optarg;
		else if (c == 'w' && sscanf(optarg, "%lf,%lf", &win_start, &win_len) == 2)
			continue;
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	snap(&a);
	pid = fork();
	if (pid < 0) {
		perror("cpu-run: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		perror("cpu-run: exec");
		_exit(127);
	}
	if (win_start >= 0)
		window(pid, win_start, win_len, hz);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("cpu-run: wait4");
		return 1;
	}
	snap(&b);
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "cpu-run: status %d wall_ms %.1f utime_us %lld stime_us %lld nvcsw %ld "
		"nivcsw %ld guest_busy_ms %llu guest_idle_ms %llu", ret, b.t_ms - a.t_ms,
		(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, ru.ru_nvcsw,
		ru.ru_nivcsw, (b.busy - a.busy) * 1000 / hz, (b.idle - a.idle) * 1000 / hz);
	print_irqs(&a, &b);
	return ret;

usage:
	fprintf(stderr, "usage: cpu-run [-i IRQNAME]... [-w START_MS,LEN_MS] -- COMMAND [ARGS...]\n");
	return 2;
}
