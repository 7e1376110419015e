// SPDX-License-Identifier: MIT
/*
 * A simulated ringpcm device behind libringpcm's API (lib/ringpcm.h), for
 * testing the PortAudio host API on a machine without the driver (the host
 * cannot load modules).  Linked into build/portaudio/fake/libportaudio.so.2
 * only; never installed.
 *
 * Each running stream has a timer thread that advances hw_ptr by one period
 * at each period boundary (real time), stamps it with CLOCK_MONOTONIC_RAW,
 * and detects xruns with the same arithmetic as the driver
 * (kernel/ringpcm-math.h).  Playback frames go onto a "wire" indexed by
 * absolute time, capture reads the wire FAKE_RINGPCM_DELAY frames later:
 * a loopback cable, bit-exact when formats match.  Readiness for poll() is
 * a pipe holding one byte while avail >= avail_min (or in xrun).
 *
 * Environment: FAKE_RINGPCM_RATES=44100,48000  FAKE_RINGPCM_CHANNELS=min,max
 *   FAKE_RINGPCM_DELAY=frames  FAKE_RINGPCM_START_FAIL=1  FAKE_RINGPCM_FIFO=bytes
 *   FAKE_RINGPCM_STALL_AFTER=periods (device stops advancing)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ringpcm.h"
#include "ringpcm-math.h"

struct rpcm {
	char path[64];
	int dir;
	struct ringpcm_info info;
	struct ringpcm_hw_params params;
	struct ringpcm_ring ring_info;
	struct ringpcm_status st;
	void *ring;
	size_t ring_bytes;
	bool own_ring;
	int memfd;
	pthread_mutex_t lock;
	pthread_t sim;
	bool sim_running, sim_quit;
	int pipe[2];
	bool signalled;
	uint64_t wire_base;		/* absolute frame of position 0 */
	uint64_t ticks;
	bool slept;			/* FAKE_RINGPCM_SLEEP_AFTER: one system sleep done */
	uint64_t sleep_ticks;
	uint64_t drain_end;		/* DRAINING: where the driver would stop */
};

/* --- the wire: frames by absolute time ------------------------------------- */

#define WIRE_SLOTS (1u << 18)
#define WIRE_FRAME 16			/* bytes per slot, enough for 4 ch S32 */

/* Shared between processes (/dev/shm) so that a player and a recorder meet. */
struct wire_slot {
	_Atomic uint64_t tag;		/* absolute frame + 1, stored after the data */
	uint8_t frame[WIRE_FRAME];
};

static struct wire_slot *wire;
static pthread_mutex_t wire_once = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static char open_paths[32][64];

