// SPDX-License-Identifier: GPL-2.0
/*
 * The char devices: /dev/ringpcmC<n>D0p and ...D0c carry a stream (one
 * read-write opener each, any number of read-only observers);
 * /dev/ringpcmC<n>ctl carries the mixer without claiming a stream.
 * This file only marshals the ABI (copying, reserved fields, the mmap'd
 * status page, poll); the stream logic lives in pcm-stream.c.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "ringpcm.h"

/*
 * Kernel API changes this file follows:
 *  6.3  vma->vm_flags is read-only; vm_flags_set()/vm_flags_clear() write it
 *       under the mmap lock's assertions.
 *  6.4  class_create() lost its owner argument; class attribute callbacks
 *       take a const struct class.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define ringpcm_class_create(name)	class_create(name)
#define ringpcm_const_class		const struct class
#define ringpcm_const_class_attr	const struct class_attribute
#else
#define ringpcm_class_create(name)	class_create(THIS_MODULE, name)
#define ringpcm_const_class		struct class
#define ringpcm_const_class_attr	struct class_attribute
#endif

static dev_t ringpcm_devt;
static struct class *ringpcm_class;
static DEFINE_MUTEX(cards_lock);
static struct ringpcm_card *cards[RINGPCM_MAX_CARDS];	/* cards_lock */

/* Copy an ABI struct in; its reserved fields (inside @kp) must be zero. */
static int copy_in(void *kp, const void __user *up, size_t size, const void *reserved,
		   size_t reserved_size)
{
	if (copy_from_user(kp, up, size))
		return -EFAULT;
	return memchr_inv(reserved, 0, reserved_size) ? -EINVAL : 0;
}

/* ---- mixer: shared by stream and control files ------------------------------ */

static long mixer_ioctl(struct ringpcm_card *card, unsigned int cmd, void __user *argp)
{
	struct ringpcm_mixer m;
	long ret;

	ret = copy_in(&m, argp, sizeof(m), m.reserved, sizeof(m.reserved));
	if (ret)
		return ret;
	ret = ringpcm_pm_get(card);	/* the amps are read and written by verbs */
	if (ret)
		return ret;
	down_read(&card->hw_sem);
	if (card->gone)
		ret = -ENODEV;
	else if (card->asleep)	/* frozen user space cannot get here; kernel callers could */
		ret = -EBUSY;
	else if (cmd == RINGPCM_IOCTL_MIXER_SET)
		ret = hda_codec_mixer_set(&card->codec, &m) ?:
		      hda_codec_mixer_get(&card->codec, &m);
	else
		ret = hda_codec_mixer_get(&card->codec, &m);
	up_read(&card->hw_sem);
	ringpcm_pm_put(card);
	if (!ret && copy_to_user(argp, &m, sizeof(m)))
		ret = -EFAULT;
	return ret;
}

/*
 * ---- pins: jacks and the capture source, shared like the mixer -------------
 * PINS sends no verb (the parser's state): it neither needs nor wakes a
 * runtime suspended controller, see pm-runtime.c.
 */

static long pins_ioctl(struct ringpcm_card *card, void __user *argp)
{
	struct ringpcm_pins *p;
	long ret = 0;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	down_read(&card->hw_sem);
	if (card->gone)
		ret = -ENODEV;
	else
		hda_codec_fill_pins(&card->codec, p);
	up_read(&card->hw_sem);
	if (!ret && copy_to_user(argp, p, sizeof(*p)))
		ret = -EFAULT;
	kfree(p);
	return ret;
}

static long capture_source_ioctl(struct ringpcm_card *card, void __user *argp)
{
	u32 nid;
	long ret;

	if (get_user(nid, (u32 __user *)argp))
		return -EFAULT;
	ret = ringpcm_pm_get(card);
	if (ret)
		return ret;
	down_read(&card->hw_sem);
	ret = card->gone ? -ENODEV : hda_codec_set_capture_source(&card->codec, nid);
	up_read(&card->hw_sem);
	ringpcm_pm_put(card);
	return ret;
}

static long common_ioctl(struct ringpcm_card *card, unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case RINGPCM_IOCTL_PVERSION:
		return put_user(RINGPCM_VERSION, (u32 __user *)argp);
	case RINGPCM_IOCTL_MIXER_GET:
	case RINGPCM_IOCTL_MIXER_SET:
		return mixer_ioctl(card, cmd, argp);
	case RINGPCM_IOCTL_PINS:
		return pins_ioctl(card, argp);
	case RINGPCM_IOCTL_CAPTURE_SOURCE:
		return capture_source_ioctl(card, argp);
	}
	return -ENOTTY;
}

