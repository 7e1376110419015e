// SPDX-License-Identifier: GPL-2.0
/*
 * System sleep (suspend to RAM, s2idle, hibernation) of a card: the PCI
 * driver's dev_pm_ops.
 *
 *   suspend: each stream engine halted and waited for (stream -> SUSPENDED),
 *            jack polling stopped and the mixer read back, interrupts masked,
 *            verb rings and position buffer stopped, link reset; the PCI core
 *            then saves config space and puts the function in D3hot.
 *   resume:  (PCI core: D0, config space and MSI restored) the part's PCI
 *            quirks again (snoop bits above 0x40 are not in the saved header),
 *            link out of reset, CORB/RIRB and position buffer again, the
 *            codec set up again from scratch with the saved mixer, interrupts
 *            on.  Streams stay SUSPENDED until the application PREPAREs
 *            (ALSA's recovery from -ESTRPIPE); rings stay pinned and mapped
 *            (see ringpcm_stream_suspend()).
 *
 * The firmware or the hypervisor may reset the controller while it sleeps
 * (QEMU's wake-up resets every device), so resume assumes nothing survived.
 * User space is frozen across both callbacks, so no ioctl runs beside them.
 */
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/pm.h>

#include "ringpcm.h"

static int ringpcm_suspend(struct device *dev)
{
	struct ringpcm_card *card = dev_get_drvdata(dev);
	int i;

	down_write(&card->hw_sem);
	card->asleep = true;
	up_write(&card->hw_sem);
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		ringpcm_stream_suspend(&card->streams[i]);
	hda_codec_suspend(&card->codec);
	hda_ctrl_suspend(&card->ctrl);
	synchronize_irq(card->irq);	/* no handler still reading the registers */
	return 0;
}

static int ringpcm_resume(struct device *dev)
{
	struct ringpcm_card *card = dev_get_drvdata(dev);
	struct pci_dev *pci = to_pci_dev(dev);
	int i, ret;

	ret = hda_part_setup_pci(pci, card->part);
	if (!ret)
		ret = hda_ctrl_resume(&card->ctrl);
	if (!ret)
		ret = hda_codec_resume(&card->codec);
	if (ret) {
		/* The streams stay SUSPENDED and PREPARE will fail: remove the card. */
		dev_err(dev, "resume failed (%d): unbind and bind the device again\n", ret);
		return ret;
	}
	ringpcm_enable_stream_irqs(card);
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		ringpcm_stream_resume(&card->streams[i]);
	down_write(&card->hw_sem);
	card->asleep = false;
	up_write(&card->hw_sem);
	return 0;
}

/* Hibernation's freeze/thaw/poweroff/restore take the same two paths. */
DEFINE_SIMPLE_DEV_PM_OPS(ringpcm_pm_ops, ringpcm_suspend, ringpcm_resume);
