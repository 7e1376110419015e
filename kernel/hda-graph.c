// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reading a codec's widget graph: the root node's function groups, the audio
 * function group's widgets, their capabilities and connection lists.  Only
 * get verbs are sent here, except Intel HDMI's vendor verb that unhides pins.
 */
#include "hda-graph.h"

/* Intel HDMI codecs hide pins and converters until this vendor bit is set. */
#define INTEL_VENDOR		0x8086
#define INTEL_GET_VENDOR_VERB	0xf81
#define INTEL_SET_VENDOR_VERB	0x781
#define INTEL_EN_ALL_PIN_CVTS	0x01

static int graph_fail(struct hda_graph *g, int err, const char *why)
{
	if (!g->error) {
		g->error = err;
		g->why = why;
	}
	return err;
}

/**
 * hda_graph_get - send a get verb to a node of the graph's codec
 * Return: 0, or the callback's error (also kept in g->error).
 */
int hda_graph_get(struct hda_graph *g, unsigned int nid, unsigned int verb,
		  unsigned int parm, __u32 *res)
{
	int err;

	/*
	 * After a failure nothing more is sent until the caller starts over
	 * (hda_graph_clear_error): a codec that stopped answering costs one
	 * timeout, not one per verb still to come.
	 */
	*res = 0;
	if (g->error)
		return g->error;
	err = g->ops->exec(g->priv, AC_CMD(g->addr, nid, verb, parm), res);
	if (err) {
		*res = 0;
		return graph_fail(g, err, "the codec does not answer");
	}
	return 0;
}

/* Start a new operation after a failed one (the failure is not forgotten by the log). */
void hda_graph_clear_error(struct hda_graph *g)
{
	g->error = 0;
}

int hda_graph_set(struct hda_graph *g, unsigned int nid, unsigned int verb, unsigned int parm)
{
	__u32 res;

	return hda_graph_get(g, nid, verb, parm, &res);
}

void hda_graph_sleep(struct hda_graph *g, unsigned int ms)
{
	if (g->ops->msleep)
		g->ops->msleep(g->priv, ms);
}

static __u32 graph_param(struct hda_graph *g, unsigned int nid, unsigned int param)
{
	__u32 res;

	hda_graph_get(g, nid, AC_VERB_GET_PARAMETER, param, &res);
	return res;
}

/* Sub-node range of @nid: false when it has none or it is out of reach. */
static bool graph_subnodes(struct hda_graph *g, unsigned int nid, __u8 *start, __u8 *end)
{
	__u32 count = graph_param(g, nid, AC_PAR_NODE_COUNT);
	unsigned int first = (count >> 16) & 0xff, n = count & 0xff;

	if (!n || first + n > HDA_MAX_NODES)
		return false;
	*start = first;
	*end = first + n;
	return true;
}

static int graph_find_afg(struct hda_graph *g)
{
	__u8 start, end, nid;

	if (!graph_subnodes(g, 0, &start, &end))
		return graph_fail(g, -ENODEV, "the root node lists no function group");
	for (nid = start; nid < end && !g->error; nid++)
		if ((graph_param(g, nid, AC_PAR_FUNCTION_TYPE) & 0xff) == AC_GRP_AUDIO_FUNCTION) {
			g->afg = nid;
			return 0;
		}
	return graph_fail(g, g->error ?: -ENODEV, "no audio function group");
}

static bool graph_nid_exists(const struct hda_graph *g, unsigned int nid)
{
	return nid >= g->start_nid && nid < g->end_nid;
}

/*
 * Entries naming widgets the codec does not have stay in the list as dead
 * ends (NID 0, never a widget): the connection select counts them.
 */
static void conn_add(struct hda_graph *g, struct hda_widget *w, unsigned int nid)
{
	if (w->n_conn >= HDA_MAX_CONN)
		return;
	w->conn[w->n_conn++] = graph_nid_exists(g, nid) ? nid : 0;
}

/*
 * The connection list: AC_PAR_CONNLIST_LEN entries, four 8-bit (short form)
 * or two 16-bit (long form) per AC_VERB_GET_CONNECT_LIST answer.  An entry
 * with its top bit set is a range: every NID after the previous entry up
 * to this one.
 */
static void graph_read_conns(struct hda_graph *g, struct hda_widget *w)
{
	__u32 len = graph_param(g, w->nid, AC_PAR_CONNLIST_LEN), res = 0;
	bool long_form = len & AC_CLIST_LONG;
	unsigned int per = long_form ? 2 : 4, bits = long_form ? 16 : 8;
	unsigned int range_bit = 1u << (bits - 1), n = len & AC_CLIST_LENGTH;
	unsigned int i, entry, val, prev = 0, nid;

	for (i = 0; i < n && !g->error; i++) {
		if (i % per == 0)
			hda_graph_get(g, w->nid, AC_VERB_GET_CONNECT_LIST, i, &res);
		entry = (res >> (bits * (i % per))) & ((1u << bits) - 1);
		val = entry & (range_bit - 1);
		if (!(entry & range_bit))
			conn_add(g, w, val);
		else if (prev && prev < val && val - prev <= HDA_MAX_NODES)
			for (nid = prev + 1; nid <= val; nid++)
				conn_add(g, w, nid);
		prev = val;
	}
}

