// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a codec dump (the text of /proc/asound/cardN/codec#M) into the
 * emulator's static description: ids, function group defaults, and per
 * widget its caps, pin config and expanded connection list.  The dump's
 * runtime values (amp vals, pin-ctls, selects, EAPD, streams) are ignored.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hda-emu.h"

struct dump_parser {
	struct hda_emu *emu;
	struct emu_node *node;		/* current "Node" section, or NULL */
	unsigned int line_no;
	const char *pending;		/* "pcm" or "default-pcm" section */
	uint8_t *list;			/* connection entries still to read */
	uint8_t *list_n;
	unsigned int list_want;
	char *err;
	size_t err_len;
};

static int dump_error(struct dump_parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->err_len, "line %u: ", p->line_no);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->err_len)
		vsnprintf(p->err + n, p->err_len - n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool hex_after(const char *s, const char *key, uint32_t *val)
{
	const char *at = strstr(s, key);
	char *end;

	if (!at)
		return false;
	*val = strtoul(at + strlen(key), &end, 16);
	return end != at + strlen(key);
}

/* "ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1" or "N/A" */
static int parse_amp_caps(struct dump_parser *p, const char *s, uint32_t *caps)
{
	unsigned int ofs, nsteps, step, mute;

	if (strstr(s, "N/A")) {
		*caps = 0;
		return 0;
	}
	if (sscanf(s, " ofs=0x%x, nsteps=0x%x, stepsize=0x%x, mute=%u", &ofs, &nsteps, &step,
		   &mute) != 4 || ofs > 0x7f || nsteps > 0x7f || step > 0x7f)
		return dump_error(p, "unreadable amp caps \"%s\"", s);
	*caps = ofs | nsteps << 8 | step << 16 | (mute ? AC_AMPCAP_MUTE : 0);
	return 0;
}

static uint32_t parse_power_states(const char *s)
{
	static const struct { const char *name; uint32_t bit; } st[] = {
		{ "D0", 1u << 0 }, { "D1", 1u << 1 }, { "D2", 1u << 2 }, { "D3", 1u << 3 },
		{ "D3cold", 1u << 4 }, { "CLKSTOP", 1u << 30 }, { "EPSS", 1u << 31 },
	};
	char word[32];
	uint32_t bits = 0;
	int used;
	unsigned int i;

	while (sscanf(s, "%31s%n", word, &used) == 1) {
		for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
			if (!strcmp(word, st[i].name))
				bits |= st[i].bit;
		s += used;
	}
	return bits;
}

static int parse_node(struct dump_parser *p, const char *s)
{
	unsigned int nid, wcaps;
	struct emu_node *n;

	if (sscanf(s, "Node 0x%x [%*[^]]] wcaps 0x%x", &nid, &wcaps) != 2)
		return dump_error(p, "unreadable node line");
	if (nid == 0 || nid >= EMU_NODES)
		return dump_error(p, "node 0x%x out of range", nid);
	n = &p->emu->n[nid];
	if (n->exists)
		return dump_error(p, "node 0x%02x twice", nid);
	n->exists = true;
	n->wcaps = wcaps;
	p->node = n;
	p->pending = NULL;
	return 0;
}

static int start_list(struct dump_parser *p, const char *s, uint8_t *list, uint8_t *n)
{
	unsigned int want;

	if (!p->node)
		return dump_error(p, "connection list outside a node");
	if (sscanf(s, "%u", &want) != 1 || want > EMU_CONN)
		return dump_error(p, "bad connection count");
	*n = 0;
	p->list = want ? list : NULL;
	p->list_n = n;
	p->list_want = want;
	return 0;
}

/* "     0x0c* 0x0d 0x0e" : entries of the list being read */
static int parse_list_line(struct dump_parser *p, const char *s)
{
	unsigned int nid;
	int used;

	while (*p->list_n < p->list_want && sscanf(s, " 0x%x%n", &nid, &used) == 1) {
		if (nid >= EMU_NODES)
			return dump_error(p, "connection to 0x%x out of range", nid);
		p->list[(*p->list_n)++] = nid;
		s += used;
		if (*s == '*')
			s++;
	}
	if (*p->list_n == p->list_want)
		p->list = NULL;
	return 0;
}

/* "rates [0x560]: ...", "bits [0xe]: ...", "formats [0x1]: ..." */
static void parse_pcm_line(struct dump_parser *p, const char *s, uint32_t *pcm, uint32_t *fmts)
{
	uint32_t v;

	if (sscanf(s, " rates [0x%x]", &v) == 1)
		*pcm = (*pcm & ~0xfffu) | (v & 0xfff);
	else if (sscanf(s, " bits [0x%x]", &v) == 1)
		*pcm = (*pcm & 0xfff) | (v & 0x1f) << 16;
	else if (sscanf(s, " formats [0x%x]", &v) == 1)
		*fmts = v;
}

static int parse_header(struct dump_parser *p, const char *s)
{
	struct hda_emu *emu = p->emu;
	uint32_t v;

	if (starts(s, "Codec: "))
		snprintf(emu->name, sizeof(emu->name), "%.*s", (int)strcspn(s + 7, "\n"), s + 7);
	else if (sscanf(s, "Address: %u", &v) == 1)
		emu->addr = v;
	else if (starts(s, "AFG Function Id:"))
		emu->afg_unsol = strstr(s, "(unsol 1)");
	else if (hex_after(s, "Vendor Id: 0x", &v))
		emu->vendor_id = v;
	else if (hex_after(s, "Subsystem Id: 0x", &v))
		emu->subsystem_id = v;
	else if (hex_after(s, "Revision Id: 0x", &v))
		emu->revision_id = v;
	else if (starts(s, "Default PCM:"))
		p->pending = "default-pcm";
	else if (starts(s, "Default Amp-In caps:"))
		return parse_amp_caps(p, s + 20, &emu->afg_amp_in);
	else if (starts(s, "Default Amp-Out caps:"))
		return parse_amp_caps(p, s + 21, &emu->afg_amp_out);
	else if (hex_after(s, "State of AFG node 0x", &v))
		emu->afg = v;
	else if (starts(s, "GPIO: ") && emu->afg && emu->afg < EMU_NODES) {
		unsigned int io, o, i, un, wake;

		if (sscanf(s, "GPIO: io=%u, o=%u, i=%u, unsolicited=%u, wake=%u", &io, &o, &i, &un,
			   &wake) == 5)
			emu->n[emu->afg].gpio_caps = io | o << 8 | i << 16 | un << 30 | wake << 31;
	} else if (strstr(s, "Power states:") && emu->afg && emu->afg < EMU_NODES)
		emu->n[emu->afg].power_states = parse_power_states(strchr(s, ':') + 1);
	else if (p->pending)
		parse_pcm_line(p, s, &emu->afg_pcm, &emu->afg_formats);
	return 0;
}

static int parse_node_line(struct dump_parser *p, const char *s)
{
	struct emu_node *n = p->node;
	const char *t = s + strspn(s, " ");
	uint32_t v;

	if (starts(t, "Amp-In caps:"))
		return parse_amp_caps(p, t + 12, &n->amp_in_caps);
	if (starts(t, "Amp-Out caps:"))
		return parse_amp_caps(p, t + 13, &n->amp_out_caps);
	if (hex_after(t, "Pincap 0x", &v))
		n->pincap = v;
	else if (hex_after(t, "Pin Default 0x", &v))
		n->defcfg = v;
	else if (starts(t, "Connection: "))
		return start_list(p, t + 12, n->conn, &n->n_conn);
	else if (starts(t, "In-driver Connection: "))
		return start_list(p, t + 22, n->hidden, &n->n_hidden);
	else if (starts(t, "PCM:"))
		p->pending = "pcm";
	else if (starts(t, "Power states:"))
		n->power_states = parse_power_states(t + 13);
	else if (sscanf(t, "Processing caps: benign=%u, ncoeff=%u", &v, &v) == 2) {
		unsigned int benign, ncoeff;

		sscanf(t, "Processing caps: benign=%u, ncoeff=%u", &benign, &ncoeff);
		n->proc_caps = benign | (ncoeff & 0xff) << 8;
	} else if (p->pending)
		parse_pcm_line(p, t, &n->pcm, &n->stream_formats);
	return 0;
}

static int parse_line(struct dump_parser *p, const char *s)
{
	if (p->list) {
		if (strstr(s, "0x") && isspace((unsigned char)s[0]))
			return parse_list_line(p, s);
		return dump_error(p, "connection list ends after %u of %u entries",
				  *p->list_n, p->list_want);
	}
	if (starts(s, "Node "))
		return parse_node(p, s);
	if (!p->node)
		return parse_header(p, s);
	return parse_node_line(p, s);
}

/* The widget range the function group reports, from the nodes present. */
static int dump_finish(struct dump_parser *p)
{
	struct hda_emu *emu = p->emu;
	unsigned int nid, lo = 0, hi = 0;

	if (p->list)
		return dump_error(p, "file ends inside a connection list");
	if (!emu->vendor_id)
		return dump_error(p, "no \"Vendor Id:\" line: not a codec dump");
	if (!emu->afg)
		emu->afg = 1;
	for (nid = 1; nid < EMU_NODES; nid++) {
		if (!emu->n[nid].exists || nid == emu->afg)
			continue;
		if (!lo)
			lo = nid;
		hi = nid + 1;
	}
	if (!lo)
		return dump_error(p, "no widget (\"Node 0x..\" lines): no codec graph in the dump");
	if (emu->afg >= lo && emu->afg < hi)
		return dump_error(p, "function group 0x%02x among its widgets", emu->afg);
	emu->n[emu->afg].exists = true;
	emu->start_nid = lo;
	emu->end_nid = hi;
	/* NIDs missing inside the range are widgets the dump did not list: none. */
	return 0;
}

static bool is_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && !strchr("\t\r\n", *s))
			return false;
	return true;
}

int emu_parse(struct hda_emu *emu, FILE *f, char *err, size_t err_len)
{
	struct dump_parser p = { .emu = emu, .err = err, .err_len = err_len };
	char line[1024];

	memset(emu, 0, sizeof(*emu));
	while (fgets(line, sizeof(line), f)) {
		p.line_no++;
		if (!memchr(line, '\n', sizeof(line)) && !feof(f) && strlen(line) == sizeof(line) - 1)
			return dump_error(&p, "line too long");
		if (!is_text(line))
			return dump_error(&p, "binary data: not a codec dump");
		if (parse_line(&p, line))
			return -1;
	}
	if (dump_finish(&p))
		return -1;
	emu_reset_cold(emu);
	return 0;
}

/**
 * emu_load - read a codec dump file into @emu, cold
 * Return: 0, or -1 with a message in @err.
 */
int emu_load(struct hda_emu *emu, const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		snprintf(err, err_len, "cannot open: %m");
		return -1;
	}
	ret = emu_parse(emu, f, err, err_len);
	fclose(f);
	return ret;
}
