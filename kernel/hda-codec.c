// SPDX-License-Identifier: GPL-2.0
/*
 * The HDA codec: find the audio function group, its first output and input
 * converters and the pins they feed, report what they support, program the
 * stream format and tag, and expose the converters' amplifiers as the mixer.
 *
 * Amp and stream verbs go to the converters only: QEMU's codecs route those
 * verbs by node to a stream, and a pin node maps onto the DAC's.
 */
#include <linux/moduleparam.h>

#include "ringpcm.h"

/* AC_PAR_PCM rate bits 0..10; bit 11 (384 kHz) has no stream format encoding. */
static const unsigned int hda_rates[] = {
	8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000,
};

/* Stream format register encoding of each rate: base, multiplier, divisor. */
static const u16 hda_rate_bits[] = {
	0x0500, 0x4300, 0x0200, 0x4100, 0x0a00, 0x4000, 0x0000, 0x4800, 0x0800, 0x5800,
	0x1800,
};

static int codec_param(struct hda_codec *codec, unsigned int nid, unsigned int param, u32 *val)
{
	return hda_ctrl_exec_verb(codec->ctrl, codec->addr, nid, AC_VERB_GET_PARAMETER, param, val);
}

static int codec_verb(struct hda_codec *codec, unsigned int nid, u32 verb, u32 parm)
{
	return hda_ctrl_exec_verb(codec->ctrl, codec->addr, nid, verb, parm, NULL);
}

static int codec_find_afg(struct hda_codec *codec)
{
	u32 count, type;
	unsigned int nid, start, n;
	int ret;

	ret = codec_param(codec, 0, AC_PAR_NODE_COUNT, &count);
	if (ret)
		return ret;
	start = (count >> 16) & 0xff;
	n = count & 0xff;
	for (nid = start; nid < start + n; nid++) {
		ret = codec_param(codec, nid, AC_PAR_FUNCTION_TYPE, &type);
		if (ret)
			return ret;
		if ((type & 0xff) == AC_GRP_AUDIO_FUNCTION) {
			codec->afg = nid;
			return 0;
		}
	}
	return -ENODEV;
}

/* A converter's formats and amp caps, falling back to the AFG's defaults. */
static int codec_read_conv(struct hda_codec *codec, struct hda_codec_conv *conv, u32 wcaps,
			   bool output)
{
	unsigned int fmt_nid = wcaps & AC_WCAP_FORMAT_OVRD ? conv->nid : codec->afg;
	unsigned int amp_nid = wcaps & AC_WCAP_AMP_OVRD ? conv->nid : codec->afg;
	u32 pcm;
	int ret;

	ret = codec_param(codec, fmt_nid, AC_PAR_PCM, &pcm);
	if (ret)
		return ret;
	conv->rates = pcm & AC_SUPPCM_RATES;
	conv->bits = pcm & (AC_SUPPCM_BITS_16 | AC_SUPPCM_BITS_24 | AC_SUPPCM_BITS_32);
	conv->channels_max = AC_WCAP_CHANS(wcaps);
	conv->delay = AC_WCAP_DELAY(wcaps);
	conv->amp.nid = conv->nid;
	conv->amp.output = output;
	return codec_param(codec, amp_nid, output ? AC_PAR_AMP_OUT_CAP : AC_PAR_AMP_IN_CAP,
			   &conv->amp.caps);
}

static void codec_note_pin(struct hda_codec *codec, unsigned int nid)
{
	u32 caps;

	if (codec_param(codec, nid, AC_PAR_PIN_CAP, &caps))
		return;
	if ((caps & AC_PINCAP_OUT) && !codec->conv[RINGPCM_DIR_PLAYBACK].pin) {
		codec->conv[RINGPCM_DIR_PLAYBACK].pin = nid;
		codec_verb(codec, nid, AC_VERB_SET_PIN_WIDGET_CONTROL, AC_PINCTL_OUT_EN);
		if (caps & AC_PINCAP_EAPD)
			codec_verb(codec, nid, AC_VERB_SET_EAPD_BTLENABLE, 0x02);
	} else if ((caps & AC_PINCAP_IN) && !codec->conv[RINGPCM_DIR_CAPTURE].pin) {
		codec->conv[RINGPCM_DIR_CAPTURE].pin = nid;
		codec_verb(codec, nid, AC_VERB_SET_PIN_WIDGET_CONTROL, AC_PINCTL_IN_EN);
	}
}

