// SPDX-License-Identifier: GPL-2.0
/* A simulated ringpcm driver for the library's host tests (see fake-driver.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake-driver.h"
#include "ringpcm-math.h"
#include "rpcm-priv.h"

struct fake fake;

static struct ringpcm_status page_storage __attribute__((aligned(4096)));
static struct ringpcm_mixer mixers[2];

/* The driver's side of the seqcount. */
static void page_begin(void)
{
	__atomic_store_n(&fake.page->seq, fake.page->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void page_end(void)
{
	__atomic_store_n(&fake.page->seq, fake.page->seq + 1, __ATOMIC_RELEASE);
}

static void set_state(uint32_t state)
{
	page_begin();
	fake.page->state = state;
	page_end();
}

static uint32_t state(void)
{
	return fake.page->state;
}

static uint32_t frame_bytes(void)
{
	return fake.hw.channels * 2;
}

static uint32_t buffer_frames(void)
{
	return fake.hw.period_frames * fake.hw.periods;
}

int16_t fake_capture_sample(uint64_t frame, unsigned int channel)
{
	return (int16_t)(frame * 7 + channel * 3 + 1);
}

static void play_span(uint64_t off, uint64_t bytes)
{
	if (fake.played_bytes + bytes > fake.played_cap) {
		fake.played_cap = (fake.played_bytes + bytes) * 2;
		fake.played = realloc(fake.played, fake.played_cap);
	}
	memcpy(fake.played + fake.played_bytes, fake.synced + off, bytes);
	fake.played_bytes += bytes;
}

static void capture_frames(uint64_t from, uint64_t to)
{
	for (uint64_t f = from; f < to; f++) {
		int16_t *s = (int16_t *)(fake.ring + (f % buffer_frames()) * frame_bytes());

		for (unsigned int c = 0; c < fake.hw.channels; c++)
			s[c] = fake_capture_sample(f, c);
	}
}

/* The driver's drain silence: into the application's ring, then synced. */
static void fill_drain_silence(void)
{
	uint64_t to = fake.page->hw_ptr + buffer_frames();
	struct ringpcm_span sp;
	unsigned int n;

	if (to > fake.drain_end)
		to = fake.drain_end;
	n = ringpcm_split(fake.silence_ptr, to, frame_bytes(), buffer_frames(), &sp);
	for (unsigned int i = 0; i < n; i++) {
		memset(fake.ring + sp.offset[i], 0, sp.bytes[i]);
		memset(fake.synced + sp.offset[i], 0, sp.bytes[i]);
	}
	if (to > fake.silence_ptr)
		fake.silence_ptr = to;
}

void fake_period(void)
{
	struct ringpcm_status *p = fake.page;
	uint64_t from = p->hw_ptr, to = from + fake.hw.period_frames;
	struct ringpcm_span s;
	unsigned int n;

	if (fake.capture) {
		capture_frames(from, to);
	} else {
		n = ringpcm_split(from, to, frame_bytes(), buffer_frames(), &s);
		for (unsigned int i = 0; i < n; i++)
			play_span(s.offset[i], s.bytes[i]);
	}
	page_begin();
	p->hw_ptr = to;
	p->tstamp_ns += 1000000;
	p->periods_elapsed++;
	p->irqs++;
	if (p->state == RINGPCM_STATE_RUNNING &&
	    ringpcm_is_xrun(fake.capture, p->hw_ptr, p->appl_ptr, buffer_frames())) {
		p->state = RINGPCM_STATE_XRUN;
		p->xruns++;
	} else if (p->state == RINGPCM_STATE_DRAINING && p->hw_ptr >= fake.drain_end) {
		p->state = RINGPCM_STATE_SETUP;
	}
	page_end();
	if (p->state == RINGPCM_STATE_DRAINING)
		fill_drain_silence();
}

void fake_disconnect(void)
{
	set_state(RINGPCM_STATE_DISCONNECTED);
}

void fake_suspend(void)
{
	uint32_t s = state();

	if (s != RINGPCM_STATE_OPEN && s != RINGPCM_STATE_SETUP)
		set_state(RINGPCM_STATE_SUSPENDED);
}

/* ---- system calls ---- */

static int fail(int err)
{
	errno = err;
	return -1;
}

static int f_open(const char *path, int flags)
{
	size_t n = strlen(path);

	if (strncmp(path, "/dev/ringpcmC0D0", 16) || n != 17 || (path[16] != 'p' && path[16] != 'c'))
		return fail(ENOENT);
	if (fake.opened)
		return fail(EBUSY);
	fake.opened = true;
	fake.capture = path[16] == 'c';
	fake.info.direction = fake.capture;
	fake.file_flags = flags;
	memset(fake.page, 0, sizeof(*fake.page));
	return FAKE_FD;
}

static int f_close(int fd)
{
	if (fd != FAKE_FD || !fake.opened)
		return fail(EBADF);
	fake.opened = false;
	fake.attached = false;
	fake.have_params = false;
	return 0;
}

static void *f_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd != FAKE_FD || off != 0 || len != 4096 || (prot & PROT_WRITE)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	fake.page_mapped = true;
	return fake.page;
}

static int f_munmap(void *addr, size_t len)
{
	if (addr != fake.page)
		return fail(EINVAL);
	fake.page_mapped = false;
	return 0;
}

static int f_fcntl_fl(int fd, int set, int flags)
{
	if (fd != FAKE_FD)
		return fail(EBADF);
	if (set)
		fake.file_flags = flags;
	return set ? 0 : fake.file_flags;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static int do_hw_params(const struct ringpcm_hw_params *p)
{
	uint32_t s = state();

	if (s != RINGPCM_STATE_OPEN && s != RINGPCM_STATE_SETUP)
		return fail(EBUSY);
	if (!all_zero(p->reserved, sizeof(p->reserved)) || p->format != RINGPCM_FORMAT_S16_LE ||
	    p->channels < 1 || p->channels > 8 || p->periods < 2 || p->periods > 64 ||
	    p->period_frames < 16)
		return fail(EINVAL);
	fake.hw = *p;
	fake.have_params = true;
	fake.attached = false;
	page_begin();
	fake.page->state = RINGPCM_STATE_SETUP;
	fake.page->buffer_frames = buffer_frames();
	fake.page->period_frames = p->period_frames;
	fake.page->avail_min = p->period_frames;
	page_end();
	return 0;
}

static int do_attach(struct ringpcm_ring *r)
{
	if (state() != RINGPCM_STATE_SETUP)
		return fail(EBADFD);
	if (!all_zero(r->reserved, sizeof(r->reserved)) || r->dma_mode || r->segments ||
	    r->bdl_entries || r->flags)
		return fail(EINVAL);
	if (r->bytes != (uint64_t)buffer_frames() * frame_bytes())
		return fail(EINVAL);
	if (r->addr % 128)
		return fail(E2BIG);
	fake.ring = (uint8_t *)(uintptr_t)r->addr;
	fake.ring_bytes = r->bytes;
	free(fake.synced);
	fake.synced = calloc(1, r->bytes);
	fake.attached = true;
	r->dma_mode = RINGPCM_DMA_MAP_ONCE;
	r->segments = 1;
	r->bdl_entries = fake.hw.periods;
	return 0;
}

static int do_commit(uint64_t appl)
{
	struct ringpcm_status *p = fake.page;
	uint32_t s = state();
	struct ringpcm_span sp;
	unsigned int n;

	if (s == RINGPCM_STATE_XRUN || s == RINGPCM_STATE_SUSPENDED)
		return fail(s == RINGPCM_STATE_XRUN ? EPIPE : ESTRPIPE);
	if (s != RINGPCM_STATE_PREPARED && s != RINGPCM_STATE_RUNNING && s != RINGPCM_STATE_PAUSED)
		return fail(EBADFD);
	if (!ringpcm_appl_ptr_valid(fake.capture, p->hw_ptr, p->appl_ptr, appl, buffer_frames()))
		return fail(EINVAL);
	/* playback: sync [old, new) for the device = snapshot what the CPU wrote */
	n = ringpcm_split(p->appl_ptr, appl, frame_bytes(), buffer_frames(), &sp);
	for (unsigned int i = 0; !fake.capture && i < n; i++)
		memcpy(fake.synced + sp.offset[i], fake.ring + sp.offset[i], sp.bytes[i]);
	page_begin();
	p->appl_ptr = appl;
	page_end();
	fake.commits++;
	return 0;
}

static int do_prepare(void)
{
	uint32_t s = state();

	if (!fake.attached || (s != RINGPCM_STATE_SETUP && s != RINGPCM_STATE_PREPARED &&
			       s != RINGPCM_STATE_XRUN && s != RINGPCM_STATE_SUSPENDED))
		return fail(EBADFD);
	page_begin();
	fake.page->hw_ptr = fake.page->appl_ptr = 0;
	fake.page->state = RINGPCM_STATE_PREPARED;
	page_end();
	return 0;
}

static int do_start(void)
{
	if (state() == RINGPCM_STATE_SUSPENDED)
		return fail(ESTRPIPE);
	if (state() != RINGPCM_STATE_PREPARED)
		return fail(EBADFD);
	if (!fake.capture && fake.page->appl_ptr == 0)
		return fail(EPIPE);
	fake.starts++;
	set_state(RINGPCM_STATE_RUNNING);
	return 0;
}

/* As the kernel: silence after the data for fifo_bytes + backend delay, to a period end. */
static void drain_arm(void)
{
	struct ringpcm_status *p = fake.page;
	uint32_t tail = (fake.info.fifo_bytes + frame_bytes() - 1) / frame_bytes() +
			(uint32_t)((uint64_t)fake.info.backend_delay_us * fake.hw.rate / 1000000);

	fake.drain_end = ringpcm_drain_end(p->appl_ptr, tail, fake.hw.period_frames);
	fake.silence_ptr = p->appl_ptr;
	fill_drain_silence();
}

static int do_drain(void)
{
	uint32_t s = state();

	if (fake.capture || (s != RINGPCM_STATE_RUNNING && s != RINGPCM_STATE_PREPARED &&
			     s != RINGPCM_STATE_DRAINING))
		return fail(s == RINGPCM_STATE_XRUN ? EPIPE :
			    s == RINGPCM_STATE_SUSPENDED ? ESTRPIPE : EBADFD);
	if (s == RINGPCM_STATE_PREPARED && !fake.page->appl_ptr) {
		set_state(RINGPCM_STATE_SETUP);
		return 0;
	}
	if (s != RINGPCM_STATE_DRAINING) {
		fake.drains++;
		fake.starts += s == RINGPCM_STATE_PREPARED;
		drain_arm();
		set_state(RINGPCM_STATE_DRAINING);
	}
	if (fake.file_flags & O_NONBLOCK)
		return fail(EAGAIN);
	while (state() == RINGPCM_STATE_DRAINING)
		fake_period();
	return 0;
}

static int do_pause(uint32_t on)
{
	uint32_t s = state();

	if (s == RINGPCM_STATE_SUSPENDED)
		return fail(ESTRPIPE);
	if ((on && s != RINGPCM_STATE_RUNNING) || (!on && s != RINGPCM_STATE_PAUSED))
		return fail(EBADFD);
	set_state(on ? RINGPCM_STATE_PAUSED : RINGPCM_STATE_RUNNING);
	return 0;
}

static int do_mixer(struct ringpcm_mixer *m, bool set)
{
	if (m->control > 1 || !all_zero(m->reserved, sizeof(m->reserved)))
		return fail(EINVAL);
	if (set) {
		if (m->gain[0] > 74 || m->gain[1] > 74)
			return fail(EINVAL);
		memcpy(mixers[m->control].gain, m->gain, sizeof(m->gain));
		memcpy(mixers[m->control].mute, m->mute, sizeof(m->mute));
	}
	*m = mixers[m->control];
	m->max_gain = 74;
	m->min_db100 = -7400;
	m->step_db100 = 100;
	m->can_mute = 1;
	return 0;
}

static int dispatch(unsigned long req, void *arg)
{
	switch (req) {
	case RINGPCM_IOCTL_PVERSION:
		*(__u32 *)arg = fake.version;
		return 0;
	case RINGPCM_IOCTL_INFO:
		memcpy(arg, &fake.info, sizeof(fake.info));
		return 0;
	case RINGPCM_IOCTL_HW_PARAMS:
		return do_hw_params(arg);
	case RINGPCM_IOCTL_SW_PARAMS: {
		const struct ringpcm_sw_params *sw = arg;

		if (!fake.have_params || !all_zero(sw->reserved, sizeof(sw->reserved)))
			return fail(fake.have_params ? EINVAL : EBADFD);
		set_state(state());
		fake.page->avail_min = sw->avail_min;
		return 0;
	}
	case RINGPCM_IOCTL_ATTACH_RING:
		return do_attach(arg);
	case RINGPCM_IOCTL_DETACH_RING:
		if (state() >= RINGPCM_STATE_PREPARED && state() != RINGPCM_STATE_XRUN)
			return fail(EBUSY);
		fake.detaches++;
		fake.attached = false;
		return 0;
	case RINGPCM_IOCTL_PREPARE:
		return do_prepare();
	case RINGPCM_IOCTL_START:
		return do_start();
	case RINGPCM_IOCTL_DROP:
		if (state() == RINGPCM_STATE_OPEN)
			return fail(EBADFD);
		fake.drops++;
		set_state(RINGPCM_STATE_SETUP);
		return 0;
	case RINGPCM_IOCTL_DRAIN:
		return do_drain();
	case RINGPCM_IOCTL_PAUSE:
		return do_pause(*(__u32 *)arg);
	case RINGPCM_IOCTL_COMMIT:
		return do_commit(*(__u64 *)arg);
	case RINGPCM_IOCTL_HWSYNC:
		fake.hwsyncs++;
		return state() == RINGPCM_STATE_SUSPENDED ? fail(ESTRPIPE) : 0;
	case RINGPCM_IOCTL_MIXER_GET:
	case RINGPCM_IOCTL_MIXER_SET:
		return do_mixer(arg, req == RINGPCM_IOCTL_MIXER_SET);
	}
	return fail(ENOTTY);
}

static int f_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	if (fd != FAKE_FD || !fake.opened)
		return fail(EBADF);
	if (state() == RINGPCM_STATE_DISCONNECTED)
		return fail(ENODEV);
	ret = dispatch(req, arg);
	if (ret < 0)
		fake.last_error_ioctl_nr = _IOC_NR(req);
	return ret;
}

/* What poll reports now, per the driver's documented semantics. */
static short revents(void)
{
	uint32_t s = state();
	short ready = fake.capture ? POLLIN : POLLOUT;
	int64_t avail;

	if (s == RINGPCM_STATE_DISCONNECTED)
		return POLLERR | POLLHUP;
	if (s == RINGPCM_STATE_XRUN || s == RINGPCM_STATE_SUSPENDED)
		return POLLERR;
	if (s == RINGPCM_STATE_DRAINING)
		return 0;
	if (s != RINGPCM_STATE_RUNNING && s != RINGPCM_STATE_PREPARED)
		return ready;
	avail = ringpcm_avail(fake.capture, fake.page->hw_ptr, fake.page->appl_ptr,
			      buffer_frames());
	return avail >= fake.page->avail_min ? ready : 0;
}

static int f_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	fake.polls++;
	if (n != 1 || fds[0].fd != FAKE_FD)
		return fail(EINVAL);
	for (int periods = 0;; periods++) {
		short ev = revents();

		fds[0].revents = ev & (fds[0].events | POLLERR | POLLHUP | POLLNVAL);
		if (fds[0].revents)
			return 1;
		/* nothing moves when not running, or when the caller will not wait */
		if (!timeout_ms || periods > 1000 || (state() != RINGPCM_STATE_RUNNING &&
						      state() != RINGPCM_STATE_DRAINING))
			return 0;
		fake_period();
	}
}

static const struct rpcm_sys fake_sys = {
	.open = f_open,
	.close = f_close,
	.ioctl = f_ioctl,
	.mmap = f_mmap,
	.munmap = f_munmap,
	.poll = f_poll,
	.fcntl_fl = f_fcntl_fl,
};

void fake_install(void)
{
	free(fake.synced);
	free(fake.played);
	memset(&fake, 0, sizeof(fake));
	memset(mixers, 0, sizeof(mixers));
	fake.page = &page_storage;
	fake.version = RINGPCM_VERSION;
	strcpy(fake.info.card, "Fake HDA");
	strcpy(fake.info.codec, "fake-duplex");
	fake.info.formats = 1u << RINGPCM_FORMAT_S16_LE;
	fake.info.rates[0] = 48000;
	fake.info.n_rates = 1;
	fake.info.channels_min = 1;
	fake.info.channels_max = 8;
	fake.info.periods_min = 2;
	fake.info.periods_max = 64;
	fake.info.max_bdl_entries = 256;
	fake.info.ring_align = 128;
	rpcm_sys = &fake_sys;
}
