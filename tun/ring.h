/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/ring.h - what tun/ring.c offers the other parts: a file's
 * shared-memory rings (TUNSETRING). struct tun_ring is tun/ring.c's own;
 * its lifetime and locking are described there.
 */
#ifndef _TUN_RING_H
#define _TUN_RING_H

#include "tun.h"
#include "../include/uapi/linux/tun_ring.h"

/* xmit, under RCU with BHs off: -ENOSPC for the caller to drop @skb */
static int tun_ring_xmit(struct tun_dev *tun, struct tun_queue *q,
			 struct tun_ring *r, struct sk_buff *skb);
/* the ioctls: TUNSETRING under RTNL, TUNRINGKICK without a lock */
static int tun_ring_setup(struct tun_dev *tun, struct tun_queue *q,
			  void __user *argp);
static int tun_ring_kick(struct tun_queue *q);
/* the file: poll() with a device reference, mmap() */
static __poll_t tun_ring_poll(struct tun_dev *tun, struct tun_queue *q,
			      struct tun_ring *r);
static int tun_ring_mmap(struct tun_queue *q, struct vm_area_struct *vma);
/* the file's release: stop before it detaches, free after */
static void tun_ring_stop(struct tun_queue *q);
static void tun_ring_free(struct tun_queue *q);

#endif /* _TUN_RING_H */
