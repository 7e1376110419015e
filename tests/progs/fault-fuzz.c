// SPDX-License-Identifier: GPL-2.0
/*
 * fault-fuzz: the ringpcm ABI under random and boundary-valued input from
 * many threads at once, then proof that nothing was lost or leaked.
 *
 *   fault-fuzz [--seed N] [--seconds S] [--threads N] [--no-check]
 *
 * On both stream fds (read-write), on an observer of each (read-only open)
 * and on the control device, threads issue every ioctl with random and
 * boundary-valued structures (reserved fields, sizes, pointers to NULL,
 * read-only, PROT_NONE, unmapped and kernel memory), random command numbers
 * with the ringpcm magic and random directions and sizes (_IOC), foreign
 * commands, poll, mmap, read/write; "sequencer" threads meanwhile drive
 * each stream through real set-ups (attach, prepare, fill, start, pause,
 * drain, drop, xrun) so that the random calls land in every state; a memory
 * thread replaces, write-protects and discards pages under attached rings;
 * an opener thread checks EBUSY/ENODEV for extra openers.
 * Every result must be one the ABI documents for that call (a histogram is
 * printed); status pages must stay consistent; no call may hang (watchdog).
 * Afterwards: pinned pages back to where they were, the streams reopen,
 * and playback and capture run at the sample rate for the right frame count.
 * Single-threaded runs (--threads 1) replay exactly from the seed; threaded
 * runs only statistically.
 */
#include "fault-lib.c"

#include <sys/sysmacros.h>

#include "ringpcm.h"

#define POOL_BYTES	(8u << 20)
#define REGION_BYTES	(3u << 20)	/* per stream inside the pool */
#define MAX_RING	(1u << 20)
#define KERNEL_ADDR	0xffff888000000000ull
#define NONCANON_ADDR	0x0000800000000000ull

/* What each call returned, for the summary and the checks. */
enum op {
	OP_PVERSION, OP_INFO, OP_HW_PARAMS, OP_SW_PARAMS, OP_ATTACH, OP_DETACH, OP_PREPARE,
	OP_START, OP_DROP, OP_DRAIN, OP_PAUSE, OP_COMMIT, OP_HWSYNC, OP_MIXER_GET,
	OP_MIXER_SET, OP_BENCH, OP_RANDOM_MAGIC, OP_FOREIGN, OP_POLL, OP_MMAP, OP_RW,
	OP_OPEN, OP_STATUS, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"PVERSION", "INFO", "HW_PARAMS", "SW_PARAMS", "ATTACH_RING", "DETACH_RING", "PREPARE",
	"START", "DROP", "DRAIN", "PAUSE", "COMMIT", "HWSYNC", "MIXER_GET", "MIXER_SET",
	"BENCH", "random magic cmd", "foreign cmd", "poll", "mmap", "read/write",
	"open", "status page",
};

static const unsigned long op_cmds[] = {
	[OP_PVERSION] = RINGPCM_IOCTL_PVERSION, [OP_INFO] = RINGPCM_IOCTL_INFO,
	[OP_HW_PARAMS] = RINGPCM_IOCTL_HW_PARAMS, [OP_SW_PARAMS] = RINGPCM_IOCTL_SW_PARAMS,
	[OP_ATTACH] = RINGPCM_IOCTL_ATTACH_RING, [OP_DETACH] = RINGPCM_IOCTL_DETACH_RING,
	[OP_PREPARE] = RINGPCM_IOCTL_PREPARE, [OP_START] = RINGPCM_IOCTL_START,
	[OP_DROP] = RINGPCM_IOCTL_DROP, [OP_DRAIN] = RINGPCM_IOCTL_DRAIN,
	[OP_PAUSE] = RINGPCM_IOCTL_PAUSE, [OP_COMMIT] = RINGPCM_IOCTL_COMMIT,
	[OP_HWSYNC] = RINGPCM_IOCTL_HWSYNC, [OP_MIXER_GET] = RINGPCM_IOCTL_MIXER_GET,
	[OP_MIXER_SET] = RINGPCM_IOCTL_MIXER_SET, [OP_BENCH] = RINGPCM_IOCTL_BENCH,
};

#define N_ERRNO	160
static atomic_ulong hist[3][OP_COUNT][N_ERRNO];	/* [fd kind][op][errno] */
static atomic_ulong n_calls, n_unexpected;
static atomic_bool stop;

enum fd_kind { FD_STREAM, FD_OBSERVER, FD_CTL };
static const char *const kind_names[] = { "stream", "observer", "ctl" };

struct target {
	const char *name;
	char dir;
	int fd, obs_fd;
	const struct ringpcm_status *st, *obs_st;
	struct ringpcm_info info;
	uint8_t *region;		/* valid ring memory for this stream */
	_Atomic uint32_t frame_bytes;	/* of the last accepted HW_PARAMS */
};

static struct target targets[2] = {
	{ .name = "playback", .dir = 'p' }, { .name = "capture", .dir = 'c' },
};
static int ctl_fd = -1;
static uint8_t *pool, *ro_mem, *none_mem, *memfd_mem, *hole;
static const void *status_any;
static struct ringpcm_mixer mixer_saved[2];

/* ---- checking results --------------------------------------------------- */

static unsigned long bit(int err)
{
	return 1ul << (-err < 63 ? -err : 63);
}

#define OK_ALWAYS	bit(0)

/* What the ABI allows for each stream call (besides EFAULT for bad pointers). */
static unsigned long stream_allowed(enum op op)
{
	switch (op) {
	case OP_PVERSION: case OP_INFO: case OP_HWSYNC:
		return OK_ALWAYS;
	case OP_HW_PARAMS:
		return OK_ALWAYS | bit(-EINVAL) | bit(-EBUSY);
	case OP_SW_PARAMS: case OP_MIXER_GET: case OP_MIXER_SET:
		return OK_ALWAYS | bit(-EINVAL);
	case OP_ATTACH:
		return OK_ALWAYS | bit(-EINVAL) | bit(-EFAULT) | bit(-E2BIG) | bit(-EBUSY) |
		       bit(-EBADFD) | bit(-ENOMEM);
	case OP_DETACH:
		return OK_ALWAYS | bit(-EBUSY) | bit(-EBADFD);
	case OP_PREPARE: case OP_DROP:
		return OK_ALWAYS | bit(-EBADFD);
	case OP_START:
		return OK_ALWAYS | bit(-EBADFD) | bit(-EPIPE);
	case OP_DRAIN:
		return OK_ALWAYS | bit(-EBADFD) | bit(-EPIPE) | bit(-EAGAIN);
	case OP_PAUSE:	/* EOPNOTSUPP: no spare BDL entry (RINGPCM_RING_CAN_PAUSE clear) */
		return OK_ALWAYS | bit(-EBADFD) | bit(-EINVAL) | bit(-EOPNOTSUPP);
	case OP_COMMIT:
		return OK_ALWAYS | bit(-EINVAL) | bit(-EPIPE) | bit(-EBADFD);
	case OP_BENCH:
		return OK_ALWAYS | bit(-EINVAL) | bit(-EBADFD) | bit(-ENOMEM);
	default:
		return 0;
	}
}

