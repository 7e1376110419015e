/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ringpcm user-space ABI: one char device per stream direction of an Intel
 * HD Audio controller, streaming with the DMA engine running directly over a
 * ring buffer that lives in the application's memory.
 *
 * Rules for this file (never break them: old binaries must keep working):
 *  - fixed-width types only, every struct padded explicitly to 8 bytes;
 *  - reserved fields must be zero on input (-EINVAL otherwise) and are
 *    returned zeroed, so that they can be given a meaning later;
 *  - an incompatible layout change bumps RINGPCM_VERSION_MAJOR; additions
 *    that old binaries can ignore bump the minor;
 *  - RINGPCM_IOCTL_PVERSION is the first call a client makes.
 *
 * Devices: /dev/ringpcmC<card>D<device>p (playback), ...c (capture): one
 * read-write opener drives the stream (a second one gets EBUSY); read-only
 * opens observe it (PVERSION, INFO, MIXER_*, the status page, poll; other
 * calls EPERM).  /dev/ringpcmC<card>ctl: PVERSION and MIXER_* only.
 * Positions are free-running 64-bit frame counters (no boundary wrap): the
 * ring offset of position p is (p % buffer_frames) * frame_bytes.  PREPARE
 * resets hw_ptr and appl_ptr to 0.
 *
 * State machine (ALSA's vocabulary):
 *   OPEN --HW_PARAMS--> SETUP --ATTACH_RING+PREPARE--> PREPARED --START-->
 *   RUNNING --(underrun/overrun)--> XRUN --PREPARE--> PREPARED
 *   RUNNING --DRAIN--> DRAINING --(all played)--> SETUP
 * DRAIN (since 1.3) plays silence after appl_ptr for what the device holds
 * beyond the DMA position (info.fifo_bytes, the converter's delay and
 * info.backend_delay_us), rounded up to a period end, so that the last
 * committed frame is heard before the engine stops: hw_ptr ends beyond
 * appl_ptr, and the driver has written that silence into the ring.
 *   RUNNING --PAUSE(1)--> PAUSED --PAUSE(0)--> RUNNING
 *   any --DROP--> SETUP;  any --(device removed)--> DISCONNECTED
 *   PREPARED/RUNNING/XRUN/DRAINING/PAUSED --(system sleep)--> SUSPENDED
 *   SUSPENDED --PREPARE--> PREPARED
 * SUSPENDED (since 1.5): the machine slept (suspend to RAM, s2idle,
 * hibernation) and the controller lost its state.  The engine was halted
 * before the sleep; the ring stays attached (pinned and mapped) and capture
 * frames below hw_ptr stay readable.  poll reports POLLERR; START, COMMIT,
 * DRAIN, PAUSE and HWSYNC fail with ESTRPIPE; PREPARE (then START) recovers,
 * as ALSA applications do after -ESTRPIPE, and DROP, HW_PARAMS,
 * ATTACH_RING work as in SETUP.  A stream in OPEN or SETUP stays where it is.
 *
 * close() of a stream fd does not end another thread's poll() or DRAIN on
 * the same file (as for every Linux file, the call keeps the file alive and
 * release runs after it returns); DROP first, which wakes every waiter.
 *
 * Errors: EINVAL impossible parameters or non-zero reserved fields; EFAULT
 * a ring range that cannot be pinned for writing (e.g. a read-only mapping);
 * ENOMEM no memory for the mapping (e.g. swiotlb's bounce pool is full);
 * E2BIG a ring that needs more than info.max_bdl_entries BDL entries or whose
 * address is not a multiple of info.ring_align; EBUSY a second opener of a
 * stream, or HW_PARAMS/DETACH while a ring is streaming; EBADFD a call in the
 * wrong state; EPIPE START of an empty playback ring; ENODEV after removal;
 * ESTRPIPE in SUSPENDED.
 */
#ifndef _UAPI_RINGPCM_H
#define _UAPI_RINGPCM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RINGPCM_VERSION_MAJOR	1
#define RINGPCM_VERSION_MINOR	5	/* 1: info.fifo_bytes, status.irq_ns, observers;
					   2: status.lost_laps;
					   3: DRAIN plays the device's tail out,
					      info.backend_delay_us;
					   4: PINS, CAPTURE_SOURCE;
					   5: RINGPCM_STATE_SUSPENDED, ESTRPIPE */
#define RINGPCM_VERSION		((RINGPCM_VERSION_MAJOR << 16) | RINGPCM_VERSION_MINOR)

enum ringpcm_direction {
	RINGPCM_DIR_PLAYBACK	= 0,
	RINGPCM_DIR_CAPTURE	= 1,
};

enum ringpcm_state {
	RINGPCM_STATE_OPEN		= 0,
	RINGPCM_STATE_SETUP		= 1,
	RINGPCM_STATE_PREPARED		= 2,
	RINGPCM_STATE_RUNNING		= 3,
	RINGPCM_STATE_XRUN		= 4,
	RINGPCM_STATE_DRAINING		= 5,
	RINGPCM_STATE_PAUSED		= 6,
	RINGPCM_STATE_DISCONNECTED	= 7,
	RINGPCM_STATE_SUSPENDED		= 8,	/* since 1.5 */
};

/* Sample formats; info.formats is a bit mask of (1 << RINGPCM_FORMAT_x). */
enum ringpcm_format {
	RINGPCM_FORMAT_S16_LE	= 0,
	RINGPCM_FORMAT_S32_LE	= 1,	/* 20/24/32-bit containers */
};

/*
 * How the DMA engine reaches the application's ring.
 * MAP_ONCE: pinned, mapped once, each period only synchronised (zero copy).
 * COPY:     the classic design, through a driver-owned coherent buffer
 *           (fallback when a ring cannot be described by the BDL).
 */
enum ringpcm_dma_mode {
	RINGPCM_DMA_AUTO	= 0,	/* HW_PARAMS only: MAP_ONCE, else COPY */
	RINGPCM_DMA_MAP_ONCE	= 1,
	RINGPCM_DMA_COPY	= 2,
};

#define RINGPCM_MAX_RATES	16

struct ringpcm_info {
	char card[32];			/* controller, e.g. "Intel ICH6 HDA" */
	char codec[32];			/* codec, e.g. "QEMU hda-duplex" */
	__u32 card_index;
	__u32 device;
	__u32 direction;		/* enum ringpcm_direction */
	__u32 formats;			/* mask of 1 << enum ringpcm_format */
	__u32 rates[RINGPCM_MAX_RATES];	/* supported rates in Hz, ascending */
	__u32 n_rates;
	__u32 channels_min;
	__u32 channels_max;
	__u32 periods_min;
	__u32 periods_max;
	__u32 period_bytes_min;
	__u32 period_bytes_max;
	__u32 period_bytes_step;	/* period bytes must be a multiple */
	__u64 buffer_bytes_max;
	__u32 max_bdl_entries;		/* E2BIG beyond this */
	__u32 ring_align;		/* ring address alignment in bytes */
	__u64 max_segment;		/* largest DMA segment the device takes */
	__u32 dma_mode;			/* what ATTACH_RING uses by default */
	__u32 iommu;			/* 1 when DMA goes through an IOMMU */
	/*
	 * Bytes the device still holds after the DMA position has passed them
	 * (controller FIFO, codec buffer): playback is heard only once the
	 * engine has fetched this much beyond it, so a drain must be followed by
	 * at least this much silence to be heard in full.
	 */
	__u32 fifo_bytes;
	/*
	 * Time a virtual device's host side may still hold beyond fifo_bytes,
	 * which the guest cannot observe (QEMU's host audio backend); 0 on real
	 * hardware.  DRAIN plays this much silence too: add it to drain timeouts.
	 */
	__u32 backend_delay_us;
	__u32 reserved[6];
};

struct ringpcm_hw_params {
	__u32 format;			/* enum ringpcm_format */
	__u32 rate;			/* Hz, one of info.rates */
	__u32 channels;
	__u32 period_frames;
	__u32 periods;
	__u32 dma_mode;			/* enum ringpcm_dma_mode */
	__u32 reserved[6];
};

/* ATTACH_RING: in addr/bytes (bytes == period bytes * periods); out the rest. */
struct ringpcm_ring {
	__u64 addr;			/* user virtual address, info.ring_align aligned */
	__u64 bytes;
	__u32 dma_mode;			/* out: MAP_ONCE or COPY */
	__u32 segments;			/* out: mapped DMA segments */
	__u32 bdl_entries;		/* out: BDL entries programmed */
	__u32 flags;			/* out: RINGPCM_RING_* */
	__u32 reserved[4];
};

#define RINGPCM_RING_CAN_PAUSE	(1u << 0)	/* a spare BDL entry for resume */

struct ringpcm_sw_params {
	__u32 avail_min;		/* poll wakes when avail >= this (frames) */
	__u32 reserved[7];
};

enum ringpcm_mixer_control {
	RINGPCM_MIXER_PLAYBACK	= 0,	/* volume/switch amps of every output path */
	RINGPCM_MIXER_CAPTURE	= 1,	/* volume/switch amps of the capture path */
};

struct ringpcm_mixer {
	__u32 control;			/* enum ringpcm_mixer_control */
	__u32 gain[2];			/* left, right in steps, 0..max_gain */
	__u32 mute[2];			/* left, right: 1 = muted */
	__u32 max_gain;			/* out: the codec's number of steps */
	__s32 min_db100;		/* out: gain 0 in 1/100 dB */
	__u32 step_db100;		/* out: one step in 1/100 dB */
	__u32 can_mute;			/* out */
	__u32 reserved[7];
};

/*
 * Pins (since 1.4): the jacks and fixed pins of the streaming (analog)
 * codec as the driver classified them from their default configuration, and
 * the digital (HDMI/DP/S/PDIF) pins of every codec on the link, streamed or
 * not.  Allowed on every device, observers and the ctl device included.
 */
enum ringpcm_pin_kind {
	RINGPCM_PIN_LINE_OUT	= 0,
	RINGPCM_PIN_SPEAKER	= 1,
	RINGPCM_PIN_HP		= 2,
	RINGPCM_PIN_MIC		= 3,
	RINGPCM_PIN_LINE_IN	= 4,
	RINGPCM_PIN_AUX		= 5,
	RINGPCM_PIN_CD		= 6,
	RINGPCM_PIN_HDMI	= 7,
	RINGPCM_PIN_DP		= 8,
	RINGPCM_PIN_SPDIF	= 9,	/* other digital outputs */
};

enum ringpcm_pin_place {
	RINGPCM_PLACE_NONE	= 0,	/* external, location not given */
	RINGPCM_PLACE_INTERNAL	= 1,	/* built in or fixed: no jack */
	RINGPCM_PLACE_REAR	= 2,
	RINGPCM_PLACE_FRONT	= 3,
	RINGPCM_PLACE_DOCK	= 4,
};

#define RINGPCM_PIN_JACK	(1u << 0)	/* tells presence: PRESENT is meaningful */
#define RINGPCM_PIN_PRESENT	(1u << 1)	/* something plugged (JACK pins only) */
#define RINGPCM_PIN_ROUTED	(1u << 2)	/* output: plays the stream; input: an
						   ADC reaches it (a capture source) */
#define RINGPCM_PIN_CAPTURE	(1u << 3)	/* the current capture source */
#define RINGPCM_PIN_MUTED	(1u << 4)	/* output silenced by a headphone */

struct ringpcm_pin {
	__u8 codec;			/* codec address on the link */
	__u8 nid;			/* pin widget */
	__u8 kind;			/* enum ringpcm_pin_kind */
	__u8 place;			/* enum ringpcm_pin_place */
	__u32 flags;			/* RINGPCM_PIN_* */
};

#define RINGPCM_MAX_PINS	32
#define RINGPCM_MAX_CODECS	16

struct ringpcm_pins {
	__u32 n_pins;
	__u32 analog_codec;		/* address of the codec that streams */
	/*
	 * Presence changes the driver has seen (unsolicited responses or its
	 * 500 ms poll): a reader that polls sees a jack event as a new value.
	 */
	__u32 jack_changes;
	__u32 reserved0;
	__u32 vendor_id[RINGPCM_MAX_CODECS];	/* per codec address, 0: none */
	__u32 reserved[4];
	struct ringpcm_pin pin[RINGPCM_MAX_PINS];	/* analog codec first */
};

/*
 * The status page: mmap() offset 0, one page, read-only.
 *
 * Memory ordering: the driver writes it under a sequence counter.  A reader
 * loads seq (acquire); if it is odd, a write is in progress: retry.  It then
 * loads the fields, issues a read barrier and reloads seq; if seq changed,
 * retry.  ringpcm_status_read() in the client library does exactly this.
 * hw_ptr never decreases between two PREPAREs.  For capture, every frame
 * below hw_ptr has been synchronised for the CPU and may be read.
 */
struct ringpcm_status {
	__u32 seq;
	__u32 state;			/* enum ringpcm_state */
	__u64 hw_ptr;			/* frames the device has completed */
	__u64 appl_ptr;			/* last value committed by the application */
	__u64 tstamp_ns;		/* CLOCK_MONOTONIC_RAW at hw_ptr */
	__u64 xruns;			/* since open */
	__u64 periods_elapsed;		/* period interrupts since open */
	__u64 irqs;			/* interrupts handled for this stream */
	__u32 buffer_frames;
	__u32 period_frames;
	__u32 avail_min;
	__u32 dma_mode;
	__u64 irq_ns;			/* time spent in this stream's interrupt work */
	__u64 lost_laps;		/* ring laps counted from time, not the position
					   register (bursts or stalls longer than the ring) */
	__u64 reserved[4];
};

/*
 * Diagnostics for `make bench`: the cost of handing one period between CPU
 * and device with each strategy, measured in the kernel on the attached
 * ring (stream in SETUP or PREPARED).  Period k of the run is ring bytes
 * [(k % periods) * period_bytes, + period_bytes).  The ns_* figures are per
 * period, over samples that each time RINGPCM_BENCH_BATCH consecutive
 * periods (the last one fewer) and take their mean: one clock read per
 * period would cost about as much as a map-once sync under emulation.
 */
#define RINGPCM_BENCH_BATCH	16

enum ringpcm_bench_strategy {
	RINGPCM_BENCH_SYNC	= 0,	/* map once: sync the period's range */
	RINGPCM_BENCH_REMAP	= 1,	/* map + unmap the period's pages */
	RINGPCM_BENCH_COPY	= 2,	/* memcpy the period via a coherent buffer */
};

struct ringpcm_bench {
	__u32 strategy;			/* enum ringpcm_bench_strategy */
	__u32 iterations;		/* 1..100000 */
	__u64 ns_min;			/* out */
	__u64 ns_median;		/* out */
	__u64 ns_p90;			/* out */
	__u64 ns_max;			/* out */
	__u64 reserved[3];
};

#define RINGPCM_IOC_MAGIC	0xA7

#define RINGPCM_IOCTL_PVERSION	_IOR(RINGPCM_IOC_MAGIC, 0x00, __u32)
#define RINGPCM_IOCTL_INFO	_IOR(RINGPCM_IOC_MAGIC, 0x01, struct ringpcm_info)
#define RINGPCM_IOCTL_HW_PARAMS	_IOW(RINGPCM_IOC_MAGIC, 0x10, struct ringpcm_hw_params)
#define RINGPCM_IOCTL_SW_PARAMS	_IOW(RINGPCM_IOC_MAGIC, 0x11, struct ringpcm_sw_params)
#define RINGPCM_IOCTL_ATTACH_RING _IOWR(RINGPCM_IOC_MAGIC, 0x12, struct ringpcm_ring)
#define RINGPCM_IOCTL_DETACH_RING _IO(RINGPCM_IOC_MAGIC, 0x13)
#define RINGPCM_IOCTL_PREPARE	_IO(RINGPCM_IOC_MAGIC, 0x20)
#define RINGPCM_IOCTL_START	_IO(RINGPCM_IOC_MAGIC, 0x21)
#define RINGPCM_IOCTL_DROP	_IO(RINGPCM_IOC_MAGIC, 0x22)
#define RINGPCM_IOCTL_DRAIN	_IO(RINGPCM_IOC_MAGIC, 0x23)
#define RINGPCM_IOCTL_PAUSE	_IOW(RINGPCM_IOC_MAGIC, 0x24, __u32)	/* 1 pause, 0 resume */
/* Hand the application pointer to the driver (frames, free-running). */
#define RINGPCM_IOCTL_COMMIT	_IOW(RINGPCM_IOC_MAGIC, 0x30, __u64)
/* Refresh hw_ptr/tstamp in the status page from the DMA position now. */
#define RINGPCM_IOCTL_HWSYNC	_IO(RINGPCM_IOC_MAGIC, 0x31)
#define RINGPCM_IOCTL_MIXER_GET	_IOWR(RINGPCM_IOC_MAGIC, 0x40, struct ringpcm_mixer)
#define RINGPCM_IOCTL_MIXER_SET	_IOWR(RINGPCM_IOC_MAGIC, 0x41, struct ringpcm_mixer)
/* Since 1.4: the pins; CAPTURE_SOURCE records from the analog codec's input
 * pin with that NID (EINVAL: not an input, ENOENT: no ADC reaches it).  A
 * choice holds until the next mic plug or unplug, when auto-mic decides. */
#define RINGPCM_IOCTL_PINS	_IOR(RINGPCM_IOC_MAGIC, 0x42, struct ringpcm_pins)
#define RINGPCM_IOCTL_CAPTURE_SOURCE _IOW(RINGPCM_IOC_MAGIC, 0x43, __u32)
#define RINGPCM_IOCTL_BENCH	_IOWR(RINGPCM_IOC_MAGIC, 0x50, struct ringpcm_bench)

#endif /* _UAPI_RINGPCM_H */
