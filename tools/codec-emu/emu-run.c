// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's codec code (kernel/hda-auto.c) run against the emulator as
 * the driver runs it: probe, then on PREPARE/START a 48 kHz 16-bit stereo
 * playback stream and a capture stream; jack events delivered as
 * unsolicited responses.
 */
#include <string.h>

#include "hda-emu.h"

static int run_exec(void *priv, uint32_t cmd, uint32_t *res)
{
	struct emu_run *run = priv;

	if (run->cmd_log)
		fprintf(run->cmd_log, "cmd 0x%08x\n", cmd);
	return emu_exec(run->emu, cmd, res);
}

static const struct hda_codec_ops run_ops = {
	.exec = run_exec,
	.msleep = NULL,		/* the emulator changes power state at once */
};

static void run_stream(struct emu_run *run, bool capture, unsigned int tag)
{
	uint16_t fmt = hda_auto_format(&run->ac, capture, 48000, 2, 16);

	if (fmt && hda_auto_stream_setup(&run->ac, capture, tag, fmt) == 0)
		return;
	if (run->cmd_log)
		fprintf(run->cmd_log, "# no %s stream: %s\n", capture ? "capture" : "playback",
			fmt ? "no converter" : "48 kHz 16-bit stereo not supported");
}

/**
 * emu_run_start - probe the emulated codec and start both streams
 * Return: 0, or the probe's negative errno (run->ac.g.why says why).
 */
int emu_run_start(struct emu_run *run, struct hda_emu *emu, FILE *cmd_log)
{
	memset(run, 0, sizeof(*run));
	run->emu = emu;
	run->cmd_log = cmd_log;
	run->probe_err = hda_auto_probe(&run->ac, &run_ops, run, emu->addr);
	if (run->probe_err)
		return run->probe_err;
	if (run->ac.n_out)
		run_stream(run, false, EMU_PLAY_TAG);
	if (run->ac.n_in)
		run_stream(run, true, EMU_CAP_TAG);
	return 0;
}

/**
 * emu_run_jack - plug or unplug pin @nid and let the driver react
 * Return: 0, or -1 when the pin cannot sense a jack.
 */
int emu_run_jack(struct emu_run *run, unsigned int nid, bool plug, FILE *event_log)
{
	uint32_t res;

	if (nid >= EMU_NODES || !emu_can_sense(run->emu, nid))
		return -1;
	if (emu_set_presence(run->emu, nid, plug) && event_log)
		fprintf(event_log, "event %s 0x%02x\n", plug ? "plug" : "unplug", nid);
	while (emu_pop_unsol(run->emu, &res))
		if (!run->probe_err)
			hda_auto_unsol(&run->ac, res);
	return 0;
}

static void print_path(FILE *f, const struct hda_path *p)
{
	int k;

	for (k = 0; k < p->n; k++)
		fprintf(f, "%s0x%02x", k ? " <- " : "", p->nid[k]);
}

static void summary_outputs(const struct emu_run *run, FILE *f)
{
	const struct hda_auto *ac = &run->ac;
	unsigned int i, dac;

	for (i = 0; i < ac->n_out; i++) {
		const struct hda_out *o = &ac->out[i];
		bool on = emu_out_audible(run->emu, o->pin, EMU_PLAY_TAG, EMU_FORMAT, &dac);

		fprintf(f, "  %-9s pin 0x%02x%s: ", hda_auto_out_name(o->type), o->pin,
			o->jack ? (o->present ? " (jack, plugged)" : " (jack)") : "");
		if (!o->path.n) {
			fprintf(f, "no path to a DAC\n");
			continue;
		}
		fprintf(f, "DAC 0x%02x, path ", o->dac);
		print_path(f, &o->path);
		fprintf(f, ", vol 0x%02x, switch 0x%02x: %s\n", o->vol.nid, o->mute.nid,
			on ? "AUDIBLE" : "silent");
	}
}

static void summary_inputs(const struct emu_run *run, FILE *f)
{
	const struct hda_auto *ac = &run->ac;
	uint8_t pins[EMU_TRACE_PINS];
	unsigned int i, adc;
	int n, k;

	for (i = 0; i < ac->n_in; i++)
		fprintf(f, "  %-13s pin 0x%02x%s%s\n", hda_auto_in_name(&ac->in[i]), ac->in[i].pin,
			ac->in[i].jack ? (ac->in[i].present ? " (jack, plugged)" : " (jack)") : "",
			(int)i == ac->cur_in ? " <- capture source" : "");
	if (ac->cap_path.n) {
		fprintf(f, "  capture path ");
		print_path(f, &ac->cap_path);
		fprintf(f, "\n");
	}
	n = emu_capture_sources(run->emu, EMU_CAP_TAG, EMU_FORMAT, &adc, pins, EMU_TRACE_PINS);
	fprintf(f, "  ADC 0x%02x hears:", adc);
	for (k = 0; k < n; k++)
		fprintf(f, " 0x%02x", pins[k]);
	fprintf(f, "%s\n", n ? "" : " nothing");
}

/* The human summary: what the parser chose and what the tracer hears. */
void emu_run_summary(const struct emu_run *run, FILE *f)
{
	const struct hda_auto *ac = &run->ac;
	unsigned int i;

	fprintf(f, "%s (vendor %08x, address %u): ", run->emu->name, run->emu->vendor_id,
		run->emu->addr);
	if (run->probe_err) {
		fprintf(f, "probe failed: %s (%d)\n", ac->g.why ?: "?", run->probe_err);
		return;
	}
	fprintf(f, "%u outputs, %u inputs, %u digital pins, %lu verbs\n", ac->n_out, ac->n_in,
		ac->n_dig, run->emu->verbs);
	if (ac->quirk)
		fprintf(f, "  pin fix applied: %s\n", ac->quirk);
	summary_outputs(run, f);
	if (ac->n_in)
		summary_inputs(run, f);
	for (i = 0; i < ac->n_dig; i++)
		fprintf(f, "  digital pin 0x%02x%s%s, %u converters: listed, not streamed\n",
			ac->dig[i].pin, ac->dig[i].hdmi ? " HDMI" : "", ac->dig[i].dp ? " DP" : "",
			ac->dig[i].n_conn);
}
