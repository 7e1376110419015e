// SPDX-License-Identifier: GPL-2.0
/*
 * One HDA stream descriptor: its Buffer Descriptor List, reset, RUN and the
 * position it reports, read by the controller's method (Linux's
 * position_fix): LPIB; the position buffer; LPIB with capture held back by
 * the FIFO (AMD); VIA's capture position combined from LPIB and the buffer;
 * SKL+ DPIB.  The arithmetic is in ringpcm-math.h, under host tests.
 *
 * The BDL is built from the ring's pieces (ring-dma.c), each one entry, each
 * period ending on an entry with IOC set.  A start offset rotates the list so
 * that entry 0 begins there: QEMU's engine restarts at entry 0 on RUN 0->1,
 * so resuming it after a pause must start the list where it stopped (real
 * parts keep their position and are not reprogrammed, see pcm-stream.c).
 * Where it stopped is a frame, rarely 128-byte aligned as every entry's
 * address must be: the bytes up to the next aligned offset go through the
 * stream's own aligned head buffer, kept in step with the ring by ring-dma.c.
 * Registers CTL and STS are written with byte accesses: a 32-bit write to
 * CTL can raise BCIS spuriously.
 */
#include <linux/io.h>
#include <linux/iopoll.h>

#include "ringpcm.h"
#include "ringpcm-math.h"

#define HDA_SRST_TIMEOUT_US	1000
#define HDA_HALT_TIMEOUT_US	1000
/* How far AMD's capture LPIB runs ahead of memory: Linux's AMD_FIFO_SIZE. */
#define HDA_AMD_FIFO_FRAMES	32

int hda_stream_init(struct hda_stream *hs, struct hda_ctrl *ctrl, unsigned int index,
		    unsigned int tag)
{
	hs->ctrl = ctrl;
	hs->index = index;
	hs->tag = tag;
	hs->sd = ctrl->regs + HDA_SD_BASE(index);
	hs->fifo_bytes = readw(hs->sd + HDA_SD_FIFOS) + 1;	/* FIFOS counts from 0 */
	hs->capture = index < ctrl->n_in;
	hs->method = ctrl->position;
	hs->posbuf = ctrl->posbuf ? ctrl->posbuf + index * HDA_POSBUF_SLOT / sizeof(__le32) : NULL;
	/* Only SKL+ parts have it (hda_part_position() checks): not QEMU's ICH. */
	hs->dpib = hs->method == HDA_POS_DPIB ? ctrl->regs + HDA_SKL_DPIB(index) : NULL;
	hs->bdl = dma_alloc_coherent(&ctrl->pci->dev, HDA_BDL_ENTRIES * sizeof(*hs->bdl),
				     &hs->bdl_dma, GFP_KERNEL);
	hs->head = dma_alloc_coherent(&ctrl->pci->dev, HDA_BDL_ALIGN, &hs->head_dma, GFP_KERNEL);
	if (hs->bdl && hs->head)
		return 0;
	hda_stream_free(hs);
	return -ENOMEM;
}

void hda_stream_free(struct hda_stream *hs)
{
	if (hs->head)
		dma_free_coherent(&hs->ctrl->pci->dev, HDA_BDL_ALIGN, hs->head, hs->head_dma);
	hs->head = NULL;
	if (hs->bdl)
		dma_free_coherent(&hs->ctrl->pci->dev, HDA_BDL_ENTRIES * sizeof(*hs->bdl),
				  hs->bdl, hs->bdl_dma);
	hs->bdl = NULL;
}

/* Clear RUN; the engine finishes its current transfer on its own time. */
void hda_stream_halt(struct hda_stream *hs)
{
	u8 ctl = readb(hs->sd + HDA_SD_CTL);

	writeb(ctl & ~(HDA_SD_CTL_RUN | HDA_SD_CTL_IOCE), hs->sd + HDA_SD_CTL);
}

/**
 * hda_stream_wait_halted - confirm that the engine has stopped
 * @hs: stream, after hda_stream_halt()
 *
 * Only once RUN reads back 0 may the memory the BDL points to be unmapped.
 * Return: 0 or -ETIMEDOUT.
 */
