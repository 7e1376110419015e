// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated codec: verbs in, responses out, state kept per node; jack
 * sense and unsolicited responses; and the tracer that follows the state
 * from a pin to a converter.
 */
#include <errno.h>
#include <string.h>

#include "hda-emu.h"

#define INTEL_VENDOR		0x8086
#define INTEL_SET_VENDOR_VERB	0x781
#define TRACE_DEPTH		16

static unsigned int node_type(const struct emu_node *n)
{
	return AC_WCAP_TYPE(n->wcaps);
}

/* Amp caps as the hardware applies them: the AFG's unless overridden. */
uint32_t emu_amp_caps(const struct hda_emu *emu, unsigned int nid, bool input)
{
	const struct emu_node *n = &emu->n[nid];

	if (!(n->wcaps & (input ? AC_WCAP_IN_AMP : AC_WCAP_OUT_AMP)))
		return 0;
	if (n->wcaps & AC_WCAP_AMP_OVRD)
		return input ? n->amp_in_caps : n->amp_out_caps;
	return input ? emu->afg_amp_in : emu->afg_amp_out;
}

/* Cold: amps muted at gain 0, selects 0, pins off, EAPD off, no streams, D3. */
void emu_reset_cold(struct hda_emu *emu)
{
	unsigned int nid, i;

	for (nid = 0; nid < EMU_NODES; nid++) {
		struct emu_node *n = &emu->n[nid];
		uint8_t in_mute = emu_amp_caps(emu, nid, true) & AC_AMPCAP_MUTE ? AC_AMP_MUTE : 0;
		uint8_t out_mute = emu_amp_caps(emu, nid, false) & AC_AMPCAP_MUTE ? AC_AMP_MUTE : 0;

		for (i = 0; i < EMU_CONN; i++)
			n->amp_in[i][0] = n->amp_in[i][1] = in_mute;
		n->amp_out[0] = n->amp_out[1] = out_mute;
		n->sel = n->pinctl = n->eapd = n->unsol = n->stream = n->dig1 = n->dig2 = 0;
		n->format = 0;
		n->power = AC_PWRST_D3;
		n->coef_idx = 0;
		memset(n->coef, 0, sizeof(n->coef));
		n->n_vendor = 0;
	}
	emu->unhidden = false;
	emu->n_unsol = 0;
}

/* ---- connection lists ---------------------------------------------------- */

/* Intel HDMI pins show their real list once unhidden by the vendor verb. */
static unsigned int conn_count(const struct hda_emu *emu, const struct emu_node *n)
{
	return n->n_hidden && emu->unhidden ? n->n_hidden : n->n_conn;
}

static const uint8_t *conn_list(const struct hda_emu *emu, const struct emu_node *n)
{
	return n->n_hidden && emu->unhidden ? n->hidden : n->conn;
}

/*
 * The list as a codec encodes it: a run of three or more consecutive NIDs
 * becomes a range (first NID, then the last with the range bit), which is
 * what real codecs do for their long mixer lists.
 */
static unsigned int conn_encode(const struct hda_emu *emu, const struct emu_node *n,
				uint16_t *ent, bool long_form)
{
	unsigned int count = conn_count(emu, n), i = 0, j, out = 0;
	const uint8_t *list = conn_list(emu, n);
	uint16_t range_bit = long_form ? 0x8000 : 0x80;

	while (i < count) {
		for (j = i; j + 1 < count && list[j + 1] == list[j] + 1; j++)
			;
		ent[out++] = list[i];
		if (j - i >= 2) {
			ent[out++] = list[j] | range_bit;
			i = j + 1;
		} else {
			i++;
		}
	}
	return out;
}

static bool conn_long(const struct hda_emu *emu, const struct emu_node *n)
{
	unsigned int i, count = conn_count(emu, n);
	const uint8_t *list = conn_list(emu, n);

	if (emu->force_long_form)
		return true;
	for (i = 0; i < count; i++)
		if (list[i] > 0x7f)
			return true;
	return false;
}

static uint32_t conn_len_param(const struct hda_emu *emu, const struct emu_node *n)
{
	uint16_t ent[EMU_CONN * 2];
	bool lf = conn_long(emu, n);

	return conn_encode(emu, n, ent, lf) | (lf ? AC_CLIST_LONG : 0);
}

static uint32_t conn_entries(const struct hda_emu *emu, const struct emu_node *n,
			     unsigned int offset)
{
	uint16_t ent[EMU_CONN * 2];
	bool lf = conn_long(emu, n);
	unsigned int count = conn_encode(emu, n, ent, lf), per = lf ? 2 : 4, i;
	uint32_t res = 0;

	for (i = 0; i < per && offset + i < count; i++)
		res |= (uint32_t)ent[offset + i] << (i * (lf ? 16 : 8));
	return res;
}

