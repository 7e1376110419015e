// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Paths through the widget graph: breadth-first search upstream from a sink
 * (an output pin, an ADC) along connection lists to a source (a DAC, an
 * input pin), and turning a path on: connection selects, amps at 0 dB,
 * the other inputs of its mixers muted.
 */
#include "hda-auto.h"
#include "hda-path.h"

static bool conn_has_type(const struct hda_auto *ac, const struct hda_widget *w, unsigned int type)
{
	int i;

	for (i = 0; i < w->n_conn; i++)
		if (hda_widget(&ac->g, w->conn[i]) && ac->g.w[w->conn[i]].type == type)
			return true;
	return false;
}

/*
 * Only mixers and selectors lie between a pin and a converter; never
 * another pin or converter.  A mixer fed by a pin is the analog loopback
 * (or a capture mixer): playback goes through it only when a pin has no
 * other way to a DAC (its pin inputs are then muted like any other input
 * off the path).  A mixer fed by a DAC would put the playback into the
 * capture.
 */
static bool may_pass(const struct hda_auto *ac, const struct hda_widget *w, enum hda_search how)
{
	switch (w->type) {
	case AC_WID_AUD_SEL:
		return true;
	case AC_WID_AUD_MIX:
		if (how == HDA_SEARCH_CAPTURE)
			return !conn_has_type(ac, w, AC_WID_AUD_OUT);
		return how == HDA_SEARCH_PLAYBACK_ANY_MIXER || !conn_has_type(ac, w, AC_WID_PIN);
	default:
		return false;
	}
}

/* A widget that takes one input at a time: its select is shared state. */
static bool is_selector(const struct hda_widget *w)
{
	return w->type != AC_WID_AUD_MIX && w->n_conn > 1;
}

/* The inputs of @u the search may take: a selector claimed by a live path only one. */
static bool may_take(const struct hda_auto *ac, const struct hda_widget *u, int i)
{
	unsigned int claim = ac->sel_claim[u->nid];

	return !claim || !is_selector(u) || claim - 1 == (unsigned int)i;
}

static void path_build(struct hda_path *path, const __u8 *parent, const __u8 *pidx,
		       unsigned int len, unsigned int src, unsigned int src_parent, unsigned int src_idx)
{
	unsigned int k = len - 1, nid = src_parent;

	path->n = len;
	path->nid[k] = src;
	path->idx[k] = 0;
	path->idx[k - 1] = src_idx;
	while (k-- > 0) {
		path->nid[k] = nid;
		if (k > 0)
			path->idx[k - 1] = pidx[nid];
		nid = parent[nid];
	}
}

/**
 * hda_path_search - shortest path upstream from @sink to a widget @want accepts
 * Return: true with @path filled, false when there is none within HDA_MAX_PATH.
 * Each widget is visited once, so connection loops end the search.
 */
bool hda_path_search(const struct hda_auto *ac, unsigned int sink, enum hda_search how,
		     hda_want_fn want, unsigned int arg, struct hda_path *path)
{
	__u8 parent[HDA_MAX_NODES], pidx[HDA_MAX_NODES], depth[HDA_MAX_NODES];
	__u8 queue[HDA_MAX_NODES];
	bool seen[HDA_MAX_NODES] = { false };
	unsigned int head = 0, tail = 0;
	int i;

	parent[sink] = 0;
	seen[sink] = true;
	depth[sink] = 1;
	queue[tail++] = sink;
	while (head < tail) {
		const struct hda_widget *u = &ac->g.w[queue[head++]];

		if (depth[u->nid] >= HDA_MAX_PATH)
			continue;
		for (i = 0; i < u->n_conn; i++) {
			const struct hda_widget *v = &ac->g.w[u->conn[i]];

			if (!v->nid || seen[v->nid] || !may_take(ac, u, i))
				continue;
			if (want(ac, v->nid, arg)) {
				path_build(path, parent, pidx, depth[u->nid] + 1, v->nid, u->nid, i);
				return true;
			}
			if (!may_pass(ac, v, how))
				continue;
			seen[v->nid] = true;
			parent[v->nid] = u->nid;
			pidx[v->nid] = i;
			depth[v->nid] = depth[u->nid] + 1;
			queue[tail++] = v->nid;
		}
	}
	return false;
}

