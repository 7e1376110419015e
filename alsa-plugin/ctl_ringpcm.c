// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ALSA control (ext-ctl) plugin for ringpcm: the codec's playback and capture
 * amplifiers as "Master Playback Volume/Switch" and "Capture Volume/Switch",
 * with their dB scale; the capture source as "Capture Source"; the jacks as
 * read-only "... Jack" booleans as snd-hda-intel names them (hda_jack.c),
 * "... Phantom Jack" (always on) for pins that cannot tell presence.  All
 * through the card's control device (/dev/ringpcmC<card>ctl), which claims
 * no stream: amixer and alsamixer work while a PCM streams, and jackd's
 * control open succeeds.
 *
 * Events: changes made through this handle are reported at once; the
 * driver has no change notification, so while events are subscribed the
 * jacks and the capture source (auto-mic moves it) are re-read every
 * RC_JACK_POLL_MS, the period the driver itself polls codecs at, and the
 * elements whose value changed are reported.  The descriptor alsa-lib polls
 * is an epoll set of both.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <alsa/control_external.h>

#include "ringpcm.h"

#define RC_JACK_POLL_MS	500
#define RC_NAME_LEN	44		/* SNDRV_CTL_ELEM_ID_NAME_MAXLEN */
#define RC_MAX_ELEMS	40		/* 4 amps, the source, a jack per pin */

enum rc_kind { RC_VOLUME, RC_SWITCH, RC_SOURCE, RC_JACK };

struct rc_elem {
	char name[RC_NAME_LEN];
	unsigned int index;		/* id index: jacks of the same name */
	enum rc_kind kind;
	enum ringpcm_mixer_control control;	/* RC_VOLUME, RC_SWITCH */
	struct ringpcm_mixer caps;	/* max_gain, dB scale, can_mute */
	unsigned int nid;		/* RC_JACK: its pin */
	bool phantom;			/* RC_JACK: no presence detection: always on */
	long value;			/* RC_JACK, RC_SOURCE: last value seen, for events */
};

