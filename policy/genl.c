// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy/genl.c - classes over generic netlink (family TPOL_GENL_NAME):
 * add, delete and dump the routes of a namespace's classes.
 *
 * Why generic netlink and not rtnetlink: rtnetlink handlers can only be
 * registered for families up to RTNL_FAMILY_MAX (129), below ours, and
 * AF_INET's RTM_NEWROUTE belongs to the kernel's own tables. Generic
 * netlink gives per-command policies, extack, namespaces and dumps with
 * a consistency check.
 *
 * Writers hold tpol_net.lock (policy/tpol.h); dumps walk under RCU.
 */

static struct genl_family tpol_genl_family;

static const struct nla_policy tpol_genl_policy[TPOL_A_MAX + 1] = {
	[TPOL_A_CLASS]		= NLA_POLICY_RANGE(NLA_U8, 1, TPOL_CLASS_MAX),
	[TPOL_A_DST]		= { .type = NLA_BE32 },
	[TPOL_A_DST_LEN]	= NLA_POLICY_MAX(NLA_U8, 32),
	[TPOL_A_TOS]		= { .type = NLA_U8 },
	[TPOL_A_METRIC]		= { .type = NLA_U32 },
	[TPOL_A_GATEWAY]	= { .type = NLA_BE32 },
	[TPOL_A_OIF]		= { .type = NLA_U32 },
	[TPOL_A_TYPE]		= NLA_POLICY_RANGE(NLA_U8, TPOL_ROUTE_UNICAST,
						   TPOL_ROUTE_MAX),
};

/* A route was added (+1) or removed (-1). tn->lock held. */
static void tpol_routes_changed(struct tpol_net *tn, int delta)
{
	lockdep_assert_held(&tn->lock);
	WRITE_ONCE(tn->gen, tn->gen + 1);
	WRITE_ONCE(tn->routes, tn->routes + delta);
}

/*
 * Reads a route from a request. @match gets the fields a delete must
 * compare (those the request names). Checks what needs no lock.
 */
static int tpol_genl_route(struct genl_info *info, u8 *class,
			   struct tpol_route *rt, unsigned int *match)
{
	struct nlattr **a = info->attrs;

	if (!a[TPOL_A_CLASS] || !a[TPOL_A_DST] || !a[TPOL_A_DST_LEN]) {
		GENL_SET_ERR_MSG(info,
				 "Class, destination and prefix length are required");
		return -EINVAL;
	}
	memset(rt, 0, sizeof(*rt));
	rt->type = TPOL_ROUTE_UNICAST;
	*class = nla_get_u8(a[TPOL_A_CLASS]);
	rt->dst = nla_get_in_addr(a[TPOL_A_DST]);
	rt->dst_len = nla_get_u8(a[TPOL_A_DST_LEN]);
	if (rt->dst & ~inet_make_mask(rt->dst_len)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[TPOL_A_DST],
				    "Destination has bits set beyond the prefix length");
		return -EINVAL;
	}

	*match = 0;
	if (a[TPOL_A_TOS]) {
		rt->tos = nla_get_u8(a[TPOL_A_TOS]);
		if (rt->tos & ~TPOL_TOS_MASK) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[TPOL_A_TOS],
					    "Invalid tos");
			return -EINVAL;
		}
		*match |= TPOL_MATCH_TOS;
	}
	if (a[TPOL_A_METRIC]) {
		rt->metric = nla_get_u32(a[TPOL_A_METRIC]);
		*match |= TPOL_MATCH_METRIC;
	}
	if (a[TPOL_A_GATEWAY]) {
		rt->gw = nla_get_in_addr(a[TPOL_A_GATEWAY]);
		if (!tpol_addr_usable(rt->gw)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[TPOL_A_GATEWAY],
					    "Invalid gateway");
			return -EINVAL;
		}
		*match |= TPOL_MATCH_GW;
	}
	if (a[TPOL_A_OIF]) {
		u32 oif = nla_get_u32(a[TPOL_A_OIF]);

		if (!oif || oif > INT_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[TPOL_A_OIF],
					    "Unknown device");
			return -ENODEV;
		}
		rt->oif = oif;
		*match |= TPOL_MATCH_OIF;
	}
	if (a[TPOL_A_TYPE]) {
		rt->type = nla_get_u8(a[TPOL_A_TYPE]);
		*match |= TPOL_MATCH_TYPE;
	}
	return 0;
}