/* ---- amps ---------------------------------------------------------------- */

void hda_amp_write(struct hda_auto *ac, const struct hda_amp *amp, unsigned int chs,
		   bool mute, unsigned int gain)
{
	unsigned int parm = (amp->input ? AC_AMP_SET_INPUT : AC_AMP_SET_OUTPUT) | chs |
			    (amp->idx << AC_AMP_SET_INDEX_SHIFT) | (gain & AC_AMP_GAIN);

	/* An amp that cannot mute ignores the bit; leave it clear. */
	if (mute && (amp->caps & AC_AMPCAP_MUTE))
		parm |= AC_AMP_MUTE;
	hda_graph_set(&ac->g, amp->nid, AC_VERB_SET_AMP_GAIN_MUTE, parm);
}

/* 0 dB is the caps' offset step (clamped to the range for odd caps). */
unsigned int hda_amp_0db(__u32 caps)
{
	unsigned int offset = AC_AMPCAP_OFFSET(caps), steps = AC_AMPCAP_NUM_STEPS(caps);

	return offset > steps ? steps : offset;
}

static void amp_set(struct hda_auto *ac, unsigned int nid, bool input, unsigned int idx, bool on)
{
	const struct hda_widget *w = &ac->g.w[nid];
	struct hda_amp amp = {
		.nid = nid, .input = input, .idx = idx,
		.caps = input ? w->amp_in_caps : w->amp_out_caps,
	};

	hda_amp_write(ac, &amp, AC_AMP_SET_LEFT | AC_AMP_SET_RIGHT, !on,
		      on ? hda_amp_0db(amp.caps) : 0);
}

/* ---- activation ---------------------------------------------------------- */

/* Is input @idx of mixer @nid on another live path than @self? */
static bool mixer_input_in_use(const struct hda_auto *ac, const struct hda_path *self,
			       unsigned int nid, unsigned int idx)
{
	const struct hda_path *p;
	unsigned int o;
	int k;

	for (o = 0; o <= ac->n_out; o++) {
		p = o < ac->n_out ? &ac->out[o].path : &ac->cap_path;
		if (p == self || !p->n)
			continue;
		for (k = 0; k + 1 < p->n; k++)
			if (p->nid[k] == nid && p->idx[k] == idx)
				return true;
	}
	return false;
}

static void mixer_route(struct hda_auto *ac, const struct hda_path *path, unsigned int k)
{
	const struct hda_widget *w = &ac->g.w[path->nid[k]];
	int i;

	for (i = 0; i < w->n_conn; i++)
		if (i == path->idx[k] || !mixer_input_in_use(ac, path, w->nid, i))
			amp_set(ac, w->nid, true, i, i == path->idx[k]);
}

/* Node @k of @path lets the signal from its input idx[k] through. */
static void path_open_node(struct hda_auto *ac, struct hda_path *path, unsigned int k)
{
	const struct hda_widget *w = &ac->g.w[path->nid[k]];
	bool source = k + 1 == path->n;

	if (!source && is_selector(w)) {
		hda_graph_set(&ac->g, w->nid, AC_VERB_SET_CONNECT_SEL, path->idx[k]);
		ac->sel_claim[w->nid] = path->idx[k] + 1;
	}
	if (w->wcaps & AC_WCAP_IN_AMP) {
		if (w->type == AC_WID_PIN) {
			if (source)	/* an input pin's boost */
				amp_set(ac, w->nid, true, 0, true);
		} else if (w->type == AC_WID_AUD_MIX && !source) {
			mixer_route(ac, path, k);
		} else if (!source) {
			amp_set(ac, w->nid, true, path->idx[k], true);
		}
	}
	if (w->wcaps & AC_WCAP_OUT_AMP)
		amp_set(ac, w->nid, false, 0, true);
}

/**
 * hda_path_activate - route a path: selects set, amps on it unmuted at 0 dB,
 *	the other inputs of its mixers muted unless another path uses them
 */
