// SPDX-License-Identifier: GPL-2.0
/*
 * The codec parser (kernel/hda-*.c) against every real codec dump in
 * ../shared/codecs (or $RINGPCM_CODEC_DIR), emulated cold.  What is audible
 * or recorded is traced through the EMULATED codec's state (tools/codec-emu
 * tracer), and which pins are jacks is read from the dump itself: nothing
 * here trusts the parser's own bookkeeping, and no dump is named (but by the
 * per-machine pin fixes, which name machines).
 *
 * Per dump: every analog output jack plays the stream with nothing plugged;
 * an input reaches the capturing ADC, mics with their bias; each headphone
 * plug mutes the other outputs and keeps itself audible, unplug restores;
 * each mic plug moves capture to it; the mixer's switch silences the
 * outputs; 24-bit converters get 24 bits in a 32-bit container; the same
 * results with long-form connection lists; HDMI codecs probe and list
 * their pins.  Then robustness: corrupt dumps, a missing graph, a codec
 * that answers nothing, connection loops, dead connection entries.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "hda-emu.h"

#define MAX_DUMPS	64
#define MAX_PINS	32

static struct hda_emu emu;
static struct emu_run run;

/* ---- the dump's own view of its pins ------------------------------------- */

struct pinset {
	uint8_t out[MAX_PINS], hp_jack[MAX_PINS], in[MAX_PINS], mic_jack[MAX_PINS], hdmi[MAX_PINS];
	int n_out, n_hp_jack, n_in, n_mic_jack, n_hdmi;
};

static bool dump_pin_digital(const struct emu_node *n)
{
	unsigned int dev = AC_DEFCFG_DEVICE(n->defcfg);

	return (n->wcaps & AC_WCAP_DIGITAL) || (n->pincap & (AC_PINCAP_HDMI | AC_PINCAP_DP)) ||
	       dev == AC_JACK_SPDIF_OUT || dev == AC_JACK_DIG_OTHER_OUT ||
	       dev == AC_JACK_SPDIF_IN || dev == AC_JACK_DIG_OTHER_IN;
}

static bool dump_pin_jack(const struct emu_node *n)
{
	unsigned int loc = AC_DEFCFG_LOCATION(n->defcfg);

	return (n->pincap & AC_PINCAP_PRES_DETECT) && !(n->defcfg & AC_DEFCFG_MISC_NO_PRESENCE) &&
	       AC_DEFCFG_PORT_CONN(n->defcfg) != AC_JACK_PORT_FIXED &&
	       AC_JACK_LOC_GROSS(loc) != AC_JACK_LOC_INTERNAL;
}

/* Realtek's pin 0x1d carries a BIOS checksum (HDA-NOTES, codecs/README). */
static bool dump_pin_checksum(unsigned int nid)
{
	return emu.vendor_id >> 16 == 0x10ec && nid == 0x1d;
}

static void classify_pin(struct pinset *ps, unsigned int nid, const struct emu_node *n)
{
	unsigned int dev = AC_DEFCFG_DEVICE(n->defcfg);

	if (AC_DEFCFG_PORT_CONN(n->defcfg) == AC_JACK_PORT_NONE || dump_pin_checksum(nid))
		return;
	if (dump_pin_digital(n)) {
		if ((n->pincap & (AC_PINCAP_HDMI | AC_PINCAP_DP)) && ps->n_hdmi < MAX_PINS)
			ps->hdmi[ps->n_hdmi++] = nid;
		return;
	}
	if ((dev == AC_JACK_LINE_OUT || dev == AC_JACK_SPEAKER || dev == AC_JACK_HP_OUT) &&
	    (n->pincap & AC_PINCAP_OUT) && ps->n_out < MAX_PINS) {
		ps->out[ps->n_out++] = nid;
		if (dev == AC_JACK_HP_OUT && dump_pin_jack(n))
			ps->hp_jack[ps->n_hp_jack++] = nid;
	}
	if ((dev == AC_JACK_MIC_IN || dev == AC_JACK_LINE_IN || dev == AC_JACK_AUX ||
	     dev == AC_JACK_CD) && (n->pincap & AC_PINCAP_IN) && ps->n_in < MAX_PINS) {
		ps->in[ps->n_in++] = nid;
		if (dev == AC_JACK_MIC_IN && dump_pin_jack(n))
			ps->mic_jack[ps->n_mic_jack++] = nid;
	}
}

