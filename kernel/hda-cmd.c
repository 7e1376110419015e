// SPDX-License-Identifier: GPL-2.0
/*
 * Codec verbs over the HDA link: the CORB/RIRB rings, as every controller
 * supports them and as Linux's own driver uses them, and the Immediate
 * Command registers as the fallback (module option single_cmd, or a ring
 * that stops answering).
 *
 * One verb is outstanding at a time (cmd_lock), so the next solicited
 * response in the RIRB is its answer.  The RIRB also carries unsolicited
 * responses (jack events): they are queued by whoever reads the RIRB (the
 * waiting command or the controller interrupt) and handed to the codec
 * layer's handler from a work item, where it may send verbs itself.
 *
 * The rings share one coherent page: CORB (256 x 4 bytes) at 0, RIRB
 * (256 x 8 bytes) at 2 KiB.  The response is usually there at once (QEMU
 * answers within the CORBWP write; a real codec within a frame, 21 us), so
 * the wait spins briefly before it sleeps.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/moduleparam.h>

#include "ringpcm.h"

static bool single_cmd;
module_param(single_cmd, bool, 0444);
MODULE_PARM_DESC(single_cmd, "send codec verbs through the Immediate Command registers "
		 "instead of the CORB/RIRB rings (no jack events)");

#define HDA_RING_ENTRIES	256
#define HDA_RIRB_OFFSET		2048
#define HDA_CORB_TIMEOUT_MS	500	/* Linux waits 1 s before it falls back */
#define HDA_VERB_TIMEOUT_US	5000
#define HDA_RING_DMA_TIMEOUT_US	1000

/* ---- immediate commands ------------------------------------------------------ */

static int immediate_exec(struct hda_ctrl *ctrl, u32 cmd, u32 *res)
{
	void __iomem *ics = ctrl->regs + HDA_ICS;
	u16 v;
	int ret;

	ret = readw_poll_timeout(ics, v, !(v & HDA_ICS_ICB), 10, HDA_VERB_TIMEOUT_US);
	if (ret)
		return ret;
	writew(HDA_ICS_IRV, ics);		/* drop a stale response */
	writel(cmd, ctrl->regs + HDA_ICW);
	writew(HDA_ICS_ICB, ics);
	ret = readw_poll_timeout(ics, v, (v & (HDA_ICS_IRV | HDA_ICS_ICB)) == HDA_ICS_IRV,
				 10, HDA_VERB_TIMEOUT_US);
	if (!ret && res)
		*res = readl(ctrl->regs + HDA_IRR);
	return ret;
}

/* ---- the rings ------------------------------------------------------------------ */

static void unsol_queue_locked(struct hda_ctrl *ctrl, u32 res, u32 ex)
{
	unsigned int next = (ctrl->unsol_wp + 1) % HDA_UNSOL_QUEUE;

	if (next == ctrl->unsol_rp) {		/* full: the oldest event is stale anyway */
		ctrl->unsol_dropped++;
		return;
	}
	ctrl->unsol[ctrl->unsol_wp].res = res;
	ctrl->unsol[ctrl->unsol_wp].addr = ex & HDA_RIRB_EX_CODEC;
	ctrl->unsol_wp = next;
	schedule_work(&ctrl->unsol_work);
}

/* Consume what the controller wrote into the RIRB since the last look. */
static void rirb_update_locked(struct hda_ctrl *ctrl)
{
	u16 wp = readw(ctrl->regs + HDA_RIRBWP);

	lockdep_assert_held(&ctrl->rirb_lock);
	if (wp == 0xffff)			/* the device is gone */
		return;
	wp &= HDA_RING_ENTRIES - 1;
	dma_rmb();	/* the entries are complete before RIRBWP moved */
	while (ctrl->rirb_rp != wp) {
		u32 res, ex;

		ctrl->rirb_rp = (ctrl->rirb_rp + 1) % HDA_RING_ENTRIES;
		res = le32_to_cpu(ctrl->rirb[2 * ctrl->rirb_rp]);
		ex = le32_to_cpu(ctrl->rirb[2 * ctrl->rirb_rp + 1]);
		if (ex & HDA_RIRB_EX_UNSOL) {
			unsol_queue_locked(ctrl, res, ex);
		} else {
			ctrl->res = res;
			ctrl->res_valid = true;
		}
	}
}

