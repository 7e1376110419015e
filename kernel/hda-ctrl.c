// SPDX-License-Identifier: GPL-2.0
/*
 * HDA controller bring-up: link reset, codec discovery, the controller
 * interrupt.  Verbs travel in hda-cmd.c, stream engines in hda-stream.c.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/iopoll.h>

#include "ringpcm.h"

#define HDA_RESET_TIMEOUT_US	100000	/* as Linux allows each edge of CRST */
#define HDA_CODEC_WAKE_US	1000	/* spec: >= 521 us after CRST reads 1 */
#define HDA_GCAP_DEFAULT_STREAMS 4	/* GCAP reading 0: what ICH-era parts have */

/*
 * The DMA position buffer: the controller writes each stream's position at
 * 8 x its descriptor index, so a position costs a memory read instead of an
 * uncached register read.  QEMU's intel-hda does the same: after every
 * transfer it stores the stream's LPIB at 8 x (stream - first stream), the
 * global descriptor index with inputs first, and only then raises BCIS, so
 * the buffer is as exact as LPIB there.  Methods that need it: the buffer
 * itself, VIA's combined capture position, SKL+ DPIB (capture).
 */
static void posbuf_program(struct hda_ctrl *ctrl)
{
	writel(upper_32_bits(ctrl->posbuf_dma), ctrl->regs + HDA_DPUBASE);
	writel(lower_32_bits(ctrl->posbuf_dma) | HDA_DPLBASE_ENABLE, ctrl->regs + HDA_DPLBASE);
}

static int posbuf_enable(struct hda_ctrl *ctrl)
{
	size_t bytes = HDA_POSBUF_SLOT * (ctrl->n_in + ctrl->n_out);

	ctrl->posbuf = dma_alloc_coherent(&ctrl->pci->dev, bytes, &ctrl->posbuf_dma, GFP_KERNEL);
	if (!ctrl->posbuf)
		return -ENOMEM;
	posbuf_program(ctrl);
	return 0;
}

static void posbuf_disable(struct hda_ctrl *ctrl)
{
	if (!ctrl->posbuf)
		return;
	writel(0, ctrl->regs + HDA_DPLBASE);	/* no more writes into it */
	writel(0, ctrl->regs + HDA_DPUBASE);
	dma_free_coherent(&ctrl->pci->dev, HDA_POSBUF_SLOT * (ctrl->n_in + ctrl->n_out),
			  ctrl->posbuf, ctrl->posbuf_dma);
	ctrl->posbuf = NULL;
}

static void hda_ctrl_mask_all_irqs(struct hda_ctrl *ctrl)
{
	writel(0, ctrl->regs + HDA_INTCTL);
}

static int hda_ctrl_link_reset(struct hda_ctrl *ctrl)
{
	void __iomem *gctl = ctrl->regs + HDA_GCTL;
	u32 v;
	int ret;

	writel(readl(gctl) & ~HDA_GCTL_CRST, gctl);
	ret = readl_poll_timeout(gctl, v, !(v & HDA_GCTL_CRST), 10, HDA_RESET_TIMEOUT_US);
	if (ret)
		return ret;
	udelay(100);	/* spec: hold CRST low for at least 100 us */

	writel(readl(gctl) | HDA_GCTL_CRST, gctl);
	ret = readl_poll_timeout(gctl, v, v & HDA_GCTL_CRST, 10, HDA_RESET_TIMEOUT_US);
	if (ret)
		return ret;
	usleep_range(HDA_CODEC_WAKE_US, 2 * HDA_CODEC_WAKE_US);
	return 0;
}

/**
 * hda_ctrl_init - reset the link and find the codecs
 * @ctrl: controller state to fill
 * @pci: the controller
 * @regs: its mapped register BAR
 * @position: where stream positions will be read
 *
 * Return: 0, or -ENODEV when the link does not come out of reset or no
 * codec answers.
 */
int hda_ctrl_init(struct hda_ctrl *ctrl, struct pci_dev *pci, void __iomem *regs,
		  enum hda_position position)
{
	u16 gcap;
	int ret;

	ctrl->pci = pci;
	ctrl->regs = regs;
	mutex_init(&ctrl->cmd_lock);
	gcap = readw(regs + HDA_GCAP);
	ctrl->n_in = HDA_GCAP_ISS(gcap);
	ctrl->n_out = HDA_GCAP_OSS(gcap);
	if (!ctrl->n_in && !ctrl->n_out) {
		/* Seen on some parts before their first reset, as Linux notes. */
		dev_warn(&pci->dev, "GCAP reports no streams: assuming %u in, %u out\n",
			 HDA_GCAP_DEFAULT_STREAMS, HDA_GCAP_DEFAULT_STREAMS);
		ctrl->n_in = ctrl->n_out = HDA_GCAP_DEFAULT_STREAMS;
	}

