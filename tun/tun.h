/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/tun.h - the driver's objects, their locking, and the helpers every
 * part of tun.ko uses. Each part includes it, and the header of each
 * other part it uses (tun/queue.h, tun/filter.h, ...), which declares
 * what that part offers and its locking; the kernel's headers are tun.c's
 * alone (see there).
 *
 * Two objects, loosely coupled:
 *
 *   struct tun_queue   one per open file; it embeds a struct sock so that
 *                      write-side memory is accounted like a socket's and
 *                      so that in-kernel users (vhost-net) can drive it as
 *                      a socket. It owns the ring of frames waiting to be
 *                      read. Lifetime: the sock's refcount. The file holds
 *                      one reference, an attachment to a device another.
 *
 *   struct tun_dev     the net_device's private area. It lists the queues
 *                      attached to it; the device may be deleted (ip link
 *                      del, namespace teardown) while files stay open, and
 *                      a file may be closed while the device persists.
 *
 * Locking:
 *   - RTNL serialises every change of the binding between queues and
 *     devices (attach, detach, device teardown), and the device fields
 *     that ioctls change (flags, owner, group).
 *   - tun_dev.queues[] and tun_queue.tun are RCU-protected for the data
 *     paths: xmit reads queues[] under rcu_read_lock(); read/write/poll
 *     take a device reference through tun_get().
 *   - The ring has its own producer and consumer locks (ptr_ring). The
 *     only producer is xmit, the only consumer the reader.
 *
 * Detaching is ordered: unpublish (RCU), synchronize_net() so that no xmit
 * can still see the queue, then drain the ring and drop the reference.
 */
#ifndef _TUN_TUN_H
#define _TUN_TUN_H

#define TUN_DRV_VERSION		"1.6"
/* headroom of written frames; XDP programs get XDP_PACKET_HEADROOM more */
#define TUN_RX_PAD		(NET_IP_ALIGN + NET_SKB_PAD)
#define TUN_MAX_QUEUES		256
#define TUN_MIN_MTU		68
#define TUN_MAX_MTU		65535

/* Per-device feature flags a TUNSETIFF may set and TUNGETIFF reports. */
#define TUN_FEATURES		(IFF_NO_PI | IFF_ONE_QUEUE | IFF_MULTI_QUEUE | \
				 IFF_VNET_HDR | IFF_NAPI | IFF_NAPI_FRAGS)
#define TUN_ADVERTISED		(IFF_TUN | IFF_TAP | IFF_NO_CARRIER | \
				 TUN_FEATURES)

/*
 * Offloads user space can turn on with TUNSETOFFLOAD. UDP segmentation
 * is among them on every series, 6.1 included (Linux has it from 6.2).
 */
#define TUN_USER_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_TSO_ECN | \
				 NETIF_F_TSO | NETIF_F_TSO6 | \
				 NETIF_F_GSO_UDP_L4)
#define TUN_VLAN_TX_FEATURES	(NETIF_F_HW_VLAN_CTAG_TX | \
				 NETIF_F_HW_VLAN_STAG_TX)

/* High bits of tun_dev.flags, never shown to user space. */
#define TUN_VNET_LE		0x80000000
#define TUN_VNET_BE		0x40000000

/*
 * Destination MAC filter of a tap (TUNSETTXFILTER): up to TUN_FLT_EXACT
 * exact addresses, then a 64-bit hash of multicast ones. Updated without
 * a lock against xmit: count drops to zero first and is published last,
 * so a racing xmit sees no filter or a whole one (at worst a few frames
 * pass that should not). Writers are serialised by RTNL.
 */
#define TUN_FLT_EXACT		8

struct tun_txfilter {
	unsigned int count;
	u32 mask[2];
	u8 addr[TUN_FLT_EXACT][ETH_ALEN];
};

/*
 * Automatic multiqueue steering: a flow's packets go to the queue its
 * peer last wrote it from, so a reader thread per queue sees both
 * directions of its flows. Flows are keyed by symmetric hash, learnt on
 * write, and forgotten TUN_FLOW_EXPIRE after their last write.
 */
#define TUN_FLOW_BUCKETS	1024
#define TUN_FLOW_MAX		4096
#define TUN_FLOW_EXPIRE		(3 * HZ)

struct tun_flow {
	struct hlist_node node;		/* in tun_dev.flows[], RCU */
	struct rcu_head rcu;
	u32 hash;
	u16 queue;			/* READ_ONCE/WRITE_ONCE */
	unsigned long updated;		/* jiffies of the last write */
	/*
	 * Set to @hash once the stack has sent a packet of the flow, so
	 * that the flow's next write tells RFS where its reader runs; 0
	 * until then. READ_ONCE/WRITE_ONCE.
	 */
	u32 rps_hash;
};

/* An eBPF program of TUNSETSTEERINGEBPF or TUNSETFILTEREBPF. */
struct tun_prog {
	struct rcu_head rcu;
	struct bpf_prog *prog;
};

struct tun_dev;
struct tun_ring;

