/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host emulator of one HDA codec, built from a /proc/asound/cardN/codec#M
 * dump: it answers parameters and get verbs as the real codec would, keeps
 * the state set verbs change (starting cold, not from the dump's runtime
 * values), senses jacks and raises unsolicited responses.  The tracer
 * follows that state from a pin to a converter to tell what is audible,
 * independently of any driver bookkeeping.
 */
#ifndef RINGPCM_HDA_EMU_H
#define RINGPCM_HDA_EMU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hda-auto.h"

#define EMU_NODES	256
#define EMU_CONN	64
#define EMU_VENDOR_KEYS	16
#define EMU_UNSOL_QUEUE	32
#define EMU_TRACE_PINS	16

struct emu_node {
	bool exists;
	uint32_t wcaps, pincap, defcfg;
	uint32_t amp_in_caps, amp_out_caps;	/* the node's own answers (0: N/A) */
	uint32_t pcm, stream_formats;		/* own answers, when printed */
	uint32_t power_states, proc_caps, gpio_caps;
	uint8_t n_conn, conn[EMU_CONN];
	uint8_t n_hidden, hidden[EMU_CONN];	/* Intel: shown once unhidden */
	/* state */
	uint8_t amp_in[EMU_CONN][2], amp_out[2];	/* mute bit | gain, L R */
	uint8_t sel, pinctl, eapd, unsol, power, stream, dig1, dig2;
	uint16_t format;
	bool present;
	uint16_t coef_idx, coef[256];
	uint16_t vendor_key[EMU_VENDOR_KEYS], vendor_val[EMU_VENDOR_KEYS];
	unsigned int n_vendor;
};

struct hda_emu {
	char name[64];
	unsigned int addr;
	uint32_t vendor_id, subsystem_id, revision_id;
	unsigned int afg;
	bool afg_unsol;
	uint32_t afg_pcm, afg_formats, afg_amp_in, afg_amp_out;
	uint8_t start_nid, end_nid;
	struct emu_node n[EMU_NODES];
	bool unhidden;			/* Intel's vendor bit seen */
	/* test knobs */
	bool silent;			/* answer nothing: every verb times out */
	bool force_long_form;		/* connection lists in 16-bit entries */
	uint32_t unsol[EMU_UNSOL_QUEUE];
	unsigned int n_unsol;
	unsigned long verbs;		/* commands executed */
};

/* hda-dump.c */
int emu_load(struct hda_emu *emu, const char *path, char *err, size_t err_len);
int emu_parse(struct hda_emu *emu, FILE *f, char *err, size_t err_len);

/* hda-emu.c */
void emu_reset_cold(struct hda_emu *emu);
int emu_exec(struct hda_emu *emu, uint32_t cmd, uint32_t *res);
bool emu_can_sense(const struct hda_emu *emu, unsigned int nid);
bool emu_set_presence(struct hda_emu *emu, unsigned int nid, bool present);
bool emu_pop_unsol(struct hda_emu *emu, uint32_t *res);
uint32_t emu_amp_caps(const struct hda_emu *emu, unsigned int nid, bool input);

/* The tracer: what the emulated state lets through. */
bool emu_out_audible(const struct hda_emu *emu, unsigned int pin, unsigned int tag,
		     uint16_t format, unsigned int *dac);
int emu_capture_sources(const struct hda_emu *emu, unsigned int tag, uint16_t format,
			unsigned int *adc, uint8_t *pins, int max);

/* emu-run.c: the driver's codec code against the emulator */
struct emu_run {
	struct hda_emu *emu;
	struct hda_auto ac;
	FILE *cmd_log;			/* "cmd 0x..." lines, or NULL */
	int probe_err;
};

#define EMU_PLAY_TAG	1
#define EMU_CAP_TAG	2
#define EMU_FORMAT	0x0011		/* 48 kHz, 16 bits, 2 channels */

int emu_run_start(struct emu_run *run, struct hda_emu *emu, FILE *cmd_log);
int emu_run_jack(struct emu_run *run, unsigned int nid, bool plug, FILE *event_log);
void emu_run_summary(const struct emu_run *run, FILE *f);

#endif /* RINGPCM_HDA_EMU_H */