static void classify(struct pinset *ps)
{
	unsigned int nid;

	memset(ps, 0, sizeof(*ps));
	for (nid = emu.start_nid; nid < emu.end_nid; nid++)
		if (emu.n[nid].exists && AC_WCAP_TYPE(emu.n[nid].wcaps) == AC_WID_PIN)
			classify_pin(ps, nid, &emu.n[nid]);
}

static bool in_set(const uint8_t *set, int n, unsigned int nid)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i] == nid)
			return true;
	return false;
}

/* ---- one dump ------------------------------------------------------------ */

static bool audible(unsigned int pin)
{
	unsigned int dac;

	return emu_out_audible(&emu, pin, EMU_PLAY_TAG, EMU_FORMAT, &dac);
}

static int heard(uint8_t *pins)
{
	unsigned int adc;

	return emu_capture_sources(&emu, EMU_CAP_TAG, EMU_FORMAT, &adc, pins, MAX_PINS);
}

/* A fresh cold codec with the driver probed and both streams started. */
static bool start(const char *path, const char *name, bool long_form)
{
	char err[256];

	if (emu_load(&emu, path, err, sizeof(err)))
		return unit_check(false, name, "%s", err);
	emu.force_long_form = long_form;
	if (emu_run_start(&run, &emu, NULL))
		return unit_check(false, name, "probe failed: %s", run.ac.g.why);
	return true;
}

static void check_outputs(const char *d, const struct pinset *ps, const char *variant)
{
	char name[160];
	int i;

	for (i = 0; i < ps->n_out; i++) {
		snprintf(name, sizeof(name), "codec-%s%s-out-0x%02x-audible", d, variant, ps->out[i]);
		unit_check(audible(ps->out[i]), name, "pin 0x%02x does not play the stream",
			   ps->out[i]);
	}
}

static void check_capture(const char *d, const struct pinset *ps, const char *variant)
{
	uint8_t pins[MAX_PINS];
	char name[160];
	int n, i;
	bool ok;

	n = heard(pins);
	for (i = 0, ok = n > 0; i < n; i++)
		ok = ok && in_set(ps->in, ps->n_in, pins[i]);
	snprintf(name, sizeof(name), "codec-%s%s-capture-hears-an-input", d, variant);
	unit_check(ok, name, "the capturing ADC hears %d pins, first 0x%02x", n, n ? pins[0] : 0);
}

/* The capture source control reaches every input, one at a time. */
static void check_capture_sources(const char *d, const struct pinset *ps)
{
	uint8_t pins[MAX_PINS];
	char name[160];
	unsigned int k;
	int i, n, ret;

	for (i = 0; i < ps->n_in; i++) {
		for (k = 0; k < run.ac.n_in && run.ac.in[k].pin != ps->in[i]; k++)
			;
		ret = k < run.ac.n_in ? hda_auto_set_capture_source(&run.ac, k) : -ENOENT;
		n = heard(pins);
		snprintf(name, sizeof(name), "codec-%s-capture-source-0x%02x", d, ps->in[i]);
		unit_check(!ret && n == 1 && pins[0] == ps->in[i], name,
			   "select %d, the ADC hears %d pins, first 0x%02x", ret, n, n ? pins[0] : 0);
	}
}

/* A mic that is recorded has its bias on (the default vref, never Hi-Z). */
static void check_mic_vref(const char *d, const char *when)
{
	uint8_t pins[MAX_PINS];
	char name[160];
	int n = heard(pins), i;

	for (i = 0; i < n; i++) {
		const struct emu_node *p = &emu.n[pins[i]];
		uint32_t vrefs = p->pincap & (AC_PINCAP_VREF_50 | AC_PINCAP_VREF_80 | AC_PINCAP_VREF_100);

		if (AC_DEFCFG_DEVICE(p->defcfg) != AC_JACK_MIC_IN || !vrefs)
			continue;
		snprintf(name, sizeof(name), "codec-%s-mic-0x%02x-%svref", d, pins[i], when);
		unit_check(p->pinctl & AC_PINCTL_VREFEN, name, "pin ctl 0x%02x has no mic bias",
			   p->pinctl);
	}
}

