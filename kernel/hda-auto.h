/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The generic codec parser: pins classified from their default
 * configuration, paths from output pins back to DACs and from an ADC to the
 * chosen input, their activation, jack handling (auto-mute, auto-mic),
 * stream set-up and the mixer amps.  Pure C over struct hda_codec_ops, run
 * unchanged by the driver and by the host emulator's tests.
 */
#ifndef _RINGPCM_HDA_AUTO_H
#define _RINGPCM_HDA_AUTO_H

#include "hda-graph.h"

#define HDA_MAX_PATH	8	/* widgets on one path, pin and converter included */
#define HDA_MAX_OUTS	8
#define HDA_MAX_INS	8
#define HDA_MAX_DIGITAL	8

/*
 * A route through the graph, listed upstream as connection lists run:
 * nid[0] is the sink (an output pin, or an ADC), nid[n - 1] the source (a
 * DAC, or an input pin); idx[i] is the connection index at nid[i] that
 * reaches nid[i + 1].
 */
struct hda_path {
	__u8 n;
	__u8 nid[HDA_MAX_PATH];
	__u8 idx[HDA_MAX_PATH];
};

/* One amplifier: a widget's output amp, or one input of its input amps. */
struct hda_amp {
	__u8 nid;		/* 0: none */
	bool input;
	__u8 idx;
	__u32 caps;
};

enum hda_out_type { HDA_OUT_LINE, HDA_OUT_SPEAKER, HDA_OUT_HP };
enum hda_in_type { HDA_IN_MIC, HDA_IN_LINE, HDA_IN_AUX, HDA_IN_CD };
enum hda_in_place { HDA_IN_NORMAL, HDA_IN_INTERNAL, HDA_IN_REAR, HDA_IN_FRONT, HDA_IN_DOCK };

struct hda_out {
	__u8 pin;
	__u8 type;		/* enum hda_out_type */
	__u8 seq;		/* association << 4 | sequence: the sort key */
	bool jack;		/* can tell presence (sense, no NO_PRESENCE) */
	bool present;
	__u8 unsol_tag;		/* 0: none */
	__u8 dac;		/* 0: no path */
	struct hda_path path;
	struct hda_amp vol, mute;	/* what a "Master" control acts on */
};

struct hda_in {
	__u8 pin;
	__u8 type;		/* enum hda_in_type */
	__u8 place;		/* enum hda_in_place */
	bool jack;
	bool present;
	__u8 unsol_tag;
	bool routed;		/* an ADC reaches it: a capture source */
	unsigned int plug_seq;	/* order of plugging, 0: not plugged */
};

/* A digital (HDMI/DP/S/PDIF) output pin: listed, not streamed. */
struct hda_digital {
	__u8 pin;
	bool hdmi, dp;
	__u8 n_conn;		/* converters it can take */
};

struct hda_stream_state {
	__u8 tag;		/* 0: not set up */
	__u16 format;
};

struct hda_auto {
	struct hda_graph g;
	struct hda_out out[HDA_MAX_OUTS];
	unsigned int n_out;
	struct hda_in in[HDA_MAX_INS];
	unsigned int n_in;
	struct hda_digital dig[HDA_MAX_DIGITAL];
	unsigned int n_dig;
	unsigned int n_digital_cvt;
	__u8 adc;		/* capture converter, 0: none */
	int cur_in;		/* capture source: index in in[], -1: none */
	struct hda_path cap_path;
	struct hda_amp cap_vol, cap_mute;
	bool hp_present;	/* any headphone jack plugged: speakers muted */
	bool format_first;	/* codec quirk: format before stream tag */
	const char *quirk;	/* the machine's pin fix applied, or NULL */
	unsigned int plug_count;
	unsigned int jack_changes;	/* presence changes seen, for user space */
	struct hda_stream_state stream[2];	/* [0] playback, [1] capture */
	__u8 sel_claim[HDA_MAX_NODES];	/* selector input in use + 1, 0: free */
};

int hda_auto_probe(struct hda_auto *ac, const struct hda_codec_ops *ops, void *priv,
		   unsigned int addr);
bool hda_auto_has_analog(const struct hda_auto *ac);
int hda_auto_stream_setup(struct hda_auto *ac, bool capture, unsigned int tag, __u16 format);
void hda_auto_stream_cleanup(struct hda_auto *ac, bool capture);
__u32 hda_auto_pcm_caps(const struct hda_auto *ac, bool capture);
__u16 hda_auto_format(const struct hda_auto *ac, bool capture, unsigned int rate,
		      unsigned int channels, unsigned int container_bits);
int hda_auto_unsol(struct hda_auto *ac, __u32 res);
int hda_auto_jack_poll(struct hda_auto *ac);
int hda_auto_set_capture_source(struct hda_auto *ac, int in);
const struct hda_amp *hda_auto_mixer_amp(const struct hda_auto *ac, bool capture, bool mute);
int hda_auto_mixer_get(struct hda_auto *ac, bool capture, unsigned int gain[2], bool mute[2]);
int hda_auto_mixer_set(struct hda_auto *ac, bool capture, const unsigned int gain[2],
		       const bool mute[2]);
unsigned int hda_auto_place(__u32 defcfg);
const char *hda_auto_out_name(unsigned int type);
const char *hda_auto_in_name(const struct hda_in *in);

#endif /* _RINGPCM_HDA_AUTO_H */