static int codec_scan_widgets(struct hda_codec *codec)
{
	u32 count, wcaps;
	unsigned int nid, start, n;
	struct hda_codec_conv *conv;
	int ret;

	ret = codec_param(codec, codec->afg, AC_PAR_NODE_COUNT, &count);
	if (ret)
		return ret;
	start = (count >> 16) & 0xff;
	n = count & 0xff;
	for (nid = start; nid < start + n; nid++) {
		ret = codec_param(codec, nid, AC_PAR_AUDIO_WIDGET_CAP, &wcaps);
		if (ret)
			return ret;
		codec_verb(codec, nid, AC_VERB_SET_POWER_STATE, 0);	/* D0 */
		switch (AC_WCAP_TYPE(wcaps)) {
		case AC_WID_AUD_OUT:
		case AC_WID_AUD_IN: {
			bool output = AC_WCAP_TYPE(wcaps) == AC_WID_AUD_OUT;

			conv = &codec->conv[output ? RINGPCM_DIR_PLAYBACK : RINGPCM_DIR_CAPTURE];
			if (conv->nid)
				break;
			conv->nid = nid;
			ret = codec_read_conv(codec, conv, wcaps, output);
			if (ret)
				return ret;
			break;
		}
		case AC_WID_PIN:
			codec_note_pin(codec, nid);
			break;
		}
	}
	return 0;
}

/*
 * QEMU's codecs move audio through an 8 KiB buffer of their own between the
 * controller's DMA and the host audio backend (with use-timer, the default)
 * and stopping the stream drops it.  The host backend then holds more that
 * the guest cannot see and that is dropped too when the stream stops (the
 * JACK backend stops reading its FIFO).  Measured with the rig's JACK
 * loopback at 48 kHz: about 4050 frames held beyond the DMA position with
 * 1024-frame JACK periods, 8150 with 2048-frame ones (four server periods,
 * the codec's own buffer included), so 200 ms covers JACK periods up to 2048
 * frames; other backends hold about their buffer-length.  The module option
 * backend_delay_ms overrides it, for real codecs too (a sink that buffers).
 */
#define QEMU_HDA_CODEC_BUFFER		8192
#define QEMU_HDA_BACKEND_DELAY_MS	200

static int backend_delay_ms = -1;
module_param(backend_delay_ms, int, 0444);
MODULE_PARM_DESC(backend_delay_ms,
		 "silence a drain plays for a virtual codec's host audio backend, in ms "
		 "(-1: 200 for QEMU's codecs, 0 for real ones)");

static void codec_note_virtual(struct hda_codec *codec)
{
	bool qemu = codec->vendor_id >> 16 == 0x1af4;

	if (qemu)
		codec->buffer_bytes = QEMU_HDA_CODEC_BUFFER;
	if (backend_delay_ms >= 0)
		codec->backend_delay_us = backend_delay_ms * USEC_PER_MSEC;
	else if (qemu)
		codec->backend_delay_us = QEMU_HDA_BACKEND_DELAY_MS * USEC_PER_MSEC;
}

static void codec_make_name(struct hda_codec *codec)
{
	u16 vendor = codec->vendor_id >> 16, device = codec->vendor_id & 0xffff;
	const char *v = vendor == 0x1af4 ? "QEMU" : vendor == 0x10ec ? "Realtek" :
			vendor == 0x8086 ? "Intel" : NULL;

	if (v)
		snprintf(codec->name, sizeof(codec->name), "%s HDA codec %04x", v, device);
	else
		snprintf(codec->name, sizeof(codec->name), "HDA codec %08x", codec->vendor_id);
}

