// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun - network devices whose wire is a file descriptor.
 *
 * Opening /dev/net/tun gives a file that is not yet bound to anything.
 * TUNSETIFF binds it to a network device, creating the device if needed:
 * a tun device (point-to-point, frames are IP packets) or a tap device
 * (Ethernet frames). From then on, what the stack transmits on the device
 * is queued for read(), and what is written to the file is received by
 * the stack as if it had arrived on the device.
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
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * The headers are chosen for module versioning, not only for what this
 * file uses: vhost_net.ko, built against Linux's own tun.ko, records a
 * CRC of the types behind tun_get_socket() and tun_get_tx_ring(), and
 * genksyms computes it from whatever struct definitions this unit can
 * see. This set sees the same ones as Linux's driver, so Debian's
 * unmodified vhost_net.ko loads against us; the bench checks the CRCs on
 * every build. Add a header only after checking it changes neither CRC
 * (<linux/proc_ns.h>, for one, does).
 */
#include <linux/module.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/major.h>
#include <linux/slab.h>
#include <linux/poll.h>
#include <linux/fcntl.h>
#include <linux/init.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/miscdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/compat.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/if_vlan.h>
#include <linux/crc32.h>
#include <linux/nsproxy.h>
#include <linux/virtio_net.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <net/sock.h>
#include <net/xdp.h>
#include <net/ip_tunnels.h>
#include <linux/seq_file.h>
#include <linux/uio.h>
#include <linux/skb_array.h>
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/mutex.h>
#include <linux/ieee802154.h>
#include <linux/if_ltalk.h>
#include <uapi/linux/if_fddi.h>
#include <uapi/linux/if_hippi.h>
#include <uapi/linux/if_fc.h>
#include <net/ax25.h>
#include <net/rose.h>
#include <net/6lowpan.h>
#include <linux/uaccess.h>
#include <linux/proc_fs.h>
/* and what this file uses beyond them, checked not to change the CRCs */
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/ptr_ring.h>
#include <linux/security.h>

#include "include/tun_compat.h"
#include "include/tun_vnet.h"

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
};

/* An eBPF program of TUNSETSTEERINGEBPF or TUNSETFILTEREBPF. */
struct tun_prog {
	struct rcu_head rcu;
	struct bpf_prog *prog;
};

struct tun_dev;

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

static const struct net_device_ops tun_netdev_ops;
static const struct net_device_ops tap_netdev_ops;
static const struct ethtool_ops tun_ethtool_ops;
static struct rtnl_link_ops tun_link_ops;
static const struct attribute_group tun_attr_group;

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

static void tun_notify_readers(struct tun_queue *q)
{
	if (READ_ONCE(q->fasync_on))
		kill_fasync(&q->fasync, SIGIO, POLL_IN);
	q->sk.sk_data_ready(&q->sk);
}

/* Attach and detach --------------------------------------------------- */

/*
 * Owner and group (TUNSETOWNER/TUNSETGROUP) let a user without
 * CAP_NET_ADMIN attach to a device: each one that is set must match.
 * Whether a device with neither set is open to everyone depends on the
 * kernel series (tun_compat.h).
 */
static bool tun_may_attach(const struct tun_dev *tun)
{
	const struct cred *cred = current_cred();

	if (ns_capable(dev_net(tun->dev)->user_ns, CAP_NET_ADMIN))
		return true;
	if (uid_valid(tun->owner) && !uid_eq(cred->euid, tun->owner))
		return false;
	if (gid_valid(tun->group) && !in_egroup_p(tun->group))
		return false;
	return TUN_COMPAT_UNOWNED_IS_OPEN ||
	       uid_valid(tun->owner) || gid_valid(tun->group);
}

/* IFF_NAPI: hand what writers queued to GRO, up to the budget. */
static int tun_napi_poll(struct napi_struct *napi, int budget)
{
	struct tun_queue *q = container_of(napi, struct tun_queue, napi);
	struct sk_buff_head *wq = &q->sk.sk_write_queue;
	struct sk_buff_head batch;
	struct sk_buff *skb;
	int done = 0;

	__skb_queue_head_init(&batch);
	spin_lock(&wq->lock);
	skb_queue_splice_tail_init(wq, &batch);
	spin_unlock(&wq->lock);

	while (done < budget && (skb = __skb_dequeue(&batch))) {
		napi_gro_receive(napi, skb);
		done++;
	}
	if (!skb_queue_empty(&batch)) {
		/* over budget: the rest goes back in front, in order */
		spin_lock(&wq->lock);
		skb_queue_splice(&batch, wq);
		spin_unlock(&wq->lock);
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static void tun_napi_setup(struct tun_dev *tun, struct tun_queue *q,
			   bool napi, bool frags)
{
	q->napi_on = napi;
	q->napi_frags = napi && frags;
	if (napi) {
		netif_napi_add_tx(tun->dev, &q->napi, tun_napi_poll);
		napi_enable(&q->napi);
	}
}

/*
 * Everything that can fail, done before the queue becomes visible: the
 * LSM's verdict and a ring sized for the device's txqueuelen.
 */
static int tun_queue_prepare(struct tun_dev *tun, struct tun_queue *q,
			     bool skip_filter)
{
	int err;

	ASSERT_RTNL();

	err = security_tun_dev_attach(&q->sk, tun->security);
	if (err < 0)
		return err;
	if (rtnl_dereference(q->tun) && !q->disabled_on)
		return -EINVAL;
	if (!(tun->flags & IFF_MULTI_QUEUE) && tun->numqueues == 1)
		return -EBUSY;
	if (!q->disabled_on &&
	    tun->numqueues + tun->numdisabled == TUN_MAX_QUEUES)
		return -E2BIG;

	/* a persistent device's filter follows it to each new file */
	if (tun->filter_attached && !skip_filter) {
		lock_sock(&q->sk);
		err = sk_attach_filter(&tun->fprog, &q->sk);
		release_sock(&q->sk);
		if (err)
			return err;
	}

	/* a disabled queue kept its ring and its XDP registration */
	if (q->disabled_on)
		return 0;
	if (ptr_ring_resize(&q->ring, tun->dev->tx_queue_len, GFP_KERNEL,
			    tun_ptr_free))
		return -ENOMEM;
	err = xdp_rxq_info_reg(&q->xdp_rxq, tun->dev, tun->numqueues, 0);
	if (err < 0)
		return err;
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err < 0) {
		xdp_rxq_info_unreg(&q->xdp_rxq);
		return err;
	}
	return 0;
}

static void tun_update_real_queues(struct tun_dev *tun)
{
	/* 0 is refused by the core and leaves the old count: harmless */
	netif_set_real_num_tx_queues(tun->dev, tun->numqueues);
	netif_set_real_num_rx_queues(tun->dev, tun->numqueues);
}

/*
 * Cannot fail: enable @q on @tun, either newly attached or re-enabled
 * from the disabled list. The caller publishes q->tun once the device is
 * usable.
 */
static void tun_queue_link(struct tun_dev *tun, struct tun_queue *q,
			   bool napi, bool frags)
{
	ASSERT_RTNL();

	if (q->disabled_on) {
		list_del_init(&q->disabled_node);
		tun->numdisabled--;
		q->disabled_on = NULL;
		if (q->napi_on)
			napi_enable(&q->napi);
	} else {
		sock_hold(&q->sk);	/* the device's reference */
		tun_napi_setup(tun, q, napi, frags);
	}
	q->sk.sk_shutdown &= ~RCV_SHUTDOWN;
	q->index = tun->numqueues;
	q->xdp_rxq.queue_index = q->index;
	if (rtnl_dereference(tun->xdp_prog))
		sock_set_flag(&q->sk, SOCK_XDP);
	rcu_assign_pointer(tun->queues[q->index], q);
	tun->numqueues++;
	tun_update_real_queues(tun);
}

/* Remove @q from the device; RTNL held. Returns true if it was attached. */
static bool tun_queue_unlink(struct tun_dev *tun, struct tun_queue *q)
{
	unsigned int last = tun->numqueues - 1;
	struct tun_queue *moved;

	ASSERT_RTNL();

	if (rtnl_dereference(tun->queues[q->index]) != q)
		return false;

	/* keep queues[] dense: the last queue takes the freed slot */
	moved = rtnl_dereference(tun->queues[last]);
	rcu_assign_pointer(tun->queues[q->index], moved);
	moved->index = q->index;
	moved->xdp_rxq.queue_index = q->index;
	RCU_INIT_POINTER(tun->queues[last], NULL);
	tun->numqueues--;
	tun_update_real_queues(tun);
	return true;
}

/*
 * TUNSETQUEUE/IFF_DETACH_QUEUE: stop delivering to @q but keep it bound,
 * so that IFF_ATTACH_QUEUE can bring it back. What it had queued is lost.
 */
static void tun_queue_disable(struct tun_dev *tun, struct tun_queue *q)
{
	tun_queue_unlink(tun, q);
	if (q->napi_on)
		napi_disable(&q->napi);
	q->disabled_on = tun;
	list_add_tail(&q->disabled_node, &tun->disabled);
	tun->numdisabled++;
	synchronize_net();	/* no xmit sees q any more */
	tun_queue_purge(q);
}

/* What attaching set up and only leaving the device undoes. */
static void tun_queue_release(struct tun_queue *q)
{
	if (q->napi_on) {
		netif_napi_del(&q->napi);
		q->napi_on = false;
	}
	xdp_rxq_info_unreg(&q->xdp_rxq);
}

/* Wake anyone blocked on @q and make further blocking reads fail. */
static void tun_queue_shutdown(struct tun_queue *q)
{
	q->sk.sk_shutdown |= RCV_SHUTDOWN;
	q->sk.sk_data_ready(&q->sk);
}

/*
 * The file is going away, or being unbound from its device: detach it,
 * and delete the device if it was its last queue and not persistent.
 */
static void tun_detach(struct tun_queue *q)
{
	struct tun_dev *tun;

	rtnl_lock();
	tun = rtnl_dereference(q->tun);
	if (!tun)
		goto out;

	/* a disabled queue's NAPI is disabled already */
	if (q->napi_on && !q->disabled_on)
		napi_disable(&q->napi);
	tun_queue_release(q);
	if (q->disabled_on) {
		list_del_init(&q->disabled_node);
		tun->numdisabled--;
		q->disabled_on = NULL;
	} else {
		tun_queue_unlink(tun, q);
	}
	synchronize_net();	/* no xmit, no NAPI poller sees q any more */
	tun_queue_purge(q);
	RCU_INIT_POINTER(q->tun, NULL);
	sock_put(&q->sk);		/* the device's reference */

	if (!tun->numqueues && !tun->numdisabled) {
		netif_carrier_off(tun->dev);
		if (!(tun->flags & IFF_PERSIST) &&
		    tun->dev->reg_state == NETREG_REGISTERED)
			unregister_netdevice(tun->dev);
	}
	if (tun->dev->reg_state == NETREG_REGISTERED)
		netdev_state_change(tun->dev);
out:
	rtnl_unlock();
}

/*
 * The device is being unregistered: let go of every queue. The device is
 * closed by now, so xmit no longer runs; readers and writers may still
 * hold the device (tun_get()) and are woken to find it gone.
 */
static void tun_detach_all(struct tun_dev *tun)
{
	unsigned int i, n = tun->numqueues;
	struct tun_queue *q, *tmp;

	ASSERT_RTNL();

	for (i = 0; i < n; i++) {
		q = rtnl_dereference(tun->queues[i]);
		if (q->napi_on)
			napi_disable(&q->napi);
		RCU_INIT_POINTER(q->tun, NULL);
		tun_queue_shutdown(q);
	}
	list_for_each_entry(q, &tun->disabled, disabled_node) {
		RCU_INIT_POINTER(q->tun, NULL);
		tun_queue_shutdown(q);
	}
	synchronize_net();

	for (i = 0; i < n; i++) {
		q = rtnl_dereference(tun->queues[i]);
		RCU_INIT_POINTER(tun->queues[i], NULL);
		tun_queue_release(q);
		tun_queue_purge(q);
		sock_put(&q->sk);	/* the device's reference */
	}
	tun->numqueues = 0;
	list_for_each_entry_safe(q, tmp, &tun->disabled, disabled_node) {
		list_del_init(&q->disabled_node);
		q->disabled_on = NULL;
		tun_queue_release(q);
		tun_queue_purge(q);
		sock_put(&q->sk);	/* the device's reference */
	}
	tun->numdisabled = 0;

	/* the reference TUNSETPERSIST took; see tun_set_persist() */
	if (tun->flags & IFF_PERSIST)
		module_put(THIS_MODULE);
}

/* Filters ---------------------------------------------------------------- */

static int tun_mac_hash(const u8 *addr)
{
	return ether_crc(ETH_ALEN, addr) >> 26;
}

/* Called from xmit: true if the frame may go to the reader. */
static bool tun_txfilter_pass(const struct tun_txfilter *flt,
			      const struct sk_buff *skb)
{
	/* the MAC header is at skb->data here, eth_hdr() is not set yet */
	const struct ethhdr *eh = (const struct ethhdr *)skb->data;
	unsigned int i, n = smp_load_acquire(&flt->count);
	int bit;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (ether_addr_equal(eh->h_dest, flt->addr[i]))
			return true;
	if (!is_multicast_ether_addr(eh->h_dest))
		return false;
	bit = tun_mac_hash(eh->h_dest);
	return flt->mask[bit >> 5] & (1U << (bit & 31));
}

/*
 * TUNSETTXFILTER: the first TUN_FLT_EXACT addresses match exactly, the
 * rest must be multicast and go into the hash. A unicast address that
 * does not fit leaves the filter off. Returns the number of exact ones.
 */
static int tun_txfilter_set(struct tun_txfilter *flt, void __user *arg)
{
	struct tun_filter uf;
	u8 (*addr)[ETH_ALEN];
	unsigned int n, exact;
	int ret;

	if (copy_from_user(&uf, arg, sizeof(uf)))
		return -EFAULT;
	if (!uf.count) {
		WRITE_ONCE(flt->count, 0);
		return 0;
	}

	addr = memdup_user(arg + sizeof(uf), (size_t)uf.count * ETH_ALEN);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	WRITE_ONCE(flt->count, 0);
	smp_wmb();	/* xmit sees the filter off before it changes */

	exact = min_t(unsigned int, uf.count, TUN_FLT_EXACT);
	for (n = 0; n < exact; n++)
		ether_addr_copy(flt->addr[n], addr[n]);

	memset(flt->mask, 0, sizeof(flt->mask));
	ret = 0;
	for (; n < uf.count; n++) {
		int bit;

		if (!is_multicast_ether_addr(addr[n]))
			goto out;	/* stays off */
		bit = tun_mac_hash(addr[n]);
		flt->mask[bit >> 5] |= 1U << (bit & 31);
	}
	if (uf.flags & TUN_FLT_ALLMULTI)
		memset(flt->mask, 0xff, sizeof(flt->mask));

	smp_store_release(&flt->count, exact);
	ret = exact;
out:
	kfree(addr);
	return ret;
}

/* TUNATTACHFILTER's classic BPF, on every attached queue's socket. */
static void tun_sockfilter_detach(struct tun_dev *tun, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct tun_queue *q = rtnl_dereference(tun->queues[i]);

		lock_sock(&q->sk);
		sk_detach_filter(&q->sk);
		release_sock(&q->sk);
	}
	tun->filter_attached = false;
}

