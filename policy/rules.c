// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy/rules.c - the rules: a fib_rules family of our own (TPOL_FAMILY)
 * in every network namespace, and the lookup that scans them.
 *
 * net/core/fib_rules.c keeps the ordered list, parses RTM_*RULE, matches
 * the generic selectors (input device, mark, ...) and runs the scan; we
 * add the seed's selectors (source and destination prefix, tos), its rule
 * types, and the action: a rule that matches looks up its class (or takes
 * its own route); "found" ends the scan, "not found" or a THROW route
 * (-EAGAIN) lets it go on to the next rule, a REJECT route ends it with
 * an error. Locking: see policy/tpol.h.
 */

static const struct nla_policy tpol_rule_policy[TPOL_RA_MAX + 1] = {
	[TPOL_RA_TYPE]		= NLA_POLICY_RANGE(NLA_U8, TPOL_RULE_ROUTE,
						   TPOL_RULE_MAX),
	[TPOL_RA_NAT]		= { .type = NLA_BE32 },
	[TPOL_RA_GATEWAY]	= { .type = NLA_BE32 },
	[TPOL_RA_OIF]		= { .type = NLA_U32 },
	[TPOL_RA_FLAGS]		= NLA_POLICY_MASK(NLA_U32, TPOL_RULE_F_ALL),
};

static u8 tpol_rule_type(const struct tpol_rule *r)
{
	return r->type ?: TPOL_RULE_ROUTE;
}

/* Is @addr one of this namespace's own (or a broadcast) address? */
static bool tpol_addr_is_local(struct net *net, __be32 addr)
{
	unsigned int type = inet_addr_type(net, addr);

	return type == RTN_LOCAL || type == RTN_BROADCAST;
}

/*
 * The device and next hop of a route: its device, or, for a gateway
 * alone, the device the kernel's own routing reaches that gateway on
 * directly. A route that cannot be used now (device down or gone,
 * gateway not on a connected network) counts as not found (-EAGAIN), as
 * the kernel skips dead next hops.
 */
static int tpol_resolve(struct net *net, __be32 gw, int oif,
			struct tpol_result *res)
{
	struct net_device *dev;

	if (oif) {
		if (oif < 0)
			return -EAGAIN;
		dev = dev_get_by_index_rcu(net, oif);
		if (!dev || !(dev->flags & IFF_UP))
			return -EAGAIN;
	} else {
		struct flowi4 fl4 = { .daddr = gw };
		struct rtable *rt;
		bool direct;

		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return -EAGAIN;
		direct = rt->rt_type == RTN_UNICAST && !rt->rt_uses_gateway;
		dev = rt->dst.dev;
		ip_rt_put(rt);
		if (!direct)
			return -EAGAIN;
	}
	res->dev = dev;
	res->gw = gw;
	return 0;
}

static int tpol_rule_action(struct fib_rule *rule, struct flowi *fl,
			    int flags, struct fib_lookup_arg *arg)
{
	struct tpol_rule *r = to_tpol_rule(rule);
	struct tpol_result *res = arg->result;
	const struct flowi4 *fl4 = &fl->u.ip4;
	struct net *net = rule->fr_net;
	const struct tpol_route *rt;
	int oif;

	switch (rule->action) {
	case FR_ACT_TO_TBL:
		break;
	case FR_ACT_UNREACHABLE:
		return -ENETUNREACH;
	case FR_ACT_PROHIBIT:
		return -EACCES;
	default:
		return -EINVAL;		/* FR_ACT_BLACKHOLE: drop */
	}

	res->rule = r;
	oif = READ_ONCE(r->oif);
	if (r->gw || oif)
		return tpol_resolve(net, r->gw, oif, res);

	if (rule->table == TPOL_CLASS_LOCAL &&
	    tpol_addr_is_local(net, fl4->daddr)) {
		res->local = true;
		return 0;
	}

	rt = tpol_class_lookup(&tpol_pernet(net)->classes[rule->table],
			       fl4->daddr, fl4->flowi4_tos);
	if (!rt || rt->type == TPOL_ROUTE_THROW)
		return -EAGAIN;
	if (rt->type == TPOL_ROUTE_REJECT)
		return -ENETUNREACH;
	return tpol_resolve(net, rt->gw, rt->oif, res);
}

