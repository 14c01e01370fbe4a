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

/*
 * Frames the ring's drainer (tun/ring.c) has written and not yet handed
 * to the stack: tun_get_user() queues here what write() would deliver at
 * once, and tun_rx_batch_flush() delivers the lot with one call of
 * netif_receive_skb_list(). Process context, the drainer's own; empty
 * again after each flush.
 */
struct tun_rx_batch {
	struct list_head skbs;		/* through skb->list */
	u32 packets;			/* for the rx counters, at the flush */
	u64 bytes;
};

static void tun_rx_batch_init(struct tun_rx_batch *b);
/* process context, no lock held, a device reference */
static void tun_rx_batch_flush(struct tun_dev *tun, struct tun_rx_batch *b);
/* @batch: NULL, or what the drainer flushes after this call */
static ssize_t tun_get_user(struct tun_dev *tun, struct tun_queue *q,
			    struct ubuf_info *ubuf, struct iov_iter *from,
			    bool noblock, bool more, struct tun_rx_batch *batch);
/* BHs off */
static int tun_napi_queue(struct tun_queue *q, struct sk_buff *skb);
static ssize_t tun_chr_write_iter(struct kiocb *iocb, struct iov_iter *from);

#endif /* _TUN_WRITE_H */