/* The emulator starts cold: nothing plays before the driver ran. */
static void check_cold(const char *path, const char *d, const struct pinset *ps)
{
	char name[160], err[256];
	bool ok = !emu_load(&emu, path, err, sizeof(err));
	int i;

	for (i = 0; ok && i < ps->n_out; i++)
		ok = !audible(ps->out[i]);
	snprintf(name, sizeof(name), "codec-%s-cold-silent", d);
	unit_check(ok, name, "an output plays before the driver ran");
}

static void check_hp_jack(const char *path, const char *d, const struct pinset *ps, unsigned int hp)
{
	char name[160];
	bool ok = true;
	int i;

	if (!start(path, d, false))
		return;
	emu_run_jack(&run, hp, true, NULL);
	for (i = 0; i < ps->n_out; i++)
		if (!in_set(ps->hp_jack, ps->n_hp_jack, ps->out[i]) && audible(ps->out[i]))
			ok = false;
	snprintf(name, sizeof(name), "codec-%s-hp-0x%02x-plug-mutes-others", d, hp);
	unit_check(ok, name, "an output other than a headphone still plays");
	for (i = 0, ok = true; i < ps->n_out; i++) {
		const struct emu_node *o = &emu.n[ps->out[i]];

		if (!in_set(ps->hp_jack, ps->n_hp_jack, ps->out[i]) &&
		    ((o->pinctl & AC_PINCTL_OUT_EN) ||
		     ((o->pincap & AC_PINCAP_EAPD) && (o->eapd & AC_EAPDBTL_EAPD))))
			ok = false;
	}
	snprintf(name, sizeof(name), "codec-%s-hp-0x%02x-plug-others-pin-and-eapd-off", d, hp);
	unit_check(ok, name, "another output keeps its pin control or EAPD on");
	snprintf(name, sizeof(name), "codec-%s-hp-0x%02x-plug-stays-audible", d, hp);
	unit_check(audible(hp), name, "the plugged headphone went silent");
	emu_run_jack(&run, hp, false, NULL);
	for (i = 0, ok = true; i < ps->n_out; i++)
		ok = ok && audible(ps->out[i]);
	snprintf(name, sizeof(name), "codec-%s-hp-0x%02x-unplug-restores", d, hp);
	unit_check(ok, name, "an output stayed silent after unplugging");
}

static void check_mic_jack(const char *path, const char *d, unsigned int mic)
{
	uint8_t pins[MAX_PINS];
	char name[160];
	int n;

	if (!start(path, d, false))
		return;
	emu_run_jack(&run, mic, true, NULL);
	n = heard(pins);
	snprintf(name, sizeof(name), "codec-%s-mic-0x%02x-plug-captures-it", d, mic);
	unit_check(n == 1 && pins[0] == mic, name, "capture hears %d pins, first 0x%02x", n,
		   n ? pins[0] : 0);
	check_mic_vref(d, "plugged-");
	emu_run_jack(&run, mic, false, NULL);
	n = heard(pins);
	snprintf(name, sizeof(name), "codec-%s-mic-0x%02x-unplug-still-captures", d, mic);
	unit_check(n >= 1, name, "nothing reaches the ADC after unplugging");
}

static int input_index(unsigned int pin)
{
	unsigned int k;

	for (k = 0; k < run.ac.n_in; k++)
		if (run.ac.in[k].pin == pin)
			return k;
	return -1;
}

/*
 * A capture source chosen by hand survives the jack polls (every 500 ms in
 * the driver) and gives way to auto-mic at the next mic plug; the parser's
 * jack state (what user space reads) follows the emulated pin.
 */
