/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/read.h - what tun/read.c offers the other parts: a frame out of a
 * queue's ring to user space.
 *
 * Locking: none of ours; the caller holds a device reference (tun_get()).
 * The ring's consumer lock is ptr_ring's.
 */
#ifndef _TUN_READ_H
#define _TUN_READ_H

#include "tun.h"

/* one skb as read() gives it; also the rings' RX path, under its lock */
static ssize_t tun_put_user(struct tun_dev *tun, struct sk_buff *skb,
			    struct iov_iter *to);
static ssize_t tun_do_read(struct tun_dev *tun, struct tun_queue *q,
			   struct iov_iter *to, bool noblock, void *ptr);
static ssize_t tun_chr_read_iter(struct kiocb *iocb, struct iov_iter *to);

#endif /* _TUN_READ_H */
