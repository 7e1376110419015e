// SPDX-License-Identifier: LGPL-2.1-or-later
/* libringpcm names: printable names of the ABI's enumerations. */
#include "rpcm-priv.h"

static const char *const state_names[] = {
	[RINGPCM_STATE_OPEN] = "OPEN",
	[RINGPCM_STATE_SETUP] = "SETUP",
	[RINGPCM_STATE_PREPARED] = "PREPARED",
	[RINGPCM_STATE_RUNNING] = "RUNNING",
	[RINGPCM_STATE_XRUN] = "XRUN",
	[RINGPCM_STATE_DRAINING] = "DRAINING",
	[RINGPCM_STATE_PAUSED] = "PAUSED",
	[RINGPCM_STATE_DISCONNECTED] = "DISCONNECTED",
	[RINGPCM_STATE_SUSPENDED] = "SUSPENDED",
};

static const char *const dma_mode_names[] = {
	[RINGPCM_DMA_AUTO] = "AUTO",
	[RINGPCM_DMA_MAP_ONCE] = "MAP_ONCE",
	[RINGPCM_DMA_COPY] = "COPY",
};

static const char *const format_names[] = {
	[RINGPCM_FORMAT_S16_LE] = "S16_LE",
	[RINGPCM_FORMAT_S32_LE] = "S32_LE",
};

#define NAME_OF(table, v) \
	((v) < sizeof(table) / sizeof(table[0]) && table[v] ? table[v] : "UNKNOWN")

RPCM_EXPORT const char *rpcm_state_name(uint32_t state)
{
	return NAME_OF(state_names, state);
}

RPCM_EXPORT const char *rpcm_dma_mode_name(uint32_t mode)
{
	return NAME_OF(dma_mode_names, mode);
}

RPCM_EXPORT const char *rpcm_format_name(uint32_t format)
{
	return NAME_OF(format_names, format);
}
