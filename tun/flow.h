/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/flow.h - what tun/flow.c offers the other parts: the flow table
 * (struct tun_flow, in tun/tun.h) that steers a flow to the queue its
 * writer uses.
 *
 * Locking: flows are added and removed under tun_dev.flow_lock and read
 * under RCU; a flow's fields are READ_ONCE/WRITE_ONCE.
 */
#ifndef _TUN_FLOW_H
#define _TUN_FLOW_H

#include "tun.h"

/* RCU, or flow_lock held */
static struct tun_flow *tun_flow_find(struct tun_dev *tun, u32 hash);
/* the write path: taken before the stack may consume @skb, then learnt */
static u32 tun_flow_hash_written(struct tun_dev *tun, struct tun_queue *q,
				 struct sk_buff *skb);
static void tun_flow_learn(struct tun_dev *tun, u32 hash, u16 queue);
/* xmit, under RCU */
static void tun_flow_sent(struct tun_flow *f, u32 hash);
static void tun_flow_sent_one_queue(struct tun_dev *tun, struct sk_buff *skb);
/* the timer of tun_dev.flow_gc, and the device's end */
static void tun_flow_gc(struct timer_list *t);
static void tun_flow_flush(struct tun_dev *tun);

#endif /* _TUN_FLOW_H */
