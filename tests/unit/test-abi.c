// SPDX-License-Identifier: GPL-2.0
/*
 * ABI layout of kernel/uapi/ringpcm.h, pinned: struct sizes and every field
 * offset, 8-byte padding, 64-bit fields 8-aligned (same layout for 32-bit
 * user space), ioctl numbers (unique, exact values), enum values, version.
 * A layout change must fail here first: old binaries would break.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi/ringpcm.h"
#include "unit.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static char name[160];

struct field {
	const char *name;
	size_t offset, want_offset;
	bool is_u64;
};

#define F(type, member, want) \
	{ #type "." #member, offsetof(struct type, member), want, \
	  __builtin_types_compatible_p(typeof(((struct type *)0)->member), __u64) }

static const struct field fields[] = {
	F(ringpcm_info, card, 0), F(ringpcm_info, codec, 32), F(ringpcm_info, card_index, 64),
	F(ringpcm_info, device, 68), F(ringpcm_info, direction, 72),
	F(ringpcm_info, formats, 76), F(ringpcm_info, rates, 80), F(ringpcm_info, n_rates, 144),
	F(ringpcm_info, channels_min, 148), F(ringpcm_info, channels_max, 152),
	F(ringpcm_info, periods_min, 156), F(ringpcm_info, periods_max, 160),
	F(ringpcm_info, period_bytes_min, 164), F(ringpcm_info, period_bytes_max, 168),
	F(ringpcm_info, period_bytes_step, 172), F(ringpcm_info, buffer_bytes_max, 176),
	F(ringpcm_info, max_bdl_entries, 184), F(ringpcm_info, ring_align, 188),
	F(ringpcm_info, max_segment, 192), F(ringpcm_info, dma_mode, 200),
	F(ringpcm_info, iommu, 204), F(ringpcm_info, fifo_bytes, 208),
	F(ringpcm_info, backend_delay_us, 212), F(ringpcm_info, reserved, 216),

	F(ringpcm_hw_params, format, 0), F(ringpcm_hw_params, rate, 4),
	F(ringpcm_hw_params, channels, 8), F(ringpcm_hw_params, period_frames, 12),
	F(ringpcm_hw_params, periods, 16), F(ringpcm_hw_params, dma_mode, 20),
	F(ringpcm_hw_params, reserved, 24),

	F(ringpcm_ring, addr, 0), F(ringpcm_ring, bytes, 8), F(ringpcm_ring, dma_mode, 16),
	F(ringpcm_ring, segments, 20), F(ringpcm_ring, bdl_entries, 24),
	F(ringpcm_ring, flags, 28), F(ringpcm_ring, reserved, 32),

	F(ringpcm_sw_params, avail_min, 0), F(ringpcm_sw_params, reserved, 4),

	F(ringpcm_mixer, control, 0), F(ringpcm_mixer, gain, 4), F(ringpcm_mixer, mute, 12),
	F(ringpcm_mixer, max_gain, 20), F(ringpcm_mixer, min_db100, 24),
	F(ringpcm_mixer, step_db100, 28), F(ringpcm_mixer, can_mute, 32),
	F(ringpcm_mixer, reserved, 36),

	F(ringpcm_pin, codec, 0), F(ringpcm_pin, nid, 1), F(ringpcm_pin, kind, 2),
	F(ringpcm_pin, place, 3), F(ringpcm_pin, flags, 4),

	F(ringpcm_pins, n_pins, 0), F(ringpcm_pins, analog_codec, 4),
	F(ringpcm_pins, jack_changes, 8), F(ringpcm_pins, reserved0, 12),
	F(ringpcm_pins, vendor_id, 16), F(ringpcm_pins, reserved, 80), F(ringpcm_pins, pin, 96),

	/* The mmap'd status page: user space reads these offsets directly. */
	F(ringpcm_status, seq, 0), F(ringpcm_status, state, 4), F(ringpcm_status, hw_ptr, 8),
	F(ringpcm_status, appl_ptr, 16), F(ringpcm_status, tstamp_ns, 24),
	F(ringpcm_status, xruns, 32), F(ringpcm_status, periods_elapsed, 40),
	F(ringpcm_status, irqs, 48), F(ringpcm_status, buffer_frames, 56),
	F(ringpcm_status, period_frames, 60), F(ringpcm_status, avail_min, 64),
	F(ringpcm_status, dma_mode, 68), F(ringpcm_status, irq_ns, 72),
	F(ringpcm_status, lost_laps, 80), F(ringpcm_status, reserved, 88),
};