static int tun_sockfilter_attach(struct tun_dev *tun)
{
	unsigned int i;
	int err;

	for (i = 0; i < tun->numqueues; i++) {
		struct tun_queue *q = rtnl_dereference(tun->queues[i]);

		lock_sock(&q->sk);
		err = sk_attach_filter(&tun->fprog, &q->sk);
		release_sock(&q->sk);
		if (err) {
			tun_sockfilter_detach(tun, i);
			return err;
		}
	}
	tun->filter_attached = true;
	return 0;
}

static void tun_prog_free(struct rcu_head *rcu)
{
	struct tun_prog *p = container_of(rcu, struct tun_prog, rcu);

	bpf_prog_destroy(p->prog);
	kfree(p);
}

/* Install @prog (NULL: remove) in @slot; the old one goes after a grace period. */
static int tun_set_prog(struct tun_dev *tun, struct tun_prog __rcu **slot,
			struct bpf_prog *prog)
{
	struct tun_prog *old, *new = NULL;

	if (prog) {
		new = kmalloc(sizeof(*new), GFP_KERNEL);
		if (!new) {
			bpf_prog_put(prog);
			return -ENOMEM;
		}
		new->prog = prog;
	}

	spin_lock_bh(&tun->lock);
	old = rcu_dereference_protected(*slot, lockdep_is_held(&tun->lock));
	rcu_assign_pointer(*slot, new);
	spin_unlock_bh(&tun->lock);

	if (old)
		call_rcu(&old->rcu, tun_prog_free);
	return 0;
}

/* TUNSETSTEERINGEBPF/TUNSETFILTEREBPF: an fd, or -1 to remove. */
static int tun_set_prog_user(struct tun_dev *tun, struct tun_prog __rcu **slot,
			     void __user *arg)
{
	struct bpf_prog *prog = NULL;
	int fd;

	if (copy_from_user(&fd, arg, sizeof(fd)))
		return -EFAULT;
	if (fd != -1) {
		prog = bpf_prog_get_type(fd, BPF_PROG_TYPE_SOCKET_FILTER);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
	}
	return tun_set_prog(tun, slot, prog);
}

/* The filter program's verdict: how much of the frame to keep (0: drop). */
static unsigned int tun_run_filter_prog(struct tun_dev *tun,
					struct sk_buff *skb)
{
	struct tun_prog *p = rcu_dereference(tun->filter_prog);

	return p ? bpf_prog_run_clear_cb(p->prog, skb) : skb->len;
}

/* Flow table ------------------------------------------------------------- */

static struct hlist_head *tun_flow_bucket(struct tun_dev *tun, u32 hash)
{
	return &tun->flows[hash & (TUN_FLOW_BUCKETS - 1)];
}

/* RCU, or flow_lock held. */
static struct tun_flow *tun_flow_find(struct tun_dev *tun, u32 hash)
{
	struct tun_flow *f;

	hlist_for_each_entry_rcu(f, tun_flow_bucket(tun, hash), node,
				 lockdep_is_held(&tun->flow_lock))
		if (f->hash == hash)
			return f;
	return NULL;
}

static void tun_flow_remove(struct tun_dev *tun, struct tun_flow *f)
{
	lockdep_assert_held(&tun->flow_lock);
	hlist_del_rcu(&f->node);
	kfree_rcu(f, rcu);
	tun->flow_count--;
}

/* The write path saw @hash written from queue @queue. */
static void tun_flow_learn(struct tun_dev *tun, u32 hash, u16 queue)
{
	struct tun_flow *f;

	rcu_read_lock();
	f = tun_flow_find(tun, hash);
	if (f) {
		if (READ_ONCE(f->queue) != queue)
			WRITE_ONCE(f->queue, queue);
		if (READ_ONCE(f->updated) != jiffies)
			WRITE_ONCE(f->updated, jiffies);
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();

	spin_lock_bh(&tun->flow_lock);
	if (!tun_flow_find(tun, hash) && tun->flow_count < TUN_FLOW_MAX) {
		f = kmalloc(sizeof(*f), GFP_ATOMIC);
		if (f) {
			f->hash = hash;
			f->queue = queue;
			f->updated = jiffies;
			hlist_add_head_rcu(&f->node, tun_flow_bucket(tun, hash));
			tun->flow_count++;
		}
	}
	if (!timer_pending(&tun->flow_gc))
		mod_timer(&tun->flow_gc, round_jiffies_up(jiffies +
							  TUN_FLOW_EXPIRE));
	spin_unlock_bh(&tun->flow_lock);
}

static void tun_flow_gc(struct timer_list *t)
{
	struct tun_dev *tun = from_timer(tun, t, flow_gc);
	unsigned long next = jiffies + TUN_FLOW_EXPIRE;
	struct tun_flow *f;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock(&tun->flow_lock);
	for (i = 0; i < TUN_FLOW_BUCKETS; i++) {
		hlist_for_each_entry_safe(f, tmp, &tun->flows[i], node) {
			unsigned long expires = READ_ONCE(f->updated) +
						TUN_FLOW_EXPIRE;

			if (time_before_eq(expires, jiffies))
				tun_flow_remove(tun, f);
			else if (time_before(expires, next))
				next = expires;
		}
	}
	if (tun->flow_count)
		mod_timer(&tun->flow_gc, round_jiffies_up(next));
	spin_unlock(&tun->flow_lock);
}

/* When nobody can look any more: the device is being freed. */
static void tun_flow_flush(struct tun_dev *tun)
{
	struct tun_flow *f;
	struct hlist_node *tmp;
	unsigned int i;

	del_timer_sync(&tun->flow_gc);
	spin_lock_bh(&tun->flow_lock);
	for (i = 0; i < TUN_FLOW_BUCKETS; i++)
		hlist_for_each_entry_safe(f, tmp, &tun->flows[i], node)
			tun_flow_remove(tun, f);
	spin_unlock_bh(&tun->flow_lock);
}

/* XDP (taps) -------------------------------------------------------------- */

static int tun_xdp_set(struct net_device *dev, struct bpf_prog *prog)
{
	struct tun_dev *tun = netdev_priv(dev);
	struct tun_queue *q;
	struct bpf_prog *old;
	unsigned int i;

	old = rtnl_dereference(tun->xdp_prog);
	rcu_assign_pointer(tun->xdp_prog, prog);
	if (old)
		bpf_prog_put(old);

	/* SOCK_XDP asks vhost-net to leave XDP headroom in its buffers */
	for (i = 0; i < tun->numqueues; i++) {
		q = rtnl_dereference(tun->queues[i]);
		sock_valbool_flag(&q->sk, SOCK_XDP, !!prog);
	}
	list_for_each_entry(q, &tun->disabled, disabled_node)
		sock_valbool_flag(&q->sk, SOCK_XDP, !!prog);
	return 0;
}

static int tun_net_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	if (bpf->command == XDP_SETUP_PROG)
		return tun_xdp_set(dev, bpf->prog);
	return -EINVAL;
}

/*
 * ndo_xdp_xmit: frames redirected to this tap, or sent back by XDP_TX,
 * go to a queue's ring as they are, for the reader.
 */
static int tun_net_xdp_xmit(struct net_device *dev, int n,
			    struct xdp_frame **frames, u32 flags)
{
	struct tun_dev *tun = netdev_priv(dev);
	unsigned int numqueues;
	struct tun_queue *q;
	int sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	rcu_read_lock();
	numqueues = READ_ONCE(tun->numqueues);
	q = numqueues ? rcu_dereference(tun->queues[smp_processor_id() %
							numqueues]) : NULL;
	if (!q) {
		rcu_read_unlock();
		return -ENXIO;	/* the caller frees them all */
	}

	spin_lock(&q->ring.producer_lock);
	for (; sent < n; sent++) {
		if (__ptr_ring_produce(&q->ring, tun_xdp_to_ptr(frames[sent]))) {
			dev_core_stats_tx_dropped_inc(dev);
			break;
		}
	}
	spin_unlock(&q->ring.producer_lock);

	if (flags & XDP_XMIT_FLUSH)
		tun_notify_readers(q);
	rcu_read_unlock();
	return sent;
}

static int tun_xdp_tx(struct net_device *dev, struct xdp_buff *xdp)
{
	struct xdp_frame *frame = xdp_convert_buff_to_frame(xdp);
	int sent;

	if (unlikely(!frame))
		return -EOVERFLOW;
	sent = tun_net_xdp_xmit(dev, 1, &frame, XDP_XMIT_FLUSH);
	if (!sent)
		xdp_return_frame_rx_napi(frame);
	return sent;
}

/*
 * Carry out a native XDP verdict on a written frame. Frames sent on
 * (XDP_TX, XDP_REDIRECT) count as received, dropped ones as rx_dropped.
 * Returns the verdict, or a negative errno if sending on failed.
 */
static int tun_xdp_act(struct tun_dev *tun, struct bpf_prog *prog,
		       struct xdp_buff *xdp, u32 act)
{
	unsigned int len = xdp->data_end - xdp->data;
	int err;

