// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/control.c - control: TUNSETIFF, TUNSETQUEUE and the other ioctls.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_vnet.h"
#include "tun.h"
#include "control.h"
#include "faces.h"
#include "filter.h"
#include "netdev.h"
#include "queue.h"
#include "ring.h"

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

/*
 * The byte order of the vnet header: TUN_VNET_LE or TUN_VNET_BE in
 * tun->flags, for TUN[GS]ETVNETLE and TUN[GS]ETVNETBE.
 */
static int tun_get_vnet_order(struct tun_dev *tun, unsigned int flag,
			      int __user *argp)
{
	return put_user(!!(tun->flags & flag), argp);
}

static int tun_set_vnet_order(struct tun_dev *tun, unsigned int flag,
			      int __user *argp)
{
	int on;

	if (get_user(on, argp))
		return -EFAULT;
	if (on)
		tun->flags |= flag;
	else
		tun->flags &= ~flag;
	return 0;
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
			goto out_unlock;
		err = security_tun_dev_attach_queue(tun->security);
		if (err < 0)
			goto out_unlock;
		err = tun_queue_prepare(tun, q, false);
		if (err < 0)
			goto out_unlock;
		tun_queue_link(tun, q, false, false);	/* keeps its NAPI */
	} else if (req & IFF_DETACH_QUEUE) {
		tun = rtnl_dereference(q->tun);
		if (!tun || !(tun->flags & IFF_MULTI_QUEUE) || q->disabled_on)
			goto out_unlock;
		tun_queue_disable(tun, q);
		err = 0;
	} else {
		goto out_unlock;
	}
	netdev_state_change(tun->dev);
out_unlock:
	rtnl_unlock();
	return err;
}

/* TUNGETIFF: the name and flags; the queue's own state in two of them. */
static int tun_get_iff(struct tun_dev *tun, struct tun_queue *q,
		       struct ifreq *ifr, void __user *argp, size_t ifreq_len)
{
	strscpy(ifr->ifr_name, tun->dev->name, IFNAMSIZ);
	ifr->ifr_flags = tun_flags(tun);
	if (q->disabled_on)
		ifr->ifr_flags |= IFF_DETACH_QUEUE;
	if (!rcu_access_pointer(q->sk.sk_filter))
		ifr->ifr_flags |= IFF_NOFILTER;
	if (copy_to_user(argp, ifr, ifreq_len))
		return -EFAULT;
	return 0;
}

/*
 * TUNSETPERSIST, TUNSETOWNER, TUNSETGROUP: who may attach, and whether
 * the device outlives its files. A change is announced to rtnetlink.
 */
static int tun_ioctl_owner(struct tun_dev *tun, unsigned int cmd,
			   unsigned long arg)
{
	bool notify = true;
	kuid_t owner;
	kgid_t group;

	switch (cmd) {
	case TUNSETPERSIST:
		notify = tun_set_persist(tun, arg);
		break;
	case TUNSETOWNER:
		owner = make_kuid(current_user_ns(), arg);
		if (!uid_valid(owner))
			return -EINVAL;
		tun->owner = owner;
		break;
	default:	/* TUNSETGROUP */
		group = make_kgid(current_user_ns(), arg);
		if (!gid_valid(group))
			return -EINVAL;
		tun->group = group;
		break;
	}
	if (notify)
		netdev_state_change(tun->dev);
	return 0;
}

/* TUNSETSNDBUF: for the queues attached now; a later one starts unbounded. */
static int tun_set_sndbuf(struct tun_dev *tun, int __user *argp)
{
	unsigned int i;
	int sndbuf;

	if (copy_from_user(&sndbuf, argp, sizeof(sndbuf)))
		return -EFAULT;
	if (sndbuf <= 0)
		return -EINVAL;
	for (i = 0; i < tun->numqueues; i++)
		rtnl_dereference(tun->queues[i])->sk.sk_sndbuf = sndbuf;
	return 0;
}

