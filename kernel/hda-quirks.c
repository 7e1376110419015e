// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Per-machine pin fixes where the BIOS leaves a pin's default configuration
 * wrong and the fix is known (the same values as Linux's patch_realtek.c).
 * Applied to the graph after it is read, before the pins are classified, and
 * only to the driver's copy: like Linux, the codec's own registers keep the
 * BIOS values.  Pure C, shared with the host tests.
 *
 * Not here (they need more than pin configurations): Realtek's headset mode
 * (COEF writes that switch the combo jack between headphone and headset, and
 * detect a headset mic on it), MacBook GPIO speaker amps, internal-mic boost
 * limits.
 */
#include "hda-quirks.h"

#define SUBVENDOR_ANY	0

/* A pin whose configuration says "no connection" (any 0x4....... value). */
#define PIN_NA		0x40000000u
#define PIN_NA_MASK	0xf0000000u

struct pin_fix {
	__u8 nid;
	__u32 defcfg;
};

struct hda_quirk {
	const char *name;
	__u32 vendor_id;		/* codec */
	__u32 subsystem;		/* the codec's subsystem id */
	bool subvendor_only;		/* compare its vendor half only */
	struct pin_fix need_na[2];	/* only when these pins are N/A (0: none) */
	struct pin_fix set[3];
};

static const struct hda_quirk quirks[] = {
	/*
	 * Dell laptops with ALC256/ALC236 leave the headset mic (0x19) and the
	 * headphone mic (0x1a) unconnected: Linux's fallback pin quirk gives
	 * them ALC255_FIXUP_DELL1_MIC_NO_PRESENCE's configuration (external
	 * mics without presence detection of their own: the combo jack's
	 * presence is the headphone's).
	 */
	{ "Dell ALC256 headset mic", 0x10ec0256, 0x1028 << 16, true,
	  { { 0x19, PIN_NA }, { 0x1a, PIN_NA } }, { { 0x19, 0x01a1913c }, { 0x1a, 0x01a1913d } } },
	{ "Dell ALC236 headset mic", 0x10ec0236, 0x1028 << 16, true,
	  { { 0x19, PIN_NA }, { 0x1a, PIN_NA } }, { { 0x19, 0x01a1913c }, { 0x1a, 0x01a1913d } } },
	/* ThinkPad T530's dock: its mic and headphone (ALC269_FIXUP_LENOVO_DOCK). */
	{ "Lenovo ThinkPad T530 dock", 0x10ec0269, 0x17aa21f6, false, { { 0 } },
	  { { 0x19, 0x23a11040 }, { 0x1b, 0x2121103f } } },
};

static bool quirk_matches(const struct hda_graph *g, const struct hda_quirk *q)
{
	unsigned int i;

	if (g->vendor_id != q->vendor_id)
		return false;
	if (q->subvendor_only ? (g->subsystem_id >> 16) != (q->subsystem >> 16) :
				g->subsystem_id != q->subsystem)
		return false;
	for (i = 0; i < 2 && q->need_na[i].nid; i++) {
		const struct hda_widget *w = hda_widget(g, q->need_na[i].nid);

		if (!w || w->type != AC_WID_PIN || (w->defcfg & PIN_NA_MASK) != PIN_NA)
			return false;
	}
	return true;
}

/**
 * hda_quirks_apply - fix the pin configurations of a known machine
 * @g: the graph, just read
 * Return: the quirk's name, or NULL when none applies.
 */
const char *hda_quirks_apply(struct hda_graph *g)
{
	const struct hda_quirk *q;
	unsigned int i, k;

	for (i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++) {
		q = &quirks[i];
		if (!quirk_matches(g, q))
			continue;
		for (k = 0; k < 3 && q->set[k].nid; k++)
			if (hda_widget(g, q->set[k].nid) && g->w[q->set[k].nid].type == AC_WID_PIN)
				g->w[q->set[k].nid].defcfg = q->set[k].defcfg;
		return q->name;
	}
	return NULL;
}
