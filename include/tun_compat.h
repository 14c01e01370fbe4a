/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel series we build for (Debian 12's 6.1 LTS
 * and 6.12 LTS), kept in one place so that the sources read as code for
 * the newest kernel. Each shim names the release that made it unnecessary.
 */
#ifndef _TUN_COMPAT_H
#define _TUN_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>

/* 6.11 turned NETIF_F_LLTX into the private flag dev->lltx. */
static inline void tun_compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * 6.6 let the write path build the paged part of an skb from high-order
 * pages, which raised the largest frame a write may carry from about
 * 17 pages to 17 * 32 KiB. Follow the kernel we run on, as its own tun
 * driver does, so that the EMSGSIZE boundary is the same.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define TUN_COMPAT_FRAG_ORDER	PAGE_ALLOC_COSTLY_ORDER
#else
#define TUN_COMPAT_FRAG_ORDER	0
#endif

#endif /* _TUN_COMPAT_H */
