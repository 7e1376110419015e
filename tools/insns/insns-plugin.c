// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm-insns: a QEMU TCG plugin (API of QEMU 7.2) that counts the guest
 * instructions each vCPU executes, split into user space, the kernel
 * ranges the guest names (ringpcm.ko, the ALSA/HDA modules, other modules)
 * and the rest of the kernel, inside windows the guest opens and closes.
 *
 * Counting: every translation block gets an execution callback that adds
 * the block's instruction count to its vCPU's counter of the block's
 * category. A block is counted whole when it starts (QEMU 7.2 takes
 * interrupts only between blocks; a fault in the middle of a block is the
 * only case where instructions are counted that did not complete).
 *
 * Windows: the guest executes a magic 8-byte NOP in user space,
 *   nopl 0x52504d00+OP(%rax,%rax,1)   = 0f 1f 84 00 OP 4d 50 52
 * OP 1 opens a window, OP 2 closes it (tools/insns/insns-mark.c). The
 * plugin sees it deterministically, in the vCPU that executes it, before
 * the instruction runs. At OPEN it reads DIR/insns-label (the window's
 * name) and DIR/insns-ranges (lines "CATEGORY START END", hexadecimal
 * kernel addresses, END exclusive) and snapshots all vCPUs' counters; at
 * CLOSE it appends the difference to DIR/insns.tsv before the guest
 * continues, so the guest can read it right after. Ranges are matched in
 * file order (the first wins); categories: ringpcm, alsa, modules, spin.
 * Line format: "CATEGORY START END [anything]".
 *
 * Arguments: dir=PATH (required: the results share, same path in the
 * guest), top=N (optional: also write the N blocks that executed the most
 * instructions in each window to DIR/insns-top.tsv, for attribution).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* Categories: fixed names, the first two always present. */
enum { CAT_USER, CAT_KERNEL, CAT_RINGPCM, CAT_ALSA, CAT_MODULES, CAT_SPIN, NCAT };
static const char *const cat_names[NCAT] = {
	[CAT_USER] = "user", [CAT_KERNEL] = "kernel", [CAT_RINGPCM] = "ringpcm",
	[CAT_ALSA] = "alsa", [CAT_MODULES] = "modules", [CAT_SPIN] = "spin",
};
/* Column order of insns.tsv. */
static const int cat_cols[NCAT] = {
	CAT_USER, CAT_RINGPCM, CAT_ALSA, CAT_MODULES, CAT_SPIN, CAT_KERNEL
};

#define MAGIC_OPEN 1
#define MAGIC_CLOSE 2
#define KERNEL_START 0x8000000000000000ull
#define MAX_RANGES 256

struct range {
	uint64_t start, end;
	int cat;
};

/* Published whole at OPEN (pointer swap); old tables are leaked on purpose:
 * a vCPU may still be reading one, and there is one per window. */
struct range_table {
	int n;
	struct range r[MAX_RANGES];
};

/* One per translation. key caches the category: generation << 8 | cat. */
struct tb_info {
	uint64_t vaddr;
	uint32_t n_insns;
	_Atomic uint64_t key;
	uint64_t execs;		/* racy between vCPUs: attribution only */
	uint64_t execs_open;
	struct tb_info *next;
};

/* Written only by its own vCPU thread; read by the one closing a window. */
struct vcpu_count {
	_Atomic uint64_t c[NCAT];
} __attribute__((aligned(64)));

static char *dir;
static int top_n;
static int n_vcpus;
static struct vcpu_count *vcpus;
static struct range_table *_Atomic ranges;
static _Atomic uint64_t generation = 1;

static pthread_mutex_t window_lock = PTHREAD_MUTEX_INITIALIZER;	/* below */
static int window_open;
static char window_label[128];
static uint64_t open_snap[64][NCAT];	/* n_vcpus <= 64, checked at install */
static unsigned window_no;

static pthread_mutex_t tbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tb_info *tbs;		/* every translation, for top=N */

static int classify(uint64_t vaddr)
{
	struct range_table *t;
	int i;

	if (vaddr < KERNEL_START)
		return CAT_USER;
	t = atomic_load_explicit(&ranges, memory_order_acquire);
	for (i = 0; t && i < t->n; i++)
		if (vaddr >= t->r[i].start && vaddr < t->r[i].end)
			return t->r[i].cat;
	return CAT_KERNEL;
}

