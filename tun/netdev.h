/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/netdev.h - what tun/netdev.c offers the other parts: the
 * net_device's ops and setup, and the netdevice events we follow.
 *
 * Locking: setup runs under RTNL, in device creation; the ops are
 * called as the core documents each (xmit is LLTX: any CPU, any time).
 */
#ifndef _TUN_NETDEV_H
#define _TUN_NETDEV_H

#include "tun.h"

/* which of the two a device has tells its kind (TUNSETIFF) */
static const struct net_device_ops tun_netdev_ops;
static const struct net_device_ops tap_netdev_ops;
static struct notifier_block tun_notifier;

/* alloc_netdev_mqs()'s callback, then what the kind adds */
static void tun_setup(struct net_device *dev);
static void tun_setup_kind(struct net_device *dev);
static int tun_net_change_carrier(struct net_device *dev, bool new_carrier);

#endif /* _TUN_NETDEV_H */