static void check_manual_source(const char *path, const char *d, const struct pinset *ps,
				unsigned int mic)
{
	unsigned int changes;
	uint8_t pins[MAX_PINS];
	char name[160];
	int i, k = -1, n;

	if (!start(path, d, false))
		return;
	for (i = 0; i < ps->n_in && k < 0; i++)
		if (ps->in[i] != mic && input_index(ps->in[i]) >= 0 &&
		    run.ac.in[input_index(ps->in[i])].routed)
			k = input_index(ps->in[i]);
	if (k < 0)
		return;		/* the mic is the only input */
	snprintf(name, sizeof(name), "codec-%s-manual-source-0x%02x-holds-over-polls", d,
		 run.ac.in[k].pin);
	hda_auto_set_capture_source(&run.ac, k);
	hda_auto_jack_poll(&run.ac);
	hda_auto_jack_poll(&run.ac);
	n = heard(pins);
	unit_check(n == 1 && pins[0] == run.ac.in[k].pin, name, "capture hears %d pins, first 0x%02x",
		   n, n ? pins[0] : 0);
	changes = run.ac.jack_changes;
	emu_run_jack(&run, mic, true, NULL);
	n = heard(pins);
	snprintf(name, sizeof(name), "codec-%s-manual-source-mic-0x%02x-plug-takes-over", d, mic);
	unit_check(n == 1 && pins[0] == mic, name, "capture hears %d pins, first 0x%02x", n,
		   n ? pins[0] : 0);
	k = input_index(mic);
	snprintf(name, sizeof(name), "codec-%s-mic-0x%02x-jack-state-reported", d, mic);
	unit_check(k >= 0 && run.ac.in[k].present == emu.n[mic].present &&
		   run.ac.jack_changes > changes && run.ac.cur_in == k, name,
		   "parser says present %d (emulator %d), changes %u -> %u, source %d",
		   k >= 0 && run.ac.in[k].present, emu.n[mic].present, changes,
		   run.ac.jack_changes, run.ac.cur_in);
}

/* The playback switch silences every output; switching back restores. */
static void check_mixer(const char *d, const struct pinset *ps)
{
	unsigned int gain[2];
	bool mute[2], on[2] = { true, true }, off[2] = { false, false }, ok = true;
	char name[160];
	int i;

	if (!hda_auto_mixer_amp(&run.ac, false, true) || hda_auto_mixer_get(&run.ac, false, gain, mute))
		return;
	snprintf(name, sizeof(name), "codec-%s-mixer-switch", d);
	if (hda_auto_mixer_set(&run.ac, false, gain, on)) {
		unit_check(false, name, "setting the switch failed");
		return;
	}
	for (i = 0; i < ps->n_out; i++)
		ok = ok && !audible(ps->out[i]);
	hda_auto_mixer_set(&run.ac, false, gain, off);
	for (i = 0; i < ps->n_out; i++)
		ok = ok && audible(ps->out[i]);
	hda_auto_mixer_get(&run.ac, false, gain, mute);
	unit_check(ok && !mute[0] && !mute[1], name, "muting/unmuting did not follow");
}

/* S32_LE carries the codec's best size: 24 bits where it has no 32. */
static void check_formats(const char *d)
{
	uint32_t caps = hda_auto_pcm_caps(&run.ac, false);
	uint16_t f16 = hda_auto_format(&run.ac, false, 48000, 2, 16);
	uint16_t f32 = hda_auto_format(&run.ac, false, 48000, 2, 32);
	unsigned int want = caps & AC_SUPPCM_BITS_32 ? 4 : caps & AC_SUPPCM_BITS_24 ? 3 :
			    caps & AC_SUPPCM_BITS_20 ? 2 : 0;
	char name[160];

	snprintf(name, sizeof(name), "codec-%s-formats", d);
	unit_check(f16 == EMU_FORMAT && (want ? ((f32 >> 4) & 7) == want : !f32), name,
		   "S16 0x%04x, S32 0x%04x for PCM caps 0x%08x", f16, f32, caps);
}

static void check_hdmi(const char *d, const struct pinset *ps)
{
	char name[160];
	unsigned int i;
	bool ok = run.ac.n_dig >= (unsigned int)ps->n_hdmi;

	/* A pin the dump shows connected (or connected once unhidden) lists converters. */
	for (i = 0; i < run.ac.n_dig; i++) {
		const struct emu_node *n = &emu.n[run.ac.dig[i].pin];

		ok = ok && (run.ac.dig[i].n_conn > 0 || (!n->n_conn && !n->n_hidden));
	}
	snprintf(name, sizeof(name), "codec-%s-hdmi-pins-listed", d);
	unit_check(ok, name, "%u digital pins listed for %d HDMI/DP pins, or one without converters",
		   run.ac.n_dig, ps->n_hdmi);
}