void hda_path_activate(struct hda_auto *ac, struct hda_path *path)
{
	unsigned int k;

	for (k = 0; k < path->n; k++)
		path_open_node(ac, path, k);
}

/*
 * Undo what hda_path_activate() did that could leak into another route:
 * mixer inputs of @path no other path uses are muted, selector claims
 * dropped.  Selects and out amps stay (harmless, and may be shared).
 */
void hda_path_deactivate(struct hda_auto *ac, struct hda_path *path)
{
	const struct hda_widget *w;
	unsigned int k;

	for (k = 0; k + 1 < path->n; k++) {
		w = &ac->g.w[path->nid[k]];
		if (is_selector(w))
			ac->sel_claim[w->nid] = 0;
		if (w->type == AC_WID_AUD_MIX && (w->wcaps & AC_WCAP_IN_AMP) &&
		    !mixer_input_in_use(ac, path, w->nid, path->idx[k]))
			amp_set(ac, w->nid, true, path->idx[k], false);
	}
}

/* Is mixer @nid on any live path? */
static bool on_any_path(const struct hda_auto *ac, unsigned int nid)
{
	const struct hda_path *p;
	unsigned int o;
	int k;

	for (o = 0; o <= ac->n_out; o++) {
		p = o < ac->n_out ? &ac->out[o].path : &ac->cap_path;
		for (k = 0; k < p->n; k++)
			if (p->nid[k] == nid)
				return true;
	}
	return false;
}

/*
 * Mixers no path uses (the analog loopback among them) get every input
 * muted: after a warm start they may still mix inputs into an output.
 */
void hda_path_mute_unused_mixers(struct hda_auto *ac)
{
	unsigned int nid;
	int i;

	for (nid = ac->g.start_nid; nid < ac->g.end_nid; nid++) {
		const struct hda_widget *w = &ac->g.w[nid];

		if (w->type != AC_WID_AUD_MIX || !(w->wcaps & AC_WCAP_IN_AMP) || on_any_path(ac, nid))
			continue;
		for (i = 0; i < w->n_conn; i++)
			amp_set(ac, nid, true, i, false);
	}
}

/* ---- the amps a control acts on ------------------------------------------ */

static bool amp_at(const struct hda_auto *ac, const struct hda_path *path, unsigned int k,
		   bool input, __u32 need, struct hda_amp *amp)
{
	const struct hda_widget *w = &ac->g.w[path->nid[k]];
	bool source = k + 1 == path->n;
	__u32 caps;

	if (input) {
		if (!(w->wcaps & AC_WCAP_IN_AMP) || (w->type == AC_WID_PIN) != source)
			return false;
		caps = w->amp_in_caps;
	} else {
		if (!(w->wcaps & AC_WCAP_OUT_AMP))
			return false;
		caps = w->amp_out_caps;
	}
	if (need == AC_AMPCAP_MUTE ? !(caps & AC_AMPCAP_MUTE) : !AC_AMPCAP_NUM_STEPS(caps))
		return false;
	amp->nid = w->nid;
	amp->input = input;
	amp->idx = input && !source ? path->idx[k] : 0;
	amp->caps = caps;
	return true;
}

/*
 * The amp a volume (@need 0) or switch (@need AC_AMPCAP_MUTE) control
 * acts on.  Playback volume: the one nearest the DAC; playback switch: the
 * one nearest the pin.  Capture: both nearest the ADC, the pin's boost
 * last.  As Linux's generic parser picks its Master/Capture amps.
 */
bool hda_path_pick_amp(const struct hda_auto *ac, const struct hda_path *path, bool capture,
		       __u32 need, struct hda_amp *amp)
{
	bool from_sink = capture || need == AC_AMPCAP_MUTE;
	unsigned int i, k;

	memset(amp, 0, sizeof(*amp));
	for (i = 0; i < path->n; i++) {
		k = from_sink ? i : path->n - 1 - i;
		if (amp_at(ac, path, k, false, need, amp) || amp_at(ac, path, k, true, need, amp))
			return true;
	}
	return false;
}