/*
 * RINTFL is cleared whoever reads the RIRB: some controllers (QEMU's among
 * them) stop taking commands after RINTCNT responses until it is.
 */
static void rirb_ack_and_update(struct hda_ctrl *ctrl)
{
	writeb(HDA_RIRBSTS_RINTFL | HDA_RIRBSTS_OIS, ctrl->regs + HDA_RIRBSTS);
	rirb_update_locked(ctrl);
}

static int corb_exec(struct hda_ctrl *ctrl, u32 cmd, u32 *res)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(HDA_CORB_TIMEOUT_MS);
	unsigned int spins = 0;
	bool done;

	spin_lock_irq(&ctrl->rirb_lock);
	rirb_update_locked(ctrl);		/* nothing stale may pass for the answer */
	ctrl->res_valid = false;
	ctrl->corb_wp = (ctrl->corb_wp + 1) % HDA_RING_ENTRIES;
	ctrl->corb[ctrl->corb_wp] = cpu_to_le32(cmd);
	dma_wmb();	/* the entry is in memory before the controller sees CORBWP */
	writew(ctrl->corb_wp, ctrl->regs + HDA_CORBWP);
	spin_unlock_irq(&ctrl->rirb_lock);

	for (;;) {
		spin_lock_irq(&ctrl->rirb_lock);
		rirb_ack_and_update(ctrl);
		done = ctrl->res_valid;
		if (done && res)
			*res = ctrl->res;
		spin_unlock_irq(&ctrl->rirb_lock);
		if (done)
			return 0;
		if (time_after(jiffies, timeout))
			return -ETIMEDOUT;
		if (++spins < 100)
			udelay(1);
		else
			usleep_range(20, 40);
	}
}

/* Stop both ring engines (and wait for it) before the page can go. */
static void rings_stop(struct hda_ctrl *ctrl)
{
	u8 v;

	writeb(0, ctrl->regs + HDA_CORBCTL);
	writeb(0, ctrl->regs + HDA_RIRBCTL);
	readb_poll_timeout(ctrl->regs + HDA_CORBCTL, v, !(v & HDA_CORBCTL_RUN), 10,
			   HDA_RING_DMA_TIMEOUT_US);
	readb_poll_timeout(ctrl->regs + HDA_RIRBCTL, v, !(v & HDA_RIRBCTL_DMAEN), 10,
			   HDA_RING_DMA_TIMEOUT_US);
}

static void set_ring_base(struct hda_ctrl *ctrl, unsigned int lbase, dma_addr_t addr)
{
	writel(lower_32_bits(addr), ctrl->regs + lbase);
	writel(upper_32_bits(addr), ctrl->regs + lbase + 4);
}

/* The ring size register: 256 entries when the controller can, else refuse. */
static int set_ring_size(struct hda_ctrl *ctrl, unsigned int reg)
{
	u8 size = readb(ctrl->regs + reg);

	if (!(size & HDA_RINGSIZE_CAP_256))
		return -EOPNOTSUPP;
	writeb((size & ~HDA_RINGSIZE_MASK) | HDA_RINGSIZE_256, ctrl->regs + reg);
	return 0;
}

/*
 * CORBRP reset: write the reset bit, which the spec has read back as 1, then
 * clear it.  Some controllers never show the bit; Linux goes on regardless.
 */
