/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * HD Audio codec verbs, parameters and their bit fields (HDA specification
 * 1.0a, section 7.3), under ALSA's AC_* names.  Plain constants only: shared
 * by the driver (through hda-regs.h) and the host emulator and tests.
 */
#ifndef _RINGPCM_HDA_VERBS_H
#define _RINGPCM_HDA_VERBS_H

/*
 * A command word: codec address 31:28, NID 27:20, then either a 12-bit verb
 * with an 8-bit payload or a 4-bit verb with a 16-bit payload.  The verb
 * constants below are written as the driver passes them: 12-bit verbs as
 * is, 4-bit verbs shifted left by 8 (0x200 is "4-bit verb 0x2").
 */
#define AC_CMD(addr, nid, verb, parm) \
	(((__u32)(addr) << 28) | ((__u32)(nid) << 20) | ((((__u32)(verb) << 8) | (parm)) & 0xfffff))
#define AC_CMD_ADDR(cmd)	((cmd) >> 28)
#define AC_CMD_NID(cmd)		(((cmd) >> 20) & 0xff)

/* Get verbs */
#define AC_VERB_GET_STREAM_FORMAT		0xa00
#define AC_VERB_GET_AMP_GAIN_MUTE		0xb00
#define AC_VERB_GET_PARAMETER			0xf00
#define AC_VERB_GET_CONNECT_SEL			0xf01
#define AC_VERB_GET_CONNECT_LIST		0xf02
#define AC_VERB_GET_PROC_STATE			0xf03
#define AC_VERB_GET_SDI_SELECT			0xf04
#define AC_VERB_GET_POWER_STATE			0xf05
#define AC_VERB_GET_CONV			0xf06
#define AC_VERB_GET_PIN_WIDGET_CONTROL		0xf07
#define AC_VERB_GET_UNSOLICITED_RESPONSE	0xf08
#define AC_VERB_GET_PIN_SENSE			0xf09
#define AC_VERB_GET_BEEP_CONTROL		0xf0a
#define AC_VERB_GET_EAPD_BTLENABLE		0xf0c
#define AC_VERB_GET_DIGI_CONVERT_1		0xf0d
#define AC_VERB_GET_VOLUME_KNOB_CONTROL		0xf0f
#define AC_VERB_GET_GPIO_DATA			0xf15
#define AC_VERB_GET_GPIO_MASK			0xf16
#define AC_VERB_GET_GPIO_DIRECTION		0xf17
#define AC_VERB_GET_CONFIG_DEFAULT		0xf1c
#define AC_VERB_GET_SUBSYSTEM_ID		0xf20
#define AC_VERB_GET_COEF_INDEX			0xd00
#define AC_VERB_GET_PROC_COEF			0xc00

/* Set verbs */
#define AC_VERB_SET_STREAM_FORMAT		0x200
#define AC_VERB_SET_AMP_GAIN_MUTE		0x300
#define AC_VERB_SET_PROC_COEF			0x400
#define AC_VERB_SET_COEF_INDEX			0x500
#define AC_VERB_SET_CONNECT_SEL			0x701
#define AC_VERB_SET_PROC_STATE			0x703
#define AC_VERB_SET_SDI_SELECT			0x704
#define AC_VERB_SET_POWER_STATE			0x705
#define AC_VERB_SET_CHANNEL_STREAMID		0x706
#define AC_VERB_SET_PIN_WIDGET_CONTROL		0x707
#define AC_VERB_SET_UNSOLICITED_ENABLE		0x708
#define AC_VERB_SET_PIN_SENSE			0x709
#define AC_VERB_SET_BEEP_CONTROL		0x70a
#define AC_VERB_SET_EAPD_BTLENABLE		0x70c
#define AC_VERB_SET_DIGI_CONVERT_1		0x70d
#define AC_VERB_SET_DIGI_CONVERT_2		0x70e
#define AC_VERB_SET_VOLUME_KNOB_CONTROL		0x70f
#define AC_VERB_SET_GPIO_DATA			0x715
#define AC_VERB_SET_GPIO_MASK			0x716
#define AC_VERB_SET_GPIO_DIRECTION		0x717
#define AC_VERB_SET_CODEC_RESET			0x7ff

