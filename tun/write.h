/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/write.h - what tun/write.c offers the other parts: a frame from
 * user space into the stack.
 *
 * Locking: the caller holds a device reference (tun_get()). An
 * IFF_NAPI_FRAGS queue's writers are serialised by tun_queue.napi_mutex,
 * taken inside tun_get_user(); an IFF_NAPI queue's list of frames for
 * the poller is under its own lock (tun_napi_queue()).
 */
#ifndef _TUN_WRITE_H
#define _TUN_WRITE_H

#include "tun.h"

static ssize_t tun_get_user(struct tun_dev *tun, struct tun_queue *q,
			    struct ubuf_info *ubuf, struct iov_iter *from,
			    bool noblock, bool more);
/* BHs off */
static int tun_napi_queue(struct tun_queue *q, struct sk_buff *skb);
static ssize_t tun_chr_write_iter(struct kiocb *iocb, struct iov_iter *from);

#endif /* _TUN_WRITE_H */