static void check_dump(const char *path, const char *d)
{
	struct pinset ps;
	char name[160];
	int i;

	snprintf(name, sizeof(name), "codec-%s-probe", d);
	if (!start(path, name, false))
		return;
	unit_check(true, name, "-");
	classify(&ps);
	if (!ps.n_out && !ps.n_in) {
		check_hdmi(d, &ps);
		return;
	}
	check_outputs(d, &ps, "");
	if (ps.n_in) {
		check_capture(d, &ps, "");
		check_mic_vref(d, "");
	}
	check_formats(d);
	check_mixer(d, &ps);
	check_capture_sources(d, &ps);
	check_cold(path, d, &ps);
	if (start(path, name, true)) {
		check_outputs(d, &ps, "-long-form");
		if (ps.n_in)
			check_capture(d, &ps, "-long-form");
	}
	for (i = 0; i < ps.n_hp_jack; i++)
		check_hp_jack(path, d, &ps, ps.hp_jack[i]);
	for (i = 0; i < ps.n_mic_jack; i++) {
		check_mic_jack(path, d, ps.mic_jack[i]);
		check_manual_source(path, d, &ps, ps.mic_jack[i]);
	}
}

/* ---- robustness ---------------------------------------------------------- */

static int parse_text(const char *text, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = emu_parse(&emu, f, err, len);

	fclose(f);
	return ret;
}

static const char header[] =
	"Codec: Test\nAddress: 0\nAFG Function Id: 0x1 (unsol 1)\nVendor Id: 0x12345678\n"
	"Default PCM:\n    rates [0x60]: 44100 48000\n    bits [0x2]: 16\n    formats [0x1]: PCM\n"
	"Default Amp-In caps: N/A\nDefault Amp-Out caps: N/A\nState of AFG node 0x01:\n";

static const struct {
	const char *name, *text;
} corrupt[] = {
	{ "robust-corrupt-binary", "Codec: x\n\x01\x02\x7f garbage\n" },
	{ "robust-corrupt-not-a-dump", "hello world\nthis is not a codec\n" },
	{ "robust-corrupt-node-line", "Vendor Id: 0x1\nNode 0xzz [Pin Complex] wcaps\n" },
	{ "robust-corrupt-truncated-list",
	  "Vendor Id: 0x1\nNode 0x02 [Audio Mixer] wcaps 0x20010b: Stereo\n  Connection: 3\n"
	  "     0x03 0x04\n" },
	{ "robust-missing-graph", "Codec: x\nVendor Id: 0x10ec0269\nState of AFG node 0x01:\n" },
};

static void check_corrupt(void)
{
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		err[0] = 0;
		unit_check(parse_text(corrupt[i].text, err, sizeof(err)) && err[0], corrupt[i].name,
			   "loaded without a clear error");
	}
}

/* A synthetic codec: DAC 0x02, loop mixers 0x03/0x04, pin 0x05. */
static const char loop_body[] =
	"Node 0x02 [Audio Output] wcaps 0x40d: Stereo Amp-Out\n"
	"  Amp-Out caps: ofs=0x40, nsteps=0x40, stepsize=0x03, mute=1\n"
	"Node 0x03 [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
	"  Amp-In caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1\n"
	"  Connection: 2\n     0x04 0x%02x\n"
	"Node 0x04 [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
	"  Amp-In caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1\n"
	"  Connection: 1\n     0x03\n"
	"Node 0x05 [Pin Complex] wcaps 0x40058d: Stereo Amp-Out\n"
	"  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1\n"
	"  Pincap 0x0000001c: OUT HP Detect\n"
	"  Pin Default 0x0221101f: [Jack] HP Out at Ext Front\n"
	"  Connection: 3\n     0x%02x 0x%02x 0x03\n";

