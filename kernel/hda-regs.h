/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel High Definition Audio controller registers and codec verbs used by
 * ringpcm (HDA specification 1.0a, sections 3.3 and 7.3).
 */
#ifndef _RINGPCM_HDA_REGS_H
#define _RINGPCM_HDA_REGS_H

#include <linux/bits.h>

/* Global registers */
#define HDA_GCAP		0x00
#define   HDA_GCAP_64OK		BIT(0)
#define   HDA_GCAP_ISS(g)	(((g) >> 8) & 0xf)
#define   HDA_GCAP_OSS(g)	(((g) >> 12) & 0xf)
#define HDA_GCTL		0x08
#define   HDA_GCTL_CRST		BIT(0)
#define   HDA_GCTL_UNSOL	BIT(8)	/* accept unsolicited responses */
#define HDA_STATESTS		0x0e
#define   HDA_STATESTS_MASK	0x7fff
#define HDA_INTCTL		0x20
#define   HDA_INT_GIE		BIT(31)
#define   HDA_INT_CIE		BIT(30)
#define HDA_INTSTS		0x24
#define HDA_CORBLBASE		0x40	/* CORBUBASE follows at 0x44 */
#define HDA_CORBWP		0x48
#define HDA_CORBRP		0x4a
#define   HDA_CORBRP_RST	BIT(15)
#define HDA_CORBCTL		0x4c
#define   HDA_CORBCTL_RUN	BIT(1)
#define HDA_CORBSIZE		0x4e
#define   HDA_RINGSIZE_MASK	0x03
#define   HDA_RINGSIZE_256	0x02
#define   HDA_RINGSIZE_CAP_256	BIT(6)
#define HDA_RIRBLBASE		0x50	/* RIRBUBASE follows at 0x54 */
#define HDA_RIRBWP		0x58
#define   HDA_RIRBWP_RST	BIT(15)
#define HDA_RINTCNT		0x5a
#define HDA_RIRBCTL		0x5c
#define   HDA_RIRBCTL_RINTCTL	BIT(0)
#define   HDA_RIRBCTL_DMAEN	BIT(1)
#define HDA_RIRBSTS		0x5d
#define   HDA_RIRBSTS_RINTFL	BIT(0)
#define   HDA_RIRBSTS_OIS	BIT(2)
#define HDA_RIRBSIZE		0x5e
#define HDA_RIRB_EX_CODEC	0x0f	/* response extension: codec address */
#define HDA_RIRB_EX_UNSOL	BIT(4)	/* and whether it was unsolicited */
#define HDA_ICW			0x60	/* immediate command write */
#define HDA_IRR			0x64	/* immediate response read */
#define HDA_ICS			0x68	/* immediate command status */
#define   HDA_ICS_ICB		BIT(0)	/* busy */
#define   HDA_ICS_IRV		BIT(1)	/* response valid, write 1 to clear */
#define HDA_DPLBASE		0x70
#define   HDA_DPLBASE_ENABLE	BIT(0)
#define HDA_DPUBASE		0x74
#define HDA_POSBUF_SLOT		8	/* bytes per stream, position in the first 4 */

/* Stream descriptor n starts at 0x80 + 0x20 * n; input streams come first. */
#define HDA_SD_BASE(n)		(0x80 + 0x20 * (n))
#define HDA_SD_CTL		0x00	/* byte 0: SRST, RUN, IOCE, FEIE, DEIE */
#define   HDA_SD_CTL_SRST	BIT(0)
#define   HDA_SD_CTL_RUN	BIT(1)
#define   HDA_SD_CTL_IOCE	BIT(2)
#define HDA_SD_CTL2		0x02	/* byte 2: stream tag in bits 7:4 */
#define HDA_SD_STS		0x03
#define   HDA_SD_STS_BCIS	BIT(2)
#define   HDA_SD_STS_FIFOE	BIT(3)
#define   HDA_SD_STS_DESE	BIT(4)
#define   HDA_SD_STS_ALL	(HDA_SD_STS_BCIS | HDA_SD_STS_FIFOE | HDA_SD_STS_DESE)
#define HDA_SD_LPIB		0x04
#define HDA_SD_CBL		0x08
#define HDA_SD_LVI		0x0c
#define HDA_SD_FIFOS		0x10
#define HDA_SD_FORMAT		0x12
#define HDA_SD_BDPL		0x18
#define HDA_SD_BDPU		0x1c

/* Skylake and later Intel parts: DMA Position In Buffer, per descriptor */
#define HDA_SKL_DPIB(n)		(0x1084 + 0x20 * (n))

#define HDA_BDL_ENTRIES		256
#define HDA_BDL_ALIGN		128	/* BDL and buffer addresses */
#define HDA_BDLE_IOC		BIT(0)

/* Codec verbs, parameters and their fields: shared with the host tests. */
#include "hda-verbs.h"

#endif /* _RINGPCM_HDA_REGS_H */