static int tpol_rule_match(struct fib_rule *rule, struct flowi *fl,
			   int flags)
{
	const struct tpol_rule *r = to_tpol_rule(rule);
	const struct flowi4 *fl4 = &fl->u.ip4;

	if (!tpol_rule_covers(r, fl4->saddr, fl4->daddr))
		return 0;
	if (r->tos && r->tos != fl4->flowi4_tos)
		return 0;
	return 1;
}

/* What fib_rules' own header and attributes may say in our family. */
static int tpol_rule_check_hdr(const struct fib_rule *rule,
			       const struct fib_rule_hdr *frh,
			       struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	switch (rule->action) {
	case FR_ACT_TO_TBL:
	case FR_ACT_BLACKHOLE:
	case FR_ACT_UNREACHABLE:
	case FR_ACT_PROHIBIT:
	case FR_ACT_GOTO:
	case FR_ACT_NOP:
		break;
	default:
		NL_SET_ERR_MSG(extack, "Unsupported rule action");
		return -EINVAL;
	}
	if (frh->tos & ~TPOL_TOS_MASK) {
		NL_SET_ERR_MSG(extack, "Invalid tos");
		return -EINVAL;
	}
	if (tb[FRA_FLOW]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[FRA_FLOW],
				    "Realms are not supported by this rule family");
		return -EINVAL;
	}
	return 0;
}

/* A rule either looks up a class or has its own route, never both. */
static int tpol_rule_check_target(const struct fib_rule *rule,
				  struct nlattr **a,
				  struct netlink_ext_ack *extack)
{
	bool own_route = a[TPOL_RA_GATEWAY] || a[TPOL_RA_OIF];

	if (rule->action != FR_ACT_TO_TBL &&
	    (a[TPOL_RA_TYPE] || a[TPOL_RA_NAT] || own_route)) {
		NL_SET_ERR_MSG(extack,
			       "Rule type, NAT address and route need action to-table");
		return -EINVAL;
	}
	if (rule->action == FR_ACT_TO_TBL) {
		if (own_route && rule->table) {
			NL_SET_ERR_MSG(extack,
				       "A rule with its own gateway or device takes no class");
			return -EINVAL;
		}
		if (!own_route && !rule->table) {
			NL_SET_ERR_MSG(extack,
				       "Rule needs a class or its own gateway or device");
			return -EINVAL;
		}
	}
	if (rule->table > TPOL_CLASS_MAX) {
		NL_SET_ERR_MSG(extack, "Invalid class: classes are 1 to 255");
		return -EINVAL;
	}
	return 0;
}

/* The FRA_TPOL attributes into @r: type, NAT address, route, flags. */
static int tpol_rule_parse_tpol(struct tpol_rule *r,
				const struct fib_rule *rule, struct nlattr **a,
				struct netlink_ext_ack *extack)
{
	r->type = a[TPOL_RA_TYPE] ? nla_get_u8(a[TPOL_RA_TYPE]) :
		  rule->action == FR_ACT_TO_TBL ? TPOL_RULE_ROUTE : 0;
	if (r->type == TPOL_RULE_NAT) {
		if (!a[TPOL_RA_NAT]) {
			NL_SET_ERR_MSG(extack, "A NAT rule needs a NAT address");
			return -EINVAL;
		}
		r->nat = nla_get_in_addr(a[TPOL_RA_NAT]);
		if (!tpol_addr_usable(r->nat)) {
			NL_SET_ERR_MSG_ATTR(extack, a[TPOL_RA_NAT],
					    "Invalid NAT address");
			return -EINVAL;
		}
	} else if (a[TPOL_RA_NAT]) {
		NL_SET_ERR_MSG_ATTR(extack, a[TPOL_RA_NAT],
				    "A NAT address needs a NAT rule");
		return -EINVAL;
	}

	if (a[TPOL_RA_GATEWAY]) {
		r->gw = nla_get_in_addr(a[TPOL_RA_GATEWAY]);
		if (!tpol_addr_usable(r->gw)) {
			NL_SET_ERR_MSG_ATTR(extack, a[TPOL_RA_GATEWAY],
					    "Invalid gateway");
			return -EINVAL;
		}
	}
	if (a[TPOL_RA_OIF]) {
		u32 oif = nla_get_u32(a[TPOL_RA_OIF]);

		if (!oif || oif > INT_MAX ||
		    !__dev_get_by_index(rule->fr_net, oif)) {
			NL_SET_ERR_MSG_ATTR(extack, a[TPOL_RA_OIF],
					    "Unknown output device");
			return -ENODEV;
		}
		r->oif = oif;
	}
	if (a[TPOL_RA_FLAGS])
		r->flags = nla_get_u32(a[TPOL_RA_FLAGS]);
	return 0;
}

