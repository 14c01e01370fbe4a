/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/xdp.h - what tun/xdp.c offers the other parts: a tap's native XDP
 * program, its verdicts, and frames redirected to the tap.
 *
 * Locking: the program is set under RTNL (ndo_bpf) and run under RCU
 * with bottom halves off.
 */
#ifndef _TUN_XDP_H
#define _TUN_XDP_H

#include "tun.h"

static int tun_net_bpf(struct net_device *dev, struct netdev_bpf *bpf);
static int tun_net_xdp_xmit(struct net_device *dev, int n,
			    struct xdp_frame **frames, u32 flags);
/* BHs off: carry out verdict @act on a written frame */
static int tun_xdp_act(struct tun_dev *tun, struct bpf_prog *prog,
		       struct xdp_buff *xdp, u32 act);

#endif /* _TUN_XDP_H */
