// SPDX-License-Identifier: GPL-2.0
/*
 * The HDA codecs on the link: each is probed by the generic parser
 * (hda-graph.c, hda-path.c, hda-auto.c: pure C the host tests run against
 * real codec dumps) over the controller's verbs.  The first codec with
 * analog outputs or inputs drives the streams; HDMI/DP codecs are listed.
 * Here: INFO, stream set-up and the mixer on top of the parser.
 *
 * Jacks: the codec's unsolicited responses arrive through the RIRB
 * (hda-cmd.c) and re-read the jacks; with immediate commands none arrive,
 * so the jacks are polled instead (every JACK_POLL_MS).  Either way they are
 * read again at each stream set-up, only on codecs with headphone or mic
 * jacks.
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>

#include "ringpcm.h"

#define VENDOR_QEMU	0x1af4
#define JACK_POLL_MS	500

/* AC_PAR_PCM rate bits 0..10; bit 11 (384 kHz) has no stream format encoding. */
static const unsigned int hda_rates[] = {
	8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000,
};

static int codec_exec(void *priv, __u32 cmd, __u32 *res)
{
	struct hda_codec *codec = priv;

	return hda_ctrl_exec_verb(codec->ctrl, AC_CMD_ADDR(cmd), AC_CMD_NID(cmd),
				  (cmd >> 8) & 0xfff, cmd & 0xff, res);
}

static void codec_msleep(void *priv, unsigned int ms)
{
	msleep(ms);
}

static const struct hda_codec_ops codec_ops = {
	.exec = codec_exec,
	.msleep = codec_msleep,
};

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
	bool qemu = codec->vendor_id >> 16 == VENDOR_QEMU;

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
	const char *v = vendor == VENDOR_QEMU ? "QEMU" : vendor == 0x10ec ? "Realtek" :
			vendor == 0x8086 ? "Intel" : NULL;

	if (v)
		snprintf(codec->name, sizeof(codec->name), "%s HDA codec %04x", v, device);
	else
		snprintf(codec->name, sizeof(codec->name), "HDA codec %08x", codec->vendor_id);
}

/* One line per codec, one per output and input path in the debug log. */
static void codec_log(struct hda_codec *codec)
{
	struct device *dev = &codec->ctrl->pci->dev;
	const struct hda_auto *ac = &codec->ac;
	unsigned int i;

	dev_info(dev, "codec %u: %08x, %u outputs, %u inputs, %u digital/HDMI pins%s%s\n",
		 ac->g.addr, ac->g.vendor_id, ac->n_out, ac->n_in, ac->n_dig,
		 ac->quirk ? ", pin fix: " : "", ac->quirk ?: "");
	for (i = 0; i < ac->n_out; i++)
		dev_dbg(dev, "codec %u: %s pin 0x%02x: DAC 0x%02x (%u widgets)\n", ac->g.addr,
			hda_auto_out_name(ac->out[i].type), ac->out[i].pin, ac->out[i].dac,
			ac->out[i].path.n);
	for (i = 0; i < ac->n_in; i++)
		dev_dbg(dev, "codec %u: %s pin 0x%02x%s\n", ac->g.addr, hda_auto_in_name(&ac->in[i]),
			ac->in[i].pin, (int)i == ac->cur_in ? ", capture source" : "");
}

/* Probe every codec (logging each); the address of the first analog one, or -1. */
static int codec_probe_all(struct hda_codec *codec)
{
	unsigned int addr;
	int analog = -1, ret;

	for (addr = 0; addr < 15; addr++) {
		if (!(codec->ctrl->codec_mask & BIT(addr)))
			continue;
		ret = hda_auto_probe(&codec->ac, &codec_ops, codec, addr);
		if (ret) {
			dev_warn(&codec->ctrl->pci->dev, "codec %u: %s (%d)\n", addr,
				 codec->ac.g.why ?: "probe failed", ret);
			continue;
		}
		codec_log(codec);
		hda_codec_note_pins(codec);
		if (analog < 0 && hda_auto_has_analog(&codec->ac))
			analog = addr;
	}
	return analog;
}

static bool codec_has_jacks(const struct hda_auto *ac)
{
	unsigned int i;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].unsol_tag)
			return true;
	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].unsol_tag)
			return true;
	return false;
}

/* A jack event from the streaming codec: re-read the jacks as the tag says. */
static void codec_unsol(void *data, unsigned int addr, u32 res)
{
	struct hda_codec *codec = data;

	if (addr != codec->addr)
		return;
	mutex_lock(&codec->lock);
	hda_auto_unsol(&codec->ac, res);
	mutex_unlock(&codec->lock);
}

