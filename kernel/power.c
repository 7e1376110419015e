// SPDX-License-Identifier: GPL-2.0
/*
 * The card's power callbacks (the PCI driver's dev_pm_ops): system sleep
 * (suspend to RAM, s2idle, hibernation) and runtime suspend share one
 * power-down and one power-up of the controller and the codec.
 *
 *   power down: jack polling stopped, the mixer and capture source read
 *               back, the codec's function group to D3, interrupts masked,
 *               verb rings and position buffer stopped, link reset; the PCI
 *               core then saves config space and puts the function in D3hot.
 *   power up:   (PCI core: D0, config space and MSI restored) the part's PCI
 *               quirks again (snoop bits above 0x40 are not in the saved
 *               header), link out of reset, CORB/RIRB and position buffer
 *               again, the codec set up again from scratch with the saved
 *               mixer and capture source, interrupts on.
 *
 * System sleep also moves every stream to SUSPENDED first; streams stay
 * there until the application PREPAREs (ALSA's recovery from -ESTRPIPE),
 * rings stay pinned and mapped (see ringpcm_stream_suspend()).  User space
 * is frozen across both callbacks, so no ioctl runs beside them.  A card
 * already runtime suspended when the system sleeps either stays so (the PM
 * core's direct_complete skips both callbacks; the next open powers it up
 * from nothing, as after any runtime suspend) or is resumed by the PCI core
 * before the suspend callback, which so always starts from a powered card.
 *
 * Runtime suspend happens only with no stream file open and no mixer call in
 * flight: each holds a runtime PM reference (pm-runtime.c), so no engine
 * runs and the streams need no state change.
 *
 * The firmware or the hypervisor may reset the controller while it sleeps
 * (QEMU's wake-up resets every device), so power-up assumes nothing survived.
 */
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/pm.h>

#include "ringpcm.h"

/* Controller and codec off; the caller made sure no engine runs. */
static void card_power_down(struct ringpcm_card *card)
{
	hda_codec_suspend(&card->codec);
	hda_ctrl_suspend(&card->ctrl);
	synchronize_irq(card->irq);	/* no handler still reading the registers */
}

/* Controller and codec back from nothing; streams are the caller's. */
static int card_power_up(struct ringpcm_card *card)
{
	struct pci_dev *pci = card->pci;
	int ret;

	ret = hda_part_setup_pci(pci, card->part);
	if (!ret)
		ret = hda_ctrl_resume(&card->ctrl);
	if (!ret)
		ret = hda_codec_resume(&card->codec);
	if (ret)
		return ret;
	ringpcm_enable_stream_irqs(card);
	return 0;
}

static int ringpcm_suspend(struct device *dev)
{
	struct ringpcm_card *card = dev_get_drvdata(dev);
	int i;

	down_write(&card->hw_sem);
	card->asleep = true;
	up_write(&card->hw_sem);
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		ringpcm_stream_suspend(&card->streams[i]);
	card_power_down(card);
	return 0;
}

static int ringpcm_resume(struct device *dev)
{
	struct ringpcm_card *card = dev_get_drvdata(dev);
	int i, ret;

	ret = card_power_up(card);
	if (ret) {
		/* The streams stay SUSPENDED and PREPARE will fail: remove the card. */
		dev_err(dev, "resume failed (%d): unbind and bind the device again\n", ret);
		return ret;
	}
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		ringpcm_stream_resume(&card->streams[i]);
	down_write(&card->hw_sem);
	card->asleep = false;
	up_write(&card->hw_sem);
	return 0;
}

static int ringpcm_runtime_suspend(struct device *dev)
{
	struct ringpcm_card *card = dev_get_drvdata(dev);
	ktime_t t0 = ktime_get();

	/* Every stream file holds a reference: none can be open here. */
	WARN_ON_ONCE(test_bit(0, &card->streams[0].in_use) ||
		     test_bit(0, &card->streams[1].in_use));
	card_power_down(card);
	dev_dbg(dev, "runtime suspend took %lld us\n", ktime_us_delta(ktime_get(), t0));
	return 0;
}

/*
 * An error here leaves the device in the runtime PM error state: every
 * later pm_runtime_resume_and_get() fails (open reports -EIO) until the
 * device is unbound and bound again.
 */
static int ringpcm_runtime_resume(struct device *dev)
{
	struct ringpcm_card *card = dev_get_drvdata(dev);
	ktime_t t0 = ktime_get();
	int ret;

	ret = card_power_up(card);
	if (ret) {
		dev_err(dev, "runtime resume failed (%d): unbind and bind the device again\n", ret);
		return ret;
	}
	dev_dbg(dev, "runtime resume took %lld us\n", ktime_us_delta(ktime_get(), t0));
	return 0;
}

/* Hibernation's freeze/thaw/poweroff/restore take the same two paths. */
const struct dev_pm_ops ringpcm_pm_ops = {
	SYSTEM_SLEEP_PM_OPS(ringpcm_suspend, ringpcm_resume)
	RUNTIME_PM_OPS(ringpcm_runtime_suspend, ringpcm_runtime_resume, NULL)
};