/* ---- parameters ---------------------------------------------------------- */

static uint32_t param_root(const struct hda_emu *emu, unsigned int param)
{
	switch (param) {
	case AC_PAR_VENDOR_ID:
		return emu->vendor_id;
	case AC_PAR_REV_ID:
		return emu->revision_id;
	case AC_PAR_NODE_COUNT:
		return emu->afg << 16 | 1;
	}
	return 0;
}

static uint32_t param_afg(const struct hda_emu *emu, unsigned int param)
{
	const struct emu_node *n = &emu->n[emu->afg];

	switch (param) {
	case AC_PAR_NODE_COUNT:
		return emu->start_nid << 16 | (emu->end_nid - emu->start_nid);
	case AC_PAR_FUNCTION_TYPE:
		return AC_GRP_AUDIO_FUNCTION | (emu->afg_unsol ? 1u << 8 : 0);
	case AC_PAR_PCM:
		return emu->afg_pcm;
	case AC_PAR_STREAM:
		return emu->afg_formats;
	case AC_PAR_AMP_IN_CAP:
		return emu->afg_amp_in;
	case AC_PAR_AMP_OUT_CAP:
		return emu->afg_amp_out;
	case AC_PAR_POWER_STATE:
		return n->power_states;
	case AC_PAR_GPIO_CAP:
		return n->gpio_caps;
	}
	return 0;
}

/*
 * A widget's own parameters; amp caps it does not override read as the
 * function group's defaults (the dump prints them as N/A).
 */
static uint32_t param_widget(const struct hda_emu *emu, const struct emu_node *n,
			     unsigned int param)
{
	switch (param) {
	case AC_PAR_AUDIO_WIDGET_CAP:
		return n->wcaps;
	case AC_PAR_PCM:
		return n->wcaps & AC_WCAP_FORMAT_OVRD ? n->pcm : 0;
	case AC_PAR_STREAM:
		return n->wcaps & AC_WCAP_FORMAT_OVRD ? n->stream_formats : 0;
	case AC_PAR_PIN_CAP:
		return n->pincap;
	case AC_PAR_AMP_IN_CAP:
		return n->amp_in_caps ?: emu_amp_caps(emu, n - emu->n, true);
	case AC_PAR_AMP_OUT_CAP:
		return n->amp_out_caps ?: emu_amp_caps(emu, n - emu->n, false);
	case AC_PAR_CONNLIST_LEN:
		return n->wcaps & AC_WCAP_CONN_LIST ? conn_len_param(emu, n) : 0;
	case AC_PAR_POWER_STATE:
		return n->power_states;
	case AC_PAR_PROC_CAP:
		return n->proc_caps;
	}
	return 0;
}

static uint32_t param(const struct hda_emu *emu, unsigned int nid, unsigned int par)
{
	if (nid == 0)
		return param_root(emu, par);
	if (nid == emu->afg)
		return param_afg(emu, par);
	return param_widget(emu, &emu->n[nid], par);
}

/* ---- verbs --------------------------------------------------------------- */

static void amp_set(struct hda_emu *emu, unsigned int nid, unsigned int parm)
{
	struct emu_node *n = &emu->n[nid];
	unsigned int idx = (parm >> AC_AMP_SET_INDEX_SHIFT) & 0xf, ch;
	bool input = parm & AC_AMP_SET_INPUT, output = parm & AC_AMP_SET_OUTPUT;
	uint8_t val;

	for (ch = 0; ch < 2; ch++) {
		if (!(parm & (ch ? AC_AMP_SET_RIGHT : AC_AMP_SET_LEFT)))
			continue;
		if (output) {
			uint32_t caps = emu_amp_caps(emu, nid, false);

			val = parm & AC_AMP_GAIN;
			if (val > AC_AMPCAP_NUM_STEPS(caps))
				val = AC_AMPCAP_NUM_STEPS(caps);
			n->amp_out[ch] = val | (caps & AC_AMPCAP_MUTE ? parm & AC_AMP_MUTE : 0);
		}
		if (input && idx < EMU_CONN) {
			uint32_t caps = emu_amp_caps(emu, nid, true);

			val = parm & AC_AMP_GAIN;
			if (val > AC_AMPCAP_NUM_STEPS(caps))
				val = AC_AMPCAP_NUM_STEPS(caps);
			n->amp_in[idx][ch] = val | (caps & AC_AMPCAP_MUTE ? parm & AC_AMP_MUTE : 0);
		}
	}
}

