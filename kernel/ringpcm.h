/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringpcm internal interfaces: one card per HDA controller, one codec, one
 * playback and one capture stream, each streaming over a user ring.
 */
#ifndef _RINGPCM_H
#define _RINGPCM_H

#include <linux/cdev.h>
#include <linux/dma-mapping.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "uapi/ringpcm.h"
#include "hda-regs.h"
#include "hda-auto.h"

#define RINGPCM_MAX_CARDS	8
#define RINGPCM_MINORS_PER_CARD	4	/* p, c, ctl, spare */
#define RINGPCM_MINOR_CTL	2

/* ---- hda-parts.c: what each controller family needs --------------------- */

enum hda_snoop {
	HDA_SNOOP_NONE,			/* snoops by design (ICH) */
	HDA_SNOOP_INTEL_DEVC,		/* SCH/PCH: DEVC.NSNPEN must be clear */
	HDA_SNOOP_ATI,			/* ATI/AMD: enable in 0x42 */
	HDA_SNOOP_NVIDIA,		/* NVIDIA: coherency bits in 0x4c-0x4e */
	HDA_SNOOP_VIA,			/* VIA: snoops unless the BIOS said no (0x42) */
	HDA_SNOOP_OFF,			/* cannot be made to snoop (Linux: SNOOP_OFF) */
};

/* How a stream's DMA position is read; the values of the module option. */
enum hda_position {
	HDA_POS_LPIB,			/* the stream's LPIB register */
	HDA_POS_POSBUF,			/* the DMA position buffer in memory */
	HDA_POS_FIFO,			/* LPIB, capture held back by the FIFO (AMD) */
	HDA_POS_VIA,			/* capture from LPIB and the buffer combined */
	HDA_POS_DPIB,			/* SKL+ DPIB registers (Linux 4.x-5.14) */
	HDA_POS_METHODS
};

struct hda_part {
	const char *family;
	enum hda_snoop snoop;
	enum hda_position position;	/* where the DMA position is read */
	bool dpib;			/* has the SKL+ DPIB registers */
	u8 dma_bits;			/* 0: 64 when GCAP has 64OK */
	bool no_msi;			/* legacy INTx, as Linux keeps it */
	bool tcsel;			/* clear Intel's TCSEL */
	u16 bdle_boundary;		/* no BDL entry crosses a multiple of it */
	u8 max_codecs;			/* codec addresses probed (0: 4, as Linux) */
};

extern const struct pci_device_id ringpcm_pci_ids[];
const struct hda_part *hda_part_of(const struct pci_device_id *id);
enum hda_position hda_part_position(struct pci_dev *pci, const struct hda_part *part);
const char *hda_position_name(enum hda_position position);
u32 hda_part_bdle_boundary(const struct hda_part *part);
u16 hda_part_codec_mask(const struct hda_part *part, u16 statests);
int hda_part_setup_pci(struct pci_dev *pci, const struct hda_part *part);
bool hda_part_is_qemu(struct pci_dev *pci);

/* ---- hda-ctrl.c: controller and verbs ------------------------------------ */

#define HDA_UNSOL_QUEUE		16

struct hda_ctrl {
	struct pci_dev *pci;
	void __iomem *regs;
	unsigned int n_in, n_out;	/* stream descriptors (GCAP) */
	u16 codec_mask;			/* STATESTS after reset */
	struct mutex cmd_lock;		/* one verb at a time */
	enum hda_position position;	/* every stream's method */
	__le32 *posbuf;			/* DMA position buffer, NULL if unused */
	dma_addr_t posbuf_dma;

	/* hda-cmd.c: the verb transport */
	bool single_cmd;		/* immediate commands (forced, or fallen back to) */
	__le32 *corb, *rirb;		/* one coherent page, NULL with single_cmd */
	dma_addr_t rings_dma;
	u16 corb_wp, rirb_rp;		/* cmd_lock / rirb_lock */
	spinlock_t rirb_lock;		/* RIRB, the response, the event queue */
	bool res_valid;
	u32 res;
	struct { u32 res; u8 addr; } unsol[HDA_UNSOL_QUEUE];
	unsigned int unsol_rp, unsol_wp;
	struct work_struct unsol_work;
	void (*unsol_fn)(void *data, unsigned int addr, u32 res);
	void *unsol_data;
	u64 verbs, unsol_events, unsol_dropped;
};

