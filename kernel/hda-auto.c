// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The generic codec parser: classify pins from their default configuration,
 * give every output pin a path to a DAC and the capture a path from an ADC
 * to the chosen input, power and route it all, then follow the jacks.
 *
 * Outputs are played from one stream: every DAC in use gets the same stream
 * tag and format (as Linux's multi-out "analog" PCM does), so each output
 * may have its own DAC or share the primary's.
 */
#include "hda-auto.h"
#include "hda-path.h"
#include "hda-quirks.h"

#define VENDOR_REALTEK		0x10ec
#define VENDOR_QEMU		0x1af4
#define REALTEK_CHECKSUM_PIN	0x1d	/* holds a BIOS checksum, not a jack */
#define PIN_OUT			AC_PINCTL_OUT_EN
#define PIN_HP			(AC_PINCTL_OUT_EN | AC_PINCTL_HP_EN)
#define PIN_IN			AC_PINCTL_IN_EN
#define POWER_WAIT_MS		1
#define POWER_WAIT_TRIES	100

static unsigned int vendor(const struct hda_auto *ac)
{
	return ac->g.vendor_id >> 16;
}

/* ---- pin classification -------------------------------------------------- */

static bool pin_is_digital(const struct hda_widget *w)
{
	unsigned int dev = AC_DEFCFG_DEVICE(w->defcfg);

	return (w->wcaps & AC_WCAP_DIGITAL) || (w->pincap & (AC_PINCAP_HDMI | AC_PINCAP_DP)) ||
	       dev == AC_JACK_SPDIF_OUT || dev == AC_JACK_DIG_OTHER_OUT ||
	       dev == AC_JACK_SPDIF_IN || dev == AC_JACK_DIG_OTHER_IN;
}

static bool pin_is_jack(const struct hda_widget *w)
{
	return (w->pincap & AC_PINCAP_PRES_DETECT) && !(w->defcfg & AC_DEFCFG_MISC_NO_PRESENCE);
}

static void add_digital(struct hda_auto *ac, const struct hda_widget *w)
{
	struct hda_digital *d;

	if (ac->n_dig >= HDA_MAX_DIGITAL || !(w->pincap & AC_PINCAP_OUT))
		return;
	d = &ac->dig[ac->n_dig++];
	d->pin = w->nid;
	d->hdmi = w->pincap & AC_PINCAP_HDMI;
	d->dp = w->pincap & AC_PINCAP_DP;
	d->n_conn = w->n_conn;
}

static void add_output(struct hda_auto *ac, const struct hda_widget *w, unsigned int type)
{
	struct hda_out *o;

	if (ac->n_out >= HDA_MAX_OUTS || !(w->pincap & AC_PINCAP_OUT))
		return;
	o = &ac->out[ac->n_out++];
	o->pin = w->nid;
	o->type = type;
	o->seq = AC_DEFCFG_ASSOC(w->defcfg) << 4 | AC_DEFCFG_SEQUENCE(w->defcfg);
	o->jack = pin_is_jack(w) && AC_DEFCFG_PORT_CONN(w->defcfg) != AC_JACK_PORT_FIXED;
}

/* Where a pin is (enum hda_in_place): fixed and internal pins have no jack. */
unsigned int hda_auto_place(__u32 defcfg)
{
	unsigned int loc = AC_DEFCFG_LOCATION(defcfg);

	if (AC_DEFCFG_PORT_CONN(defcfg) == AC_JACK_PORT_FIXED ||
	    AC_JACK_LOC_GROSS(loc) == AC_JACK_LOC_INTERNAL)
		return HDA_IN_INTERNAL;
	if (AC_JACK_LOC_GROSS(loc) == AC_JACK_LOC_SEPARATE)
		return HDA_IN_DOCK;
	if (loc == AC_JACK_LOC_REAR)
		return HDA_IN_REAR;
	if (loc == AC_JACK_LOC_FRONT)
		return HDA_IN_FRONT;
	return HDA_IN_NORMAL;
}

static void add_input(struct hda_auto *ac, const struct hda_widget *w, unsigned int type)
{
	struct hda_in *in;

	if (ac->n_in >= HDA_MAX_INS || !(w->pincap & AC_PINCAP_IN))
		return;
	in = &ac->in[ac->n_in++];
	in->pin = w->nid;
	in->type = type;
	in->place = hda_auto_place(w->defcfg);
	in->jack = pin_is_jack(w) && in->place != HDA_IN_INTERNAL;
}

static void classify_pin(struct hda_auto *ac, const struct hda_widget *w)
{
	if (AC_DEFCFG_PORT_CONN(w->defcfg) == AC_JACK_PORT_NONE)
		return;
	if (vendor(ac) == VENDOR_REALTEK && w->nid == REALTEK_CHECKSUM_PIN)
		return;
	if (pin_is_digital(w)) {
		add_digital(ac, w);
		return;
	}
	switch (AC_DEFCFG_DEVICE(w->defcfg)) {
	case AC_JACK_LINE_OUT:
		add_output(ac, w, HDA_OUT_LINE);
		break;
	case AC_JACK_SPEAKER:
		add_output(ac, w, HDA_OUT_SPEAKER);
		break;
	case AC_JACK_HP_OUT:
		add_output(ac, w, HDA_OUT_HP);
		break;
	case AC_JACK_MIC_IN:
		add_input(ac, w, HDA_IN_MIC);
		break;
	case AC_JACK_LINE_IN:
		add_input(ac, w, HDA_IN_LINE);
		break;
	case AC_JACK_AUX:
		add_input(ac, w, HDA_IN_AUX);
		break;
	case AC_JACK_CD:
		add_input(ac, w, HDA_IN_CD);
		break;
	}
}

/* Outputs by type (line, speaker, headphone), then association and sequence. */
static bool out_before(const struct hda_out *a, const struct hda_out *b)
{
	return a->type != b->type ? a->type < b->type : a->seq < b->seq;
}

static void sort_outputs(struct hda_auto *ac)
{
	unsigned int i, j;
	struct hda_out t;

	for (i = 1; i < ac->n_out; i++)
		for (j = i; j > 0 && out_before(&ac->out[j], &ac->out[j - 1]); j--) {
			t = ac->out[j];
			ac->out[j] = ac->out[j - 1];
			ac->out[j - 1] = t;
		}
}

/* Inputs by type (mic, line, aux, CD), keeping NID order within a type. */
static void sort_inputs(struct hda_auto *ac)
{
	unsigned int i, j;
	struct hda_in t;

	for (i = 1; i < ac->n_in; i++)
		for (j = i; j > 0 && ac->in[j].type < ac->in[j - 1].type; j--) {
			t = ac->in[j];
			ac->in[j] = ac->in[j - 1];
			ac->in[j - 1] = t;
		}
}

static void classify_pins(struct hda_auto *ac)
{
	unsigned int nid;

	for (nid = ac->g.start_nid; nid < ac->g.end_nid; nid++)
		if (ac->g.w[nid].type == AC_WID_PIN)
			classify_pin(ac, &ac->g.w[nid]);
	for (nid = ac->g.start_nid; nid < ac->g.end_nid; nid++)
		if (ac->g.w[nid].type == AC_WID_AUD_OUT && (ac->g.w[nid].wcaps & AC_WCAP_DIGITAL))
			ac->n_digital_cvt++;
	sort_outputs(ac);
	sort_inputs(ac);
}

/* ---- power --------------------------------------------------------------- */

/* D0 for the function group (waiting until it is there) and every widget. */
static void power_up(struct hda_auto *ac)
{
	struct hda_graph *g = &ac->g;
	unsigned int nid, tries;
	__u32 st;

	hda_graph_set(g, g->afg, AC_VERB_SET_POWER_STATE, AC_PWRST_D0);
	for (tries = 0; tries < POWER_WAIT_TRIES && !g->error; tries++) {
		hda_graph_get(g, g->afg, AC_VERB_GET_POWER_STATE, 0, &st);
		if (((st >> AC_PWRST_ACTUAL_SHIFT) & AC_PWRST_SETTING) == AC_PWRST_D0)
			break;
		hda_graph_sleep(g, POWER_WAIT_MS);
	}
	for (nid = g->start_nid; nid < g->end_nid; nid++)
		if (g->w[nid].wcaps & AC_WCAP_POWER)
			hda_graph_set(g, nid, AC_VERB_SET_POWER_STATE, AC_PWRST_D0);
}

/* ---- outputs ------------------------------------------------------------- */

static bool is_analog_dac(const struct hda_auto *ac, unsigned int nid)
{
	const struct hda_widget *w = &ac->g.w[nid];

	return w->nid && w->type == AC_WID_AUD_OUT && !(w->wcaps & AC_WCAP_DIGITAL);
}

static bool dac_in_use(const struct hda_auto *ac, unsigned int nid)
{
	unsigned int i;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].dac == nid)
			return true;
	return false;
}