static bool is_common(enum op op)
{
	return op == OP_PVERSION || op == OP_MIXER_GET || op == OP_MIXER_SET;
}

/*
 * The errors a call may return on this kind of fd.  exact: the one right
 * answer when the caller knows it (-EFAULT for a bad pointer, -EINVAL for a
 * reserved field), 1 when any documented result of the call will do.
 */
#define ANY		1
#define ANY_OR_EFAULT	2	/* readable argument, not writable */
static unsigned long allowed(enum fd_kind kind, enum op op, int exact)
{
	if (kind == FD_OBSERVER && !is_common(op) && op != OP_INFO)
		return bit(-EPERM);	/* before the argument is even read */
	if (kind == FD_CTL && !is_common(op))
		return bit(-ENOTTY);
	if (exact == ANY_OR_EFAULT)
		return stream_allowed(op) | bit(-EFAULT);
	return exact != ANY ? bit(exact) : stream_allowed(op);
}

static void record(struct fl_slot *slot, enum fd_kind kind, enum op op, int err,
		   unsigned long ok, unsigned long cmd, const char *detail)
{
	int e = -err < N_ERRNO ? -err : N_ERRNO - 1;

	atomic_fetch_add(&n_calls, 1);
	atomic_fetch_add(&hist[kind][op][e], 1);
	if (ok & bit(err))
		return;
	if (atomic_fetch_add(&n_unexpected, 1) < 12)
		printf("FAIL fuzz: %s on %s gives only documented errors: %s (cmd 0x%lx%s%s) "
		       "returned %s\n", op_names[op], kind_names[kind], slot->who, cmd,
		       detail ? ", " : "", detail ? detail : "", pu_err(err));
}

/* ---- argument generators ------------------------------------------------ */