/* Parameters (AC_VERB_GET_PARAMETER payload) */
#define AC_PAR_VENDOR_ID		0x00
#define AC_PAR_SUBSYSTEM_ID		0x01
#define AC_PAR_REV_ID			0x02
#define AC_PAR_NODE_COUNT		0x04
#define AC_PAR_FUNCTION_TYPE		0x05
#define AC_PAR_AUDIO_FG_CAP		0x08
#define AC_PAR_AUDIO_WIDGET_CAP		0x09
#define AC_PAR_PCM			0x0a
#define AC_PAR_STREAM			0x0b
#define AC_PAR_PIN_CAP			0x0c
#define AC_PAR_AMP_IN_CAP		0x0d
#define AC_PAR_CONNLIST_LEN		0x0e
#define AC_PAR_POWER_STATE		0x0f
#define AC_PAR_PROC_CAP			0x10
#define AC_PAR_GPIO_CAP			0x11
#define AC_PAR_AMP_OUT_CAP		0x12
#define AC_PAR_VOL_KNB_CAP		0x13

/* Function group types */
#define AC_GRP_AUDIO_FUNCTION		0x01
#define AC_GRP_MODEM_FUNCTION		0x02

/* Audio widget capabilities */
#define AC_WID_AUD_OUT			0x0
#define AC_WID_AUD_IN			0x1
#define AC_WID_AUD_MIX			0x2
#define AC_WID_AUD_SEL			0x3
#define AC_WID_PIN			0x4
#define AC_WID_POWER			0x5
#define AC_WID_VOL_KNB			0x6
#define AC_WID_BEEP			0x7
#define AC_WID_VENDOR			0xf
#define AC_WCAP_TYPE(w)			(((w) >> 20) & 0xf)
#define AC_WCAP_DELAY(w)		(((w) >> 16) & 0xf)	/* samples */
#define AC_WCAP_STEREO			(1u << 0)
#define AC_WCAP_IN_AMP			(1u << 1)
#define AC_WCAP_OUT_AMP			(1u << 2)
#define AC_WCAP_AMP_OVRD		(1u << 3)
#define AC_WCAP_FORMAT_OVRD		(1u << 4)
#define AC_WCAP_PROC_WID		(1u << 6)
#define AC_WCAP_UNSOL_CAP		(1u << 7)
#define AC_WCAP_CONN_LIST		(1u << 8)
#define AC_WCAP_DIGITAL			(1u << 9)
#define AC_WCAP_POWER			(1u << 10)
#define AC_WCAP_LR_SWAP			(1u << 11)
#define AC_WCAP_CP_CAPS			(1u << 12)
#define AC_WCAP_CHANS(w)		((((w) >> 13) & 0x7) * 2 + ((w) & AC_WCAP_STEREO) + 1)

/* Supported PCM rates and sample sizes (AC_PAR_PCM) */
#define AC_SUPPCM_RATES			0xfff
#define AC_SUPPCM_BITS_8		(1u << 16)
#define AC_SUPPCM_BITS_16		(1u << 17)
#define AC_SUPPCM_BITS_20		(1u << 18)
#define AC_SUPPCM_BITS_24		(1u << 19)
#define AC_SUPPCM_BITS_32		(1u << 20)

/* Pin capabilities (AC_PAR_PIN_CAP) */
#define AC_PINCAP_IMP_SENSE		(1u << 0)
#define AC_PINCAP_TRIG_REQ		(1u << 1)
#define AC_PINCAP_PRES_DETECT		(1u << 2)
#define AC_PINCAP_HP_DRV		(1u << 3)
#define AC_PINCAP_OUT			(1u << 4)
#define AC_PINCAP_IN			(1u << 5)
#define AC_PINCAP_BALANCE		(1u << 6)
#define AC_PINCAP_HDMI			(1u << 7)
#define AC_PINCAP_VREF_HIZ		(1u << 8)
#define AC_PINCAP_VREF_50		(1u << 9)
#define AC_PINCAP_VREF_GRD		(1u << 10)
#define AC_PINCAP_VREF_80		(1u << 12)
#define AC_PINCAP_VREF_100		(1u << 13)
#define AC_PINCAP_EAPD			(1u << 16)
#define AC_PINCAP_DP			(1u << 24)