	switch (act) {
	case XDP_REDIRECT:
		err = xdp_do_redirect(tun->dev, xdp, prog);
		if (err) {
			dev_core_stats_rx_dropped_inc(tun->dev);
			return err;
		}
		dev_sw_netstats_rx_add(tun->dev, len);
		break;
	case XDP_TX:
		err = tun_xdp_tx(tun->dev, xdp);
		if (err < 0) {
			dev_core_stats_rx_dropped_inc(tun->dev);
			return err;
		}
		dev_sw_netstats_rx_add(tun->dev, len);
		break;
	case XDP_PASS:
		break;
	default:
		bpf_warn_invalid_xdp_action(tun->dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(tun->dev, prog, act);
		fallthrough;
	case XDP_DROP:
		dev_core_stats_rx_dropped_inc(tun->dev);
		break;
	}
	return act;
}

/* Network device ------------------------------------------------------ */

static int tun_net_init(struct net_device *dev)
{
	struct tun_dev *tun = netdev_priv(dev);
	int err;

	err = security_tun_dev_alloc_security(&tun->security);
	if (err < 0)
		return err;

	/*
	 * The offloads start "requested": wanted by the stack, held back by
	 * tun_net_fix_features() until TUNSETOFFLOAD says the reader copes.
	 */
	dev->hw_features = NETIF_F_SG | NETIF_F_FRAGLIST | TUN_USER_FEATURES |
			   TUN_VLAN_TX_FEATURES;
	dev->features = dev->hw_features;
	dev->vlan_features = dev->features & ~TUN_VLAN_TX_FEATURES;
	tun_compat_set_lltx(dev);

	/*
	 * The creating file becomes queue 0 as part of registration, so the
	 * device never exists without it; it is published to the file only
	 * after register_netdevice() succeeds.
	 */
	err = tun_queue_prepare(tun, tun->creator, true);
	if (err < 0) {
		security_tun_dev_free_security(tun->security);
		tun->security = NULL;
		return err;
	}
	tun_queue_link(tun, tun->creator, tun->flags & IFF_NAPI,
		       tun->flags & IFF_NAPI_FRAGS);
	return 0;
}

static void tun_net_uninit(struct net_device *dev)
{
	tun_detach_all(netdev_priv(dev));
}

/* Called by free_netdev(), and by register_netdevice() if it fails late. */
static void tun_net_free(struct net_device *dev)
{
	struct tun_dev *tun = netdev_priv(dev);

	security_tun_dev_free_security(tun->security);
	tun->security = NULL;
	tun_set_prog(tun, &tun->steering_prog, NULL);
	tun_set_prog(tun, &tun->filter_prog, NULL);
	tun_flow_flush(tun);
}

static int tun_net_open(struct net_device *dev)
{
	netif_tx_start_all_queues(dev);
	return 0;
}

static int tun_net_stop(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	return 0;
}

static netdev_tx_t tun_net_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tun_dev *tun = netdev_priv(dev);
	unsigned int txq = skb->queue_mapping;
	struct tun_queue *q;
	unsigned int len;

	rcu_read_lock();
	q = rcu_dereference(tun->queues[txq]);
	if (!q)
		goto drop;

	if (!tun_txfilter_pass(&tun->txflt, skb))
		goto drop;
	if (rcu_access_pointer(q->sk.sk_filter) && sk_filter(&q->sk, skb))
		goto drop;
	len = tun_run_filter_prog(tun, skb);
	if (!len || pskb_trim(skb, len))
		goto drop;

	/* user pages must not reach a reader that may hold them forever */
	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC)))
		goto drop;

	skb_tx_timestamp(skb);
	/* the reader may keep the skb indefinitely: release the sender */
	skb_orphan(skb);
	nf_reset_ct(skb);

	if (ptr_ring_produce(&q->ring, skb))
		goto drop;

	/* LLTX: the core does not update trans_start for us */
	txq_trans_cond_update(netdev_get_tx_queue(dev, txq));
	tun_notify_readers(q);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	dev_core_stats_tx_dropped_inc(dev);
	skb_tx_error(skb);
	kfree_skb(skb);
	rcu_read_unlock();
	return NET_XMIT_DROP;
}

/*
 * Multiqueue steering: the TUNSETSTEERINGEBPF program if there is one,
 * else the queue that last wrote the flow, else a symmetric flow hash
 * spread over the queues.
 */
static u16 tun_net_select_queue(struct net_device *dev, struct sk_buff *skb,
				struct net_device *sb_dev)
{
	struct tun_dev *tun = netdev_priv(dev);
	unsigned int n = READ_ONCE(tun->numqueues);
	struct tun_prog *p;
	struct tun_flow *f;
	u32 pick, hash;

	if (n <= 1)
		return 0;

	rcu_read_lock();
	p = rcu_dereference(tun->steering_prog);
	if (p) {
		pick = bpf_prog_run_clear_cb(p->prog, skb) % n;
	} else {
		hash = __skb_get_hash_symmetric(skb);
		f = tun_flow_find(tun, hash);
		pick = f ? READ_ONCE(f->queue) : n;
		/* a learnt queue may have gone since */
		if (pick >= n)
			pick = ((u64)hash * n) >> 32;
	}
	rcu_read_unlock();
	return pick;
}

static void tun_net_get_stats64(struct net_device *dev,
				struct rtnl_link_stats64 *stats)
{
	struct tun_dev *tun = netdev_priv(dev);

	dev_get_tstats64(dev, stats);
	stats->rx_frame_errors += atomic_long_read(&tun->rx_frame_errors);
}

static int tun_net_change_carrier(struct net_device *dev, bool new_carrier)
{
	struct tun_dev *tun = netdev_priv(dev);

	if (!new_carrier) {
		netif_carrier_off(dev);
		return 0;
	}
	/* carrier needs someone at the other end of the wire */
	if (!tun->numqueues)
		return -EPERM;
	netif_carrier_on(dev);
	return 0;
}

static netdev_features_t tun_net_fix_features(struct net_device *dev,
					      netdev_features_t features)
{
	struct tun_dev *tun = netdev_priv(dev);

	return (features & ~TUN_USER_FEATURES) |
	       (features & tun->set_features);
}

/* Accepting all multicast is the only sensible rx filter for a tap. */
static void tap_net_set_rx_mode(struct net_device *dev)
{
}

static const struct net_device_ops tun_netdev_ops = {
	.ndo_init		= tun_net_init,
	.ndo_uninit		= tun_net_uninit,
	.ndo_open		= tun_net_open,
	.ndo_stop		= tun_net_stop,
	.ndo_start_xmit		= tun_net_xmit,
	.ndo_select_queue	= tun_net_select_queue,
	.ndo_get_stats64	= tun_net_get_stats64,
	.ndo_change_carrier	= tun_net_change_carrier,
	.ndo_fix_features	= tun_net_fix_features,
};

static const struct net_device_ops tap_netdev_ops = {
	.ndo_init		= tun_net_init,
	.ndo_uninit		= tun_net_uninit,
	.ndo_open		= tun_net_open,
	.ndo_stop		= tun_net_stop,
	.ndo_start_xmit		= tun_net_xmit,
	.ndo_select_queue	= tun_net_select_queue,
	.ndo_get_stats64	= tun_net_get_stats64,
	.ndo_change_carrier	= tun_net_change_carrier,
	.ndo_fix_features	= tun_net_fix_features,
	.ndo_bpf		= tun_net_bpf,
	.ndo_xdp_xmit		= tun_net_xdp_xmit,
	.ndo_set_rx_mode	= tap_net_set_rx_mode,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_features_check	= passthru_features_check,
};

static void tun_default_link(struct ethtool_link_ksettings *link)
{
	memset(link, 0, sizeof(*link));
	link->base.speed = SPEED_10000;
	link->base.duplex = DUPLEX_FULL;
	link->base.port = PORT_TP;
	link->base.autoneg = AUTONEG_DISABLE;
}

/* alloc_netdev_mqs() callback: what is common to tun and tap. */
static void tun_setup(struct net_device *dev)
{
	struct tun_dev *tun = netdev_priv(dev);

	tun->dev = dev;
	tun->owner = INVALID_UID;
	tun->group = INVALID_GID;
	tun->vnet_hdr_sz = sizeof(struct virtio_net_hdr);
	INIT_LIST_HEAD(&tun->disabled);
	spin_lock_init(&tun->lock);
	spin_lock_init(&tun->flow_lock);
	timer_setup(&tun->flow_gc, tun_flow_gc, 0);
	tun_default_link(&tun->link);

	dev->ethtool_ops = &tun_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = tun_net_free;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->tx_queue_len = TUN_READQ_SIZE;
}

/* What differs between the two kinds; tun->flags holds the kind. */
static void tun_setup_kind(struct net_device *dev)
{
	struct tun_dev *tun = netdev_priv(dev);

	if (tun_is_tap(tun)) {
		dev->netdev_ops = &tap_netdev_ops;
		ether_setup(dev);
		/* we queue the skb itself, so it cannot be shared */
		dev->priv_flags &= ~IFF_TX_SKB_SHARING;
		dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
		eth_hw_addr_random(dev);
		tun_compat_set_xdp_features(dev);
	} else {
		dev->netdev_ops = &tun_netdev_ops;
		/* lets packet sockets learn the protocol from the IP header */
		dev->header_ops = &ip_tunnel_header_ops;
		dev->hard_header_len = 0;
		dev->addr_len = 0;
		dev->mtu = ETH_DATA_LEN;
		dev->type = ARPHRD_NONE;
		dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	}
	dev->min_mtu = TUN_MIN_MTU;
	dev->max_mtu = TUN_MAX_MTU - dev->hard_header_len;
}

/* Read path: from the ring to user space ------------------------------ */

static void *tun_ring_wait(struct tun_queue *q, bool noblock, int *err)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	void *skb;

	*err = 0;
	skb = ptr_ring_consume(&q->ring);
	if (skb || noblock) {
		if (!skb)
			*err = -EAGAIN;
		return skb;
	}

	add_wait_queue(sk_sleep(&q->sk), &wait);
	for (;;) {
		skb = ptr_ring_consume(&q->ring);
		if (skb)
			break;
		if (signal_pending(current)) {
			*err = -ERESTARTSYS;
			break;
		}
		/* the device went away under a blocked reader */
		if (READ_ONCE(q->sk.sk_shutdown) & RCV_SHUTDOWN) {
			*err = -EFAULT;
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(sk_sleep(&q->sk), &wait);
	return skb;
}

/*
 * Copy one frame out: [struct tun_pi] [vnet header] frame. Returns the
 * length the frame needed, which may be more than the buffer took:
 * callers clamp it, and the packet info header says TUN_PKT_STRIP when
 * the buffer was short. A VLAN tag the stack left in skb metadata
 * (NETIF_F_HW_VLAN_*_TX) is put back into the frame.
 */
static ssize_t tun_put_user(struct tun_dev *tun, struct sk_buff *skb,
			    struct iov_iter *to)
{
	int vlan_hlen = skb_vlan_tag_present(skb) ? VLAN_HLEN : 0;
	int vnet_hdr_sz = 0;
	size_t off = 0, left;
	ssize_t total;

	if (tun->flags & IFF_VNET_HDR)
		vnet_hdr_sz = READ_ONCE(tun->vnet_hdr_sz);
	total = skb->len + vlan_hlen + vnet_hdr_sz;

	if (!(tun->flags & IFF_NO_PI)) {
		struct tun_pi pi = { .proto = skb->protocol };

		if (iov_iter_count(to) < sizeof(pi))
			return -EINVAL;
		total += sizeof(pi);
		if (iov_iter_count(to) < total)
			pi.flags |= TUN_PKT_STRIP;
		if (copy_to_iter(&pi, sizeof(pi), to) != sizeof(pi))
			return -EFAULT;
	}

	if (vnet_hdr_sz) {
		struct virtio_net_hdr hdr;

		if (iov_iter_count(to) < vnet_hdr_sz)
			return -EINVAL;
		/* only offloads we enabled can reach us; refuse the rest */
		if (tun_vnet_from_skb(skb, &hdr, tun_vnet_le(tun), vlan_hlen)) {
			netdev_err_once(tun->dev,
					"cannot describe GSO type 0x%x to the reader\n",
					skb_shinfo(skb)->gso_type);
			return -EINVAL;
		}
		if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr))
			return -EFAULT;
		/* bytes past our header stay as the reader left them */
		iov_iter_advance(to, vnet_hdr_sz - sizeof(hdr));
	}

	if (vlan_hlen) {
		/* the tag goes between the MAC addresses and the type */
		const size_t macs = offsetof(struct vlan_ethhdr, h_vlan_proto);
		struct {
			__be16 proto;
			__be16 tci;
		} tag = {
			.proto = skb->vlan_proto,
			.tci = htons(skb_vlan_tag_get(skb)),
		};

		left = min_t(size_t, macs, iov_iter_count(to));
		if (skb_copy_datagram_iter(skb, 0, to, left) || left < macs)
			goto done;
		if (copy_to_iter(&tag, sizeof(tag), to) != sizeof(tag))
			goto done;
		off = macs;
	}

	/* a short buffer truncates the frame, as on a datagram socket */
	left = min_t(size_t, skb->len - off, iov_iter_count(to));
	skb_copy_datagram_iter(skb, off, to, left);