static const uint32_t u32_edges[] = {
	0, 1, 2, 3, 7, 64, 127, 128, 129, 255, 256, 257, 4095, 4096, 4097, 65535, 65536,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

static uint32_t edge32(uint64_t *r)
{
	return fl_chance(r, 80) ? u32_edges[fl_below(r, N(u32_edges))] : (uint32_t)fl_next(r);
}

static uint64_t edge64(uint64_t *r)
{
	static const uint64_t e[] = {
		0, 1, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~0ull - 1,
		0x100000000ull, 0xffffffffull,
	};

	return fl_chance(r, 50) ? e[fl_below(r, N(e))] : edge32(r);
}

/*
 * A pointer for an ioctl argument: the good one, or an unusable one (*bad:
 * NULL, PROT_NONE, unmapped, kernel, across a guard page), or read-only
 * zeroed memory (*ro: fine for input, EFAULT for output).
 */
static void *arg_ptr_ro(uint64_t *r, void *good, bool *bad, bool *ro)
{
	*bad = *ro = false;
	if (!fl_chance(r, 12))
		return good;
	*ro = fl_chance(r, 15);
	if (*ro)
		return ro_mem + fl_below(r, 4096);
	*bad = true;
	switch (fl_below(r, 5)) {
	case 0: return NULL;
	case 1: return none_mem;
	case 2: return hole;
	case 3: return (void *)(uintptr_t)KERNEL_ADDR;
	default: return pool + POOL_BYTES - 3;	/* straddles the pool's end */
	}
}

static uint32_t pick_rate(uint64_t *r, const struct ringpcm_info *in)
{
	return in->n_rates ? in->rates[fl_below(r, in->n_rates)] : 48000;
}

/* Mostly valid parameters within INFO's limits (small rings), else edges. */
static struct ringpcm_hw_params gen_hw_params(uint64_t *r, struct target *t)
{
	const struct ringpcm_info *in = &t->info;
	struct ringpcm_hw_params p = {
		.format = (in->formats & 2) && fl_chance(r, 30) ? RINGPCM_FORMAT_S32_LE
								 : RINGPCM_FORMAT_S16_LE,
		.rate = fl_chance(r, 70) ? 48000 : pick_rate(r, in),
		.channels = in->channels_min + fl_below(r, in->channels_max - in->channels_min + 1),
		.period_frames = 64 * (1 + fl_below(r, 32)),
		.periods = 2 + fl_below(r, fl_chance(r, 10) ? 255 : 15),
		.dma_mode = fl_below(r, 3),
	};
	uint32_t fb = p.channels * (p.format ? 4 : 2);

	while ((uint64_t)p.period_frames * p.periods * fb > MAX_RING ||
	       (uint64_t)p.period_frames * p.periods > (uint64_t)p.rate)	/* <= 1 s */
		p.periods > 2 ? p.periods /= 2 : (p.period_frames /= 2);
	if (fl_chance(r, 25)) {
		uint32_t *f = (uint32_t *)&p;

		f[fl_below(r, 6)] = edge32(r);
	}
	if (fl_chance(r, 5))
		p.reserved[fl_below(r, N(p.reserved))] = 1u << fl_below(r, 32);
	return p;
}

/* An address for a ring: mostly inside the stream's region, else anywhere odd. */
static uint64_t gen_ring_addr(uint64_t *r, struct target *t, uint64_t bytes)
{
	uint64_t room = bytes < REGION_BYTES ? REGION_BYTES - bytes : 0;
	uint64_t off = room ? fl_next(r) % room : 0;

	switch (fl_below(r, 16)) {
	case 0: return (uintptr_t)(ro_mem + (fl_below(r, 4) << 12));
	case 1: return (uintptr_t)none_mem;
	case 2: return (uintptr_t)hole;
	case 3: return fl_chance(r, 50) ? KERNEL_ADDR : NONCANON_ADDR - 4096;
	case 4: return (uintptr_t)memfd_mem;
	case 5: return (uintptr_t)status_any;
	case 6: return edge64(r);
	case 7: return (uintptr_t)(t->region + off + 64);		/* misaligned */
	case 8: return (uintptr_t)(pool + POOL_BYTES - REGION_BYTES / 2);	/* shared, or past the end */
	case 9: return (uintptr_t)(t->region + (off & ~4095ull));
	default: return (uintptr_t)(t->region + (off & ~127ull));
	}
}

static uint64_t gen_ring_bytes(uint64_t *r, struct target *t)
{
	struct ringpcm_status st = pu_status(t->st);
	uint64_t fb = atomic_load(&t->frame_bytes), rb = (uint64_t)st.buffer_frames * fb;

	if (fl_chance(r, 75))
		return rb;
	switch (fl_below(r, 8)) {
	case 0: return rb + fb;
	case 1: return rb - fb;
	case 2: return rb + 1;
	case 3: return rb - 1;
	case 4: return rb + 0x100000000ull;
	case 5: return rb * 2;
	default: return edge64(r);
	}
}

/* ---- the calls ---------------------------------------------------------- */

struct ctx {
	struct fl_slot *slot;
	uint64_t rng;
	struct target *t;	/* NULL for the ctl thread */
	int fd;
	enum fd_kind kind;
	uint64_t ramp;		/* sequencers: next ramp frame */
};

static int xioctl(struct ctx *c, unsigned long cmd, void *arg, const char *what, unsigned ms)
{
	int err;

	fl_enter(c->slot, what, ms);
	err = ioctl(c->fd, cmd, arg) < 0 ? -errno : 0;
	fl_leave(c->slot);
	return err;
}

/*
 * The last state-changing calls on the stream fds, for the diagnosis of a
 * hang: printed when the watchdog fires.
 */
#define TRACE_N	128
struct trace_entry {
	uint64_t t_ns;
	const char *who;
	enum op op;
	int err;
	char arg[48];
};
static struct trace_entry trace_log[2][TRACE_N];	/* per stream */
static atomic_ulong trace_next[2];

static void trace(struct ctx *c, enum op op, const void *arg, int err, bool begin)
{
	struct trace_entry *e;
	const struct ringpcm_hw_params *p = arg;
	const struct ringpcm_ring *r = arg;

	if (c->kind != FD_STREAM || (err && op != OP_DRAIN) || op == OP_HWSYNC ||
	    op == OP_PVERSION || op == OP_INFO || op == OP_MIXER_GET || op == OP_MIXER_SET ||
	    op == OP_BENCH)
		return;
	e = &trace_log[c->t - targets][atomic_fetch_add(&trace_next[c->t - targets], 1) % TRACE_N];
	e->t_ns = fl_now_ns();
	e->who = c->slot->who;
	e->op = op;
	e->err = begin ? 1 : err;
	e->arg[0] = 0;
	if (op == OP_HW_PARAMS && arg == p && p)
		snprintf(e->arg, sizeof(e->arg), "%u Hz %u ch fmt %u %ux%u mode %u", p->rate,
			 p->channels, p->format, p->period_frames, p->periods, p->dma_mode);
	else if (op == OP_ATTACH && r)
		snprintf(e->arg, sizeof(e->arg), "0x%llx %llu bytes", (unsigned long long)r->addr,
			 (unsigned long long)r->bytes);
	else if ((op == OP_COMMIT || op == OP_PAUSE || op == OP_SW_PARAMS) && arg)
		snprintf(e->arg, sizeof(e->arg), "%llu", op == OP_COMMIT
			 ? (unsigned long long)*(const __u64 *)arg : *(const __u32 *)arg);
}

static void trace_dump(int t)
{
	unsigned long n = atomic_load(&trace_next[t]), from = n > 60 ? n - 60 : 0;

	printf("  the last %lu state-changing calls on the %s fd:\n", n - from, targets[t].name);
	for (unsigned long i = from; i < n; i++) {
		const struct trace_entry *e = &trace_log[t][i % TRACE_N];

		printf("  %10.6f %-20s %-12s %-36s %s\n", e->t_ns / 1e9, e->who, op_names[e->op],
		       e->arg, e->err == 1 ? "(begins)" : pu_err(e->err));
	}
}

/* One ioctl of a known command, its result checked; returns it. */
static int call(struct ctx *c, enum op op, void *arg, int exact, const char *detail)
{
	int err;

	if (op == OP_DRAIN)
		trace(c, op, arg, 0, true);
	err = xioctl(c, op_cmds[op], arg, op_names[op], op == OP_DRAIN ? 8000 : 5000);
	if (exact == ANY || exact == ANY_OR_EFAULT || !err)
		trace(c, op, arg, err, false);

	record(c->slot, c->kind, op, err, allowed(c->kind, op, exact), op_cmds[op], detail);
	return err;
}

/*
 * The expected result of a call whose argument may be bad, read-only (the
 * call reads zeros; an output cannot be written) or carry a reserved bit.
 */
static int expect(bool bad, bool ro, bool reserved)
{
	return bad ? -EFAULT : ro ? ANY_OR_EFAULT : reserved ? -EINVAL : ANY;
}

static void do_pversion(struct ctx *c)
{
	__u32 v = 0;
	bool bad, ro;
	void *p = arg_ptr_ro(&c->rng, &v, &bad, &ro);

	if (!call(c, OP_PVERSION, p, bad || ro ? -EFAULT : 0, NULL) && p == &v &&
	    v != RINGPCM_VERSION)
		record(c->slot, c->kind, OP_PVERSION, -EPROTO, 0, 0, "wrong version value");
}

static void do_info(struct ctx *c)
{
	struct ringpcm_info in;
	bool bad, ro;
	void *p = arg_ptr_ro(&c->rng, &in, &bad, &ro);

	memset(&in, 0xa5, sizeof(in));
	if (c->kind == FD_CTL) {	/* the control device has no INFO */
		record(c->slot, c->kind, OP_INFO, xioctl(c, RINGPCM_IOCTL_INFO, p, "INFO", 5000),
		       bit(-ENOTTY), RINGPCM_IOCTL_INFO, NULL);
		return;
	}
	if (!call(c, OP_INFO, p, bad || ro ? -EFAULT : 0, NULL) && p == &in &&
	    memcmp(&in, &c->t->info, sizeof(in)))
		record(c->slot, c->kind, OP_INFO, -EPROTO, 0, 0, "INFO changed under load");
}

static void do_hw_params(struct ctx *c)
{
	struct ringpcm_hw_params p = gen_hw_params(&c->rng, c->t);
	bool bad, ro, res = false;
	void *a = arg_ptr_ro(&c->rng, &p, &bad, &ro);

	for (unsigned int i = 0; i < N(p.reserved); i++)
		res |= p.reserved[i] != 0;
	if (!call(c, OP_HW_PARAMS, a, expect(bad, ro, res), res ? "reserved set" : NULL) &&
	    c->kind == FD_STREAM && a == &p)
		atomic_store(&c->t->frame_bytes, p.channels * (p.format ? 4 : 2));
}

static void do_sw_params(struct ctx *c)
{
	struct ringpcm_status st = pu_status(c->t->st);
	struct ringpcm_sw_params p = {
		.avail_min = fl_chance(&c->rng, 60) ? st.period_frames * (1 + fl_below(&c->rng, 3))
						   : edge32(&c->rng),
	};
	bool bad, ro, res = fl_chance(&c->rng, 8);
	void *a = arg_ptr_ro(&c->rng, &p, &bad, &ro);

	if (res)
		p.reserved[fl_below(&c->rng, N(p.reserved))] = 0x80;
	call(c, OP_SW_PARAMS, a, expect(bad, ro, res), res ? "reserved set" : NULL);
}

static void check_ring_out(struct ctx *c, const struct ringpcm_ring *r)
{
	bool res = false;

	for (unsigned int i = 0; i < N(r->reserved); i++)
		res |= r->reserved[i] != 0;
	if (res || (r->dma_mode != RINGPCM_DMA_MAP_ONCE && r->dma_mode != RINGPCM_DMA_COPY) ||
	    !r->segments || !r->bdl_entries || r->bdl_entries > c->t->info.max_bdl_entries ||
	    (r->flags & ~RINGPCM_RING_CAN_PAUSE))
		record(c->slot, c->kind, OP_ATTACH, -EPROTO, 0, 0, "bad ATTACH_RING output");
}

static void do_attach(struct ctx *c)
{
	uint64_t bytes = gen_ring_bytes(&c->rng, c->t);
	struct ringpcm_ring r = { .bytes = bytes, .addr = gen_ring_addr(&c->rng, c->t, bytes) };
	bool bad, ro, res = fl_chance(&c->rng, 6);
	void *a = arg_ptr_ro(&c->rng, &r, &bad, &ro);
	char detail[64];

	if (res)
		r.reserved[fl_below(&c->rng, N(r.reserved))] = 1;
	if (fl_chance(&c->rng, 5))	/* out fields given on input are ignored */
		r.dma_mode = r.segments = r.bdl_entries = r.flags = 0xffffffff;
	snprintf(detail, sizeof(detail), "addr 0x%llx bytes %llu%s", (unsigned long long)r.addr,
		 (unsigned long long)r.bytes, res ? " reserved set" : "");
	if (!call(c, OP_ATTACH, a, expect(bad, ro, res), detail) && a == &r)
		check_ring_out(c, &r);
}

static void do_pause(struct ctx *c)
{
	__u32 v = fl_chance(&c->rng, 85) ? fl_below(&c->rng, 2) : edge32(&c->rng);
	bool bad, ro;
	void *a = arg_ptr_ro(&c->rng, &v, &bad, &ro);

	call(c, OP_PAUSE, a, expect(bad, ro, false), NULL);
}

static uint64_t gen_appl(struct ctx *c)
{
	struct ringpcm_status st = pu_status(c->t->st);
	uint64_t b = st.buffer_frames;

	switch (fl_below(&c->rng, 10)) {
	case 0: return st.appl_ptr;
	case 1: return st.hw_ptr;
	case 2: return st.hw_ptr + b;
	case 3: return st.hw_ptr + b + 1;
	case 4: return st.appl_ptr - 1;
	case 5: return edge64(&c->rng);
	default: return st.appl_ptr + fl_below(&c->rng, (uint32_t)b + 2);
	}
}

static void do_commit(struct ctx *c)
{
	__u64 v = gen_appl(c);
	bool bad, ro;
	void *a = arg_ptr_ro(&c->rng, &v, &bad, &ro);

	call(c, OP_COMMIT, a, expect(bad, ro, false), NULL);
}

static void do_mixer(struct ctx *c, bool set)
{
	struct ringpcm_mixer m = { .control = fl_chance(&c->rng, 90) ? fl_below(&c->rng, 2)
								     : edge32(&c->rng) };
	bool bad, ro, res = fl_chance(&c->rng, 8);
	void *a = arg_ptr_ro(&c->rng, &m, &bad, &ro);

	for (int ch = 0; ch < 2; ch++) {
		m.gain[ch] = fl_chance(&c->rng, 80) ? fl_below(&c->rng, 130) : edge32(&c->rng);
		m.mute[ch] = fl_chance(&c->rng, 90) ? fl_below(&c->rng, 2) : edge32(&c->rng);
	}
	if (res)
		m.reserved[fl_below(&c->rng, N(m.reserved))] = 3;
	call(c, set ? OP_MIXER_SET : OP_MIXER_GET, a, expect(bad, ro, res), NULL);
}

static void do_bench(struct ctx *c)
{
	static const uint32_t bad_iterations[] = { 0, 100001, 0xffffffff };
	struct ringpcm_bench b = {
		.strategy = fl_chance(&c->rng, 90) ? fl_below(&c->rng, 3) : edge32(&c->rng),
		.iterations = fl_chance(&c->rng, 85) ? 1 + fl_below(&c->rng, 64)
			      : bad_iterations[fl_below(&c->rng, N(bad_iterations))],
	};
	bool bad, ro, res = fl_chance(&c->rng, 8);
	void *a = arg_ptr_ro(&c->rng, &b, &bad, &ro);

	if (res)
		b.reserved[fl_below(&c->rng, N(b.reserved))] = 1;
	call(c, OP_BENCH, a, expect(bad, ro, res), NULL);
}

static bool known_cmd(unsigned long cmd)
{
	for (unsigned int i = 0; i < N(op_cmds); i++)
		if (op_cmds[i] == cmd)
			return true;
	return false;
}

/* _IOC(random dir, magic, random nr, random size): ENOTTY unless it is a real command. */
static void do_random_magic(struct ctx *c)
{
	static const unsigned int nrs[] = { 0, 1, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x23,
					    0x24, 0x30, 0x31, 0x40, 0x41, 0x50, 0x7f, 0xff };
	static __thread uint8_t buf[_IOC_SIZEMASK + 1];
	unsigned int nr = fl_chance(&c->rng, 70) ? nrs[fl_below(&c->rng, N(nrs))]
						 : fl_below(&c->rng, 256);
	unsigned int size = fl_chance(&c->rng, 50) ? fl_below(&c->rng, 300)
						   : fl_below(&c->rng, _IOC_SIZEMASK + 1);
	unsigned long cmd = _IOC(fl_below(&c->rng, 4), RINGPCM_IOC_MAGIC, nr, size);
	bool bad, ro;
	void *a = arg_ptr_ro(&c->rng, buf, &bad, &ro);
	char detail[48];

	if (known_cmd(cmd))
		return;
	for (unsigned int i = 0; i < 64; i++)
		buf[i] = (uint8_t)fl_next(&c->rng);
	snprintf(detail, sizeof(detail), "nr 0x%x size %u", nr, size);
	record(c->slot, c->kind, OP_RANDOM_MAGIC, xioctl(c, cmd, a, "random magic cmd", 5000),
	       c->kind == FD_OBSERVER ? bit(-EPERM) : bit(-ENOTTY), cmd, detail);
}

/*
 * Commands of other subsystems (ALSA PCM, V4L2, hidraw, KVM, tty): the
 * driver must not take them for its own.  The VFS's own commands (FIONBIO,
 * FIFREEZE and the like) are left out: the VFS answers those itself.
 */
static void do_foreign(struct ctx *c)
{
	static const unsigned int types[] = { 'A', 'V', 'H', 'U', 'd', 0xAE, 0xA6, 0xA8, 0 };
	static __thread uint8_t buf[1024];
	unsigned int type = types[fl_below(&c->rng, N(types))];
	unsigned long cmd = type ? _IOC(fl_below(&c->rng, 4), type, fl_below(&c->rng, 256),
					fl_below(&c->rng, sizeof(buf)))
				 : 0x5401;	/* TCGETS */

	record(c->slot, c->kind, OP_FOREIGN, xioctl(c, cmd, buf, "foreign cmd", 5000),
	       bit(-ENOTTY), cmd, NULL);
}

static void do_poll(struct ctx *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN | POLLOUT | POLLPRI };
	int ms = (int)fl_below(&c->rng, 30), n;

	fl_enter(c->slot, "poll", ms + 5000);
	n = poll(&p, 1, ms);
	fl_leave(c->slot);
	record(c->slot, c->kind, OP_POLL,
	       n < 0 ? -errno : p.revents & (POLLNVAL | POLLHUP) ? -EPROTO : 0, OK_ALWAYS, 0,
	       "POLLNVAL or POLLHUP without a removal");
}

