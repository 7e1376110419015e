/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the pure codec code (hda-graph.c, hda-auto.c) needs from its
 * surroundings, for the kernel and for the host tests alike: fixed-width
 * types, bool, memset and errno values.  Nothing else may be included there.
 */
#ifndef _RINGPCM_HDA_COMPAT_H
#define _RINGPCM_HDA_COMPAT_H

#include <linux/types.h>

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#endif

#endif /* _RINGPCM_HDA_COMPAT_H */