static uint32_t amp_get(const struct emu_node *n, unsigned int parm)
{
	unsigned int ch = parm & AC_AMP_GET_LEFT ? 0 : 1, idx = parm & 0xf;

	if (parm & AC_AMP_GET_OUTPUT)
		return n->amp_out[ch];
	return idx < EMU_CONN ? n->amp_in[idx][ch] : 0;
}

/* Unknown verbs: a set 0x7XY is kept, a get 0xFXY reads it back (0 if never set). */
static uint16_t *vendor_slot(struct emu_node *n, unsigned int key, bool create)
{
	unsigned int i;

	for (i = 0; i < n->n_vendor; i++)
		if (n->vendor_key[i] == key)
			return &n->vendor_val[i];
	if (!create || n->n_vendor >= EMU_VENDOR_KEYS)
		return NULL;
	n->vendor_key[n->n_vendor] = key;
	n->vendor_val[n->n_vendor] = 0;
	return &n->vendor_val[n->n_vendor++];
}

static uint32_t power_state(const struct emu_node *n)
{
	return n->power | n->power << AC_PWRST_ACTUAL_SHIFT;
}

static uint32_t get12(struct hda_emu *emu, unsigned int nid, unsigned int verb, unsigned int parm)
{
	struct emu_node *n = &emu->n[nid];
	uint16_t *slot;

	switch (verb) {
	case AC_VERB_GET_PARAMETER:
		return param(emu, nid, parm);
	case AC_VERB_GET_CONNECT_SEL:
		return n->sel;
	case AC_VERB_GET_CONNECT_LIST:
		return n->wcaps & AC_WCAP_CONN_LIST ? conn_entries(emu, n, parm) : 0;
	case AC_VERB_GET_POWER_STATE:
		return power_state(n);
	case AC_VERB_GET_CONV:
		return n->stream;
	case AC_VERB_GET_PIN_WIDGET_CONTROL:
		return n->pinctl;
	case AC_VERB_GET_UNSOLICITED_RESPONSE:
		return n->unsol;
	case AC_VERB_GET_PIN_SENSE:
		return n->present && emu_can_sense(emu, nid) ? AC_PINSENSE_PRESENCE : 0;
	case AC_VERB_GET_EAPD_BTLENABLE:
		return n->eapd;
	case AC_VERB_GET_DIGI_CONVERT_1:
		return n->dig1 | n->dig2 << 8;
	case AC_VERB_GET_CONFIG_DEFAULT:
		return n->defcfg;
	case AC_VERB_GET_SUBSYSTEM_ID:
		return nid == emu->afg ? emu->subsystem_id : 0;
	}
	slot = vendor_slot(n, verb & 0xff, false);
	return slot ? *slot : 0;
}

static void set12(struct hda_emu *emu, unsigned int nid, unsigned int verb, unsigned int parm)
{
	struct emu_node *n = &emu->n[nid];
	uint16_t *slot;

	switch (verb) {
	case AC_VERB_SET_CONNECT_SEL:
		n->sel = parm;
		return;
	case AC_VERB_SET_POWER_STATE:
		n->power = parm & AC_PWRST_SETTING;
		return;
	case AC_VERB_SET_CHANNEL_STREAMID:
		n->stream = parm;
		return;
	case AC_VERB_SET_PIN_WIDGET_CONTROL:
		n->pinctl = parm;
		return;
	case AC_VERB_SET_UNSOLICITED_ENABLE:
		n->unsol = parm & (AC_UNSOL_ENABLED | AC_UNSOL_TAG);
		return;
	case AC_VERB_SET_PIN_SENSE:
		return;
	case AC_VERB_SET_EAPD_BTLENABLE:
		n->eapd = parm;
		return;
	case AC_VERB_SET_DIGI_CONVERT_1:
		n->dig1 = parm;
		return;
	case AC_VERB_SET_DIGI_CONVERT_2:
		n->dig2 = parm;
		return;
	case AC_VERB_SET_CODEC_RESET:
		if (nid == emu->afg)
			emu_reset_cold(emu);
		return;
	}
	slot = vendor_slot(n, verb & 0xff, true);
	if (slot)
		*slot = parm;
	if (verb == INTEL_SET_VENDOR_VERB && emu->vendor_id >> 16 == INTEL_VENDOR && (parm & 1))
		emu->unhidden = true;
}