/* The status page: one page at offset 0, read-only; anything else refused. */
static void do_mmap(struct ctx *c)
{
	static const size_t lens[] = { 0, 1, 8192, 1 << 20 };
	size_t len = fl_chance(&c->rng, 70) ? 4096 : lens[fl_below(&c->rng, N(lens))];
	off_t off = fl_chance(&c->rng, 80) ? 0 : (off_t)4096 * (1 + fl_below(&c->rng, 4));
	int prot = fl_chance(&c->rng, 75) ? PROT_READ : PROT_READ | PROT_WRITE;
	int flags = fl_chance(&c->rng, 80) ? MAP_SHARED : MAP_PRIVATE;
	bool valid = len && len <= 4096 && !off && prot == PROT_READ && c->kind != FD_CTL;
	void *p = mmap(NULL, len, prot, flags, c->fd, off);
	int err = p == MAP_FAILED ? -errno : 0;

	record(c->slot, c->kind, OP_MMAP, err,
	       valid ? OK_ALWAYS : bit(-EINVAL) | bit(-EPERM) | bit(-EACCES) | bit(-ENODEV),
	       0, "status page mapping");
	if (!err) {
		volatile const uint32_t *seq = p;

		(void)*seq;
		munmap(p, len);
	}
}

static void do_rw(struct ctx *c)
{
	static __thread uint8_t buf[256];
	ssize_t n = fl_chance(&c->rng, 50) ? read(c->fd, buf, sizeof(buf))
					   : write(c->fd, buf, sizeof(buf));

	/* EBADF: writing to a read-only open */
	record(c->slot, c->kind, OP_RW, n < 0 ? -errno : -EPROTO,
	       bit(-EINVAL) | (c->kind == FD_OBSERVER ? bit(-EBADF) : 0), 0,
	       "read/write on a device without them");
}

