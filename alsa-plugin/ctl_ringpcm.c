// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ALSA control (ext-ctl) plugin for ringpcm: the codec's playback and capture
 * amplifiers as "Master Playback Volume/Switch" and "Capture Volume/Switch",
 * with their dB scale, through the card's control device
 * (/dev/ringpcmC<card>ctl), which claims no stream: amixer and alsamixer work
 * while a PCM streams, and jackd's control open succeeds.
 *
 * Changes made through this handle are reported back as events (alsamixer
 * refreshes from them); the driver has no change notification of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <alsa/control_external.h>

#include "ringpcm.h"

enum rc_kind { RC_VOLUME, RC_SWITCH };

struct rc_elem {
	const char *name;
	enum ringpcm_mixer_control control;
	enum rc_kind kind;
	struct ringpcm_mixer caps;	/* max_gain, dB scale, can_mute */
};

struct rc_ctl {
	snd_ctl_ext_t ext;
	int fd;				/* /dev/ringpcmC<card>ctl */
	int evfd;			/* readable while events are pending */
	unsigned int n;
	struct rc_elem elem[4];
	unsigned int pending;		/* bit per element changed here */
};

static const struct {
	enum ringpcm_mixer_control control;
	const char *volume, *sw;
} rc_names[] = {
	{ RINGPCM_MIXER_PLAYBACK, "Master Playback Volume", "Master Playback Switch" },
	{ RINGPCM_MIXER_CAPTURE, "Capture Volume", "Capture Switch" },
};

static int rc_get(struct rc_ctl *rc, enum ringpcm_mixer_control control, struct ringpcm_mixer *m)
{
	memset(m, 0, sizeof(*m));
	m->control = control;
	return rpcm_mixer_get(rc->fd, m);
}

static int rc_elem_count(snd_ctl_ext_t *ext)
{
	struct rc_ctl *rc = ext->private_data;

	return rc->n;
}

static int rc_elem_list(snd_ctl_ext_t *ext, unsigned int offset, snd_ctl_elem_id_t *id)
{
	struct rc_ctl *rc = ext->private_data;

	if (offset >= rc->n)
		return -EINVAL;
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_name(id, rc->elem[offset].name);
	return 0;
}

static snd_ctl_ext_key_t rc_find_elem(snd_ctl_ext_t *ext, const snd_ctl_elem_id_t *id)
{
	struct rc_ctl *rc = ext->private_data;
	unsigned int i, numid = snd_ctl_elem_id_get_numid(id);
	const char *name = snd_ctl_elem_id_get_name(id);

	if (numid > 0 && numid <= rc->n)
		return numid - 1;
	for (i = 0; i < rc->n; i++)
		if (!strcmp(name, rc->elem[i].name))
			return i;
	return SND_CTL_EXT_KEY_NOT_FOUND;
}

static int rc_get_attribute(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int *type,
			    unsigned int *acc, unsigned int *count)
{
	struct rc_ctl *rc = ext->private_data;

	if (key >= rc->n)
		return -EINVAL;
	*count = 2;
	if (rc->elem[key].kind == RC_SWITCH) {
		*type = SND_CTL_ELEM_TYPE_BOOLEAN;
		*acc = SND_CTL_EXT_ACCESS_READWRITE;
	} else {
		*type = SND_CTL_ELEM_TYPE_INTEGER;
		*acc = SND_CTL_EXT_ACCESS_READWRITE | SND_CTL_EXT_ACCESS_TLV_READ |
		       SND_CTL_EXT_ACCESS_TLV_CALLBACK;
	}
	return 0;
}

static int rc_get_integer_info(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
			       long *imin, long *imax, long *istep)
{
	struct rc_ctl *rc = ext->private_data;

	if (key >= rc->n)
		return -EINVAL;
	*imin = 0;
	*imax = rc->elem[key].kind == RC_SWITCH ? 1 : rc->elem[key].caps.max_gain;
	*istep = 1;
	return 0;
}