/* 4-bit verbs carry a 16-bit payload. */
static bool exec4(struct hda_emu *emu, unsigned int nid, uint32_t cmd, uint32_t *res)
{
	struct emu_node *n = &emu->n[nid];
	unsigned int verb = (cmd >> 16) & 0xf, parm = cmd & 0xffff;

	switch (verb) {
	case 0x2:
		n->format = parm;
		return true;
	case 0x3:
		amp_set(emu, nid, parm);
		return true;
	case 0x4:
		n->coef[n->coef_idx & 0xff] = parm;
		return true;
	case 0x5:
		n->coef_idx = parm;
		return true;
	case 0xa:
		*res = n->format;
		return true;
	case 0xb:
		*res = amp_get(n, parm);
		return true;
	case 0xc:
		*res = n->coef[n->coef_idx & 0xff];
		return true;
	case 0xd:
		*res = n->coef_idx;
		return true;
	}
	return false;
}

/**
 * emu_exec - execute one command word
 * Return: 0 with the response in @res; -ETIMEDOUT when no codec answers
 *	(another address, or a silent codec).  Absent nodes answer 0.
 */
int emu_exec(struct hda_emu *emu, uint32_t cmd, uint32_t *res)
{
	unsigned int nid = AC_CMD_NID(cmd), verb = (cmd >> 8) & 0xfff;

	*res = 0;
	emu->verbs++;
	if (emu->silent || AC_CMD_ADDR(cmd) != emu->addr)
		return -ETIMEDOUT;
	if (!emu->n[nid].exists && nid != 0)
		return 0;
	if (exec4(emu, nid, cmd, res))
		return 0;
	if ((verb & 0xf00) == 0xf00)
		*res = get12(emu, nid, verb, cmd & 0xff);
	else
		set12(emu, nid, verb, cmd & 0xff);
	return 0;
}

/* ---- jacks --------------------------------------------------------------- */

bool emu_can_sense(const struct hda_emu *emu, unsigned int nid)
{
	const struct emu_node *n = &emu->n[nid];

	return nid < EMU_NODES && n->exists && node_type(n) == AC_WID_PIN &&
	       (n->pincap & AC_PINCAP_PRES_DETECT);
}

/**
 * emu_set_presence - plug or unplug a jack
 * Return: true when the presence changed; its unsolicited response, if the
 *	pin has them enabled, is then queued for emu_pop_unsol().
 */
bool emu_set_presence(struct hda_emu *emu, unsigned int nid, bool present)
{
	struct emu_node *n = &emu->n[nid];

	if (!emu_can_sense(emu, nid) || n->present == present)
		return false;
	n->present = present;
	if ((n->unsol & AC_UNSOL_ENABLED) && emu->n_unsol < EMU_UNSOL_QUEUE)
		emu->unsol[emu->n_unsol++] = (uint32_t)(n->unsol & AC_UNSOL_TAG) << AC_UNSOL_RES_TAG_SHIFT;
	return true;
}

bool emu_pop_unsol(struct hda_emu *emu, uint32_t *res)
{
	if (!emu->n_unsol)
		return false;
	*res = emu->unsol[0];
	memmove(emu->unsol, emu->unsol + 1, --emu->n_unsol * sizeof(emu->unsol[0]));
	return true;
}

/* ---- the tracer ---------------------------------------------------------- */

static bool amp_passes(const struct hda_emu *emu, unsigned int nid, bool input, unsigned int idx)
{
	const struct emu_node *n = &emu->n[nid];
	uint32_t caps = emu_amp_caps(emu, nid, input);
	unsigned int zero_db = AC_AMPCAP_OFFSET(caps), ch, stereo = n->wcaps & AC_WCAP_STEREO;
	const uint8_t *val = input ? n->amp_in[idx] : n->amp_out;

	if (!(n->wcaps & (input ? AC_WCAP_IN_AMP : AC_WCAP_OUT_AMP)))
		return true;
	if (zero_db > AC_AMPCAP_NUM_STEPS(caps))
		zero_db = AC_AMPCAP_NUM_STEPS(caps);
	for (ch = 0; ch <= (stereo ? 1u : 0u); ch++) {
		if ((caps & AC_AMPCAP_MUTE) && (val[ch] & AC_AMP_MUTE))
			return false;
		if ((val[ch] & AC_AMP_GAIN) < zero_db)	/* attenuated below 0 dB */
			return false;
	}
	return true;
}

static bool powered(const struct hda_emu *emu, unsigned int nid)
{
	const struct emu_node *n = &emu->n[nid];

	if (emu->n[emu->afg].power != AC_PWRST_D0)
		return false;
	return !(n->wcaps & AC_WCAP_POWER) || n->power == AC_PWRST_D0;
}

/* The input a one-at-a-time widget takes, or -1. */
static int selected(const struct hda_emu *emu, const struct emu_node *n)
{
	unsigned int count = conn_count(emu, n);

	if (!count)
		return -1;
	if (count == 1)
		return 0;
	return n->sel < count ? n->sel : -1;
}

