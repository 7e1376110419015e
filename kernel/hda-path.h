/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Path search and activation, internal to hda-auto.c and hda-path.c. */
#ifndef _RINGPCM_HDA_PATH_H
#define _RINGPCM_HDA_PATH_H

#include "hda-auto.h"

/* Which widgets a search may pass between the sink and the source. */
enum hda_search {
	HDA_SEARCH_PLAYBACK,		/* selectors, mixers not fed by a pin */
	HDA_SEARCH_PLAYBACK_ANY_MIXER,	/* last resort: mixers fed by pins too */
	HDA_SEARCH_CAPTURE,		/* selectors, mixers not fed by a DAC */
};

/* Does the search end at @nid?  @arg is the caller's. */
typedef bool (*hda_want_fn)(const struct hda_auto *ac, unsigned int nid, unsigned int arg);

bool hda_path_search(const struct hda_auto *ac, unsigned int sink, enum hda_search how,
		     hda_want_fn want, unsigned int arg, struct hda_path *path);
void hda_path_activate(struct hda_auto *ac, struct hda_path *path);
void hda_path_deactivate(struct hda_auto *ac, struct hda_path *path);
void hda_path_mute_unused_mixers(struct hda_auto *ac);
bool hda_path_pick_amp(const struct hda_auto *ac, const struct hda_path *path, bool capture,
		       __u32 need, struct hda_amp *amp);
void hda_amp_write(struct hda_auto *ac, const struct hda_amp *amp, unsigned int chs,
		   bool mute, unsigned int gain);
unsigned int hda_amp_0db(__u32 caps);

#endif /* _RINGPCM_HDA_PATH_H */