static int rc_read_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct rc_ctl *rc = ext->private_data;
	struct rc_elem *e;
	struct ringpcm_mixer m;
	int err, c;

	if (key >= rc->n)
		return -EINVAL;
	e = &rc->elem[key];
	err = rc_get(rc, e->control, &m);
	if (err < 0)
		return err;
	for (c = 0; c < 2; c++)
		value[c] = e->kind == RC_SWITCH ? !m.mute[c] : (long)m.gain[c];
	return 0;
}

static void rc_notify(struct rc_ctl *rc, unsigned int key)
{
	uint64_t one = 1;
	ssize_t r;

	if (!rc->ext.subscribed)
		return;
	rc->pending |= 1u << key;
	r = write(rc->evfd, &one, sizeof(one));	/* fails only when already readable */
	(void)r;
}

/* 1 when a value changed, 0 when not, as alsa-lib expects. */
static int rc_write_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct rc_ctl *rc = ext->private_data;
	struct ringpcm_mixer m;
	struct rc_elem *e;
	int err, c, changed = 0;

	if (key >= rc->n)
		return -EINVAL;
	e = &rc->elem[key];
	err = rc_get(rc, e->control, &m);
	if (err < 0)
		return err;
	for (c = 0; c < 2; c++) {
		long v = value[c];

		if (e->kind == RC_SWITCH) {
			unsigned int mute = !v;

			changed |= m.mute[c] != mute;
			m.mute[c] = mute;
		} else {
			if (v < 0 || v > (long)e->caps.max_gain)
				return -EINVAL;
			changed |= m.gain[c] != (unsigned int)v;
			m.gain[c] = v;
		}
	}
	if (!changed)
		return 0;
	m.max_gain = m.step_db100 = m.can_mute = 0;	/* out fields */
	m.min_db100 = 0;
	err = rpcm_mixer_set(rc->fd, &m);
	if (err < 0)
		return err;
	rc_notify(rc, key);
	return 1;
}

/* dB scale of a volume: gain 0 is min_db100, each step step_db100. */
static int rc_tlv(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int op_flag, unsigned int numid,
		  unsigned int *tlv, unsigned int tlv_size)
{
	struct rc_ctl *rc = ext->private_data;
	const struct ringpcm_mixer *caps;

	if (key >= rc->n || rc->elem[key].kind != RC_VOLUME || op_flag != 0)
		return -ENXIO;
	if (tlv_size < 4 * sizeof(unsigned int))
		return -ENOMEM;
	caps = &rc->elem[key].caps;
	tlv[0] = SND_CTL_TLVT_DB_SCALE;
	tlv[1] = 2 * sizeof(unsigned int);
	tlv[2] = (unsigned int)caps->min_db100;
	tlv[3] = caps->step_db100 & 0xffff;
	return 0;
}

static void rc_subscribe_events(snd_ctl_ext_t *ext, int subscribe)
{
	struct rc_ctl *rc = ext->private_data;

	if (!subscribe)
		rc->pending = 0;
}

static int rc_read_event(snd_ctl_ext_t *ext, snd_ctl_elem_id_t *id, unsigned int *event_mask)
{
	struct rc_ctl *rc = ext->private_data;
	uint64_t cnt;
	unsigned int key;

	if (!rc->pending) {
		if (read(rc->evfd, &cnt, sizeof(cnt)) < 0)
			cnt = 0;	/* already empty */
		return -EAGAIN;
	}
	key = __builtin_ctz(rc->pending);
	rc->pending &= ~(1u << key);
	if (!rc->pending && read(rc->evfd, &cnt, sizeof(cnt)) < 0)
		cnt = 0;
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_numid(id, key + 1);
	snd_ctl_elem_id_set_name(id, rc->elem[key].name);
	*event_mask = SND_CTL_EVENT_MASK_VALUE;
	return 1;
}

static void rc_free(struct rc_ctl *rc)
{
	if (!rc)
		return;
	if (rc->fd >= 0)
		close(rc->fd);
	if (rc->evfd >= 0)
		close(rc->evfd);
	free(rc);
}