static bool want_free_dac(const struct hda_auto *ac, unsigned int nid, unsigned int arg)
{
	return is_analog_dac(ac, nid) && !dac_in_use(ac, nid);
}

static bool want_this(const struct hda_auto *ac, unsigned int nid, unsigned int arg)
{
	return nid == arg;
}

static bool want_any_dac(const struct hda_auto *ac, unsigned int nid, unsigned int arg)
{
	return is_analog_dac(ac, nid);
}

static bool find_dac(struct hda_auto *ac, struct hda_out *o, unsigned int primary_dac,
		     enum hda_search how)
{
	if (hda_path_search(ac, o->pin, how, want_free_dac, 0, &o->path))
		return true;
	if (primary_dac && hda_path_search(ac, o->pin, how, want_this, primary_dac, &o->path))
		return true;
	return hda_path_search(ac, o->pin, how, want_any_dac, 0, &o->path);
}

/*
 * A DAC of its own where one is free, else the primary's, else any; through
 * a mixer fed by pins only when there is no other way.
 */
static bool find_out_path(struct hda_auto *ac, struct hda_out *o, unsigned int primary_dac)
{
	return find_dac(ac, o, primary_dac, HDA_SEARCH_PLAYBACK) ||
	       find_dac(ac, o, primary_dac, HDA_SEARCH_PLAYBACK_ANY_MIXER);
}

