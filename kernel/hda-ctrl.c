// SPDX-License-Identifier: GPL-2.0
/*
 * HDA controller bring-up: link reset, codec discovery, the immediate command
 * interface for codec verbs, and the DMA position buffer.
 *
 * Verbs go through the Immediate Command registers (ICW/IRR/ICS), one at a
 * time under cmd_lock: ringpcm sends a few dozen verbs at probe and a handful
 * per stream setup, so CORB/RIRB rings buy nothing here.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/iopoll.h>

#include "ringpcm.h"

#define HDA_RESET_TIMEOUT_US	10000
#define HDA_CODEC_WAKE_US	1000	/* spec: >= 521 us after CRST reads 1 */
#define HDA_VERB_TIMEOUT_US	5000

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

static int hda_ctrl_posbuf_init(struct hda_ctrl *ctrl)
{
	size_t size = 8 * (ctrl->n_in + ctrl->n_out);

	ctrl->posbuf = dma_alloc_coherent(&ctrl->pci->dev, max_t(size_t, size, HDA_BDL_ALIGN),
					  &ctrl->posbuf_dma, GFP_KERNEL);
	if (!ctrl->posbuf)
		return -ENOMEM;
	writel(upper_32_bits(ctrl->posbuf_dma), ctrl->regs + HDA_DPUBASE);
	writel(lower_32_bits(ctrl->posbuf_dma) | HDA_DPLBASE_ENABLE, ctrl->regs + HDA_DPLBASE);
	return 0;
}

/**
 * hda_ctrl_init - reset the link, find the codecs, set up the position buffer
 * @ctrl: controller state to fill
 * @pci: the controller
 * @regs: its mapped register BAR
 *
 * Return: 0, -ENODEV when the link does not come out of reset or no codec
 * answers, -ENOMEM.
 */
int hda_ctrl_init(struct hda_ctrl *ctrl, struct pci_dev *pci, void __iomem *regs)
{
	u16 gcap;
	int ret;

	ctrl->pci = pci;
	ctrl->regs = regs;
	mutex_init(&ctrl->cmd_lock);
	gcap = readw(regs + HDA_GCAP);
	ctrl->n_in = HDA_GCAP_ISS(gcap);
	ctrl->n_out = HDA_GCAP_OSS(gcap);

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
	return hda_ctrl_posbuf_init(ctrl);
}

/**
 * hda_ctrl_shutdown - mask interrupts, stop the position buffer, reset the link
 * @ctrl: controller; every stream must already be halted
 */
void hda_ctrl_shutdown(struct hda_ctrl *ctrl)
{
	hda_ctrl_mask_all_irqs(ctrl);
	writel(0, ctrl->regs + HDA_DPLBASE);
	writel(0, ctrl->regs + HDA_DPUBASE);
	writel(readl(ctrl->regs + HDA_GCTL) & ~HDA_GCTL_CRST, ctrl->regs + HDA_GCTL);
	if (ctrl->posbuf)
		dma_free_coherent(&ctrl->pci->dev,
				  max_t(size_t, 8 * (ctrl->n_in + ctrl->n_out), HDA_BDL_ALIGN),
				  ctrl->posbuf, ctrl->posbuf_dma);
	ctrl->posbuf = NULL;
}

void hda_ctrl_enable_irqs(struct hda_ctrl *ctrl, u32 stream_mask)
{
	writel(HDA_INT_GIE | stream_mask, ctrl->regs + HDA_INTCTL);
}

/**
 * hda_ctrl_exec_verb - send one verb to a codec node and read the response
 * @ctrl: controller
 * @addr: codec address on the link
 * @nid: node id
 * @verb: 12-bit verb with 8-bit payload or 4-bit verb with 16-bit payload,
 *	  already combined into the low 20 bits
 * @res: response, may be NULL
 *
 * Context: sleeps (cmd_lock). Return: 0 or -ETIMEDOUT.
 */
int hda_ctrl_exec_verb(struct hda_ctrl *ctrl, unsigned int addr, unsigned int nid,
		       u32 verb, u32 *res)
{
	void __iomem *ics = ctrl->regs + HDA_ICS;
	u32 cmd = (addr << 28) | (nid << 20) | (verb & 0xfffff);
	u16 v;
	int ret;

	mutex_lock(&ctrl->cmd_lock);
	ret = readw_poll_timeout(ics, v, !(v & HDA_ICS_ICB), 10, HDA_VERB_TIMEOUT_US);
	if (ret)
		goto out_unlock;
	writew(HDA_ICS_IRV, ics);		/* drop a stale response */
	writel(cmd, ctrl->regs + HDA_ICW);
	writew(HDA_ICS_ICB, ics);
	ret = readw_poll_timeout(ics, v, (v & (HDA_ICS_IRV | HDA_ICS_ICB)) == HDA_ICS_IRV,
				 10, HDA_VERB_TIMEOUT_US);
	if (!ret && res)
		*res = readl(ctrl->regs + HDA_IRR);
out_unlock:
	mutex_unlock(&ctrl->cmd_lock);
	if (ret)
		dev_warn_ratelimited(&ctrl->pci->dev, "verb %08x timed out\n", cmd);
	return ret;
}

/* The engine's byte offset in its current BDL pass, as last written by DMA. */
u32 hda_ctrl_posbuf(struct hda_ctrl *ctrl, unsigned int index)
{
	return le32_to_cpu(READ_ONCE(ctrl->posbuf[2 * index]));
}

/*
 * A restarted engine counts from zero but only rewrites its slot after its
 * first transfer: clear the stale value first.
 */
void hda_ctrl_posbuf_clear(struct hda_ctrl *ctrl, unsigned int index)
{
	WRITE_ONCE(ctrl->posbuf[2 * index], 0);
}