static bool load_synthetic(unsigned int mixer_dac, unsigned int pin_a, unsigned int pin_b)
{
	char text[4096], body[2048], err[256];

	snprintf(body, sizeof(body), loop_body, mixer_dac, pin_a, pin_b);
	snprintf(text, sizeof(text), "%s%s", header, body);
	return !parse_text(text, err, sizeof(err)) && !emu_run_start(&run, &emu, NULL);
}

static void check_loops(void)
{
	/* The loop 0x03 <-> 0x04 leads nowhere: no DAC for the pin, no hang. */
	bool ok = load_synthetic(0x04, 0x04, 0x03);

	unit_check(ok && run.ac.n_out == 1 && !run.ac.out[0].path.n && emu.verbs < 1000,
		   "robust-connection-loop", "probe %d, %u outputs, %lu verbs", run.probe_err,
		   run.ac.n_out, emu.verbs);
	/* The loop with a way out through 0x03 reaches the DAC. */
	ok = load_synthetic(0x02, 0x04, 0x03);
	unit_check(ok && audible(0x05), "robust-connection-loop-with-exit",
		   "the pin does not play through 0x03");
	/* Dead entries (0x30, 0x31 do not exist) keep the select index right. */
	ok = load_synthetic(0x02, 0x30, 0x31);
	unit_check(ok && audible(0x05) && emu.n[0x05].sel == 2, "robust-dead-connection-entries",
		   "select %u, audible %d", emu.n[0x05].sel, audible(0x05));
}

/*
 * One DAC for a speaker and a headphone (they share it).  The headphone
 * must bypass the analog loopback mixer 0x03 (fed by the mic pin) through
 * its second connection; a line out that only 0x03 reaches plays through
 * it as a last resort, with the mic's input of 0x03 muted.
 */
static const char shared_body[] =
	"Node 0x02 [Audio Output] wcaps 0x40d: Stereo Amp-Out\n"
	"  Amp-Out caps: ofs=0x40, nsteps=0x40, stepsize=0x03, mute=1\n"
	"Node 0x03 [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
	"  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1\n"
	"  Connection: 2\n     0x08 0x02\n"
	"Node 0x05 [Pin Complex] wcaps 0x400101: Stereo\n"
	"  Pincap 0x00000010: OUT\n"
	"  Pin Default 0x90170110: [Fixed] Speaker at Int N/A\n"
	"  Connection: 1\n     0x02\n"
	"Node 0x06 [Pin Complex] wcaps 0x400181: Stereo\n"
	"  Pincap 0x0000001c: OUT HP Detect\n"
	"  Pin Default 0x0221101f: [Jack] HP Out at Ext Front\n"
	"  Connection: 2\n     0x03 0x02\n"
	"Node 0x07 [Pin Complex] wcaps 0x400181: Stereo\n"
	"  Pincap 0x00000014: OUT Detect\n"
	"  Pin Default 0x01014010: [Jack] Line Out at Ext Rear\n"
	"  Connection: 1\n     0x03\n"
	"Node 0x08 [Pin Complex] wcaps 0x400081: Stereo\n"
	"  Pincap 0x00001024: IN Detect\n"
	"  Pin Default 0x01a19020: [Jack] Mic at Ext Rear\n"
	"Node 0x09 [Audio Input] wcaps 0x100101: Stereo\n"
	"  Connection: 1\n     0x08\n";

static void check_shared_dac(void)
{
	char text[4096], err[256];
	bool ok;

	snprintf(text, sizeof(text), "%s%s", header, shared_body);
	ok = !parse_text(text, err, sizeof(err)) && !emu_run_start(&run, &emu, NULL);
	unit_check(ok && audible(0x05) && audible(0x06) && emu.n[0x06].sel == 1,
		   "synthetic-outputs-share-the-only-dac", "speaker %d, headphone %d (select %u)",
		   ok && audible(0x05), ok && audible(0x06), emu.n[0x06].sel);
	unit_check(ok && audible(0x07) && (emu.n[0x03].amp_in[0][0] & AC_AMP_MUTE),
		   "synthetic-loopback-mixer-last-resort-inputs-muted",
		   "line out audible %d, mic input of 0x03 0x%02x", ok && audible(0x07),
		   emu.n[0x03].amp_in[0][0]);
	unit_check(ok && (emu.n[0x08].pinctl & AC_PINCTL_VREFEN) == AC_PINCTL_VREF_80,
		   "synthetic-mic-vref-80", "pin ctl 0x%02x", emu.n[0x08].pinctl);
}