static void assign_outputs(struct hda_auto *ac)
{
	unsigned int i, primary_dac = 0;
	struct hda_out *o;

	for (i = 0; i < ac->n_out; i++) {
		o = &ac->out[i];
		if (!find_out_path(ac, o, primary_dac)) {
			o->path.n = 0;
			continue;
		}
		o->dac = o->path.nid[o->path.n - 1];
		if (!primary_dac)
			primary_dac = o->dac;
		/* Claim its selectors now, so later paths route around them. */
		hda_path_activate(ac, &o->path);
		hda_path_pick_amp(ac, &o->path, false, 0, &o->vol);
		hda_path_pick_amp(ac, &o->path, false, AC_AMPCAP_MUTE, &o->mute);
	}
}

static unsigned int out_pinctl(const struct hda_auto *ac, const struct hda_out *o)
{
	const struct hda_widget *w = &ac->g.w[o->pin];

	if (o->type == HDA_OUT_HP && (w->pincap & AC_PINCAP_HP_DRV))
		return PIN_HP;
	return PIN_OUT;
}

/* Pin control and EAPD of one output: on, or off while a headphone is in. */
static void out_enable(struct hda_auto *ac, const struct hda_out *o, bool on)
{
	const struct hda_widget *w = &ac->g.w[o->pin];

	hda_graph_set(&ac->g, o->pin, AC_VERB_SET_PIN_WIDGET_CONTROL, on ? out_pinctl(ac, o) : 0);
	if (w->pincap & AC_PINCAP_EAPD)
		hda_graph_set(&ac->g, o->pin, AC_VERB_SET_EAPD_BTLENABLE, on ? AC_EAPDBTL_EAPD : 0);
}

static bool out_automuted(const struct hda_auto *ac, const struct hda_out *o)
{
	return ac->hp_present && o->type != HDA_OUT_HP;
}

static void enable_outputs(struct hda_auto *ac)
{
	unsigned int i;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].path.n)
			out_enable(ac, &ac->out[i], !out_automuted(ac, &ac->out[i]));
}

/* ---- inputs -------------------------------------------------------------- */

/* The mic bias Linux picks by default: 80%, else 50%, 100%, ground. */
static unsigned int mic_vref(__u32 pincap)
{
	if (pincap & AC_PINCAP_VREF_80)
		return AC_PINCTL_VREF_80;
	if (pincap & AC_PINCAP_VREF_50)
		return AC_PINCTL_VREF_50;
	if (pincap & AC_PINCAP_VREF_100)
		return AC_PINCTL_VREF_100;
	if (pincap & AC_PINCAP_VREF_GRD)
		return AC_PINCTL_VREF_GRD;
	return AC_PINCTL_VREF_HIZ;
}