/* Capture amps wake up at gain 0 (silence on QEMU once any amp verb arrives). */
static void codec_set_unity_gain(struct hda_codec *codec, struct hda_codec_amp *amp)
{
	u32 offset = AC_AMPCAP_OFFSET(amp->caps);

	if (!amp->nid || !AC_AMPCAP_NUM_STEPS(amp->caps))
		return;
	codec_verb(codec, amp->nid, AC_VERB_SET_AMP_GAIN_MUTE,
		   (amp->output ? AC_AMP_SET_OUTPUT : AC_AMP_SET_INPUT) |
		   AC_AMP_SET_LEFT | AC_AMP_SET_RIGHT | offset);
}

/**
 * hda_codec_probe - bind the first codec on the link that has an audio
 *	function group with at least one converter
 * @codec: state to fill
 * @ctrl: the controller, after hda_ctrl_init()
 *
 * Context: sleeps. Return: 0 or -ENODEV.
 */
int hda_codec_probe(struct hda_codec *codec, struct hda_ctrl *ctrl)
{
	unsigned int addr;

	for (addr = 0; addr < 15; addr++) {
		if (!(ctrl->codec_mask & BIT(addr)))
			continue;
		memset(codec, 0, sizeof(*codec));
		codec->ctrl = ctrl;
		codec->addr = addr;
		if (codec_param(codec, 0, AC_PAR_VENDOR_ID, &codec->vendor_id) ||
		    codec_find_afg(codec))
			continue;
		codec_verb(codec, codec->afg, AC_VERB_SET_POWER_STATE, 0);
		if (codec_scan_widgets(codec))
			continue;
		if (!codec->conv[0].nid && !codec->conv[1].nid)
			continue;
		codec_make_name(codec);
		codec_note_virtual(codec);
		codec_set_unity_gain(codec, &codec->conv[RINGPCM_DIR_CAPTURE].amp);
		return 0;
	}
	return -ENODEV;
}

/**
 * hda_format_bits - the stream format register value for a PCM format
 * Return: the value, or 0 when the rate or format has no encoding.
 */
u16 hda_format_bits(unsigned int rate, unsigned int channels, unsigned int format)
{
	u16 bits;
	int i;

	if (channels < 1 || channels > 16)
		return 0;
	switch (format) {
	case RINGPCM_FORMAT_S16_LE:
		bits = 1 << 4;
		break;
	case RINGPCM_FORMAT_S32_LE:
		bits = 4 << 4;
		break;
	default:
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(hda_rates); i++)
		if (hda_rates[i] == rate)
			return hda_rate_bits[i] | bits | (channels - 1);
	return 0;
}

/*
 * The format goes first: on QEMU it stops the converter's pacing timer, and
 * the stream id (or RUN) starts it again.
 */
int hda_codec_stream_setup(struct hda_codec *codec, int dir, unsigned int tag, u16 format)
{
	struct hda_codec_conv *conv = &codec->conv[dir];
	int ret;

	if (!conv->nid)
		return -ENODEV;
	ret = codec_verb(codec, conv->nid, AC_VERB_SET_STREAM_FORMAT, format);
	if (ret)
		return ret;
	return codec_verb(codec, conv->nid, AC_VERB_SET_CHANNEL_STREAMID, tag << 4);
}

void hda_codec_stream_cleanup(struct hda_codec *codec, int dir)
{
	if (codec->conv[dir].nid)
		codec_verb(codec, codec->conv[dir].nid, AC_VERB_SET_CHANNEL_STREAMID, 0);
}

