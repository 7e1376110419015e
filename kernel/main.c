// SPDX-License-Identifier: GPL-2.0
/*
 * ringpcm: PCI driver for Intel HD Audio controllers that streams playback
 * and capture with the DMA engine running directly over a ring buffer in the
 * application's memory (mapped once, synchronised per period).
 *
 * Probe brings up controller, codec and both streams and publishes the char
 * devices; remove stops every stream, unmaps and unpins every ring, and
 * leaves open files in the DISCONNECTED state until they are closed.
 *
 * There is no MODULE_DEVICE_TABLE on purpose: snd-hda-intel drives the same
 * controllers, and ringpcm must never take a machine's sound card by being
 * autoloaded.  Load it explicitly; bind other controllers with new_id or
 * driver_override.
 */
#include <linux/interrupt.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "ringpcm.h"

/* Linux 6.8 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX (6.10 dropped the old name). */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

static void ringpcm_card_release(struct kref *kref)
{
	struct ringpcm_card *card = container_of(kref, struct ringpcm_card, kref);
	int i;

	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		free_page((unsigned long)card->streams[i].status);
	pci_dev_put(card->pci);
	kfree(card);
}

void ringpcm_card_put(struct ringpcm_card *card)
{
	kref_put(&card->kref, ringpcm_card_release);
}

static irqreturn_t ringpcm_irq(int irq, void *data)
{
	struct ringpcm_card *card = data;
	void __iomem *regs = card->ctrl.regs;
	u32 sts;
	int i;

	/* A shared line may fire while we sleep: no register reads in D3. */
	if (pm_runtime_suspended(&card->pci->dev))
		return IRQ_NONE;
	sts = readl(regs + HDA_INTSTS);
	if (!sts || sts == ~0u)		/* not ours, or the device is gone */
		return IRQ_NONE;
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		if (sts & BIT(card->streams[i].hw.index))
			ringpcm_stream_irq(&card->streams[i]);
	if (sts & HDA_INT_CIE)
		hda_ctrl_irq(&card->ctrl);
	return IRQ_HANDLED;
}

static int ringpcm_setup_dma(struct ringpcm_card *card)
{
	struct pci_dev *pci = card->pci;
	bool addr64 = readw(card->ctrl.regs + HDA_GCAP) & HDA_GCAP_64OK;
	unsigned int bits = addr64 ? card->part->dma_bits ?: 64 : 32;
	int ret;

	ret = dma_set_mask_and_coherent(&pci->dev, DMA_BIT_MASK(bits));
	if (ret)
		return ret;
	/* Let an IOMMU merge a ring into few segments; the BDL length is 32-bit. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	/* 6.12 made it void: it cannot fail for a PCI device (dma_parms exist). */
	dma_set_max_seg_size(&pci->dev, U32_MAX & PAGE_MASK);
#else
	ret = dma_set_max_seg_size(&pci->dev, U32_MAX & PAGE_MASK);
#endif
	card->iommu = device_iommu_mapped(&pci->dev);
	return ret;
}

static int ringpcm_setup_irq(struct ringpcm_card *card)
{
	struct pci_dev *pci = card->pci;
	unsigned int types = card->part->no_msi ? PCI_IRQ_INTX : PCI_IRQ_MSI | PCI_IRQ_INTX;
	int ret;

	ret = pci_alloc_irq_vectors(pci, 1, 1, types);
	if (ret < 0)
		return ret;
	card->irq = pci_irq_vector(pci, 0);
	/* An MSI vector is the controller's own; a legacy line may be shared. */
	ret = request_irq(card->irq, ringpcm_irq, pci->msi_enabled ? 0 : IRQF_SHARED,
			  KBUILD_MODNAME, card);
	if (ret) {
		pci_free_irq_vectors(pci);
		return ret;
	}
	ringpcm_enable_stream_irqs(card);
	return 0;
}

/* Both streams' interrupts and the controller's: at probe and after resume. */
void ringpcm_enable_stream_irqs(struct ringpcm_card *card)
{
	hda_ctrl_enable_irqs(&card->ctrl, BIT(card->streams[0].hw.index) |
					  BIT(card->streams[1].hw.index));
}

static void ringpcm_teardown_irq(struct ringpcm_card *card)
{
	hda_ctrl_enable_irqs(&card->ctrl, 0);
	free_irq(card->irq, card);
	pci_free_irq_vectors(card->pci);
}

static int ringpcm_init_streams(struct ringpcm_card *card)
{
	int ret;

	/* Capture on descriptor 0 and playback after the inputs need one of each. */
	if (!card->ctrl.n_in || !card->ctrl.n_out) {
		dev_err(&card->pci->dev, "%u input and %u output stream descriptors: ringpcm needs "
			"one of each\n", card->ctrl.n_in, card->ctrl.n_out);
		return -ENODEV;
	}
	ret = ringpcm_stream_init(&card->streams[RINGPCM_DIR_PLAYBACK], card, RINGPCM_DIR_PLAYBACK);
	if (ret)
		return ret;
	ret = ringpcm_stream_init(&card->streams[RINGPCM_DIR_CAPTURE], card, RINGPCM_DIR_CAPTURE);
	if (ret)
		ringpcm_stream_free(&card->streams[RINGPCM_DIR_PLAYBACK]);
	return ret;
}