done:
	dev_sw_netstats_tx_add(tun->dev, 1, skb->len + vlan_hlen);
	return total;
}

/* An XDP frame (XDP_TX, ndo_xdp_xmit) has no offload state to describe. */
static ssize_t tun_put_user_xdp(struct tun_dev *tun, struct xdp_frame *xdpf,
				struct iov_iter *to)
{
	int vnet_hdr_sz = 0;
	size_t ret;

	if (tun->flags & IFF_VNET_HDR) {
		struct virtio_net_hdr hdr = { 0 };

		vnet_hdr_sz = READ_ONCE(tun->vnet_hdr_sz);
		if (iov_iter_count(to) < vnet_hdr_sz)
			return -EINVAL;
		if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr))
			return -EFAULT;
		iov_iter_advance(to, vnet_hdr_sz - sizeof(hdr));
	}
	ret = copy_to_iter(xdpf->data, xdpf->len, to) + vnet_hdr_sz;
	dev_sw_netstats_tx_add(tun->dev, 1, ret);
	return ret;
}

/*
 * Read one frame: @ptr if the caller already took it off the ring
 * (vhost-net consumes the ring itself, then hands entries back through
 * recvmsg()), else the next one, waiting unless @noblock.
 */
static ssize_t tun_do_read(struct tun_dev *tun, struct tun_queue *q,
			   struct iov_iter *to, bool noblock, void *ptr)
{
	ssize_t ret;
	int err;

	if (!iov_iter_count(to)) {
		tun_ptr_free(ptr);
		return 0;
	}

	if (!ptr) {
		ptr = tun_ring_wait(q, noblock, &err);
		if (!ptr)
			return err;
	}

	if (tun_is_xdp_frame(ptr)) {
		struct xdp_frame *xdpf = tun_ptr_to_xdp(ptr);

		ret = tun_put_user_xdp(tun, xdpf, to);
		xdp_return_frame(xdpf);
	} else {
		ret = tun_put_user(tun, ptr, to);
		if (unlikely(ret < 0))
			kfree_skb(ptr);
		else
			consume_skb(ptr);
	}
	return ret;
}

static ssize_t tun_chr_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct tun_queue *q = file->private_data;
	ssize_t len = iov_iter_count(to), ret;
	struct tun_dev *tun;
	bool noblock;

	tun = tun_get(q);
	if (!tun)
		return -EBADFD;

	noblock = (file->f_flags & O_NONBLOCK) ||
		  (iocb->ki_flags & IOCB_NOWAIT);
	ret = tun_do_read(tun, q, to, noblock, NULL);
	ret = min(ret, len);
	if (ret > 0)
		iocb->ki_pos = ret;
	tun_put(tun);
	return ret;
}

/* Write path: from user space into the stack --------------------------- */

/*
 * The skb is charged to the queue's socket, so TUNSETSNDBUF bounds the
 * memory a writer can pin in the stack. @linear is how much the caller
 * wants in the head (0: no preference); the rest goes into page
 * fragments of TUN_COMPAT_FRAG_ORDER. What fragments cannot hold grows
 * the head, so the largest frame is bounded by kmalloc (ENOBUFS beyond),
 * as in Linux's driver of the kernel we run on.
 */
static struct sk_buff *tun_alloc_skb(struct tun_queue *q, size_t headroom,
				     size_t len, size_t linear, bool noblock)
{
	const size_t frag_max = MAX_SKB_FRAGS *
				(PAGE_SIZE << TUN_COMPAT_FRAG_ORDER);
	struct sk_buff *skb;
	int err;

	if (headroom + len < PAGE_SIZE || !linear)
		linear = len;
	else if (len - linear > frag_max)
		linear = len - frag_max;

	skb = sock_alloc_send_pskb(&q->sk, headroom + linear, len - linear,
				   noblock, &err, TUN_COMPAT_FRAG_ORDER);
	if (!skb)
		return ERR_PTR(err);

	skb_reserve(skb, headroom);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	return skb;
}

/*
 * @ubuf: vhost-net's zero-copy completion, if it offered one. We always
 * copy, so it is told at once that its pages are free again.
 */
/*
 * Small frames written without blocking to a tap go into a page fragment
 * with XDP headroom, so that a native XDP program can see them before
 * there is an skb; everything else runs XDP, if any, on the skb.
 */
static bool tun_can_build_skb(struct tun_dev *tun, struct tun_queue *q,
			      size_t len, bool noblock, bool zerocopy)
{
	return tun_is_tap(tun) && q->sk.sk_sndbuf == INT_MAX && noblock &&
	       !zerocopy &&
	       SKB_DATA_ALIGN(len + TUN_RX_PAD + XDP_PACKET_HEADROOM) +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) <= PAGE_SIZE;
}

static struct sk_buff *tun_finish_build(struct tun_queue *q,
					struct page_frag *frag, char *buf,
					int buflen, int len, int pad)
{
	struct sk_buff *skb = build_skb(buf, buflen);

	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, pad);
	skb_put(skb, len);
	skb_set_owner_w(skb, &q->sk);

	/* the skb owns its piece of the page from now on */
	get_page(frag->page);
	frag->offset += buflen;
	return skb;
}

/*
 * Returns the skb to go on with, NULL if XDP took the frame (sent it on
 * or dropped it: the write still succeeds), or an ERR_PTR. *@run_xdp
 * says whether XDP is still to be run, generically, on the skb.
 */
static struct sk_buff *tun_build_skb(struct tun_dev *tun, struct tun_queue *q,
				     struct iov_iter *from,
				     const struct virtio_net_hdr *hdr,
				     int len, bool *run_xdp)
{
	struct page_frag *frag = &current->task_frag;
	int buflen = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb = NULL;
	struct tun_xdp_ctx xctx;
	struct bpf_prog *prog;
	int pad = TUN_RX_PAD;
	struct xdp_buff xdp;
	char *buf;
	u32 act;
	int ret;

	if (rcu_access_pointer(tun->xdp_prog))
		pad += XDP_PACKET_HEADROOM;
	buflen += SKB_DATA_ALIGN(len + pad);

	frag->offset = ALIGN((u64)frag->offset, SMP_CACHE_BYTES);
	if (unlikely(!skb_page_frag_refill(buflen, frag, GFP_KERNEL)))
		return ERR_PTR(-ENOMEM);
	buf = (char *)page_address(frag->page) + frag->offset;
	if (copy_page_from_iter(frag->page, frag->offset + pad, len, from) !=
	    len)
		return ERR_PTR(-EFAULT);

	/* a program attached since we sized the headroom runs generically */
	if (hdr->gso_type || pad == TUN_RX_PAD) {
		*run_xdp = true;
		return tun_finish_build(q, frag, buf, buflen, len, pad);
	}
	*run_xdp = false;

	local_bh_disable();
	rcu_read_lock();
	tun_xdp_ctx_enter(&xctx);
	prog = rcu_dereference(tun->xdp_prog);
	if (prog) {
		xdp_init_buff(&xdp, buflen, &q->xdp_rxq);
		xdp_prepare_buff(&xdp, buf, pad, len, false);
		act = bpf_prog_run_xdp(prog, &xdp);
		/* a frame sent on keeps its piece of the page */
		if (act == XDP_REDIRECT || act == XDP_TX) {
			get_page(frag->page);
			frag->offset += buflen;
		}
		ret = tun_xdp_act(tun, prog, &xdp, act);
		if (ret < 0) {
			if (act == XDP_REDIRECT || act == XDP_TX)
				put_page(frag->page);
			goto out;
		}
		if (ret == XDP_REDIRECT)
			xdp_do_flush();
		if (ret != XDP_PASS)
			goto out;
		pad = xdp.data - xdp.data_hard_start;
		len = xdp.data_end - xdp.data;
	}
	skb = tun_finish_build(q, frag, buf, buflen, len, pad);
out:
	tun_xdp_ctx_exit(&xctx);
	rcu_read_unlock();
	local_bh_enable();
	return skb;
}

/* XDP on an skb (generic mode): true if the program kept the frame. */
static bool tun_xdp_generic(struct tun_dev *tun, struct sk_buff **pskb)
{
	struct bpf_prog *prog;
	bool pass = true;

	local_bh_disable();
	rcu_read_lock();
	prog = rcu_dereference(tun->xdp_prog);
	if (prog)
		pass = tun_compat_xdp_generic(prog, pskb) == XDP_PASS;
	rcu_read_unlock();
	local_bh_enable();
	return pass;
}

/*
 * IFF_NAPI_FRAGS: build the frame in the NAPI context's skb, the first
 * iovec in its head and each further one, page-sized at most, in a
 * fragment of its own, as a NIC's receive ring would deliver it.
 */
static struct sk_buff *tun_napi_alloc_frags(struct tun_queue *q, size_t len,
					    const struct iov_iter *it)
{
	const struct iovec *iov = tun_compat_iter_iov(it);
	struct sk_buff *skb;
	size_t linear;
	int err, i;

	if (it->nr_segs > MAX_SKB_FRAGS + 1 ||
	    len > (ETH_MAX_MTU - NET_SKB_PAD - NET_IP_ALIGN))
		return ERR_PTR(-EMSGSIZE);

	local_bh_disable();
	skb = napi_get_frags(&q->napi);
	local_bh_enable();
	if (!skb)
		return ERR_PTR(-ENOMEM);

	linear = iov_iter_single_seg_count(it);
	err = __skb_grow(skb, linear);
	if (err)
		goto free;
	skb->len = len;
	skb->data_len = len - linear;
	skb->truesize += skb->data_len;

	for (i = 1; i < it->nr_segs; i++) {
		size_t fragsz = iov[i].iov_len;
		struct page *page;
		void *frag;

		if (!fragsz || fragsz > PAGE_SIZE) {
			err = -EINVAL;
			goto free;
		}
		frag = netdev_alloc_frag(fragsz);
		if (!frag) {
			err = -ENOMEM;
			goto free;
		}
		page = virt_to_head_page(frag);
		skb_fill_page_desc(skb, i - 1, page, frag - page_address(page),
				   fragsz);
	}
	return skb;

free:
	napi_free_frags(&q->napi);	/* the skb and the fragments so far */
	return ERR_PTR(err);
}

/*
 * Ethtool rx-frames (rx_batched): frames written with MSG_MORE (vhost-net)
 * are held back and handed to the stack together, up to that many; a
 * frame without MSG_MORE flushes the batch.
 */
static void tun_rx_batched(struct tun_dev *tun, struct tun_queue *q,
			   struct sk_buff *skb, bool more)
{
	struct sk_buff_head *wq = &q->sk.sk_write_queue;
	u32 batch_max = READ_ONCE(tun->rx_batched);
	struct sk_buff_head batch;
	struct sk_buff *held;
	bool flush = false;

	if (!batch_max || (!more && skb_queue_empty(wq))) {
		local_bh_disable();
		netif_receive_skb(skb);
		local_bh_enable();
		return;
	}