/* Does @nid carry the playback stream (on its output)? */
static bool carries(const struct hda_emu *emu, unsigned int nid, unsigned int tag,
		    uint16_t format, unsigned int depth, unsigned int *dac)
{
	const struct emu_node *n = &emu->n[nid];
	const uint8_t *list = conn_list(emu, n);
	unsigned int i, count = conn_count(emu, n);
	int s;

	if (!n->exists || depth > TRACE_DEPTH || !powered(emu, nid) || !amp_passes(emu, nid, false, 0))
		return false;
	switch (node_type(n)) {
	case AC_WID_AUD_OUT:
		if (n->stream >> 4 != tag || n->format != format || (n->wcaps & AC_WCAP_DIGITAL))
			return false;
		*dac = nid;
		return true;
	case AC_WID_AUD_MIX:
		for (i = 0; i < count; i++)
			if (amp_passes(emu, nid, true, i) && carries(emu, list[i], tag, format, depth + 1, dac))
				return true;
		return false;
	case AC_WID_AUD_SEL:
		s = selected(emu, n);
		return s >= 0 && amp_passes(emu, nid, true, s) &&
		       carries(emu, list[s], tag, format, depth + 1, dac);
	}
	return false;
}

/**
 * emu_out_audible - does output pin @pin play the stream with @tag/@format?
 * @dac: set to the DAC it comes from
 */
bool emu_out_audible(const struct hda_emu *emu, unsigned int pin, unsigned int tag,
		     uint16_t format, unsigned int *dac)
{
	const struct emu_node *n = &emu->n[pin];
	int s;

	if (!n->exists || node_type(n) != AC_WID_PIN || !(n->pinctl & AC_PINCTL_OUT_EN))
		return false;
	if ((n->pincap & AC_PINCAP_EAPD) && !(n->eapd & AC_EAPDBTL_EAPD))
		return false;
	if (!powered(emu, pin) || !amp_passes(emu, pin, false, 0))
		return false;
	s = selected(emu, n);
	return s >= 0 && carries(emu, conn_list(emu, n)[s], tag, format, 1, dac);
}

static void add_pin(uint8_t *pins, int *n, int max, unsigned int pin)
{
	int i;

	for (i = 0; i < *n; i++)
		if (pins[i] == pin)
			return;
	if (*n < max)
		pins[(*n)++] = pin;
}

/* Collect the input pins whose signal reaches the output of @nid. */
static void sources(const struct hda_emu *emu, unsigned int nid, unsigned int depth,
		    uint8_t *pins, int *n_pins, int max)
{
	const struct emu_node *n = &emu->n[nid];
	const uint8_t *list = conn_list(emu, n);
	unsigned int i, count = conn_count(emu, n);
	int s;

	if (!n->exists || depth > TRACE_DEPTH || !powered(emu, nid) || !amp_passes(emu, nid, false, 0))
		return;
	switch (node_type(n)) {
	case AC_WID_PIN:
		if ((n->pinctl & AC_PINCTL_IN_EN) && amp_passes(emu, nid, true, 0))
			add_pin(pins, n_pins, max, nid);
		return;
	case AC_WID_AUD_MIX:
		for (i = 0; i < count; i++)
			if (amp_passes(emu, nid, true, i))
				sources(emu, list[i], depth + 1, pins, n_pins, max);
		return;
	case AC_WID_AUD_SEL:
		s = selected(emu, n);
		if (s >= 0 && amp_passes(emu, nid, true, s))
			sources(emu, list[s], depth + 1, pins, n_pins, max);
		return;
	}
}

/**
 * emu_capture_sources - the input pins the ADC capturing @tag/@format hears
 * @adc: set to that ADC (0 if none captures)
 * Return: how many pins were stored in @pins.
 */
int emu_capture_sources(const struct hda_emu *emu, unsigned int tag, uint16_t format,
			unsigned int *adc, uint8_t *pins, int max)
{
	unsigned int nid;
	int n = 0, s;

	*adc = 0;
	for (nid = emu->start_nid; nid < emu->end_nid; nid++) {
		const struct emu_node *w = &emu->n[nid];

		if (!w->exists || node_type(w) != AC_WID_AUD_IN || w->stream >> 4 != tag ||
		    w->format != format || !powered(emu, nid))
			continue;
		*adc = nid;
		s = selected(emu, w);
		if (s >= 0 && amp_passes(emu, nid, true, s))
			sources(emu, conn_list(emu, w)[s], 1, pins, &n, max);
		return n;
	}
	return 0;
}