int hda_ctrl_init(struct hda_ctrl *ctrl, struct pci_dev *pci, void __iomem *regs,
		  const struct hda_part *part);
int hda_ctrl_reset(struct hda_ctrl *ctrl);
void hda_ctrl_shutdown(struct hda_ctrl *ctrl);
void hda_ctrl_suspend(struct hda_ctrl *ctrl);
int hda_ctrl_resume(struct hda_ctrl *ctrl);
void hda_ctrl_enable_irqs(struct hda_ctrl *ctrl, u32 stream_mask);
void hda_ctrl_irq(struct hda_ctrl *ctrl);

int hda_cmd_init(struct hda_ctrl *ctrl);
void hda_cmd_restart(struct hda_ctrl *ctrl);
void hda_cmd_suspend(struct hda_ctrl *ctrl);
void hda_cmd_exit(struct hda_ctrl *ctrl);
void hda_cmd_irq(struct hda_ctrl *ctrl);
bool hda_ctrl_set_unsol_handler(struct hda_ctrl *ctrl,
				void (*fn)(void *data, unsigned int addr, u32 res), void *data);
int hda_ctrl_exec_verb(struct hda_ctrl *ctrl, unsigned int addr, unsigned int nid,
		       u32 verb, u32 parm, u32 *res);

/* ---- hda-codec.c: the codecs on the link, through the generic parser ------ */

/*
 * The codec that streams: the first on the link with analog outputs or
 * inputs, configured by the generic parser (hda-auto.c, pure C shared with
 * the host tests).  HDMI/DP codecs are probed and listed in the log.
 */
struct hda_codec_mixer_save {
	bool valid;
	unsigned int gain[2];
	bool mute[2];
};

struct hda_codec {
	struct hda_ctrl *ctrl;
	unsigned int addr;
	u32 vendor_id;
	u32 buffer_bytes;		/* audio the codec itself buffers */
	u32 backend_delay_us;		/* a virtual codec's host side, unseen */
	char name[32];
	struct mutex lock;		/* serialises everything on @ac */
	struct hda_auto ac;		/* lock */
	struct delayed_work jack_work;	/* polls the jacks where no unsolicited
					   responses arrive (immediate commands) */
	/* Every codec on the link as probed (HDMI ones are not kept in @ac). */
	u32 vendor[RINGPCM_MAX_CODECS];
	struct ringpcm_pin digital[RINGPCM_MAX_PINS];	/* their digital pins */
	unsigned int n_digital;
	struct hda_codec_mixer_save saved[2];	/* playback, capture across a sleep */
	u8 saved_cap_pin;		/* capture source across a sleep, 0: none */
	unsigned int saved_jack_changes;
	u32 saved_jacks;		/* presence: outputs bits 0-15, inputs 16-31 */
};

int hda_codec_probe(struct hda_codec *codec, struct hda_ctrl *ctrl);
unsigned int hda_codec_delay(struct hda_codec *codec, int dir);
void hda_codec_remove(struct hda_codec *codec);
void hda_codec_suspend(struct hda_codec *codec);
int hda_codec_resume(struct hda_codec *codec);
int hda_codec_stream_setup(struct hda_codec *codec, int dir, unsigned int tag, u16 format);
void hda_codec_stream_cleanup(struct hda_codec *codec, int dir);
int hda_codec_mixer_get(struct hda_codec *codec, struct ringpcm_mixer *m);
int hda_codec_mixer_set(struct hda_codec *codec, const struct ringpcm_mixer *m);
void hda_codec_fill_info(struct hda_codec *codec, int dir, struct ringpcm_info *info);
void hda_codec_note_pins(struct hda_codec *codec);
void hda_codec_fill_pins(struct hda_codec *codec, struct ringpcm_pins *p);
int hda_codec_set_capture_source(struct hda_codec *codec, u32 nid);
u16 hda_codec_format_bits(struct hda_codec *codec, int dir, unsigned int rate,
			  unsigned int channels, unsigned int format);

/* ---- ring-dma.c: the application's ring, pinned and mapped once ---------- */