static void tb_exec(unsigned int vcpu, void *udata)
{
	struct tb_info *tb = udata;
	uint64_t gen = atomic_load_explicit(&generation, memory_order_acquire);
	uint64_t key = atomic_load_explicit(&tb->key, memory_order_relaxed);
	int cat;

	if (key >> 8 == gen) {
		cat = key & 0xff;
	} else {
		cat = classify(tb->vaddr);
		atomic_store_explicit(&tb->key, gen << 8 | cat, memory_order_relaxed);
	}
	if (vcpu < (unsigned int)n_vcpus)
		atomic_store_explicit(&vcpus[vcpu].c[cat],
			atomic_load_explicit(&vcpus[vcpu].c[cat], memory_order_relaxed) + tb->n_insns,
			memory_order_relaxed);
	tb->execs++;
}

static int cat_by_name(const char *name)
{
	int c;

	for (c = 0; c < NCAT; c++)
		if (!strcmp(name, cat_names[c]))
			return c;
	return -1;
}

/* DIR/insns-ranges -> a new table; a missing file gives an empty one. */
static struct range_table *read_ranges(void)
{
	struct range_table *t = calloc(1, sizeof(*t));
	char path[4096], line[512], name[64];
	uint64_t start, end;
	FILE *f;
	int cat;

	if (!t)
		return NULL;
	snprintf(path, sizeof(path), "%s/insns-ranges", dir);
	f = fopen(path, "r");
	if (!f)
		return t;
	while (t->n < MAX_RANGES && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %" SCNx64 " %" SCNx64, name, &start, &end) != 3)
			continue;
		cat = cat_by_name(name);
		if (cat < 0 || end <= start)
			continue;
		t->r[t->n++] = (struct range){ .start = start, .end = end, .cat = cat };
	}
	fclose(f);
	return t;
}

static void read_label(void)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/insns-label", dir);
	snprintf(window_label, sizeof(window_label), "window-%u", window_no);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(window_label, sizeof(window_label), f))
		window_label[strcspn(window_label, "\r\n\t ")] = '\0';
	fclose(f);
}

static void snapshot(uint64_t snap[][NCAT])
{
	int v, c;

	for (v = 0; v < n_vcpus; v++)
		for (c = 0; c < NCAT; c++)
			snap[v][c] = atomic_load_explicit(&vcpus[v].c[c], memory_order_relaxed);
}

static void window_open_locked(void)
{
	struct range_table *t = read_ranges();
	struct tb_info *tb;

	read_label();
	if (t) {
		atomic_store_explicit(&ranges, t, memory_order_release);
		atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
	}
	if (top_n) {
		pthread_mutex_lock(&tbs_lock);
		for (tb = tbs; tb; tb = tb->next)
			tb->execs_open = tb->execs;
		pthread_mutex_unlock(&tbs_lock);
	}
	snapshot(open_snap);
	window_open = 1;
}

static FILE *open_out(const char *name, const char *header)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "a");
	if (f && ftell(f) == 0)
		fputs(header, f);
	return f;
}

static int by_insns_desc(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;	/* pairs: insns, index */

	return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0;
}

/* The blocks with the most instructions in the window (tbs_lock held). */
static void write_top(void)
{
	struct tb_info *tb, **list;
	uint64_t (*rank)[2];
	size_t n = 0, i;
	FILE *f;

	for (tb = tbs; tb; tb = tb->next)
		n++;
	list = calloc(n ? n : 1, sizeof(*list));
	rank = calloc(n ? n : 1, sizeof(*rank));
	f = open_out("insns-top.tsv", "window\tlabel\tcategory\tvaddr\tinsns_per_exec\texecs\tinsns\n");
	if (!list || !rank || !f)
		goto out;
	for (i = 0, tb = tbs; tb; tb = tb->next, i++) {
		list[i] = tb;
		rank[i][0] = (tb->execs - tb->execs_open) * tb->n_insns;
		rank[i][1] = i;
	}
	qsort(rank, n, sizeof(*rank), by_insns_desc);
	for (i = 0; i < n && i < (size_t)top_n && rank[i][0]; i++) {
		tb = list[rank[i][1]];
		fprintf(f, "%u\t%s\t%s\t%016" PRIx64 "\t%u\t%" PRIu64 "\t%" PRIu64 "\n",
			window_no, window_label, cat_names[classify(tb->vaddr)], tb->vaddr,
			tb->n_insns, tb->execs - tb->execs_open, rank[i][0]);
	}
out:
	if (f)
		fclose(f);
	free(list);
	free(rank);
}

