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
#include <linux/skbuff.h>
#include <linux/uio.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <net/sock.h>
/*
 * RFS (rps_needed, sock_rps_record_flow_hash()): in <linux/netdevice.h>
 * and <net/sock.h> until 6.10 gave it a header of its own.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#include <net/rps.h>
#endif

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
 * Writes: until 6.6 a frame without a vnet header became one linear skb
 * (so frames up to what kmalloc gives, about 4 MB), and fragments were
 * order-0 pages (a frame whose vnet header asks for a smaller head and
 * leaves more than MAX_SKB_FRAGS pages for them is refused, EMSGSIZE).
 * 6.6 keeps the head within a page and puts the rest into fragments of up
 * to PAGE_ALLOC_COSTLY_ORDER, growing the head by what those cannot hold.
 * We follow the kernel we run on, so that the frames accepted and the
 * errno of those refused are the stock driver's.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define TUN_COMPAT_PAGED_WRITES	1
#define TUN_COMPAT_FRAG_ORDER	PAGE_ALLOC_COSTLY_ORDER
#else
#define TUN_COMPAT_PAGED_WRITES	0
#define TUN_COMPAT_FRAG_ORDER	0
#endif

/*
 * Attaching without CAP_NET_ADMIN to a device that has neither owner nor
 * group: allowed by 6.1, refused (EPERM) since the 6.5 rework of the
 * permission check. Measured against the stock driver of each series.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define TUN_COMPAT_UNOWNED_IS_OPEN	0
#else
#define TUN_COMPAT_UNOWNED_IS_OPEN	1
#endif

/*
 * A zero-copy buffer (struct ubuf_info) whose pages were copied instead:
 * tell its owner they are free. 6.10 moved the callback into an ops
 * table.
 */
static inline void tun_compat_ubuf_copied(struct ubuf_info *uarg)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	uarg->ops->complete(NULL, uarg, false);
#else
	uarg->callback(NULL, uarg, false);
#endif
}

/* 6.4 hid iov_iter's iovec array behind iter_iov(). */
static inline const struct iovec *tun_compat_iter_iov(const struct iov_iter *it)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return iter_iov(it);
#else
	return it->iov;
#endif
}

/* 6.3 lets drivers advertise their XDP abilities (netlink "xdp-features"). */
static inline void tun_compat_set_xdp_features(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	dev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			    NETDEV_XDP_ACT_NDO_XMIT;
#endif
}

/* 6.10 lets generic XDP replace the skb, so it takes a pointer to it. */
static inline int tun_compat_xdp_generic(struct bpf_prog *prog,
					 struct sk_buff **pskb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return do_xdp_generic(prog, pskb);
#else
	return do_xdp_generic(prog, *pskb);
#endif
}

/*
 * Since 6.11, XDP run outside NAPI (redirects in particular) needs a
 * bpf_net_context on the task for its redirect state; before, that state
 * was per CPU and needed nothing. Wrap every native XDP run in
 * tun_xdp_ctx_enter()/tun_xdp_ctx_exit().
 */
struct tun_xdp_ctx {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	struct bpf_net_context ctx;
	struct bpf_net_context *set;	/* NULL when one was set already */
#endif
};

static inline void tun_xdp_ctx_enter(struct tun_xdp_ctx *c)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	c->set = bpf_net_ctx_set(&c->ctx);
#endif
}

static inline void tun_xdp_ctx_exit(struct tun_xdp_ctx *c)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	bpf_net_ctx_clear(c->set);
#endif
}

/* The link speed ethtool reports by default: 10Mb/s until 6.2, 10Gb/s since. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define TUN_COMPAT_DEFAULT_SPEED	SPEED_10000
#else
#define TUN_COMPAT_DEFAULT_SPEED	SPEED_10
#endif

/*
 * ethtool -l (channels): Linux's driver reports them on 6.12, not on 6.1;
 * we key the difference on 6.8, within that range.
 */
#define TUN_COMPAT_HAS_CHANNELS	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0))

/*
 * Since 6.12 a file's owner (who gets SIGIO) is allocated on demand:
 * fcntl(F_SETOWN) allocates it, but F_SETFL's O_ASYNC only calls
 * ->fasync, so a driver that makes the caller the owner there must
 * allocate it first (__f_setown() warns on a file without one).
 */
static inline int tun_compat_f_owner_allocate(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return file_f_owner_allocate(file);
#else
	return 0;
#endif
}

/*
 * RWF_NOWAIT (and io_uring's non-blocking first try) is EOPNOTSUPP on a
 * file without FMODE_NOWAIT. Linux's driver sets it since 6.4, so on 6.1
 * those calls are refused and io_uring takes the blocking path; we follow
 * the kernel we run on.
 */
static inline void tun_compat_set_nowait(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	file->f_mode |= FMODE_NOWAIT;
#endif
}

#endif /* _TUN_COMPAT_H */