static void corb_reset_rp(struct hda_ctrl *ctrl)
{
	void __iomem *rp = ctrl->regs + HDA_CORBRP;
	u16 v;

	writew(HDA_CORBRP_RST, rp);
	readw_poll_timeout(rp, v, v & HDA_CORBRP_RST, 1, HDA_RING_DMA_TIMEOUT_US);
	writew(0, rp);
	if (readw_poll_timeout(rp, v, !(v & HDA_CORBRP_RST), 1, HDA_RING_DMA_TIMEOUT_US))
		dev_warn(&ctrl->pci->dev, "CORB read pointer did not leave reset\n");
}

static int rings_start(struct hda_ctrl *ctrl)
{
	int ret;

	rings_stop(ctrl);
	ret = set_ring_size(ctrl, HDA_CORBSIZE) ?: set_ring_size(ctrl, HDA_RIRBSIZE);
	if (ret)
		return ret;
	set_ring_base(ctrl, HDA_CORBLBASE, ctrl->rings_dma);
	set_ring_base(ctrl, HDA_RIRBLBASE, ctrl->rings_dma + HDA_RIRB_OFFSET);
	corb_reset_rp(ctrl);
	writew(0, ctrl->regs + HDA_CORBWP);
	writew(HDA_RIRBWP_RST, ctrl->regs + HDA_RIRBWP);
	writew(1, ctrl->regs + HDA_RINTCNT);	/* an interrupt per response */
	ctrl->corb_wp = 0;
	ctrl->rirb_rp = 0;
	writeb(HDA_CORBCTL_RUN, ctrl->regs + HDA_CORBCTL);
	writeb(HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL, ctrl->regs + HDA_RIRBCTL);
	return 0;
}

static void rings_free(struct hda_ctrl *ctrl)
{
	if (!ctrl->corb)
		return;
	rings_stop(ctrl);
	dma_free_coherent(&ctrl->pci->dev, PAGE_SIZE, ctrl->corb, ctrl->rings_dma);
	ctrl->corb = NULL;
	ctrl->rirb = NULL;
}

static void unsol_work_fn(struct work_struct *work)
{
	struct hda_ctrl *ctrl = container_of(work, struct hda_ctrl, unsol_work);

	for (;;) {
		void (*fn)(void *data, unsigned int addr, u32 res);
		unsigned int addr;
		void *data;
		u32 res;

		spin_lock_irq(&ctrl->rirb_lock);
		if (ctrl->unsol_rp == ctrl->unsol_wp) {
			spin_unlock_irq(&ctrl->rirb_lock);
			return;
		}
		res = ctrl->unsol[ctrl->unsol_rp].res;
		addr = ctrl->unsol[ctrl->unsol_rp].addr;
		ctrl->unsol_rp = (ctrl->unsol_rp + 1) % HDA_UNSOL_QUEUE;
		fn = ctrl->unsol_fn;
		data = ctrl->unsol_data;
		spin_unlock_irq(&ctrl->rirb_lock);
		ctrl->unsol_events++;
		if (fn)
			fn(data, addr, res);
	}
}

/* ---- interface ------------------------------------------------------------------ */

/**
 * hda_cmd_init - set up the verb transport of a controller out of reset
 * @ctrl: controller, link up
 *
 * CORB/RIRB unless single_cmd is set or the controller cannot do 256-entry
 * rings; immediate commands otherwise.  Return: 0 or -ENOMEM.
 */
int hda_cmd_init(struct hda_ctrl *ctrl)
{
	int ret;

	spin_lock_init(&ctrl->rirb_lock);
	INIT_WORK(&ctrl->unsol_work, unsol_work_fn);
	ctrl->single_cmd = single_cmd;
	if (ctrl->single_cmd)
		return 0;
	ctrl->corb = dma_alloc_coherent(&ctrl->pci->dev, PAGE_SIZE, &ctrl->rings_dma,
					GFP_KERNEL);
	if (!ctrl->corb)
		return -ENOMEM;
	ctrl->rirb = ctrl->corb + HDA_RIRB_OFFSET / sizeof(*ctrl->corb);
	ret = rings_start(ctrl);
	if (ret) {
		dev_info(&ctrl->pci->dev, "no 256-entry CORB/RIRB: immediate commands\n");
		rings_free(ctrl);
		ctrl->single_cmd = true;
	}
	return 0;
}