static void ringpcm_free_streams(struct ringpcm_card *card)
{
	ringpcm_stream_free(&card->streams[RINGPCM_DIR_CAPTURE]);
	ringpcm_stream_free(&card->streams[RINGPCM_DIR_PLAYBACK]);
}

static int ringpcm_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct ringpcm_card *card;
	int ret;

	ret = pcim_enable_device(pci);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pci, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	pci_set_master(pci);

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	kref_init(&card->kref);
	init_rwsem(&card->hw_sem);
	card->pci = pci_dev_get(pci);
	card->part = hda_part_of(id);
	card->run_restarts_bdl = hda_part_is_qemu(pci);
	snprintf(card->name, sizeof(card->name), "%s HDA %04x:%04x", card->part->family,
		 pci->vendor, pci->device);

	ret = hda_part_setup_pci(pci, card->part);
	if (ret)
		goto out_put;
	ret = hda_ctrl_init(&card->ctrl, pci, pcim_iomap_table(pci)[0],
			    hda_part_position(pci, card->part));
	if (ret)
		goto out_put;
	ret = ringpcm_setup_dma(card);
	if (ret)
		goto out_shutdown;
	ret = hda_codec_probe(&card->codec, &card->ctrl);
	if (ret) {
		dev_err(&pci->dev, "no usable audio codec\n");
		goto out_shutdown;
	}
	ret = ringpcm_init_streams(card);
	if (ret)
		goto out_codec;
	ret = ringpcm_setup_irq(card);
	if (ret)
		goto out_free_streams;
	ret = ringpcm_chardev_add(card);
	if (ret)
		goto out_teardown_irq;
	pci_set_drvdata(pci, card);
	dev_info(&pci->dev, "card %d: %s, %s%s, verbs %s, positions from %s: /dev/ringpcmC%dD0p, /dev/ringpcmC%dD0c\n",
		 card->index, card->name, card->codec.name, card->iommu ? ", behind an IOMMU" : "",
		 card->ctrl.single_cmd ? "by immediate command" : "over CORB/RIRB",
		 hda_position_name(card->ctrl.position), card->index, card->index);
	ringpcm_pm_runtime_init(card);	/* last: the PM callbacks need drvdata */
	return 0;

out_teardown_irq:
	ringpcm_teardown_irq(card);
out_free_streams:
	ringpcm_free_streams(card);
out_codec:
	hda_codec_remove(&card->codec);
out_shutdown:
	hda_ctrl_shutdown(&card->ctrl);
out_put:
	ringpcm_card_put(card);
	return ret;
}

static void ringpcm_remove(struct pci_dev *pci)
{
	struct ringpcm_card *card = pci_get_drvdata(pci);
	int i;

	ringpcm_pm_runtime_exit(card);	/* powered (the PCI core resumed it) until the end */
	/*
	 * Tell every client first: removing the nodes and tearing a ring down
	 * (stop, codec, unmap, unpin) take a while, and the clients of one
	 * stream should not wait for the other stream's teardown.
	 */
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		ringpcm_stream_hangup(&card->streams[i]);
	ringpcm_chardev_remove(card);
	down_write(&card->hw_sem);
	card->gone = true;
	up_write(&card->hw_sem);
	hda_codec_remove(&card->codec);	/* no jack poll into a device that left */
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		ringpcm_stream_disconnect(&card->streams[i]);
	ringpcm_teardown_irq(card);
	ringpcm_free_streams(card);
	hda_ctrl_shutdown(&card->ctrl);
	ringpcm_card_put(card);
}

/* Reboot or kexec: no engine may keep writing into memory after us. */
static void ringpcm_shutdown(struct pci_dev *pci)
{
	struct ringpcm_card *card = pci_get_drvdata(pci);
	int i;

	hda_ctrl_enable_irqs(&card->ctrl, 0);
	for (i = 0; i < ARRAY_SIZE(card->streams); i++)
		hda_stream_halt(&card->streams[i].hw);
}

static struct pci_driver ringpcm_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= ringpcm_pci_ids,
	.probe		= ringpcm_probe,
	.remove		= ringpcm_remove,
	.shutdown	= ringpcm_shutdown,
	.driver.pm	= pm_ptr(&ringpcm_pm_ops),
};

static int __init ringpcm_init(void)
{
	int ret = ringpcm_chardev_init();

	if (ret)
		return ret;
	ret = pci_register_driver(&ringpcm_driver);
	if (ret)
		ringpcm_chardev_exit();
	return ret;
}

static void __exit ringpcm_exit(void)
{
	pci_unregister_driver(&ringpcm_driver);
	ringpcm_chardev_exit();
}

module_init(ringpcm_init);
module_exit(ringpcm_exit);

MODULE_DESCRIPTION("Zero-copy PCM streaming over application rings for Intel HDA controllers");
MODULE_LICENSE("GPL");
