// SPDX-License-Identifier: GPL-2.0
/*
 * The HDA controllers ringpcm binds to and what each family needs from its
 * driver before the first DMA, as Linux's snd-hda-intel keeps it per part:
 *
 *  - cache snooping.  ringpcm's rings are ordinary cacheable application
 *    memory, and on x86 dma_sync_*() does no cache maintenance: a controller
 *    that does not snoop would read stale lines on playback and leave stale
 *    lines over what it wrote on capture.  Intel PCH/SCH parts snoop unless
 *    DEVC.NSNPEN is set, ATI/AMD parts need it enabled in 0x42, NVIDIA parts
 *    in their coherency registers.  Write-combining, Linux's alternative for
 *    non-snooping parts, cannot be imposed on an application's memory: a
 *    part that will not snoop is refused.
 *  - MSI: off on the parts where Linux keeps it off; legacy INTx otherwise.
 *  - DMA address width: 40 bits on AMD parts (Linux takes the safe width),
 *    32 when GCAP lacks 64OK.
 *  - the DMA position: the position buffer where Linux trusts it (Intel
 *    PCH, NVIDIA), LPIB where Linux uses LPIB (ICH in QEMU, ATI/AMD); the
 *    module option position overrides it.  Left for later: SKL+ DPIB, AMD's
 *    capture position ahead of memory by the FIFO, VIA's combined method.
 *  - BDL entries: Creative's CTHDA engine cannot cross a 4 KiB boundary
 *    within one entry (Linux's AZX_DCAPS_4K_BDLE_BOUNDARY).
 *  - codec slots: the STATESTS bits probed, 4 unless the part has more
 *    (NVIDIA: 8), as Linux; the module option probe_mask narrows or forces
 *    them as snd-hda-intel's does.
 *
 * Creative's CTHDA is listed for its limits, but Linux runs it with snooping
 * off (no register turns it on), so it is refused like any part that will
 * not snoop.
 *
 * There is still no MODULE_DEVICE_TABLE: matching here only means ringpcm
 * can drive a controller once a user binds it (tools/ringpcm-bind).
 */
#include <linux/moduleparam.h>
#include <linux/pci.h>

#include "ringpcm.h"

static int position = -1;
module_param(position, int, 0444);
MODULE_PARM_DESC(position, "where stream positions are read: -1 as the part needs, "
		 "0 LPIB register, 1 DMA position buffer");

static int bdle_4k = -1;
module_param(bdle_4k, int, 0444);
MODULE_PARM_DESC(bdle_4k, "split BDL entries at 4 KiB boundaries: -1 as the part needs, "
		 "0 never, 1 always");

static int probe_mask = -1;
module_param(probe_mask, int, 0444);
MODULE_PARM_DESC(probe_mask, "codec addresses to probe (bits 0-7), as snd-hda-intel's: "
		 "-1 every codec that answers; with bit 8 set, bits 0-7 are probed "
		 "whether they answer or not");

#define PCI_CLASS_HDA		(PCI_CLASS_MULTIMEDIA_HD_AUDIO << 8)
#define HDA_DEFAULT_CODECS	4	/* Linux's AZX_DEFAULT_CODECS */
#define HDA_FORCE_CODEC_MASK	0x100	/* Linux's AZX_FORCE_CODEC_MASK */
#define HDA_CTHDA_BOUNDARY	4096

/* Intel SCH/PCH: Device Control, no-snoop enable */
#define INTEL_DEVC		0x78
#define   INTEL_DEVC_NSNPEN	BIT(11)
/* Intel: traffic class select; Linux clears it (playback static otherwise) */
#define INTEL_TCSEL		0x44
#define   INTEL_TCSEL_MASK	0x07
/* ATI SB450 and later, AMD Hudson and later */
#define ATI_MISC_CNTR2		0x42
#define   ATI_SNOOP_MASK	0x07
#define   ATI_SNOOP_ENABLE	0x02
/* NVIDIA MCP and later */
#define NVIDIA_OSTRM_COH	0x4c
#define NVIDIA_ISTRM_COH	0x4d
#define   NVIDIA_COH_ENABLE	0x01
#define NVIDIA_TRANSREG		0x4e
#define   NVIDIA_COHBITS	0x0f