/**
 * hda_cmd_restart - bring the rings back after a link reset
 * @ctrl: controller, link up again
 */
void hda_cmd_restart(struct hda_ctrl *ctrl)
{
	if (ctrl->corb && rings_start(ctrl)) {
		rings_free(ctrl);
		ctrl->single_cmd = true;
	}
}

/**
 * hda_cmd_suspend - stop the rings (their page is kept for hda_cmd_restart())
 *	and the event work; no verb may follow until the restart
 * @ctrl: controller, interrupts masked
 */
void hda_cmd_suspend(struct hda_ctrl *ctrl)
{
	if (ctrl->corb)
		rings_stop(ctrl);
	cancel_work_sync(&ctrl->unsol_work);
}

/**
 * hda_cmd_exit - stop the rings and the event work; no verb may follow
 * @ctrl: controller
 */
void hda_cmd_exit(struct hda_ctrl *ctrl)
{
	rings_free(ctrl);
	cancel_work_sync(&ctrl->unsol_work);
}

/**
 * hda_cmd_irq - the controller interrupt (INTSTS.CIS): responses arrived
 * @ctrl: controller
 *
 * Context: hard interrupt.  Queues unsolicited responses for the work item.
 */
void hda_cmd_irq(struct hda_ctrl *ctrl)
{
	spin_lock(&ctrl->rirb_lock);
	if (ctrl->corb)
		rirb_ack_and_update(ctrl);
	spin_unlock(&ctrl->rirb_lock);
}

/**
 * hda_ctrl_set_unsol_handler - who gets unsolicited responses
 * @ctrl: controller
 * @fn: called in process context with the codec address and the response;
 *	may send verbs.  NULL: nobody, and a call in progress has returned.
 * @data: passed to @fn
 *
 * Return: false when the link delivers no unsolicited responses (immediate
 * commands): the caller must poll what it wanted to hear about.
 */
bool hda_ctrl_set_unsol_handler(struct hda_ctrl *ctrl,
				void (*fn)(void *data, unsigned int addr, u32 res), void *data)
{
	spin_lock_irq(&ctrl->rirb_lock);
	ctrl->unsol_fn = fn;
	ctrl->unsol_data = data;
	spin_unlock_irq(&ctrl->rirb_lock);
	if (!fn)
		flush_work(&ctrl->unsol_work);
	return !ctrl->single_cmd;
}

/*
 * No answer over the rings.  If the immediate interface gets one, the rings
 * are what failed: go on without them, as Linux does.  If it gets none
 * either, the codec is what failed: the rings stay.
 */
static int retry_immediate(struct hda_ctrl *ctrl, u32 cmd, u32 *res)
{
	int ret;

	rings_stop(ctrl);	/* the spec forbids immediate commands while CORB runs */
	ret = immediate_exec(ctrl, cmd, res);
	if (ret) {
		if (rings_start(ctrl))
			ctrl->single_cmd = true;
		return ret;
	}
	dev_warn(&ctrl->pci->dev,
		 "no response to verb %08x over CORB/RIRB: using immediate commands\n", cmd);
	rings_free(ctrl);
	ctrl->single_cmd = true;
	return 0;
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
	u32 cmd = (addr << 28) | (nid << 20) | (((verb << 8) | parm) & 0xfffff);
	int ret;

	mutex_lock(&ctrl->cmd_lock);
	if (ctrl->single_cmd) {
		ret = immediate_exec(ctrl, cmd, res);
	} else {
		ret = corb_exec(ctrl, cmd, res);
		if (ret)
			ret = retry_immediate(ctrl, cmd, res);
	}
	ctrl->verbs++;
	mutex_unlock(&ctrl->cmd_lock);
	if (ret)
		dev_warn_ratelimited(&ctrl->pci->dev, "verb %08x timed out\n", cmd);
	return ret;
}