static void test_offsets(void)
{
	for (size_t i = 0; i < N(fields); i++) {
		snprintf(name, sizeof(name), "abi: offset of %s", fields[i].name);
		unit_check(fields[i].offset == fields[i].want_offset, name, "%zu, pinned at %zu",
			   fields[i].offset, fields[i].want_offset);
		/* 64-bit fields naturally aligned: i386 lays the struct out the same way */
		if (fields[i].is_u64) {
			snprintf(name, sizeof(name), "abi: %s is 8-byte aligned", fields[i].name);
			unit_check(fields[i].offset % 8 == 0, name, "offset %zu", fields[i].offset);
		}
	}
}

static const struct {
	const char *name;
	size_t size, want;
} sizes[] = {
	{ "ringpcm_info", sizeof(struct ringpcm_info), 240 },
	{ "ringpcm_hw_params", sizeof(struct ringpcm_hw_params), 48 },
	{ "ringpcm_ring", sizeof(struct ringpcm_ring), 48 },
	{ "ringpcm_sw_params", sizeof(struct ringpcm_sw_params), 32 },
	{ "ringpcm_mixer", sizeof(struct ringpcm_mixer), 64 },
	{ "ringpcm_status", sizeof(struct ringpcm_status), 120 },
	{ "ringpcm_pin", sizeof(struct ringpcm_pin), 8 },
	{ "ringpcm_pins", sizeof(struct ringpcm_pins), 352 },
};

static void test_sizes(void)
{
	for (size_t i = 0; i < N(sizes); i++) {
		snprintf(name, sizeof(name), "abi: sizeof %s pinned", sizes[i].name);
		unit_check(sizes[i].size == sizes[i].want, name, "%zu, pinned at %zu",
			   sizes[i].size, sizes[i].want);
		snprintf(name, sizeof(name), "abi: sizeof %s multiple of 8", sizes[i].name);
		unit_check(sizes[i].size % 8 == 0, name, "%zu", sizes[i].size);
	}
	unit_check(sizeof(struct ringpcm_status) <= 4096, "abi: status fits one page", "%zu",
		   sizeof(struct ringpcm_status));
	/* no hidden padding: the last field ends exactly at the struct end */
	unit_check(offsetof(struct ringpcm_status, reserved) +
		   sizeof(((struct ringpcm_status *)0)->reserved) == sizeof(struct ringpcm_status),
		   "abi: status has no tail padding", "reserved ends early");
	unit_check(offsetof(struct ringpcm_info, reserved) +
		   sizeof(((struct ringpcm_info *)0)->reserved) == sizeof(struct ringpcm_info),
		   "abi: info has no tail padding", "reserved ends early");
	unit_check(offsetof(struct ringpcm_mixer, reserved) +
		   sizeof(((struct ringpcm_mixer *)0)->reserved) == sizeof(struct ringpcm_mixer),
		   "abi: mixer has no tail padding", "reserved ends early");
	unit_check(offsetof(struct ringpcm_ring, reserved) +
		   sizeof(((struct ringpcm_ring *)0)->reserved) == sizeof(struct ringpcm_ring),
		   "abi: ring has no tail padding", "reserved ends early");
	unit_check(RINGPCM_MAX_RATES == 16, "abi: RINGPCM_MAX_RATES pinned", "%d",
		   RINGPCM_MAX_RATES);
}

static const struct {
	const char *name;
	unsigned long nr, want;
	size_t arg_size;
} ioctls[] = {
	{ "PVERSION", RINGPCM_IOCTL_PVERSION, 0x8004A700, sizeof(__u32) },
	{ "INFO", RINGPCM_IOCTL_INFO, 0x80F0A701, sizeof(struct ringpcm_info) },
	{ "HW_PARAMS", RINGPCM_IOCTL_HW_PARAMS, 0x4030A710, sizeof(struct ringpcm_hw_params) },
	{ "SW_PARAMS", RINGPCM_IOCTL_SW_PARAMS, 0x4020A711, sizeof(struct ringpcm_sw_params) },
	{ "ATTACH_RING", RINGPCM_IOCTL_ATTACH_RING, 0xC030A712, sizeof(struct ringpcm_ring) },
	{ "DETACH_RING", RINGPCM_IOCTL_DETACH_RING, 0x0000A713, 0 },
	{ "PREPARE", RINGPCM_IOCTL_PREPARE, 0x0000A720, 0 },
	{ "START", RINGPCM_IOCTL_START, 0x0000A721, 0 },
	{ "DROP", RINGPCM_IOCTL_DROP, 0x0000A722, 0 },
	{ "DRAIN", RINGPCM_IOCTL_DRAIN, 0x0000A723, 0 },
	{ "PINS", RINGPCM_IOCTL_PINS, 0x8160A742, sizeof(struct ringpcm_pins) },
	{ "CAPTURE_SOURCE", RINGPCM_IOCTL_CAPTURE_SOURCE, 0x4004A743, sizeof(__u32) },
	{ "PAUSE", RINGPCM_IOCTL_PAUSE, 0x4004A724, sizeof(__u32) },
	{ "COMMIT", RINGPCM_IOCTL_COMMIT, 0x4008A730, sizeof(__u64) },
	{ "HWSYNC", RINGPCM_IOCTL_HWSYNC, 0x0000A731, 0 },
	{ "MIXER_GET", RINGPCM_IOCTL_MIXER_GET, 0xC040A740, sizeof(struct ringpcm_mixer) },
	{ "MIXER_SET", RINGPCM_IOCTL_MIXER_SET, 0xC040A741, sizeof(struct ringpcm_mixer) },
};