static int tpol_genl_newroute(struct sk_buff *skb, struct genl_info *info)
{
	struct tpol_net *tn = tpol_pernet(genl_info_net(info));
	unsigned int match;
	struct tpol_route rt;
	u8 class;
	int err;

	err = tpol_genl_route(info, &class, &rt, &match);
	if (err)
		return err;
	if (rt.type == TPOL_ROUTE_UNICAST && !rt.gw && !rt.oif) {
		GENL_SET_ERR_MSG(info, "A route needs a gateway or a device");
		return -EINVAL;
	}
	if (rt.type != TPOL_ROUTE_UNICAST && (rt.gw || rt.oif)) {
		GENL_SET_ERR_MSG(info,
				 "REJECT and THROW routes take no gateway or device");
		return -EINVAL;
	}

	mutex_lock(&tn->lock);
	/*
	 * Checked under the lock: a device that is still listed has not
	 * had its routes purged yet (tpol_classes_dev_gone() runs after it
	 * is unlisted, and takes this lock), so none is left behind.
	 */
	rcu_read_lock();
	if (rt.oif && !dev_get_by_index_rcu(tn->net, rt.oif))
		err = -ENODEV;
	rcu_read_unlock();
	if (!err) {
		err = tpol_class_add(&tn->classes[class], &rt);
		if (!err)
			tpol_routes_changed(tn, 1);
	}
	mutex_unlock(&tn->lock);
	if (err == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TPOL_A_OIF],
				    "Unknown device");
	return err;
}

static int tpol_genl_delroute(struct sk_buff *skb, struct genl_info *info)
{
	struct tpol_net *tn = tpol_pernet(genl_info_net(info));
	unsigned int match;
	struct tpol_route rt;
	u8 class;
	int err;

	err = tpol_genl_route(info, &class, &rt, &match);
	if (err)
		return err;

	mutex_lock(&tn->lock);
	err = tpol_class_del(&tn->classes[class], &rt, match, NULL);
	if (!err)
		tpol_routes_changed(tn, -1);
	mutex_unlock(&tn->lock);
	return err;
}

static int tpol_genl_put_route(struct sk_buff *skb, u8 class,
			       const struct tpol_route *rt)
{
	if (nla_put_u8(skb, TPOL_A_CLASS, class) ||
	    nla_put_in_addr(skb, TPOL_A_DST, rt->dst) ||
	    nla_put_u8(skb, TPOL_A_DST_LEN, rt->dst_len) ||
	    nla_put_u8(skb, TPOL_A_TOS, rt->tos) ||
	    nla_put_u32(skb, TPOL_A_METRIC, rt->metric) ||
	    (rt->gw && nla_put_in_addr(skb, TPOL_A_GATEWAY, rt->gw)) ||
	    (rt->oif && nla_put_u32(skb, TPOL_A_OIF, rt->oif)) ||
	    nla_put_u8(skb, TPOL_A_TYPE, rt->type))
		return -EMSGSIZE;
	return 0;
}

/*
 * Dump state in cb->args: [0] the class being dumped, [1] whether [2..4]
 * hold the key of the last route sent (dst, dst_len | tos << 8, metric),
 * from which tpol_class_walk() resumes.
 */
struct tpol_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u8 class;
};