static void check_silent(const char *path)
{
	char err[256];
	int ret;

	if (emu_load(&emu, path, err, sizeof(err)))
		return;
	emu.silent = true;
	ret = emu_run_start(&run, &emu, NULL);
	unit_check(ret == -ETIMEDOUT && run.ac.g.why && emu.verbs < 10, "robust-codec-answers-nothing",
		   "probe %d after %lu verbs", ret, emu.verbs);
	emu_load(&emu, path, err, sizeof(err));
	emu.vendor_id = 0;	/* a codec that answers every verb with 0 */
	ret = emu_run_start(&run, &emu, NULL);
	unit_check(ret == -ENODEV && run.ac.g.why, "robust-codec-answers-zeros", "probe %d", ret);
	emu_load(&emu, path, err, sizeof(err));
	emu.end_nid = emu.start_nid;	/* the function group lists no widget */
	ret = emu_run_start(&run, &emu, NULL);
	unit_check(ret == -ENODEV && run.ac.g.why, "robust-empty-function-group", "probe %d", ret);
}

/* ---- build/codec-emu's fixed output format -------------------------------- */

static bool cli_line_ok(const char *l)
{
	unsigned int v;
	char word[8], end;

	if (l[0] == '#')
		return true;
	if (sscanf(l, "cmd 0x%8x%c", &v, &end) == 2 && end == '\n' && strlen(l) == 15)
		return true;
	return sscanf(l, "event %7s 0x%2x%c", word, &v, &end) == 3 && end == '\n' &&
	       (!strcmp(word, "plug") || !strcmp(word, "unplug"));
}

/* Runs codec-emu; how many stdout lines, how many well-formed, events seen. */
static int cli_run(const char *args, int *good, int *events)
{
	char exe[512], cmd[2048], line[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int lines = 0;
	FILE *p;

	*good = *events = 0;
	if (n <= 0)
		return -1;
	exe[n] = 0;	/* TOP/build/unit/test-codec -> TOP/build/codec-emu */
	*strrchr(exe, '/') = 0;
	*strrchr(exe, '/') = 0;
	snprintf(cmd, sizeof(cmd), "%s/codec-emu %s 2>/dev/null", exe, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		lines++;
		*good += cli_line_ok(line);
		*events += !strncmp(line, "event ", 6);
	}
	return pclose(p) == 0 ? lines : -1;
}

/* The first HP jack of a dump is plugged and unplugged through the CLI. */
static void check_cli(const char *dir, char **names, int n)
{
	char args[1200], path[1024];
	struct pinset ps;
	int i, lines, good, events;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.txt", dir, names[i]);
		if (emu_load(&emu, path, args, sizeof(args)))
			continue;
		classify(&ps);
		if (ps.n_hp_jack)
			break;
	}
	if (i == n)
		return;
	snprintf(args, sizeof(args), "--plug 0x%02x --unplug 0x%02x '%s'", ps.hp_jack[0],
		 ps.hp_jack[0], path);
	lines = cli_run(args, &good, &events);
	unit_check(lines > 0 && good == lines && events == 2, "codec-emu-cli-output-format",
		   "%d lines, %d well-formed, %d events (exit status non-zero: -1)", lines, good,
		   events);
	snprintf(args, sizeof(args), "'%s/%s'", dir, "no-such-dump.txt");
	unit_check(cli_run(args, &good, &events) < 0, "codec-emu-cli-unreadable-dump-fails",
		   "exit status 0 for a missing dump");
}

/* ---- the dumps ----------------------------------------------------------- */

static bool dir_ok(const char *dir)
{
	DIR *d = opendir(dir);

	if (d)
		closedir(d);
	return d;
}

/* ---- per-machine pin fixes (kernel/hda-quirks.c) ------------------------- */

/*
 * The quirk table names machines, so these cases name their dumps: the fixed
 * pins must then be real inputs (recorded when chosen) and outputs (audible,
 * and a fixed headphone jack mutes the speaker); a machine of another vendor
 * with the same codec gets no fix.
 */
