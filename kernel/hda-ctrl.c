// SPDX-License-Identifier: GPL-2.0
/*
 * HDA controller bring-up: link reset, codec discovery and the immediate
 * command interface for codec verbs.
 *
 * No DMA position buffer: QEMU 7.2 writes each stream's position at 8 x its
 * index *within its direction*, so the first input and the first output
 * stream share a slot.  Positions come from the LPIB register instead, which
 * QEMU updates exactly and Intel controllers report reliably.
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

/**
 * hda_ctrl_init - reset the link and find the codecs
 * @ctrl: controller state to fill
 * @pci: the controller
 * @regs: its mapped register BAR
 *
 * Return: 0, or -ENODEV when the link does not come out of reset or no
 * codec answers.
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
	return 0;
}

/**
 * hda_ctrl_shutdown - mask interrupts and put the link in reset
 * @ctrl: controller; every stream must already be halted
 */
void hda_ctrl_shutdown(struct hda_ctrl *ctrl)
{
	hda_ctrl_mask_all_irqs(ctrl);
	writel(readl(ctrl->regs + HDA_GCTL) & ~HDA_GCTL_CRST, ctrl->regs + HDA_GCTL);
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
 * @verb: 12-bit verb (8-bit payload) or 4-bit verb << 8 (16-bit payload),
 *	  ALSA's AC_VERB_* encoding
 * @parm: payload
 * @res: response, may be NULL
 *
 * Context: sleeps (cmd_lock). Return: 0 or -ETIMEDOUT.
 */
int hda_ctrl_exec_verb(struct hda_ctrl *ctrl, unsigned int addr, unsigned int nid,
		       u32 verb, u32 parm, u32 *res)
{
	void __iomem *ics = ctrl->regs + HDA_ICS;
	u32 cmd = (addr << 28) | (nid << 20) | (((verb << 8) | parm) & 0xfffff);
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
