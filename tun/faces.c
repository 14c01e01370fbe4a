// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun/faces.c - what the tools see: sysfs attributes, rtnetlink and ethtool.
 *
 * Part of tun.ko (tun.c).
 */

#include "../include/tun_compat.h"
#include "tun.h"
#include "faces.h"
#include "control.h"
#include "netdev.h"

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

/* ethtool -l: one combined channel per enabled queue. */
static void tun_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct tun_dev *tun = netdev_priv(dev);

	ch->max_combined = tun->flags & IFF_MULTI_QUEUE ? TUN_MAX_QUEUES : 1;
	ch->combined_count = tun->numqueues;
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
	.get_channels		= TUN_COMPAT_HAS_CHANNELS ? tun_get_channels : NULL,
};