static void test_ioctls(void)
{
	for (size_t i = 0; i < N(ioctls); i++) {
		bool unique = true;

		for (size_t j = 0; j < N(ioctls); j++)
			if (j != i && ioctls[j].nr == ioctls[i].nr)
				unique = false;
		snprintf(name, sizeof(name), "abi: ioctl %s number pinned", ioctls[i].name);
		unit_check(ioctls[i].nr == ioctls[i].want, name, "0x%08lx, pinned at 0x%08lx",
			   ioctls[i].nr, ioctls[i].want);
		snprintf(name, sizeof(name), "abi: ioctl %s unique", ioctls[i].name);
		unit_check(unique, name, "0x%08lx used twice", ioctls[i].nr);
		snprintf(name, sizeof(name), "abi: ioctl %s magic and size", ioctls[i].name);
		unit_check(_IOC_TYPE(ioctls[i].nr) == RINGPCM_IOC_MAGIC &&
			   _IOC_SIZE(ioctls[i].nr) == ioctls[i].arg_size, name,
			   "type 0x%x size %u, want 0x%x size %zu",
			   (unsigned int)_IOC_TYPE(ioctls[i].nr),
			   (unsigned int)_IOC_SIZE(ioctls[i].nr), RINGPCM_IOC_MAGIC,
			   ioctls[i].arg_size);
	}
}

static const struct {
	const char *name;
	long value, want;
} consts[] = {
	{ "RINGPCM_VERSION", RINGPCM_VERSION, 0x10005 },
	{ "RINGPCM_DIR_PLAYBACK", RINGPCM_DIR_PLAYBACK, 0 },
	{ "RINGPCM_DIR_CAPTURE", RINGPCM_DIR_CAPTURE, 1 },
	{ "RINGPCM_STATE_OPEN", RINGPCM_STATE_OPEN, 0 },
	{ "RINGPCM_STATE_SETUP", RINGPCM_STATE_SETUP, 1 },
	{ "RINGPCM_STATE_PREPARED", RINGPCM_STATE_PREPARED, 2 },
	{ "RINGPCM_STATE_RUNNING", RINGPCM_STATE_RUNNING, 3 },
	{ "RINGPCM_STATE_XRUN", RINGPCM_STATE_XRUN, 4 },
	{ "RINGPCM_STATE_DRAINING", RINGPCM_STATE_DRAINING, 5 },
	{ "RINGPCM_STATE_PAUSED", RINGPCM_STATE_PAUSED, 6 },
	{ "RINGPCM_STATE_DISCONNECTED", RINGPCM_STATE_DISCONNECTED, 7 },
	{ "RINGPCM_STATE_SUSPENDED", RINGPCM_STATE_SUSPENDED, 8 },
	{ "RINGPCM_FORMAT_S16_LE", RINGPCM_FORMAT_S16_LE, 0 },
	{ "RINGPCM_FORMAT_S32_LE", RINGPCM_FORMAT_S32_LE, 1 },
	{ "RINGPCM_DMA_AUTO", RINGPCM_DMA_AUTO, 0 },
	{ "RINGPCM_DMA_MAP_ONCE", RINGPCM_DMA_MAP_ONCE, 1 },
	{ "RINGPCM_DMA_COPY", RINGPCM_DMA_COPY, 2 },
	{ "RINGPCM_RING_CAN_PAUSE", RINGPCM_RING_CAN_PAUSE, 1 },
	{ "RINGPCM_MIXER_PLAYBACK", RINGPCM_MIXER_PLAYBACK, 0 },
	{ "RINGPCM_MIXER_CAPTURE", RINGPCM_MIXER_CAPTURE, 1 },
};

static void test_consts(void)
{
	for (size_t i = 0; i < N(consts); i++) {
		snprintf(name, sizeof(name), "abi: %s pinned", consts[i].name);
		unit_check(consts[i].value == consts[i].want, name, "%ld, pinned at %ld",
			   consts[i].value, consts[i].want);
	}
}

int main(void)
{
	test_sizes();
	test_offsets();
	test_ioctls();
	test_consts();
	return unit_exit("test-abi");
}