	spin_lock(&wq->lock);
	if (!more || skb_queue_len(wq) == batch_max) {
		__skb_queue_head_init(&batch);
		skb_queue_splice_tail_init(wq, &batch);
		flush = true;
	} else {
		__skb_queue_tail(wq, skb);
	}
	spin_unlock(&wq->lock);

	if (flush) {
		local_bh_disable();
		while ((held = __skb_dequeue(&batch)))
			netif_receive_skb(held);
		netif_receive_skb(skb);
		local_bh_enable();
	}
}

/*
 * Hand a built frame to the stack: through GRO for the NAPI modes, else
 * at once (or in a batch). Consumes @skb; returns 0 or a negative errno.
 */
static int tun_rx_deliver(struct tun_dev *tun, struct tun_queue *q,
			  struct sk_buff *skb, bool more)
{
	struct sk_buff_head *wq = &q->sk.sk_write_queue;
	unsigned int qlen;
	u32 headlen;

	if (q->napi_frags) {
		/* GRO takes the frame from its Ethernet header */
		skb_push(skb, ETH_HLEN);
		headlen = eth_get_headlen(tun->dev, skb->data,
					  skb_headlen(skb));
		if (unlikely(headlen > skb_headlen(skb))) {
			dev_core_stats_rx_dropped_inc(tun->dev);
			napi_free_frags(&q->napi);
			return -ENOMEM;
		}
		if (!napi_schedule_prep(&q->napi)) {
			/* disabled, or another writer's frame in flight */
			napi_free_frags(&q->napi);
			return -EBUSY;
		}
		local_bh_disable();
		napi_gro_frags(&q->napi);
		napi_complete(&q->napi);
		local_bh_enable();
		return 0;
	}

	if (q->napi_on) {
		spin_lock_bh(&wq->lock);
		if (unlikely(READ_ONCE(q->disabled_on))) {
			spin_unlock_bh(&wq->lock);
			kfree_skb(skb);
			return -EBUSY;
		}
		__skb_queue_tail(wq, skb);
		qlen = skb_queue_len(wq);
		spin_unlock(&wq->lock);
		if (!more || qlen > NAPI_POLL_WEIGHT)
			napi_schedule(&q->napi);
		local_bh_enable();
		return 0;
	}

	tun_rx_batched(tun, q, skb, more);
	return 0;
}

static ssize_t tun_get_user(struct tun_dev *tun, struct tun_queue *q,
			    struct ubuf_info *ubuf, struct iov_iter *from,
			    bool noblock, bool more)
{
	struct tun_pi pi = { .proto = htons(ETH_P_IP) };
	struct virtio_net_hdr hdr = { 0 };
	struct net_device *dev = tun->dev;
	size_t total = iov_iter_count(from);
	size_t len = total, headroom = NET_SKB_PAD;
	size_t hdr_len = 0, linear;
	bool frags = q->napi_frags;
	bool run_xdp = true;
	struct sk_buff *skb;
	u32 hash = 0;
	int err;

	/* malformed requests: refused before anything is counted */
	if (!(tun->flags & IFF_NO_PI)) {
		if (len < sizeof(pi))
			return -EINVAL;
		len -= sizeof(pi);
		if (!copy_from_iter_full(&pi, sizeof(pi), from))
			return -EFAULT;
	}
	if (tun->flags & IFF_VNET_HDR) {
		size_t sz = READ_ONCE(tun->vnet_hdr_sz);

		if (len < sz)
			return -EINVAL;
		len -= sz;
		if (!copy_from_iter_full(&hdr, sizeof(hdr), from))
			return -EFAULT;
		hdr_len = tun16_to_cpu(tun, hdr.hdr_len);
		/*
		 * The header must cover the checksum field it points at. The
		 * field is 16 bits: an end past 64K wraps, as in Linux, and
		 * the frame then fails the checks of tun_vnet_to_skb().
		 */
		if (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			unsigned int end = tun16_to_cpu(tun, hdr.csum_start) +
					   tun16_to_cpu(tun, hdr.csum_offset) + 2;

			if (end > hdr_len) {
				hdr.hdr_len = cpu_to_tun16(tun, (u16)end);
				hdr_len = tun16_to_cpu(tun, hdr.hdr_len);
			}
		}
		if (hdr_len > len)
			return -EINVAL;
		iov_iter_advance(from, sz - sizeof(hdr));
	}
	if (tun_is_tap(tun)) {
		headroom += NET_IP_ALIGN;
		if (len < ETH_HLEN || (hdr_len && hdr_len < ETH_HLEN))
			return -EINVAL;
	}

	/* from here on a refused frame counts as dropped on receive */
	if (!frags && tun_can_build_skb(tun, q, len, noblock, false)) {
		skb = tun_build_skb(tun, q, from, &hdr, len, &run_xdp);
		if (IS_ERR(skb)) {
			err = PTR_ERR(skb);
			skb = NULL;
			goto drop;
		}
		if (!skb)
			return total;	/* XDP took it */
		goto built;
	}
	if (frags) {
		mutex_lock(&q->napi_mutex);
		skb = tun_napi_alloc_frags(q, len, from);
	} else {
		/* the headers the vnet header announces go in the head */
		linear = min_t(size_t, hdr_len, SKB_MAX_HEAD(headroom));
		if (TUN_COMPAT_PAGED_WRITES && !linear)
			linear = min_t(size_t, len, SKB_MAX_HEAD(headroom));
		skb = tun_alloc_skb(q, headroom, len, linear, noblock);
	}
	if (IS_ERR(skb)) {
		err = PTR_ERR(skb);
		skb = NULL;
		goto drop;
	}
	if (skb_copy_datagram_from_iter(skb, 0, from, len)) {
		err = -EFAULT;
		goto drop;
	}

built:
	/* a header that does not fit the frame is a framing error */
	if (tun_vnet_to_skb(skb, &hdr, tun_vnet_le(tun))) {
		atomic_long_inc(&tun->rx_frame_errors);
		err = -EINVAL;
		goto free;
	}

	if (tun_is_tap(tun)) {
		if (frags && !pskb_may_pull(skb, ETH_HLEN)) {
			err = -ENOMEM;
			goto drop;
		}
		skb->protocol = eth_type_trans(skb, dev);
	} else {
		if (tun->flags & IFF_NO_PI) {
			u8 version = skb->len ? skb->data[0] >> 4 : 0;

			if (version == 4) {
				pi.proto = htons(ETH_P_IP);
			} else if (version == 6) {
				pi.proto = htons(ETH_P_IPV6);
			} else {
				err = -EINVAL;
				goto drop;
			}
		}
		skb_reset_mac_header(skb);
		skb->protocol = pi.proto;
		skb->dev = dev;
	}

	if (ubuf)
		tun_compat_ubuf_copied(ubuf);

	skb_reset_network_header(skb);
	skb_probe_transport_header(skb);
	skb_record_rx_queue(skb, q->index);

	/* the program may take the frame; the write succeeds all the same */
	if (run_xdp && !tun_xdp_generic(tun, &skb)) {
		if (frags)
			mutex_unlock(&q->napi_mutex);
		return total;
	}

	/* learn which queue answers this flow; hashed before the stack
	 * may consume the skb
	 */
	if (READ_ONCE(tun->numqueues) > 1 && !READ_ONCE(q->disabled_on) &&
	    !rcu_access_pointer(tun->steering_prog))
		hash = __skb_get_hash_symmetric(skb);

	rcu_read_lock();
	if (unlikely(!(dev->flags & IFF_UP))) {
		rcu_read_unlock();
		err = -EIO;
		goto drop;
	}
	err = tun_rx_deliver(tun, q, skb, more);
	rcu_read_unlock();
	if (frags)
		mutex_unlock(&q->napi_mutex);
	if (err)
		return err;

	dev_sw_netstats_rx_add(dev, len);
	if (hash)
		tun_flow_learn(tun, hash, READ_ONCE(q->index));
	return total;

drop:
	if (err != -EAGAIN)
		dev_core_stats_rx_dropped_inc(dev);
free:
	if (frags) {
		if (skb)
			napi_free_frags(&q->napi);
		mutex_unlock(&q->napi_mutex);
	} else {
		kfree_skb(skb);
	}
	return err;
}

static ssize_t tun_chr_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct tun_queue *q = file->private_data;
	struct tun_dev *tun;
	ssize_t ret;
	bool noblock;

	tun = tun_get(q);
	if (!tun)
		return -EBADFD;

	noblock = (file->f_flags & O_NONBLOCK) ||
		  (iocb->ki_flags & IOCB_NOWAIT);
	ret = tun_get_user(tun, q, NULL, from, noblock, false);
	tun_put(tun);
	return ret;
}

static bool tun_writeable(struct tun_dev *tun, struct tun_queue *q)
{
	return (tun->dev->flags & IFF_UP) && sock_writeable(&q->sk);
}

static __poll_t tun_chr_poll(struct file *file, poll_table *wait)
{
	struct tun_queue *q = file->private_data;
	struct sock *sk = &q->sk;
	struct tun_dev *tun;
	__poll_t mask = 0;

	tun = tun_get(q);
	if (!tun)
		return EPOLLERR;

	poll_wait(file, sk_sleep(sk), wait);

	if (!ptr_ring_empty(&q->ring))
		mask |= EPOLLIN | EPOLLRDNORM;

	/*
	 * Not writable now: flag NOSPACE before checking again, so that
	 * tun_sock_write_space() wakes us if room appears in between.
	 */
	if (tun_writeable(tun, q) ||
	    (!test_and_set_bit(SOCKWQ_ASYNC_NOSPACE, &sk->sk_socket->flags) &&
	     tun_writeable(tun, q)))
		mask |= EPOLLOUT | EPOLLWRNORM;

	if (tun->dev->reg_state != NETREG_REGISTERED)
		mask = EPOLLERR;

	tun_put(tun);
	return mask;
}

static void tun_sock_write_space(struct sock *sk)
{
	struct tun_queue *q = container_of(sk, struct tun_queue, sk);
	wait_queue_head_t *wqueue;

	if (!sock_writeable(sk))
		return;
	if (!test_and_clear_bit(SOCKWQ_ASYNC_NOSPACE, &sk->sk_socket->flags))
		return;

	wqueue = sk_sleep(sk);
	if (wqueue && waitqueue_active(wqueue))
		wake_up_interruptible_sync_poll(wqueue, EPOLLOUT |
						EPOLLWRNORM | EPOLLWRBAND);
	kill_fasync(&q->fasync, SIGIO, POLL_OUT);
}

/* The socket face, for vhost-net ---------------------------------------- */

/*
 * One frame vhost-net built in its own page (TUN_MSG_PTR): a struct
 * tun_xdp_hdr at data_hard_start, the frame at data. The page reference
 * is ours: it becomes the skb's, or is dropped.
 */
static int tun_xdp_one(struct tun_dev *tun, struct tun_queue *q,
		       struct xdp_buff *xdp, bool *flush)
{
	unsigned int datasize = xdp->data_end - xdp->data;
	struct tun_xdp_hdr *hdr = xdp->data_hard_start;
	bool run_xdp = false;
	struct bpf_prog *prog;
	struct sk_buff *skb;
	u32 hash = 0;
	int ret;

	if (unlikely(datasize < ETH_HLEN)) {
		put_page(virt_to_head_page(xdp->data));
		return -EINVAL;
	}

	prog = rcu_dereference(tun->xdp_prog);
	if (prog && hdr->gso.gso_type) {
		run_xdp = true;		/* offloaded frames: on the skb */
	} else if (prog) {
		xdp_init_buff(xdp, hdr->buflen, &q->xdp_rxq);
		xdp_set_data_meta_invalid(xdp);
		ret = tun_xdp_act(tun, prog, xdp, bpf_prog_run_xdp(prog, xdp));
		if (ret < 0 || (ret != XDP_PASS && ret != XDP_TX &&
				ret != XDP_REDIRECT)) {
			put_page(virt_to_head_page(xdp->data));
			return ret < 0 ? ret : 0;
		}
		if (ret == XDP_REDIRECT)
			*flush = true;
		if (ret != XDP_PASS)
			return 0;
		datasize = xdp->data_end - xdp->data;
	}