/* The selectors of fib_rules' header into @r, as the lookup wants them. */
static void tpol_rule_set_selectors(struct tpol_rule *r,
				    const struct fib_rule_hdr *frh,
				    struct nlattr **tb)
{
	r->src_len = frh->src_len;
	r->dst_len = frh->dst_len;
	r->tos = frh->tos;
	if (frh->src_len)
		r->src = nla_get_in_addr(tb[FRA_SRC]);
	if (frh->dst_len)
		r->dst = nla_get_in_addr(tb[FRA_DST]);
	r->srcmask = inet_make_mask(r->src_len);
	r->dstmask = inet_make_mask(r->dst_len);
}

static int tpol_rule_configure(struct fib_rule *rule, struct sk_buff *skb,
			       struct fib_rule_hdr *frh, struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	struct tpol_rule *r = to_tpol_rule(rule);
	struct nlattr *a[TPOL_RA_MAX + 1] = {};
	int err;

	err = tpol_rule_check_hdr(rule, frh, tb, extack);
	if (err)
		return err;
	if (tb[FRA_TPOL]) {
		err = nla_parse_nested(a, TPOL_RA_MAX, tb[FRA_TPOL],
				       tpol_rule_policy, extack);
		if (err)
			return err;
	}
	err = tpol_rule_check_target(rule, a, extack);
	if (err)
		return err;
	err = tpol_rule_parse_tpol(r, rule, a, extack);
	if (err)
		return err;
	tpol_rule_set_selectors(r, frh, tb);
	return tpol_rule_take(r, extack);
}

static int tpol_rule_compare(struct fib_rule *rule, struct fib_rule_hdr *frh,
			     struct nlattr **tb)
{
	struct tpol_rule *r = to_tpol_rule(rule);
	struct nlattr *a[TPOL_RA_MAX + 1];

	if (frh->src_len && (r->src_len != frh->src_len ||
			     r->src != nla_get_in_addr(tb[FRA_SRC])))
		return 0;
	if (frh->dst_len && (r->dst_len != frh->dst_len ||
			     r->dst != nla_get_in_addr(tb[FRA_DST])))
		return 0;
	if (frh->tos && r->tos != frh->tos)
		return 0;
	if (!tb[FRA_TPOL])
		return 1;

	if (nla_parse_nested(a, TPOL_RA_MAX, tb[FRA_TPOL], tpol_rule_policy,
			     NULL))
		return 0;
	if (a[TPOL_RA_TYPE] && nla_get_u8(a[TPOL_RA_TYPE]) != tpol_rule_type(r))
		return 0;
	if (a[TPOL_RA_NAT] && nla_get_in_addr(a[TPOL_RA_NAT]) != r->nat)
		return 0;
	if (a[TPOL_RA_GATEWAY] && nla_get_in_addr(a[TPOL_RA_GATEWAY]) != r->gw)
		return 0;
	if (a[TPOL_RA_OIF] && nla_get_u32(a[TPOL_RA_OIF]) != (u32)r->oif)
		return 0;
	if (a[TPOL_RA_FLAGS] && nla_get_u32(a[TPOL_RA_FLAGS]) != r->flags)
		return 0;
	return 1;
}

static int tpol_rule_fill(struct fib_rule *rule, struct sk_buff *skb,
			  struct fib_rule_hdr *frh)
{
	struct tpol_rule *r = to_tpol_rule(rule);
	int oif = READ_ONCE(r->oif);
	struct nlattr *nest;

	frh->src_len = r->src_len;
	frh->dst_len = r->dst_len;
	frh->tos = r->tos;
	if ((r->src_len && nla_put_in_addr(skb, FRA_SRC, r->src)) ||
	    (r->dst_len && nla_put_in_addr(skb, FRA_DST, r->dst)))
		return -EMSGSIZE;
	if (rule->action != FR_ACT_TO_TBL && !r->flags)
		return 0;

