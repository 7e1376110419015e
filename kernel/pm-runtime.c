// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime PM policy of a card: the power_save module option, the autosuspend
 * set-up at probe and its undoing at remove, and the references that keep
 * the controller powered while a file uses it.  The suspend and resume
 * callbacks themselves are in power.c.
 *
 * Who holds a reference (the controller autosuspends when nobody does):
 *   - a stream file opened for writing, from open to release: every stream
 *     ioctl (PREPARE, START, ...) and the interrupt path run under it;
 *   - MIXER_GET, MIXER_SET and CAPTURE_SOURCE from any file, for the call:
 *     they send verbs.
 * INFO and PINS send none: they answer from the parser's state, which power
 * up rebuilds.  While the card is runtime suspended nobody polls the jacks
 * (no verbs reach a codec in D3) and no unsolicited response arrives (the
 * link is in reset), so PINS reports the presence seen before the suspend;
 * a plug or unplug meanwhile shows after the next wake-up, as with
 * snd-hda-intel, which stops jack polling while runtime suspended too.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>

#include "ringpcm.h"

#define RINGPCM_POWER_SAVE_DEFAULT_S	5

static int power_save = RINGPCM_POWER_SAVE_DEFAULT_S;
module_param(power_save, int, 0444);
MODULE_PARM_DESC(power_save, "Seconds an idle controller stays powered before it autosuspends "
		 "(default 5; 0: never, power/control left \"on\"; -1: power/control and "
		 "autosuspend_delay_ms left as they are)");

/**
 * ringpcm_pm_runtime_init - end of probe: autosuspend as power_save says
 * @card: the probed card; the PCI core holds a runtime PM reference for probe
 *
 * Runtime PM of a PCI device starts forbidden (power/control "on"); only a
 * positive power_save allows it, so that the user's later choice in sysfs
 * stands.  The probe reference is dropped here: an idle card may suspend
 * after the delay from now on.
 */
void ringpcm_pm_runtime_init(struct ringpcm_card *card)
{
	struct device *dev = &card->pci->dev;

	if (power_save >= 0)
		pm_runtime_set_autosuspend_delay(dev, (power_save ?: RINGPCM_POWER_SAVE_DEFAULT_S) *
					     MSEC_PER_SEC);
	pm_runtime_use_autosuspend(dev);
	if (power_save > 0) {
		pm_runtime_allow(dev);
		card->rpm_allowed = true;
	}
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
}

/**
 * ringpcm_pm_runtime_exit - start of remove: keep the device powered and
 *	give it back with the policy it came with
 * @card: the card; the PCI core already resumed the device for remove
 */
void ringpcm_pm_runtime_exit(struct ringpcm_card *card)
{
	struct device *dev = &card->pci->dev;

	pm_runtime_get_noresume(dev);	/* the probe reference, back */
	if (card->rpm_allowed)
		pm_runtime_forbid(dev);
	pm_runtime_dont_use_autosuspend(dev);
}

/**
 * ringpcm_pm_get - power the controller up (waiting for it) and keep it up
 * @card: the card
 *
 * Context: sleeps; not under hw_sem (power-up takes the codec lock).
 * Return: 0 with a reference held; -ENODEV when the card was removed, -EIO
 * when the device cannot be resumed (logged), without a reference.
 */
int ringpcm_pm_get(struct ringpcm_card *card)
{
	struct device *dev = &card->pci->dev;
	int ret;

	ret = pm_runtime_resume_and_get(dev);
	if (!ret)
		return 0;
	if (READ_ONCE(card->gone))
		return -ENODEV;
	dev_err(dev, "cannot power the controller up (%d): unbind and bind it again\n", ret);
	return -EIO;
}

/**
 * ringpcm_pm_put - drop a ringpcm_pm_get() reference; the delay restarts now
 * @card: the card
 */
void ringpcm_pm_put(struct ringpcm_card *card)
{
	struct device *dev = &card->pci->dev;

	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
}
