/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The widget graph of one HDA codec, read through a verb-execute callback:
 * the audio function group, every widget's capabilities, pin default
 * configuration and expanded connection list.  Pure C (hda-compat.h): the
 * driver runs it over the controller, the host tests over an emulator.
 */
#ifndef _RINGPCM_HDA_GRAPH_H
#define _RINGPCM_HDA_GRAPH_H

#include "hda-compat.h"
#include "hda-verbs.h"

#define HDA_MAX_NODES	128	/* NIDs 0..127: every codec seen so far */
#define HDA_MAX_CONN	32	/* connection list entries kept per widget */

/**
 * struct hda_codec_ops - how the codec code reaches the codec
 * @exec: send one command word (AC_CMD()), store the response in @res.
 *	Returns 0 or a negative errno (-ETIMEDOUT when the codec did not
 *	answer).  May sleep.
 * @msleep: wait, for power state transitions; may be NULL (no wait).
 */
struct hda_codec_ops {
	int (*exec)(void *priv, __u32 cmd, __u32 *res);
	void (*msleep)(void *priv, unsigned int ms);
};

/* One widget; amp and PCM caps already resolved against the AFG defaults. */
struct hda_widget {
	__u8 nid;		/* 0: no such widget */
	__u8 type;		/* AC_WID_* */
	__u8 n_conn;
	__u8 conn[HDA_MAX_CONN];	/* expanded, existing NIDs only */
	__u32 wcaps;
	__u32 pincap;
	__u32 defcfg;
	__u32 amp_in_caps;
	__u32 amp_out_caps;
	__u32 pcm;		/* AC_PAR_PCM of converters */
};

struct hda_graph {
	const struct hda_codec_ops *ops;
	void *priv;
	unsigned int addr;		/* codec address on the link */
	__u32 vendor_id, subsystem_id, revision_id;
	__u8 afg;			/* 0: no audio function group */
	__u8 start_nid, end_nid;	/* widgets are start_nid .. end_nid - 1 */
	__u32 afg_pcm, afg_amp_in, afg_amp_out;
	struct hda_widget w[HDA_MAX_NODES];
	int error;			/* first failure, sticky */
	const char *why;		/* what failed, for the log */
};

int hda_graph_read(struct hda_graph *g, const struct hda_codec_ops *ops, void *priv,
		   unsigned int addr);
int hda_graph_get(struct hda_graph *g, unsigned int nid, unsigned int verb,
		  unsigned int parm, __u32 *res);
int hda_graph_set(struct hda_graph *g, unsigned int nid, unsigned int verb, unsigned int parm);
void hda_graph_sleep(struct hda_graph *g, unsigned int ms);
void hda_graph_clear_error(struct hda_graph *g);

/* The widget at @nid, or NULL when the codec has none. */
static inline const struct hda_widget *hda_widget(const struct hda_graph *g, unsigned int nid)
{
	if (nid >= HDA_MAX_NODES || !g->w[nid].nid)
		return NULL;
	return &g->w[nid];
}

static inline int hda_conn_index(const struct hda_widget *w, unsigned int nid)
{
	int i;

	for (i = 0; i < w->n_conn; i++)
		if (w->conn[i] == nid)
			return i;
	return -1;
}

#endif /* _RINGPCM_HDA_GRAPH_H */