static const struct {
	const char *dump;
	bool fixed;
	uint8_t in[2], out;		/* pins the fix makes usable, 0: none */
} quirk_cases[] = {
	{ "realtek-alc256-dell-g7-7588", true, { 0x19, 0x1a }, 0 },
	{ "realtek-alc269vc-lenovo-thinkpad-t530", true, { 0x19, 0 }, 0x1b },
	{ "realtek-alc236-lenovo-17aa3921", false, { 0, 0 }, 0 },
};

static void check_quirk_inputs(const char *d, const uint8_t *in)
{
	uint8_t pins[MAX_PINS];
	char name[160];
	int i, k, n;

	for (i = 0; i < 2 && in[i]; i++) {
		k = input_index(in[i]);
		n = k >= 0 ? (hda_auto_set_capture_source(&run.ac, k), heard(pins)) : 0;
		snprintf(name, sizeof(name), "quirk-%s-input-0x%02x-records", d, in[i]);
		unit_check(n == 1 && pins[0] == in[i], name, "input index %d, ADC hears %d pins", k,
			   n);
	}
}

static void check_quirk_output(const char *d, unsigned int out)
{
	char name[160];

	snprintf(name, sizeof(name), "quirk-%s-output-0x%02x-audible", d, out);
	unit_check(audible(out), name, "the fixed pin does not play the stream");
	emu_run_jack(&run, out, true, NULL);
	snprintf(name, sizeof(name), "quirk-%s-output-0x%02x-plug-mutes-speaker", d, out);
	unit_check(audible(out) && !audible(0x14), name, "after the plug: pin %d, speaker %d",
		   audible(out), audible(0x14));
}

static void check_quirks(const char *dir)
{
	char path[1024], name[160];
	size_t i;

	for (i = 0; i < sizeof(quirk_cases) / sizeof(quirk_cases[0]); i++) {
		const char *d = quirk_cases[i].dump;

		snprintf(path, sizeof(path), "%s/%s.txt", dir, d);
		if (access(path, R_OK))
			continue;	/* a reduced dump set */
		snprintf(name, sizeof(name), "quirk-%s-%s", d, quirk_cases[i].fixed ? "applied" : "none");
		if (!start(path, name, false))
			continue;
		unit_check(!run.ac.quirk == !quirk_cases[i].fixed, name, "quirk %s",
			   run.ac.quirk ?: "none");
		check_quirk_inputs(d, quirk_cases[i].in);
		if (quirk_cases[i].out)
			check_quirk_output(d, quirk_cases[i].out);
	}
}

/* $RINGPCM_CODEC_DIR, else ../shared/codecs beside the tree (cwd or binary). */
static const char *find_dumps(char *buf, size_t len)
{
	const char *env = getenv("RINGPCM_CODEC_DIR");
	char exe[512];
	ssize_t n;

	if (env)
		return env;
	if (dir_ok("../shared/codecs"))
		return "../shared/codecs";
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;	/* TOP/build/unit/test-codec */
		snprintf(buf, len, "%s/../../../../shared/codecs", exe);
		if (dir_ok(buf))
			return buf;
	}
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char buf[600], path[1024], *names[MAX_DUMPS], *d;
	const char *dir = find_dumps(buf, sizeof(buf));
	struct dirent *e;
	DIR *dp;
	int n = 0, i;

	if (!unit_check(dir && (dp = opendir(dir)), "codec-dumps-found",
			"no codec dumps: ../shared/codecs beside the tree, or $RINGPCM_CODEC_DIR"))
		return unit_exit("test-codec");
	while ((e = readdir(dp)) && n < MAX_DUMPS)
		if (strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".txt"))
			names[n++] = strdup(e->d_name);
	closedir(dp);
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		d = names[i];
		d[strlen(d) - 4] = 0;
		check_dump(path, d);
	}
	check_quirks(dir);
	check_corrupt();
	check_loops();
	check_shared_dac();
	if (n) {
		snprintf(path, sizeof(path), "%s/%s.txt", dir, names[0]);
		check_silent(path);
	}
	check_cli(dir, names, n);
	for (i = 0; i < n; i++)
		free(names[i]);
	return unit_exit("test-codec");
}