void hda_codec_fill_info(struct hda_codec *codec, int dir, struct ringpcm_info *info)
{
	const struct hda_codec_conv *conv = &codec->conv[dir];
	int i;

	strscpy(info->codec, codec->name, sizeof(info->codec));
	info->formats = 0;
	if (conv->bits & AC_SUPPCM_BITS_16)
		info->formats |= 1u << RINGPCM_FORMAT_S16_LE;
	if (conv->bits & (AC_SUPPCM_BITS_24 | AC_SUPPCM_BITS_32))
		info->formats |= 1u << RINGPCM_FORMAT_S32_LE;
	info->n_rates = 0;
	for (i = 0; i < ARRAY_SIZE(hda_rates) && info->n_rates < RINGPCM_MAX_RATES; i++)
		if (conv->rates & BIT(i))
			info->rates[info->n_rates++] = hda_rates[i];
	/*
	 * A stereo converter takes its channels in pairs: no mono stream, as
	 * snd-hda-codec's generic parser never offers one either (user space
	 * converts).  QEMU's codec takes mono, but after a mono stream its
	 * JACK audio backend can stop pulling data for the next stereo one.
	 */
	info->channels_min = conv->nid ? min(conv->channels_max, 2u) : 0;
	info->channels_max = conv->nid ? conv->channels_max : 0;
}

static struct hda_codec_amp *codec_mixer_amp(struct hda_codec *codec, u32 control)
{
	struct hda_codec_amp *amp;

	if (control > RINGPCM_MIXER_CAPTURE)
		return NULL;
	amp = &codec->conv[control == RINGPCM_MIXER_PLAYBACK ? RINGPCM_DIR_PLAYBACK
							       : RINGPCM_DIR_CAPTURE].amp;
	return amp->nid ? amp : NULL;
}

static void codec_mixer_describe(const struct hda_codec_amp *amp, struct ringpcm_mixer *m)
{
	u32 step = (AC_AMPCAP_STEP_SIZE(amp->caps) + 1) * 25;	/* 1/100 dB */

	m->max_gain = AC_AMPCAP_NUM_STEPS(amp->caps);
	m->step_db100 = step;
	m->min_db100 = -(s32)(AC_AMPCAP_OFFSET(amp->caps) * step);
	m->can_mute = !!(amp->caps & AC_AMPCAP_MUTE);
}

int hda_codec_mixer_get(struct hda_codec *codec, struct ringpcm_mixer *m)
{
	struct hda_codec_amp *amp = codec_mixer_amp(codec, m->control);
	u32 dir_bit, res;
	int ch, ret;

	if (!amp)
		return -EINVAL;
	codec_mixer_describe(amp, m);
	dir_bit = amp->output ? AC_AMP_GET_OUTPUT : 0;
	for (ch = 0; ch < 2; ch++) {
		ret = hda_ctrl_exec_verb(codec->ctrl, codec->addr, amp->nid,
					 AC_VERB_GET_AMP_GAIN_MUTE,
					 dir_bit | (ch == 0 ? AC_AMP_GET_LEFT : 0), &res);
		if (ret)
			return ret;
		m->gain[ch] = res & AC_AMP_GAIN;
		m->mute[ch] = !!(res & AC_AMP_MUTE);
	}
	return 0;
}

int hda_codec_mixer_set(struct hda_codec *codec, const struct ringpcm_mixer *m)
{
	struct hda_codec_amp *amp = codec_mixer_amp(codec, m->control);
	u32 max, dir_bit;
	int ch, ret;

	if (!amp)
		return -EINVAL;
	max = AC_AMPCAP_NUM_STEPS(amp->caps);
	for (ch = 0; ch < 2; ch++)
		if (m->gain[ch] > max || m->mute[ch] > 1 ||
		    (m->mute[ch] && !(amp->caps & AC_AMPCAP_MUTE)))
			return -EINVAL;
	dir_bit = amp->output ? AC_AMP_SET_OUTPUT : AC_AMP_SET_INPUT;
	for (ch = 0; ch < 2; ch++) {
		ret = codec_verb(codec, amp->nid, AC_VERB_SET_AMP_GAIN_MUTE,
				 dir_bit | (ch == 0 ? AC_AMP_SET_LEFT : AC_AMP_SET_RIGHT) |
				 (m->mute[ch] ? AC_AMP_MUTE : 0) | m->gain[ch]);
		if (ret)
			return ret;
	}
	return 0;
}