	skb = build_skb(xdp->data_hard_start, hdr->buflen);
	if (!skb) {
		put_page(virt_to_head_page(xdp->data));
		return -ENOMEM;
	}
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	skb_put(skb, datasize);

	if (tun_vnet_to_skb(skb, &hdr->gso, tun_vnet_le(tun))) {
		atomic_long_inc(&tun->rx_frame_errors);
		kfree_skb(skb);
		return -EINVAL;
	}

	skb->protocol = eth_type_trans(skb, tun->dev);
	skb_reset_network_header(skb);
	skb_probe_transport_header(skb);
	skb_record_rx_queue(skb, q->index);

	if (run_xdp && tun_compat_xdp_generic(prog, &skb) != XDP_PASS)
		return 0;

	if (READ_ONCE(tun->numqueues) > 1 && !READ_ONCE(q->disabled_on) &&
	    !rcu_access_pointer(tun->steering_prog))
		hash = __skb_get_hash_symmetric(skb);

	netif_receive_skb(skb);
	dev_sw_netstats_rx_add(tun->dev, datasize);
	if (hash)
		tun_flow_learn(tun, hash, READ_ONCE(q->index));
	return 0;
}

static int tun_sendmsg(struct socket *sock, struct msghdr *m, size_t total_len)
{
	struct tun_queue *q = container_of(sock, struct tun_queue, socket);
	struct tun_msg_ctl *ctl = m->msg_control;
	struct tun_dev *tun;
	int ret, i;

	tun = tun_get(q);
	if (!tun)
		return -EBADFD;

	if (ctl && m->msg_controllen == sizeof(*ctl) &&
	    ctl->type == TUN_MSG_PTR) {
		struct xdp_buff *bufs = ctl->ptr;
		struct tun_xdp_ctx xctx;
		bool flush = false;

		/* a batch: failures are per frame, the batch is consumed */
		local_bh_disable();
		rcu_read_lock();
		tun_xdp_ctx_enter(&xctx);
		for (i = 0; i < ctl->num; i++)
			tun_xdp_one(tun, q, &bufs[i], &flush);
		if (flush)
			xdp_do_flush();
		tun_xdp_ctx_exit(&xctx);
		rcu_read_unlock();
		local_bh_enable();
		ret = total_len;
	} else {
		ret = tun_get_user(tun, q, ctl ? ctl->ptr : NULL,
				   &m->msg_iter, m->msg_flags & MSG_DONTWAIT,
				   m->msg_flags & MSG_MORE);
	}
	tun_put(tun);
	return ret;
}

static int tun_recvmsg(struct socket *sock, struct msghdr *m, size_t total_len,
		       int flags)
{
	struct tun_queue *q = container_of(sock, struct tun_queue, socket);
	void *ptr = m->msg_control;	/* an entry vhost took off the ring */
	struct tun_dev *tun;
	int ret;

	tun = tun_get(q);
	if (!tun) {
		tun_ptr_free(ptr);
		return -EBADFD;
	}
	if (flags & ~(MSG_DONTWAIT | MSG_TRUNC | MSG_ERRQUEUE)) {
		tun_ptr_free(ptr);
		ret = -EINVAL;
		goto out;
	}
	if (flags & MSG_ERRQUEUE) {
		ret = sock_recv_errqueue(sock->sk, m, total_len, SOL_PACKET,
					 TUN_TX_TIMESTAMP);
		goto out;
	}
	ret = tun_do_read(tun, q, &m->msg_iter, flags & MSG_DONTWAIT, ptr);
	if (ret > (ssize_t)total_len) {
		m->msg_flags |= MSG_TRUNC;
		if (!(flags & MSG_TRUNC))
			ret = total_len;
	}
out:
	tun_put(tun);
	return ret;
}

static int tun_ptr_len(void *ptr)
{
	if (!ptr)
		return 0;
	if (tun_is_xdp_frame(ptr))
		return tun_ptr_to_xdp(ptr)->len;
	return __skb_array_len_with_tag(ptr);
}

/* The length of the next frame, without taking it. */
static int tun_peek_len(struct socket *sock)
{
	struct tun_queue *q = container_of(sock, struct tun_queue, socket);
	struct tun_dev *tun;
	int len;

	tun = tun_get(q);
	if (!tun)
		return 0;
	len = PTR_RING_PEEK_CALL(&q->ring, tun_ptr_len);
	tun_put(tun);
	return len;
}

static const struct proto_ops tun_socket_ops = {
	.peek_len	= tun_peek_len,
	.sendmsg	= tun_sendmsg,
	.recvmsg	= tun_recvmsg,
};

/* Control: TUNSETIFF and friends ----------------------------------------- */

static unsigned int tun_flags(const struct tun_dev *tun)
{
	return tun->flags & (TUN_FEATURES | IFF_PERSIST | IFF_TUN | IFF_TAP);
}

static int tun_create(struct net *net, struct tun_queue *q, struct ifreq *ifr,
		      unsigned int req)
{
	unsigned int queues = req & IFF_MULTI_QUEUE ? TUN_MAX_QUEUES : 1;
	const char *name;
	struct net_device *dev;
	struct tun_dev *tun;
	unsigned int kind;
	int err;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	err = security_tun_dev_create();
	if (err < 0)
		return err;

	if (req & IFF_TUN) {
		kind = IFF_TUN;
		name = "tun%d";
	} else if (req & IFF_TAP) {
		kind = IFF_TAP;
		name = "tap%d";
	} else {
		return -EINVAL;
	}
	if (ifr->ifr_name[0])
		name = ifr->ifr_name;

	dev = alloc_netdev_mqs(sizeof(*tun), name, NET_NAME_UNKNOWN,
			       tun_setup, queues, queues);
	if (!dev)
		return -ENOMEM;

	dev_net_set(dev, net);
	dev->rtnl_link_ops = &tun_link_ops;
	dev->ifindex = q->ifindex;
	dev->sysfs_groups[0] = &tun_attr_group;

	tun = netdev_priv(dev);
	tun->flags = kind | (req & TUN_FEATURES);
	tun->creator = q;
	tun_setup_kind(dev);

	err = register_netdevice(dev);
	tun->creator = NULL;
	if (err < 0) {
		free_netdev(dev);
		return err;
	}
	/*
	 * Published only now: before registration succeeded the file must
	 * not hold a device that free_netdev() may still take away.
	 */
	rcu_assign_pointer(q->tun, tun);
	return 0;
}

static int tun_attach_existing(struct net_device *dev, struct tun_queue *q,
			       unsigned int req)
{
	struct tun_dev *tun;
	int err;

	if (req & IFF_TUN_EXCL)
		return -EBUSY;
	if (!((req & IFF_TUN) && dev->netdev_ops == &tun_netdev_ops) &&
	    !((req & IFF_TAP) && dev->netdev_ops == &tap_netdev_ops))
		return -EINVAL;
	tun = netdev_priv(dev);
	if (!(req & IFF_MULTI_QUEUE) != !(tun->flags & IFF_MULTI_QUEUE))
		return -EINVAL;

	if (!tun_may_attach(tun))
		return -EPERM;
	err = security_tun_dev_open(tun->security);
	if (err < 0)
		return err;

	err = tun_queue_prepare(tun, q, req & IFF_NOFILTER);
	if (err < 0)
		return err;
	tun_queue_link(tun, q, req & IFF_NAPI, req & IFF_NAPI_FRAGS);
	rcu_assign_pointer(q->tun, tun);
	netdev_state_change(dev);

	/*
	 * Features are the device's, chosen by whoever attaches first; a
	 * further queue of a multiqueue device joins what is there, and
	 * leaves carrier and the caller's ifreq alone (1 tells the caller).
	 */
	if ((tun->flags & IFF_MULTI_QUEUE) &&
	    tun->numqueues + tun->numdisabled > 1)
		return 1;
	tun->flags = (tun->flags & ~TUN_FEATURES) | (req & TUN_FEATURES);
	return 0;
}

static int tun_set_iff(struct tun_queue *q, struct ifreq *ifr)
{
	struct net *net = sock_net(&q->sk);
	unsigned int req = (u16)ifr->ifr_flags;
	struct net_device *dev;
	struct tun_dev *tun;
	int err;

	if (q->disabled_on)
		return -EINVAL;
	/* frames built from user pages: for the initial namespace's admin */
	if (req & IFF_NAPI_FRAGS) {
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		if (!(req & IFF_NAPI) || (req & TUN_TYPE_MASK) != IFF_TAP)
			return -EINVAL;
	}

	dev = __dev_get_by_name(net, ifr->ifr_name);
	if (dev)
		err = tun_attach_existing(dev, q, req);
	else
		err = tun_create(net, q, ifr, req);
	if (err)
		return err > 0 ? 0 : err;

	tun = rtnl_dereference(q->tun);
	if (req & IFF_NO_CARRIER)
		netif_carrier_off(tun->dev);
	else
		netif_carrier_on(tun->dev);

	/* a persistent device may have been left stopped by a full ring */
	if (netif_running(tun->dev))
		netif_tx_wake_all_queues(tun->dev);

	strscpy(ifr->ifr_name, tun->dev->name, IFNAMSIZ);
	return 0;
}

/*
 * A persistent device outlives its files, so it pins the module: rmmod
 * must not pull the code from under a device nobody holds open. The pin
 * is dropped when persistence is cleared or the device is unregistered.
 */
static bool tun_set_persist(struct tun_dev *tun, bool on)
{
	if (on == !!(tun->flags & IFF_PERSIST))
		return false;
	if (on) {
		tun->flags |= IFF_PERSIST;
		__module_get(THIS_MODULE);
	} else {
		tun->flags &= ~IFF_PERSIST;
		module_put(THIS_MODULE);
	}
	return true;
}

/* The hardware address length that goes with a link type (TUNSETLINK). */
static unsigned char tun_type_addr_len(unsigned short type)
{
	switch (type) {
	case ARPHRD_ETHER:
	case ARPHRD_FDDI:
	case ARPHRD_HIPPI:
	case ARPHRD_IEEE802:
		return ETH_ALEN;
	case ARPHRD_IPGRE:
	case ARPHRD_TUNNEL:
	case ARPHRD_SIT:
		return sizeof(struct in_addr);
	case ARPHRD_IP6GRE:
	case ARPHRD_TUNNEL6:
		return sizeof(struct in6_addr);
	case ARPHRD_IEEE802154:
	case ARPHRD_IEEE802154_MONITOR:
	case ARPHRD_6LOWPAN:
		return 8;	/* EUI-64 */
	case ARPHRD_NETROM:
		return 7;	/* AX.25 callsign */
	case ARPHRD_ROSE:
		return 5;	/* X.121 address */
	case ARPHRD_LOCALTLK:
		return 1;
	default:
		return 0;
	}
}

/* TUNSETLINK: only while down, and only if no upper device objects. */
static int tun_set_link_type(struct tun_dev *tun, unsigned short type)
{
	struct net_device *dev = tun->dev;
	int err;

	if (dev->flags & IFF_UP)
		return -EBUSY;
	err = notifier_to_errno(call_netdevice_notifiers(NETDEV_PRE_TYPE_CHANGE,
							 dev));
	if (err)
		return err;
	dev->type = type;
	dev->addr_len = tun_type_addr_len(type);
	call_netdevice_notifiers(NETDEV_POST_TYPE_CHANGE, dev);
	return 0;
}

/* TUNSETVNETBE exists only where the kernel was configured for it. */
static int tun_set_vnet_be(struct tun_dev *tun, int __user *argp)
{
	int be;

	if (!IS_ENABLED(CONFIG_TUN_VNET_CROSS_LE))
		return -EINVAL;
	if (get_user(be, argp))
		return -EFAULT;
	if (be)
		tun->flags |= TUN_VNET_BE;
	else
		tun->flags &= ~TUN_VNET_BE;
	return 0;
}

static int tun_get_vnet_be(struct tun_dev *tun, int __user *argp)
{
	if (!IS_ENABLED(CONFIG_TUN_VNET_CROSS_LE))
		return -EINVAL;
	return put_user(!!(tun->flags & TUN_VNET_BE), argp);
}