static void enable_inputs(struct hda_auto *ac)
{
	unsigned int i, ctl;

	for (i = 0; i < ac->n_in; i++) {
		ctl = PIN_IN;
		if (ac->in[i].type == HDA_IN_MIC)
			ctl |= mic_vref(ac->g.w[ac->in[i].pin].pincap);
		hda_graph_set(&ac->g, ac->in[i].pin, AC_VERB_SET_PIN_WIDGET_CONTROL, ctl);
	}
}

static bool is_analog_adc(const struct hda_auto *ac, unsigned int nid)
{
	const struct hda_widget *w = &ac->g.w[nid];

	return w->nid && w->type == AC_WID_AUD_IN && !(w->wcaps & AC_WCAP_DIGITAL);
}

static bool cap_reach(const struct hda_auto *ac, unsigned int adc, unsigned int pin,
		      struct hda_path *path)
{
	return hda_path_search(ac, adc, HDA_SEARCH_CAPTURE, want_this, pin, path);
}

/* The ADC that reaches the most inputs: the capture source can then change
 * by its selector alone. */
static void choose_adc(struct hda_auto *ac)
{
	unsigned int nid, i, n, best = 0;
	struct hda_path p;

	for (nid = ac->g.start_nid; nid < ac->g.end_nid; nid++) {
		if (!is_analog_adc(ac, nid))
			continue;
		for (i = 0, n = 0; i < ac->n_in; i++)
			n += cap_reach(ac, nid, ac->in[i].pin, &p);
		if (n > best) {
			best = n;
			ac->adc = nid;
		}
	}
}

/*
 * The capture source: the external mic plugged last, else the internal
 * mic, else the first input (as Linux's auto-mic does, plus desktops).
 */
static int pick_input(const struct hda_auto *ac)
{
	unsigned int i, seq = 0;
	int best = -1;

	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].type == HDA_IN_MIC && ac->in[i].jack && ac->in[i].plug_seq > seq) {
			seq = ac->in[i].plug_seq;
			best = i;
		}
	if (best >= 0)
		return best;
	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].type == HDA_IN_MIC && ac->in[i].place == HDA_IN_INTERNAL)
			return i;
	return ac->n_in ? 0 : -1;
}

static void conv_stream(struct hda_auto *ac, unsigned int nid, const struct hda_stream_state *st)
{
	struct hda_graph *g = &ac->g;

	if (!st->tag) {
		hda_graph_set(g, nid, AC_VERB_SET_CHANNEL_STREAMID, 0);
		return;
	}
	if (ac->format_first)
		hda_graph_set(g, nid, AC_VERB_SET_STREAM_FORMAT, st->format);
	hda_graph_set(g, nid, AC_VERB_SET_CHANNEL_STREAMID, st->tag << 4);
	if (!ac->format_first)
		hda_graph_set(g, nid, AC_VERB_SET_STREAM_FORMAT, st->format);
}

/* Move a running capture stream to another ADC. */
static void move_capture(struct hda_auto *ac, unsigned int adc)
{
	static const struct hda_stream_state off;

	if (ac->stream[1].tag && ac->adc)
		conv_stream(ac, ac->adc, &off);
	ac->adc = adc;
	if (ac->stream[1].tag)
		conv_stream(ac, adc, &ac->stream[1]);
}

/*
 * Record from input @in (index in ac->in): keep the ADC when it reaches
 * @in, else move the stream to one that does.
 */
static int capture_select(struct hda_auto *ac, int in)
{
	struct hda_path old = ac->cap_path, p;
	unsigned int nid, pin;

	if (in < 0 || (unsigned int)in >= ac->n_in)
		return -EINVAL;
	pin = ac->in[in].pin;
	if (in == ac->cur_in && ac->cap_path.n)
		return 0;
	ac->cap_path.n = 0;	/* its selects are no claim on the new search */
	hda_path_deactivate(ac, &old);
	if (!ac->adc || !cap_reach(ac, ac->adc, pin, &p)) {
		for (nid = ac->g.start_nid; nid < ac->g.end_nid; nid++)
			if (is_analog_adc(ac, nid) && cap_reach(ac, nid, pin, &p))
				break;
		if (nid >= ac->g.end_nid) {
			ac->cap_path = old;
			hda_path_activate(ac, &ac->cap_path);
			return -ENOENT;
		}
		move_capture(ac, nid);
	}
	ac->cap_path = p;
	ac->cur_in = in;
	hda_path_activate(ac, &ac->cap_path);
	hda_path_pick_amp(ac, &ac->cap_path, true, 0, &ac->cap_vol);
	hda_path_pick_amp(ac, &ac->cap_path, true, AC_AMPCAP_MUTE, &ac->cap_mute);
	return ac->g.error;
}