static const struct hda_part part_ich = {
	.family = "Intel ICH", .snoop = HDA_SNOOP_NONE, .tcsel = true,
};
static const struct hda_part part_intel_pch = {
	.family = "Intel PCH", .snoop = HDA_SNOOP_INTEL_DEVC, .tcsel = true,
	.position = HDA_POS_POSBUF,
};
static const struct hda_part part_ati = {
	.family = "ATI", .snoop = HDA_SNOOP_ATI, .no_msi = true,
};
static const struct hda_part part_amd = {
	.family = "AMD", .snoop = HDA_SNOOP_ATI, .dma_bits = 40, .no_msi = true,
};
static const struct hda_part part_nvidia = {
	.family = "NVIDIA", .snoop = HDA_SNOOP_NVIDIA, .no_msi = true,
	.position = HDA_POS_POSBUF, .max_codecs = 8,
};
static const struct hda_part part_cthda = {
	.family = "Creative CTHDA", .snoop = HDA_SNOOP_OFF, .no_msi = true, .dma_bits = 32,
	.bdle_boundary = HDA_CTHDA_BOUNDARY,
};

#define ICH(dev)	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, dev), .driver_data = (kernel_ulong_t)&part_ich }
#define BY_CLASS(vendor, part)								\
	{ PCI_DEVICE(vendor, PCI_ANY_ID), .class = PCI_CLASS_HDA, .class_mask = 0xffffff,	\
	  .driver_data = (kernel_ulong_t)&part }

const struct pci_device_id ringpcm_pci_ids[] = {
	/* ICH6 to ICH10 (QEMU emulates the ICH6 and ICH9 ones) */
	ICH(0x2668), ICH(0x27d8), ICH(0x269a), ICH(0x284b), ICH(0x293e), ICH(0x293f),
	ICH(0x3a3e), ICH(0x3a6e),
	/* every later Intel HDA function: SCH and PCH generations */
	BY_CLASS(PCI_VENDOR_ID_INTEL, part_intel_pch),
	BY_CLASS(PCI_VENDOR_ID_ATI, part_ati),
	BY_CLASS(PCI_VENDOR_ID_AMD, part_amd),
	BY_CLASS(PCI_VENDOR_ID_NVIDIA, part_nvidia),
	{ PCI_DEVICE(PCI_VENDOR_ID_CREATIVE, 0x0010), .driver_data = (kernel_ulong_t)&part_cthda },
	{ PCI_DEVICE(PCI_VENDOR_ID_CREATIVE, 0x0012), .driver_data = (kernel_ulong_t)&part_cthda },
	{ }
};

static void update_config_byte(struct pci_dev *pci, unsigned int reg, u8 mask, u8 val)
{
	u8 v;

	pci_read_config_byte(pci, reg, &v);
	if ((v & mask) != val)
		pci_write_config_byte(pci, reg, (v & ~mask) | val);
}

static bool config_byte_is(struct pci_dev *pci, unsigned int reg, u8 mask, u8 val)
{
	u8 v;

	pci_read_config_byte(pci, reg, &v);
	return (v & mask) == val;
}