static int tpol_dump_route(const struct tpol_route *rt, void *arg)
{
	struct tpol_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tpol_genl_family, NLM_F_MULTI,
			  TPOL_CMD_NEWROUTE);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (tpol_genl_put_route(d->skb, d->class, rt)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);

	cb->args[1] = 1;
	cb->args[2] = (__force u32)rt->dst;
	cb->args[3] = rt->dst_len | rt->tos << 8;
	cb->args[4] = rt->metric;
	return 0;
}

static int tpol_genl_dumproute(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tpol_net *tn = tpol_pernet(sock_net(cb->skb->sk));
	struct nlattr **attrs = tpol_dump_attrs(cb);
	struct tpol_dump d = { .skb = skb, .cb = cb };
	unsigned int first = 1, last = TPOL_CLASS_MAX, class;
	int err = 0;

	if (attrs && attrs[TPOL_A_CLASS])
		first = last = nla_get_u8(attrs[TPOL_A_CLASS]);
	if (!cb->args[0])
		cb->args[0] = first;

	rcu_read_lock();
	cb->seq = READ_ONCE(tn->gen) << 1 | 1;
	for (class = cb->args[0]; class <= last; class++) {
		struct tpol_route after = {}, *from = NULL;

		if (cb->args[1]) {
			after.dst = (__force __be32)(u32)cb->args[2];
			after.dst_len = cb->args[3] & 0xff;
			after.tos = cb->args[3] >> 8;
			after.metric = cb->args[4];
			from = &after;
		}
		d.class = class;
		err = tpol_class_walk(&tn->classes[class], from,
				      tpol_dump_route, &d);
		if (err)
			break;
		cb->args[0] = class + 1;
		cb->args[1] = 0;
	}
	rcu_read_unlock();

	/*
	 * tpol_dump_route() stops the walk only with -EMSGSIZE: the next
	 * message goes on from there, unless not even one route fit.
	 */
	if (err && !skb->len)
		return err;
	return skb->len;
}

struct tpol_oif_match {
	int oif;
	struct tpol_route rt;
};

static int tpol_match_oif(const struct tpol_route *rt, void *arg)
{
	struct tpol_oif_match *m = arg;

	if (rt->oif != m->oif)
		return 0;
	m->rt = *rt;
	return 1;
}

/* A device went away: its routes go too, as the kernel's do. */
static void tpol_classes_dev_gone(struct tpol_net *tn, int ifindex)
{
	struct tpol_oif_match m = { .oif = ifindex };
	unsigned int class;

	mutex_lock(&tn->lock);
	for (class = 1; class <= TPOL_CLASS_MAX; class++) {
		struct tpol_class *c = &tn->classes[class];
		struct tpol_route last;
		const struct tpol_route *from = NULL;

		while (tpol_class_count(c) &&
		       tpol_class_walk(c, from, tpol_match_oif, &m)) {
			last = m.rt;
			if (tpol_class_del(c, &last, TPOL_MATCH_TOS |
					   TPOL_MATCH_METRIC | TPOL_MATCH_OIF,
					   NULL))
				break;
			tpol_routes_changed(tn, -1);
			from = &last;
		}
	}
	mutex_unlock(&tn->lock);
}

static const struct genl_small_ops tpol_genl_ops[] = {
	{
		.cmd	= TPOL_CMD_NEWROUTE,
		.doit	= tpol_genl_newroute,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= TPOL_CMD_DELROUTE,
		.doit	= tpol_genl_delroute,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= TPOL_CMD_GETROUTE,
		.dumpit	= tpol_genl_dumproute,
	},
};

static struct genl_family tpol_genl_family __ro_after_init = {
	.name		= TPOL_GENL_NAME,
	.version	= TPOL_GENL_VERSION,
	.maxattr	= TPOL_A_MAX,
	.policy		= tpol_genl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= tpol_genl_ops,
	.n_small_ops	= ARRAY_SIZE(tpol_genl_ops),
	.resv_start_op	= TPOL_CMD_GETROUTE + 1,
};
