/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy/tpol.h - what the parts of tun_policy.ko share: the per-namespace
 * state, the rule, the result of a lookup.
 *
 * Each network namespace has its own struct tpol_net (pernet storage):
 * 255 classes and a fib_rules family (struct tpol_rule rules).
 *
 * Locking:
 *   - tpol_net.lock serialises the writers of every class of the
 *     namespace (genetlink add/del, the netdevice notifier's purge); it is
 *     the mutex the classes were initialised with (policy/class.h states
 *     the readers' side). tpol_net.gen is written under it.
 *   - Rules are fib_rules': added and removed under RTNL by
 *     net/core/fib_rules.c, read under RCU by fib_rules_lookup(). A rule's
 *     own fields are set in configure() before the rule is published and
 *     then only read, except tpol_rule.oif, which the netdevice notifier
 *     clears (under RTNL, WRITE_ONCE) when that device goes away; readers
 *     use READ_ONCE.
 *   - The lookup (fib_rules_lookup() and our action()) runs in the
 *     netfilter hooks, under rcu_read_lock(); what it returns in struct
 *     tpol_result (a device, a rule) is valid until that section ends.
 */
#ifndef _TPOL_TPOL_H
#define _TPOL_TPOL_H

#include <linux/netdevice.h>
#include <net/fib_rules.h>
#include <net/netns/generic.h>
#include "../include/uapi/linux/tun_policy.h"

#include "class.h"

struct tpol_net {
	struct net *net;
	struct fib_rules_ops *rules;
	struct mutex lock;		/* writers of classes[] */
	unsigned int gen;		/* bumped by every class change */
	unsigned int routes;		/* in all classes; lock, READ_ONCE */
	unsigned int ct_users;		/* rules needing conntrack; RTNL */
	unsigned int valves;		/* VALVE rules; RTNL, READ_ONCE */
	unsigned int acting;		/* rules that act without a class:
					 * own route, DROP, REJECT, PROHIBIT;
					 * RTNL, READ_ONCE */
	/* [0] is never used: class 0 means "none" */
	struct tpol_class classes[TPOL_CLASS_MAX + 1];
};

struct tpol_rule {
	struct fib_rule common;		/* first: fib_rules allocates us */
	__be32 src;
	__be32 srcmask;
	__be32 dst;
	__be32 dstmask;
	u8 src_len;
	u8 dst_len;
	u8 tos;
	u8 type;		/* enum tpol_rule_type; 0 (default rules): ROUTE */
	__be32 nat;		/* TPOL_RULE_NAT: the new source */
	__be32 gw;		/* the rule's own route, if gw or oif */
	int oif;		/* 0: none; -1: its device went away */
	u32 flags;		/* TPOL_RULE_F_* */
};

static inline struct tpol_rule *to_tpol_rule(struct fib_rule *r)
{
	return container_of(r, struct tpol_rule, common);
}

/* Are @saddr and @daddr in the rule's source and destination prefixes? */
static inline bool tpol_rule_covers(const struct tpol_rule *r, __be32 saddr,
				    __be32 daddr)
{
	return !((saddr ^ r->src) & r->srcmask) &&
	       !((daddr ^ r->dst) & r->dstmask);
}

/*
 * Can @addr be a next hop or a NAT source? Not "this network", multicast,
 * limited broadcast or loopback.
 */
static inline bool tpol_addr_usable(__be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_multicast(addr) &&
	       !ipv4_is_lbcast(addr) && !ipv4_is_loopback(addr);
}

/* What a lookup gave: where to send the packet, and by which rule. */
struct tpol_result {
	const struct tpol_rule *rule;
	struct net_device *dev;	/* output device (RCU) */
	__be32 gw;		/* next hop; 0: the destination itself */
	bool local;		/* class LOCAL: for this host, the kernel's */
};

/* The pernet id; tun_policy.c is this header's one includer. */
static unsigned int tpol_net_id __read_mostly;

static inline struct tpol_net *tpol_pernet(const struct net *net)
{
	return net_generic(net, tpol_net_id);
}

/*
 * tun_policy.c includes the parts in the order rules.c, genl.c, hook.c,
 * nat.c; what a part uses from a later one.
 */
static int tpol_rule_take(struct tpol_rule *r, struct netlink_ext_ack *extack);
static int tpol_rule_delete(struct fib_rule *rule);
static bool tpol_valve_blocks(struct tpol_net *tn, struct sk_buff *skb,
			      int iif);

/*
 * With no route in any class and no rule that acts by itself, every
 * lookup ends in "no route" (or "this host's"): the hooks skip it, so
 * that a namespace nobody configured pays nothing per packet.
 */
static inline bool tpol_idle(const struct tpol_net *tn)
{
	return !READ_ONCE(tn->routes) && !READ_ONCE(tn->acting);
}

#endif /* _TPOL_TPOL_H */