/* Turn snooping on and read it back: true when the controller now snoops. */
static bool enable_snoop(struct pci_dev *pci, enum hda_snoop snoop)
{
	u16 devc;

	switch (snoop) {
	case HDA_SNOOP_INTEL_DEVC:
		pci_read_config_word(pci, INTEL_DEVC, &devc);
		if (devc & INTEL_DEVC_NSNPEN)
			pci_write_config_word(pci, INTEL_DEVC, devc & ~INTEL_DEVC_NSNPEN);
		pci_read_config_word(pci, INTEL_DEVC, &devc);
		return !(devc & INTEL_DEVC_NSNPEN);
	case HDA_SNOOP_ATI:
		update_config_byte(pci, ATI_MISC_CNTR2, ATI_SNOOP_MASK, ATI_SNOOP_ENABLE);
		return config_byte_is(pci, ATI_MISC_CNTR2, ATI_SNOOP_MASK, ATI_SNOOP_ENABLE);
	case HDA_SNOOP_NVIDIA:
		update_config_byte(pci, NVIDIA_TRANSREG, NVIDIA_COHBITS, NVIDIA_COHBITS);
		update_config_byte(pci, NVIDIA_ISTRM_COH, NVIDIA_COH_ENABLE, NVIDIA_COH_ENABLE);
		update_config_byte(pci, NVIDIA_OSTRM_COH, NVIDIA_COH_ENABLE, NVIDIA_COH_ENABLE);
		return config_byte_is(pci, NVIDIA_TRANSREG, NVIDIA_COHBITS, NVIDIA_COHBITS) &&
		       config_byte_is(pci, NVIDIA_ISTRM_COH, NVIDIA_COH_ENABLE, NVIDIA_COH_ENABLE) &&
		       config_byte_is(pci, NVIDIA_OSTRM_COH, NVIDIA_COH_ENABLE, NVIDIA_COH_ENABLE);
	case HDA_SNOOP_OFF:
		return false;
	case HDA_SNOOP_NONE:
		break;
	}
	return true;
}

/**
 * hda_part_setup_pci - PCI configuration a part needs before its first DMA
 * @pci: the controller
 * @part: its entry in ringpcm_pci_ids (new_id and driver_override binds
 *	  without driver_data get the ICH settings: nothing to write)
 *
 * Return: 0, or -ENODEV for a part that cannot be made to snoop.
 */
int hda_part_setup_pci(struct pci_dev *pci, const struct hda_part *part)
{
	if (part->tcsel)
		update_config_byte(pci, INTEL_TCSEL, INTEL_TCSEL_MASK, 0);
	if (!enable_snoop(pci, part->snoop)) {
		dev_err(&pci->dev, "%s HDA controller does not snoop CPU caches and cannot be made "
			"to: ringpcm streams from cacheable application memory, refusing it\n",
			part->family);
		return -ENODEV;
	}
	return 0;
}

const struct hda_part *hda_part_of(const struct pci_device_id *id)
{
	return id && id->driver_data ? (const struct hda_part *)id->driver_data : &part_ich;
}

enum hda_position hda_part_position(const struct hda_part *part)
{
	if (position == HDA_POS_LPIB || position == HDA_POS_POSBUF)
		return position;
	return part->position;
}

u32 hda_part_bdle_boundary(const struct hda_part *part)
{
	if (bdle_4k == 0 || bdle_4k == 1)
		return bdle_4k ? HDA_CTHDA_BOUNDARY : 0;
	return part->bdle_boundary;
}

/**
 * hda_part_codec_mask - the codec addresses to probe
 * @part: the controller's part
 * @statests: the codecs that signalled their presence after the link reset
 *
 * Only the part's codec slots count (a stray STATESTS bit beyond them is
 * not a codec), narrowed by probe_mask, or forced by it, as Linux does.
 */
u16 hda_part_codec_mask(const struct hda_part *part, u16 statests)
{
	u16 slots = GENMASK((part->max_codecs ?: HDA_DEFAULT_CODECS) - 1, 0);

	if (probe_mask != -1 && (probe_mask & HDA_FORCE_CODEC_MASK))
		statests = probe_mask & 0xff;
	return statests & slots & probe_mask;
}

/*
 * QEMU's emulated controllers carry its subsystem vendor (Red Hat/Qumranet)
 * where real ICH parts carry the board's.  Their engine restarts at BDL
 * entry 0 whenever RUN is set, instead of going on from where it stopped.
 */
bool hda_part_is_qemu(struct pci_dev *pci)
{
	return pci->subsystem_vendor == PCI_SUBVENDOR_ID_REDHAT_QUMRANET;
}