/*
 * One contiguous piece of the ring in DMA address space, ending no later than
 * a period boundary: exactly one BDL entry.
 */
struct ringpcm_piece {
	dma_addr_t seg_addr;		/* handle of the mapped segment holding it */
	u32 seg_off;			/* offset of the piece inside that segment */
	u32 ring_off;			/* offset of the piece in the ring */
	u32 len;
	bool ioc;			/* ends a period */
};

struct ringpcm_ring_ops;

struct ringpcm_ring_dma {
	const struct ringpcm_ring_ops *ops;
	struct device *dev;
	enum dma_data_direction dir;
	unsigned long uaddr;
	u32 bytes;
	u32 period_bytes;
	u32 bdle_boundary;		/* no piece crosses a multiple of it; 0: none */
	struct page **pages;
	unsigned int n_pages;
	struct mm_struct *mm;		/* charged for the pinned pages */
	struct sg_table sgt;		/* MAP_ONCE */
	void *copy_buf;			/* COPY: the coherent common buffer */
	dma_addr_t copy_dma;
	unsigned int segments;
	bool need_sync;			/* MAP_ONCE: dma_need_sync() of some segment */
	bool sync_free;			/* MAP_ONCE and no need_sync: set at attach */
	/*
	 * Ring bytes [head_off, head_off + head_len) that the engine reads or
	 * writes in @head_buf instead (an unaligned start after a pause on a
	 * part that restarts its list, hda-stream.c); kept in step with the
	 * ring at each hand-over.  Set with the engine halted.
	 */
	void *head_buf;
	u32 head_off, head_len;
	unsigned int n_pieces;
	struct ringpcm_piece pieces[HDA_BDL_ENTRIES];
	u16 first_piece[HDA_BDL_ENTRIES];	/* per period */
};

int ringpcm_ring_attach(struct ringpcm_ring_dma **out, struct device *dev, bool capture,
			unsigned long uaddr, u32 bytes, u32 period_bytes, u32 mode,
			u32 bdle_boundary);
void ringpcm_ring_detach(struct ringpcm_ring_dma *ring);
u32 ringpcm_ring_mode(const struct ringpcm_ring_dma *ring);

/**
 * ringpcm_ring_handover_is_free - whether handing bytes over costs nothing
 * @ring: attached ring
 *
 * True for a map-once ring that dma_need_sync() exempts (a coherent device
 * mapped directly): then ringpcm_ring_for_cpu() and ringpcm_ring_for_device()
 * do nothing, a capture position may be published from the hard interrupt
 * at once, and COMMIT need not split its range.  A bounce (swiotlb), a
 * non-coherent device or the copy mode move bytes: that work belongs in the
 * interrupt thread (capture) or COMMIT (playback), and so does a head's copy
 * (ringpcm_ring_set_head).  Inline: asked at every capture interrupt and
 * every COMMIT.
 */
static inline bool ringpcm_ring_handover_is_free(const struct ringpcm_ring_dma *ring)
{
	return ring->sync_free && !ring->head_len;
}

void ringpcm_ring_for_device(struct ringpcm_ring_dma *ring, u32 off, u32 len);
void ringpcm_ring_for_cpu(struct ringpcm_ring_dma *ring, u32 off, u32 len);
void ringpcm_ring_copy(struct ringpcm_ring_dma *ring, u32 off, u32 len, void *buf, bool to_pages);
void ringpcm_ring_silence(struct ringpcm_ring_dma *ring, u32 off, u32 len);
void ringpcm_ring_set_head(struct ringpcm_ring_dma *ring, void *buf, u32 off, u32 len);
long ringpcm_pinned_pages(void);

/* ---- bench.c: per-period cost of sync vs re-map vs copy ------------------- */

int ringpcm_bench_run(struct ringpcm_ring_dma *ring, u32 period_bytes, struct ringpcm_bench *b);

/* ---- hda-stream.c: one stream descriptor's DMA engine -------------------- */

struct hda_bdle {
	__le64 addr;
	__le32 len;
	__le32 flags;
};

/* Entries a rotated list needs beyond the ring's pieces (hda-stream.c). */
#define HDA_BDL_RESUME_EXTRA	2