static void window_close_locked(unsigned int closer)
{
	uint64_t now[64][NCAT], sum;
	FILE *f;
	int v, c;

	snapshot(now);
	window_open = 0;
	f = open_out("insns.tsv", "window\tlabel\tcloser_vcpu\tuser\tringpcm\talsa\tmodules\tspin\tkernel\ttotal\tper_vcpu\n");
	if (f) {
		fprintf(f, "%u\t%s\t%u", window_no, window_label, closer);
		for (sum = 0, c = 0; c < NCAT; c++) {
			uint64_t s = 0;

			for (v = 0; v < n_vcpus; v++)
				s += now[v][cat_cols[c]] - open_snap[v][cat_cols[c]];
			sum += s;
			fprintf(f, "\t%" PRIu64, s);
		}
		fprintf(f, "\t%" PRIu64 "\t", sum);
		for (v = 0; v < n_vcpus; v++) {
			fprintf(f, "%sv%d:", v ? " " : "", v);
			for (c = 0; c < NCAT; c++)
				fprintf(f, "%s%" PRIu64, c ? "," : "",
					now[v][cat_cols[c]] - open_snap[v][cat_cols[c]]);
		}
		fputc('\n', f);
		fclose(f);
	}
	if (top_n) {
		pthread_mutex_lock(&tbs_lock);
		write_top();
		pthread_mutex_unlock(&tbs_lock);
	}
	window_no++;
}

static void magic_exec(unsigned int vcpu, void *udata)
{
	uintptr_t op = (uintptr_t)udata;

	pthread_mutex_lock(&window_lock);
	if (op == MAGIC_OPEN) {
		window_open_locked();	/* a second OPEN restarts the window */
	} else if (op == MAGIC_CLOSE && window_open) {
		window_close_locked(vcpu);
	}
	pthread_mutex_unlock(&window_lock);
}

/* The magic NOP, in user space only. */
static int magic_op(struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);

	if (qemu_plugin_insn_size(insn) != 8 || qemu_plugin_insn_vaddr(insn) >= KERNEL_START)
		return 0;
	if (b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x84 || b[3] != 0x00 ||
	    b[5] != 0x4d || b[6] != 0x50 || b[7] != 0x52)
		return 0;
	return b[4] == MAGIC_OPEN || b[4] == MAGIC_CLOSE ? b[4] : 0;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *qtb)
{
	struct tb_info *tb = calloc(1, sizeof(*tb));
	size_t i, n = qemu_plugin_tb_n_insns(qtb);
	int op;

	if (!tb)
		return;
	tb->vaddr = qemu_plugin_tb_vaddr(qtb);
	tb->n_insns = n;
	qemu_plugin_register_vcpu_tb_exec_cb(qtb, tb_exec, QEMU_PLUGIN_CB_NO_REGS, tb);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(qtb, i);

		op = magic_op(insn);
		if (op)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, magic_exec,
				QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)op);
	}
	if (top_n) {
		pthread_mutex_lock(&tbs_lock);
		tb->next = tbs;
		tbs = tb;
		pthread_mutex_unlock(&tbs_lock);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "dir=", 4)) {
			dir = strdup(argv[i] + 4);
		} else if (!strncmp(argv[i], "top=", 4)) {
			top_n = atoi(argv[i] + 4);
		} else {
			fprintf(stderr, "ringpcm-insns: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	if (!dir) {
		fprintf(stderr, "ringpcm-insns: dir=PATH is required\n");
		return -1;
	}
	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		fprintf(stderr, "ringpcm-insns: x86_64 system emulation only\n");
		return -1;
	}
	n_vcpus = info->system.max_vcpus;
	if (n_vcpus < 1 || n_vcpus > 64) {
		fprintf(stderr, "ringpcm-insns: %d vCPUs (1 to 64 supported)\n", n_vcpus);
		return -1;
	}
	vcpus = calloc(n_vcpus, sizeof(*vcpus));
	if (!vcpus)
		return -ENOMEM;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