	hda_ctrl_mask_all_irqs(ctrl);
	ret = hda_ctrl_link_reset(ctrl);
	if (ret) {
		dev_err(&pci->dev, "HDA link did not come out of reset\n");
		return -ENODEV;
	}
	ctrl->codec_mask = readw(regs + HDA_STATESTS) & HDA_STATESTS_MASK;
	writew(ctrl->codec_mask, regs + HDA_STATESTS);	/* write 1 to clear */
	if (!ctrl->codec_mask) {
		dev_err(&pci->dev, "no codec on the HDA link\n");
		return -ENODEV;
	}
	writel(readl(regs + HDA_GCTL) | HDA_GCTL_UNSOL, regs + HDA_GCTL);
	ctrl->position = position;
	if ((position == HDA_POS_POSBUF || position == HDA_POS_VIA || position == HDA_POS_DPIB) &&
	    posbuf_enable(ctrl))
		return -ENOMEM;
	ret = hda_cmd_init(ctrl);
	if (ret)
		posbuf_disable(ctrl);
	return ret;
}

/**
 * hda_ctrl_shutdown - mask interrupts and put the link in reset
 * @ctrl: controller; every stream must already be halted
 */
void hda_ctrl_shutdown(struct hda_ctrl *ctrl)
{
	hda_ctrl_mask_all_irqs(ctrl);
	hda_cmd_exit(ctrl);		/* ring DMA stops before the link goes */
	posbuf_disable(ctrl);
	writel(readl(ctrl->regs + HDA_GCTL) & ~HDA_GCTL_CRST, ctrl->regs + HDA_GCTL);
}

/**
 * hda_ctrl_suspend - system sleep: quiet the controller, keep its memory
 * @ctrl: controller; every stream engine must already be halted
 *
 * Interrupts masked, the verb rings and the position buffer stopped (their
 * coherent pages stay allocated for resume), the link held in reset.
 * Context: sleeps.
 */
void hda_ctrl_suspend(struct hda_ctrl *ctrl)
{
	hda_ctrl_mask_all_irqs(ctrl);
	hda_cmd_suspend(ctrl);
	if (ctrl->posbuf) {
		writel(0, ctrl->regs + HDA_DPLBASE);
		writel(0, ctrl->regs + HDA_DPUBASE);
	}
	writel(readl(ctrl->regs + HDA_GCTL) & ~HDA_GCTL_CRST, ctrl->regs + HDA_GCTL);
}

/**
 * hda_ctrl_resume - bring the link, the verb rings and the position buffer
 *	back after a sleep in which the controller lost every register
 * @ctrl: controller, interrupts still masked
 *
 * Return: 0, or -ENODEV when the link stays in reset or the codecs that were
 * there at probe do not answer.
 */
int hda_ctrl_resume(struct hda_ctrl *ctrl)
{
	u16 seen;

	/* The verb ring's base survives unless the platform reset the part. */
	if (ctrl->corb)
		dev_dbg(&ctrl->pci->dev, "controller registers %s the sleep\n",
			readl(ctrl->regs + HDA_CORBLBASE) == lower_32_bits(ctrl->rings_dma) ?
			"kept across" : "lost in");
	hda_ctrl_mask_all_irqs(ctrl);
	if (hda_ctrl_link_reset(ctrl)) {
		dev_err(&ctrl->pci->dev, "HDA link did not come out of reset after resume\n");
		return -ENODEV;
	}
	seen = readw(ctrl->regs + HDA_STATESTS) & HDA_STATESTS_MASK;
	writew(seen, ctrl->regs + HDA_STATESTS);
	if ((seen & ctrl->codec_mask) != ctrl->codec_mask) {
		dev_err(&ctrl->pci->dev, "codecs %#x answered after resume, %#x before\n",
			seen, ctrl->codec_mask);
		return -ENODEV;
	}
	writel(readl(ctrl->regs + HDA_GCTL) | HDA_GCTL_UNSOL, ctrl->regs + HDA_GCTL);
	if (ctrl->posbuf)
		posbuf_program(ctrl);
	hda_cmd_restart(ctrl);
	return 0;
}

/* The streams in @stream_mask, and the controller's own (RIRB, codec wake). */
void hda_ctrl_enable_irqs(struct hda_ctrl *ctrl, u32 stream_mask)
{
	u32 ctl = stream_mask ? HDA_INT_GIE | HDA_INT_CIE | stream_mask : 0;

	writel(ctl, ctrl->regs + HDA_INTCTL);
}

/**
 * hda_ctrl_irq - the controller's interrupt (INTSTS.CIS)
 * @ctrl: controller
 *
 * Context: hard interrupt.  Responses (jack events among them) and codec
 * state changes; each status is cleared so that the line drops.
 */
void hda_ctrl_irq(struct hda_ctrl *ctrl)
{
	hda_cmd_irq(ctrl);
	writew(readw(ctrl->regs + HDA_STATESTS), ctrl->regs + HDA_STATESTS);
}