/**
 * hda_auto_set_capture_source - record from input @in (index in ac->in),
 *	as a capture source control does
 * Return: 0, -EINVAL, -ENOENT when no ADC reaches the input, or a verb error.
 */
int hda_auto_set_capture_source(struct hda_auto *ac, int in)
{
	hda_graph_clear_error(&ac->g);
	return capture_select(ac, in);
}

/* ---- jacks --------------------------------------------------------------- */

static bool pin_present(struct hda_auto *ac, unsigned int pin)
{
	__u32 sense;

	/* Some codecs measure only on request. */
	if (ac->g.w[pin].pincap & AC_PINCAP_TRIG_REQ)
		hda_graph_set(&ac->g, pin, AC_VERB_SET_PIN_SENSE, 0);
	hda_graph_get(&ac->g, pin, AC_VERB_GET_PIN_SENSE, 0, &sense);
	return sense & AC_PINSENSE_PRESENCE;
}

static void enable_unsol(struct hda_auto *ac, unsigned int pin, __u8 *tag, unsigned int *next)
{
	if (!(ac->g.w[pin].wcaps & AC_WCAP_UNSOL_CAP) || *next > AC_UNSOL_TAG)
		return;
	*tag = (*next)++;
	hda_graph_set(&ac->g, pin, AC_VERB_SET_UNSOLICITED_ENABLE, AC_UNSOL_ENABLED | *tag);
}

/* Unsolicited responses from headphone and mic jacks, tags 1, 2, ... */
static void enable_jacks(struct hda_auto *ac)
{
	unsigned int i, next = 1;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].jack && ac->out[i].type == HDA_OUT_HP && ac->out[i].path.n)
			enable_unsol(ac, ac->out[i].pin, &ac->out[i].unsol_tag, &next);
	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].jack && ac->in[i].type == HDA_IN_MIC)
			enable_unsol(ac, ac->in[i].pin, &ac->in[i].unsol_tag, &next);
}

/* Re-read the outputs' jacks; counts presence changes for user space. */
static void sense_outputs(struct hda_auto *ac)
{
	unsigned int i;
	bool now;

	ac->hp_present = false;
	for (i = 0; i < ac->n_out; i++) {
		if (!ac->out[i].jack)
			continue;
		now = pin_present(ac, ac->out[i].pin);
		ac->jack_changes += now != ac->out[i].present;
		ac->out[i].present = now;
		if (ac->out[i].type == HDA_OUT_HP && ac->out[i].path.n && now)
			ac->hp_present = true;
	}
}

/* Re-read the inputs' jacks; true when one of them changed. */
static bool sense_inputs(struct hda_auto *ac)
{
	unsigned int i;
	bool now, changed = false;

	for (i = 0; i < ac->n_in; i++) {
		if (!ac->in[i].jack)
			continue;
		now = pin_present(ac, ac->in[i].pin);
		if (now && !ac->in[i].present)
			ac->in[i].plug_seq = ++ac->plug_count;
		else if (!now)
			ac->in[i].plug_seq = 0;
		changed |= now != ac->in[i].present;
		ac->in[i].present = now;
	}
	ac->jack_changes += changed;
	return changed;
}

static void sense_jacks(struct hda_auto *ac)
{
	sense_outputs(ac);
	sense_inputs(ac);
}

/*
 * Re-read every jack, then auto-mute the speakers and auto-select the mic.
 * The capture source is re-picked only when an input jack changed, so a
 * source chosen by hand (hda_auto_set_capture_source()) holds until the next
 * mic plug or unplug, which auto-mic then decides as at probe.
 */