static const enum op no_arg_ops[] = { OP_DETACH, OP_PREPARE, OP_START, OP_DROP, OP_DRAIN,
				      OP_HWSYNC };

static void ctl_call(struct ctx *c, uint32_t k)
{
	if (k < 40)
		do_mixer(c, k < 15);
	else if (k < 50)
		do_pversion(c);
	else if (k < 58)
		do_info(c);
	else if (k < 80)
		do_random_magic(c);
	else if (k < 90)
		do_foreign(c);
	else
		call(c, no_arg_ops[fl_below(&c->rng, N(no_arg_ops))], NULL, ANY, NULL);
}

/* One random call on this thread's fd. */
static void random_call(struct ctx *c)
{
	uint32_t k = fl_below(&c->rng, 100);

	if (!c->t)
		ctl_call(c, k);
	else if (k < 4) do_pversion(c);
	else if (k < 8) do_info(c);
	else if (k < 14) do_hw_params(c);
	else if (k < 19) do_sw_params(c);
	else if (k < 27) do_attach(c);
	else if (k < 43) call(c, no_arg_ops[fl_below(&c->rng, N(no_arg_ops))], NULL, ANY, NULL);
	else if (k < 48) do_pause(c);
	else if (k < 60) do_commit(c);
	else if (k < 63) do_mixer(c, k < 61);
	else if (k < 66) do_bench(c);
	else if (k < 78) do_random_magic(c);
	else if (k < 82) do_foreign(c);
	else if (k < 90) do_poll(c);
	else if (k < 95) do_mmap(c);
	else if (k < 97) do_rw(c);
	else if (c->kind == FD_STREAM) {	/* O_NONBLOCK flips: DRAIN blocks or says EAGAIN */
		int fl = fcntl(c->fd, F_GETFL);

		fcntl(c->fd, F_SETFL, fl ^ O_NONBLOCK);
	}
}