/* Headphone plugged: speakers off; mic plugged: capture from it. */
static void codec_jack_work(struct work_struct *work)
{
	struct hda_codec *codec = container_of(to_delayed_work(work), struct hda_codec, jack_work);

	mutex_lock(&codec->lock);
	hda_auto_jack_poll(&codec->ac);
	mutex_unlock(&codec->lock);
	schedule_delayed_work(&codec->jack_work, msecs_to_jiffies(JACK_POLL_MS));
}

/**
 * hda_codec_probe - probe the codecs on the link and bind the first with
 *	analog outputs or inputs
 * @codec: state to fill (zeroed by the caller)
 * @ctrl: the controller, after hda_ctrl_init()
 *
 * Context: sleeps. Return: 0 or a negative errno (-ENODEV: no analog codec).
 */
int hda_codec_probe(struct hda_codec *codec, struct hda_ctrl *ctrl)
{
	int analog, ret;

	mutex_init(&codec->lock);
	INIT_DELAYED_WORK(&codec->jack_work, codec_jack_work);
	codec->ctrl = ctrl;
	analog = codec_probe_all(codec);
	if (analog < 0)
		return -ENODEV;
	/* A later (HDMI) codec may have been probed into @ac since. */
	if (codec->ac.g.addr != analog) {
		ret = hda_auto_probe(&codec->ac, &codec_ops, codec, analog);
		if (ret)
			return ret;
	}
	codec->addr = analog;
	codec->vendor_id = codec->ac.g.vendor_id;
	codec_make_name(codec);
	codec_note_virtual(codec);
	if (codec_has_jacks(&codec->ac) &&
	    !hda_ctrl_set_unsol_handler(ctrl, codec_unsol, codec))
		schedule_delayed_work(&codec->jack_work, msecs_to_jiffies(JACK_POLL_MS));
	return 0;
}

/**
 * hda_codec_remove - stop hearing and polling the jacks; after a successful
 *	hda_codec_probe(), before the controller goes
 * Context: sleeps.
 */
void hda_codec_remove(struct hda_codec *codec)
{
	hda_ctrl_set_unsol_handler(codec->ctrl, NULL, NULL);
	cancel_delayed_work_sync(&codec->jack_work);
}

/* ---- system sleep ----------------------------------------------------------- */

/* The mixer as the user left it, read back from the amps before they lose it. */
static void codec_save_mixer(struct hda_codec *codec)
{
	struct hda_codec_mixer_save *m;
	int cap;

	for (cap = 0; cap < 2; cap++) {
		m = &codec->saved[cap];
		m->valid = !hda_auto_mixer_get(&codec->ac, cap, m->gain, m->mute);
	}
}

static void codec_restore_mixer(struct hda_codec *codec)
{
	struct hda_codec_mixer_save *m;
	int cap;

	for (cap = 0; cap < 2; cap++) {
		m = &codec->saved[cap];
		if (m->valid && hda_auto_mixer_set(&codec->ac, cap, m->gain, m->mute))
			dev_warn(&codec->ctrl->pci->dev, "%s mixer not restored after resume\n",
				 cap ? "capture" : "playback");
	}
}

/* Jack presence, outputs in bits 0-15 and inputs in 16-31 (by index: the
 * parse order does not change). */
static u32 codec_jacks_present(const struct hda_auto *ac)
{
	u32 mask = 0;
	unsigned int i;

	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].present)
			mask |= BIT(i);
	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].present)
			mask |= BIT(16 + i);
	return mask;
}

/*
 * What the parser's fresh set-up after a power-up would otherwise forget or
 * miscount: the capture source the user chose, and the jack change count
 * user space compares (the set-up counts every plugged jack as a change).
 */
static void codec_save_parser(struct hda_codec *codec)
{
	const struct hda_auto *ac = &codec->ac;

	codec->saved_cap_pin = ac->cur_in >= 0 ? ac->in[ac->cur_in].pin : 0;
	codec->saved_jack_changes = ac->jack_changes;
	codec->saved_jacks = codec_jacks_present(ac);
}

/* Counted as the parser counts: per output jack, once for the inputs. */
static void codec_restore_parser(struct hda_codec *codec)
{
	struct hda_auto *ac = &codec->ac;
	u32 changed = codec_jacks_present(ac) ^ codec->saved_jacks;
	int i;

	ac->jack_changes = codec->saved_jack_changes + hweight16(changed & 0xffff) +
			   !!(changed >> 16);
	/* Auto-mic decided again when an input jack changed while powered down. */
	if ((changed >> 16) || !codec->saved_cap_pin)
		return;
	for (i = 0; i < ac->n_in; i++)
		if (ac->in[i].pin == codec->saved_cap_pin && i != ac->cur_in)
			hda_auto_set_capture_source(ac, i);
}