/* ---- stream files ----------------------------------------------------------- */

static long stream_info(struct ringpcm_stream *s, void __user *argp)
{
	struct ringpcm_info info;

	ringpcm_fill_info(s, &info);
	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static long stream_hw_params(struct ringpcm_stream *s, void __user *argp)
{
	struct ringpcm_hw_params p;
	long ret;

	ret = copy_in(&p, argp, sizeof(p), p.reserved, sizeof(p.reserved));
	if (ret)
		return ret;
	return ringpcm_stream_hw_params(s, &p);
}

static long stream_sw_params(struct ringpcm_stream *s, void __user *argp)
{
	struct ringpcm_sw_params p;
	long ret;

	ret = copy_in(&p, argp, sizeof(p), p.reserved, sizeof(p.reserved));
	if (ret)
		return ret;
	return ringpcm_stream_sw_params(s, &p);
}

static long stream_attach(struct ringpcm_stream *s, void __user *argp)
{
	struct ringpcm_ring r;
	long ret;

	ret = copy_in(&r, argp, sizeof(r), r.reserved, sizeof(r.reserved));
	if (ret)
		return ret;
	ret = ringpcm_stream_attach(s, &r);
	if (!ret && copy_to_user(argp, &r, sizeof(r)))
		ret = -EFAULT;	/* the ring stays attached; DETACH or close releases it */
	return ret;
}

static long stream_bench(struct ringpcm_stream *s, void __user *argp)
{
	struct ringpcm_bench b;
	long ret;

	ret = copy_in(&b, argp, sizeof(b), b.reserved, sizeof(b.reserved));
	if (ret)
		return ret;
	ret = ringpcm_stream_bench(s, &b);
	if (!ret && copy_to_user(argp, &b, sizeof(b)))
		ret = -EFAULT;
	return ret;
}

static long stream_ioctl_locked(struct ringpcm_stream *s, unsigned int cmd,
				void __user *argp, bool nonblock)
{
	u32 pause;

	switch (cmd) {
	case RINGPCM_IOCTL_HW_PARAMS:
		return stream_hw_params(s, argp);
	case RINGPCM_IOCTL_SW_PARAMS:
		return stream_sw_params(s, argp);
	case RINGPCM_IOCTL_ATTACH_RING:
		return stream_attach(s, argp);
	case RINGPCM_IOCTL_DETACH_RING:
		return ringpcm_stream_detach(s);
	case RINGPCM_IOCTL_PREPARE:
		return ringpcm_stream_prepare(s);
	case RINGPCM_IOCTL_START:
		return ringpcm_stream_start(s);
	case RINGPCM_IOCTL_DROP:
		return ringpcm_stream_drop(s);
	case RINGPCM_IOCTL_DRAIN:
		return ringpcm_stream_drain(s, nonblock);
	case RINGPCM_IOCTL_PAUSE:
		if (get_user(pause, (u32 __user *)argp))
			return -EFAULT;
		return ringpcm_stream_pause(s, pause);
	case RINGPCM_IOCTL_HWSYNC:
		return ringpcm_stream_hwsync(s);
	case RINGPCM_IOCTL_BENCH:
		return stream_bench(s, argp);
	}
	return -ENOTTY;
}

/* COMMIT, once per period and stream: straight here, not down the dispatch chains. */
static long stream_commit(struct ringpcm_stream *s, void __user *argp)
{
	u64 appl;
	long ret;

	if (get_user(appl, (u64 __user *)argp))
		return -EFAULT;
	mutex_lock(&s->lock);
	ret = ringpcm_stream_commit(s, appl);
	mutex_unlock(&s->lock);
	return ret;
}

/*
 * Every call but COMMIT.  Out of line so that its frame (the argument
 * structs the dispatch inlines, the stack protector) is not set up for
 * each period's COMMIT in stream_ioctl().
 */
static noinline long stream_ioctl_other(struct file *file, unsigned int cmd, void __user *argp)
{
	struct ringpcm_stream *s = file->private_data;
	long ret;

	if (cmd == RINGPCM_IOCTL_INFO)
		return stream_info(s, argp);
	ret = common_ioctl(s->card, cmd, argp);
	if (ret != -ENOTTY)
		return ret;
	mutex_lock(&s->lock);
	ret = stream_ioctl_locked(s, cmd, argp, file->f_flags & O_NONBLOCK);
	mutex_unlock(&s->lock);
	return ret;
}

static long stream_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	if (cmd == RINGPCM_IOCTL_COMMIT)
		return stream_commit(file->private_data, argp);
	return stream_ioctl_other(file, cmd, argp);
}