static void *random_thread(void *arg)
{
	struct ctx *c = arg;

	while (!atomic_load(&stop)) {
		random_call(c);
		/* pauses let the sequencers' states last long enough to be hit */
		if (fl_chance(&c->rng, 50)) {
			struct timespec ts = { 0, fl_below(&c->rng, 1000) * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

/* ---- sequencers: real streams for the random calls to land on ------------ */

static void ramp_fill(struct ctx *c, uint8_t *ring, uint32_t buffer, uint64_t from, uint64_t to)
{
	for (uint64_t f = from; f < to; f++)
		fl_ramp_frame(++c->ramp, (int16_t *)(ring + (f % buffer) * FL_FB));
}

/* Feeds (playback) or reads (capture) a running stream for about ms. */
static void feed(struct ctx *c, uint8_t *ring, uint32_t buffer, unsigned int ms, bool starve)
{
	uint64_t end = fl_now_ns() + ms * 1000000ull;

	while (fl_now_ns() < end && !atomic_load(&stop)) {
		struct ringpcm_status st = pu_status(c->t->st);
		__u64 appl = st.appl_ptr;

		if (st.state != RINGPCM_STATE_RUNNING && st.state != RINGPCM_STATE_PREPARED)
			return;
		if (starve) {
			pu_sleep_ms(10);
			continue;
		}
		if (c->t->dir == 'p' && st.buffer_frames == buffer) {
			appl = st.hw_ptr + buffer;
			ramp_fill(c, ring, buffer, st.appl_ptr, appl);
		} else if (c->t->dir == 'c') {
			appl = st.hw_ptr;
		}
		if (appl != st.appl_ptr)
			call(c, OP_COMMIT, &appl, ANY, NULL);
		if (fl_chance(&c->rng, 10))
			call(c, OP_HWSYNC, NULL, ANY, NULL);
		pu_sleep_ms(2 + fl_below(&c->rng, 15));
	}
}

static void sequence_end(struct ctx *c)
{
	uint32_t k = fl_below(&c->rng, 6), on = 1;
	int fl;

	switch (k) {
	case 0:	/* blocking drain, whatever O_NONBLOCK the random threads left */
		fl = fcntl(c->fd, F_GETFL);
		fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK);
		call(c, OP_DRAIN, NULL, ANY, NULL);
		break;
	case 1:
		call(c, OP_DROP, NULL, ANY, NULL);
		break;
	case 2:
		call(c, OP_PREPARE, NULL, ANY, NULL);
		break;
	case 3:
		call(c, OP_PAUSE, &on, ANY, NULL);
		break;
	default:	/* left running: the random threads find it so */
		break;
	}
}

/* One real set-up and run, in a random ring layout and DMA mode. */
static void sequence(struct ctx *c)
{
	uint32_t period = 256u << fl_below(&c->rng, 3), periods = 4 + fl_below(&c->rng, 5);
	uint32_t buffer = period * periods, mode = fl_below(&c->rng, 3), on;
	uint32_t room = REGION_BYTES - buffer * FL_FB;
	uint8_t *ring = c->t->region + (fl_chance(&c->rng, 50) ? fl_below(&c->rng, room) & ~4095u
							     : fl_below(&c->rng, room) & ~127u);
	struct ringpcm_hw_params p = {
		.format = RINGPCM_FORMAT_S16_LE, .rate = FL_RATE, .channels = FL_CH,
		.period_frames = period, .periods = periods, .dma_mode = mode,
	};
	struct ringpcm_ring r = { .addr = (uintptr_t)ring, .bytes = buffer * FL_FB };
	__u64 appl = buffer;

	if (call(c, OP_HW_PARAMS, &p, ANY, NULL))
		return;
	atomic_store(&c->t->frame_bytes, FL_FB);
	if (call(c, OP_ATTACH, &r, ANY, NULL) || call(c, OP_PREPARE, NULL, ANY, NULL))
		return;
	if (c->t->dir == 'p') {
		ramp_fill(c, ring, buffer, 0, buffer);
		if (call(c, OP_COMMIT, &appl, ANY, NULL))
			return;
	}
	if (call(c, OP_START, NULL, ANY, NULL))
		return;
	feed(c, ring, buffer, 50 + fl_below(&c->rng, 300), false);
	if (fl_chance(&c->rng, 20)) {
		on = 1;
		call(c, OP_PAUSE, &on, ANY, NULL);
		pu_sleep_ms(fl_below(&c->rng, 50));
		on = 0;
		call(c, OP_PAUSE, &on, ANY, NULL);
		feed(c, ring, buffer, fl_below(&c->rng, 200), false);
	}
	if (fl_chance(&c->rng, 35))	/* an xrun */
		feed(c, ring, buffer, 2 * buffer * 1000 / FL_RATE + 50, true);
	sequence_end(c);
}

static void *sequencer_thread(void *arg)
{
	struct ctx *c = arg;

	while (!atomic_load(&stop))
		sequence(c);
	return NULL;
}

/* ---- memory, openers, status pages ---------------------------------------- */

/*
 * Pages under attached rings replaced (MAP_FIXED), discarded (DONTNEED) or
 * write-protected: the driver holds its own pins, nothing may break.  Only
 * the shared tail of the pool is write-protected (the sequencers write into
 * the per-stream regions).
 */
static void *memory_thread(void *arg)
{
	struct ctx *c = arg;
	const size_t chunk = 64 << 10;

	while (!atomic_load(&stop)) {
		size_t n = POOL_BYTES / chunk, i = fl_below(&c->rng, (uint32_t)n);
		uint8_t *p = pool + i * chunk;
		void *q;

		switch (fl_below(&c->rng, 4)) {
		case 0:
			q = mmap(p, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			record(c->slot, FD_STREAM, OP_MMAP, q == p ? 0 : -errno, OK_ALWAYS, 0,
			       "MAP_FIXED over the pool");
			break;
		case 1:
			madvise(p, chunk, MADV_DONTNEED);
			break;
		case 2:
			p = pool + 2 * REGION_BYTES + fl_below(&c->rng, (POOL_BYTES - 2 * REGION_BYTES) / chunk) * chunk;
			mprotect(p, chunk, PROT_READ);
			pu_sleep_ms(fl_below(&c->rng, 20));
			mprotect(p, chunk, PROT_READ | PROT_WRITE);
			break;
		default:
			madvise(p, chunk, fl_chance(&c->rng, 50) ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		}
		pu_sleep_ms(5 + fl_below(&c->rng, 40));
	}
	return NULL;
}

/* A node for a minor with no stream (the spare one) and for a card that is absent. */
static char spare_node[64], absent_node[64];

static void make_nodes(void)
{
	char ctl[64];
	struct stat sb;

	snprintf(ctl, sizeof(ctl), "/dev/ringpcmC%uctl", pu_card());
	if (stat(ctl, &sb) < 0)
		return;
	snprintf(spare_node, sizeof(spare_node), "/tmp/fault-fuzz-spare-%d", getpid());
	snprintf(absent_node, sizeof(absent_node), "/tmp/fault-fuzz-absent-%d", getpid());
	/* minors per card: p, c, ctl, spare (kernel/ringpcm.h) */
	if (mknod(spare_node, S_IFCHR | 0600, makedev(major(sb.st_rdev), minor(sb.st_rdev) + 1)))
		spare_node[0] = 0;
	if (mknod(absent_node, S_IFCHR | 0600,
		  makedev(major(sb.st_rdev), minor(sb.st_rdev) - 2 + 4 * 7)))
		absent_node[0] = 0;
}

static void try_open(struct ctx *c, const char *path, int flags, unsigned long ok)
{
	int fd = open(path, flags | O_CLOEXEC);

	record(c->slot, FD_STREAM, OP_OPEN, fd < 0 ? -errno : 0, ok, (unsigned long)flags, path);
	if (fd >= 0) {
		struct ringpcm_info in;

		if (ioctl(fd, RINGPCM_IOCTL_INFO, &in) == 0 && flags == O_RDONLY &&
		    memcmp(&in, &targets[path == pu_path('c')].info, sizeof(in)))
			record(c->slot, FD_OBSERVER, OP_INFO, -EPROTO, 0, 0, "observer INFO differs");
		close(fd);
	}
}

/* Extra openers: a second read-write open is EBUSY, observers and ctl always open. */
static void *opener_thread(void *arg)
{
	struct ctx *c = arg;
	char ctl[64];

	snprintf(ctl, sizeof(ctl), "/dev/ringpcmC%uctl", pu_card());
	while (!atomic_load(&stop)) {
		const char *path = pu_path(fl_chance(&c->rng, 50) ? 'p' : 'c');

		switch (fl_below(&c->rng, 6)) {
		case 0: try_open(c, path, O_RDWR, bit(-EBUSY)); break;
		case 1: try_open(c, path, O_WRONLY | O_NONBLOCK, bit(-EBUSY)); break;
		case 2: try_open(c, path, O_RDONLY, OK_ALWAYS); break;
		case 3: try_open(c, ctl, O_RDWR, OK_ALWAYS); break;
		default:
			if (spare_node[0])
				try_open(c, spare_node, O_RDWR, bit(-ENODEV));
			if (absent_node[0])
				try_open(c, absent_node, O_RDONLY, bit(-ENODEV) | bit(-ENXIO));
		}
		pu_sleep_ms(fl_below(&c->rng, 10));
	}
	return NULL;
}

/* The invariants any consistent snapshot of a status page must satisfy. */
static const char *status_broken(const struct ringpcm_status *st, bool capture)
{
	if (st->state > RINGPCM_STATE_PAUSED)
		return "state out of range (or DISCONNECTED without a removal)";
	if (st->state < RINGPCM_STATE_PREPARED)
		return NULL;
	if (!st->period_frames || !st->buffer_frames || st->buffer_frames % st->period_frames)
		return "buffer not a whole number of periods";
	if (!st->avail_min || st->avail_min > st->buffer_frames)
		return "avail_min outside [1, buffer]";
	if (capture && st->appl_ptr > st->hw_ptr)
		return "capture appl_ptr beyond hw_ptr";
	if (!capture && st->appl_ptr > st->hw_ptr + st->buffer_frames)
		return "playback appl_ptr more than a buffer ahead of hw_ptr";
	if (st->dma_mode != RINGPCM_DMA_MAP_ONCE && st->dma_mode != RINGPCM_DMA_COPY)
		return "no DMA mode with a ring";
	return NULL;
}

static atomic_ulong states_seen[2][8];

/* The controller's stream descriptors, read through sysfs (diagnostics only). */
static void dump_registers(void)
{
	const char *pci = getenv("RINGPCM_HDA_PCI");
	char path[128];
	int fd;
	volatile uint8_t *r;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", pci ? pci : "0000:00:08.0");
	fd = open(path, O_RDONLY | O_SYNC | O_CLOEXEC);
	r = fd >= 0 ? mmap(NULL, 0x4000, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
	if (fd >= 0)
		close(fd);
	if (r == MAP_FAILED)
		return;
	uint16_t gcap = *(volatile uint16_t *)r;
	unsigned int n = ((gcap >> 8) & 0xf) + ((gcap >> 12) & 0xf);

	printf("  INTCTL 0x%08x INTSTS 0x%08x\n", *(volatile uint32_t *)(r + 0x20),
	       *(volatile uint32_t *)(r + 0x24));
	for (unsigned int i = 0; i < n; i++) {
		volatile uint8_t *sd = r + 0x80 + 0x20 * i;

		printf("  SD%u: CTL 0x%02x%02x%02x STS 0x%02x LPIB %u CBL %u LVI %u FMT 0x%04x "
		       "BDPL 0x%08x\n", i, sd[2], sd[1], sd[0], sd[3],
		       *(volatile uint32_t *)(sd + 4), *(volatile uint32_t *)(sd + 8),
		       *(volatile uint16_t *)(sd + 0xc), *(volatile uint16_t *)(sd + 0x12),
		       *(volatile uint32_t *)(sd + 0x18));
	}
	munmap((void *)r, 0x4000);
}

/* What the streams look like when a call hangs. */
static void dump_status(void)
{
	static atomic_bool traced;

	if (!atomic_exchange(&traced, true))
		trace_dump(0);
	dump_registers();
	for (int i = 0; i < 2; i++) {
		struct ringpcm_status st = pu_status(targets[i].st);

		printf("  %s status: state %s hw_ptr %llu appl_ptr %llu buffer %u period %u "
		       "avail_min %u mode %u xruns %llu periods %llu irqs %llu seq %u\n",
		       targets[i].name, rpcm_state_name(st.state), (unsigned long long)st.hw_ptr,
		       (unsigned long long)st.appl_ptr, st.buffer_frames, st.period_frames,
		       st.avail_min, st.dma_mode, (unsigned long long)st.xruns,
		       (unsigned long long)st.periods_elapsed, (unsigned long long)st.irqs, st.seq);
	}
}

static void *status_thread(void *arg)
{
	struct ctx *c = arg;

	while (!atomic_load(&stop)) {
		for (int i = 0; i < 2; i++) {
			const struct ringpcm_status *pages[2] = { targets[i].st, targets[i].obs_st };

			for (int j = 0; j < 2; j++) {
				struct ringpcm_status st;
				const char *why;

				fl_enter(c->slot, "status page read (seq stays odd?)", 2000);
				st = pu_status(pages[j]);
				fl_leave(c->slot);
				why = status_broken(&st, i == 1);
				if (j == 0 && st.state < 8)
					atomic_fetch_add(&states_seen[i][st.state], 1);
				record(c->slot, j ? FD_OBSERVER : FD_STREAM, OP_STATUS,
				       why ? -EPROTO : 0, OK_ALWAYS, 0, why);
				if (why)
					printf("  %s status: state %u hw %llu appl %llu buffer %u "
					       "period %u avail_min %u mode %u\n", targets[i].name,
					       st.state, (unsigned long long)st.hw_ptr,
					       (unsigned long long)st.appl_ptr, st.buffer_frames,
					       st.period_frames, st.avail_min, st.dma_mode);
			}
		}
		pu_sleep_ms(1);
	}
	return NULL;
}

/* ---- set-up, run, summary ----------------------------------------------- */

static bool open_target(struct target *t)
{
	t->fd = fl_open(t->dir, O_RDWR);
	t->obs_fd = fl_open(t->dir, O_RDONLY);
	if (!CHECK(t->fd >= 0 && t->obs_fd >= 0, "open the stream and an observer", "%s: %s / %s",
		   pu_path(t->dir), pu_err(t->fd < 0 ? t->fd : 0),
		   pu_err(t->obs_fd < 0 ? t->obs_fd : 0)))
		return false;
	t->st = pu_status_map(t->fd);
	t->obs_st = pu_status_map(t->obs_fd);
	return CHECK(t->st && t->obs_st && !pu_ioctl(t->fd, RINGPCM_IOCTL_INFO, &t->info),
		     "status pages and INFO", "%s", strerror(errno));
}

static bool setup_memory(void)
{
	int mfd = memfd_create("fault-fuzz", MFD_CLOEXEC);

	pool = fl_anon(POOL_BYTES + 4096);
	ro_mem = fl_map(1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none_mem = fl_map(1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hole = (uint8_t *)0x2000;	/* below mmap_min_addr: never mapped */
	if (mfd >= 0 && !ftruncate(mfd, 1 << 20))
		memfd_mem = fl_map(1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (mfd >= 0)
		close(mfd);
	if (!pool || !ro_mem || !none_mem || !memfd_mem)
		return false;
	mprotect(pool + POOL_BYTES, 4096, PROT_NONE);	/* a guard after the pool */
	targets[0].region = pool;
	targets[1].region = pool + REGION_BYTES;
	status_any = pu_status_map(targets[0].fd);
	return status_any != NULL;
}

static void mixers(bool save)
{
	for (int i = 0; i < 2; i++) {
		mixer_saved[i].control = (uint32_t)i;
		pu_ioctl(ctl_fd, save ? RINGPCM_IOCTL_MIXER_GET : RINGPCM_IOCTL_MIXER_SET,
			 &mixer_saved[i]);
	}
}

static struct ctx ctxs[FL_MAX_SLOTS];
static int n_ctx;

static struct ctx *new_ctx(uint64_t seed, const char *who, struct target *t, int fd,
			   enum fd_kind kind)
{
	struct ctx *c = &ctxs[n_ctx++];

	c->slot = fl_slot_new(who);
	c->rng = seed ^ (0x1000193ull * (uint64_t)n_ctx);
	c->t = t;
	c->fd = fd;
	c->kind = kind;
	return c;
}

static void run_threads(uint64_t seed, unsigned int threads, double seconds)
{
	pthread_t tids[FL_MAX_SLOTS];
	int n = 0;
	char who[32];

	for (int i = 0; i < 2; i++) {
		struct target *t = &targets[i];

		snprintf(who, sizeof(who), "%s sequencer", t->name);
		pthread_create(&tids[n++], NULL, sequencer_thread,
			       new_ctx(seed, who, t, t->fd, FD_STREAM));
		for (unsigned int k = 0; k < threads; k++) {
			snprintf(who, sizeof(who), "%s random #%u", t->name, k);
			pthread_create(&tids[n++], NULL, random_thread,
				       new_ctx(seed, who, t, t->fd, FD_STREAM));
		}
		snprintf(who, sizeof(who), "%s observer", t->name);
		pthread_create(&tids[n++], NULL, random_thread,
			       new_ctx(seed, who, t, t->obs_fd, FD_OBSERVER));
	}
	pthread_create(&tids[n++], NULL, random_thread, new_ctx(seed, "ctl", NULL, ctl_fd, FD_CTL));
	pthread_create(&tids[n++], NULL, memory_thread, new_ctx(seed, "memory", NULL, -1, FD_STREAM));
	pthread_create(&tids[n++], NULL, opener_thread, new_ctx(seed, "opener", NULL, -1, FD_STREAM));
	pthread_create(&tids[n++], NULL, status_thread, new_ctx(seed, "status", NULL, -1, FD_STREAM));
	pu_sleep_ms((unsigned int)(seconds * 1000));
	atomic_store(&stop, true);
	for (int i = 0; i < n; i++) {
		struct timespec dl;

		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 10;
		if (pthread_timedjoin_np(tids[i], NULL, &dl)) {
			printf("FAIL fuzz: every thread ends: %s did not, 10 s after the end\n",
			       ctxs[i].slot->who);
			dump_status();
			mixers(false);
			fflush(stdout);
			_exit(1);
		}
	}
}

static void print_histogram(double seconds)
{
	printf("INFO fuzz: %lu calls in %.1f s (%.0f/s); results per call (errno: count):\n",
	       atomic_load(&n_calls), seconds, atomic_load(&n_calls) / seconds);
	for (int k = 0; k < 3; k++)
		for (int op = 0; op < OP_COUNT; op++) {
			char line[512];
			int len = 0;

			for (int e = 0; e < N_ERRNO; e++) {
				unsigned long v = atomic_load(&hist[k][op][e]);

				if (v && len < (int)sizeof(line) - 32)
					len += snprintf(line + len, sizeof(line) - len, " %s:%lu",
							e ? strerrorname_np(e) ?: "?" : "ok", v);
			}
			if (len)
				printf("INFO   %-8s %-16s%s\n", kind_names[k], op_names[op], line);
		}
	for (int i = 0; i < 2; i++) {
		printf("INFO states the %s status page showed:", targets[i].name);
		for (uint32_t st = 0; st < 8; st++)
			printf(" %s %lu", rpcm_state_name(st), atomic_load(&states_seen[i][st]));
		printf("\n");
	}
}

static void finish_streams(long pinned0)
{
	long pinned;

	mixers(false);
	for (int i = 0; i < 2; i++) {
		struct target *t = &targets[i];

		printf("INFO %s: %llu xruns counted by the driver\n", t->name,
		       (unsigned long long)pu_status(t->st).xruns);
		pu_ioctl(t->fd, RINGPCM_IOCTL_DROP, NULL);
		CHECK(pu_status(t->st).state != RINGPCM_STATE_DISCONNECTED,
		      "the streams are still connected", "%s disconnected", t->name);
		munmap((void *)t->st, PAGE);
		munmap((void *)t->obs_st, PAGE);
		close(t->obs_fd);
		close(t->fd);
	}
	munmap((void *)status_any, PAGE);
	close(ctl_fd);
	pinned = fl_wait_pinned(pinned0, 2000);
	CHECK(pinned == pinned0, "every pinned page released on close",
	      "pinned_pages %ld, %ld before the fuzzing", pinned, pinned0);
}

static void usage(void)
{
	fprintf(stderr, "usage: fault-fuzz [--seed N] [--seconds S] [--threads N] [--no-check]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *seed_arg = NULL;
	double seconds = 5;
	unsigned int threads = 2;
	bool check = true;
	uint64_t seed;
	long pinned0 = pu_pinned_pages();
	pthread_t wd;
	char ctl[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed_arg = argv[++i];
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-check"))
			check = false;
		else
			usage();
	}
	if (threads > 8)
		threads = 8;
	seed = fl_seed(seed_arg);
	printf("INFO fault-fuzz seed 0x%016llx, %.0f s, %u random threads per stream "
	       "(again: fault-fuzz --seed 0x%llx --seconds %.0f --threads %u)\n",
	       (unsigned long long)seed, seconds, threads, (unsigned long long)seed, seconds,
	       threads);
	pu_group = "fuzz";
	snprintf(ctl, sizeof(ctl), "/dev/ringpcmC%uctl", pu_card());
	ctl_fd = open(ctl, O_RDWR | O_CLOEXEC);
	if (!CHECK(ctl_fd >= 0, "open the control device", "%s: %s", ctl, strerror(errno)) ||
	    !open_target(&targets[0]) || !open_target(&targets[1]) ||
	    !CHECK(setup_memory(), "map the test memory", "%s", strerror(errno)))
		return unit_exit("fault-fuzz");
	mixers(true);
	make_nodes();
	fl_on_hang = dump_status;
	wd = fl_watchdog_start();
	run_threads(seed, threads, seconds);
	fl_watchdog_stop(wd);
	print_histogram(seconds);
	CHECK(!atomic_load(&n_unexpected), "every call gave a documented result",
	      "%lu did not (the first ones are above)", atomic_load(&n_unexpected));
	CHECK(!atomic_load(&fl_hangs), "no call hung", "%d did", atomic_load(&fl_hangs));
	if (spare_node[0])
		unlink(spare_node);
	if (absent_node[0])
		unlink(absent_node);
	finish_streams(pinned0);
	if (check) {
		fl_stream_check(RINGPCM_DIR_PLAYBACK, 12 * 2048, "afterwards");
		fl_stream_check(RINGPCM_DIR_CAPTURE, 12 * 2048, "afterwards");
		CHECK(fl_wait_pinned(pinned0, 2000) == pinned0, "afterwards: nothing pinned",
		      "pinned_pages %ld", pu_pinned_pages());
	}
	return unit_exit("fault-fuzz");
}
