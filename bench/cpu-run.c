// SPDX-License-Identifier: GPL-2.0
/*
 * cpu-run: runs a command and reports what it cost the whole machine and
 * itself, for the end-to-end streaming benchmark (bench/e2e-guest.sh).
 *
 *   cpu-run [-i IRQNAME]... [-w START_MS,LEN_MS] [-t STOP_MS] -- COMMAND [ARGS...]
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
 * drain), from /proc/PID: task/TID/schedstat (CPU ns, summed over the
 * threads: /proc/PID/schedstat is the main thread's alone), stat (utime and
 * stime ticks of the whole process) and task/TID/status
 * (voluntary/nonvoluntary_ctxt_switches, summed over the threads):
 *   cpu-run-window: ms W cpu_ns C utime_ms U stime_ms K nvcsw V nivcsw I
 *            guest_busy_ms B guest_idle_ms D irq:NAME N ... loc N
 * (nothing if COMMAND ended before the window did).  The sums over threads
 * hold only if no thread ends inside the window (none does in aplay or in a
 * jackd that is up).
 * -t sends COMMAND SIGTERM STOP_MS after its start, for a server that runs
 * until stopped (jackd); its status is then what it makes of the signal.
 * The exit status is COMMAND's (128+signal if it was killed).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
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

/* Adds one thread's CPU ns and context switches (/proc/PID/task/TID). */
static int snap_task(struct snapshot *s, pid_t pid, int tid)
{
	char path[64], line[256];
	unsigned long long v;
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, tid);
	if ((f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1)
				s->nvcsw += v, n++;
			if (sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
				s->nivcsw += v, n++;
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)pid, tid);
	if ((f = fopen(path, "re"))) {
		if (fscanf(f, "%llu", &v) == 1)
			s->cpu_ns += v, n++;
		fclose(f);
	}
	return n == 3;
}

/* The process's own counters, threads summed; 0 if it is gone. */
static int snap_proc(struct snapshot *s, pid_t pid)
{
	char path[64], line[256], *p;
	struct dirent *d;
	FILE *f;
	DIR *dir;
	int ok = 0, tasks = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "re"))) {
		/* after "(comm)": state ppid pgrp session tty tpgid flags minflt
		 * cminflt majflt cmajflt utime stime */
		if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			   &s->utime, &s->stime) == 2)
			ok = 1;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!ok || !(dir = opendir(path)))
		return 0;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			tasks += snap_task(s, pid, atoi(d->d_name));
	closedir(dir);
	return tasks > 0;
}

static void sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1e3), (long)((ms - (time_t)(ms / 1e3) * 1e3) * 1e6) };

	while (nanosleep(&ts, &ts))
		;
}

/* -t: SIGTERM at STOP_MS after the start, unless COMMAND ended before. */
static void stop_at(pid_t pid, double t0_ms, double stop_ms)
{
	siginfo_t info;

	for (;;) {
		double left = t0_ms + stop_ms - now_ms();

		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) || info.si_pid)
			return;
		if (left <= 0)
			break;
		sleep_ms(left < 50 ? left : 50);
	}
	kill(pid, SIGTERM);
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
	double win_start = -1, win_len = 0, stop = -1;
	pid_t pid;

	while ((c = getopt(argc, argv, "+i:w:t:")) != -1) {
		if (c == 'i' && n_irq_names < MAX_IRQS)
			irq_names[n_irq_names++] = optarg;
		else if (c == 'w' && sscanf(optarg, "%lf,%lf", &win_start, &win_len) == 2)
			continue;
		else if (c == 't' && sscanf(optarg, "%lf", &stop) == 1)
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
	if (stop >= 0)
		stop_at(pid, a.t_ms, stop);
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
	fprintf(stderr, "usage: cpu-run [-i IRQNAME]... [-w START_MS,LEN_MS] [-t STOP_MS] -- COMMAND [ARGS...]\n");
	return 2;
}