/* The status page, read-only: user space reads positions without a syscall. */
static int stream_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ringpcm_stream *s = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return vm_insert_page(vma, vma->vm_start, virt_to_page(s->status));
}

static __poll_t stream_poll(struct file *file, poll_table *wait)
{
	struct ringpcm_stream *s = file->private_data;

	poll_wait(file, &s->wait, wait);
	return ringpcm_stream_poll_mask(s);
}

static int stream_release(struct inode *inode, struct file *file)
{
	struct ringpcm_stream *s = file->private_data;
	struct ringpcm_card *card = s->card;

	ringpcm_stream_release(s);
	clear_bit(0, &s->in_use);
	ringpcm_pm_put(card);	/* the card may autosuspend once idle */
	ringpcm_card_put(card);
	return 0;
}

/*
 * A read-only open of a stream node observes it without claiming it:
 * INFO, MIXER, the status page and poll, e.g. for ringpcm-info -w.
 */
static long observer_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ringpcm_stream *s = file->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	if (cmd == RINGPCM_IOCTL_INFO)
		return stream_info(s, argp);
	ret = common_ioctl(s->card, cmd, argp);
	return ret == -ENOTTY && _IOC_TYPE(cmd) == RINGPCM_IOC_MAGIC ? -EPERM : ret;
}

static int observer_release(struct inode *inode, struct file *file)
{
	struct ringpcm_stream *s = file->private_data;

	ringpcm_card_put(s->card);
	return 0;
}

static const struct file_operations observer_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= observer_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= stream_mmap,
	.poll		= stream_poll,
	.release	= observer_release,
	.llseek		= noop_llseek,
};

static const struct file_operations stream_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= stream_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= stream_mmap,
	.poll		= stream_poll,
	.release	= stream_release,
	.llseek		= noop_llseek,
};

/* ---- control files ---------------------------------------------------------- */

static long ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return common_ioctl(file->private_data, cmd, (void __user *)arg);
}

static int ctl_release(struct inode *inode, struct file *file)
{
	ringpcm_card_put(file->private_data);
	return 0;
}

static const struct file_operations ctl_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= ctl_release,
	.llseek		= noop_llseek,
};

/* ---- open ------------------------------------------------------------------- */

static struct ringpcm_card *card_get_by_index(int index)
{
	struct ringpcm_card *card = NULL;

	mutex_lock(&cards_lock);
	if (index >= 0 && index < RINGPCM_MAX_CARDS && cards[index]) {
		card = cards[index];
		kref_get(&card->kref);
	}
	mutex_unlock(&cards_lock);
	return card;
}

/*
 * One cdev per card; the minor picks the stream or the control file, whose
 * own fops (module reference taken with fops_get) then replace these.
 */
static int ringpcm_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode) - MINOR(ringpcm_devt);
	unsigned int sub = minor % RINGPCM_MINORS_PER_CARD;
	struct ringpcm_card *card = card_get_by_index(minor / RINGPCM_MINORS_PER_CARD);
	const struct file_operations *fops;
	struct ringpcm_stream *s;
	int ret;

	if (!card)
		return -ENODEV;
	if (sub == RINGPCM_MINOR_CTL) {
		file->private_data = card;
		fops = &ctl_fops;
		replace_fops(file, fops_get(fops));
		return 0;
	}
	if (sub > RINGPCM_DIR_CAPTURE)
		goto out_nodev;
	s = &card->streams[sub];
	file->private_data = s;
	if (!(file->f_mode & FMODE_WRITE)) {
		fops = &observer_fops;
		replace_fops(file, fops_get(fops));
		return nonseekable_open(inode, file);
	}
	/*
	 * Powered before the stream is claimed: runtime suspend checks that no
	 * stream is open, and the reference is held until release.
	 */
	ret = ringpcm_pm_get(card);
	if (ret)
		goto out_put;
	if (test_and_set_bit(0, &s->in_use)) {
		ret = -EBUSY;
		goto out_pm_put;
	}
	fops = &stream_fops;
	replace_fops(file, fops_get(fops));
	return nonseekable_open(inode, file);