struct hda_stream {
	struct hda_ctrl *ctrl;
	void __iomem *sd;
	unsigned int index;		/* descriptor index = interrupt bit */
	unsigned int tag;		/* 1..15, unique per direction */
	u32 fifo_bytes;			/* FIFOS + 1: the controller's FIFO */
	bool capture;
	enum hda_position method;
	__le32 *posbuf;			/* its slot in the position buffer, or NULL */
	void __iomem *dpib;		/* its DPIB register, or NULL */
	struct hda_bdle *bdl;		/* coherent */
	dma_addr_t bdl_dma;
	/* Set by hda_stream_program(), read by hda_stream_pos() (irq_lock). */
	u32 ring_bytes, period_bytes;
	u32 start_off;			/* ring offset of BDL entry 0 */
	bool at_start;			/* VIA: nothing in memory yet */
	void *head;			/* coherent, HDA_BDL_ALIGN bytes: a resumed */
	dma_addr_t head_dma;		/* list's unaligned first entry (QEMU) */
};

int hda_stream_init(struct hda_stream *hs, struct hda_ctrl *ctrl, unsigned int index,
		    unsigned int tag);
void hda_stream_free(struct hda_stream *hs);
void hda_stream_reset(struct hda_stream *hs);
int hda_stream_program(struct hda_stream *hs, struct ringpcm_ring_dma *ring,
		       u32 start_off, u16 format);
void hda_stream_run(struct hda_stream *hs);
void hda_stream_halt(struct hda_stream *hs);
int hda_stream_wait_halted(struct hda_stream *hs);

/* Read and acknowledge the stream's status; returns what was set.  Inline:
 * once a period in the hard interrupt, the call would cost more than it. */
static inline u8 hda_stream_ack(struct hda_stream *hs)
{
	u8 sts = readb(hs->sd + HDA_SD_STS);

	if (sts)
		writeb(sts, hs->sd + HDA_SD_STS);
	return sts;
}

u32 hda_stream_pos(struct hda_stream *hs);
u32 hda_stream_lag_frames(const struct hda_stream *hs, u32 frame_bytes);

/* ---- pcm-stream.c: state machine, position, xruns ------------------------ */

struct ringpcm_card;

struct ringpcm_stream {
	struct ringpcm_card *card;
	int dir;			/* enum ringpcm_direction */
	unsigned long in_use;		/* bit 0: opened (one opener) */
	struct hda_stream hw;

	/* Ioctl paths: held across everything that sleeps or touches the ring. */
	struct mutex lock;
	/*
	 * Capture sync: held while ring bytes are handed to the CPU outside
	 * irq_lock (the interrupt thread, HWSYNC, pause, drain, suspend), and
	 * wherever the ring or the synced position changes under the sync's feet
	 * (attach, teardown, prepare).  Order: lock, then sync_lock, then irq_lock.
	 */
	struct mutex sync_lock;
	unsigned long irq_work;		/* RINGPCM_WORK_* bits: hard half -> thread */
	/* Interrupt path: protects every field below and the status page. */
	spinlock_t irq_lock;
	wait_queue_head_t wait;

	struct ringpcm_status *status;	/* the page user space maps, read-only */
	bool params_set;		/* lock */
	struct ringpcm_hw_params params;	/* lock */
	u16 format_bits;		/* lock */
	u32 frame_bytes, period_frames, buffer_frames;	/* lock */
	struct ringpcm_ring_dma *ring;	/* lock to change; irq reads while running */
	bool asleep;			/* lock: between the card's suspend and resume */

	u32 state;			/* irq_lock */
	u64 hw_ptr, appl_ptr;		/* irq_lock, frames */
	u64 dma_ptr;			/* irq_lock: the engine's position as read */
	/*
	 * Capture: frames below synced_ptr are synced for the CPU; it is the
	 * hw_ptr the status page shows (hw_ptr itself is where the device has
	 * written, ahead while a sync is pending).  irq_lock; moved by sync_lock
	 * holders.
	 */
	u64 synced_ptr, synced_tstamp_ns;
	u32 lag_frames;			/* irq_lock: hda_stream_lag_frames(), at prepare */
	u32 avail_min;			/* irq_lock */
	u64 tstamp_ns, xruns, periods, irqs;	/* irq_lock */
	u64 irq_ns;			/* irq_lock */
	u64 irq_ptr, irq_stamp_ns;	/* irq_lock: dma_ptr and time at the last interrupt */
	u64 lost_laps;			/* irq_lock: laps counted from time, not LPIB */
	u64 drain_end;			/* irq_lock: DRAINING stops at this hw_ptr */
	u64 silence_ptr;		/* irq_lock: drain silence written up to here */
};