static void rc_close(snd_ctl_ext_t *ext)
{
	rc_free(ext->private_data);
}

static const snd_ctl_ext_callback_t rc_callbacks = {
	.close = rc_close,
	.elem_count = rc_elem_count,
	.elem_list = rc_elem_list,
	.find_elem = rc_find_elem,
	.get_attribute = rc_get_attribute,
	.get_integer_info = rc_get_integer_info,
	.read_integer = rc_read_integer,
	.write_integer = rc_write_integer,
	.subscribe_events = rc_subscribe_events,
	.read_event = rc_read_event,
};

/* One volume and one switch per amplifier the codec has. */
static void rc_probe(struct rc_ctl *rc)
{
	struct ringpcm_mixer m;
	unsigned int i;

	for (i = 0; i < sizeof(rc_names) / sizeof(rc_names[0]); i++) {
		if (rc_get(rc, rc_names[i].control, &m) < 0)
			continue;
		if (m.max_gain > 0) {
			rc->elem[rc->n] = (struct rc_elem){ rc_names[i].volume, rc_names[i].control,
							    RC_VOLUME, m };
			rc->n++;
		}
		if (m.can_mute) {
			rc->elem[rc->n] = (struct rc_elem){ rc_names[i].sw, rc_names[i].control,
							    RC_SWITCH, m };
			rc->n++;
		}
	}
}

static int rc_open(snd_ctl_t **handlep, const char *name, unsigned int card, int mode)
{
	struct rc_ctl *rc;
	int err;

	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return -ENOMEM;
	rc->evfd = -1;
	rc->fd = rpcm_ctl_open(card);
	if (rc->fd < 0) {
		err = rc->fd;
		SNDERR("ringpcm: cannot open /dev/ringpcmC%uctl: %s%s", card, snd_strerror(err),
		       err == -ENOENT ? " (is ringpcm.ko loaded?)" : "");
		rc_free(rc);
		return err;
	}
	rc->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (rc->evfd < 0) {
		err = -errno;
		rc_free(rc);
		return err;
	}
	rc_probe(rc);
	rc->ext.version = SND_CTL_EXT_VERSION;
	rc->ext.card_idx = card;
	snprintf(rc->ext.id, sizeof(rc->ext.id), "ringpcm%u", card);
	snprintf(rc->ext.driver, sizeof(rc->ext.driver), "ringpcm");
	snprintf(rc->ext.name, sizeof(rc->ext.name), "ringpcm card %u", card);
	snprintf(rc->ext.longname, sizeof(rc->ext.longname),
		 "ringpcm card %u: zero-copy HD Audio", card);
	snprintf(rc->ext.mixername, sizeof(rc->ext.mixername), "ringpcm HD Audio codec");
	rc->ext.poll_fd = rc->evfd;
	rc->ext.callback = &rc_callbacks;
	rc->ext.private_data = rc;
	rc->ext.tlv.c = rc_tlv;
	err = snd_ctl_ext_create(&rc->ext, name, mode);
	if (err < 0) {
		rc_free(rc);
		return err;
	}
	*handlep = rc->ext.handle;
	return 0;
}

SND_CTL_PLUGIN_DEFINE_FUNC(ringpcm)
{
	snd_config_iterator_t i, next;
	unsigned int card = 0;

	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id, *s;
		long v;
		char *end;

		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") || !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "card")) {
			if (snd_config_get_integer(n, &v) < 0) {
				if (snd_config_get_string(n, &s) < 0)
					goto bad_card;
				v = strtol(s, &end, 10);
				if (*s == '\0' || *end != '\0')
					goto bad_card;
			}
			if (v < 0)
				goto bad_card;
			card = v;
			continue;
		}
		SNDERR("ringpcm: unknown field %s", id);
		return -EINVAL;
	}
	return rc_open(handlep, name, card, mode);
bad_card:
	SNDERR("ringpcm: card must be a card number");
	return -EINVAL;
}

SND_CTL_PLUGIN_SYMBOL(ringpcm);
