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
 *  - the DMA position, as Linux 6.1's position_fix picks it: the position
 *    buffer on Intel PCH, SKL+ and NVIDIA parts (Linux went back from SKL+
 *    DPIB to the buffer in 5.15: DPIB reported too early); LPIB on ATI SB
 *    and the AMD parts Linux gives POSFIX_LPIB; LPIB with capture held back
 *    by the FIFO on the AMD parts Linux gives AMD_WORKAROUND (their capture
 *    LPIB runs ahead of memory); VIA's combined capture position on VIA.
 *    ICH keeps LPIB, exact there and on QEMU (Linux tries the buffer
 *    first).  The module option position forces a method; DPIB only where
 *    the registers exist (SKL+, not QEMU's ICH).
 *
 * There is still no MODULE_DEVICE_TABLE: matching here only means ringpcm
 * can drive a controller once a user binds it (tools/ringpcm-bind).
 */
#include <linux/moduleparam.h>
#include <linux/pci.h>

#include "ringpcm.h"

static int position = -1;
module_param(position, int, 0444);
MODULE_PARM_DESC(position, "how stream positions are read: -1 as the part needs, "
		 "0 LPIB register, 1 DMA position buffer, 2 LPIB with capture held back "
		 "by the FIFO (AMD), 3 VIA's combined capture position, 4 SKL+ DPIB registers");

static const char * const position_names[HDA_POS_METHODS] = {
	[HDA_POS_LPIB] = "LPIB",
	[HDA_POS_POSBUF] = "the position buffer",
	[HDA_POS_FIFO] = "LPIB, capture behind the FIFO",
	[HDA_POS_VIA] = "LPIB and the position buffer combined",
	[HDA_POS_DPIB] = "DPIB",
};

#define PCI_CLASS_HDA		(PCI_CLASS_MULTIMEDIA_HD_AUDIO << 8)

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
/* VIA VT8251/VT8237A: revisions 0x20 and 0x30 snoop only if the BIOS set this */
#define VIA_MISC		0x42
#define   VIA_SNOOP		0x80

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
static const struct hda_part part_intel_skl = {
	.family = "Intel SKL+", .snoop = HDA_SNOOP_INTEL_DEVC, .tcsel = true,
	.position = HDA_POS_POSBUF, .dpib = true,
};
static const struct hda_part part_amd_fifo = {
	.family = "AMD", .snoop = HDA_SNOOP_ATI, .dma_bits = 40, .no_msi = true,
	.position = HDA_POS_FIFO,
};
static const struct hda_part part_via = {
	.family = "VIA", .snoop = HDA_SNOOP_VIA, .position = HDA_POS_VIA,
};
static const struct hda_part part_nvidia = {
	.family = "NVIDIA", .snoop = HDA_SNOOP_NVIDIA, .no_msi = true,
	.position = HDA_POS_POSBUF,
};

#define ICH(dev)	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, dev), .driver_data = (kernel_ulong_t)&part_ich }
#define SKL(dev)	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, dev), \
			  .driver_data = (kernel_ulong_t)&part_intel_skl }
#define AMD_FIFO(dev)	{ PCI_DEVICE(PCI_VENDOR_ID_AMD, dev), \
			  .driver_data = (kernel_ulong_t)&part_amd_fifo }
#define BY_CLASS(vendor, part)								\
	{ PCI_DEVICE(vendor, PCI_ANY_ID), .class = PCI_CLASS_HDA, .class_mask = 0xffffff,	\
	  .driver_data = (kernel_ulong_t)&part }

const struct pci_device_id ringpcm_pci_ids[] = {
	/* ICH6 to ICH10 (QEMU emulates the ICH6 and ICH9 ones) */
	ICH(0x2668), ICH(0x27d8), ICH(0x269a), ICH(0x284b), ICH(0x293e), ICH(0x293f),
	ICH(0x3a3e), ICH(0x3a6e),
	/* Linux 6.1's AZX_DRIVER_SKL parts: Sunrise Point to Raptor Lake, Broxton */
	SKL(0xa170), SKL(0x9d70), SKL(0xa171), SKL(0x9d71), SKL(0xa2f0), SKL(0xa348),
	SKL(0x9dc8), SKL(0x02c8), SKL(0x06c8), SKL(0xf1c8), SKL(0xa3f0), SKL(0xf0c8),
	SKL(0x34c8), SKL(0x3dc8), SKL(0x38c8), SKL(0x4dc8), SKL(0xa0c8), SKL(0x43c8),
	SKL(0x490d), SKL(0x4f90), SKL(0x4f91), SKL(0x4f92), SKL(0x7ad0), SKL(0x51c8),
	SKL(0x51cd), SKL(0x51cc), SKL(0x54c8), SKL(0x4b55), SKL(0x4b58), SKL(0x7a50),
	SKL(0x51ca), SKL(0x51cb), SKL(0x51ce), SKL(0x51cf), SKL(0x5a98), SKL(0x1a98),
	SKL(0x3198),
	/* every other Intel HDA function: SCH and PCH generations */
	BY_CLASS(PCI_VENDOR_ID_INTEL, part_intel_pch),
	BY_CLASS(PCI_VENDOR_ID_ATI, part_ati),
	/* AMD X370, X570, Raven: capture LPIB ahead of memory (AMD_WORKAROUND) */
	AMD_FIFO(0x1457), AMD_FIFO(0x1487), AMD_FIFO(0x15e3),
	BY_CLASS(PCI_VENDOR_ID_AMD, part_amd),
	/* VIA VT8251/VT8237A */
	{ PCI_DEVICE(PCI_VENDOR_ID_VIA, 0x3288), .driver_data = (kernel_ulong_t)&part_via },
	BY_CLASS(PCI_VENDOR_ID_NVIDIA, part_nvidia),
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
	case HDA_SNOOP_VIA:
		/* Linux runs these two revisions uncached when the BIOS left it clear. */
		return (pci->revision != 0x20 && pci->revision != 0x30) ||
		       config_byte_is(pci, VIA_MISC, VIA_SNOOP, VIA_SNOOP);
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

const char *hda_position_name(enum hda_position method)
{
	return method < HDA_POS_METHODS ? position_names[method] : "?";
}

/* The DPIB registers sit beyond the 0x1000 of the registers every part has. */
static bool has_dpib(struct pci_dev *pci, const struct hda_part *part)
{
	return part->dpib && pci_resource_len(pci, 0) >= HDA_SKL_DPIB(15) + 4;
}

/**
 * hda_part_position - how the card's stream positions are read
 * @pci: the controller
 * @part: its entry in ringpcm_pci_ids
 *
 * Return: the module option's method when it is one this part can honour,
 * else the part's own (with a warning saying why).
 */
enum hda_position hda_part_position(struct pci_dev *pci, const struct hda_part *part)
{
	if (position < 0)
		return part->position;
	if (position >= HDA_POS_METHODS) {
		dev_warn(&pci->dev, "position=%d is no method (0-%d): reading %s\n", position,
			 HDA_POS_METHODS - 1, position_names[part->position]);
		return part->position;
	}
	if (position == HDA_POS_DPIB && !has_dpib(pci, part)) {
		dev_warn(&pci->dev, "position=%d: this %s controller has no DPIB registers "
			 "(Skylake and later only): reading %s\n", position, part->family,
			 position_names[part->position]);
		return part->position;
	}
	return position;
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