int hda_stream_wait_halted(struct hda_stream *hs)
{
	u8 v;

	return readb_poll_timeout_atomic(hs->sd + HDA_SD_CTL, v, !(v & HDA_SD_CTL_RUN),
					 5, HDA_HALT_TIMEOUT_US);
}

/*
 * Stream reset.  The spec has SRST read back 1 then 0; QEMU clears it at
 * once, so the first wait is allowed to time out.
 */
void hda_stream_reset(struct hda_stream *hs)
{
	u8 v;

	hda_stream_halt(hs);
	hda_stream_wait_halted(hs);
	writeb(HDA_SD_CTL_SRST, hs->sd + HDA_SD_CTL);
	readb_poll_timeout_atomic(hs->sd + HDA_SD_CTL, v, v & HDA_SD_CTL_SRST, 5,
				  HDA_SRST_TIMEOUT_US);
	writeb(0, hs->sd + HDA_SD_CTL);
	readb_poll_timeout_atomic(hs->sd + HDA_SD_CTL, v, !(v & HDA_SD_CTL_SRST), 5,
				  HDA_SRST_TIMEOUT_US);
	writeb(HDA_SD_STS_ALL, hs->sd + HDA_SD_STS);
	/* The controller writes the slot only as it transfers: not the old run's. */
	if (hs->posbuf)
		WRITE_ONCE(*hs->posbuf, 0);
}

static void bdl_set(struct hda_bdle *e, dma_addr_t addr, u32 len, bool ioc)
{
	e->addr = cpu_to_le64(addr);
	e->len = cpu_to_le32(len);
	e->flags = cpu_to_le32(ioc ? HDA_BDLE_IOC : 0);
}

static dma_addr_t piece_addr(const struct ringpcm_piece *p, u32 skip)
{
	return p->seg_addr + p->seg_off + skip;
}

/*
 * Fill the BDL with the ring's pieces starting at ring offset @start_off.
 * The piece holding it is split: from @start_off up to the next aligned
 * offset through the head buffer (an entry may only start aligned), its
 * aligned rest, the other pieces, then its first part, up to @start_off,
 * last.  Pieces start aligned and end aligned or at a period end, so the
 * rest is never negative.  Returns the entries, or -ENOSPC; *@head_len is
 * what goes through the head.
 */
static int bdl_fill_rotated(struct hda_stream *hs, const struct ringpcm_ring_dma *ring,
			    u32 start_off, u32 *head_len)
{
	unsigned int first = 0, i, n = 0, extra;
	const struct ringpcm_piece *p;
	struct hda_bdle *bdl = hs->bdl;
	u32 skip, rest;

	while (first < ring->n_pieces - 1 &&
	       ring->pieces[first].ring_off + ring->pieces[first].len <= start_off)
		first++;
	p = &ring->pieces[first];
	skip = start_off - p->ring_off;
	rest = min(round_up(skip, HDA_BDL_ALIGN), p->len);
	*head_len = rest - skip;
	extra = !!skip + (*head_len && rest < p->len);
	if (ring->n_pieces + extra > HDA_BDL_ENTRIES)
		return -ENOSPC;

	if (*head_len)
		bdl_set(&bdl[n++], hs->head_dma, *head_len, rest == p->len && p->ioc);
	if (rest < p->len)
		bdl_set(&bdl[n++], piece_addr(p, rest), p->len - rest, p->ioc);
	for (i = 1; i < ring->n_pieces; i++) {
		p = &ring->pieces[(first + i) % ring->n_pieces];
		bdl_set(&bdl[n++], piece_addr(p, 0), p->len, p->ioc);
	}
	if (skip)
		bdl_set(&bdl[n++], piece_addr(&ring->pieces[first], 0), skip, false);
	return n;
}

/**
 * hda_stream_program - load BDL, length, format and tag into a reset stream
 * @hs: stream, halted
 * @ring: the attached ring and its pieces
 * @start_off: ring offset the engine starts at (0 after PREPARE)
 * @format: stream format register value
 *
 * Also sets the ring's head (none when @start_off is aligned).
 * Return: 0, or -ENOSPC when a rotation needs more entries than the BDL has.
 */
