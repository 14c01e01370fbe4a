// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/netdev.c - the net_device: its ops, transmit into the rings,
 * features, setup, and the netdevice events we follow.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_compat.h"
#include "tun.h"
#include "netdev.h"
#include "faces.h"
#include "filter.h"
#include "flow.h"
#include "queue.h"
#include "ring.h"
#include "xdp.h"

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
	struct tun_ring *ring;
	struct tun_queue *q;
	unsigned int len;

	rcu_read_lock();
	q = rcu_dereference(tun->queues[txq]);
	if (!q)
		goto err_drop;

	tun_flow_sent_one_queue(tun, skb);
	if (!tun_txfilter_pass(&tun->txflt, skb))
		goto err_drop;
	if (rcu_access_pointer(q->sk.sk_filter) && sk_filter(&q->sk, skb))
		goto err_drop;
	len = tun_run_filter_prog(tun, skb);
	if (!len || pskb_trim(skb, len))
		goto err_drop;

	/* user pages must not reach a reader that may hold them forever */
	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC)))
		goto err_drop;

	skb_tx_timestamp(skb);
	/* the reader may keep the skb indefinitely: release the sender */
	skb_orphan(skb);
	nf_reset_ct(skb);

	/* a file with rings (TUNSETRING) takes the frame there, copied */
	ring = rcu_dereference(q->uring);
	if (ring) {
		if (tun_ring_xmit(tun, q, ring, skb))
			goto err_drop;
	} else {
		if (ptr_ring_produce(&q->ring, skb))
			goto err_drop;
		tun_notify_readers(q);
	}

	/* LLTX: the core does not update trans_start for us */
	txq_trans_cond_update(netdev_get_tx_queue(dev, txq));
	rcu_read_unlock();
	return NETDEV_TX_OK;

err_drop:
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
 *
 * The stack asks only when there is more than one queue, but a packet
 * socket with PACKET_QDISC_BYPASS asks always: the program then runs on
 * one queue too, as in Linux, for the side effects it may have (maps).
 */
static u16 tun_net_select_queue(struct net_device *dev, struct sk_buff *skb,
				struct net_device *sb_dev)
{
	struct tun_dev *tun = netdev_priv(dev);
	unsigned int n = READ_ONCE(tun->numqueues);
	struct tun_prog *p;
	struct tun_flow *f;
	u32 pick, hash;

	if (!n)
		return 0;

	rcu_read_lock();
	p = rcu_dereference(tun->steering_prog);
	if (p) {
		/* Linux's ABI: the program's answer is cut to 16 bits */
		pick = (u16)bpf_prog_run_clear_cb(p->prog, skb) % n;
	} else {
		hash = __skb_get_hash_symmetric(skb);
		f = tun_flow_find(tun, hash);
		pick = n;
		if (f) {
			tun_flow_sent(f, hash);
			pick = READ_ONCE(f->queue);
		}
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

/*
 * An upper device (openvswitch, a bridge) asks for @new_hr bytes in front
 * of the frames we receive, negative for the default. As in Linux it is
 * kept between NET_SKB_PAD and what leaves room in a page-sized head for
 * the link header, and applies to the skbs a write copies into; frames
 * built in a page fragment keep their fixed headroom (TUN_RX_PAD).
 */
static void tun_net_set_rx_headroom(struct net_device *dev, int new_hr)
{
	struct tun_dev *tun = netdev_priv(dev);
	int max_hr = min_t(int, SKB_MAX_HEAD(0), U16_MAX - 1);

	if (tun_is_tap(tun))
		max_hr -= ETH_HLEN + NET_IP_ALIGN;
	else
		max_hr -= 1;
	WRITE_ONCE(tun->rx_headroom, clamp_t(int, new_hr, NET_SKB_PAD, max_hr));
}

/* Accepting all multicast is the only sensible rx filter for a tap. */
static void tap_net_set_rx_mode(struct net_device *dev)
{
}

/* The ops both kinds share; each table below adds its own. */
#define TUN_NETDEV_OPS_COMMON					\
	.ndo_init		= tun_net_init,			\
	.ndo_uninit		= tun_net_uninit,		\
	.ndo_open		= tun_net_open,			\
	.ndo_stop		= tun_net_stop,			\
	.ndo_start_xmit		= tun_net_xmit,			\
	.ndo_select_queue	= tun_net_select_queue,		\
	.ndo_change_carrier	= tun_net_change_carrier,	\
	.ndo_fix_features	= tun_net_fix_features,		\
	.ndo_set_rx_headroom	= tun_net_set_rx_headroom

static const struct net_device_ops tun_netdev_ops = {
	TUN_NETDEV_OPS_COMMON,
	.ndo_get_stats64	= tun_net_get_stats64,
};

/* A tap's statistics, as Linux's: without the vnet framing errors. */
static const struct net_device_ops tap_netdev_ops = {
	TUN_NETDEV_OPS_COMMON,
	.ndo_get_stats64	= dev_get_tstats64,
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
	link->base.speed = TUN_COMPAT_DEFAULT_SPEED;
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
	tun->rx_headroom = NET_SKB_PAD;
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