/*
 * The link: carrier, link type and hardware address. The ifreq of the
 * SIOC* ones was copied in already, @ifreq_len bytes of it.
 */
static int tun_ioctl_link(struct tun_dev *tun, unsigned int cmd,
			  unsigned long arg, struct ifreq *ifr,
			  size_t ifreq_len)
{
	void __user *argp = (void __user *)arg;
	int carrier, err;

	switch (cmd) {
	case TUNSETCARRIER:
		if (copy_from_user(&carrier, argp, sizeof(carrier)))
			return -EFAULT;
		return tun_net_change_carrier(tun->dev, carrier);
	case TUNSETLINK:
		return tun_set_link_type(tun, (unsigned short)arg);
	case SIOCGIFHWADDR:
		err = dev_get_mac_address(&ifr->ifr_hwaddr, dev_net(tun->dev),
					  tun->dev->name);
		if (!err && copy_to_user(argp, ifr, ifreq_len))
			err = -EFAULT;
		return err;
	default:	/* SIOCSIFHWADDR */
		return dev_set_mac_address_user(tun->dev, &ifr->ifr_hwaddr,
						NULL);
	}
}

/* The vnet header: its size and byte order (TUN[GS]ETVNET*). */
static int tun_ioctl_vnet(struct tun_dev *tun, unsigned int cmd,
			  int __user *argp)
{
	int sz;

	switch (cmd) {
	case TUNGETVNETHDRSZ:
		return put_user(tun->vnet_hdr_sz, argp) ? -EFAULT : 0;
	case TUNSETVNETHDRSZ:
		if (get_user(sz, argp))
			return -EFAULT;
		if (sz < (int)sizeof(struct virtio_net_hdr))
			return -EINVAL;
		WRITE_ONCE(tun->vnet_hdr_sz, sz);
		return 0;
	case TUNGETVNETLE:
		return tun_get_vnet_order(tun, TUN_VNET_LE, argp);
	case TUNSETVNETLE:
		return tun_set_vnet_order(tun, TUN_VNET_LE, argp);
	}

	/* TUN[GS]ETVNETBE exist only where the kernel was configured for it */
	if (!IS_ENABLED(CONFIG_TUN_VNET_CROSS_LE))
		return -EINVAL;
	if (cmd == TUNGETVNETBE)
		return tun_get_vnet_order(tun, TUN_VNET_BE, argp);
	return tun_set_vnet_order(tun, TUN_VNET_BE, argp);
}

/*
 * The filters: the MAC filter and the classic socket filter, which are
 * Ethernet filters (taps only), and the eBPF programs.
 */
static int tun_ioctl_filter(struct tun_dev *tun, unsigned int cmd,
			    void __user *argp)
{
	switch (cmd) {
	case TUNSETSTEERINGEBPF:
		return tun_set_prog_user(tun, &tun->steering_prog, argp);
	case TUNSETFILTEREBPF:
		return tun_set_prog_user(tun, &tun->filter_prog, argp);
	}

	if (!tun_is_tap(tun))
		return -EINVAL;
	switch (cmd) {
	case TUNSETTXFILTER:
		return tun_txfilter_set(&tun->txflt, argp);
	case TUNATTACHFILTER:
		if (copy_from_user(&tun->fprog, argp, sizeof(tun->fprog)))
			return -EFAULT;
		return tun_sockfilter_attach(tun);
	case TUNDETACHFILTER:
		tun_sockfilter_detach(tun, tun->numqueues);
		return 0;
	default:	/* TUNGETFILTER */
		if (copy_to_user(argp, &tun->fprog, sizeof(tun->fprog)))
			return -EFAULT;
		return 0;
	}
}

/*
 * The ioctls of a file bound to a device, under RTNL, with a device
 * reference. @ifr holds what was copied in for the ifreq ones.
 */
static long tun_ioctl_bound(struct tun_dev *tun, struct tun_queue *q,
			    unsigned int cmd, unsigned long arg,
			    struct ifreq *ifr, size_t ifreq_len)
{
	void __user *argp = (void __user *)arg;
	int sndbuf;