/**
 * hda_codec_suspend - system sleep or runtime suspend: stop polling the
 *	jacks, remember the mixer and capture source, function group to D3;
 *	the codec loses every setting when the link is reset
 * @codec: the streaming codec, streams halted
 * Context: sleeps.
 */
void hda_codec_suspend(struct hda_codec *codec)
{
	struct hda_graph *g = &codec->ac.g;

	cancel_delayed_work_sync(&codec->jack_work);
	mutex_lock(&codec->lock);
	codec_save_mixer(codec);
	codec_save_parser(codec);
	hda_graph_clear_error(g);
	hda_graph_set(g, g->afg, AC_VERB_SET_POWER_STATE, AC_PWRST_D3);
	mutex_unlock(&codec->lock);
}

/**
 * hda_codec_resume - set the codec up again after the link came back
 * @codec: the streaming codec, its controller resumed
 *
 * The whole parser set-up runs again (power, paths, pin controls, jack
 * sensing and automute, capture source, unsolicited tags), then the saved
 * mixer values and the chosen capture source are written back.  No stream is on the converters: PREPARE
 * puts it there again.
 * Context: sleeps. Return: 0 or the probe's error.
 */
int hda_codec_resume(struct hda_codec *codec)
{
	int ret;

	mutex_lock(&codec->lock);
	ret = hda_auto_probe(&codec->ac, &codec_ops, codec, codec->addr);
	if (!ret) {
		codec_restore_mixer(codec);
		codec_restore_parser(codec);
	}
	mutex_unlock(&codec->lock);
	if (ret) {
		dev_err(&codec->ctrl->pci->dev, "codec %u: %s after resume (%d)\n", codec->addr,
			codec->ac.g.why ?: "probe failed", ret);
		return ret;
	}
	if (codec_has_jacks(&codec->ac) && codec->ctrl->single_cmd)
		schedule_delayed_work(&codec->jack_work, msecs_to_jiffies(JACK_POLL_MS));
	return 0;
}

static unsigned int container_bits(unsigned int format)
{
	switch (format) {
	case RINGPCM_FORMAT_S16_LE:
		return 16;
	case RINGPCM_FORMAT_S32_LE:
		return 32;
	}
	return 0;
}

/**
 * hda_codec_format_bits - the stream format register value for a PCM format
 *	on this codec (S32_LE carries 24 bits on a 24-bit codec)
 * Return: the value, or 0 when the converters cannot take it.
 */
u16 hda_codec_format_bits(struct hda_codec *codec, int dir, unsigned int rate,
			  unsigned int channels, unsigned int format)
{
	bool capture = dir == RINGPCM_DIR_CAPTURE;
	u16 bits;

	mutex_lock(&codec->lock);
	bits = hda_auto_format(&codec->ac, capture, rate, channels, container_bits(format));
	mutex_unlock(&codec->lock);
	return bits;
}

/*
 * The jacks first (no unsolicited responses on this link), then the stream
 * on every DAC in use or on the capture ADC.
 */
int hda_codec_stream_setup(struct hda_codec *codec, int dir, unsigned int tag, u16 format)
{
	int ret;

	mutex_lock(&codec->lock);
	hda_auto_jack_poll(&codec->ac);
	ret = hda_auto_stream_setup(&codec->ac, dir == RINGPCM_DIR_CAPTURE, tag, format);
	mutex_unlock(&codec->lock);
	return ret;
}

void hda_codec_stream_cleanup(struct hda_codec *codec, int dir)
{
	mutex_lock(&codec->lock);
	hda_auto_stream_cleanup(&codec->ac, dir == RINGPCM_DIR_CAPTURE);
	mutex_unlock(&codec->lock);
}

/* Channels every converter in use takes (they come in pairs, see below). */
static unsigned int codec_channels_max(const struct hda_auto *ac, bool capture)
{
	unsigned int i, n = 16;

	if (capture)
		return ac->adc ? AC_WCAP_CHANS(ac->g.w[ac->adc].wcaps) : 0;
	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].dac)
			n = min_t(unsigned int, n, AC_WCAP_CHANS(ac->g.w[ac->out[i].dac].wcaps));
	return n == 16 ? 0 : n;
}