int hda_stream_program(struct hda_stream *hs, struct ringpcm_ring_dma *ring,
		       u32 start_off, u16 format)
{
	u32 head_len;
	int n = bdl_fill_rotated(hs, ring, start_off, &head_len);

	if (n < 0)
		return n;
	ringpcm_ring_set_head(ring, head_len ? hs->head : NULL, start_off, head_len);
	if (start_off)
		dev_dbg(&hs->ctrl->pci->dev, "stream %u: list rotated to ring offset %u, %u bytes "
			"through the head, %d entries\n", hs->index, start_off, head_len, n);
	hda_stream_reset(hs);
	writel(lower_32_bits(hs->bdl_dma), hs->sd + HDA_SD_BDPL);
	writel(upper_32_bits(hs->bdl_dma), hs->sd + HDA_SD_BDPU);
	writel(ring->bytes, hs->sd + HDA_SD_CBL);
	writew(n - 1, hs->sd + HDA_SD_LVI);
	writew(format, hs->sd + HDA_SD_FORMAT);
	writeb(hs->tag << 4, hs->sd + HDA_SD_CTL2);
	hs->ring_bytes = ring->bytes;
	hs->period_bytes = ring->period_bytes;
	hs->start_off = start_off;
	hs->at_start = !start_off;	/* a resumed list goes on mid-ring */
	return 0;
}

void hda_stream_run(struct hda_stream *hs)
{
	writeb(HDA_SD_STS_ALL, hs->sd + HDA_SD_STS);
	writeb(HDA_SD_CTL_RUN | HDA_SD_CTL_IOCE, hs->sd + HDA_SD_CTL);
}

static u32 posbuf_read(struct hda_stream *hs)
{
	return le32_to_cpu(READ_ONCE(*hs->posbuf));
}

static u32 lpib_read(struct hda_stream *hs)
{
	return readl(hs->sd + HDA_SD_LPIB);
}

/* The register or slot the method reads, counted from BDL entry 0. */
static u32 engine_pos(struct hda_stream *hs)
{
	switch (hs->method) {
	case HDA_POS_POSBUF:
		return posbuf_read(hs);
	case HDA_POS_DPIB:
		if (!hs->capture)
			return readl(hs->dpib);
		/* Capture: Linux read DPIB to make the buffer's slot current. */
		readl(hs->dpib);
		return posbuf_read(hs);
	default:
		return lpib_read(hs);
	}
}

static u32 via_capture_pos(struct hda_stream *hs)
{
	u32 link = ringpcm_ring_offset(lpib_read(hs), hs->start_off, hs->ring_bytes);
	u32 buf = ringpcm_ring_offset(posbuf_read(hs), hs->start_off, hs->ring_bytes);
	u32 fifo = hs->fifo_bytes - 1;	/* the FIFOS value, as Linux uses it */
	u32 pos = ringpcm_via_capture_pos(link, buf, fifo, hs->period_bytes, hs->ring_bytes,
					  hs->at_start);

	if (link > fifo)
		hs->at_start = false;
	return pos;
}

/**
 * hda_stream_pos - where the engine is in the ring
 * @hs: a programmed stream
 *
 * Context: any; the caller serialises (the stream's irq_lock).
 * Return: the ring byte offset the stream's method reads, BDL rotation and
 * the wrap at the ring end accounted for.
 */
u32 hda_stream_pos(struct hda_stream *hs)
{
	if (hs->method == HDA_POS_VIA && hs->capture)
		return via_capture_pos(hs);
	return ringpcm_ring_offset(engine_pos(hs), hs->start_off, hs->ring_bytes);
}

/**
 * hda_stream_lag_frames - how far behind the read position the CPU must stay
 * @hs: stream
 * @frame_bytes: its frame size
 *
 * AMD's capture LPIB counts what entered the FIFO: the CPU gets the
 * position less Linux's 32 frames, or less the FIFOS register if that is
 * larger (never a byte the device has not written).  0 for every other
 * method and for playback (Linux only reports that delay there).
 */
u32 hda_stream_lag_frames(const struct hda_stream *hs, u32 frame_bytes)
{
	if (hs->method != HDA_POS_FIFO || !hs->capture)
		return 0;
	return max_t(u32, HDA_AMD_FIFO_FRAMES, DIV_ROUND_UP(hs->fifo_bytes, frame_bytes));
}