static int jacks_update(struct hda_auto *ac)
{
	bool was_muted = ac->hp_present, inputs_changed;
	int in;

	sense_outputs(ac);
	inputs_changed = sense_inputs(ac);
	if (ac->hp_present != was_muted)
		enable_outputs(ac);
	if (!inputs_changed && ac->cur_in >= 0)
		return ac->g.error;
	in = pick_input(ac);
	if (in >= 0 && in != ac->cur_in)
		capture_select(ac, in);
	return ac->g.error;
}

/**
 * hda_auto_unsol - react to an unsolicited response from the codec
 * Return: 0, -ENOENT for a tag this parser did not give, or a verb error.
 */
int hda_auto_unsol(struct hda_auto *ac, __u32 res)
{
	unsigned int tag = (res >> AC_UNSOL_RES_TAG_SHIFT) & AC_UNSOL_TAG, i;

	hda_graph_clear_error(&ac->g);
	for (i = 0; i < ac->n_out; i++)
		if (tag && ac->out[i].unsol_tag == tag)
			return jacks_update(ac);
	for (i = 0; i < ac->n_in; i++)
		if (tag && ac->in[i].unsol_tag == tag)
			return jacks_update(ac);
	return -ENOENT;
}

/**
 * hda_auto_jack_poll - re-read the jacks, for a link without unsolicited
 *	responses (or codecs that cannot send them)
 */
int hda_auto_jack_poll(struct hda_auto *ac)
{
	hda_graph_clear_error(&ac->g);
	return jacks_update(ac);
}

/* ---- probe --------------------------------------------------------------- */

/* Which inputs some ADC reaches: those a capture source control lists. */
static void mark_routed_inputs(struct hda_auto *ac)
{
	unsigned int i, nid;
	struct hda_path p;

	for (i = 0; i < ac->n_in; i++)
		for (nid = ac->g.start_nid; nid < ac->g.end_nid && !ac->in[i].routed; nid++)
			ac->in[i].routed = is_analog_adc(ac, nid) &&
					   cap_reach(ac, nid, ac->in[i].pin, &p);
}

static void setup_capture(struct hda_auto *ac)
{
	int in;

	choose_adc(ac);
	mark_routed_inputs(ac);
	in = pick_input(ac);
	if (in >= 0 && ac->adc)
		capture_select(ac, in);
}

/**
 * hda_auto_probe - read, classify, route and power the codec at @addr
 * @ac: parser state, filled in
 * @ops: verb execution, see struct hda_codec_ops
 * @priv: passed to @ops
 * @addr: codec address on the link
 *
 * Afterwards every output with a path plays whatever stream
 * hda_auto_stream_setup() puts on the DACs, and the capture source is set.
 * A codec with only digital pins (HDMI) probes fine and streams nothing.
 * Context: may sleep (through @ops).
 * Return: 0 or negative errno, with ac->g.why saying what failed.
 */
int hda_auto_probe(struct hda_auto *ac, const struct hda_codec_ops *ops, void *priv,
		   unsigned int addr)
{
	int err;

	memset(ac, 0, sizeof(*ac));
	ac->cur_in = -1;
	err = hda_graph_read(&ac->g, ops, priv, addr);
	if (err)
		return err;
	ac->format_first = vendor(ac) == VENDOR_QEMU;
	ac->quirk = hda_quirks_apply(&ac->g);
	classify_pins(ac);
	if (!ac->n_out && !ac->n_in && !ac->n_dig) {
		ac->g.why = "no usable pin";
		return ac->g.error = -ENODEV;
	}
	power_up(ac);
	assign_outputs(ac);
	enable_inputs(ac);
	enable_jacks(ac);
	sense_jacks(ac);
	enable_outputs(ac);
	setup_capture(ac);
	hda_path_mute_unused_mixers(ac);
	return ac->g.error;
}

bool hda_auto_has_analog(const struct hda_auto *ac)
{
	unsigned int i;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].path.n)
			return true;
	return ac->adc && ac->cap_path.n;
}

/* ---- streams ------------------------------------------------------------- */

static bool first_use_of_dac(const struct hda_auto *ac, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (ac->out[j].dac == ac->out[i].dac)
			return false;
	return ac->out[i].dac;
}

static void streams_apply(struct hda_auto *ac, bool capture)
{
	unsigned int i;

	if (capture) {
		if (ac->adc)
			conv_stream(ac, ac->adc, &ac->stream[1]);
		return;
	}
	for (i = 0; i < ac->n_out; i++)
		if (first_use_of_dac(ac, i))
			conv_stream(ac, ac->out[i].dac, &ac->stream[0]);
}