static void graph_read_widget(struct hda_graph *g, struct hda_widget *w)
{
	__u32 wcaps = w->wcaps;
	unsigned int amp_nid = wcaps & AC_WCAP_AMP_OVRD ? w->nid : g->afg;
	__u32 res;

	if (wcaps & AC_WCAP_IN_AMP)
		w->amp_in_caps = amp_nid == g->afg ? g->afg_amp_in
						   : graph_param(g, w->nid, AC_PAR_AMP_IN_CAP);
	if (wcaps & AC_WCAP_OUT_AMP)
		w->amp_out_caps = amp_nid == g->afg ? g->afg_amp_out
						    : graph_param(g, w->nid, AC_PAR_AMP_OUT_CAP);
	if (w->type == AC_WID_AUD_OUT || w->type == AC_WID_AUD_IN)
		w->pcm = wcaps & AC_WCAP_FORMAT_OVRD ? graph_param(g, w->nid, AC_PAR_PCM)
						     : g->afg_pcm;
	if (w->type == AC_WID_PIN) {
		w->pincap = graph_param(g, w->nid, AC_PAR_PIN_CAP);
		hda_graph_get(g, w->nid, AC_VERB_GET_CONFIG_DEFAULT, 0, &res);
		w->defcfg = res;
	}
	if (wcaps & AC_WCAP_CONN_LIST)
		graph_read_conns(g, w);
}

static void graph_read_wcaps(struct hda_graph *g)
{
	unsigned int nid;

	for (nid = g->start_nid; nid < g->end_nid; nid++) {
		struct hda_widget *w = &g->w[nid];

		w->nid = nid;
		w->wcaps = graph_param(g, nid, AC_PAR_AUDIO_WIDGET_CAP);
		w->type = AC_WCAP_TYPE(w->wcaps);
		w->n_conn = 0;
	}
}

/* The first vendor-defined widget carries Intel's vendor verbs. */
static void graph_intel_unhide(struct hda_graph *g)
{
	unsigned int nid;
	__u32 val;

	if (g->vendor_id >> 16 != INTEL_VENDOR)
		return;
	for (nid = g->start_nid; nid < g->end_nid; nid++) {
		if (g->w[nid].type != AC_WID_VENDOR)
			continue;
		if (hda_graph_get(g, nid, INTEL_GET_VENDOR_VERB, 0, &val) || (val & INTEL_EN_ALL_PIN_CVTS))
			return;
		hda_graph_set(g, nid, INTEL_SET_VENDOR_VERB, (val | INTEL_EN_ALL_PIN_CVTS) & 0xff);
		return;
	}
}

static int graph_read_afg(struct hda_graph *g)
{
	unsigned int nid;

	if (!graph_subnodes(g, g->afg, &g->start_nid, &g->end_nid))
		return graph_fail(g, g->error ?: -ENODEV,
				  "the audio function group has no widgets (or NIDs beyond 127)");
	g->afg_pcm = graph_param(g, g->afg, AC_PAR_PCM);
	g->afg_amp_in = graph_param(g, g->afg, AC_PAR_AMP_IN_CAP);
	g->afg_amp_out = graph_param(g, g->afg, AC_PAR_AMP_OUT_CAP);
	graph_read_wcaps(g);
	if (g->vendor_id >> 16 == INTEL_VENDOR) {
		graph_intel_unhide(g);
		/* Unhidden converters may extend the node range. */
		if (!graph_subnodes(g, g->afg, &g->start_nid, &g->end_nid))
			return graph_fail(g, g->error ?: -ENODEV, "widgets vanished");
		graph_read_wcaps(g);
	}
	for (nid = g->start_nid; nid < g->end_nid && !g->error; nid++)
		graph_read_widget(g, &g->w[nid]);
	return g->error;
}

/**
 * hda_graph_read - read the widget graph of the codec at @addr
 * @g: filled in; zeroed first
 * @ops: verb execution (and optional sleep)
 * @priv: passed to @ops
 * @addr: codec address on the link
 *
 * Sends get verbs only, plus the vendor verb that makes Intel HDMI codecs
 * show all their pins.  Return: 0 or negative errno; g->why says what failed.
 */
int hda_graph_read(struct hda_graph *g, const struct hda_codec_ops *ops, void *priv,
		   unsigned int addr)
{
	memset(g, 0, sizeof(*g));
	g->ops = ops;
	g->priv = priv;
	g->addr = addr;
	g->vendor_id = graph_param(g, 0, AC_PAR_VENDOR_ID);
	if (g->error)
		return g->error;
	if (!g->vendor_id || g->vendor_id == 0xffffffff)
		return graph_fail(g, -ENODEV, "no vendor id");
	g->revision_id = graph_param(g, 0, AC_PAR_REV_ID);
	if (graph_find_afg(g))
		return g->error;
	hda_graph_get(g, g->afg, AC_VERB_GET_SUBSYSTEM_ID, 0, &g->subsystem_id);
	return graph_read_afg(g);
}