out_pm_put:
	ringpcm_pm_put(card);
out_put:
	ringpcm_card_put(card);
	return ret;

out_nodev:
	ringpcm_card_put(card);
	return -ENODEV;
}

static const struct file_operations ringpcm_open_fops = {
	.owner	= THIS_MODULE,
	.open	= ringpcm_open,
	.llseek	= noop_llseek,
};

/* ---- registration ------------------------------------------------------------- */

static const char * const ringpcm_dev_fmt[] = { "ringpcmC%dD0p", "ringpcmC%dD0c", "ringpcmC%dctl" };

/**
 * ringpcm_chardev_add - publish a probed card: claim a slot, create its nodes
 * @card: card with @index unset; sets it
 * Return: 0, -ENOSPC (no free card slot), or an error from the device core.
 */
int ringpcm_chardev_add(struct ringpcm_card *card)
{
	dev_t base;
	int i, ret;

	mutex_lock(&cards_lock);
	for (i = 0; i < RINGPCM_MAX_CARDS && cards[i]; i++)
		;
	if (i == RINGPCM_MAX_CARDS) {
		mutex_unlock(&cards_lock);
		return -ENOSPC;
	}
	card->index = i;
	base = ringpcm_devt + i * RINGPCM_MINORS_PER_CARD;
	card->cdev = cdev_alloc();
	ret = card->cdev ? 0 : -ENOMEM;
	if (!ret) {
		card->cdev->owner = THIS_MODULE;
		card->cdev->ops = &ringpcm_open_fops;
		ret = cdev_add(card->cdev, base, RINGPCM_MINORS_PER_CARD);
	}
	if (ret)
		goto out_unlock;
	for (i = 0; i < ARRAY_SIZE(card->devs); i++) {
		card->devs[i] = device_create(ringpcm_class, &card->pci->dev, base + i, card,
					      ringpcm_dev_fmt[i], card->index);
		if (IS_ERR(card->devs[i])) {
			ret = PTR_ERR(card->devs[i]);
			card->devs[i] = NULL;
			goto out_destroy;
		}
	}
	cards[card->index] = card;
	mutex_unlock(&cards_lock);
	return 0;

out_destroy:
	while (i--)
		device_destroy(ringpcm_class, base + i);
	cdev_del(card->cdev);
out_unlock:
	card->cdev = NULL;
	mutex_unlock(&cards_lock);
	return ret;
}

/* No new opens after this; files already open keep a card reference. */
void ringpcm_chardev_remove(struct ringpcm_card *card)
{
	dev_t base = ringpcm_devt + card->index * RINGPCM_MINORS_PER_CARD;
	int i;

	mutex_lock(&cards_lock);
	cards[card->index] = NULL;
	mutex_unlock(&cards_lock);
	for (i = 0; i < ARRAY_SIZE(card->devs); i++)
		if (card->devs[i])
			device_destroy(ringpcm_class, base + i);
	cdev_del(card->cdev);
}

static ssize_t pinned_pages_show(ringpcm_const_class *class, ringpcm_const_class_attr *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%ld\n", ringpcm_pinned_pages());
}
static CLASS_ATTR_RO(pinned_pages);

int ringpcm_chardev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&ringpcm_devt, 0,
				  RINGPCM_MAX_CARDS * RINGPCM_MINORS_PER_CARD, "ringpcm");
	if (ret)
		return ret;
	ringpcm_class = ringpcm_class_create("ringpcm");
	if (IS_ERR(ringpcm_class)) {
		ret = PTR_ERR(ringpcm_class);
		goto out_unregister;
	}
	ret = class_create_file(ringpcm_class, &class_attr_pinned_pages);
	if (ret)
		goto out_destroy_class;
	return 0;

out_destroy_class:
	class_destroy(ringpcm_class);
out_unregister:
	unregister_chrdev_region(ringpcm_devt, RINGPCM_MAX_CARDS * RINGPCM_MINORS_PER_CARD);
	return ret;
}

void ringpcm_chardev_exit(void)
{
	class_remove_file(ringpcm_class, &class_attr_pinned_pages);
	class_destroy(ringpcm_class);
	unregister_chrdev_region(ringpcm_devt, RINGPCM_MAX_CARDS * RINGPCM_MINORS_PER_CARD);
}