struct tun_queue {
	struct sock sk;			/* first: sk_alloc() sizes the object */
	struct socket socket;
	struct tun_dev __rcu *tun;	/* RTNL to change, RCU to read */
	struct ptr_ring ring;		/* skbs queued by xmit for the reader */
	struct fasync_struct *fasync;
	bool fasync_on;
	u16 index;			/* slot in tun_dev.queues[], RTNL */
	int ifindex;			/* TUNSETIFINDEX, used on creation */
	/*
	 * Set while the queue is attached but disabled (TUNSETQUEUE with
	 * IFF_DETACH_QUEUE): it is then on that device's disabled list,
	 * not in queues[], and q->tun still points to the device. RTNL.
	 */
	struct tun_dev *disabled_on;
	struct list_head disabled_node;
	/*
	 * IFF_NAPI: written frames reach the stack through this NAPI context
	 * (and GRO); chosen when the queue first attaches. NAPI is enabled
	 * while the queue is, and deleted when it leaves the device.
	 * IFF_NAPI_FRAGS builds each frame in napi->skb from the writer's
	 * iovecs; napi_mutex keeps one writer at a time on it.
	 */
	struct napi_struct napi;
	bool napi_on;
	bool napi_frags;
	struct mutex napi_mutex;
	/* XDP's view of this queue; registered while attached */
	struct xdp_rxq_info xdp_rxq;
	/* TUNSETRING's rings: set once under RTNL, see tun/ring.c */
	struct tun_ring __rcu *uring;
};

struct tun_dev {
	struct net_device *dev;
	/* enabled queues, dense: [0, numqueues) */
	struct tun_queue __rcu *queues[TUN_MAX_QUEUES];
	unsigned int numqueues;		/* RTNL to change */
	/* attached but disabled queues; both hold a reference on theirs */
	struct list_head disabled;	/* RTNL */
	unsigned int numdisabled;	/* RTNL */
	unsigned int flags;		/* IFF_TUN/TAP, TUN_FEATURES, PERSIST */
	kuid_t owner;
	kgid_t group;
	int vnet_hdr_sz;		/* READ_ONCE: read by the data paths */
	/*
	 * Headroom of the skbs a write copies into (NET_SKB_PAD unless an
	 * upper device asks more through ndo_set_rx_headroom); READ_ONCE.
	 */
	int rx_headroom;
	netdev_features_t set_features;	/* TUNSETOFFLOAD's, RTNL */
	u32 msg_enable;
	void *security;
	atomic_long_t rx_frame_errors;
	struct tun_txfilter txflt;
	/* TUNATTACHFILTER's program, attached to queues as they come; RTNL */
	struct sock_fprog fprog;
	bool filter_attached;
	/* eBPF programs: swapped under @lock, read under RCU by xmit */
	spinlock_t lock;
	struct tun_prog __rcu *steering_prog;
	struct tun_prog __rcu *filter_prog;
	/* native XDP program of a tap: RTNL to change, RCU to run */
	struct bpf_prog __rcu *xdp_prog;
	u32 rx_batched;			/* ethtool rx-frames; READ_ONCE */
	/* learnt flows: added and removed under flow_lock, read under RCU */
	spinlock_t flow_lock;
	unsigned int flow_count;
	struct timer_list flow_gc;
	struct hlist_head flows[TUN_FLOW_BUCKETS];
	struct ethtool_link_ksettings link;
	/* set only while register_netdevice() runs tun_net_init() */
	struct tun_queue *creator;
};

static bool tun_is_tap(const struct tun_dev *tun)
{
	return (tun->flags & TUN_TYPE_MASK) == IFF_TAP;
}

/* Byte order of the vnet header's fields (TUNSETVNETLE/BE). */
static bool tun_vnet_le(const struct tun_dev *tun)
{
	if (tun->flags & TUN_VNET_LE)
		return true;
	if (IS_ENABLED(CONFIG_TUN_VNET_CROSS_LE) && (tun->flags & TUN_VNET_BE))
		return false;
	return virtio_legacy_is_little_endian();
}

static u16 tun16_to_cpu(const struct tun_dev *tun, __virtio16 val)
{
	return __virtio16_to_cpu(tun_vnet_le(tun), val);
}

static __virtio16 cpu_to_tun16(const struct tun_dev *tun, u16 val)
{
	return __cpu_to_virtio16(tun_vnet_le(tun), val);
}

static struct tun_dev *tun_get(struct tun_queue *q)
{
	struct tun_dev *tun;

	rcu_read_lock();
	tun = rcu_dereference(q->tun);
	if (tun)
		dev_hold(tun->dev);
	rcu_read_unlock();
	return tun;
}

static void tun_put(struct tun_dev *tun)
{
	dev_put(tun->dev);
}

/*
 * Free one ring entry: an skb, or an XDP frame tagged in its low bit
 * (<linux/if_tun.h>). vhost-net drains our rings with this.
 */
void tun_ptr_free(void *ptr)
{
	if (!ptr)
		return;
	if (tun_is_xdp_frame(ptr))
		xdp_return_frame(tun_ptr_to_xdp(ptr));
	else
		kfree_skb(ptr);
}
EXPORT_SYMBOL_GPL(tun_ptr_free);

static void tun_queue_purge(struct tun_queue *q)
{
	void *ptr;

	while ((ptr = ptr_ring_consume(&q->ring)))
		tun_ptr_free(ptr);
	/* frames waiting for NAPI or an rx batch, and TX timestamps */
	skb_queue_purge(&q->sk.sk_write_queue);
	skb_queue_purge(&q->sk.sk_error_queue);
}

/* A read or a write that must not wait. */
static bool tun_iocb_noblock(const struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

static void tun_notify_readers(struct tun_queue *q)
{
	if (READ_ONCE(q->fasync_on))
		kill_fasync(&q->fasync, SIGIO, POLL_IN);
	q->sk.sk_data_ready(&q->sk);
}

#endif /* _TUN_TUN_H */