/* SIOCGSKNS, TUNGETDEVNETNS: an fd for @net, to CAP_NET_ADMIN there. */
static int tun_open_netns(struct net *net)
{
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	return open_related_ns(&net->ns, get_net_ns);
}

/*
 * TUNSETOFFLOAD: which offloaded frames the reader can take. Everything
 * needs checksum offload; TSO ECN needs TSO; UDP segmentation needs both
 * directions at once. Unknown or unusable bits are EINVAL, so programs
 * can probe.
 */
static int tun_set_offload(struct tun_dev *tun, unsigned long arg)
{
	netdev_features_t features = 0;

	if (arg & TUN_F_CSUM) {
		features |= NETIF_F_HW_CSUM;
		arg &= ~TUN_F_CSUM;

		if (arg & (TUN_F_TSO4 | TUN_F_TSO6)) {
			if (arg & TUN_F_TSO_ECN) {
				features |= NETIF_F_TSO_ECN;
				arg &= ~TUN_F_TSO_ECN;
			}
			if (arg & TUN_F_TSO4)
				features |= NETIF_F_TSO;
			if (arg & TUN_F_TSO6)
				features |= NETIF_F_TSO6;
			arg &= ~(TUN_F_TSO4 | TUN_F_TSO6);
		}

		/* accepted for old programs; the stack makes no UFO frames */
		arg &= ~TUN_F_UFO;

		if ((arg & TUN_F_USO4) && (arg & TUN_F_USO6)) {
			features |= NETIF_F_GSO_UDP_L4;
			arg &= ~(TUN_F_USO4 | TUN_F_USO6);
		}
	}
	if (arg)
		return -EINVAL;

	tun->set_features = features;
	tun->dev->wanted_features &= ~TUN_USER_FEATURES;
	tun->dev->wanted_features |= features;
	netdev_update_features(tun->dev);
	return 0;
}

/* TUNSETQUEUE: disable an enabled queue, or enable a disabled one. */
static int tun_set_queue(struct tun_queue *q, unsigned int req)
{
	struct tun_dev *tun;
	int err = -EINVAL;

	rtnl_lock();
	if (req & IFF_ATTACH_QUEUE) {
		tun = q->disabled_on;
		if (!tun)
			goto out;
		err = security_tun_dev_attach_queue(tun->security);
		if (err < 0)
			goto out;
		err = tun_queue_prepare(tun, q, false);
		if (err < 0)
			goto out;
		tun_queue_link(tun, q, false, false);	/* keeps its NAPI */
	} else if (req & IFF_DETACH_QUEUE) {
		tun = rtnl_dereference(q->tun);
		if (!tun || !(tun->flags & IFF_MULTI_QUEUE) || q->disabled_on)
			goto out;
		tun_queue_disable(tun, q);
		err = 0;
	} else {
		goto out;
	}
	netdev_state_change(tun->dev);
out:
	rtnl_unlock();
	return err;
}

/* TUNSETSNDBUF: for the queues attached now; a later one starts unbounded. */
static void tun_set_sndbuf(struct tun_dev *tun, int sndbuf)
{
	unsigned int i;

	for (i = 0; i < tun->numqueues; i++)
		rtnl_dereference(tun->queues[i])->sk.sk_sndbuf = sndbuf;
}

static long tun_ioctl(struct file *file, unsigned int cmd, unsigned long arg,
		      size_t ifreq_len)
{
	struct tun_queue *q = file->private_data;
	void __user *argp = (void __user *)arg;
	bool notify = false;
	struct tun_dev *tun;
	struct ifreq ifr;
	kuid_t owner;
	kgid_t group;
	int ival;
	long ret;

	if (cmd == TUNGETFEATURES)
		return put_user(TUN_ADVERTISED, (unsigned int __user *)argp);
	/* the namespace the file was opened in, attached or not */
	if (cmd == SIOCGSKNS)
		return tun_open_netns(sock_net(&q->sk));

	memset(&ifr, 0, sizeof(ifr));
	if ((cmd == TUNSETIFF || cmd == TUNSETQUEUE ||
	     _IOC_TYPE(cmd) == SOCK_IOC_TYPE) &&
	    copy_from_user(&ifr, argp, ifreq_len))
		return -EFAULT;
	if (cmd == TUNSETQUEUE)
		return tun_set_queue(q, (u16)ifr.ifr_flags);

	rtnl_lock();
	tun = tun_get(q);

	if (cmd == TUNSETIFF) {
		ret = -EEXIST;
		if (tun)
			goto out;
		ifr.ifr_name[IFNAMSIZ - 1] = '\0';
		ret = tun_set_iff(q, &ifr);
		if (!ret && copy_to_user(argp, &ifr, ifreq_len))
			ret = -EFAULT;
		goto out;
	}
	if (cmd == TUNSETIFINDEX) {
		ret = -EPERM;
		if (tun)
			goto out;
		ret = -EFAULT;
		if (copy_from_user(&ival, argp, sizeof(ival)))
			goto out;
		ret = -EINVAL;
		if (ival < 0)
			goto out;
		q->ifindex = ival;
		ret = 0;
		goto out;
	}

	ret = -EBADFD;
	if (!tun)
		goto out;

	ret = 0;
	switch (cmd) {
	case TUNGETIFF:
		strscpy(ifr.ifr_name, tun->dev->name, IFNAMSIZ);
		ifr.ifr_flags = tun_flags(tun);
		if (q->disabled_on)
			ifr.ifr_flags |= IFF_DETACH_QUEUE;
		if (!rcu_access_pointer(q->sk.sk_filter))
			ifr.ifr_flags |= IFF_NOFILTER;
		if (copy_to_user(argp, &ifr, ifreq_len))
			ret = -EFAULT;
		break;

	case TUNSETNOCSUM:
		/* accepted and ignored, as it always has been */
		break;

	case TUNSETDEBUG:
		tun->msg_enable = (u32)arg;
		break;

	case TUNSETPERSIST:
		notify = tun_set_persist(tun, arg);
		break;

	case TUNSETOWNER:
		owner = make_kuid(current_user_ns(), arg);
		if (!uid_valid(owner)) {
			ret = -EINVAL;
			break;
		}
		tun->owner = owner;
		notify = true;
		break;

	case TUNSETGROUP:
		group = make_kgid(current_user_ns(), arg);
		if (!gid_valid(group)) {
			ret = -EINVAL;
			break;
		}
		tun->group = group;
		notify = true;
		break;

	case TUNGETSNDBUF:
		ival = q->sk.sk_sndbuf;
		if (copy_to_user(argp, &ival, sizeof(ival)))
			ret = -EFAULT;
		break;

	case TUNSETSNDBUF:
		if (copy_from_user(&ival, argp, sizeof(ival))) {
			ret = -EFAULT;
			break;
		}
		if (ival <= 0) {
			ret = -EINVAL;
			break;
		}
		tun_set_sndbuf(tun, ival);
		break;

	case TUNSETCARRIER:
		if (copy_from_user(&ival, argp, sizeof(ival))) {
			ret = -EFAULT;
			break;
		}
		ret = tun_net_change_carrier(tun->dev, ival);
		break;

	case TUNSETLINK:
		ret = tun_set_link_type(tun, (unsigned short)arg);
		break;

	case TUNSETOFFLOAD:
		ret = tun_set_offload(tun, arg);
		break;

	case SIOCGIFHWADDR:
		ret = dev_get_mac_address(&ifr.ifr_hwaddr, dev_net(tun->dev),
					  tun->dev->name);
		if (!ret && copy_to_user(argp, &ifr, ifreq_len))
			ret = -EFAULT;
		break;

	case SIOCSIFHWADDR:
		ret = dev_set_mac_address_user(tun->dev, &ifr.ifr_hwaddr, NULL);
		break;

	case TUNGETVNETHDRSZ:
		if (put_user(tun->vnet_hdr_sz, (int __user *)argp))
			ret = -EFAULT;
		break;

	case TUNSETVNETHDRSZ:
		if (get_user(ival, (int __user *)argp)) {
			ret = -EFAULT;
			break;
		}
		if (ival < (int)sizeof(struct virtio_net_hdr)) {
			ret = -EINVAL;
			break;
		}
		WRITE_ONCE(tun->vnet_hdr_sz, ival);
		break;

	case TUNGETVNETLE:
		if (put_user(!!(tun->flags & TUN_VNET_LE), (int __user *)argp))
			ret = -EFAULT;
		break;

	case TUNSETVNETLE:
		if (get_user(ival, (int __user *)argp)) {
			ret = -EFAULT;
			break;
		}
		if (ival)
			tun->flags |= TUN_VNET_LE;
		else
			tun->flags &= ~TUN_VNET_LE;
		break;

	case TUNGETVNETBE:
		ret = tun_get_vnet_be(tun, argp);
		break;

	case TUNSETVNETBE:
		ret = tun_set_vnet_be(tun, argp);
		break;

	/* the filters below are Ethernet filters: taps only */
	case TUNSETTXFILTER:
		ret = -EINVAL;
		if (tun_is_tap(tun))
			ret = tun_txfilter_set(&tun->txflt, argp);
		break;

	case TUNATTACHFILTER:
		ret = -EINVAL;
		if (!tun_is_tap(tun))
			break;
		ret = -EFAULT;
		if (copy_from_user(&tun->fprog, argp, sizeof(tun->fprog)))
			break;
		ret = tun_sockfilter_attach(tun);
		break;

	case TUNDETACHFILTER:
		ret = -EINVAL;
		if (!tun_is_tap(tun))
			break;
		tun_sockfilter_detach(tun, tun->numqueues);
		ret = 0;
		break;

	case TUNGETFILTER:
		ret = -EINVAL;
		if (!tun_is_tap(tun))
			break;
		ret = 0;
		if (copy_to_user(argp, &tun->fprog, sizeof(tun->fprog)))
			ret = -EFAULT;
		break;

	case TUNSETSTEERINGEBPF:
		ret = tun_set_prog_user(tun, &tun->steering_prog, argp);
		break;

	case TUNSETFILTEREBPF:
		ret = tun_set_prog_user(tun, &tun->filter_prog, argp);
		break;

	case TUNGETDEVNETNS:
		ret = tun_open_netns(dev_net(tun->dev));
		break;

	default:
		ret = -EINVAL;
		break;
	}

	if (notify)
		netdev_state_change(tun->dev);
out:
	rtnl_unlock();
	if (tun)
		tun_put(tun);
	return ret;
}

static long tun_chr_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return tun_ioctl(file, cmd, arg, sizeof(struct ifreq));
}

#ifdef CONFIG_COMPAT
static long tun_chr_compat_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	switch (cmd) {
	case TUNSETIFF:
	case TUNGETIFF:
	case TUNSETTXFILTER:
	case TUNGETSNDBUF:
	case TUNSETSNDBUF:
	case SIOCGIFHWADDR:
	case SIOCSIFHWADDR:
		arg = (unsigned long)compat_ptr(arg);
		break;
	default:
		/* integer arguments, and pointers already in range */
		arg = (compat_ulong_t)arg;
		break;
	}
	/*
	 * A 32-bit ifreq is shorter; the fields we use are laid out alike,
	 * so copying fewer bytes is the only difference.
	 */
	return tun_ioctl(file, cmd, arg, sizeof(struct compat_ifreq));
}
#endif

static int tun_chr_fasync(int fd, struct file *file, int on)
{
	struct tun_queue *q = file->private_data;
	int ret;

	ret = fasync_helper(fd, file, on, &q->fasync);
	if (ret < 0)
		return ret;
	if (on)
		__f_setown(file, task_pid(current), PIDTYPE_TGID, 0);
	WRITE_ONCE(q->fasync_on, !!on);
	return 0;
}

static struct proto tun_proto = {
	.name		= "tun",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct tun_queue),
};