	switch (cmd) {
	/* what only an unbound file may do */
	case TUNSETIFF:
		return -EEXIST;
	case TUNSETIFINDEX:
		return -EPERM;

	case TUNGETIFF:
		return tun_get_iff(tun, q, ifr, argp, ifreq_len);
	case TUNSETNOCSUM:
		/* accepted and ignored, as it always has been */
		return 0;
	case TUNSETDEBUG:
		tun->msg_enable = (u32)arg;
		return 0;
	case TUNSETPERSIST:
	case TUNSETOWNER:
	case TUNSETGROUP:
		return tun_ioctl_owner(tun, cmd, arg);
	case TUNGETSNDBUF:
		sndbuf = q->sk.sk_sndbuf;
		if (copy_to_user(argp, &sndbuf, sizeof(sndbuf)))
			return -EFAULT;
		return 0;
	case TUNSETSNDBUF:
		return tun_set_sndbuf(tun, argp);
	case TUNSETCARRIER:
	case TUNSETLINK:
	case SIOCGIFHWADDR:
	case SIOCSIFHWADDR:
		return tun_ioctl_link(tun, cmd, arg, ifr, ifreq_len);
	case TUNSETOFFLOAD:
		return tun_set_offload(tun, arg);
	case TUNGETVNETHDRSZ:
	case TUNSETVNETHDRSZ:
	case TUNGETVNETLE:
	case TUNSETVNETLE:
	case TUNGETVNETBE:
	case TUNSETVNETBE:
		return tun_ioctl_vnet(tun, cmd, argp);
	case TUNSETTXFILTER:
	case TUNATTACHFILTER:
	case TUNDETACHFILTER:
	case TUNGETFILTER:
	case TUNSETSTEERINGEBPF:
	case TUNSETFILTEREBPF:
		return tun_ioctl_filter(tun, cmd, argp);
	case TUNGETDEVNETNS:
		return tun_open_netns(dev_net(tun->dev));
	case TUNSETRING:
		return tun_ring_setup(tun, q, argp);
	default:
		return -EINVAL;
	}
}

/*
 * The ioctls of a file not bound to a device yet, under RTNL: bind it
 * (TUNSETIFF), or choose the ifindex of the device it will create.
 */
static long tun_ioctl_unbound(struct tun_queue *q, unsigned int cmd,
			      void __user *argp, struct ifreq *ifr,
			      size_t ifreq_len)
{
	int ifindex, err;

	switch (cmd) {
	case TUNSETIFF:
		ifr->ifr_name[IFNAMSIZ - 1] = '\0';
		err = tun_set_iff(q, ifr);
		if (!err && copy_to_user(argp, ifr, ifreq_len))
			err = -EFAULT;
		return err;
	case TUNSETIFINDEX:
		if (copy_from_user(&ifindex, argp, sizeof(ifindex)))
			return -EFAULT;
		if (ifindex < 0)
			return -EINVAL;
		q->ifindex = ifindex;
		return 0;
	default:
		return -EBADFD;
	}
}

/*
 * Every ioctl, in an order user space can see: those that need no device
 * and no RTNL first, then a bad ifreq pointer (EFAULT before EBADFD),
 * then what depends on the file being bound or not.
 */
static long tun_ioctl(struct file *file, unsigned int cmd, unsigned long arg,
		      size_t ifreq_len)
{
	struct tun_queue *q = file->private_data;
	void __user *argp = (void __user *)arg;
	struct tun_dev *tun;
	struct ifreq ifr;
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
	/* the rings' fast path: neither RTNL nor a device reference */
	if (cmd == TUNRINGKICK)
		return tun_ring_kick(q);

	rtnl_lock();
	tun = tun_get(q);
	if (tun)
		ret = tun_ioctl_bound(tun, q, cmd, arg, &ifr, ifreq_len);
	else
		ret = tun_ioctl_unbound(q, cmd, argp, &ifr, ifreq_len);
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
