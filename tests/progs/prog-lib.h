/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the test programs that go through libringpcm rather than raw ioctls:
 * a stream opened, set up and prepared in one call.
 */
#ifndef RINGPCM_PROG_LIB_H
#define RINGPCM_PROG_LIB_H

#include "prog-util.h"
#include "ringpcm.h"

/*
 * Opens device 0 of the card under test in direction dir (open flags as for
 * rpcm_open), sets p, allocates a ring of kind and prepares.  Returns 0 with
 * *pcm set, or -errno with *pcm NULL or (for a failure after the open) the
 * handle to read rpcm_last_error() from and close.
 */
static inline int pu_lib_prepared(struct rpcm **pcm, enum ringpcm_direction dir, int flags,
				  const struct ringpcm_hw_params *p, enum rpcm_ring_kind kind)
{
	int err = rpcm_open(pcm, pu_card(), 0, dir, flags);

	if (!err)
		err = rpcm_set_params(*pcm, p);
	if (!err)
		err = rpcm_alloc_ring(*pcm, kind);
	if (!err)
		err = rpcm_prepare(*pcm);
	return err;
}

#endif
