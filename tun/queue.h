/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/queue.h - what tun/queue.c offers the other parts: attaching a
 * queue to a device, disabling it, and letting go.
 *
 * Locking: every function here runs under RTNL but tun_detach(), which
 * takes it. Attaching is two steps so that nothing becomes visible
 * before all that can fail has succeeded: tun_queue_prepare() may fail,
 * tun_queue_link() cannot, and the caller publishes q->tun after it.
 */
#ifndef _TUN_QUEUE_H
#define _TUN_QUEUE_H

#include "tun.h"

static bool tun_may_attach(const struct tun_dev *tun);
static int tun_queue_prepare(struct tun_dev *tun, struct tun_queue *q,
			     bool skip_filter);
static void tun_queue_link(struct tun_dev *tun, struct tun_queue *q,
			   bool napi, bool frags);
static void tun_queue_disable(struct tun_dev *tun, struct tun_queue *q);
/* the file's release: takes RTNL itself */
static void tun_detach(struct tun_queue *q);
/* ndo_uninit: the device is closed, xmit no longer runs */
static void tun_detach_all(struct tun_dev *tun);

#endif /* _TUN_QUEUE_H */
