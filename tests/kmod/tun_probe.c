// SPDX-License-Identifier: GPL-2.0
/*
 * tun_probe: reaches tun's socket interface the way vhost-net could, and
 * the device the way the stack above it does, for the tests only
 * (tests/tun/peek, tests/tun/rxhints).  See tun_probe.h for the ioctls.
 * Built by tests/vm/lib/build.sh against our Module.symvers, whose CRC for
 * tun_get_socket is Debian's, so the same .ko loads with either tun.ko.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/limits.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#include <net/rps.h>
#endif

#include "tun_probe.h"

static long tun_probe_peek_len(unsigned int fd)
{
	struct socket *sock;
	struct file *file;
	long ret;

	file = fget(fd);
	if (!file)
		return -EBADF;
	sock = tun_get_socket(file);
	if (IS_ERR(sock))
		ret = PTR_ERR(sock);
	else if (!sock->ops || !sock->ops->peek_len)
		ret = -EOPNOTSUPP;
	else
		ret = sock->ops->peek_len(sock);
	/* The socket lives in the file: used only while we hold it. */
	fput(file);
	return ret;
}

/*
 * The watched device: set and cleared under RTNL (the ioctl, and the
 * notifier when the device goes); what the handler notes is under
 * watch_lock, taken from softirq.
 */
static struct packet_type watch_pt;
static bool watching;
static DEFINE_SPINLOCK(watch_lock);
static u32 watch_count;
static int watch_headroom;
static u32 watch_hash;

static int watch_rcv(struct sk_buff *skb, struct net_device *dev,
		     struct packet_type *pt, struct net_device *orig_dev)
{
	if (skb->pkt_type != PACKET_OUTGOING) {
		u32 hash = __skb_get_hash_symmetric(skb);

		spin_lock(&watch_lock);
		watch_count++;
		watch_headroom = skb_headroom(skb);
		watch_hash = hash;
		spin_unlock(&watch_lock);
	}
	/* the stack gave us a reference of our own */
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void unwatch(void)
{
	ASSERT_RTNL();
	if (!watching)
		return;
	dev_remove_pack(&watch_pt);
	dev_put(watch_pt.dev);
	watch_pt.dev = NULL;
	watching = false;
}

static int watch(struct net_device *dev)
{
	ASSERT_RTNL();
	unwatch();
	if (!dev)
		return 0;
	spin_lock_bh(&watch_lock);
	watch_count = 0;
	watch_headroom = 0;
	watch_hash = 0;
	spin_unlock_bh(&watch_lock);
	dev_hold(dev);
	watch_pt.type = htons(ETH_P_ALL);
	watch_pt.dev = dev;
	watch_pt.func = watch_rcv;
	dev_add_pack(&watch_pt);
	watching = true;
	return 0;
}

static int tun_probe_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	/* let the device go: a watch must never hold up its deletion */
	if (event == NETDEV_UNREGISTER && watching && watch_pt.dev == dev)
		unwatch();
	return NOTIFY_DONE;
}

static struct notifier_block tun_probe_notifier = {
	.notifier_call = tun_probe_netdev_event,
};

static long tun_probe_rx_ioctl(unsigned int cmd, void __user *argp)
{
	struct net_device *dev = NULL;
	struct tun_probe_rx rx;
	long ret = 0;

	if (copy_from_user(&rx, argp, sizeof(rx)))
		return -EFAULT;
	rtnl_lock();
	if (cmd != TUN_PROBE_RX && rx.ifindex) {
		dev = __dev_get_by_index(current->nsproxy->net_ns, rx.ifindex);
		if (!dev) {
			ret = -ENODEV;
			goto out;
		}
	}
	switch (cmd) {
	case TUN_PROBE_SET_RX_HEADROOM:
		if (!dev)
			ret = -ENODEV;
		else
			netdev_set_rx_headroom(dev, rx.headroom);
		break;
	case TUN_PROBE_WATCH:
		ret = watch(dev);
		break;
	case TUN_PROBE_RX:
		if (!watching) {
			ret = -ENOENT;
			break;
		}
		rx.ifindex = watch_pt.dev->ifindex;
		spin_lock_bh(&watch_lock);
		rx.count = watch_count;
		rx.headroom = watch_headroom;
		rx.hash = watch_hash;
		spin_unlock_bh(&watch_lock);
		if (copy_to_user(argp, &rx, sizeof(rx)))
			ret = -EFAULT;
		break;
	}
out:
	rtnl_unlock();
	return ret;
}

/* 6.10 moved the RFS table and its CPU mask into net_hotdata. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define probe_rps_table		net_hotdata.rps_sock_flow_table
#define probe_rps_cpu_mask	net_hotdata.rps_cpu_mask
#else
#define probe_rps_table		rps_sock_flow_table
#define probe_rps_cpu_mask	rps_cpu_mask
#endif

static long tun_probe_rps_entry(void __user *argp)
{
	struct rps_sock_flow_table *table;
	struct tun_probe_rps r;
	unsigned int index;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	rcu_read_lock();
	table = rcu_dereference(probe_rps_table);
	if (!table) {
		rcu_read_unlock();
		return -ENOENT;
	}
	index = r.hash & table->mask;
	if (r.clear)
		WRITE_ONCE(table->ents[index], 0);
	r.entry = READ_ONCE(table->ents[index]);
	r.cpu_mask = probe_rps_cpu_mask;
	rcu_read_unlock();
	if (copy_to_user(argp, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long tun_probe_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case TUN_PROBE_PEEK_LEN:
		if (arg > INT_MAX)
			return -EBADF;
		return tun_probe_peek_len(arg);
	case TUN_PROBE_SET_RX_HEADROOM:
	case TUN_PROBE_WATCH:
	case TUN_PROBE_RX:
		return tun_probe_rx_ioctl(cmd, argp);
	case TUN_PROBE_RPS_ENTRY:
		return tun_probe_rps_entry(argp);
	}
	return -ENOTTY;
}

static const struct file_operations tun_probe_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= tun_probe_ioctl,
};

static struct miscdevice tun_probe_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= TUN_PROBE_NAME,
	.fops	= &tun_probe_fops,
};

static int __init tun_probe_init(void)
{
	int err;

	err = register_netdevice_notifier(&tun_probe_notifier);
	if (err)
		return err;
	err = misc_register(&tun_probe_dev);
	if (err)
		unregister_netdevice_notifier(&tun_probe_notifier);
	return err;
}

static void __exit tun_probe_exit(void)
{
	misc_deregister(&tun_probe_dev);
	rtnl_lock();
	unwatch();
	rtnl_unlock();
	unregister_netdevice_notifier(&tun_probe_notifier);
}

module_init(tun_probe_init);
module_exit(tun_probe_exit);

MODULE_DESCRIPTION("Test probe of tun's socket interface (tests only)");
MODULE_LICENSE("GPL");
