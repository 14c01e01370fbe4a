/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/filter.h - what tun/filter.c offers the other parts: the tap MAC
 * filter (struct tun_txfilter, in tun/tun.h), the socket filter, and the
 * eBPF filter and steering programs.
 *
 * Locking: the setters run under RTNL (tun_set_prog() also at the
 * device's free, when nothing else can look). xmit reads the MAC filter without
 * a lock (see struct tun_txfilter) and the programs under RCU; a program
 * is swapped under tun_dev.lock and freed after a grace period.
 */
#ifndef _TUN_FILTER_H
#define _TUN_FILTER_H

#include "tun.h"

/* xmit: true if the frame may go to the reader */
static bool tun_txfilter_pass(const struct tun_txfilter *flt,
			      const struct sk_buff *skb);
static int tun_txfilter_set(struct tun_txfilter *flt, void __user *arg);

static int tun_sockfilter_attach(struct tun_dev *tun);
static void tun_sockfilter_detach(struct tun_dev *tun, unsigned int n);

static int tun_set_prog(struct tun_dev *tun, struct tun_prog __rcu **slot,
			struct bpf_prog *prog);
static int tun_set_prog_user(struct tun_dev *tun, struct tun_prog __rcu **slot,
			     void __user *arg);
/* xmit, under RCU: how much of the frame to keep (0: drop) */
static unsigned int tun_run_filter_prog(struct tun_dev *tun,
					struct sk_buff *skb);

#endif /* _TUN_FILTER_H */