/**
 * hda_auto_stream_setup - put a stream on the converters: every DAC in use
 *	(playback) or the capture ADC, with stream tag @tag and @format
 * Return: 0, -ENODEV without a converter for that direction, or a verb error.
 */
int hda_auto_stream_setup(struct hda_auto *ac, bool capture, unsigned int tag, __u16 format)
{
	hda_graph_clear_error(&ac->g);
	if (capture ? !ac->adc : !hda_auto_pcm_caps(ac, false))
		return -ENODEV;
	if (!tag || tag > 15)
		return -EINVAL;
	ac->stream[capture].tag = tag;
	ac->stream[capture].format = format;
	streams_apply(ac, capture);
	return ac->g.error;
}

void hda_auto_stream_cleanup(struct hda_auto *ac, bool capture)
{
	hda_graph_clear_error(&ac->g);
	ac->stream[capture].tag = 0;
	streams_apply(ac, capture);
}

/* PCM caps every converter in use shares (AC_PAR_PCM rate and size bits). */
__u32 hda_auto_pcm_caps(const struct hda_auto *ac, bool capture)
{
	__u32 caps = ~0u;
	unsigned int i;

	if (capture)
		return ac->adc ? ac->g.w[ac->adc].pcm : 0;
	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].dac)
			caps &= ac->g.w[ac->out[i].dac].pcm;
	return caps == ~0u ? 0 : caps;
}

static const unsigned int hda_rates[] = {
	8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000,
};

/* Stream format register encoding of each rate: base, multiplier, divisor. */
static const __u16 hda_rate_bits[] = {
	0x0500, 0x4300, 0x0200, 0x4100, 0x0a00, 0x4000, 0x0000, 0x4800, 0x0800, 0x5800,
	0x1800,
};

/*
 * Sample size field for a container: a 32-bit container carries as many
 * bits as the codec has (32, else 24, else 20), as snd_hdac_stream_format_bits
 * does; the rest of the container is padding the codec ignores.
 */
static unsigned int format_size_bits(__u32 caps, unsigned int container_bits)
{
	if (container_bits == 16)
		return caps & AC_SUPPCM_BITS_16 ? 1 : 0;
	if (container_bits != 32)
		return 0;
	if (caps & AC_SUPPCM_BITS_32)
		return 4;
	if (caps & AC_SUPPCM_BITS_24)
		return 3;
	if (caps & AC_SUPPCM_BITS_20)
		return 2;
	return 0;
}

/**
 * hda_auto_format - the stream format register value for a PCM format
 * @container_bits: 16 (S16_LE) or 32 (S32_LE)
 * Return: the value, or 0 when the converters cannot take it.
 */
__u16 hda_auto_format(const struct hda_auto *ac, bool capture, unsigned int rate,
		      unsigned int channels, unsigned int container_bits)
{
	__u32 caps = hda_auto_pcm_caps(ac, capture);
	unsigned int i, size = format_size_bits(caps, container_bits);

	if (!size || channels < 1 || channels > 16)
		return 0;
	for (i = 0; i < sizeof(hda_rates) / sizeof(hda_rates[0]); i++)
		if (hda_rates[i] == rate && (caps & (1u << i)))
			return hda_rate_bits[i] | size << 4 | (channels - 1);
	return 0;
}

/* ---- mixer --------------------------------------------------------------- */

static const struct hda_out *primary_out(const struct hda_auto *ac)
{
	unsigned int i;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].path.n)
			return &ac->out[i];
	return NULL;
}

/**
 * hda_auto_mixer_amp - the amp the playback or capture volume (@mute false)
 *	or switch (@mute true) acts on: on the primary output's path for
 *	playback, on the capture path for capture; NULL when there is none
 */
const struct hda_amp *hda_auto_mixer_amp(const struct hda_auto *ac, bool capture, bool mute)
{
	const struct hda_out *o = primary_out(ac);
	const struct hda_amp *amp;

	if (capture)
		amp = mute ? &ac->cap_mute : &ac->cap_vol;
	else
		amp = !o ? NULL : mute ? &o->mute : &o->vol;
	return amp && amp->nid ? amp : NULL;
}