/* Amplifier capabilities (AC_PAR_AMP_IN_CAP / AC_PAR_AMP_OUT_CAP) */
#define AC_AMPCAP_OFFSET(c)		((c) & 0x7f)
#define AC_AMPCAP_NUM_STEPS(c)		(((c) >> 8) & 0x7f)
#define AC_AMPCAP_STEP_SIZE(c)		(((c) >> 16) & 0x7f)	/* in 0.25 dB, minus 1 */
#define AC_AMPCAP_MUTE			(1u << 31)

/* Amp gain/mute verbs */
#define AC_AMP_SET_OUTPUT		(1u << 15)
#define AC_AMP_SET_INPUT		(1u << 14)
#define AC_AMP_SET_LEFT			(1u << 13)
#define AC_AMP_SET_RIGHT		(1u << 12)
#define AC_AMP_SET_INDEX_SHIFT		8
#define AC_AMP_GET_OUTPUT		(1u << 15)
#define AC_AMP_GET_LEFT			(1u << 13)
#define AC_AMP_MUTE			(1u << 7)
#define AC_AMP_GAIN			0x7f

/* Connection list length (AC_PAR_CONNLIST_LEN) */
#define AC_CLIST_LENGTH			0x7f
#define AC_CLIST_LONG			(1u << 7)

/* Power states */
#define AC_PWRST_D0			0x00
#define AC_PWRST_D3			0x03
#define AC_PWRST_SETTING		0x0f
#define AC_PWRST_ACTUAL_SHIFT		4

/* Pin widget control */
#define AC_PINCTL_VREFEN		0x07
#define AC_PINCTL_VREF_HIZ		0
#define AC_PINCTL_VREF_50		1
#define AC_PINCTL_VREF_GRD		2
#define AC_PINCTL_VREF_80		4
#define AC_PINCTL_VREF_100		5
#define AC_PINCTL_IN_EN			(1u << 5)
#define AC_PINCTL_OUT_EN		(1u << 6)
#define AC_PINCTL_HP_EN			(1u << 7)

/* Pin sense, unsolicited responses, EAPD */
#define AC_PINSENSE_PRESENCE		(1u << 31)
#define AC_UNSOL_ENABLED		(1u << 7)
#define AC_UNSOL_TAG			0x3f
#define AC_UNSOL_RES_TAG_SHIFT		26
#define AC_EAPDBTL_EAPD			(1u << 1)

/* Pin default configuration (AC_VERB_GET_CONFIG_DEFAULT) */
#define AC_DEFCFG_SEQUENCE(c)		((c) & 0xf)
#define AC_DEFCFG_ASSOC(c)		(((c) >> 4) & 0xf)
#define AC_DEFCFG_MISC_NO_PRESENCE	(1u << 8)
#define AC_DEFCFG_DEVICE(c)		(((c) >> 20) & 0xf)
#define AC_DEFCFG_LOCATION(c)		(((c) >> 24) & 0x3f)
#define AC_DEFCFG_PORT_CONN(c)		(((c) >> 30) & 0x3)

#define AC_JACK_PORT_COMPLEX		0
#define AC_JACK_PORT_NONE		1
#define AC_JACK_PORT_FIXED		2
#define AC_JACK_PORT_BOTH		3

#define AC_JACK_LINE_OUT		0x0
#define AC_JACK_SPEAKER			0x1
#define AC_JACK_HP_OUT			0x2
#define AC_JACK_CD			0x3
#define AC_JACK_SPDIF_OUT		0x4
#define AC_JACK_DIG_OTHER_OUT		0x5
#define AC_JACK_LINE_IN			0x8
#define AC_JACK_AUX			0x9
#define AC_JACK_MIC_IN			0xa
#define AC_JACK_SPDIF_IN		0xc
#define AC_JACK_DIG_OTHER_IN		0xd

/* Location: bits 5:4 gross, 3:0 geometric */
#define AC_JACK_LOC_REAR		0x01
#define AC_JACK_LOC_FRONT		0x02
#define AC_JACK_LOC_GROSS(l)		((l) & 0x30)
#define AC_JACK_LOC_INTERNAL		0x10
#define AC_JACK_LOC_SEPARATE		0x20

#endif /* _RINGPCM_HDA_VERBS_H */