	nest = nla_nest_start(skb, FRA_TPOL);
	if (!nest)
		return -EMSGSIZE;
	if ((rule->action == FR_ACT_TO_TBL &&
	     nla_put_u8(skb, TPOL_RA_TYPE, tpol_rule_type(r))) ||
	    (r->type == TPOL_RULE_NAT &&
	     nla_put_in_addr(skb, TPOL_RA_NAT, r->nat)) ||
	    (r->gw && nla_put_in_addr(skb, TPOL_RA_GATEWAY, r->gw)) ||
	    (oif && nla_put_u32(skb, TPOL_RA_OIF, oif)) ||
	    (r->flags && nla_put_u32(skb, TPOL_RA_FLAGS, r->flags))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static size_t tpol_rule_nlmsg_payload(struct fib_rule *rule)
{
	return nla_total_size(4) * 2		/* FRA_SRC, FRA_DST */
	       + nla_total_size(0)		/* FRA_TPOL */
	       + nla_total_size(1)		/* TPOL_RA_TYPE */
	       + nla_total_size(4) * 4;		/* NAT, GATEWAY, OIF, FLAGS */
}

static const struct fib_rules_ops tpol_rules_template = {
	.family		= TPOL_FAMILY,
	.rule_size	= sizeof(struct tpol_rule),
	.addr_size	= sizeof(__be32),
	.action		= tpol_rule_action,
	.match		= tpol_rule_match,
	.configure	= tpol_rule_configure,
	.delete		= tpol_rule_delete,
	.compare	= tpol_rule_compare,
	.fill		= tpol_rule_fill,
	.nlmsg_payload	= tpol_rule_nlmsg_payload,
	/*
	 * Where fib_rules announces a rule added or deleted.  There must be
	 * one: with none, nlmsg_notify() neither sends nor frees the message
	 * (one leaked skb per change; the debug lane's kmemleak found them).
	 * An IPv4 family's rules go to the IPv4 rule group, as those of
	 * ipmr's family (RTNL_FAMILY_IPMR) do.
	 */
	.nlgroup	= RTNLGRP_IPV4_RULE,
	.owner		= THIS_MODULE,
};

/* The seed's default setup: pref 0 -> LOCAL, 254 -> MAIN, 255 -> DEFAULT. */
static const struct {
	u32 pref;
	u32 class;
} tpol_default_rules[] = {
	{ 0, TPOL_CLASS_LOCAL },
	{ 254, TPOL_CLASS_MAIN },
	{ 255, TPOL_CLASS_DEFAULT },
};

/* Registers the family in @net with the default rules. RTNL held. */
static struct fib_rules_ops *tpol_rules_init(struct net *net)
{
	struct fib_rules_ops *ops;
	unsigned int i;
	int err;

	ops = fib_rules_register(&tpol_rules_template, net);
	if (IS_ERR(ops))
		return ops;
	for (i = 0; i < ARRAY_SIZE(tpol_default_rules); i++) {
		err = tpol_default_rule_add(ops, tpol_default_rules[i].pref,
					    tpol_default_rules[i].class);
		if (err) {
			fib_rules_unregister(ops);
			return ERR_PTR(err);
		}
	}
	return ops;
}

/*
 * A rule's own output device went away: the rule stays (as a rule naming
 * a missing input device does) but gives no route from now on. RTNL held.
 */
static void tpol_rules_dev_gone(struct tpol_net *tn, int ifindex)
{
	struct fib_rule *rule;

	list_for_each_entry(rule, &tn->rules->rules_list, list) {
		struct tpol_rule *r = to_tpol_rule(rule);

		if (r->oif == ifindex)
			WRITE_ONCE(r->oif, -1);
	}
}

/*
 * The lookup: scans the rules of @tn for the flow. 0 with @res filled
 * (res->local: the packet is this host's), -ESRCH when no rule gives a
 * route, -EINVAL for DROP, -ENETUNREACH for REJECT (rule or route),
 * -EACCES for PROHIBIT. rcu_read_lock() held; @res is valid as long.
 */
static int tpol_lookup(struct tpol_net *tn, struct flowi4 *fl4,
		       struct tpol_result *res)
{
	struct fib_lookup_arg arg = {
		.result = res,
		.flags = FIB_LOOKUP_NOREF,
	};

	memset(res, 0, sizeof(*res));
	return fib_rules_lookup(tn->rules, flowi4_to_flowi(fl4), 0, &arg);
}
