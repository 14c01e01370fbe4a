/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/control.h - what tun/control.c offers the other parts: the ioctls,
 * and the device flags user space sees.
 *
 * Locking: the ioctls take RTNL for what changes a device or a binding
 * (tun_ioctl()); the device fields they change are RTNL's (tun/tun.h).
 */
#ifndef _TUN_CONTROL_H
#define _TUN_CONTROL_H

#include "tun.h"

/* TUNGETIFF's and sysfs's view of tun_dev.flags */
static unsigned int tun_flags(const struct tun_dev *tun);
static long tun_chr_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg);
#ifdef CONFIG_COMPAT
static long tun_chr_compat_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg);
#endif

#endif /* _TUN_CONTROL_H */