void hda_codec_fill_info(struct hda_codec *codec, int dir, struct ringpcm_info *info)
{
	bool capture = dir == RINGPCM_DIR_CAPTURE;
	unsigned int chans;
	u32 caps;
	int i;

	mutex_lock(&codec->lock);
	caps = hda_auto_pcm_caps(&codec->ac, capture);
	chans = codec_channels_max(&codec->ac, capture);
	mutex_unlock(&codec->lock);
	strscpy(info->codec, codec->name, sizeof(info->codec));
	info->formats = 0;
	if (caps & AC_SUPPCM_BITS_16)
		info->formats |= 1u << RINGPCM_FORMAT_S16_LE;
	if (caps & (AC_SUPPCM_BITS_20 | AC_SUPPCM_BITS_24 | AC_SUPPCM_BITS_32))
		info->formats |= 1u << RINGPCM_FORMAT_S32_LE;
	info->n_rates = 0;
	for (i = 0; i < ARRAY_SIZE(hda_rates) && info->n_rates < RINGPCM_MAX_RATES; i++)
		if (caps & BIT(i))
			info->rates[info->n_rates++] = hda_rates[i];
	/*
	 * A stereo converter takes its channels in pairs: no mono stream, as
	 * snd-hda-codec's generic parser never offers one either (user space
	 * converts).  QEMU's codec takes mono, but after a mono stream its
	 * JACK audio backend can stop pulling data for the next stereo one.
	 */
	info->channels_min = chans ? min(chans, 2u) : 0;
	info->channels_max = chans;
}

/* The range of the volume amp (none: a switch only, max_gain 0). */
static void codec_mixer_describe(const struct hda_amp *vol, const struct hda_amp *sw,
				 struct ringpcm_mixer *m)
{
	u32 caps = vol ? vol->caps : 0;
	u32 step = (AC_AMPCAP_STEP_SIZE(caps) + 1) * 25;	/* 1/100 dB */

	m->max_gain = AC_AMPCAP_NUM_STEPS(caps);
	m->step_db100 = step;
	m->min_db100 = -(s32)(AC_AMPCAP_OFFSET(caps) * step);
	m->can_mute = !!sw;
}

/* Playback acts on every output path ("Master"), capture on the capture path. */
int hda_codec_mixer_get(struct hda_codec *codec, struct ringpcm_mixer *m)
{
	bool capture = m->control == RINGPCM_MIXER_CAPTURE, mute[2];
	unsigned int gain[2];
	int ret, ch;

	if (m->control > RINGPCM_MIXER_CAPTURE)
		return -EINVAL;
	mutex_lock(&codec->lock);
	codec_mixer_describe(hda_auto_mixer_amp(&codec->ac, capture, false),
			     hda_auto_mixer_amp(&codec->ac, capture, true), m);
	ret = hda_auto_mixer_get(&codec->ac, capture, gain, mute);
	mutex_unlock(&codec->lock);
	if (ret)
		return ret == -ENODEV ? -EINVAL : ret;
	for (ch = 0; ch < 2; ch++) {
		m->gain[ch] = gain[ch];
		m->mute[ch] = mute[ch];
	}
	return 0;
}

int hda_codec_mixer_set(struct hda_codec *codec, const struct ringpcm_mixer *m)
{
	bool capture = m->control == RINGPCM_MIXER_CAPTURE, mute[2];
	unsigned int gain[2];
	int ret, ch;

	if (m->control > RINGPCM_MIXER_CAPTURE)
		return -EINVAL;
	for (ch = 0; ch < 2; ch++) {
		if (m->mute[ch] > 1)
			return -EINVAL;
		gain[ch] = m->gain[ch];
		mute[ch] = m->mute[ch];
	}
	mutex_lock(&codec->lock);
	ret = hda_auto_mixer_set(&codec->ac, capture, gain, mute);
	mutex_unlock(&codec->lock);
	return ret == -ENODEV ? -EINVAL : ret;
}

/**
 * hda_codec_delay - samples a stream spends inside the streaming codec's
 * converters (widget caps), the longest of the DACs in use for playback
 * @codec: the streaming codec
 * @dir: enum ringpcm_direction
 */
unsigned int hda_codec_delay(struct hda_codec *codec, int dir)
{
	const struct hda_auto *ac = &codec->ac;
	unsigned int i, delay = 0;

	if (dir == RINGPCM_DIR_CAPTURE)
		return ac->adc ? AC_WCAP_DELAY(ac->g.w[ac->adc].wcaps) : 0;
	for (i = 0; i < ac->n_out; i++)
		if (ac->out[i].dac)
			delay = max(delay, AC_WCAP_DELAY(ac->g.w[ac->out[i].dac].wcaps));
	return delay;
}
