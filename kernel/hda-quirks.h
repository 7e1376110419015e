/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Per-machine pin configuration fixes (hda-quirks.c). */
#ifndef _RINGPCM_HDA_QUIRKS_H
#define _RINGPCM_HDA_QUIRKS_H

#include "hda-graph.h"

const char *hda_quirks_apply(struct hda_graph *g);

#endif /* _RINGPCM_HDA_QUIRKS_H */