static int tun_chr_open(struct inode *inode, struct file *file)
{
	struct net *net = current->nsproxy->net_ns;
	struct tun_queue *q;

	q = (struct tun_queue *)sk_alloc(net, AF_UNSPEC, GFP_KERNEL,
					 &tun_proto, 0);
	if (!q)
		return -ENOMEM;
	if (ptr_ring_init(&q->ring, 0, GFP_KERNEL)) {
		sk_free(&q->sk);
		return -ENOMEM;
	}

	RCU_INIT_POINTER(q->tun, NULL);
	INIT_LIST_HEAD(&q->disabled_node);
	mutex_init(&q->napi_mutex);
	init_waitqueue_head(&q->socket.wq.wait);
	q->socket.file = file;
	q->socket.ops = &tun_socket_ops;
	sock_init_data_uid(&q->socket, &q->sk, current_fsuid());
	q->sk.sk_write_space = tun_sock_write_space;
	q->sk.sk_sndbuf = INT_MAX;
	/* vhost-net may offer zero-copy buffers; we complete them at once */
	sock_set_flag(&q->sk, SOCK_ZEROCOPY);

	file->private_data = q;
	file->f_mode |= FMODE_NOWAIT;
	return 0;
}

static int tun_chr_close(struct inode *inode, struct file *file)
{
	struct tun_queue *q = file->private_data;

	tun_detach(q);
	ptr_ring_cleanup(&q->ring, tun_ptr_free);
	sock_put(&q->sk);		/* the file's reference */
	return 0;
}

#ifdef CONFIG_PROC_FS
static void tun_chr_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct tun_queue *q = file->private_data;
	char name[IFNAMSIZ] = "";
	struct tun_dev *tun;

	rtnl_lock();
	tun = tun_get(q);
	if (tun) {
		strscpy(name, tun->dev->name, sizeof(name));
		tun_put(tun);
	}
	rtnl_unlock();

	/* ip tuntap show finds the processes attached by this line */
	seq_printf(m, "iff:\t%s\n", name);
}
#endif

static const struct file_operations tun_fops = {
	.owner		= THIS_MODULE,
	.read_iter	= tun_chr_read_iter,
	.write_iter	= tun_chr_write_iter,
	.poll		= tun_chr_poll,
	.unlocked_ioctl	= tun_chr_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl	= tun_chr_compat_ioctl,
#endif
	.open		= tun_chr_open,
	.release	= tun_chr_close,
	.fasync		= tun_chr_fasync,
#ifdef CONFIG_PROC_FS
	.show_fdinfo	= tun_chr_show_fdinfo,
#endif
};

static struct miscdevice tun_miscdev = {
	.minor		= TUN_MINOR,
	.name		= "tun",
	.nodename	= "net/tun",
	.fops		= &tun_fops,
};

/* What the tools see: sysfs, rtnetlink, ethtool ---------------------------- */

static ssize_t tun_flags_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct tun_dev *tun = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "0x%x\n", tun_flags(tun));
}

static ssize_t owner_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct tun_dev *tun = netdev_priv(to_net_dev(d));

	if (!uid_valid(tun->owner))
		return sysfs_emit(buf, "-1\n");
	return sysfs_emit(buf, "%u\n",
			  from_kuid_munged(current_user_ns(), tun->owner));
}

static ssize_t group_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct tun_dev *tun = netdev_priv(to_net_dev(d));

	if (!gid_valid(tun->group))
		return sysfs_emit(buf, "-1\n");
	return sysfs_emit(buf, "%u\n",
			  from_kgid_munged(current_user_ns(), tun->group));
}

static DEVICE_ATTR_RO(tun_flags);
static DEVICE_ATTR_RO(owner);
static DEVICE_ATTR_RO(group);

static struct attribute *tun_dev_attrs[] = {
	&dev_attr_tun_flags.attr,
	&dev_attr_owner.attr,
	&dev_attr_group.attr,
	NULL
};

static const struct attribute_group tun_attr_group = {
	.attrs = tun_dev_attrs,
};

/* Devices are made through the character device only; rtnetlink can
 * list and delete them.
 */
static int tun_link_validate(struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack,
		       "tun/tap creation via rtnetlink is not supported.");
	return -EOPNOTSUPP;
}

static size_t tun_link_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* IFLA_TUN_OWNER */
	       nla_total_size(sizeof(u32)) +	/* IFLA_TUN_GROUP */
	       nla_total_size(sizeof(u8)) +	/* IFLA_TUN_TYPE */
	       nla_total_size(sizeof(u8)) +	/* IFLA_TUN_PI */
	       nla_total_size(sizeof(u8)) +	/* IFLA_TUN_VNET_HDR */
	       nla_total_size(sizeof(u8)) +	/* IFLA_TUN_PERSIST */
	       nla_total_size(sizeof(u8)) +	/* IFLA_TUN_MULTI_QUEUE */
	       nla_total_size(sizeof(u32)) +	/* IFLA_TUN_NUM_QUEUES */
	       nla_total_size(sizeof(u32));	/* IFLA_TUN_NUM_DISABLED_QUEUES */
}

static int tun_link_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct tun_dev *tun = netdev_priv(dev);

	if (nla_put_u8(skb, IFLA_TUN_TYPE, tun->flags & TUN_TYPE_MASK))
		return -EMSGSIZE;
	if (uid_valid(tun->owner) &&
	    nla_put_u32(skb, IFLA_TUN_OWNER,
			from_kuid_munged(current_user_ns(), tun->owner)))
		return -EMSGSIZE;
	if (gid_valid(tun->group) &&
	    nla_put_u32(skb, IFLA_TUN_GROUP,
			from_kgid_munged(current_user_ns(), tun->group)))
		return -EMSGSIZE;
	if (nla_put_u8(skb, IFLA_TUN_PI, !(tun->flags & IFF_NO_PI)) ||
	    nla_put_u8(skb, IFLA_TUN_VNET_HDR, !!(tun->flags & IFF_VNET_HDR)) ||
	    nla_put_u8(skb, IFLA_TUN_PERSIST, !!(tun->flags & IFF_PERSIST)) ||
	    nla_put_u8(skb, IFLA_TUN_MULTI_QUEUE,
		       !!(tun->flags & IFF_MULTI_QUEUE)))
		return -EMSGSIZE;
	if ((tun->flags & IFF_MULTI_QUEUE) &&
	    (nla_put_u32(skb, IFLA_TUN_NUM_QUEUES, tun->numqueues) ||
	     nla_put_u32(skb, IFLA_TUN_NUM_DISABLED_QUEUES, tun->numdisabled)))
		return -EMSGSIZE;
	return 0;
}

static struct rtnl_link_ops tun_link_ops __read_mostly = {
	.kind		= "tun",
	.priv_size	= sizeof(struct tun_dev),
	.setup		= tun_setup,
	.validate	= tun_link_validate,
	.get_size	= tun_link_get_size,
	.fill_info	= tun_link_fill_info,
};

static void tun_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	struct tun_dev *tun = netdev_priv(dev);

	strscpy(info->driver, "tun", sizeof(info->driver));
	strscpy(info->version, TUN_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, tun_is_tap(tun) ? "tap" : "tun",
		sizeof(info->bus_info));
}

static int tun_get_link_ksettings(struct net_device *dev,
				  struct ethtool_link_ksettings *cmd)
{
	struct tun_dev *tun = netdev_priv(dev);

	*cmd = tun->link;
	return 0;
}

/* There is no link to configure: remember what was set and report it. */
static int tun_set_link_ksettings(struct net_device *dev,
				  const struct ethtool_link_ksettings *cmd)
{
	struct tun_dev *tun = netdev_priv(dev);

	tun->link = *cmd;
	return 0;
}

static u32 tun_get_msglevel(struct net_device *dev)
{
	return ((struct tun_dev *)netdev_priv(dev))->msg_enable;
}

static void tun_set_msglevel(struct net_device *dev, u32 value)
{
	((struct tun_dev *)netdev_priv(dev))->msg_enable = value;
}

static int tun_get_coalesce(struct net_device *dev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct tun_dev *tun = netdev_priv(dev);

	ec->rx_max_coalesced_frames = READ_ONCE(tun->rx_batched);
	return 0;
}

static int tun_set_coalesce(struct net_device *dev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct tun_dev *tun = netdev_priv(dev);

	/* a batch larger than a NAPI poll's would only add latency */
	WRITE_ONCE(tun->rx_batched, min_t(u32, ec->rx_max_coalesced_frames,
					  NAPI_POLL_WEIGHT));
	return 0;
}

static const struct ethtool_ops tun_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_MAX_FRAMES,
	.get_coalesce		= tun_get_coalesce,
	.set_coalesce		= tun_set_coalesce,
	.get_drvinfo		= tun_get_drvinfo,
	.get_msglevel		= tun_get_msglevel,
	.set_msglevel		= tun_set_msglevel,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_link_ksettings	= tun_get_link_ksettings,
	.set_link_ksettings	= tun_set_link_ksettings,
};

/* Keep each queue's ring as long as the device's txqueuelen. */
static int tun_resize_rings(struct tun_dev *tun)
{
	unsigned int len = tun->dev->tx_queue_len;
	struct tun_queue *q;
	unsigned int i;
	int err;

	for (i = 0; i < tun->numqueues; i++) {
		q = rtnl_dereference(tun->queues[i]);
		err = ptr_ring_resize(&q->ring, len, GFP_KERNEL, tun_ptr_free);
		if (err)
			return err;
	}
	list_for_each_entry(q, &tun->disabled, disabled_node) {
		err = ptr_ring_resize(&q->ring, len, GFP_KERNEL, tun_ptr_free);
		if (err)
			return err;
	}
	return 0;
}

static int tun_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct tun_dev *tun;
	unsigned int i;

	if (dev->rtnl_link_ops != &tun_link_ops)
		return NOTIFY_DONE;
	tun = netdev_priv(dev);

	switch (event) {
	case NETDEV_CHANGE_TX_QUEUE_LEN:
		if (tun_resize_rings(tun))
			return NOTIFY_BAD;
		break;
	case NETDEV_UP:
		/* writers blocked in poll() on a down device may go now */
		for (i = 0; i < tun->numqueues; i++) {
			struct tun_queue *q = rtnl_dereference(tun->queues[i]);

			q->sk.sk_write_space(&q->sk);
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block tun_notifier = {
	.notifier_call = tun_netdev_event,
};

/* Module -------------------------------------------------------------------- */

static int __init tun_init(void)
{
	int err;

	err = register_netdevice_notifier(&tun_notifier);
	if (err)
		goto err_notifier;
	err = rtnl_link_register(&tun_link_ops);
	if (err)
		goto err_link;
	/* last: from here on user space can create devices */
	err = misc_register(&tun_miscdev);
	if (err)
		goto err_misc;
	return 0;

err_misc:
	rtnl_link_unregister(&tun_link_ops);
err_link:
	unregister_netdevice_notifier(&tun_notifier);
err_notifier:
	pr_err("initialisation failed: %d\n", err);
	return err;
}

static void __exit tun_exit(void)
{
	misc_deregister(&tun_miscdev);
	/* also waits for devices of ours still being unregistered */
	rtnl_link_unregister(&tun_link_ops);
	unregister_netdevice_notifier(&tun_notifier);
	rcu_barrier();	/* tun_prog_free() callbacks */
}

/* The queue behind @file, if it is one of ours. */
static struct tun_queue *tun_file_queue(struct file *file)
{
	if (file->f_op != &tun_fops)
		return ERR_PTR(-EINVAL);
	return file->private_data ?: ERR_PTR(-EBADFD);
}

/*
 * For vhost-net: the socket of a tun file, which works like a packet
 * socket through sendmsg()/recvmsg(), and its ring of frames to read.
 * The caller holds the file for as long as it uses either.
 */
struct socket *tun_get_socket(struct file *file)
{
	struct tun_queue *q = tun_file_queue(file);

	return IS_ERR(q) ? ERR_CAST(q) : &q->socket;
}
EXPORT_SYMBOL_GPL(tun_get_socket);

struct ptr_ring *tun_get_tx_ring(struct file *file)
{
	struct tun_queue *q = tun_file_queue(file);

	return IS_ERR(q) ? ERR_CAST(q) : &q->ring;
}
EXPORT_SYMBOL_GPL(tun_get_tx_ring);

module_init(tun_init);
module_exit(tun_exit);
MODULE_DESCRIPTION("Universal TUN/TAP device driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(TUN_DRV_VERSION);
MODULE_ALIAS_MISCDEV(TUN_MINOR);
MODULE_ALIAS("devname:net/tun");
MODULE_ALIAS_RTNL_LINK("tun");