static int amp_read(struct hda_auto *ac, const struct hda_amp *amp, unsigned int ch, __u32 *res)
{
	unsigned int parm = (amp->input ? 0 : AC_AMP_GET_OUTPUT) | (ch ? 0 : AC_AMP_GET_LEFT) |
			    amp->idx;

	return hda_graph_get(&ac->g, amp->nid, AC_VERB_GET_AMP_GAIN_MUTE, parm, res);
}

int hda_auto_mixer_get(struct hda_auto *ac, bool capture, unsigned int gain[2], bool mute[2])
{
	const struct hda_amp *vol = hda_auto_mixer_amp(ac, capture, false);
	const struct hda_amp *sw = hda_auto_mixer_amp(ac, capture, true);
	unsigned int ch;
	__u32 res;

	if (!vol && !sw)
		return -ENODEV;
	hda_graph_clear_error(&ac->g);
	for (ch = 0; ch < 2; ch++) {
		gain[ch] = 0;
		mute[ch] = false;
		if (vol && !amp_read(ac, vol, ch, &res))
			gain[ch] = res & AC_AMP_GAIN;
		if (sw && !amp_read(ac, sw, ch, &res))
			mute[ch] = res & AC_AMP_MUTE;
	}
	return ac->g.error;
}

static bool same_amp(const struct hda_amp *a, const struct hda_amp *b)
{
	return a->nid == b->nid && a->input == b->input && a->idx == b->idx;
}

/* One path's volume and switch amps, per channel. */
static void mixer_apply(struct hda_auto *ac, const struct hda_amp *vol, const struct hda_amp *sw,
			const unsigned int gain[2], const bool mute[2])
{
	unsigned int ch, g, max;

	for (ch = 0; ch < 2; ch++) {
		unsigned int chs = ch ? AC_AMP_SET_RIGHT : AC_AMP_SET_LEFT;
		bool m = mute[ch];

		if (vol->nid) {
			max = AC_AMPCAP_NUM_STEPS(vol->caps);
			g = gain[ch] > max ? max : gain[ch];
			hda_amp_write(ac, vol, chs, sw->nid && same_amp(vol, sw) && m, g);
		}
		if (sw->nid && !(vol->nid && same_amp(vol, sw)))
			hda_amp_write(ac, sw, chs, m, hda_amp_0db(sw->caps));
	}
}

/**
 * hda_auto_mixer_set - set the playback ("Master": every output path) or
 *	capture volume and switch
 * Return: 0, -ENODEV without amps, -EINVAL for a gain beyond the range or
 *	a mute the path cannot do.
 */
int hda_auto_mixer_set(struct hda_auto *ac, bool capture, const unsigned int gain[2],
		       const bool mute[2])
{
	const struct hda_amp *vol = hda_auto_mixer_amp(ac, capture, false);
	const struct hda_amp *sw = hda_auto_mixer_amp(ac, capture, true);
	unsigned int ch, i;

	if (!vol && !sw)
		return -ENODEV;
	hda_graph_clear_error(&ac->g);
	for (ch = 0; ch < 2; ch++)
		if (gain[ch] > (vol ? AC_AMPCAP_NUM_STEPS(vol->caps) : 0) || (mute[ch] && !sw))
			return -EINVAL;
	if (capture) {
		mixer_apply(ac, &ac->cap_vol, &ac->cap_mute, gain, mute);
		return ac->g.error;
	}
	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].path.n)
			mixer_apply(ac, &ac->out[i].vol, &ac->out[i].mute, gain, mute);
	return ac->g.error;
}

/* ---- names --------------------------------------------------------------- */

const char *hda_auto_out_name(unsigned int type)
{
	static const char *const names[] = { "Line Out", "Speaker", "Headphone" };

	return type < 3 ? names[type] : "?";
}

const char *hda_auto_in_name(const struct hda_in *in)
{
	static const char *const mic[] = { "Mic", "Internal Mic", "Rear Mic", "Front Mic", "Dock Mic" };
	static const char *const line[] = { "Line", "Internal Line", "Rear Line", "Front Line",
					    "Dock Line" };

	switch (in->type) {
	case HDA_IN_MIC:
		return mic[in->place];
	case HDA_IN_LINE:
		return line[in->place];
	case HDA_IN_AUX:
		return "Aux";
	default:
		return "CD";
	}
}
