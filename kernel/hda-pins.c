// SPDX-License-Identifier: GPL-2.0
/*
 * What user space sees of the codecs' pins (RINGPCM_IOCTL_PINS): the
 * streaming codec's jacks and fixed pins with their presence, routing and
 * the capture source, from the parser's state; the digital pins of every
 * codec on the link, noted at probe.  And the capture source control.
 */
#include "ringpcm.h"

static const u8 out_kinds[] = {
	[HDA_OUT_LINE] = RINGPCM_PIN_LINE_OUT,
	[HDA_OUT_SPEAKER] = RINGPCM_PIN_SPEAKER,
	[HDA_OUT_HP] = RINGPCM_PIN_HP,
};

static const u8 in_kinds[] = {
	[HDA_IN_MIC] = RINGPCM_PIN_MIC,
	[HDA_IN_LINE] = RINGPCM_PIN_LINE_IN,
	[HDA_IN_AUX] = RINGPCM_PIN_AUX,
	[HDA_IN_CD] = RINGPCM_PIN_CD,
};

/* The parser's places are the ABI's, value for value. */
static_assert((int)HDA_IN_NORMAL == RINGPCM_PLACE_NONE &&
	      (int)HDA_IN_INTERNAL == RINGPCM_PLACE_INTERNAL &&
	      (int)HDA_IN_REAR == RINGPCM_PLACE_REAR && (int)HDA_IN_FRONT == RINGPCM_PLACE_FRONT &&
	      (int)HDA_IN_DOCK == RINGPCM_PLACE_DOCK);

/**
 * hda_codec_note_pins - remember a probed codec and its digital pins, which
 *	stay listed after @codec->ac is re-probed for the analog codec
 * @codec: after hda_auto_probe() of the codec at @codec->ac.g.addr succeeded
 */
void hda_codec_note_pins(struct hda_codec *codec)
{
	const struct hda_auto *ac = &codec->ac;
	struct ringpcm_pin *p;
	unsigned int i;

	if (ac->g.addr < RINGPCM_MAX_CODECS)
		codec->vendor[ac->g.addr] = ac->g.vendor_id;
	for (i = 0; i < ac->n_dig && codec->n_digital < RINGPCM_MAX_PINS; i++) {
		p = &codec->digital[codec->n_digital++];
		p->codec = ac->g.addr;
		p->nid = ac->dig[i].pin;
		p->kind = ac->dig[i].hdmi ? RINGPCM_PIN_HDMI :
			  ac->dig[i].dp ? RINGPCM_PIN_DP : RINGPCM_PIN_SPDIF;
		p->place = hda_auto_place(ac->g.w[p->nid].defcfg);
	}
}

static struct ringpcm_pin *pins_add(struct ringpcm_pins *p, const struct hda_auto *ac,
				    unsigned int nid, unsigned int kind)
{
	struct ringpcm_pin *pin;

	if (p->n_pins >= RINGPCM_MAX_PINS)
		return NULL;
	pin = &p->pin[p->n_pins++];
	pin->codec = ac->g.addr;
	pin->nid = nid;
	pin->kind = kind;
	pin->place = hda_auto_place(ac->g.w[nid].defcfg);
	return pin;
}

static void pins_analog(struct ringpcm_pins *p, const struct hda_auto *ac)
{
	const struct hda_out *o;
	const struct hda_in *in;
	struct ringpcm_pin *pin;
	unsigned int i;

	for (i = 0; i < ac->n_out; i++) {
		o = &ac->out[i];
		pin = pins_add(p, ac, o->pin, out_kinds[o->type]);
		if (!pin)
			return;
		pin->flags = (o->jack ? RINGPCM_PIN_JACK : 0) |
			     (o->jack && o->present ? RINGPCM_PIN_PRESENT : 0) |
			     (o->path.n ? RINGPCM_PIN_ROUTED : 0) |
			     (o->path.n && ac->hp_present && o->type != HDA_OUT_HP ?
			      RINGPCM_PIN_MUTED : 0);
	}
	for (i = 0; i < ac->n_in; i++) {
		in = &ac->in[i];
		pin = pins_add(p, ac, in->pin, in_kinds[in->type]);
		if (!pin)
			return;
		pin->flags = (in->jack ? RINGPCM_PIN_JACK : 0) |
			     (in->jack && in->present ? RINGPCM_PIN_PRESENT : 0) |
			     (in->routed ? RINGPCM_PIN_ROUTED : 0) |
			     ((int)i == ac->cur_in ? RINGPCM_PIN_CAPTURE : 0);
	}
}

/**
 * hda_codec_fill_pins - RINGPCM_IOCTL_PINS
 * @codec: the streaming codec, probed
 * @p: zeroed by the caller
 * Context: sleeps (the codec lock).
 */
void hda_codec_fill_pins(struct hda_codec *codec, struct ringpcm_pins *p)
{
	unsigned int i;

	memcpy(p->vendor_id, codec->vendor, sizeof(p->vendor_id));
	p->analog_codec = codec->addr;
	mutex_lock(&codec->lock);
	p->jack_changes = codec->ac.jack_changes;
	pins_analog(p, &codec->ac);
	mutex_unlock(&codec->lock);
	for (i = 0; i < codec->n_digital && p->n_pins < RINGPCM_MAX_PINS; i++)
		p->pin[p->n_pins++] = codec->digital[i];
}

/**
 * hda_codec_set_capture_source - RINGPCM_IOCTL_CAPTURE_SOURCE: record from
 *	the streaming codec's input pin @nid
 * Return: 0, -EINVAL (not an input pin), -ENOENT (no ADC reaches it), or a
 * verb error.
 * Context: sleeps.
 */
int hda_codec_set_capture_source(struct hda_codec *codec, u32 nid)
{
	struct hda_auto *ac = &codec->ac;
	unsigned int i;
	int ret = -EINVAL;

	mutex_lock(&codec->lock);
	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].pin == nid)
			ret = hda_auto_set_capture_source(ac, i);
	mutex_unlock(&codec->lock);
	return ret;
}