int ringpcm_stream_init(struct ringpcm_stream *s, struct ringpcm_card *card, int dir);
void ringpcm_stream_free(struct ringpcm_stream *s);
#define RINGPCM_WORK_SYNC	0	/* irq_work: captured bytes wait for their sync */
bool ringpcm_stream_irq(struct ringpcm_stream *s);
void ringpcm_stream_irq_thread(struct ringpcm_stream *s);
void ringpcm_stream_release(struct ringpcm_stream *s);
void ringpcm_stream_hangup(struct ringpcm_stream *s);
void ringpcm_stream_disconnect(struct ringpcm_stream *s);
int ringpcm_stream_hw_params(struct ringpcm_stream *s, const struct ringpcm_hw_params *p);
int ringpcm_stream_sw_params(struct ringpcm_stream *s, const struct ringpcm_sw_params *p);
int ringpcm_stream_attach(struct ringpcm_stream *s, struct ringpcm_ring *r);
int ringpcm_stream_detach(struct ringpcm_stream *s);
int ringpcm_stream_prepare(struct ringpcm_stream *s);
int ringpcm_stream_start(struct ringpcm_stream *s);
int ringpcm_stream_drop(struct ringpcm_stream *s);
int ringpcm_stream_drain(struct ringpcm_stream *s, bool nonblock);
int ringpcm_stream_pause(struct ringpcm_stream *s, u32 pause);
int ringpcm_stream_commit(struct ringpcm_stream *s, u64 appl);
int ringpcm_stream_hwsync(struct ringpcm_stream *s);
int ringpcm_stream_bench(struct ringpcm_stream *s, struct ringpcm_bench *b);
__poll_t ringpcm_stream_poll_mask(struct ringpcm_stream *s);
void ringpcm_stream_suspend(struct ringpcm_stream *s);
void ringpcm_stream_resume(struct ringpcm_stream *s);

/* ---- main.c / chardev.c: the card ---------------------------------------- */

struct ringpcm_card {
	struct kref kref;		/* probe + one per open file */
	int index;
	struct pci_dev *pci;
	const struct hda_part *part;
	bool run_restarts_bdl;		/* RUN 0->1 restarts at BDL entry 0 (QEMU) */
	u32 bdle_boundary;		/* the part's, or the module option's */
	struct hda_ctrl ctrl;
	struct hda_codec codec;
	struct ringpcm_stream streams[2];
	/* Held for reading around hardware access from files; remove() takes it
	 * for writing to set @gone, after which nothing touches the device. */
	struct rw_semaphore hw_sem;
	bool gone;
	bool asleep;			/* hw_sem: between suspend and resume (power.c) */
	bool rpm_allowed;		/* probe allowed runtime PM (power_save > 0) */
	char name[32];
	struct cdev *cdev;
	struct device *devs[3];		/* p, c, ctl */
	int irq;
	bool iommu;
};

void ringpcm_card_put(struct ringpcm_card *card);
void ringpcm_enable_stream_irqs(struct ringpcm_card *card);

/* ---- power.c: system sleep and runtime suspend ---------------------------- */

extern const struct dev_pm_ops ringpcm_pm_ops;

/* ---- pm-runtime.c: runtime PM policy and references ---------------------- */

void ringpcm_pm_runtime_init(struct ringpcm_card *card);
void ringpcm_pm_runtime_exit(struct ringpcm_card *card);
int ringpcm_pm_get(struct ringpcm_card *card);
void ringpcm_pm_put(struct ringpcm_card *card);
void ringpcm_fill_info(struct ringpcm_stream *s, struct ringpcm_info *info);

int ringpcm_chardev_init(void);
void ringpcm_chardev_exit(void);
int ringpcm_chardev_add(struct ringpcm_card *card);
void ringpcm_chardev_remove(struct ringpcm_card *card);

#endif /* _RINGPCM_H */