static double now_raw(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t now_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

static int wire_init(void)
{
	size_t bytes = sizeof(struct wire_slot) * WIRE_SLOTS;
	int fd;

	pthread_mutex_lock(&wire_once);
	if (!wire) {
		fd = open("/dev/shm/fake-ringpcm-wire", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0 && ftruncate(fd, (off_t)bytes) == 0) {
			void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

			wire = p == MAP_FAILED ? NULL : p;
		}
		if (fd >= 0)
			close(fd);
	}
	pthread_mutex_unlock(&wire_once);
	return wire ? 0 : -ENOMEM;
}

static void wire_put(uint64_t abs, const uint8_t *frame, unsigned int bytes)
{
	struct wire_slot *s = &wire[abs % WIRE_SLOTS];

	atomic_store_explicit(&s->tag, 0, memory_order_relaxed);
	memset(s->frame, 0, WIRE_FRAME);
	memcpy(s->frame, frame, bytes < WIRE_FRAME ? bytes : WIRE_FRAME);
	atomic_store_explicit(&s->tag, abs + 1, memory_order_release);
}

static void wire_get(uint64_t abs, uint8_t *frame, unsigned int bytes)
{
	struct wire_slot *s = &wire[abs % WIRE_SLOTS];

	if (atomic_load_explicit(&s->tag, memory_order_acquire) == abs + 1)
		memcpy(frame, s->frame, bytes < WIRE_FRAME ? bytes : WIRE_FRAME);
	else
		memset(frame, 0, bytes);
}

/* --- state helpers (lock held) ---------------------------------------------- */

static uint32_t buffer_frames(const struct rpcm *p)
{
	return p->params.period_frames * p->params.periods;
}

static int64_t avail_locked(const struct rpcm *p)
{
	return ringpcm_avail(p->dir == RINGPCM_DIR_CAPTURE, p->st.hw_ptr, p->st.appl_ptr,
			     buffer_frames(p));
}

static void publish(struct rpcm *p)
{
	bool ready = p->st.state == RINGPCM_STATE_XRUN || p->st.state == RINGPCM_STATE_SETUP ||
		     p->st.state == RINGPCM_STATE_SUSPENDED ||
		     ((p->st.state == RINGPCM_STATE_RUNNING || p->st.state == RINGPCM_STATE_PREPARED) &&
		      avail_locked(p) >= (int64_t)p->st.avail_min);
	char c = 0;

	p->st.seq += 2;
	if (ready && !p->signalled && write(p->pipe[1], "r", 1) == 1)
		p->signalled = true;
	if (!ready && p->signalled && read(p->pipe[0], &c, 1) == 1)
		p->signalled = false;
}

/* One period of the device: move frames between ring and wire, advance, check. */
static void tick_locked(struct rpcm *p)
{
	uint32_t period = p->params.period_frames, fb = rpcm_frame_bytes(p);
	uint8_t *ring = p->ring;
	uint64_t delay = (uint64_t)env_long("FAKE_RINGPCM_DELAY", 2048);

	static const uint8_t silence[WIRE_FRAME];
	bool draining = p->st.state == RINGPCM_STATE_DRAINING;

	for (uint32_t i = 0; i < period; i++) {
		uint64_t pos = p->st.hw_ptr + i;
		uint8_t *f = ring + (pos % buffer_frames(p)) * fb;

		if (p->dir == RINGPCM_DIR_PLAYBACK)	/* the driver's drain silence */
			wire_put(p->wire_base + pos, draining && pos >= p->st.appl_ptr ? silence : f, fb);
		else
			wire_get(p->wire_base + pos - delay, f, fb);
	}
	p->st.hw_ptr += period;
	p->st.tstamp_ns = now_raw_ns();
	p->st.periods_elapsed++;
	p->st.irqs++;
	if (draining) {
		if (p->st.hw_ptr >= p->drain_end)
			p->st.state = RINGPCM_STATE_SETUP;
	} else if (ringpcm_is_xrun(p->dir == RINGPCM_DIR_CAPTURE, p->st.hw_ptr, p->st.appl_ptr,
				   buffer_frames(p))) {
		p->st.state = RINGPCM_STATE_XRUN;
		p->st.xruns++;
	}
}

static void *sim_main(void *arg)
{
	struct rpcm *p = arg;
	double period_s = (double)p->params.period_frames / p->params.rate;
	long stall = env_long("FAKE_RINGPCM_STALL_AFTER", 0);
	long sleep_after = env_long("FAKE_RINGPCM_SLEEP_AFTER", 0);
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		long ns = next.tv_nsec + (long)(period_s * 1e9);

		next.tv_sec += ns / 1000000000L;
		next.tv_nsec = ns % 1000000000L;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		pthread_mutex_lock(&p->lock);
		if (p->sim_quit || (p->st.state != RINGPCM_STATE_RUNNING &&
				    p->st.state != RINGPCM_STATE_DRAINING)) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		if (!stall || (long)++p->ticks <= stall)
			tick_locked(p);
		/* A system sleep as the driver shows it: engine stopped, SUSPENDED. */
		if (sleep_after && !p->slept && (long)++p->sleep_ticks >= sleep_after) {
			p->slept = true;
			p->st.state = RINGPCM_STATE_SUSPENDED;
		}
		publish(p);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

/* Stop the timer thread; called without the lock. */
static void sim_stop(struct rpcm *p)
{
	bool running;

	pthread_mutex_lock(&p->lock);
	p->sim_quit = true;
	running = p->sim_running;
	p->sim_running = false;
	pthread_mutex_unlock(&p->lock);
	if (running)
		pthread_join(p->sim, NULL);
}

/* --- open / close ------------------------------------------------------------ */

static void fake_info(struct rpcm *p, unsigned int card, unsigned int device)
{
	struct ringpcm_info *i = &p->info;
	const char *rates = getenv("FAKE_RINGPCM_RATES");
	const char *ch = getenv("FAKE_RINGPCM_CHANNELS");
	char buf[256], *tok, *save;

	memset(i, 0, sizeof(*i));
	snprintf(i->card, sizeof(i->card), "Fake HDA");
	snprintf(i->codec, sizeof(i->codec), "fake loopback");
	i->card_index = card;
	i->device = device;
	i->direction = (uint32_t)p->dir;
	i->formats = 1u << RINGPCM_FORMAT_S16_LE;
	snprintf(buf, sizeof(buf), "%s", rates && *rates ? rates : "16000,22050,32000,44100,48000,88200,96000");
	for (tok = strtok_r(buf, ",", &save); tok && i->n_rates < RINGPCM_MAX_RATES;
	     tok = strtok_r(NULL, ",", &save))
		i->rates[i->n_rates++] = (uint32_t)atoi(tok);
	i->channels_min = 2;
	i->channels_max = 2;
	if (ch && *ch)
		sscanf(ch, "%u,%u", &i->channels_min, &i->channels_max);
	i->periods_min = 2;
	i->periods_max = 32;
	i->period_bytes_min = 128;
	i->period_bytes_max = 256 * 1024;
	i->period_bytes_step = 128;
	i->buffer_bytes_max = 4 * 1024 * 1024;
	i->max_bdl_entries = 256;
	i->ring_align = 128;
	i->max_segment = 65536;
	i->dma_mode = RINGPCM_DMA_MAP_ONCE;
	i->fifo_bytes = (uint32_t)env_long("FAKE_RINGPCM_FIFO", 0);
}

static int claim(const char *path, bool take)
{
	int free_slot = -1;

	for (int i = 0; i < 32; i++) {
		if (!strcmp(open_paths[i], path)) {
			if (take)
				return -EBUSY;
			open_paths[i][0] = 0;
			return 0;
		}
		if (!open_paths[i][0] && free_slot < 0)
			free_slot = i;
	}
	if (!take)
		return 0;
	if (free_slot < 0)
		return -EMFILE;
	snprintf(open_paths[free_slot], sizeof(open_paths[0]), "%s", path);
	return 0;
}

int rpcm_open_path(struct rpcm **out, const char *path, int flags)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	unsigned int card, device;
	char kind;
	struct rpcm *p;
	int err;

	if (sscanf(base, "ringpcmC%uD%u%c", &card, &device, &kind) != 3 || (kind != 'p' && kind != 'c'))
		return -ENOENT;
	if (wire_init() < 0)
		return -ENOMEM;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	snprintf(p->path, sizeof(p->path), "C%uD%u%c", card, device, kind);
	pthread_mutex_lock(&open_lock);
	err = flags & RPCM_OPEN_OBSERVE ? 0 : claim(p->path, true);
	pthread_mutex_unlock(&open_lock);
	if (flags & RPCM_OPEN_OBSERVE)
		p->path[0] = 0;		/* an observer claims nothing */
	if (err || pipe2(p->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(p);
		return err ? err : -errno;
	}
	p->dir = kind == 'p' ? RINGPCM_DIR_PLAYBACK : RINGPCM_DIR_CAPTURE;
	p->memfd = -1;
	pthread_mutex_init(&p->lock, NULL);
	fake_info(p, card, device);
	p->st.state = RINGPCM_STATE_OPEN;
	*out = p;
	return 0;
}

int rpcm_open(struct rpcm **out, unsigned int card, unsigned int device,
	      enum ringpcm_direction dir, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/ringpcmC%uD%u%c", card, device,
		 dir == RINGPCM_DIR_PLAYBACK ? 'p' : 'c');
	return rpcm_open_path(out, path, flags);
}

void rpcm_close(struct rpcm *p)
{
	if (!p)
		return;
	sim_stop(p);
	rpcm_detach_ring(p);
	pthread_mutex_lock(&open_lock);
	claim(p->path, false);
	pthread_mutex_unlock(&open_lock);
	close(p->pipe[0]);
	close(p->pipe[1]);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int rpcm_fd(const struct rpcm *p) { return p->pipe[0]; }
const struct ringpcm_info *rpcm_info(const struct rpcm *p) { return &p->info; }
bool rpcm_is_capture(const struct rpcm *p) { return p->dir == RINGPCM_DIR_CAPTURE; }
const struct ringpcm_hw_params *rpcm_params(const struct rpcm *p) { return &p->params; }
void *rpcm_ring(const struct rpcm *p) { return p->ring; }
const struct ringpcm_ring *rpcm_ring_info(const struct rpcm *p) { return &p->ring_info; }
unsigned int rpcm_buffer_frames(const struct rpcm *p) { return buffer_frames(p); }

unsigned int rpcm_frame_bytes(const struct rpcm *p)
{
	return p->params.channels * (p->params.format == RINGPCM_FORMAT_S16_LE ? 2 : 4);
}

/* --- parameters and ring -------------------------------------------------- */

static bool rate_ok(const struct ringpcm_info *i, uint32_t rate)
{
	for (uint32_t k = 0; k < i->n_rates; k++)
		if (i->rates[k] == rate)
			return true;
	return false;
}

int rpcm_set_params(struct rpcm *p, const struct ringpcm_hw_params *hw)
{
	const struct ringpcm_info *i = &p->info;
	uint64_t fb = hw->channels * (hw->format == RINGPCM_FORMAT_S16_LE ? 2 : 4);
	uint64_t pb = fb * hw->period_frames;

	if (!(i->formats & (1u << hw->format)) || !rate_ok(i, hw->rate) ||
	    hw->channels < i->channels_min || hw->channels > i->channels_max ||
	    pb < i->period_bytes_min || pb > i->period_bytes_max || pb % i->period_bytes_step ||
	    hw->periods < i->periods_min || hw->periods > i->periods_max ||
	    pb * hw->periods > i->buffer_bytes_max)
		return -EINVAL;
	sim_stop(p);
	rpcm_detach_ring(p);
	p->params = *hw;
	p->st.state = RINGPCM_STATE_SETUP;
	p->st.buffer_frames = buffer_frames(p);
	p->st.period_frames = hw->period_frames;
	p->st.avail_min = hw->period_frames;
	return 0;
}

int rpcm_set_avail_min(struct rpcm *p, uint32_t frames)
{
	pthread_mutex_lock(&p->lock);
	p->st.avail_min = frames;
	publish(p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int rpcm_attach_ring(struct rpcm *p, void *addr, size_t bytes)
{
	if (p->st.state != RINGPCM_STATE_SETUP)
		return -EBADFD;
	if (bytes != (size_t)buffer_frames(p) * rpcm_frame_bytes(p) || (uintptr_t)addr % p->info.ring_align)
		return -EINVAL;
	p->ring = addr;
	p->ring_bytes = bytes;
	p->ring_info = (struct ringpcm_ring){
		.addr = (uintptr_t)addr, .bytes = bytes,
		.dma_mode = p->params.dma_mode == RINGPCM_DMA_COPY ? RINGPCM_DMA_COPY : RINGPCM_DMA_MAP_ONCE,
		.segments = (uint32_t)((bytes + 4095) / 4096),
		.bdl_entries = p->params.periods, .flags = RINGPCM_RING_CAN_PAUSE,
	};
	p->st.dma_mode = p->ring_info.dma_mode;
	return 0;
}

int rpcm_alloc_ring(struct rpcm *p, enum rpcm_ring_kind kind)
{
	size_t bytes = (size_t)buffer_frames(p) * rpcm_frame_bytes(p);
	size_t map = (bytes + 4095) & ~(size_t)4095;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS, fd = -1;
	void *addr;
	int err;

	if (kind == RPCM_RING_HUGE) {
		map = (bytes + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
		flags |= MAP_HUGETLB;
	} else if (kind == RPCM_RING_MEMFD) {
		fd = memfd_create("fake-ringpcm", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)map) < 0)
			return -errno;
		flags = MAP_SHARED;
	}
	addr = mmap(NULL, map, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (addr == MAP_FAILED) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return err == -EINVAL ? -ENOMEM : err;
	}
	err = rpcm_attach_ring(p, addr, bytes);
	if (err) {
		munmap(addr, map);
		if (fd >= 0)
			close(fd);
		return err;
	}
	p->own_ring = true;
	p->memfd = fd;
	p->ring_bytes = map;
	return 0;
}

int rpcm_detach_ring(struct rpcm *p)
{
	sim_stop(p);
	if (p->ring && p->own_ring)
		munmap(p->ring, p->ring_bytes);
	if (p->memfd >= 0)
		close(p->memfd);
	p->memfd = -1;
	p->ring = NULL;
	p->own_ring = false;
	if (p->st.state > RINGPCM_STATE_SETUP)
		p->st.state = RINGPCM_STATE_SETUP;
	return 0;
}

/* --- state machine ---------------------------------------------------------- */

int rpcm_prepare(struct rpcm *p)
{
	sim_stop(p);
	pthread_mutex_lock(&p->lock);
	if (!p->ring || p->st.state == RINGPCM_STATE_OPEN || p->st.state == RINGPCM_STATE_RUNNING) {
		pthread_mutex_unlock(&p->lock);
		return -EBADFD;
	}
	p->st.hw_ptr = p->st.appl_ptr = 0;
	p->st.tstamp_ns = 0;
	p->st.state = RINGPCM_STATE_PREPARED;
	publish(p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int rpcm_start(struct rpcm *p)
{
	int err = 0;

	if (env_long("FAKE_RINGPCM_START_FAIL", 0))
		return -EIO;
	pthread_mutex_lock(&p->lock);
	if (p->st.state == RINGPCM_STATE_SUSPENDED)
		err = -ESTRPIPE;
	else if (p->st.state != RINGPCM_STATE_PREPARED)
		err = -EBADFD;
	else if (p->dir == RINGPCM_DIR_PLAYBACK && p->st.appl_ptr == 0)
		err = -EPIPE;
	if (!err) {
		p->st.state = RINGPCM_STATE_RUNNING;
		p->st.tstamp_ns = now_raw_ns();
		p->wire_base = (uint64_t)(now_raw() * p->params.rate);
		p->sim_quit = false;
		p->ticks = 0;
		err = -pthread_create(&p->sim, NULL, sim_main, p);
		p->sim_running = !err;
		publish(p);
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_drop(struct rpcm *p)
{
	sim_stop(p);
	pthread_mutex_lock(&p->lock);
	if (p->st.state != RINGPCM_STATE_OPEN)
		p->st.state = RINGPCM_STATE_SETUP;
	publish(p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * As the driver's DRAIN behind the library: silence after appl_ptr for what
 * the device holds (info.fifo_bytes), to a period end, then SETUP (which
 * polls ready); the library waits up to timeout_ms.
 */
int rpcm_drain(struct rpcm *p, int timeout_ms)
{
	double end = now_raw() + (timeout_ms < 0 ? 3600 : timeout_ms / 1000.0);
	uint32_t state;

	pthread_mutex_lock(&p->lock);
	if (p->st.state == RINGPCM_STATE_RUNNING && p->dir == RINGPCM_DIR_PLAYBACK) {
		uint32_t fb = rpcm_frame_bytes(p);

		p->drain_end = p->st.hw_ptr >= p->st.appl_ptr ? p->st.hw_ptr :
			ringpcm_drain_end(p->st.appl_ptr, (p->info.fifo_bytes + fb - 1) / fb,
					  p->params.period_frames);
		p->st.state = RINGPCM_STATE_DRAINING;
		publish(p);
	}
	state = p->st.state;
	pthread_mutex_unlock(&p->lock);
	while (state == RINGPCM_STATE_DRAINING) {
		if (now_raw() >= end)
			return -ETIMEDOUT;
		usleep(1000);
		pthread_mutex_lock(&p->lock);
		state = p->st.state;
		pthread_mutex_unlock(&p->lock);
	}
	return rpcm_drop(p);
}

int rpcm_pause(struct rpcm *p, bool pause) { (void)p; (void)pause; return -ENOSYS; }

void rpcm_status(const struct rpcm *p, struct ringpcm_status *st)
{
	pthread_mutex_lock((pthread_mutex_t *)&p->lock);
	*st = p->st;
	pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
}

int rpcm_hwsync(struct rpcm *p) { (void)p; return 0; }

int64_t rpcm_avail(const struct rpcm *p)
{
	int64_t a;

	pthread_mutex_lock((pthread_mutex_t *)&p->lock);
	a = p->st.state == RINGPCM_STATE_XRUN ? -EPIPE :
	    p->st.state == RINGPCM_STATE_SUSPENDED ? -ESTRPIPE : avail_locked(p);
	pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
	return a;
}

uint64_t rpcm_appl_ptr(const struct rpcm *p)
{
	struct ringpcm_status st;

	rpcm_status(p, &st);
	return st.appl_ptr;
}

int rpcm_commit(struct rpcm *p, uint64_t appl)
{
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (p->st.state == RINGPCM_STATE_XRUN)
		err = -EPIPE;
	else if (p->st.state == RINGPCM_STATE_SUSPENDED)
		err = -ESTRPIPE;
	else if (!ringpcm_appl_ptr_valid(p->dir == RINGPCM_DIR_CAPTURE, p->st.hw_ptr,
					 p->st.appl_ptr, appl, buffer_frames(p)))
		err = -EINVAL;
	else
		p->st.appl_ptr = appl;
	publish(p);
	pthread_mutex_unlock(&p->lock);
	return err;
}

int rpcm_mmap_begin(struct rpcm *p, void **area, uint32_t *frames)
{
	int64_t a = rpcm_avail(p);
	uint64_t off = rpcm_appl_ptr(p) % buffer_frames(p);

	if (a < 0)
		return (int)a;
	*area = (uint8_t *)p->ring + off * rpcm_frame_bytes(p);
	*frames = (uint32_t)(a < (int64_t)(buffer_frames(p) - off) ? a : (int64_t)(buffer_frames(p) - off));
	return 0;
}

int rpcm_mmap_commit(struct rpcm *p, uint32_t frames)
{
	return rpcm_commit(p, rpcm_appl_ptr(p) + frames);
}

int rpcm_wait(struct rpcm *p, int timeout_ms)
{
	struct pollfd pfd = { .fd = p->pipe[0], .events = POLLIN };
	int64_t a = rpcm_avail(p);

	if (a < 0)
		return (int)a;
	if (poll(&pfd, 1, timeout_ms) == 0)
		return -ETIMEDOUT;
	a = rpcm_avail(p);
	return a < 0 ? (int)a : 0;
}

int rpcm_recover(struct rpcm *p, int err)
{
	if (err != -EPIPE && err != -ESTRPIPE)
		return err;
	err = rpcm_prepare(p);
	if (!err && p->dir == RINGPCM_DIR_CAPTURE)
		err = rpcm_start(p);
	return err;
}

int64_t rpcm_write(struct rpcm *p, const void *buf, uint32_t frames)
{
	(void)p; (void)buf; (void)frames;
	return -ENOSYS;
}

int64_t rpcm_read(struct rpcm *p, void *buf, uint32_t frames)
{
	(void)p; (void)buf; (void)frames;
	return -ENOSYS;
}

int rpcm_mixer_get(int fd, struct ringpcm_mixer *m) { (void)fd; (void)m; return -ENOSYS; }
int rpcm_mixer_set(int fd, const struct ringpcm_mixer *m) { (void)fd; (void)m; return -ENOSYS; }
int rpcm_ctl_open(unsigned int card) { (void)card; return -ENOSYS; }

const char *rpcm_state_name(uint32_t state)
{
	static const char *const names[] = { "open", "setup", "prepared", "running",
					     "xrun", "draining", "paused", "disconnected",
					     "suspended" };

	return state < 8 ? names[state] : "?";
}

const char *rpcm_dma_mode_name(uint32_t mode)
{
	return mode == RINGPCM_DMA_MAP_ONCE ? "map-once" : mode == RINGPCM_DMA_COPY ? "copy" : "auto";
}