struct rc_ctl {
	snd_ctl_ext_t ext;
	int fd;				/* /dev/ringpcmC<card>ctl */
	int evfd;			/* readable while events are pending */
	int timerfd;			/* jack re-reads while subscribed */
	int epfd;			/* both: what alsa-lib polls */
	unsigned int n;
	struct rc_elem elem[RC_MAX_ELEMS];
	uint64_t pending;		/* bit per element changed */
	unsigned int n_src;		/* capture source items */
	unsigned int src_nid[RINGPCM_MAX_PINS];
	char src_name[RINGPCM_MAX_PINS][RC_NAME_LEN];
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

/* ---- pins: labels as snd-hda-intel gives them ------------------------------ */

static bool rc_is_input(const struct ringpcm_pin *pin)
{
	return pin->kind >= RINGPCM_PIN_MIC && pin->kind <= RINGPCM_PIN_CD;
}

static unsigned int rc_count(const struct ringpcm_pins *p, unsigned int kind)
{
	unsigned int i, n = 0;

	for (i = 0; i < p->n_pins; i++)
		n += p->pin[i].codec == p->analog_codec && p->pin[i].kind == kind;
	return n;
}

/* Do the external mics (not internal, not docked) sit in different places? */
static bool rc_mics_apart(const struct ringpcm_pins *p)
{
	unsigned int i, place = ~0u;

	for (i = 0; i < p->n_pins; i++) {
		const struct ringpcm_pin *q = &p->pin[i];

		if (q->codec != p->analog_codec || q->kind != RINGPCM_PIN_MIC ||
		    q->place == RINGPCM_PLACE_INTERNAL || q->place == RINGPCM_PLACE_DOCK)
			continue;
		if (place != ~0u && place != q->place)
			return true;
		place = q->place;
	}
	return false;
}

/*
 * Inputs as hda_get_autocfg_input_label() names them: a lone mic is "Mic";
 * of several, "Internal Mic", "Dock Mic", "Mic", and "Front Mic"/"Rear Mic"
 * where the external mics sit in different places; "Dock Line" else "Line".
 */
static const char *rc_input_label(const struct ringpcm_pins *p, const struct ringpcm_pin *pin)
{
	static const char *const mics[] = {
		[RINGPCM_PLACE_NONE] = "Mic", [RINGPCM_PLACE_INTERNAL] = "Internal Mic",
		[RINGPCM_PLACE_REAR] = "Rear Mic", [RINGPCM_PLACE_FRONT] = "Front Mic",
		[RINGPCM_PLACE_DOCK] = "Dock Mic",
	};

	switch (pin->kind) {
	case RINGPCM_PIN_MIC:
		if (rc_count(p, RINGPCM_PIN_MIC) < 2 || pin->place > RINGPCM_PLACE_DOCK)
			return "Mic";
		if ((pin->place == RINGPCM_PLACE_FRONT || pin->place == RINGPCM_PLACE_REAR) &&
		    !rc_mics_apart(p))
			return "Mic";
		return mics[pin->place];
	case RINGPCM_PIN_LINE_IN:
		return rc_count(p, RINGPCM_PIN_LINE_IN) > 1 && pin->place == RINGPCM_PLACE_DOCK ?
		       "Dock Line" : "Line";
	case RINGPCM_PIN_AUX:
		return "Aux";
	default:
		return "CD";
	}
}

/*
 * Outputs as snd_hda_get_pin_label() names them: "Speaker", "Headphone",
 * "Line Out" (a fixed one is a "Speaker"), prefixed "Dock " or "Front " by
 * place; same names are told apart by the control index.
 */
static void rc_pin_label(const struct ringpcm_pins *p, const struct ringpcm_pin *pin, char *buf,
			 size_t len)
{
	const char *name = pin->kind == RINGPCM_PIN_SPEAKER ? "Speaker" :
			   pin->kind == RINGPCM_PIN_HP ? "Headphone" : "Line Out";
	const char *pfx = pin->place == RINGPCM_PLACE_DOCK ? "Dock " :
			  pin->place == RINGPCM_PLACE_FRONT ? "Front " : "";

	if (rc_is_input(pin)) {
		snprintf(buf, len, "%s", rc_input_label(p, pin));
		return;
	}
	if (pin->kind == RINGPCM_PIN_LINE_OUT && pin->place == RINGPCM_PLACE_INTERNAL)
		name = "Speaker";
	snprintf(buf, len, "%s%s", pfx, name);
}

static int rc_pins(struct rc_ctl *rc, struct ringpcm_pins *p)
{
	int err = rpcm_pins_get(rc->fd, p);

	if (!err && p->n_pins > RINGPCM_MAX_PINS)
		p->n_pins = RINGPCM_MAX_PINS;
	return err;
}

static const struct ringpcm_pin *rc_find_pin(const struct ringpcm_pins *p, unsigned int nid)
{
	unsigned int i;

	for (i = 0; i < p->n_pins; i++)
		if (p->pin[i].nid == nid && p->pin[i].codec == p->analog_codec)
			return &p->pin[i];
	return NULL;
}

/* A jack's value: plugged; a phantom jack is always on, as in hda_jack.c. */
static long rc_jack_value(const struct rc_elem *e, const struct ringpcm_pins *p)
{
	const struct ringpcm_pin *pin = rc_find_pin(p, e->nid);

	return e->phantom || (pin && (pin->flags & RINGPCM_PIN_PRESENT));
}

/* The capture source's item, or 0 when the driver reports none. */
static long rc_source_value(const struct rc_ctl *rc, const struct ringpcm_pins *p)
{
	const struct ringpcm_pin *pin;
	unsigned int i;

	for (i = 0; i < rc->n_src; i++) {
		pin = rc_find_pin(p, rc->src_nid[i]);
		if (pin && (pin->flags & RINGPCM_PIN_CAPTURE))
			return i;
	}
	return 0;
}

/* ---- element table ----------------------------------------------------------- */

static int rc_elem_count(snd_ctl_ext_t *ext)
{
	struct rc_ctl *rc = ext->private_data;

	return rc->n;
}

/* Jacks live on the card interface, as snd-hda-intel's do; the rest is mixer. */
static snd_ctl_elem_iface_t rc_iface(const struct rc_elem *e)
{
	return e->kind == RC_JACK ? SND_CTL_ELEM_IFACE_CARD : SND_CTL_ELEM_IFACE_MIXER;
}

static void rc_set_id(const struct rc_elem *e, snd_ctl_elem_id_t *id)
{
	snd_ctl_elem_id_set_interface(id, rc_iface(e));
	snd_ctl_elem_id_set_name(id, e->name);
	snd_ctl_elem_id_set_index(id, e->index);
}

static int rc_elem_list(snd_ctl_ext_t *ext, unsigned int offset, snd_ctl_elem_id_t *id)
{
	struct rc_ctl *rc = ext->private_data;

	if (offset >= rc->n)
		return -EINVAL;
	rc_set_id(&rc->elem[offset], id);
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
		if (!strcmp(name, rc->elem[i].name) &&
		    snd_ctl_elem_id_get_index(id) == rc->elem[i].index)
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
	*acc = SND_CTL_EXT_ACCESS_READWRITE;
	switch (rc->elem[key].kind) {
	case RC_SWITCH:
		*type = SND_CTL_ELEM_TYPE_BOOLEAN;
		break;
	case RC_VOLUME:
		*type = SND_CTL_ELEM_TYPE_INTEGER;
		*acc |= SND_CTL_EXT_ACCESS_TLV_READ | SND_CTL_EXT_ACCESS_TLV_CALLBACK;
		break;
	case RC_SOURCE:
		*type = SND_CTL_ELEM_TYPE_ENUMERATED;
		*count = 1;
		break;
	case RC_JACK:
		*type = SND_CTL_ELEM_TYPE_BOOLEAN;
		*acc = SND_CTL_EXT_ACCESS_READ;
		*count = 1;
		break;
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
	*imax = rc->elem[key].kind == RC_VOLUME ? rc->elem[key].caps.max_gain : 1;
	*istep = 1;
	return 0;
}

static int rc_read_integer(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, long *value)
{
	struct rc_ctl *rc = ext->private_data;
	struct ringpcm_pins p;
	struct rc_elem *e;
	struct ringpcm_mixer m;
	int err, c;

	if (key >= rc->n)
		return -EINVAL;
	e = &rc->elem[key];
	if (e->kind == RC_JACK) {
		err = rc_pins(rc, &p);
		if (err < 0)
			return err;
		value[0] = rc_jack_value(e, &p);
		return 0;
	}
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
	rc->pending |= 1ull << key;
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

	if (key >= rc->n || rc->elem[key].kind == RC_JACK)
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

/* ---- capture source ---------------------------------------------------------- */

static int rc_get_enumerated_info(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
				  unsigned int *items)
{
	struct rc_ctl *rc = ext->private_data;

	if (key >= rc->n || rc->elem[key].kind != RC_SOURCE)
		return -EINVAL;
	*items = rc->n_src;
	return 0;
}

static int rc_get_enumerated_name(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int item,
				  char *name, size_t name_max_len)
{
	struct rc_ctl *rc = ext->private_data;

	if (key >= rc->n || rc->elem[key].kind != RC_SOURCE || item >= rc->n_src)
		return -EINVAL;
	snprintf(name, name_max_len, "%s", rc->src_name[item]);
	return 0;
}

static int rc_read_enumerated(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int *items)
{
	struct rc_ctl *rc = ext->private_data;
	struct ringpcm_pins p;
	int err;

	if (key >= rc->n || rc->elem[key].kind != RC_SOURCE)
		return -EINVAL;
	err = rc_pins(rc, &p);
	if (err < 0)
		return err;
	items[0] = rc_source_value(rc, &p);
	return 0;
}

/* The driver routes the capture path to the chosen input at once. */
static int rc_write_enumerated(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, unsigned int *items)
{
	struct rc_ctl *rc = ext->private_data;
	struct ringpcm_pins p;
	int err;

	if (key >= rc->n || rc->elem[key].kind != RC_SOURCE || items[0] >= rc->n_src)
		return -EINVAL;
	err = rc_pins(rc, &p);
	if (err < 0)
		return err;
	if (rc_source_value(rc, &p) == (long)items[0])
		return 0;
	err = rpcm_capture_source_set(rc->fd, rc->src_nid[items[0]]);
	if (err < 0)
		return err;
	rc->elem[key].value = items[0];
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

/* ---- events ------------------------------------------------------------------ */

static bool rc_has_pins(const struct rc_ctl *rc)
{
	unsigned int i;

	for (i = 0; i < rc->n; i++)
		if ((rc->elem[i].kind == RC_JACK && !rc->elem[i].phantom) ||
		    rc->elem[i].kind == RC_SOURCE)
			return true;
	return false;
}

static void rc_subscribe_events(snd_ctl_ext_t *ext, int subscribe)
{
	struct rc_ctl *rc = ext->private_data;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (!subscribe)
		rc->pending = 0;
	if (subscribe && rc_has_pins(rc)) {
		its.it_interval.tv_nsec = RC_JACK_POLL_MS * 1000000L;
		its.it_value = its.it_interval;
	}
	timerfd_settime(rc->timerfd, 0, &its, NULL);
}

/* Re-read the pins; every jack or source whose value moved becomes an event. */
static void rc_refresh(struct rc_ctl *rc)
{
	struct ringpcm_pins p;
	unsigned int i;
	long v;

	if (rc_pins(rc, &p) < 0)
		return;
	for (i = 0; i < rc->n; i++) {
		struct rc_elem *e = &rc->elem[i];

		if (e->kind != RC_JACK && e->kind != RC_SOURCE)
			continue;
		v = e->kind == RC_JACK ? rc_jack_value(e, &p) : rc_source_value(rc, &p);
		if (v != e->value) {
			e->value = v;
			rc_notify(rc, i);
		}
	}
}

static void rc_drain(int fd)
{
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) < 0)
		cnt = 0;	/* already empty */
}

static int rc_read_event(snd_ctl_ext_t *ext, snd_ctl_elem_id_t *id, unsigned int *event_mask)
{
	struct rc_ctl *rc = ext->private_data;
	uint64_t ticks;
	unsigned int key;

	if (!rc->pending && read(rc->timerfd, &ticks, sizeof(ticks)) == sizeof(ticks))
		rc_refresh(rc);
	if (!rc->pending) {
		rc_drain(rc->evfd);
		return -EAGAIN;
	}
	key = __builtin_ctzll(rc->pending);
	rc->pending &= ~(1ull << key);
	if (!rc->pending)
		rc_drain(rc->evfd);
	rc_set_id(&rc->elem[key], id);
	snd_ctl_elem_id_set_numid(id, key + 1);
	*event_mask = SND_CTL_EVENT_MASK_VALUE;
	return 1;
}

static void rc_free(struct rc_ctl *rc)
{
	if (!rc)
		return;
	if (rc->fd >= 0)
		close(rc->fd);
	if (rc->epfd >= 0)
		close(rc->epfd);
	if (rc->timerfd >= 0)
		close(rc->timerfd);
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
	.get_enumerated_info = rc_get_enumerated_info,
	.get_enumerated_name = rc_get_enumerated_name,
	.read_integer = rc_read_integer,
	.read_enumerated = rc_read_enumerated,
	.write_integer = rc_write_integer,
	.write_enumerated = rc_write_enumerated,
	.subscribe_events = rc_subscribe_events,
	.read_event = rc_read_event,
};

/* ---- probe ------------------------------------------------------------------- */

/* One volume and one switch per amplifier the codec has. */
static void rc_probe_mixer(struct rc_ctl *rc)
{
	struct ringpcm_mixer m;
	unsigned int i;

	for (i = 0; i < sizeof(rc_names) / sizeof(rc_names[0]); i++) {
		if (rc_get(rc, rc_names[i].control, &m) < 0)
			continue;
		if (m.max_gain > 0) {
			rc->elem[rc->n] = (struct rc_elem){ .kind = RC_VOLUME,
							    .control = rc_names[i].control,
							    .caps = m };
			snprintf(rc->elem[rc->n++].name, RC_NAME_LEN, "%s", rc_names[i].volume);
		}
		if (m.can_mute) {
			rc->elem[rc->n] = (struct rc_elem){ .kind = RC_SWITCH,
							    .control = rc_names[i].control,
							    .caps = m };
			snprintf(rc->elem[rc->n++].name, RC_NAME_LEN, "%s", rc_names[i].sw);
		}
	}
}

/* Items of the same label get " 1", " 2"... as hda_generic's input mux does. */
static void rc_add_source(struct rc_ctl *rc, const char *label, unsigned int nid)
{
	unsigned int i, same = 0;

	for (i = 0; i < rc->n_src; i++)
		same += !strncmp(rc->src_name[i], label, strlen(label)) &&
			(rc->src_name[i][strlen(label)] == 0 || rc->src_name[i][strlen(label)] == ' ');
	if (same)
		snprintf(rc->src_name[rc->n_src], RC_NAME_LEN, "%.30s %u", label, same);
	else
		snprintf(rc->src_name[rc->n_src], RC_NAME_LEN, "%s", label);
	rc->src_nid[rc->n_src++] = nid;
}

/*
 * "Capture Source" when two or more inputs can be recorded.  Unlike
 * hda_generic, which offers no source control where auto-mic applies, it is
 * always there: a choice holds until the next mic plug or unplug, which
 * auto-mic decides (the driver's rule, kernel/hda-auto.c).
 */
static void rc_probe_source(struct rc_ctl *rc, const struct ringpcm_pins *p)
{
	char label[RC_NAME_LEN];
	unsigned int i;

	for (i = 0; i < p->n_pins; i++) {
		if (p->pin[i].codec != p->analog_codec || !rc_is_input(&p->pin[i]) ||
		    !(p->pin[i].flags & RINGPCM_PIN_ROUTED))
			continue;
		rc_pin_label(p, &p->pin[i], label, sizeof(label));
		rc_add_source(rc, label, p->pin[i].nid);
	}
	if (rc->n_src < 2)
		return;
	rc->elem[rc->n] = (struct rc_elem){ .kind = RC_SOURCE };
	snprintf(rc->elem[rc->n].name, RC_NAME_LEN, "Capture Source");
	rc->elem[rc->n].value = rc_source_value(rc, p);
	rc->n++;
}

/* "<label> Jack", or "<label> Phantom Jack" for a pin that cannot tell. */
static void rc_probe_jacks(struct rc_ctl *rc, const struct ringpcm_pins *p)
{
	char label[RC_NAME_LEN];
	struct rc_elem *e;
	unsigned int i, j;

	for (i = 0; i < p->n_pins && rc->n < RC_MAX_ELEMS; i++) {
		if (p->pin[i].codec != p->analog_codec || p->pin[i].kind >= RINGPCM_PIN_HDMI)
			continue;
		e = &rc->elem[rc->n];
		*e = (struct rc_elem){ .kind = RC_JACK, .nid = p->pin[i].nid };
		e->phantom = !(p->pin[i].flags & RINGPCM_PIN_JACK);
		rc_pin_label(p, &p->pin[i], label, sizeof(label));
		snprintf(e->name, RC_NAME_LEN, "%.30s%s Jack", label, e->phantom ? " Phantom" : "");
		for (j = 0; j < rc->n; j++)
			e->index += !strcmp(rc->elem[j].name, e->name);
		e->value = rc_jack_value(e, p);
		rc->n++;
	}
}

static void rc_probe(struct rc_ctl *rc)
{
	struct ringpcm_pins p;

	rc_probe_mixer(rc);
	if (rc_pins(rc, &p) < 0)
		return;		/* a driver before ABI 1.4: amps only */
	rc_probe_source(rc, &p);
	rc_probe_jacks(rc, &p);
}

/* What alsa-lib polls: readable when this handle queued events or it is time
 * to re-read the jacks. */
static int rc_open_events(struct rc_ctl *rc)
{
	struct epoll_event ev = { .events = EPOLLIN };

	rc->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	rc->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	rc->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rc->evfd < 0 || rc->timerfd < 0 || rc->epfd < 0)
		return -errno;
	ev.data.fd = rc->evfd;
	if (epoll_ctl(rc->epfd, EPOLL_CTL_ADD, rc->evfd, &ev) < 0)
		return -errno;
	ev.data.fd = rc->timerfd;
	if (epoll_ctl(rc->epfd, EPOLL_CTL_ADD, rc->timerfd, &ev) < 0)
		return -errno;
	return 0;
}

static int rc_open(snd_ctl_t **handlep, const char *name, unsigned int card, int mode)
{
	struct rc_ctl *rc;
	int err;

	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return -ENOMEM;
	rc->evfd = rc->timerfd = rc->epfd = -1;
	rc->fd = rpcm_ctl_open(card);
	if (rc->fd < 0) {
		err = rc->fd;
		SNDERR("ringpcm: cannot open /dev/ringpcmC%uctl: %s%s", card, snd_strerror(err),
		       err == -ENOENT ? " (is ringpcm.ko loaded?)" : "");
		rc_free(rc);
		return err;
	}
	err = rc_open_events(rc);
	if (err < 0) {
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
	rc->ext.poll_fd = rc->epfd;
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
