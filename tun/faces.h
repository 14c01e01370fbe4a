/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun/faces.h - what tun/faces.c offers the other parts: the sysfs
 * attributes, rtnetlink's and ethtool's ops.
 *
 * Locking: rtnetlink and ethtool call under RTNL; the sysfs attributes
 * read tun_dev fields without it, as a snapshot.
 */
#ifndef _TUN_FACES_H
#define _TUN_FACES_H

#include "tun.h"

static struct rtnl_link_ops tun_link_ops;
static const struct ethtool_ops tun_ethtool_ops;
static const struct attribute_group tun_attr_group;

#endif /* _TUN_FACES_H */
